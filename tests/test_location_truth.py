"""Where each point comes from: provenance rules, shared points, gazetteer records, the
published Data Package and the data report. Broken rows fail as `file:row:column`."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA_DIR, ROOT
from tests.test_validate import cell, edit, messages
from tjv_clusters import vocab
from tjv_clusters.cluster_map import ICONS, legend_html, sites_geojson, svg_icon
from tjv_clusters.details import facility_facts, precision_text
from tjv_clusters.validate import validate_dataset

sys.path.insert(0, str(ROOT / "scripts"))
import build_datapackage  # noqa: E402
import data_report  # noqa: E402
import gazetteer  # noqa: E402


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def first_row(path: Path, **wanted) -> int:
    """Spreadsheet row of the first record matching every column=value (a callable
    value is a predicate)."""
    for index, r in enumerate(rows(path), start=2):
        if all(v(r[k]) if callable(v) else r[k] == v for k, v in wanted.items()):
            return index
    raise AssertionError(f"no row with {wanted}")


def problems_at(data_dir: Path, row: int, column: str, file: str = "sites.csv") -> list[str]:
    """The validation messages that point at one cell."""
    return [m for m in messages(data_dir) if m.startswith(f"{file}:{row}:{column}:")]


def test_every_site_says_how_its_point_was_obtained(dataset):
    assert dataset.sites["coord_source"].notna().all()
    placed = dataset.sites[dataset.sites["coord_precision"].isin(
        ["sourced_locality", "approx_locality", "approx_city"])]
    assert placed["gazetteer_id"].notna().all()
    localities = set(dataset.localities["gazetteer_id"])
    assert set(placed["gazetteer_id"]) <= localities


def test_a_duplicate_point_is_rejected(data_copy):
    sites = data_copy / "sites.csv"
    a = first_row(sites, coord_precision="sourced_site")
    b = first_row(sites, coord_precision="sourced_site",
                  site_id=lambda v: v != cell(sites, a, "site_id"))
    for column in ("lat", "lon"):
        edit(sites, b, column, cell(sites, a, column))
    first, second = sorted((a, b))
    found = problems_at(data_copy, first, "lat")
    assert found and "shares its point with" in found[0]
    assert cell(sites, second, "site_id") in found[0]


def test_a_missing_coord_source_is_rejected(data_copy):
    edit(data_copy / "sites.csv", 5, "coord_source", "")
    assert "sites.csv:5:coord_source: required value is empty" in messages(data_copy)


def test_coord_source_must_be_one_of_the_sources(data_copy):
    sites = data_copy / "sites.csv"
    other = cell(data_copy / "sources.csv", 2, "source_id")
    if other in cell(sites, 3, "source_ids").split(";"):
        other = cell(data_copy / "sources.csv", 3, "source_id")
    edit(sites, 3, "coord_source", other)
    assert any(m.startswith("sites.csv:3:coord_source:") and "source_ids" in m
               for m in messages(data_copy))


def test_a_point_outside_its_region_is_rejected(data_copy):
    sites = data_copy / "sites.csv"
    row = first_row(sites, coord_precision="sourced_site", country="JP")
    edit(sites, row, "lat", "24.0")  # moved into the sea south of Okinawa
    edit(sites, row, "lon", "125.0")
    found = problems_at(data_copy, row, "lat")
    assert found and "outside" in found[0]


def test_a_locality_point_needs_its_address_and_record(data_copy):
    sites = data_copy / "sites.csv"
    row = first_row(sites, coord_precision="sourced_locality")
    edit(sites, row, "address", "")
    edit(sites, row, "gazetteer_id", "")
    assert problems_at(data_copy, row, "address")
    assert problems_at(data_copy, row, "gazetteer_id")


def test_a_gazetteer_point_cannot_be_moved_by_hand(data_copy):
    sites = data_copy / "sites.csv"
    row = first_row(sites, coord_precision="sourced_locality")
    edit(sites, row, "lat", f"{float(cell(sites, row, 'lat')) + 0.001:.6f}")
    found = problems_at(data_copy, row, "lat")
    assert found and "is not the point of" in found[0]


def test_a_closing_date_needs_status_closed(data_copy):
    sites = data_copy / "sites.csv"
    row = first_row(sites, status="operating")
    edit(sites, row, "closed", "2020")
    assert problems_at(data_copy, row, "closed")


@pytest.mark.parametrize("column,value", [("wafer_mm", "450"), ("process_nm", "28nm"),
                                          ("capacity_wpm", "-3")])
def test_facility_facts_are_typed(data_copy, column, value):
    edit(data_copy / "sites.csv", 2, column, value)
    assert problems_at(data_copy, 2, column)


def test_capacity_needs_its_year(data_copy):
    sites = data_copy / "sites.csv"
    edit(sites, 2, "capacity_wpm", "1000")
    edit(sites, 2, "capacity_year", "")
    assert problems_at(data_copy, 2, "capacity_year")


def test_an_allow_list_reason_must_hold(data_copy):
    shared = data_copy / "shared_points.csv"
    if not rows(shared):
        pytest.skip("no shared points in the data")
    reasons = {"same_address": "same_park", "same_park": "same_address",
               "same_locality": "same_address"}
    row = 2
    edit(shared, row, "reason", reasons[cell(shared, row, "reason")])
    assert problems_at(data_copy, row, "reason", "shared_points.csv")


def test_the_committed_data_has_no_unexplained_shared_point():
    assert not [p for p in validate_dataset() if "shares its point" in p.message]


# --- the map and the details panel tell precision -------------------------------------

def test_approximate_points_are_hollow_markers(dataset):
    features = sites_geojson(dataset.sites, "en")["features"]
    by_id = {f["properties"]["id"]: f["properties"] for f in features}
    for _, s in dataset.sites.iterrows():
        props = by_id[s["site_id"]]
        approximate = s["coord_precision"] not in vocab.SOURCED_PRECISION
        assert props["approx"] == approximate
        assert ('fill="#ffffff"' in ICONS[props["icon"]]) == approximate


@pytest.mark.parametrize("lang,hollow_word", [("en", "hollow"), ("ja", "白抜き"),
                                              ("zh_TW", "空心"), ("vi", "rỗng")])
def test_the_legend_explains_hollow_markers(lang, hollow_word):
    legend = legend_html(["fab"], lang)
    assert hollow_word in legend
    assert svg_icon("fab", 14, hollow=True) in legend


@pytest.mark.parametrize("lang,expected", [("en", "approximate: centre of Kikuyo"),
                                           ("ja", "概略：Kikuyoの中心"),
                                           ("vi", "gần đúng: trung tâm Kikuyo")])
def test_details_say_approximate_centre_of_the_town(lang, expected):
    site = {"coord_precision": "approx_city", "city": "Kikuyo"}
    assert precision_text(site, None, lang) == expected


def test_details_name_the_town_block_and_its_gazetteer():
    site = {"coord_precision": "sourced_locality", "city": "Kikuyo"}
    locality = {"name": "熊本県菊池郡菊陽町大字原水", "gazetteer": "geolonia/japanese-addresses"}
    text = precision_text(site, locality, "en")
    assert "street address" in text and "大字原水" in text and "geolonia" in text


def test_facility_facts_show_only_what_is_sourced():
    site = {"wafer_mm": (300,), "process_nm": "12-28", "capacity_wpm": 55000,
            "capacity_year": 2024, "opened": "2024-12", "closed": None, "address": None}
    facts = dict(facility_facts(site, "en"))
    assert facts == {"Wafer size": "300 mm", "Process": "12–28 nm",
                     "Capacity": "55,000 wafers/month (2024)", "Production / opening": "2024-12"}
    assert facility_facts({"capacity_wpm": float("nan")}, "en") == []


# --- the gazetteer script ---------------------------------------------------------------

def test_japanese_addresses_are_normalised_like_the_gazetteer():
    assert gazetteer.normalise_jp("〒869-1102 熊本県菊池郡菊陽町原水４０００−１") == \
        "熊本県菊池郡菊陽町原水4000-1"
    assert gazetteer.normalise_jp("東京都港区芝浦1丁目1番1号").startswith("東京都港区芝浦一丁目")
    assert gazetteer._arabic_to_kanji("12") == "十二"
    assert gazetteer._arabic_to_kanji("30") == "三十"


def test_town_names_fold_diacritics_and_spaces():
    assert gazetteer._plain("Hà Nội") == gazetteer._plain("Hanoi")
    assert gazetteer._plain("Kōshi") == "koshi"


def test_a_park_outline_point_cites_the_outlines_and_a_source_naming_the_park(dataset):
    sites = dataset.sites
    parked = sites[sites["gazetteer_id"].fillna("").str.startswith("tw-park:")]
    assert not parked.empty
    for _, s in parked.iterrows():
        assert s["coord_precision"] == "sourced_park", s["site_id"]
        assert s["coord_source"] == "moea-idb-2017-industrial-zone-outlines", s["site_id"]
        # the outline gives the point; another cited source must put the site in the park
        assert len(set(s["source_ids"]) - {s["coord_source"]}) >= 1, s["site_id"]


def test_details_say_a_park_outline_point_is_the_park(dataset):
    sites = dataset.sites
    site = sites[sites["gazetteer_id"].fillna("").str.startswith("tw-park:")].iloc[0]
    locality = dataset.localities[
        dataset.localities["gazetteer_id"] == site["gazetteer_id"]].iloc[0].to_dict()
    text = precision_text(site.to_dict(), locality, "en")
    assert "park" in text and "25598" in text


def test_localities_are_only_the_records_in_use(dataset):
    used = set(dataset.sites["gazetteer_id"].dropna())
    assert set(dataset.localities["gazetteer_id"]) == used


# --- the published package and the report -------------------------------------------------

def test_datapackage_is_generated_from_the_schemas():
    committed = (DATA_DIR / "datapackage.json").read_text(encoding="utf-8")
    assert committed == build_datapackage.render(), "run `make datapackage`"
    package = json.loads(committed)
    version = package["version"]
    assert f"## {version} — " in (DATA_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    sites = next(r for r in package["resources"] if r["path"] == "sites.csv")
    fields = {f["name"]: f for f in sites["schema"]["fields"]}
    assert fields["coord_precision"]["constraints"]["enum"] == list(vocab.COORD_PRECISION)
    assert fields["coord_source"]["constraints"]["required"] is True
    assert {"fields": ["coord_source"], "reference": {"resource": "sources",
                                                     "fields": ["source_id"]}} \
        in sites["schema"]["foreignKeys"]


def test_frictionless_finds_a_broken_row(data_copy):
    edit(data_copy / "sites.csv", 4, "coord_precision", "somewhere")
    frictionless = Path(sys.executable).with_name("frictionless")
    out = subprocess.run([str(frictionless), "validate", "--json",
                          str(data_copy / "datapackage.json")],
                         capture_output=True, text=True, check=False)
    assert out.returncode != 0
    report = json.loads(out.stdout)
    errors = [e for task in report["tasks"] for e in task["errors"]]
    assert any(e.get("fieldName") == "coord_precision" and e.get("rowNumber") == 4
               for e in errors)


def test_data_report_counts_what_is_in_the_file(dataset):
    text = "\n".join(data_report.report(DATA_DIR))
    assert f"sites: {len(dataset.sites)}" in text
    assert "coord_precision, fabs and plants" in text
    assert "shared points:" in text


def test_a_commune_point_says_how_coarse_it_is(dataset):
    from tjv_clusters import details

    site = dataset.sites[dataset.sites["gazetteer_id"].fillna("").str.startswith(
        "vn-commune:")].iloc[0].to_dict()
    locality = dataset.localities.get(site["gazetteer_id"]) if isinstance(
        dataset.localities, dict) else None
    text = details.precision_text(site, locality, "en")
    assert "commune or ward" in text and "town block" not in text


def test_places_not_built_yet_have_a_dashed_outline_explained_in_the_legend(dataset):
    from tjv_clusters.cluster_map import NOT_BUILT

    features = sites_geojson(dataset.sites, "en")["features"]
    status = dict(zip(dataset.sites["site_id"], dataset.sites["status"], strict=True))
    planned = [f for f in features if status[f["properties"]["id"]] in NOT_BUILT]
    assert planned, "the data has planned and under-construction places"
    for feature in features:
        dashed = "stroke-dasharray" in ICONS[feature["properties"]["icon"]]
        assert dashed == (status[feature["properties"]["id"]] in NOT_BUILT)
    legend = legend_html(["fab"], "ja")
    assert svg_icon("fab", 14, planned=True) in legend and "計画中・建設中" in legend
