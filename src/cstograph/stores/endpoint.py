"""A SPARQL 1.1 query endpoint as a read-only rdflib store, for ``sparql:URL`` stores.

Every request has a timeout, and every failure (no connection, no answer in time, an HTTP
error, something that is not a SPARQL endpoint) becomes one :class:`StoreError` line. Only
the URL given is ever contacted. :func:`cstograph.stores.open_graph` reads through
:class:`EndpointStore`; :func:`cstograph.stores.load_files` posts to the Graph Store Protocol
endpoint :func:`cstograph.stores.graph_store_url` finds beside it. This module brings in
rdflib's SPARQL machinery, so :mod:`cstograph.stores` imports it only for ``sparql:URL``.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from io import BytesIO
from typing import IO, TYPE_CHECKING, Any

from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql.sparql import Query
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from rdflib.term import Identifier

from cstograph.errors import StoreError, one_line
from cstograph.io.formats import N_TRIPLES, RDF_XML, TURTLE, accept_header

if TYPE_CHECKING:
    import pyoxigraph

#: SPARQL results as JSON: what SELECT and ASK are asked to answer in.
_RESULTS_JSON = "application/sparql-results+json"

__all__ = ["EndpointStore"]


#: The one variable Virtuoso (7.2) answers an ``ASK`` with, as a one-row SELECT whose value
#: is 1 or 0, instead of the protocol's boolean.
_VIRTUOSO_ASK = "__ASK_RETVAL"


def _ask_as_boolean(result: Result) -> Result:
    """An ``ASK`` answered in Virtuoso's dialect, as the boolean result it stands for; any
    other result as it is."""
    if result.type != "SELECT" or [str(v) for v in (result.vars or [])] != [_VIRTUOSO_ASK]:
        return result
    rows = list(result)
    boolean = Result("ASK")
    boolean.askAnswer = bool(rows) and str(rows[0][0]) not in ("0", "false")  # type: ignore[index]
    return boolean


class EndpointStore(SPARQLStore):
    """rdflib's read-only :class:`~rdflib.plugins.stores.sparqlstore.SPARQLStore`, with a
    timeout on every request and every failure turned into one :class:`StoreError` line.

    Queries go as an ``application/x-www-form-urlencoded`` POST (SPARQL 1.1 protocol), so long
    queries are not cut by URL limits. The graph identifier ``urn:x-rdflib:default`` means the
    endpoint's own default graph: no ``default-graph-uri`` is sent for it.

    Parameters
    ----------
    url
        The query endpoint.
    timeout
        Seconds to wait for each answer.
    """

    def __init__(self, url: str, *, timeout: float) -> None:
        super().__init__(query_endpoint=url, returnFormat="json")
        self.url = url
        self.timeout = timeout

    def query(  # type: ignore[override]
        self,
        query: Query | str,
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        queryGraph: str | None = None,
        DEBUG: bool = False,
    ) -> Result:
        if not isinstance(query, str):
            # an already parsed query has lost its text: let rdflib evaluate it over triples()
            raise NotImplementedError("parsed queries are evaluated by rdflib")
        return super().query(query, initNs, initBindings, queryGraph, DEBUG)

    def _query(
        self,
        query: str,
        default_graph: str | None = None,
        named_graph: str | None = None,
    ) -> Result:
        self._queries += 1
        params = {"query": query}
        if default_graph is not None and str(default_graph) != str(DATASET_DEFAULT_GRAPH_ID):
            params["default-graph-uri"] = str(default_graph)
        body = urllib.parse.urlencode(params).encode("utf-8")
        headers = {
            "Accept": accept_header(_RESULTS_JSON, N_TRIPLES.media_type, TURTLE.media_type),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        with self._request(self.url, body, headers, self.timeout) as (content_type, data):
            return _ask_as_boolean(Result.parse(BytesIO(data), content_type=content_type))

    @contextlib.contextmanager
    def _request(
        self,
        url: str,
        body: bytes | IO[bytes],
        headers: Mapping[str, str],
        timeout: float,
        sink: IO[bytes] | None = None,
    ) -> Iterator[tuple[str, bytes]]:
        """POST ``body``; give the answer's media type and body (or copy the body into
        ``sink``, a piece at a time, and give ``b""``)."""
        request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
                if sink is None:
                    data = response.read()
                else:
                    shutil.copyfileobj(response, sink, 1 << 20)
                    data = b""
        except urllib.error.HTTPError as exc:
            detail = ""
            with contextlib.suppress(Exception):
                detail = exc.read().decode("utf-8", "replace").strip().splitlines()[0][:200]
            reason = f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
            raise StoreError(f"{url}: {reason}") from None
        except TimeoutError:
            raise StoreError(f"{url}: no answer within {timeout:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise StoreError(f"{url}: no answer within {timeout:g} s") from None
            reason = exc.reason if isinstance(exc.reason, str) else one_line(exc.reason)
            raise StoreError(f"{url}: cannot connect: {reason}") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"{url}: {one_line(exc)}") from None
        yield content_type, data

    def ping(self) -> None:
        """Ask ``ASK {}``; raise :class:`StoreError` unless the endpoint answers."""
        try:
            result = self._query("ASK {}")
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"{self.url}: not a SPARQL endpoint: {one_line(exc)}") from None
        if result.type != "ASK":
            raise StoreError(f"{self.url}: not a SPARQL endpoint (ASK gave no boolean)")

    def construct_all(self, sink: IO[bytes]) -> str:
        """Copy every triple of the default graph into ``sink`` (one CONSTRUCT, asked for as
        N-Triples, written as it arrives); return the media type the endpoint answered in."""
        body = urllib.parse.urlencode({"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"})
        headers = {
            "Accept": accept_header(N_TRIPLES.media_type, TURTLE.media_type, RDF_XML.media_type),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        with self._request(self.url, body.encode("utf-8"), headers, self.timeout, sink) as answer:
            return answer[0]  # the media type; the body went to sink

    def count(self) -> int:
        """Triples in the endpoint's default graph."""
        result = self._query("SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }")
        row = next(iter(result))
        return int(str(row[0]))  # type: ignore[index]

    def post_graph(
        self, store_url: str, per_file: Iterable[Iterable[pyoxigraph.Triple]], timeout: float
    ) -> None:
        """POST triples as N-Triples to the default graph of a Graph Store Protocol endpoint,
        in one request.

        ``per_file`` holds one iterable of pyoxigraph triples per file; each is serialized in
        turn into a temporary file, which is then sent with its length.
        """
        import pyoxigraph

        with tempfile.TemporaryFile() as body:
            for triples in per_file:
                pyoxigraph.serialize(triples, body, N_TRIPLES.oxigraph_format())
            length = body.tell()
            body.seek(0)
            target = store_url + ("&" if "?" in store_url else "?") + "default"
            headers = {"Content-Type": N_TRIPLES.media_type, "Content-Length": str(length)}
            with self._request(target, body, headers, timeout):
                pass
