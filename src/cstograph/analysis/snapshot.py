"""The graph as networkx sees it: one snapshot per year, and a state-to-state projection.

A snapshot is a :class:`networkx.MultiDiGraph` whose nodes are entities and whose edges are
the relations in effect in a window, one edge per relation (keyed by the relation id, from
subject to object). "In effect" is :func:`cstograph.temporal.in_effect`: a relation is in a
snapshot when it is *possibly* in effect at some day of the window, and its ``certain``
attribute says whether it surely is. Every attribute is a scalar (str, int, float, bool),
so a snapshot writes to GraphML and GEXF as it is.

Node attributes
    ``label``; ``class`` (the most specific ontology class, ``cst:State``); ``type`` (that
    class's label, ``state``); ``qid`` (the Wikidata QID, or ``""``).
Edge attributes
    ``kind``, ``label``, ``role`` and ``role_id`` (``""`` when none), ``start`` and ``end``
    (ISO dates, ``""`` when ongoing), ``start_precision``, ``end_precision``,
    ``start_qualifier``, ``end_qualifier``, ``certain``, ``operator`` (a base's using state,
    or ``""``) and ``sources`` (source ids separated by spaces).

:func:`snapshots` yields the yearly snapshots of a range from one sweep over the sorted
year boundaries at which relations enter, leave, or become certain or uncertain; it gives
the same graphs as calling :func:`snapshot` for each year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import URIRef

from cstograph.errors import InputError
from cstograph.gcpause import paused
from cstograph.index.history import MEMBER_ROLES, History, Relation
from cstograph.model.terms import CST, ORG, RDF, RDFS, RELATION_KINDS, SKOS, WD, short_name
from cstograph.temporal import in_effect, window

if TYPE_CHECKING:
    from cstograph.temporal import Window

__all__ = [
    "MEMBERSHIP_ROLE_IDS",
    "YearSpan",
    "data_span",
    "node_attributes",
    "projection",
    "scope",
    "snapshot",
    "snapshots",
    "year_span",
]

#: ``role_id`` values of member-of edges that count as membership in the projection.
MEMBERSHIP_ROLE_IDS: frozenset[str] = frozenset(short_name(r) for r in MEMBER_ROLES)
#: Edge kinds that link a state to an organization or force it shares with others.
SHARED_KINDS: tuple[str, ...] = ("member-of", "contributes-to-force")


class RangeError(InputError):
    """A year range that cannot be swept (start after end, or outside 1..9998)."""


# Node and edge attributes --------------------------------------------------------------------


def _most_specific(graph: Any, classes: set[URIRef]) -> URIRef | None:
    """The class of ``classes`` that no other one is a subclass of; ties broken by name."""
    if not classes:
        return None
    supers: set[URIRef] = set()
    for cls in classes:
        for parent in graph.transitive_objects(cls, RDFS.subClassOf):
            if parent != cls and isinstance(parent, URIRef):
                supers.add(parent)
    best = sorted(classes - supers) or sorted(classes)
    return best[0]


def node_attributes(history: History, entity_id: str) -> dict[str, str]:
    """The attributes of an entity's node: ``label``, ``class``, ``type`` and ``qid``.

    Examples
    --------
    >>> from cstograph import load
    >>> node_attributes(History(load()), "cs:russia")
    {'label': 'Russia', 'class': 'cst:State', 'type': 'state', 'qid': 'Q159'}
    """
    return _NodeAttributes(history)(entity_id)


class _NodeAttributes:
    """:func:`node_attributes`, remembering the class and type of each set of rdf:types
    (a large graph has many nodes but few distinct sets)."""

    def __init__(self, history: History) -> None:
        self.history = history
        self._classes: dict[frozenset[URIRef], tuple[str, str]] = {}

    def __call__(self, entity_id: str, label: str | None = None) -> dict[str, str]:
        history, graph = self.history, self.history.graph
        node = history.iri(entity_id)
        types = frozenset(t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef))
        found = self._classes.get(types)
        if found is None:
            ours = {t for t in types if str(t).startswith(str(CST._NS))}
            cls = _most_specific(graph, ours or set(types))
            found = self._classes[types] = (
                (short_name(cls), history.label(cls)) if cls is not None else ("", "")
            )
        qids = sorted(
            str(m)[len(str(WD)) :]
            for m in graph.objects(node, SKOS.exactMatch)
            if str(m).startswith(str(WD))
        )
        return {
            "label": label if label is not None else history.label(node),
            "class": found[0],
            "type": found[1],
            "qid": qids[0] if qids else "",
        }


@lru_cache(maxsize=1 << 16)
def _iso(day: date) -> str:
    """A day's ISO text, one string per day for all the edges that share it."""
    return day.isoformat()


