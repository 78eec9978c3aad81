"""Writing any diagram to a file: :func:`draw` (what ``cstograph plot`` and the report call),
:func:`save` (PNG, SVG or PDF, deterministic and atomic) and the extension check.

Each figure lives in its own module: :mod:`~cstograph.viz.matrix` (the membership matrix),
:mod:`~cstograph.viz.network` (the network of a year), :mod:`~cstograph.viz.grid` (small
multiples at the turning points), :mod:`~cstograph.viz.animation` (the GIF),
:mod:`~cstograph.viz.timeline` and :mod:`~cstograph.viz.metrics`; the styles every one
shares are in :mod:`~cstograph.viz.style`. matplotlib is imported only inside functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cstograph.analysis.snapshot import data_span
from cstograph.errors import InputError, PlotFormatError
from cstograph.index.history import History

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FIGURE_FORMATS", "PLOT_KINDS", "check_extension", "default_range", "draw", "save"]

FIGURE_FORMATS = (".png", ".svg", ".pdf")
#: The diagrams :func:`draw` draws.
PLOT_KINDS = ("matrix", "network", "timeline", "grid", "animate", "metrics")


def check_extension(kind: str, path: Path | str) -> str:
    """The output format for ``kind`` from the extension of ``path``.

    Examples
    --------
    >>> check_extension("network", "n.svg"), check_extension("animate", "a.gif")
    ('.svg', '.gif')
    """
    suffix = Path(path).suffix.lower()
    allowed = (".gif",) if kind == "animate" else FIGURE_FORMATS
    if suffix not in allowed:
        raise PlotFormatError(
            f"{path}: a {kind} diagram is written as {', '.join(allowed)}, not {suffix or '?'}"
        )
    return suffix


def save(fig: Figure, path: Path | str) -> Path:
    """Write ``fig`` as PNG, SVG or PDF (by extension), deterministically and atomically."""
    import matplotlib

    from cstograph.io.files import write_atomic

    suffix = check_extension("network", path)
    fmt = suffix[1:]
    metadata: dict[str, Any] = {
        ".svg": {"Date": None},
        ".pdf": {"CreationDate": None, "ModDate": None},
        ".png": {"Software": None},
    }[suffix]
    with matplotlib.rc_context({"svg.hashsalt": "cstograph", "pdf.compression": 6}):
        return write_atomic(
            path, lambda stream: fig.savefig(stream, format=fmt, metadata=metadata, dpi=150)
        )


def _default_org(history: History) -> str | None:
    """The CSTO when the graph has it: a timeline of every organization is too tall to read."""
    try:
        return history.resolve("cs:csto").id
    except InputError:
        return None


def default_range(history: History, start: int | None, end: int | None) -> tuple[int, int]:
    """``start`` and ``end``, each defaulting to the data's first and last year."""
    first, last = data_span(history)
    return (start if start is not None else first, end if end is not None else last)


def draw(
    kind: str,
    history: History,
    path: Path | str,
    *,
    year: int | None = None,
    start: int,
    end: int,
    org: str | None = None,
    metrics: Sequence[str] | None = None,
) -> Path:
    """Draw a diagram of ``kind`` (one of :data:`PLOT_KINDS`) into ``path`` (see
    ``cstograph plot --help``)."""
    check_extension(kind, path)
    if kind == "animate":
        from cstograph.viz.animation import animate

        return animate(history, start, end, path, org=org)
    if kind == "matrix":
        from cstograph.viz.matrix import matrix_figure

        org_id = history.resolve(org).id if org else None
        fig = matrix_figure(history, start, end, orgs=[org_id] if org_id else None)
    elif kind == "network":
        from cstograph.viz.network import network_figure

        fig = network_figure(history, year if year is not None else end, org=org)
    elif kind == "grid":
        from cstograph.viz.grid import grid_figure

        fig = grid_figure(history, start, end, org=org)
    elif kind == "timeline":
        from cstograph.viz.timeline import timeline_figure

        fig = timeline_figure(history, start, end, org=org or _default_org(history))
    elif kind == "metrics":
        from cstograph.viz.metrics import metrics_figure

        fig = metrics_figure(history, start, end, org=org, metrics=metrics)
    else:
        raise InputError(f"unknown diagram {kind!r}")
    return save(fig, path)
