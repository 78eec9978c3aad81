"""Where the graph lives: in memory, in an on-disk Oxigraph directory, or behind a SPARQL endpoint.

A store is named by a spec, given with ``--store`` or the ``CSTOGRAPH_STORE`` environment
variable:

- ``memory`` (the default): the shipped ontology and ``graph/`` plus the user's files, parsed
  into an in-memory rdflib graph by :func:`cstograph.io.parse.load`.
- ``oxigraph:DIR``: a persistent Oxigraph (RocksDB) directory, opened read-only through
  oxrdflib, so it can be read while an Oxigraph server holds it.
- ``sparql:URL``: a SPARQL 1.1 query endpoint (Oxigraph, Fuseki, GraphDB, Virtuoso, QLever),
  read over the SPARQL protocol by :mod:`cstograph.stores.endpoint`; nothing but that URL is ever
  contacted.

Each scheme is served by one backend module (:mod:`~cstograph.stores.memory`,
:mod:`~cstograph.stores.oxigraph`, :mod:`~cstograph.stores.sparql`), an object following the
:class:`~cstograph.stores.backend.Backend` protocol, registered in :data:`BACKENDS`. The
functions here parse the spec, look its backend up and call it.

:func:`load_files` builds or extends an Oxigraph directory **all or nothing**: every file is
parsed first, the new store is built in a sibling directory (a hard-linked copy of the old one
plus pyoxigraph's bulk loader), and only then swapped in with one atomic rename
(:mod:`cstograph.stores.swap`). A bad file, a Ctrl-C or a ``kill -9`` leaves the previous store
exactly as it was. A *new* store also gets the shipped ontology and graph, so that it answers
like ``memory`` does. For ``sparql:URL`` the files are posted in one Graph Store Protocol
request (one transaction on servers that have them).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cstograph.errors import StoreSpecError
from cstograph.stores import memory, oxigraph, sparql
from cstograph.stores.backend import DEFAULT_TIMEOUT, Backend, LoadReport, StoreSpec
from cstograph.stores.sparql import graph_store_url

if TYPE_CHECKING:
    from rdflib import Graph

    from cstograph.index.history import History

__all__ = [
    "BACKENDS",
    "DEFAULT_TIMEOUT",
    "ENV_VAR",
    "Backend",
    "LoadReport",
    "StoreSpec",
    "graph_store_url",
    "history_of",
    "load_files",
    "open_graph",
    "open_history",
    "parse_spec",
    "triple_count",
]

#: The environment variable that names the store when ``--store`` is not given.
ENV_VAR = "CSTOGRAPH_STORE"

#: The store backends by scheme, in the order messages list them. A new backend is one module
#: with a ``BACKEND`` following :class:`~cstograph.stores.backend.Backend`, and one entry here.
BACKENDS: dict[str, Backend] = {
    backend.scheme: backend for backend in (memory.BACKEND, oxigraph.BACKEND, sparql.BACKEND)
}


def _form(backend: Backend) -> str:
    """How a spec of ``backend`` is written: ``oxigraph:DIR``."""
    return backend.scheme if backend.argument is None else f"{backend.scheme}:{backend.argument}"


def _either(forms: Sequence[str]) -> str:
    return " or ".join(forms) if len(forms) < 3 else f"{', '.join(forms[:-1])} or {forms[-1]}"


def _spec_help() -> str:
    """``use memory, oxigraph:DIR or sparql:URL``."""
    return "use " + _either([_form(backend) for backend in BACKENDS.values()])


def parse_spec(text: str | None = None, *, environ: Mapping[str, str] | None = None) -> StoreSpec:
    """Parse ``memory``, ``oxigraph:DIR`` or ``sparql:URL``.

    Parameters
    ----------
    text
        The spec; when ``None`` or empty, ``CSTOGRAPH_STORE`` from ``environ`` (default
        ``os.environ``), and ``memory`` when that is unset too.
    environ
        Where to read ``CSTOGRAPH_STORE``.

    Raises
    ------
    StoreSpecError
        The spec is not one of the three forms, ``DIR`` is empty, or ``URL`` is not an
        ``http(s)`` URL with a host.

    Examples
    --------
    >>> parse_spec("sparql:http://127.0.0.1:7878/query")
    StoreSpec(kind='sparql', path=None, url='http://127.0.0.1:7878/query')
    >>> str(parse_spec("memory"))
    'memory'
    >>> parse_spec("oxigraph:/data/csto").path
    PosixPath('/data/csto')
    >>> parse_spec(None, environ={"CSTOGRAPH_STORE": "memory"}).kind
    'memory'
    """
    if not text:
        text = (os.environ if environ is None else environ).get(ENV_VAR, "") or "memory"
    text = text.strip()
    scheme, sep, rest = text.partition(":")
    backend = BACKENDS.get(scheme)
    # a scheme that takes an argument needs the colon; one that takes none must stand alone
    if backend is None or (backend.argument is None) == bool(sep):
        raise StoreSpecError(f"unknown store {text!r}: {_spec_help()}")
    if backend.argument is not None and not rest:
        raise StoreSpecError(f"store {text!r} has no {backend.argument}: {_spec_help()}")
    return backend.parse(text, rest)


def _resolve(spec: StoreSpec | str | None) -> tuple[StoreSpec, Backend]:
    if not isinstance(spec, StoreSpec):
        spec = parse_spec(spec)
    backend = BACKENDS.get(spec.kind)
    if backend is None:
        raise StoreSpecError(f"unknown store {str(spec)!r}: {_spec_help()}")
    return spec, backend


def open_graph(
    spec: StoreSpec | str | None = None,
    extra_files: Iterable[Path | str] = (),
    *,
    allow_network: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> Graph:
    """An rdflib graph over the store ``spec`` names.

    Parameters
    ----------
    spec
        A :class:`StoreSpec`, a spec string, or ``None`` for ``CSTOGRAPH_STORE`` / memory.
    extra_files
        For ``memory`` only: more RDF files to load with the shipped graph. An Oxigraph
        directory or an endpoint is not changed by reading it: add files with
        :func:`load_files` first.
    allow_network
        Passed to :func:`cstograph.io.parse.load` (remote JSON-LD contexts, RDF/XML DOCTYPEs).
    timeout
        Seconds to wait for each request to a ``sparql:URL`` endpoint.

    Returns
    -------
    rdflib.Graph
        For ``memory``, an in-memory graph. For ``oxigraph:DIR``, a read-only graph backed
        by oxrdflib whose identifier is the store's default graph (where :func:`load_files`
        puts every triple). For ``sparql:URL``, a read-only graph over the endpoint's
        default graph; the endpoint is asked ``ASK {}`` first, so an unreachable URL
        fails here rather than at the first query.

    Raises
    ------
    StoreSpecError
        A bad spec, or ``extra_files`` with a store other than memory (exit code 2).
    StoreError
        A missing or unreadable directory, an endpoint that does not answer (exit code 3).
    DataFileError
        For ``memory``, a file that is missing or does not parse.

    Examples
    --------
    >>> graph = open_graph("memory")
    >>> len(graph) > 1000
    True
    """
    spec, backend = _resolve(spec)
    return backend.open(spec, list(extra_files), allow_network=allow_network, timeout=timeout)


def history_of(graph: Graph, *, claims: str = "preferred") -> History:
    """The interval index of a graph from :func:`open_graph`
    (:func:`cstograph.index.build.build_index`: an in-memory graph as it is, an Oxigraph
    store from its quads, an endpoint from one CONSTRUCT answer).

    Examples
    --------
    >>> len(history_of(open_graph("memory")).members("CSTO", year=2007)) > 3
    True
    """
    from cstograph.index.build import build_index

    return build_index(graph, claims=claims)


def open_history(
    spec: StoreSpec | str | None = None,
    extra_files: Sequence[Path | str] = (),
    *,
    allow_network: bool = False,
    claims: str = "preferred",
) -> History:
    """The interval index of a store and the user's files, built the cheapest way the store
    allows (each backend's ``history``, through :func:`cstograph.index.build.build_index`):
    ``memory`` straight from the files (the ontology, the shipped graph and ``extra_files``)
    by the streaming reader, an Oxigraph directory from its quads, an endpoint from one
    CONSTRUCT answer.

    Examples
    --------
    >>> len(open_history("memory").members("CSTO", year=2007)) > 3
    True
    """
    parsed, backend = _resolve(spec)
    return backend.history(
        parsed, extra_files, allow_network=allow_network, timeout=DEFAULT_TIMEOUT, claims=claims
    )


def triple_count(spec: StoreSpec | str, *, timeout: float = DEFAULT_TIMEOUT) -> int:
    """The number of triples in the store's default graph (0 for a missing directory)."""
    spec, backend = _resolve(spec)
    return backend.count(spec, timeout=timeout)


def _check_file(path: Path, *, allow_network: bool) -> int:
    """Parse ``path`` with pyoxigraph, keeping nothing; the number of triples.

    Raises :class:`DataFileError` (file, line, reason) or ``NetworkRefusedError``.
    """
    from cstograph.index.stream import oxigraph_triples

    return sum(1 for _ in oxigraph_triples(path, allow_network=allow_network))


def load_files(
    spec: StoreSpec | str | None,
    files: Sequence[Path | str],
    *,
    shipped: bool = True,
    allow_network: bool = False,
    graph_store: str | None = None,
    timeout: float = 600.0,
) -> LoadReport:
    """Add RDF files to an Oxigraph directory or a SPARQL endpoint, all or nothing.

    Parameters
    ----------
    spec
        ``oxigraph:DIR`` or ``sparql:URL`` (``memory`` has nothing to load into).
    files
        RDF files (Turtle, N-Triples, N3, JSON-LD, RDF/XML, by extension). Every one is
        parsed before anything is written; a bad one raises and nothing changes.
    shipped
        Also load the shipped ontology and ``graph/`` when the store is new (a missing
        directory, or an endpoint whose default graph is empty), so that it answers the
        same questions as ``memory``. An existing store never gets them twice.
    allow_network
        Allow remote JSON-LD contexts and RDF/XML DOCTYPEs (refused by default).
    graph_store
        For ``sparql:URL``: the Graph Store Protocol endpoint; default: the query URL with
        ``/query`` replaced by ``/store`` (Oxigraph's layout).
    timeout
        For ``sparql:URL``: seconds to wait for the upload.

    Returns
    -------
    LoadReport

    Raises
    ------
    DataFileError
        A file is missing, has an unknown extension, or does not parse (file, line, reason).
    StoreSpecError
        A bad spec, or the memory spec (exit code 2).
    StoreError
        Another load running into the same directory, or an endpoint error (exit code 3).

    Notes
    -----
    For ``oxigraph:DIR`` the new store is built in ``.DIR.new-PID`` beside ``DIR`` (a
    hard-linked checkpoint of the old store, extended with pyoxigraph's bulk loader) and
    exchanged with ``DIR`` by one ``renameat2(RENAME_EXCHANGE)``; a killed load leaves only
    that scratch directory, removed by the next load. A server already serving ``DIR`` keeps
    the files it has open: restart it to see the new data.
    """
    spec, backend = _resolve(spec)
    if backend.cannot_load is not None:
        into = [f"--store {_form(b)}" for b in BACKENDS.values() if b.cannot_load is None]
        raise StoreSpecError(f"{backend.cannot_load}; load into {_either(into)}")
    started = time.perf_counter()
    paths_ = [Path(f) for f in files]
    report = LoadReport(store=str(spec))
    for path in paths_:
        report.files.append((str(path), _check_file(path, allow_network=allow_network)))
    backend.load(
        spec, paths_, shipped=shipped, graph_store=graph_store, timeout=timeout, report=report
    )
    report.seconds = time.perf_counter() - started
    return report