def _edge_attributes(relation: Relation, certain: bool, role_id: str) -> dict[str, Any]:
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
        "certain": certain,
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
        todo = [history.iri(history.resolve(name).id)]
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
        unknown = sorted(set(kinds) - set(RELATION_KINDS))
        if unknown:
            raise InputError(f"unknown kind {unknown[0]!r}; kinds: {', '.join(RELATION_KINDS)}")
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
) -> nx.MultiDiGraph[str]:
    """The relations possibly in effect during ``year`` (or on day ``on``) as a graph.

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
    sweep = _Sweep(history)
    for relation in _pool(history, kinds, orgs):
        possible, certain = in_effect(relation.start_range, relation.end_range, question)
        if possible:
            sweep.put(relation, certain)
    graph = sweep.graph()
    _describe(graph, question, int(year) if year is not None else None)
    return graph


def _describe(graph: nx.MultiDiGraph[str], question: Window | None, year: int | None) -> None:
    graph.graph["window"] = question.text if question is not None else "all time"
    if year is not None:
        graph.graph["year"] = year


# The sweep -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YearSpan:
    """The years a relation is possibly in effect, and those it certainly is (first, last
    inclusive; ``first > last`` when none)."""

    possible: tuple[int, int]
    certain: tuple[int, int]

    def state(self, year: int) -> tuple[bool, bool]:
        """``(possible, certain)`` during ``year``, as :func:`temporal.in_effect` says."""
        possible = self.possible[0] <= year <= self.possible[1]
        return possible, possible and self.certain[0] <= year <= self.certain[1]


def _last_year_before(stop: date) -> int:
    """The last year having a day before ``stop`` (an exclusive end)."""
    return stop.year - 1 if (stop.month, stop.day) == (1, 1) else stop.year


def year_span(relation: Relation) -> YearSpan:
    """The years of :func:`in_effect` with a year window, from the relation's bound ranges.

    During year Y (days ``[Y-01-01, (Y+1)-01-01)``) a relation is possible when its earliest
    start is before the window's stop and its latest end after the window's first day, and
    certain when also its latest start is before the stop and its earliest end after the
    first day.

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> division = "cs:russia-201st-division"
    >>> [r] = history.relations("hosts-base", subject="Tajikistan", object=division)
    >>> year_span(r)
    YearSpan(possible=(1, 9999), certain=(2003, 2003))
    """
    (earliest_start, latest_start), (earliest_end, latest_end) = (
        relation.start_range,
        relation.end_range,
    )
    return YearSpan(
        (earliest_start.year, _last_year_before(latest_end)),
        (latest_start.year, _last_year_before(earliest_end)),
    )


def snapshots(
    history: History,
    start: int,
    end: int,
    *,
    kinds: Collection[str] | None = None,
    orgs: Iterable[str] | None = None,
) -> Iterator[tuple[int, nx.MultiDiGraph[str]]]:
    """Yield ``(year, snapshot)`` for every year from ``start`` to ``end`` inclusive.

    One sweep: each relation's :func:`year_span` gives up to four boundary years (it may
    enter, become certain, become uncertain, leave); the sweep visits the years in order and
    updates only the relations with a boundary there. Each yielded graph equals
    ``snapshot(history, year=year, kinds=kinds, orgs=orgs)``.

    The yearly graphs share structure, so that a long range costs little more than its
    changes: a year's graph copies only the adjacency entries that changed since the year
    before and reuses the others, and node and edge attribute dicts are shared between
    years. Each graph is therefore frozen (:func:`networkx.freeze`: adding or removing
    nodes and edges raises ``NetworkXError``), and its attribute dicts must be read, not
    changed. ``graph.copy()`` gives an ordinary graph of one's own to change.

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
    if not 1 <= start <= end <= 9998:
        raise RangeError(f"the years must satisfy 1 <= start <= end <= 9998, not {start}..{end}")
    # one (relation, span) entry per relation, in the list of each year its state changes;
    # relations share spans (a million relations have a few thousand)
    boundaries: dict[int, list[tuple[Relation, YearSpan]]] = defaultdict(list)
    spans: dict[tuple[tuple[date, date], tuple[date, date]], YearSpan] = {}
    for relation in _pool(history, kinds, orgs):
        ranges = (relation.start_range, relation.end_range)
        span = spans.get(ranges)
        if span is None:
            span = spans[ranges] = year_span(relation)
        entry = (relation, span)
        bounds = {span.possible[0], span.possible[1] + 1, span.certain[0], span.certain[1] + 1}
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
                possible, certain = span.state(year)
                if possible:
                    sweep.put(relation, certain)
                else:
                    sweep.drop(relation)
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
        self._describe = _NodeAttributes(history)
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
        # networkx's private storage, not in its stubs (why pyproject.toml caps networkx)
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

    def put(self, relation: Relation, certain: bool) -> None:
        u, v, key = relation.subject.id, relation.object.id, relation.id
        current = self._edges.get(key)
        if current is not None:
            if current["certain"] != certain:
                changed = self._edges[key] = {**current, "certain": certain}
                self._keydict(u, v)[key] = changed
            return
        self._add_node(u, relation.subject.label)
        self._add_node(v, relation.object.label)
        role = relation.role_iri
        role_id = self._role_ids.get(role)
        if role_id is None:
            role_id = self._role_ids[role] = short_name(role)
        attrs = self._edges[key] = _edge_attributes(relation, certain, role_id)
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


