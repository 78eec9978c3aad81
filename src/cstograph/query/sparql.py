"""Running SPARQL over a loaded graph, offline and read-only.

Every query gets the project's prefixes pre-declared (``cst:``, ``cs:``, ``org:``,
``schema:``, ``prov:``, ``time:``, ``skos:``, ``dcterms:``, ``foaf:``, ``owl:``, ``rdf:``,
``rdfs:``, ``xsd:``, ``wd:``, ``cshp:``). ``SERVICE`` clauses and ``FROM`` / ``FROM NAMED``
(which rdflib would fetch) are refused unless the caller allows the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import rdflib.plugins.sparql as rdflib_sparql
from pyparsing import ParseException
from rdflib import Graph
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier, Variable

from cstograph.errors import NetworkRefusedError, QueryError
from cstograph.io.parse import in_memory
from cstograph.model.terms import PREFIXES

__all__ = ["inject_values", "prepare", "run_query", "with_prefixes"]

_KEYWORD = re.compile(r"[A-Za-z_]+")


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, Mapping):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)


def _where_brace(text: str) -> int | None:
    """The index of the ``{`` that opens the top-level WHERE clause of a query.

    Skips comments, strings and IRIs; the brace either follows the keyword ``WHERE`` at
    depth 0, or (``SELECT * { ... }``, ``ASK { ... }``) is the first brace at depth 0 of a
    query that has no WHERE keyword.
    """
    depth, i, last_word, first_brace = 0, 0, "", None
    n = len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and text[i : i + len(quote)] != quote:
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<":
            end = text.find(">", i)
            if end > 0 and not any(ch.isspace() for ch in text[i:end]):
                i = end + 1
                continue
        if c == "{":
            if depth == 0:
                if last_word == "WHERE":
                    return i
                if first_brace is None:
                    first_brace = i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and (c.isalpha() or c == "_"):
            word = _KEYWORD.match(text, i)
            assert word is not None
            last_word = word.group(0).upper()
            i = word.end()
            continue
        elif depth == 0 and not c.isspace():
            last_word = ""
        i += 1
    if _KEYWORD.search(text) and re.search(r"\b(SELECT|ASK)\b", text, re.IGNORECASE):
        return first_brace
    return None


def inject_values(text: str, bindings: Mapping[str, Identifier]) -> str:
    """Bind variables by opening the query's WHERE clause with a ``VALUES`` block.

    Examples
    --------
    >>> from rdflib import URIRef
    >>> inject_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": URIRef("https://example.org/x")})
    'SELECT ?s WHERE { VALUES (?o) { (<https://example.org/x>) } ?s ?p ?o }'
    """
    if not bindings:
        return text
    brace = _where_brace(text)
    if brace is None:
        raise QueryError("cannot bind variables in this query: no WHERE clause found")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    return f"{text[: brace + 1]} VALUES ({names}) {{ ({values}) }}{text[brace + 1 :]}"


def with_prefixes(text: str) -> str:
    """The query with ``PREFIX`` lines for the project's prefixes it does not declare."""
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", text, re.IGNORECASE)}
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    return "\n".join([*lines, text])


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
    previous = rdflib_sparql.SPARQL_LOAD_GRAPHS
    rdflib_sparql.SPARQL_LOAD_GRAPHS = allow_network
    try:
        if not in_memory(graph):
            # An Oxigraph store or an endpoint runs the query itself: give it the text, with
            # the prefixes declared and the bindings as a VALUES block that opens the WHERE
            # clause (so FILTERs see them, as with rdflib's initBindings).
            native = with_prefixes(inject_values(text, bindings or {}))
            return graph.query(native)
        init: dict[str, Identifier] = {str(Variable(k)): v for k, v in (bindings or {}).items()}
        return graph.query(query, initBindings=init)
    except (NetworkRefusedError, QueryError):
        raise
    except Exception as exc:
        raise QueryError(f"SPARQL evaluation failed: {exc}") from None
    finally:
        rdflib_sparql.SPARQL_LOAD_GRAPHS = previous
