"""Relation records from what the streaming reader read of a relation node, by the same
rules as the rdflib reader (:class:`cstograph.index.rdf_reader.GraphReader`).

A record is made in two steps: :meth:`Builder.values` reads the node's own triples and its
blank nodes into a compact tuple as soon as the node is complete; :meth:`Builder.record`
adds what only the whole graph knows (labels, source titles, a post's organization).
"""

from __future__ import annotations

from datetime import date
from sys import intern
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from cstograph.errors import InputError
from cstograph.index.oxterms import (
    ISO_DAY,
    LANG_STRING,
    PRECISION,
    XSD_DATE,
    XSD_STRING,
    Cite,
    FigureValues,
    P,
    Pairs,
    Values,
    iri_text,
    is_iri,
    short_any,
    short_iri,
)
from cstograph.index.rdf_reader import _boolean, _date, _natural, _number, source_record
from cstograph.model.kinds import KINDS, Field
from cstograph.model.records import Entity as _Entity
from cstograph.model.records import Figure as _Figure
from cstograph.model.records import Relation, Source
from cstograph.model.terms import ORG, RDFS, SKOS
from cstograph.temporal import Precision, bound_range

__all__ = ["Builder"]


class Builder:
    """Relation records from the compact ones, by the rules of ``History._read_relations``."""

    def __init__(self, graph: Graph, conflicts: dict[str, set[Any]], convert: Any) -> None:
        self.graph = graph  # the reader's graph of other triples (complete once all is read)
        self.conflicts = conflicts
        self.convert = convert  # literals and blank nodes to rdflib terms, as in the graph
        self._iris: dict[str, URIRef] = {}
        self._labels: dict[URIRef, str] = {}
        self._entities: dict[str, _Entity] = {}
        self._days: dict[str, date] = {}
        self._ranges: dict[tuple[date | None, str | None, str | None, bool], tuple[date, date]]
        self._ranges = {}
        self._sources: dict[Cite, Source] = {}
        self._posts: dict[str, _Entity | None] = {}
        self.kinds = {k.name: k for k in KINDS}

    def iri(self, text: str) -> URIRef:
        found = self._iris.get(text)
        if found is None:
            found = self._iris[text] = URIRef(text)
        return found

    def node(self, term: Any) -> Any:
        return self.iri(term.value) if isinstance(term, ox.NamedNode) else self.convert(term)

    def label(self, node: URIRef) -> str:
        if node not in self._labels:
            g = self.graph
            value = g.value(node, SKOS.prefLabel) or g.value(node, RDFS.label)
            self._labels[node] = str(value) if value is not None else short_iri(str(node))
        return self._labels[node]

    def entity(self, iri: str) -> _Entity:
        found = self._entities.get(iri)
        if found is None:
            found = self._entities[iri] = _Entity(short_iri(iri), self.label(self.iri(iri)))
        return found

    # values of relation nodes and their own blank nodes; other nodes are in the graph

    def _pairs(self, term: Any, children: dict[str, Pairs]) -> Pairs | None:
        if isinstance(term, ox.BlankNode):
            return children.get("_:" + term.value)
        return None

    def value(self, term: Any, predicate: str, children: dict[str, Pairs]) -> Any:
        pairs = self._pairs(term, children)
        if pairs is not None:
            found = pairs.get(predicate)
            return self.node(found[0]) if found else None
        return self.graph.value(self.node(term), self.iri(predicate))

    def text_value(self, term: Any, predicate: str, children: dict[str, Pairs]) -> str | None:
        """``str()`` of :meth:`value`, without making rdflib literals of plain strings."""
        pairs = self._pairs(term, children)
        if pairs is not None:
            found = pairs.get(predicate)
            return self.text(found[0]) if found else None
        value = self.graph.value(self.node(term), self.iri(predicate))
        return str(value) if value is not None else None

    def text(self, term: Any) -> str:
        """``str()`` of the rdflib literal (lexical form, normalized for typed literals)."""
        if isinstance(term, ox.Literal) and (
            term.language or term.datatype.value in (XSD_STRING, LANG_STRING)
        ):
            return str(term.value)
        return str(self.node(term))

    # the parts of a record

    # A record is made in two steps. ``values`` reads what the relation node and its own
    # blank nodes say into a compact tuple, with IRIs as strings; it needs no lookups in
    # the graph, so the reader calls it as soon as a relation node is complete and keeps
    # the tuple instead of the parsed triples. ``record`` then adds what only the whole
    # graph knows (labels, source titles, a post's organization, conflicts).

    def values(self, iri: str, kind: str, pairs: Pairs, children: dict[str, Pairs]) -> Values:
        """The compact values of one relation record (see above)."""

        def first(predicate: str) -> Any:
            found = pairs.get(predicate)
            return found[0] if found else None

        table = self.kinds[kind]
        subject = obj = None
        for predicate in table.subject_predicates():
            subject = first(str(predicate))
            if subject is not None:
                break
        for predicate in table.object_predicates():
            obj = first(str(predicate))
            if obj is not None:
                break
        unit_text = unit_iri = figure = operator = None
        if Field.UNIT in table.fields:
            unit, named = first(P["unit_description"]), first(P["contributed_unit"])
            if unit is not None:
                unit_text = self.text(unit)
            else:
                unit_iri = iri_text(named)
        if Field.PERSONNEL in table.fields:
            figure = self.figure(first(P["personnel"]), children)
        if Field.OPERATOR in table.fields:
            operator = iri_text(first(P["operator"]))
        short = short_iri(iri)
        if not isinstance(subject, ox.NamedNode) or not isinstance(obj, ox.NamedNode):
            raise InputError(f"{short} ({kind}) lacks its subject or object")
        # bounds, as History._bounds
        start_term, end_term = first(P["start"]), first(P["end"])
        start = self.day(start_term) if start_term is not None else None
        end = self.day(end_term) if end_term is not None else None
        if start is None:
            raise InputError(f"{short} has no schema:startDate of type xsd:date")
        sp_term, ep_term = first(P["start_precision"]), first(P["end_precision"])
        sp = PRECISION.get(sp_term.value, Precision.DAY) if is_iri(sp_term) else Precision.DAY
        ep = (
            (PRECISION.get(ep_term.value, Precision.DAY) if is_iri(ep_term) else Precision.DAY)
            if end
            else None
        )
        preferred = first(P["preferred"])
        cites = []
        for derivation in pairs.get(P["derivation"], ()):
            source = self.value(derivation, P["entity"], children)
            if isinstance(source, URIRef):
                cites.append(
                    (
                        intern(str(source)),
                        self.text_value(derivation, P["locator"], children),
                        self.text_value(derivation, P["comment"], children),
                    )
                )
        cited = {cite[0] for cite in cites}
        plain = tuple(  # the sources cited without a derivation
            intern(source.value)
            for source in pairs.get(P["derived_from"], ())
            if isinstance(source, ox.NamedNode) and source.value not in cited
        )
        has_label = first(P["pref_label"]) is not None or first(P["label"]) is not None
        return (
            kind,
            iri,
            self._own_label(pairs, short) if has_label else None,
            intern(subject.value),
            intern(obj.value),
            iri_text(first(P["role"])),
            start,
            end,
            sp,
            ep,
            iri_text(first(P["start_qualifier"])),
            iri_text(first(P["end_qualifier"])) if end else None,
            _boolean(self.node(preferred)) if preferred is not None else None,
            tuple(cites),
            plain,
            unit_text,
            unit_iri,
            figure,
            operator,
        )

    def record(self, values: Values) -> Relation:
        """The relation record of :meth:`values`' tuple, once the graph is complete."""
        (
            kind,
            iri,
            label,
            subject,
            obj,
            role,
            start,
            end,
            sp,
            ep,
            sq,
            eq,
            preferred,
            cites,
            plain,
            unit_text,
            unit_iri,
            figure,
            operator,
        ) = values
        extra: dict[str, Any] = {}
        fields = self.kinds[kind].fields
        if Field.UNIT in fields:
            extra["unit"] = (
                unit_text
                if unit_text is not None
                else self.label(self.iri(unit_iri))
                if unit_iri is not None
                else None
            )
        if Field.PERSONNEL in fields:
            extra["personnel"] = (
                _Figure(
                    figure[0],
                    figure[1],
                    self.label(figure[2]) if isinstance(figure[2], URIRef) else None,
                    figure[3],
                )
                if figure is not None
                else None
            )
        if Field.OPERATOR in fields:
            extra["operator"] = self.entity(operator) if operator is not None else None
        if Field.ORGANIZATION in fields:
            extra["organization"] = self.organization(obj)
        linked = self.conflicts.get(iri, ())
        role_iri = self.iri(role) if role is not None else None
        short = short_iri(iri)
        return Relation(
            id=short,
            label=label if label is not None else short,
            kind=kind,
            subject=self.entity(subject),
            object=self.entity(obj),
            role=self.label(role_iri) if role_iri is not None else None,
            certain=True,
            sources=self.sources(cites, plain),
            conflicts_with=tuple(sorted(short_any(c) for c in linked)) if linked else (),
            preferred=preferred,
            _role_iri=role_iri,
            start=start,
            end=end,
            start_precision=sp,
            end_precision=ep,
            start_qualifier=self.label(self.iri(sq)) if sq is not None else None,
            end_qualifier=self.label(self.iri(eq)) if eq is not None else None,
            _start_range=self.bound_range(start, sp, sq, is_end=False),
            _end_range=self.bound_range(end, ep, eq, is_end=True),
            **extra,
        )

    def relation(self, iri: str, kind: str, pairs: Pairs, children: dict[str, Pairs]) -> Relation:
        """:meth:`record` of :meth:`values`: for relation nodes read once the graph is
        complete (their blank nodes came later, or they cite named derivations)."""
        return self.record(self.values(iri, kind, pairs, children))

    def organization(self, post: str) -> _Entity | None:
        if post not in self._posts:
            org = self.graph.value(self.iri(post), ORG.postIn)
            self._posts[post] = self.entity(str(org)) if isinstance(org, URIRef) else None
        return self._posts[post]

    def sources(self, cites: tuple[Cite, ...], plain: tuple[str, ...]) -> tuple[Source, ...]:
        found = []
        for cite in cites:
            source = self._sources.get(cite)
            if source is None:
                source = self._sources[cite] = source_record(
                    self.graph, self.iri(cite[0]), *cite[1:]
                )
            found.append(source)
        for iri in plain:  # not cited with a derivation too (see values)
            found.append(source_record(self.graph, self.iri(iri), plain=True))
        if len(found) > 1:
            found.sort(key=lambda s: (s.id, _natural(s.locator or "")))
        return tuple(found)

    def bound_range(
        self, day: date | None, precision: str | None, qualifier: str | None, *, is_end: bool
    ) -> tuple[date, date]:
        key = (day, precision, qualifier, is_end)
        found = self._ranges.get(key)
        if found is None:
            iri = self.iri(qualifier) if qualifier is not None else None
            found = self._ranges[key] = bound_range(day, precision, iri, is_end=is_end)
        return found

    def figure(self, term: Any, children: dict[str, Pairs]) -> FigureValues | None:
        if term is None:
            return None
        value = self.value(term, P["value"], children)
        if value is None:
            return None
        unit = self.value(term, P["unit_text"], children)
        approximation = self.value(term, P["approximation"], children)
        description = self.value(term, P["description"], children)
        return (
            _number(value),
            str(unit) if unit is not None else None,
            approximation if isinstance(approximation, URIRef) else None,
            str(description) if description is not None else None,
        )

    def day(self, term: Any) -> date | None:
        if isinstance(term, ox.Literal) and term.datatype.value == XSD_DATE:
            text = term.value
            found = self._days.get(text)
            if found is not None:
                return found
            if ISO_DAY.fullmatch(text):
                try:
                    found = self._days[text] = date.fromisoformat(text)
                    return found
                except ValueError:
                    pass
        return _date(self.node(term)) if term is not None else None

    def _own_label(self, pairs: Pairs, short: str) -> str:
        """``skos:prefLabel`` or ``rdfs:label`` of a relation node, with rdflib's truthiness."""
        pref = pairs.get(P["pref_label"])
        plain = pairs.get(P["label"])
        value = (self.node(pref[0]) if pref else None) or (self.node(plain[0]) if plain else None)
        return str(value) if value is not None else short
