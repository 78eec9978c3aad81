"""The relation kinds: one row per kind, read by everything that knows about kinds.

A relation kind is a class of time-bounded relation node (``cst:AllianceMembership``, ...),
the predicates that lead from the node to its subject and object, the extra fields its
records carry, and how analyses and diagrams treat it. Both index readers
(:mod:`cstograph.index.rdf_reader`, :mod:`cstograph.index.stream`), the CSV import and
export, ``synth``, the command-line choices, the diagrams and the metrics read this table;
none of them names a kind.

Adding a kind is one :class:`Kind` row here, its class and properties in
``ontology/cstograph.ttl`` and its shapes (with examples) in ``ontology/shapes.ttl``.

Examples
--------
>>> kind("member-of").cls
rdflib.term.URIRef('https://w3id.org/cstograph/ontology#AllianceMembership')
>>> [k.name for k in KINDS if k.shared]
['member-of', 'contributes-to-force']
>>> kind_of_class(CST.BasingArrangement).object_predicates()
(rdflib.term.URIRef('https://w3id.org/cstograph/ontology#base'), rdflib.term.URIRef('https://w3id.org/cstograph/ontology#stationedUnit'))
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from rdflib import URIRef

from cstograph.errors import InputError
from cstograph.model.terms import CST, ORG

__all__ = [
    "KINDS",
    "Dash",
    "Field",
    "Kind",
    "Link",
    "Style",
    "kind",
    "kind_names",
    "kind_of_class",
    "predicate_for",
    "register",
]


class Field(StrEnum):
    """Extra fields a relation record may carry, each read the same way for every kind.

    - ``OPERATOR``: ``cst:operator``, the state using a base (an entity).
    - ``UNIT``: ``cst:unitDescription`` (text) or else the label of ``cst:contributedUnit``.
    - ``PERSONNEL``: ``cst:personnel``, a ``schema:QuantitativeValue`` (a figure).
    - ``ORGANIZATION``: the ``org:postIn`` of the object (the organization of a post).
    """

    OPERATOR = "operator"
    UNIT = "unit"
    PERSONNEL = "personnel"
    ORGANIZATION = "organization"


@dataclass(frozen=True)
class Link:
    """A predicate from a relation node to its subject or object.

    ``only_for`` is the class the linked entity must have for a writer to choose this
    predicate (``cst:stationedUnit`` for a ``cst:MilitaryUnit``); ``None`` for the default.
    Readers take the first predicate of a kind's links that the node has.
    """

    predicate: URIRef
    only_for: URIRef | None = None


#: A matplotlib line style: a named one, or ``(offset, (on, off, ...))`` in points.
Dash = Literal["-", "--", "-.", ":"] | tuple[float, tuple[float, ...]]


@dataclass(frozen=True)
class Style:
    """How diagrams draw a kind's edges: legend text, matplotlib dash, width, grey.

    ``layer``: diagrams draw (and list in their legend) the kinds by increasing layer, a
    later one over an earlier one, ties in table order; a stated non-membership's thin line
    lies over a membership of the same pair.

    ``tie``: whether a relation of the kind ties its ends together. A stated non-membership
    does not: the network of a year leaves it out (the timeline marks it).
    """

    legend: str
    dash: Dash
    width: float
    grey: str
    layer: int = 0
    tie: bool = True


@dataclass(frozen=True)
class Kind:
    """One relation kind.

    Attributes
    ----------
    name
        The name used on the command line, in records, CSV files and snapshot edges.
    cls
        The class of its relation nodes.
    label
        How tables and legends name it.
    subject, object
        The predicates to the subject and to the object (see :class:`Link`).
    fields
        The extra record fields it carries (see :class:`Field`).
    role
        ``"required"``: every relation has an ``org:role`` (a CSV row must give one);
        ``"optional"``; ``None``: the kind has no roles.
    shared
        It links a state to an organization or force the state shares with others: it
        counts for ``members`` and the state-to-state projection (the metrics read
        ``counts_as``).
    hosting
        It links a host state to a base or stationed unit (counted as bases hosted, and
        by operator as bases operated).
    counts_as
        What the metrics count its subjects as, per object: ``"member"`` (the ``members``,
        ``joins`` and ``exits`` metrics; with a required role, only membership roles count)
        or ``"contributor"`` (``contributors``); ``None``: neither.
    style
        How network diagrams draw it; ``None``: not drawn (offices link people, not
        states).
    timeline
        The outline of its bars on the membership timeline, a matplotlib line style (``"-"``,
        ``"--"``); ``None``: not on the timeline.
    negates
        The kind this one states the absence of (a stated non-membership negates
        member-of): ``diff`` reads both as one status, so a statement that a state is not
        a member is no change when it was no member before either.
    synthetic_share
        The share of relations of this kind in graphs made by ``cstograph synth``; a kind
        given a share needs a scenario in :mod:`cstograph.io.synth` (0: none made).
    """

    name: str
    cls: URIRef
    label: str
    subject: tuple[Link, ...]
    object: tuple[Link, ...]
    fields: frozenset[Field] = field(default_factory=frozenset)
    role: str | None = None
    shared: bool = False
    hosting: bool = False
    counts_as: str | None = None
    style: Style | None = None
    timeline: Dash | None = None
    negates: str | None = None
    synthetic_share: float = 0.0

    def subject_predicates(self) -> tuple[URIRef, ...]:
        """The subject predicates, in the order readers try them."""
        return tuple(link.predicate for link in self.subject)

    def object_predicates(self) -> tuple[URIRef, ...]:
        """The object predicates, in the order readers try them."""
        return tuple(link.predicate for link in self.object)

    @property
    def drawn(self) -> bool:
        """Whether network diagrams draw relations of this kind."""
        return self.style is not None


#: Every relation kind, in the order tables and legends list them.
KINDS: list[Kind] = [
    Kind(
        "member-of",
        CST.AllianceMembership,
        "member of",
        subject=(Link(ORG.member),),
        object=(Link(ORG.organization),),
        role="required",
        shared=True,
        counts_as="member",
        style=Style("member of", "-", 1.3, "#000000"),
        timeline="-",
        synthetic_share=0.40,
    ),
    Kind(
        "not-member-of",
        CST.NonMembership,
        "stated non-member",
        subject=(Link(CST.nonMember),),
        object=(Link(CST.nonMemberOf),),
        style=Style("stated non-member", (0, (6, 2, 1, 2)), 0.8, "#999999", layer=1, tie=False),
        timeline="--",
        negates="member-of",
        synthetic_share=0.12,
    ),
    Kind(
        "contributes-to-force",
        CST.ForceContribution,
        "contributes to force",
        subject=(Link(ORG.member),),
        object=(Link(ORG.organization),),
        fields=frozenset({Field.UNIT, Field.PERSONNEL}),
        role="optional",
        shared=True,
        counts_as="contributor",
        style=Style("contributes to force", (0, (5, 2)), 1.1, "#333333"),
        synthetic_share=0.16,
    ),
    Kind(
        "hosts-base",
        CST.BasingArrangement,
        "hosts base",
        subject=(Link(CST.hostState),),
        object=(Link(CST.base), Link(CST.stationedUnit, only_for=CST.MilitaryUnit)),
        fields=frozenset({Field.OPERATOR, Field.PERSONNEL}),
        hosting=True,
        style=Style("hosts base", (0, (1, 1.5)), 1.2, "#333333"),
        synthetic_share=0.16,
    ),
    Kind(
        "holds-office",
        CST.OfficeHolding,
        "holds office",
        subject=(Link(CST.holder),),
        object=(Link(CST.post),),
        fields=frozenset({Field.ORGANIZATION}),
        synthetic_share=0.16,
    ),
]


def predicate_for(links: tuple[Link, ...], classes: Collection[URIRef]) -> URIRef:
    """The predicate a writer uses to link an entity that has ``classes`` (its ``rdf:type``
    values): the first link whose ``only_for`` is one of them, else the first link for any
    entity (else, when every link is restricted, the first).

    Examples
    --------
    >>> hosts = kind_of_class(CST.BasingArrangement)
    >>> predicate_for(hosts.object, {CST.MilitaryUnit}) == CST.stationedUnit
    True
    >>> predicate_for(hosts.object, {CST.AirBase}) == CST.base
    True
    """
    for link in links:
        if link.only_for is not None and link.only_for in classes:
            return link.predicate
    for link in links:
        if link.only_for is None:
            return link.predicate
    return links[0].predicate


def kind_names() -> tuple[str, ...]:
    """The names of every kind, in table order (for command-line choices and messages)."""
    return tuple(k.name for k in KINDS)


def kind(name: str) -> Kind:
    """The kind of that name.

    Raises
    ------
    InputError
        No kind has that name; the message lists the kinds.
    """
    for k in KINDS:
        if k.name == name:
            return k
    raise InputError(f"unknown kind {name!r}; kinds: {', '.join(kind_names())}")


def kind_of_class(cls: URIRef) -> Kind:
    """The kind whose relation nodes have class ``cls`` (``KeyError`` if none)."""
    for k in KINDS:
        if k.cls == cls:
            return k
    raise KeyError(cls)


def register(new: Kind) -> None:
    """Add a kind to the table (for extensions and tests; the shipped kinds are above).

    Raises
    ------
    ValueError
        A kind of that name or class is already registered.
    """
    if any(k.name == new.name or k.cls == new.cls for k in KINDS):
        raise ValueError(f"a kind named {new.name!r} or of class {new.cls} is registered")
    KINDS.append(new)
