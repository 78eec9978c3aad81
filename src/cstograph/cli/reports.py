"""Commands that build snapshots, metrics, exports, diagrams and the report.

Registered on a group by :func:`register`. Like every command module, this one only parses
arguments, calls the library and prints; matplotlib is imported only inside the commands
that draw (through :mod:`cstograph.viz.figures`). ``--from``/``--to`` take dates as
everywhere (see :mod:`cstograph.cli.options`) and cover every year the window touches.
"""

from __future__ import annotations

from pathlib import Path

import click

from cstograph.cli.command import Command
from cstograph.cli.options import (
    data_options,
    format_option,
    kind_option,
    open_data,
    open_history,
    possible_option,
    span_options,
    year_span,
)
from cstograph.io.formats import EXPORT_FORMATS, Format

__all__ = ["PLOT_KINDS", "export", "metrics", "plot", "register", "report", "snapshot"]

#: The diagrams ``plot`` draws (as :data:`cstograph.viz.figures.PLOT_KINDS`, kept here so that
#: ``--help`` does not import the drawing code).
PLOT_KINDS = ("matrix", "network", "timeline", "grid", "animate", "metrics")


@click.command(cls=Command)
@span_options
@click.option("--org", help="Restrict membership, contribution and projection metrics to ORG.")
@click.option(
    "--metric",
    "metric_names",
    multiple=True,
    metavar="NAME",
    help="Only this metric (repeatable); see --list.",
)
@click.option("--list", "list_", is_flag=True, help="List the metrics and their definitions.")
@data_options
@format_option("table", "csv", "json")
def metrics(
    from_: str | None,
    to_: str | None,
    org: str | None,
    metric_names: tuple[str, ...],
    list_: bool,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Metrics per year: members, joins and exits per organization, contributors per force,
    bases per host and per using state, density and degree centrality of the state
    projection, and the share of relations involving Russia.

    One row per year, metric and entity, for every year --from/--to touches (default: the
    data's years); --list gives each metric's definition. With a table, notes on standard
    error name the organizations recorded only in part.
    """
    from cstograph.analysis.metrics import COLUMNS, definitions, metrics_table
    from cstograph.cli.render import render_records

    if list_:
        click.echo(render_records(definitions(), fmt))
        return
    history = open_history(data, allow_network)
    first, last = year_span(history, from_, to_)
    rows = metrics_table(history, first, last, org=org, metrics=list(metric_names) or None)
    click.echo(render_records(rows, fmt, COLUMNS))
    if fmt == "table":
        from cstograph.cli.render import render_notes
        from cstograph.index.notes import coverage_notes

        notes = coverage_notes(history, {row["id"] for row in rows})
        if notes:
            click.echo(render_notes(notes), err=True)


@click.command(cls=Command)
@click.option("--year", type=int, metavar="YYYY", help="Relations in effect during the year.")
@click.option(
    "--on", metavar="DATE", help="Relations in effect on DATE (YYYY, YYYY-MM or YYYY-MM-DD)."
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .graphml, .gexf, .json (node-link) or .csv (edge list).",
)
@kind_option(multiple=True)
@click.option("--org", "orgs", multiple=True, help="Only relations with this organization.")
@possible_option
@data_options
def snapshot(
    year: int | None,
    on: str | None,
    out: Path,
    kinds: tuple[str, ...],
    orgs: tuple[str, ...],
    possible: bool,
    data: tuple[Path, ...],
    allow_network: bool,
) -> None:
    """Write the network of one year (or day), or of the whole span, for Gephi, networkx or
    a spreadsheet.

    Nodes are entities (label, class, Wikidata QID); edges are the relations in effect, held
    or with imprecise bounds (--possible: also not excluded), with kind, role, dates,
    precisions, certain, grade and sources. Without --year and --on, every relation over
    the whole span as one dynamic graph (GEXF: spells on nodes, start and end on edges,
    which Gephi's timeline plays). The format comes from the extension of --out.
    """
    from cstograph.analysis.snapshot import snapshot as build
    from cstograph.analysis.snapshot import whole_span
    from cstograph.export.graph import snapshot_format, write_snapshot

    snapshot_format(out)  # refuse a bad extension before loading anything
    if year is not None and on is not None:
        raise click.UsageError("give --year or --on, not both")
    if possible and year is None and on is None:
        raise click.UsageError("--possible needs --year or --on (the whole span has no window)")
    history = open_history(data, allow_network)
    if year is None and on is None:
        graph = whole_span(history, kinds=kinds or None, orgs=orgs or None)
    else:
        graph = build(
            history, year=year, on=on, kinds=kinds or None, orgs=orgs or None, possible=possible
        )
    write_snapshot(graph, out)
    dynamic = ", dynamic" if graph.graph.get("mode") == "dynamic" else ""
    click.echo(
        f"Wrote {out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges "
        f"({graph.graph['window']}{dynamic})."
    )


def _rdf_label(rdf_format: Format) -> str:
    return rdf_format.label + (" (inline context)" if rdf_format.prefix_context else "")


@click.command(cls=Command)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*(f.name for f in EXPORT_FORMATS), "csv"]),
    default=EXPORT_FORMATS[0].name,
    show_default=True,
    help=", ".join(_rdf_label(f) for f in EXPORT_FORMATS)
    + ", or csv: the relations in the columns `cstograph import` reads (README: Analysts' tables).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--owl-time",
    is_flag=True,
    help="Export the OWL-Time view of the relations' intervals instead of the graph.",
)
@data_options
def export(
    fmt: str, out: Path | None, owl_time: bool, data: tuple[Path, ...], allow_network: bool
) -> None:
    """Export the RDF: the ontology, the shipped graph and any --data, or their intervals
    in OWL-Time (time:Interval, time:hasBeginning/time:hasEnd, time:inXSDDate)."""
    from cstograph.export.graph import owl_time_view, serialize_rdf, write_text

    if owl_time and fmt == "csv":
        raise click.UsageError("--owl-time is an RDF view; it has no csv form")
    if fmt == "csv":
        from cstograph.export.relations_csv import export_csv

        text = export_csv(open_data(data, allow_network))
        what = f"{text.count(chr(10)) - 1} rows"
    else:
        # the OWL-Time view needs only the interval index: a store's is read without a copy
        graph = (
            owl_time_view(open_history(data, allow_network))
            if owl_time
            else open_data(data, allow_network)
        )
        text = serialize_rdf(graph, fmt)
        what = f"{len(graph)} triples"
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text(out, text)
        click.echo(f"Wrote {out}: {what}.", err=True)


@click.command(cls=Command)
@click.argument("kind", type=click.Choice(PLOT_KINDS))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .png, .svg or .pdf (animate: .gif).",
)
@click.option("--year", type=int, metavar="YYYY", help="network: the year (default: --to's).")
@span_options
@click.option(
    "--org", help="Only this organization and its forces (matrix, network, grid, timeline)."
)
@click.option(
    "--metric",
    "metric_names",
    multiple=True,
    metavar="NAME",
    help="metrics: draw this metric (repeatable; default members, density, russia_share).",
)
@data_options
def plot(
    kind: str,
    out: Path,
    year: int | None,
    from_: str | None,
    to_: str | None,
    org: str | None,
    metric_names: tuple[str, ...],
    data: tuple[Path, ...],
    allow_network: bool,
) -> None:
    """Draw a diagram: matrix (states by years per organization, each cell a role), network
    (one year), timeline (Gantt of memberships with events), grid (small multiples of the
    network at the turning points), animate (GIF, year by year), metrics (lines).

    --from/--to: the years drawn (timeline, grid, animate, metrics; default: the data's).
    The format comes from the extension of --out. Diagrams are deterministic and read in
    greyscale (marker shapes, line styles and hatching carry the meaning, not colour).
    """
    from cstograph.viz import figures as plots

    plots.check_extension(kind, out)
    history = open_history(data, allow_network)
    first, last = year_span(history, from_, to_)
    drawn = plots.draw(
        kind,
        history,
        out,
        year=year,
        start=first,
        end=last,
        org=org,
        metrics=list(metric_names) or None,
    )
    click.echo(f"Wrote {drawn}.")


@click.command(cls=Command)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write into (created if missing).",
)
@span_options
@data_options
def report(
    out: Path, from_: str | None, to_: str | None, data: tuple[Path, ...], allow_network: bool
) -> None:
    """Validate the graph, then write everything for the years --from/--to touch (default:
    the data's whole span) into --out: yearly GraphML snapshots, the metrics CSV, every
    diagram, and an index.html showing them.

    Progress goes to standard error; the list of files written to standard output. Exit
    code 1 (and nothing written) when the graph does not validate.
    """
    from cstograph.report import build_report
    from cstograph.temporal import window_years

    first, last = window_years(from_, to_)

    def progress(message: str) -> None:
        click.echo(message, err=True)

    from cstograph.explore.page import write_explorer

    written = build_report(
        out,
        start=first,
        end=last,
        progress=progress,
        graph=open_data(data, allow_network),
        explorer=write_explorer,
    )
    click.echo(f"Wrote {len(written)} files into {out}:")
    for path in written:
        click.echo(f"  {path.relative_to(out).as_posix()}")


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    for command in (metrics, snapshot, export, plot, report):
        group.add_command(command)
