"""Finding an entity by the names people use.

An entity is found by its slug, IRI or prefixed name, any of its labels (``skos:prefLabel``,
``skos:altLabel``, ``rdfs:label``, in any language), its Wikidata QID, or, for a person, the
surname alone when no other person has it. Names are compared by :func:`name_key`: case,
accents, punctuation, hyphens and spaces, a leading "the" and British/American spellings
(Organisation/Organization, Defence/Defense, ...) do not matter, and Cyrillic names also match
their Latin transliteration.

Relation nodes, event nodes and source documents are not entities and are never matched.
Suggestions for a name that matches nothing are ranked by rapidfuzz and are only ever of the
kind of entity the question wants (an organization for ``members``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from cstograph.errors import UnknownEntityError
from cstograph.model.kinds import KINDS
from cstograph.model.terms import CS, CST, EVENT_CLASSES, ORG, PROV, RDF, RDFS, WD, short_name

__all__ = ["GROUPS", "MEMBERS_OF", "NameIndex", "latin_key", "lookups", "name_key", "suggest"]


#: Groups of entities a question may ask for, each with the classes (and their subclasses)
#: that belong to it.
GROUPS: dict[str, tuple[URIRef, ...]] = {
    "state": (CST.State,),
    "organization": (ORG.FormalOrganization, CST.Treaty),
    "force": (ORG.OrganizationalUnit,),
    "base": (CST.MilitaryBase,),
    "post": (ORG.Post,),
    "person": (FOAF.Person,),
}

#: The groups that have members: what ``members``, ``diff --org``, ``events --org`` and
#: ``metrics --org`` resolve a name among.
MEMBERS_OF: tuple[str, ...] = ("organization", "force")

#: Classes whose nodes are never entities (sources, the places they are cited, coverage
#: statements).
_NOT_ENTITIES = (CST.SourceDocument, PROV.Entity, PROV.Derivation, CST.CoverageStatement)

# British spellings and their American forms, compared as one.
_SPELLINGS = (
    ("organisation", "organization"),
    ("defence", "defense"),
    ("centre", "center"),
    ("programme", "program"),
    ("armour", "armor"),
)
_DELETED = re.compile(r"[.'’`]")  # "C.S.T.O." is "CSTO"
_SEPARATORS = re.compile(r"[\W_]+")  # hyphens, commas, brackets, spaces


@cache
def name_key(text: str) -> str:
    """The form of a name that comparisons use.

    Examples
    --------
    >>> name_key("Collective Security Treaty Organisation")
    'collective security treaty organization'
    >>> name_key("C.S.T.O.") == name_key("csto")
    True
    >>> name_key("the Secretary-General") == name_key("secretary general")
    True
    >>> name_key("Ministry of Defence") == name_key("ministry of defense")
    True
    """
    folded = text.casefold()
    if folded.isascii():  # nothing to decompose (most names: a million in a large graph)
        plain = folded
    else:
        decomposed = unicodedata.normalize("NFKD", folded)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _DELETED.sub("", plain)
    words = _SEPARATORS.sub(" ", plain).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    key = " ".join(words)
    for british, american in _SPELLINGS:
        key = key.replace(british, american)
    return key


def latin_key(text: str) -> str:
    """A name's Latin transliteration (Cyrillic and other scripts), as a key."""
    from anyascii import anyascii

    return name_key(anyascii(text))


def lookups(name: str) -> list[tuple[str, str]]:
    """Where :meth:`NameIndex.resolve` looks a name up, in order: (table, key) pairs over
    the tables ``names``, ``compact``, ``latin`` and ``surnames``; the first table with
    entities under its key answers."""
    key = name_key(name)
    return [
        ("names", name.strip().casefold()),
        ("names", key),
        ("compact", key.replace(" ", "")),
        ("latin", latin_key(name)),
        ("surnames", key),
    ]


class NameIndex:
    """The names of the entities of ``graph``, built on first use.

    ``label`` gives the label a suggestion shows for a node.
    """

    def __init__(self, graph: Graph, label: Callable[[URIRef], str]) -> None:
        self.graph = graph
        self.label = label
        self._names: dict[str, set[URIRef]] | None = None
        self._latin: dict[str, set[URIRef]] = {}
        self._compact: dict[str, set[URIRef]] = {}
        self._surnames: dict[str, set[URIRef]] = {}
        self._groups: dict[URIRef, set[str]] = {}
        self._sources: dict[str, set[URIRef]] = {}

    # building ------------------------------------------------------------------------------

    def _subclasses(self, classes: Iterable[URIRef]) -> set[URIRef]:
        found, todo = set(), list(classes)
        while todo:
            cls = todo.pop()
            if cls not in found:
                found.add(cls)
                todo.extend(c for c in self.graph.subjects(RDFS.subClassOf, cls))  # type: ignore[misc]
        return found

    def _entities(self) -> Iterable[URIRef]:
        g = self.graph
        excluded = self._subclasses(_NOT_ENTITIES)
        excluded |= {k.cls for k in KINDS} | set(EVENT_CLASSES)
        skipped: set[URIRef] = set()
        for cls in excluded:
            skipped |= {n for n in g.subjects(RDF.type, cls) if isinstance(n, URIRef)}
        for node in set(g.subjects(RDF.type, None)):
            if not isinstance(node, URIRef) or node in skipped:
                continue
            if not str(node).startswith(str(CS)) and (node, SKOS.prefLabel, None) not in g:
                continue  # ontology terms
            yield node

    def names(self) -> dict[str, set[URIRef]]:
        """Every name by its :func:`name_key`, with the entities it names."""
        if self._names is None:
            g = self.graph
            names: dict[str, set[URIRef]] = defaultdict(set)
            latin: dict[str, set[URIRef]] = defaultdict(set)
            compact: dict[str, set[URIRef]] = defaultdict(set)  # "co operation" = "cooperation"
            surnames: dict[str, set[URIRef]] = defaultdict(set)
            group_classes = {group: self._subclasses(classes) for group, classes in GROUPS.items()}
            for node in self._entities():
                types = set(g.objects(node, RDF.type))
                self._groups[node] = {
                    group for group, classes in group_classes.items() if types & classes
                }
                ids = {str(node), short_name(node), str(node).rsplit("/", 1)[-1]}
                labels = {str(v) for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label)
                          for v in g.objects(node, p)}  # fmt: skip
                for match in g.objects(node, SKOS.exactMatch):
                    if str(match).startswith(str(WD)):
                        ids.add(str(match)[len(str(WD)) :])
                for text in ids | labels:
                    names[name_key(text)].add(node)
                    names[text.strip().casefold()].add(node)
                for text in labels:
                    compact[name_key(text).replace(" ", "")].add(node)
                for text in labels:
                    if not text.isascii():
                        latin[latin_key(text)].add(node)
                if "person" in self._groups[node]:
                    for text in labels:
                        words = name_key(text).split()
                        if len(words) > 1:
                            surnames[words[-1]].add(node)
            self._names, self._latin, self._surnames = dict(names), dict(latin), dict(surnames)
            self._compact = dict(compact)
            sources: dict[str, set[URIRef]] = defaultdict(set)
            for source in g.subjects(RDF.type, CST.SourceDocument):
                if isinstance(source, URIRef):
                    for p in (DCTERMS.title, RDFS.label):
                        for title in g.objects(source, p):
                            sources[name_key(str(title))].add(source)
            self._sources = dict(sources)
        return self._names

    def entity_keys(self) -> dict[URIRef, set[str]]:
        """Every entity with all the keys that find it (names, their forms without spaces
        and their Latin transliterations), for ranked searches."""
        found: dict[URIRef, set[str]] = defaultdict(set)
        for table in (self.names(), self._compact, self._latin):
            for key, nodes in table.items():
                for node in nodes:
                    found[node].add(key)
        return dict(found)

    def groups(self, node: URIRef) -> set[str]:
        """The :data:`GROUPS` an entity belongs to."""
        self.names()
        return self._groups.get(node, set())

    # finding -------------------------------------------------------------------------------

    def _candidates(self, name: str) -> set[URIRef]:
        self.names()
        tables = {
            "names": self._names or {},
            "compact": self._compact,
            "latin": self._latin,
            "surnames": self._surnames,
        }
        for table, key in lookups(name):
            found = tables[table].get(key)
            if found:
                return found
        return set()

    def resolve(self, name: str, *, among: Collection[str] | None = None) -> URIRef:
        """The one entity called ``name``.

        Parameters
        ----------
        among
            Groups of :data:`GROUPS` the question wants (``{"organization", "force"}`` for
            ``members``): a name that names several entities means the one of those groups,
            and suggestions are only of those groups. ``None``: any entity.

        Raises
        ------
        UnknownEntityError
            No entity or several have that name; the message lists the closest names.
        """
        found = self._candidates(name)
        if among is not None and len(found) > 1:
            wanted = {n for n in found if self.groups(n) & set(among)}
            found = wanted or found
        if len(found) == 1:
            return next(iter(found))
        if found:
            options = ", ".join(sorted(short_name(n) for n in found))
            raise UnknownEntityError(f"{name!r} is ambiguous: it names {options}")
        documents = self._sources.get(name_key(name))
        if documents:
            ids = ", ".join(sorted(short_name(d) for d in documents))
            raise UnknownEntityError(
                f"{name!r} is the title of a source ({ids}), not an entity; "
                "`cstograph source` shows a source and what it supports"
            )
        labels = self.suggest(name, among=among)
        hint = f"; did you mean {', '.join(labels)}?" if labels else ""
        raise UnknownEntityError(f"no entity is called {name!r}{hint}")

    def suggest(
        self, name: str, *, among: Collection[str] | None = None, limit: int = 4
    ) -> list[str]:
        """Labels of the entities whose names come closest to ``name`` (rapidfuzz ranking),
        only of the groups ``among`` when given."""
        return suggest(self.names(), self.groups, self.label, name, among=among, limit=limit)


def suggest(
    names: dict[str, set[URIRef]],
    groups: Callable[[URIRef], set[str]],
    label: Callable[[URIRef], str],
    name: str,
    *,
    among: Collection[str] | None = None,
    limit: int = 4,
) -> list[str]:
    """Labels of the entities whose names (``names``: by :func:`name_key`) come closest to
    ``name`` (rapidfuzz ranking), only of the groups ``among`` when given; ``groups`` and
    ``label`` say an entity's groups and label (:meth:`NameIndex.suggest`)."""
    from rapidfuzz import fuzz, process

    choices = {
        key: nodes
        for key, nodes in names.items()
        if among is None or any(groups(n) & set(among) for n in nodes)
    }
    ranked = process.extract(
        name_key(name), list(choices), scorer=fuzz.ratio, limit=limit * 3, score_cutoff=75
    )
    labels: list[str] = []
    for key, _score, _index in ranked:
        for node in sorted(choices[key]):
            text = label(node)
            if text not in labels:
                labels.append(text)
    return labels[:limit]
