"""The exercise checkers (marginlib.course.checks): right answers pass, each known
misconception gets its own hint, unit slips are recognised, counts must be whole, the wrong side
of a threshold is refused, and nothing raises at the learner or reveals the answer."""
import html

import numpy as np
import pytest

from marginlib.course.checks import (CheckResult, Misconception, Question, Threshold,
                                     bankruptcy_instead_of_liquidation, check, check_all,
                                     entry_convention, mark_convention, missing_fee,
                                     sides_swapped)
from marginlib.liquidation import liquidation_price
from marginlib.position import position_size

# ------------------------------------------------------------------ the one-call form ---


@pytest.mark.parametrize("answer, expected, ok", [
    (1000.0000001, 1000, True),
    (1000.01, 1000, False),
    (np.float64(2.25), 2.25, True),
    (np.array(0.3), 0.3, True),
    ([0.3], 0.3, True),
    (0.0, 0.0, True),
    (1e-13, 0.0, True),
    (float("nan"), 1.0, False),
    (float("inf"), 1.0, False),
    (np.complex128(1 + 1j), 1.0, False),
    ([1, 2, 3], [1, 2, 3.0000000001], True),
    ([1, 2], [1, 2, 3], False),
    (np.array([[1.0]]), [[1.0]], True),
    ("Short ", "short", True),
    ("long", "short", False),
    (True, True, True),
    (1, True, False),
    ("2.25", 2.25, False),
    (object(), 2.25, False),
    ({"a": 1}, [1, 2], False),
])
def test_check_never_raises_and_is_truthy_only_when_right(answer, expected, ok):
    result = check("q", answer, expected)
    assert isinstance(result, CheckResult) and bool(result) is ok
    assert result.answered and result.message.startswith("✓" if ok else "✗")
    assert repr(result) == result.message and html.escape(result.message) in result._repr_html_()


def test_check_messages_nudge_without_revealing():
    assert check("x", 110, 100).message == "✗ x: 110 is not right yet (10 % too high)."
    assert check("x", 90, 100).message == "✗ x: 90 is not right yet (10 % too low)."
    sign = check("x", -100, 100)
    assert sign.reason == "sign" and "check the sign" in sign.message
    assert "close" in check("x", 100.1, 100).message
    assert "Hint: think" in check("x", 1, 2, hint="think").message
    assert "2.25" not in check("price", 2.5, 2.25).message
    assert check("x", 2.251, 2.25, rel=1e-3)                 # the tolerance is the caller's
    assert check("price", "abc", 2.25).message == "✗ price: expected a number, got 'abc'."


@pytest.mark.parametrize("placeholder", [..., None])
def test_check_placeholder_means_not_answered(placeholder):
    result = check("Exercise 1", placeholder, 3.0)
    assert not result and not result.answered and result.message.startswith("…")
    assert result.reason == "unanswered" and "#7f7f7f" in result._repr_html_()


def test_check_html_is_escaped():
    assert "<b>" not in check("<b>name</b>", 1, 1)._repr_html_()


def test_check_all_combines_parts():
    right = check_all(check("a", 1, 1), check("b", "x", "X"), name="Ex")
    assert right and right.name == "Ex" and right.message.count("\n") == 1
    wrong = check_all(check("a", 1, 1), check("b", 2, 3))
    assert not wrong and wrong.answered and wrong._repr_html_().count("<br>") == 1
    pending = check_all(check("a", ..., 1), check("b", None, 1))
    assert not pending and not pending.answered
    assert not check_all()


def test_a_misconfigured_check_says_so_instead_of_raising():
    r = check("payments", 3, 2.5, units="count")
    assert not r and r.reason == "checker" and "misconfigured" in r.message


# ------------------------------------------------------- questions with misconceptions ---

ENTRY, MARGIN, LEV, M, FEE = 2.5, 100.0, 10.0, 0.05, 0.0005
Q = position_size(margin=MARGIN, leverage=LEV, entry_price=ENTRY)


