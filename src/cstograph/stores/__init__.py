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

:func:`load_files` builds or extends an Oxigraph directory **all or nothing**: every file is
parsed first, the new store is built in a sibling directory (a hard-linked copy of the old one
plus pyoxigraph's bulk loader), and only then swapped in with one atomic rename. A bad file, a
Ctrl-C or a ``kill -9`` leaves the previous store exactly as it was. A *new* store also gets the
shipped ontology and graph, so that it answers like ``memory`` does. For ``sparql:URL`` the files
are posted in one Graph Store Protocol request (one transaction on servers that have them).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import gc
import os
import shutil
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from cstograph.errors import DataFileError, StoreError, one_line
from cstograph.io import paths
from cstograph.io.parse import RDF_FORMATS, as_memory, in_memory, load
from cstograph.model.terms import PREFIXES

if TYPE_CHECKING:
    from cstograph.stores.endpoint import EndpointStore

__all__ = [
    "ENV_VAR",
    "LoadReport",
    "StoreSpec",
    "graph_store_url",
    "history_of",
    "load_files",
    "open_graph",
    "parse_spec",
    "triple_count",
]

#: The environment variable that names the store when ``--store`` is not given.
ENV_VAR = "CSTOGRAPH_STORE"
#: Seconds to wait for a SPARQL endpoint before giving up (queries; loads wait longer).
DEFAULT_TIMEOUT = 30.0

StoreKind = Literal["memory", "oxigraph", "sparql"]

_SPEC_HELP = "use memory, oxigraph:DIR or sparql:URL"

#: rdflib parser names (from :data:`cstograph.io.parse.RDF_FORMATS`) to pyoxigraph formats.
_OX_FORMATS = {
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "n3": "N3",
    "json-ld": "JSON_LD",
    "xml": "RDF_XML",
}


@dataclass(frozen=True)
class StoreSpec:
    """A parsed store spec.

    Attributes
    ----------
    kind
        ``"memory"``, ``"oxigraph"`` or ``"sparql"``.
    path
        The Oxigraph directory (absolute), for ``oxigraph``.
    url
        The SPARQL query endpoint, for ``sparql``.

    Examples
    --------
    >>> parse_spec("sparql:http://127.0.0.1:7878/query")
    StoreSpec(kind='sparql', path=None, url='http://127.0.0.1:7878/query')
    >>> str(parse_spec("memory"))
    'memory'
    """

    kind: StoreKind
    path: Path | None = None
    url: str | None = None

    def __str__(self) -> str:
        if self.kind == "oxigraph":
            return f"oxigraph:{self.path}"
        if self.kind == "sparql":
            return f"sparql:{self.url}"
        return "memory"


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
    StoreError
        The spec is not one of the three forms, ``DIR`` is empty, or ``URL`` is not an
        ``http(s)`` URL with a host.

    Examples
    --------
    >>> parse_spec("oxigraph:/data/csto").path
    PosixPath('/data/csto')
    >>> parse_spec(None, environ={"CSTOGRAPH_STORE": "memory"}).kind
    'memory'
    """
    if not text:
        text = (os.environ if environ is None else environ).get(ENV_VAR, "") or "memory"
    text = text.strip()
    if text == "memory":
        return StoreSpec("memory")
    kind, sep, rest = text.partition(":")
    if not sep or kind not in ("oxigraph", "sparql"):
        raise StoreError(f"unknown store {text!r}: {_SPEC_HELP}")
    if not rest:
        what = "DIR" if kind == "oxigraph" else "URL"
        raise StoreError(f"store {text!r} has no {what}: {_SPEC_HELP}")
    if kind == "oxigraph":
        return StoreSpec("oxigraph", path=Path(rest).expanduser().absolute())
    parts = urllib.parse.urlsplit(rest)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"store {text!r}: the URL must be http:// or https:// with a host")
    return StoreSpec("sparql", url=rest)


# ---------------------------------------------------------------------------------------------
# Opening a graph
# ---------------------------------------------------------------------------------------------


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
    StoreError
        A bad spec, a missing or unreadable directory, an endpoint that does not answer, or
        ``extra_files`` with a store other than memory.
    DataFileError
        For ``memory``, a file that is missing or does not parse.

    Examples
    --------
    >>> graph = open_graph("memory")
    >>> len(graph) > 1000
    True
    """
    if not isinstance(spec, StoreSpec):
        spec = parse_spec(spec)
    files = list(extra_files)
    if spec.kind == "memory":
        return load(files, allow_network=allow_network)
    if files:
        raise StoreError(
            f"--data files cannot be added to {spec} when reading it; "
            f"load them first with `cstograph load FILE --store {spec}`"
        )
    if spec.kind == "oxigraph":
        assert spec.path is not None
        return _oxigraph_graph(_open_oxigraph(spec.path))
    assert spec.url is not None
    store = _endpoint(spec.url, timeout=timeout)
    store.ping()
    graph = Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID, bind_namespaces="none")
    _bind(graph)
    return graph


