"""Time semantics, owned here and nowhere else.

- A relation holds on day ``d`` iff ``start <= d < end`` (half-open; no end = ongoing).
- A bound stored with month or year precision is the first day of that month or year; the
  true date is some day within it. A bound qualified ``cst:NotLaterThan`` may be any earlier
  day too, one qualified ``cst:NotEarlierThan`` any later day.
- A question is a :class:`Window` of days ``[first, stop)``: ``--on D`` is the one day D
  (a coarse D means its first day), ``--year Y`` is every day of Y, ``--from A --to B`` runs
  from the first day of A through the last day of B (a coarse B includes all of it).
- A relation is *possibly* in effect in a window when some reading of its bounds puts a day
  of the relation in the window; it is *certainly* in effect when every reading does: when
  it cannot have ended before the window nor begun after it.
- Answers grade each relation in a window (:func:`grade`): **held** (certainly in effect:
  the window overlaps the days after the latest possible start and before the earliest
  possible end); **bounds imprecise** (not held, but the window touches the month or year a
  bound is known to); **not excluded** (only a "by" / "or later" qualifier lets the relation
  reach the window: no source says anything about it there). Answers show the first two by
  default and the third only when asked (``possible=True``, ``--possible``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from rdflib import URIRef

from cstograph.errors import DateSpecError
from cstograph.model.terms import CST, TIME

__all__ = [
    "Grade",
    "Precision",
    "Window",
    "YearSpan",
    "bound_range",
    "bound_text",
    "grade",
    "grade_rows",
    "graded",
    "occurrence_end",
    "parse_date_spec",
    "possible_rows",
    "recorded_range",
    "recorded_rows",
    "window",
    "year_span",
]

DAY = timedelta(days=1)
#: A date later than any real one, standing for "no end" and "unbounded above".
FOREVER = date.max
#: A date earlier than any real one, for "unbounded below".
BEGINNING = date.min


class Precision:
    """The precision names used in records and on the command line."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"

    BY_UNIT: ClassVar[dict[URIRef, str]] = {
        TIME.unitDay: DAY,
        TIME.unitMonth: MONTH,
        TIME.unitYear: YEAR,
    }
    UNIT: ClassVar[dict[str, URIRef]] = {v: k for k, v in BY_UNIT.items()}


# The last year a question may name: the window of a day, month or year ends on the next one,
# and Python's dates end with 9999.
LAST_ASKABLE_YEAR = 9998

_SPEC = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _next(first: date, precision: str) -> date:
    """The first day after the month or year (or day) that starts at ``first``."""
    if precision == Precision.YEAR:
        return date(first.year + 1, 1, 1)
    if precision == Precision.MONTH:
        return date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first + DAY


