"""Looking things up on the shipped graph: sources are not entities and show what they support,
search ranks entities, events and sources, suggestions are of the kind the command wants, events
are asked for by window, type, participant and organization by the one time rule, and answers
become DataFrames."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tomllib

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from cstograph.cli import cli
from cstograph.cli import lookup as lookup_cli
from cstograph.errors import InputError, MissingExtraError, UnknownEntityError
from cstograph.index.events import event_type, event_types
from cstograph.index.history import History
from cstograph.index.names import GROUPS
from cstograph.index.search import SEARCH_KINDS, search, wanted
from cstograph.index.sources import find_source, source_documents, sources
from cstograph.model.kinds import KINDS
from cstograph.model.terms import CS, CST, EVENT_CLASSES, PROV, RDF

from .conftest import ROOT
from .test_cli import assert_one_line_error
from .test_names import NAMES


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def history(graph: Graph) -> History:
    return History(graph)


@pytest.fixture(scope="module")
def every_claim(graph: Graph) -> History:
    return History(graph, claims="all")


def _source_nodes(graph: Graph) -> list[URIRef]:
    return sorted(n for n in graph.subjects(RDF.type, CST.SourceDocument) if isinstance(n, URIRef))


def _entity_labels(graph: Graph, history: History) -> set[str]:
    return {history.label(node) for node in history.names.entity_keys()}


# sources are not entities ---------------------------------------------------------------------


def test_suggestions_never_offer_a_source(graph, history):
    """Whatever is asked, a suggestion is an entity's label, never a source's title."""
    titles = {str(t) for s in _source_nodes(graph) for t in graph.objects(s, DCTERMS.title)}
    entity_labels = _entity_labels(graph, history)
    for title in sorted(titles):
        for label in history.names.suggest(title[:-1]):  # a near miss of the title
            assert label in entity_labels, (title, label)


def test_no_entity_key_is_a_source(graph, history):
    sources_ = set(_source_nodes(graph))
    assert not sources_ & set(history.names.entity_keys())


def test_a_source_title_given_as_an_entity_says_it_is_a_source(history):
    with pytest.raises(UnknownEntityError, match="is the title of a source"):
        history.resolve("Russia wins military base extension in Kyrgyzstan")
    assert_one_line_error(
        run("members", "Russia wins military base extension in Kyrgyzstan"),
        2,
        "cs:source-rt-2012-kyrgyz-base",
        "not an entity",
    )


@pytest.mark.parametrize(
    "name",
    [
        "cs:source-rt-2012-kyrgyz-base",
        "source-rt-2012-kyrgyz-base",
        "https://w3id.org/cstograph/id/source-rt-2012-kyrgyz-base",
        "Russia wins military base extension in Kyrgyzstan",
        "RT: Russia wins military base extension in Kyrgyzstan",
        "russia wins military base extension in kyrgyzstan",
    ],
)
def test_a_source_is_found_by_id_title_or_label(every_claim, name):
    assert find_source(every_claim, name).id == "cs:source-rt-2012-kyrgyz-base"


def test_a_source_shows_what_the_graph_says_of_it(graph, every_claim):
    document = find_source(every_claim, "cs:source-rt-2012-kyrgyz-base")
    node = CS["source-rt-2012-kyrgyz-base"]
    assert document.url == "https://www.rt.com/russia/russia-kyrgyzstan-military-base-852/"
    assert document.issued is not None and document.issued.isoformat() == "2012-08-16"
    assert document.title == str(graph.value(node, DCTERMS.title))
    assert document.label == str(graph.value(node, RDFS.label))
    seed = find_source(every_claim, "cs:source-seed-000")
    assert seed.url is None and seed.document_name == "000_c67d9e9a9e28a94f.txt"
    assert seed.note == str(graph.value(CS["source-seed-000"], RDFS.comment))


def test_citations_are_the_facts_deriving_from_the_source(graph, every_claim):
    """Each source's relation and event citations are exactly the nodes that prov:wasDerivedFrom
    it, and each citation's locator is one the graph gives for that node and source."""
    relation_classes = {k.cls for k in KINDS}
    for document in source_documents(every_claim):
        node = every_claim.iri(document.id)
        derived = set(graph.subjects(PROV.wasDerivedFrom, node))
        relations = {n for n in derived if set(graph.objects(n, RDF.type)) & relation_classes}
        events = {n for n in derived if set(graph.objects(n, RDF.type)) & set(EVENT_CLASSES)}
        cited = {(c.what, c.record.id) for c in document.citations}
        assert {i for w, i in cited if w == "relation"} == {
            every_claim.entity(n).id for n in relations
        }, document.id
        assert {i for w, i in cited if w == "event"} == {
            every_claim.entity(n).id for n in events
        }, document.id
        named = {every_claim.entity(n).id for n in graph.subjects(DCTERMS.source, node)}
        assert {i for w, i in cited if w == "names"} == named, document.id
        for citation in document.citations:
            if citation.locator is None:
                continue
            record = every_claim.iri(citation.record.id)
            locators = {
                str(graph.value(d, CST.locator))
                for d in graph.objects(record, PROV.qualifiedDerivation)
                if graph.value(d, PROV.entity) == node
            }
            assert citation.locator in locators


