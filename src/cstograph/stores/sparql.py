"""The ``sparql:URL`` backend: a SPARQL 1.1 query endpoint (Oxigraph, Fuseki, GraphDB,
Virtuoso, QLever).

Read over the SPARQL protocol through :class:`~cstograph.stores.endpoint.EndpointStore`
(imported only when an endpoint is used: it brings in rdflib's SPARQL machinery, which no
other store needs; a cold start saves 0.15 s). Files are loaded by one Graph Store Protocol
POST (one transaction on servers that have them). Nothing but the URLs given is contacted.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cstograph.errors import StoreSpecError, one_line
from cstograph.stores.backend import (
    DEFAULT_TIMEOUT,
    LoadReport,
    StoreSpec,
    bind_prefixes,
    file_quads,
    refuse_extra_files,
    shipped_files,
)

if TYPE_CHECKING:
    from rdflib import Graph

    from cstograph.index.history import History
    from cstograph.stores.endpoint import EndpointStore

__all__ = ["BACKEND", "SparqlBackend", "client", "graph_store_url"]


class SparqlBackend:
    """``sparql:URL``: see the module docstring."""

    scheme: str = "sparql"
    argument: str | None = "URL"
    cannot_load: str | None = None

    def parse(self, text: str, rest: str) -> StoreSpec:
        try:
            parts = urllib.parse.urlsplit(rest)
            _ = parts.port  # a port that is not a number raises here
        except ValueError as exc:
            raise StoreSpecError(f"store {text!r}: not a URL: {one_line(exc)}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreSpecError(f"store {text!r}: the URL must be http:// or https:// with a host")
        return StoreSpec(self.scheme, url=rest)

    def open(
        self, spec: StoreSpec, files: Sequence[Path | str], *, allow_network: bool, timeout: float
    ) -> Graph:
        """A read-only graph over the endpoint's default graph. The endpoint is asked
        ``ASK {}`` first, so an unreachable URL fails here rather than at the first query."""
        from rdflib import Graph
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        refuse_extra_files(spec, files)
        store = client(_url(spec), timeout=timeout)
        store.ping()
        graph = Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID, bind_namespaces="none")
        return bind_prefixes(graph)

    def history(
        self,
        spec: StoreSpec,
        files: Sequence[Path | str],
        *,
        allow_network: bool,
        timeout: float,
        claims: str,
    ) -> History:
        """From one CONSTRUCT answer of the endpoint."""
        from cstograph.index.build import build_index

        graph = self.open(spec, files, allow_network=allow_network, timeout=timeout)
        return build_index(graph, claims=claims)

    def count(self, spec: StoreSpec, *, timeout: float) -> int:
        return client(_url(spec), timeout=timeout).count()

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
        """POST every triple to the Graph Store Protocol endpoint ``graph_store`` (default:
        :func:`graph_store_url`), in one request; the shipped files too when the endpoint's
        default graph is empty."""
        url = _url(spec)
        store = client(url, timeout=min(timeout, DEFAULT_TIMEOUT))
        target = graph_store or graph_store_url(url)
        report.triples_before = store.count()
        extra: list[Path] = []
        if report.triples_before == 0 and shipped:
            extra = shipped_files()
            report.shipped_files = len(extra)
            report.created = True
        per_file = ((quad.triple for quad in file_quads(path)) for path in [*extra, *files])
        store.post_graph(target, per_file, timeout)
        report.triples_after = store.count()


BACKEND = SparqlBackend()


def _url(spec: StoreSpec) -> str:
    assert spec.url is not None, "a sparql: spec has a URL"
    return spec.url


def client(url: str, *, timeout: float) -> EndpointStore:
    """The read-only rdflib store of a SPARQL endpoint (imports rdflib's SPARQL parser)."""
    from cstograph.stores.endpoint import EndpointStore

    return EndpointStore(url, timeout=timeout)


def graph_store_url(query_url: str) -> str:
    """The Graph Store Protocol endpoint next to a query endpoint, by Oxigraph's layout.

    Raises
    ------
    StoreSpecError
        The URL does not end in ``/query``: pass the store endpoint explicitly.

    Examples
    --------
    >>> graph_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    """
    parts = urllib.parse.urlsplit(query_url)
    if not parts.path.endswith("/query"):
        raise StoreSpecError(
            f"{query_url}: cannot tell its Graph Store Protocol endpoint (Oxigraph's query URL "
            "ends in /query); pass it with --graph-store URL"
        )
    path = parts.path.removesuffix("/query") + "/store"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
