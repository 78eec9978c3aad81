"""``import``: a CSV of relations into validated Turtle (:mod:`cstograph.export.relations_csv`)."""

from __future__ import annotations

from pathlib import Path

import click

from cstograph.cli.command import Command
from cstograph.cli.options import data_options

__all__ = ["import_", "register"]


@click.command("import", cls=Command)
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the Turtle here (only if every row is good).",
)
@data_options
def import_(csv_file: Path, out: Path, data: tuple[Path, ...], allow_network: bool) -> None:
    """Turn a CSV of relations (one row per relation and source; columns in the README) into
    validated Turtle. A bad row is reported with its row number and nothing is written."""
    from cstograph.export.relations_csv import import_csv, node_count

    graph = import_csv(csv_file, out, extra_files=data)
    click.echo(f"Wrote {out}: {len(graph)} triples, {node_count(graph)} nodes.")


def register(group: click.Group) -> None:
    """Add ``import`` to ``group``."""
    group.add_command(import_)
