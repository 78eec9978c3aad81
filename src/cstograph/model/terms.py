"""The ontology's terms as Python, and the namespaces the graph uses.

``CST`` is a closed :class:`rdflib.namespace.DefinedNamespace`: a misspelt term raises
``AttributeError`` at once instead of silently minting a new IRI. ``tests/test_terms.py``
keeps this module and ``ontology/cstograph.ttl`` in step both ways.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
    Namespace,
)

__all__ = [
    "CS",
    "CSHP",
    "CST",
    "DCTERMS",
    "EVENT_CLASSES",
    "FOAF",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "SOURCE_KINDS",
    "TIME",
    "WD",
    "XSD",
]


class CST(DefinedNamespace):
    """Terms of the cstograph ontology (``ontology/cstograph.ttl``)."""

    _NS = Namespace("https://w3id.org/cstograph/ontology#")
    _fail = True

    # Entities
    State: URIRef  # state
    InternationalOrganization: URIRef  # international organization
    Alliance: URIRef  # alliance
    JointForce: URIRef  # joint force
    CommandStructure: URIRef  # command structure
    MilitaryUnit: URIRef  # military unit
    MilitaryBase: URIRef  # military base
    AirBase: URIRef  # air base
    GroundForcesBase: URIRef  # ground forces base
    RadarStation: URIRef  # radar station
    NavalCommunicationStation: URIRef  # naval communication station
    TestRange: URIRef  # test range
    SpaceLaunchComplex: URIRef  # space launch complex
    SourceDocument: URIRef  # source document
    SourceKind: URIRef  # source kind
    OfficialSource: URIRef  # official
    AgencyOrNewspaper: URIRef  # agency or newspaper
    ScholarlySource: URIRef  # scholarly
    EncyclopediaOrMirror: URIRef  # encyclopedia or mirror
    BlogOrRepost: URIRef  # blog or repost
    Treaty: URIRef  # treaty

    # Dated events
    Event: URIRef  # dated event
    TreatySigning: URIRef  # treaty signing
    Decision: URIRef  # decision
    Operation: URIRef  # operation
    Statement: URIRef  # statement
    Founding: URIRef  # founding
    Renaming: URIRef  # renaming or transformation
    Dissolution: URIRef  # dissolution
    Request: URIRef  # request for assistance

    # Time-bounded relations
    TemporalRelation: URIRef  # time-bounded relation
    AllianceMembership: URIRef  # membership
    NonMembership: URIRef  # stated non-membership
    ForceContribution: URIRef  # force contribution
    BasingArrangement: URIRef  # basing arrangement
    OfficeHolding: URIRef  # office holding

    # Roles
    FullMember: URIRef  # full member
    Signatory: URIRef  # party/signatory
    AssociateMember: URIRef  # associate member
    Observer: URIRef  # observer
    Partner: URIRef  # partner
    Suspended: URIRef  # suspended
    ParticipationFrozen: URIRef  # participation frozen
    StandingContributor: URIRef  # standing contributor
    AdHocContributor: URIRef  # ad hoc contributor

    # Time
    BoundQualifier: URIRef  # bound qualifier
    NotLaterThan: URIRef  # not later than
    NotEarlierThan: URIRef  # not earlier than
    startPrecision: URIRef  # start precision
    endPrecision: URIRef  # end precision
    startQualifier: URIRef  # start qualifier
    endQualifier: URIRef  # end qualifier

    # Relation roles
    nonMember: URIRef  # non-member
    nonMemberOf: URIRef  # not member of
    hostState: URIRef  # host state
    operator: URIRef  # operator
    base: URIRef  # base
    stationedUnit: URIRef  # stationed unit
    holder: URIRef  # holder
    post: URIRef  # post
    contributedUnit: URIRef  # contributed unit
    unitDescription: URIRef  # unit description
    personnel: URIRef  # personnel

    # Event roles and figures
    treaty: URIRef  # treaty
    speaker: URIRef  # speaker
    speakerPost: URIRef  # speaker's post
    figure: URIRef  # figure
    approximation: URIRef  # approximation
    Approximation: URIRef  # approximation
    Exact: URIRef  # exactly
    Approximately: URIRef  # approximately
    MoreThan: URIRef  # more than
    AtLeast: URIRef  # at least

    # Provenance and claims
    locator: URIRef  # locator
    documentName: URIRef  # document name
    sourceKind: URIRef  # source kind
    conflictsWith: URIRef  # conflicts with
    preferred: URIRef  # preferred
    preferenceReason: URIRef  # preference reason

    # Coverage: how much of an organization's membership the graph records
    CoverageStatement: URIRef  # coverage statement
    coverage: URIRef  # coverage
    recordedWhole: URIRef  # recorded whole
    coveredRoles: URIRef  # covered roles
    coveredFrom: URIRef  # covered from
    coveredUntil: URIRef  # covered until


#: Entities, relation nodes, events and sources of the graph.
CS = Namespace("https://w3id.org/cstograph/id/")
#: SHACL shapes of ``ontology/shapes.ttl``.
CSHP = Namespace("https://w3id.org/cstograph/shapes#")
#: schema.org, https form only (as rdflib's ``SDO``).
SCHEMA = SDO
#: Wikidata entities.
WD = Namespace("http://www.wikidata.org/entity/")

#: The ontology's own IRI.
ONTOLOGY_IRI = URIRef("https://w3id.org/cstograph/ontology")

#: The classes of dated one-off events.
EVENT_CLASSES: tuple[URIRef, ...] = (
    CST.TreatySigning,
    CST.Decision,
    CST.Operation,
    CST.Statement,
    CST.Founding,
    CST.Renaming,
    CST.Dissolution,
    CST.Request,
    CST.Event,  # events of no more specific kind (an entry into force, say)
)

#: What sort of source a document is (``cst:sourceKind``), as answers name it.
SOURCE_KINDS: dict[URIRef, str] = {
    CST.OfficialSource: "official",
    CST.AgencyOrNewspaper: "agency or newspaper",
    CST.ScholarlySource: "scholarly",
    CST.EncyclopediaOrMirror: "encyclopedia or mirror",
    CST.BlogOrRepost: "blog or repost",
}

#: Prefixes declared for every SPARQL query and every Turtle file we write.
PREFIXES: dict[str, str] = {
    prefix: str(namespace)
    for prefix, namespace in (
        ("cst", CST),
        ("cs", CS),
        ("cshp", CSHP),
        ("org", ORG),
        ("schema", SCHEMA),
        ("prov", PROV),
        ("time", TIME),
        ("skos", SKOS),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("owl", OWL),
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("wd", WD),
    )
}


def short_name(node: object) -> str:
    """A node as people read it: ``cs:csto`` for a known namespace, the plain value otherwise.

    Examples
    --------
    >>> short_name(CS.csto)
    'cs:csto'
    >>> short_name(URIRef("http://example.org/x"))
    'http://example.org/x'
    """
    text = str(node)
    if isinstance(node, URIRef):
        best = ""
        for prefix, namespace in PREFIXES.items():
            if text.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
                best = prefix
        if best:
            local = text[len(PREFIXES[best]) :]
            if local and all(c.isalnum() or c in "-_." for c in local):
                return f"{best}:{local}"
    return text
