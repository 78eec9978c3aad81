"""``import``: a CSV of relations into validated Turtle (:mod:`cstograph.export.relations_csv`)."""

from __future__ import annotations

from pathlib import Path

import click

from cstograph.cli.command import Command
from cstograph.cli.options import data_options

__all__ = ["import_", "import_cow_igo", "register"]


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


@click.command("import-cow-igo", cls=Command)
@click.argument("state_year", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--igos", type=click.Path(dir_okay=False, path_type=Path), help="igo_list.csv (names)."
)
@click.option(
    "--states", type=click.Path(dir_okay=False, path_type=Path), help="states2016.csv (names)."
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the Turtle here (only if every row is good).",
)
def import_cow_igo(state_year: Path, igos: Path | None, states: Path | None, out: Path) -> None:
    """Turn a COW IGO v3 state-year table (CSV, plain or gzipped) into membership relations,
    one per spell of years with the same status, citing the dataset (README: Importing COW IGO)."""
    from cstograph.imports.cow_igo import import_cow_igo as run

    counts = run(state_year, out, igos=igos, states=states)
    click.echo(f"Wrote {out}: {counts.relations} memberships, {counts.entities} COW-only entities.")


def register(group: click.Group) -> None:
    """Add ``import`` and ``import-cow-igo`` to ``group``."""
    group.add_command(import_)
    group.add_command(import_cow_igo)
