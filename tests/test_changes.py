"""What changed between dataset versions: data/changes.csv is what the builder derives from
the data in git history, and the queries answer "what is new since 3.1.0 / since a date"."""

import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import ROOT
from tjv_clusters import changes

sys.path.insert(0, str(ROOT / "scripts"))
import build_history  # noqa: E402


def frame(rows):
    return pd.DataFrame([dict(zip(changes.COLUMNS, r, strict=True)) for r in rows])


LOG = frame([
    ("3.2.0", "2026-12-01", "sites", "fab-a", "Fab A", "added", None, None, None, ("s1",)),
    ("3.2.0", "2026-12-01", "sites", "fab-b", "Fab B", "changed", "lat", "1.0", "1.5", ("s2",)),
    ("3.2.0", "2026-12-01", "sites", "fab-b", "Fab B", "changed", "lon", "2.0", "2.5", ("s2",)),
    ("3.1.0", "2026-11-20", "sites", "fab-c", "Fab C", "added", None, None, None, ("s3",)),
    ("3.2.0", "2026-12-01", "sites", "fab-c", "Fab C", "removed", None, None, None, ("s3",)),
    ("2.0.0", "2026-11-01", "flows", "flow-x", "X", "added", None, None, None, ("s4",)),
])


def test_since_a_version_or_a_date():
    assert changes.versions(LOG) == ["3.2.0", "3.1.0", "2.0.0"]
    assert changes.resolve_since(LOG, "3.1.0") == "3.2.0"  # what came after 3.1.0
    assert changes.resolve_since(LOG, "2.0.0") == "3.1.0"
    assert changes.resolve_since(LOG, "2026-11-15") == "3.1.0"
    assert changes.resolve_since(LOG, "2026-12-01") is None  # nothing newer
    assert changes.resolve_since(LOG, "3.2.0") is None
    newest_first = changes.since(LOG, "3.1.0")["version"].tolist()
    assert newest_first == ["3.2.0"] * 4 + ["3.1.0"]


def test_a_changed_record_counts_once_and_removed_ones_are_not_new():
    table = changes.summary(changes.since(LOG, "3.1.0")).set_index("table")
    assert table.loc["sites"].to_dict() == {"added": 2, "changed": 1, "removed": 1}
    assert changes.new_records(changes.since(LOG, "3.1.0")) == {"fab-a"}


def test_the_builder_compares_records_field_by_field():
    old = {"fab-b": {"site_id": "fab-b", "name_en": "Fab B", "lat": "1.0", "source_ids": "s"},
           "fab-gone": {"site_id": "fab-gone", "name_en": "Gone", "lat": "3", "source_ids": "s"}}
    new = {"fab-b": {"site_id": "fab-b", "name_en": "Fab B", "lat": "1.5", "source_ids": "s"},
           "fab-new": {"site_id": "fab-new", "name_en": "New", "lat": "4", "source_ids": "t"}}
    rows = build_history.diff("9.0.0", "2027-01-01", old, new, "sites.csv")
    assert [(r["record_id"], r["change"], r["field"], r["old"], r["new"]) for r in rows] == [
        ("fab-new", "added", "", "", ""), ("fab-gone", "removed", "", "", ""),
        ("fab-b", "changed", "lat", "1.0", "1.5")]
    assert rows[0]["label"] == "New" and rows[0]["source_ids"] == "t"


def test_the_committed_history_is_what_the_data_history_gives(dataset):
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT,
                             capture_output=True, text=True)
    if shallow.returncode != 0 or shallow.stdout.strip() != "false":
        pytest.skip("needs the full git history of data/ (not a shallow clone)")
    built = build_history.render(build_history.build())
    assert (ROOT / "data" / "changes.csv").read_text(encoding="utf-8") == built, (
        "data/changes.csv is stale: run `make history`")
    # the newest version's new plants are in the dataset, with their sources
    newest = changes.since(dataset.changes, changes.versions(dataset.changes)[0])
    for site_id in changes.new_records(newest):
        assert site_id in set(dataset.sites["site_id"])


RELEASES = [("3.2.0", "2026-12-01"), ("3.1.0", "2026-11-20"), ("2.0.0", "2026-11-01")]


def test_a_date_starts_from_the_release_made_by_then():
    assert changes.base_version(RELEASES, "3.1.0") == "3.1.0"
    assert changes.base_version(RELEASES, "2026-11-25") == "3.1.0"
    assert changes.base_version(RELEASES, "2026-12-01") == "3.2.0"
    assert changes.base_version(RELEASES, "2020-01-01") == "2.0.0"  # older than all
    assert changes.base_version([], "3.1.0") is None


def test_the_listing_names_records_in_the_language_and_follows_the_countries(dataset):
    newest, previous = dataset.releases[0][0], dataset.releases[1][0]
    rows = changes.listing(dataset, previous, "ja")
    assert set(rows["version"]) == {newest}
    assert len(rows) == (dataset.changes["version"] == newest).sum()
    sites = dataset.sites.set_index("site_id")
    for row in rows[(rows["table"] == "sites") & (rows["change"] != "removed")].itertuples():
        name_ja = sites.at[row.record_id, "name_ja"]
        assert row.record == (name_ja or sites.at[row.record_id, "name_en"])
    # one country: only records that touch it, and every removed record
    where = changes.record_countries(dataset)
    vietnam = changes.listing(dataset, "1.0.0", "en", ("VN",), where)
    assert 0 < len(vietnam) < len(changes.listing(dataset, "1.0.0", "en"))
    for row in vietnam.itertuples():
        assert row.change == "removed" or "VN" in where[row.table, row.record_id]
    assert changes.listing(dataset, newest, "en").empty  # nothing after the newest


def test_an_agreement_touches_its_parties_countries(dataset):
    where = changes.record_countries(dataset)
    org_country = dict(zip(dataset.organisations["org_id"], dataset.organisations["country"],
                           strict=True))
    event = dataset.agreements.iloc[0]
    assert {org_country[p] for p in event["parties"] if p in org_country} <= where[
        "agreements", event["event_id"]]
