"""Numbers over time, computed from the yearly snapshots, each defined once in :data:`METRICS`.

A metrics table is tidy: one row per year, metric and entity, with columns ``year``,
``metric``, ``id``, ``entity`` and ``value``. Metrics about the whole graph have an empty
``id`` and ``entity``. Every count uses the snapshot semantics: a relation counts in a year
when it is possibly in effect at some day of it (see :mod:`cstograph.analysis.snapshot`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from cstograph.analysis.snapshot import MEMBERSHIP_ROLE_IDS, projection, scope, snapshots
from cstograph.errors import InputError
from cstograph.index.history import History

__all__ = ["COLUMNS", "METRICS", "Metric", "metric_names", "metrics_table"]

COLUMNS: tuple[str, ...] = ("year", "metric", "id", "entity", "value")


@dataclass(frozen=True)
class Metric:
    """A metric's name (as it appears in the ``metric`` column) and its definition."""

    name: str
    per: str
    definition: str


#: Every metric, in the order tables list them. The one place each is defined.
METRICS: tuple[Metric, ...] = (
    Metric(
        "members",
        "organization",
        "States that are members of the organization (full member, party/signatory or "
        "participation frozen) at some day of the year.",
    ),
    Metric(
        "joins",
        "organization",
        "States counted in members this year but not the year before.",
    ),
    Metric(
        "exits",
        "organization",
        "States counted in members the year before but not this year (a membership that ends "
        "during a year still counts in that year, so its exit shows the year after).",
    ),
    Metric(
        "contributors",
        "joint force",
        "States contributing to the joint force (any contributor role) at some day of the year.",
    ),
    Metric(
        "bases_hosted",
        "host state",
        "Bases and stationed units the state hosts at some day of the year.",
    ),
    Metric(
        "bases_operated",
        "using state",
        "Bases and stationed units the state operates on another state's soil.",
    ),
    Metric(
        "relations",
        "graph",
        "Time-bounded relations in effect at some day of the year (every kind).",
    ),
    Metric(
        "russia_share",
        "graph",
        "Share of those relations with Russia as subject, object or using state (0 to 1).",
    ),
    Metric(
        "density",
        "graph",
        "Density of the state-to-state projection: linked state pairs over possible pairs.",
    ),
    Metric(
        "degree_centrality",
        "state",
        "Degree centrality of the state in the projection: its links over (states - 1).",
    ),
)

_RUSSIA = "cs:russia"


def metric_names() -> list[str]:
    """The metric names, in table order.

    Examples
    --------
    >>> metric_names()[:3]
    ['members', 'joins', 'exits']
    """
    return [m.name for m in METRICS]


def _rows_for_year(
    year: int,
    graph: nx.MultiDiGraph[str],
    previous: dict[str, set[str]],
    within: set[str] | None,
    label: dict[str, str],
) -> tuple[list[dict[str, Any]], dict[str, set[str]]]:
    label.update((n, d["label"]) for n, d in graph.nodes(data=True))
    members: dict[str, set[str]] = {}
    contributors: dict[str, set[str]] = {}
    hosted: dict[str, set[str]] = {}
    operated: dict[str, set[str]] = {}
    involving = 0
    for u, v, data in graph.edges(data=True):
        kind = data["kind"]
        if _RUSSIA in (u, v, data["operator"]):
            involving += 1
        in_scope = within is None or v in within
        if kind == "member-of" and data["role_id"] in MEMBERSHIP_ROLE_IDS and in_scope:
            members.setdefault(v, set()).add(u)
        elif kind == "contributes-to-force" and in_scope:
            contributors.setdefault(v, set()).add(u)
        elif kind == "hosts-base":
            hosted.setdefault(u, set()).add(v)
            if data["operator"]:
                operated.setdefault(data["operator"], set()).add(v)

    rows: list[dict[str, Any]] = []

    def add(metric: str, entity: str, value: float) -> None:
        rows.append(
            {
                "year": year,
                "metric": metric,
                "id": entity,
                "entity": label.get(entity, entity),
                "value": round(value, 4) if isinstance(value, float) else value,
            }
        )

    for org in sorted(set(members) | set(previous), key=lambda o: label.get(o, o)):
        now, before = members.get(org, set()), previous.get(org, set())
        add("members", org, len(now))
        add("joins", org, len(now - before))
        add("exits", org, len(before - now))
    for force in sorted(contributors, key=lambda f: label[f]):
        add("contributors", force, len(contributors[force]))
    for state in sorted(hosted, key=lambda s: label[s]):
        add("bases_hosted", state, len(hosted[state]))
    for state in sorted(operated, key=lambda s: label.get(s, s)):
        add("bases_operated", state, len(operated[state]))
    total = graph.number_of_edges()
    add("relations", "", total)
    add("russia_share", "", involving / total if total else 0.0)
    states = projection(graph, orgs=within)
    add("density", "", float(nx.density(states)) if len(states) > 1 else 0.0)
    centrality = nx.degree_centrality(states) if len(states) > 1 else {}
    for state in sorted(centrality, key=lambda s: label[s]):
        add("degree_centrality", state, float(centrality[state]))
    return rows, members


def iter_metrics(
    history: History, start: int, end: int, *, org: str | None = None
) -> Iterator[list[dict[str, Any]]]:
    """Yield each year's metric rows, from one sweep (see :func:`metrics_table`)."""
    within = scope(history, [org]) if org is not None else None
    previous: dict[str, set[str]] = {}
    labels: dict[str, str] = {}  # kept across years: an organization may have left the graph
    for year, graph in snapshots(history, start - 1, end):
        rows, previous_now = _rows_for_year(year, graph, previous, within, labels)
        if year >= start:
            yield rows
        previous = previous_now


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
    >>> [(r["entity"], r["value"] >= 6) for r in rows]
    [('Collective Security Treaty Organization', True)]
    """
    if metrics is not None:
        unknown = sorted(set(metrics) - set(metric_names()))
        if unknown:
            raise InputError(f"unknown metric {unknown[0]!r}; metrics: {', '.join(metric_names())}")
    rows = [row for year_rows in iter_metrics(history, start, end, org=org) for row in year_rows]
    if metrics is not None:
        rows = [r for r in rows if r["metric"] in metrics]
    order = {name: i for i, name in enumerate(metric_names())}
    return sorted(rows, key=lambda r: (r["year"], order[r["metric"]]))


def definitions() -> list[dict[str, str]]:
    """The metric registry as records (name, per, definition), for ``--list``."""
    return [{"metric": m.name, "per": m.per, "definition": m.definition} for m in METRICS]
