"""Which records does the current view show? The sidebar's filters, applied to tables.

One `Filters` value drives every page. Semantics, stated once:
- country: a site or city is in the country; an agreement touches it (a place in
  `admin1_codes` or a party based there); a flow starts or ends there.
- sector: the record lists at least one selected sector.
- kind: the kind of place (map layers).
- status: operating, under construction, planned, closed, unknown.
- wafer: fabs and plants with at least one line of a chosen wafer diameter; with every
  size chosen (the default) sites without a stated wafer size are shown too.
- years: agreements and flows dated within the range; sites opened by the range's end
  (sites with no opening date are always shown: they exist, the date is unknown).
- as of (`asof`): the clusters as they stood in that year: as if the range ended there
  (sites opened, agreements signed, flows announced and indicators reported by then).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tjv_clusters import vocab
from tjv_clusters.dataset import Dataset


@dataclass(frozen=True)
class Filters:
    countries: tuple[str, ...] = vocab.COUNTRIES
    sectors: tuple[str, ...] = vocab.SECTORS
    kinds: tuple[str, ...] = vocab.SITE_KINDS
    year_from: int = 2012
    year_to: int = 2026
    statuses: tuple[str, ...] = vocab.SITE_STATUS
    wafer_sizes: tuple[int, ...] = vocab.WAFER_SIZES_MM
    as_of: int | None = None  # None: today

    @property
    def until(self) -> int:
        """The last year the view shows: the range's end, or the "as of" year if earlier."""
        return self.year_to if self.as_of is None else min(self.year_to, self.as_of)


def _any_in(values: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    wanted_set = set(wanted)
    return values.map(lambda cell: bool(set(cell) & wanted_set))


def filter_sites(sites: pd.DataFrame, f: Filters) -> pd.DataFrame:
    opened = pd.to_numeric(sites["opened"].map(lambda d: d[:4] if isinstance(d, str) else None))
    keep = (
        sites["country"].isin(f.countries)
        & sites["kind"].isin(f.kinds)
        & _any_in(sites["sectors"], f.sectors)
        & (opened.isna() | (opened <= f.until))
        & sites["status"].isin(f.statuses)
    )
    if tuple(f.wafer_sizes) != vocab.WAFER_SIZES_MM:
        keep &= _any_in(sites["wafer_mm"], f.wafer_sizes)
    return sites[keep]


def filter_cities(cities: pd.DataFrame, f: Filters) -> pd.DataFrame:
    return cities[cities["country"].isin(f.countries)]


def filter_agreements(
    agreements: pd.DataFrame, organisations: pd.DataFrame, f: Filters
) -> pd.DataFrame:
    org_country = dict(zip(organisations["org_id"], organisations["country"], strict=True))
    year = agreements["date"].str[:4].astype(int)
    countries = set(f.countries)

    def touches(row) -> bool:
        places = {code[:2] for code in row["admin1_codes"]}
        parties = {org_country.get(p) for p in row["parties"]}
        return bool((places | parties) & countries)

    keep = (
        year.between(f.year_from, f.until)
        & _any_in(agreements["sectors"], f.sectors)
        & agreements.apply(touches, axis=1).astype(bool)
    )
    return agreements[keep]


def filter_flows(flows: pd.DataFrame, organisations: pd.DataFrame, f: Filters) -> pd.DataFrame:
    org_country = dict(zip(organisations["org_id"], organisations["country"], strict=True))
    ends = flows["from_id"].map(org_country).isin(f.countries) | flows["to_id"].map(
        org_country
    ).isin(f.countries)
    return flows[flows["year"].between(f.year_from, f.until) & ends]


def undated_sites(sites: pd.DataFrame) -> int:
    """How many of these sites have no opening date (shown whatever the year)."""
    return int(sites["opened"].isna().sum())


def data_tables(ds: Dataset, f: Filters | None = None) -> dict[str, pd.DataFrame]:
    """Every table behind the dashboard, by its file name; the ones with places, events,
    flows or cities filtered by `f` (all of them without)."""
    f = f or Filters()
    return {
        "sites.csv": filter_sites(ds.sites, f),
        "agreements.csv": filter_agreements(ds.agreements, ds.organisations, f),
        "flows.csv": filter_flows(ds.flows, ds.organisations, f),
        "cities.csv": filter_cities(ds.cities, f),
        "organisations.csv": ds.organisations,
        "indicators.csv": ds.indicators,
        "sources.csv": ds.sources,
        "vn_province_merger.csv": ds.merger,
        "checks.csv": ds.checks,
        "shared_points.csv": ds.shared_points,
        "gazetteer/localities.csv": ds.localities,
    }


def flat_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as its CSV holds it: list cells joined with ';'."""
    return frame.map(lambda v: ";".join(map(str, v)) if isinstance(v, tuple) else v)
