"""The explorer page: what it is made of (Python) and what it does in a real browser.

The browser tests drive Debian's Chromium at /usr/bin/chromium (``make test`` installs it
when missing; nothing is downloaded at test time) through Playwright, with every request
that is not for a ``file:`` URL blocked and recorded: the page must make none.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cstograph.analysis.snapshot import snapshot
from cstograph.cli import cli
from cstograph.explore import explorer_html, write_explorer
from cstograph.explore.data import explorer_data
from cstograph.explore.page import LIBRARIES, versions
from cstograph.index.build import build_index
from cstograph.index.conflicts import find_conflicts
from cstograph.index.history import History

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def history() -> History:
    return build_index(claims="all")


@pytest.fixture(scope="module")
def preferred() -> History:
    return build_index()


@pytest.fixture(scope="module")
def data(history: History) -> dict:
    return explorer_data(history)


@pytest.fixture(scope="module")
def html(history: History) -> str:
    return explorer_html(history)


def _relations(data: dict, subject: str, obj: str) -> list[dict]:
    return [r for r in data["relations"] if r["s"] == subject and r["o"] == obj]


# What the page is made of ---------------------------------------------------------------------


def test_years_are_graded_by_the_project_rule(data):
    uzbekistan = _relations(data, "cs:uzbekistan", "cs:csto")
    preferred = {r["role"]: r["years"] for r in uzbekistan if r["preferred"] is not False}
    assert preferred["full member"] == [[2006, 2012, "h"]]
    assert preferred["suspended"] == [[2012, 2026, "h"]]
    # a bound known to the year only: bounds imprecise in that year, held before it
    (kant,) = [r for r in data["relations"] if r["id"] == "cs:basing-kant-air-base-2003-agreement"]
    assert kant["until"] == "2017" and kant["years"] == [[2003, 2016, "h"], [2017, 2017, "i"]]
    # "or later": not excluded in the years no source speaks of
    (attested,) = [r for r in uzbekistan if r["from"] == "2002-05 or later"]
    assert attested["years"] == [[2002, 2002, "i"], [2003, 2026, "n"]]


def test_positions_are_fixed_and_in_the_square(history, data):
    again = explorer_data(history)
    assert [(n["id"], n["x"], n["y"]) for n in again["nodes"]] == [
        (n["id"], n["x"], n["y"]) for n in data["nodes"]
    ]
    assert all(-1 <= n["x"] <= 1 and -1 <= n["y"] <= 1 for n in data["nodes"])
    drawn = {r["s"] for r in data["relations"]} | {r["to"] for r in data["relations"]}
    assert drawn <= {n["id"] for n in data["nodes"]}


def test_sources_coverage_scopes_and_conflicts(history, preferred, data):
    tass = [s for s in data["sources"] if s["id"] == "cs:source-tass-uzbekistan-suspended"]
    assert tass[0]["url"] == "http://tass.com/russia/687141"
    assert data["coverage"]["cs:nato"]["whole"] is False
    assert data["coverage"]["cs:csto"]["whole"] is True
    assert {"cs:cst", "cs:csto-crrf"} <= set(data["scopes"]["cs:csto"])
    assert len(data["conflicts"]) == len(find_conflicts(history))
    assert any(c["preferred"] is False for g in data["conflicts"] for c in g["claims"])
    # an index of the preferred claims only still marks the disputed ones
    only = explorer_data(preferred)
    assert only["conflicts"] == [] and any(r["disputed"] for r in only["relations"])


def test_one_file_with_a_strict_policy(html):
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    rules = dict(rule.split(" ", 1) for rule in policy.group(1).split("; "))
    assert rules["default-src"] == "'none'"
    assert "unsafe-inline" not in rules["script-src"] and "unsafe-eval" not in rules["script-src"]
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == len(LIBRARIES) + 1
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in rules["script-src"]
    # nothing is loaded from anywhere: no src= or stylesheet link outside the inline code
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", html)
    assert len(html.encode()) < 2_000_000


def test_vendored_versions_are_the_pinned_ones():
    makefile = (ROOT / "Makefile").read_text()
    pinned = dict(re.findall(r"^VIS_\w+ := ([\w-]+)@([\d.]+)$", makefile, re.MULTILINE))
    assert pinned == versions()
    vendor = ROOT / "src" / "cstograph" / "explore" / "vendor"
    for name in pinned:
        assert list(vendor.glob(f"{name}.LICENSE*")), f"no licence for {name}"


def test_explore_command(tmp_path):
    out = tmp_path / "explorer.html"
    result = CliRunner().invoke(cli, ["explore", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out} (") and out.read_text().startswith("<!doctype")
    bad = CliRunner().invoke(cli, ["explore", "--out", str(out), "--data", "missing.ttl"])
    assert bad.exit_code == 2 and "missing.ttl" in bad.output
    # from an on-disk store: the same page, byte for byte
    store = f"oxigraph:{tmp_path / 'store'}"
    assert CliRunner().invoke(cli, ["load", "--store", store]).exit_code == 0
    again = tmp_path / "from-store.html"
    result = CliRunner().invoke(cli, ["explore", "--store", store, "--out", str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == out.read_bytes()


# In a real browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_file(history, tmp_path_factory) -> Path:
    return write_explorer(history, tmp_path_factory.mktemp("explorer") / "explorer.html")


@pytest.fixture(scope="module")
def browser_context() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
        )
        yield context
        context.close()


class Opened:
    """A page of the explorer, with what it asked the network for and its errors."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.blocked: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def opened(browser_context, page_file) -> Iterator[Opened]:
    page = browser_context.new_page()
    seen = Opened(page)

    def route(route):
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            seen.blocked.append(url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.goto(page_file.as_uri())
    page.wait_for_function("() => window.cstograph && window.cstograph.ready")
    yield seen
    page.close()
    assert seen.blocked == [], "the page asked the network"
    assert seen.errors == []


def _slide_to(page, year: int) -> None:
    """Move the slider with the keyboard, as a reader would."""
    slider = page.locator("#year")
    slider.focus()
    current = int(slider.input_value())
    key = "ArrowRight" if year > current else "ArrowLeft"
    for _ in range(abs(year - current)):
        slider.press(key)
    assert page.locator("#year-label").inner_text() == str(year)


def _edges_between(page, subject: str, obj: str) -> list[dict]:
    return [e for e in page.evaluate(f"window.cstograph.edgesOf('{subject}')") if e["to"] == obj]


def test_the_slider_changes_who_is_a_member(opened, preferred):
    page = opened.page
    _slide_to(page, 2013)
    (suspended,) = _edges_between(page, "cs:uzbekistan", "cs:csto")
    assert suspended["role"] == "suspended" and suspended["colour"] == "#D55E00"
    _slide_to(page, 2008)
    (member,) = _edges_between(page, "cs:uzbekistan", "cs:csto")
    assert member["role"] == "full member" and member["colour"] == "#0072B2"
    assert member["dashes"] is False and member["grade"] == "h"
    _slide_to(page, 2004)  # outside: a stated non-member, drawn grey
    (outside,) = _edges_between(page, "cs:uzbekistan", "cs:csto")
    assert outside["kind"] == "not-member-of" and outside["colour"] == "#9a9a9a"
    page.uncheck("#kind-not-member-of")
    assert _edges_between(page, "cs:uzbekistan", "cs:csto") == []
    assert "cs:uzbekistan" in page.evaluate("window.cstograph.visibleNodes()")  # CIS, SCO ...
    # the card of the CSTO names its members of the year shown, as `members` does
    page.evaluate("window.cstograph.select('cs:csto')")
    for year in (2008, 2013):
        _slide_to(page, year)
        text = page.locator("#card p.members").inner_text()
        names = sorted(m.subject.label for m in preferred.members("CSTO", year=year))
        assert text == "Members: " + ", ".join(names)
        assert ("Uzbekistan" in text) is (year == 2008)


def test_play_runs_the_years(opened):
    page = opened.page
    first, last = page.evaluate("window.cstograph.span")
    page.click("#play")  # at the last year: starts again from the first
    page.wait_for_function(f"() => window.cstograph.year() > {first + 1}")
    page.click("#play")  # pause
    stopped = page.evaluate("window.cstograph.year()")
    page.wait_for_timeout(1000)
    assert page.evaluate("window.cstograph.year()") == stopped < last
    assert page.locator("#year-label").inner_text() == str(stopped)


def test_clicking_a_node_opens_its_card(opened):
    page = opened.page
    _slide_to(page, 2013)
    where = page.evaluate("window.cstograph.nodeViewport('cs:uzbekistan')")
    page.mouse.click(where["x"], where["y"])
    card = page.locator("#card")
    assert card.locator("h2").inner_text() == "Uzbekistan"
    text = card.inner_text()
    assert "During 2013" in text and "suspended" in text
    assert "Collective Security Treaty Organization" in text
    link = card.locator('a[href="http://tass.com/russia/687141"]')
    assert link.count() == 1 and "suspend" in link.inner_text()
    # a base: its host and the state using it, drawn and named
    _slide_to(page, 2010)
    where = page.evaluate("window.cstograph.nodeViewport('cs:kant-air-base')")
    page.mouse.click(where["x"], where["y"])
    assert card.locator("h2").inner_text() == "Kant air base"
    assert "Kyrgyzstan, used by Russia" in card.inner_text()
    users = page.evaluate("window.cstograph.userEdges()")
    assert any(
        e["from"] == "cs:russia"
        for e in page.evaluate("window.cstograph.edgesOf('cs:kant-air-base')")
    )
    assert users and all(e.endswith("|user") for e in users)


@pytest.mark.parametrize("year", [2008, 2022])
def test_the_organization_filter_shows_what_the_index_says(opened, preferred, data, year):
    page = opened.page
    _slide_to(page, year)
    page.select_option("#org", "cs:csto")
    expected = snapshot(preferred, year=year, orgs=["cs:csto"])
    assert len(page.evaluate("window.cstograph.visibleEdges()")) == expected.number_of_edges()
    # the same states (offices are drawn to the post's organization, not to the post)
    states = {n for n, a in expected.nodes(data=True) if a["class"] == "cst:State"}
    groups = {n["id"]: n["group"] for n in data["nodes"]}
    shown = page.evaluate("window.cstograph.visibleNodes()")
    assert {n for n in shown if groups[n] == "state"} == states
    summary = page.locator("#network-summary").inner_text()
    assert summary.startswith(f"During {year}: {expected.number_of_edges()} relations")
    # the kind filter and the "not excluded" switch, against the index too
    page.uncheck("#kind-contributes-to-force")
    kinds = [k for k in ("member-of", "not-member-of", "hosts-base", "holds-office")]
    fewer = snapshot(preferred, year=year, orgs=["cs:csto"], kinds=kinds)
    assert len(page.evaluate("window.cstograph.visibleEdges()")) == fewer.number_of_edges()
    page.check("#possible")
    more = snapshot(preferred, year=year, orgs=["cs:csto"], kinds=kinds, possible=True)
    assert len(page.evaluate("window.cstograph.visibleEdges()")) == more.number_of_edges()


def test_timeline_conflicts_and_coverage_are_shown(opened, history, data):
    page = opened.page
    page.select_option("#org", "cs:csto")
    scope = set(data["scopes"]["cs:csto"])
    expected = sorted(
        r["id"]
        for r in data["relations"]
        if r["kind"] in ("member-of", "not-member-of")
        and r["o"] in scope
        and any(run[2] != "n" for run in r["years"])
    )
    assert page.evaluate("window.cstograph.ganttItems()") == expected
    page.uncheck("#kind-not-member-of")  # the timeline follows the kind filter too
    kinds = {r["id"]: r["kind"] for r in data["relations"]}
    left = [i for i in expected if kinds[i] != "not-member-of"]
    assert len(left) < len(expected)
    assert page.evaluate("window.cstograph.ganttItems()") == left
    bars = page.locator("#gantt .vis-item")
    assert bars.filter(has_text="suspended").count() >= 1
    assert page.locator("#gantt .vis-item.disputed").count() >= 1
    assert page.locator("#conflicts details.conflict").count() == len(find_conflicts(history))
    nato = data["coverage"]["cs:nato"]["comment"]
    assert nato in page.locator("#coverage").inner_text()
    assert "CSTO" in page.locator("#abbreviations").inner_text()


def test_the_policy_is_in_force(opened):
    page = opened.page
    violated = page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener("securitypolicyviolation",
                e => resolve([e.violatedDirective, e.blockedURI]), { once: true });
            const img = document.createElement("img");
            img.src = "https://example.org/pixel.png";
            document.body.appendChild(img);
        })"""
    )
    assert violated == ["img-src", "https://example.org/pixel.png"]
    # the browser reports the refusal on the console; nothing reached the route
    opened.errors = [e for e in opened.errors if "Content Security Policy" not in e]


def test_the_network_is_drawn(opened):
    from PIL import Image, ImageStat

    page = opened.page
    _slide_to(page, 2013)
    picture = Image.open(io.BytesIO(page.locator("#network").screenshot())).convert("L")
    assert max(ImageStat.Stat(picture).var) > 100  # not a blank panel
    assert len(picture.getcolors(1 << 16) or []) > 30
