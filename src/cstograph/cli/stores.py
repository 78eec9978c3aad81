"""Commands about stores: ``load`` into Oxigraph or an endpoint, ``serve`` over SPARQL, ``synth``.

Registered on a click group by :func:`register`. Like ``cli.py``, this module only parses
arguments, calls the library (:mod:`cstograph.stores`, :mod:`cstograph.stores.server`,
:mod:`cstograph.io.synth`) and prints. Library errors become ``Error: <one line>`` with exit code 2
here as well, so the commands behave the same on any group.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cstograph.errors import CstographError

F = TypeVar("F", bound=Callable[..., Any])

_STORE_HELP = "memory, oxigraph:DIR or sparql:URL (default: $CSTOGRAPH_STORE, else memory)."


class _Failure(click.ClickException):
    def __init__(self, error: CstographError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]


def _one_line_errors(func: F) -> F:
    """Turn a :class:`CstographError` into ``Error: ...`` and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CstographError as error:
            raise _Failure(error) from None

    return wrapper  # type: ignore[return-value]


def _store_option(func: F) -> F:
    return click.option(
        "--store", "store", envvar="CSTOGRAPH_STORE", metavar="SPEC", help=_STORE_HELP
    )(func)


@click.command("load")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@_store_option
@click.option(
    "--no-shipped",
    is_flag=True,
    help="Do not put the shipped ontology and graph/ into a new store (they are by default).",
)
@click.option(
    "--graph-store",
    metavar="URL",
    help="sparql:URL only: the Graph Store Protocol endpoint (default: URL's /query -> /store).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=600.0,
    show_default=True,
    metavar="SECONDS",
    help="sparql:URL only: how long to wait for the endpoint.",
)
@click.option(
    "--allow-network",
    is_flag=True,
    help="Permit remote JSON-LD contexts and RDF/XML DOCTYPEs in the files (off by default).",
)
@_one_line_errors
def load_command(
    files: tuple[Path, ...],
    store: str | None,
    no_shipped: bool,
    graph_store: str | None,
    timeout: float,
    allow_network: bool,
) -> None:
    """Load RDF FILEs into an Oxigraph directory or a SPARQL endpoint, all or nothing.

    Every file is parsed first; the store is then rebuilt aside and swapped in, so a bad file
    or an interrupted load leaves it as it was. A new store also gets the shipped ontology
    and graph (unless --no-shipped), so it answers like the default memory store.
    """
    from cstograph.stores import load_files, parse_spec

    spec = parse_spec(store)
    report = load_files(
        spec,
        files,
        shipped=not no_shipped,
        allow_network=allow_network,
        graph_store=graph_store,
        timeout=timeout,
    )
    for name, count in report.files:
        click.echo(f"{name}: {count} triples")
    if report.shipped_files:
        click.echo(f"shipped ontology and graph: {report.shipped_files} files")
    verb = "Created" if report.created else "Extended"
    click.echo(
        f"{verb} {report.store}: {report.triples_before} -> {report.triples_after} triples "
        f"in {report.seconds:.1f} s."
    )


@click.command("serve")
@_store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="TCP port (0: any free port).",
)
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Memory store only: also serve this RDF file. Repeatable.",
)
@click.option(
    "--allow-network",
    is_flag=True,
    help="Let served queries call SERVICE (refused with 403 by default); remote JSON-LD "
    "contexts in --data files.",
)
@_one_line_errors
def serve_command(
    store: str | None, host: str, port: int, data: tuple[Path, ...], allow_network: bool
) -> None:
    """Serve the graph read-only over the SPARQL protocol with the Oxigraph server.

    Serves an oxigraph:DIR store, or (memory, the default) a temporary Oxigraph copy of the
    shipped graph and --data files. Listens on 127.0.0.1 unless --host says otherwise; updates
    are refused (403), and so are queries that call SERVICE unless --allow-network. Prints
    the endpoint URL; Ctrl-C stops the server.
    """
    from cstograph.errors import StoreError
    from cstograph.stores import load_files, parse_spec
    from cstograph.stores.server import start_server

    spec = parse_spec(store)
    if spec.kind == "sparql":
        raise StoreError(f"{spec} is already a SPARQL endpoint: serve memory or oxigraph:DIR")
    if data and spec.kind != "memory":
        raise StoreError(f"--data files cannot be served from {spec}: load them into it first")
    scratch: Path | None = None
    try:
        if spec.kind == "memory":
            scratch = Path(tempfile.mkdtemp(prefix="cstograph-serve-"))
            location = scratch / "store"
            load_files(f"oxigraph:{location}", data, allow_network=allow_network)
        else:
            assert spec.path is not None
            location = spec.path
        server = start_server(location, host=host, port=port or None, allow_network=allow_network)
        try:
            click.echo(f"Serving {spec} read-only at {server.url}")
            click.echo("Ctrl-C to stop.")
            server.wait()
            if server.process.returncode:
                raise StoreError(f"the Oxigraph server stopped: {server.error_line()}")
        except KeyboardInterrupt:
            click.echo("Stopped.")
        finally:
            server.stop()
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


@click.command("synth")
@click.option(
    "--relations",
    type=click.IntRange(min=0),
    required=True,
    metavar="N",
    help="Number of time-bounded relations.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same graph.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="FILE.ttl",
    help="Turtle file to write (replaced atomically).",
)
@_one_line_errors
def synth_command(relations: int, seed: int, out: Path) -> None:
    """Write a valid synthetic graph of N relations of every kind (for tests and benchmarks).

    Hundreds of states and organizations, memberships that end and resume, open intervals,
    dates to the day, month or year, qualifiers, conflicting claims, contributions, bases and
    office holders, each with a source and a locator. Validate it with the ontology:
    `cstograph validate FILE.ttl`.
    """
    from cstograph.io.synth import write_turtle

    stats = write_turtle(out, relations, seed)
    kinds = ", ".join(f"{count} {kind}" for kind, count in stats.relations.items())
    click.echo(f"Wrote {stats.total} relations ({kinds}) to {out}: {stats.bytes} bytes.")


def register(group: click.Group) -> None:
    """Add ``load``, ``serve`` and ``synth`` to ``group``."""
    for command in (load_command, serve_command, synth_command):
        group.add_command(command)
