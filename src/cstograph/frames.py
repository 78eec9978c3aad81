"""History answers as pandas DataFrames (pandas is the optional ``frames`` extra).

:func:`to_frame` takes any list of answer records (relations, events, changes, search
matches, source documents) and makes one row per record, one column per field, as kglab's
``query_as_df`` does for SPARQL results: an entity becomes two columns (``subject_id``,
``subject``), a figure its value and unit (``personnel``, ``personnel_unit``), a date a
pandas datetime (``NaT`` when open), a list of entities or sources its ids. :func:`citations_frame`
gives one row per record and source, with the locator and note.

pandas is imported only here, when a frame is made; without it these functions raise
:class:`~cstograph.errors.MissingExtraError` naming the extra to install.

Examples
--------
>>> from cstograph import load
>>> from cstograph.index.history import History
>>> history = History(load())
>>> frame = to_frame(history.members("CSTO", year=2007))
>>> list(frame.columns[:7])
['id', 'label', 'kind', 'subject_id', 'subject', 'object_id', 'object']
>>> frame.loc[frame["subject"] == "Uzbekistan", ["role", "start", "end"]].to_numpy().tolist()
[['full member', Timestamp('2006-08-16 00:00:00'), Timestamp('2012-12-19 00:00:00')]]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from cstograph.errors import MissingExtraError
from cstograph.model.records import Entity, Figure, Source, SourceDocument

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["citations_frame", "to_frame"]

#: The fields read as dates, made pandas datetimes.
_DATES = ("start", "end", "issued")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingExtraError(
            "DataFrames need pandas: pip install 'cstograph[frames]' (or pandas>=2.2)"
        ) from None
    return pandas


def _flat(record: Any) -> dict[str, Any]:
    """One record as a flat row."""
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        raise TypeError(f"to_frame takes answer records, not {type(record).__name__}")
    row: dict[str, Any] = {}
    for item in dataclasses.fields(record):
        name = item.name
        if name.startswith("_"):
            continue
        value = getattr(record, name)
        if isinstance(value, Entity):
            row[f"{name}_id"], row[name] = value.id, value.label
        elif isinstance(value, Figure):
            row[name] = value.value
            row[f"{name}_unit"] = value.unit
            row[f"{name}_approximation"] = value.approximation
        elif isinstance(value, tuple) and value and isinstance(value[0], Source):
            row[name] = sorted({s.id for s in value})
        elif isinstance(value, tuple) and value and isinstance(value[0], Entity):
            row[f"{name.removesuffix('s')}_ids"] = [e.id for e in value]
            row[name] = [e.label for e in value]
        elif isinstance(value, tuple) and value and isinstance(value[0], Figure):
            row[name] = [_figure_text(f) for f in value]
        elif isinstance(record, SourceDocument) and name == "citations":  # how many, of what
            row[name] = len(value)
            for what, column in (
                ("relation", "relations"),
                ("event", "events"),
                ("names", "names"),
            ):
                row[column] = record.cited_by(what)
        elif name == "participants":  # none
            row["participant_ids"], row[name] = [], []
        elif isinstance(value, tuple):
            row[name] = list(value)
        else:
            row[name] = value
    return row


def _figure_text(figure: Figure) -> str:
    approx = "" if figure.approximation in (None, "exactly") else f"{figure.approximation} "
    return f"{approx}{figure.value:g}{' ' + figure.unit if figure.unit else ''}"


def _dates(frame: pd.DataFrame, pandas: Any) -> pd.DataFrame:
    for column in _DATES:
        if column in frame.columns:
            frame[column] = pandas.to_datetime(
                [v.isoformat() if isinstance(v, date) else None for v in frame[column]]
            )
    return frame


def to_frame(records: Iterable[Any], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A DataFrame of answer records: one row per record, one column per field.

    Parameters
    ----------
    records
        What :class:`~cstograph.index.history.History` and the lookups answer: relations,
        events, changes, search matches or source documents (one kind per frame; a
        timeline's relations and events share the columns they have in common and leave
        the others empty).
    columns
        Only these columns, in this order (default: every field).

    Raises
    ------
    MissingExtraError
        pandas is not installed.
    """
    pandas = _pandas()
    rows = [_flat(record) for record in records]
    frame: pd.DataFrame = _dates(pandas.DataFrame(rows), pandas)
    if columns is not None:
        frame = frame[list(columns)]
    return frame


def citations_frame(records: Iterable[Any]) -> pd.DataFrame:
    """One row per record and source it cites: ``id`` (the record), ``label``,
    ``source``, ``title``, ``locator``, ``note``.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.index.history import History
    >>> history = History(load())
    >>> frame = citations_frame(history.relations("hosts-base", subject="Azerbaijan"))
    >>> sorted(frame["source"].unique())[:2]
    ['cs:source-mfa-az-gabala-termination', 'cs:source-rferl-2002-qabala']
    """
    pandas = _pandas()
    rows = [
        {
            "id": record.id,
            "label": record.label,
            "source": source.id,
            "title": source.title,
            "locator": source.locator,
            "note": source.note,
        }
        for record in records
        for source in record.sources
    ]
    columns = ["id", "label", "source", "title", "locator", "note"]
    frame: pd.DataFrame = pandas.DataFrame(rows, columns=columns)
    return frame
