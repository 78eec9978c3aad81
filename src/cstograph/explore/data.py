"""What the explorer page knows, as one JSON-ready dict: :func:`explorer_data`.

Everything the page shows is decided here, in Python, with the project's own rules, so the
page only filters and draws:

- **nodes**: every entity a drawn relation touches, with its group (state, organization,
  joint force, base or unit, person), a short label, its Wikidata QID and a fixed position
  (:func:`cstograph.explore.layout.stable_layout` over every relation ever drawn);
- **relations**: every relation of the index, with its role, its bounds as the record states
  them (precision and "by" / "or later" qualifiers) and its grade in each year of the span
  (``years``: runs ``[first, last, grade]``, graded by :func:`cstograph.temporal.year_span`,
  the rule every command uses), its sources and locators, and the claims it conflicts with;
- **sources** (title, URL, date), **coverage** statements of each organization, the
  **scope** of each organization filter (:func:`cstograph.analysis.snapshot.scope`: the
  organization, the ones renamed into it and its units) and the groups of **conflicts**
  (:func:`cstograph.index.conflicts.find_conflicts`, when the index holds every claim).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import Literal, URIRef

from cstograph import __version__
from cstograph.analysis.snapshot import data_span, node_attributes, scope
from cstograph.index.history import MEMBER_ROLES, History
from cstograph.index.rdf_reader import source_record
from cstograph.model.kinds import KINDS
from cstograph.model.records import Relation, Source
from cstograph.model.terms import CST, SKOS, short_name
from cstograph.temporal import Grade, bound_text, year_span

__all__ = ["GRADE_CODES", "GROUPS", "explorer_data", "group_of"]

#: Node groups, in legend order, by the most specific class of the entity.
GROUPS: dict[str, frozenset[str]] = {
    "state": frozenset({"cst:State"}),
    "organization": frozenset(
        {"cst:Alliance", "cst:InternationalOrganization", "org:FormalOrganization"}
    ),
    "joint force": frozenset({"cst:JointForce", "cst:CommandStructure", "org:OrganizationalUnit"}),
    "person": frozenset({"foaf:Person"}),
    "base or unit": frozenset(),  # everything else a relation reaches
}

#: How the page names each grade in a year run (one letter keeps the data small).
GRADE_CODES: dict[Grade, str] = {
    Grade.HELD: "h",
    Grade.IMPRECISE: "i",
    Grade.NOT_EXCLUDED: "n",
}


def group_of(cls: str) -> str:
    """The node group of an entity of class ``cls`` (a prefixed name such as ``cst:State``).

    Examples
    --------
    >>> group_of("cst:State"), group_of("cst:Alliance"), group_of("cst:AirBase")
    ('state', 'organization', 'base or unit')
    """
    for name, classes in GROUPS.items():
        if cls in classes:
            return name
    return "base or unit"


def _year_runs(relation: Relation, first: int, last: int) -> list[list[int | str]]:
    """The relation's grade in each year ``first..last`` as runs ``[from, to, code]``."""
    span = year_span(relation)
    runs: list[list[int | str]] = []
    lo, hi = max(first, span.possible[0]), min(last, span.possible[1])
    for year in range(lo, hi + 1):
        found = span.grade(year)
        if found is None:
            continue
        code = GRADE_CODES[found]
        if runs and runs[-1][2] == code and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year, code])
    return runs


def _acronym(history: History, node: URIRef, label: str) -> str:
    """The shortest Latin acronym among the alternative labels of a long label (``CSTO``)."""
    if len(label) <= 14:
        return label
    acronyms = sorted(
        (
            str(a)
            for a in history.graph.objects(node, SKOS.altLabel)
            if str(a).isupper()
            and str(a).isascii()
            and (not isinstance(a, Literal) or a.language != "ru")
        ),
        key=lambda text: (len(text), text),
    )
    return acronyms[0] if acronyms else label


class _Sources:
    """The source table: each source once, numbered in the order first cited, with what
    the records say of it (title, URL, date, kind) and a document name where it has one."""

    def __init__(self, history: History) -> None:
        self.history = history
        self.index: dict[str, int] = {}
        self.rows: list[dict[str, str]] = []

    def cite(self, sources: Iterable[Source]) -> list[list[int | str]]:
        return [[self.add(s), s.locator or ""] for s in sources]

    def add(self, source: Source) -> int:
        if source.id not in self.index:
            name = self.history.graph.value(self.history.iri(source.id), CST.documentName)
            self.index[source.id] = len(self.rows)
            self.rows.append(
                {
                    "id": source.id,
                    "title": source.title or source.id,
                    "url": source.url or "",
                    "issued": source.issued or "",
                    "kind": source.kind or "",
                    "document": str(name) if name is not None else "",
                }
            )
        return self.index[source.id]

    def number(self, source_id: str) -> int:
        """The number of a source known by its id only (a coverage statement's)."""
        return self.add(source_record(self.history.graph, self.history.iri(source_id)))


