"""The ``cstograph`` command line: parse arguments, call the library, print. Nothing else.

Exit codes: 0 success (``validate``: conforms), 1 ``validate`` found violations,
2 bad input (a file that does not parse or exist, a broken or refused query, a bad option).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cstograph import __version__
from cstograph.cli.options import (
    claims_option,
    data_options,
    format_option,
    open_data,
    open_history,
    store_option,
    time_options,
    when,
)
from cstograph.errors import CstographError

F = TypeVar("F", bound=Callable[..., Any])

#: How many of the most cited sources ``info`` shows in its table.
SOURCES_SHOWN = 10


class _Failure(click.ClickException):
    """A library error as click shows it: ``Error: <one line>`` and the error's exit code."""

    def __init__(self, error: CstographError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CstographError as error:
            raise _Failure(error) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cstograph")
def cli() -> None:
    """cstograph: a temporal knowledge graph of the Collective Security Treaty Organization.

    Who was allied with whom, when, and on what evidence. Every command reads the shipped
    ontology and graph, plus any --data FILE you add.
    """


@cli.command()
@data_options
@format_option("table", "json")
def info(data: tuple[Path, ...], allow_network: bool, fmt: str) -> None:
    """Count triples, entities by class, relations by kind, events, the span and sources."""
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
    shown = summary.sources[:SOURCES_SHOWN]
    click.echo(
        table(
            ["source", "title", "cited by"],
            [[s.id, s.title, s.cited_by] for s in shown],
        )
    )
    if len(summary.sources) > len(shown):
        more = len(summary.sources) - len(shown)
        click.echo(f"... and {more} more sources (--format json lists them all)")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--only",
    is_flag=True,
    help="Validate FILES with the ontology alone, without the shipped graph.",
)
@click.option("--allow-network", is_flag=True, help="Permit remote JSON-LD contexts.")
@store_option
@format_option("table", "json")
def validate(files: tuple[Path, ...], only: bool, allow_network: bool, fmt: str) -> None:
    """Check the graph (and FILES, if given) against the SHACL shapes and the violation queries.

    Exit code 0 when everything conforms, 1 when there are violations, 2 when a file
    cannot be read.
    """
    from cstograph.validation import validate as run_validation
    from cstograph.validation import validate_graph

    spec = click.get_current_context().meta.get("cstograph.store")
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
            count = len(report.shape_violations) + sum(len(q.rows) for q in report.query_violations)
            click.echo(f"Validated {checked}: {count} violations.")
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
        sys.exit(1)


@cli.command()
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
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Run a read-only SPARQL query: TEXT, a named query (see --list), or --file.

    The prefixes cst: cs: org: schema: prov: time: skos: dcterms: foaf: owl: rdf: rdfs:
    xsd: wd: cshp: are declared for you. --year, --on, --from/--to bind ?from (the first
    day of the window) and ?to (the day after its last), both xsd:date; an interval
    [start, end) is in the window when start < ?to and (no end or end > ?from).
    --format json gives SPARQL 1.1 JSON results.
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
    from cstograph.query.sparql import prepare, read_query_file, run_query

    if query_file is not None:
        text = read_query_file(query_file)
    assert text is not None

    source = named.text if named else text
    prepare(source, allow_network=allow_network)  # report a bad query before loading
    graph = open_data(data, allow_network, native=True)
    bindings = bind_parameters(graph, named, params, **when(year, on, from_, to_), text=source)
    result = run_query(graph, source, bindings=bindings, allow_network=allow_network)
    click.echo(render_sparql(result, fmt))


