"""Years without building graphs: snapshots and per-year series straight from the columns of
a relation table (:mod:`cstograph.index.table`).

:func:`table_snapshot` builds one window's :class:`networkx.MultiDiGraph` from the arrays
(the rows graded in the window by :func:`cstograph.temporal.grade_rows`, their attributes
from the table's columns): the graph :func:`cstograph.analysis.snapshot.snapshot` makes from
records, without a record per relation. :func:`year_grades` grades every row in every year
of a range at once, and :func:`series` counts from it, for all years together, the edges, the
distinct (subject, object) pairs and each entity's distinct neighbours and degree.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from typing import Any

import networkx as nx
import numpy as np

from cstograph.analysis.metrics import YearSnapshot
from cstograph.index.table import PRECISIONS
from cstograph.index.table_history import TableHistory
from cstograph.model.kinds import kind as known_kind
from cstograph.temporal import (
    HELD_CODE,
    NOT_EXCLUDED_CODE,
    NOT_IN_EFFECT,
    Grade,
    Window,
    grade_rows,
    window,
)

__all__ = [
    "Series",
    "rows_in_scope",
    "series",
    "table_snapshot",
    "table_years",
    "year_grades",
]

_GRADES = {HELD_CODE: Grade.HELD, 1: Grade.IMPRECISE, NOT_EXCLUDED_CODE: Grade.NOT_EXCLUDED}
_BOUNDS = ("s_lo", "s_hi", "e_lo", "e_hi", "sp_lo", "sp_hi", "ep_lo", "ep_hi")


@lru_cache(maxsize=1 << 16)
def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def rows_in_scope(
    history: TableHistory, kinds: Collection[str] | None, within: set[str] | None
) -> Any:
    """A boolean array of the rows a snapshot may show: the claims the index shows, of
    ``kinds``, whose object (or post's organization) is in ``within`` (entity ids)."""
    table = history.table
    mask = history._shown.copy()
    if kinds is not None:
        for name in sorted(kinds):
            known_kind(name)  # unknown names fail here
        codes = [table.kinds.index(k) for k in kinds if k in table.kinds]
        mask &= np.isin(np.asarray(table.column("kind")), codes)
    if within is not None:
        terms = [t for t in (history._term(e) for e in within) if t is not None]
        mask &= np.isin(np.asarray(table.column("object")), terms) | np.isin(
            np.asarray(table.column("organization")), terms
        )
    return mask


def table_snapshot(
    history: TableHistory,
    question: Window | None,
    *,
    kinds: Collection[str] | None = None,
    within: set[str] | None = None,
    possible: bool = False,
) -> nx.MultiDiGraph[str]:
    """The snapshot of ``question`` from the table's columns: the graph
    :func:`~cstograph.analysis.snapshot.snapshot` makes (same nodes, edges, attributes and
    order), with ``within`` the entity ids of its ``orgs`` (:func:`scope`)."""
    table = history.table
    columns = {name: table.column(name) for name in _BOUNDS}
    codes = grade_rows(columns, question)
    chosen = rows_in_scope(history, kinds, within) & (codes != NOT_IN_EFFECT)
    if not possible:
        chosen &= codes != NOT_EXCLUDED_CODE
    rows = np.flatnonzero(chosen)
    take = {
        name: np.asarray(table.column(name))[rows].tolist()
        for name in (
            "node",
            "kind",
            "subject",
            "object",
            "operator",
            "role",
            "start",
            "end",
            "sp",
            "ep",
            "sq",
            "eq",
        )
    }
    grades = codes[rows].tolist()
    shorts, labels = table.strings("short"), table.strings("label")
    edge_labels, edge_sources = table.strings("relation_label"), table.strings("relation_sources")
    relation_ids = table.strings("relation_id")
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    node: dict[str, dict[str, str]] = graph._node  # type: ignore[attr-defined]
    succ: dict[str, dict[str, dict[str, Any]]] = graph._succ  # type: ignore[attr-defined]
    pred: dict[str, dict[str, dict[str, Any]]] = graph._pred  # type: ignore[attr-defined]
    names: dict[int, str] = {}
    edges: dict[int, dict[str, Any]] = {}  # relation node -> its edge's attributes

    def add(term: int) -> str:
        name = names.get(term)
        if name is None:
            name = names[term] = shorts[term]
        if name not in node:
            node[name] = history.term_attributes(term, name, labels[term])
            succ[name] = {}
            pred[name] = {}
        return name

    kind_names = table.kinds
    for i, row in enumerate(rows.tolist()):
        grade = _GRADES[grades[i]]
        first = take["node"][i]
        current = edges.get(first)
        if current is not None:  # the same relation node under another kind
            if current["grade"] != grade.value:
                current.update(certain=grade is Grade.HELD, grade=grade.value)
            continue
        u, v = add(take["subject"][i]), add(take["object"][i])
        role, sq, eq, end, ep = (
            take["role"][i],
            take["sq"][i],
            take["eq"][i],
            take["end"][i],
            take["ep"][i],
        )
        operator = take["operator"][i]
        attrs = edges[first] = {
            "kind": kind_names[take["kind"][i]],
            "label": edge_labels[row],
            "role": labels[role] if role >= 0 else "",
            "role_id": shorts[role] if role >= 0 else "",
            "start": _iso(take["start"][i]),
            "end": _iso(end) if end else "",
            "start_precision": PRECISIONS[take["sp"][i]],
            "end_precision": PRECISIONS[ep] if ep >= 0 else "",
            "start_qualifier": labels[sq] if sq >= 0 else "",
            "end_qualifier": labels[eq] if eq >= 0 else "",
            "certain": grade is Grade.HELD,
            "grade": grade.value,
            "operator": shorts[operator] if operator >= 0 else "",
            "sources": edge_sources[row],
        }
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = succ[u][v] = {}
            pred[v][u] = keydict
        keydict[relation_ids[row]] = attrs
    return graph


def year_grades(
    history: TableHistory,
    years: range,
    *,
    kinds: Collection[str] | None = None,
    within: set[str] | None = None,
    possible: bool = False,
) -> tuple[Any, Any]:
    """Every row in scope graded in every year: ``(rows, included)`` where ``rows`` are the
    row numbers in scope and ``included[y, i]`` says whether row ``rows[i]`` is in the
    snapshot of ``years[y]`` (held or bounds imprecise; not excluded too with
    ``possible``)."""
    table = history.table
    rows = np.flatnonzero(rows_in_scope(history, kinds, within))
    columns = {name: np.asarray(table.column(name))[rows] for name in _BOUNDS}
    included = np.zeros((len(years), len(rows)), dtype=bool)
    for y, year in enumerate(years):
        codes = grade_rows(columns, window(year=year))
        included[y] = (codes != NOT_IN_EFFECT) & (possible | (codes != NOT_EXCLUDED_CODE))
    return rows, included


@dataclass(frozen=True)
class Series:
    """Per-year counts of the yearly snapshots (see :func:`series`).

    Attributes
    ----------
    years
        The years, in order.
    entities
        The entity ids that the degree matrices' columns stand for.
    edges
        Edges per year (one per relation: ``number_of_edges()`` of the snapshot).
    pairs
        Distinct (subject, object) pairs per year.
    degree
        ``degree[y, e]``: edges at entity ``e`` in year ``y`` (``MultiDiGraph.degree``: a
        self-loop counts twice).
    neighbours
        ``neighbours[y, e]``: distinct other entities linked to ``e`` either way.
    """

    years: tuple[int, ...]
    entities: tuple[str, ...]
    edges: Any
    pairs: Any
    degree: Any
    neighbours: Any


def series(
    history: TableHistory,
    start: int,
    end: int,
    *,
    kinds: Collection[str] | None = None,
    possible: bool = False,
) -> Series:
    """Edge and pair counts and each entity's degree and distinct neighbours, for every year
    from ``start`` to ``end`` at once, from the table's columns: the numbers networkx gives
    for each yearly snapshot (:func:`cstograph.analysis.sweep.snapshots`)."""
    table = history.table
    years = range(start, end + 1)
    rows, included = year_grades(history, years, kinds=kinds, possible=possible)
    node = np.asarray(table.column("node"))[rows]
    subject = np.asarray(table.column("subject"))[rows].astype(np.int64)
    obj = np.asarray(table.column("object"))[rows].astype(np.int64)
    used = np.concatenate([subject, obj])
    terms = np.sort(used)
    terms = terms[np.concatenate([[True], terms[1:] != terms[:-1]])] if len(terms) else terms
    u, v = np.searchsorted(terms, subject), np.searchsorted(terms, obj)
    n = len(terms)
    edges = np.zeros(len(years), dtype=np.int64)
    pairs = np.zeros(len(years), dtype=np.int64)
    degree = np.zeros((len(years), n), dtype=np.int64)
    neighbours = np.zeros((len(years), n), dtype=np.int64)
    # one edge per relation node (a node of two kinds is one edge)
    first = _first_of(node)
    for y in range(len(years)):
        mask = included[y] & first
        uy, vy = u[mask], v[mask]
        edges[y] = len(uy)
        pairs[y] = _distinct(uy * n + vy)
        degree[y] = np.bincount(np.concatenate([uy, vy]), minlength=n)
        other = uy != vy
        a, b = np.minimum(uy[other], vy[other]), np.maximum(uy[other], vy[other])
        linked = _unique(a * n + b)
        neighbours[y] = np.bincount(np.concatenate([linked // n, linked % n]), minlength=n)
    shorts = table.strings("short")
    return Series(
        tuple(years),
        tuple(shorts[int(t)] for t in terms),
        edges,
        pairs,
        degree,
        neighbours,
    )


def _first_of(node: Any) -> Any:
    """Whether each row is the first row (in row order) of its relation node."""
    order = np.argsort(node, kind="stable")
    ordered = node[order]
    first_sorted = np.concatenate([[True], ordered[1:] != ordered[:-1]]) if len(node) else ordered
    first = np.zeros(len(node), dtype=bool)
    first[order[first_sorted.astype(bool)]] = True
    return first


def _unique(values: Any) -> Any:
    """The distinct values, sorted (a sort and a mask: faster than ``np.unique`` here)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]


def _distinct(values: Any) -> int:
    return len(_unique(values))


# Metrics over the columns ----------------------------------------------------------------------


def table_years(
    history: TableHistory, start: int, end: int, within: set[str] | None
) -> Iterator[YearSnapshot]:
    """The :class:`~cstograph.analysis.metrics.YearSnapshot` of each year from ``start`` to
    ``end``, its counts (members, contributors, hosted and operated bases, relations and
    those involving Russia) made over the table's columns for all years at once; a year's
    snapshot graph is built (:func:`table_snapshot`) only when a metric needs a graph
    algorithm (the projection's density and centrality)."""
    from cstograph.analysis.metrics import _RUSSIA
    from cstograph.analysis.projection import role_counts
    from cstograph.model.kinds import KINDS

    table = history.table
    years = range(start, end + 1)
    rows, included = year_grades(history, years)
    first = _first_of(np.asarray(table.column("node"))[rows])
    kind = np.asarray(table.column("kind"))[rows]
    subject = np.asarray(table.column("subject"))[rows]
    obj = np.asarray(table.column("object"))[rows]
    operator = np.asarray(table.column("operator"))[rows]
    role = np.asarray(table.column("role"))[rows]
    shorts, labels = history.term_shorts(), table.strings("label")
    by_name = {k.name: k for k in KINDS}
    kinds = [by_name[name] for name in table.kinds]
    # per row: what it counts as, and whether its role counts
    role_ids = {int(t): shorts[int(t)] for t in np.unique(role[role >= 0])}
    counts = np.array(
        [
            role_counts(kinds[k], role_ids.get(r, ""))
            for k, r in zip(kind.tolist(), role.tolist(), strict=True)
        ],
        dtype=bool,
    )
    as_member = np.isin(kind, [i for i, k in enumerate(kinds) if k.counts_as == "member"])
    as_contributor = np.isin(kind, [i for i, k in enumerate(kinds) if k.counts_as == "contributor"])
    hosting = np.isin(kind, [i for i, k in enumerate(kinds) if k.hosting])
    shared_counts = np.isin(kind, [i for i, k in enumerate(kinds) if k.shared]) & counts
    shared_counts &= history.states(subject)  # the projection links states only
    in_scope = np.ones(len(rows), dtype=bool)
    if within is not None:
        in_scope = np.isin(obj, [t for t in (history._term(e) for e in within) if t is not None])
    russia = history._term(_RUSSIA)
    touches_russia = (
        (subject == russia) | (obj == russia) | (operator == russia)
        if russia is not None
        else np.zeros(len(rows), dtype=bool)
    )

    def grouped(keys: Any, values: Any) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for key, value in zip(keys.tolist(), values.tolist(), strict=True):
            found.setdefault(shorts[key], set()).add(shorts[value])
        return found

    previous: dict[str, set[str]] = {}
    # the entities that were nodes of a snapshot so far: a table gives their labels, and
    # the ids of the others (an operator that is no node), as YearSnapshot does
    seen = np.zeros(int(table.meta["terms"]), dtype=bool)
    for y, year in enumerate(years):
        edge = included[y] & first
        seen[subject[edge]] = True
        seen[obj[edge]] = True
        counted = edge & in_scope & counts
        members = grouped(obj[counted & as_member], subject[counted & as_member])
        contributors = grouped(obj[counted & as_contributor], subject[counted & as_contributor])
        hosted = grouped(subject[edge & hosting], obj[edge & hosting])
        operated_rows = edge & hosting & (operator >= 0)
        operated = grouped(operator[operated_rows], obj[operated_rows])
        snapshot_year = _TableYear(
            history,
            year,
            within,
            previous,
            members=members,
            contributors=contributors,
            hosted=hosted,
            operated=operated,
            edges=int(edge.sum()),
            involving_russia=int((edge & touches_russia).sum()),
            label=partial(_label, history, labels, seen.copy()),
            shared=(edge & shared_counts, subject, obj),
        )
        yield snapshot_year
        previous = members


def _label(history: TableHistory, labels: Any, seen: Any, entity: str) -> str:
    term = history._term(entity)
    return labels[term] if term is not None and seen[term] else entity


class _TableYear(YearSnapshot):
    """A :class:`YearSnapshot` whose counts were made over the columns; its graph is built
    on first use."""

    def __init__(
        self,
        history: TableHistory,
        year: int,
        within: set[str] | None,
        previous_members: dict[str, set[str]],
        *,
        members: dict[str, set[str]],
        contributors: dict[str, set[str]],
        hosted: dict[str, set[str]],
        operated: dict[str, set[str]],
        edges: int,
        involving_russia: int,
        label: Callable[[str], str],
        shared: tuple[Any, Any, Any],
    ) -> None:
        self.history = history
        self.year = year
        self.within = within
        self.previous_members = previous_members
        self.members, self.contributors = members, contributors
        self.hosted, self.operated = hosted, operated
        self._edges = edges
        self.involving_russia = involving_russia
        self._label = label
        self._built: nx.MultiDiGraph[str] | None = None
        self._shared = shared
        self._projection: tuple[int, int, dict[str, int]] | None = None

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        if self._built is None:
            question = window(year=self.year)
            self._built = table_snapshot(self.history, question)
            self._built.graph["window"] = question.text if question is not None else ""
            self._built.graph["year"] = self.year
        return self._built

    @property
    def edges(self) -> int:
        return self._edges

    def projection_counts(self) -> tuple[int, int, dict[str, int]]:
        """The projection's counts (:func:`cstograph.analysis.projection.projection`) from
        the columns: states linked when both take part in one organization or force."""
        if self._projection is None:
            self._projection = self._project()
        return self._projection

    def _project(self) -> tuple[int, int, dict[str, int]]:
        history = self.history
        keep, subject, obj = self._shared
        shorts = history.term_shorts()
        if self.within is not None:
            wanted = [t for t in (history._term(e) for e in self.within) if t is not None]
            keep &= np.isin(obj, wanted)
        members, orgs = subject[keep].astype(np.int64), obj[keep].astype(np.int64)
        pairs = _unique(orgs * (1 << 31) + members)  # distinct (organization, state)
        orgs, members = pairs >> 31, pairs & ((1 << 31) - 1)
        nodes = _unique(members)
        if len(nodes) == 0:
            return 0, 0, {}
        index = np.searchsorted(nodes, members)
        n = len(nodes)
        links: list[Any] = []
        starts = np.flatnonzero(np.concatenate([[True], orgs[1:] != orgs[:-1]]))
        ends = np.concatenate([starts[1:], [len(orgs)]])
        for first, last in zip(starts.tolist(), ends.tolist(), strict=True):
            group = index[first:last]
            if len(group) > 1:
                a, b = np.triu_indices(len(group), 1)
                links.append(group[a] * n + group[b])
        linked = _unique(np.concatenate(links)) if links else np.zeros(0, dtype=np.int64)
        degree = np.bincount(np.concatenate([linked // n, linked % n]), minlength=n)
        return n, len(linked), {shorts[int(t)]: int(d) for t, d in zip(nodes, degree, strict=True)}

    def label(self, entity: str) -> str:
        return self._label(entity)
