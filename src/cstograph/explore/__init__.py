"""The explorer: one self-contained HTML file to browse the record year by year.

:func:`explorer_html` and :func:`write_explorer` make the page; :mod:`.data` decides what it
shows (with the project's time rule, roles, coverage statements and conflicts), :mod:`.layout`
fixes the network's positions, :mod:`.page` inlines the vendored libraries (``vendor/``,
pinned, with their licences) and the page's own script and style (``assets/``).
"""

from __future__ import annotations

from cstograph.explore.page import explorer_html, write_explorer

__all__ = ["explorer_html", "write_explorer"]