def parse_date_spec(text: str) -> tuple[date, str]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into its first day and its precision.

    Examples
    --------
    >>> parse_date_spec("2007")
    (datetime.date(2007, 1, 1), 'year')
    >>> parse_date_spec("2012-12-19")
    (datetime.date(2012, 12, 19), 'day')
    """
    match = _SPEC.fullmatch(text.strip())
    if not match:
        raise DateSpecError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if year > LAST_ASKABLE_YEAR:  # a question's window ends the day after: it must exist
        raise DateSpecError(
            f"{text!r} is out of range: questions reach the year {LAST_ASKABLE_YEAR} at most"
        )
    try:
        first = date(year, month or 1, day or 1)
    except ValueError as exc:
        raise DateSpecError(f"{text!r} is not a date: {exc}") from None
    precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
    return first, precision


@dataclass(frozen=True)
class Window:
    """The days ``[first, stop)`` a question is about."""

    first: date
    stop: date
    text: str

    def __str__(self) -> str:
        return self.text


def window(
    *,
    year: int | str | None = None,
    on: date | str | None = None,
    between: tuple[date | str | None, date | str | None] | None = None,
) -> Window | None:
    """Build the window of a question; at most one of ``year``, ``on``, ``between``.

    Returns ``None`` when none is given (no time filter). Either end of ``between`` may be
    ``None``: open on that side.

    Examples
    --------
    >>> window(year=2007)
    Window(first=datetime.date(2007, 1, 1), stop=datetime.date(2008, 1, 1), text='during 2007')
    >>> window(on="2012-12")
    Window(first=datetime.date(2012, 12, 1), stop=datetime.date(2012, 12, 2), text='on 2012-12-01')
    >>> window(between=("2005", "2013")).stop
    datetime.date(2014, 1, 1)
    """
    given = [
        name for name, v in (("year", year), ("on", on), ("between", between)) if v is not None
    ]
    if len(given) > 1:
        raise DateSpecError(f"give one of year, on, from/to, not {' and '.join(given)}")
    if year is not None:
        text = str(year)
        if not re.fullmatch(r"\d{4}", text.strip()):
            raise DateSpecError(f"{text!r} is not a year: use YYYY")
        first, _ = parse_date_spec(text)
        return Window(first, _next(first, Precision.YEAR), f"during {first.year}")
    if on is not None:
        first = on if isinstance(on, date) else parse_date_spec(on)[0]
        return Window(first, first + DAY, f"on {first.isoformat()}")
    if between is not None:
        low, high = between
        if low is None and high is None:
            return None
        if low is None:
            first = BEGINNING
        else:
            first = low if isinstance(low, date) else parse_date_spec(low)[0]
        if high is None:
            stop = FOREVER
        elif isinstance(high, date):
            stop = high + DAY
        else:
            last_first, precision = parse_date_spec(high)
            stop = _next(last_first, precision)
        if stop <= first:
            raise DateSpecError(f"the range starts ({low}) after it ends ({high})")
        last = "ongoing" if stop == FOREVER else (stop - DAY).isoformat()
        return Window(first, stop, f"from {first.isoformat()} to {last}")
    return None


def window_years(low: str | None, high: str | None) -> tuple[int | None, int | None]:
    """The first and last year the window ``--from low --to high`` touches.

    Year-based answers (metrics, diagrams, the report) read ``--from``/``--to`` as every
    other command does, as the window from the first day of ``low`` through the last day of
    ``high``, and cover each year that window touches. A side not given is ``None``.

    Raises
    ------
    DateSpecError
        A side is not a date, or the window starts after it ends.

    Examples
    --------
    >>> window_years("2005", "2008"), window_years("2005-06", "2008-03-31")
    ((2005, 2008), (2005, 2008))
    >>> window_years(None, "2012-12")
    (None, 2012)
    """
    if low is None and high is None:
        return None, None
    span = window(between=(low, high))
    assert span is not None
    first = None if low is None else span.first.year
    last = None if high is None else (span.stop - DAY).year
    return first, last


def bound_range(
    value: date | None, precision: str | None, qualifier: URIRef | None, *, is_end: bool
) -> tuple[date, date]:
    """The earliest and latest day a stored bound can stand for.

    A missing end stands for "still in effect": both readings are :data:`FOREVER`.

    Examples
    --------
    >>> bound_range(date(2003, 1, 1), "year", None, is_end=False)
    (datetime.date(2003, 1, 1), datetime.date(2003, 12, 31))
    >>> bound_range(date(2006, 1, 14), "day", CST.NotLaterThan, is_end=False)
    (datetime.date(1, 1, 1), datetime.date(2006, 1, 14))
    """
    if value is None:
        return (FOREVER, FOREVER) if is_end else (BEGINNING, BEGINNING)
    low, high = value, _next(value, precision or Precision.DAY) - DAY
    if qualifier == CST.NotLaterThan:
        low = BEGINNING
    elif qualifier == CST.NotEarlierThan:
        high = FOREVER
    return low, high


def occurrence_end(start: tuple[date, date]) -> tuple[date, date]:
    """The (exclusive) end range of an event stored without an end: it happened on one day,
    some day of its start's range, so it ends the day after that day.

    An event with a ``schema:endDate`` spans ``[start, end)`` as a relation does (its end
    read by :func:`bound_range`); one without an end is a point, not ongoing.

    Examples
    --------
    >>> occurrence_end(bound_range(date(2022, 1, 6), "day", None, is_end=False))
    (datetime.date(2022, 1, 7), datetime.date(2022, 1, 7))
    >>> occurrence_end(bound_range(date(2006, 1, 1), "year", None, is_end=False))
    (datetime.date(2006, 1, 2), datetime.date(2007, 1, 1))
    >>> occurrence_end(bound_range(date(2002, 5, 1), "month", CST.NotEarlierThan, is_end=False))
    (datetime.date(2002, 5, 2), datetime.date(9999, 12, 31))
    """
    low, high = start
    return (low + DAY, high if high == FOREVER else high + DAY)


def in_effect(
    start: tuple[date, date], end: tuple[date, date], question: Window | None
) -> tuple[bool, bool]:
    """Whether a relation is possibly, and certainly, in effect at some day of ``question``.

    ``start`` and ``end`` are :func:`bound_range` results: the true start lies in
    ``start``, the true (exclusive) end in ``end``. With no question, every relation is in
    effect and certain.
    """
    if question is None:
        return True, True
    earliest_start, latest_start = start
    earliest_end, latest_end = end
    possible = earliest_start < question.stop and latest_end > question.first
    # A reading avoids the window only by lying wholly before it (ending by its first day)
    # or wholly after it (starting on or after its stop); certain when neither can happen.
    certain = possible and earliest_end > question.first and latest_start < question.stop
    return possible, certain


def possible_rows(earliest_start: Any, latest_end: Any, question: Window | None) -> Any:
    """:func:`in_effect`'s *possible*, for arrays of day numbers (``date.toordinal()``) of
    many relations at once: a NumPy boolean array (``True`` everywhere without a question).
    Every relation :func:`grade` grades in ``question`` is among these."""
    import numpy as np

    if question is None:
        return np.ones(len(earliest_start), dtype=bool)
    stop, first = question.stop.toordinal(), question.first.toordinal()
    return (np.asarray(earliest_start) < stop) & (np.asarray(latest_end) > first)


def recorded_rows(days: Any, precisions: Any, *, is_end: bool) -> tuple[Any, Any]:
    """:func:`recorded_range` for arrays: the first and last day (``date.toordinal()``)
    each stored bound's precision covers; ``days`` are day numbers (0 for no bound: an open
    end), ``precisions`` codes 0, 1, 2 for day, month, year."""
    import numpy as np

    days = np.asarray(days, dtype=np.int64)
    precisions = np.asarray(precisions)
    epoch = date(1970, 1, 1).toordinal()
    stamps = (days - epoch).astype("datetime64[D]")
    month_end = (stamps.astype("datetime64[M]") + 1).astype("datetime64[D]")
    year_end = (stamps.astype("datetime64[Y]") + 1).astype("datetime64[D]")
    nexts = (
        np.where(
            precisions == 2, year_end, np.where(precisions == 1, month_end, stamps + 1)
        ).astype(np.int64)
        + epoch
    )
    low, high = days.copy(), nexts - 1
    missing = days == 0
    none = FOREVER.toordinal() if is_end else BEGINNING.toordinal()
    low[missing], high[missing] = none, none
    return low, high


#: The codes :func:`grade_rows` gives: not in effect, then each :class:`Grade` in order.
NOT_IN_EFFECT, HELD_CODE, IMPRECISE_CODE, NOT_EXCLUDED_CODE = -1, 0, 1, 2


def grade_rows(columns: Any, question: Window | None) -> Any:
    """:func:`grade` for many relations at once: ``columns`` maps ``s_lo``, ``s_hi``,
    ``e_lo``, ``e_hi`` (the bound ranges) and ``sp_lo``, ``sp_hi``, ``ep_lo``, ``ep_hi`` (the
    stored bounds' periods) to arrays of day numbers (``date.toordinal()``); the result is
    an ``int8`` array of :data:`HELD_CODE`, :data:`IMPRECISE_CODE`,
    :data:`NOT_EXCLUDED_CODE` or :data:`NOT_IN_EFFECT`, row by row what :func:`grade` says.
    """
    import numpy as np

    rows = len(columns["s_lo"])
    if question is None:
        return np.zeros(rows, dtype=np.int8)
    stop, first = question.stop.toordinal(), question.first.toordinal()

    def col(name: str) -> Any:
        return np.asarray(columns[name])

    possible = (col("s_lo") < stop) & (col("e_hi") > first)
    certain = possible & (col("e_lo") > first) & (col("s_hi") < stop)
    touches = ((col("sp_lo") < stop) & (col("sp_hi") >= first)) | (
        (col("ep_lo") < stop) & (col("ep_hi") >= first)
    )
    codes = np.full(rows, NOT_IN_EFFECT, dtype=np.int8)
    codes[possible] = NOT_EXCLUDED_CODE
    codes[possible & touches] = IMPRECISE_CODE
    codes[certain] = HELD_CODE
    return codes


class Grade(StrEnum):
    """How surely a relation held in a window (see the module docstring)."""

    HELD = "held"
    IMPRECISE = "bounds imprecise"
    NOT_EXCLUDED = "not excluded"


def grade(
    start: tuple[date, date],
    end: tuple[date, date],
    start_period: tuple[date, date],
    end_period: tuple[date, date],
    question: Window | None,
) -> Grade | None:
    """The grade of a relation in ``question``, or None when it cannot have held there.

    ``start`` and ``end`` are :func:`bound_range` results (with the bounds' qualifiers);
    ``start_period`` and ``end_period`` the days each stored bound's precision covers
    (:func:`recorded_range`). Held: every reading of the bounds puts the relation in the
    window. Bounds imprecise: not held, but the window touches the day, month or year a bound
    is known to. Not excluded: only a "by" or "or later" qualifier lets the relation reach the
    window. With no question every relation is held.

    Examples
    --------
    >>> by_2006 = bound_range(date(2006, 1, 14), "day", CST.NotLaterThan, is_end=False)
    >>> or_later = bound_range(date(2006, 1, 15), "day", CST.NotEarlierThan, is_end=True)
    >>> day_14 = recorded_range(date(2006, 1, 14), "day", is_end=False)
    >>> day_15 = recorded_range(date(2006, 1, 15), "day", is_end=True)
    >>> grade(by_2006, or_later, day_14, day_15, window(on="2006-01-14"))
    <Grade.HELD: 'held'>
    >>> grade(by_2006, or_later, day_14, day_15, window(year=2019))
    <Grade.NOT_EXCLUDED: 'not excluded'>
    >>> start = bound_range(date(2003, 9, 22), "day", None, is_end=False)
    >>> year_2017 = bound_range(date(2017, 1, 1), "year", None, is_end=True)
    >>> grade(start, year_2017, start, year_2017, window(year=2016))
    <Grade.HELD: 'held'>
    >>> grade(start, year_2017, start, year_2017, window(year=2017))
    <Grade.IMPRECISE: 'bounds imprecise'>
    >>> grade(start, year_2017, start, year_2017, window(year=2018)) is None
    True
    """
    possible, certain = in_effect(start, end, question)
    if not possible:
        return None
    if certain or question is None:
        return Grade.HELD
    for low, high in (start_period, end_period):
        if low < question.stop and high >= question.first:
            return Grade.IMPRECISE
    return Grade.NOT_EXCLUDED


def recorded_range(value: date | None, precision: str | None, *, is_end: bool) -> tuple[date, date]:
    """:func:`bound_range` without a qualifier: the days a bound's precision allows."""
    return bound_range(value, precision, None, is_end=is_end)


# Writing a bound -----------------------------------------------------------------------------

_QUALIFIED = {"not later than": "by {}", "not earlier than": "{} or later"}


def bound_text(
    value: date | None, precision: str | None, qualifier: str | None, *, open_text: str = ""
) -> str:
    """A date as precise as it is known: ``2003``, ``2002-05``, ``2006-01-14``, with
    ``by ...`` or ``... or later`` for qualified bounds.

    Examples
    --------
    >>> bound_text(date(2002, 5, 1), "month", "not earlier than")
    '2002-05 or later'
    >>> bound_text(None, None, None, open_text="ongoing")
    'ongoing'
    """
    if value is None:
        return open_text
    text = {"year": value.strftime("%Y"), "month": value.strftime("%Y-%m")}.get(
        precision or "day", value.isoformat()
    )
    return _QUALIFIED.get(qualifier or "", "{}").format(text)


# Years ---------------------------------------------------------------------------------------


class Bounded(Protocol):
    """Anything with the bound ranges of :func:`bound_range` (a relation record)."""

    @property
    def start_range(self) -> tuple[date, date]: ...

    @property
    def end_range(self) -> tuple[date, date]: ...


@dataclass(frozen=True, slots=True)
class YearSpan:
    """The years a relation is possibly in effect, those it certainly is, and those its
    bounds' periods touch (first, last inclusive; ``first > last`` when none)."""

    possible: tuple[int, int]
    certain: tuple[int, int]
    start_period: tuple[int, int] = (1, 0)
    end_period: tuple[int, int] = (1, 0)

    def state(self, year: int) -> tuple[bool, bool]:
        """``(possible, certain)`` during ``year``, as :func:`in_effect` says."""
        possible = self.possible[0] <= year <= self.possible[1]
        return possible, possible and self.certain[0] <= year <= self.certain[1]

    def grade(self, year: int) -> Grade | None:
        """The :func:`grade` of the relation during ``year``."""
        possible, certain = self.state(year)
        if not possible:
            return None
        if certain:
            return Grade.HELD
        for first, last in (self.start_period, self.end_period):
            if first <= year <= last:
                return Grade.IMPRECISE
        return Grade.NOT_EXCLUDED

    def boundaries(self) -> set[int]:
        """The years at which the relation's grade may change."""
        found = {self.possible[0], self.possible[1] + 1, self.certain[0], self.certain[1] + 1}
        for first, last in (self.start_period, self.end_period):
            if first <= last:
                found |= {first, last + 1}
        return found


def _last_year_before(stop: date) -> int:
    """The last year having a day before ``stop`` (an exclusive end)."""
    return stop.year - 1 if (stop.month, stop.day) == (1, 1) else stop.year


def year_span(relation: Bounded | Periods) -> YearSpan:
    """The years of :func:`in_effect` with a year window, from the relation's bound ranges.

    During year Y (days ``[Y-01-01, (Y+1)-01-01)``) a relation is possible when its earliest
    start is before the window's stop and its latest end after the window's first day, and
    certain when also its latest start is before the stop and its earliest end after the
    first day.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.index.history import History
    >>> history = History(load())
    >>> division = "cs:russia-201st-division"
    >>> [r] = history.relations("hosts-base", subject="Tajikistan", object=division)
    >>> span = year_span(r)
    >>> span.possible, span.certain, span.start_period, span.end_period
    ((1992, 2004), (1992, 2004), (1992, 1992), (2004, 2004))
    """
    (earliest_start, latest_start), (earliest_end, latest_end) = (
        relation.start_range,
        relation.end_range,
    )
    periods: list[tuple[int, int]] = []
    for name in ("start_period", "end_period"):
        period = getattr(relation, name, None)
        periods.append((period[0].year, period[1].year) if period is not None else (1, 0))
    return YearSpan(
        (earliest_start.year, _last_year_before(latest_end)),
        (latest_start.year, _last_year_before(earliest_end)),
        *periods,
    )


class Periods(Bounded, Protocol):
    """What :func:`graded` reads of a relation record: its bound ranges and periods."""

    @property
    def start_period(self) -> tuple[date, date]: ...

    @property
    def end_period(self) -> tuple[date, date]: ...


def graded(relation: Periods, question: Window | None) -> Grade | None:
    """:func:`grade` of a relation record."""
    return grade(
        relation.start_range,
        relation.end_range,
        relation.start_period,
        relation.end_period,
        question,
    )
