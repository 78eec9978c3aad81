"""Turning ``--param NAME=VALUE`` and the time options into SPARQL variable bindings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from rdflib import Graph, Literal
from rdflib.term import Identifier

from cstograph.errors import InputError
from cstograph.index.history import History
from cstograph.query.named import NamedQuery
from cstograph.query.tokens import expand_escapes, is_variable_name, tokens
from cstograph.temporal import BEGINNING, FOREVER, parse_date_spec, window

__all__ = ["bind_parameters", "mentioned"]


def mentioned(text: str) -> set[str]:
    """The names of the variables a query mentions.

    Examples
    --------
    >>> sorted(mentioned("SELECT ?a WHERE { ?a ?b $c }"))
    ['a', 'b', 'c']
    """
    return {t.text for t in tokens(expand_escapes(text)) if t.kind == "var"}


def bind_parameters(
    graph: Graph,
    named: NamedQuery | None,
    params: Iterable[str],
    *,
    year: int | str | None = None,
    on: date | str | None = None,
    between: tuple[date | str | None, date | str | None] | None = None,
    text: str | None = None,
    index: Callable[[], History] | None = None,
) -> dict[str, Identifier]:
    """Bindings for a query: ``?from``/``?to`` from the time window, and each parameter.

    Entity values are resolved like every entity name (label, slug, QID, IRI); a named
    query's ``year``, ``date`` and ``text`` parameters become typed literals. Required
    parameters of a named query must be given. Every name must be a SPARQL variable name;
    given the ``text`` of the user's own query, a parameter it never mentions is refused
    (a misspelt name would otherwise bind nothing, without a word). ``index`` gives the
    interval index entity names are resolved in (default: built from ``graph``).

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
    parsed = []
    for param in params:  # every name is checked before an entity is looked up
        name, sep, value = param.partition("=")
        name = name.strip()
        name = name[1:] if name[:1] in ("?", "$") else name
        if not sep or not name or not value:
            raise InputError(f"--param {param!r}: use NAME=VALUE")
        if not is_variable_name(name):
            raise InputError(
                f"--param {name!r}: not a SPARQL variable name (letters, digits and _ only)"
            )
        if named is None and text is not None and name not in mentioned(text):
            raise InputError(f"--param {name}: the query has no ?{name}")
        parsed.append((name, value))
    history = None
    for name, value in parsed:
        kind = named.param(name).type if named else "entity"
        if kind == "entity":
            if history is None:
                if index is None:
                    from cstograph.index.build import build_index

                    history = build_index(graph)
                else:
                    history = index()
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
