"""The practice desk widget (notebook 08), driven as a learner drives it: values set, buttons
clicked. The account it ends in is worked out by hand; every control moves the quote, the
message or the figure; every button does what it says or shows a plain message; the figure's
artists carry the desk's numbers."""
import numpy as np
import pytest
import ipywidgets

from marginlib import widgets
from marginlib.action_costs import action_cost
from marginlib.course.desk import Desk
from marginlib.widgets.desk import DeskWidget, account_html, blotter_html, log_html


GAS = {a: action_cost("arbitrum", a) for a in ("open", "add_margin", "close")}
TAKER = 0.0005


def ticket(w, **values):
    for k, x in values.items():
        w.controls[k].value = x


def test_controls_and_buttons_are_standard_ipywidgets():
    w = widgets.desk_widget()
    assert isinstance(w, ipywidgets.VBox) and isinstance(w, DeskWidget)
    assert set(w.controls) == {"market", "side", "mode", "margin", "leverage", "position",
                               "amount"}
    kinds = {k: type(c).__name__ for k, c in w.controls.items()}
    assert kinds["market"] == kinds["position"] == "Dropdown"
    assert kinds["side"] == kinds["mode"] == "ToggleButtons"
    assert kinds["margin"] == kinds["leverage"] == kinds["amount"] == "FloatSlider"
    assert set(w.buttons) == {"confirm", "add_margin", "close", "switch", "deposit", "crash",
                              "rally", "funding", "leverage_cut", "reset"}
    assert all(isinstance(b, ipywidgets.Button) for b in w.buttons.values())
    # the message line sits right after the figure's canvas (the browser test reads it there)
    kids = list(w.children)
    assert kids[kids.index(w.message) - 1] is w.fig.canvas or \
        isinstance(kids[kids.index(w.message) - 1], ipywidgets.Output)


def test_a_clicked_session_ends_in_the_hand_computed_account_and_conserves_value():
    w = widgets.desk_widget()
    ticket(w, market="AGENT", side="long", mode="isolated", margin=100.0, leverage=10.0)
    w.buttons["confirm"].click()
    ticket(w, market="NEURAL", side="short", mode="cross", margin=200.0, leverage=5.0)
    w.buttons["confirm"].click()
    assert w.controls["position"].options == ("AGENT #1", "NEURAL #2")
    assert w.controls["position"].value == "NEURAL #2"      # the new position is selected
    w.controls["position"].value = "AGENT #1"
    w.controls["amount"].value = 50.0
    w.buttons["add_margin"].click()
    w.buttons["close"].click()                              # AGENT #1 closed at 2.50
    w.controls["amount"].value = 100.0
    w.buttons["deposit"].click()
    wallet = (1_000 - 0.5 - GAS["open"]                     # AGENT open (margin comes back)
              - TAKER * 1_000 - GAS["open"]                 # NEURAL cross open (1,000)
              - GAS["add_margin"]                           # the 50 comes back on close
              - TAKER * 1_000 - GAS["close"] + 100 - GAS["add_margin"])
    s = w.desk.account_summary()
    assert s["wallet"] == pytest.approx(wallet, rel=1e-12)
    assert s["gas"] == pytest.approx(2 * GAS["open"] + 2 * GAS["add_margin"] + GAS["close"])
    assert s["deposits"] == 1_100 and abs(w.desk.conservation_error()) < 1e-9
    assert w.desk.positions == ["NEURAL #2"] and w.controls["position"].value == "NEURAL #2"
    assert "Deposited 100.00" in w.message.value and "✔" in w.message.value
    assert "NEURAL #2" in w.blotter_panel.value and "1,100.00" in w.account_panel.value
    assert "Closed AGENT #1" in w.log_panel.value


def test_every_control_changes_the_message_or_the_figure():
    w = widgets.desk_widget()
    w.confirm()
    ticket(w, market="NEURAL", mode="cross", leverage=5.0)
    w.confirm()
    for name, other in [("market", "ORACLE"), ("side", "short"), ("mode", "isolated"),
                        ("margin", 300.0), ("leverage", 2.0), ("position", "AGENT #1"),
                        ("amount", 200.0)]:
        msg, pixels = w.message.value, w.plot.artists["mark"].get_ydata().copy()
        title = w.plot.artists["title"].get_text()
        w.controls[name].value = other
        assert (w.message.value != msg or title != w.plot.artists["title"].get_text()
                or not np.array_equal(pixels, w.plot.artists["mark"].get_ydata())), name


