"""The network of a year, and the drawing the small multiples (:mod:`cstograph.viz.grid`)
and the animation (:mod:`cstograph.viz.animation`) share.

matplotlib is imported only inside these functions. The layout is bipartite, in three
columns a reader can follow: bases and units on the left (each labelled with the state
using it, beside its host), states in the middle, organizations and their joint forces on
the right (each force under its organization). Only relations in effect in the year by the
record's rule are drawn (:func:`cstograph.analysis.snapshot.snapshot`: held, or bounds
imprecise), and only kinds that tie their ends (``Style.tie``: a stated non-membership is
left out). A membership's edge has its role's colour, width and marker
(:data:`cstograph.viz.style.ROLES`), another kind's edge its own ``Kind.style``; the line
style is the grade (solid held, dashed bounds imprecise), so greyscale reads. Every
abbreviation drawn is spelt out in a key under the diagram.

Each node is a text with the ``gid`` ``node:GROUP:ID``; each edge collection has the
``gid`` ``edges:KIND:ROLE:GRADE`` (one segment per edge), so tests count what was drawn.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from cstograph.analysis.membership import focus_states
from cstograph.analysis.snapshot import snapshot
from cstograph.index.history import History
from cstograph.model.kinds import KINDS, Kind
from cstograph.model.terms import ORG
from cstograph.viz.style import (
    GRADE_DASH,
    abbreviation_key,
    new_figure,
    role_style,
    short_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "Layout",
    "draw_key",
    "draw_network",
    "group",
    "layout",
    "network_figure",
    "network_graph",
    "tie_kinds",
    "with_key",
]

_ORGANIZATIONS = {"cst:Alliance", "cst:InternationalOrganization", "org:FormalOrganization"}
_FORCES = {"cst:JointForce", "cst:CommandStructure", "org:OrganizationalUnit"}


def tie_kinds() -> list[Kind]:
    """The kinds the network draws: those with a style that tie their ends, table order."""
    return [k for k in KINDS if k.style is not None and k.style.tie]


def group(data: dict[str, Any]) -> str:
    """A node's column group: ``state``, ``organization``, ``joint force``, ``base or unit``."""
    cls = data.get("class", "")
    if cls == "cst:State":
        return "state"
    if cls in _ORGANIZATIONS:
        return "organization"
    if cls in _FORCES:
        return "joint force"
    return "base or unit" if cls.startswith("cst:") and cls != "cst:State" else "organization"


def network_graph(
    history: History,
    year: int,
    *,
    org: str | None = None,
    states: Iterable[str] | None = None,
) -> nx.MultiDiGraph[str]:
    """The relations drawn for ``year``: the snapshot of the tie kinds (with ``org``, only
    that organization and its units), and with ``states`` only the relations of those
    states (as member, contributor or host)."""
    graph = snapshot(
        history, year=year, kinds=[k.name for k in tie_kinds()], orgs=[org] if org else None
    ).copy()
    if states is not None:
        keep = set(states)
        graph.remove_edges_from([(u, v, k) for u, v, k in graph.edges(keys=True) if u not in keep])
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    return graph


class Layout:
    """Positions of the three columns, each column spread over the same height."""

    def __init__(self, history: History, graph: nx.MultiDiGraph[str]) -> None:
        hosting = {k.name for k in KINDS if k.hosting}
        states = sorted(
            (n for n, d in graph.nodes(data=True) if group(d) == "state"),
            key=lambda n: graph.nodes[n]["label"],
        )
        row = {n: i for i, n in enumerate(states)}
        self.pos: dict[str, tuple[float, float]] = {n: (1.0, -float(i)) for n, i in row.items()}

        def mean_row(node: str, ends: Iterable[str]) -> float:
            found = [row[e] for e in ends if e in row]
            return sum(found) / len(found) if found else len(row)

        # organizations by the mean row of their members, each force under its parent
        parents = {
            short: history.graph.value(history.iri(short), ORG.unitOf)
            for short, d in graph.nodes(data=True)
            if group(d) == "joint force"
        }
        orgs = [n for n, d in graph.nodes(data=True) if group(d) == "organization"]
        orgs.sort(key=lambda n: (mean_row(n, graph.predecessors(n)), n))
        column: list[str] = []
        for o in orgs:
            column.append(o)
            column += sorted(f for f, p in parents.items() if p == history.iri(o))
        column += sorted(f for f in parents if f not in column)
        bases = [
            n
            for n, d in graph.nodes(data=True)
            if group(d) == "base or unit"
            and any(e["kind"] in hosting for _, _, e in graph.in_edges(n, data=True))
        ]
        bases.sort(key=lambda n: (mean_row(n, graph.predecessors(n)), graph.nodes[n]["label"]))
        column_bases = bases + sorted(
            n for n, d in graph.nodes(data=True) if group(d) == "base or unit" and n not in bases
        )
        rows = len(states) or max(len(column), len(column_bases), 1)
        self.height = max(rows - 1, 1)  # every column is spread over the states' rows
        for nodes, x in ((column, 2.0), (column_bases, 0.0)):
            self._spread(nodes, x, rows)
        self.states, self.column, self.bases = states, column, column_bases

    def _spread(self, nodes: list[str], x: float, rows: int) -> None:
        if len(nodes) <= rows:  # centred on the states' rows
            top = (rows - len(nodes)) / 2
            for i, n in enumerate(nodes):
                self.pos[n] = (x, -(top + i))
        else:
            step = max(rows - 1, 1) / max(len(nodes) - 1, 1)
            for i, n in enumerate(nodes):
                self.pos[n] = (x, -i * step)


