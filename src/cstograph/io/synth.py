"""Synthetic graphs at scale: N valid time-bounded relations of every kind, deterministic per seed.

The graph follows the project's model (``ontology/cstograph.ttl``) and passes its SHACL shapes
and violation queries when validated together with the ontology. Its shape imitates real
alliance data: hundreds of states and organizations founded on known dates, memberships that
end and are resumed (with a stated non-membership in between), roles that change, open
intervals, bounds known to the day, month or year (stored as the first day), "by" / "at least
until" qualifiers, a few disagreeing claims linked with ``cst:conflictsWith``, force
contributions, basing successions and office holders, each citing one or two sources with a
locator.

Each kind's share of the N relations is its ``Kind.synthetic_share``, and its class and
subject and object predicates come from the kinds table (:mod:`cstograph.model.kinds`); this
module holds what the table does not: a scenario per kind (how memberships end and resume,
what a contribution says it contributes, ...). The entity tables and the dates and citations
every relation carries are in :mod:`cstograph.io.synth_parts`.

Turtle is written as text, never through an rdflib graph, so a million relations stream to a
file at a steady pace and in constant memory (:func:`turtle_chunks`, :func:`write_turtle`).
:func:`synthesize` parses the same text into an rdflib graph, for small N.

Every IRI is under ``cs:syn-``, so a synthetic graph can sit beside the shipped one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from cstograph.io.files import atomic_path
from cstograph.io.synth_parts import FIRST, PREFIXES, Parts, term
from cstograph.model.kinds import KINDS, kind_of_class, predicate_for
from cstograph.model.terms import CST

__all__ = ["KIND_SHARES", "SynthStats", "synthesize", "turtle_chunks", "write_turtle"]


def _shares() -> dict[str, float]:
    """Each kind's ``synthetic_share``, in table order (the kinds with none left out)."""
    return {k.name: k.synthetic_share for k in KINDS if k.synthetic_share}


#: The share of each relation kind among the N relations (``Kind.synthetic_share``, as the
#: table had them at import; the generator reads the table when it starts).
KIND_SHARES: dict[str, float] = _shares()

_ROLES = (
    ("cst:FullMember", 60),
    ("cst:Observer", 10),
    ("cst:Partner", 8),
    ("cst:AssociateMember", 7),
    ("cst:Signatory", 5),
    ("cst:Suspended", 5),
    ("cst:ParticipationFrozen", 5),
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
_APPROX = ("cst:Exact", "cst:Approximately", "cst:MoreThan", "cst:AtLeast")

#: The relation classes a scenario below writes (memberships, with stated non-memberships in
#: their gaps and of states that never joined; contributions; basing; offices).
_SCENARIOS = (
    CST.AllianceMembership,
    CST.NonMembership,
    CST.ForceContribution,
    CST.BasingArrangement,
    CST.OfficeHolding,
)


class _Written:
    """A kind as a scenario writes it: its name, and its class and its subject and object
    predicates as Turtle terms (from the kinds table)."""

    def __init__(self, cls: URIRef) -> None:
        self.kind = kind_of_class(cls)
        self.name = self.kind.name
        self.cls = term(self.kind.cls)
        self.subject = term(predicate_for(self.kind.subject, ()))
        self.object = term(predicate_for(self.kind.object, ()))

    def object_for(self, entity_class: URIRef) -> str:
        """The object predicate for an object of ``entity_class``."""
        return term(predicate_for(self.kind.object, {entity_class}))


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

    relations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_shares(), 0))
    entities: dict[str, int] = field(default_factory=dict)
    bytes: int = 0

    @property
    def total(self) -> int:
        return sum(self.relations.values())


