"""The built cluster map: layers, feature counts, escaping, and no CDN assets."""

import pandas as pd
import pytest

from tjv_clusters import assets
from tjv_clusters.cluster_map import (
    MARKER_STYLE,
    asset_links,
    external_links,
    make_cluster_map,
    sites_geojson,
)
from tjv_clusters.filters import Filters, filter_sites
from tjv_clusters.vocab import SITE_KINDS


def tiny_sites(**overrides) -> pd.DataFrame:
    row = {
        "site_id": "fab-test", "name_en": "Test <b>Fab</b> & Co", "name_ja": "テスト工場",
        "name_zh_tw": None, "name_vi": None, "kind": "fab", "country": "JP",
        "admin1": "JP-43", "city": "Kikuyo", "lat": 32.86, "lon": 130.83,
        "coord_precision": "approx_city", "sectors": ("semiconductors",),
        "status": "operating", "operator_ids": (), "opened": None,
        "description": "x", "source_ids": ("s",),
    }
    row.update(overrides)
    return pd.DataFrame([row])


NO_CITIES = pd.DataFrame(columns=["city_id", "name_en", "lat", "lon"])


def rendered(m) -> str:
    return m.get_root().render()


def test_every_kind_has_a_distinct_marker_within_its_colour():
    assert set(MARKER_STYLE) == set(SITE_KINDS)
    assert len(set(MARKER_STYLE.values())) == len(MARKER_STYLE)


def test_layers_and_counts(dataset):
    m = make_cluster_map(dataset.sites, dataset.cities, dataset.admin1_geojson,
                         dataset.countries_geojson)
    html = rendered(m)
    assert html.count('"layer":"region"') + html.count('"layer": "region"') == 103
    site_features = html.count('"layer": "site"') + html.count('"layer":"site"')
    assert site_features == len(dataset.sites)
    assert "L.markerClusterGroup" in html


def test_layers_can_be_turned_off(dataset):
    m = make_cluster_map(dataset.sites, dataset.cities, dataset.admin1_geojson,
                         dataset.countries_geojson, layers=("regions",))
    html = rendered(m)
    assert html.count('"layer": "region"') + html.count('"layer":"region"') == 103
    assert '"layer": "site"' not in html and '"layer":"site"' not in html
    assert "L.markerClusterGroup" not in html


def test_country_filter_limits_regions(dataset):
    only_tw = Filters(countries=("TW",))
    m = make_cluster_map(filter_sites(dataset.sites, only_tw), dataset.cities,
                         dataset.admin1_geojson, dataset.countries_geojson, countries=("TW",))
    html = rendered(m)
    assert html.count('"layer": "region"') + html.count('"layer":"region"') == 22


def test_text_from_data_is_escaped():
    fc = sites_geojson(tiny_sites(), "en")
    assert fc["features"][0]["properties"]["label"] == "Test &lt;b&gt;Fab&lt;/b&gt; &amp; Co"
    m = make_cluster_map(tiny_sites(), NO_CITIES, {"features": []}, {"features": []})
    assert "<b>Fab</b>" not in rendered(m)


# a template expression, a way out of a JavaScript template literal, and a backslash
HOSTILE = "Fab {{ 7*7 }} {% if 1 %}z{% endif %} `+top.zqx=1+` ${top.zqx=2} \\x"


