"""Where sources disagree: groups of claims linked by ``cst:conflictsWith``.

Each group lists every claim (a relation or an event) with its sources, whether it is the
preferred one, and the recorded reason for the preference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import Graph, URIRef

from cstograph.errors import InputError
from cstograph.index.build import build_index
from cstograph.index.history import Event, History, Relation
from cstograph.model.terms import CST, short_name

__all__ = ["Claim", "Conflict", "find_conflicts"]


@dataclass(frozen=True)
class Claim:
    """One side of a conflict: the record, its preference and the reason given for it."""

    record: Relation | Event
    preferred: bool | None
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        data = self.record.to_dict()
        data["preferred"] = self.preferred
        data["preference_reason"] = self.reason
        return data


@dataclass(frozen=True)
class Conflict:
    """A group of claims that cannot all be true."""

    claims: tuple[Claim, ...]

    @property
    def resolved(self) -> bool:
        """Whether exactly one claim of the group is marked preferred."""
        return sum(1 for c in self.claims if c.preferred) == 1

    def involves(self, entity_id: str) -> bool:
        """Whether any claim of the group is about the entity (``cs:armenia``)."""
        for claim in self.claims:
            record = claim.record
            if isinstance(record, Relation):
                ids = {record.subject.id, record.object.id}
                ids |= {e.id for e in (record.operator, record.organization) if e is not None}
            else:
                ids = {p.id for p in record.participants}
            if entity_id in ids:
                return True
        return False

    def to_dict(self) -> dict[str, Any]:
        return {"resolved": self.resolved, "claims": [c.to_dict() for c in self.claims]}


def find_conflicts(source: Graph | History, entity: str | None = None) -> list[Conflict]:
    """Every group of conflicting claims, connected through ``cst:conflictsWith``; with
    ``entity`` (any name), only the groups with a claim about it.

    Parameters
    ----------
    source
        A graph, or the interval index of one built with ``claims="all"`` (for a large
        graph, :func:`cstograph.index.build.build_index` or
        :func:`cstograph.stores.history_of`: its graph keeps the links and reasons read here).
    entity
        Any name :meth:`History.resolve` knows.

    Raises
    ------
    InputError
        ``source`` is an index of the preferred claims only, or ``entity`` is unknown.

    Examples
    --------
    >>> from cstograph import load
    >>> groups = find_conflicts(load())
    >>> any("uzbekistan" in c.claims[0].record.id for c in groups)
    True
    >>> from cstograph.index.build import load_history
    >>> find_conflicts(load_history(claims="all")) == groups
    True
    """
    if isinstance(source, History):
        if source.claims != "all":
            raise InputError("conflicts needs an index of every claim: History(..., claims='all')")
        history, graph = source, source.graph
    else:
        history, graph = build_index(source, claims="all"), source
    wanted = history.resolve(entity).id if entity else None
    neighbours: dict[URIRef, set[URIRef]] = {}
    for a, b in graph.subject_objects(CST.conflictsWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef) and a != b:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    seen: set[URIRef] = set()
    groups = []
    for start in sorted(neighbours):
        if start in seen:
            continue
        component, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node not in component:
                component.add(node)
                todo.extend(neighbours[node] - component)
        seen |= component
        claims = []
        for node in sorted(component):
            key = short_name(node)
            record = history.relation(key) or history.event(node)
            reason = graph.value(node, CST.preferenceReason)
            claims.append(Claim(record, record.preferred, str(reason) if reason else None))
        claims.sort(key=lambda c: (c.preferred is not True, c.record.start, c.record.id))
        group = Conflict(tuple(claims))
        if wanted is None or group.involves(wanted):
            groups.append(group)
    return sorted(groups, key=lambda g: (g.claims[0].record.label, g.claims[0].record.id))
