"""Commands about stores: ``load`` into Oxigraph or an endpoint, ``serve`` over SPARQL, ``synth``.

Registered on a click group by :func:`register`. Like every command module, this one only
parses arguments, calls the library (:mod:`cstograph.stores`, :mod:`cstograph.stores.server`,
:mod:`cstograph.io.synth`) and prints; its commands are
:class:`~cstograph.cli.command.Command`, so library errors become ``Error: <one line>`` with
their exit code on any group.
"""

from __future__ import annotations

from pathlib import Path

import click

from cstograph.cli.command import Command
from cstograph.cli.options import allow_network_option, data_option, store_option, store_spec

__all__ = ["load_command", "register", "serve_command", "synth_command"]


@click.command("load", cls=Command)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@store_option
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
@allow_network_option
def load_command(
    files: tuple[Path, ...],
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

    spec = parse_spec(store_spec())
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


@click.command("serve", cls=Command)
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="TCP port (0: any free port).",
)
@data_option
@click.option(
    "--allow-network",
    is_flag=True,
    help="Let served queries call SERVICE (refused with 403 by default); remote JSON-LD "
    "contexts in --data files.",
)
def serve_command(host: str, port: int, data: tuple[Path, ...], allow_network: bool) -> None:
    """Serve the graph read-only over the SPARQL protocol with the Oxigraph server.

    Serves an oxigraph:DIR store, or (memory, the default) a temporary Oxigraph copy of the
    shipped graph and --data files. Listens on 127.0.0.1 unless --host says otherwise; updates
    are refused (403), and so are queries that call SERVICE unless --allow-network. Prints
    the endpoint URL; Ctrl-C stops the server.
    """
    from cstograph.stores import parse_spec
    from cstograph.stores.server import serving

    spec = parse_spec(store_spec())
    with serving(spec, data, host=host, port=port or None, allow_network=allow_network) as server:
        click.echo(f"Serving {spec} read-only at {server.url}")
        click.echo("Ctrl-C to stop.")
        try:
            server.run()
        except KeyboardInterrupt:
            click.echo("Stopped.")


# Ten times the benchmarks' largest graph (about 3 GB of Turtle): a typo of a few zeros is
# refused at once instead of filling the disk.
SYNTH_MAX = 10_000_000


@click.command("synth", cls=Command)
@click.option(
    "--relations",
    type=click.IntRange(min=0, max=SYNTH_MAX),
    required=True,
    metavar="N",
    help=f"Number of time-bounded relations (at most {SYNTH_MAX:,}).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same graph.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="FILE.ttl",
    help="Turtle file to write (replaced atomically).",
)
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
