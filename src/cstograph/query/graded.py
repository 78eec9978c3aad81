"""Named queries whose *when* the interval index answers: one rule for every command.

A named query with a ``# graded:`` line (:mod:`cstograph.query.named`) picks *which*
relations in SPARQL and returns each relation node in a variable; :func:`run_named` then
keeps the rows whose relations :meth:`~cstograph.index.history.History.select` grades in the
window (held and bounds imprecise; not excluded too with ``possible``), exactly as
``members``, ``relations`` and ``diff`` do, and adds a ``grade`` column. A row about several
relations (two memberships that overlap) takes the weakest of their grades. A
``changes YEAR1 YEAR2`` query hands its relations to
:meth:`~cstograph.index.history.History.diff`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier

from cstograph.errors import InputError
from cstograph.index.history import History
from cstograph.model.records import Relation
from cstograph.query.named import NamedQuery
from cstograph.query.sparql import run_query
from cstograph.temporal import Grade, Window

__all__ = ["run_named"]

#: weakest last: a row about several relations is as sure as its least sure one
_ORDER = [Grade.HELD.value, Grade.IMPRECISE.value, Grade.NOT_EXCLUDED.value]


def run_named(
    graph: Graph,
    named: NamedQuery,
    bindings: Mapping[str, Identifier],
    question: Window | None,
    *,
    possible: bool = False,
    allow_network: bool = False,
    history: History | None = None,
) -> Result:
    """Run a named query; a graded one is filtered in time by the interval index.

    ``bindings`` are the query's parameters (``?from``/``?to`` are left out of a graded
    query: the window is ``question``). ``history`` is the index of ``graph`` when the
    caller has it.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.query.named import named_queries
    >>> from cstograph.temporal import window
    >>> graph = load()
    >>> query = named_queries()["office-holders"]
    >>> post = {"post": graph.namespace_manager.expand_curie("cs:post-csto-secretary-general")}
    >>> rows = run_named(graph, query, post, window(year=2019))
    >>> sorted({(str(row.holder).rsplit("/", 1)[1], str(row.grade)) for row in rows})
    [('valery-semerikov', 'held')]
    """
    if not named.graded:
        return run_query(graph, named.text, bindings=bindings, allow_network=allow_network)
    kept = {k: v for k, v in bindings.items() if k not in ("from", "to")}
    found = run_query(graph, named.text, bindings=kept, allow_network=allow_network)
    if history is None:
        from cstograph.index.build import build_index

        history = build_index(graph, claims="all")
    by_node = {history.iri(r.id): r for r in history.all_relations()}
    if named.changes is not None:
        return _changes(found, named, kept, history, by_node, possible)
    names = [str(v) for v in (found.vars or [])]
    out: list[dict[Variable, Identifier]] = []
    for row in found:
        values = cast(ResultRow, row)
        relations = [by_node.get(cast(URIRef, values[v])) for v in named.graded]
        if any(r is None for r in relations):
            continue  # a node the index does not hold as a relation has no time to ask about
        chosen = history.select(cast(list[Relation], relations), question, possible)
        if len(chosen) < len(relations):
            continue
        weakest = max((r.grade for r in chosen), key=_ORDER.index)
        binding = {Variable(n): values[n] for n in names if values[n] is not None}
        binding[Variable("grade")] = Literal(weakest)
        out.append(binding)
    return _result([*names, "grade"], out)


def _changes(
    found: Result,
    named: NamedQuery,
    bindings: Mapping[str, Identifier],
    history: History,
    by_node: Mapping[URIRef, Relation],
    possible: bool,
) -> Result:
    """The rows of a ``changes`` query: :meth:`History.diff` over the relations it chose."""
    assert named.changes is not None
    years = []
    for name in named.changes:
        value = bindings.get(name)
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise InputError(f"query {named.name} needs --param {name}=YYYY")
        years.append(int(value.toPython()))
    variable = named.graded[0]
    among = {
        by_node[node].id
        for row in found
        if (node := cast(URIRef, cast(ResultRow, row)[variable])) in by_node
    }
    changes = history.diff(years[0], years[1], possible=possible, among=among)
    out: list[dict[Variable, Identifier]] = []
    for change in changes:
        binding: dict[Variable, Identifier] = {
            Variable("change"): Literal(change.change),
            Variable("organization"): history.iri(change.object.id),
            Variable("member"): history.iri(change.subject.id),
            Variable("certain"): Literal(change.certain),
        }
        if change.role_before:
            binding[Variable("roleBefore")] = Literal(change.role_before)
        if change.role_after:
            binding[Variable("roleAfter")] = Literal(change.role_after)
        out.append(binding)
    return _result(["change", "organization", "member", "roleBefore", "roleAfter", "certain"], out)


def _result(names: list[str], rows: list[dict[Variable, Identifier]]) -> Result:
    """A SELECT result with these variables and rows, rendered like any other."""
    result = Result("SELECT")
    result.vars = [Variable(n) for n in names]
    result.bindings = rows  # type: ignore[assignment]
    return result
