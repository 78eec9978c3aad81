"""The streaming reader of the interval index: parser triples to relation records, without
parsing the relation nodes into rdflib.

rdflib's Turtle parser costs most of the time of a cold temporal question on a large graph
(about 70 µs a triple). Here pyoxigraph's parser (Rust) reads files, an Oxigraph store's quads
or an endpoint's CONSTRUCT answer; the triples of each relation node and of the blank nodes it
owns (qualified derivations, personnel figures) become records through
:class:`~cstograph.index.drafts.Builder`, by the same rules as the rdflib reader
(:class:`~cstograph.index.rdf_reader.GraphReader`). Every other triple (entities, labels,
sources, events, the ontology) goes, as it is read, into an rdflib graph on a
:class:`~cstograph.io.compact_memory.CompactMemory` store, which answers the lookups those
rules make and becomes ``History.graph`` (see :mod:`cstograph.index.history` for what it
holds). :func:`cstograph.index.build.build_index` is the entry point.

Subjects may come in any order: a blank node's triples may be written before or after the
relation node that points to it (a store yields blank nodes after every IRI). Files whose
relation nodes are not written in one piece (a node's triples split between two places, or a
blank node that a relation node reaches and something else points to as well) cannot be read
this way: :func:`read_all` says so, and the builder falls back to the rdflib
reader, which gives the same answers at rdflib speed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from sys import intern
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph

from cstograph.errors import DataFileError, InputError
from cstograph.gcpause import paused
from cstograph.index.drafts import Builder
from cstograph.index.oxterms import (
    CONFLICTS,
    KEPT,
    TYPE,
    P,
    Pairs,
    Values,
    node_key,
    to_rdflib,
    to_rdflib_typed,
)
from cstograph.io.files import check_input
from cstograph.io.formats import input_format
from cstograph.io.parse import check_offline_file, new_graph
from cstograph.model.kinds import KINDS

__all__ = ["Reader", "oxigraph_triples", "read_all"]


class _Irregular(Exception):
    """The files cannot be read in one streaming pass (see the module docstring)."""


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
    check_input(path)  # a regular file: a FIFO or /dev/zero is refused, not read forever
    if not allow_network:
        check_offline_file(path, fmt)
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


class Reader:
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
        self.convert = to_rdflib_typed if typed_strings else to_rdflib
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
        self.builder = Builder(self.rest, self.conflicts, self.convert)
        self.classes = {str(k.cls): k.name for k in KINDS}  # relation classes to kind names
        self.order = [k.name for k in KINDS]
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
            if p == CONFLICTS:
                self.conflicts[node_key(s)].add(o)
                if not isinstance(o, ox.Literal):
                    self.conflicts[node_key(o)].add(s)
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
            self.classes[o.value]
            for p, o in block
            if p == TYPE and isinstance(o, ox.NamedNode) and o.value in self.classes
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
        kept = [(p, o) for p, o in block if p in KEPT]
        if kept:  # (else no IRI object for the node: a million of them add up)
            self._keep(self.builder.iri(iri), kept)
        pairs: Pairs = defaultdict(list)
        for p, o in block:
            pairs[p].append(o)
        kinds = sorted(set(kinds), key=self.order.index)
        children = self._own_now(iri, block)
        if children is not None and contained(pairs, children):
            try:
                drafts = [self.builder.values(iri, kind, pairs, children) for kind in kinds]
            except InputError:
                # incomplete so far: the rest may come later in an order not grouped by
                # subject (an endpoint's CONSTRUCT), which makes the node irregular; read it
                # at the end, where a node still incomplete is the error it looks like
                self.relations.append((iri, kinds, pairs, children))
            else:
                self.drafts.extend(drafts)
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


def contained(pairs: Pairs, children: dict[str, Pairs]) -> bool:
    """Whether a relation's derivations and figures are blank nodes it owns, so that its
    values can be read before the rest of the graph."""
    for name in ("derivation", "personnel"):
        for term in pairs.get(P[name], ()):
            if not isinstance(term, ox.BlankNode) or "_:" + term.value not in children:
                return False
    return True


def read_all(reader: Reader, sources: Iterable[Iterable[Any]]) -> bool:
    """Read every source of triples (one per file or store) and finish; False when they
    cannot be read node by node (see the module docstring) and the caller must use rdflib."""
    try:
        with paused():
            for triples in sources:
                reader.read(triples)
            reader.finish()
    except _Irregular:
        return False
    return True
