"""The main job: validate, then write every snapshot, the metrics, every diagram and an
``index.html`` that shows them, for the whole span of the data."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import Graph

from cstograph.errors import NotValidError
from cstograph.index.build import build_index
from cstograph.index.history import History
from cstograph.io.files import directory_aside

__all__ = ["build_report"]


def _nothing(message: str) -> None:
    """The default progress callback: say nothing."""


def build_report(
    out: Path | str,
    *,
    start: int | None = None,
    end: int | None = None,
    data: Iterable[Path | str] = (),
    allow_network: bool = False,
    progress: Callable[[str], None] = _nothing,
    graph: Graph | None = None,
    explorer: Callable[[History, Path], Path] | None = None,
) -> list[Path]:
    """Validate the graph and write the report into ``out``; return the files written.

    The graph is the shipped one plus ``data``, or ``graph`` when given (a store's copy).

    ``out`` gets ``snapshots/YYYY.graphml`` for every year, ``all.gexf`` (the whole span as
    one dynamic graph), ``metrics.csv``,
    ``relations.csv`` (the analysts' CSV), ``graph.ttl``, the diagrams (``matrix.png``, the
    lead figure; ``network.png`` and ``.svg`` of the last year, ``timeline.png``,
    ``grid.png`` at the turning points, ``metrics.png``) and ``index.html``
    (:mod:`cstograph.report_page`: scope and coverage, findings, figures with captions,
    downloads, sources). No GIF: a frame a second cannot be read or printed, the turning
    points carry the changes, and the explorer has the year slider. ``explorer``, when
    given, writes ``explorer.html`` (called with the index and the path) and the page links
    to it. ``progress`` is called with a short message before each step.

    The directory is built aside and swapped in when complete, so a failure half-way (a
    full disk, Ctrl-C) leaves the previous ``out`` as it was. An existing ``out`` is only
    replaced when it holds nothing but what a report writes.

    Raises
    ------
    NotValidError
        The graph does not validate (exit code 1); nothing is written.
    InputError
        ``out`` holds other files, is not a directory, or cannot be written.
    """
    from cstograph.io.parse import load
    from cstograph.validation import validate, validate_graph
    from cstograph.viz import figures as plot

    out = Path(out)
    _check_out(out)  # before the validation's seconds, and again when swapping
    progress("Validating the graph ...")
    if graph is None:
        report = validate(list(data), allow_network=allow_network)
        graph = load(data, allow_network=allow_network)
    else:
        report = validate_graph(graph)
    if not report.conforms:
        raise NotValidError(
            f"the graph does not validate ({report.violation_count} violations): run validate"
        )
    history = build_index(graph)
    first, last = plot.default_range(history, start, end)
    if first > last:
        from cstograph.errors import InputError

        raise InputError(f"the range starts ({first}) after it ends ({last})")
    with directory_aside(out, replaceable=_only_report_files) as aside:
        written = _write_all(aside, history, graph, first, last, progress, explorer)
    progress("Done.")
    return [out / path.relative_to(aside) for path in written]


def _write_all(
    out: Path,
    history: History,
    graph: Graph,
    first: int,
    last: int,
    progress: Callable[[str], None],
    explorer: Callable[[History, Path], Path] | None = None,
) -> list[Path]:
    from cstograph.analysis.membership import membership_panels
    from cstograph.analysis.metrics import COLUMNS, metrics_table
    from cstograph.analysis.snapshot import whole_span
    from cstograph.analysis.sweep import snapshots
    from cstograph.export.graph import serialize_rdf, write_snapshot, write_text
    from cstograph.export.relations_csv import export_csv
    from cstograph.report_findings import stories
    from cstograph.report_page import Download, FigureEntry, page
    from cstograph.viz import figures as plot

    written: list[Path] = []
    (out / "snapshots").mkdir()
    progress(f"Writing snapshots {first}-{last} ...")
    for year, yearly in snapshots(history, first, last):
        written.append(write_snapshot(yearly, out / "snapshots" / f"{year}.graphml"))
    written.append(write_snapshot(whole_span(history), out / "all.gexf"))
    progress("Computing metrics ...")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(metrics_table(history, first, last))
    written.append(write_text(out / "metrics.csv", buffer.getvalue()))
    progress("Writing the relations (CSV) and the graph (Turtle) ...")
    written.append(write_text(out / "relations.csv", export_csv(graph)))
    written.append(write_text(out / "graph.ttl", serialize_rdf(graph, "ttl")))
    entries = []
    told = stories(history, first, last)
    # the measures start where the record of the CSTO's states does (1991 for the shipped
    # graph, not NATO's 1949: a projection of NATO's founders alone says nothing here)
    region = int(told.get("region_start") or first)
    for kind, name, title, caption in _figures(first, last, told):
        progress(f"Drawing {name} ...")
        begin = max(first, region) if kind == "metrics" else first
        written.append(plot.draw(kind, history, out / name, start=begin, end=last))
        if name.endswith(".png"):
            entries.append(FigureEntry(name, title, caption))
    linked = None
    if explorer is not None:
        progress("Writing explorer.html ...")
        written.append(explorer(history, out / "explorer.html"))
        linked = "explorer.html"
    progress("Writing index.html ...")
    downloads = [
        Download("snapshots/", f"one GraphML network a year, {first} to {last} (Gephi, networkx)"),
        Download(
            "all.gexf",
            "every relation over the whole span as one dynamic graph, which Gephi's timeline plays",
        ),
        Download(
            "relations.csv", "every relation, one row each, in the columns cstograph import reads"
        ),
        Download(
            "metrics.csv",
            "one row per year, metric and entity (cstograph metrics --list defines them)",
        ),
        Download("graph.ttl", "the whole graph with the ontology, in Turtle"),
        Download("network.svg", f"the network of {last} as SVG, for print"),
    ]
    panels = membership_panels(history, first, last)
    text = page(
        history,
        graph,
        first,
        last,
        panels=panels,
        figures=entries,
        downloads=downloads,
        explorer=linked,
    )
    written.append(write_text(out / "index.html", text))
    return written


def _figures(
    first: int, last: int, told: dict[str, str] | None = None
) -> list[tuple[str, str, str, str]]:
    """Each diagram of the report: the kind drawn, the file name, a title, the caption.

    ``told`` holds what the data says for the captions (:func:`report_page.stories`): the
    changes of the CSTO's lineage at its turning points, the organizations recorded in part.
    """
    said = told or {}
    changed = said.get("turning", "")
    partial = said.get("partial", "")
    region = said.get("region_start", "")
    since = ""
    if region and int(region) > first:
        since = (
            f" From {region}, where the record of the CSTO's states begins (the CSV: every year)."
        )
    return [
        (
            "matrix",
            "matrix.png",
            "Who held which role, year by year",
            "One panel per organization, one row per state of the CSTO or the Collective "
            "Security Treaty, one cell per year coloured (and hatched) by role; blank where "
            "the organization did not exist, pale grey where it existed and the state held no "
            "role, paler cells where a bound is known only to the month or year. "
            + (f"What changed in the CSTO's lineage: {changed}." if changed else ""),
        ),
        (
            "network",
            "network.png",
            f"The network of {last}",
            f"Everything the CSTO's states were in or hosted during {last}: bases on the left "
            "(with the state using each), states in the middle, organizations and joint forces "
            "on the right. Colour and marker give the role, so an observer, partner, suspended "
            "or frozen member is not drawn as a full member; a dashed line is a relation whose "
            "bounds are imprecise that year. Bases that had closed are not drawn; the key "
            "under the diagram spells out every abbreviation."
            + (f" Drawn: {said['network']}." if said.get("network") else ""),
        ),
        ("network", "network.svg", f"The network of {last} (SVG)", ""),
        (
            "timeline",
            "timeline.png",
            "The CSTO's lineage, state by state",
            "One row per state across the Collective Security Treaty and the CSTO (a lane "
            "each, labelled), with the CSTO's events on top, each named. Hatched ends are "
            "dates known only to the month or year; an arrowhead a 'by' or 'or later' bound. "
            "Stated non-memberships share the bottom row.",
        ),
        (
            "grid",
            "grid.png",
            "The turning points",
            "The network in the years the memberships of the CSTO's lineage changed most, and "
            "in the last year, in one layout so that the panels compare; each title says what "
            "changed that year.",
        ),
        (
            "metrics",
            "metrics.png",
            "Measures by year",
            "Members of each organization (a panel each, one scale for all; a gap, not a zero, "
            "where an organization did not exist), the density of the state-to-state "
            "projection and the share of relations involving Russia, on axes from zero."
            + (f" Recorded in part, so counted low: {partial}." if partial else "")
            + since,
        ),
    ]


#: The names a report writes at the top of its directory (and those earlier versions wrote,
#: so that their reports can be replaced).
REPORT_FILES = frozenset(
    {"snapshots", "all.gexf", "metrics.csv", "relations.csv", "graph.ttl", "index.html"}
    | {"explorer.html"}
    | {name for _, name, _, _ in _figures(0, 0)}
    | {"network.gif"}
)


def _check_out(out: Path) -> None:
    from cstograph.errors import InputError

    if out.is_dir():
        why = _only_report_files(out)
        if why:
            raise InputError(f"{out}: {why}")
    elif os.path.lexists(out) and not out.is_symlink():
        raise InputError(f"{out}: not a directory")


def _only_report_files(directory: Path) -> str | None:
    """Why ``directory`` must not be replaced by a new report (it holds other files), or
    None when it is empty or holds only what a report writes."""
    others = sorted(p.name for p in directory.iterdir() if p.name not in REPORT_FILES)
    snapshots = directory / "snapshots"
    if snapshots.is_symlink() or (snapshots.exists() and not snapshots.is_dir()):
        others.append("snapshots")
    elif snapshots.is_dir():
        others += sorted(
            f"snapshots/{p.name}"
            for p in snapshots.iterdir()
            if not (p.suffix == ".graphml" and p.is_file() and not p.is_symlink())
        )
    if not others:
        return None
    shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
    return (
        f"holds files a report does not write ({shown}); "
        "write the report into a new or empty directory"
    )
