"""What every diagram shares: a bare figure to draw on, labels short enough to fit (and the
key that spells them out), and one style per role, grade and event type.

matplotlib is imported only inside these functions.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from cstograph.index.history import History
from cstograph.model.terms import SKOS

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

__all__ = [
    "EVENT_MARKERS",
    "GRADE_ALPHA",
    "GRADE_DASH",
    "OKABE_ITO",
    "ROLES",
    "RoleStyle",
    "abbreviation_key",
    "event_marker",
    "new_figure",
    "role_style",
    "short_label",
]


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


# Roles, grades and events: one meaning for every figure -------------------------------------

#: The Okabe-Ito palette (colour-blind safe), by name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}


@dataclass(frozen=True)
class RoleStyle:
    """How every figure draws a role: fill colour (Okabe-Ito), hatch (so greyscale reads),
    a marker for network edges (``""``: none, the plain line says it), line width, and the
    order roles are listed in keys."""

    colour: str
    hatch: str
    marker: str
    width: float
    order: int


#: Roles by their label in the ontology (``Relation.role``); ``"member"`` for a relation
#: of a kind without roles.
ROLES: dict[str, RoleStyle] = {
    "full member": RoleStyle(OKABE_ITO["blue"], "", "", 1.6, 0),
    "party/signatory": RoleStyle(OKABE_ITO["sky blue"], "", "", 1.2, 1),
    "associate member": RoleStyle(OKABE_ITO["bluish green"], "///", "s", 1.2, 2),
    "observer": RoleStyle(OKABE_ITO["yellow"], "...", "o", 1.0, 3),
    "partner": RoleStyle(OKABE_ITO["orange"], "\\\\\\", "^", 1.0, 4),
    "suspended": RoleStyle(OKABE_ITO["vermillion"], "xx", "X", 1.2, 5),
    "participation frozen": RoleStyle(OKABE_ITO["reddish purple"], "++", "P", 1.2, 6),
    "standing contributor": RoleStyle("#555555", "", "", 1.1, 7),
    "ad hoc contributor": RoleStyle("#999999", "", "d", 1.0, 8),
    "member": RoleStyle("#777777", "", "", 1.1, 9),
}
_OTHER_ROLE = RoleStyle("#bbbbbb", "--", "*", 1.0, 10)


def role_style(role: str | None) -> RoleStyle:
    """The style of a role label (an unknown role gets a grey dashed one, never a full
    member's).

    Examples
    --------
    >>> role_style("suspended").colour, role_style(None) == ROLES["member"]
    ('#D55E00', True)
    """
    return ROLES.get(role or "member", _OTHER_ROLE)


def role_patches(roles: Iterable[str]) -> list[Patch]:
    """Legend entries for roles, in the roles' order: the fill and hatch cells and bars
    are drawn with."""
    from matplotlib.patches import Patch

    return [
        Patch(
            facecolor=role_style(role).colour,
            hatch=role_style(role).hatch or None,
            edgecolor="black",
            label=role,
        )
        for role in sorted(set(roles), key=lambda r: role_style(r).order)
    ]


#: How sure a relation is in the year drawn (:class:`cstograph.temporal.Grade`): the line
#: style of network edges, the alpha of matrix cells.
GRADE_DASH: dict[str, Literal["-", "--", ":"]] = {
    "held": "-",
    "bounds imprecise": "--",
    "not excluded": ":",
}
GRADE_ALPHA: dict[str, float] = {"held": 1.0, "bounds imprecise": 0.45, "not excluded": 0.2}

#: One marker per event type (the ontology's class label), the same in every figure.
EVENT_MARKERS: dict[str, str] = {
    "founding": "o",
    "renaming or transformation": "p",
    "dissolution": "X",
    "treaty signing": "s",
    "decision": "D",
    "operation": "*",
    "statement": "^",
    "request for assistance": "v",
    "event": ".",
}


def event_marker(kind: str) -> str:
    """The marker of an event type (``"h"`` for a type the table lacks)."""
    return EVENT_MARKERS.get(kind, "h")


def abbreviation_key(history: History, ids: Iterable[str]) -> list[tuple[str, str]]:
    """``(short, full)`` for every id whose diagram label is not its full label: the key a
    figure prints so that no abbreviation is left unexplained (CRDF, EEU, CSTO PA, ...)."""
    found = {}
    for entity_id in ids:
        short = short_label(history, entity_id).replace("\n", " ")
        full = history.label(history.iri(entity_id))
        if short != full:
            found[short] = full
    return sorted(found.items())
