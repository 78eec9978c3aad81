"""The records temporal answers are made of: entities, sources, figures, relations, events
and changes, each with its stable JSON shape (``to_dict``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from rdflib import URIRef

from cstograph.temporal import recorded_range

__all__ = [
    "Change",
    "Citation",
    "Entity",
    "Event",
    "Figure",
    "Match",
    "Relation",
    "Source",
    "SourceDocument",
]


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity as records show it: its short id (``cs:russia``) and label."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: the source document and the place in it.

    ``url`` where a reader finds it, ``issued`` its date (ISO, when the source is dated),
    ``kind`` what sort of source it is (``official``, ``agency or newspaper``,
    ``scholarly``, ``encyclopedia or mirror``, ``blog or repost``), when the graph says.
    """

    id: str
    title: str
    locator: str | None = None
    note: str | None = None
    url: str | None = None
    issued: str | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A source document as ``cstograph source`` shows it: what the graph says of it
    (``dcterms:title``, ``schema:url`` or ``cst:documentName``, ``dcterms:issued``, a
    publisher and a kind where the graph gives them, its ``rdfs:comment``) and the facts
    that cite it."""

    id: str
    title: str
    label: str | None
    url: str | None
    document_name: str | None
    issued: date | None
    publisher: str | None
    kind: str | None
    note: str | None
    citations: tuple[Citation, ...] = ()

    @property
    def host(self) -> str | None:
        """The host of its URL (``www.rt.com``), if it has one."""
        if self.url is None:
            return None
        from urllib.parse import urlsplit

        return urlsplit(self.url).hostname

    def cited_by(self, kind: str | None = None) -> int:
        """How many facts cite it (of ``kind``: ``relation``, ``event`` or ``names``)."""
        facts = {(c.what, c.record.id) for c in self.citations if kind in (None, c.what)}
        return len(facts)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["issued"] = self.issued.isoformat() if self.issued else None
        for citation in data["citations"]:
            citation["start"] = citation["start"].isoformat() if citation["start"] else None
        return data


@dataclass(frozen=True, slots=True)
class Citation:
    """One fact that cites a source, and where in the source: ``what`` is ``relation``,
    ``event`` or ``names`` (the source gives an entity's names); ``kind`` the relation kind
    or event type."""

    what: str
    kind: str
    record: Entity
    start: date | None
    locator: str | None
    note: str | None
    start_precision: str | None = None
    start_qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """One answer of ``cstograph search``: an entity, an event or a source, how well its
    best name matches (0-100, rapidfuzz) and a one-line description."""

    kind: str
    id: str
    label: str
    description: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Figure:
    """A reported quantity and how the source qualifies it."""

    value: int | float
    unit: str | None
    approximation: str | None
    description: str | None = None


class _Bounds:
    """What the grade rule (:func:`cstograph.temporal.grade`) reads of a record's stored
    bounds: the days each bound can stand for, and the days its precision covers. An
    event without an end has an end range all the same: the day after it happened (or the
    end of the month or year it is known to, :func:`temporal.occurrence_end`)."""

    __slots__ = ()
    start: date
    end: date | None
    start_precision: str
    end_precision: str | None
    _start_range: tuple[date, date]
    _end_range: tuple[date, date]

    @property
    def start_range(self) -> tuple[date, date]:
        """Earliest and latest day the true start can be (see :func:`temporal.bound_range`)."""
        return self._start_range

    @property
    def end_range(self) -> tuple[date, date]:
        """Earliest and latest day the true (exclusive) end can be; ``date.max`` when open."""
        return self._end_range

    @property
    def start_period(self) -> tuple[date, date]:
        """The days the stored start's precision covers (its day, month or year)."""
        return recorded_range(self.start, self.start_precision, is_end=False)

    @property
    def end_period(self) -> tuple[date, date]:
        """The days the stored end's precision covers; ``date.max`` when there is none."""
        return recorded_range(self.end, self.end_precision, is_end=True)


@dataclass(frozen=True, slots=True)
class Relation(_Bounds):
    """One time-bounded relation, as every temporal answer reports it.

    ``subject`` and ``object`` depend on the kind: member-of and not-member-of, the state
    and the organization; contributes-to-force, the state and the force; hosts-base, the
    host state and the base (or the stationed unit); holds-office, the person and the post.
    ``certain`` says whether the relation surely held in the window asked about, ``grade``
    how surely (``held``, ``bounds imprecise`` or ``not excluded``, see
    :func:`cstograph.temporal.grade`).
    """

    id: str
    label: str
    kind: str
    subject: Entity
    object: Entity
    role: str | None
    start: date
    end: date | None
    start_precision: str
    end_precision: str | None
    start_qualifier: str | None
    end_qualifier: str | None
    certain: bool
    sources: tuple[Source, ...]
    operator: Entity | None = None
    unit: str | None = None
    personnel: Figure | None = None
    organization: Entity | None = None
    conflicts_with: tuple[str, ...] = ()
    preferred: bool | None = None
    grade: str = "held"
    _start_range: tuple[date, date] = field(default=(date.min, date.min), repr=False, compare=False)
    _end_range: tuple[date, date] = field(default=(date.max, date.max), repr=False, compare=False)
    _role_iri: URIRef | None = field(default=None, repr=False, compare=False)

    @property
    def role_iri(self) -> URIRef | None:
        """The role as an IRI (``cst:FullMember``), when the relation has one."""
        return self._role_iri

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape documented in the README (kind-specific fields only where
        they apply)."""
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat() if self.end else None
        for key in ("operator", "unit", "personnel", "organization"):
            if data[key] is None:
                del data[key]
        data["conflicts_with"] = list(self.conflicts_with)
        return data


@dataclass(frozen=True, slots=True)
class Event(_Bounds):
    """A dated one-off event (treaty signing, operation, statement, founding ...).

    It happened on its ``start`` (to the precision given) or, with an ``end``, over
    ``[start, end)`` as a relation holds; ``grade`` says how surely it falls in the window
    asked about, by the rule relations follow (:func:`cstograph.temporal.grade`).
    """

    id: str
    label: str
    kind: str
    type: str
    start: date
    end: date | None
    start_precision: str
    end_precision: str | None
    start_qualifier: str | None
    participants: tuple[Entity, ...]
    figures: tuple[Figure, ...]
    sources: tuple[Source, ...]
    preferred: bool | None = None
    conflicts_with: tuple[str, ...] = ()
    end_qualifier: str | None = None
    grade: str = "held"
    _start_range: tuple[date, date] = field(default=(date.min, date.min), repr=False, compare=False)
    _end_range: tuple[date, date] = field(default=(date.max, date.max), repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat() if self.end else None
        return data


@dataclass(frozen=True, slots=True)
class Change:
    """A difference between two times: a relation that began, ended or changed role.

    ``role_before`` / ``role_after``: the roles at each time, ``None`` where there was no
    relation (or, for ``role_before`` of member-of, ``"stated non-member"`` where a source
    says so). ``summary`` says it in words: ``"Uzbekistan: full member -> suspended"``.
    """

    change: str  # "joined", "left" or "role changed"
    kind: str
    subject: Entity
    object: Entity
    role_before: str | None
    role_after: str | None
    certain: bool
    relations: tuple[str, ...]

    @property
    def summary(self) -> str:
        none = "no relation" if self.kind != "member-of" else "not a member"
        return f"{self.subject.label}: {self.role_before or none} -> {self.role_after or none}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["relations"] = list(self.relations)
        data["summary"] = self.summary
        return data
