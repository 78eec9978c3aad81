"""COW IGO v3 state-year tables as membership relations of the graph's model.

One ``member-of`` relation (:func:`cstograph.model.kinds.kind`) per spell of consecutive years
in which a state has the same status in an IGO: 1 full member, 2 associate member, 3 observer.
0 is no membership; -9 (missing) and -1 (not in the state system) say nothing either way, so a
spell next to them has an open bound. Bounds are years (``time:unitYear``):

* a spell from year A to year B starts in A and ends during B (COW counts a state a member of
  a year if it was one at any time in it);
* a spell reaching the last year of the data (2014) is right-censored: its end is stored as
  2014 with ``cst:NotEarlierThan`` ("2014 or later"), not as an end;
* a spell next to -9, -1 or the state's first or last row has a one-sided bound too
  (start ``cst:NotLaterThan``, end ``cst:NotEarlierThan``);
* before 1965 COW observed every fifth year and carried the value forward, so a change seen
  in year Y happened after the previous step: the start is "Y or earlier"
  (``cst:NotLaterThan``), the end "by the year after the last member year" (``cst:NotLaterThan``).

Every relation cites the dataset (:data:`SOURCE`) with a locator ``ccode C, ioname X, years
A-B``. States and IGOs in :mod:`cstograph.imports.cow_mapping` become our entities; the others
get IRIs under :data:`COW` labelled ``NAME (COW CODE)`` so they never shadow ours by name.

The table is read row by row (sorted by ``ccode`` then ``year``, as COW ships it) and written
as it goes: memory holds one state's open spells, not the table.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TextIO

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from cstograph.errors import CsvRowError, InputError
from cstograph.imports.cow_mapping import read_mapping
from cstograph.io.files import atomic_path
from cstograph.model.kinds import kind, predicate_for
from cstograph.model.terms import CS, CST, DCTERMS, ORG, PROV, RDF, RDFS, SCHEMA, SKOS
from cstograph.temporal import Precision

__all__ = ["COW", "LAST_YEAR", "SOURCE", "Counts", "Spell", "import_cow_igo", "spells"]

#: Entities COW has and the graph does not.
COW = Namespace("https://w3id.org/cstograph/cow/")
#: The dataset every imported relation cites.
SOURCE = CS["source-cow-igo-v3"]
#: The last year of COW IGO v3: a spell that reaches it is right-censored.
LAST_YEAR = 2014
#: The first year COW observed every year (before it, every fifth year).
ANNUAL_FROM = 1965
_TITLE = "Correlates of War Intergovernmental Organizations data, version 3.0"
_CITATION = (
    "Pevehouse, Jon C.W., Timothy Nordstrom, Roseanne W. McManus, Anne Spencer Jamison, "
    '"Tracking Organizations in the World: The Correlates of War IGO Version 3.0 datasets", '
    "Journal of Peace Research. Original data: Wallace, Michael, and J. David Singer, "
    '"International Governmental Organization in the Global System, 1815-1964", '
    "International Organization 24 (1970): 239-87."
)
_ROLES = {1: CST.FullMember, 2: CST.AssociateMember, 3: CST.Observer}
_VALUES = (-9, -1, 0, 1, 2, 3)
_MEMBER_OF = kind("member-of")


@dataclass(frozen=True)
class Spell:
    """Consecutive years ``first``..``last`` with one membership ``status`` (1, 2 or 3);
    ``before`` and ``after`` are the statuses around it (None: no row)."""

    ccode: int
    state: str
    igo: str
    status: int
    first: int
    last: int
    before: int | None
    after: int | None


@dataclass
class Counts:
    """What an import wrote."""

    rows: int = 0
    relations: int = 0
    entities: int = 0


def _open(path: Path) -> TextIO:
    try:
        raw: IO[bytes] = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        raw = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
    else:
        raw.seek(0)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def spells(path: Path | str) -> Iterator[Spell]:
    """The membership spells of a state-year file, state by state.

    Raises
    ------
    CsvRowError
        ``FILE, row N: ...`` (the header is row 1): a value that is not one of -9, -1, 0, 1,
        2, 3, a bad ccode or year, a row out of order, a row of the wrong length.
    """
    path = Path(path)
    with _open(path) as text:
        reader = csv.reader(text)
        try:
            header = [c.strip().casefold() for c in next(reader)]
        except StopIteration:
            raise InputError(f"{path}: empty file") from None
        except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:
            raise InputError(f"{path}: cannot read: {exc}") from None
        for column in ("ccode", "year", "state"):
            if column not in header:
                raise InputError(f"{path}: missing column {column}")
        at = {c: header.index(c) for c in ("ccode", "year", "state")}
        igos = [(i, c) for i, c in enumerate(header) if c not in at]
        open_: dict[str, list[int]] = {}  # igo -> [status, first, last, before]
        previous: dict[str, int] = {}
        current: tuple[int, str] | None = None
        last_year = 0
        seen: set[int] = set()
        number = 1

        def fail(message: str) -> CsvRowError:
            return CsvRowError(f"{path}, row {number}: {message}")

        def ended(state: tuple[int, str], igo: str, spell: list[int], after: int | None) -> Spell:
            """The spell ``[status, first, last, before]`` of ``state`` in ``igo``, closed by
            the value ``after`` it (``None``: no row follows)."""
            status, first, last, before = spell
            before_value = None if before == -99 else before
            return Spell(state[0], state[1], igo, status, first, last, before_value, after)

        def flush(after: dict[str, int | None]) -> Iterator[Spell]:
            assert current is not None
            for igo, spell in open_.items():
                yield ended(current, igo, spell, after.get(igo))
            open_.clear()

        try:
            for number, row in enumerate(reader, start=2):  # noqa: B007 (read by fail)
                if len(row) != len(header):
                    raise fail(f"{len(row)} values, the header has {len(header)}")
                try:
                    ccode = int(row[at["ccode"]])
                except ValueError:
                    raise fail(f"ccode {row[at['ccode']]!r} is not a number") from None
                try:
                    year = int(row[at["year"]])
                except ValueError:
                    raise fail(f"year {row[at['year']]!r} is not a number") from None
                if current is None or ccode != current[0]:
                    if ccode in seen:
                        raise fail(f"ccode {ccode} again after other states (sort by ccode, year)")
                    if current is not None:
                        yield from flush({})
                    seen.add(ccode)
                    current = (ccode, row[at["state"]].strip())
                    previous = {}
                elif year <= last_year:
                    raise fail(f"year {year} after {last_year} (one row per year, in order)")
                elif year != last_year + 1:
                    # years without a row (the state left the system): spells stop there
                    yield from flush({})
                    previous = {}
                last_year = year
                for i, igo in igos:
                    cell = row[i].strip()
                    try:
                        value = int(cell)
                    except ValueError:
                        value = 99
                    if value not in _VALUES:
                        raise fail(f"{igo} {cell!r} is not one of -9, -1, 0, 1, 2, 3")
                    spell = open_.get(igo)
                    if spell is not None and spell[0] != value:
                        del open_[igo]
                        yield ended(current, igo, spell, value)
                        spell = None
                    if value > 0:
                        if spell is None:
                            open_[igo] = [value, year, year, previous.get(igo, -99)]
                        else:
                            spell[2] = year
                    previous[igo] = value

        except (csv.Error, UnicodeDecodeError, EOFError, OSError) as exc:
            raise fail(f"cannot read: {exc}") from None
        if current is not None:
            yield from flush({})


def _start(spell: Spell) -> tuple[int, URIRef | None]:
    if spell.before is None or spell.before < 0:
        return spell.first, CST.NotLaterThan
    if spell.first < ANNUAL_FROM:
        return spell.first, CST.NotLaterThan
    return spell.first, None


def _end(spell: Spell) -> tuple[int, URIRef | None]:
    if spell.after is None or spell.after < 0:
        return spell.last, CST.NotEarlierThan
    if spell.last + 1 < ANNUAL_FROM:
        return spell.last + 1, CST.NotLaterThan
    return spell.last, None


def _line(stream: IO[bytes], s: Node, p: URIRef, o: Node) -> None:
    stream.write(f"{s.n3()} {p.n3()} {o.n3()} .\n".encode())


def _year(value: int) -> Literal:
    from datetime import date

    return Literal(date(value, 1, 1))


class _Writer:
    def __init__(self, stream: IO[bytes], names: dict[int, str], igo_names: dict[str, str]) -> None:
        self.stream = stream
        self.states, self.igos = read_mapping()
        self.names = names
        self.igo_names = igo_names
        self.made: set[URIRef] = set()
        self.counts = Counts()
        self.source()

    def add(self, s: Node, p: URIRef, o: Node) -> None:
        _line(self.stream, s, p, o)

    def source(self) -> None:
        self.add(SOURCE, RDF.type, CST.SourceDocument)
        self.add(SOURCE, DCTERMS.title, Literal(_TITLE))
        self.add(SOURCE, CST.sourceKind, CST.ScholarlySource)
        self.add(SOURCE, CST.documentName, Literal("state_year_formatv3.csv (COW IGO v3.0)"))
        self.add(SOURCE, RDFS.comment, Literal(_CITATION))

    def declare(self, iri: URIRef, cls: URIRef) -> URIRef:
        """Our entity, typed once so that the import validates on its own."""
        if iri not in self.made:
            self.made.add(iri)
            self.add(iri, RDF.type, cls)
        return iri

    def state(self, ccode: int, abbreviation: str, year: int) -> URIRef:
        mapped = self.states.get(ccode)
        if mapped is not None and year >= mapped.from_year:
            return self.declare(mapped.iri, mapped.cls)
        name = self.names.get(ccode, abbreviation.upper())
        return self.cow_only(COW[f"state-{ccode}"], CST.State, name, str(ccode))

    def igo(self, name: str) -> URIRef:
        mapped = self.igos.get(name)
        if mapped is not None:
            return self.declare(mapped.iri, mapped.cls)
        title = self.igo_names.get(name, name.upper())
        return self.cow_only(COW[f"igo-{name}"], CST.InternationalOrganization, title, name.upper())

    def cow_only(self, iri: URIRef, cls: URIRef, name: str, code: str) -> URIRef:
        """An entity only COW has, made once: labelled "NAME (COW CODE)" so that it never
        shadows one of ours, with its COW code as its notation."""
        if iri not in self.made:
            self.made.add(iri)
            self.add(iri, RDF.type, cls)
            self.add(iri, RDFS.label, Literal(f"{name} (COW {code})", lang="en"))
            self.add(iri, SKOS.notation, Literal(code))
            self.counts.entities += 1
        return iri

    def relation(self, spell: Spell) -> None:
        state = self.state(spell.ccode, spell.state, spell.first)
        igo = self.igo(spell.igo)
        node = COW[f"membership-{spell.ccode}-{spell.igo}-{spell.first}"]
        start, start_q = _start(spell)
        end, end_q = _end(spell)
        self.add(node, RDF.type, _MEMBER_OF.cls)
        label = f"COW {spell.ccode} in {spell.igo.upper()} {spell.first}-{spell.last}"
        self.add(node, RDFS.label, Literal(label))
        self.add(node, predicate_for(_MEMBER_OF.subject, {CST.State}), state)
        self.add(node, predicate_for(_MEMBER_OF.object, set()), igo)
        self.add(node, ORG.role, _ROLES[spell.status])
        self.add(node, SCHEMA.startDate, _year(start))
        self.add(node, CST.startPrecision, Precision.UNIT[Precision.YEAR])
        if start_q is not None:
            self.add(node, CST.startQualifier, start_q)
        self.add(node, SCHEMA.endDate, _year(end))
        self.add(node, CST.endPrecision, Precision.UNIT[Precision.YEAR])
        if end_q is not None:
            self.add(node, CST.endQualifier, end_q)
        self.add(node, PROV.wasDerivedFrom, SOURCE)
        derivation = BNode(f"d{spell.ccode}x{spell.igo}x{spell.first}")
        self.add(node, PROV.qualifiedDerivation, derivation)
        self.add(derivation, RDF.type, PROV.Derivation)
        self.add(derivation, PROV.entity, SOURCE)
        locator = (
            f"ccode {spell.ccode}, ioname {spell.igo.upper()}, years {spell.first}-{spell.last}"
        )
        self.add(derivation, CST.locator, Literal(locator))
        self.counts.relations += 1


def _names(states: Path | None, igos: Path | None) -> tuple[dict[int, str], dict[str, str]]:
    state_names: dict[int, str] = {}
    igo_names: dict[str, str] = {}
    if states is not None:
        with _open(states) as text:
            for row in csv.DictReader(text):
                row = {k.strip().casefold(): v for k, v in row.items() if k}
                state_names.setdefault(int(row["ccode"]), row["statenme"].strip())
    if igos is not None:
        with _open(igos) as text:
            for row in csv.DictReader(text):
                row = {k.strip().casefold(): v for k, v in row.items() if k}
                igo_names[row["ioname"].strip().casefold()] = row["longorgname"].strip()
    return state_names, igo_names


def import_cow_igo(
    path: Path | str,
    out: Path | str,
    *,
    igos: Path | str | None = None,
    states: Path | str | None = None,
) -> Counts:
    """Import a COW IGO v3 state-year table into ``out`` (N-Triples, which is Turtle).

    ``igos`` (``igo_list.csv``) and ``states`` (``states2016.csv``) only name the entities
    the mapping table does not cover. Nothing is written unless every row is good.
    """
    path = Path(path)
    names = _names(Path(states) if states else None, Path(igos) if igos else None)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as temp, temp.open("wb") as stream:
        writer = _Writer(stream, *names)
        for spell in spells(path):
            writer.relation(spell)
    return writer.counts
