"""The shared map sends the streamlit-folium component exactly what st_folium would.

shared_map uses streamlit-folium's internals; this test is the alarm for an upgrade that
changes them: the same map, drawn both ways, must give the same component arguments
(element ids aside, which folium draws at random for every map it builds)."""

import json
import os
import re
from types import SimpleNamespace

import pytest
import streamlit_folium as sf

from components import shared_map
from tjv_clusters.cluster_map import make_cluster_map, selection_layer
from tjv_clusters.filters import Filters, filter_cities, filter_sites


def build(dataset, lang="en", layers=("regions", "manufacturing", "cities")):
    f = Filters(countries=("JP", "TW"))
    return make_cluster_map(filter_sites(dataset.sites, f), filter_cities(dataset.cities, f),
                            dataset.admin1_geojson, dataset.countries_geojson, lang=lang,
                            countries=f.countries, layers=layers)


def without_ids(value):
    if isinstance(value, str):
        return re.sub(r"_[0-9a-f]{32}", "_ID", value)
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("selection", [None, ("site", "fab-jasm-kumamoto-1"),
                                       ("region", "JP-43")])
def test_same_arguments_as_st_folium(dataset, monkeypatch, selection):
    sent = []
    monkeypatch.setattr(sf, "_component_func", lambda **kwargs: sent.append(kwargs) or {})
    sf.st_folium(build(dataset), key="cluster-map", height=620, width=None,
                 returned_objects=["last_active_drawing"],
                 feature_group_to_add=selection_layer(dataset, selection),
                 center=(32.9, 130.8), zoom=9)
    payload = shared_map.MapPayload.build(build(dataset))
    shared_map.show(payload, key="cluster-map", height=620,
                    returned_objects=["last_active_drawing"],
                    feature_group=selection_layer(dataset, selection),
                    center=(32.9, 130.8), zoom=9)
    theirs, ours = sent
    theirs.pop("on_change"), ours.pop("on_change")
    assert set(ours) == set(theirs)
    for name in theirs:
        assert without_ids(ours[name]) == without_ids(theirs[name]), name


def test_a_payload_is_reusable_by_many_sessions(dataset, monkeypatch):
    """Drawing a payload twice (two sessions) sends the same map twice, untouched."""
    sent = []
    monkeypatch.setattr(sf, "_component_func", lambda **kwargs: sent.append(kwargs) or {})
    payload = shared_map.MapPayload.build(build(dataset))
    for selection in (("region", "JP-43"), None):
        shared_map.show(payload, key="cluster-map", height=620,
                        returned_objects=["last_active_drawing"],
                        feature_group=selection_layer(dataset, selection))
    first, second = sent
    assert first["script"] == second["script"] and first["key"] == second["key"]
    assert first["feature_group"] and second["feature_group"] is None


def test_a_published_map_sends_a_line_and_serves_the_rest(dataset, monkeypatch, tmp_path):
    """Each session gets a one-line script; the map itself is a static file, named by its
    content, so two builds of one view (two processes, two replicas) share one file."""
    sent = []
    monkeypatch.setattr(sf, "_component_func", lambda **kwargs: sent.append(kwargs) or {})
    first = shared_map.MapPayload.build(build(dataset))
    published = first.published("dashboard", static_dir=tmp_path)
    again = shared_map.MapPayload.build(build(dataset)).published("dashboard", tmp_path)
    assert published.script == again.script and published.js_links == again.js_links
    files = list((tmp_path / "maps").iterdir())
    assert [f.name for f in files] == [published.js_links[-1].rsplit("/", 1)[1]]
    assert published.js_links[-1].startswith("/dashboard/app/static/maps/map-")
    text = files[0].read_text(encoding="utf-8")
    assert "L.markerClusterGroup" in text and "return map_div;" in text
    # the layers' data is read as JSON, and is the data folium wrote
    data = re.findall(r"geo_json_\w+_add\(JSON\.parse\((.*)\)\);$", text, re.M)
    literals = re.findall(r"geo_json_\w+_add\((\{.*\})\);$", text, re.M)
    assert len(data) >= 3 and all(len(small) < 10_000 for small in literals)
    regions = json.loads(json.loads(data[1]))
    assert {f["properties"]["id"] for f in regions["features"]} >= {"JP-43", "TW-KHH"}
    assert not re.search(r"_[0-9a-f]{32}\b", text)  # ids numbered, not random
    assert len(published.script) < 100 and published.script.startswith("var map_div = ")

    files[0].unlink()  # pruned while the server still shows the view
    shared_map.show(published, key="cluster-map", height=620,
                    returned_objects=["last_active_drawing"],
                    feature_group=selection_layer(dataset, ("region", "JP-43")))
    assert files[0].read_text(encoding="utf-8") == text
    assert sent[0]["script"] == published.script
    assert "map_div" in sent[0]["feature_group"]


def test_old_map_files_are_pruned(tmp_path):
    from tjv_clusters import assets

    old = assets.publish("map-old.js", "1", tmp_path)
    new = assets.publish("map-new.js", "2", tmp_path)
    os.utime(old, (0, 0))
    assert assets.prune_published(tmp_path) == 1
    assert not old.exists() and new.exists()


def test_new_sites_are_ringed_over_the_shared_map(dataset):
    """`since` on the map: one dashed ring a site, drawn over the shared map."""
    ringed = dataset.sites.head(3)
    group = selection_layer(dataset, None, ringed)
    script = shared_map._feature_group_script(SimpleNamespace(map_id="map_x"), group)
    assert script.count('"type": "Point"') == 3 and "dashArray" in script
    with_selection = selection_layer(dataset, ("region", "JP-43"), ringed)
    assert len(with_selection._children) == 2  # the highlight and the rings
    assert selection_layer(dataset, None, ringed.iloc[0:0]) is None
