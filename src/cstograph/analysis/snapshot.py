"""The graph as networkx sees it: the snapshot of a window.

A snapshot is a :class:`networkx.MultiDiGraph` whose nodes are entities and whose edges are
the relations in effect in a window, one edge per relation (keyed by the relation id, from
subject to object). "In effect" is :func:`cstograph.temporal.grade`: a relation is in a
snapshot when it held in the window or its imprecise bounds touch it (and, asked with
``possible``, when a "by" / "or later" bound does not exclude it); its ``grade`` attribute
says which and ``certain`` whether it surely held. Every attribute is a scalar (str, int,
float, bool), so a snapshot writes to GraphML and GEXF as it is.

Node attributes
    ``label``; ``class`` (the most specific ontology class, ``cst:State``); ``type`` (that
    class's label, ``state``); ``qid`` (the Wikidata QID, or ``""``).
Edge attributes
    ``kind``, ``label``, ``role`` and ``role_id`` (``""`` when none), ``start`` and ``end``
    (ISO dates, ``""`` when ongoing), ``start_precision``, ``end_precision``,
    ``start_qualifier``, ``end_qualifier``, ``certain``, ``grade``, ``operator`` (a base's
    using state, or ``""``) and ``sources`` (source ids separated by spaces).

The yearly snapshots of a range come from one sweep (:mod:`cstograph.analysis.sweep`), the
state-to-state projection of a snapshot from :mod:`cstograph.analysis.projection`. The sweep
builds on what is here: the node and edge attributes, the choice of relations, and
``_Sweep``, the copy-on-write adjacency every snapshot is made in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import URIRef

from cstograph.errors import InputError
from cstograph.index.history import History, Relation
from cstograph.index.names import MEMBERS_OF
from cstograph.model.kinds import kind
from cstograph.model.terms import CST, ORG, RDF, short_name
from cstograph.temporal import Grade, graded, window

if TYPE_CHECKING:
    from cstograph.temporal import Window

__all__ = ["data_span", "node_attributes", "scope", "snapshot", "whole_span"]


# Node and edge attributes --------------------------------------------------------------------


def node_attributes(history: History, entity_id: str) -> dict[str, str]:
    """The attributes of an entity's node: ``label``, ``class``, ``type`` and ``qid``.

    Examples
    --------
    >>> from cstograph import load
    >>> node_attributes(History(load()), "cs:russia")
    {'label': 'Russia', 'class': 'cst:State', 'type': 'state', 'qid': 'Q159'}
    """
    return history.node_attributes(entity_id)


@lru_cache(maxsize=1 << 16)
def _iso(day: date) -> str:
    """A day's ISO text, one string per day for all the edges that share it."""
    return day.isoformat()


def _edge_attributes(relation: Relation, grade: Grade, role_id: str) -> dict[str, Any]:
    return {
        "kind": relation.kind,
        "label": relation.label,
        "role": relation.role or "",
        "role_id": role_id,
        "start": _iso(relation.start),
        "end": _iso(relation.end) if relation.end else "",
        "start_precision": relation.start_precision,
        "end_precision": relation.end_precision or "",
        "start_qualifier": relation.start_qualifier or "",
        "end_qualifier": relation.end_qualifier or "",
        "certain": grade is Grade.HELD,
        "grade": grade.value,
        "operator": relation.operator.id if relation.operator else "",
        "sources": " ".join(sorted({s.id for s in relation.sources})),
    }


# Choosing relations --------------------------------------------------------------------------


def scope(history: History, orgs: Iterable[str]) -> set[str]:
    """The entity ids an organization filter covers: each organization, the organizations
    it was renamed or transformed from (``cst:Renaming``: the CSTO covers the Collective
    Security Treaty), and their units.

    Examples
    --------
    >>> from cstograph import load
    >>> sorted(scope(History(load()), ["CSTO"]))[:3]
    ['cs:cst', 'cs:csto', 'cs:csto-crrf']
    """
    graph = history.graph
    ids: set[str] = set()
    for name in orgs:
        todo = [history.iri(history.resolve(name, among=MEMBERS_OF).id)]
        while todo:
            node = todo.pop()
            if short_name(node) in ids:
                continue
            ids.add(short_name(node))
            for unit in graph.transitive_subjects(ORG.unitOf, node):
                if isinstance(unit, URIRef):
                    ids.add(short_name(unit))
            for event in graph.subjects(ORG.resultingOrganization, node):
                if (event, RDF.type, CST.Renaming) in graph:
                    todo.extend(
                        o
                        for o in graph.objects(event, ORG.originalOrganization)
                        if isinstance(o, URIRef)
                    )
    return ids


