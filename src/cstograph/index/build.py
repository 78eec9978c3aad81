"""The one way to build the interval index: :func:`build_index`.

Files, an rdflib graph, a pyoxigraph store or a SPARQL endpoint in, one
:class:`~cstograph.index.history.History` out. Files, stores and endpoints are read by the
streaming reader (:mod:`cstograph.index.stream`: pyoxigraph's parser, relation nodes straight
to records); an rdflib graph in memory by the rdflib reader
(:mod:`cstograph.index.rdf_reader`). What ``History.graph`` holds is the same contract either
way (see :mod:`cstograph.index.history`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph

from cstograph.errors import StoreError, one_line
from cstograph.gcpause import paused
from cstograph.index.history import History
from cstograph.index.stream import Reader, oxigraph_triples, read_all
from cstograph.io import paths
from cstograph.io.parse import as_memory, in_memory, load
from cstograph.model.records import Relation

__all__ = [
    "ConstructSource",
    "Files",
    "IndexSource",
    "build_index",
    "history_from_endpoint",
    "history_from_file",
    "history_from_store",
    "history_from_triples",
    "load_history",
]


@dataclass(frozen=True)
class Files:
    """RDF files to index, as :func:`cstograph.load` reads them: the ontology and the
    shipped ``graph/`` (unless left out) and the user's ``extra`` files."""

    extra: Sequence[Path | str] = ()
    include_graph: bool = True
    include_ontology: bool = True
    allow_network: bool = False


@runtime_checkable
class ConstructSource(Protocol):
    """A store that can send every triple of its default graph in one answer (a SPARQL
    endpoint's ``CONSTRUCT``), as :class:`cstograph.stores.endpoint.EndpointStore` does."""

    url: str

    def construct_all(self, sink: IO[bytes]) -> str:
        """Write every triple into ``sink``; return the media type of what was written."""
        ...


#: What an index can be built from.
IndexSource = Files | Graph | ox.Store


def build_index(source: IndexSource | None = None, *, claims: str = "preferred") -> History:
    """The interval index of files, an rdflib graph, a pyoxigraph store or an endpoint.

    Parameters
    ----------
    source
        :class:`Files` (default: the ontology and the shipped graph) are read by the
        streaming reader; a ``pyoxigraph.Store`` from its quads; an rdflib ``Graph`` by
        where it lives: in memory by the rdflib reader (it becomes ``History.graph``), on
        an Oxigraph store from that store's quads, on a SPARQL endpoint
        (:class:`ConstructSource`) from one ``CONSTRUCT`` answer, on any other store from
        an in-memory copy.
    claims
        ``"preferred"`` or ``"all"``, as :class:`~cstograph.index.history.History`.

    Raises
    ------
    DataFileError
        A file is missing, has an unknown extension, or does not parse.
    StoreError
        A store or endpoint cannot be read.
    InputError
        A relation node lacks its subject, object or start date.

    Examples
    --------
    >>> history = build_index(Files())
    >>> sorted(m.subject.label for m in history.members("CSTO", year=2007))[:3]
    ['Armenia', 'Belarus', 'Kazakhstan']
    >>> from cstograph import load
    >>> build_index(load()).members("CSTO", year=2007) == history.members("CSTO", year=2007)
    True
    """
    if source is None:
        source = Files()
    if isinstance(source, Files):
        return load_history(
            source.extra,
            include_graph=source.include_graph,
            include_ontology=source.include_ontology,
            allow_network=source.allow_network,
            claims=claims,
        )
    if isinstance(source, ox.Store):
        return history_from_store(source, claims=claims)
    if in_memory(source):
        return History(source, claims=claims)
    from oxrdflib import OxigraphStore

    if isinstance(source.store, OxigraphStore):
        return history_from_store(source.store._inner, claims=claims)
    if isinstance(source.store, ConstructSource):
        return history_from_endpoint(source, claims=claims)
    return History(as_memory(source), claims=claims)


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
    reader = Reader()
    if read_all(reader, (oxigraph_triples(path, allow_network=allow_network) for path in files)):
        return _history(reader, claims)
    del reader  # before rdflib reads everything again
    graph = load(
        extra_files,
        include_graph=include_graph,
        include_ontology=include_ontology,
        allow_network=allow_network,
    )
    return History(graph, claims=claims)


def history_from_triples(
    sources: Iterable[Iterable[Any]], *, typed_strings: bool = False, claims: str = "preferred"
) -> History | None:
    """The interval index of pyoxigraph triples (one iterable per file or store), read by
    the streaming reader; ``None`` when they cannot be read node by node (a relation node in
    pieces: see :mod:`cstograph.index.stream`), for the caller to read them another way.

    Examples
    --------
    >>> from cstograph.io import paths
    >>> files = [paths.ontology_file(), *paths.graph_files()]
    >>> history_from_triples([grouped(files)]).members("CSTO", year=2007)[0].subject.label
    'Armenia'
    """
    reader = Reader(typed_strings=typed_strings)
    if read_all(reader, sources):
        return _history(reader, claims)
    return None


def grouped(files: Iterable[Path], *, allow_network: bool = False) -> list[Any]:
    """The triples of several (small) files, each subject's together, in the files' order
    otherwise: a relation node written in two files (as the shipped graph writes some) is
    read in one piece. Blank nodes are renamed apart per file."""
    triples = [t for path in files for t in oxigraph_triples(path, allow_network=allow_network)]
    order: dict[Any, int] = {}
    for t in triples:
        order.setdefault(t.subject, len(order))
    triples.sort(key=lambda t: order[t.subject])
    return triples


def _history(reader: Reader, claims: str) -> History:
    """The History of what a finished :class:`Reader` read."""
    with paused():
        return _build_history(reader, claims)


def _build_history(reader: Reader, claims: str) -> History:
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
    reader = Reader(typed_strings=True)
    try:
        quads = ox_store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        regular = read_all(reader, [quads])
    except OSError as exc:
        raise StoreError(f"cannot read the Oxigraph store: {one_line(exc)}") from None
    if regular:
        return _history(reader, claims)
    del reader  # before the whole store is copied
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    view = Graph(store=OxigraphStore(store=ox_store), identifier=DATASET_DEFAULT_GRAPH_ID)
    return History(as_memory(view), claims=claims)


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
    if not isinstance(store, ConstructSource):
        raise TypeError(f"{type(store).__name__} cannot answer CONSTRUCT for the whole graph")
    url = store.url
    with tempfile.TemporaryFile(prefix="cstograph-construct-") as body:
        media_type = store.construct_all(body)
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise StoreError(f"{url}: answered CONSTRUCT with {media_type or 'no media type'}")
        body.seek(0)
        reader = Reader()
        try:
            regular = read_all(reader, [ox.parse(body, format=fmt)])
        except SyntaxError as exc:
            raise StoreError(f"{url}: CONSTRUCT answer does not parse: {one_line(exc)}") from None
        if regular:
            return _history(reader, claims)
    del reader  # before the copy
    return History(as_memory(graph), claims=claims)
