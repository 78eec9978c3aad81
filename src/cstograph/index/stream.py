"""A fast path to the interval index: Turtle to :class:`~cstograph.index.history.History` without
parsing the relation nodes into rdflib.

rdflib's Turtle parser costs most of the time of a cold temporal question on a large graph
(about 70 µs a triple). Here pyoxigraph's parser (Rust) reads the files, and the triples of
each relation node and of the blank nodes it owns (qualified derivations, personnel figures)
become :class:`~cstograph.index.history.Relation` records directly, by the same rules as
:meth:`History._read_relations <cstograph.index.history.History>`. Every other triple (entities,
labels, sources, events, the ontology) goes, as it is read, into an rdflib graph on a
:class:`~cstograph.io.compact_memory.CompactMemory` store, which answers the lookups those rules
make (labels, source titles, a post's organization) and everything else :class:`History` and
:mod:`cstograph.analysis.snapshot` read.

The result answers exactly like ``History(load(files))``: the same relation records, names,
events and labels. The one difference is :attr:`History.graph`, which holds every triple
*except* those of relation nodes and their own blank nodes (but for their
``cst:conflictsWith`` and ``cst:preferenceReason``, which :mod:`cstograph.index.conflicts` reads);
use :func:`cstograph.load` when you need those triples themselves (SPARQL over relation
nodes, export, validation).

:func:`history_from_store` does the same for an Oxigraph store (``--store oxigraph:DIR``),
reading its quads instead of copying the whole store into rdflib first, and
:func:`history_from_endpoint` for a SPARQL endpoint (``--store sparql:URL``), reading one
CONSTRUCT answer.

Subjects may come in any order: a blank node's triples may be written before or after the
relation node that points to it (a store yields blank nodes after every IRI). Files whose
relation nodes are not written in one piece (a node's triples split between two places, or a
blank node that a relation node reaches and something else points to as well) cannot be read
this way; for them :func:`load_history` falls back to ``History(load(files))`` (and
:func:`history_from_store` to the store's rdflib copy), which gives the same answers at
rdflib speed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from sys import intern
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RLiteral

from cstograph.errors import DataFileError, InputError, StoreError, one_line
from cstograph.gcpause import paused
from cstograph.index.history import (
    _KIND_OF_CLASS,
    History,
    Relation,
    Source,
    _boolean,
    _date,
    _natural,
    _number,
)
from cstograph.index.history import Entity as _Entity
from cstograph.index.history import Figure as _Figure
from cstograph.io import paths
from cstograph.io.formats import input_format
from cstograph.io.parse import _check_offline, as_memory, load, new_graph
from cstograph.model.terms import CST, DCTERMS, ORG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS
from cstograph.temporal import Precision, bound_range

__all__ = [
    "history_from_endpoint",
    "history_from_file",
    "history_from_store",
    "load_history",
    "oxigraph_triples",
]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_XSD_DATE = _XSD + "date"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_TYPE = str(RDF.type)
_RELATION_CLASSES = {str(cls): kind for cls, kind in _KIND_OF_CLASS.items()}
_CONFLICTS = str(CST.conflictsWith)
#: Triples of relation nodes kept in the graph too: what :mod:`cstograph.index.conflicts` reads.
_KEPT = {_CONFLICTS, str(CST.preferenceReason)}
_PRECISION = {str(unit): name for unit, name in Precision.BY_UNIT.items()}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL = re.compile(r"[\w.-]+")
#: Namespaces longest first (ties in PREFIXES order), as :func:`terms.short_name` chooses.
_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

# predicates of relation nodes, as strings
_P = {
    name: str(iri)
    for name, iri in {
        "member": ORG.member,
        "organization": ORG.organization,
        "role": ORG.role,
        "non_member": CST.nonMember,
        "non_member_of": CST.nonMemberOf,
        "host": CST.hostState,
        "base": CST.base,
        "stationed": CST.stationedUnit,
        "operator": CST.operator,
        "holder": CST.holder,
        "post": CST.post,
        "unit_description": CST.unitDescription,
        "contributed_unit": CST.contributedUnit,
        "personnel": CST.personnel,
        "start": SCHEMA.startDate,
        "end": SCHEMA.endDate,
        "start_precision": CST.startPrecision,
        "end_precision": CST.endPrecision,
        "start_qualifier": CST.startQualifier,
        "end_qualifier": CST.endQualifier,
        "preferred": CST.preferred,
        "derivation": PROV.qualifiedDerivation,
        "derived_from": PROV.wasDerivedFrom,
        "entity": PROV.entity,
        "locator": CST.locator,
        "comment": RDFS.comment,
        "pref_label": SKOS.prefLabel,
        "label": RDFS.label,
        "value": SCHEMA.value,
        "unit_text": SCHEMA.unitText,
        "approximation": CST.approximation,
        "description": SCHEMA.description,
    }.items()
}

Pairs = dict[str, list[Any]]
#: A citation: the source's IRI, the locator and the note.
Cite = tuple[str, str | None, str | None]
#: A personnel figure: value, unit, approximation (IRI), description.
FigureValues = tuple[int | float, str | None, URIRef | None, str | None]
#: What :meth:`_Builder.values` reads from a relation node (see there).
Values = tuple[Any, ...]


class _Irregular(Exception):
    """The files cannot be read in one streaming pass (see the module docstring)."""


def _short(text: str) -> str:
    """:func:`cstograph.model.terms.short_name` of an IRI given as a string."""
    for prefix, namespace in _NAMESPACES:
        if text.startswith(namespace):
            local = text[len(namespace) :]
            return f"{prefix}:{local}" if _LOCAL.fullmatch(local) else text
    return text


def _rdflib(term: Any) -> Any:
    """A pyoxigraph term as rdflib's Turtle parser would have made it."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return RLiteral(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return RLiteral(term.value)
    return RLiteral(term.value, datatype=URIRef(datatype))


