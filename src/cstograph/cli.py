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

from . import __version__
from .errors import CstographError

F = TypeVar("F", bound=Callable[..., Any])


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


def _data_options(func: F) -> F:
    """``--data FILE`` (repeatable) and ``--allow-network``, for commands that load the graph."""
    func = click.option(
        "--allow-network",
        is_flag=True,
        help="Permit SERVICE, FROM <url> and remote JSON-LD contexts (off by default).",
    )(func)
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Also load this RDF file (Turtle, N-Triples, JSON-LD, RDF/XML). Repeatable.",
    )(func)


def _format_option(*choices: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cstograph")
def cli() -> None:
    """cstograph: a temporal knowledge graph of the Collective Security Treaty Organization.

    Who was allied with whom, when, and on what evidence. Every command reads the shipped
    ontology and graph, plus any --data FILE you add.
    """


@cli.command()
@_data_options
@_format_option("table", "json")
def info(data: tuple[Path, ...], allow_network: bool, fmt: str) -> None:
    """Count triples, entities by class, relations by kind, events, the span and sources."""
    from .store import load
    from .summary import summarize

    summary = summarize(load(data, allow_network=allow_network))
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
        return
    from .output import table

    span = f"{summary.first_date} to {summary.last_date}" if summary.first_date else "no dates"
    click.echo(f"{summary.triples} triples; dated facts from {span}")
    for title, counts in (
        ("entities", summary.entities),
        ("relations", summary.relations),
        ("events", summary.events),
    ):
        click.echo("")
        click.echo(table([title, "count"], sorted(counts.items())))
    click.echo("")
    click.echo(
        table(
            ["source", "title", "cited by"],
            [[s.id, s.title, s.cited_by] for s in summary.sources],
        )
    )


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--only",
    is_flag=True,
    help="Validate FILES with the ontology alone, without the shipped graph.",
)
@click.option("--allow-network", is_flag=True, help="Permit remote JSON-LD contexts.")
@_format_option("table", "json")
def validate(files: tuple[Path, ...], only: bool, allow_network: bool, fmt: str) -> None:
    """Check the graph (and FILES, if given) against the SHACL shapes and the violation queries.

    Exit code 0 when everything conforms, 1 when there are violations, 2 when a file
    cannot be read.
    """
    from .validation import validate as run_validation

    report = run_validation(files, include_graph=not (only and files), allow_network=allow_network)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        from .output import table

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
@_data_options
@_format_option("table", "csv", "tsv", "json")
def query(
    text: str | None,
    query_file: Path | None,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Run a read-only SPARQL query, given as TEXT or with --file.

    The prefixes cst: cs: org: schema: prov: time: skos: dcterms: foaf: owl: rdf: rdfs:
    xsd: wd: cshp: are declared for you. --format json gives SPARQL 1.1 JSON results.
    """
    if (text is None) == (query_file is None):
        raise click.UsageError("give the query as TEXT or with --file, not both or neither")
    if query_file is not None:
        try:
            text = query_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise click.BadParameter(f"cannot read {query_file}: {exc.strerror}") from None
    assert text is not None
    from .output import render_sparql
    from .sparql import prepare, run_query
    from .store import load

    prepare(text, allow_network=allow_network)  # report a bad query before loading anything
    result = run_query(load(data, allow_network=allow_network), text, allow_network=allow_network)
    click.echo(render_sparql(result, fmt))


def main() -> None:
    """Entry point of the ``cstograph`` console script."""
    cli(prog_name="cstograph")
