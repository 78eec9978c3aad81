"""The ``explore`` command: the explorer page, one self-contained HTML file.

Registered on a group by :func:`register`. Like every command module, it only parses
arguments, calls the library (:func:`cstograph.explore.write_explorer`) and prints.
"""

from __future__ import annotations

from pathlib import Path

import click

from cstograph.cli.command import Command
from cstograph.cli.options import data_options, open_history

__all__ = ["explore", "register"]


@click.command(cls=Command)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write (e.g. explorer.html).",
)
@data_options
def explore(out: Path, data: tuple[Path, ...], allow_network: bool) -> None:
    """Write the explorer: one HTML file that works offline (open it from disk or e-mail
    it), with a year slider over the whole span, the network of each year (role by colour,
    certainty by line style), a card per state, organization, base or person with its
    relations and sources, a Gantt of memberships, the disputed claims and what the record
    covers.

    All scripts and data are inline and a Content-Security-Policy forbids every network
    request.
    """
    from cstograph.explore import write_explorer

    history = open_history(data, allow_network, claims="all")
    written = write_explorer(history, out)
    size = written.stat().st_size if written.is_file() else 0
    click.echo(f"Wrote {out} ({size / 1e6:.1f} MB).")


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    group.add_command(explore)