def history_of(graph: Graph, *, claims: str = "preferred") -> Any:
    """The interval index (:class:`~cstograph.index.history.History`) of a graph from
    :func:`open_graph`, read the cheapest way its store allows: an in-memory graph as it is,
    an Oxigraph store straight from its quads
    (:func:`~cstograph.index.stream.history_from_store`, no copy into rdflib), an endpoint from
    one CONSTRUCT answer read by pyoxigraph
    (:func:`~cstograph.index.stream.history_from_endpoint`).

    Examples
    --------
    >>> len(history_of(open_graph("memory")).members("CSTO", year=2007)) > 3
    True
    """
    from cstograph.index.history import History

    if not in_memory(graph):
        from oxrdflib import OxigraphStore

        if isinstance(graph.store, OxigraphStore):
            from cstograph.index.stream import history_from_store

            return history_from_store(graph.store._inner, claims=claims)
        endpoint = sys.modules.get("cstograph.stores.endpoint")  # imported for sparql: stores only
        if endpoint is not None and isinstance(graph.store, endpoint.EndpointStore):
            from cstograph.index.stream import history_from_endpoint

            return history_from_endpoint(graph, claims=claims)
    return History(as_memory(graph), claims=claims)


def _bind(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)


def _oxigraph_graph(ox_store: Any) -> Graph:
    from oxrdflib import OxigraphStore

    graph = Graph(
        store=OxigraphStore(store=ox_store),
        identifier=DATASET_DEFAULT_GRAPH_ID,
        bind_namespaces="none",
    )
    _bind(graph)
    return graph


def _open_oxigraph(path: Path) -> Any:
    """``pyoxigraph.Store.read_only`` on ``path``, with one-line errors."""
    import pyoxigraph

    _recover(path)
    if not path.exists():
        raise StoreError(
            f"oxigraph:{path}: no such directory; build it with "
            f"`cstograph load FILE --store oxigraph:{path}`"
        )
    if not (path / "CURRENT").is_file():
        raise StoreError(f"oxigraph:{path}: not an Oxigraph store (no CURRENT file)")
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"oxigraph:{path}: cannot open: {one_line(exc)}") from None


def _endpoint(url: str, *, timeout: float) -> EndpointStore:
    """The read-only rdflib store of a SPARQL endpoint. Imported here, not at the top: it
    brings in rdflib's SPARQL parser, which no other store needs (a cold start saves 0.15 s)."""
    from cstograph.stores.endpoint import EndpointStore

    return EndpointStore(url, timeout=timeout)


def triple_count(spec: StoreSpec | str, *, timeout: float = DEFAULT_TIMEOUT) -> int:
    """The number of triples in the store's default graph (0 for a missing directory)."""
    if not isinstance(spec, StoreSpec):
        spec = parse_spec(spec)
    if spec.kind == "memory":
        return len(load())
    if spec.kind == "oxigraph":
        assert spec.path is not None
        if not spec.path.exists() and not _siblings(spec.path, "old"):
            return 0
        return _ox_count(_open_oxigraph(spec.path))
    assert spec.url is not None
    return _endpoint(spec.url, timeout=timeout).count()


def _ox_count(ox_store: Any) -> int:
    """Quads in the store (every triple :func:`load_files` writes is in the default graph)."""
    return len(ox_store)


