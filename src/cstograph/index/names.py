"""Finding an entity by the names people use: slug, label, alternative label, Wikidata QID,
prefixed name or IRI. Relation and event nodes are not entities and are never matched."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from cstograph.errors import InputError
from cstograph.model.kinds import KINDS
from cstograph.model.terms import CS, EVENT_CLASSES, RDF, RDFS, WD, short_name

__all__ = ["NameIndex", "UnknownEntityError"]


class UnknownEntityError(InputError):
    """A name that matches no entity, or more than one."""


class NameIndex:
    """The names of the entities of ``graph``, built on first use.

    ``label`` gives the label a suggestion shows for a node.
    """

    def __init__(self, graph: Graph, label: Callable[[URIRef], str]) -> None:
        self.graph = graph
        self.label = label
        self._names: dict[str, set[URIRef]] | None = None

    def names(self) -> dict[str, set[URIRef]]:
        """Every known name, case-folded, with the nodes it names."""
        if self._names is None:
            g = self.graph
            dated: set[URIRef] = set()
            for cls in (*(k.cls for k in KINDS), *EVENT_CLASSES):
                dated |= {n for n in g.subjects(RDF.type, cls) if isinstance(n, URIRef)}
            names: dict[str, set[URIRef]] = defaultdict(set)
            for node in set(g.subjects(RDF.type, None)):
                if not isinstance(node, URIRef) or node in dated:
                    continue
                if not str(node).startswith(str(CS)) and (node, SKOS.prefLabel, None) not in g:
                    continue
                keys = {str(node), short_name(node), str(node).rsplit("/", 1)[-1]}
                for prop in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
                    keys |= {str(v) for v in g.objects(node, prop)}
                for match in g.objects(node, SKOS.exactMatch):
                    if str(match).startswith(str(WD)):
                        keys.add(str(match)[len(str(WD)) :])
                for key in keys:
                    names[key.casefold()].add(node)
            self._names = dict(names)
        return self._names

    def resolve(self, name: str) -> URIRef:
        """The one node called ``name``.

        Raises
        ------
        UnknownEntityError
            No entity or several have that name; the message lists the closest names.
        """
        names = self.names()
        found = names.get(name.strip().casefold(), set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            options = ", ".join(sorted(short_name(n) for n in found))
            raise UnknownEntityError(f"{name!r} is ambiguous: it names {options}")
        close = difflib.get_close_matches(name.casefold(), list(names), n=4, cutoff=0.6)
        labels = sorted({self.label(n) for key in close for n in names[key]})
        hint = f"; did you mean {', '.join(labels)}?" if labels else ""
        raise UnknownEntityError(f"no entity is called {name!r}{hint}")
