"""Running SPARQL over a loaded graph, offline and read-only.

Every query gets the project's prefixes pre-declared (``cst:``, ``cs:``, ``org:``,
``schema:``, ``prov:``, ``time:``, ``skos:``, ``dcterms:``, ``foaf:``, ``owl:``, ``rdf:``,
``rdfs:``, ``xsd:``, ``wd:``, ``cshp:``). ``SERVICE`` clauses and ``FROM`` / ``FROM NAMED``
(which rdflib would fetch) are refused unless the caller allows the network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import rdflib.plugins.sparql as rdflib_sparql
from pyparsing import ParseException
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier

from cstograph.errors import NetworkRefusedError, QueryError
from cstograph.io.parse import in_memory
from cstograph.model.terms import PREFIXES, RDFS, SKOS
from cstograph.query.tokens import inject_values, services

__all__ = [
    "MAX_QUERY_BYTES",
    "bind_query",
    "inject_values",
    "prepare",
    "read_query_file",
    "run_query",
    "with_prefixes",
]

#: The largest query file read (``--file``): a query, not a data set.
MAX_QUERY_BYTES = 16 * 1024 * 1024


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, Mapping):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)


def with_prefixes(text: str) -> str:
    """The query with ``PREFIX`` lines for the project's prefixes it does not declare."""
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", text, re.IGNORECASE)}
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    return "\n".join([*lines, text])


def _position(exc: ParseException) -> str:
    return f"line {exc.lineno}, column {exc.col}"


def _refuse_services(text: str) -> None:
    called = services(text)
    if called:
        raise NetworkRefusedError(
            f"SERVICE {called[0]} would query the network; pass --allow-network to permit it"
        )


def prepare(text: str, *, allow_network: bool = False) -> Query:
    """Parse a SPARQL query with the project's prefixes.

    Raises
    ------
    QueryError
        The query is empty, does not parse (the message says the line and column), or is
        an update (``cstograph query`` is read-only).
    NetworkRefusedError
        The query has ``SERVICE`` or ``FROM`` and ``allow_network`` is false (``SERVICE`` is
        looked for in the text as well as in the parsed query).
    """
    if not allow_network:
        _refuse_services(text)
    try:
        query = rdflib_sparql.prepareQuery(text, initNs=dict(PREFIXES))
    except ParseException as exc:
        try:
            update = parseUpdate(text)
        except Exception:
            raise QueryError(f"SPARQL syntax error at {_position(exc)}: {exc.msg}") from None
        if not dict.get(update, "request"):
            raise QueryError(
                "the query is empty: no SELECT, ASK, CONSTRUCT or DESCRIBE in it"
            ) from None
        raise QueryError("SPARQL updates are not allowed here: queries are read-only") from None
    except Exception as exc:  # rdflib raises plain Exceptions for unknown prefixes
        raise QueryError(f"SPARQL error: {' '.join(str(exc).split())}") from None
    if not allow_network:
        for node in _walk(query.algebra):
            name = getattr(node, "name", None)
            if name == "ServiceGraphPattern":
                raise NetworkRefusedError(
                    f"SERVICE <{node['term']}> would query the network; "
                    "pass --allow-network to permit it"
                )
        if query.algebra.get("datasetClause"):
            raise NetworkRefusedError(
                "FROM / FROM NAMED would load graphs from the network; "
                "pass --allow-network to permit it"
            )
    return query


def run_query(
    graph: Graph,
    text: str,
    *,
    bindings: Mapping[str, Identifier] | None = None,
    allow_network: bool = False,
) -> Result:
    """Run a read-only SPARQL query over ``graph``.

    Parameters
    ----------
    graph
        The graph, usually from :func:`cstograph.load`.
    text
        The query text; the project's prefixes are already declared.
    bindings
        Values for variables, by name without ``?``.
    allow_network
        Permit ``SERVICE`` and ``FROM``.

    Examples
    --------
    >>> from cstograph import load
    >>> result = run_query(load(), "ASK { cs:csto a cst:Alliance }")
    >>> result.askAnswer
    True
    """
    final = bind_query(text, bindings or {})
    # the final text is what is checked: a binding cannot bring in SERVICE or FROM
    query = prepare(final, allow_network=allow_network)
    previous = rdflib_sparql.SPARQL_LOAD_GRAPHS
    rdflib_sparql.SPARQL_LOAD_GRAPHS = allow_network
    try:
        if not in_memory(graph):
            # an Oxigraph store or an endpoint runs the same text itself
            return graph.query(with_prefixes(final))
        return graph.query(query)
    except (NetworkRefusedError, QueryError):
        raise
    except Exception as exc:
        raise QueryError(f"SPARQL evaluation failed: {' '.join(str(exc).split())}") from None
    finally:
        rdflib_sparql.SPARQL_LOAD_GRAPHS = previous


def bind_query(text: str, bindings: Mapping[str, Identifier]) -> str:
    """The query text with ``bindings`` written into it, the text every engine runs (see
    :mod:`cstograph.query.tokens`: a ``VALUES`` block opens each group that mentions a
    bound variable, subqueries, OPTIONAL, MINUS and FILTER EXISTS included).

    Raises
    ------
    QueryError
        A name is not a SPARQL variable name, or the query cannot take the binding.

    Examples
    --------
    >>> from rdflib import URIRef
    >>> bind_query("SELECT ?x WHERE { ?x ?p ?y }", {"y": URIRef("urn:y")})
    'SELECT ?x WHERE { VALUES (?y) { (<urn:y>) } ?x ?p ?y }'
    """
    return inject_values(text, bindings)


def read_query_file(path: Path | str) -> str:
    """The text of a query file (or a pipe: ``--file /dev/stdin``), at most
    :data:`MAX_QUERY_BYTES`, as UTF-8.

    Raises
    ------
    QueryError
        The file cannot be read, is larger than that, or is not UTF-8.
    """
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_QUERY_BYTES + 1)
    except OSError as exc:
        raise QueryError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_QUERY_BYTES:
        raise QueryError(f"cannot read {path}: larger than {MAX_QUERY_BYTES >> 20} MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise QueryError(
            f"cannot read {path}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})"
        ) from None


def labeller(graph: Graph) -> Callable[[Identifier], str | None]:
    """A function giving a term's label for tables: its English (or untagged)
    ``rdfs:label`` or ``skos:prefLabel``, a precision unit's name (``day``); ``None`` when
    it has none (tables then show the prefixed name)."""
    from cstograph.temporal import Precision

    found: dict[Identifier, str | None] = {}

    def label(term: Identifier) -> str | None:
        if term not in found:
            text = Precision.BY_UNIT.get(cast(URIRef, term))
            if text is None and isinstance(term, URIRef):
                names = [
                    value
                    for predicate in (SKOS.prefLabel, RDFS.label)
                    for value in graph.objects(term, predicate)
                    if isinstance(value, Literal) and value.language in (None, "en")
                ]
                text = str(names[0]) if names else None
            found[term] = text
        return found[term]

    return label
