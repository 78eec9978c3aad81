"""The HTTP front of a served store: refuses queries that call ``SERVICE`` and forwards every
other request to the Oxigraph server behind it (see :mod:`cstograph.stores.server`)."""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["MAX_BODY", "RDF_MEDIA_TYPES", "Front", "refused_query"]

# -- the front that refuses SERVICE ----------------------------------------------------------------

#: The largest request body the front reads (a query, not a data set: uploads are refused).
MAX_BODY = 16 * 1024 * 1024
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}


#: Media types of RDF uploads (Graph Store Protocol): the Oxigraph server parses such a body as
#: data, never as a query or an update, so the front streams it unread and uncapped.
RDF_MEDIA_TYPES = frozenset(
    {
        "text/turtle",
        "application/x-turtle",
        "application/n-triples",
        "application/n-quads",
        "application/trig",
        "text/n3",
        "application/rdf+xml",
        "application/ld+json",
    }
)
_RUNNABLE = ("query", "update")


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _queries(target: str, content_type: str, body: bytes) -> list[str]:
    """Every text in a request that the Oxigraph server could run: each ``query`` and
    ``update`` value of the URL and of a form body, and any other body whole (a
    ``sparql-query`` or ``sparql-update`` body, or anything else but RDF data)."""
    found = [
        value
        for key, value in urllib.parse.parse_qsl(
            urllib.parse.urlsplit(target).query, keep_blank_values=True, errors="replace"
        )
        if key in _RUNNABLE
    ]
    if body and _media(content_type) not in RDF_MEDIA_TYPES:
        text = body.decode("utf-8", "replace")
        if _media(content_type) == "application/x-www-form-urlencoded":
            found += [
                value
                for key, value in urllib.parse.parse_qsl(
                    text, keep_blank_values=True, errors="replace"
                )
                if key in _RUNNABLE
            ]
        else:
            found.append(text)  # a sparql-query body, or anything else: checked all the same
    return found


class _Body:
    """The next ``length`` bytes of a request, read as the upstream request sends them."""

    def __init__(self, stream: Any, length: int) -> None:
        self.stream, self.left = stream, length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.stream.read(size) if size else b""
        self.left -= len(data)
        return data


def refused_query(target: str, content_type: str = "", body: bytes = b"") -> str | None:
    """Why the front refuses a request (a ``SERVICE`` call in its query or update), or
    None.

    Examples
    --------
    >>> refused_query("/query?query=SELECT+*+%7B+SERVICE+%3Chttp://x/%3E+%7B%7D+%7D")
    'SERVICE <http://x/> would query the network: this server was started without --allow-network'
    >>> refused_query("/query?query=SELECT+*+%7B+%3Fs+%3Fp+%22SERVICE%22+%7D") is None
    True
    """
    from cstograph.query.tokens import services

    for text in _queries(target, content_type, body):
        called = services(text)
        if called:
            return (
                f"SERVICE {called[0]} would query the network: "
                "this server was started without --allow-network"
            )
    return None


class _Handler(BaseHTTPRequestHandler):
    """Check, then forward one request to the Oxigraph server and stream its answer back."""

    protocol_version = "HTTP/1.1"
    timeout = 120  # an idle keep-alive connection is closed after this
    server: Front

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: ``serve`` prints its own lines."""

    def _answer(self, status: int, text: str) -> None:
        data = (text + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _forward(self) -> None:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._answer(411, "send the body with a Content-Length")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        streamed = _media(self.headers.get("Content-Type", "")) in RDF_MEDIA_TYPES
        if length < 0 or (length > MAX_BODY and not streamed):
            self.close_connection = True
            self._answer(413 if length > 0 else 400, "bad or too large Content-Length")
            return
        body: bytes | _Body = b""
        if streamed:
            body = _Body(self.rfile, length)  # data for the store: passed on unread
        elif length:
            body = self.rfile.read(length)
        why = refused_query(
            self.path,
            self.headers.get("Content-Type", ""),
            body if isinstance(body, bytes) else b"",
        )
        if why:
            self.close_connection = streamed  # the unread body is still on the connection
            self._answer(403, why)
            return
        assert self.server.upstream is not None
        upstream = http.client.HTTPConnection(*self.server.upstream, timeout=None)
        try:
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in _HOP_BY_HOP and k.lower() != "content-length"
            }
            if length or self.command in ("POST", "PUT"):
                headers["Content-Length"] = str(length)
            try:
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                response = upstream.getresponse()
            except OSError:
                self._answer(502, "the Oxigraph server did not answer")
                return
            self._relay(response)
        finally:
            upstream.close()

    def _relay(self, response: http.client.HTTPResponse) -> None:
        self.send_response_only(response.status, response.reason)
        known = response.getheader("Content-Length")
        chunked = known is None and self.request_version == "HTTP/1.1"
        for key, value in response.getheaders():
            if key.lower() not in _HOP_BY_HOP and key.lower() != "content-length":
                self.send_header(key, value)
        if known is not None:
            self.send_header("Content-Length", known)
        elif chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.close_connection = True
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        while chunk := response.read1(65536):
            if chunked:
                self.wfile.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))
            else:
                self.wfile.write(chunk)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _forward


class Front(ThreadingHTTPServer):
    """The HTTP front of a served store: listens on ``host:port`` (``0``: a free port),
    refuses requests whose query calls ``SERVICE`` (:func:`refused_query`), forwards every
    other request to the Oxigraph server at ``upstream`` once :meth:`start` is called.
    """

    daemon_threads = True
    upstream: tuple[str, int] | None = None

    def __init__(self, host: str, port: int) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)
        self.port = int(self.server_address[1])
        self._thread: threading.Thread | None = None

    def start(self, upstream: tuple[str, int]) -> None:
        """Forward to ``upstream`` and answer requests in a background thread."""
        self.upstream = upstream
        self._thread = threading.Thread(
            target=self.serve_forever, name="cstograph-serve-front", daemon=True
        )
        self._thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is no error worth a traceback."""

    def close(self) -> None:
        """Stop answering and free the port."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()
