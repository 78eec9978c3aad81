"""Looking things up: ``search``, ``events``, ``source``, ``sources``.

Each opens the index (:func:`~cstograph.cli.options.open_history`), asks one library
function (:mod:`cstograph.index.search`, :mod:`cstograph.index.events`,
:mod:`cstograph.index.sources`) and prints the answer through :mod:`cstograph.cli.render`.
"""

from __future__ import annotations

from pathlib import Path

import click

from cstograph.cli.command import Command
from cstograph.cli.options import (
    claims_option,
    data_options,
    format_option,
    open_history,
    possible_option,
    time_options,
    when,
)

__all__ = ["events", "register", "search", "source", "sources"]

#: The kinds ``search --kind`` takes (:data:`cstograph.index.search.SEARCH_KINDS`, written
#: out so that ``--help`` needs no rdflib; ``tests/test_lookup.py`` keeps them equal).
SEARCH_KINDS = (
    "state", "organization", "force", "base", "post", "person", "entity", "event", "source",
)  # fmt: skip

#: The event types of the shipped ontology, for ``--help`` (the graph's own list is in the
#: error an unknown type gets; ``tests/test_lookup.py`` keeps the two equal).
EVENT_TYPES = (
    "treaty signing, decision, operation, statement, founding, renaming or transformation, "
    "dissolution, request for assistance, dated event"
)


@click.command(cls=Command)
@click.argument("text")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(SEARCH_KINDS),
    help="Only this kind of thing (repeatable): a kind of entity, 'entity' for any, "
    "'event' or 'source'.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most N."
)
@data_options
@format_option("table", "json", "csv")
def search(
    text: str,
    kinds: tuple[str, ...],
    limit: int,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Entities, events and sources whose names match TEXT, best first, each with its
    kind, id and a line about it.

    Names are compared as everywhere (case, accents, punctuation, British/American
    spellings do not matter; Cyrillic matches its transliteration) and ranked by rapidfuzz:
    the same name first, then names having the words of TEXT, then close spellings.
    """
    from cstograph.cli.render import render_matches
    from cstograph.index.search import search as find

    history = open_history(data, allow_network)
    click.echo(render_matches(find(history, text, kinds=set(kinds) or None, limit=limit), fmt))


@click.command(cls=Command)
@time_options
@click.option("--type", "type_", metavar="TYPE", help=f"Only events of this type: {EVENT_TYPES}.")
@click.option(
    "--participant",
    metavar="NAME",
    help="Only events that name this entity (participant, organizer, speaker, place, ...).",
)
@click.option(
    "--org",
    metavar="NAME",
    help="Only events that name this organization or joint force (organizer, participant, "
    "recipient, founded or ended).",
)
@possible_option
@claims_option
@data_options
@format_option("table", "json", "csv")
def events(
    year: str | None,
    on: str | None,
    from_: str | None,
    to_: str | None,
    type_: str | None,
    participant: str | None,
    org: str | None,
    possible: bool,
    claims: str,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Dated events (signings, decisions, operations, statements, requests, foundings, ...)
    in a time window, by type, participant and organization, with their participants,
    figures and sources.

    An event is in the window by the rule relations follow: held when its date (to the day,
    month or year it is known) puts it there, imprecise when the window only touches the
    month or year of its date; --possible adds events that only a "by" or "or later" date
    does not exclude.
    """
    from cstograph.cli.render import render_events

    history = open_history(data, allow_network, claims)
    found = history.events(
        type=type_,
        participant=participant,
        org=org,
        possible=possible,
        **when(year, on, from_, to_),
    )
    click.echo(render_events(found, fmt))


@click.command(cls=Command)
@click.argument("name")
@data_options
@format_option("table", "json", "csv")
def source(name: str, data: tuple[Path, ...], allow_network: bool, fmt: str) -> None:
    """One source document (by id, title or label): its title, URL, date and note, and the
    relations, events and entities' names that cite it, with locators (every claim, the
    preferred and the others)."""
    from cstograph.cli.render import render_source
    from cstograph.index.sources import find_source

    history = open_history(data, allow_network, claims="all")
    click.echo(render_source(find_source(history, name), fmt))


@click.command(cls=Command)
@click.option(
    "--kind",
    metavar="KIND",
    help="Only sources of this kind: official, agency or newspaper, scholarly, "
    "encyclopedia or mirror, blog or repost (cst:sourceKind).",
)
@data_options
@format_option("table", "json", "csv")
def sources(kind: str | None, data: tuple[Path, ...], allow_network: bool, fmt: str) -> None:
    """Every source document, the most cited first, with how many relations, events and
    entities' names cite it (every claim, the preferred and the others)."""
    from cstograph.cli.render import render_sources
    from cstograph.index.sources import sources as documents

    history = open_history(data, allow_network, claims="all")
    click.echo(render_sources(documents(history, kind=kind), fmt))


def register(group: click.Group) -> None:
    """Add ``search``, ``events``, ``source`` and ``sources`` to ``group``."""
    for command in (search, events, source, sources):
        group.add_command(command)
