"""What every exercise checker of the course promises, for every question of every notebook.

Each ``marginlib.course.exercises.chNN`` module holds ``Question`` objects; whatever the
question, the placeholder ``...`` reads as "not answered yet", and every listed misconception
gets its own targeted hint (the chapters' own tests check the expected values by hand).
"""
import importlib
import pkgutil

import pytest

import marginlib.course.exercises as exercises
from marginlib.course.checks import Question

QUESTIONS = {
    f"{info.name}.{name}": obj
    for info in pkgutil.iter_modules(exercises.__path__)
    for name, obj in vars(importlib.import_module(f"{exercises.__name__}.{info.name}")).items()
    if isinstance(obj, Question)
}


def test_every_notebook_has_questions():
    chapters = {key.split(".")[0] for key in QUESTIONS}
    assert {"ch00", "ch01", "ch02", "ch03", "ch04", "ch05", "ch06"} <= chapters


@pytest.mark.parametrize("key", sorted(QUESTIONS))
def test_the_placeholder_is_not_answered_yet(key):
    result = QUESTIONS[key].check(...)
    assert not result.ok and not result.answered and result.reason == "unanswered"


@pytest.mark.parametrize("key", sorted(k for k in QUESTIONS if QUESTIONS[k].misconceptions))
def test_each_misconception_gets_its_own_hint(key):
    question = QUESTIONS[key]
    seen = set()
    for m in question.misconceptions:
        value = m.value if question.decimals is None else round(m.value, question.decimals)
        result = question.check(value)
        assert not result.ok, m.name
        assert result.reason == m.name and result.hint == m.hint, (m.name, result.reason)
        seen.add(result.hint)
    assert len(seen) == len(question.misconceptions), "two misconceptions share a hint"


@pytest.mark.parametrize("key", sorted(k for k in QUESTIONS if QUESTIONS[k].decimals is not None))
def test_no_message_shows_the_expected_value(key):
    """A wrong answer, or a known mistake, never gets the right answer printed back."""
    question = QUESTIONS[key]
    value = float(question.expected)
    shown = f"{value:.{question.decimals}f}"
    for answer in (0.5 * value, 1.5 * value, *(m.value for m in question.misconceptions)):
        assert shown not in question.check(answer).message, answer
