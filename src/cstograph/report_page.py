"""The report's ``index.html``: what the graph covers and what it does not, the findings
computed from the data (members per organization per year, the changes by year, the
conflicts between sources and how they were settled), the figures with captions, the
downloads and the sources with links.

Plain HTML and CSS in one file: no script, no request to any network address (links to
sources are ordinary links the reader may follow). Every value is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Graph

from cstograph.analysis.membership import (
    Panel,
    changes,
    member_counts,
    summaries,
)
from cstograph.index.conflicts import Conflict
from cstograph.index.history import History
from cstograph.model.terms import ONTOLOGY_IRI, OWL
from cstograph.report_findings import conflicts_within, coverage_rows, key_findings, source_rows

__all__ = ["Download", "FigureEntry", "page"]


@dataclass(frozen=True)
class FigureEntry:
    """A figure on the page: its file, a title and a caption saying what to see."""

    name: str
    title: str
    caption: str


@dataclass(frozen=True)
class Download:
    """A file offered for download and what it holds."""

    href: str
    what: str


SCOPE_HEAD = ("organization", "recorded", "roles covered", "span", "what is recorded")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cstograph")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _ontology_version(graph: Graph) -> str:
    value = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    return str(value) if value is not None else "unknown"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    """An HTML table of already escaped cells."""
    top = "".join(f"<th>{h}</th>" for h in head)
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{top}</tr></thead>\n<tbody>\n{body}\n</tbody></table>'


def _members_table(history: History, panels: list[Panel], first: int, last: int) -> str:
    counts = member_counts(panels, range(first, last + 1))
    shown = [p for p in panels if counts[p.org.id]]
    from cstograph.viz.style import short_label

    head = ["year"]
    for p in shown:
        short = short_label(history, p.org.id).replace("\n", " ")
        head.append(f'<abbr title="{_e(p.org.label)}">{_e(short)}</abbr>')
    rows: list[list[str]] = []
    spans: list[list[int]] = []
    for year in range(first, last + 1):
        cells = ["" if (value := counts[p.org.id].get(year)) is None else str(value) for p in shown]
        if not any(cells):
            continue
        if rows and rows[-1] == cells and spans[-1][1] == year - 1:
            spans[-1][1] = year  # the same counts as the year before: one row for both
        else:
            rows.append(cells)
            spans.append([year, year])
    lines = [
        [f"{a}" if a == b else f"{a}–{b}", *cells]
        for (a, b), cells in zip(spans, rows, strict=True)
    ]
    spelt = "; ".join(
        f"{_e(short_label(history, p.org.id).replace(chr(10), ' '))}: {_e(p.org.label)}"
        for p in shown
        if short_label(history, p.org.id).replace("\n", " ") != p.org.label
    )
    key = f'<p class="key">{spelt}.</p>' if spelt else ""
    return _table(head, lines, "numbers") + key


def _changes_list(panels: list[Panel], first: int, last: int) -> str:
    by_year: dict[int, list[str]] = {}
    for year, text in summaries(changes(panels, first, last)):
        by_year.setdefault(year, []).append(_e(text))
    if not by_year:
        return "<p>No membership changed in these years.</p>"
    items = "\n".join(
        f"<dt>{year}</dt><dd>{'<br>'.join(lines)}</dd>" for year, lines in sorted(by_year.items())
    )
    return f'<dl class="changes">\n{items}\n</dl>'


def _conflicts(groups: list[Conflict]) -> str:
    def when(record: object) -> str:
        start = getattr(record, "start", None)
        stop = getattr(record, "end", None)
        text = start.isoformat() if start is not None else "?"
        return text + (f" to {stop.isoformat()}" if stop is not None else "")

    rows = []
    for group in groups:
        kept = [c for c in group.claims if c.preferred]
        aside = [c for c in group.claims if not c.preferred]
        reason = next((c.reason for c in group.claims if c.reason), None) or ""
        how = ("settled" if kept else "open: no claim is preferred") + (
            f": {reason}" if reason else ""
        )
        rows.append(
            [
                "<br>".join(f"{_e(c.record.label)} ({_e(when(c.record))})" for c in kept) or "-",
                "<br>".join(f"{_e(c.record.label)} ({_e(when(c.record))})" for c in aside) or "-",
                _e(how),
            ]
        )
    if not rows:
        return "<p>No sources disagree within these years.</p>"
    return _table(["claims kept", "claims set aside", "how it was settled"], rows)


def page(
    history: History,
    graph: Graph,
    first: int,
    last: int,
    *,
    panels: list[Panel],
    figures: Sequence[FigureEntry],
    downloads: Sequence[Download],
    explorer: str | None = None,
    today: str | None = None,
) -> str:
    """The whole ``index.html``."""
    day = today or datetime.now(UTC).date().isoformat()
    disputes = conflicts_within(graph, first, last)
    findings = key_findings(history, panels, first, last, disputes)
    coverage = coverage_rows(history)
    whole = [r for r in coverage if r["whole"] == "whole"]
    partial = [r for r in coverage if r["whole"] != "whole"]
    sources = source_rows(graph)
    relations = history.all_relations()
    scope_rows = [
        [_e(r["organization"]), _e(r["whole"]), _e(r["roles"]), _e(r["span"]), _e(r["comment"])]
        for r in whole + partial
    ]
    figure_html = "\n".join(
        f'<figure id="{_e(f.name.rsplit(".", 1)[0])}"><h3>{_e(f.title)}</h3>'
        f'<a href="{_e(f.name)}"><img src="{_e(f.name)}" alt="{_e(f.title)}" loading="lazy"></a>'
        f"<figcaption>{_e(f.caption)}</figcaption></figure>"
        for f in figures
    )
    download_html = "\n".join(
        f'<li><a href="{_e(d.href)}">{_e(d.href)}</a>: {_e(d.what)}</li>' for d in downloads
    )
    source_html = "\n".join(
        f'<li id="{_e(s["id"])}">'
        + (f'<a href="{_e(s["url"])}">{_e(s["title"])}</a>' if s["url"] else _e(s["title"]))
        + (f" ({_e(s['issued'])})" if s["issued"] else "")
        + (f" · {_e(s['kind'])}" if s["kind"] else "")
        + (f" — document {_e(s['document'])}, no link" if s["document"] and not s["url"] else "")
        + "</li>"
        for s in sources
    )
    explore = (
        f'<p class="explorer"><a href="{_e(explorer)}">Open the interactive explorer</a> '
        "(one offline file: a year slider, the network, cards with sources).</p>"
        if explorer
        else ""
    )
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'">
<title>The CSTO and its neighbours, {first}–{last}: cstograph report</title>
<style>
body{{font:16px/1.5 Georgia,serif;max-width:62em;margin:0 auto;padding:1em 1.5em;color:#111}}
h1{{font-size:1.7em;margin-bottom:.2em}} h2{{border-bottom:1px solid #ccc;margin-top:2em}}
.meta{{color:#555;font-size:.9em}} nav a{{margin-right:1em}}
img{{max-width:100%;height:auto;border:1px solid #ddd}} figure{{margin:2em 0}}
figcaption{{font-size:.95em;color:#333;margin-top:.4em}}
table{{border-collapse:collapse;font-size:.85em;margin:1em 0}}
th,td{{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;text-align:left}}
table.numbers td{{text-align:right}} table.numbers{{font-variant-numeric:tabular-nums}}
.scroll{{overflow-x:auto}} dl.changes dt{{font-weight:bold;margin-top:.6em}}
dl.changes dd{{margin-left:4em}} p.key{{font-size:.85em;color:#333}} ol.sources{{font-size:.85em}}
</style></head>
<body>
<header>
<h1>The CSTO and its neighbours, {first}–{last}</h1>
<p class="meta">A temporal knowledge graph: {len(relations)} dated relations,
{len(sources)} sources.
Generated {_e(day)} by cstograph {_e(_version())} (ontology {_e(_ontology_version(graph))}).</p>
<nav><a href="#key">Key findings</a><a href="#scope">Scope</a><a href="#findings">Findings</a>
<a href="#figures">Figures</a>
<a href="#downloads">Downloads</a><a href="#sources">Sources</a></nav>
{explore}
</header>

<section id="key"><h2>Key findings</h2>
<ul>
{"".join(f"<li>{_e(line)}</li>" for line in findings)}
</ul>
</section>

<section id="scope"><h2>What the graph covers, and what it does not</h2>
<p>A membership counts in a year when it held at some day of that year, or its imprecise
bounds (a date known only to the month or year) touch the year; a relation only "not
excluded" by a "by" or "or later" bound is not counted. Where sources disagree, the
preferred claim is used. {len(whole)} organizations are recorded whole (every member and role
over their whole life); {len(partial)} only in part, as each statement below says, so their
counts are lower bounds.</p>
<div class="scroll">{_table(SCOPE_HEAD, scope_rows)}</div>
</section>

<section id="findings"><h2>Findings</h2>
<h3>Members per organization and year</h3>
<p>States counted as members (full member, party/signatory, participation frozen) at some
day of the year; blank where the organization did not exist. The abbreviations are spelt out
under the table.</p>
<div class="scroll">{_members_table(history, panels, first, last)}</div>
<h3>Changes by year</h3>
<p>Each state whose role in an organization differs from the year before (a role shown for
a year is the one in effect last in that year).</p>
{_changes_list(panels, first, last)}
<h3>Where sources disagree, and how it was settled</h3>
{_conflicts(disputes)}
</section>

<section id="figures"><h2>Figures</h2>
{figure_html}
</section>

<section id="downloads"><h2>Downloads</h2>
<ul>
{download_html}
</ul>
</section>

<section id="sources"><h2>Sources</h2>
<ol class="sources">
{source_html}
</ol>
</section>
</body>
</html>
"""
