"""The text of a SPARQL query as tokens: finding ``SERVICE`` and binding variables in the text
itself, so that every engine (rdflib in memory, Oxigraph, an endpoint) runs the same query.

One meaning for ``--param`` on every store
------------------------------------------
A bound variable is given its value by a ``VALUES`` block that opens every group graph pattern
mentioning it: the WHERE clause, a subquery's WHERE clause, ``OPTIONAL``, ``MINUS``,
``FILTER EXISTS`` / ``NOT EXISTS`` and ``UNION`` branches, ``GRAPH`` groups. Inside each of them
the variable then holds the value as if it had been written there, which is what rdflib's
``initBindings`` does in memory and what a VALUES block at the top alone does not do on
Oxigraph (a subquery is evaluated first, without it). Both engines get this same text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib.term import Identifier

from cstograph.errors import QueryError

__all__ = [
    "VARNAME",
    "Token",
    "expand_escapes",
    "inject_values",
    "is_variable_name",
    "services",
    "tokens",
]

_PN_CHARS_U = (
    "A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_VARNAME_TEXT = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
#: A SPARQL variable name (the VARNAME production of SPARQL 1.1), without ``?``.
VARNAME = re.compile(_VARNAME_TEXT)
_VARIABLE = re.compile(f"[?$]({_VARNAME_TEXT})")
_WORD = re.compile(r"[\w:][\w\-.:%\\]*")
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")
_LONG_QUOTES = ('"""', "'''")


def is_variable_name(name: str) -> bool:
    """Whether ``name`` is a SPARQL variable name (what may follow ``?``).

    Examples
    --------
    >>> is_variable_name("org"), is_variable_name("year1"), is_variable_name("org) {")
    (True, True, False)
    """
    return VARNAME.fullmatch(name) is not None