def test_sources_are_listed_most_cited_first(every_claim, graph):
    listed = sources(every_claim)
    assert len(listed) == len(_source_nodes(graph))
    counts = [d.cited_by() for d in listed]
    assert counts == sorted(counts, reverse=True)
    assert listed[0].id == "cs:source-seed-000"


def test_source_command_table_and_json():
    result = run("source", "cs:source-rt-2012-kyrgyz-base")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "cs:source-rt-2012-kyrgyz-base"
    assert "url       https://www.rt.com/russia/russia-kyrgyzstan-military-base-852/" in lines
    assert any("Issyk-Kul" in line and "paragraphs 2-3" in line for line in lines)
    data = json.loads(run("source", "Basic facts", "--format", "json").output)
    assert data["id"] == "cs:source-odkb-basic-facts"
    assert data["url"].startswith("http")
    assert all(
        {"what", "kind", "record", "start", "locator", "note"} <= set(c) for c in data["citations"]
    )


def test_sources_command_counts_and_formats():
    rows = list(csv.DictReader(run("sources", "--format", "csv").output.splitlines()))
    assert rows[0]["id"] == "cs:source-seed-000"
    assert {"url", "issued", "relations", "events", "names"} <= set(rows[0])
    rt = next(r for r in rows if r["id"] == "cs:source-rt-2012-kyrgyz-base")
    assert (rt["issued"], rt["relations"], rt["events"]) == ("2012-08-16", "2", "0")
    data = json.loads(run("sources", "--format", "json").output)
    assert all("citations" not in d and "url" in d for d in data)


@pytest.mark.parametrize(
    "args,fragments",
    [
        (
            ("source", "Basic fact"),
            ("no source is called 'Basic fact'", "cs:source-odkb-basic-facts"),
        ),
        (("source", "CSTO"), ("'CSTO' is an entity (cs:csto), not a source",)),
        (("sources", "--kind", "blog"), ("unknown source kind 'blog'", "blog or repost")),
    ],
)
def test_source_errors_are_one_line(args, fragments):
    assert_one_line_error(run(*args), 2, *fragments)


# search -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), NAMES)
def test_search_finds_each_name_first(history, name, expected):
    assert search(history, name, kinds={"entity"}, limit=1)[0].id == expected


def test_search_ranks_the_entity_before_what_mentions_it(history):
    found = search(history, "Gabala")
    assert found[0].id == "cs:gabala-radar-station"
    assert found[0].kind == "base" and found[0].description == "radar station in Azerbaijan"
    assert {m.kind for m in found[1:]} <= {"event", "source"}
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)


def test_search_kinds_and_limit(history):
    events = search(history, "Channel", kinds={"event"}, limit=3)
    assert len(events) == 3 and {m.kind for m in events} == {"event"}
    assert all(m.label.lower().startswith(("channel", "kanal")) for m in events)
    (russia,) = search(history, "Россия", kinds={"state"}, limit=1)
    assert russia.id == "cs:russia"
    sources_ = search(history, "Basic facts", kinds={"source"})
    assert sources_[0].id == "cs:source-odkb-basic-facts"
    assert "www.odkb.gov.ru" in sources_[0].description


def test_search_describes_events_and_entities(history):
    (operation,) = [
        m
        for m in search(history, "peacekeeping kazakhstan", kinds={"event"})
        if m.id == "cs:event-operation-csto-kazakhstan-2022"
    ]
    assert operation.description == "operation, 2022-01-06 until 2022-01-20"  # half-open
    (sco,) = search(history, "SCO", kinds={"organization"}, limit=1)
    assert sco.description == "international organization, from 2001-06-15; Wikidata Q485207"
    (kant,) = search(history, "Kant", kinds={"base"}, limit=1)
    assert kant.description == "air base in Kyrgyzstan"


