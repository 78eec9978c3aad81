"""States linked by what they share: the state-to-state projection of a snapshot.

Which edges link a state to an organization or force it shares with others comes from the
kinds table (:mod:`cstograph.model.kinds`): the edges of every kind that is ``shared``
(memberships and force contributions), and for a kind whose relations must have a role, only
those whose role counts as membership, as :meth:`History.members
<cstograph.index.history.History.members>` counts them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

import networkx as nx

from cstograph.index.history import MEMBER_ROLES
from cstograph.model.kinds import KINDS, Kind
from cstograph.model.terms import short_name

__all__ = ["MEMBERSHIP_ROLE_IDS", "projection", "role_counts"]

#: ``role_id`` values that count as membership (full member, party/signatory, participation
#: frozen) for a kind whose relations must have a role.
MEMBERSHIP_ROLE_IDS: frozenset[str] = frozenset(short_name(r) for r in MEMBER_ROLES)


def role_counts(kind: Kind, role_id: str) -> bool:
    """Whether an edge of ``kind`` with ``role_id`` counts as taking part: always, unless
    the kind's relations must have a role (``Kind.role == "required"``), then only for the
    roles of :data:`MEMBERSHIP_ROLE_IDS` (an observer is not a member).

    Examples
    --------
    >>> from cstograph.model.kinds import kind
    >>> member_of = kind("member-of")
    >>> role_counts(member_of, "cst:Observer"), role_counts(member_of, "cst:FullMember")
    (False, True)
    >>> role_counts(kind("contributes-to-force"), "")
    True
    """
    return kind.role != "required" or role_id in MEMBERSHIP_ROLE_IDS


def projection(
    snapshot_graph: nx.MultiDiGraph[str], orgs: Collection[str] | None = None
) -> nx.Graph[str]:
    """States linked by the organizations and forces they share in a snapshot.

    Two states are linked when both are members (full member, party/signatory, participation
    frozen) of one organization, or both contribute to one joint force (the edges of the
    ``shared`` kinds, as :func:`role_counts` says); ``weight`` is the number of organizations
    and forces they share, ``shared`` their ids (``; ``-separated). Nodes are the states with
    at least one such membership or contribution.

    Parameters
    ----------
    snapshot_graph
        A graph from :func:`~cstograph.analysis.snapshot.snapshot` or
        :func:`~cstograph.analysis.sweep.snapshots`.
    orgs
        Only these organization or force ids (use :func:`~cstograph.analysis.snapshot.scope`
        to turn names into ids).

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.analysis.snapshot import snapshot
    >>> from cstograph.index.history import History
    >>> p = projection(snapshot(History(load()), year=2010))
    >>> link = p.edges["cs:russia", "cs:armenia"]
    >>> link["weight"] >= 2, "cs:csto; cs:csto-crrf" in link["shared"]
    (True, True)
    """
    shared_kinds = {k.name: k for k in KINDS if k.shared}
    members: dict[str, set[str]] = defaultdict(set)
    for u, v, data in snapshot_graph.edges(data=True):
        table = shared_kinds.get(data["kind"])
        if table is None or not role_counts(table, data["role_id"]):
            continue
        if snapshot_graph.nodes[u].get("class") != "cst:State":
            continue
        if orgs is not None and v not in orgs:
            continue
        members[v].add(u)
    result: nx.Graph[str] = nx.Graph()
    result.graph.update(snapshot_graph.graph)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for org in sorted(members):
        states = sorted(members[org])
        for state in states:
            if state not in result:
                result.add_node(state, **snapshot_graph.nodes[state])
        for i, a in enumerate(states):
            for b in states[i + 1 :]:
                shared[(a, b)].append(org)
    for (a, b), orgs_shared in sorted(shared.items()):
        result.add_edge(a, b, weight=len(orgs_shared), shared="; ".join(orgs_shared))
    return result
