"""Diagrams: the network of a year, a membership timeline, small multiples, an animation, and
metrics over time, and :func:`draw`, which writes any of them to a file. matplotlib is imported
only inside these functions.

Every figure is built on a bare :class:`matplotlib.figure.Figure` (no pyplot, no GUI), reads
in greyscale (marker shapes, line styles and hatching carry each distinction, colour only
repeats it) and is deterministic: positions come from a fixed layout shared by every year,
and :func:`save` writes SVG and PDF without dates and with a fixed hash salt.
Each drawn node collection has a ``gid`` starting ``nodes:`` and each timeline bar a ``gid``
starting ``bar:``, so tests can count what was drawn. The timeline itself is drawn by
:mod:`cstograph.viz.timeline`; the helpers every diagram shares are in
:mod:`cstograph.viz.style`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from cstograph.analysis.snapshot import data_span, snapshot
from cstograph.analysis.sweep import snapshots
from cstograph.errors import InputError, PlotFormatError
from cstograph.index.history import History
from cstograph.io.files import atomic_path
from cstograph.model.kinds import KINDS, Style
from cstograph.viz.style import new_figure, short_label
from cstograph.viz.timeline import timeline_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "NETWORK_KINDS",
    "check_extension",
    "draw",
    "drawn_kinds",
    "grid_figure",
    "layout",
    "metrics_figure",
    "network_figure",
    "save",
    "timeline_figure",
]

#: Relation kinds the network diagrams draw (those with a ``Kind.style``; offices link people,
#: not the alliance), as the kinds table had them at import; the diagrams read the table when
#: they draw (:func:`drawn_kinds`), so a kind registered later is drawn too.
NETWORK_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS if k.drawn)
FIGURE_FORMATS = (".png", ".svg", ".pdf")

# Node groups: (name, marker, face colour). Shapes differ, so colour is never needed.
_GROUPS: dict[str, tuple[str, str]] = {
    "state": ("o", "#f2f2f2"),
    "organization": ("s", "#4d4d4d"),
    "joint force": ("^", "#a6a6a6"),
    "base or unit": ("D", "#d9d9d9"),
    "other": ("P", "#ffffff"),
}
_ORGANIZATIONS = {"cst:Alliance", "cst:InternationalOrganization", "org:FormalOrganization"}
_FORCES = {"cst:JointForce", "cst:CommandStructure", "org:OrganizationalUnit"}


def drawn_kinds() -> list[tuple[str, Style]]:
    """The kinds the network diagrams draw and their styles, in drawing (and legend) order:
    by :attr:`Style.layer <cstograph.model.kinds.Style>`, then table order.

    Examples
    --------
    >>> [name for name, _ in drawn_kinds()][-1]
    'not-member-of'
    """
    styled = [(k.name, k.style) for k in KINDS if k.style is not None]
    return sorted(styled, key=lambda pair: pair[1].layer)


def _network_kinds() -> tuple[str, ...]:
    """The names of :func:`drawn_kinds`, in table order (what the snapshots select)."""
    return tuple(k.name for k in KINDS if k.drawn)


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


# Layout --------------------------------------------------------------------------------------


def _group(data: dict[str, Any]) -> str:
    cls = data.get("class", "")
    if cls == "cst:State":
        return "state"
    if cls in _ORGANIZATIONS:
        return "organization"
    if cls in _FORCES:
        return "joint force"
    if data.get("type") and cls.startswith("cst:"):
        return "base or unit"
    return "other"


def layout(graph: nx.MultiDiGraph[str]) -> dict[str, tuple[float, float]]:
    """Fixed positions: members (states, then other members) on an outer ring, the
    organizations they belong to in the middle, joint forces between, bases and units just
    outside their host state.

    Computed from the union of all years, so a node keeps its place in every year.
    """
    hosting = {k.name for k in KINDS if k.hosting}
    members = {u for u, _, d in graph.edges(data=True) if d["kind"] not in hosting}
    hosts = {u for u, _, d in graph.edges(data=True) if d["kind"] in hosting}
    rings: dict[str, list[str]] = {"outer": [], "organization": [], "force": [], "base": []}
    for node, data in sorted(
        graph.nodes.items(), key=lambda nd: (_group(nd[1]) != "state", nd[1].get("label", ""))
    ):
        group = _group(data)
        if node in members or node in hosts or group == "state":
            rings["outer"].append(node)
        elif group == "organization":
            rings["organization"].append(node)
        elif group == "joint force":
            rings["force"].append(node)
        else:
            rings["base"].append(node)
    pos: dict[str, tuple[float, float]] = {}

    def ring(nodes: list[str], radius: float, turn: float = 0.0) -> None:
        for i, node in enumerate(nodes):
            angle = 2 * math.pi * i / max(len(nodes), 1) + turn + math.pi / 2
            pos[node] = (radius * math.cos(angle), radius * math.sin(angle))

    ring(rings["outer"], 1.0)
    ring(rings["organization"], 0.42, 0.3)
    ring(rings["force"], 0.72, 0.15)
    around: dict[str, list[str]] = {}
    for node in rings["base"]:
        found = sorted(u for u in graph.predecessors(node) if u in pos)
        around.setdefault(found[0] if found else "", []).append(node)
    for host, nodes in around.items():
        if not host:
            ring(nodes, 1.36, 0.05)
            continue
        x, y = pos[host]
        base_angle = math.atan2(y, x)
        for i, node in enumerate(nodes):
            angle = base_angle + (i - (len(nodes) - 1) / 2) * 0.075
            pos[node] = (1.36 * math.cos(angle), 1.36 * math.sin(angle))
    return pos


def _base_numbers(
    graph: nx.MultiDiGraph[str], pos: dict[str, tuple[float, float]]
) -> dict[str, str]:
    """Bases and units numbered clockwise from the top: diagrams label them by number and
    list the numbers in a key, since their names would overlap."""
    bases = [n for n, d in graph.nodes(data=True) if _group(d) == "base or unit"]
    bases.sort(key=lambda n: (-math.atan2(pos[n][0], pos[n][1]) % (2 * math.pi), n))
    bases.sort(key=lambda n: math.atan2(pos[n][0], pos[n][1]) % (2 * math.pi))
    return {n: str(i) for i, n in enumerate(bases, 1)}


# Network -------------------------------------------------------------------------------------


def _draw_network(
    ax: Axes,
    graph: nx.MultiDiGraph[str],
    pos: dict[str, tuple[float, float]],
    labels: dict[str, str] | None,
    title: str,
    small: bool = False,
) -> int:
    from matplotlib.collections import LineCollection

    ax.set_title(title, fontsize=8 if small else 12)
    for kind, style in drawn_kinds():
        pairs = sorted({(u, v) for u, v, d in graph.edges(data=True) if d["kind"] == kind})
        if pairs:
            segments = [[pos[u], pos[v]] for u, v in pairs]
            lines = LineCollection(
                segments,
                linestyles=[style.dash],
                linewidths=style.width * (0.6 if small else 1),
                colors=style.grey,
            )
            lines.set_gid(f"edges:{kind}")
            lines.set_zorder(1)
            ax.add_collection(lines)
    drawn = 0
    for group, (marker, face) in _GROUPS.items():
        nodes = sorted(n for n, d in graph.nodes(data=True) if _group(d) == group)
        if not nodes:
            continue
        size = {"state": 140, "organization": 160}.get(group, 70) * (0.35 if small else 1)
        points = ax.scatter(
            [pos[n][0] for n in nodes],
            [pos[n][1] for n in nodes],
            s=size,
            marker=marker,
            c=face,
            edgecolors="black",
            linewidths=0.8,
            zorder=3,
        )
        points.set_gid(f"nodes:{group}")
        drawn += len(nodes)
    for node in sorted(graph.nodes):
        if labels is None or node not in labels:
            continue
        x, y = pos[node]
        radius = math.hypot(x, y)
        group = _group(graph.nodes[node])
        if radius > 0.9:
            dx, dy = x / radius * 0.07, y / radius * 0.07
            ha = "left" if x > 0.05 else "right" if x < -0.05 else "center"
            va = "bottom" if y > 0.05 else "top" if y < -0.05 else "center"
        else:
            dx, dy, ha, va = 0.0, -0.06, "center", "top"
        fontsize = (5 if small else 7) if group == "base or unit" else (6 if small else 9)
        if group == "base or unit":
            dx, dy = x / radius * 0.05, y / radius * 0.05
        ax.text(
            x + dx,
            y + dy,
            labels[node],
            ha=ha,
            va=va,
            fontsize=fontsize,
            zorder=4,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set_xlim(-1.62, 1.62)
    ax.set_ylim(-1.55, 1.55)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return drawn


def _legend(fig: Figure, graph: nx.MultiDiGraph[str], *, ncols: int = 1) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [],
            [],
            marker=m,
            linestyle="none",
            markerfacecolor=f,
            markeredgecolor="black",
            markersize=8,
            label=g,
        )
        for g, (m, f) in _GROUPS.items()
        if any(_group(d) == g for _, d in graph.nodes(data=True))
    ]
    handles += [
        Line2D(
            [],
            [],
            linestyle=style.dash,
            linewidth=style.width,
            color=style.grey,
            label=style.legend,
        )
        for kind, style in drawn_kinds()
        if any(d["kind"] == kind for _, _, d in graph.edges(data=True))
    ]
    fig.legend(
        handles=handles, loc="outside lower center", ncols=max(ncols, 1), fontsize=8, frameon=False
    )


def _network_data(
    history: History, org: str | None
) -> tuple[nx.MultiDiGraph[str], dict[str, tuple[float, float]], dict[str, str]]:
    orgs = [org] if org else None
    union = snapshot(history, kinds=_network_kinds(), orgs=orgs)
    pos = layout(union)
    labels = {n: short_label(history, n) for n in union}
    labels.update(_base_numbers(union, pos))
    return union, pos, labels


def _base_key(key: Axes, union: nx.MultiDiGraph[str], labels: dict[str, str]) -> None:
    numbered = sorted(
        (
            (int(labels[n]), d["label"])
            for n, d in union.nodes(data=True)
            if _group(d) == "base or unit"
        ),
    )
    if numbered:
        text = "\n".join(f"{i:>2}  {label}" for i, label in numbered)
        key.set_axis_off()
        key.text(
            0.0,
            1.0,
            "Bases and units\n" + text,
            va="top",
            ha="left",
            fontsize=7,
            family="monospace",
        )


def _main_and_key(fig: Figure) -> tuple[Axes, Axes]:
    """The diagram's axes and, to its left, a narrow one for the key of numbered bases."""
    key, ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 3.6]})
    key.set_axis_off()
    return ax, key