class _Generator(Parts):
    """One synthetic graph: entity tables, then relations kind by kind."""

    def __init__(self, relations: int, seed: int) -> None:
        super().__init__(relations, seed)
        shares = _shares()
        written = {cls: _Written(cls) for cls in _SCENARIOS}
        unwritten = sorted(set(shares) - {w.name for w in written.values()})
        if unwritten:
            raise ValueError(f"synth has no scenario for kind {unwritten[0]!r}")
        self.membership = written[CST.AllianceMembership]
        self.non_membership = written[CST.NonMembership]
        self.contribution = written[CST.ForceContribution]
        self.arrangement = written[CST.BasingArrangement]
        self.office = written[CST.OfficeHolding]
        self.stats = SynthStats(relations=dict.fromkeys(shares, 0))
        n = relations
        self.quota = {name: int(n * share) for name, share in shares.items()}
        if shares:  # the rounding remainder goes to the largest share
            self.quota[max(shares, key=shares.__getitem__)] += n - sum(self.quota.values())

    # -- relations -----------------------------------------------------------------------

    def _emit(self, kind: str, text: str) -> str:
        self.stats.relations[kind] += 1
        return text

    def _full(self, kind: str) -> bool:
        """Whether the kind has its quota (a kind with no share always has)."""
        return self.stats.relations.get(kind, 0) >= self.quota.get(kind, 0)

    def memberships(self) -> Iterator[str]:
        rng = self.rng
        used: set[tuple[int, int]] = set()
        roles = [r for r, _ in _ROLES]
        weights = [w for _, w in _ROLES]
        m, nm = self.membership, self.non_membership
        while not self._full(m.name):
            state, org = self._pair(used, self.states, self.orgs)
            member, organization = f"cs:syn-state-{state:04d}", f"cs:syn-org-{org:03d}"
            segments = self._segments(self.founded[org], self._count())
            role = rng.choices(roles, weights)[0]
            previous_end: tuple[int, int] | None = None
            for start, sp, end, ep in segments:
                if self._full(m.name):
                    break
                if rng.random() < 0.25:  # a changed role on resuming
                    role = rng.choices(roles, weights)[0]
                if (
                    previous_end is not None
                    and start - previous_end[0] >= 365
                    and rng.random() < 0.5
                    and not self._full(nm.name)
                ):
                    # left, then came back: the gap is a stated non-membership
                    yield (
                        self._emit(
                            nm.name,
                            f"cs:syn-n{self._next_id():07d} a {nm.cls} ;\n"
                            f"    {nm.subject} {member} ; {nm.object} {organization} ;\n"
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
                    and self.stats.relations[m.name] + 1 < self.quota[m.name]
                )
                extra = ""
                if conflict:
                    twin = f"cs:syn-m{self._next_id():07d}"
                    extra = (
                        f"    cst:conflictsWith {twin} ; cst:preferred true ;\n"
                        '    cst:preferenceReason "The earlier start is the better-sourced '
                        'claim." ;\n'
                    )
                yield (
                    self._emit(
                        m.name,
                        f"{node} a {m.cls} ;\n"
                        f"    {m.subject} {member} ; {m.object} {organization} ;"
                        f" org:role {role} ;\n"
                        + extra
                        + self._dates(start, sp, end, ep, sq, eq)
                        + self._sources(),
                    )
                )
                if conflict:
                    assert end is not None
                    later = rng.randint(start + 1, end - 1)
                    yield (
                        self._emit(
                            m.name,
                            f"{twin} a {m.cls} ;\n"
                            f"    {m.subject} {member} ; {m.object} {organization} ;"
                            f" org:role {role} ;\n"
                            f"    cst:conflictsWith {node} ; cst:preferred false ;\n"
                            + self._dates(later, 0, end, ep)
                            + self._sources(),
                        )
                    )
                previous_end = (end, ep) if end is not None else None
        # stated non-memberships of states that never joined
        while not self._full(nm.name):
            state, org = self._pair(used, self.states, self.orgs)
            for start, sp, end, ep in self._segments(self.founded[org], 1, open_share=0.6):
                yield (
                    self._emit(
                        nm.name,
                        f"cs:syn-n{self._next_id():07d} a {nm.cls} ;\n"
                        f"    {nm.subject} cs:syn-state-{state:04d} ;"
                        f" {nm.object} cs:syn-org-{org:03d} ;\n"
                        + self._dates(start, sp, end, ep, *self._qualifiers(end is not None))
                        + self._sources(),
                    )
                )

    def contributions(self) -> Iterator[str]:
        rng = self.rng
        used: set[tuple[int, int]] = set()
        c = self.contribution
        while not self._full(c.name):
            state, force = self._pair(used, self.states, self.forces)
            for start, sp, end, ep in self._segments(FIRST, self._count()):
                if self._full(c.name):
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
                yield (
                    self._emit(
                        c.name,
                        f"cs:syn-c{self._next_id():07d} a {c.cls} ;\n"
                        f"    {c.subject} cs:syn-state-{state:04d} ;"
                        f" {c.object} cs:syn-force-{force:03d} ;\n"
                        f"    {' ; '.join(what)} ;\n"
                        + self._dates(start, sp, end, ep, *self._qualifiers(end is not None))
                        + self._sources(),
                    )
                )

    def basing(self) -> Iterator[str]:
        rng = self.rng
        b = self.arrangement
        stationed = b.object_for(CST.MilitaryUnit)
        base = 0
        while not self._full(b.name):
            host = self.base_host[base % self.bases]
            for start, sp, end, ep in self._segments(FIRST, self._count()):
                if self._full(b.name):
                    break
                operator = (host + 1 + rng.randrange(self.states - 1)) % self.states
                what = []
                r = rng.random()
                if r < 0.8:
                    what.append(f"{b.object} cs:syn-base-{base % self.bases:05d}")
                if r >= 0.6:
                    what.append(f"{stationed} cs:syn-unit-{rng.randrange(self.units):04d}")
                if rng.random() < 0.3:
                    what.append(
                        "cst:personnel [ a schema:QuantitativeValue ; schema:value "
                        f'"{rng.randint(1, 120) * 50}"^^xsd:decimal ;'
                        f" cst:approximation {rng.choice(_APPROX)} ]"
                    )
                yield (
                    self._emit(
                        b.name,
                        f"cs:syn-b{self._next_id():07d} a {b.cls} ;\n"
                        f"    {b.subject} cs:syn-state-{host:04d} ;"
                        f" cst:operator cs:syn-state-{operator:04d} ;\n"
                        f"    {' ; '.join(what)} ;\n"
                        + self._dates(start, sp, end, ep, *self._qualifiers(end is not None))
                        + self._sources(),
                    )
                )
            base += 1

    def offices(self) -> Iterator[str]:
        rng = self.rng
        o = self.office
        post = 0
        while not self._full(o.name):
            terms = self._segments(FIRST, rng.randint(2, 7), open_share=0.5)
            for start, sp, end, ep in terms:
                if self._full(o.name):
                    break
                yield (
                    self._emit(
                        o.name,
                        f"cs:syn-o{self._next_id():07d} a {o.cls} ;\n"
                        f"    {o.subject} cs:syn-person-{rng.randrange(self.people):06d} ;"
                        f" {o.object} cs:syn-post-{post % self.posts:05d} ;\n"
                        + self._dates(start, sp, end, ep, *self._qualifiers(end is not None))
                        + self._sources(),
                    )
                )
            post += 1

    def chunks(self) -> Iterator[str]:
        yield (
            f"# cstograph synthetic graph: {self.n} time-bounded relations "
            "(cstograph synth). Not real data.\n" + PREFIXES
        )
        yield from self.entities()
        self.stats.entities = self.entity_counts()
        for scenario in (self.memberships, self.contributions, self.basing, self.offices):
            yield from _batched(scenario())


def _batched(relations: Iterator[str], size: int = 1000) -> Iterator[str]:
    """The relations' Turtle joined in pieces of ``size`` relations (the last one shorter)."""
    batch: list[str] = []
    for text in relations:
        batch.append(text)
        if len(batch) == size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


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
