"""One exception hierarchy; each error knows the exit code the command line reports.

Exit codes (documented in the README):

- 0: success; for ``validate``, the graph conforms.
- 1: ``validate`` found violations.
- 2: the input could not be used: a file that does not parse or does not exist, a broken
  or refused SPARQL query, an unknown entity, a bad date, a bad option.
"""

from __future__ import annotations


class CstographError(Exception):
    """Base class of every error cstograph raises on purpose."""

    exit_code = 2


class InputError(CstographError):
    """The user's input (a file, a query, an argument) cannot be used."""


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


class StoreError(InputError):
    """A store cannot be used: a bad ``--store`` spec, a missing or locked Oxigraph
    directory, an endpoint that does not answer, times out or returns an HTTP error, or
    an Oxigraph server that does not start."""


def one_line(exc: BaseException) -> str:
    """``exc`` as one line of text, for an error message.

    Examples
    --------
    >>> one_line(OSError("disk   full")), one_line(TimeoutError())
    ('disk full', 'TimeoutError')
    """
    return " ".join(str(exc).split()) or type(exc).__name__
