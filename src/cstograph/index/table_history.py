"""A :class:`~cstograph.index.history.History` that answers from a persisted relation table
(:mod:`cstograph.index.table`) instead of records read from every triple.

The rows a question can touch are chosen over the memory-mapped columns (an entity's rows,
a kind, the rows possibly in effect in the window: :func:`cstograph.temporal.possible_rows`);
only those become :class:`~cstograph.model.records.Relation` records, and the rules of
``History`` (grades, roles, the order of answers) then run on them unchanged, so the answers
are the ones the records of the whole graph give. Names are resolved through the table's
name tables, as :class:`~cstograph.index.names.NameIndex` resolves them. What the table does
not hold (events, conflict links and reasons, any label it lacks) comes from the store's
graph, opened on first use by the ``graph`` callback.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable
from datetime import date
from typing import Any

import numpy as np
from rdflib import Graph, URIRef

from cstograph.errors import InputError, UnknownEntityError
from cstograph.index.history import CLAIMS, History
from cstograph.index.names import lookups, suggest
from cstograph.index.rdf_reader import GraphReader
from cstograph.index.table import PRECISIONS, RelationTable
from cstograph.model.records import Entity, Event, Figure, Relation, Source
from cstograph.model.terms import short_name
from cstograph.temporal import Window, possible_rows

__all__ = ["TableHistory", "TableNames"]


class TableNames:
    """Name resolution over a table's name tables: the answers of
    :meth:`cstograph.index.names.NameIndex.resolve` without building the index."""

    def __init__(self, table: RelationTable, label: Callable[[URIRef], str]) -> None:
        self.table = table
        self.label = label
        self._groups = table.column("groups")

    def _iri(self, term: int) -> URIRef:
        return URIRef(self.table.strings("iri")[term])

    def groups(self, node: URIRef) -> set[str]:
        term = self.table.lookup("by_short").one(short_name(node))
        return self.table.group_names(int(self._groups[term])) if term is not None else set()

    def _candidates(self, name: str) -> set[int]:
        for table, key in lookups(name):
            found = self.table.lookup(f"name_{table}").get(key)
            if found:
                return set(found)
        return set()

    def resolve(self, name: str, *, among: Collection[str] | None = None) -> URIRef:
        """As :meth:`NameIndex.resolve`."""
        found = self._candidates(name)
        if among is not None and len(found) > 1:
            wanted = {t for t in found if self.table.group_names(int(self._groups[t])) & set(among)}
            found = wanted or found
        if len(found) == 1:
            return self._iri(next(iter(found)))
        shorts = self.table.strings("short")
        if found:
            options = ", ".join(sorted(shorts[t] for t in found))
            raise UnknownEntityError(f"{name!r} is ambiguous: it names {options}")
        labels = suggest(self.names(), self.groups, self.label, name, among=among)
        hint = f"; did you mean {', '.join(labels)}?" if labels else ""
        raise UnknownEntityError(f"no entity is called {name!r}{hint}")

    def entity_keys(self) -> dict[URIRef, set[str]]:
        """As :meth:`NameIndex.entity_keys`: every entity with the keys that find it."""
        iris = self.table.strings("iri")
        found: dict[URIRef, set[str]] = {}
        for table in ("names", "compact", "latin"):
            lookup = self.table.lookup(f"name_{table}")
            for i in range(len(lookup.keys)):
                found.setdefault(URIRef(iris[int(lookup.values[i])]), set()).add(lookup.keys[i])
        return found

    def names(self) -> dict[str, set[URIRef]]:
        """Every name by its key, with the entities it names (for suggestions: reads the
        whole name table)."""
        lookup = self.table.lookup("name_names")
        found: dict[str, set[URIRef]] = {}
        iris = self.table.strings("iri")
        for i in range(len(lookup.keys)):
            found.setdefault(lookup.keys[i], set()).add(URIRef(iris[int(lookup.values[i])]))
        return found


class TableHistory(History):
    """Temporal questions answered from a relation table.

    Parameters
    ----------
    table
        An opened table (:func:`cstograph.index.table.open_table`).
    graph
        Opens the store's graph (events, conflict links and reasons, labels the table
        lacks); called at most once, and only by questions that need it.
    claims
        As :class:`History`.
    """

    def __init__(
        self, table: RelationTable, graph: Callable[[], Graph], *, claims: str = "preferred"
    ) -> None:
        if claims not in CLAIMS:
            raise InputError(f"unknown claims setting {claims!r}; use one of {', '.join(CLAIMS)}")
        self.table = table
        self.claims = claims
        self._open_graph = graph
        self._opened: Graph | None = None
        self._graph_reader: GraphReader | None = None
        self.names = TableNames(table, self.label)  # type: ignore[assignment]
        self._by_id = None
        self._describer = None
        self._shown = (
            np.asarray(table.column("preferred")) != 0
            if claims == "preferred"
            else np.ones(table.rows, dtype=bool)
        )
        self._kinds = table.kinds
        self._entities: dict[int, Entity] = {}
        self._terms: dict[str, int | None] = {}
        self._states: dict[int, bool] = {}
        self._shorts: list[str] | None = None
        self._role_iri_cache: dict[int, URIRef] = {}

    # the store's graph, opened on first use ----------------------------------------------

    @property
    def graph(self) -> Graph:
        if self._opened is None:
            self._opened = self._open_graph()
        return self._opened

    @property
    def reader(self) -> GraphReader:
        if self._graph_reader is None:
            self._graph_reader = GraphReader(self.graph)
        return self._graph_reader

    # terms ---------------------------------------------------------------------------------

    def _term(self, node: URIRef | str) -> int | None:
        short = short_name(node) if isinstance(node, URIRef) else node
        if short in self._terms:
            return self._terms[short]
        found = self._terms[short] = self.table.lookup("by_short").one(short)
        return found

    def label(self, node: URIRef) -> str:
        term = self._term(node)
        if term is not None:
            return self.table.strings("label")[term]
        return self.reader.label(node)

    def entity(self, node: URIRef) -> Entity:
        term = self._term(node)
        if term is not None:
            return self._entity(term)
        return self.reader.entity(node)

    def _entity(self, term: int) -> Entity:
        found = self._entities.get(term)
        if found is None:
            found = self._entities[term] = Entity(
                self.table.strings("short")[term], self.table.strings("label")[term]
            )
        return found

    def node_attributes(self, entity_id: str, label: str | None = None) -> dict[str, str]:
        term = self._term(entity_id)
        if term is None:
            return super().node_attributes(entity_id, label)
        return self.term_attributes(term, entity_id, label)

    def term_shorts(self) -> list[str]:
        """Every term's short id, by term number (read once, for work over many rows)."""
        if self._shorts is None:
            shorts = self.table.strings("short")
            self._shorts = [shorts[i] for i in range(len(shorts))]
        return self._shorts

    def states(self, terms: Any) -> Any:
        """Whether each term of the array ``terms`` is a state (:meth:`is_state`)."""
        unique = np.unique(np.asarray(terms))
        known = {int(t): self.is_state(int(t)) for t in unique.tolist()}
        lookup = np.zeros(int(unique.max()) + 1 if len(unique) else 0, dtype=bool)
        for term, state in known.items():
            lookup[term] = state
        return lookup[np.asarray(terms)] if len(unique) else np.zeros(0, dtype=bool)

    def is_state(self, term: int) -> bool:
        """Whether the entity with this term number is a state (its node's class is
        ``cst:State``, as the projection asks)."""
        found = self._states.get(term)
        if found is None:
            attributes = self.term_attributes(term, self.table.strings("short")[term], None)
            found = self._states[term] = attributes.get("class") == "cst:State"
        return found

    def term_attributes(self, term: int, entity_id: str, label: str | None) -> dict[str, str]:
        """:meth:`node_attributes` of the entity with this term number."""
        found = self.table.node_attributes(term)
        if found is None:
            return super().node_attributes(entity_id, label)
        return found if label is None else {**found, "label": label}

    def _role_iris(self) -> set[URIRef]:
        roles = np.asarray(self.table.column("role"))[self._shown]
        iris = self.table.strings("iri")
        return {URIRef(iris[int(t)]) for t in np.unique(roles[roles >= 0])}

    # rows to records -----------------------------------------------------------------------

    def _rows(self, mask: Any) -> list[Relation]:
        return [self._record(row) for row in np.flatnonzero(mask & self._shown).tolist()]

    def _mask(self, kind: str | None, question: Window | None) -> Any:
        table = self.table
        mask = possible_rows(table.column("s_lo"), table.column("e_hi"), question)
        if kind is not None:
            if kind not in self._kinds:
                return np.zeros(table.rows, dtype=bool)
            mask &= np.asarray(table.column("kind")) == self._kinds.index(kind)
        return mask

    def _of_entity(
        self, entity_id: str, kind: str | None = None, question: Window | None = None
    ) -> list[Relation]:
        term = self._term(entity_id)
        if term is None:
            return []
        table = self.table
        mask = (
            (np.asarray(table.column("subject")) == term)
            | (np.asarray(table.column("object")) == term)
            | (np.asarray(table.column("operator")) == term)
        )
        return self._rows(mask & self._mask(kind, question))

    def _candidates(self, kind: str | None, question: Window | None) -> Iterable[Relation]:
        return self._rows(self._mask(kind, question))

    def all_relations(self) -> list[Relation]:
        return self._rows(np.ones(self.table.rows, dtype=bool))

    def relation(self, relation_id: str) -> Relation | None:
        row = self.table.lookup("relation_ids").one(relation_id)
        if row is None or not self._shown[row]:
            return None
        return self._record(row)

    def _events_of(self, node: URIRef) -> Iterable[Event]:
        from cstograph.model.terms import EVENT_CLASSES, RDF

        graph = self.graph
        classes = set(EVENT_CLASSES)
        events = {
            s
            for s in graph.subjects(None, node)
            if isinstance(s, URIRef) and any(t in classes for t in graph.objects(s, RDF.type))
        }
        for event in sorted(events):
            record = self.reader.event(event)
            if self.claims == "all" or record.preferred is not False:
                yield record

    def _record(self, row: int) -> Relation:
        """The record of one row, as the records the table was written from."""
        table = self.table

        def at(name: str) -> int:
            return int(table.column(name)[row])

        def day(ordinal: int) -> date:
            return date.fromordinal(ordinal)

        def optional(name: str) -> Entity | None:
            term = at(name)
            return self._entity(term) if term >= 0 else None

        labels = table.strings("label")
        (rid, label, sources, unit, personnel, conflicts) = json.loads(
            table.strings("details")[row]
        )
        role, sq, eq, end, ep = at("role"), at("sq"), at("eq"), at("end"), at("ep")
        preferred = at("preferred")
        extra: dict[str, Any] = {}
        if unit is not None:
            extra["unit"] = unit
        if personnel is not None:
            extra["personnel"] = Figure(*personnel)
        operator, organization = optional("operator"), optional("organization")
        if operator is not None:
            extra["operator"] = operator
        if organization is not None:
            extra["organization"] = organization
        role_iri = None
        if role >= 0:
            role_iri = self._role_iri_cache.get(role)
            if role_iri is None:
                role_iri = self._role_iri_cache[role] = URIRef(table.strings("iri")[role])
        return Relation(
            id=rid,
            label=label,
            kind=self._kinds[at("kind")],
            subject=self._entity(at("subject")),
            object=self._entity(at("object")),
            role=labels[role] if role >= 0 else None,
            start=day(at("start")),
            end=day(end) if end else None,
            start_precision=PRECISIONS[at("sp")],
            end_precision=PRECISIONS[ep] if ep >= 0 else None,
            start_qualifier=labels[sq] if sq >= 0 else None,
            end_qualifier=labels[eq] if eq >= 0 else None,
            certain=True,
            sources=tuple(Source(*s) for s in sources),
            conflicts_with=tuple(conflicts),
            preferred=None if preferred < 0 else bool(preferred),
            _role_iri=role_iri,
            _start_range=(day(at("s_lo")), day(at("s_hi"))),
            _end_range=(day(at("e_lo")), day(at("e_hi"))),
            **extra,
        )
