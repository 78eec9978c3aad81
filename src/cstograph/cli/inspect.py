"""Commands that look at the graph as RDF: ``info``, ``validate``, ``query``.

Each parses its arguments, calls the library (:mod:`cstograph.analysis.summary`,
:mod:`cstograph.validation`, :mod:`cstograph.query`) and prints through
:mod:`cstograph.cli.render`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cstograph.cli.command import Command
from cstograph.cli.options import (
    allow_network_option,
    data_options,
    format_option,
    open_data,
    open_history,
    possible_option,
    store_option,
    store_spec,
    time_options,
    when,
)
from cstograph.errors import ExitCode

if TYPE_CHECKING:
    from cstograph.index.history import History

__all__ = ["SOURCES_SHOWN", "info", "query", "register", "validate"]

#: How many of the most cited sources ``info`` shows in its table.
SOURCES_SHOWN = 10


@click.command(cls=Command)
@data_options
@format_option("table", "json")
def info(data: tuple[Path, ...], allow_network: bool, fmt: str) -> None:
    """Count triples, entities by class, relations by kind, events, the span and sources
    (by kind, and the most cited)."""
    from cstograph.analysis.summary import summarize

    summary = summarize(open_data(data, allow_network))
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
        return
    from cstograph.cli.render import table

    span = f"{summary.first_date} to {summary.last_date}" if summary.first_date else "no dates"
    click.echo(f"{summary.triples} triples; dated facts from {span}")
    for title, counts in (
        ("entities", summary.entities),
        ("relations", summary.relations),
        ("memberships of", summary.by_organization),
        ("events", summary.events),
    ):
        click.echo("")
        click.echo(table([title, "count"], sorted(counts.items())))
    click.echo("")
    click.echo(table(["sources by kind", "count"], list(summary.sources_by_kind.items())))
    click.echo("")
    shown = summary.sources[:SOURCES_SHOWN]
    click.echo(
        table(
            ["source", "kind", "title", "cited by"],
            [[s.id, s.kind, s.title, s.cited_by] for s in shown],
        )
    )
    if len(summary.sources) > len(shown):
        more = len(summary.sources) - len(shown)
        click.echo(f"... and {more} more sources (--format json lists them all)")


@click.command(cls=Command)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--only",
    is_flag=True,
    help="Validate FILES with the ontology alone, without the shipped graph.",
)
@allow_network_option
@store_option
@format_option("table", "json")
def validate(files: tuple[Path, ...], only: bool, allow_network: bool, fmt: str) -> None:
    """Check the graph (and FILES, if given) against the SHACL shapes and the violation queries.

    Exit code 0 when everything conforms, 1 when there are violations, 2 when a file
    cannot be read, 3 when the store fails.
    """
    from cstograph.validation import validate as run_validation
    from cstograph.validation import validate_graph

    spec = store_spec()
    if spec and spec != "memory":
        if files:
            raise click.UsageError("FILES are validated in memory: load them into the store first")
        report = validate_graph(open_data((), allow_network))
    else:
        report = run_validation(
            files, include_graph=not (only and files), allow_network=allow_network
        )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        from cstograph.cli.render import table

        checked = (
            f"{report.triples} triples against {report.shapes_checked} shapes "
            f"and {len(report.checks_run)} violation queries"
        )
        if report.conforms:
            click.echo(f"Validated {checked}: conforms.")
        else:
            click.echo(f"Validated {checked}: {report.violation_count} violations.")
            if report.shape_violations:
                click.echo("")
                click.echo(
                    table(
                        ["shape", "focus", "path", "message"],
                        [[v.shape, v.focus, v.path, v.message] for v in report.shape_violations],
                    )
                )
            for check in report.query_violations:
                click.echo("")
                click.echo(f"{check.check}: {check.description}")
                columns = list(check.rows[0])
                click.echo(table(columns, [[row.get(c) for c in columns] for row in check.rows]))
    if not report.conforms:
        sys.exit(ExitCode.VIOLATIONS)


@click.command(cls=Command)
@click.argument("text", required=False)
@click.option(
    "--file",
    "query_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the query from this file.",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE (an entity name, a year, a date or text, as the named query "
    "declares; in your own queries an entity name). Repeatable.",
)
@time_options
@possible_option
@data_options
@format_option("table", "csv", "tsv", "json")
def query(
    text: str | None,
    query_file: Path | None,
    list_: bool,
    params: tuple[str, ...],
    year: str | None,
    on: str | None,
    from_: str | None,
    to_: str | None,
    possible: bool,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Run a read-only SPARQL query: TEXT, a named query (see --list), or --file.

    The prefixes cst: cs: org: schema: prov: time: skos: dcterms: foaf: owl: rdf: rdfs:
    xsd: wd: cshp: are declared for you. --year, --on, --from/--to bind ?from (the first
    day of the window) and ?to (the day after its last), both xsd:date; an interval
    [start, end) is in the window when start < ?to and (no end or end > ?from).
    A named query says when its rows hold by the rule every command uses (a grade column:
    held, bounds imprecise, and with --possible not excluded). --format json gives
    SPARQL 1.1 JSON results.
    """
    from cstograph.query.named import named_queries

    if list_:
        from cstograph.cli.render import render_records

        rows = [
            {
                "name": q.name,
                "parameters": " ".join(
                    f"{p.name}={p.type}" if p.required else f"[{p.name}={p.type}]" for p in q.params
                )
                + (" [--year|--on|--from/--to]" if q.uses_window else ""),
                "description": q.description,
            }
            for q in named_queries().values()
        ]
        click.echo(render_records(rows, "json" if fmt == "json" else "table"))
        return
    if (text is None) == (query_file is None):
        raise click.UsageError("give the query as TEXT, a NAME or with --file (one of them)")
    named = named_queries().get(text) if text is not None else None
    from cstograph.cli.render import render_sparql
    from cstograph.query.params import bind_parameters
    from cstograph.query.sparql import labeller, prepare, read_query_file, run_query

    if query_file is not None:
        text = read_query_file(query_file)
    assert text is not None

    source = named.text if named else text
    prepare(source, allow_network=allow_network)  # report a bad query before loading
    graph = open_data(data, allow_network, native=True)
    times = when(year, on, from_, to_)
    opened: list[History] = []

    def index() -> History:
        """The store's interval index (every claim: a graded query filters them itself),
        opened once, the way every temporal command opens it."""
        if not opened:
            opened.append(open_history(data, allow_network, claims="all"))
        return opened[0]

    bindings = bind_parameters(graph, named, params, **times, text=source, index=index)
    if named is not None:
        from cstograph.query.graded import run_named
        from cstograph.temporal import window

        result = run_named(
            graph,
            named,
            bindings,
            window(**times),
            possible=possible,
            allow_network=allow_network,
            history=index() if named.graded else None,
        )
    else:
        if possible:
            raise click.UsageError("--possible applies to named queries only")
        result = run_query(graph, source, bindings=bindings, allow_network=allow_network)
    click.echo(render_sparql(result, fmt, labeller(graph) if fmt == "table" else None))


def register(group: click.Group) -> None:
    """Add ``info``, ``validate`` and ``query`` to ``group``."""
    for command in (info, validate, query):
        group.add_command(command)
