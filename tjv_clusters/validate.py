"""Is the dataset in data/ consistent? Every problem, at once, as `file:row:column: message`.

Row numbers are spreadsheet rows: the header is row 1, the first record row 2.
Reading never rewrites a file. Run as `python -m tjv_clusters.validate [DATA_DIR]`.
"""

from __future__ import annotations

import csv
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from tjv_clusters import geo
from tjv_clusters.paths import DATA_DIR  # noqa: E402
from tjv_clusters.schema import TABLES, Row

# A coastal point may sit just off a simplified coastline: ~2 km of slack.
COAST_TOLERANCE_DEG = 0.02
# Units drawn as a point (Lienchiang: the Matsu Islands spread ~60 km from the seat).
POINT_UNIT_RADIUS_DEG = 0.7
# amount / units_per_usd may differ from amount_usd by rounding only.
FX_RELATIVE_TOLERANCE = 0.01
# Gazetteers of official park outlines: the one kind of record that may place a
# sourced_park point (a source puts the site in the park; the outline gives the point).
PARK_SCHEMES = ("tw-park",)


def is_park_record(gazetteer_id: str | None) -> bool:
    return (gazetteer_id or "").partition(":")[0] in PARK_SCHEMES


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Table:
    name: str
    rows: list[tuple[int, Row]]  # (spreadsheet row, record)

    def ids(self, column: str) -> set[str]:
        return {getattr(r, column) for _, r in self.rows}


def read_table(path: Path, model: type[Row],
               name: str | None = None) -> tuple[Table, list[Problem]]:
    """Parse one CSV file with its row model; bad rows are reported and skipped."""
    name = name or path.name
    problems: list[Problem] = []
    if not path.exists():
        return Table(name, []), [Problem(name, 0, "-", "file is missing")]
    rows: list[tuple[int, Row]] = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        expected = list(model.model_fields)
        for column in expected:
            if column not in header:
                required = model.model_fields[column].is_required()
                if required:
                    problems.append(Problem(name, 1, column, "required column is missing"))
        for column in header:
            if column not in expected:
                problems.append(Problem(name, 1, column or "-", "unknown column"))
        for index, raw in enumerate(reader, start=2):
            if None in raw:
                problems.append(Problem(name, index, "-", "more cells than header columns"))
                continue
            cells = {k: v for k, v in raw.items() if k in expected}
            try:
                rows.append((index, model.model_validate(cells)))
            except ValidationError as exc:
                for err in exc.errors():
                    column = str(err["loc"][0]) if err["loc"] else "-"
                    message = err["msg"].removeprefix("Value error, ")
                    if err["type"] == "missing" or (err.get("input") is None
                                                    and err["type"].endswith("_type")):
                        message = "required value is empty"
                    problems.append(Problem(name, index, column, message))
    return Table(name, rows), problems


