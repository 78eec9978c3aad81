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

from rdflib import Graph, Literal, URIRef

from cstograph.analysis.membership import (
    Panel,
    changes,
    member_counts,
    membership_panels,
    summaries,
)
from cstograph.index.conflicts import Conflict
from cstograph.index.history import History
from cstograph.model.terms import CST, DCTERMS, OWL, PROV, RDF, RDFS, SCHEMA, short_name

__all__ = [
    "Download",
    "FigureEntry",
    "conflicts_within",
    "coverage_rows",
    "key_findings",
    "page",
    "source_rows",
    "stories",
]


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
    for value in graph.objects(None, OWL.versionInfo):
        return str(value)
    return "unknown"


def coverage_rows(history: History) -> list[dict[str, str]]:
    """One row per coverage statement: organization, whole or in part, roles, span,
    what the statement says, its sources (ids). Whole ones first, then by label."""
    graph = history.graph
    rows = []
    for org, statement in graph.subject_objects(CST.coverage):
        if not isinstance(org, URIRef):
            continue
        whole = str(graph.value(statement, CST.recordedWhole)).lower() in ("true", "1")
        roles = sorted(
            history.label(r)
            for r in graph.objects(statement, CST.coveredRoles)
            if isinstance(r, URIRef)
        )
        first, until = (
            graph.value(statement, CST.coveredFrom),
            graph.value(statement, CST.coveredUntil),
        )
        rows.append(
            {
                "id": short_name(org),
                "organization": history.label(org),
                "whole": "whole" if whole else "in part",
                "roles": ", ".join(roles) or "-",
                "span": f"{first or '?'} to {until or 'now'}" if first or until else "-",
                "comment": str(graph.value(statement, RDFS.comment) or ""),
                "sources": " ".join(
                    sorted(short_name(s) for s in graph.objects(statement, PROV.wasDerivedFrom))
                ),
            }
        )
    return sorted(rows, key=lambda r: (r["whole"] != "whole", r["organization"]))


def source_rows(graph: Graph) -> list[dict[str, str]]:
    """Every source document: id, title, link (``""`` when it has none), date, and the
    document name of one without a link."""
    rows = []
    for node in set(graph.subjects(RDF.type, CST.SourceDocument)):
        if not isinstance(node, URIRef):
            continue
        title = graph.value(node, DCTERMS.title) or graph.value(node, RDFS.label) or node
        url = graph.value(node, SCHEMA.url)
        issued = graph.value(node, DCTERMS.issued)
        name = graph.value(node, CST.documentName)
        rows.append(
            {
                "id": short_name(node),
                "title": str(title),
                "url": str(url) if url is not None else "",
                "issued": str(issued) if isinstance(issued, Literal) else "",
                "document": str(name or ""),
            }
        )
    return sorted(rows, key=lambda r: (r["title"].casefold(), r["id"]))


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
    return _table(head, lines, "numbers")


def stories(history: History, first: int, last: int) -> dict[str, str]:
    """What the data says, for the captions: ``turning``, the changes of the CSTO's lineage
    at its turning points ("1992: CST: Armenia, ... join (party/signatory); ..."), and
    ``partial``, the organizations with members that are recorded in part; ``region_start``,
    the first year a state of the CSTO or the treaty holds a role anywhere."""
    from cstograph.analysis.membership import focus_states
    from cstograph.analysis.membership import lineage as org_lineage
    from cstograph.viz.network import grid_years
    from cstograph.viz.style import short_label

    told: dict[str, str] = {}
    lineage = org_lineage(history)
    states = focus_states(history)
    if states:
        held = membership_panels(history, first, last, states=states)
        years_held = [year for p in held for (_, year) in p.cells]
        if years_held:
            told["region_start"] = str(min(years_held))
    if lineage:
        panels = membership_panels(history, first, last, orgs=lineage, states=states)
        years = set(grid_years(history, first, last)) - {last}
        found = [c for c in changes(panels, first, last) if c.year in years]
        told["turning"] = "; ".join(
            f"{year}: {text}"
            for year, text in summaries(
                found, lambda e: short_label(history, e.id).replace("\n", " ")
            )
        )
    members = {p.org.id for p in membership_panels(history, first, last)}
    told["partial"] = ", ".join(
        r["organization"]
        for r in coverage_rows(history)
        if r["whole"] != "whole" and r["id"] in members
    )
    return told


