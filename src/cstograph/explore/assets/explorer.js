/* cstograph explorer: the network of a year, cards, a Gantt of memberships.
 * Everything it shows comes from the JSON block #cstograph-data, computed in Python
 * (cstograph.explore.data); this script only filters by year, organization and kind, and draws.
 * Libraries: vis-timeline and vis-network (both as window.vis, vis-network's DataSet last).
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("cstograph-data").textContent);

  // Colours: Okabe-Ito, safe for colour-blind readers; line style carries the certainty.
  var ROLE_COLOURS = {
    "full member": "#0072B2",
    "party/signatory": "#009E73",
    "associate member": "#56B4E9",
    "observer": "#E69F00",
    "partner": "#CC79A7",
    "suspended": "#D55E00",
    "participation frozen": "#882255",
    "standing contributor": "#117733",
    "ad hoc contributor": "#44AA99"
  };
  var KIND_COLOURS = {
    "member-of": "#0072B2",
    "not-member-of": "#9a9a9a",
    "contributes-to-force": "#117733",
    "hosts-base": "#8c510a",
    "holds-office": "#6a3d9a"
  };
  var GROUP_STYLE = {
    "state": { shape: "circle", color: "#4a6f8a", size: 9, legend: "state" },
    "organization": { shape: "square", color: "#1b1f24", size: 13, legend: "organization" },
    "joint force": { shape: "triangle", color: "#5f6f3a", size: 10, legend: "joint force or command" },
    "base or unit": { shape: "diamond", color: "#8c510a", size: 8, legend: "base or stationed unit" },
    "person": { shape: "circle", color: "#6a3d9a", size: 6, legend: "person (office holder)" },
    "other": { shape: "circle", color: "#9a9a9a", size: 6, legend: "other member (a parliament)" }
  };
  var GRADE_NAMES = { h: "held", i: "bounds imprecise", n: "not excluded" };
  var GRADE_CLASS = { h: "grade-held", i: "grade-imprecise", n: "grade-excluded" };

  var nodes = {};
  DATA.nodes.forEach(function (n) { nodes[n.id] = n; });
  var sources = DATA.sources;
  var relations = DATA.relations;
  var scopes = {};
  Object.keys(DATA.scopes).forEach(function (org) {
    var set = {};
    DATA.scopes[org].forEach(function (id) { set[id] = true; });
    scopes[org] = set;
  });
  var byEntity = {};
  relations.forEach(function (r) {
    [r.s, r.to, r.o, r.operator].forEach(function (id) {
      if (!id) return;
      (byEntity[id] = byEntity[id] || []);
      if (byEntity[id].indexOf(r) < 0) byEntity[id].push(r);
    });
  });

  var state = {
    year: DATA.span[1],
    org: "",
    kinds: {},
    possible: false,
    selected: null,
    playing: null
  };
  DATA.kinds.forEach(function (k) { state.kinds[k.name] = true; });

  // Helpers ----------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "className") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }
  function gradeIn(r, year) {
    for (var i = 0; i < r.years.length; i++) {
      var run = r.years[i];
      if (run[0] <= year && year <= run[1]) return run[2];
    }
    return null;
  }
  function inScope(r) {
    if (!state.org) return true;
    var scope = scopes[state.org];
    return !!(scope[r.o] || (r.org && scope[r.org]));
  }
  function colourOf(r) {
    return (r.role && ROLE_COLOURS[r.role]) || KIND_COLOURS[r.kind] || "#666";
  }
  function nameOf(id) { return nodes[id] ? nodes[id].label : id; }
  function shortOf(id) { return nodes[id] ? nodes[id].short : id; }
  function span(r) { return (r.from || "?") + " \u2013 " + (r.until || "ongoing"); }

  /** The relations drawn in a year: preferred claims of the chosen kinds, in scope, held or
   *  with imprecise bounds there (and not excluded ones when asked). */
  function visibleRelations(year) {
    return relations.filter(function (r) {
      if (r.preferred === false || !state.kinds[r.kind] || !inScope(r)) return false;
      var g = gradeIn(r, year);
      return g === "h" || g === "i" || (g === "n" && state.possible);
    });
  }

  // The network -------------------------------------------------------------------------------

  var netNodes = new vis.DataSet();
  var netEdges = new vis.DataSet();
  var container = document.getElementById("network");
  // layout units to canvas pixels, fixed once from the panel's size: the layout's square
  // [-1, 1] fills the panel at zoom 1, and stays put across years
  var box0 = container.getBoundingClientRect();
  var SCALE_X = Math.max(300, box0.width / 2 - 70);
  var SCALE_Y = Math.max(240, box0.height / 2 - 30);
  var network = new vis.Network(container, { nodes: netNodes, edges: netEdges }, {
    physics: false,
    autoResize: true,
    layout: { improvedLayout: false },
    interaction: { hover: true, dragNodes: false, tooltipDelay: 150, zoomView: true, navigationButtons: false },
    nodes: {
      borderWidth: 1,
      font: { size: 14, face: "DejaVu Sans, Arial, sans-serif", color: "#1b1f24", strokeWidth: 4, strokeColor: "#ffffff" }
    },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5 }
  });

  /** ``text`` in lines of at most ``width`` characters, at most ``lines`` of them. */
  function wrap(text, width, lines) {
    var out = [];
    var line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { out.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) out.push(line);
    if (out.length > lines) { out = out.slice(0, lines); out[lines - 1] = out[lines - 1] + "\u2026"; }
    return out.join("\n");
  }

  function nodeItem(id, disputed) {
    var n = nodes[id];
    var style = GROUP_STYLE[n.group] || GROUP_STYLE.other;
    var label = n.group === "state" ? n.short : wrap(n.short, n.group === "organization" ? 22 : 20, 2);
    var item = {
      id: id,
      x: n.x * SCALE_X,
      y: -n.y * SCALE_Y,
      label: label,
      title: n.label + " (" + (n.type || n.group) + ")" + (disputed ? " \u2014 has a disputed claim this year" : ""),
      shape: style.shape === "circle" ? "dot" : style.shape,
      size: style.size,
      color: {
        background: style.color,
        border: disputed ? "#c0392b" : "#ffffff",
        highlight: { background: style.color, border: "#111111" },
        hover: { background: style.color, border: "#111111" }
      },
      borderWidth: disputed ? 3 : 1,
      font: n.group === "organization" ? { size: 15 } : (n.group === "state" ? { size: 13 } : { size: 10, color: "#4a4f55" })
    };
    // bases, units, people and parliaments: named when zoomed in (or on hover), so the
    // states and organizations stay readable at the first view
    var minor = n.group === "base or unit" || n.group === "person" || n.group === "other";
    if (minor || n.short.length > 36) {
      item.font = { size: 10, color: "#4a4f55" };
      item.scaling = { label: { enabled: false, drawThreshold: 12 } };
    }
    return item;
  }

  var USER = "|user";

  function edgeItem(r, g) {
    var colour = colourOf(r);
    var width = r.kind === "not-member-of" ? 1 : 2.2;
    var item = { id: r.id, kind: r.kind, role: r.role, grade: g, from: r.s, to: r.to, width: width, color: { color: colour, highlight: colour, hover: colour, opacity: 1 }, dashes: false };
    if (g === "i") item.dashes = [8, 5];
    if (g === "n") { item.dashes = [2, 6]; item.color.opacity = 0.55; item.width = 1.6; }
    item.title = nameOf(r.s) + ": " + roleText(r, r.s) + " \u2014 " + nameOf(r.to) + ", " + span(r) + " (" + GRADE_NAMES[g] + " in " + state.year + ")";
    return item;
  }

  function drawYear() {
    var year = state.year;
    var shown = visibleRelations(year);
    var disputed = {};
    var ids = {};
    shown.forEach(function (r) {
      ids[r.s] = true; ids[r.to] = true;
      if (r.operator) ids[r.operator] = true;
      if (r.disputed.length) disputed[r.s] = true;
    });
    var nodeItems = Object.keys(ids).sort().map(function (id) { return nodeItem(id, !!disputed[id]); });
    var edgeItems = shown.map(function (r) { return edgeItem(r, gradeIn(r, year)); });
    // two relations of one pair in a year (a role that changed): the later ones curve away
    var pairs = {};
    edgeItems.forEach(function (e) {
      var key = e.from < e.to ? e.from + " " + e.to : e.to + " " + e.from;
      var k = pairs[key] = (pairs[key] || 0) + 1;
      if (k > 1) e.smooth = { enabled: true, type: k % 2 ? "curvedCCW" : "curvedCW", roundness: 0.12 * Math.ceil((k - 1) / 2) + 0.08 };
    });
    // a base is drawn with its user too: a thin line of the same relation (not counted twice)
    shown.forEach(function (r) {
      if (!r.operator) return;
      var user = edgeItem(r, gradeIn(r, year));
      user.id = r.id + USER; user.from = r.operator; user.width = 1;
      user.title = nameOf(r.operator) + " uses " + nameOf(r.to) + " in " + nameOf(r.s) + ", " + span(r);
      edgeItems.push(user);
    });
    netEdges.clear();
    netNodes.clear();
    netNodes.add(nodeItems);
    netEdges.add(edgeItems);
    document.getElementById("year-label").textContent = String(year);
    document.getElementById("year").value = String(year);
    var states = nodeItems.filter(function (n) { return nodes[n.id].group === "state"; }).length;
    document.getElementById("network-summary").textContent =
      "During " + year + ": " + shown.length + " relations, " + states + " states, " +
      nodeItems.length + " nodes" + (state.org ? " \u2014 " + nameOf(state.org) : "");
    if (gantt) gantt.setCustomTime(new Date(year, 6, 1), "year");
    if (state.selected) showCard(state.selected);
  }

  network.on("click", function (params) { if (params.nodes.length) select(params.nodes[0]); });

  // The card ----------------------------------------------------------------------------------

  /** One item per source cited: its title (a link where it has a URL), date and the places
   *  in it that the relations cite. */
  function sourceList(cited, ol) {
    cited.forEach(function (c) {
      var s = sources[c.source];
      var li = el("li");
      if (s.url) li.appendChild(el("a", { href: s.url, rel: "noreferrer", target: "_blank", text: s.title }));
      else li.appendChild(document.createTextNode(s.title + (s.document ? " (" + s.document + ")" : "")));
      var extra = [];
      if (s.kind) extra.push(s.kind);
      if (s.issued) extra.push(s.issued);
      if (c.locators.length) extra.push(c.locators.join("; "));
      if (extra.length) li.appendChild(document.createTextNode(" \u2014 " + extra.join(", ")));
      ol.appendChild(li);
    });
  }

  function otherEnd(r, id) {
    if (r.s === id) return r.kind === "holds-office" ? r.post + (r.org ? " (" + shortOf(r.org) + ")" : "") : nameOf(r.o);
    if (r.operator === id) return nameOf(r.o) + " in " + nameOf(r.s);
    if (r.operator) return nameOf(r.s) + ", used by " + nameOf(r.operator);
    return nameOf(r.s);
  }
  function roleText(r, id) {
    var kind = DATA.kinds.filter(function (k) { return k.name === r.kind; })[0];
    var text = r.role || (kind ? kind.label : r.kind);
    if (r.kind === "hosts-base") text = r.operator === id ? "uses base" : (r.s === id ? "hosts base" : "hosted by");
    if (r.kind === "holds-office" && r.s !== id) text = r.post + " held by";
    return text;
  }

  function relationRow(r, id, year, numbering) {
    var g = gradeIn(r, year);
    var tr = el("tr");
    var role = el("td");
    role.appendChild(el("span", { className: "chip", style: "background:" + colourOf(r) }));
    role.appendChild(document.createTextNode(roleText(r, id)));
    tr.appendChild(role);
    var what = el("td", { text: otherEnd(r, id) });
    var numbers = [];
    r.src.forEach(function (c) { var k = numbering(c); if (numbers.indexOf(k) < 0) numbers.push(k); });
    what.appendChild(el("sup", { className: "refs", text: numbers.join(",") }));
    what.appendChild(el("div", { className: "dates", text: span(r) }));
    if (r.unit) what.appendChild(el("div", { className: "unit", text: r.unit }));
    if (r.personnel) what.appendChild(el("div", { className: "unit", text: r.personnel }));
    tr.appendChild(what);
    var grade = el("td");
    if (year !== null) {
      grade.appendChild(el("span", { className: g ? GRADE_CLASS[g] : "grade-excluded", text: g ? GRADE_NAMES[g] : "\u2014" }));
    }
    if (r.preferred === false) grade.appendChild(el("div", { className: "disputed-mark", text: "claim not preferred" }));
    else if (r.disputed.length) grade.appendChild(el("div", { className: "disputed-mark", text: "\u26a0 disputed" }));
    tr.appendChild(grade);
    return tr;
  }

  function showCard(id) {
    var n = nodes[id];
    var card = document.getElementById("card");
    card.innerHTML = "";
    if (!n) return;
    var year = state.year;
    card.appendChild(el("h2", { text: n.label + (n.short !== n.label ? " (" + n.short + ")" : "") }));
    var type = n.type && n.type.indexOf(":") < 0 ? n.type : n.group;
    card.appendChild(el("p", { className: "type", text: type + (n.qid ? " \u00b7 Wikidata " + n.qid : "") }));
    var all = (byEntity[id] || []).slice().sort(function (a, b) {
      return (a.from.replace(/^by /, "") < b.from.replace(/^by /, "")) ? -1 : 1;
    });
    var cited = [];
    var citedIndex = {};
    function numbering(c) {
      if (!(c[0] in citedIndex)) { citedIndex[c[0]] = cited.length; cited.push({ source: c[0], locators: [] }); }
      var entry = cited[citedIndex[c[0]]];
      if (c[1] && entry.locators.indexOf(c[1]) < 0) entry.locators.push(c[1]);
      return citedIndex[c[0]] + 1;
    }
    var head = el("tr", {}, [el("th", { text: "role" }), el("th", { text: "with, from \u2013 until, sources" }), el("th", { text: "in " + year })]);
    var now = all.filter(function (r) {
      var g = gradeIn(r, year);
      return r.preferred !== false && (g === "h" || g === "i" || (g === "n" && state.possible));
    });
    card.appendChild(el("h3", { text: "During " + year + " (" + now.length + ")" }));
    if (n.group === "organization") {
      var members = now.filter(function (r) { return r.to === id && r.member; });
      card.appendChild(el("p", { className: "members", text: members.length ? "Members: " + members.map(function (r) { return nameOf(r.s); }).sort().join(", ") : "No members recorded this year." }));
    }
    if (now.length) {
      var t1 = el("table", { className: "now" }, [head.cloneNode(true)]);
      now.forEach(function (r) { t1.appendChild(relationRow(r, id, year, numbering)); });
      card.appendChild(t1);
    } else {
      card.appendChild(el("p", { text: "No relation recorded in " + year + "." }));
    }
    var cov = DATA.coverage[id];
    if (cov) {
      var text = cov.whole ? "Recorded whole: " : "Recorded in part: ";
      card.appendChild(el("p", { className: "coverage-note", text: text + cov.comment }));
    }
    card.appendChild(el("h3", { text: "Over time (" + all.length + ")" }));
    var t2 = el("table", { className: "history" }, [head.cloneNode(true)]);
    t2.querySelector("tr").children[2].textContent = "claim";
    all.forEach(function (r) { t2.appendChild(relationRow(r, id, null, numbering)); });
    card.appendChild(t2);
    card.appendChild(el("h3", { text: "Sources" }));
    var ol = el("ol", { className: "sources" });
    sourceList(cited, ol);
    card.appendChild(ol);
  }

  function select(id) {
    state.selected = id;
    showCard(id);
  }

  // Controls ----------------------------------------------------------------------------------

  var orgSelect = document.getElementById("org");
  DATA.nodes.filter(function (n) { return n.group === "organization"; })
    .sort(function (a, b) { return a.label < b.label ? -1 : 1; })
    .forEach(function (n) {
      var cov = DATA.coverage[n.id];
      var text = n.label + (n.short !== n.label ? " (" + n.short + ")" : "") + (cov && !cov.whole ? " \u2014 recorded in part" : "");
      orgSelect.appendChild(el("option", { value: n.id, text: text }));
    });
  orgSelect.addEventListener("change", function () { setOrg(orgSelect.value); });

  var kindBox = document.getElementById("kinds");
  DATA.kinds.forEach(function (k) {
    var box = el("input", { type: "checkbox", value: k.name, id: "kind-" + k.name });
    box.checked = true;
    box.addEventListener("change", function () { state.kinds[k.name] = box.checked; drawYear(); drawGantt(); });
    kindBox.appendChild(el("label", { "for": "kind-" + k.name }, [box, " " + k.label]));
  });
  document.getElementById("possible").addEventListener("change", function (e) {
    state.possible = e.target.checked; drawYear(); drawGantt();
  });
  var slider = document.getElementById("year");
  slider.addEventListener("input", function () { setYear(Number(slider.value)); });
  var play = document.getElementById("play");
  play.addEventListener("click", function () {
    if (state.playing) { stop(); return; }
    if (state.year >= DATA.span[1]) setYear(DATA.span[0]);
    play.textContent = "\u275a\u275a Pause";
    state.playing = setInterval(function () {
      if (state.year >= DATA.span[1]) { stop(); return; }
      setYear(state.year + 1);
    }, 700);
  });
  function stop() {
    clearInterval(state.playing);
    state.playing = null;
    play.textContent = "\u25b6 Play";
  }
  function setYear(year) {
    state.year = Math.max(DATA.span[0], Math.min(DATA.span[1], year));
    drawYear();
  }
  function setOrg(org) {
    state.org = org;
    orgSelect.value = org;
    drawYear();
    frame();
    drawGantt();
  }

  // The legend and the notes --------------------------------------------------------------------

  function shapeSvg(shape, colour) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "14"); svg.setAttribute("height", "14");
    var s;
    if (shape === "square") { s = document.createElementNS(ns, "rect"); s.setAttribute("x", "2"); s.setAttribute("y", "2"); s.setAttribute("width", "10"); s.setAttribute("height", "10"); }
    else if (shape === "triangle") { s = document.createElementNS(ns, "polygon"); s.setAttribute("points", "7,1 13,13 1,13"); }
    else if (shape === "diamond") { s = document.createElementNS(ns, "polygon"); s.setAttribute("points", "7,1 13,7 7,13 1,7"); }
    else { s = document.createElementNS(ns, "circle"); s.setAttribute("cx", "7"); s.setAttribute("cy", "7"); s.setAttribute("r", "5.5"); }
    s.setAttribute("fill", colour);
    svg.appendChild(s);
    return svg;
  }
  function lineSvg(colour, dash, opacity) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "10");
    var l = document.createElementNS(ns, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "5"); l.setAttribute("x2", "29"); l.setAttribute("y2", "5");
    l.setAttribute("stroke", colour); l.setAttribute("stroke-width", "2.5");
    if (dash) l.setAttribute("stroke-dasharray", dash);
    if (opacity) l.setAttribute("stroke-opacity", opacity);
    l.setAttribute("stroke-linecap", "round");
    svg.appendChild(l);
    return svg;
  }
  function legend() {
    var box = document.getElementById("legend");
    var groups = el("div", {}, [el("h4", { text: "Nodes" })]);
    var present = {};
    DATA.nodes.forEach(function (n) { present[n.group] = true; });
    Object.keys(GROUP_STYLE).forEach(function (g) {
      if (!present[g]) return;
      groups.appendChild(el("span", {}, [shapeSvg(GROUP_STYLE[g].shape, GROUP_STYLE[g].color), GROUP_STYLE[g].legend]));

    });
    var ring = shapeSvg("circle", GROUP_STYLE.state.color);
    ring.firstChild.setAttribute("stroke", "#c0392b"); ring.firstChild.setAttribute("stroke-width", "2.5");
    groups.appendChild(el("span", {}, [ring, "red ring: a disputed claim that year (\u26a0 in cards)"]));
    var roles = el("div", {}, [el("h4", { text: "Edge colour: role or kind" })]);
    var seen = {};
    relations.forEach(function (r) { seen[r.role || ("kind:" + r.kind)] = true; });
    Object.keys(ROLE_COLOURS).forEach(function (role) {
      if (!seen[role]) return;
      roles.appendChild(el("span", {}, [lineSvg(ROLE_COLOURS[role]), role]));

    });
    DATA.kinds.forEach(function (k) {
      if (!seen["kind:" + k.name] || k.name === "member-of") return;
      roles.appendChild(el("span", {}, [lineSvg(KIND_COLOURS[k.name]), k.name === "hosts-base" ? "hosts base (thin: the state using it)" : k.label]));

    });
    var grades = el("div", {}, [el("h4", { text: "Line: how sure, that year" })]);
    grades.appendChild(el("span", {}, [lineSvg("#333"), "held"]));
    grades.appendChild(el("span", {}, [lineSvg("#333", "7 5"), "bounds imprecise"]));
    grades.appendChild(el("span", {}, [lineSvg("#333", "1 5", "0.6"), "not excluded (if asked)"]));
    box.appendChild(groups); box.appendChild(roles); box.appendChild(grades);
  }

  function notes() {
    var cov = document.getElementById("coverage");
    function covName(o) { return DATA.coverage[o].label; }
    var orgs = Object.keys(DATA.coverage).sort(function (a, b) { return covName(a) < covName(b) ? -1 : 1; });
    var partial = orgs.filter(function (o) { return !DATA.coverage[o].whole; });
    var whole = orgs.filter(function (o) { return DATA.coverage[o].whole; });
    cov.appendChild(el("p", { text: "Recorded in part (" + partial.length + "): only what the note says is in the record; do not read the rest as absent." }));
    var dl = el("dl", { className: "partial" });
    partial.forEach(function (org) {
      var c = DATA.coverage[org];
      dl.appendChild(el("dt", { text: covName(org) + (c.roles.length ? " (records: " + c.roles.join(", ") + ")" : "") }));
      dl.appendChild(el("dd", { className: "coverage-note", text: c.comment }));
    });
    cov.appendChild(dl);
    var more = el("details", {}, [el("summary", { text: "Recorded whole (" + whole.length + "): " + whole.map(function (o) { return nodes[o] ? shortOf(o) : covName(o); }).join(", ") })]);
    var dl2 = el("dl");
    whole.forEach(function (org) {
      dl2.appendChild(el("dt", { text: covName(org) }));
      dl2.appendChild(el("dd", { text: DATA.coverage[org].comment }));
    });
    more.appendChild(dl2);
    cov.appendChild(more);

    var conf = document.getElementById("conflicts");
    var disputed = relations.filter(function (r) { return r.disputed.length && r.preferred !== false; });
    conf.appendChild(el("p", { text: disputed.length + " relations drawn here have a claim against them (red outline in the network, \u26a0 in cards and the timeline); " + (DATA.conflicts.length ? "each group below lists every claim, the preferred one first, and why it is preferred." : "build the page from an index of every claim to list the other sides.") }));
    var list = el("div", { className: "conflict-list" });
    DATA.conflicts.forEach(function (group) {
      var first = group.claims[0];
      var chosen = group.claims.filter(function (c) { return c.preferred; }).length;
      var box = el("details", { className: "conflict" }, [el("summary", { text: first.label + " (" + group.claims.length + " claims" + (chosen ? "" : ", none preferred") + ")" })]);
      var ul = el("ul");
      group.claims.forEach(function (c) {
        var text = c.label + " (" + (c.from || "?") + (c.until ? " \u2013 " + c.until : "") + ")";
        var item = el("li", { className: c.preferred ? "claim-preferred" : "" }, [text]);
        if (c.preferred) item.appendChild(el("div", { className: "type", text: "preferred" + (c.reason ? ": " + c.reason : "") }));
        else if (c.preferred === false) item.appendChild(el("div", { className: "type", text: "not preferred" }));
        var srcs = el("div", { className: "type" });
        c.src.forEach(function (s, i) {
          var src = sources[s[0]];
          if (i) srcs.appendChild(document.createTextNode("; "));
          if (src.url) srcs.appendChild(el("a", { href: src.url, rel: "noreferrer", target: "_blank", text: src.title }));
          else srcs.appendChild(document.createTextNode(src.title));
        });
        item.appendChild(srcs);
        ul.appendChild(item);
      });
      box.appendChild(ul);
      list.appendChild(box);
    });
    conf.appendChild(list);
    var abbr = document.getElementById("abbreviations");
    var dl2 = el("dl");
    DATA.nodes.filter(function (n) { return n.short !== n.label; })
      .sort(function (a, b) { return a.short < b.short ? -1 : 1; })
      .forEach(function (n) {
        dl2.appendChild(el("dt", { text: n.short }));
        dl2.appendChild(el("dd", { text: n.label }));
      });
    abbr.appendChild(dl2);
  }

  // The Gantt -------------------------------------------------------------------------------

  var gantt = null;
  var ganttIds = [];
  var Timeline = vis.Timeline;

  function dayOf(text, isEnd) {
    if (!text) return null;
    var t = text.replace(/^by /, "").replace(/ or later$/, "");
    var parts = t.split("-").map(Number);
    if (parts.length === 1) return new Date(parts[0], 0, 1);
    if (parts.length === 2) return new Date(parts[0], parts[1] - 1, 1);
    return new Date(parts[0], parts[1] - 1, parts[2]);
  }
  function soft(text) { return text && !/^by |or later$/.test(text) && text.length < 10; }

  function drawGantt() {
    var rows = relations.filter(function (r) {
      return (r.kind === "member-of" || r.kind === "not-member-of") && state.kinds[r.kind] && inScope(r) &&
        r.years.some(function (run) { return run[2] !== "n" || state.possible; });
    });
    var items = [];
    var groups = {};
    var orgs = {};
    var end = new Date(DATA.span[1] + 1, 0, 1);
    rows.forEach(function (r) {
      var org = r.o;
      var groupId = state.org ? r.s : org + "|" + r.s;
      var who = nameOf(r.s);
      groups[groupId] = { id: groupId, content: who.length > 34 ? who.slice(0, 33) + "\u2026" : who, title: who, order: who, treeLevel: state.org ? 1 : 2 };
      (orgs[org] = orgs[org] || {})[groupId] = true;
      var colour = r.kind === "not-member-of" ? "#bdbdbd" : colourOf(r);
      var start = dayOf(r.from, false);
      var stop = r.until ? dayOf(r.until, true) : end;
      var classes = [];
      var style = "background-color:" + colour + ";border-color:" + colour + ";";
      var fades = [];
      if (soft(r.from)) { classes.push("soft-start"); fades.push("to right"); }
      if (soft(r.until)) { classes.push("soft-end"); fades.push("to left"); }
      if (fades.length === 1) style += "background-image:linear-gradient(" + fades[0] + ", rgba(255,255,255,0.75), rgba(255,255,255,0) 18px);";
      if (fades.length === 2) style += "background-image:linear-gradient(to right, rgba(255,255,255,0.75), rgba(255,255,255,0) 18px), linear-gradient(to left, rgba(255,255,255,0.75), rgba(255,255,255,0) 18px);";
      if (/^by /.test(r.from)) classes.push("open-start");
      if (/or later$/.test(r.until)) classes.push("open-end");
      if (r.disputed.length) classes.push("disputed");
      if (r.preferred === false) classes.push("alternative");
      if (r.kind === "not-member-of" || r.role === "observer" || r.role === "partner" || r.role === "associate member") classes.push("light");
      var label = (state.org ? shortOf(org) + " " : "") + (r.kind === "not-member-of" ? "stated non-member" : r.role) + (r.disputed.length ? " \u26a0" : "");
      items.push({
        id: r.id, group: groupId, start: start, end: stop, content: label,
        className: classes.join(" "), style: style,
        title: nameOf(r.s) + ": " + (r.role || "stated non-member") + " of " + nameOf(r.o) + ", " + span(r)
      });
    });
    var groupList = [];
    if (state.org) {
      Object.keys(groups).forEach(function (g) { groupList.push(groups[g]); });
    } else {
      Object.keys(orgs).sort(function (a, b) { return nameOf(a) < nameOf(b) ? -1 : 1; }).forEach(function (org) {
        var title = shortOf(org) === nameOf(org) ? nameOf(org) : shortOf(org) + " \u2014 " + nameOf(org);
        if (title.length > 44) title = title.slice(0, 43) + "\u2026";
        groupList.push({ id: org, content: title, title: nameOf(org), nestedGroups: Object.keys(orgs[org]), showNested: org === "cs:csto", order: nameOf(org), treeLevel: 1 });
        Object.keys(orgs[org]).forEach(function (g) { groupList.push(groups[g]); });
      });
    }
    ganttIds = items.map(function (i) { return i.id; });
    document.getElementById("gantt-title").textContent = state.org ? "\u2014 " + nameOf(state.org) + " (and the bodies it grew from)" : "\u2014 all organizations (click one to open it)";
    if (!gantt) {
      gantt = new Timeline(document.getElementById("gantt"), items, groupList, {
        stack: true,
        groupOrder: "order",
        min: new Date(DATA.span[0] - 1, 0, 1),
        max: new Date(DATA.span[1] + 2, 0, 1),
        start: new Date(1988, 0, 1),
        end: new Date(DATA.span[1] + 1, 6, 1),
        orientation: { axis: "top", item: "top" },
        maxHeight: 560,
        showCurrentTime: false,
        zoomMin: 1000 * 60 * 60 * 24 * 365,
        selectable: true,
        margin: { item: { horizontal: 0, vertical: 3 } },
        xss: { disabled: false }
      });
      gantt.addCustomTime(new Date(state.year, 6, 1), "year");
      gantt.on("select", function (props) {
        var r = relations.filter(function (x) { return x.id === props.items[0]; })[0];
        if (r) select(r.s);
      });
    } else {
      gantt.setItems([]);
      gantt.setGroups(groupList);
      gantt.setItems(items);
    }
  }

  // Start, and what tests may read ----------------------------------------------------------------

  legend();
  notes();
  drawGantt();
  drawYear();
  // one view for every year of an organization (zoom and pan are the reader's): the box of
  // every node the filter ever shows, so playing the years never moves the camera
  function frame() {
    var box = container.getBoundingClientRect();
    var ids = {};
    relations.forEach(function (r) {
      if (r.preferred !== false && inScope(r)) { ids[r.s] = true; ids[r.to] = true; }
    });
    var xs = [], ys = [];
    Object.keys(ids).forEach(function (id) { xs.push(nodes[id].x * SCALE_X); ys.push(-nodes[id].y * SCALE_Y); });
    if (!xs.length) { xs = [-SCALE_X, SCALE_X]; ys = [-SCALE_Y, SCALE_Y]; }
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var scale = Math.min(box.width / (x1 - x0 + 180), box.height / (y1 - y0 + 90), 1.6);
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, animation: false });
  }
  frame();
  window.addEventListener("resize", frame);

  window.cstograph = {
    version: DATA.version,
    span: DATA.span.slice(),
    setYear: setYear,
    setOrg: setOrg,
    select: select,
    year: function () { return state.year; },
    visibleNodes: function () { return netNodes.getIds().slice().sort(); },
    visibleEdges: function () {
      return netEdges.getIds().filter(function (id) { return id.slice(-USER.length) !== USER; }).sort();
    },
    userEdges: function () {
      return netEdges.getIds().filter(function (id) { return id.slice(-USER.length) === USER; }).sort();
    },
    edgesOf: function (id) {
      return netEdges.get().filter(function (e) { return e.from === id || e.to === id; })
        .map(function (e) { return { id: e.id, kind: e.kind, role: e.role, grade: e.grade, to: e.to, from: e.from, dashes: e.dashes, colour: e.color.color, opacity: e.color.opacity }; });
    },
    nodeViewport: function (id) {
      var p = network.getPositions([id])[id];
      var dom = network.canvasToDOM(p);
      var rect = container.getBoundingClientRect();
      return { x: rect.left + dom.x, y: rect.top + dom.y };
    },
    ganttItems: function () { return ganttIds.slice().sort(); },
    net: network,
    ready: true
  };
})();
