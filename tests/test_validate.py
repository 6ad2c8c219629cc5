"""make validate: the real data passes; each kind of broken edit names file, row, column."""

import csv
from pathlib import Path

import pytest

from tjv_clusters.validate import main, validate_dataset


def edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; `row` is the spreadsheet row (header = 1)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[row - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def cell(path: Path, row: int, column: str) -> str:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))[row - 2][column]


def messages(data_dir: Path) -> list[str]:
    return [str(p) for p in validate_dataset(data_dir)]


def test_committed_data_passes(capsys):
    assert validate_dataset() == []
    assert main([]) == 0
    assert "data OK" in capsys.readouterr().out


def test_wrong_type(data_copy):
    edit(data_copy / "sites.csv", 2, "lat", "north")
    assert any(m.startswith("sites.csv:2:lat:") and "number" in m for m in messages(data_copy))


def test_dangling_reference(data_copy):
    edit(data_copy / "agreements.csv", 3, "source_ids", "no-such-source")
    assert "agreements.csv:3:source_ids: 'no-such-source' is not in sources.csv" in messages(
        data_copy)


def test_dangling_party(data_copy):
    edit(data_copy / "agreements.csv", 2, "parties", "nobody-at-all")
    assert "agreements.csv:2:parties: 'nobody-at-all' is not in organisations.csv" in messages(
        data_copy)


def test_point_in_wrong_prefecture(data_copy):
    sites = data_copy / "sites.csv"
    row = next(i for i in range(2, 400) if cell(sites, i, "admin1") == "JP-43")
    edit(sites, row, "admin1", "JP-01")  # a Kumamoto site declared in Hokkaido
    found = [m for m in messages(data_copy) if m.startswith(f"sites.csv:{row}:lat:")]
    assert found and "outside JP-01 Hokkaido" in found[0] and "JP-43 Kumamoto" in found[0]


def test_duplicate_id(data_copy):
    sites = data_copy / "sites.csv"
    first = cell(sites, 2, "site_id")
    edit(sites, 3, "site_id", first)
    assert f"sites.csv:3:site_id: duplicate id '{first}' (first at row 2)" in messages(data_copy)


@pytest.mark.parametrize("bad", ["2019-13-01", "2019-02-30", "3 Oct 2019"])
def test_bad_date(data_copy, bad):
    edit(data_copy / "agreements.csv", 2, "date", bad)
    assert any(m.startswith("agreements.csv:2:date:") for m in messages(data_copy))


def test_stray_html(data_copy):
    edit(data_copy / "sites.csv", 4, "description", 'Nice <img src=x onerror="alert(1)">')
    assert any(m.startswith("sites.csv:4:description:") and "markup" in m
               for m in messages(data_copy))


@pytest.mark.parametrize("text", ["Fab {{ 7*7 }}", "a {% set x = 1 %}", "{# note #}"])
def test_template_syntax_in_text(data_copy, text):
    edit(data_copy / "sites.csv", 4, "name_en", text)
    assert any(m.startswith("sites.csv:4:name_en:") and "template syntax" in m
               for m in messages(data_copy))


def test_every_problem_reported_at_once_and_files_untouched(data_copy, capsys):
    edit(data_copy / "sites.csv", 2, "lat", "north")
    edit(data_copy / "flows.csv", 2, "amount", "-5")
    before = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    assert main([str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "sites.csv:2:lat:" in out and "flows.csv:2:amount:" in out
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.csv")} == before


def test_missing_required_value(data_copy):
    edit(data_copy / "sources.csv", 2, "url", "")
    assert "sources.csv:2:url: required value is empty" in messages(data_copy)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "https://", "https://exa mple.com/x", "https://example.com/a'b",
    'https://example.com/"x', "https://example.com/(x)", "ftp://example.com/", "//example.com",
    "https://exa_mple/x",
])
def test_source_urls_must_be_plain_web_addresses(data_copy, url):
    edit(data_copy / "sources.csv", 2, "url", url)
    assert any(m.startswith("sources.csv:2:url:") for m in messages(data_copy)), url