@cli.command()
@click.argument("org")
@time_options
@click.option(
    "--role",
    help="Only this role (full member, observer, signatory, suspended, participation frozen, "
    "...), or 'all'. Default: the roles that count as membership.",
)
@claims_option
@data_options
@format_option("table", "json", "csv")
def members(
    org: str,
    year: str | None,
    on: str | None,
    from_: str | None,
    to_: str | None,
    role: str | None,
    claims: str,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Members of ORG (or contributors to a joint force) in a time window.

    ORG is a name, an alternative name, a slug, a Wikidata QID or an IRI. Without --role,
    the roles that count as membership: full member, party/signatory, participation frozen.
    Each row says whether it surely held in the window (certain) or only may have, because a
    bound is known only to the month or year or only as "by"/"or later".
    """
    from cstograph.cli.render import render_relations

    history = open_history(data, allow_network, claims)
    found = history.members(org, role=role, **when(year, on, from_, to_))
    click.echo(render_relations(found, fmt))


@cli.command()
@click.option(
    "--kind",
    type=click.Choice(
        ["member-of", "not-member-of", "contributes-to-force", "hosts-base", "holds-office"]
    ),
    help="Only relations of this kind.",
)
@click.option("--subject", help="Only relations whose subject is this entity.")
@click.option("--object", "object_", help="Only relations whose object is this entity.")
@time_options
@claims_option
@data_options
@format_option("table", "json", "csv")
def relations(
    kind: str | None,
    subject: str | None,
    object_: str | None,
    year: str | None,
    on: str | None,
    from_: str | None,
    to_: str | None,
    claims: str,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Time-bounded relations by kind, subject, object and time.

    Subjects and objects by kind: member-of, the member and the organization;
    contributes-to-force, the state and the force; hosts-base, the host state and the base;
    holds-office, the person and the post.
    """
    from cstograph.cli.render import render_relations

    history = open_history(data, allow_network, claims)
    found = history.relations(kind, subject, object_, **when(year, on, from_, to_))
    click.echo(render_relations(found, fmt))


@cli.command()
@click.argument("entity")
@claims_option
@data_options
@format_option("table", "json", "csv")
def timeline(
    entity: str, claims: str, data: tuple[Path, ...], allow_network: bool, fmt: str
) -> None:
    """Every relation and event of ENTITY in date order, with sources."""
    from cstograph.cli.render import render_timeline

    history = open_history(data, allow_network, claims)
    click.echo(render_timeline(history.timeline(entity), fmt))


@cli.command()
@click.argument("t1")
@click.argument("t2")
@click.option("--org", help="Only relations whose object is this organization or force.")
@click.option(
    "--kind",
    type=click.Choice(
        ["member-of", "not-member-of", "contributes-to-force", "hosts-base", "holds-office"]
    ),
    help="Only relations of this kind.",
)
@claims_option
@data_options
@format_option("table", "json", "csv")
def diff(
    t1: str,
    t2: str,
    org: str | None,
    kind: str | None,
    claims: str,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """What changed between T1 and T2: relations that joined, left or changed role.

    A year (2005) means in effect at any time during it; a date (2005-06 or 2005-06-30)
    means that day.
    """
    from cstograph.cli.render import render_changes

    history = open_history(data, allow_network, claims)
    click.echo(render_changes(history.diff(t1, t2, org=org, kind=kind), fmt))


@cli.command()
@click.argument("entity", required=False)
@data_options
@format_option("table", "json", "csv")
def conflicts(entity: str | None, data: tuple[Path, ...], allow_network: bool, fmt: str) -> None:
    """Claims that sources disagree on (about ENTITY, if given), grouped, each with its
    sources, which one is preferred and why. Temporal commands show the preferred claim;
    --claims all shows each."""
    from cstograph.cli.render import render_conflicts
    from cstograph.index.conflicts import find_conflicts

    history = open_history(data, allow_network, claims="all")
    click.echo(render_conflicts(find_conflicts(history, entity), fmt))


@cli.command(name="import")
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
    from rdflib import BNode

    from cstograph.export.relations_csv import import_csv

    graph = import_csv(csv_file, out, extra_files=data)
    count = len({s for s in graph.subjects() if not isinstance(s, BNode)})
    click.echo(f"Wrote {out}: {len(graph)} triples, {count} nodes.")


def _register_more() -> None:
    from cstograph.cli.reports import register as register_reports
    from cstograph.cli.stores import register as register_stores

    register_reports(cli)
    register_stores(cli)


_register_more()


def main() -> None:
    """Entry point of the ``cstograph`` console script."""
    cli(prog_name="cstograph")
