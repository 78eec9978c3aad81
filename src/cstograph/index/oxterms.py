"""pyoxigraph terms for the streaming reader: the predicates relation records are read from,
short names, and pyoxigraph terms as rdflib makes them (its Turtle parser, or oxrdflib)."""

from __future__ import annotations

import re
from sys import intern
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib import Literal as RLiteral

from cstograph.model.terms import CST, ORG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS
from cstograph.temporal import Precision

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD_NS + "string"
XSD_DATE = XSD_NS + "date"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TYPE = str(RDF.type)
CONFLICTS = str(CST.conflictsWith)
#: Triples of relation nodes kept in the graph too: what :mod:`cstograph.index.conflicts` reads.
KEPT = {CONFLICTS, str(CST.preferenceReason)}
PRECISION = {str(unit): name for unit, name in Precision.BY_UNIT.items()}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
LOCAL = re.compile(r"[\w.-]+")
#: Namespaces longest first (ties in PREFIXES order), as :func:`terms.short_name` chooses.
NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

# predicates of relation nodes, as strings
P = {
    name: str(iri)
    for name, iri in {
        "role": ORG.role,
        "unit_description": CST.unitDescription,
        "contributed_unit": CST.contributedUnit,
        "personnel": CST.personnel,
        "operator": CST.operator,
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
#: What :meth:`Builder.values` reads from a relation node (see there).
Values = tuple[Any, ...]


def short_iri(text: str) -> str:
    """:func:`cstograph.model.terms.short_name` of an IRI given as a string."""
    for prefix, namespace in NAMESPACES:
        if text.startswith(namespace):
            local = text[len(namespace) :]
            return f"{prefix}:{local}" if LOCAL.fullmatch(local) else text
    return text


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as rdflib's Turtle parser would have made it."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return RLiteral(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return RLiteral(term.value)
    return RLiteral(term.value, datatype=URIRef(datatype))


def to_rdflib_typed(term: Any) -> Any:
    """A pyoxigraph term as oxrdflib makes it: plain literals typed ``xsd:string``."""
    if isinstance(term, ox.Literal) and not term.language:
        return RLiteral(term.value, datatype=URIRef(term.datatype.value))
    return to_rdflib(term)


def node_key(term: Any) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else str(term.value)


def is_iri(term: Any) -> bool:
    return isinstance(term, ox.NamedNode)


def iri_text(term: Any) -> str | None:
    """An IRI's text (interned: records share it), or None for other terms."""
    return intern(term.value) if isinstance(term, ox.NamedNode) else None


def short_any(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return short_iri(term.value)
    if isinstance(term, ox.BlankNode):
        return term.value
    return str(to_rdflib(term))
