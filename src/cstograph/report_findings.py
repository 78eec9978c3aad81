"""What the report says, computed from the data: the coverage statements, the sources,
the key findings, the facts the captions cite, the conflicts within the years.

The page (:mod:`cstograph.report_page`) renders these; each is tested against the index in
``tests/test_report.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef

from cstograph.analysis.membership import Panel, changes, membership_panels, summaries
from cstograph.index.conflicts import Conflict
from cstograph.index.history import History
from cstograph.index.notes import coverages
from cstograph.model.terms import CST, DCTERMS, RDF, RDFS, SCHEMA, short_name

__all__ = ["conflicts_within", "coverage_rows", "key_findings", "source_rows", "stories"]


def coverage_rows(history: History) -> list[dict[str, str]]:
    """One row per coverage statement: organization, whole or in part, roles, span,
    what the statement says, its sources (ids). Whole ones first, then by label."""
    rows = []
    for c in coverages(history):
        first, until = c.start, c.until
        rows.append(
            {
                "id": c.organization.id,
                "organization": c.organization.label,
                "whole": "whole" if c.whole else "in part",
                "roles": ", ".join(c.roles) or "-",
                "span": f"{first or '?'} to {until or 'now'}" if first or until else "-",
                "comment": c.comment,
                "sources": " ".join(c.sources),
            }
        )
    return sorted(rows, key=lambda r: (r["whole"] != "whole", r["organization"]))


def source_rows(graph: Graph) -> list[dict[str, str]]:
    """Every source document: id, title, link (``""`` when it has none), date, the
    document name of one without a link, and its kind (``cst:sourceKind``'s label, or
    ``""``)."""
    rows = []
    for node in set(graph.subjects(RDF.type, CST.SourceDocument)):
        if not isinstance(node, URIRef):
            continue
        title = graph.value(node, DCTERMS.title) or graph.value(node, RDFS.label) or node
        url = graph.value(node, SCHEMA.url)
        issued = graph.value(node, DCTERMS.issued)
        name = graph.value(node, CST.documentName)
        kind = graph.value(node, CST.sourceKind)
        rows.append(
            {
                "id": short_name(node),
                "title": str(title),
                "url": str(url) if url is not None else "",
                "issued": str(issued) if isinstance(issued, Literal) else "",
                "document": str(name or ""),
                "kind": str(graph.value(kind, RDFS.label) or short_name(kind)) if kind else "",
            }
        )
    return sorted(rows, key=lambda r: (r["title"].casefold(), r["id"]))


def stories(history: History, first: int, last: int) -> dict[str, str]:
    """What the data says, for the captions: ``turning``, the changes of the CSTO's lineage
    at its turning points ("1992: CST: Armenia, ... join (party/signatory); ..."), and
    ``partial``, the organizations with members that are recorded in part; ``region_start``,
    the first year a state of the CSTO or the treaty holds a role anywhere; ``network``, what
    the network of the last year draws ("9 states, 8 organizations, ...")."""
    from cstograph.analysis.membership import focus_states
    from cstograph.analysis.membership import lineage as org_lineage
    from cstograph.viz.grid import grid_years
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
    if states:
        from collections import Counter

        from cstograph.viz.network import group, network_graph

        drawn = Counter(
            group(d) for _, d in network_graph(history, last, states=states).nodes(data=True)
        )
        told["network"] = ", ".join(
            f"{drawn[g]} {g if drawn[g] == 1 else plural}"
            for g, plural in (
                ("state", "states"),
                ("organization", "organizations"),
                ("joint force", "joint forces"),
                ("base or unit", "bases and units"),
            )
            if drawn[g]
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
    from cstograph.viz.grid import grid_years

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


def conflicts_within(graph: Graph, first: int, last: int) -> list[Conflict]:
    """The groups of conflicting claims with a claim dated from ``first`` to ``last + 1``
    (an end on 1 January of the year after still belongs to the range)."""
    from cstograph.index.conflicts import find_conflicts

    return [
        group
        for group in find_conflicts(graph)
        if any(first <= c.record.start.year <= last + 1 for c in group.claims)
    ]