def key_findings(
    history: History,
    panels: list[Panel],
    first: int,
    last: int,
    disputes: Sequence[Conflict] = (),
) -> list[str]:
    """Short sentences computed from the data: the treaty's and the CSTO's members and other
    roles in the last year, the years the lineage changed most, the busiest year of all, the
    bases the CSTO's states host and who uses them, and how the disputes were settled."""
    from cstograph.viz.network import grid_years

    found: list[str] = []
    by_id = {p.org.id: p for p in panels}
    for org_id in ("cs:cst", "cs:csto"):
        panel = by_id.get(org_id)
        if panel is None or not panel.existed(last):
            continue
        members = [s.label for s in panel.states if s.id in panel.members(last)]
        shown = [(s, panel.cells.get((s.id, last))) for s in panel.states]
        plain = ("full member", "party/signatory")
        among = sorted(
            f"{s.label} ({c.role})" for s, c in shown if c and c.member and c.role not in plain
        )
        besides = sorted(f"{s.label} ({c.role})" for s, c in shown if c and not c.member)
        top = max(len(panel.members(y)) for y in range(max(first, panel.life[0]), last + 1))
        sentence = (
            f"{panel.org.label}: {len(members)} members in {last} ({', '.join(members)}); "
            f"at most {top} in any year"
        )
        if among:
            sentence += f"; of them {', '.join(among)}"
        if besides:
            sentence += f"; not counted as members: {', '.join(besides)}"
        found.append(sentence + ".")
    turning = [y for y in grid_years(history, first, last) if y != last]
    if turning:
        found.append(
            "The CSTO's lineage changed most in " + ", ".join(map(str, turning)) + " (see the "
            "turning points below)."
        )
    joined = changes(panels, first, last)
    if joined:
        busiest = max(
            {c.year for c in joined}, key=lambda y: (sum(c.year == y for c in joined), -y)
        )
        count = sum(c.year == busiest for c in joined)
        found.append(
            f"Across every organization recorded, {busiest} saw the most changes of role ({count})."
        )
    found += _bases_finding(history, last)
    if disputes:
        settled = sum(1 for g in disputes if any(c.preferred for c in g.claims))
        found.append(
            f"Sources disagree in {len(disputes)} places; {settled} are settled by a preferred "
            f"claim with its reason, {len(disputes) - settled} left open (see below)."
        )
    return found


def _bases_finding(history: History, last: int) -> list[str]:
    from collections import Counter

    from cstograph.analysis.membership import focus_states
    from cstograph.analysis.snapshot import snapshot
    from cstograph.model.kinds import KINDS

    states = set(focus_states(history))
    hosting = [k.name for k in KINDS if k.hosting]
    if not states or not hosting:
        return []
    graph = snapshot(history, year=last, kinds=hosting)
    bases = {(u, v, d.get("operator", "")) for u, v, d in graph.edges(data=True) if u in states}
    if not bases:
        return []
    users = Counter(history.label(history.iri(o)) for _, _, o in bases if o)
    who = ", ".join(f"{n} used by {name}" for name, n in users.most_common())
    hosts = len({u for u, _, _ in bases})
    return [
        f"In {last} the CSTO's states host {len({v for _, v, _ in bases})} bases and units "
        f"in {hosts} states" + (f" ({who})" if who else "") + "."
    ]


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


def conflicts_within(graph: Graph, first: int, last: int) -> list[Conflict]:
    """The groups of conflicting claims with a claim dated from ``first`` to ``last + 1``
    (an end on 1 January of the year after still belongs to the range)."""
    from cstograph.index.conflicts import find_conflicts

    return [
        group
        for group in find_conflicts(graph)
        if any(first <= c.record.start.year <= last + 1 for c in group.claims)
    ]


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
    # TODO(lead): when `cstograph snapshot --out all.gexf` writes one dynamic GEXF for the
    # whole span, write it as all.gexf in report._write_all and add it to the downloads.
    source_html = "\n".join(
        f'<li id="{_e(s["id"])}">'
        + (f'<a href="{_e(s["url"])}">{_e(s["title"])}</a>' if s["url"] else _e(s["title"]))
        + (f" ({_e(s['issued'])})" if s["issued"] else "")
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
dl.changes dd{{margin-left:4em}} ol.sources{{font-size:.85em}}
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
day of the year; blank where the organization did not exist. Hover an abbreviation for its
name.</p>
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