def test_data_text_never_runs_as_a_template_or_script(dataset):
    """branca renders a map's scripts as Jinja twice, and folium puts tooltip text in a
    JavaScript template literal: text from the data must stay text in both."""
    from tjv_clusters.mini_map import Arc, Point, make_mini_map

    page = rendered(make_cluster_map(tiny_sites(name_en=HOSTILE), NO_CITIES,
                                     {"features": []}, {"features": []}))
    a, b = Point(HOSTILE, 32.8, 130.7), Point("b", 25.0, 121.5)
    mini = rendered(make_mini_map(dataset.countries_geojson, [a, b], [Arc(a, b, label=HOSTILE)]))
    shown = "Fab &#123;&#123; 7*7 &#125;&#125; &#123;% if 1 %&#125;z&#123;% endif %&#125; " \
            "&#96;+top.zqx=1+&#96; $&#123;top.zqx=2&#125; &#92;x"
    for html in (page.replace("\\u0026", "&"), mini):  # the GeoJSON writes & as \u0026
        assert shown in html  # the browser shows each reference as the character
        assert "Fab 49" not in html and "7*7 }}" not in html and "`+top.zqx" not in html
        assert "${top" not in html and "\\x" not in html


def test_label_in_chosen_language():
    fc = sites_geojson(tiny_sites(), "ja")
    assert fc["features"][0]["properties"]["label"] == "テスト工場"
    # no Chinese name: falls back to English
    assert sites_geojson(tiny_sites(), "zh_TW")["features"][0]["properties"]["label"].startswith(
        "Test")


@pytest.mark.parametrize("online", [False, True])
def test_assets_are_served_by_the_app(online):
    m = make_cluster_map(tiny_sites(), NO_CITIES, {"features": []}, {"features": []},
                         online_tiles=online)
    assert external_links(m) == []
    links = asset_links(m)
    assert any(link.endswith("leaflet/leaflet.js") for link in links)
    assert any(link.endswith("leaflet.markercluster.js") for link in links)
    assert all(link.startswith("/app/static/vendor/") for link in links)


def test_assets_respect_base_url_path():
    m = make_cluster_map(tiny_sites(), NO_CITIES, {"features": []}, {"features": []},
                         base_url_path="/dash/")
    assert all(link.startswith("/dash/app/static/vendor/") for link in asset_links(m))


def test_vendor_files_installed(tmp_path):
    files = assets.install(tmp_path)
    assert all(f.exists() and f.stat().st_size > 0 for f in files)
    js, css = assets.local_links()
    for _, url in js + css:
        assert (tmp_path / url.removeprefix("/app/static/")).exists()


def test_map_sets_its_own_max_zoom():
    # markercluster throws "Map has no maxZoom specified" without a tile layer
    m = make_cluster_map(tiny_sites(), NO_CITIES, {"features": []}, {"features": []})
    assert m.options["maxZoom"] == 13
    assert '"maxZoom": 13' in rendered(m)


def test_maps_do_not_need_jquery(dataset):
    """jQuery is not served: no built map may call it (folium popups would)."""
    from tjv_clusters.mini_map import Arc, Point, make_mini_map

    a, b = Point("a", 30, 130), Point("b", 25, 121)
    maps = [make_cluster_map(dataset.sites, dataset.cities, dataset.admin1_geojson,
                             dataset.countries_geojson),
            make_mini_map(dataset.countries_geojson, [a, b], [Arc(a, b)])]
    for m in maps:
        script = m.get_root().script.render()
        assert "$(" not in script and "$.ajax" not in script and "jQuery" not in script


def test_no_tile_server_by_default():
    m = make_cluster_map(tiny_sites(), NO_CITIES, {"features": []}, {"features": []})
    assert "tile.openstreetmap.org" not in rendered(m)


def test_missing_vendor_files_are_installed_at_start(tmp_path):
    # a fresh clone started with `streamlit run app.py`, without `make assets`
    assert assets.ensure(tmp_path) is None
    js, css = assets.local_links()
    for _, url in js + css:
        assert (tmp_path / url.removeprefix("/app/static/")).exists()


def test_vendor_files_that_cannot_be_installed_give_a_reason(tmp_path, monkeypatch):
    class Gone:
        BASE_DIR = str(tmp_path / "no-such-package")

    monkeypatch.setattr(assets, "PACKAGES", ((Gone, ("leaflet.js",), "leaflet"),))
    reason = assets.ensure(tmp_path / "static")
    assert reason and "leaflet.js" in reason