@pytest.mark.parametrize(("table", "column", "language"), [
    ("agreements.csv", "title_ja", "Japanese"),
    ("flows.csv", "title_zh_tw", "Chinese"),
    ("flows.csv", "title_vi", "Vietnamese"),
])
def test_a_title_left_in_english_is_named(data_copy, table, column, language):
    edit(data_copy / table, 4, column, "Subsidy for the new fab")
    found = [m for m in messages(data_copy) if m.startswith(f"{table}:4:{column}:")]
    assert found and f"is not written in {language}" in found[0]


def test_every_agreement_and_flow_has_four_titles(data_copy):
    edit(data_copy / "agreements.csv", 2, "title_vi", "")
    assert any(m.startswith("agreements.csv:2:title_vi:") for m in messages(data_copy))


def test_a_tour_step_must_show_a_place_and_cite_records(data_copy):
    tour = data_copy / "tour.csv"
    edit(tour, 2, "site_ids", "")
    edit(tour, 3, "flow_ids", "")
    edit(tour, 4, "event_ids", "ev-never-happened")
    found = messages(data_copy)
    assert ("tour.csv:2:site_ids: a step needs site_ids or admin1_codes to show on the map"
            in found)
    assert "tour.csv:3:event_ids: a step needs event_ids or flow_ids: its facts and sources" \
        in found
    assert "tour.csv:4:event_ids: 'ev-never-happened' is not in agreements.csv" in found


def test_a_tour_title_left_in_english_is_named(data_copy):
    edit(data_copy / "tour.csv", 2, "title_vi", "Kumamoto and TSMC")
    assert any(m.startswith("tour.csv:2:title_vi:") for m in messages(data_copy))


def _row_where(path: Path, **wanted) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        for index, r in enumerate(csv.DictReader(f), start=2):
            if all(v(r[k]) if callable(v) else r[k] == v for k, v in wanted.items()):
                return index
    raise AssertionError(f"no row with {wanted}")


def _at(data_dir: Path, row: int, column: str) -> list[str]:
    return [m for m in messages(data_dir) if m.startswith(f"sites.csv:{row}:{column}:")]


def test_a_park_outline_may_place_a_sourced_park_point(data_copy):
    sites = data_copy / "sites.csv"
    row = _row_where(sites, gazetteer_id=lambda v: v.startswith("tw-park:"))
    assert cell(sites, row, "coord_precision") == "sourced_park"
    assert not _at(data_copy, row, "gazetteer_id") and not _at(data_copy, row, "lat")


def test_a_park_outline_point_cannot_be_moved_by_hand(data_copy):
    sites = data_copy / "sites.csv"
    row = _row_where(sites, gazetteer_id=lambda v: v.startswith("tw-park:"))
    edit(sites, row, "lon", f"{float(cell(sites, row, 'lon')) + 0.01:.6f}")
    found = _at(data_copy, row, "lat")
    assert found and "is not the point of tw-park:" in found[0]


@pytest.mark.parametrize("precision", ["sourced_site", "sourced_locality", "approx_locality"])
def test_a_park_outline_places_only_sourced_park_points(data_copy, precision):
    sites = data_copy / "sites.csv"
    row = _row_where(sites, gazetteer_id=lambda v: v.startswith("tw-park:"))
    edit(sites, row, "coord_precision", precision)
    found = _at(data_copy, row, "gazetteer_id")
    assert found and "park outline" in found[0] and precision in found[0]


def test_sourced_park_takes_no_other_gazetteer_record(data_copy):
    sites = data_copy / "sites.csv"
    row = _row_where(sites, coord_precision="sourced_park", gazetteer_id="")
    edit(sites, row, "gazetteer_id", "geonames:1668399")
    assert _at(data_copy, row, "gazetteer_id")


def test_sourced_site_takes_no_gazetteer_record(data_copy):
    sites = data_copy / "sites.csv"
    row = _row_where(sites, coord_precision="sourced_site")
    edit(sites, row, "gazetteer_id", "tw-park:K05")
    assert _at(data_copy, row, "gazetteer_id")
