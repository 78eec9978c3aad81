"""Turning ``--param NAME=VALUE`` and the time options into SPARQL variable bindings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rdflib import Graph, Literal
from rdflib.term import Identifier

from cstograph.errors import InputError
from cstograph.query.named import NamedQuery
from cstograph.temporal import BEGINNING, FOREVER, parse_date_spec, window

__all__ = ["bind_parameters"]


def bind_parameters(
    graph: Graph,
    named: NamedQuery | None,
    params: Iterable[str],
    *,
    year: int | str | None = None,
    on: date | str | None = None,
    between: tuple[date | str | None, date | str | None] | None = None,
) -> dict[str, Identifier]:
    """Bindings for a query: ``?from``/``?to`` from the time window, and each parameter.

    Entity values are resolved like every entity name (label, slug, QID, IRI); a named
    query's ``year``, ``date`` and ``text`` parameters become typed literals. Required
    parameters of a named query must be given.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.query.named import named_queries
    >>> query = named_queries()["members-in-year"]
    >>> bindings = bind_parameters(load(), query, ["org=CSTO"], year=2007)
    >>> sorted(bindings), str(bindings["org"])
    (['from', 'org', 'to'], 'https://w3id.org/cstograph/id/csto')
    """
    bindings: dict[str, Identifier] = {}
    question = window(year=year, on=on, between=between)
    if question is not None:
        if question.first != BEGINNING:
            bindings["from"] = Literal(question.first)
        if question.stop != FOREVER:
            bindings["to"] = Literal(question.stop)
    history = None
    for param in params:
        name, sep, value = param.partition("=")
        name = name.strip().lstrip("?")
        if not sep or not name or not value:
            raise InputError(f"--param {param!r}: use NAME=VALUE")
        kind = named.param(name).type if named else "entity"
        if kind == "entity":
            if history is None:
                from cstograph.index.build import build_index

                history = build_index(graph)
            bindings[name] = history.iri(history.resolve(value).id)
        elif kind == "year":
            if not value.isdigit() or len(value) != 4:
                raise InputError(f"--param {name}={value}: not a year (YYYY)")
            bindings[name] = Literal(int(value))
        elif kind == "date":
            bindings[name] = Literal(parse_date_spec(value)[0])
        else:
            bindings[name] = Literal(value)
    if named is not None:
        missing = [p.name for p in named.params if p.required and p.name not in bindings]
        if missing:
            needed = " ".join(f"--param {m}=..." for m in missing)
            raise InputError(f"query {named.name} needs {needed}")
    return bindings
