"""Serving an Oxigraph directory over the SPARQL protocol with the real Oxigraph server.

:func:`start_server` runs ``oxigraph serve-read-only --location DIR --bind HOST:PORT`` (the
binary the PyPI package ``oxigraph`` installs next to the Python interpreter), waits until it
answers, and returns a :class:`Server` handle with its endpoint URLs. The server binds the
loopback interface unless told otherwise, and a read-only server answers 403 to updates and
uploads. :meth:`Server.stop` terminates it and waits for the process to exit, so the port and
the directory are free when it returns; on Linux the server also dies with its parent.

No network behind the user's back
---------------------------------
The Oxigraph server performs the ``SERVICE`` calls of any query a client sends, and cannot be
told not to. Unless started with ``allow_network=True`` (``cstograph serve --allow-network``),
the server therefore listens on a loopback port of its own, and the address clients use belongs
to a small HTTP front in this process (:class:`Front`): it looks at every request's query (the
``query`` parameter of the URL or of a form body, or a ``application/sparql-query`` body), answers
``403`` to one that has a ``SERVICE`` keyword (found by the same token scan as ``cstograph
query``, \\u escapes expanded), and forwards everything else unchanged. ``FROM`` needs no check
here: the Oxigraph server reads it from the store's named graphs, never from the network.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from cstograph.errors import StoreError, StoreSpecError

if TYPE_CHECKING:
    from cstograph.stores import StoreSpec

__all__ = [
    "Front",
    "Server",
    "free_port",
    "oxigraph_binary",
    "refused_query",
    "serving",
    "start_server",
]

LOOPBACK = "127.0.0.1"


def oxigraph_binary() -> Path:
    """The ``oxigraph`` server binary: next to ``sys.executable``, else on ``PATH``.

    Raises
    ------
    StoreError
        Neither exists (install the ``oxigraph`` package from PyPI).
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise StoreError("the oxigraph server binary is not installed: pip install 'oxigraph~=0.5.13'")


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nobody listens on at the moment (the OS picks it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running Oxigraph server.

    Attributes
    ----------
    location
        The directory it serves.
    host, port
        Where it listens.
    process
        The server process.
    read_only
        Whether it was started with ``serve-read-only``.
    front
        The front that refuses ``SERVICE`` queries (see the module docstring); ``None``
        when the server was started with ``allow_network=True`` and clients reach the
        Oxigraph process directly.
    """

    location: Path
    host: str
    port: int
    process: subprocess.Popen[bytes] = field(repr=False)
    read_only: bool = True
    log: IO[bytes] | None = field(default=None, repr=False)
    front: Front | None = field(default=None, repr=False)

    def error_line(self) -> str:
        """The server's ``Error: ...`` line on stderr (its backtrace left out), if any."""
        if self.log is None or self.log.closed:
            return ""
        self.log.seek(0)
        lines = [x.strip() for x in self.log.read().decode("utf-8", "replace").splitlines()]
        errors = [x.removeprefix("Error:").strip() for x in lines if x.startswith("Error:")]
        return errors[0] if errors else next((x for x in lines if x), "")

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The SPARQL query endpoint (``/query``), what ``sparql:URL`` takes."""
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        """The SPARQL update endpoint (refused by a read-only server)."""
        return self.base_url + "/update"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint (uploads refused by a read-only server)."""
        return self.base_url + "/store"

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self) -> int:
        """Block until the server exits; its exit code."""
        return self.process.wait()

    def run(self) -> None:
        """Block until the server exits (Ctrl-C raises ``KeyboardInterrupt`` as usual).

        Raises
        ------
        StoreError
            The server stopped on its own with an error (the message is its error line).
        """
        if self.wait():
            raise StoreError(f"the Oxigraph server stopped: {self.error_line()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the server (SIGTERM, then SIGKILL after ``timeout``) and wait for it."""
        if self.front is not None:
            self.front.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: ask for SIGTERM when the parent dies, so a killed caller leaves no server."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _check_port(host: str, port: int) -> None:
    """Raise OSError when something already listens on the port (its answers would pass
    for our server's)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        # as the server does: connections in TIME_WAIT do not hold the port, a listener does
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))


def _answers(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(
        f"{url}?{query}", headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=1.0) as response:
            return int(response.status) == 200
    except (OSError, urllib.error.URLError):
        return False


def start_server(
    location: Path | str,
    *,
    host: str = LOOPBACK,
    port: int | None = None,
    read_only: bool = True,
    timeout: float = 15.0,
    allow_network: bool = False,
) -> Server:
    """Start ``oxigraph serve-read-only`` (or ``serve``) on ``location`` and wait for it.

    Parameters
    ----------
    location
        An Oxigraph directory, e.g. built by :func:`cstograph.stores.load_files`.
    host
        The interface to bind: loopback unless you mean to serve other machines.
    port
        The TCP port; a free one when ``None``.
    read_only
        ``serve-read-only`` (the default: updates and uploads get 403); ``False`` runs
        ``serve``, which accepts them and must be the only process holding ``location``.
    timeout
        Seconds to wait for the first answer.
    allow_network
        Let clients' queries make ``SERVICE`` calls. By default they are refused (403) by a
        front on ``host:port`` in this process, which forwards every other request to the
        Oxigraph server on a loopback port of its own.

    Returns
    -------
    Server
        A handle; use it as a context manager, or call :meth:`Server.stop`.

    Raises
    ------
    StoreError
        The directory is missing, the binary is missing, or the server exited or did not
        answer in time (the message carries its last line of stderr: a port in use, a
        locked directory).
    """
    location = Path(location).absolute()
    if read_only and not (location / "CURRENT").is_file():
        what = "no such directory" if not location.exists() else "not an Oxigraph store"
        raise StoreError(f"oxigraph:{location}: {what}")
    binary = oxigraph_binary()
    front: Front | None = None
    try:
        if allow_network:
            if port is None:
                port = free_port(host)
            else:
                _check_port(host, port)
        else:
            front = Front(host, port or 0)  # binds now: the port is ours from here on
            port = front.port
    except OSError as exc:
        why = exc.strerror or " ".join(str(exc).split())
        where = f"{host}:{port}" if port else host
        raise StoreError(f"cannot serve on {where}: {why}") from None
    oxigraph_host = host if front is None else LOOPBACK
    oxigraph_port = port if front is None else free_port(LOOPBACK)
    bind = (
        f"[{oxigraph_host}]:{oxigraph_port}"
        if ":" in oxigraph_host
        else f"{oxigraph_host}:{oxigraph_port}"
    )
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    command = [
        str(binary),
        "serve-read-only" if read_only else "serve",
        "--location",
        str(location),
        "--bind",
        bind,
    ]
    # a file, not a pipe: a chatty server never blocks; closed by Server.stop()
    log = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=log,
        env={**os.environ, "RUST_BACKTRACE": "0"},
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    server = Server(location, host, port, process, read_only, log, front)
    host_part = f"[{oxigraph_host}]" if ":" in oxigraph_host else oxigraph_host
    direct = f"http://{host_part}:{oxigraph_port}/query"
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            why = server.error_line() or f"exit code {process.returncode}"
            server.stop()
            raise StoreError(f"the Oxigraph server on {shown} did not start: {why}")
        if _answers(direct):
            if front is not None:
                front.start((oxigraph_host, oxigraph_port))
            return server
        if time.monotonic() > deadline:
            server.stop()
            raise StoreError(f"the Oxigraph server on {shown} did not answer within {timeout:g} s")
        time.sleep(0.05)


@contextlib.contextmanager
def serving(
    spec: StoreSpec | str | None,
    data: Sequence[Path | str] = (),
    *,
    host: str = LOOPBACK,
    port: int | None = None,
    allow_network: bool = False,
) -> Iterator[Server]:
    """A read-only server for a store, stopped (and its scratch copy removed) on exit;
    queries calling ``SERVICE`` are refused unless ``allow_network`` (see
    :func:`start_server`).

    An ``oxigraph:DIR`` is served as it is; ``memory`` (the shipped graph and ``data``) from
    a temporary Oxigraph copy built with :func:`cstograph.stores.load_files`.

    Raises
    ------
    StoreSpecError
        ``spec`` is a SPARQL endpoint (served already), or ``data`` comes with a store other
        than memory (load the files into it first).
    StoreError
        The server does not start (see :func:`start_server`).
    """
    from cstograph.stores import load_files, parse_spec

    spec = parse_spec(spec) if spec is None or isinstance(spec, str) else spec
    if spec.kind == "sparql":
        raise StoreSpecError(f"{spec} is already a SPARQL endpoint: serve memory or oxigraph:DIR")
    if data and spec.kind != "memory":
        raise StoreSpecError(f"--data files cannot be served from {spec}: load them into it first")
    scratch: Path | None = None
    try:
        if spec.kind == "memory":
            scratch = Path(tempfile.mkdtemp(prefix="cstograph-serve-"))
            location = scratch / "store"
            load_files(f"oxigraph:{location}", data, allow_network=allow_network)
        else:
            assert spec.path is not None
            location = spec.path
        with start_server(location, host=host, port=port, allow_network=allow_network) as server:
            yield server
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


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
