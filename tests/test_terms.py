"""terms.py and ontology/cstograph.ttl stay in step both ways, and every term is documented."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from cstograph.io import paths
from cstograph.model.kinds import KINDS
from cstograph.model.terms import CST, EVENT_CLASSES, ONTOLOGY_IRI

NS = str(CST._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(paths.ontology_file())


def ontology_terms(ontology: Graph) -> set[str]:
    return {str(s)[len(NS) :] for s in ontology.subjects() if str(s).startswith(NS)}


def python_terms() -> set[str]:
    return set(CST.__annotations__)


def test_every_python_term_is_in_the_ontology(ontology):
    assert python_terms() - ontology_terms(ontology) == set()


def test_every_ontology_term_is_in_python(ontology):
    assert ontology_terms(ontology) - python_terms() == set()


def test_misspelt_term_fails_at_once():
    with pytest.raises(AttributeError):
        CST.AllianceMembersip  # noqa: B018


def test_every_term_has_label_and_definition(ontology):
    for name in ontology_terms(ontology):
        term = URIRef(NS + name)
        assert ontology.value(term, RDFS.label) is not None, name
        assert ontology.value(term, SKOS.definition) is not None, name


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, SKOS.changeNote):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None
    assert not list(ontology.objects(ONTOLOGY_IRI, OWL.imports)), "imports would be fetched"


def test_relation_and_event_classes_are_declared(ontology):
    for cls in [*(k.cls for k in KINDS), *EVENT_CLASSES]:
        assert (cls, RDF.type, OWL.Class) in ontology
    for cls in (k.cls for k in KINDS):
        assert (cls, RDFS.subClassOf, CST.TemporalRelation) in ontology
    for cls in EVENT_CLASSES:
        assert cls == CST.Event or (cls, RDFS.subClassOf, CST.Event) in ontology
