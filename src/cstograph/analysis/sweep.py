"""The yearly snapshots of a range, from one sweep.

:func:`snapshots` visits the sorted year boundaries at which relations enter, leave, or
become certain or uncertain (:func:`cstograph.temporal.year_span`), and changes only those
relations in the adjacency of :mod:`cstograph.analysis.snapshot`; it gives the same graphs as
calling :func:`~cstograph.analysis.snapshot.snapshot` for each year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from datetime import date

import networkx as nx

from cstograph.analysis.snapshot import _describe, _pool, _Sweep
from cstograph.errors import RangeError
from cstograph.gcpause import paused
from cstograph.index.history import History, Relation
from cstograph.temporal import LAST_ASKABLE_YEAR, Grade, YearSpan, window, year_span

__all__ = ["RangeError", "snapshots"]


def snapshots(
    history: History,
    start: int,
    end: int,
    *,
    kinds: Collection[str] | None = None,
    orgs: Iterable[str] | None = None,
    possible: bool = False,
) -> Iterator[tuple[int, nx.MultiDiGraph[str]]]:
    """Yield ``(year, snapshot)`` for every year from ``start`` to ``end`` inclusive.

    One sweep: each relation's :func:`~cstograph.temporal.year_span` gives up to four
    boundary years (it may enter, become certain, become uncertain, leave); the sweep visits
    the years in order and updates only the relations with a boundary there. Each yielded
    graph equals ``snapshot(history, year=year, kinds=kinds, orgs=orgs)``.

    The yearly graphs share structure, so that a long range costs little more than its
    changes: a year's graph copies only the adjacency entries that changed since the year
    before and reuses the others, and node and edge attribute dicts are shared between
    years. Each graph is therefore frozen (:func:`networkx.freeze`: adding or removing
    nodes and edges raises ``NetworkXError``), and its attribute dicts must be read, not
    changed. ``graph.copy()`` gives an ordinary graph of one's own to change.

    Over a relation table (:class:`~cstograph.index.table_history.TableHistory`) the first
    year's graph is built from the columns when the caller asks for it, and the sweep makes
    the others only if the caller asks for a second year (the same graphs).

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> swept = dict(snapshots(history, 2001, 2003, kinds=["hosts-base"]))
    >>> sorted(swept), swept[2002].graph["window"]
    ([2001, 2002, 2003], 'during 2002')
    >>> nx.is_frozen(swept[2002]), nx.is_frozen(swept[2002].copy())
    (True, False)
    """
    if not 1 <= start <= end <= LAST_ASKABLE_YEAR:
        raise RangeError(
            f"the years must satisfy 1 <= start <= end <= {LAST_ASKABLE_YEAR}, not {start}..{end}"
        )
    from cstograph.index.table_history import TableHistory

    if isinstance(history, TableHistory):
        # the first year from the table's columns, built when asked for: a caller that stops
        # there pays for one year; the sweep, which must read every relation first, makes
        # the others (for 37 years at 100k relations it took 14-23 s where 37 graphs built
        # from the columns took 67 s, same machine and run)
        from cstograph.analysis.series import table_snapshot
        from cstograph.analysis.snapshot import scope

        within = scope(history, orgs) if orgs is not None else None
        graph = table_snapshot(
            history, window(year=start), kinds=kinds, within=within, possible=possible
        )
        _describe(graph, window(year=start), start)
        yield start, nx.freeze(graph)
        if start == end:
            return
        start += 1
    yield from _swept(history, start, end, kinds=kinds, orgs=orgs, possible=possible)


def _swept(
    history: History,
    start: int,
    end: int,
    *,
    kinds: Collection[str] | None,
    orgs: Iterable[str] | None,
    possible: bool,
) -> Iterator[tuple[int, nx.MultiDiGraph[str]]]:
    """:func:`snapshots` by one sweep over the relation records."""
    # one (relation, span) entry per relation, in the list of each year its state changes;
    # relations share spans (a million relations have a few thousand)
    boundaries: dict[int, list[tuple[Relation, YearSpan]]] = defaultdict(list)
    spans: dict[tuple[tuple[date, date], ...], YearSpan] = {}
    for relation in _pool(history, kinds, orgs):
        ranges = (
            relation.start_range,
            relation.end_range,
            relation.start_period,
            relation.end_period,
        )
        span = spans.get(ranges)
        if span is None:
            span = spans[ranges] = year_span(relation)
        entry = (relation, span)
        bounds = span.boundaries()
        if min(bounds) <= start:  # its state at start needs setting
            boundaries[start].append(entry)
        for bound in bounds:
            if start < bound <= end:
                boundaries[bound].append(entry)
    del spans
    sweep = _Sweep(history)
    for year in range(start, end + 1):
        with paused():  # the caller's code between years runs with it as it was
            sweep.next_year()
            for relation, span in boundaries.pop(year, ()):
                found = span.grade(year)
                if found is None or (found is Grade.NOT_EXCLUDED and not possible):
                    sweep.drop(relation)
                else:
                    sweep.put(relation, found)
            graph = sweep.graph()
            _describe(graph, window(year=year), year)
        yield year, nx.freeze(graph)
        _drop_cached_views(graph)


def _drop_cached_views(graph: nx.MultiDiGraph[str]) -> None:
    """Break the cycles graph -> cached view -> graph (networkx caches ``G.edges``,
    ``G.degree`` ... on the graph, and they hold it) once the caller has moved on, so that a
    year's graph is freed as soon as the caller drops it rather than at the next full
    garbage collection: at 100k relations, 37 years of unreachable graphs held 80 MB. A
    view is made again on its next access."""
    for name, value in list(graph.__dict__.items()):
        if getattr(value, "_graph", None) is graph:
            del graph.__dict__[name]
