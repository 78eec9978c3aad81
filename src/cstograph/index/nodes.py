"""The attributes of an entity's node in a snapshot (label, most specific class, its label,
Wikidata QID), read from the graph of the interval index; the relation table
(:mod:`cstograph.index.table`) stores them per entity, and snapshots read them from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from cstograph.model.terms import CST, RDF, RDFS, SKOS, WD, short_name

if TYPE_CHECKING:
    from cstograph.index.history import History

__all__ = ["NodeAttributes"]


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


class NodeAttributes:
    """:func:`cstograph.analysis.snapshot.node_attributes`, remembering the class and type
    of each set of rdf:types (a large graph has many nodes but few distinct sets)."""

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