def network_figure(history: History, year: int, *, org: str | None = None) -> Figure:
    """The network of one year: the relations possibly in effect during it.

    Examples
    --------
    >>> from cstograph import load
    >>> fig = network_figure(History(load()), 2007)
    >>> sum(len(c.get_offsets()) for c in fig.axes[1].collections
    ...     if (c.get_gid() or "").startswith("nodes:")) > 10
    True
    """
    union, pos, labels = _network_data(history, org)
    graph = snapshot(history, year=year, kinds=_network_kinds(), orgs=[org] if org else None)
    fig = new_figure(13, 10.5)
    ax, key = _main_and_key(fig)
    where = f" — {history.resolve(org).label}" if org else ""
    _draw_network(ax, graph, pos, labels, f"Alliances, forces and bases during {year}{where}")
    _legend(fig, union, ncols=5)
    _base_key(key, union, labels)
    return fig


def _grid_years(start: int, end: int, most: int = 12) -> list[int]:
    if end - start + 1 <= most:
        return list(range(start, end + 1))
    step = (end - start) / (most - 1)
    return sorted({round(start + i * step) for i in range(most)})


def grid_figure(history: History, start: int, end: int, *, org: str | None = None) -> Figure:
    """Small multiples of the network, at most 12 years from ``start`` to ``end``."""
    union, pos, labels = _network_data(history, org)
    years = _grid_years(start, end)
    wanted = set(years)
    columns = min(4, len(years))
    rows = math.ceil(len(years) / columns)
    fig = new_figure(4.2 * columns, 4.3 * rows + 0.6)
    state_labels = {n: text for n, text in labels.items() if _group(union.nodes[n]) == "state"}
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    index = 0
    for year, graph in snapshots(
        history, min(years), max(years), kinds=_network_kinds(), orgs=[org] if org else None
    ):
        if year in wanted:
            _draw_network(axes[index], graph, pos, state_labels, str(year), small=True)
            index += 1
    for ax in axes[index:]:
        ax.set_axis_off()
    _legend(fig, union, ncols=5)
    return fig