def layout(history: History, graph: nx.MultiDiGraph[str]) -> Layout:
    """The :class:`Layout` of ``graph`` (for several years, of their union)."""
    return Layout(history, graph)


def _edge_style(kind: Kind, role: str) -> tuple[str, float, str]:
    """Colour, width and marker of an edge."""
    if kind.role == "required" or role in ("standing contributor", "ad hoc contributor"):
        style = role_style(role or None)
        return style.colour, style.width, style.marker
    assert kind.style is not None
    return kind.style.grey, kind.style.width, ""


def draw_network(
    ax: Axes,
    history: History,
    graph: nx.MultiDiGraph[str],
    where: Layout,
    *,
    small: bool = False,
) -> None:
    from matplotlib.collections import LineCollection

    pos = where.pos
    kinds = {k.name: k for k in tie_kinds()}
    font = 7.5 if small else 9
    # Edges meet a state at a port beside its label, left (bases) or right (organizations),
    # at the same x for every state, so that no edge runs behind another state's label; a
    # grey stub joins each label to its ports.
    x_range = 3.8 if not small else 3.7
    axes_in = ax.get_position().width * ax.get_figure(root=True).get_figwidth()  # type: ignore[union-attr]
    longest = max((len(graph.nodes[n]["label"]) for n in where.states if n in graph), default=6)
    half = (longest * font / 72 * 0.62 / 2 + 0.08) * x_range / max(axes_in, 1.0)
    ports = {"left": 1.0 - half, "right": 1.0 + half}

    def end(node: str, toward: float) -> tuple[float, float]:
        x, y = pos[node]
        if x == 1.0:  # a state: its port on the side the edge leaves by
            return (ports["right"] if toward > 1.0 else ports["left"], y)
        return (x + 0.09 if toward > x else x - 0.09, y)

    used: dict[str, set[str]] = {}
    groups: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for u, v, d in graph.edges(data=True):
        if u in pos and v in pos and d["kind"] in kinds:
            groups.setdefault((d["kind"], d["role"], d["grade"]), []).append((u, v))
    for (kind, role, grade), pairs in sorted(groups.items()):
        colour, width, marker = _edge_style(kinds[kind], role)
        segments = []
        for u, v in sorted(pairs):
            a, b = end(u, pos[v][0]), end(v, pos[u][0])
            segments.append([a, b])  # from the subject (a state) to the object
            for node, other in ((u, v), (v, u)):
                if pos[node][0] == 1.0:
                    used.setdefault(node, set()).add("right" if pos[other][0] > 1 else "left")
        lines = LineCollection(
            segments,
            colors=colour,
            linewidths=width * (0.8 if small else 1.0),
            linestyles=GRADE_DASH.get(grade, ":"),
            zorder=2,
        )
        lines.set_gid(f"edges:{kind}:{role}:{grade}")
        ax.add_collection(lines)
        if marker:  # the role again, in shape, a third of the way from the state
            at = [(a[0] + (b[0] - a[0]) * 0.3, a[1] + (b[1] - a[1]) * 0.3) for a, b in segments]
            marks = ax.scatter(
                [p[0] for p in at],
                [p[1] for p in at],
                marker=marker,
                s=22 if small else 34,
                c=colour,
                edgecolors="black",
                linewidths=0.5,
                zorder=3,
            )
            marks.set_gid(f"rolemarks:{role}")
    stubs = [
        [(1.0, pos[n][1]), (ports[side], pos[n][1])]
        for n, sides in sorted(used.items())
        for side in sorted(sides)
    ]
    if stubs:
        ax.add_collection(LineCollection(stubs, colors="#999999", linewidths=0.8, zorder=1))
    operators = {v: d["operator"] for _, v, d in graph.edges(data=True) if d.get("operator")}
    for node, data in graph.nodes(data=True):
        if node not in pos:
            continue
        x, y = pos[node]
        kind = group(data)
        if kind == "state":
            text, style = data["label"], {"fc": "white", "ec": "black", "lw": 0.8}
            ha, weight, colour = "center", "normal", "black"
        elif kind == "base or unit":
            user = operators.get(node)
            label = textwrap.shorten(data["label"], 34 if small else 56, placeholder="…")
            if user:
                label += f" ({short_label(history, user).replace(chr(10), ' ')})"
            text, style = label, {"fc": "#f4f4f4", "ec": "#888888", "lw": 0.5}
            ha, weight, colour = "right", "normal", "black"
            x += 0.08
        else:
            text = "\n".join(textwrap.wrap(short_label(history, node).replace("\n", " "), 20))
            face = "#333333" if kind == "organization" else "#dddddd"
            style = {"fc": face, "ec": "black", "lw": 0.8}
            ha, weight = "left", "bold" if kind == "organization" else "normal"
            colour = "white" if kind == "organization" else "black"
            x -= 0.08
        artist = ax.text(
            x,
            y,
            text,
            ha=ha,
            va="center",
            fontsize=font if kind != "base or unit" else font - 1,
            color=colour,
            fontweight=weight,
            zorder=4,
            bbox={"boxstyle": "round,pad=0.25", **style},
        )
        artist.set_gid(f"node:{kind}:{node}")
    left = (-1.05 if not small else -0.95) if where.bases else 0.35  # no bases: no blank third
    ax.set_xlim(left, 2.75)
    ax.set_ylim(-where.height - 0.7, 0.7)
    ax.set_axis_off()