def liq(side, m=M, fee=0.0, convention="mark"):
    return float(liquidation_price(side, entry_price=ENTRY, size=Q, margin=MARGIN,
                                   maintenance_margin_rate=m, taker_fee_rate=fee,
                                   convention=convention))


def liquidation_question():
    """The short's liquidation price with a taker fee, mark convention (USDC, 4 decimals)."""
    return Question(
        "Exercise: liquidation price of the short", expected=liq("short", fee=FEE),
        units="price", decimals=4,
        misconceptions=[entry_convention(liq("short", fee=FEE, convention="entry")),
                        missing_fee(liq("short")),
                        sides_swapped(liq("long", fee=FEE)),
                        bankruptcy_instead_of_liquidation(liq("short", m=0.0))])


def test_right_answer_passes_to_the_asked_decimals():
    q = liquidation_question()
    exact = liq("short", fee=FEE)
    assert q(exact) and q(round(exact, 4)) and q(np.float64(exact))
    assert q(round(exact, 4)).reason == "right"
    assert "Answer in USDC per token, to 4 decimals." == q.instructions


def test_each_misconception_gets_its_own_hint():
    q = liquidation_question()
    results = {m.name: q(round(m.value, 4)) for m in q.misconceptions}
    assert set(results) == {"entry convention", "missing fee", "long/short swapped",
                            "bankruptcy instead of liquidation"}
    for name, r in results.items():
        assert not r and r.reason == name, (name, r.message)
        assert r.hint and r.hint in r.message
    assert len({r.hint for r in results.values()}) == len(results)     # one hint each
    exact = f"{liq('short', fee=FEE):.4f}"
    assert all(exact not in r.message for r in results.values())       # never the answer


def test_a_misconception_wins_over_check_your_rounding():
    # entry vs mark convention differ by 0.3 % here: close to the answer, but a known mistake
    expected = liq("long")
    entry = liq("long", convention="entry")
    assert abs(entry / expected - 1) < 0.005
    q = Question("long liquidation price", expected, units="price", decimals=4,
                 misconceptions=[entry_convention(entry)])
    assert q(round(entry, 4)).reason == "entry convention"
    plain = Question("long liquidation price", expected, units="price", decimals=4)
    assert plain(round(entry, 4)).reason == "rounding"
    assert "check your rounding" in plain(round(entry, 4)).message


def test_mark_convention_misconception_for_an_entry_venue():
    q = Question("entry-convention venue", liq("long", convention="entry"), units="price",
                 decimals=4, misconceptions=[mark_convention(liq("long"))])
    assert q(round(liq("long"), 4)).reason == "mark convention"


# --------------------------------------------------------------------------- unit slips ---

DIST_PCT = 100 * (0.1 - 0.05) / 0.95     # 5.263 %: distance to liquidation, 10x, m = 5 %


@pytest.mark.parametrize("units, expected, answer, reason", [
    ("%", DIST_PCT, DIST_PCT / 100, "percent vs fraction"),
    ("%", DIST_PCT, DIST_PCT * 100, "basis points"),
    ("fraction", DIST_PCT / 100, DIST_PCT, "percent vs fraction"),
    ("fraction", DIST_PCT / 100, DIST_PCT * 100, "basis points"),
    ("bp", DIST_PCT * 100, DIST_PCT / 100, "basis points"),
    ("bp", DIST_PCT * 100, DIST_PCT, "basis points"),
    ("fraction", 0.9899, 98.99, "percent vs fraction"),    # was "9899 % too high"
    ("USDC", 250.0, 25_000.0, "factor 100"),
])
def test_unit_slips_are_recognised_with_a_units_hint(units, expected, answer, reason):
    q = Question("distance", expected, units=units, decimals=None, rel=1e-3)
    r = q(answer)
    assert not r and r.reason == reason, r.message
    assert "too high" not in r.message and "too low" not in r.message
    assert "% too" not in r.message


def test_unit_slip_of_a_rounded_answer_is_still_recognised():
    q = Question("distance", DIST_PCT, units="%", decimals=2)
    assert q(0.0526).reason == "percent vs fraction"
    assert q(526).reason == "basis points"
    assert q(5.26)


