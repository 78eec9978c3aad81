"""The temporal API over the shipped graph and over frozen edge cases."""

from __future__ import annotations

import pytest

from cstograph import InputError, load
from cstograph.errors import UnknownEntityError
from cstograph.index.history import History

from .conftest import DATA


@pytest.fixture(scope="module")
def history(graph):
    return History(graph)


@pytest.fixture(scope="module")
def edges():
    return History(load([DATA / "temporal-edges.ttl"]))


def names(relations):
    return sorted(r.subject.label for r in relations)


# resolving names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,expected",
    [
        ("CSTO", "cs:csto"),
        ("csto", "cs:csto"),
        ("Collective Security Treaty Organization", "cs:csto"),
        ("collective security treaty organization", "cs:csto"),
        ("Kyrgyz Republic", "cs:kyrgyzstan"),
        ("Q813", "cs:kyrgyzstan"),
        ("kyrgyzstan", "cs:kyrgyzstan"),
        ("cs:kyrgyzstan", "cs:kyrgyzstan"),
        ("https://w3id.org/cstograph/id/kyrgyzstan", "cs:kyrgyzstan"),
        ("Nikolay Bordyuzha", "cs:nikolai-bordyuzha"),
    ],
)
def test_resolve(history, name, expected):
    assert history.resolve(name).id == expected


def test_unknown_name_suggests_the_closest(history):
    with pytest.raises(UnknownEntityError) as info:
        history.resolve("Kyrgystan")
    assert "did you mean Kyrgyzstan" in str(info.value)
    assert info.value.exit_code == 2


def test_relation_nodes_are_not_entities(history):
    with pytest.raises(UnknownEntityError):
        history.resolve("cs:membership-russia-csto-charter")


# members -------------------------------------------------------------------------------------


def test_edges_exact_end(edges):
    assert "Alphaland" in names(edges.members("TA", on="2012-12-18"))
    assert "Alphaland" not in names(edges.members("TA", on="2012-12-19"))


def test_edges_rejoin_gives_two_spells(edges):
    assert "Alphaland" not in names(edges.members("TA", year=2014))
    assert "Alphaland" in names(edges.members("TA", on="2015-03-01"))
    spells = [
        r for r in edges.members("TA", between=("2001", "2026")) if r.subject.label == "Alphaland"
    ]
    assert [r.start.isoformat() for r in spells] == ["2001-06-15", "2015-03-01"]


def test_edges_year_only_bounds_are_flagged(edges):
    (beta,) = [r for r in edges.members("TA", on="2003-06-01") if r.subject.label == "Betaland"]
    assert beta.certain is False
    (beta,) = [r for r in edges.members("TA", year=2003) if r.subject.label == "Betaland"]
    assert beta.certain is True
    (beta,) = [r for r in edges.members("TA", year=2010) if r.subject.label == "Betaland"]
    assert beta.certain is False
    assert "Betaland" not in names(edges.members("TA", year=2011))


def test_edges_default_roles_and_role_filter(edges):
    default = names(edges.members("TA", year=2012))
    assert default == ["Alphaland", "Deltaland"]  # Betaland left in 2010
    assert "Gammaland" not in default  # observers only on request
    assert names(edges.members("TA", year=2012, role="observer")) == ["Gammaland"]
    everyone = edges.members("TA", year=2011, role="all")
    assert {r.role for r in everyone} == {"full member", "observer", "participation frozen"}
    frozen = edges.members("TA", on="2011-07-01")
    assert {(r.subject.label, r.role) for r in frozen} >= {("Deltaland", "participation frozen")}
    assert ("Deltaland", "full member") not in {(r.subject.label, r.role) for r in frozen}


def test_unknown_role(edges):
    with pytest.raises(InputError, match="unknown role"):
        edges.members("TA", role="emperor")


def test_open_interval_and_certainty(edges):
    (gamma,) = edges.members("TA", year=2026, role="observer")
    assert gamma.end is None and gamma.certain
    (gamma,) = edges.members("TA", on="2005-03-02", role="observer")
    assert not gamma.certain