# ---------------------------------------------------------------------------------------------
# Loading: parse every file first, then build aside and swap (Oxigraph) or POST once (SPARQL)
# ---------------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What :func:`load_files` did.

    Attributes
    ----------
    store
        The store spec, as text.
    files
        The user's files, with the triples parsed from each.
    shipped_files
        How many shipped files (ontology and ``graph/``) went in with them (a new store).
    triples_before, triples_after
        The store's size around the load (blank nodes are never merged, so reloading a file
        with blank nodes adds them again).
    seconds
        Wall time of the whole load.
    """

    store: str
    files: list[tuple[str, int]] = field(default_factory=list)
    shipped_files: int = 0
    created: bool = False
    triples_before: int = 0
    triples_after: int = 0
    seconds: float = 0.0

    @property
    def triples_parsed(self) -> int:
        return sum(count for _, count in self.files)


def _ox_format(path: Path) -> Any:
    import pyoxigraph

    name = RDF_FORMATS.get(path.suffix.lower())
    if name is None:
        known = ", ".join(sorted(RDF_FORMATS))
        raise DataFileError(str(path), f"unknown RDF file extension (known: {known})")
    return getattr(pyoxigraph.RdfFormat, _OX_FORMATS[name])


#: Files at least this big go through their own ``bulk_load`` call (parsed in Rust).
_BULK_FILE_SIZE = 16 * 1024 * 1024


def _parse(path: Path) -> Iterator[Any]:
    """The quads of ``path`` (default graph), blank nodes renamed apart from other files."""
    import pyoxigraph

    return iter(
        pyoxigraph.parse(
            path=str(path),
            format=_ox_format(path),
            base_iri=path.resolve().as_uri(),
            rename_blank_nodes=True,
            without_named_graphs=True,
        )
    )


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
    StoreError
        A memory spec, another load running into the same directory, or an endpoint error.

    Notes
    -----
    For ``oxigraph:DIR`` the new store is built in ``.DIR.new-PID`` beside ``DIR`` (a
    hard-linked checkpoint of the old store, extended with pyoxigraph's bulk loader) and
    exchanged with ``DIR`` by one ``renameat2(RENAME_EXCHANGE)``; a killed load leaves only
    that scratch directory, removed by the next load. A server already serving ``DIR`` keeps
    the files it has open: restart it to see the new data.
    """
    if not isinstance(spec, StoreSpec):
        spec = parse_spec(spec)
    if spec.kind == "memory":
        raise StoreError(
            "the memory store is rebuilt from files on every run; "
            "load into --store oxigraph:DIR or --store sparql:URL"
        )
    started = time.perf_counter()
    paths_ = [Path(f) for f in files]
    report = LoadReport(store=str(spec))
    for path in paths_:
        report.files.append((str(path), _check_file(path, allow_network=allow_network)))
    if spec.kind == "oxigraph":
        assert spec.path is not None
        _load_oxigraph(spec.path, paths_, shipped, report)
    else:
        assert spec.url is not None
        _load_endpoint(spec.url, graph_store, paths_, shipped, report, timeout)
    report.seconds = time.perf_counter() - started
    return report


def _shipped_files() -> list[Path]:
    return [paths.ontology_file(), *paths.graph_files()]


def _siblings(path: Path, tag: str) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.{tag}-*"))


