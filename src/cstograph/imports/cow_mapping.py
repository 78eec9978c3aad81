"""The reviewed table that maps COW states and IGOs onto the graph's own entities.

``cow_igo_mapping.csv`` beside this module: ``kind`` (state or igo), ``cow_code`` (a state's
ccode, an IGO's ioname), ``cow_name``, ``iri`` (``cs:slug``), ``class`` (its class in the graph),
``from_year`` (the first COW year the code stands for our entity; earlier years stay in the COW
namespace) and a ``note``. Every
row was checked by hand; nothing is matched by name at run time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from rdflib import URIRef

from cstograph.model.terms import CS, CST

__all__ = ["Mapping", "read_mapping"]


@dataclass(frozen=True)
class Mapping:
    """Our entity for a COW code from ``from_year`` on."""

    iri: URIRef
    from_year: int
    cls: URIRef


def read_mapping() -> tuple[dict[int, Mapping], dict[str, Mapping]]:
    """The states (by ccode) and IGOs (by lower-case ioname) of the mapping table.

    Examples
    --------
    >>> states, igos = read_mapping()
    >>> states[365]
    Mapping(iri=rdflib.term.URIRef('https://w3id.org/cstograph/id/russia'), from_year=1992, cls=rdflib.term.URIRef('https://w3id.org/cstograph/ontology#State'))
    >>> str(igos["eaec"].iri)
    'https://w3id.org/cstograph/id/eurasec'
    """
    text = resources.files(__package__).joinpath("cow_igo_mapping.csv").read_text("utf-8")
    states: dict[int, Mapping] = {}
    igos: dict[str, Mapping] = {}
    for row in csv.DictReader(text.splitlines()):
        entry = Mapping(
            CS[row["iri"].removeprefix("cs:")],
            int(row["from_year"] or 0),
            CST[row["class"].removeprefix("cst:")],
        )
        if row["kind"] == "state":
            states[int(row["cow_code"])] = entry
        else:
            igos[row["cow_code"].casefold()] = entry
    return states, igos