def _rdflib_typed(term: Any) -> Any:
    """A pyoxigraph term as oxrdflib makes it: plain literals typed ``xsd:string``."""
    if isinstance(term, ox.Literal) and not term.language:
        return RLiteral(term.value, datatype=URIRef(term.datatype.value))
    return _rdflib(term)


def _key(term: Any) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else str(term.value)


def oxigraph_triples(path: Path, *, allow_network: bool = False) -> Iterator[Any]:
    """The triples of an RDF file, parsed by pyoxigraph (blank nodes renamed apart).

    Raises
    ------
    DataFileError
        Unknown extension, missing file, or a syntax error (file, line and reason).
    NetworkRefusedError
        A JSON-LD remote context or an RDF/XML DOCTYPE without ``allow_network``.
    """
    rdf_format = input_format(path)
    fmt = rdf_format.rdflib_parser
    if not path.is_file():
        raise DataFileError(str(path), "no such file")
    if not allow_network and fmt in ("json-ld", "xml"):
        _check_offline(path, fmt, path.read_text(encoding="utf-8"))
    try:
        yield from ox.parse(
            path=str(path),
            format=rdf_format.oxigraph_format(),
            base_iri=path.resolve().as_uri(),
            rename_blank_nodes=True,
            without_named_graphs=True,
        )
    except SyntaxError as exc:
        message = str(exc.msg if exc.msg else exc)
        reason = message.split(": ", 1)[1] if message.startswith("Parser error") else message
        raise DataFileError(str(path), " ".join(reason.split()), exc.lineno) from None
    except (OSError, ValueError) as exc:
        raise DataFileError(str(path), f"cannot read: {exc}") from None


