"""Synthetic graphs at scale: N valid time-bounded relations of every kind, deterministic per seed.

The graph follows the project's model (``ontology/cstograph.ttl``) and passes its SHACL shapes
and violation queries when validated together with the ontology. Its shape imitates real
alliance data: hundreds of states and organizations founded on known dates, memberships that
end and are resumed (with a stated non-membership in between), roles that change, open
intervals, bounds known to the day, month or year (stored as the first day), "by" / "at least
until" qualifiers, a few disagreeing claims linked with ``cst:conflictsWith``, force
contributions, basing successions and office holders, each citing one or two sources with a
locator.

Turtle is written as text, never through an rdflib graph, so a million relations stream to a
file at a steady pace and in constant memory (:func:`turtle_chunks`, :func:`write_turtle`).
:func:`synthesize` parses the same text into an rdflib graph, for small N.

Every IRI is under ``cs:syn-``, so a synthetic graph can sit beside the shipped one.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph

from cstograph.errors import InputError
from cstograph.io.files import atomic_path

__all__ = ["KIND_SHARES", "SynthStats", "synthesize", "turtle_chunks", "write_turtle"]

#: The share of each relation kind among the N relations.
KIND_SHARES: dict[str, float] = {
    "member-of": 0.40,
    "not-member-of": 0.12,
    "contributes-to-force": 0.16,
    "hosts-base": 0.16,
    "holds-office": 0.16,
}

_PREFIXES = """\
@prefix cst:     <https://w3id.org/cstograph/ontology#> .
@prefix cs:      <https://w3id.org/cstograph/id/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix schema:  <https://schema.org/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .

"""

_FIRST = date(1990, 1, 1).toordinal()
_LAST = date(2026, 1, 1).toordinal()
_PRECISIONS = ("time:unitDay", "time:unitMonth", "time:unitYear")
_ROLES = (
    ("cst:FullMember", 60),
    ("cst:Observer", 10),
    ("cst:Partner", 8),
    ("cst:AssociateMember", 7),
    ("cst:Signatory", 5),
    ("cst:Suspended", 5),
    ("cst:ParticipationFrozen", 5),
)
# 20 syllables: names are unique for 8000 states
_SYLLABLES = (
    *("va", "ro", "ka", "li", "mer", "tan", "os", "ul", "dra", "be"),
    *("sen", "gor", "ta", "vi", "lan", "zem", "or", "kir", "ad", "nes"),
)
_REGIONS = "Northern Southern Eastern Western Central Caspian Baltic Pacific Arctic Continental"
_CORES = "Defence Security Economic Customs Cooperation Border Energy Trade Peace Collective"
_FORMS = ("Council", "Union", "Pact", "Organization", "Community")
_BASE_CLASSES = (
    "cst:AirBase",
    "cst:GroundForcesBase",
    "cst:RadarStation",
    "cst:NavalCommunicationStation",
    "cst:TestRange",
    "cst:MilitaryBase",
)
_UNIT_TEXTS = (
    "a battalion-size force",
    "an air assault brigade",
    "a motor rifle company",
    "two transport aircraft",
    "a medical detachment",
    "a special forces unit",
    "an engineering company",
)
_POSTS = ("Secretary General", "Deputy Secretary General", "Chief of Staff", "Commander")
_APPROX = ("cst:Exact", "cst:Approximately", "cst:MoreThan", "cst:AtLeast")


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _state_name(i: int) -> str:
    s = _SYLLABLES
    name = s[i % 20] + s[(i // 20) % 20] + (s[(i // 400) % 20] if i >= 400 else "") + "ia"
    return name.capitalize()


@dataclass
class SynthStats:
    """What a synthetic graph holds.

    Attributes
    ----------
    relations
        The number of relation nodes of each kind.
    entities
        The number of entities of each sort (states, organizations, ...).
    bytes
        The size of the Turtle text (UTF-8).
    """

    relations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KIND_SHARES, 0))
    entities: dict[str, int] = field(default_factory=dict)
    bytes: int = 0

    @property
    def total(self) -> int:
        return sum(self.relations.values())


class _Generator:
    """One synthetic graph: entity tables, then relations kind by kind."""

    def __init__(self, relations: int, seed: int) -> None:
        if relations < 0:
            raise InputError(f"--relations must be 0 or more, not {relations}")
        self.n = relations
        self.rng = random.Random(seed)
        self.stats = SynthStats()
        n = relations
        # enough (state, organization) pairs for every history to have its own pair
        self.states = _clamp(n // 10, 20, 1000)
        self.orgs = _clamp(n // 50, 8, max(500, n // 1000))
        self.forces = _clamp(n // 500, 4, 400)
        self.units = _clamp(n // 200, 10, 2000)
        self.bases = _clamp(n // 12, 4, 60000)
        self.posts = _clamp(n // 25, 4, 40000)
        self.people = _clamp(n // 8, 10, 150000)
        self.sources = _clamp(n // 40, 10, 25000)
        self.founded: list[int] = []  # per organization: the founding date (stored ordinal)
        self.base_host: list[int] = []  # per base: its host state
        self.quota = {kind: int(n * share) for kind, share in KIND_SHARES.items()}
        self.quota["member-of"] += n - sum(self.quota.values())
        self.serial = 0

    # -- small helpers -------------------------------------------------------------------

    def _next_id(self) -> int:
        self.serial += 1
        return self.serial

    def _round(self, ordinal: int, precision: int, floor: int) -> tuple[int, int]:
        """``ordinal`` stored at ``precision`` (0 day, 1 month, 2 year): the first day of its
        month or year, unless that falls before ``floor`` (then kept to the day)."""
        if precision == 0:
            return ordinal, 0
        d = date.fromordinal(ordinal)
        stored = date(d.year, d.month, 1) if precision == 1 else date(d.year, 1, 1)
        value = stored.toordinal()
        return (value, precision) if value >= floor else (ordinal, 0)

    def _precision(self) -> int:
        r = self.rng.random()
        return 0 if r < 0.5 else 1 if r < 0.8 else 2

    def _sources(self) -> str:
        """``prov:wasDerivedFrom`` and one qualified derivation per cited source."""
        rng = self.rng
        count = 2 if rng.random() < 0.15 else 1
        picked = {rng.randrange(self.sources) for _ in range(count)}
        parts = []
        for source in sorted(picked):
            iri = f"cs:syn-source-{source:05d}"
            kind = rng.random()
            if kind < 0.6:
                locator = f"paragraph {rng.randint(1, 40)}"
            elif kind < 0.8:
                locator = f"article {rng.randint(1, 25)}"
            elif kind < 0.9:
                locator = f"table {rng.randint(1, 5)}, row {rng.randint(1, 60)}"
            else:
                locator = f"p. {rng.randint(1, 300)}"
            parts.append(
                f"    prov:wasDerivedFrom {iri} ;\n"
                f"    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity {iri} ;"
                f' cst:locator "{locator}" ]'
            )
        return " ;\n".join(parts) + " .\n\n"

    def _dates(
        self,
        start: int,
        start_precision: int,
        end: int | None,
        end_precision: int,
        start_qualifier: str | None = None,
        end_qualifier: str | None = None,
    ) -> str:
        text = (
            f'    schema:startDate "{date.fromordinal(start).isoformat()}"^^xsd:date ;'
            f" cst:startPrecision {_PRECISIONS[start_precision]} ;\n"
        )
        if start_qualifier:
            text += f"    cst:startQualifier {start_qualifier} ;\n"
        if end is not None:
            text += (
                f'    schema:endDate "{date.fromordinal(end).isoformat()}"^^xsd:date ;'
                f" cst:endPrecision {_PRECISIONS[end_precision]} ;\n"
            )
            if end_qualifier:
                text += f"    cst:endQualifier {end_qualifier} ;\n"
        return text

    def _qualifiers(self, has_end: bool) -> tuple[str | None, str | None]:
        r = self.rng.random()
        start = "cst:NotLaterThan" if r < 0.08 else "cst:NotEarlierThan" if r < 0.12 else None
        end = None
        if has_end:
            r = self.rng.random()
            end = "cst:NotEarlierThan" if r < 0.07 else "cst:NotLaterThan" if r < 0.1 else None
        return start, end

    def _segments(
        self, floor: int, count: int, open_share: float = 0.35
    ) -> list[tuple[int, int, int | None, int]]:
        """Up to ``count`` disjoint intervals after ``floor``, in order:
        ``(start, start_precision, end or None, end_precision)``; only the last may be open."""
        rng = self.rng
        out: list[tuple[int, int, int | None, int]] = []
        cursor = max(floor, _FIRST - 700)
        for i in range(count):
            raw = cursor + (rng.randint(0, 2500) if i == 0 else rng.randint(0, 1800))
            if raw >= _LAST:
                break
            start, start_precision = self._round(raw, self._precision(), cursor)
            if i == count - 1 and rng.random() < open_share:
                out.append((start, start_precision, None, 0))
                break
            raw_end = start + rng.randint(30, 5000)
            if raw_end >= _LAST:  # not over yet
                out.append((start, start_precision, None, 0))
                break
            end, end_precision = self._round(raw_end, self._precision(), start + 1)
            out.append((start, start_precision, end, end_precision))
            cursor = end
        return out

    def _count(self) -> int:
        r = self.rng.random()
        return 1 if r < 0.45 else 2 if r < 0.75 else 3 if r < 0.9 else 4 if r < 0.97 else 5

    def _pair(self, used: set[tuple[int, int]], left: int, right: int) -> tuple[int, int]:
        """A pair with no history yet (two histories of one pair could overlap)."""
        if len(used) >= 0.9 * left * right:
            raise InputError(f"--relations {self.n}: too many for the synthetic entity tables")
        rng = self.rng
        while True:
            pair = (rng.randrange(left), rng.randrange(right))
            if pair not in used:
                used.add(pair)
                return pair

    # -- entities ------------------------------------------------------------------------

    def entities(self) -> Iterator[str]:
        rng = self.rng
        chunk: list[str] = []
        for i in range(self.sources):
            issued = ""
            if rng.random() < 0.7:
                day = date.fromordinal(rng.randint(_FIRST, _LAST))
                issued = f' ;\n    dcterms:issued "{day.isoformat()}"^^xsd:date'
            where = (
                f"schema:url <https://example.org/synthetic/source/{i:05d}>"
                if rng.random() < 0.8
                else f'cst:documentName "synthetic-archive-{i:05d}.pdf"'
            )
            chunk.append(
                f"cs:syn-source-{i:05d} a cst:SourceDocument ;\n"
                f'    dcterms:title "Synthetic source {i}" ;\n    {where}{issued} .\n\n'
            )
        for i in range(self.states):
            chunk.append(f'cs:syn-state-{i:04d} a cst:State ; rdfs:label "{_state_name(i)}"@en .\n')
        regions, cores = _REGIONS.split(), _CORES.split()
        for i in range(self.orgs):
            form = _FORMS[(i // 100) % 5]
            label = f"{regions[i % 10]} {cores[(i // 10) % 10]} {form}"
            cls = "cst:Alliance" if form in ("Pact", "Council") else "cst:InternationalOrganization"
            founded = date.fromordinal(rng.randint(date(1945, 1, 1).toordinal(), _LAST - 4000))
            precision = self._precision()
            stored, precision = self._round(founded.toordinal(), precision, 0)
            self.founded.append(stored)
            chunk.append(
                f'cs:syn-org-{i:03d} a {cls} ; rdfs:label "{label}"@en .\n'
                f"cs:syn-founding-{i:03d} a cst:Founding ;\n"
                f'    rdfs:label "Founding of the {label}"@en ;\n'
                f"    org:resultingOrganization cs:syn-org-{i:03d} ;\n"
                + self._dates(stored, precision, None, 0)
                + self._sources()
            )
        for i in range(self.forces):
            cls = "cst:CommandStructure" if i % 7 == 6 else "cst:JointForce"
            parent = rng.randrange(self.orgs)
            chunk.append(
                f"cs:syn-force-{i:03d} a {cls} ; org:unitOf cs:syn-org-{parent:03d}"
                f' ; rdfs:label "Joint force {i}"@en .\n'
            )
        for i in range(self.units):
            chunk.append(f'cs:syn-unit-{i:04d} a cst:MilitaryUnit ; rdfs:label "Unit {i}"@en .\n')
        for i in range(self.bases):
            host = rng.randrange(self.states)
            self.base_host.append(host)
            chunk.append(
                f"cs:syn-base-{i:05d} a {rng.choice(_BASE_CLASSES)} ;"
                f' rdfs:label "Base {i}"@en ; schema:containedInPlace cs:syn-state-{host:04d} .\n'
            )
            if len(chunk) >= 2000:
                yield "".join(chunk)
                chunk = []
        for i in range(self.posts):
            where = (
                f"cs:syn-org-{rng.randrange(self.orgs):03d}"
                if rng.random() < 0.6
                else f"cs:syn-state-{rng.randrange(self.states):04d}"
            )
            chunk.append(
                f"cs:syn-post-{i:05d} a org:Post ; org:postIn {where} ;"
                f' rdfs:label "{_POSTS[i % 4]} (post {i})"@en .\n'
            )
        for i in range(self.people):
            chunk.append(f'cs:syn-person-{i:06d} a foaf:Person ; rdfs:label "Person {i}"@en .\n')
            if len(chunk) >= 2000:
                yield "".join(chunk)
                chunk = []
        chunk.append("\n")
        yield "".join(chunk)
        self.stats.entities = {
            "states": self.states,
            "organizations": self.orgs,
            "joint forces": self.forces,
            "military units": self.units,
            "bases": self.bases,
            "posts": self.posts,
            "people": self.people,
            "sources": self.sources,
        }

    # -- relations -----------------------------------------------------------------------

    def _emit(self, kind: str, text: str) -> str:
        self.stats.relations[kind] += 1
        return text

    def _full(self, kind: str) -> bool:
        return self.stats.relations[kind] >= self.quota[kind]

    def memberships(self) -> Iterator[str]:
        rng = self.rng
        used: set[tuple[int, int]] = set()
        roles = [r for r, _ in _ROLES]
        weights = [w for _, w in _ROLES]
        chunk: list[str] = []
        while not self._full("member-of"):
            state, org = self._pair(used, self.states, self.orgs)
            member, organization = f"cs:syn-state-{state:04d}", f"cs:syn-org-{org:03d}"
            segments = self._segments(self.founded[org], self._count())
            role = rng.choices(roles, weights)[0]
            previous_end: tuple[int, int] | None = None
            for start, sp, end, ep in segments:
                if self._full("member-of"):
                    break
                if rng.random() < 0.25:  # a changed role on resuming
                    role = rng.choices(roles, weights)[0]
                if (
                    previous_end is not None
                    and start - previous_end[0] >= 365
                    and rng.random() < 0.5
                    and not self._full("not-member-of")
                ):
                    # left, then came back: the gap is a stated non-membership
                    chunk.append(
                        self._emit(
                            "not-member-of",
                            f"cs:syn-n{self._next_id():07d} a cst:NonMembership ;\n"
                            f"    cst:nonMember {member} ; cst:nonMemberOf {organization} ;\n"
                            + self._dates(previous_end[0], previous_end[1], start, sp)
                            + self._sources(),
                        )
                    )
                sq, eq = self._qualifiers(end is not None)
                node = f"cs:syn-m{self._next_id():07d}"
                conflict = (
                    end is not None
                    and end - start > 60
                    and rng.random() < 0.03
                    and self.stats.relations["member-of"] + 1 < self.quota["member-of"]
                )
                extra = ""
                if conflict:
                    twin = f"cs:syn-m{self._next_id():07d}"
                    extra = (
                        f"    cst:conflictsWith {twin} ; cst:preferred true ;\n"
                        '    cst:preferenceReason "The earlier start is the better-sourced '
                        'claim." ;\n'
                    )
                chunk.append(
                    self._emit(
                        "member-of",
                        f"{node} a cst:AllianceMembership ;\n"
                        f"    org:member {member} ; org:organization {organization} ;"
                        f" org:role {role} ;\n"
                        + extra
                        + self._dates(start, sp, end, ep, sq, eq)
                        + self._sources(),
                    )
                )
                if conflict:
                    assert end is not None
                    later = rng.randint(start + 1, end - 1)
                    chunk.append(
                        self._emit(
                            "member-of",
                            f"{twin} a cst:AllianceMembership ;\n"
                            f"    org:member {member} ; org:organization {organization} ;"
                            f" org:role {role} ;\n"
                            f"    cst:conflictsWith {node} ; cst:preferred false ;\n"
                            + self._dates(later, 0, end, ep)
                            + self._sources(),
                        )
                    )
                previous_end = (end, ep) if end is not None else None
            if len(chunk) >= 1000:
                yield "".join(chunk)
                chunk = []
        # stated non-memberships of states that never joined
        while not self._full("not-member-of"):
            state, org = self._pair(used, self.states, self.orgs)
            for start, sp, end, ep in self._segments(self.founded[org], 1, open_share=0.6):
                chunk.append(
                    self._emit(
                        "not-member-of",
                        f"cs:syn-n{self._next_id():07d} a cst:NonMembership ;\n"
                        f"    cst:nonMember cs:syn-state-{state:04d} ;"
                        f" cst:nonMemberOf cs:syn-org-{org:03d} ;\n"
                        + self._dates(start, sp, end, ep, *self._qualifiers(end is not None))
                        + self._sources(),
                    )
                )
            if len(chunk) >= 1000:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk)

    def contributions(self) -> Iterator[str]:
        rng = self.rng
        used: set[tuple[int, int]] = set()
        chunk: list[str] = []
        while not self._full("contributes-to-force"):
            state, force = self._pair(used, self.states, self.forces)
            for start, sp, end, ep in self._segments(_FIRST, self._count()):
                if self._full("contributes-to-force"):
                    break
                what = []
                r = rng.random()
                if r < 0.85:
                    role = (
                        "cst:StandingContributor" if rng.random() < 0.7 else "cst:AdHocContributor"
                    )
                    what.append(f"org:role {role}")
                if r < 0.6 or r >= 0.85:
                    what.append(f'cst:unitDescription "{rng.choice(_UNIT_TEXTS)}"')
                if r >= 0.4:
                    what.append(f"cst:contributedUnit cs:syn-unit-{rng.randrange(self.units):04d}")
                chunk.append(
                    self._emit(
                        "contributes-to-force",
                        f"cs:syn-c{self._next_id():07d} a cst:ForceContribution ;\n"
                        f"    org:member cs:syn-state-{state:04d} ;"
                        f" org:organization cs:syn-force-{force:03d} ;\n"
                        f"    {' ; '.join(what)} ;\n"
                        + self._dates(start, sp, end, ep, *self._qualifiers(end is not None))
                        + self._sources(),
                    )
                )
            if len(chunk) >= 1000:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk)

    def basing(self) -> Iterator[str]:
        rng = self.rng
        chunk: list[str] = []
        base = 0
        while not self._full("hosts-base"):
            host = self.base_host[base % self.bases]
            for start, sp, end, ep in self._segments(_FIRST, self._count()):
                if self._full("hosts-base"):
                    break
                operator = (host + 1 + rng.randrange(self.states - 1)) % self.states
                what = []
                r = rng.random()
                if r < 0.8:
                    what.append(f"cst:base cs:syn-base-{base % self.bases:05d}")
                if r >= 0.6:
                    what.append(f"cst:stationedUnit cs:syn-unit-{rng.randrange(self.units):04d}")
                if rng.random() < 0.3:
                    what.append(
                        "cst:personnel [ a schema:QuantitativeValue ; schema:value "
                        f'"{rng.randint(1, 120) * 50}"^^xsd:decimal ;'
                        f" cst:approximation {rng.choice(_APPROX)} ]"
                    )
                chunk.append(
                    self._emit(
                        "hosts-base",
                        f"cs:syn-b{self._next_id():07d} a cst:BasingArrangement ;\n"
                        f"    cst:hostState cs:syn-state-{host:04d} ;"
                        f" cst:operator cs:syn-state-{operator:04d} ;\n"
                        f"    {' ; '.join(what)} ;\n"
                        + self._dates(start, sp, end, ep, *self._qualifiers(end is not None))
                        + self._sources(),
                    )
                )
            base += 1
            if len(chunk) >= 1000:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk)

    def offices(self) -> Iterator[str]:
        rng = self.rng
        chunk: list[str] = []
        post = 0
        while not self._full("holds-office"):
            terms = self._segments(_FIRST, rng.randint(2, 7), open_share=0.5)
            for start, sp, end, ep in terms:
                if self._full("holds-office"):
                    break
                chunk.append(
                    self._emit(
                        "holds-office",
                        f"cs:syn-o{self._next_id():07d} a cst:OfficeHolding ;\n"
                        f"    cst:holder cs:syn-person-{rng.randrange(self.people):06d} ;"
                        f" cst:post cs:syn-post-{post % self.posts:05d} ;\n"
                        + self._dates(start, sp, end, ep, *self._qualifiers(end is not None))
                        + self._sources(),
                    )
                )
            post += 1
            if len(chunk) >= 1000:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk)

    def chunks(self) -> Iterator[str]:
        yield (
            f"# cstograph synthetic graph: {self.n} time-bounded relations "
            "(cstograph synth). Not real data.\n" + _PREFIXES
        )
        yield from self.entities()
        yield from self.memberships()
        yield from self.contributions()
        yield from self.basing()
        yield from self.offices()


def turtle_chunks(relations: int, seed: int = 0, stats: SynthStats | None = None) -> Iterator[str]:
    """The Turtle text of a synthetic graph, in pieces of about a thousand relations.

    Parameters
    ----------
    relations
        N, the number of relation nodes (member-of, not-member-of, contributes-to-force,
        hosts-base, holds-office in the shares of :data:`KIND_SHARES`).
    seed
        The same seed gives the same text.
    stats
        Filled in as the text is produced (relations per kind, entities).

    Examples
    --------
    >>> text = "".join(turtle_chunks(50, seed=1))
    >>> text == "".join(turtle_chunks(50, seed=1))
    True
    """
    generator = _Generator(relations, seed)
    for chunk in generator.chunks():
        if stats is not None:
            stats.bytes += len(chunk.encode("utf-8"))
        yield chunk
    if stats is not None:
        stats.relations = generator.stats.relations
        stats.entities = generator.stats.entities


def synthesize(relations: int, seed: int = 0) -> Graph:
    """A synthetic graph as an rdflib graph (parsed from :func:`turtle_chunks`; for small N).

    Examples
    --------
    >>> from cstograph.model.terms import CST, RDF
    >>> graph = synthesize(100, seed=7)
    >>> len(set(graph.subjects(RDF.type, CST.AllianceMembership)))
    40
    """
    graph = Graph(bind_namespaces="none")
    graph.parse(data="".join(turtle_chunks(relations, seed)), format="turtle")
    return graph


def write_turtle(path: Path | str, relations: int, seed: int = 0) -> SynthStats:
    """Write a synthetic graph to ``path`` atomically (a temporary file beside it, renamed
    into place when complete; an interrupted run leaves ``path`` as it was).

    Returns
    -------
    SynthStats
    """
    path = Path(path)
    stats = SynthStats()
    chunks = turtle_chunks(relations, seed, stats)  # validates relations before any file
    first = next(chunks)
    with atomic_path(path) as temp, temp.open("w", encoding="utf-8", newline="\n") as out:
        out.write(first)
        for chunk in chunks:
            out.write(chunk)
    return stats
