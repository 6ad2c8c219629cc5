"""Search in four languages and the shared filters, on the real data and tiny frames."""

import pandas as pd
import pytest

from tjv_clusters.filters import Filters, filter_agreements, filter_flows, filter_sites
from tjv_clusters.search import build_index, fold, search


@pytest.fixture(scope="module")
def index(dataset):
    return build_index(dataset)


def test_fold_ignores_case_and_diacritics():
    assert fold("Bắc Ninh") == fold("bac ninh") == "bac ninh"
    assert fold("Đồng Nai") == "dong nai"


@pytest.mark.parametrize("query, expected_kind", [
    ("JASM", "site"), ("Kumamoto", "region"), ("Bắc Ninh", "region"), ("bac ninh", "region"),
    ("熊本", "region"),
])
def test_finds_entities_in_any_language(index, query, expected_kind):
    hits = search(index, query)
    assert hits, query
    assert any(h.kind == expected_kind for h in hits)
    assert all(h.lat is not None for h in hits if h.kind in ("site", "region"))


def test_kikuyo_in_japanese_finds_a_place(index):
    hits = search(index, "菊陽")
    assert hits and {h.kind for h in hits} & {"site", "city"}


def test_exact_match_ranks_first(index):
    assert search(index, "Kumamoto")[0].names[0].startswith("Kumamoto")


def test_no_match_and_empty_query(index):
    assert search(index, "zzzz-not-a-place") == []
    assert search(index, "   ") == []


def frame(rows):
    return pd.DataFrame(rows)


def test_filters_on_tiny_frames():
    sites = frame([
        {"site_id": "a", "country": "JP", "kind": "fab", "sectors": ("semiconductors",),
         "opened": "2024-02", "status": "operating", "wafer_mm": (300,)},
        {"site_id": "b", "country": "VN", "kind": "university", "sectors": ("talent",),
         "opened": None, "status": "operating", "wafer_mm": ()},
        {"site_id": "c", "country": "TW", "kind": "fab", "sectors": ("semiconductors",),
         "opened": "2030", "status": "planned", "wafer_mm": (200, 300)},
    ])
    f = Filters(countries=("JP", "TW"), year_to=2026)
    assert list(filter_sites(sites, f)["site_id"]) == ["a"]
    assert list(filter_sites(sites, Filters(sectors=("talent",)))["site_id"]) == ["b"]

    orgs = frame([{"org_id": "tjpo", "country": "TW"}, {"org_id": "osaka", "country": "JP"},
                  {"org_id": "nic", "country": "VN"}])
    agreements = frame([
        {"event_id": "e1", "date": "2019-10-03", "parties": ("tjpo", "osaka"),
         "admin1_codes": ("JP-27",), "sectors": ("general",)},
        {"event_id": "e2", "date": "2025-02", "parties": ("nic",), "admin1_codes": (),
         "sectors": ("talent",)},
    ])
    assert list(filter_agreements(agreements, orgs, Filters(countries=("VN",)))["event_id"]) == [
        "e2"]
    assert list(filter_agreements(agreements, orgs, Filters(year_to=2020))["event_id"]) == ["e1"]

    flows = frame([{"flow_id": "f1", "from_id": "tjpo", "to_id": "osaka", "year": 2021},
                   {"flow_id": "f2", "from_id": "osaka", "to_id": "nic", "year": 2015}])
    assert list(filter_flows(flows, orgs, Filters(countries=("VN",)))["flow_id"]) == ["f2"]
    assert list(filter_flows(flows, orgs, Filters(countries=("VN",), year_to=2014))[
        "flow_id"]) == []
    assert list(filter_flows(flows, orgs, Filters(countries=("JP",)))["flow_id"]) == ["f1", "f2"]


def test_status_and_wafer_size_filters():
    sites = frame([
        {"site_id": "old", "country": "JP", "kind": "fab", "sectors": ("semiconductors",),
         "opened": "1990", "status": "closed", "wafer_mm": (150,)},
        {"site_id": "big", "country": "JP", "kind": "fab", "sectors": ("semiconductors",),
         "opened": "2020", "status": "operating", "wafer_mm": (200, 300)},
        {"site_id": "uni", "country": "JP", "kind": "university", "sectors": ("talent",),
         "opened": None, "status": "operating", "wafer_mm": ()},
    ])
    assert list(filter_sites(sites, Filters())["site_id"]) == ["old", "big", "uni"]
    assert list(filter_sites(sites, Filters(statuses=("closed",)))["site_id"]) == ["old"]
    # a chosen wafer size keeps only sites with a line of that size
    assert list(filter_sites(sites, Filters(wafer_sizes=(300,)))["site_id"]) == ["big"]
    assert list(filter_sites(sites, Filters(wafer_sizes=(150, 200)))["site_id"]) == [
        "old", "big"]


def test_an_exact_acronym_ranks_the_company_first_then_its_fabs_in_order(dataset):
    hits = [(e.kind, e.entity_id) for e in search(build_index(dataset), "JASM")]
    assert hits[:3] == [("organisation", "jasm"), ("site", "fab-jasm-kumamoto-1"),
                        ("site", "fab-jasm-kumamoto-2")]


def test_as_of_shows_what_stood_then_and_keeps_the_undated(dataset):
    """asof=2010: sites opened by 2010 and the undated ones; agreements and flows by then."""
    now, then = Filters(), Filters(as_of=2010)
    sites = filter_sites(dataset.sites, then)
    opened = sites["opened"].dropna().str[:4].astype(int)
    assert (opened <= 2010).all() and len(sites) < len(filter_sites(dataset.sites, now))
    assert sites["opened"].isna().sum() == dataset.sites["opened"].isna().sum()
    assert then.until == 2010 and Filters(year_to=2005, as_of=2010).until == 2005
    events = filter_agreements(dataset.agreements, dataset.organisations, then)
    assert (events["date"].str[:4].astype(int) <= 2010).all()
    assert (filter_flows(dataset.flows, dataset.organisations, then)["year"] <= 2010).all()