def _pool(
    history: History, kinds: Collection[str] | None, orgs: Iterable[str] | None
) -> list[Relation]:
    if kinds is not None:
        for name in sorted(kinds):
            kind(name)  # unknown names fail here
    within = scope(history, orgs) if orgs is not None else None
    return [
        r
        for r in history.all_relations()
        if (kinds is None or r.kind in kinds)
        and (
            within is None
            or r.object.id in within
            or (r.organization is not None and r.organization.id in within)
        )
    ]


def snapshot(
    history: History,
    *,
    year: int | str | None = None,
    on: date | str | None = None,
    kinds: Collection[str] | None = None,
    orgs: Iterable[str] | None = None,
    possible: bool = False,
) -> nx.MultiDiGraph[str]:
    """The relations in effect during ``year`` (or on day ``on``) as a graph: held or with
    bounds imprecise there, and with ``possible`` those not excluded too (see
    :func:`cstograph.temporal.grade`).

    Parameters
    ----------
    history
        The interval index of a loaded graph.
    year, on
        The window: every day of a year, or one day. Neither: every relation ever.
    kinds
        Only relations of these kinds (``member-of``, ``hosts-base`` ...).
    orgs
        Only relations whose object (or post's organization) is one of these organizations
        or one of their units (joint forces, command structures); names as ``resolve`` takes.

    Examples
    --------
    >>> from cstograph import load
    >>> g = snapshot(History(load()), year=2007, kinds=["member-of"])
    >>> g.graph["window"], g.nodes["cs:csto"]["class"]
    ('during 2007', 'cst:Alliance')
    >>> g.has_edge("cs:russia", "cs:csto"), g.nodes["cs:russia"]["qid"]
    (True, 'Q159')
    """
    if year is not None and on is not None:
        raise InputError("give year or on, not both")
    question = window(year=year, on=on)
    from cstograph.index.table_history import TableHistory

    if isinstance(history, TableHistory):  # from the table's columns, no record per relation
        from cstograph.analysis.series import table_snapshot

        if kinds is not None:
            for name in sorted(kinds):
                kind(name)  # unknown names fail here
        within = scope(history, orgs) if orgs is not None else None
        graph = table_snapshot(history, question, kinds=kinds, within=within, possible=possible)
        _describe(graph, question, int(year) if year is not None else None)
        return graph
    sweep = _Sweep(history)
    for relation in _pool(history, kinds, orgs):
        found = graded(relation, question)
        if found is not None and (found is not Grade.NOT_EXCLUDED or possible):
            sweep.put(relation, found)
    graph = sweep.graph()
    _describe(graph, question, int(year) if year is not None else None)
    return graph


def whole_span(
    history: History,
    *,
    kinds: Collection[str] | None = None,
    orgs: Iterable[str] | None = None,
) -> nx.MultiDiGraph[str]:
    """Every relation over the whole span of the data as one dynamic graph, the file Gephi's
    timeline plays: each edge keeps its ``start`` (and ``end`` unless it is open) and each
    node gets ``spells``, the merged spans of its edges (an open one ends with ``None``).
    There is no window, so no grade: the precisions and qualifiers say how well each bound
    is known.

    Examples
    --------
    >>> from cstograph import load
    >>> g = whole_span(History(load()), kinds=["member-of"], orgs=["CSTO"])
    >>> g.graph["mode"], g.nodes["cs:uzbekistan"]["spells"][:2]
    ('dynamic', [('1992-05-15', '1999-04-20'), ('2006-08-16', None)])
    """
    graph = snapshot(history, kinds=kinds, orgs=orgs)
    graph.graph["mode"] = "dynamic"
    spans: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        for key in ("certain", "grade"):
            data.pop(key, None)
        if not data.get("end"):
            data.pop("end", None)
        for node in (u, v):
            spans[node].append((data["start"], data.get("end")))
    for node, intervals in spans.items():
        graph.nodes[node]["spells"] = _merged(intervals)
    return graph


