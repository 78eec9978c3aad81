"""What every store backend is and shares: the :class:`Backend` protocol, the parsed
:class:`StoreSpec`, the :class:`LoadReport`, and the helpers more than one backend uses.

A backend serves one scheme of ``--store`` specs (``memory``, ``oxigraph:DIR``,
``sparql:URL``); :data:`cstograph.stores.BACKENDS` maps each scheme to its backend, and the
functions of :mod:`cstograph.stores` look the backend up there and call it. This module is
light: rdflib and pyoxigraph are imported for type checking only, or inside the helpers
that need them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cstograph.errors import StoreSpecError
from cstograph.io import formats, paths

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph

    from cstograph.index.history import History

__all__ = [
    "DEFAULT_TIMEOUT",
    "Backend",
    "LoadReport",
    "StoreSpec",
    "bind_prefixes",
    "file_quads",
    "refuse_extra_files",
    "shipped_files",
]

#: Seconds to wait for a SPARQL endpoint before giving up (queries; loads wait longer).
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class StoreSpec:
    """A parsed store spec.

    Attributes
    ----------
    kind
        The scheme of its backend: ``"memory"``, ``"oxigraph"`` or ``"sparql"``.
    path
        The store's directory (absolute), for a store on disk (``oxigraph``).
    url
        The store's URL, for a store behind HTTP (``sparql``: the query endpoint).

    Examples
    --------
    >>> StoreSpec("sparql", url="http://127.0.0.1:7878/query")
    StoreSpec(kind='sparql', path=None, url='http://127.0.0.1:7878/query')
    >>> str(StoreSpec("oxigraph", path=Path("/data/csto"))), str(StoreSpec("memory"))
    ('oxigraph:/data/csto', 'memory')
    """

    kind: str
    path: Path | None = None
    url: str | None = None

    def __str__(self) -> str:
        where = self.path if self.path is not None else self.url
        return self.kind if where is None else f"{self.kind}:{where}"


@dataclass
class LoadReport:
    """What :func:`cstograph.stores.load_files` did.

    Attributes
    ----------
    store
        The store spec, as text.
    files
        The user's files, with the triples parsed from each.
    shipped_files
        How many shipped files (ontology and ``graph/``) went in with them (a new store).
    created
        Whether the store was new (a missing directory, an empty endpoint).
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


class Backend(Protocol):
    """One kind of store, serving the specs ``SCHEME`` or ``SCHEME:ARGUMENT``.

    :mod:`cstograph.stores` parses a spec's scheme, checks the argument is there (or absent)
    as :attr:`argument` says, and leaves the rest to the backend. The files given to
    :meth:`load` have been parsed once already (a bad one raised before the backend was
    called); the backend must still load them all or nothing.
    """

    @property
    def scheme(self) -> str:
        """The spec's prefix and :attr:`StoreSpec.kind`: ``"oxigraph"``."""

    @property
    def argument(self) -> str | None:
        """What follows ``SCHEME:`` in a spec, for messages (``"DIR"``); ``None`` when the
        spec is the scheme alone (``memory``)."""

    @property
    def cannot_load(self) -> str | None:
        """Why :func:`~cstograph.stores.load_files` refuses this store (a clause for the
        error message); ``None`` when files can be loaded into it."""

    def parse(self, text: str, rest: str) -> StoreSpec:
        """The spec ``text``, whose argument (after ``SCHEME:``) is ``rest`` (empty only when
        :attr:`argument` is ``None``). Raises :class:`StoreSpecError` for a bad argument."""

    def open(
        self, spec: StoreSpec, files: Sequence[Path | str], *, allow_network: bool, timeout: float
    ) -> Graph:
        """An rdflib graph over the store (see :func:`cstograph.stores.open_graph`)."""

    def count(self, spec: StoreSpec, *, timeout: float) -> int:
        """The number of triples in the store's default graph (0 for no store yet)."""

    def history(
        self,
        spec: StoreSpec,
        files: Sequence[Path | str],
        *,
        allow_network: bool,
        timeout: float,
        claims: str,
    ) -> History:
        """The interval index of the store, built the cheapest way it allows through
        :func:`cstograph.index.build.build_index` (see :func:`cstograph.stores.open_history`)."""

    def load(
        self,
        spec: StoreSpec,
        files: Sequence[Path],
        *,
        shipped: bool,
        graph_store: str | None,
        timeout: float,
        report: LoadReport,
    ) -> None:
        """Add ``files`` (and the shipped ones, to a new store when ``shipped``), all or
        nothing, recording what happened in ``report`` (all but ``files`` and ``seconds``)."""


def shipped_files() -> list[Path]:
    """The shipped ontology and ``graph/`` files, which a new store gets."""
    return [paths.ontology_file(), *paths.graph_files()]


def refuse_extra_files(spec: StoreSpec, files: Sequence[Path | str]) -> None:
    """Raise :class:`StoreSpecError` if there are ``files``: a store other than memory is not
    changed by reading it."""
    if files:
        raise StoreSpecError(
            f"--data files cannot be added to {spec} when reading it; "
            f"load them first with `cstograph load FILE --store {spec}`"
        )


def file_quads(path: Path) -> Iterator[pyoxigraph.Quad]:
    """The quads of an RDF file (all in the default graph), parsed by pyoxigraph with blank
    nodes renamed apart from other files'. For files already checked (see
    :func:`cstograph.index.stream.oxigraph_triples`)."""
    import pyoxigraph

    return iter(
        pyoxigraph.parse(
            path=str(path),
            format=formats.input_format(path).oxigraph_format(),
            base_iri=path.resolve().as_uri(),
            rename_blank_nodes=True,
            without_named_graphs=True,
        )
    )


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph``; the graph."""
    from cstograph.model.terms import PREFIXES

    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph
