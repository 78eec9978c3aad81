"""Questions about time, answered from the interval index: ``members``, ``relations``,
``timeline``, ``diff``, ``conflicts``.

Each opens the index (:func:`~cstograph.cli.options.open_history`), asks it one question
(:class:`~cstograph.index.history.History`, :mod:`cstograph.index.conflicts`) and prints the
answer through :mod:`cstograph.cli.render`.
"""

from __future__ import annotations

from pathlib import Path

import click

from cstograph.cli.command import Command
from cstograph.cli.options import (
    claims_option,
    data_options,
    format_option,
    kind_option,
    open_history,
    possible_option,
    time_options,
    when,
)

__all__ = ["conflicts", "diff", "members", "register", "relations", "timeline"]


@click.command(cls=Command)
@click.argument("org")
@time_options
@click.option(
    "--role",
    help="Only this role (full member, observer, signatory, suspended, participation frozen, "
    "...), or 'all'. Default: the roles that count as membership.",
)
@possible_option
@claims_option
@data_options
@format_option("table", "json", "csv", sources=True)
def members(
    org: str,
    year: str | None,
    on: str | None,
    from_: str | None,
    to_: str | None,
    role: str | None,
    possible: bool,
    claims: str,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Members of ORG (or contributors to a joint force) in a time window.

    ORG is a name, an alternative name, a slug, a Wikidata QID or an IRI. Without --role,
    the roles that count as membership: full member, party/signatory, participation frozen.
    Each row says whether it held in the window (yes), or touches it only within a bound
    known to the month or year (imprecise); --possible adds the rows that only a "by" or
    "or later" bound does not exclude (not excluded).

    With a table, notes on standard error say what it cannot: that ORG is recorded only in part,
    or why the answer is empty (ORG is a state; it did not exist yet; it had ended).
    """
    from cstograph.cli.render import render_notes, render_relations
    from cstograph.index.notes import answer_notes
    from cstograph.temporal import window

    history = open_history(data, allow_network, claims)
    times = when(year, on, from_, to_)
    found = history.members(org, role=role, possible=possible, **times)
    click.echo(render_relations(found, fmt))
    notes = answer_notes(history, org, window(**times), found) if fmt == "table" else []
    if notes:
        click.echo(render_notes(notes), err=True)


@click.command(cls=Command)
@kind_option()
@click.option("--subject", help="Only relations whose subject is this entity.")
@click.option("--object", "object_", help="Only relations whose object is this entity.")
@time_options
@possible_option
@claims_option
@data_options
@format_option("table", "json", "csv", sources=True)
def relations(
    kind: str | None,
    subject: str | None,
    object_: str | None,
    year: str | None,
    on: str | None,
    from_: str | None,
    to_: str | None,
    possible: bool,
    claims: str,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Time-bounded relations by kind, subject, object and time.

    Subjects and objects by kind: member-of, the member and the organization;
    contributes-to-force, the state and the force; hosts-base, the host state and the base;
    holds-office, the person and the post.
    """
    from cstograph.cli.render import render_relations
    from cstograph.index.search import resolve_for

    history = open_history(data, allow_network, claims)
    subject = resolve_for(history, subject, kind, "subject")  # suggestions of the right kind
    object_ = resolve_for(history, object_, kind, "object")
    found = history.relations(
        kind, subject, object_, possible=possible, **when(year, on, from_, to_)
    )
    click.echo(render_relations(found, fmt))


@click.command(cls=Command)
@click.argument("entity")
@time_options
@possible_option
@claims_option
@data_options
@format_option("table", "json", "csv", sources=True)
def timeline(
    entity: str,
    year: str | None,
    on: str | None,
    from_: str | None,
    to_: str | None,
    possible: bool,
    claims: str,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """Every relation and event of ENTITY in date order, with sources; with --year, --on or
    --from/--to, those in that window (relations and events graded by the one rule)."""
    from cstograph.cli.render import render_timeline

    history = open_history(data, allow_network, claims)
    found = history.timeline(entity, possible=possible, **when(year, on, from_, to_))
    click.echo(render_timeline(found, fmt))


@click.command(cls=Command)
@click.argument("t1")
@click.argument("t2")
@click.option("--org", help="Only relations whose object is this organization or force.")
@kind_option()
@possible_option
@claims_option
@data_options
@format_option("table", "json", "csv")
def diff(
    t1: str,
    t2: str,
    org: str | None,
    kind: str | None,
    possible: bool,
    claims: str,
    data: tuple[Path, ...],
    allow_network: bool,
    fmt: str,
) -> None:
    """What changed between T1 and T2: relations that joined, left or changed role.

    A year (2005) means in effect at any time during it; a date (2005-06 or 2005-06-30)
    means that day.
    """
    from cstograph.cli.render import render_changes
    from cstograph.index.search import resolve_for

    history = open_history(data, allow_network, claims)
    org = resolve_for(history, org, kind, "object")  # suggestions of the right kind
    click.echo(render_changes(history.diff(t1, t2, org=org, kind=kind, possible=possible), fmt))


@click.command(cls=Command)
@click.argument("entity", required=False)
@data_options
@format_option("table", "json", "csv", sources=True)
def conflicts(entity: str | None, data: tuple[Path, ...], allow_network: bool, fmt: str) -> None:
    """Claims that sources disagree on (about ENTITY, if given), grouped, each with its
    sources, which one is preferred and why. Temporal commands show the preferred claim;
    --claims all shows each."""
    from cstograph.cli.render import render_conflicts
    from cstograph.index.conflicts import find_conflicts

    history = open_history(data, allow_network, claims="all")
    click.echo(render_conflicts(find_conflicts(history, entity), fmt))


def register(group: click.Group) -> None:
    """Add ``members``, ``relations``, ``timeline``, ``diff`` and ``conflicts`` to ``group``."""
    for command in (members, relations, timeline, diff, conflicts):
        group.add_command(command)
