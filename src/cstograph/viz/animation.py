"""The network year by year as a GIF, one frame a year, in one fixed layout.

Not part of the report: a frame a second can be neither read nor printed, and the small
multiples at the turning points (:mod:`cstograph.viz.grid`) carry the changes. matplotlib
(and Pillow, its GIF writer) is imported only inside.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from cstograph.analysis.membership import focus_states
from cstograph.analysis.sweep import snapshots
from cstograph.index.history import History
from cstograph.io.files import atomic_path
from cstograph.viz.network import draw_key, draw_network, layout, network_graph, with_key
from cstograph.viz.style import new_figure

__all__ = ["animate"]


def animate(
    history: History, start: int, end: int, path: Path | str, *, org: str | None = None
) -> Path:
    """The network year by year as a GIF, one frame a year, in one fixed layout."""
    from matplotlib.animation import FuncAnimation, PillowWriter

    states = focus_states(history) or None if org is None else None
    frames = [
        (year, network_graph(history, year, org=org, states=states))
        for year, _ in snapshots(history, start, end, kinds=["member-of"])
    ]
    union: nx.MultiDiGraph[str] = (
        nx.compose_all([g for _, g in frames]) if frames else nx.MultiDiGraph()
    )
    where = layout(history, union)
    fig = new_figure(11, 2.4 + 0.34 * (where.height + 1))
    [ax], key_ax = with_key(fig)
    draw_key(key_ax, history, union)

    def frame(i: int) -> list[Any]:
        ax.clear()
        year, graph = frames[i]
        ax.set_title(f"During {year}", loc="left", fontsize=14, fontweight="bold")
        draw_network(ax, history, graph, where, small=True)  # short base names: a frame has no room
        return []

    animation = FuncAnimation(fig, frame, frames=len(frames), blit=False, repeat=False)
    path = Path(path)
    with atomic_path(path, suffix=".gif") as temp:
        animation.save(temp, writer=PillowWriter(fps=1), dpi=80)
    return path