class _Reader:
    """Relation nodes to compact records, everything else to rdflib, in any order of subjects.

    :meth:`read` takes triples (any number of calls, one per file); :meth:`finish` then gives
    each relation node the blank nodes only it reaches (qualified derivations, personnel
    figures), wherever their triples came. A relation node's own triples must come in one
    piece and the blank nodes it reaches must be pointed to from nothing else; otherwise
    :class:`_Irregular` is raised and the caller falls back to rdflib.

    Parameters
    ----------
    typed_strings
        Make plain literals ``xsd:string``-typed rdflib literals, as oxrdflib does when it
        reads a store; by default they are untyped, as rdflib's Turtle parser makes them.
    """

    def __init__(self, *, typed_strings: bool = False) -> None:
        self.convert = _rdflib_typed if typed_strings else _rdflib
        self.rest = new_graph(compact=True)  # every other triple, as rdflib terms
        self.bnodes: dict[str, list[tuple[str, Any]]] = {}  # the triples of blank nodes
        self.referrer: dict[str, str] = {}  # blank node -> the first subject pointing to it
        self.referrers: dict[str, set[str]] = {}  # blank nodes two or more subjects point to
        self.rest_iris: set[str] = set()  # IRI subjects of other triples
        self.relation_iris: set[str] = set()  # relation nodes read
        self.conflicts: dict[str, set[Any]] = defaultdict(set)
        # per relation node: (iri, kinds, its pairs, the pairs of the blank nodes it owns,
        # filled in by finish), for nodes whose blank nodes were not all read before them
        self.relations: list[tuple[str, list[str], Pairs, dict[str, Pairs]]] = []
        # the others (in files, usually all) are owned and read into drafts on the spot
        # blank nodes owned on the spot: any later mention is irregular
        self.owned: set[str] = set()
        self.builder = _Builder(self.rest, self.conflicts, self.convert)
        self.drafts: list[Values] = []

    def _refer(self, key: str, subject: str) -> None:
        """Note that ``subject`` points to the blank node ``key``."""
        if key in self.owned:
            raise _Irregular(key)  # a blank node owned by a relation node, pointed to again
        first = self.referrer.setdefault(key, subject)
        if first != subject:
            self.referrers.setdefault(key, {first}).add(subject)

    def read(self, quads: Iterable[Any]) -> None:
        current: str | None = None
        block: list[tuple[str, Any]] = []
        bnodes = self.bnodes
        blank = ox.BlankNode
        for quad in quads:
            s = quad.subject
            p = intern(quad.predicate.value)  # one string per predicate, not per triple
            o = quad.object
            if p == _CONFLICTS:
                self.conflicts[_key(s)].add(o)
                if not isinstance(o, ox.Literal):
                    self.conflicts[_key(o)].add(s)
            if isinstance(s, blank):
                key = "_:" + s.value
                if key in self.owned:
                    raise _Irregular(key)  # more triples of an owned blank node
                if isinstance(o, blank):
                    self._refer("_:" + o.value, key)
                triples = bnodes.get(key)
                if triples is None:
                    triples = bnodes[key] = []
                triples.append((p, o))
                continue
            value = s.value
            if value != current:
                if current is not None:
                    self._end(current, block)
                current, block = value, []
            block.append((p, o))
        if current is not None:
            self._end(current, block)

    def _end(self, iri: str, block: list[tuple[str, Any]]) -> None:
        kinds = [
            _RELATION_CLASSES[o.value]
            for p, o in block
            if p == _TYPE and isinstance(o, ox.NamedNode) and o.value in _RELATION_CLASSES
        ]
        if iri in self.relation_iris or (kinds and iri in self.rest_iris):
            raise _Irregular(iri)  # a relation node in two pieces
        for _p, o in block:
            if isinstance(o, ox.BlankNode):
                self._refer("_:" + o.value, iri)
        if not kinds:
            self.rest_iris.add(iri)
            self._keep(self.builder.iri(iri), block)
            return
        self.relation_iris.add(iri)
        kept = [(p, o) for p, o in block if p in _KEPT]
        if kept:  # (else no IRI object for the node: a million of them add up)
            self._keep(self.builder.iri(iri), kept)
        pairs: Pairs = defaultdict(list)
        for p, o in block:
            pairs[p].append(o)
        kinds = sorted(set(kinds), key=_KINDS_ORDER.index)
        children = self._own_now(iri, block)
        if children is not None and _contained(pairs, children):
            self.drafts.extend(self.builder.values(iri, kind, pairs, children) for kind in kinds)
        else:
            self.relations.append((iri, kinds, pairs, children or {}))

    def _keep(self, subject: Any, pairs: list[tuple[str, Any]]) -> None:
        """Put a subject's (predicate, object) pairs into the rdflib graph of other triples."""
        add, node, iri_of = self.rest.store.add, self.builder.node, self.builder.iri
        for p, o in pairs:  # straight to the store: Graph.add checks each term again
            add((subject, iri_of(p), node(o)), self.rest)

    def _own_now(self, iri: str, block: list[tuple[str, Any]]) -> dict[str, Pairs] | None:
        """The blank nodes a relation node reaches, owned at once when all were read before
        it (as a Turtle writer puts ``[ ... ]``); None when some are still to come.

        Owned now, a blank node must not be mentioned again: its triples are all read and
        so are those of the nodes that point to it, so a later mention means that another
        subject shares it (:meth:`_refer` and :meth:`read` raise :class:`_Irregular`).
        """
        bnodes, referrer, referrers = self.bnodes, self.referrer, self.referrers
        reach = ["_:" + o.value for _p, o in block if isinstance(o, ox.BlankNode)]
        seen: set[str] = set()
        while reach:
            key = reach.pop()
            if key in seen:
                continue
            triples = bnodes.get(key)
            if triples is None:
                return None
            seen.add(key)
            reach.extend("_:" + o.value for _p, o in triples if isinstance(o, ox.BlankNode))
        inside = seen | {iri}
        for key in seen:
            if referrer.get(key) not in inside or not referrers.get(key, set()) <= inside:
                raise _Irregular(key)  # also pointed to from outside the relation
        children: dict[str, Pairs] = {}
        for key in seen:
            child: Pairs = defaultdict(list)
            for p, o in bnodes.pop(key):
                child[p].append(o)
            children[key] = child
            referrer.pop(key, None)
            referrers.pop(key, None)
        self.owned |= seen
        return children

    def finish(self) -> None:
        """Give each relation node the blank nodes it reaches, once every triple is read.

        Raises
        ------
        _Irregular
            A blank node a relation node reaches is also pointed to from outside it (another
            relation node, another subject).
        """
        bnodes, referrer, referrers = self.bnodes, self.referrer, self.referrers
        for iri, _kinds, pairs, children in self.relations:
            todo = [o for values in pairs.values() for o in values if isinstance(o, ox.BlankNode)]
            while todo:
                key = "_:" + todo.pop().value
                if key in children:
                    continue
                if referrer.pop(key, None) is None:
                    raise _Irregular(key)  # owned already by another relation node
                child: Pairs = defaultdict(list)
                for p, o in bnodes.pop(key, ()):
                    child[p].append(o)
                    if isinstance(o, ox.BlankNode):
                        todo.append(o)
                children[key] = child
            for key in children:
                pointing = referrers.get(key)
                if pointing is not None and not all(s == iri or s in children for s in pointing):
                    raise _Irregular(key)  # also pointed to from outside the relation
        # what only reading needed goes before the records are made (at 1M relations,
        # hundreds of megabytes of node names)
        self.referrer, self.referrers, self.owned = {}, {}, set()
        self.relation_iris, self.rest_iris = set(), set()

    def graph(self) -> Graph:
        """The rdflib graph of every other triple, once :meth:`finish` has run."""
        for key, pairs in self.bnodes.items():  # those no relation node owns
            self._keep(BNode(key[2:]), pairs)
        self.bnodes = {}
        return self.rest