def _recover(path: Path) -> None:
    """Undo a half-done two-rename swap (only on systems without ``RENAME_EXCHANGE``)."""
    if path.exists():
        return
    old = _siblings(path, "old")
    if old:
        with contextlib.suppress(OSError):
            os.rename(old[-1], path)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.parent / f".{path.name}.lock"
    with open(lock_path, "a+b") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreError(f"oxigraph:{path}: another load into it is running") from None
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> None:
    """Atomically swap two directories (Linux ``renameat2``); two renames elsewhere."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p] * 2 + [ctypes.c_uint]
            if (
                renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
                == 0
            ):
                return
    # no atomic exchange: b -> .old, a -> b; _recover() puts .old back if killed in between
    old = b.parent / f".{b.name}.old-{os.getpid()}"
    os.rename(b, old)
    os.rename(a, b)
    os.rename(old, a)


def _load_oxigraph(target: Path, files: list[Path], shipped: bool, report: LoadReport) -> None:
    with _locked(target):
        _recover(target)
        for stale in _siblings(target, "new") + _siblings(target, "old"):
            shutil.rmtree(stale, ignore_errors=True)
        exists = target.exists()
        if exists and not (target / "CURRENT").is_file():
            raise StoreError(f"oxigraph:{target}: not an Oxigraph store (no CURRENT file)")
        extra: list[Path] = []
        if not exists and shipped:
            extra = _shipped_files()
            report.shipped_files = len(extra)
        report.created = not exists
        aside = target.parent / f".{target.name}.new-{os.getpid()}"
        # The build runs in a thread: a bulk load is one long call into Rust, and Ctrl-C must
        # not wait for it to return.
        failure: list[BaseException] = []

        def build() -> None:
            try:
                _build(aside, target, exists, extra + files, report)
            except BaseException as exc:
                failure.append(exc)

        worker = threading.Thread(target=build, name="cstograph-load", daemon=True)
        try:
            worker.start()
            while worker.is_alive():
                worker.join(0.1)
            if failure:
                raise failure[0]
            if exists:
                _exchange(aside, target)  # aside now holds the previous store
            else:
                os.rename(aside, target)
        finally:
            # after an interrupt the thread may still be writing: removal is best effort, and
            # the next load removes whatever is left
            shutil.rmtree(aside, ignore_errors=True)


def _build(aside: Path, target: Path, exists: bool, files: list[Path], report: LoadReport) -> None:
    """Copy the store at ``target`` (if it ``exists``) to ``aside`` and bulk-load ``files``."""
    import pyoxigraph

    if exists:
        try:
            current = pyoxigraph.Store.read_only(str(target))
            report.triples_before = _ox_count(current)
            current.backup(str(aside))  # hard links to the immutable SST files
            del current
        except OSError as exc:
            raise StoreError(f"oxigraph:{target}: cannot copy: {one_line(exc)}") from None
    building = pyoxigraph.Store(str(aside))
    small = [p for p in files if p.stat().st_size < _BULK_FILE_SIZE]
    try:
        # each bulk_load call costs ~0.1 s: small files go through one call together
        building.bulk_extend(q for path in small for q in _parse(path))
        _test_pause_point()
        for path in files:
            if path not in small:
                building.bulk_load(
                    path=str(path),
                    format=_ox_format(path),
                    base_iri=path.resolve().as_uri(),
                    to_graph=pyoxigraph.DefaultGraph(),
                )
    except SyntaxError as exc:  # checked already: a file changed under us
        raise StoreError(f"oxigraph:{target}: a file changed while loading: {exc}") from None
    building.flush()
    report.triples_after = _ox_count(building)
    del building
    gc.collect()  # close RocksDB before the swap


def _test_pause_point() -> None:
    """For tests: with ``CSTOGRAPH_TEST_PAUSE_LOAD=FILE`` set, a build half done (the copy and
    the small files in the new store, the large files next) writes FILE and waits while it
    exists, so that a test interrupts a load at this known point instead of after a sleep."""
    marker = os.environ.get("CSTOGRAPH_TEST_PAUSE_LOAD")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        while Path(marker).exists():
            time.sleep(0.01)


def _load_endpoint(
    url: str,
    graph_store: str | None,
    files: list[Path],
    shipped: bool,
    report: LoadReport,
    timeout: float,
) -> None:
    store = _endpoint(url, timeout=min(timeout, DEFAULT_TIMEOUT))
    target = graph_store or graph_store_url(url)
    report.triples_before = store.count()
    extra: list[Path] = []
    if report.triples_before == 0 and shipped:
        extra = _shipped_files()
        report.shipped_files = len(extra)
        report.created = True
    per_file = ((quad.triple for quad in _parse(path)) for path in extra + files)
    store.post_graph(target, per_file, timeout)
    report.triples_after = store.count()


def graph_store_url(query_url: str) -> str:
    """The Graph Store Protocol endpoint next to a query endpoint, by Oxigraph's layout.

    Raises
    ------
    StoreError
        The URL does not end in ``/query``: pass the store endpoint explicitly.

    Examples
    --------
    >>> graph_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    """
    parts = urllib.parse.urlsplit(query_url)
    if not parts.path.endswith("/query"):
        raise StoreError(
            f"{query_url}: cannot tell its Graph Store Protocol endpoint (Oxigraph's query URL "
            "ends in /query); pass it with --graph-store URL"
        )
    path = parts.path.removesuffix("/query") + "/store"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
