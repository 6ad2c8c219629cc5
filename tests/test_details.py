"""A site's details (the live panel and the static copy): its operators, agreements, flows
and sources, found through the dataset's relation index, on the real data."""

import math

from tjv_clusters.dataset import records
from tjv_clusters.details import site_details

JASM = "fab-jasm-kumamoto-1"


def test_every_site_gets_the_records_that_name_it(dataset):
    """The index finds what a scan of each table finds, in the same order."""
    orgs, agreements, flows = dataset.organisations, dataset.agreements, dataset.flows
    for site in dataset.sites.to_dict("records"):
        info = site_details(dataset, site["site_id"])
        assert info["site"]["site_id"] == site["site_id"]
        listing = orgs[orgs["site_ids"].map(lambda ids, s=site: s["site_id"] in ids)]
        listed = orgs[orgs["org_id"].isin(site["operator_ids"])]
        expected = list(dict.fromkeys([*listing["org_id"], *listed["org_id"]]))
        assert list(info["operators"]["org_id"]) == expected, site["site_id"]
        named = agreements[agreements["site_ids"].map(lambda ids, s=site: s["site_id"] in ids)]
        assert sorted(info["agreements"]["event_id"]) == sorted(named["event_id"])
        assert list(info["agreements"]["date"]) == sorted(named["date"])
        assert sorted(info["flows"]["flow_id"]) == sorted(
            flows.loc[flows["site_id"] == site["site_id"], "flow_id"])
        assert info["region"]["code"] == site["admin1"]


def test_details_cite_every_source_of_the_site_and_its_records(dataset):
    info = site_details(dataset, JASM)
    cited = set(info["site"]["source_ids"])
    for ids in [*info["agreements"]["source_ids"], *info["flows"]["source_ids"]]:
        cited |= set(ids)
    shown = set(info["all_sources"]["source_id"])
    known = set(dataset.sources.loc[dataset.sources["url"].notna(), "source_id"])
    assert shown == cited & known and shown
    assert not info["operators"].empty and not info["agreements"].empty


def test_a_site_without_a_gazetteer_record_has_no_locality(dataset):
    site_id = dataset.sites.loc[dataset.sites["gazetteer_id"].isna(), "site_id"].iloc[0]
    assert site_details(dataset, site_id)["locality"] is None
    assert site_details(dataset, "no-such-site") is None


def test_records_are_the_rows_as_pandas_gives_them(dataset):
    """dataset.records, the export's fast `to_dict("records")`: the same dicts, values of
    the same types, for every table (NaN where pandas gives NaN)."""
    for name in ("sites", "organisations", "agreements", "flows", "indicators", "sources",
                 "admin1", "localities"):
        frame = getattr(dataset, name)
        for ours, theirs in zip(records(frame), frame.to_dict("records"), strict=True):
            assert ours.keys() == theirs.keys(), name
            for key, value in theirs.items():
                if isinstance(value, float) and math.isnan(value):
                    assert isinstance(ours[key], float) and math.isnan(ours[key]), (name, key)
                else:
                    assert (type(ours[key]), ours[key]) == (type(value), value), (name, key)
    assert records(dataset.sites.iloc[:0]) == []
