"""The ``cstograph`` command line: parse arguments, call the library, print. Nothing else.

One module per command family, each with a ``register(group)``:

- :mod:`~cstograph.cli.inspect`: ``info``, ``validate``, ``query`` (the graph as RDF);
- :mod:`~cstograph.cli.temporal`: ``members``, ``relations``, ``timeline``, ``diff``,
  ``conflicts`` (questions about time, answered from the interval index);
- :mod:`~cstograph.cli.lookup`: ``search``, ``events``, ``source``, ``sources``;
- :mod:`~cstograph.cli.reports`: ``metrics``, ``snapshot``, ``export``, ``plot``, ``report``;
- :mod:`~cstograph.cli.stores`: ``load``, ``serve``, ``synth``;
- :mod:`~cstograph.cli.imports`: ``import`` (a CSV of relations into Turtle);
- :mod:`~cstograph.cli.explore`: ``explore`` (the explorer page, one self-contained HTML file).

Shared options are in :mod:`~cstograph.cli.options`, the one table renderer in
:mod:`~cstograph.cli.render`, the one error translator in :mod:`~cstograph.cli.command`.
Exit codes: 0 success, 1 violations, 2 bad input, 3 a store, endpoint or server failed
(:mod:`cstograph.errors`). Library modules are imported inside the commands, so
``cstograph --help`` imports neither rdflib nor matplotlib.
"""

from __future__ import annotations

import click

from cstograph import __version__
from cstograph.cli import explore, imports, inspect, lookup, reports, stores, temporal
from cstograph.cli.command import Command

__all__ = ["cli", "main"]


class _Group(click.Group):
    """The ``cstograph`` group: its commands are :class:`~cstograph.cli.command.Command`."""

    command_class = Command


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cstograph")
def cli() -> None:
    """cstograph: a temporal knowledge graph of the Collective Security Treaty Organization.

    Who was allied with whom, when, and on what evidence. Every command reads the shipped
    ontology and graph, plus any --data FILE you add.
    """


for _family in (inspect, temporal, lookup, imports, reports, stores, explore):
    _family.register(cli)


def main() -> None:
    """Entry point of the ``cstograph`` console script."""
    cli(prog_name="cstograph")
