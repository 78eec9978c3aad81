"""Numbers over time, computed from the yearly snapshots: one function per metric, and
:data:`METRICS`, one row per metric giving its name, what it is per, its definition and that
function.

A metrics table is tidy: one row per year, metric and entity, with columns ``year``,
``metric``, ``id``, ``entity`` and ``value``. Metrics about the whole graph have an empty
``id`` and ``entity``. Every count uses the snapshot semantics: a relation counts in a year
when it is possibly in effect at some day of it (see :mod:`cstograph.analysis.snapshot`).

Each metric function takes a :class:`YearSnapshot` (the year's snapshot, the counts the
metrics share, and the year before's members) and yields ``(entity id, value)`` pairs in the
order the table lists them. What a relation is counted as comes from the kinds table
(:mod:`cstograph.model.kinds`): ``Kind.counts_as`` (member, contributor) and
``Kind.hosting``. Adding a metric is one function here and one :class:`Metric` row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import networkx as nx

from cstograph.analysis.projection import projection, role_counts
from cstograph.analysis.snapshot import scope
from cstograph.analysis.sweep import snapshots
from cstograph.errors import InputError
from cstograph.index.history import History
from cstograph.model.kinds import KINDS

__all__ = [
    "COLUMNS",
    "METRICS",
    "Metric",
    "YearSnapshot",
    "definitions",
    "iter_metrics",
    "metric_names",
    "metrics_table",
]

COLUMNS: tuple[str, ...] = ("year", "metric", "id", "entity", "value")

_RUSSIA = "cs:russia"


class YearSnapshot:
    """One year as the metric functions read it: its snapshot and the counts they share.

    Attributes
    ----------
    year
        The year.
    graph
        Its snapshot (:func:`~cstograph.analysis.sweep.snapshots`).
    within
        The entity ids of the ``org`` restriction, or ``None`` for the whole graph.
    members, previous_members
        Organization id -> the ids of its members this year and the year before (edges of
        a kind that ``counts_as`` member, in scope, with a role that counts).
    contributors
        Joint force id -> the ids of its contributors (a kind that ``counts_as``
        contributor, in scope).
    hosted, operated
        State id -> the bases and units it hosts (a ``hosting`` kind), and those it operates
        (the ``operator`` of such an edge).
    involving_russia
        The number of edges with Russia as subject, object or operator.
    """

    def __init__(
        self,
        year: int,
        graph: nx.MultiDiGraph[str],
        within: set[str] | None,
        previous_members: dict[str, set[str]],
        labels: dict[str, str],
    ) -> None:
        self.year = year
        self._graph = graph
        self.within = within
        self.previous_members = previous_members
        self._labels = labels
        labels.update((n, d["label"]) for n, d in graph.nodes(data=True))
        self.members: dict[str, set[str]] = {}
        self.contributors: dict[str, set[str]] = {}
        self.hosted: dict[str, set[str]] = {}
        self.operated: dict[str, set[str]] = {}
        self.involving_russia = 0
        kinds = {k.name: k for k in KINDS}
        for u, v, data in graph.edges(data=True):
            table = kinds[data["kind"]]
            if _RUSSIA in (u, v, data["operator"]):
                self.involving_russia += 1
            in_scope = within is None or v in within
            if in_scope and table.counts_as is not None and role_counts(table, data["role_id"]):
                counted = self.members if table.counts_as == "member" else self.contributors
                counted.setdefault(v, set()).add(u)
            if table.hosting:
                self.hosted.setdefault(u, set()).add(v)
                if data["operator"]:
                    self.operated.setdefault(data["operator"], set()).add(v)

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The year's snapshot."""
        return self._graph

    def label(self, entity: str) -> str:
        """An entity's label, as the latest snapshot that had it gave it (else its id)."""
        return self._labels.get(entity, entity)

    def by_label(self, entities: Iterable[str]) -> list[str]:
        """``entities`` in the order tables list them: by label, then id (two entities may
        share a label)."""
        return sorted(entities, key=lambda e: (self.label(e), e))

    @property
    def edges(self) -> int:
        """The number of edges of the snapshot (one per relation)."""
        return self.graph.number_of_edges()

    def projection_counts(self) -> tuple[int, int, dict[str, int]]:
        """The projection's number of states and of links, and each state's links."""
        states = self.states
        return len(states), states.number_of_edges(), dict(states.degree())

    @cached_property
    def states(self) -> nx.Graph[str]:
        """The state-to-state projection (:func:`~cstograph.analysis.projection.projection`)
        of the snapshot, restricted as the counts are; made once, when first asked for."""
        return projection(self.graph, orgs=self.within)


#: What a metric function yields: ``(entity id, value)`` pairs, ``""`` for the whole graph.
Values = Iterator[tuple[str, float]]