def draw_key(key_ax: Axes, history: History, graph: nx.MultiDiGraph[str]) -> None:
    """The key under a network: each edge style drawn, each grade, and every abbreviation
    spelt out."""
    from matplotlib.lines import Line2D

    kinds = {k.name: k for k in tie_kinds()}
    handles: list[Any] = []
    seen: set[tuple[str, str]] = set()
    for _, _, d in sorted(graph.edges(data=True), key=lambda e: role_style(e[2]["role"]).order):
        kind = kinds.get(d["kind"])
        if kind is None:
            continue
        named = d["role"] if kind.role == "required" or d["role"] else ""
        if (d["kind"], named) in seen:
            continue
        seen.add((d["kind"], named))
        colour, width, marker = _edge_style(kind, d["role"])
        assert kind.style is not None
        label = named or kind.style.legend
        if named and kind.role != "required":
            label = f"{kind.style.legend}: {named}"
        handles.append(
            Line2D([], [], color=colour, linewidth=width, marker=marker or None, label=label)
        )
    for grade in sorted({d["grade"] for _, _, d in graph.edges(data=True)}):
        handles.append(
            Line2D([], [], color="black", linestyle=GRADE_DASH.get(grade, ":"), label=grade)
        )
    key_ax.set_axis_off()
    if handles:
        key_ax.legend(handles=handles, loc="upper center", ncols=6, fontsize=8, frameon=False)
    spelt = abbreviation_key(
        history,
        [n for n, d in graph.nodes(data=True) if group(d) in ("organization", "joint force")],
    )
    if spelt:
        text = "   ".join(f"{short}: {full}" for short, full in spelt)
        key_ax.text(
            0.0,
            0.0,
            "\n".join(textwrap.wrap(text, 170)),
            fontsize=7.5,
            va="bottom",
            ha="left",
            transform=key_ax.transAxes,
        )
        key_ax.set_gid("key:" + " ".join(short for short, _ in spelt))


def with_key(
    fig: Figure, rows: int = 1, columns: int = 1, key: float = 1.2
) -> tuple[list[Axes], Axes]:
    """The figure's panels and, under them, an axes for the legend and key ``key`` inches
    tall."""
    height = fig.get_figheight()
    grid = fig.add_gridspec(rows + 1, columns, height_ratios=[(height - key) / rows] * rows + [key])
    panels = [fig.add_subplot(grid[r, c]) for r in range(rows) for c in range(columns)]
    return panels, fig.add_subplot(grid[rows, :])


def network_figure(
    history: History,
    year: int,
    *,
    org: str | None = None,
    states: Sequence[str] | None = None,
) -> Figure:
    """The network of one year: the relations in effect during it, in three columns.

    Without ``org`` or ``states``, the states of the CSTO and the Collective Security Treaty
    (:func:`~cstograph.analysis.membership.focus_states`) and everything they were in or
    hosted; with ``org``, that organization and its units with every state in them.

    Examples
    --------
    >>> from cstograph import load
    >>> fig = network_figure(History(load()), 2007)
    >>> sum(1 for t in fig.axes[0].texts if (t.get_gid() or "").startswith("node:state:"))
    9
    """
    if states is None and org is None:
        states = focus_states(history) or None
    graph = network_graph(history, year, org=org, states=states)
    where = layout(history, graph)
    fig = new_figure(11, 2.4 + 0.34 * (where.height + 1))
    [ax], key_ax = with_key(fig)
    from cstograph.index.notes import recorded_whole

    target = history.resolve(org) if org else None
    whom = target.label if target else "The CSTO's states"
    parts = ["bases they host (left)"] if where.bases else []
    parts.append("organizations and forces (right)")
    title = f"{whom} during {year}: {', '.join(parts)}"
    if target is not None and recorded_whole(history, target.id) is False:
        title += "\n(recorded in part: see the coverage notes)"
    ax.set_title(title, loc="left", fontsize=11)
    draw_network(ax, history, graph, where)
    draw_key(key_ax, history, graph)
    return fig