def test_units_appear_in_the_messages():
    assert "5.26 %" in Question("d", DIST_PCT, units="%", decimals=2)(5.26).message
    assert "3.29×" in Question("L", 3.29, units="×", decimals=2)(3.29).message
    assert "100 USDC" in Question("m", 100.0, units="USDC")(100).message


# ------------------------------------------------------------------------------- counts ---

def test_counts_must_be_whole():
    q = Question("Exercise 1: payments until funding alone liquidates", 633, units="count",
                 count_hint="count the 8-hour payments made up to the one that liquidates.")
    r = q(633.5)
    assert not r and r.reason == "not whole" and "8-hour payments" in r.hint
    assert q(633) and q(633.0) and q(np.int64(633))
    assert not q(634) and q(634).reason == "off by one" and "one" in q(632).hint
    assert q(640).reason == "wrong"
    assert "whole" in q.instructions
    with pytest.raises(ValueError, match="whole"):
        Question("payments", 633.5, units="count")


def test_tolerance_of_half_a_payment_no_longer_accepts_fractions():
    r = check("payments", 633.5, 633, rel=0, abs_tol=0.5, units="count")
    assert not r and r.reason == "not whole"


# --------------------------------------------------------------------------- thresholds ---

def test_wrong_side_of_a_liquidation_threshold_is_refused():
    # 01 Ex2 (b): the highest leverage a long survives a 30 % fall at m = 0.5 %, 2 decimals
    m = 0.005
    exact = 1 / (0.30 + 0.70 * m)                 # 3.2949: liquidated exactly at −30 %
    q = Question("(b) maintenance 0.5 %", 3.29, units="×", decimals=2,
                 threshold=Threshold(exact, "below",
                                     "at that leverage a 30 % fall reaches the liquidation "
                                     "price: round down, not to the nearest."),
                 misconceptions=[bankruptcy_instead_of_liquidation(1 / 0.30)])
    assert q(3.29) and q(3.294)
    for answer in (3.30, 3.31, exact + 1e-9):
        r = q(answer)
        assert not r and r.reason == "wrong side", answer
        assert "round down" in r.message
    # 3.34 is on the wrong side too, but it is the bankruptcy leverage 1/0.30 rounded: the
    # listed misconception's hint is the more specific one and wins over the threshold's
    r = q(3.34)
    assert not r and r.reason == "bankruptcy instead of liquidation"
    assert r.hint != q.threshold.hint
    assert q(3.28).reason == "rounding"
    with pytest.raises(ValueError, match="wrong side"):
        Question("x", 3.30, threshold=Threshold(exact, "below", "no"))


# -------------------------------------------------------------------- building questions ---

@pytest.mark.parametrize("kwargs, match", [
    (dict(units="percent"), "units"),
    (dict(decimals=-1), "decimals"),
    (dict(decimals=2.5), "decimals"),
    (dict(decimals=2, tolerance=0.1), "either"),
    (dict(tolerance=-1.0), "tolerance"),
    (dict(rel=float("nan")), "rel"),
    (dict(misconceptions=[Misconception(5.0, "same as the answer", "x")]), "never show"),
    (dict(misconceptions=["entry"]), "Misconception"),
])
def test_bad_questions_are_refused_when_built(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Question("q", 5.0, **kwargs)


@pytest.mark.parametrize("value", [float("nan"), True, "1", float("inf")])
def test_bad_misconceptions_are_refused(value):
    with pytest.raises(ValueError):
        Misconception(value, "hint")


def test_question_with_a_word_answer():
    q = Question("side", "short")
    assert q("Short") and not q("long")
    with pytest.raises(ValueError):
        Question("side", "short", units="%")


def test_expected_zero_with_a_misconception_is_compared_not_crashed():
    # the misconception window used to divide by the expected value
    q = Question("net", 0.0, units="USDC", decimals=2,
                 misconceptions=[Misconception(1.5, "you left out the fee", "missing fee")])
    assert q(0.0) and q(1.5).reason == "missing fee" and q(7.0).reason == "wrong"
