"""The parts of a synthetic graph (:mod:`cstograph.io.synth`): its entity tables, and the
time bounds and citations every relation carries, as Turtle text.

Every IRI is under ``cs:syn-``. Terms are written with the prefixes of :data:`NAMESPACES`
(:func:`term` turns an IRI into one), which :data:`PREFIXES` declares.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

from rdflib import URIRef

from cstograph.errors import InputError
from cstograph.model.terms import PREFIXES as _KNOWN

#: The prefixes a synthetic graph declares.
NAMESPACES: dict[str, str] = {
    prefix: _KNOWN[prefix]
    for prefix in ("cst", "cs", "org", "schema", "prov", "time", "dcterms", "foaf", "rdfs", "xsd")
}
#: Their Turtle declarations, then a blank line.
PREFIXES = "".join(f"@prefix {prefix + ':':<9}<{iri}> .\n" for prefix, iri in NAMESPACES.items())
PREFIXES += "\n"


def term(iri: URIRef) -> str:
    """``iri`` as a synthetic graph writes it: prefixed when one of :data:`NAMESPACES` holds
    it, else in angle brackets.

    Examples
    --------
    >>> from cstograph.model.terms import ORG
    >>> term(ORG.member), term(URIRef("http://example.org/x#y"))
    ('org:member', '<http://example.org/x#y>')
    """
    text = str(iri)
    for prefix, namespace in NAMESPACES.items():
        local = text[len(namespace) :]
        if text.startswith(namespace) and local and all(c.isalnum() or c in "-_" for c in local):
            return f"{prefix}:{local}"
    return f"<{text}>"


#: The first day of synthetic time (an ordinal): relations start from about then.
FIRST = date(1990, 1, 1).toordinal()
_LAST = date(2026, 1, 1).toordinal()
_PRECISIONS = ("time:unitDay", "time:unitMonth", "time:unitYear")
# 20 syllables: names are unique for 8000 states
_SYLLABLES = (
    *("va", "ro", "ka", "li", "mer", "tan", "os", "ul", "dra", "be"),
    *("sen", "gor", "ta", "vi", "lan", "zem", "or", "kir", "ad", "nes"),
)
_REGIONS = "Northern Southern Eastern Western Central Caspian Baltic Pacific Arctic Continental"
_CORES = "Defence Security Economic Customs Cooperation Border Energy Trade Peace Collective"
_FORMS = ("Council", "Union", "Pact", "Organization", "Community")
#: Synthetic sources take the five source kinds in turn, by number (the random stream is unchanged).
_SOURCE_KINDS = (
    "OfficialSource",
    "AgencyOrNewspaper",
    "ScholarlySource",
    "EncyclopediaOrMirror",
    "BlogOrRepost",
)
_BASE_CLASSES = (
    "cst:AirBase",
    "cst:GroundForcesBase",
    "cst:RadarStation",
    "cst:NavalCommunicationStation",
    "cst:TestRange",
    "cst:MilitaryBase",
)
_POSTS = ("Secretary General", "Deputy Secretary General", "Chief of Staff", "Commander")


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _state_name(i: int) -> str:
    s = _SYLLABLES
    name = s[i % 20] + s[(i // 20) % 20] + (s[(i // 400) % 20] if i >= 400 else "") + "ia"
    return name.capitalize()


class Parts:
    """The entity tables of a graph of ``relations`` relations, and the random pieces its
    relations are made of (one random generator, seeded, so a seed gives one text)."""

    def __init__(self, relations: int, seed: int) -> None:
        if relations < 0:
            raise InputError(f"--relations must be 0 or more, not {relations}")
        self.n = relations
        self.rng = random.Random(seed)
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
        cursor = max(floor, FIRST - 700)
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

    # -- entities ------------------------------------------------------------------------

    def entity_counts(self) -> dict[str, int]:
        """The number of entities of each sort."""
        return {
            "states": self.states,
            "organizations": self.orgs,
            "joint forces": self.forces,
            "military units": self.units,
            "bases": self.bases,
            "posts": self.posts,
            "people": self.people,
            "sources": self.sources,
        }

    def entities(self) -> Iterator[str]:
        """The Turtle of every source and entity, in chunks; notes each organization's
        founding and each base's host state for the relations."""
        rng = self.rng
        chunk: list[str] = []
        for i in range(self.sources):
            issued = ""
            if rng.random() < 0.7:
                day = date.fromordinal(rng.randint(FIRST, _LAST))
                issued = f' ;\n    dcterms:issued "{day.isoformat()}"^^xsd:date'
            where = (
                f"schema:url <https://example.org/synthetic/source/{i:05d}>"
                if rng.random() < 0.8
                else f'cst:documentName "synthetic-archive-{i:05d}.pdf"'
            )
            chunk.append(
                f"cs:syn-source-{i:05d} a cst:SourceDocument ;\n"
                f"    cst:sourceKind cst:{_SOURCE_KINDS[i % len(_SOURCE_KINDS)]} ;\n"
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
