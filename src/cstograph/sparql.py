"""Running SPARQL over a loaded graph, offline and read-only.

Every query gets the project's prefixes pre-declared (``cst:``, ``cs:``, ``org:``,
``schema:``, ``prov:``, ``time:``, ``skos:``, ``dcterms:``, ``foaf:``, ``owl:``, ``rdf:``,
``rdfs:``, ``xsd:``, ``wd:``, ``cshp:``). ``SERVICE`` clauses and ``FROM`` / ``FROM NAMED``
(which rdflib would fetch) are refused unless the caller allows the network.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import rdflib.plugins.sparql as rdflib_sparql
from pyparsing import ParseException
from rdflib import Graph
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier, Variable

from .errors import NetworkRefusedError, QueryError
from .terms import PREFIXES

__all__ = ["prepare", "run_query"]


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, Mapping):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)


def _position(exc: ParseException) -> str:
    return f"line {exc.lineno}, column {exc.col}"


def prepare(text: str, *, allow_network: bool = False) -> Query:
    """Parse a SPARQL query with the project's prefixes.

    Raises
    ------
    QueryError
        The query does not parse (the message says the line and column), or it is an
        update (``cstograph query`` is read-only).
    NetworkRefusedError
        The query has ``SERVICE`` or ``FROM`` and ``allow_network`` is false.
    """
    try:
        query = rdflib_sparql.prepareQuery(text, initNs=dict(PREFIXES))
    except ParseException as exc:
        try:
            parseUpdate(text)
        except Exception:
            raise QueryError(f"SPARQL syntax error at {_position(exc)}: {exc.msg}") from None
        raise QueryError("SPARQL updates are not allowed here: queries are read-only") from None
    except Exception as exc:  # rdflib raises plain Exceptions for unknown prefixes
        raise QueryError(f"SPARQL error: {exc}") from None
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
    query = prepare(text, allow_network=allow_network)
    init: dict[str, Identifier] = {str(Variable(k)): v for k, v in (bindings or {}).items()}
    previous = rdflib_sparql.SPARQL_LOAD_GRAPHS
    rdflib_sparql.SPARQL_LOAD_GRAPHS = allow_network
    try:
        return graph.query(query, initBindings=init)
    except (NetworkRefusedError, QueryError):
        raise
    except Exception as exc:
        raise QueryError(f"SPARQL evaluation failed: {exc}") from None
    finally:
        rdflib_sparql.SPARQL_LOAD_GRAPHS = previous
