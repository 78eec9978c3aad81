"""Dated events: every event of a graph, asked for by time window, type, participant and
organization.

An event is in a window by the rule relations follow (:func:`cstograph.temporal.grade`): one
with a date only happened on that day, or on some day of the month or year its precision
gives (:func:`cstograph.temporal.occurrence_end`); one with an end spans ``[start, end)``.
Graded *held* when every reading of its dates puts it in the window, *bounds imprecise*
when the window touches the month or year a date is known to, and, only with
``possible``, *not excluded* when only a "by" or "or later" qualifier lets it reach the
window.

Event types are the graph's event classes (:data:`cstograph.model.terms.EVENT_CLASSES`),
named by their labels (``treaty signing``, ``decision``, ``operation``, ...) or by one word
of a label (``signing``, ``request``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from rdflib import URIRef

from cstograph.errors import InputError
from cstograph.index.names import MEMBERS_OF, name_key
from cstograph.model.records import Event
from cstograph.model.terms import EVENT_CLASSES, RDF
from cstograph.temporal import Grade, Window, graded, window

if TYPE_CHECKING:
    from cstograph.index.history import History

__all__ = ["event_type", "event_types", "events", "select_events"]


def event_types(history: History) -> dict[str, URIRef]:
    """The event types of the graph by label (``"treaty signing"``: ``cst:TreatySigning``),
    in the order of :data:`~cstograph.model.terms.EVENT_CLASSES`.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.index.history import History
    >>> list(event_types(History(load())))[:3]
    ['treaty signing', 'decision', 'operation']
    """
    return {history.label(cls): cls for cls in EVENT_CLASSES}


def event_type(history: History, name: str) -> URIRef:
    """The event class a type name means: its label (``request for assistance``), its class
    name (``Request``) or one word of its label that no other type has (``request``).

    Raises
    ------
    InputError
        No type, or several, have that name; the message lists the types.
    """
    types = event_types(history)
    wanted = name_key(name)
    for label, cls in types.items():
        if wanted in (name_key(label), name_key(str(cls).rsplit("#", 1)[-1])):
            return cls
    by_word = [cls for label, cls in types.items() if wanted in name_key(label).split()]
    if len(by_word) == 1:
        return by_word[0]
    raise InputError(f"unknown event type {name!r}; types: {', '.join(types)}")


def select_events(
    records: Iterable[Event], question: Window | None, possible: bool = False
) -> list[Event]:
    """The events graded in ``question``, each with its grade: held and bounds imprecise
    ones, and not excluded ones if ``possible`` (as :meth:`History.select` for relations)."""
    chosen = []
    for event in records:
        found = graded(event, question)
        if found is None or (found is Grade.NOT_EXCLUDED and not possible):
            continue
        chosen.append(event if found is Grade.HELD else replace(event, grade=found.value))
    return chosen


def _linked(history: History, node: URIRef) -> set[URIRef]:
    """Every entity an event names (participant, organizer, speaker, place, recipient, the
    organizations it founds or ends, ...)."""
    return {o for _, o in history.graph.predicate_objects(node) if isinstance(o, URIRef)}


def events(
    history: History,
    *,
    year: int | str | None = None,
    on: date | str | None = None,
    between: tuple[date | str | None, date | str | None] | None = None,
    type: str | None = None,
    participant: str | None = None,
    org: str | None = None,
    possible: bool = False,
) -> list[Event]:
    """The events of the graph in a window, in date order.

    Parameters
    ----------
    year, on, between
        The window, as for :meth:`History.relations` (none: every event).
    type
        Only events of this type (see :func:`event_type`).
    participant
        Only events that name this entity, in any role (participant, organizer, speaker,
        place, recipient, ...).
    org
        Only events that name this organization or joint force (organizer, participant,
        recipient, founded or ended); the name is resolved among organizations and forces.
    possible
        Also events only a "by" or "or later" date lets reach the window.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.index.history import History
    >>> history = History(load())
    >>> [e.id for e in events(history, year=2022, type="operation", org="CSTO")]
    ['cs:event-operation-csto-kazakhstan-2022', 'cs:event-exercise-interaction-2022']
    """
    question = window(year=year, on=on, between=between)
    cls = event_type(history, type) if type is not None else None
    wanted = [
        history.iri(history.resolve(name, among=among).id)
        for name, among in ((participant, None), (org, MEMBERS_OF))
        if name is not None
    ]
    graph = history.graph
    nodes: set[URIRef] = set()
    for event_class in EVENT_CLASSES if cls is None else (cls,):
        nodes |= {n for n in graph.subjects(RDF.type, event_class) if isinstance(n, URIRef)}
    found = []
    for node in nodes:
        if wanted and not set(wanted) <= _linked(history, node):
            continue
        record = history.event(node)
        if history.claims == "all" or record.preferred is not False:
            found.append(record)
    chosen = select_events(found, question, possible)
    return sorted(chosen, key=lambda e: (e.start, e.id))
