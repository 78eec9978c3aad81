"""Every exception cstograph raises on purpose, in one hierarchy; each knows its exit code.

Exit codes (the README's "Exit codes" table says the same):

- 0 (:attr:`ExitCode.OK`): success; for ``validate``, the graph conforms.
- 1 (:attr:`ExitCode.VIOLATIONS`): the graph does not conform (``validate``, and
  ``report``, which then writes nothing): :class:`NotValidError`.
- 2 (:attr:`ExitCode.BAD_INPUT`): the input cannot be used: a file that does not parse or
  does not exist, a broken or refused SPARQL query, an unknown entity or source, a bad date
  or range, a bad CSV row, an output extension we cannot write, a ``--store`` spec that does
  not parse or asks a store for what it cannot do, a bad option: :class:`InputError` and its
  subclasses (click's own usage errors exit 2 as well); a missing optional extra
  (:class:`MissingExtraError`).
- 3 (:attr:`ExitCode.STORE_FAILED`): a store, endpoint or server failed: an Oxigraph
  directory that is missing, locked or unreadable, an endpoint that does not answer, times
  out, returns an HTTP error or an answer that does not parse, an Oxigraph server that does
  not start or stops: :class:`StoreError`.

The hierarchy::

    CstographError
    ├── InputError                     2
    │   ├── DataFileError
    │   ├── QueryError
    │   ├── NetworkRefusedError
    │   ├── DateSpecError
    │   ├── RangeError
    │   ├── UnknownEntityError
    │   ├── UnknownSourceError
    │   ├── MissingExtraError          2 (also an ImportError)
    │   ├── CsvRowError
    │   ├── ExportFormatError
    │   ├── PlotFormatError
    │   └── StoreSpecError             2 (also a StoreError)
    ├── NotValidError                  1
    └── StoreError                     3
        ├── StaleTableError            3 (a store's relation table to rebuild)
        └── StoreSpecError

The command line turns any of them into ``Error: <one line>`` and the class's
:attr:`~CstographError.exit_code` (:mod:`cstograph.cli.command`); no traceback reaches the
user.

Examples
--------
>>> [int(cls.exit_code) for cls in (InputError, NotValidError, StoreError, StoreSpecError)]
[2, 1, 3, 2]
>>> isinstance(StoreSpecError("bad"), InputError), isinstance(StoreError("x"), InputError)
(True, False)
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

__all__ = [
    "CstographError",
    "CsvRowError",
    "DataFileError",
    "DateSpecError",
    "ExitCode",
    "ExportFormatError",
    "InputError",
    "MissingExtraError",
    "NetworkRefusedError",
    "NotValidError",
    "PlotFormatError",
    "QueryError",
    "RangeError",
    "StaleTableError",
    "StoreError",
    "StoreSpecError",
    "UnknownEntityError",
    "UnknownSourceError",
    "one_line",
]


class ExitCode(IntEnum):
    """The exit codes of the ``cstograph`` command."""

    OK = 0
    VIOLATIONS = 1
    BAD_INPUT = 2
    STORE_FAILED = 3


class CstographError(Exception):
    """Base class of every error cstograph raises on purpose."""

    #: What the command line exits with when this error ends a command.
    exit_code: ClassVar[int] = ExitCode.BAD_INPUT


# 2: the input cannot be used ------------------------------------------------------------------


class InputError(CstographError):
    """The user's input (a file, a query, an argument) cannot be used."""

    exit_code = ExitCode.BAD_INPUT


class DataFileError(InputError):
    """An RDF file is missing or does not parse.

    Parameters
    ----------
    path
        The file.
    line
        The 1-based line the parser stopped at, when it says.
    reason
        The parser's message.
    """

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class QueryError(InputError):
    """A SPARQL query does not parse, or cannot be evaluated."""


class NetworkRefusedError(InputError):
    """Something would reach the network (SERVICE, FROM <url>, a remote context) and the
    user did not allow it."""


class DateSpecError(InputError):
    """A date or time window given by the user cannot be understood (raised by
    :mod:`cstograph.temporal`)."""


class RangeError(InputError):
    """A year range that cannot be swept (start after end, or outside 1..9998)."""


class UnknownEntityError(InputError):
    """A name that matches no entity, or more than one (raised by ``History.resolve``)."""


class UnknownSourceError(InputError):
    """A name that matches no source document, or more than one (``cstograph source``), or
    a source kind the graph does not have."""


class CsvRowError(InputError):
    """A CSV row that cannot become a relation; the message names the file and row."""


class ExportFormatError(InputError):
    """A file extension or export format we cannot write."""


class PlotFormatError(InputError):
    """A diagram file extension that does not fit the kind of diagram."""


class MissingExtraError(InputError, ImportError):
    """A feature needs an optional extra that is not installed (``to_frame`` needs pandas:
    ``pip install 'cstograph[frames]'``); the message names the extra."""


# 1: the graph does not conform ----------------------------------------------------------------


class NotValidError(CstographError):
    """The graph does not conform to the shapes and queries: nothing is written."""

    exit_code = ExitCode.VIOLATIONS


# 3: a store, endpoint or server failed --------------------------------------------------------


class StoreError(CstographError):
    """A store, endpoint or server failed: a missing, locked or unreadable Oxigraph
    directory, an endpoint that does not answer, times out, returns an HTTP error or an
    answer that does not parse, an Oxigraph server that does not start or stops."""

    exit_code = ExitCode.STORE_FAILED


class StoreSpecError(InputError, StoreError):
    """A ``--store`` spec that does not parse, or a store asked for what it cannot do (load
    into the memory store, add ``--data`` files to a stored graph, serve an endpoint).

    Bad input (exit code 2), though about a store: ``except StoreError`` catches it too.
    """

    exit_code = ExitCode.BAD_INPUT


def one_line(exc: BaseException) -> str:
    """``exc`` as one line of text, for an error message.

    Examples
    --------
    >>> one_line(OSError("disk   full")), one_line(TimeoutError())
    ('disk full', 'TimeoutError')
    """
    return " ".join(str(exc).split()) or type(exc).__name__


class StaleTableError(StoreError):
    """A store's relation table is missing, of another version, unreadable, or built from
    another state of the store than the one expected (exit code 3)."""
