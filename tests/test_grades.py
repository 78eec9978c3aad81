"""Grades of "held": answers show held and bounds-imprecise relations, and relations that only
a "by" / "or later" bound does not exclude only when asked (the record issue's examples)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cstograph.index.history import History
from cstograph.model.terms import CST
from cstograph.temporal import Grade, bound_range, grade, recorded_range, window


@pytest.fixture(scope="module")
def history(graph):
    return History(graph)


def test_the_2006_secretary_general_is_not_in_office_in_2019(history):
    holders = history.relations("holds-office", year=2019)
    secretaries = {h.subject.label for h in holders if "Secretary General" in h.object.label}
    assert "Nikolai Bordyuzha" not in secretaries
    assert all(h.grade in ("held", "bounds imprecise") for h in holders)
    everyone = history.relations("holds-office", year=2019, possible=True)
    assert len(everyone) > len(holders)
    assert {h.grade for h in everyone} - {h.grade for h in holders} == {"not excluded"}


def test_attestations_of_2003_are_not_among_the_bases_of_2020(history):
    bases = history.relations("hosts-base", subject="Tajikistan", year=2020)
    assert {b.object.label for b in bases} == {"201st Russian military base"}


def test_imprecise_bounds_are_shown_and_marked(history):
    # Kant air base under the 2003 agreement: recorded until 2017 (year precision)
    agreement = "cs:basing-kant-air-base-2003-agreement"
    (kant,) = [r for r in history.relations("hosts-base", year=2017) if r.id == agreement]
    assert kant.grade == "bounds imprecise" and not kant.certain
    (held,) = [r for r in history.relations("hosts-base", year=2016) if r.id == agreement]
    assert held.grade == "held" and held.certain
    assert agreement not in {r.id for r in history.relations("hosts-base", year=2018)}


DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
PRECISIONS = st.sampled_from(["day", "month", "year"])
QUALIFIERS = st.sampled_from([None, CST.NotLaterThan, CST.NotEarlierThan])


def _first(day: date, precision: str) -> date:
    return (
        day.replace(day=1)
        if precision == "month"
        else day.replace(month=1, day=1)
        if precision == "year"
        else day
    )


@given(DAYS, PRECISIONS, QUALIFIERS, DAYS, PRECISIONS, QUALIFIERS, DAYS, st.integers(0, 400))
def test_grades_nest(s, sp, sq, e, ep, eq, first, length):
    """held implies bounds imprecise or better implies possible; a grade is never given
    outside the days any reading allows."""
    from datetime import timedelta

    s, e = _first(s, sp), _first(e, ep)
    start, end = bound_range(s, sp, sq, is_end=False), bound_range(e, ep, eq, is_end=True)
    periods = recorded_range(s, sp, is_end=False), recorded_range(e, ep, is_end=True)
    question = window(between=(first, first + timedelta(days=length)))
    found = grade(start, end, *periods, question)
    earliest_start, latest_end = start[0], end[1]
    reachable = earliest_start < question.stop and latest_end > question.first
    assert (found is not None) == reachable
    if found is Grade.HELD:
        assert start[1] < question.stop and end[0] > question.first
    if sq is None and eq is None and found is not None:
        assert found is not Grade.NOT_EXCLUDED  # only qualifiers make "not excluded"