_KINDS_ORDER = list(_KIND_OF_CLASS.values())


class _Builder:
    """Relation records from the compact ones, by the rules of ``History._read_relations``."""

    def __init__(self, graph: Graph, conflicts: dict[str, set[Any]], convert: Any) -> None:
        self.graph = graph  # the reader's graph of other triples (complete once all is read)
        self.conflicts = conflicts
        self.convert = convert  # literals and blank nodes to rdflib terms, as in the graph
        self._iris: dict[str, URIRef] = {}
        self._labels: dict[URIRef, str] = {}
        self._entities: dict[str, _Entity] = {}
        self._titles: dict[str, tuple[str, Any]] = {}
        self._days: dict[str, date] = {}
        self._ranges: dict[tuple[date | None, str | None, str | None, bool], tuple[date, date]]
        self._ranges = {}
        self._sources: dict[Cite, Source] = {}
        self._posts: dict[str, _Entity | None] = {}

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
            self._labels[node] = str(value) if value is not None else _short(str(node))
        return self._labels[node]

    def entity(self, iri: str) -> _Entity:
        found = self._entities.get(iri)
        if found is None:
            found = self._entities[iri] = _Entity(_short(iri), self.label(self.iri(iri)))
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
            term.language or term.datatype.value in (_XSD_STRING, _LANG_STRING)
        ):
            return str(term.value)
        return str(self.node(term))

    # the parts of a record

    def title(self, source: str) -> tuple[str, Any]:
        found = self._titles.get(source)
        if found is None:
            found = self._titles[source] = (
                _short(source),
                self.graph.value(self.iri(source), DCTERMS.title),
            )
        return found

    # A record is made in two steps. ``values`` reads what the relation node and its own
    # blank nodes say into a compact tuple, with IRIs as strings; it needs no lookups in
    # the graph, so the reader calls it as soon as a relation node is complete and keeps
    # the tuple instead of the parsed triples. ``record`` then adds what only the whole
    # graph knows (labels, source titles, a post's organization, conflicts).

    def values(self, iri: str, kind: str, pairs: Pairs, children: dict[str, Pairs]) -> Values:
        """The compact values of one relation record (see above)."""

        def first(name: str) -> Any:
            found = pairs.get(_P[name])
            return found[0] if found else None

        unit_text = unit_iri = figure = operator = None
        if kind in ("member-of", "contributes-to-force"):
            subject, obj = first("member"), first("organization")
            if kind == "contributes-to-force":
                unit, named = first("unit_description"), first("contributed_unit")
                if unit is not None:
                    unit_text = self.text(unit)
                else:
                    unit_iri = _iri_text(named)
                figure = self.figure(first("personnel"), children)
        elif kind == "not-member-of":
            subject, obj = first("non_member"), first("non_member_of")
        elif kind == "hosts-base":
            subject = first("host")
            obj = first("base")
            obj = obj if obj is not None else first("stationed")
            operator = _iri_text(first("operator"))
            figure = self.figure(first("personnel"), children)
        else:  # holds-office
            subject, obj = first("holder"), first("post")
        short = _short(iri)
        if not isinstance(subject, ox.NamedNode) or not isinstance(obj, ox.NamedNode):
            raise InputError(f"{short} ({kind}) lacks its subject or object")
        # bounds, as History._bounds
        start_term, end_term = first("start"), first("end")
        start = self.day(start_term) if start_term is not None else None
        end = self.day(end_term) if end_term is not None else None
        if start is None:
            raise InputError(f"{short} has no schema:startDate of type xsd:date")
        sp_term, ep_term = first("start_precision"), first("end_precision")
        sp = _PRECISION.get(sp_term.value, Precision.DAY) if _named(sp_term) else Precision.DAY
        ep = (
            (_PRECISION.get(ep_term.value, Precision.DAY) if _named(ep_term) else Precision.DAY)
            if end
            else None
        )
        preferred = first("preferred")
        cites = []
        for derivation in pairs.get(_P["derivation"], ()):
            source = self.value(derivation, _P["entity"], children)
            if isinstance(source, URIRef):
                cites.append(
                    (
                        intern(str(source)),
                        self.text_value(derivation, _P["locator"], children),
                        self.text_value(derivation, _P["comment"], children),
                    )
                )
        cited = {cite[0] for cite in cites}
        plain = tuple(  # the sources cited without a derivation
            intern(source.value)
            for source in pairs.get(_P["derived_from"], ())
            if isinstance(source, ox.NamedNode) and source.value not in cited
        )
        has_label = first("pref_label") is not None or first("label") is not None
        return (
            kind,
            iri,
            self._own_label(pairs, short) if has_label else None,
            intern(subject.value),
            intern(obj.value),
            _iri_text(first("role")),
            start,
            end,
            sp,
            ep,
            _iri_text(first("start_qualifier")),
            _iri_text(first("end_qualifier")) if end else None,
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
        if kind == "contributes-to-force":
            extra["unit"] = (
                unit_text
                if unit_text is not None
                else self.label(self.iri(unit_iri))
                if unit_iri is not None
                else None
            )
        if kind in ("contributes-to-force", "hosts-base"):
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
        if kind == "hosts-base":
            extra["operator"] = self.entity(operator) if operator is not None else None
        if kind == "holds-office":
            extra["organization"] = self.organization(obj)
        linked = self.conflicts.get(iri, ())
        role_iri = self.iri(role) if role is not None else None
        short = _short(iri)
        return Relation(
            id=short,
            label=label if label is not None else short,
            kind=kind,
            subject=self.entity(subject),
            object=self.entity(obj),
            role=self.label(role_iri) if role_iri is not None else None,
            certain=True,
            sources=self.sources(cites, plain),
            conflicts_with=tuple(sorted(_short_any(c) for c in linked)) if linked else (),
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
                short, title = self.title(cite[0])
                source = self._sources[cite] = Source(short, str(title or short), *cite[1:])
            found.append(source)
        for iri in plain:  # not cited with a derivation too (see values)
            short, title = self.title(iri)
            found.append(Source(short, str(title or "")))
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
        value = self.value(term, _P["value"], children)
        if value is None:
            return None
        unit = self.value(term, _P["unit_text"], children)
        approximation = self.value(term, _P["approximation"], children)
        description = self.value(term, _P["description"], children)
        return (
            _number(value),
            str(unit) if unit is not None else None,
            approximation if isinstance(approximation, URIRef) else None,
            str(description) if description is not None else None,
        )

    def day(self, term: Any) -> date | None:
        if isinstance(term, ox.Literal) and term.datatype.value == _XSD_DATE:
            text = term.value
            found = self._days.get(text)
            if found is not None:
                return found
            if _ISO_DAY.fullmatch(text):
                try:
                    found = self._days[text] = date.fromisoformat(text)
                    return found
                except ValueError:
                    pass
        return _date(self.node(term)) if term is not None else None

    def _own_label(self, pairs: Pairs, short: str) -> str:
        """``skos:prefLabel`` or ``rdfs:label`` of a relation node, with rdflib's truthiness."""
        pref = pairs.get(_P["pref_label"])
        plain = pairs.get(_P["label"])
        value = (self.node(pref[0]) if pref else None) or (self.node(plain[0]) if plain else None)
        return str(value) if value is not None else short


def _contained(pairs: Pairs, children: dict[str, Pairs]) -> bool:
    """Whether a relation's derivations and figures are blank nodes it owns, so that its
    values can be read before the rest of the graph."""
    for name in ("derivation", "personnel"):
        for term in pairs.get(_P[name], ()):
            if not isinstance(term, ox.BlankNode) or "_:" + term.value not in children:
                return False
    return True


def _named(term: Any) -> bool:
    return isinstance(term, ox.NamedNode)


def _iri_text(term: Any) -> str | None:
    """An IRI's text (interned: records share it), or None for other terms."""
    return intern(term.value) if isinstance(term, ox.NamedNode) else None


def _short_any(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return _short(term.value)
    if isinstance(term, ox.BlankNode):
        return term.value
    return str(_rdflib(term))


def load_history(
    extra_files: Iterable[Path | str] = (),
    *,
    include_graph: bool = True,
    include_ontology: bool = True,
    allow_network: bool = False,
    claims: str = "preferred",
) -> History:
    """The interval index of the files :func:`cstograph.load` would read, built fast.

    Parameters
    ----------
    extra_files, include_graph, include_ontology, allow_network
        As :func:`cstograph.load`: the ontology, the shipped ``graph/`` and the user's files.
    claims
        As :class:`~cstograph.index.history.History`.

    Returns
    -------
    History
        Answers exactly like ``History(load(extra_files, ...), claims=claims)``; its
        ``graph`` holds every triple but those of relation nodes and their blank nodes
        (see the module docstring).

    Raises
    ------
    DataFileError
        A file is missing, has an unknown extension, or does not parse.
    InputError
        A relation node lacks its subject, object or start date.

    Examples
    --------
    >>> history = load_history()
    >>> sorted(m.subject.label for m in history.members("CSTO", year=2007))[:3]
    ['Armenia', 'Belarus', 'Kazakhstan']
    """
    files = paths.input_files(
        extra_files, include_graph=include_graph, include_ontology=include_ontology
    )
    reader = _Reader()
    if _read_all(reader, (oxigraph_triples(path, allow_network=allow_network) for path in files)):
        return _history(reader, claims)
    del reader  # before rdflib reads everything again
    graph = load(
        extra_files,
        include_graph=include_graph,
        include_ontology=include_ontology,
        allow_network=allow_network,
    )
    return History(graph, claims=claims)


def _read_all(reader: _Reader, sources: Iterable[Iterable[Any]]) -> bool:
    """Read every source of triples (one per file or store) and finish; False when they
    cannot be read node by node (:class:`_Irregular`) and the caller must use rdflib."""
    try:
        with paused():
            for triples in sources:
                reader.read(triples)
            reader.finish()
    except _Irregular:
        return False
    return True


def _history(reader: _Reader, claims: str) -> History:
    """The History of what a finished :class:`_Reader` read."""
    with paused():
        return _build_history(reader, claims)


def _build_history(reader: _Reader, claims: str) -> History:
    builder = reader.builder
    reader.graph()  # complete it

    def records() -> Iterator[Relation]:
        # each draft, and each node's pairs, are dropped once its records are made: the
        # peak holds the records or the drafts, not both
        drafts, reader.drafts = reader.drafts, []
        drafts.reverse()
        while drafts:
            yield builder.record(drafts.pop())
        pending, reader.relations = reader.relations, []
        pending.reverse()
        while pending:
            iri, kinds, pairs, children = pending.pop()
            for kind in kinds:
                yield builder.relation(iri, kind, pairs, children)

    return History(builder.graph, claims=claims, relations=records())


def history_from_file(
    path: Path | str, *, include_ontology: bool = True, claims: str = "preferred"
) -> History:
    """The interval index of one RDF file (with the ontology, without the shipped graph).

    The same as ``load_history([path], include_graph=False)``: answers exactly like
    ``History(load([path], include_graph=False))``.

    Examples
    --------
    >>> from cstograph.io import paths
    >>> history = history_from_file(paths.graph_files()[0])
    >>> isinstance(history.all_relations(), list)
    True
    """
    return load_history(
        [path], include_graph=False, include_ontology=include_ontology, claims=claims
    )


def history_from_store(ox_store: ox.Store, *, claims: str = "preferred") -> History:
    """The interval index of a pyoxigraph store's default graph, read straight from its quads.

    Relation nodes become records as they are read, and only the other triples (entities,
    sources, events, the ontology if the store holds it) are copied into rdflib, instead
    of the whole store (:func:`cstograph.io.parse.as_memory`).

    Parameters
    ----------
    ox_store
        An open ``pyoxigraph.Store`` (an ``oxigraph:DIR`` opened read-only, or in memory).
        Only its default graph is read, where :func:`cstograph.stores.load_files` puts
        every triple.
    claims
        As :class:`~cstograph.index.history.History`.

    Returns
    -------
    History
        Answers exactly like ``History(as_memory(graph))`` over the same store; its
        ``graph`` holds the store's triples but those of relation nodes and their blank
        nodes (see the module docstring), with literals as oxrdflib makes them (plain
        strings typed ``xsd:string``). A store whose relation nodes are not in one piece
        is read through that full copy, with the same answers.

    Raises
    ------
    StoreError
        The store cannot be read.
    InputError
        A relation node lacks its subject, object or start date.

    Examples
    --------
    >>> from cstograph.io import paths
    >>> store = ox.Store()
    >>> for path in [paths.ontology_file(), *paths.graph_files()]:
    ...     store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    >>> history = history_from_store(store)
    >>> sorted(m.subject.label for m in history.members("CSTO", year=2007))[:3]
    ['Armenia', 'Belarus', 'Kazakhstan']
    """
    reader = _Reader(typed_strings=True)
    try:
        quads = ox_store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        regular = _read_all(reader, [quads])
    except OSError as exc:
        raise StoreError(f"cannot read the Oxigraph store: {one_line(exc)}") from None
    if regular:
        return _history(reader, claims)
    del reader  # before the whole store is copied
    from cstograph.stores import _oxigraph_graph

    return History(as_memory(_oxigraph_graph(ox_store)), claims=claims)


def history_from_endpoint(graph: Graph, *, claims: str = "preferred") -> History:
    """The interval index of a SPARQL endpoint's default graph, from one CONSTRUCT answer
    read by pyoxigraph's parser.

    The answer (N-Triples, else Turtle or RDF/XML, as the endpoint offers) is written to a
    temporary file as it arrives and read like a file: relation nodes become records, the
    other triples an rdflib graph. An answer whose relation nodes are not in one piece (see
    the module docstring) is read through rdflib's copy instead
    (:func:`cstograph.io.parse.as_memory`), with the same answers.

    Parameters
    ----------
    graph
        A graph from :func:`cstograph.stores.open_graph` over ``sparql:URL``.
    claims
        As :class:`~cstograph.index.history.History`.

    Raises
    ------
    StoreError
        The endpoint fails or times out, or its answer is in no RDF format or does not
        parse.
    """
    import tempfile

    store = graph.store
    url = getattr(store, "url", "the endpoint")
    with tempfile.TemporaryFile(prefix="cstograph-construct-") as body:
        media_type = store.construct_all(body)  # type: ignore[attr-defined]
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise StoreError(f"{url}: answered CONSTRUCT with {media_type or 'no media type'}")
        body.seek(0)
        reader = _Reader()
        try:
            regular = _read_all(reader, [ox.parse(body, format=fmt)])
        except SyntaxError as exc:
            raise StoreError(f"{url}: CONSTRUCT answer does not parse: {one_line(exc)}") from None
        if regular:
            return _history(reader, claims)
    del reader  # before the copy
    return History(as_memory(graph), claims=claims)
