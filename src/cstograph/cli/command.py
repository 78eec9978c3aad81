"""The command line's one error translator.

Every ``cstograph`` command is a :class:`Command` (``@click.command(cls=Command)``; the
group makes its own commands so), which turns a :class:`~cstograph.errors.CstographError`
into ``Error: <one line>`` on standard error and the error's exit code (see
:mod:`cstograph.errors`). Because the translation lives in the command, not in the group,
a command behaves the same on any click group it is registered on.
"""

from __future__ import annotations

from typing import Any

import click

from cstograph.errors import CstographError

__all__ = ["Command"]


class _Failure(click.ClickException):
    """A library error as click shows it: ``Error: <one line>`` and the error's exit code."""

    def __init__(self, error: CstographError) -> None:
        super().__init__(str(error))
        self.exit_code = int(error.exit_code)  # type: ignore[misc]  # click: a class variable


class Command(click.Command):
    """A click command whose library errors end it with one line and their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CstographError as error:
            raise _Failure(error) from None