def _relation_row(
    history: History, relation: Relation, first: int, last: int, sources: _Sources
) -> dict[str, Any]:
    target = relation.object
    if relation.organization is not None:  # an office: drawn to the post's organization
        target = relation.organization
    row: dict[str, Any] = {
        "id": relation.id,
        "kind": relation.kind,
        "label": relation.label,
        "s": relation.subject.id,
        "o": relation.object.id,
        "to": target.id,
        "role": relation.role or "",
        "roleId": short_name(relation.role_iri) if relation.role_iri is not None else "",
        "member": relation.role_iri in MEMBER_ROLES,
        "from": bound_text(relation.start, relation.start_precision, relation.start_qualifier),
        "until": bound_text(relation.end, relation.end_precision, relation.end_qualifier),
        "years": _year_runs(relation, first, last),
        "src": sources.cite(relation.sources),
        "disputed": list(relation.conflicts_with),
        "preferred": relation.preferred,
    }
    if relation.kind == "holds-office":
        row["post"] = relation.object.label
    if relation.organization is not None:
        row["org"] = relation.organization.id
    if relation.operator is not None:
        row["operator"] = relation.operator.id
    if relation.unit:
        row["unit"] = relation.unit
    if relation.personnel is not None:
        figure = relation.personnel
        qualifier = f"{figure.approximation} " if figure.approximation else ""
        row["personnel"] = f"{qualifier}{figure.value:g} {figure.unit or ''}".strip()
    return row


def _coverage(history: History, sources: _Sources) -> dict[str, dict[str, Any]]:
    from cstograph.index.notes import coverages

    return {
        c.organization.id: {
            "label": c.organization.label,
            "whole": c.whole,
            "roles": list(c.roles),
            "from": c.start.isoformat() if c.start else "",
            "until": c.until.isoformat() if c.until else "",
            "comment": c.comment,
            "src": [sources.number(s) for s in c.sources],
        }
        for c in coverages(history)
    }


def _conflicts(history: History, sources: _Sources) -> list[dict[str, Any]]:
    """The conflict groups, when the index holds every claim (else none: the relations'
    ``disputed`` lists still mark the claims that are disputed)."""
    if history.claims != "all":
        return []
    from cstograph.index.conflicts import find_conflicts
    from cstograph.model.records import Event

    groups = []
    for group in find_conflicts(history):
        claims = []
        for claim in group.claims:
            record = claim.record
            is_event = isinstance(record, Event)
            end_precision = record.end_precision
            claims.append(
                {
                    "id": record.id,
                    "label": record.label,
                    "event": is_event,
                    "preferred": claim.preferred,
                    "reason": claim.reason or "",
                    "from": bound_text(record.start, record.start_precision, None),
                    "until": bound_text(record.end, end_precision, None) if record.end else "",
                    "src": sources.cite(record.sources),
                }
            )
        groups.append({"resolved": group.resolved, "claims": claims})
    return groups


def explorer_data(history: History) -> dict[str, Any]:
    """Everything the explorer page shows, as plain JSON values (see the module docstring).

    ``history`` may hold the preferred claims only or every claim (``claims="all"``): then
    the page lists each conflict with every side, and draws only the preferred claims.

    Examples
    --------
    >>> from cstograph.index.build import build_index
    >>> data = explorer_data(build_index())
    >>> data["span"][0] <= 2006 <= data["span"][1]
    True
    >>> uzbekistan = [r for r in data["relations"]
    ...               if r["s"] == "cs:uzbekistan" and r["o"] == "cs:csto" and r["member"]]
    >>> [(r["role"], r["from"], r["until"]) for r in uzbekistan]
    [('full member', '2006-08-16', '2012-12-19')]
    >>> uzbekistan[0]["years"]
    [[2006, 2012, 'h']]
    """
    first, last = data_span(history)
    sources = _Sources(history)
    relations = [
        _relation_row(history, r, first, last, sources)
        for r in sorted(history.all_relations(), key=lambda r: (r.start, r.id))
    ]
    drawn = {k.name for k in KINDS}
    ends: set[str] = set()
    for row in relations:
        if row["kind"] in drawn:
            ends |= {row["s"], row["to"]} | ({row["operator"]} if "operator" in row else set())
    nodes: list[dict[str, Any]] = []
    groups: dict[str, str] = {}
    for entity in sorted(ends):
        attributes = node_attributes(history, entity)
        group = group_of(attributes["class"])
        groups[entity] = group
        label = attributes["label"]
        nodes.append(
            {
                "id": entity,
                "label": label,
                "short": _acronym(history, history.iri(entity), label),
                "group": group,
                "type": attributes["type"],
                "qid": attributes["qid"],
            }
        )
    edges: list[tuple[str, str, str]] = []
    for row in relations:
        if row["preferred"] is False:
            continue
        edges.append((row["s"], row["to"], row["kind"]))
        if "operator" in row:
            edges.append((row["operator"], row["to"], "operates-base"))
    organizations = [n["id"] for n in nodes if n["group"] == "organization"]
    scopes = {org: sorted(scope(history, [org])) for org in organizations}
    for org, covered in scopes.items():  # an organization sits by its units and predecessors
        edges.extend((org, other, "lineage") for other in covered if other != org and other in ends)
    from cstograph.explore.layout import stable_layout

    # the fisheye centres on the state with the most relations: the crowded middle
    links: dict[str, int] = {}
    for u, v, _ in edges:
        for end in (u, v):
            if groups.get(end) == "state":
                links[end] = links.get(end, 0) + 1
    focus = max(sorted(links), key=lambda s: links[s]) if links else None
    positions = stable_layout(ends, edges, focus=focus)
    for node in nodes:
        node["x"], node["y"] = positions[node["id"]]
    return {
        "version": __version__,
        "span": [first, last],
        "claims": history.claims,
        "kinds": [{"name": k.name, "label": k.label} for k in KINDS],
        "nodes": nodes,
        "relations": relations,
        "scopes": scopes,
        "coverage": _coverage(history, sources),
        "conflicts": _conflicts(history, sources),
        "sources": sources.rows,
    }
