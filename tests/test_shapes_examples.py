"""The SHACL shapes and the SPARQL violation checks, tested against their example files.

Data-driven, in the manner of pySHACL's own test suite: every file in ``ontology/examples/``
says on its first line what must happen when it is checked (``# expect: conforms`` or
``# expect: <shape or query>``), and one parametrized test per file checks that it does.
See ``ontology/examples/README.md`` for the conventions.

Each example is loaded together with ``ontology/cstograph.ttl`` into one graph, so that
``sh:class`` and ``sh:targetClass`` follow the ontology's ``rdfs:subClassOf`` axioms without
inference. Nothing here imports the ``cstograph`` package, and every path is found from this
file, never from the working directory.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "cstograph.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
QUERY_DIR = ROOT / "ontology" / "sparql"
EXAMPLE_DIR = ROOT / "ontology" / "examples"
QUERY_EXAMPLE_DIR = EXAMPLE_DIR / "sparql"

SH = Namespace("http://www.w3.org/ns/shacl#")
CSHP = Namespace("https://w3id.org/cstograph/shapes#")

#: ``<subject>.valid.ttl`` or ``<subject>.invalid.ttl``, either with an optional ``-suffix``;
#: the subject is a shape's local name or a query's file stem.
EXAMPLE_NAME = re.compile(
    r"^(?P<subject>[A-Za-z0-9-]+?)\.(?P<kind>valid|invalid)(?:-[a-z0-9-]+)?\.ttl$"
)
EXPECT_LINE = re.compile(r"^# expect: (?P<value>\S.*?)\s*$")
WHY_LINE = re.compile(r"^# \S")
PREFIX_DECLARATION = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*):")
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

SHAPE_EXAMPLES = sorted(EXAMPLE_DIR.glob("*.ttl"))
QUERY_EXAMPLES = sorted(QUERY_EXAMPLE_DIR.glob("*.ttl"))
QUERIES = sorted(QUERY_DIR.glob("*.rq"))


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------


@cache
def shapes_text() -> str:
    return SHAPES_FILE.read_text(encoding="utf-8")


def shapes_graph() -> Graph:
    """A fresh parse of the shapes: pySHACL adds triples to the shapes graph it is given."""
    return Graph().parse(data=shapes_text(), format="turtle")


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def shape_iris() -> list[URIRef]:
    g = shapes_graph()
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    return sorted(s for s in shapes if isinstance(s, URIRef))


SHAPES = shape_iris()
SHAPE_IDS = [f"cshp:{s.removeprefix(str(CSHP))}" for s in SHAPES]


def load_with_ontology(example: Path) -> Graph:
    """The ontology and one example in one graph, as the library validates them together."""
    g = Graph()
    for triple in ontology_graph():
        g.add(triple)
    g.parse(example, format="turtle")
    return g


def expectation(example: Path) -> str:
    first = example.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT_LINE.match(first)
    assert match, f"{example.name}: first line must be '# expect: ...', found {first!r}"
    return match.group("value")


def expected_shapes(example: Path) -> set[URIRef]:
    tokens = expectation(example).split()
    for token in tokens:
        assert token.startswith("cshp:"), f"{example.name}: expected shape ids, got {token!r}"
    return {CSHP[token.removeprefix("cshp:")] for token in tokens}


def explains_itself(example: Path) -> bool:
    lines = example.read_text(encoding="utf-8").splitlines()
    return len(lines) > 1 and bool(WHY_LINE.match(lines[1]))


def validate(data: Graph) -> tuple[bool, set[URIRef | BNode], str]:
    conforms, report, text = pyshacl.validate(
        data_graph=data,
        shacl_graph=shapes_graph(),
        ont_graph=None,
        inference="none",
        advanced=True,
        do_owl_imports=False,
        abort_on_first=False,
    )
    sources = {s for s in report.objects(None, SH.sourceShape) if isinstance(s, URIRef | BNode)}
    return bool(conforms), sources, str(text)


@cache
def prepared(query: Path) -> Query:
    """The query parsed once, with no prefixes from outside: the file declares its own."""
    return prepareQuery(query.read_text(encoding="utf-8"), initNs={})


def query_rows(data: Graph, query: Path) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in data.query(prepared(query))]  # type: ignore[arg-type]


def prefixes_used(sparql: str) -> set[str]:
    """The prefixes of the prefixed names in SPARQL text (IRIs, strings, comments removed)."""
    text = re.sub(r"<[^<>\s]*>", " ", sparql)
    text = re.sub(r'"(?:[^"\\]|\\.)*"', " ", text)
    text = re.sub(r"#[^\n]*", " ", text)
    text = PREFIX_DECLARATION.sub(" ", text)
    return set(re.findall(r"(?<![\w?$:])([A-Za-z][\w-]*):(?=[A-Za-z_])", text))


def split_name(example: Path) -> tuple[str, str]:
    match = EXAMPLE_NAME.match(example.name)
    assert match, f"{example.name}: name must be <subject>.valid|invalid[-suffix].ttl"
    return match.group("subject"), match.group("kind")


def ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


# ------------------------------------------------------------------------------------------------
# the shapes graph itself
# ------------------------------------------------------------------------------------------------


def test_files_exist() -> None:
    assert ONTOLOGY_FILE.is_file() and SHAPES_FILE.is_file()
    assert SHAPES, "shapes.ttl declares no shape IRIs"
    assert SHAPE_EXAMPLES and QUERY_EXAMPLES and QUERIES


def test_shapes_graph_parses_and_is_well_formed_shacl() -> None:
    # meta_shacl checks the shapes graph against the SHACL-for-SHACL shapes first.
    conforms, _, text = pyshacl.validate(
        data_graph=Graph(),
        shacl_graph=shapes_graph(),
        meta_shacl=True,
        advanced=True,
        do_owl_imports=False,
    )
    assert conforms, text


def test_nothing_imports_anything() -> None:
    """No owl:imports, so validation never reaches the network (do_owl_imports stays off)."""
    assert list(shapes_graph().triples((None, OWL.imports, None))) == []
    assert list(ontology_graph().triples((None, OWL.imports, None))) == []


def test_targets_belong_to_named_shapes() -> None:
    """A shape that selects focus nodes has an IRI, so that its results can be traced to it."""
    g = shapes_graph()
    anonymous = {s for p in TARGETS for s in g.subjects(p, None) if not isinstance(s, URIRef)}
    assert anonymous == set()


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_shape_is_documented(shape: URIRef) -> None:
    g = shapes_graph()
    assert shape.startswith(str(CSHP)), f"{shape} is not in the cshp: namespace"
    messages = [m for m in g.objects(shape, SH.message) if isinstance(m, Literal)]
    assert list(g.objects(shape, RDFS.label)), f"{shape} has no rdfs:label"
    assert messages, f"{shape} has no sh:message"
    assert all(m.language == "en" and len(m) > 20 for m in messages), f"{shape}: explain in English"
    assert list(g.objects(shape, SH.severity)) == [SH.Violation], f"{shape}: not sh:Violation"


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_shape_has_valid_and_invalid_examples(shape: URIRef) -> None:
    local = shape.removeprefix(str(CSHP))
    valid = list(EXAMPLE_DIR.glob(f"{local}.valid*.ttl"))
    invalid = [p for p in EXAMPLE_DIR.glob(f"{local}.invalid*.ttl") if shape in expected_shapes(p)]
    assert valid, f"no examples/{local}.valid.ttl"
    assert invalid, f"no examples/{local}.invalid*.ttl whose '# expect:' line names {local}"


# ------------------------------------------------------------------------------------------------
# shape examples
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", SHAPE_EXAMPLES, ids=ids(SHAPE_EXAMPLES))
def test_shape_example_is_named_and_annotated(example: Path) -> None:
    subject, kind = split_name(example)
    assert CSHP[subject] in SHAPES, f"{example.name}: no shape cshp:{subject} in shapes.ttl"
    assert explains_itself(example), f"{example.name}: line 2 must be a comment saying why"
    if kind == "valid":
        assert expectation(example) == "conforms"
    else:
        assert CSHP[subject] in expected_shapes(example), f"{example.name}: must expect {subject}"
        second = example.read_text(encoding="utf-8").splitlines()[1]
        assert second.startswith("# Invalid"), f"{example.name}: line 2 must say '# Invalid: why'"


@pytest.mark.parametrize("example", SHAPE_EXAMPLES, ids=ids(SHAPE_EXAMPLES))
def test_shape_example(example: Path) -> None:
    """A valid example conforms and passes every query; an invalid one fails the shapes named."""
    data = load_with_ontology(example)
    conforms, sources, text = validate(data)
    if expectation(example) == "conforms":
        assert conforms, text
        for query in QUERIES:
            assert query_rows(data, query) == [], f"{query.name} reports rows on {example.name}"
    else:
        assert not conforms, f"{example.name} conforms but should violate {expectation(example)}"
        assert sources == expected_shapes(example), text


# ------------------------------------------------------------------------------------------------
# violation queries and their examples
# ------------------------------------------------------------------------------------------------


def test_queries_are_violation_queries() -> None:
    assert [q.name for q in QUERIES if not q.name.endswith("-violation.rq")] == []


@pytest.mark.parametrize("query", QUERIES, ids=ids(QUERIES))
def test_query_opens_with_comment_and_parses_alone(query: Path) -> None:
    text = query.read_text(encoding="utf-8")
    assert text.startswith("# "), f"{query.name} must open with a comment saying why it exists"
    parsed = prepared(query)
    assert parsed.algebra.name == "SelectQuery", f"{query.name} must be a SELECT"
    assert parsed.algebra["PV"], f"{query.name} must select the offending nodes"


@pytest.mark.parametrize("query", QUERIES, ids=ids(QUERIES))
def test_query_declares_every_prefix(query: Path) -> None:
    """rdflib silently knows org:, schema:, time: and more; Oxigraph and other engines do not."""
    text = query.read_text(encoding="utf-8")
    declared = set(PREFIX_DECLARATION.findall(text))
    assert prefixes_used(text) <= declared, f"{query.name} uses undeclared prefixes"


def test_shape_sparql_declares_every_prefix() -> None:
    """The same for SPARQL-based constraints: their prefixes come only from sh:declare."""
    g = shapes_graph()
    for constraint in g.objects(None, SH.sparql):
        declared = {
            str(prefix)
            for source in g.objects(constraint, SH.prefixes)
            for declaration in g.objects(source, SH.declare)
            for prefix in g.objects(declaration, SH.prefix)
        }
        select = str(g.value(constraint, SH.select))
        assert prefixes_used(select) <= declared, f"undeclared prefixes in {select}"


@pytest.mark.parametrize("query", QUERIES, ids=ids(QUERIES))
def test_query_has_valid_and_invalid_examples(query: Path) -> None:
    for kind in ("valid", "invalid"):
        example = QUERY_EXAMPLE_DIR / f"{query.stem}.{kind}.ttl"
        assert example.is_file(), f"no examples/sparql/{example.name}"


@pytest.mark.parametrize("example", QUERY_EXAMPLES, ids=ids(QUERY_EXAMPLES))
def test_query_example(example: Path) -> None:
    """A valid example gives no rows and conforms; an invalid one gives rows from its query."""
    subject, kind = split_name(example)
    query = QUERY_DIR / f"{subject}.rq"
    assert query.is_file(), f"{example.name}: no ontology/sparql/{subject}.rq"
    assert explains_itself(example), f"{example.name}: line 2 must be a comment saying why"
    data = load_with_ontology(example)
    if kind == "valid":
        assert expectation(example) == "conforms"
        for other in QUERIES:
            assert query_rows(data, other) == [], f"{other.name} reports rows on {example.name}"
        conforms, _, text = validate(data)
        assert conforms, text
    else:
        assert expectation(example) == subject, f"{example.name}: must say '# expect: {subject}'"
        assert query_rows(data, query), f"{query.name} finds nothing in {example.name}"


def test_no_year_only_datatype() -> None:
    """xsd:gYear breaks comparisons in rdflib and pySHACL (shared notes): keep it out entirely."""
    files = [SHAPES_FILE, *QUERIES, *SHAPE_EXAMPLES, *QUERY_EXAMPLES]
    assert [f.name for f in files if "gYear" in f.read_text(encoding="utf-8")] == []
