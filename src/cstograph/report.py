"""The main job: validate, then write every snapshot, the metrics, every diagram and an
``index.html`` that shows them, for the whole span of the data."""

from __future__ import annotations

import csv
import html
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
) -> list[Path]:
    """Validate the graph and write the report into ``out``; return the files written.

    The graph is the shipped one plus ``data``, or ``graph`` when given (a store's copy).

    ``out`` gets ``snapshots/YYYY.graphml`` for every year, ``metrics.csv``, the diagrams
    (``network.png`` and ``.svg`` of the last year, ``timeline.png``, ``grid.png``,
    ``metrics.png``, ``network.gif``) and ``index.html`` with a one-line caption for each.
    ``progress`` is called with a short message before each step.

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
    from cstograph.viz import network as plot

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
        written = _write_all(aside, history, first, last, progress)
    progress("Done.")
    return [out / path.relative_to(aside) for path in written]


def _write_all(
    out: Path, history: History, first: int, last: int, progress: Callable[[str], None]
) -> list[Path]:
    from cstograph.analysis.metrics import COLUMNS, metrics_table
    from cstograph.analysis.sweep import snapshots
    from cstograph.export.graph import write_snapshot, write_text
    from cstograph.viz import network as plot

    written: list[Path] = []
    (out / "snapshots").mkdir()
    progress(f"Writing snapshots {first}-{last} ...")
    for year, yearly in snapshots(history, first, last):
        written.append(write_snapshot(yearly, out / "snapshots" / f"{year}.graphml"))
    progress("Computing metrics ...")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(metrics_table(history, first, last))
    written.append(write_text(out / "metrics.csv", buffer.getvalue()))
    captions: list[tuple[str, str]] = []
    for kind, name, caption in _figures(first, last):
        progress(f"Drawing {name} ...")
        written.append(plot.draw(kind, history, out / name, start=first, end=last))
        captions.append((name, caption))
    written.append(write_text(out / "index.html", _index(first, last, captions)))
    return written


def _figures(first: int, last: int) -> list[tuple[str, str, str]]:
    """Each diagram of the report: the kind drawn, the file name, the caption."""
    return [
        ("network", "network.png", f"The alliances, joint forces and bases of {last}."),
        ("network", "network.svg", f"The same network of {last} as SVG, for print."),
        ("timeline", "timeline.png", "CSTO membership of each state, with events on top."),
        ("grid", "grid.png", f"The network in small multiples from {first} to {last}."),
        ("metrics", "metrics.png", "Members, projection density and Russia's share by year."),
        ("animate", "network.gif", "The network year by year, one frame a year."),
    ]


#: The names a report writes at the top of its directory.
REPORT_FILES = frozenset(
    {"snapshots", "metrics.csv", "index.html"} | {name for _, name, _ in _figures(0, 0)}
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


def _index(first: int, last: int, captions: list[tuple[str, str]]) -> str:
    items = "\n".join(
        f'<figure><img src="{html.escape(name)}" alt="{html.escape(caption)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        if not name.endswith(".svg")
        else f'<p><a href="{html.escape(name)}">{html.escape(caption)}</a></p>'
        for name, caption in captions
    )
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>cstograph report {first}-{last}</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:auto}}img{{max-width:100%}}
figure{{margin:2em 0}}figcaption{{font-style:italic}}</style></head>
<body>
<h1>The CSTO and its neighbours, {first}-{last}</h1>
<p>Generated by <code>cstograph report</code>. Data: <a href="metrics.csv">metrics.csv</a>
(one row per year, metric and entity; <code>cstograph metrics --list</code> defines them) and
one GraphML snapshot a year in <a href="snapshots/">snapshots/</a>.</p>
{items}
</body>
</html>
"""
