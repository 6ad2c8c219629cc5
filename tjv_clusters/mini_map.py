"""Small offline maps for the panels: points, arcs between them, highlighted regions.

Pure (no streamlit); same offline basemap and local assets as the cluster map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import folium

from tjv_clusters.cluster_map import (
    LAND_STYLE,
    MAX_ZOOM_OFFLINE,
    PALETTE,
    REGION_SELECTED,
    REGION_STYLE,
    SEA_COLOUR,
    _Script,
    localise_assets,
    map_text,
    zoom_titles_script,
)
from tjv_clusters.i18n import local_name


@dataclass(frozen=True)
class Point:
    label: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Arc:
    start: Point
    end: Point
    weight: float = 3.0
    label: str = ""


def _arc_coords(a: Point, b: Point, bend: float = 0.18, steps: int = 24) -> list:
    """A gentle curve from a to b (so arcs between the same places do not overlap lines)."""
    mid_lat, mid_lon = (a.lat + b.lat) / 2, (a.lon + b.lon) / 2
    d_lat, d_lon = b.lat - a.lat, b.lon - a.lon
    ctrl = (mid_lat - d_lon * bend, mid_lon + d_lat * bend)
    coords = []
    for i in range(steps + 1):
        s = i / steps
        lat = (1 - s) ** 2 * a.lat + 2 * (1 - s) * s * ctrl[0] + s ** 2 * b.lat
        lon = (1 - s) ** 2 * a.lon + 2 * (1 - s) * s * ctrl[1] + s ** 2 * b.lon
        coords.append([lat, lon])
    return coords


def named_regions(admin1_geojson: dict, codes, lang: str) -> dict:
    """The regions of `codes` as a map's region layer: each named in the language."""
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [
        {**f, "properties": {"code": f["properties"]["code"],
                             "label": local_name(f["properties"], lang)}}
        for f in admin1_geojson["features"] if f["properties"]["code"] in wanted]}


def make_mini_map(
    countries_geojson: dict,
    points: list[Point] = (),
    arcs: list[Arc] = (),
    regions: dict | None = None,
    highlight: str | None = None,
    base_url_path: str = "",
    lang: str = "en",
) -> folium.Map:
    m = folium.Map(location=[26, 122], zoom_start=4, tiles=None, maxZoom=MAX_ZOOM_OFFLINE,
                   minZoom=2, control_scale=True)
    land = {"type": "FeatureCollection",
            "features": [{**f, "properties": {"style": LAND_STYLE}}
                         for f in countries_geojson["features"]]}
    folium.GeoJson(land, interactive=False, control=False).add_to(m)
    if regions and regions["features"]:
        styled = {"type": "FeatureCollection", "features": [
            {**f, "properties": {
                "style": REGION_SELECTED if f["properties"]["code"] == highlight else REGION_STYLE,
                "label": map_text(f["properties"]["label"]),
            }} for f in regions["features"]]}
        folium.GeoJson(styled, control=False,
                       tooltip=folium.GeoJsonTooltip(["label"], labels=False)).add_to(m)
    for arc in arcs:
        folium.PolyLine(_arc_coords(arc.start, arc.end), weight=arc.weight,
                        color=PALETTE["vermillion"], opacity=0.75,
                        tooltip=map_text(arc.label) if arc.label else None).add_to(m)
    for p in points:
        folium.CircleMarker([p.lat, p.lon], radius=6, color="#1a1a1a", weight=1.5,
                            fill=True, fill_color=PALETTE["blue"], fill_opacity=1,
                            tooltip=map_text(p.label)).add_to(m)
    lats = [p.lat for p in points] + [c for a in arcs for c in (a.start.lat, a.end.lat)]
    lons = [p.lon for p in points] + [c for a in arcs for c in (a.start.lon, a.end.lon)]
    if regions and regions["features"] and not lats:
        from shapely.geometry import shape

        bounds = [shape(f["geometry"]).bounds for f in regions["features"]]
        lons = [b[0] for b in bounds] + [b[2] for b in bounds]
        lats = [b[1] for b in bounds] + [b[3] for b in bounds]
    if lats:
        pad = 0.5 if max(lats) - min(lats) < 1 else 0.1 * (max(lats) - min(lats))
        m.fit_bounds([[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]],
                     max_zoom=9)
    _Script("map.getContainer().style.background = '%s';" % SEA_COLOUR
            + zoom_titles_script(lang)).add_to(m)
    localise_assets(m, base_url_path)
    return m


def arc_weight(amount_usd: float | None, largest: float) -> float:
    """Line width in px, by the square root of the amount (area-like), 1.5 to 14 px."""
    if not amount_usd or not largest:
        return 1.5
    return 1.5 + 12.5 * math.sqrt(amount_usd / largest)