def test_records_carry_everything(edges):
    (record,) = [r for r in edges.members("TA", on="2012-01-01") if r.subject.label == "Alphaland"]
    assert record.kind == "member-of"
    assert record.object.id == "cs:test-alliance"
    assert (record.start_precision, record.end_precision) == ("day", "day")
    assert record.sources[0].locator == "row 1"
    data = record.to_dict()
    assert data["subject"] == {"id": "cs:alphaland", "label": "Alphaland"}
    assert data["sources"][0]["title"] == "Test notes"


# the shipped graph ---------------------------------------------------------------------------


def test_csto_members_2007(history, graph):
    members = history.members("CSTO", year=2007)
    expected = {"Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan"}
    assert expected <= set(names(members))
    assert all(r.sources for r in members)
    # the seed's undated listing is evidence of the dated memberships, not a second set of rows
    assert all("cs:source-seed-000" in {s.id for s in r.sources} for r in members)
    assert len({r.subject.label for r in members}) == len(members)
    # its one claim that disagrees (Uzbekistan a member from the start, undated) is behind
    # --claims all --possible: no source places it in 2003, so it is only not excluded there
    every = History(graph, claims="all").members("CSTO", year=2003, possible=True)
    seed = [r for r in every if {s.id for s in r.sources} == {"cs:source-seed-000"}]
    assert [r.subject.label for r in seed] == ["Uzbekistan"]
    assert all(not r.certain and r.preferred is False for r in seed)
    assert all(r.grade == "not excluded" for r in seed)
    default = History(graph, claims="all").members("CSTO", year=2003)
    assert not {r.id for r in seed} & {r.id for r in default}


def test_relations_by_kind_and_subject(history):
    bases = history.relations("hosts-base", subject="Kyrgyzstan")
    assert ("Kant air base", "Russia") in {(r.object.label, r.operator.label) for r in bases}
    assert all(r.subject.id == "cs:kyrgyzstan" and r.kind == "hosts-base" for r in bases)
    in_2002 = history.relations("hosts-base", subject="Kyrgyzstan", year=2002)
    assert "Kant air base" not in {r.object.label for r in in_2002}


def test_holds_office_has_organization(history):
    holdings = history.relations("holds-office", on="2013-12-26", possible=True)
    certain = {(h.subject.label, h.object.id) for h in holdings if h.certain}
    # attested the day of his statement (seed, paragraph 14)
    assert ("Valery Semerikov", "cs:post-csto-deputy-secretary-general") in certain
    # a holding attested on one day only is not certain the next day
    later = history.relations("holds-office", on="2013-12-28")
    semerikov = [
        h for h in later if h.id == "cs:office-semerikov-csto-deputy-secretary-general-2013"
    ]
    assert all(not h.certain for h in semerikov)
    (holding,) = [h for h in holdings if h.subject.label == "Valery Semerikov"]
    assert holding.organization.id == "cs:csto"


def test_timeline_is_in_date_order(history):
    items = history.timeline("Uzbekistan")
    assert [i.start for i in items] == sorted(i.start for i in items)
    kinds = {i.kind for i in items}
    assert {"member-of", "not-member-of", "event"} <= kinds


def test_unknown_kind(history):
    with pytest.raises(InputError, match="unknown kind"):
        history.relations("allied-with")


# diff ----------------------------------------------------------------------------------------


def test_diff_joined_left_role_changed(edges):
    changes = {(c.subject.label, c.change) for c in edges.diff(2009, 2012, org="TA")}
    assert ("Betaland", "left") in changes
    assert ("Deltaland", "role changed") in changes
    assert not any(name == "Alphaland" for name, _ in changes)  # a member in both years
    changes = {(c.subject.label, c.change) for c in edges.diff(2012, 2013, org="TA")}
    assert ("Alphaland", "left") in changes
    changes = {
        (c.subject.label, c.change) for c in edges.diff("2013-06-01", "2015-06-01", org="TA")
    }
    assert ("Alphaland", "joined") in changes


def test_diff_on_the_shipped_graph(history):
    changes = history.diff(2008, 2010, kind="contributes-to-force")
    assert {c.change for c in changes} == {"joined"}
    assert {c.object.id for c in changes} == {"cs:csto-crrf"}