def test_the_figure_carries_the_desk_numbers():
    w = widgets.desk_widget()
    w.confirm()                                      # AGENT long isolated 10×
    ticket(w, side="short", mode="cross", leverage=4.0)
    w.confirm()
    w.buttons["crash"].click()                       # the long is liquidated, the short gains
    hist = w.desk.history
    t, mark = w.plot.artists["mark"].get_data()
    assert list(t) == [h[0] for h in hist] and list(mark) == [h[2]["AGENT"] for h in hist]
    assert mark[-1] == pytest.approx(1.5)
    _, eq = w.plot.artists["equity"].get_data()
    assert eq[-1] == pytest.approx(w.desk.account_summary()["equity"])
    _, cross = w.plot.artists["cross_liq"].get_data()
    liq = [r["liquidation_price"] for r in w.desk.blotter() if r["mode"] == "cross"]
    assert list(np.asarray(cross)[~np.isnan(cross)]) == pytest.approx(liq * 2)
    _, iso = w.plot.artists["iso_liq"].get_data()
    assert len(iso) == 0                             # the isolated long is gone
    ticket(w, market="ORACLE")
    assert w.plot.artists["title"].get_text().startswith("ORACLE")
    assert len(w.plot.artists["cross_liq"].get_data()[1]) == 0


@pytest.mark.parametrize("button", ["add_margin", "close", "switch"])
def test_position_buttons_without_a_position_show_a_plain_message(button):
    w = widgets.desk_widget()
    before = w.desk.account_summary()
    w.buttons[button].click()
    assert "⚠" in w.message.value and "no position selected" in w.message.value
    assert "Traceback" not in w.message.value and "went wrong" not in w.message.value
    assert w.desk.account_summary() == before


def test_refusals_show_the_numbers_and_change_nothing():
    w = widgets.desk_widget()
    ticket(w, margin=1_000.0, leverage=10.0)         # 1,000 + fee + gas > the wallet
    assert "⚠" in w.message.value and "1,000" in w.message.value
    w.buttons["confirm"].click()
    assert "order refused" in w.message.value and w.desk.positions == []
    ticket(w, market="NEWAI", mode="cross", margin=50.0, leverage=2.0)
    assert "isolated only" in w.message.value
    ticket(w, mode="isolated", leverage=10.0)
    assert "at most 5" in w.message.value
    ticket(w, leverage=2.0, mode="cross")
    w.confirm()
    assert "isolated only" in w.message.value and w.desk.positions == []
    ticket(w, market="AGENT", mode="cross", leverage=5.0)
    w.confirm()
    w.buttons["add_margin"].click()                 # cross: refused, deposit instead
    assert "add margin refused" in w.message.value and "cross" in w.message.value


def test_every_scenario_button_advances_time_and_the_reset_starts_again():
    w = widgets.desk_widget()
    w.confirm()
    t = []
    for key in ("funding", "rally", "leverage_cut", "crash"):
        w.buttons[key].click()
        t.append(w.desk.time)
        assert "refused" not in w.message.value and "✔" in w.message.value
    assert t == [8.0, 9.0, 10.0, 11.0]
    assert w.desk.markets["AGENT"].max_leverage == 4.0
    assert "LEVERAGE CUT" in w.log_panel.value
    assert abs(w.desk.conservation_error()) < 1e-9
    w.buttons["reset"].click()
    assert w.desk.time == 0 and w.desk.positions == [] and w.controls["position"].value is None
    assert w.plot.artists["equity"].get_ydata().tolist() == [1_000.0]


def test_switch_button_moves_the_position_to_the_other_mode():
    w = widgets.desk_widget()
    w.confirm()
    w.buttons["switch"].click()
    row = w.desk.blotter()[0]
    assert row["mode"] == "cross" and w.controls["position"].value == row["position"]
    assert "Switched AGENT #1 to cross" in w.message.value


def test_html_panels_and_bad_builder_arguments():
    desk = Desk()
    assert "no open position" in blotter_html(desk)
    assert "1,000.00" in account_html(desk) and "Deposited" in log_html(desk)
    with pytest.raises(ValueError, match="desk"):
        widgets.desk_widget(desk="not a desk")
    with pytest.raises(ValueError, match="market"):
        widgets.desk_widget(market="BTC")


def test_the_ticket_and_the_selected_position_are_drawn():
    w = widgets.desk_widget()
    _, y = w.plot.artists["quote"].get_data()
    q = w.desk.quote("AGENT", "long", mode="isolated", margin=100, leverage=10)
    assert list(y) == [q.liquidation_price] * 2
    w.controls["leverage"].value = 5.0
    assert w.plot.artists["quote"].get_data()[1][0] == pytest.approx(
        w.desk.quote("AGENT", "long", mode="isolated", margin=100, leverage=5).liquidation_price)
    w.controls["margin"].value = 1_000.0                    # refused: no estimate drawn
    assert len(w.plot.artists["quote"].get_data()[1]) == 0
    w.controls["margin"].value = 100.0
    w.confirm()
    name = w.controls["position"].value
    _, sel = w.plot.artists["selected"].get_data()
    assert list(sel) == [w.desk.blotter()[0]["liquidation_price"]]
    w.controls["amount"].value = 100.0
    trial = w.desk.account
    trial.add_margin(name, amount=100.0)
    assert list(w.plot.artists["preview"].get_data()[1]) == [trial.liquidation_price(name)]
    w.controls["market"].value = "NEURAL"                   # the position is on AGENT
    assert len(w.plot.artists["selected"].get_data()[1]) == 0
