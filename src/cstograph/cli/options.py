"""Options and helpers the command modules share: where the graph comes from (``--data``,
``--allow-network``, ``--store``), time windows, output formats, claims.

Like the commands themselves, this module only translates between the shell and the library.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "claims_option",
    "data_options",
    "format_option",
    "open_data",
    "open_history",
    "store_option",
    "time_options",
    "when",
]


def remember_store(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    ctx.meta["cstograph.store"] = value


def store_option(func: F) -> F:
    """``--store SPEC`` (or ``CSTOGRAPH_STORE``): where the graph is read from."""
    return click.option(
        "--store",
        envvar="CSTOGRAPH_STORE",
        metavar="SPEC",
        expose_value=False,
        callback=remember_store,
        help="Read the graph from memory (default: the shipped graph and --data), "
        "oxigraph:DIR (an on-disk store built with `cstograph load`) or sparql:URL "
        "(a SPARQL 1.1 endpoint). Also CSTOGRAPH_STORE.",
    )(func)


def open_data(data: tuple[Path, ...], allow_network: bool, *, native: bool = False) -> Any:
    """The graph the command reads: memory, an Oxigraph directory or an endpoint (as an
    in-memory copy unless ``native``, for commands that read many small patterns)."""
    from cstograph.stores import open_graph

    spec = click.get_current_context().meta.get("cstograph.store")
    graph = open_graph(spec, data, allow_network=allow_network)
    if native:
        return graph
    from cstograph.io.parse import as_memory

    return as_memory(graph)


def data_options(func: F) -> F:
    """``--data FILE`` (repeatable), ``--allow-network`` and ``--store``, for commands that
    load the graph."""
    func = store_option(func)
    func = click.option(
        "--allow-network",
        is_flag=True,
        help="Permit SERVICE, FROM <url> and remote JSON-LD contexts (off by default).",
    )(func)
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Also load this RDF file (Turtle, N-Triples, JSON-LD, RDF/XML). Repeatable.",
    )(func)


def format_option(*choices: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


def time_options(func: F) -> F:
    """``--year``, ``--on``, ``--from``, ``--to``: the time a question is about."""
    options = [
        click.option(
            "--to", "to_", metavar="DATE", help="...until DATE (a coarse DATE: all of it)."
        ),
        click.option("--from", "from_", metavar="DATE", help="In effect at any time from DATE..."),
        click.option(
            "--on", metavar="DATE", help="In effect on DATE (YYYY, YYYY-MM or YYYY-MM-DD)."
        ),
        click.option("--year", metavar="YYYY", help="In effect at any time during the year."),
    ]
    for option in options:
        func = option(func)
    return func


def when(year: str | None, on: str | None, from_: str | None, to_: str | None) -> dict[str, Any]:
    """The History keyword arguments for the time options."""
    between = (from_, to_) if (from_ or to_) else None
    return {"year": year, "on": on, "between": between}


def open_history(data: tuple[Path, ...], allow_network: bool, claims: str = "preferred") -> Any:
    """The interval index of the graph the command reads (see
    :func:`~cstograph.stores.open_history`)."""
    from cstograph.stores import open_history as index_of_store

    spec = click.get_current_context().meta.get("cstograph.store")
    return index_of_store(spec, data, allow_network=allow_network, claims=claims)


def claims_option(func: F) -> F:
    """``--claims preferred|all``: which of conflicting claims to show."""
    return click.option(
        "--claims",
        type=click.Choice(["preferred", "all"]),
        default="preferred",
        show_default=True,
        help="Where sources conflict, show the preferred claim only, or every claim.",
    )(func)
