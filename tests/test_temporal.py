"""The time semantics of cstograph.temporal: windows, bound readings, possible and certain."""

from __future__ import annotations

from datetime import date

import pytest

from cstograph.errors import DateSpecError
from cstograph.model.terms import CST
from cstograph.temporal import (
    FOREVER,
    bound_range,
    in_effect,
    parse_date_spec,
    window,
)


@pytest.mark.parametrize(
    "text,first,precision",
    [
        ("2007", date(2007, 1, 1), "year"),
        ("2007-02", date(2007, 2, 1), "month"),
        ("2007-02-28", date(2007, 2, 28), "day"),
        (" 1992-05 ", date(1992, 5, 1), "month"),
    ],
)
def test_parse_date_spec(text, first, precision):
    assert parse_date_spec(text) == (first, precision)


@pytest.mark.parametrize("text", ["07", "2007-2", "2007-13", "2007-02-30", "May 2007", ""])
def test_bad_dates_are_refused(text):
    with pytest.raises(DateSpecError):
        parse_date_spec(text)


def test_windows():
    assert window() is None
    year = window(year="2012")
    assert (year.first, year.stop) == (date(2012, 1, 1), date(2013, 1, 1))
    day = window(on="2012-12-19")
    assert (day.first, day.stop) == (date(2012, 12, 19), date(2012, 12, 20))
    coarse = window(on="2012")  # a coarse --on means its first day
    assert (coarse.first, coarse.stop) == (date(2012, 1, 1), date(2012, 1, 2))
    span = window(between=("2005-06", "2013"))  # a coarse --to includes all of it
    assert (span.first, span.stop) == (date(2005, 6, 1), date(2014, 1, 1))
    open_ended = window(between=("2005", None))
    assert open_ended.stop == FOREVER


@pytest.mark.parametrize(
    "kwargs",
    [
        {"year": "2007", "on": "2007-01-01"},
        {"year": "07"},
        {"between": ("2013", "2005")},
        {"between": ("2013-05-02", "2013-05-01")},
    ],
)
def test_bad_windows_are_refused(kwargs):
    with pytest.raises(DateSpecError):
        window(**kwargs)


def test_bound_readings():
    assert bound_range(date(2012, 12, 19), "day", None, is_end=True) == (
        date(2012, 12, 19),
        date(2012, 12, 19),
    )
    assert bound_range(date(2003, 1, 1), "year", None, is_end=False) == (
        date(2003, 1, 1),
        date(2003, 12, 31),
    )
    assert bound_range(date(2005, 3, 1), "month", None, is_end=False)[1] == date(2005, 3, 31)
    low, high = bound_range(date(2002, 5, 1), "month", CST.NotEarlierThan, is_end=False)
    assert (low, high) == (date(2002, 5, 1), FOREVER)
    assert bound_range(None, None, None, is_end=True) == (FOREVER, FOREVER)


def effect(start, sp, end, ep, **question):
    return in_effect(
        bound_range(start, sp, None, is_end=False),
        bound_range(end, ep, None, is_end=True),
        window(**question),
    )


def test_exact_end_is_exclusive():
    args = (date(2001, 6, 15), "day", date(2012, 12, 19), "day")
    assert effect(*args, on="2012-12-18") == (True, True)
    assert effect(*args, on="2012-12-19") == (False, False)
    assert effect(*args, year="2012") == (True, True)
    assert effect(*args, year="2013") == (False, False)


def test_exact_start_is_inclusive():
    args = (date(2001, 6, 15), "day", None, None)
    assert effect(*args, on="2001-06-14") == (False, False)
    assert effect(*args, on="2001-06-15") == (True, True)


def test_year_only_bounds_are_uncertain_inside_their_year():
    args = (date(2003, 1, 1), "year", date(2010, 1, 1), "year")
    assert effect(*args, year="2003") == (True, True)  # surely in effect at some time in 2003
    assert effect(*args, on="2003-06-01") == (True, False)
    assert effect(*args, on="2007-06-01") == (True, True)
    assert effect(*args, on="2010-06-01") == (True, False)
    assert effect(*args, year="2010") == (True, False)  # may have ended on 1 January
    assert effect(*args, year="2011") == (False, False)
    assert effect(*args, on="2002-12-31") == (False, False)


def test_open_interval_never_ends():
    args = (date(2005, 3, 1), "month", None, None)
    assert effect(*args, year="2099") == (True, True)
    assert effect(*args, on="2005-03-15") == (True, False)
    assert effect(*args, on="2005-04-01") == (True, True)


def test_no_question_means_all_time():
    assert effect(date(2005, 3, 1), "month", None, None) == (True, True)