def check_unique(table: Table, column: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for row, record in table.rows:
        value = getattr(record, column)
        if value in seen:
            problems.append(Problem(table.name, row, column,
                                    f"duplicate id '{value}' (first at row {seen[value]})"))
        else:
            seen[value] = row
    return problems


def check_refs(table: Table, column: str, known: set[str], target: str) -> list[Problem]:
    problems = []
    for row, record in table.rows:
        value = getattr(record, column)
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if v is not None and v not in known:
                problems.append(Problem(table.name, row, column, f"'{v}' is not in {target}"))
    return problems


def check_date_precision(table: Table) -> list[Problem]:
    expected = {4: "year", 7: "month", 10: "day"}
    return [
        Problem(table.name, row, "date_precision",
                f"'{r.date_precision}' does not match date '{r.date}' "
                f"(expected '{expected[len(r.date)]}')")
        for row, r in table.rows
        if expected[len(r.date)] != r.date_precision
    ]


def check_locations(table: Table, units: dict[str, geo.Unit]) -> list[Problem]:
    """Every point lies in (or, on a coast, next to) the polygon of its declared unit."""
    problems = []
    for row, r in table.rows:
        unit = units.get(r.admin1)
        if unit is None:
            problems.append(Problem(table.name, row, "admin1", f"'{r.admin1}' is not a known unit"))
            continue
        if unit.country != r.country:
            problems.append(Problem(table.name, row, "country",
                                    f"'{r.country}' but {r.admin1} is in {unit.country}"))
        limit = POINT_UNIT_RADIUS_DEG if unit.is_point else COAST_TOLERANCE_DEG
        distance = unit.distance(r.lon, r.lat)
        if distance > limit:
            actual = geo.locate(units, r.lon, r.lat)
            where = f"it lies in {actual.code} {actual.name_en}" if actual else "it lies in no unit"
            problems.append(Problem(
                table.name, row, "lat",
                f"({r.lat}, {r.lon}) is {distance * 111:.0f} km outside {r.admin1} "
                f"{unit.name_en}: {where}",
            ))
    return problems


def check_site_facts(table: Table) -> list[Problem]:
    """Location provenance and facility facts that span several columns of a site."""
    problems = []
    for row, r in table.rows:
        def bad(column: str, message: str, row=row) -> None:
            problems.append(Problem(table.name, row, column, message))

        if r.coord_source not in r.source_ids:
            bad("coord_source", f"'{r.coord_source}' must also be listed in source_ids")
        if is_park_record(r.gazetteer_id) and r.coord_precision != "sourced_park":
            bad("gazetteer_id", f"'{r.gazetteer_id}' is a park outline: it places only "
                                f"sourced_park points, not {r.coord_precision}")
        elif r.coord_precision == "sourced_locality":
            if not r.address:
                bad("address", "sourced_locality needs the street address from coord_source")
            if not r.gazetteer_id:
                bad("gazetteer_id", "sourced_locality needs the gazetteer record that places "
                                    "the address (run scripts/gazetteer.py apply)")
        elif r.coord_precision in ("approx_locality", "approx_city") and not r.gazetteer_id:
            bad("gazetteer_id", f"{r.coord_precision} needs the gazetteer record of the town "
                                "(run scripts/gazetteer.py apply)")
        elif r.coord_precision == "approx_admin1" and r.gazetteer_id != f"admin1:{r.admin1}":
            bad("gazetteer_id", f"approx_admin1 points sit on the unit's label point "
                                f"'admin1:{r.admin1}' (run scripts/gazetteer.py apply)")
        elif r.coord_precision == "sourced_site" and r.gazetteer_id:
            bad("gazetteer_id", "sourced_site coordinates come from coord_source, "
                                "not a gazetteer: leave it empty")
        elif r.coord_precision == "sourced_park" and r.gazetteer_id \
                and not is_park_record(r.gazetteer_id):
            bad("gazetteer_id", f"sourced_park coordinates come from coord_source or from a "
                                f"park's official outline ({', '.join(PARK_SCHEMES)}:…), "
                                f"not '{r.gazetteer_id}'")
        # a closed site without a sourced closing date stays (the data report counts them)
        if r.closed is not None and r.status != "closed":
            bad("closed", f"a closing date needs status 'closed', not '{r.status}'")
        if r.closed and r.opened and r.closed[:4] < r.opened[:4]:
            bad("closed", f"closed {r.closed} before it opened {r.opened}")
        if (r.capacity_wpm is None) != (r.capacity_year is None):
            bad("capacity_year", "capacity_wpm and capacity_year go together")
    return problems


def check_gazetteer(sites: Table, localities: Table) -> list[Problem]:
    """A gazetteer-placed point is exactly its record's point."""
    records = {r.gazetteer_id: r for _, r in localities.rows}
    problems = []
    for row, r in sites.rows:
        if not r.gazetteer_id:
            continue
        record = records.get(r.gazetteer_id)
        if record is None:
            problems.append(Problem(sites.name, row, "gazetteer_id",
                                    f"'{r.gazetteer_id}' is not in gazetteer/localities.csv"))
        elif abs(record.lat - r.lat) > 1e-6 or abs(record.lon - r.lon) > 1e-6:
            problems.append(Problem(
                sites.name, row, "lat",
                f"({r.lat}, {r.lon}) is not the point of {r.gazetteer_id} "
                f"({record.lat}, {record.lon})"))
    return problems


def _same_address(address: str | None) -> str:
    return "".join((address or "").split()).casefold()


def check_shared_points(sites: Table, shared: Table) -> list[Problem]:
    """Two distinct sites on one point only when an allow-list row explains it."""
    by_point: dict[tuple[float, float], list[tuple[int, Row]]] = {}
    for row, r in sites.rows:
        by_point.setdefault((round(r.lat, 6), round(r.lon, 6)), []).append((row, r))
    allowed = {}
    for row, a in shared.rows:
        for site_id in a.site_ids:
            allowed[site_id] = (row, a)
    problems = []
    for group in by_point.values():
        if len(group) < 2:
            continue
        ids = [r.site_id for _, r in group]
        entries = {allowed[i][0]: allowed[i][1] for i in ids if i in allowed}
        first_row, first = group[0]
        if len(entries) != 1 or any(i not in allowed for i in ids):
            others = ", ".join(ids[1:])
            problems.append(Problem(
                sites.name, first_row, "lat",
                f"'{first.site_id}' shares its point with {others}: give each its own "
                "sourced point, or explain the group in shared_points.csv"))
            continue
        entry_row, entry = next(iter(entries.items()))
        same = {
            "same_address": {_same_address(r.address) for _, r in group},
            "same_locality": {r.gazetteer_id for _, r in group},
            "same_park": {(r.coord_source, r.coord_precision) for _, r in group},
        }[entry.reason]
        if len(same) != 1 or None in same or "" in same:
            problems.append(Problem(shared.name, entry_row, "reason",
                                    f"'{entry.reason}' does not hold for {', '.join(ids)}"))
    known = sites.ids("site_id")
    for row, a in shared.rows:
        for site_id in a.site_ids:
            if site_id not in known:
                problems.append(Problem(shared.name, row, "site_ids",
                                        f"'{site_id}' is not in sites.csv"))
    return problems


def check_tour(tour: Table) -> list[Problem]:
    """Each step shows a place and cites the records its caption is made of."""
    problems = []
    for row, step in tour.rows:
        if not (step.site_ids or step.admin1_codes):
            problems.append(Problem(tour.name, row, "site_ids",
                                    "a step needs site_ids or admin1_codes to show on the map"))
        if not (step.event_ids or step.flow_ids):
            problems.append(Problem(tour.name, row, "event_ids",
                                    "a step needs event_ids or flow_ids: its facts and sources"))
    return problems


def check_flows(table: Table, rates: dict[str, Row]) -> list[Problem]:
    problems = []
    for row, r in table.rows:
        if r.amount is not None and r.currency is None:
            problems.append(Problem(table.name, row, "currency", "an amount needs a currency"))
        if r.amount_usd is None:
            continue
        basis = r.usd_basis or ""
        if not basis:
            problems.append(Problem(table.name, row, "usd_basis",
                                    "amount_usd needs a usd_basis saying how it was converted"))
        elif basis == "original currency":
            if r.currency != "USD" or r.amount != r.amount_usd:
                problems.append(Problem(table.name, row, "amount_usd",
                                        "'original currency' needs currency USD and "
                                        "amount_usd equal to amount"))
        elif basis.startswith("fx:"):
            rate = rates.get(basis[3:])
            if rate is None:
                problems.append(Problem(table.name, row, "usd_basis",
                                        f"'{basis[3:]}' is not in fx_rates.csv"))
            elif rate.currency != r.currency:
                problems.append(Problem(table.name, row, "usd_basis",
                                        f"rate {rate.rate_id} is for {rate.currency}, "
                                        f"not {r.currency}"))
            elif r.amount is not None and not math.isclose(
                r.amount / rate.units_per_usd, r.amount_usd, rel_tol=FX_RELATIVE_TOLERANCE
            ):
                problems.append(Problem(
                    table.name, row, "amount_usd",
                    f"{r.amount_usd:,.0f} does not equal amount / {rate.units_per_usd} "
                    f"= {r.amount / rate.units_per_usd:,.0f}",
                ))
        elif basis != "stated in source":
            problems.append(Problem(table.name, row, "usd_basis",
                                    "must be 'original currency', 'stated in source' or "
                                    "'fx:<rate_id>'"))
    return problems


def read_tables(data_dir: Path = DATA_DIR) -> tuple[dict[str, Table], list[Problem]]:
    """Every table parsed once, with the problems of the rows that did not parse."""
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for name, (model, _) in TABLES.items():
        tables[name], found = read_table(data_dir / name, model, name)
        problems += found
    return tables, problems


def validate_dataset(data_dir: Path = DATA_DIR,
                     parsed: tuple[dict[str, Table], list[Problem]] | None = None
                     ) -> list[Problem]:
    """All problems; pass `parsed` (from read_tables) to avoid reading the files again."""
    tables, problems = parsed if parsed is not None else read_tables(data_dir)
    problems = list(problems)
    for name, (_, id_column) in TABLES.items():
        if id_column:
            problems += check_unique(tables[name], id_column)

    units = geo.read_units(data_dir / "boundaries" / "admin1.geojson")
    unit_codes = set(units)
    sources = tables["sources.csv"].ids("source_id")
    sites = tables["sites.csv"].ids("site_id")
    orgs = tables["organisations.csv"].ids("org_id")
    for name, table in tables.items():
        if "source_ids" in TABLES[name][0].model_fields:
            problems += check_refs(table, "source_ids", sources, "sources.csv")

    problems += check_refs(tables["sites.csv"], "operator_ids", orgs, "organisations.csv")
    problems += check_refs(tables["sites.csv"], "coord_source", sources, "sources.csv")
    problems += check_refs(tables["checks.csv"], "source_id", sources, "sources.csv")
    problems += check_site_facts(tables["sites.csv"])
    problems += check_gazetteer(tables["sites.csv"], tables["gazetteer/localities.csv"])
    problems += check_shared_points(tables["sites.csv"], tables["shared_points.csv"])
    problems += check_refs(tables["organisations.csv"], "site_ids", sites, "sites.csv")
    problems += check_refs(tables["organisations.csv"], "admin1", unit_codes, "the boundaries")
    agreements = tables["agreements.csv"]
    problems += check_refs(agreements, "parties", orgs, "organisations.csv")
    problems += check_refs(agreements, "site_ids", sites, "sites.csv")
    problems += check_refs(agreements, "admin1_codes", unit_codes, "the boundaries")
    problems += check_date_precision(agreements)
    flows = tables["flows.csv"]
    problems += check_refs(flows, "from_id", orgs, "organisations.csv")
    problems += check_refs(flows, "to_id", orgs, "organisations.csv")
    problems += check_refs(flows, "site_id", sites, "sites.csv")
    rates = {r.rate_id: r for _, r in tables["fx_rates.csv"].rows}
    problems += check_flows(flows, rates)
    series = tables["indicator_series.csv"].ids("indicator")
    problems += check_refs(tables["indicators.csv"], "indicator", series, "indicator_series.csv")
    merger = tables["vn_province_merger.csv"]
    problems += check_refs(merger, "new_code", unit_codes, "the boundaries")

    tour = tables["tour.csv"]
    problems += check_tour(tour)
    problems += check_refs(tour, "site_ids", sites, "sites.csv")
    problems += check_refs(tour, "admin1_codes", unit_codes, "the boundaries")
    problems += check_refs(tour, "event_ids", agreements.ids("event_id"), "agreements.csv")
    problems += check_refs(tour, "flow_ids", flows.ids("flow_id"), "flows.csv")

    problems += check_locations(tables["sites.csv"], units)
    problems += check_locations(tables["cities.csv"], units)
    return sorted(problems, key=lambda p: (list(TABLES).index(p.file)
                                           if p.file in TABLES else 99, p.row, p.column))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else DATA_DIR
    parsed = read_tables(data_dir)
    problems = validate_dataset(data_dir, parsed)
    for problem in problems:
        print(problem)
    if problems:
        per_file = Counter(p.file for p in problems)
        summary = ", ".join(f"{n} in {f}" for f, n in per_file.items())
        print(f"{len(problems)} problem(s): {summary}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {len(table.rows)}" for name, table in parsed[0].items())
    print(f"data OK: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
