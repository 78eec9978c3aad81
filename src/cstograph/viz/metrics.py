"""Metrics over time: one panel per metric; a metric with many series (members per
organization) as small multiples, one small panel per entity.

matplotlib is imported only inside these functions. Lines use the Okabe-Ito palette and
differ in line style and marker too, so greyscale reads; each line is labelled at its end
(no legend to look up). A year without a value is a gap, not a zero: an organization is
drawn only over the years it existed (:func:`cstograph.analysis.membership.organization_life`).
Axes start at zero. Each line has the gid ``series:METRIC:ENTITY``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cstograph.index.history import History
from cstograph.viz.style import OKABE_ITO, abbreviation_key, new_figure, short_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["DEFAULT_METRICS", "metrics_figure"]

DEFAULT_METRICS = ("members", "density", "russia_share")
_COLOURS = [c for name, c in OKABE_ITO.items() if name != "yellow"]
_LINES = ["-", "--", "-.", ":"]
_MARKS = ["o", "s", "^", "D", "v", "P", "X"]
#: More series than this: small multiples instead of lines in one panel.
MOST_LINES = 4


def _series(rows: list[dict[str, object]], name: str) -> dict[str, tuple[str, dict[int, float]]]:
    found: dict[str, tuple[str, dict[int, float]]] = {}
    for row in rows:
        if row["metric"] == name:
            key = str(row["id"] or name)
            label = str(row["entity"] or name)
            value = row["value"]
            assert isinstance(value, (int, float)) and isinstance(row["year"], int)
            found.setdefault(key, (label, {}))[1][row["year"]] = float(value)
    return found


def _line(
    ax: Axes,
    metric: str,
    key: str,
    label: str,
    values: dict[int, float],
    years: list[int],
    i: int,
    *,
    direct: bool,
) -> None:
    ys = [values.get(y, math.nan) for y in years]
    (line,) = ax.plot(
        years,
        ys,
        color=_COLOURS[i % len(_COLOURS)],
        linestyle=_LINES[i % len(_LINES)],
        marker=_MARKS[i % len(_MARKS)],
        markersize=3,
        markevery=5,
        linewidth=1.4,
        label=label,
    )
    line.set_gid(f"series:{metric}:{key}")
    if direct:
        last = max((y for y in years if not math.isnan(values.get(y, math.nan))), default=None)
        if last is not None:
            ax.annotate(
                label,
                (last, values[last]),
                xytext=(4, 0),
                textcoords="offset points",
                fontsize=7,
                va="center",
                color=_COLOURS[i % len(_COLOURS)],
            )


def metrics_figure(
    history: History,
    start: int,
    end: int,
    *,
    org: str | None = None,
    metrics: Sequence[str] | None = None,
) -> Figure:
    """Chosen metrics over time. Values of an organization outside its life are gaps."""
    from cstograph.analysis.membership import organization_life
    from cstograph.analysis.metrics import METRICS, metrics_table
    from cstograph.index.notes import recorded_whole

    chosen = list(metrics or DEFAULT_METRICS)
    rows = metrics_table(history, start, end, org=org, metrics=chosen)
    definitions = {m.name: m.definition for m in METRICS}
    years = list(range(start, end + 1))
    series = {name: _series(rows, name) for name in chosen}
    for found in series.values():  # gaps where an organization did not exist
        for key, (_, values) in found.items():
            if key.startswith("cs:"):
                first, last = organization_life(history, key)
                for y in list(values):
                    if y < first or (last is not None and y > last):
                        del values[y]
    many = [n for n in chosen if len(series[n]) > MOST_LINES]
    few = [n for n in chosen if n not in many]
    grid_rows = {n: math.ceil(len(series[n]) / 4) for n in many}
    heights = [1.9 * grid_rows[n] + 0.5 for n in many] + [2.4 for _ in few]
    named = sorted({key for found in series.values() for key in found if key.startswith("cs:")})
    spelt = abbreviation_key(history, named)
    key_text = "\n".join(textwrap.wrap("   ".join(f"{a}: {b}" for a, b in spelt), 150))
    key_height = 0.2 + 0.14 * (key_text.count("\n") + 1) if spelt else 0.0
    fig = new_figure(10, sum(heights) + 0.4 + key_height)
    rows_of = [*heights, key_height] if spelt else heights
    outer = fig.subfigures(len(rows_of), 1, height_ratios=rows_of, squeeze=False).ravel()
    for sub, name in zip(outer, many + few, strict=False):
        found = series[name]
        sub.suptitle(f"{name}: {definitions[name]}", fontsize=8.5, x=0.01, ha="left")
        if name in many:
            count = len(found)
            axes = sub.subplots(grid_rows[name], 4, sharex=True, sharey=True, squeeze=False).ravel()
            top = max((v for _, vs in found.values() for v in vs.values()), default=1.0)
            for ax, (key, (label, values)) in zip(
                axes, sorted(found.items(), key=lambda kv: kv[1][0]), strict=False
            ):
                _line(ax, name, key, label, values, years, 0, direct=False)
                title = short_label(history, key) if key.startswith("cs:") else label
                if key.startswith("cs:") and recorded_whole(history, key) is False:
                    title += " (recorded in part)"
                ax.set_title(title.replace("\n", " "), fontsize=8)
                ax.set_ylim(0, top * 1.12 or 1)
                ax.set_xlim(start - 0.5, end + 0.5)
                ax.tick_params(labelsize=7)
                ax.grid(color="#e5e5e5", linewidth=0.5)
            for ax in axes[count:]:
                ax.set_axis_off()
        else:
            ax = sub.subplots()
            for i, (key, (label, values)) in enumerate(sorted(found.items())):
                _line(ax, name, key, label, values, years, i, direct=len(found) > 1)
            ax.set_ylim(
                bottom=0,
                top=max((v for _, vs in found.values() for v in vs.values()), default=1) * 1.15
                or 1,
            )
            ax.set_xlim(start - 0.5, end + (4 if len(found) > 1 else 0.5))
            ax.tick_params(labelsize=7)
            ax.grid(color="#e5e5e5", linewidth=0.5)
    if spelt:  # the panels are titled by abbreviation: spell each out
        key = outer[-1].text(0.01, 0.5, key_text, fontsize=7, va="center", ha="left")
        key.set_gid("key:" + " ".join(short for short, _ in spelt))
    return fig
