"""The static export's files: complete, self-contained, one per language."""

import html
import json
import re

from tjv_clusters import export, url_state
from tjv_clusters.filters import Filters, filter_flows
from tjv_clusters.i18n import LANGUAGES, t


def test_export_is_self_contained(static_export, dataset):
    sizes = {str(p.relative_to(static_export)): p.stat().st_size
             for p in static_export.rglob("*") if p.is_file()}
    pages = [file for file, _ in (*export.CHART_PAGES.values(), *export.TEXT_PAGES.values())]
    for name in ("index.html", *pages, "static.js", "static.css", "data/base.js", "data/search.js",
                 "vendor/leaflet/leaflet.js", "vendor/markercluster/leaflet.markercluster.js",
                 "vendor/plotly.min.js", *(f"data/lang-{lang}.js" for lang in LANGUAGES)):
        assert sizes.get(name, 0) > 0, name
    # the pages and our code name no other host: no CDN, no tile server, no fonts
    for name in ("index.html", *pages, "static.js", "static.css"):
        text = (static_export / name).read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), name
    # every site and region has its details in every language, in the file it names
    base = read_js(static_export, "base")
    files = {s["id"]: s["details"] for s in base["sites"]} | {
        f"region:{f['properties']['code']}": f["properties"]["details"]
        for f in base["regions"]["features"]}
    assert set(files) == set(dataset.sites["site_id"]) | {
        f"region:{c}" for c in dataset.admin1["code"]}
    for lang in LANGUAGES:
        chunks = {n: read_js(static_export, f"details-{lang}-{n}") for n in set(files.values())}
        for key, n in files.items():
            assert chunks[n][key].startswith("<h2>"), (lang, key)
            assert "<script" not in chunks[n][key]
    # the search index finds every site, from its own file: base.js, which the first
    # markers wait for, does not carry it
    assert "search" not in base
    found = {e["id"] for e in read_js(static_export, "search") if e["kind"] == "site"}
    assert found == set(dataset.sites["site_id"])
    # the map page's language file is small: no details, no figures
    assert sizes["data/lang-vi.js"] < 50_000


def read_js(site, name: str):
    """The value a data/*.js file of the export sets (window.TJV[name] = JSON, or
    JSON.parse of a JSON string for large values)."""
    text = (site / "data" / f"{name}.js").read_text(encoding="utf-8")
    value = text.split(f'window.TJV["{name}"]=', 1)[1].rstrip().rstrip(";")
    if value.startswith("JSON.parse("):
        value = json.loads(value.removeprefix("JSON.parse(").removesuffix(")"))
    return json.loads(value)


def test_details_escape_the_data(dataset):
    html_text = export.site_html(dataset, "fab-jasm-kumamoto-1", "en")
    assert html_text.startswith("<h2>JASM Kumamoto Fab 1")
    assert "<a href=\"https://" in html_text and 'rel="noopener noreferrer"' in html_text
    assert export._lines(["<img src=x onerror=alert(1)>"], "en") == (
        "<ul><li>&lt;img src=x onerror=alert(1)&gt;</li></ul>")


def test_a_place_page_adds_flows_and_indicators_escaped(dataset):
    from tjv_clusters import details

    profile = details.place_profile(dataset, "JP-43")
    assert not profile["indicators"].empty  # Kumamoto has sourced indicators
    poisoned = {**profile, "indicators": profile["indicators"].assign(unit="<b>x</b>")}
    text = export.place_html(dataset, poisoned, "ja")
    assert f"{t('ja', 'places.flows_out')} ({len(profile['flows_out'])})" in text
    assert "<td>&lt;b&gt;x&lt;/b&gt;</td>" in text and "<b>x" not in text
    assert "class='sources'" in text


def test_tour_steps_frame_their_records_and_cite_them(dataset):
    from tjv_clusters import tour

    steps = {s["id"]: s for s in tour.steps(dataset)}
    assert list(steps) == list(dataset.tour["step_id"])
    sites = dataset.sites.set_index("site_id")
    for record in dataset.tour.to_dict("records"):
        (south, west), (north, east) = steps[record["step_id"]]["bounds"]
        for site in record["site_ids"]:
            assert south <= sites.at[site, "lat"] <= north
            assert west <= sites.at[site, "lon"] <= east
        caption = tour.step_html(dataset, record, "ja")
        assert caption.startswith(f"<h2>{record['title_ja']}</h2>")
        for source in tour.step_sources(dataset, record)["title"]:
            assert html.escape(source) in caption
    kaohsiung = steps["kaohsiung-kumamoto"]
    assert kaohsiung["sel"] == ["region", "TW-KHH"]
    assert kaohsiung["bounds"][0][0] < 23 < 32 < kaohsiung["bounds"][1][0]  # both cities


def test_timeline_and_flows_pages_list_every_record_with_its_sources(dataset):
    """Every agreement and every flow of the three countries, newest first, in the
    language, escaped, each with the links of its own sources."""
    [timeline] = export.timeline_panels(dataset, "ja")
    assert len(timeline["records"]) == len(dataset.agreements)
    assert timeline["figure"]["layout"]["title"]["text"].startswith("国の組み合わせ")
    newest = dataset.agreements.sort_values("date").iloc[-1]
    assert html.escape(newest["title_ja"] or newest["title_en"]) in timeline["records"][0]
    first = timeline["records"][0]
    for url in dataset.sources.set_index("source_id").loc[list(newest["source_ids"]), "url"]:
        assert f'href="{html.escape(url)}"' in first
    # the flows as the live page lists them: those with an end in one of the countries
    [flows] = export.flows_panels(dataset, "vi")
    first_year, last_year = url_state.year_bounds(dataset)
    every = Filters(year_from=first_year, year_to=last_year)
    assert len(flows["records"]) == len(filter_flows(dataset.flows, dataset.organisations, every))
    assert all("<script" not in r for r in flows["records"] + timeline["records"])
    # the Sankey names the countries in the language
    labels = flows["figure"]["data"][0]["node"]["label"]
    assert any("Nhật Bản" in label for label in labels)


def test_the_data_page_offers_every_table_as_the_live_page_does(dataset, tmp_path):
    import pandas as pd

    from tjv_clusters.filters import data_tables

    tables = export.write_tables(dataset, tmp_path)
    assert [t["name"] for t in tables] == list(data_tables(dataset))
    sites = pd.read_csv(tmp_path / "csv" / "sites.csv", dtype=str, keep_default_na=False)
    assert len(sites) == len(dataset.sites) == tables[0]["rows"]
    jasm = sites.set_index("site_id").loc["fab-jasm-kumamoto-1"]
    assert jasm["source_ids"] == ";".join(dataset.sites.set_index("site_id").at[
        "fab-jasm-kumamoto-1", "source_ids"])


def test_the_about_page_has_the_version_the_merger_and_every_source(dataset):
    page = export.about_html(dataset, "ja")
    version, _ = dataset.release
    assert f"バージョン {version}" in page.split("</p>")[0]
    assert page.count("<li><a href=") == len(dataset.sources)
    assert page.count("<tr>") == len(dataset.merger)
    assert "<script" not in page