def expand_escapes(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by the characters they stand for, as SPARQL
    engines do before they parse a query (``\\u0053ERVICE`` is ``SERVICE``).

    Examples
    --------
    >>> expand_escapes("\\\\u0053ERVICE")
    'SERVICE'
    """

    def one(match: re.Match[str]) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except (ValueError, OverflowError):
            return match.group(0)

    return _ESCAPE.sub(one, text)


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is ``var`` (``text`` is the name, without ``?``), ``word`` (a
    keyword, a prefixed name, a number), ``iri``, ``string`` or ``punct`` (one character)."""

    kind: str
    text: str
    start: int
    end: int


def _string_end(text: str, i: int) -> int:
    quote = text[i : i + 3] if text[i : i + 3] in _LONG_QUOTES else text[i]
    j, n = i + len(quote), len(text)
    while j < n and text[j : j + len(quote)] != quote:
        if len(quote) == 1 and text[j] in "\r\n":
            return j  # a short string ends at the line: a syntax error either way
        j += 2 if text[j] == "\\" else 1
    return min(n, j + len(quote))


def tokens(text: str) -> list[Token]:
    """The tokens of a SPARQL query, comments and white space left out.

    Strings, IRIs, comments and variables are recognized as SPARQL's grammar defines them,
    so nothing inside a string, an IRI or a comment is taken for a keyword, and no keyword
    outside them is missed (``ex:SERVICE`` and ``?SERVICE`` are not the keyword).

    Examples
    --------
    >>> [t.text for t in tokens('SELECT ?x { ?x rdfs:label "SERVICE" } # SERVICE')]
    ['SELECT', 'x', '{', 'x', 'rdfs:label', '"SERVICE"', '}']
    """
    found: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "#":
            while i < n and text[i] not in "\r\n":
                i += 1
            continue
        if c in "\"'":
            j = _string_end(text, i)
            found.append(Token("string", text[i:j], i, j))
            i = j
            continue
        match = (
            _IRI.match(text, i)
            if c == "<"
            else _VARIABLE.match(text, i)
            if c in "?$"
            else _WORD.match(text, i)
        )
        if match is not None:
            kind = "iri" if c == "<" else "var" if c in "?$" else "word"
            value = match.group(1) if kind == "var" else match.group(0)
            end = match.end()
            if kind == "word":
                value = value.rstrip(".")  # a dot after a name ends the triple
                end = i + len(value)
            found.append(Token(kind, value, i, end))
            i = end
            continue
        found.append(Token("punct", c, i, i + 1))
        i += 1
    return found


def _keyword(token: Token, *names: str) -> bool:
    return token.kind == "word" and ":" not in token.text and token.text.upper() in names


def _brace(token: Token, which: str) -> bool:
    return token.kind == "punct" and token.text == which


def services(text: str) -> list[str]:
    """What each ``SERVICE`` keyword of a query would call (an IRI, a prefixed name or a
    variable), looking at the text as written and with its ``\\u`` escapes expanded.

    Examples
    --------
    >>> services("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    ['<http://example.org/sparql>']
    >>> services('SELECT * { ?s rdfs:label "SERVICE <http://example.org/>" }')
    []
    """
    found = []
    for variant in dict.fromkeys((text, expand_escapes(text))):
        listed = tokens(variant)
        for i, token in enumerate(listed):
            if _keyword(token, "SERVICE"):
                rest = [t for t in listed[i + 1 : i + 3] if not _keyword(t, "SILENT")]
                target = rest[0] if rest else token
                found.append(f"?{target.text}" if target.kind == "var" else target.text)
    return list(dict.fromkeys(found))


def _closing(listed: list[Token], i: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``i`` (the last token if none)."""
    depth = 0
    for j in range(i, len(listed)):
        if _brace(listed[j], "{"):
            depth += 1
        elif _brace(listed[j], "}"):
            depth -= 1
            if depth == 0:
                return j
    return len(listed) - 1


def _group_openings(listed: list[Token]) -> list[tuple[int, int, int]]:
    """Each ``{`` that opens a group graph pattern, as (its token index, the first and the
    last token index of the text its variables are looked for in): the whole query for the
    top-level WHERE clause, the whole subquery for a subquery's WHERE clause, the group
    itself otherwise. CONSTRUCT templates, VALUES data blocks and the braces around a
    subquery are not groups.

    Raises
    ------
    QueryError
        ``CONSTRUCT WHERE { ... }`` (the short form has no group to bind in).
    """
    openings: list[tuple[int, int, int]] = []
    stack: list[tuple[str, int]] = []  # the enclosing braces: (kind, token index)
    i = 0
    while i < len(listed):
        token = listed[i]
        if _keyword(token, "VALUES"):
            # VALUES ?x { ... } or VALUES (?x ?y) { ... }: the data block is no group
            j = i + 1
            while j < len(listed) and not _brace(listed[j], "{"):
                j += 1
            i = _closing(listed, j) + 1 if j < len(listed) else j
            continue
        if _brace(token, "{"):
            before = listed[i - 1] if i else None
            after = listed[i + 1] if i + 1 < len(listed) else None
            if before is not None and _keyword(before, "CONSTRUCT"):
                kind = "template"
            elif after is not None and _keyword(after, "SELECT"):
                kind = "subquery"
            else:
                kind = "group"
                if (
                    before is not None
                    and _keyword(before, "WHERE")
                    and i >= 2
                    and _keyword(listed[i - 2], "CONSTRUCT")
                ):
                    raise QueryError(
                        "cannot bind variables in CONSTRUCT WHERE { ... }: "
                        "write CONSTRUCT { template } WHERE { pattern }"
                    )
                if not any(k != "template" for k, _ in stack):
                    first, last = 0, len(listed) - 1  # the top-level WHERE clause
                elif stack[-1][0] == "subquery":
                    first, last = stack[-1][1], _closing(listed, stack[-1][1])
                else:
                    first, last = i, _closing(listed, i)
                openings.append((i, first, last))
            stack.append((kind, i))
        elif _brace(token, "}") and stack:
            stack.pop()
        i += 1
    return openings


def inject_values(text: str, bindings: Mapping[str, Identifier]) -> str:
    """The query with ``bindings`` given as ``VALUES`` blocks (see the module docstring).

    The top-level WHERE clause gets every bound variable the query mentions anywhere; a
    group inside it gets those it mentions; variables the query never mentions are left
    out. ``\\u`` escapes are expanded first, as every engine does.

    Raises
    ------
    QueryError
        A name is not a SPARQL variable name, the query has no WHERE clause, or it assigns
        a bound variable itself (``BIND (... AS ?x)``, ``SELECT (... AS ?x)``).

    Examples
    --------
    >>> from rdflib import URIRef
    >>> inject_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": URIRef("https://example.org/x")})
    'SELECT ?s WHERE { VALUES (?o) { (<https://example.org/x>) } ?s ?p ?o }'
    >>> inject_values(
    ...     "SELECT ?s { { SELECT ?s { ?s ?p ?o } } FILTER NOT EXISTS { ?s a ?o } }",
    ...     {"o": URIRef("https://example.org/x")},
    ... ).count("VALUES")
    3
    """
    for name in bindings:
        if not is_variable_name(name):
            raise QueryError(f"cannot bind {name!r}: not a SPARQL variable name")
    if not bindings:
        return text
    text = expand_escapes(text)
    listed = tokens(text)
    mentioned = {t.text for t in listed if t.kind == "var"}
    wanted = [name for name in bindings if name in mentioned]
    for token, following in itertools.pairwise(listed):
        if _keyword(token, "AS") and following.kind == "var" and following.text in wanted:
            raise QueryError(
                f"the query assigns ?{following.text} itself (AS ?{following.text}): "
                "it cannot also be bound by a parameter"
            )
    openings = _group_openings(listed)
    if not openings:
        raise QueryError("cannot bind variables in this query: no WHERE clause found")
    inserts: list[tuple[int, str]] = []
    for index, first, last in openings:
        here = {t.text for t in listed[first : last + 1] if t.kind == "var"}
        names = [name for name in wanted if name in here]
        if names:
            variables = " ".join(f"?{name}" for name in names)
            values = " ".join(bindings[name].n3() for name in names)
            inserts.append((listed[index].end, f" VALUES ({variables}) {{ ({values}) }}"))
    for position, block in reversed(inserts):
        text = text[:position] + block + text[position:]
    return text
