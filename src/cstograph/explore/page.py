"""The explorer as one HTML file: :func:`explorer_html` and :func:`write_explorer`.

The page is the template ``assets/explorer.html`` with everything inline: the vendored
libraries (``vendor/``, pinned in ``vendor/VERSIONS``, refreshed by ``make vendor-js``), the
page's own script and style (``assets/``) and the data of
:func:`cstograph.explore.data.explorer_data` as a JSON block. Its Content-Security-Policy
allows nothing from anywhere (``default-src 'none'``) but these scripts, each by its SHA-256
hash, inline styles and ``data:`` images, so the file opened from disk cannot reach the
network even if a library tried.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

from cstograph.index.history import History

__all__ = ["LIBRARIES", "csp", "explorer_html", "render_page", "write_explorer"]

#: The vendored scripts, in load order.
#: vis-network comes last: its ``vis.DataSet`` is the one the page uses.
LIBRARIES = ("vis-timeline-graph2d.min.js", "vis-network.min.js")


def _asset(*parts: str) -> str:
    return resources.files("cstograph.explore").joinpath(*parts).read_text(encoding="utf-8")


def versions() -> dict[str, str]:
    """The pinned version of each vendored library (from ``vendor/VERSIONS``).

    Examples
    --------
    >>> sorted(versions())
    ['vis-network', 'vis-timeline']
    """
    found = {}
    for line in _asset("vendor", "VERSIONS").splitlines():
        if line.strip():
            name, version = line.split()[0].rsplit("@", 1)
            found[name] = version
    return found


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def csp(scripts: list[str]) -> str:
    """The page's Content-Security-Policy: nothing but these inline scripts (by hash),
    inline styles and ``data:`` images.

    Examples
    --------
    >>> csp(["1"]).split("; ")[:2]
    ["default-src 'none'", "script-src 'sha256-a4ayc/80/OGda4BO/1o/V0etpOqiLx1JwB5S3beHW0s='"]
    """
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_hash(s) for s in scripts),
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _inline_json(data: dict[str, Any]) -> str:
    """JSON that cannot close its ``<script>`` block (every ``<`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace("&", "\\u0026")


def render_page(data: dict[str, Any]) -> str:
    """The explorer page for ``data`` (as :func:`cstograph.explore.data.explorer_data`
    makes it)."""
    scripts = [_asset("vendor", name) for name in LIBRARIES] + [_asset("assets", "explorer.js")]
    for script in scripts:
        if "</script" in script.lower():
            raise ValueError("an inline script contains '</script'")
    pinned = versions()
    first, last = data["span"]
    fields = {
        "csp": csp(scripts),
        "version": str(data["version"]),
        "first": str(first),
        "last": str(last),
        "vis_css": _asset("vendor", "vis-timeline-graph2d.min.css"),
        "css": _asset("assets", "explorer.css"),
        "vis_network": pinned["vis-network"],
        "vis_timeline": pinned["vis-timeline"],
        "data": _inline_json(data),
        "scripts": "\n".join(f"<script>{s}</script>" for s in scripts),
    }
    page = _asset("assets", "explorer.html")
    # one pass, so a placeholder-like text inside an inserted value is never replaced
    parts = page.split("{{")
    out = [parts[0]]
    for part in parts[1:]:
        name, _, rest = part.partition("}}")
        out.append(fields[name] + rest)
    return "".join(out)


def explorer_html(history: History) -> str:
    """The explorer of ``history`` as one self-contained HTML page.

    An index of every claim (``build_index(..., claims="all")``) lets the page list each
    conflict with all its sides; the network and the timeline draw the preferred claims.
    """
    from cstograph.explore.data import explorer_data

    return render_page(explorer_data(history))


def write_explorer(history: History, out: Path | str) -> Path:
    """Write :func:`explorer_html` to ``out`` atomically (see :mod:`cstograph.io.files`)."""
    from cstograph.io.files import write_text_atomic

    return write_text_atomic(out, explorer_html(history))