def _merged(intervals: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Overlapping or touching ISO-day spans joined; ``None`` is an open end."""
    merged: list[tuple[str, str | None]] = []
    for start, end in sorted(intervals, key=lambda i: i[0]):
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            joined = None if last_end is None or end is None else max(last_end, end)
            merged[-1] = (last_start, joined)
        else:
            merged.append((start, end))
    return merged


def _describe(graph: nx.MultiDiGraph[str], question: Window | None, year: int | None) -> None:
    graph.graph["window"] = question.text if question is not None else "all time"
    if year is not None:
        graph.graph["year"] = year


# The adjacency -------------------------------------------------------------------------------


class _Sweep:
    """The adjacency of the current year, copied on write from the year before.

    networkx keeps a MultiDiGraph as ``_node[n] -> attrs``, ``_succ[u][v] -> keydict`` and
    ``_pred[v][u] -> keydict`` (the same keydict object), ``keydict[key] -> attrs``. Each
    year gets new top-level dicts (cheap: one entry per node); an inner dict is copied the
    first time a year changes it, so the graphs handed out before never change.
    """

    def __init__(self, history: History) -> None:
        self.history = history
        self._node: dict[str, dict[str, str]] = {}
        self._succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._degree: dict[str, int] = {}
        self._attributes: dict[str, dict[str, str]] = {}  # node attributes, made once
        self._describe = history.node_attributes
        self._edges: dict[str, dict[str, Any]] = {}  # relation id -> its current attrs
        self._role_ids: dict[URIRef | None, str] = {None: ""}
        # what this year already copied: succ and pred entries, keydicts by (u, v)
        self._own_succ: set[str] = set()
        self._own_pred: set[str] = set()
        self._own_keys: set[tuple[str, str]] = set()

    def next_year(self) -> None:
        self._node = self._node.copy()
        self._succ = self._succ.copy()
        self._pred = self._pred.copy()
        self._own_succ, self._own_pred, self._own_keys = set(), set(), set()

    def graph(self) -> nx.MultiDiGraph[str]:
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        # networkx's private dicts, shared copy-on-write (networkx pinned below 3.7 for this)
        graph._node = self._node  # type: ignore[attr-defined]
        graph._succ = graph._adj = self._succ  # type: ignore[attr-defined]
        graph._pred = self._pred  # type: ignore[attr-defined]
        return graph

    def _keydict(self, u: str, v: str) -> dict[str, dict[str, Any]]:
        """The keydict of ``u -> v`` that this year may change (made when missing)."""
        succ = self._succ[u] if u in self._own_succ else self._copy(self._succ, self._own_succ, u)
        if (u, v) in self._own_keys:
            return succ[v]
        found = succ.get(v)
        keydict = found.copy() if found is not None else {}
        succ[v] = keydict
        pred = self._pred[v] if v in self._own_pred else self._copy(self._pred, self._own_pred, v)
        pred[u] = keydict
        self._own_keys.add((u, v))
        return keydict

    @staticmethod
    def _copy(table: dict[str, Any], owned: set[str], node: str) -> Any:
        inner = table[node] = table[node].copy()
        owned.add(node)
        return inner

    def _add_node(self, node: str, label: str) -> None:
        count = self._degree.get(node, 0)
        if count == 0:
            attributes = self._attributes.get(node)
            if attributes is None:
                attributes = self._attributes[node] = self._describe(node, label)
            self._node[node] = attributes
            self._succ[node] = {}
            self._pred[node] = {}
            self._own_succ.add(node)
            self._own_pred.add(node)
        self._degree[node] = count + 1

    def _remove_node(self, node: str) -> None:
        count = self._degree[node] - 1
        self._degree[node] = count
        if count == 0:
            del self._node[node], self._succ[node], self._pred[node]

    def put(self, relation: Relation, grade: Grade) -> None:
        u, v, key = relation.subject.id, relation.object.id, relation.id
        current = self._edges.get(key)
        if current is not None:
            if current["grade"] != grade.value:
                changed = self._edges[key] = {
                    **current,
                    "certain": grade is Grade.HELD,
                    "grade": grade.value,
                }
                self._keydict(u, v)[key] = changed
            return
        self._add_node(u, relation.subject.label)
        self._add_node(v, relation.object.label)
        role = relation.role_iri
        role_id = self._role_ids.get(role)
        if role_id is None:
            role_id = self._role_ids[role] = short_name(role)
        attrs = self._edges[key] = _edge_attributes(relation, grade, role_id)
        self._keydict(u, v)[key] = attrs

    def drop(self, relation: Relation) -> None:
        u, v, key = relation.subject.id, relation.object.id, relation.id
        if self._edges.pop(key, None) is None:
            return
        keydict = self._keydict(u, v)
        del keydict[key]
        if not keydict:
            del self._succ[u][v], self._pred[v][u]
            self._own_keys.discard((u, v))
        self._remove_node(u)
        self._remove_node(v)


# The data's years ----------------------------------------------------------------------------


def data_span(history: History) -> tuple[int, int]:
    """The years the data covers: from the first stored start to the last stored start or
    end, not counting ends after the last start (a lease "until 2050" is a plan, not data).

    Examples
    --------
    >>> from cstograph import load
    >>> first, last = data_span(History(load()))
    >>> first <= 2002 <= last
    True
    """
    starts = [r.start.year for r in history.all_relations()]
    if not starts:
        raise InputError("the graph has no dated relations")
    return min(starts), max(starts)
