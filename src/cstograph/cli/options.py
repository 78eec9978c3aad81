"""The options the commands share, each defined once: where the graph comes from (``--data``,
``--allow-network``, ``--store``), time (``--year``, ``--on``, ``--from``, ``--to``), relation
kinds, claims and output formats; and the two helpers that open the graph a command reads.

``--from A --to B`` means the same everywhere: the window from the first day of A through the
last day of B, each ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. Commands that answer by year
(``metrics``, ``plot``, ``report``) cover every year that window touches; a side left out is
the data's first or last year.

Like the commands themselves, this module only translates between the shell and the library;
nothing here imports rdflib at import time, so ``cstograph --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rdflib import Graph

    from cstograph.index.history import History

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "KindChoice",
    "allow_network_option",
    "claims_option",
    "data_option",
    "data_options",
    "format_option",
    "kind_option",
    "open_data",
    "open_history",
    "possible_option",
    "span_options",
    "store_option",
    "store_spec",
    "time_options",
    "when",
    "year_span",
]

_STORE_KEY = "cstograph.store"

# Where the graph comes from -------------------------------------------------------------------


def _remember_store(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    ctx.meta[_STORE_KEY] = value


def store_option(func: F) -> F:
    """``--store SPEC`` (or ``CSTOGRAPH_STORE``): where the graph lives; read it with
    :func:`store_spec`."""
    return click.option(
        "--store",
        envvar="CSTOGRAPH_STORE",
        metavar="SPEC",
        expose_value=False,
        callback=_remember_store,
        help="Where the graph lives: memory (default: the shipped graph and --data), "
        "oxigraph:DIR (an on-disk store built with `cstograph load`) or sparql:URL "
        "(a SPARQL 1.1 endpoint). Also CSTOGRAPH_STORE.",
    )(func)


def store_spec() -> str | None:
    """The ``--store`` of the running command (``None``: not given, ``CSTOGRAPH_STORE`` unset)."""
    value: str | None = click.get_current_context().meta.get(_STORE_KEY)
    return value


def allow_network_option(func: F) -> F:
    """``--allow-network``: the only way anything reaches the network."""
    return click.option(
        "--allow-network",
        is_flag=True,
        help="Permit the network: SERVICE and FROM <url> in queries, remote JSON-LD contexts "
        "and RDF/XML DOCTYPEs in files (off by default).",
    )(func)


def data_option(func: F) -> F:
    """``--data FILE`` (repeatable): RDF files read alongside the shipped graph."""
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Also read this RDF file (Turtle, N-Triples, JSON-LD, RDF/XML); memory store "
        "only (load it into a store first). Repeatable.",
    )(func)


def data_options(func: F) -> F:
    """``--data``, ``--allow-network`` and ``--store``, for commands that read the graph."""
    return data_option(allow_network_option(store_option(func)))


def open_data(data: tuple[Path, ...], allow_network: bool, *, native: bool = False) -> Graph:
    """The graph the command reads: memory, an Oxigraph directory or an endpoint (as an
    in-memory copy unless ``native``, for commands that read many small patterns)."""
    from cstograph.stores import open_graph

    graph = open_graph(store_spec(), data, allow_network=allow_network)
    if native:
        return graph
    from cstograph.io.parse import as_memory

    return as_memory(graph)


def open_history(data: tuple[Path, ...], allow_network: bool, claims: str = "preferred") -> History:
    """The interval index of the graph the command reads, built the cheapest way its store
    allows (:func:`cstograph.stores.open_history`)."""
    from cstograph.stores import open_history as index_of_store

    return index_of_store(store_spec(), data, allow_network=allow_network, claims=claims)


# Time -----------------------------------------------------------------------------------------

_FROM_HELP = "from the first day of DATE (YYYY, YYYY-MM or YYYY-MM-DD) ..."
_TO_HELP = "... through the last day of DATE (YYYY, YYYY-MM or YYYY-MM-DD)."


def time_options(func: F) -> F:
    """``--year``, ``--on``, ``--from``, ``--to``: the window a question is about."""
    options = [
        click.option("--to", "to_", metavar="DATE", help=_TO_HELP),
        click.option("--from", "from_", metavar="DATE", help=f"In effect at any time {_FROM_HELP}"),
        click.option(
            "--on", metavar="DATE", help="In effect on DATE (YYYY, YYYY-MM or YYYY-MM-DD)."
        ),
        click.option("--year", metavar="YYYY", help="In effect at any time during the year."),
    ]
    for option in options:
        func = option(func)
    return func


def span_options(func: F) -> F:
    """``--from``, ``--to`` for commands that answer by year: the years the window touches."""
    func = click.option(
        "--to", "to_", metavar="DATE", help=f"{_TO_HELP} Default: the data's last year."
    )(func)
    return click.option(
        "--from",
        "from_",
        metavar="DATE",
        help=f"Every year touched {_FROM_HELP} Default: the data's first year.",
    )(func)


def when(year: str | None, on: str | None, from_: str | None, to_: str | None) -> dict[str, Any]:
    """The History keyword arguments for the time options."""
    between = (from_, to_) if (from_ or to_) else None
    return {"year": year, "on": on, "between": between}


def year_span(history: History, from_: str | None, to_: str | None) -> tuple[int, int]:
    """The first and last year of ``--from``/``--to``, a side left out being the data's."""
    from cstograph.errors import DateSpecError
    from cstograph.temporal import window_years

    first, last = window_years(from_, to_)
    if first is None or last is None:
        from cstograph.analysis.snapshot import data_span

        data_first, data_last = data_span(history)
        first = data_first if first is None else first
        last = data_last if last is None else last
    if first > last:
        raise DateSpecError(f"the range starts ({first}) after it ends ({last})")
    return first, last