def test_search_errors(history):
    with pytest.raises(InputError, match="unknown kind"):
        search(history, "x", kinds={"planet"})
    with pytest.raises(InputError, match="no letters or digits"):
        search(history, "--")
    assert set(SEARCH_KINDS) == {*GROUPS, "entity", "event", "source"}
    assert lookup_cli.SEARCH_KINDS == SEARCH_KINDS


def test_search_command():
    result = run("search", "Kirghizia", "--limit", "1")
    assert result.exit_code == 0, result.output
    header, _rule, row = result.output.splitlines()
    assert header.split() == ["kind", "id", "name", "about"]
    assert row.split()[:3] == ["state", "cs:kyrgyzstan", "Kyrgyzstan"]
    data = json.loads(run("search", "CRRF", "--kind", "force", "--format", "json").output)
    assert data[0]["id"] == "cs:csto-crrf" and data[0]["score"] == 100
    assert run("search", "x", "--kind", "planet").exit_code == 2


# suggestions of the right kind ------------------------------------------------------------------


def test_wanted_groups_come_from_the_relations(history):
    assert wanted(history, "hosts-base", "subject") == {"state"}
    assert wanted(history, "holds-office", "subject") == {"person"}
    assert wanted(history, "holds-office", "object") == {"post"}
    assert "state" not in wanted(history, "member-of", "object")


@pytest.mark.parametrize(
    "args,suggested,not_suggested",
    [
        (("members", "Kyrgystan"), None, "Kyrgyzstan"),
        (
            ("members", "Shanghai Cooperation Organisaton"),
            "Shanghai Cooperation Organization",
            None,
        ),
        (("relations", "--subject", "Kyrgystan"), "Kyrgyzstan", None),
        (("relations", "--subject", "Gabla"), None, "Gabala"),
        (("relations", "--kind", "hosts-base", "--object", "Gabla"), "Gabala radar station", None),
        (("relations", "--kind", "member-of", "--object", "Kyrgystan"), None, "Kyrgyzstan"),
        (("diff", "2005", "2013", "--org", "Kyrgystan"), None, "Kyrgyzstan"),
        (("events", "--org", "Kyrgystan"), None, "Kyrgyzstan"),
        (("events", "--participant", "Kyrgystan"), "Kyrgyzstan", None),
        (("metrics", "--org", "Kyrgystan", "--from", "2010", "--to", "2010"), None, "Kyrgyzstan"),
        (
            ("metrics", "--org", "Eurasian Economic Unon", "--from", "2015"),
            "Eurasian Economic Union",
            None,
        ),
    ],
)
def test_suggestions_are_of_the_kind_the_command_wants(args, suggested, not_suggested):
    result = run(*args)
    assert_one_line_error(result, 2, "no entity is called")
    if suggested:
        assert f"did you mean {suggested}" in result.stderr
    if not_suggested:
        assert not_suggested not in result.stderr.split("did you mean")[-1]


def test_members_resolves_an_ambiguous_name_to_the_organization(history):
    """``members`` asks for organizations and forces: History.members resolves among them."""
    assert history.members("CSTO", year=2007)
    assert history.names.resolve("SCO", among={"organization", "force"}) == CS["sco"]


# events -----------------------------------------------------------------------------------------


def test_event_types_are_the_graph_event_classes(history):
    types = event_types(history)
    assert set(types.values()) == set(EVENT_CLASSES)
    assert ", ".join(types) == lookup_cli.EVENT_TYPES
    assert event_type(history, "signing") == CST.TreatySigning
    assert event_type(history, "Request") == CST.Request
    assert event_type(history, "request for assistance") == CST.Request
    with pytest.raises(InputError, match="types: treaty signing, decision, operation"):
        event_type(history, "party")


def test_events_in_2022(history):
    assert [e.id for e in history.events(year=2022)] == [
        "cs:event-request-kazakhstan-2022",
        "cs:event-decision-csc-kazakhstan-2022",
        "cs:event-operation-csto-kazakhstan-2022",
        "cs:event-csc-session-2022-moscow",
        "cs:event-request-armenia-2022",
        "cs:event-exercise-interaction-2022",
        "cs:event-csc-session-2022-yerevan",
    ]


def test_the_losing_claim_of_an_event_needs_claims_all(history, every_claim):
    losing = "cs:event-request-armenia-2022-09-14"
    assert losing not in {e.id for e in history.events(year=2022)}
    assert losing in {e.id for e in every_claim.events(year=2022)}


def test_an_event_without_an_end_is_a_point(history):
    """Kazakhstan's request of 5 January 2022 has no end: it is not ongoing in 2023."""
    assert "cs:event-request-kazakhstan-2022" not in {e.id for e in history.events(year=2023)}
    assert [e.id for e in history.events(on="2022-01-05", type="request")] == [
        "cs:event-request-kazakhstan-2022"
    ]
    assert history.events(on="2022-01-04", type="request") == []


def test_an_event_with_an_end_spans_a_half_open_interval(history):
    operation = "cs:event-operation-csto-kazakhstan-2022"
    # withdrawal completed on 19 January: stored end 2022-01-20, the day after
    assert operation in {e.id for e in history.events(on="2022-01-19")}
    assert operation not in {e.id for e in history.events(on="2022-01-20")}


def test_a_year_precise_event_is_imprecise_on_a_day_of_its_year(history):
    channel = "cs:event-channel-operation"  # "2003", year precision, no end
    (held,) = [e for e in history.events(year=2003) if e.id == channel]
    assert held.grade == "held"
    (inside,) = [e for e in history.events(on="2003-06-01") if e.id == channel]
    assert inside.grade == "bounds imprecise"
    assert channel not in {e.id for e in history.events(year=2004)}


def test_a_by_date_event_is_not_excluded_before_it(history):
    approval = "cs:event-decision-crrf-procurement-approval-2013"  # by 2013-12-26
    assert approval not in {e.id for e in history.events(year=2010)}
    (possible,) = [e for e in history.events(year=2010, possible=True) if e.id == approval]
    assert possible.grade == "not excluded"
    assert approval not in {e.id for e in history.events(year=2014, possible=True)}


def test_events_by_type_participant_and_org(history, graph):
    operations = history.events(type="operation", org="CSTO")
    assert "cs:event-operation-csto-kazakhstan-2022" in {e.id for e in operations}
    for event in operations:
        node = history.iri(event.id)
        assert (node, RDF.type, CST.Operation) in graph
        assert CS["csto"] in set(graph.objects(node, None))
    armenia = history.events(year=2022, participant="Armenia")
    assert {e.id for e in armenia} == {
        "cs:event-decision-csc-kazakhstan-2022",
        "cs:event-operation-csto-kazakhstan-2022",
        "cs:event-request-armenia-2022",
        "cs:event-csc-session-2022-yerevan",  # the Council met in Yerevan in November
    }


def test_events_table_shows_figures_and_participants():
    result = run("events", "--on", "2022-01-10")
    assert result.exit_code == 0, result.output
    header, _rule, row = result.output.splitlines()
    assert header.split()[:4] == ["from", "until", "type", "event"]
    assert "participants" in header and "figures" in header
    assert "Tajikistan" in row and "2030 personnel" in row and "250 units of equipment" in row


def test_events_csv_and_json():
    rows = list(
        csv.DictReader(run("events", "--year", "2022", "--format", "csv").output.splitlines())
    )
    assert rows[0]["id"] == "cs:event-request-kazakhstan-2022"
    assert "cs:kazakhstan" in rows[0]["participant_ids"]
    data = json.loads(
        run("events", "--year", "2022", "--type", "operation", "--format", "json").output
    )
    assert data[0]["grade"] == "held" and len(data[0]["figures"]) >= 2
    assert not any(k.startswith("_") for k in data[0])


def test_events_errors_are_one_line():
    assert_one_line_error(run("events", "--type", "party"), 2, "unknown event type 'party'")
    assert_one_line_error(
        run("events", "--year", "2022", "--on", "2022-01-01"), 2, "not year and on"
    )


def test_timeline_takes_the_time_window(history):
    whole = history.timeline("Kazakhstan")
    in_2022 = history.timeline("Kazakhstan", year=2022)
    assert {i.id for i in in_2022} < {i.id for i in whole}
    ids = {i.id for i in in_2022}
    assert "cs:membership-kazakhstan-csto-charter" in ids  # ongoing
    assert "cs:event-operation-csto-kazakhstan-2022" in ids
    assert not any(i.kind == "event" and i.start.year != 2022 for i in in_2022)
    result = run("timeline", "Kazakhstan", "--year", "2022", "--format", "json")
    assert {i["id"] for i in json.loads(result.output)} == ids
    assert_one_line_error(
        run("timeline", "Kazakhstan", "--year", "2022", "--on", "2022-01-01"), 2, "not year and on"
    )


# DataFrames -------------------------------------------------------------------------------------


