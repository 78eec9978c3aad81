"""Temporal questions over a loaded graph, answered from one interval index.

:class:`History` holds the relation records of a graph (read once, see
:func:`cstograph.index.build.build_index`) and answers ``members``, ``relations``,
``timeline`` and ``diff`` by filtering them with the rules of :mod:`cstograph.temporal`.

``History.graph`` holds, whichever way the index was built, every triple that is not about a
relation node (entities, labels, classes, sources, events, posts, the ontology) and the
relation nodes' ``cst:conflictsWith`` and ``cst:preferenceReason``; it may hold the relation
nodes' other triples too (it *is* the graph when the index was built from an rdflib graph),
but nothing may rely on them: read those from the store (:func:`cstograph.load`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from datetime import date

from rdflib import Graph, URIRef

from cstograph.errors import InputError, UnknownEntityError
from cstograph.index.names import MEMBERS_OF, NameIndex
from cstograph.index.rdf_reader import GraphReader
from cstograph.model.kinds import KINDS
from cstograph.model.kinds import kind as known_kind
from cstograph.model.records import Change, Entity, Event, Figure, Relation, Source
from cstograph.model.terms import CS, CST
from cstograph.temporal import Grade, Window, graded, window

__all__ = [
    "CLAIMS",
    "MEMBER_ROLES",
    "Change",
    "Entity",
    "Event",
    "Figure",
    "History",
    "Relation",
    "Source",
    "UnknownEntityError",
]

#: Which claims temporal answers show: by default the preferred ones (and every claim in no
#: conflict); "all" also shows the claims marked ``cst:preferred false``.
CLAIMS: tuple[str, ...] = ("preferred", "all")

#: The roles that count as being a member when ``members`` is asked without ``role``.
MEMBER_ROLES: frozenset[URIRef] = frozenset(
    {CST.FullMember, CST.Signatory, CST.ParticipationFrozen}
)


class History:
    """Temporal questions over a graph: who was in what, when, and on what evidence.

    Parameters
    ----------
    graph
        A graph from :func:`cstograph.load` (ontology plus data).
    claims
        ``"preferred"`` (default): where sources conflict, only the claim marked
        ``cst:preferred true`` (claims in no conflict always count); ``"all"``: every claim.
    relations
        The relation records, when already read by other means (:mod:`cstograph.index.stream`
        reads them straight from the parser's triples); ``None`` (default): read them from
        ``graph``.

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> sorted(m.subject.label for m in history.members("CSTO", year=2007))[:3]
    ['Armenia', 'Belarus', 'Kazakhstan']
    >>> history.resolve("Kyrgyz Republic").id
    'cs:kyrgyzstan'
    """

    def __init__(
        self,
        graph: Graph,
        *,
        claims: str = "preferred",
        relations: Iterable[Relation] | None = None,
    ) -> None:
        if claims not in CLAIMS:
            raise InputError(f"unknown claims setting {claims!r}; use one of {', '.join(CLAIMS)}")
        self._graph = graph
        self.claims = claims
        self._reader = GraphReader(graph)
        read = self.reader.relations() if relations is None else relations
        self._relations: list[Relation] = sorted(
            (r for r in read if claims == "all" or r.preferred is not False),
            key=lambda r: (r.start, r.id),
        )
        self._by_entity: dict[str, list[Relation]] = defaultdict(list)
        for relation in self._relations:
            for entity in (relation.subject, relation.object, relation.operator):
                if entity is not None:
                    self._by_entity[entity.id].append(relation)
        self.names = NameIndex(graph, self.label)
        self._by_id: dict[str, Relation] | None = None
        self._describer: Callable[[str, str | None], dict[str, str]] | None = None

    @property
    def graph(self) -> Graph:
        """The graph of entities, sources and events (see the module docstring)."""
        return self._graph

    @property
    def reader(self) -> GraphReader:
        """The rdflib reader of :attr:`graph` (labels, events)."""
        return self._reader

    # reading the graph ---------------------------------------------------------------------

    def label(self, node: URIRef) -> str:
        """The preferred label of a node (``skos:prefLabel``, else ``rdfs:label``)."""
        return self.reader.label(node)

    def entity(self, node: URIRef) -> Entity:
        """A node as records show it (short id and label)."""
        return self.reader.entity(node)

    def resolve(self, name: str, *, among: Collection[str] | None = None) -> Entity:
        """Find an entity by slug, label (preferred or alternative, any language), Wikidata
        QID, prefixed name, full IRI, or a person's surname alone, as
        :meth:`cstograph.index.names.NameIndex.resolve` compares names (case, accents,
        punctuation and British/American spellings do not matter); ``among`` names the groups
        the question wants (see there).

        Raises
        ------
        UnknownEntityError
            No entity or several have that name; the message lists the closest names.

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> history.resolve("collective security treaty organization").id
        'cs:csto'
        >>> history.resolve("Q159").label
        'Russia'
        """
        return self.entity(self.names.resolve(name, among=among))

    def _role(self, role: str) -> set[URIRef] | None:
        """Role IRIs for a role name; ``None`` for every role."""
        if role.casefold() == "all":
            return None
        wanted = role.casefold().replace("-", " ").replace("_", " ")
        known = self._role_iris() | set(MEMBER_ROLES)
        for iri in known:
            names = {self.label(iri).casefold(), str(iri).rsplit("#", 1)[-1].casefold()}
            names |= {n.replace("/", " ") for n in names}
            if wanted in names or wanted.replace(" ", "") in {n.replace(" ", "") for n in names}:
                return {iri}
            if any(wanted in part.split("/") for part in names):
                return {iri}
        options = ", ".join(sorted({self.label(i) for i in known}))
        raise InputError(f"unknown role {role!r}; roles: {options}, all")

    def _role_iris(self) -> set[URIRef]:
        """The roles of the index's relations."""
        return {r._role_iri for r in self._relations if r._role_iri is not None}

    # where questions look: the relations of an entity, or all ------------------------------

    def _of_entity(
        self, entity_id: str, kind: str | None = None, question: Window | None = None
    ) -> list[Relation]:
        """Every relation whose subject, object or operator is the entity, by start (an
        index may leave out those of another ``kind`` or that cannot touch ``question``)."""
        return self._by_entity.get(entity_id, [])

    def _candidates(self, kind: str | None, question: Window | None) -> Iterable[Relation]:
        """The relations ``relations`` filters when no entity is given: all of them (an
        index may leave out those of another kind or that cannot touch ``question``)."""
        return self._relations

    def _events_of(self, node: URIRef) -> Iterable[Event]:
        """The events that name ``node``."""
        return self.reader.events_of(node, claims=self.claims)

    # questions -----------------------------------------------------------------------------

    def all_relations(self) -> list[Relation]:
        """Every relation of the index, sorted by start, each marked certain."""
        return list(self._relations)

    def relation(self, relation_id: str) -> Relation | None:
        """The relation with this id (``cs:csto-armenia``), or None when the index has none
        (or leaves it out: a claim not preferred, unless ``claims="all"``)."""
        if self._by_id is None:
            self._by_id = {r.id: r for r in self._relations}
        return self._by_id.get(relation_id)

    def select(
        self, relations: Iterable[Relation], question: Window | None, possible: bool = False
    ) -> list[Relation]:
        """The relations graded in ``question`` (:func:`cstograph.temporal.grade`), each
        with its grade: held and bounds imprecise ones, and not excluded ones if
        ``possible``. Every answer in time goes through here."""
        chosen = []
        for relation in relations:
            found = graded(relation, question)
            if found is None or (found is Grade.NOT_EXCLUDED and not possible):
                continue
            if found is Grade.HELD:
                chosen.append(relation)
            else:
                chosen.append(replace(relation, certain=False, grade=found.value))
        return chosen

    def relations(
        self,
        kind: str | None = None,
        subject: str | None = None,
        object: str | None = None,
        *,
        year: int | str | None = None,
        on: date | str | None = None,
        between: tuple[date | str | None, date | str | None] | None = None,
        possible: bool = False,
    ) -> list[Relation]:
        """Relations of a kind, subject and object in a time window: those that held there
        or whose imprecise bounds touch it, and with ``possible`` also those a "by" or
        "or later" bound does not exclude (see :func:`cstograph.temporal.grade`).

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> bases = history.relations("hosts-base", subject="Kyrgyzstan", on="2010-01-01")
        >>> sorted({r.operator.label for r in bases if r.object.label.endswith("air base")})
        ['Russia']
        >>> [r.operator.label for r in bases if "Manas" in r.object.label]
        ['United States']
        """
        if kind is not None:
            known_kind(kind)  # unknown names fail here
        question = window(year=year, on=on, between=between)
        subject_id = self.resolve(subject).id if subject else None
        object_id = self.resolve(object).id if object else None
        return self._relations_in(kind, subject_id, object_id, question, possible)

    def _relations_in(
        self,
        kind: str | None,
        subject_id: str | None,
        object_id: str | None,
        question: Window | None,
        possible: bool,
    ) -> list[Relation]:
        """:meth:`relations` of entities given by id and a window already built."""
        pool: Iterable[Relation]
        if subject_id or object_id:  # the entity index holds every relation of an entity
            pool = self._of_entity(subject_id or object_id or "", kind, question)
        else:
            pool = self._candidates(kind, question)
        found = [
            r
            for r in pool
            if (kind is None or r.kind == kind)
            and (subject_id is None or r.subject.id == subject_id)
            and (object_id is None or r.object.id == object_id)
        ]
        return self.select(found, question, possible)

    def members(
        self,
        org: str,
        *,
        year: int | str | None = None,
        on: date | str | None = None,
        between: tuple[date | str | None, date | str | None] | None = None,
        role: str | None = None,
        possible: bool = False,
    ) -> list[Relation]:
        """The members of an organization (or contributors to a force) in a window.

        Without ``role``, the roles that count as membership (full member, party/signatory,
        participation frozen); ``role="observer"`` or any role name for that role only;
        ``role="all"`` for every role.

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> len(history.members("CSTO", on="2009-06-01")) >= 6
        True
        """
        roles = MEMBER_ROLES if role is None else self._role(role)
        target = self.resolve(org, among=MEMBERS_OF)
        shared = {k.name: k.role == "required" for k in KINDS if k.shared}
        found = [
            r
            for r in self.relations(
                object=target.id, year=year, on=on, between=between, possible=possible
            )
            if r.kind in shared and (roles is None or not shared[r.kind] or r._role_iri in roles)
        ]
        return sorted(found, key=lambda r: (r.subject.label, r.start))

    def timeline(
        self,
        entity: str,
        *,
        year: int | str | None = None,
        on: date | str | None = None,
        between: tuple[date | str | None, date | str | None] | None = None,
        possible: bool = False,
    ) -> list[Relation | Event]:
        """Every relation and event of an entity, in date order, with sources; in a window
        when one is given, relations and events graded by the one rule
        (:meth:`select`, :func:`cstograph.index.events.select_events`).

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> [(e.start.isoformat(), e.kind) for e in history.timeline("Kant air base")][:2]
        [('2003-09-01', 'event'), ('2003-09-22', 'hosts-base')]
        >>> [e.id for e in history.timeline("Kazakhstan", year=2022) if e.kind == "event"][:1]
        ['cs:event-request-kazakhstan-2022']
        """
        from cstograph.index.events import select_events

        question = window(year=year, on=on, between=between)
        target = self.resolve(entity)
        node = self.iri(target.id)
        items: list[Relation | Event] = list(
            self.select(self._of_entity(target.id), question, possible)
        )
        items.extend(select_events(self._events_of(node), question, possible))
        return sorted(items, key=lambda x: (x.start, 0 if isinstance(x, Event) else 1, x.id))

    def events(
        self,
        *,
        year: int | str | None = None,
        on: date | str | None = None,
        between: tuple[date | str | None, date | str | None] | None = None,
        type: str | None = None,
        participant: str | None = None,
        org: str | None = None,
        possible: bool = False,
    ) -> list[Event]:
        """The events in a window, by type, participant and organization: see
        :func:`cstograph.index.events.events`.

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> [e.type for e in history.events(on="2022-01-10", org="CSTO")]
        ['operation']
        """
        from cstograph.index.events import events

        return events(
            self,
            year=year,
            on=on,
            between=between,
            type=type,
            participant=participant,
            org=org,
            possible=possible,
        )

    def node_attributes(self, entity_id: str, label: str | None = None) -> dict[str, str]:
        """The attributes of an entity's snapshot node (``label``, ``class``, ``type``,
        ``qid``: :func:`cstograph.analysis.snapshot.node_attributes`); ``label`` when the
        caller knows it already."""
        if self._describer is None:
            from cstograph.index.nodes import NodeAttributes

            self._describer = NodeAttributes(self)
        return self._describer(entity_id, label)

    def iri(self, short: str) -> URIRef:
        """The IRI of an entity id as records give it (``cs:russia``)."""
        return CS[short[3:]] if short.startswith("cs:") else URIRef(short)

    def event(self, node: URIRef) -> Event:
        """One event node as an :class:`Event` record."""
        return self.reader.event(node)

    def diff(
        self,
        t1: str | int | date,
        t2: str | int | date,
        *,
        org: str | None = None,
        kind: str | None = None,
        possible: bool = False,
        among: Collection[str] | None = None,
    ) -> list[Change]:
        """What changed between two times: relations that joined, left or changed role.

        A year (``2005``) compares "in effect at any time during the year"; a date compares
        that day. Relations are matched by kind, subject and object. ``among``: only the
        relations with these ids (a named query's choice).

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> changes = history.diff(2005, 2013, org="CSTO")
        >>> sorted({c.change for c in changes}) <= ["joined", "left", "role changed"]
        True
        """

        def question(t: str | int | date) -> Window | None:
            if isinstance(t, date):
                return window(on=t)
            text = str(t)
            return window(year=text) if len(text) == 4 else window(on=text)

        org_id = self.resolve(org).id if org else None
        negates = {k.name: k.negates for k in KINDS if k.negates}
        kinds: set[str] | None
        if kind is not None and kind in negates.values():
            kinds = {kind} | {k for k, v in negates.items() if v == kind}
        else:
            kinds = {kind} if kind else None

        def state(t: str | int | date) -> dict[tuple[str, str, str], list[Relation]]:
            found = defaultdict(list)
            for r in self._relations_in(None, None, org_id, question(t), possible):
                if (kinds is None or r.kind in kinds) and (among is None or r.id in among):
                    found[(negates.get(r.kind, r.kind), r.subject.id, r.object.id)].append(r)
            return found

        def roles(relations: list[Relation]) -> list[str]:
            return sorted({r.role or "" for r in relations if r.kind not in negates})

        def stated(relations: list[Relation]) -> str | None:
            """What a time says when it has no relation: a stated absence, or nothing."""
            labels = sorted({known_kind(r.kind).label for r in relations if r.kind in negates})
            return "; ".join(labels) or None

        before, after = state(t1), state(t2)
        changes = []
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key, []), after.get(key, [])
            old_roles, new_roles = roles(old), roles(new)
            if old_roles == new_roles:
                continue  # the same roles, or no relation at either time (stated or not)
            sample = next(r for r in new + old if r.kind not in negates)
            change = "joined" if not old_roles else "left" if not new_roles else "role changed"
            changes.append(
                Change(
                    change=change,
                    kind=key[0],
                    subject=sample.subject,
                    object=sample.object,
                    role_before="; ".join(old_roles) or None if old_roles else stated(old),
                    role_after="; ".join(new_roles) or None if new_roles else stated(new),
                    certain=all(r.certain for r in old + new),
                    relations=tuple(sorted({r.id for r in old + new})),
                )
            )
        return sorted(changes, key=lambda c: (c.object.label, c.change, c.subject.label))
