"""Commands that build snapshots, metrics, exports, diagrams and the report.

Registered on the main group by :func:`register`. Like ``cli.py``, this module only parses
arguments, calls the library and prints; matplotlib is imported only inside the commands
that draw.
"""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