def test_relations_become_a_frame(history):
    import pandas as pd

    from cstograph.frames import to_frame

    members = history.members("CSTO", year=2007)
    frame = to_frame(members)
    assert len(frame) == len(members)
    assert list(frame["subject"]) == [m.subject.label for m in members]
    assert list(frame["subject_id"]) == [m.subject.id for m in members]
    assert pd.api.types.is_datetime64_any_dtype(frame["start"])
    assert frame.loc[frame["subject"] == "Belarus", "end"].isna().all()  # ongoing
    assert frame["sources"].map(len).min() >= 1
    assert list(to_frame(members, columns=["subject", "role"]).columns) == ["subject", "role"]


def test_events_changes_matches_and_sources_become_frames(history, every_claim):
    from cstograph.frames import citations_frame, to_frame

    events = to_frame(history.events(on="2022-01-10"))
    assert "Tajikistan" in events.loc[0, "participants"]
    assert "cs:tajikistan" in events.loc[0, "participant_ids"]
    assert "2030 personnel" in events.loc[0, "figures"]
    changes = to_frame(history.diff(2005, 2013, org="CSTO"))
    assert {"change", "subject", "object_id", "role_before", "role_after"} <= set(changes.columns)
    matches = to_frame(search(history, "Gabala"))
    assert matches.loc[0, "id"] == "cs:gabala-radar-station"
    documents = to_frame(sources(every_claim))
    assert documents.loc[0, "id"] == "cs:source-seed-000"
    assert documents["citations"].dtype.kind == "i"
    assert (documents["relations"] + documents["events"] + documents["names"]).min() >= 0
    timeline = to_frame(history.timeline("Kant air base"))
    assert set(timeline["kind"]) >= {"event", "hosts-base"}
    bases = history.relations("hosts-base", subject="Kyrgyzstan")
    cited = citations_frame(bases)
    assert len(cited) == sum(len(b.sources) for b in bases)
    assert list(cited.columns) == ["id", "label", "source", "title", "locator", "note"]


def test_to_frame_takes_records_only():
    from cstograph.frames import to_frame

    with pytest.raises(TypeError, match="answer records"):
        to_frame([{"id": 1}])


def test_without_pandas_the_error_names_the_extra(monkeypatch, history):
    from cstograph.frames import to_frame

    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(MissingExtraError, match=r"cstograph\[frames\]"):
        to_frame(history.members("CSTO", year=2007))
    assert issubclass(MissingExtraError, ImportError)


def test_pandas_is_an_optional_extra_imported_only_by_frames():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any(d.startswith("pandas") for d in project["dependencies"])
    assert any(d.startswith("pandas") for d in project["optional-dependencies"]["frames"])
    assert any(d.startswith("pandas") for d in project["optional-dependencies"]["dev"])
    code = "import sys, cstograph.frames, cstograph.cli; print('pandas' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_labels_of_entities_are_never_source_titles(graph, history):
    """The entity names and the source titles are kept apart: no entity key is built from a
    source's title unless an entity has that name itself."""
    for source in _source_nodes(graph):
        for title in graph.objects(source, DCTERMS.title):
            for node in history.names.names().get(str(title).strip().casefold(), set()):
                labels = {str(v) for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label)
                          for v in graph.objects(node, p)}  # fmt: skip
                assert str(title) in labels or str(node).endswith(str(title)), (title, node)


def test_a_timeline_in_a_window_says_which_rows_are_not_surely_there():
    """Kant air base in 2017: the 2003 agreement ends "2017" (year precision), so it only
    touches the year; the column appears only when a row is not held."""
    header, _rule, *rows = run("timeline", "Kant air base", "--year", "2017").output.splitlines()
    assert header.split()[:4] == ["from", "until", "held", "kind"]
    assert any(r.startswith("2003-09-22") and " imprecise " in r for r in rows)
    assert "held" not in run("timeline", "Kant air base").output.splitlines()[0].split()


def test_to_frame_is_at_the_package_top_level():
    import cstograph
    from cstograph.frames import to_frame

    assert cstograph.to_frame is to_frame


def test_sources_by_kind(every_claim, graph):
    official = sources(every_claim, kind="official")
    assert official, "the graph marks official sources"
    assert {d.kind for d in official} == {"official"}
    marked = {
        every_claim.entity(s).id
        for s in graph.subjects(CST.sourceKind, CST.OfficialSource)
        if (s, RDF.type, CST.SourceDocument) in graph
    }
    assert {d.id for d in official} == marked
    header = run("sources", "--kind", "official").output.splitlines()[0].split()
    assert header[:4] == ["id", "title", "issued", "kind"]