def animate(
    history: History, start: int, end: int, path: Path | str, *, org: str | None = None
) -> Path:
    """The network year by year as a GIF, one frame a year, from one sweep."""
    from matplotlib.animation import FuncAnimation, PillowWriter

    union, pos, labels = _network_data(history, org)
    frames = list(
        snapshots(history, start, end, kinds=_network_kinds(), orgs=[org] if org else None)
    )
    fig = new_figure(10.5, 8.5)
    ax, key = _main_and_key(fig)
    _legend(fig, union, ncols=5)
    _base_key(key, union, labels)

    def frame(i: int) -> list[Any]:
        ax.clear()
        year, graph = frames[i]
        _draw_network(ax, graph, pos, labels, f"During {year}")
        return []

    animation = FuncAnimation(fig, frame, frames=len(frames), blit=False, repeat=False)
    path = Path(path)
    with atomic_path(path, suffix=".gif") as temp:
        animation.save(temp, writer=PillowWriter(fps=1), dpi=80)
    return path


# Metrics -------------------------------------------------------------------------------------

DEFAULT_METRICS = ("members", "density", "russia_share")
_LINES = ["-", "--", ":", "-."]
_MARKS = ["o", "s", "^", "D", "v", "x", "P", "*"]


def metrics_figure(
    history: History,
    start: int,
    end: int,
    *,
    org: str | None = None,
    metrics: Sequence[str] | None = None,
) -> Figure:
    """Chosen metrics over time, one panel per metric, one line per entity (line style and
    marker differ per line)."""
    from cstograph.analysis.metrics import METRICS, metrics_table

    chosen = list(metrics or DEFAULT_METRICS)
    rows = metrics_table(history, start, end, org=org, metrics=chosen)
    definitions = {m.name: m.definition for m in METRICS}
    fig = new_figure(10, 2.6 * len(chosen) + 0.4)
    axes = fig.subplots(len(chosen), 1, sharex=True, squeeze=False).ravel()
    for ax, name in zip(axes, chosen, strict=True):
        series: dict[str, dict[int, float]] = {}
        for row in rows:
            if row["metric"] == name:
                series.setdefault(row["entity"] or name, {})[row["year"]] = row["value"]
        for i, (entity, values) in enumerate(sorted(series.items())):
            years = list(range(start, end + 1))
            ax.plot(
                years,
                [values.get(y, 0) for y in years],
                label=entity,
                linestyle=_LINES[i % len(_LINES)],
                marker=_MARKS[(i + i // len(_LINES)) % len(_MARKS)],
                markersize=3.5,
                color="black" if i % 2 == 0 else "#666666",
                linewidth=1,
            )
        ax.set_title(f"{name}: {definitions[name]}", fontsize=8, loc="left", wrap=True)
        ax.grid(color="#dddddd", linewidth=0.5)
        if len(series) > 1:
            ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    axes[-1].set_xlabel("year")
    return fig


# The command's entry point -------------------------------------------------------------------


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
    """Draw a diagram of ``kind`` into ``path`` (see ``cstograph plot --help``)."""
    check_extension(kind, path)
    if kind == "animate":
        return animate(history, start, end, path, org=org)
    if kind == "network":
        fig = network_figure(history, year if year is not None else end, org=org)
    elif kind == "grid":
        fig = grid_figure(history, start, end, org=org)
    elif kind == "timeline":
        fig = timeline_figure(history, start, end, org=org or _default_org(history))
    elif kind == "metrics":
        fig = metrics_figure(history, start, end, org=org, metrics=metrics)
    else:
        raise InputError(f"unknown diagram {kind!r}")
    return save(fig, path)
