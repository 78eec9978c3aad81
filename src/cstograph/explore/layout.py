"""Fixed positions for the explorer's network: one layout over every relation ever drawn,
so a node keeps its place in every year.

A force-directed layout (networkx's ``spring_layout``, seeded) over the union graph puts the
states of one bloc near the organizations they share, and a base between its host and the
state that uses it. The result is scaled into the square [-1, 1]² and rounded, so the page
is the same from run to run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import networkx as nx

__all__ = ["SEED", "stable_layout"]

#: The seed of the layout: change it and every node moves.
SEED = 20260

#: Spring strength by the kind of edge: memberships pull hardest, stated non-memberships
#: barely (they link a state to a bloc it is not in).
_WEIGHTS = {
    "member-of": 1.0,
    "contributes-to-force": 0.6,
    "hosts-base": 1.5,
    "operates-base": 0.8,
    "holds-office": 1.2,
    "not-member-of": 0.05,
    "lineage": 0.8,
}
#: networkx's optimal distance between nodes (its default for ~90 nodes is about 0.1).
_SPACING = 0.25
#: The fisheye's power: below 1 spreads the focus's neighbourhood.
_FISHEYE = 0.45
#: The pull that keeps a separate component (a body with its own members only) in view.
_TETHER = 0.05


def stable_layout(
    nodes: Iterable[str], edges: Iterable[tuple[str, str, str]], *, focus: str | None = None
) -> dict[str, tuple[float, float]]:
    """Positions for ``nodes`` from ``edges`` (subject, object, kind), in [-1, 1]².

    The neighbourhood of ``focus`` (default: the node with the most and strongest links) is
    spread out by a fisheye, so the crowded middle reads and distant blocs take less room.

    Examples
    --------
    >>> pos = stable_layout(["a", "b", "c"], [("a", "b", "member-of"), ("c", "b", "member-of")])
    >>> sorted(pos) == ["a", "b", "c"] and all(-1 <= v <= 1 for p in pos.values() for v in p)
    True
    >>> stable_layout(["a", "b"], [("a", "b", "member-of")]) == stable_layout(
    ...     ["b", "a"], [("a", "b", "member-of")])
    True
    """
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(sorted(set(nodes)))
    weights: dict[tuple[str, str], float] = {}
    for u, v, kind in edges:
        if u == v:
            continue
        key = (min(u, v), max(u, v))
        weights[key] = weights.get(key, 0.0) + _WEIGHTS.get(kind, 0.5)
    for (u, v), weight in sorted(weights.items()):
        graph.add_edge(u, v, weight=weight)
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() == 1:
        return {next(iter(graph.nodes)): (0.0, 0.0)}
    # a separate component would drift to the edge and squeeze the rest: tie each one's
    # best-connected node to the largest component's
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    hubs = [max(sorted(c), key=lambda n: graph.degree(n, weight="weight")) for c in components]
    for hub in hubs[1:]:
        graph.add_edge(hubs[0], hub, weight=_TETHER)
    raw = nx.spring_layout(graph, weight="weight", seed=SEED, iterations=400, k=_SPACING)
    points = {str(n): (float(p[0]), float(p[1])) for n, p in raw.items()}
    centre = points[focus] if focus is not None and focus in points else points[str(hubs[0])]
    points = _fisheye(points, centre)
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    square = {node: ((p[0] - cx) / half, (p[1] - cy) / half) for node, p in points.items()}
    square = _apart(square)
    return {node: (round(p[0], 4), round(p[1], 4)) for node, p in sorted(square.items())}


def _apart(
    points: dict[str, tuple[float, float]], gap: float = 0.11, rounds: int = 80
) -> dict[str, tuple[float, float]]:
    """Push nodes closer than ``gap`` apart (half the shortfall each, in name order), so
    labels of neighbours do not sit on each other; kept inside [-1, 1]²."""
    moved = dict(points)
    names = sorted(moved)
    for _ in range(rounds):
        changed = False
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                (ax, ay), (bx, by) = moved[a], moved[b]
                d = math.dist((ax, ay), (bx, by))
                if d >= gap:
                    continue
                changed = True
                if d == 0:
                    ux, uy = 1.0, 0.0
                else:
                    ux, uy = (bx - ax) / d, (by - ay) / d
                push = (gap - d) / 2
                moved[a] = (_clamp(ax - ux * push), _clamp(ay - uy * push))
                moved[b] = (_clamp(bx + ux * push), _clamp(by + uy * push))
        if not changed:
            break
    return moved


def _clamp(value: float) -> float:
    return max(-1.0, min(1.0, value))


def _fisheye(
    points: dict[str, tuple[float, float]], centre: tuple[float, float]
) -> dict[str, tuple[float, float]]:
    """Spread the crowd around ``centre`` and draw the far nodes in: each node's distance
    from the centre raised to the power :data:`_FISHEYE` (order and direction kept)."""
    far = max(math.dist(p, centre) for p in points.values()) or 1.0
    moved = {}
    for node, (x, y) in points.items():
        d = math.dist((x, y), centre)
        if d == 0:
            moved[node] = (x, y)
            continue
        scale = far * (d / far) ** _FISHEYE / d
        moved[node] = (centre[0] + (x - centre[0]) * scale, centre[1] + (y - centre[1]) * scale)
    return moved
