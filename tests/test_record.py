"""The historical record answers correctly at the dates where it changes.

Each case comes from the sources cited in graph/ (see the closing notes of issue 5): the day
before and the day a status changes, for every organization. Answers are the default view
(preferred claims); roles are the labels the API reports.
"""

from __future__ import annotations

import pytest

from cstograph.index.history import History

CASES = [
    # Collective Security Treaty (1992-2003) and the CSTO
    ("Collective Security Treaty", "Georgia", "1994-06-01", {"party/signatory"}),
    ("Collective Security Treaty", "Georgia", "1999-04-20", set()),
    ("Collective Security Treaty", "Uzbekistan", "1999-04-19", {"party/signatory"}),
    ("Collective Security Treaty", "Uzbekistan", "1999-04-20", set()),
    ("CSTO", "Russia", "2003-09-17", set()),
    ("CSTO", "Russia", "2003-09-18", {"full member"}),
    ("CSTO", "Uzbekistan", "2006-08-15", set()),
    ("CSTO", "Uzbekistan", "2006-08-16", {"full member"}),
    ("CSTO", "Uzbekistan", "2012-12-19", {"suspended"}),
    ("CSTO", "Armenia", "2024-02-21", {"full member"}),
    ("CSTO", "Armenia", "2024-02-22", {"participation frozen"}),
    ("CSTO", "Armenia", "2026-11-26", {"participation frozen"}),
    # CIS
    ("CIS", "Georgia", "1993-06-01", set()),
    ("CIS", "Georgia", "2009-08-17", {"full member"}),
    ("CIS", "Georgia", "2009-08-18", set()),
    ("CIS", "Turkmenistan", "2005-08-25", {"party/signatory"}),
    ("CIS", "Turkmenistan", "2005-08-26", {"associate member"}),
    ("CIS", "Ukraine", "2018-05-18", {"party/signatory"}),
    ("CIS", "Ukraine", "2018-05-19", set()),
    ("CIS", "Moldova", "2026-11-26", {"full member"}),
    # EurAsEC and the EAEU
    ("EurAsEC", "Uzbekistan", "2006-01-24", set()),
    ("EurAsEC", "Uzbekistan", "2006-01-25", {"full member"}),
    ("EurAsEC", "Uzbekistan", "2008-11-15", {"suspended"}),
    ("EurAsEC", "Russia", "2014-12-31", {"full member"}),
    ("EurAsEC", "Russia", "2015-01-01", set()),
    ("EAEU", "Armenia", "2015-01-01", set()),
    ("EAEU", "Armenia", "2015-01-02", {"full member"}),
    ("EAEU", "Kyrgyzstan", "2015-08-10", {"full member"}),
    ("EAEU", "Moldova", "2018-05-14", {"observer"}),
    ("EAEU", "Uzbekistan", "2020-12-11", {"observer"}),
    # SCO
    ("SCO", "India", "2017-06-08", {"observer"}),
    ("SCO", "India", "2017-06-09", {"full member"}),
    ("SCO", "Iran", "2023-07-04", {"full member"}),
    ("SCO", "Belarus", "2024-07-03", {"observer"}),
    ("SCO", "Belarus", "2024-07-04", {"full member"}),
    # GUAM
    ("GUAM", "Uzbekistan", "1999-04-23", set()),
    ("GUAM", "Uzbekistan", "1999-04-24", {"full member"}),
    ("GUAM", "Uzbekistan", "2003-01-01", {"observer"}),
    ("GUAM", "Uzbekistan", "2005-06-01", set()),
    ("GUAM", "Moldova", "2006-05-23", {"full member"}),
    # Union State
    ("Union State", "Russia", "2000-01-25", set()),
    ("Union State", "Belarus", "2000-01-26", {"full member"}),
    # NATO and the EU
    ("NATO", "Lithuania", "2004-03-28", {"partner"}),
    ("NATO", "Lithuania", "2004-03-29", {"full member"}),
    ("NATO", "Estonia", "2004-03-31", {"full member"}),
    ("NATO", "Russia", "1995-01-01", {"partner"}),
    ("EU", "Latvia", "2004-04-30", set()),
    ("EU", "Latvia", "2004-05-01", {"full member"}),
]


@pytest.fixture(scope="module")
def history(graph):
    return History(graph)


@pytest.mark.parametrize("org,state,day,roles", CASES, ids=[f"{o}-{s}-{d}" for o, s, d, _ in CASES])
def test_membership_at_a_change(history, org, state, day, roles):
    found = history.relations("member-of", subject=state, object=org, on=day)
    assert {r.role for r in found} == roles
    assert all(r.certain for r in found)  # every change date here is known to the day
    assert all(r.sources for r in found)


BASES = [
    # (base, day, expected (host, operator) or None)
    ("Kant air base", "2003-10-01", ("Kyrgyzstan", "Russia")),
    ("Kant air base", "2003-09-15", None),
    ("Gabala radar station", "2012-12-09", ("Azerbaijan", "Russia")),
    ("Gabala radar station", "2012-12-10", None),
    ("Transit Center at Manas", "2001-12-15", None),
    ("Transit Center at Manas", "2014-06-02", ("Kyrgyzstan", "United States")),
    ("Transit Center at Manas", "2014-06-03", None),
    ("Karshi-Khanabad Air Base", "2006-01-01", None),
]


@pytest.mark.parametrize("base,day,expected", BASES, ids=[f"{b}-{d}" for b, d, _ in BASES])
def test_bases_at_a_change(history, base, day, expected):
    found = history.relations("hosts-base", object=base, on=day)
    pairs = {(r.subject.label, r.operator.label) for r in found}
    assert pairs == ({expected} if expected else set())


def test_k2_during_2005(history):
    found = history.relations("hosts-base", object="Karshi-Khanabad Air Base", year=2005)
    assert {(r.subject.label, r.operator.label) for r in found} == {("Uzbekistan", "United States")}


def contributors(history, day):
    return {r.subject.label: r.role for r in history.members("CRRF", on=day)}


def test_crrf_contributors(history):
    july = contributors(history, "2009-07-01")
    assert {s for s, role in july.items() if role == "standing contributor"} == {
        "Russia", "Armenia", "Kazakhstan", "Kyrgyzstan", "Tajikistan",
    }  # fmt: skip
    assert july["Uzbekistan"] == "ad hoc contributor"
    assert "Belarus" not in july
    assert "Belarus" in contributors(history, "2009-10-20")
    assert "Uzbekistan" not in contributors(history, "2012-07-01")
