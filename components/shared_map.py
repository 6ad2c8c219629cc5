"""A folium map drawn once and shown to every visitor of the same view.

`st_folium` renders its map to HTML and JavaScript on every script run of every session:
for the cluster map that is ~0.8 s of Jinja templates and GeoJSON serialisation per
visitor, and visitors queue behind each other on the server. Here the rendering is split:
`MapPayload.build` does the expensive part once (the caller caches it per view, shared by
all sessions), and `show` sends the prepared strings to the same streamlit-folium
component that `st_folium` uses, with the per-session parts (the selection highlight,
centre, zoom) added cheaply.

This module leans on streamlit-folium's internals (`_get_html`, `_get_header`,
`_get_map_string`, `_component_func`; pinned to 0.27.x in pyproject.toml);
tests/test_shared_map.py fails if they stop producing what `st_folium` itself sends.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import folium
import streamlit as st
import streamlit_folium as sf

from tjv_clusters import assets

# folium names every element with a random 32-digit id; a published script numbers them
FOLIUM_ID = re.compile(r"(?<=_)[0-9a-f]{32}\b")
# a GeoJson layer's data, which folium writes as one object literal on its own line
GEOJSON_DATA = re.compile(r"^(\s*geo_json_\w+_add\()(\{.*\})(\);)$", re.M)


@dataclass(frozen=True)
class MapPayload:
    """What the component needs to draw a map, as strings: safe to share between threads."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: tuple[tuple[float | None, float | None], tuple[float | None, float | None]]
    zoom: int | None
    # set by `published`: the static file that holds the map's script, and its text
    script_file: str | None = None
    script_text: str | None = None

    @classmethod
    def build(cls, m: folium.Map) -> MapPayload:
        """Render the map the way `st_folium` does (this consumes the map object)."""
        m.get_root().render()
        m.render()
        html = sf._get_html(m)
        header = sf._get_header(m)
        script = sf._get_map_string(m)
        css: list[str] = []
        js: list[str] = []
        for element in _walk(m):
            css += [href for _, href in getattr(element, "default_css", [])]
            js += [src for _, src in getattr(element, "default_js", [])]
        try:
            bounds = m.get_bounds()
        except AttributeError:
            bounds = [[None, None], [None, None]]
        return cls(
            script=script, header=header, html=html, map_id=sf.get_full_id(m),
            css_links=tuple(dict.fromkeys(css)), js_links=tuple(dict.fromkeys(js)),
            bounds=(tuple(bounds[0]), tuple(bounds[1])), zoom=m.options.get("zoom"),
        )

    def published(self, base_url_path: str = "", static_dir: Path = assets.STATIC_DIR
                  ) -> MapPayload:
        """The same map with its script moved to a static file that the app serves.

        The component's arguments shrink from ~0.7 MB to a few hundred bytes, so no session
        serialises, hashes and sends the map again, and the browser caches the file. Its
        name is its content, and element ids are numbered, so every process and replica
        that builds a view writes the same file. The script runs inside a function (its
        variables stay local) and the one-line inline script binds the map to `map_div`,
        the name the component and the selection layer use."""
        body = GEOJSON_DATA.sub(_parsed_data, FOLIUM_ID.sub(_Numbering(), self.script))
        key = assets.content_key(body)
        text = (f"(window.tjvMaps = window.tjvMaps || {{}})['{key}'] = function () {{\n"
                f"{body}\nreturn map_div;\n}};\n")
        name = f"map-{key}.js"
        assets.publish(name, text, static_dir)
        return replace(
            self, script=f"var map_div = window.tjvMaps['{key}']();\n",
            js_links=(*self.js_links, f"{assets.static_url(base_url_path, assets.MAPS)}/{name}"),
            script_file=str(static_dir / assets.MAPS / name), script_text=text,
        )

    def ensure_published(self) -> None:
        """Write the script file again if it has gone (pruned, or a cleaned folder)."""
        if self.script_file is not None:
            path = Path(self.script_file)
            assets.publish(path.name, self.script_text, path.parents[1])


def _parsed_data(match: re.Match) -> str:
    """re.sub callback: a layer's data read with JSON.parse (if it is JSON, as folium
    writes it), which Chromium reads about twice as fast as the object literal."""
    head, data, tail = match.groups()
    try:
        json.loads(data)
    except ValueError:
        return match.group(0)
    return head + assets.parsed_json(data) + tail


class _Numbering:
    """re.sub callback: the n-th distinct id becomes n."""

    def __init__(self):
        self.seen: dict[str, str] = {}

    def __call__(self, match: re.Match) -> str:
        return self.seen.setdefault(match.group(0), str(len(self.seen)))


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _feature_group_script(payload: MapPayload,
                          feature_group: folium.FeatureGroup | None) -> str | None:
    """The selection highlight, bound to the shared map's variable name."""
    if feature_group is None:
        return None
    host = folium.Map(tiles=None)  # a stand-in with the shared map's name, never drawn
    host._id = payload.map_id.removeprefix("map_")
    return sf._get_feature_group_string(feature_group, map=host, idx=0)


def component_args(payload: MapPayload, *, key: str, height: int,
                   returned_objects: list[str], feature_group=None, center=None,
                   zoom=None) -> dict:
    """The arguments `st_folium` would pass to the component for this map and session."""
    (south, west), (north, east) = payload.bounds
    defaults = {
        "last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None, "last_object_clicked_popup": None,
        "all_drawings": None, "last_active_drawing": None,
        "bounds": {"_southWest": {"lat": south, "lng": west},
                   "_northEast": {"lat": north, "lng": east}},
        "zoom": payload.zoom, "last_circle_radius": None, "last_circle_polygon": None,
        "selected_layers": None, "selected_tags": None, "last_geocoder_result": None,
    }
    return {
        "script": payload.script,
        "header": payload.header,
        "html": payload.html,
        "id": payload.map_id,
        "key": _component_key(payload.script, key),
        "height": height,
        "width": None,  # the container's width
        "returned_objects": returned_objects,
        "default": {k: v for k, v in defaults.items() if k in returned_objects},
        "zoom": zoom,
        "center": center,
        "feature_group": _feature_group_script(payload, feature_group),
        "return_on_hover": False,
        "layer_control": None,
        "pixelated": False,
        "css_links": list(payload.css_links),
        "js_links": list(payload.js_links),
        "wrap_longitude": False,
    }


@functools.lru_cache(maxsize=256)
def _component_key(script: str, key: str) -> str:
    """streamlit-folium's key for a map (a regex pass over the script: once per view)."""
    return sf.generate_js_hash(script, key, False)


def show(payload: MapPayload, *, key: str, height: int, returned_objects: list[str],
         feature_group=None, center=None, zoom=None) -> dict:
    """Draw a prepared map; returns what the browser reported, like `st_folium`."""
    payload.ensure_published()
    args = component_args(payload, key=key, height=height, returned_objects=returned_objects,
                          feature_group=feature_group, center=center, zoom=zoom)
    hash_key = args["key"]

    def on_change():
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(**args, on_change=on_change)