# Kinds, claims, formats -----------------------------------------------------------------------


if TYPE_CHECKING:
    _StrChoice = click.Choice[str]
else:  # click before 8.4 has no generic Choice
    _StrChoice = click.Choice


class KindChoice(_StrChoice):
    """The relation kinds of :mod:`cstograph.model.kinds`, read when a command needs them
    (not at import: the table imports rdflib), so a registered kind is a choice too."""

    def __init__(self) -> None:
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]  # read, never assigned
        from cstograph.model.kinds import kind_names

        return kind_names()


def kind_option(*, multiple: bool = False) -> Callable[[F], F]:
    """``--kind NAME``: only relations of this kind (repeatable when ``multiple``)."""
    return click.option(
        "--kind",
        "kinds" if multiple else "kind",
        multiple=multiple,
        type=KindChoice(),
        help="Only relations of this kind" + (" (repeatable)." if multiple else "."),
    )


def possible_option(func: F) -> F:
    """``--possible``: also relations that only a "by" / "or later" bound lets reach the
    window (graded ``not excluded``, :func:`cstograph.temporal.grade`)."""
    return click.option(
        "--possible",
        is_flag=True,
        help='Also relations that no source places in the window but a "by" or "or later" '
        "bound does not exclude (held: not excluded).",
    )(func)


def claims_option(func: F) -> F:
    """``--claims preferred|all``: which of conflicting claims to show."""
    return click.option(
        "--claims",
        type=click.Choice(["preferred", "all"]),
        default="preferred",
        show_default=True,
        help="Where sources conflict, show the preferred claim only, or every claim.",
    )(func)


def _set_width(ctx: click.Context, param: click.Parameter, wide: bool) -> None:
    import shutil
    import sys

    from cstograph.cli.render import SETTINGS

    complete = wide or not sys.stdout.isatty()
    SETTINGS.width = None if complete else shutil.get_terminal_size().columns


def _set_columns(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from cstograph.cli.render import SETTINGS

    names = tuple(c.strip() for c in value.split(",") if c.strip()) if value else ()
    SETTINGS.columns = names or None


def _set_sources(ctx: click.Context, param: click.Parameter, value: str) -> None:
    from cstograph.cli.render import SETTINGS

    SETTINGS.sources = value


def format_option(*choices: str, sources: bool = False) -> Callable[[F], F]:
    """``--format``: one of ``choices``, the first the default; with a table, ``--wide``
    and ``--columns`` too, and ``--sources`` for answers that cite sources (``sources``).
    """
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=choices[0],
            show_default=True,
            help="Output format.",
        )
    ]
    if "table" in choices:
        options.append(
            click.option(
                "--wide",
                is_flag=True,
                expose_value=False,
                callback=_set_width,
                help="Complete table cells: on a terminal, tables otherwise fit its width "
                "(long cells shortened with …); piped, they are always complete.",
            )
        )
        options.append(
            click.option(
                "--columns",
                metavar="A,B,...",
                expose_value=False,
                callback=_set_columns,
                help="Only these columns, in this order (tables, CSV, TSV).",
            )
        )
    if sources:
        options.append(
            click.option(
                "--sources",
                type=click.Choice(["compact", "full"]),
                default="compact",
                show_default=True,
                expose_value=False,
                callback=_set_sources,
                help="Sources in tables: the first one's host and how many more, or every "
                "source with the place in it.",
            )
        )

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate
