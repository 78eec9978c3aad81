"""What every diagram shares: a bare figure to draw on and labels short enough to fit.

matplotlib is imported only inside these functions.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from cstograph.index.history import History
from cstograph.model.terms import SKOS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["new_figure", "short_label"]


def new_figure(width: float, height: float) -> Figure:
    """A bare constrained-layout figure of ``width`` × ``height`` inches on an Agg canvas (no
    pyplot, no GUI)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def short_label(history: History, entity_id: str) -> str:
    """A label that fits a diagram: the shortest Latin acronym among the alternative labels
    (``CSTO``, not ``ОДКБ``), else the label wrapped at 18 characters."""
    node = history.iri(entity_id)
    label = history.label(node)
    acronyms = sorted(
        (
            str(a)
            for a in history.graph.objects(node, SKOS.altLabel)
            if str(a).isupper() and str(a).isascii() and getattr(a, "language", None) != "ru"
        ),
        key=lambda text: (len(text), text),
    )
    if acronyms and len(label) > 12:
        return acronyms[0]
    return "\n".join(textwrap.wrap(textwrap.shorten(label, 48, placeholder="…"), 20)) or label