# The metrics -------------------------------------------------------------------------------


def members(year: YearSnapshot) -> Values:
    """The number of member states of each organization.

    Parameters
    ----------
    year
        The year's snapshot and counts.

    Yields
    ------
    tuple of (str, int)
        Each organization with members this year or the year before (then 0), by label,
        and its number of members.
    """
    for org in _organizations(year):
        yield org, len(year.members.get(org, set()))


def joins(year: YearSnapshot) -> Values:
    """The number of states that became members of each organization.

    Parameters
    ----------
    year
        The year's snapshot and counts.

    Yields
    ------
    tuple of (str, int)
        Each organization of :func:`members` and its members this year that were not
        members the year before.
    """
    for org in _organizations(year):
        now, before = year.members.get(org, set()), year.previous_members.get(org, set())
        yield org, len(now - before)


def exits(year: YearSnapshot) -> Values:
    """The number of states that stopped being members of each organization.

    Parameters
    ----------
    year
        The year's snapshot and counts.

    Yields
    ------
    tuple of (str, int)
        Each organization of :func:`members` and its members the year before that are not
        members this year.
    """
    for org in _organizations(year):
        now, before = year.members.get(org, set()), year.previous_members.get(org, set())
        yield org, len(before - now)


def _organizations(year: YearSnapshot) -> list[str]:
    return year.by_label(set(year.members) | set(year.previous_members))


def _sizes(year: YearSnapshot, groups: dict[str, set[str]]) -> Values:
    """Each key of ``groups`` in label order with the size of its set."""
    for key in year.by_label(groups):
        yield key, len(groups[key])


def contributors(year: YearSnapshot) -> Values:
    """The number of contributing states of each joint force.

    Parameters
    ----------
    year
        The year's snapshot and counts.

    Yields
    ------
    tuple of (str, int)
        Each joint force with contributors, by label, and their number.
    """
    yield from _sizes(year, year.contributors)


def bases_hosted(year: YearSnapshot) -> Values:
    """The number of bases and stationed units each state hosts.

    Parameters
    ----------
    year
        The year's snapshot and counts.

    Yields
    ------
    tuple of (str, int)
        Each host state, by label, and the bases and units it hosts.
    """
    yield from _sizes(year, year.hosted)


def bases_operated(year: YearSnapshot) -> Values:
    """The number of bases and stationed units each state operates on another's soil.

    Parameters
    ----------
    year
        The year's snapshot and counts.

    Yields
    ------
    tuple of (str, int)
        Each using state, by label, and the bases and units it operates.
    """
    yield from _sizes(year, year.operated)


def relations(year: YearSnapshot) -> Values:
    """The number of relations in the snapshot (every kind).

    Parameters
    ----------
    year
        The year's snapshot and counts.

    Yields
    ------
    tuple of (str, int)
        One pair: ``""`` (the whole graph) and the number of edges.
    """
    yield "", year.edges


def russia_share(year: YearSnapshot) -> Values:
    """The share of the snapshot's relations that involve Russia.

    Parameters
    ----------
    year
        The year's snapshot and counts.

    Yields
    ------
    tuple of (str, float)
        One pair: ``""`` and the edges with Russia as subject, object or using state over
        all edges (0 when there are none).
    """
    total = year.edges
    yield "", year.involving_russia / total if total else 0.0


def density(year: YearSnapshot) -> Values:
    """The density of the state-to-state projection.

    Parameters
    ----------
    year
        The year's snapshot and counts.

    Yields
    ------
    tuple of (str, float)
        One pair: ``""`` and :func:`networkx.density` of the projection (linked pairs over
        possible pairs; 0 with fewer than two states).
    """
    states, links, _ = year.projection_counts()
    if links == 0 or states <= 1:  # as networkx.density computes it
        yield "", 0.0
    else:
        yield "", float(links / (states * (states - 1)) * 2)


def degree_centrality(year: YearSnapshot) -> Values:
    """The degree centrality of each state in the state-to-state projection.

    Parameters
    ----------
    year
        The year's snapshot and counts.

    Yields
    ------
    tuple of (str, float)
        Each state of the projection, by label, and its links over (states - 1)
        (:func:`networkx.degree_centrality`; none with fewer than two states).
    """
    states, _, degrees = year.projection_counts()
    if states <= 1:
        return
    scale = 1.0 / (states - 1.0)  # as networkx.degree_centrality computes it
    for state in year.by_label(degrees):
        yield state, float(degrees[state] * scale)


