"""The library of named, documented SPARQL queries shipped in ``cstograph/query/queries/``.

Each ``NAME.rq`` opens with comment lines: a description, then one ``# param NAME: TYPE
(required|optional) - what it is`` line per parameter (TYPE is ``entity``, ``year``,
``date`` or ``text``), and a ``# window:`` line when the query reads ``?from`` and ``?to``,
which ``--year``, ``--on`` and ``--from/--to`` bind (``?from`` the first day of the window,
``?to`` the day after its last; an interval [start, end) is in the window when
``start < ?to`` and it has no end or ``end > ?from``).

A ``# graded: ?VAR ...`` line hands the question of *when* to the interval index: the
query picks which relations (``?VAR`` holds each relation node) and
:func:`cstograph.query.graded.run_named` keeps the rows whose relations the index grades in
the window, by the one rule every command uses (:func:`cstograph.temporal.grade`), and adds
their ``grade``. ``# graded: ?VAR changes YEAR1 YEAR2`` compares two years instead, as
``cstograph diff`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cstograph.errors import InputError

__all__ = ["NamedQuery", "Param", "named_queries"]

_GRADED = re.compile(r"#\s*graded:\s*((?:\?\w+\s*)+?)(?:\s*changes\s+(\w+)\s+(\w+))?\s*$")
_PARAM = re.compile(
    r"#\s*param\s+(\w+):\s*(entity|year|date|text)\s*\((required|optional)\)\s*-\s*(.*)"
)


@dataclass(frozen=True)
class Param:
    """One parameter of a named query, bound as the variable ``?name``."""

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A shipped query: its name, description, parameters and text."""

    name: str
    description: str
    params: tuple[Param, ...]
    uses_window: bool
    text: str
    #: the variables holding the relation nodes the interval index grades (``# graded:``)
    graded: tuple[str, ...] = ()
    #: the two year parameters a ``changes`` query compares
    changes: tuple[str, str] | None = None

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise InputError(f"query {self.name} has no parameter {name!r} (parameters: {known})")


def _parse(name: str, text: str) -> NamedQuery:
    description: list[str] = []
    params = []
    uses_window = False
    graded: tuple[str, ...] = ()
    changes = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM.match(line)
        grading = _GRADED.match(line)
        if grading:
            graded = tuple(v.lstrip("?") for v in grading.group(1).split())
            if grading.group(2):
                changes = (grading.group(2), grading.group(3))
        elif match:
            pname, ptype, required, pdesc = match.groups()
            params.append(Param(pname, ptype, required == "required", pdesc.strip()))
        elif line.lstrip("# ").startswith("window:"):
            uses_window = True
        else:
            description.append(line.lstrip("#").strip())
    return NamedQuery(
        name, " ".join(description), tuple(params), uses_window, text, graded, changes
    )


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every shipped named query by name.

    Examples
    --------
    >>> "members-in-year" in named_queries()
    True
    >>> named_queries()["members-in-year"].params[0].name
    'org'
    """
    folder = resources.files(__package__) / "queries"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name.removesuffix(".rq")
            found[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return found
