"""CSV cells a spreadsheet will not run: a cell that starts like a formula gets a leading
apostrophe (the OWASP advice on CSV injection), and reading takes it off again.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with an
apostrophe first; so is one that already starts with an apostrophe followed by one of those
(or by another apostrophe), so that :func:`restore` gives back exactly what was written. A
number (``-5``, ``+1.5``) is left as it is: it cannot be a formula.

Examples
--------
>>> defuse("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> defuse("-12"), defuse("'s-Hertogenbosch")
('-12', "'s-Hertogenbosch")
>>> restore(defuse("'=1+1"))
"'=1+1"
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["FORMULA_STARTS", "defuse", "defuse_row", "restore"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def _guarded(cell: str) -> bool:
    """Whether ``cell`` starts with an apostrophe that :func:`defuse` would have added."""
    return len(cell) > 1 and cell[0] == "'" and (cell[1] == "'" or cell[1] in FORMULA_STARTS)


def defuse(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text, never runs it."""
    if _guarded(cell) or (cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell)):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The cell :func:`defuse` was given (other cells unchanged)."""
    return cell[1:] if _guarded(cell) else cell


def defuse_row(row: Iterable[Any]) -> list[Any]:
    """Each text cell of ``row`` defused; numbers and other values as they are."""
    return [defuse(c) if isinstance(c, str) else c for c in row]