# The registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """A metric: its name (as in the ``metric`` column), what it is per, its definition
    (shown by ``cstograph metrics --list``) and the function that computes it."""

    name: str
    per: str
    definition: str
    compute: Callable[[YearSnapshot], Values]


#: Every metric, in the order tables list them. The one place each is defined.
METRICS: tuple[Metric, ...] = (
    Metric(
        "members",
        "organization",
        "States that are members of the organization (full member, party/signatory or "
        "participation frozen) at some day of the year.",
        members,
    ),
    Metric(
        "joins",
        "organization",
        "States counted in members this year but not the year before.",
        joins,
    ),
    Metric(
        "exits",
        "organization",
        "States counted in members the year before but not this year (a membership that ends "
        "during a year still counts in that year, so its exit shows the year after).",
        exits,
    ),
    Metric(
        "contributors",
        "joint force",
        "States contributing to the joint force (any contributor role) at some day of the year.",
        contributors,
    ),
    Metric(
        "bases_hosted",
        "host state",
        "Bases and stationed units the state hosts at some day of the year.",
        bases_hosted,
    ),
    Metric(
        "bases_operated",
        "using state",
        "Bases and stationed units the state operates on another state's soil.",
        bases_operated,
    ),
    Metric(
        "relations",
        "graph",
        "Time-bounded relations in effect at some day of the year (every kind).",
        relations,
    ),
    Metric(
        "russia_share",
        "graph",
        "Share of those relations with Russia as subject, object or using state (0 to 1).",
        russia_share,
    ),
    Metric(
        "density",
        "graph",
        "Density of the state-to-state projection: linked state pairs over possible pairs.",
        density,
    ),
    Metric(
        "degree_centrality",
        "state",
        "Degree centrality of the state in the projection: its links over (states - 1).",
        degree_centrality,
    ),
)


def metric_names() -> list[str]:
    """The metric names, in table order.

    Examples
    --------
    >>> metric_names()[:3]
    ['members', 'joins', 'exits']
    """
    return [m.name for m in METRICS]


def _chosen(names: Iterable[str] | None) -> list[Metric]:
    """The metrics of ``names`` in table order (every metric for ``None``)."""
    if names is None:
        return list(METRICS)
    wanted = set(names)
    unknown = sorted(wanted - set(metric_names()))
    if unknown:
        raise InputError(f"unknown metric {unknown[0]!r}; metrics: {', '.join(metric_names())}")
    return [m for m in METRICS if m.name in wanted]


def _rows(year: YearSnapshot, chosen: list[Metric]) -> list[dict[str, Any]]:
    return [
        {
            "year": year.year,
            "metric": metric.name,
            "id": entity,
            "entity": year.label(entity),
            "value": round(value, 4) if isinstance(value, float) else value,
        }
        for metric in chosen
        for entity, value in metric.compute(year)
    ]


def iter_metrics(
    history: History,
    start: int,
    end: int,
    *,
    org: str | None = None,
    metrics: list[str] | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Yield each year's metric rows, in table order, from one sweep (see
    :func:`metrics_table`)."""
    chosen = _chosen(metrics)
    within = scope(history, [org]) if org is not None else None
    from cstograph.index.table_history import TableHistory

    if isinstance(history, TableHistory):  # counted over the table's columns, all years at once
        from cstograph.analysis.series import table_years

        for counted in table_years(history, start - 1, end, within):
            if counted.year >= start:
                yield _rows(counted, chosen)
        return
    previous: dict[str, set[str]] = {}
    labels: dict[str, str] = {}  # kept across years: an organization may have left the graph
    for year, graph in snapshots(history, start - 1, end):
        counted = YearSnapshot(year, graph, within, previous, labels)
        if year >= start:
            yield _rows(counted, chosen)
        previous = counted.members


def metrics_table(
    history: History,
    start: int,
    end: int,
    *,
    org: str | None = None,
    metrics: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Every metric of :data:`METRICS` for each year from ``start`` to ``end``, as rows.

    Parameters
    ----------
    history
        The interval index of a loaded graph.
    start, end
        The first and last year (inclusive).
    org
        Restrict the membership, contribution and projection metrics to this organization
        and its units (joint forces, command structures); the others stay whole-graph.
    metrics
        Only these metrics (names from :func:`metric_names`).

    Examples
    --------
    >>> from cstograph import load
    >>> rows = metrics_table(History(load()), 2007, 2007, org="CSTO", metrics=["members"])
    >>> [(r["entity"], r["value"] >= 6) for r in rows]  # the CSTO and the treaty it grew from
    [('Collective Security Treaty', True), ('Collective Security Treaty Organization', True)]
    """
    chosen = _chosen(metrics)  # unknown names fail before the sweep
    names = [m.name for m in chosen]
    return [
        row
        for year_rows in iter_metrics(history, start, end, org=org, metrics=names)
        for row in year_rows
    ]


def definitions() -> list[dict[str, str]]:
    """The metric registry as records (name, per, definition), for ``--list``."""
    return [{"metric": m.name, "per": m.per, "definition": m.definition} for m in METRICS]