# The projection ------------------------------------------------------------------------------


def projection(
    snapshot_graph: nx.MultiDiGraph[str], orgs: Collection[str] | None = None
) -> nx.Graph[str]:
    """States linked by the organizations and forces they share in a snapshot.

    Two states are linked when both are members (full member, party/signatory, participation
    frozen) of one organization, or both contribute to one joint force; ``weight`` is the
    number of organizations and forces they share, ``shared`` their ids (``; ``-separated).
    Nodes are the states with at least one such membership or contribution.

    Parameters
    ----------
    snapshot_graph
        A graph from :func:`snapshot` or :func:`snapshots`.
    orgs
        Only these organization or force ids (use :func:`scope` to turn names into ids).

    Examples
    --------
    >>> from cstograph import load
    >>> p = projection(snapshot(History(load()), year=2010))
    >>> link = p.edges["cs:russia", "cs:armenia"]
    >>> link["weight"] >= 2, "cs:csto; cs:csto-crrf" in link["shared"]
    (True, True)
    """
    members: dict[str, set[str]] = defaultdict(set)
    for u, v, data in snapshot_graph.edges(data=True):
        if data["kind"] not in SHARED_KINDS:
            continue
        if data["kind"] == "member-of" and data["role_id"] not in MEMBERSHIP_ROLE_IDS:
            continue
        if snapshot_graph.nodes[u].get("class") != "cst:State":
            continue
        if orgs is not None and v not in orgs:
            continue
        members[v].add(u)
    result: nx.Graph[str] = nx.Graph()
    result.graph.update(snapshot_graph.graph)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for org in sorted(members):
        states = sorted(members[org])
        for state in states:
            if state not in result:
                result.add_node(state, **snapshot_graph.nodes[state])
        for i, a in enumerate(states):
            for b in states[i + 1 :]:
                shared[(a, b)].append(org)
    for (a, b), orgs_shared in sorted(shared.items()):
        result.add_edge(a, b, weight=len(orgs_shared), shared="; ".join(orgs_shared))
    return result


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
