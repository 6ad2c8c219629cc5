"""The cluster map: which folium map shows these places, regions and cities?

Pure: takes data frames, returns a `folium.Map`; no streamlit. Choices that matter:
- No tile server: land, coasts and borders come from data/boundaries (Natural Earth).
- Every JS/CSS asset is served by the app itself (`tjv_clusters.assets`); the map uses
  no CDN resource, and `external_links()` lets tests prove it.
- Places are drawn as GeoJSON points with our own SVG DivIcons (shape + colour per kind,
  colour-blind safe), clustered per layer group: one Jinja element per layer, not per
  marker, which keeps Python and browser time low.
- Text from the data is HTML-escaped in Python before it is put into the map, braces
  included (`map_text`).
"""

from __future__ import annotations

import html
import json

import folium
import pandas as pd
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from folium.utilities import JsCode
from jinja2 import Template

from tjv_clusters import assets, vocab
from tjv_clusters.i18n import NAME_COLUMN, t

# Okabe–Ito palette (colour-blind safe), shared with the charts.
PALETTE = {
    "vermillion": "#D55E00",
    "orange": "#E69F00",
    "blue": "#0072B2",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#7F7F7F",
}
# kind -> (shape, colour). Shapes differ inside each group so colour is never the only cue.
MARKER_STYLE = {
    "fab": ("square", PALETTE["vermillion"]),
    "packaging_test": ("diamond", PALETTE["orange"]),
    "supplier_plant": ("triangle_down", PALETTE["vermillion"]),
    "electronics_plant": ("hexagon", PALETTE["orange"]),
    "design_centre": ("circle", PALETTE["vermillion"]),
    "university": ("triangle", PALETTE["blue"]),
    "research_institute": ("pentagon", PALETTE["sky"]),
    "trade_centre": ("star", PALETTE["green"]),
    "agency": ("circle", PALETTE["green"]),
    "company_office": ("square", PALETTE["green"]),
    "startup_hub": ("diamond", PALETTE["yellow"]),
    "science_park": ("hexagon", PALETTE["purple"]),
    "industrial_park": ("square", PALETTE["purple"]),
    "special_zone": ("star", PALETTE["purple"]),
    "infrastructure": ("plus", PALETTE["grey"]),
}
# SVG bodies in a 20x20 box; {c} is the fill colour.
SHAPES = {
    "circle": '<circle cx="10" cy="10" r="7"/>',
    "square": '<rect x="3.5" y="3.5" width="13" height="13"/>',
    "diamond": '<polygon points="10,1.5 18.5,10 10,18.5 1.5,10"/>',
    "triangle": '<polygon points="10,2 18.5,17 1.5,17"/>',
    "triangle_down": '<polygon points="1.5,3 18.5,3 10,18"/>',
    "pentagon": '<polygon points="10,1.8 18.3,7.8 15.1,17.6 4.9,17.6 1.7,7.8"/>',
    "hexagon": '<polygon points="10,1.5 17.4,5.75 17.4,14.25 10,18.5 2.6,14.25 2.6,5.75"/>',
    "star": '<polygon points="10,1 12.6,7.2 19.2,7.4 14,11.6 15.9,18.2 10,14.4 4.1,18.2 '
    '6,11.6 0.8,7.4 7.4,7.2"/>',
    "plus": '<polygon points="7,2 13,2 13,7 18,7 18,13 13,13 13,18 7,18 7,13 2,13 2,7 7,7"/>',
}
MARKER_PX = 18
# Boundaries are simplified to ~1 km: closer than zoom 13 shows nothing more offline.
MAX_ZOOM_OFFLINE = 13
MAX_ZOOM_ONLINE = 18
MAP_BOUNDS = [[8.0, 100.0], [46.0, 147.0]]  # Vietnam to Hokkaido
SEA_COLOUR = "#dcebf5"
LAND_STYLE = {"fillColor": "#f4f1ea", "color": "#a9a9a9", "weight": 0.8, "fillOpacity": 1}
REGION_STYLE = {"fillColor": "#ffffff", "fillOpacity": 0.35, "color": "#5f6b7a", "weight": 0.7}
REGION_SELECTED = {"fillColor": "#0072B2", "fillOpacity": 0.25, "color": "#0072B2", "weight": 2.5}
REGION_HOVER = {"weight": 2, "color": "#222222"}


def svg_icon(kind: str, size: int = MARKER_PX, *, hollow: bool = False,
             planned: bool = False) -> str:
    """The kind's shape, filled with its colour; hollow (a white body inside a thick
    outline of the colour) when the point is only approximate; with a dashed outline when
    the place is planned or under construction (not built yet)."""
    shape, colour = MARKER_STYLE[kind]
    paint = (f'fill="#ffffff" stroke="{colour}" stroke-width="3"' if hollow
             else f'fill="{colour}" stroke="#1a1a1a" stroke-width="{2 if planned else 1.3}"')
    if planned:
        paint += ' stroke-dasharray="3 2"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20" width="{size}" '
        f'height="{size}" {paint}>{SHAPES[shape]}</svg>'
    )


def is_approximate(precision: str) -> bool:
    return precision not in vocab.SOURCED_PRECISION


# characters that mean something to the code around a tooltip's text, as HTML references
_MAP_TEXT_REFS = str.maketrans({"{": "&#123;", "}": "&#125;", "`": "&#96;", "\\": "&#92;"})


def map_text(value) -> str:
    """Data text for a map's tooltips: HTML-escaped, and safe in the code around it.
    branca renders each element's script and then renders the result again as a Jinja
    template, so a `{{ … }}` in a place name would run on the server (validation rejects
    it too: this is the second line of defence); folium's tooltips put their text in a
    JavaScript template literal, which a backtick, `${` or a backslash would break out of.
    The browser shows each reference as the character itself."""
    return html.escape(str(value)).translate(_MAP_TEXT_REFS)


def _label(record: pd.Series | dict, lang: str) -> str:
    return map_text(record.get(NAME_COLUMN[lang]) or record.get("name_en") or "")


NOT_BUILT = ("planned", "under_construction")


def icon_key(kind: str, approximate: bool, planned: bool = False) -> str:
    return kind + ("-approx" if approximate else "") + ("-planned" if planned else "")


# Every marker's SVG, once per map (the features carry only its key): 30 icons instead of
# one copy per site keeps the map's HTML small as the dataset grows.
ICONS = {icon_key(kind, approx, planned): svg_icon(kind, hollow=approx, planned=planned)
         for kind in MARKER_STYLE for approx in (False, True) for planned in (False, True)}


def sites_geojson(sites: pd.DataFrame, lang: str) -> dict:
    features = []
    for s in sites.to_dict("records"):
        approx = is_approximate(s["coord_precision"])
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [s["lon"], s["lat"]]},
            "properties": {
                "id": s["site_id"],
                "layer": "site",
                "kind": s["kind"],
                "label": _label(s, lang),
                "approx": approx,
                "icon": icon_key(s["kind"], approx, s["status"] in NOT_BUILT),
            },
        })
    return {"type": "FeatureCollection", "features": features}


def regions_geojson(admin1_geojson: dict, lang: str, countries, selected: str | None) -> dict:
    features = []
    for feat in admin1_geojson["features"]:
        p = feat["properties"]
        if p["country"] not in countries:
            continue
        style = REGION_SELECTED if p["code"] == selected else REGION_STYLE
        features.append({
            "type": "Feature",
            "geometry": feat["geometry"],
            "properties": {
                "id": p["code"],
                "layer": "region",
                "label": _label(p, lang),
                "style": style,
            },
        })
    return {"type": "FeatureCollection", "features": features}


def cities_geojson(cities: pd.DataFrame, lang: str) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
                "properties": {"id": c["city_id"], "layer": "city", "label": _label(c, lang)},
            }
            for _, c in cities.iterrows()
        ],
    }


# Each place becomes a marker with our SVG icon; the tooltip text was escaped in Python.
POINT_TO_SITE = JsCode("""
function(feature, latlng) {
  var p = feature.properties;
  var icons = %(icons)s;
  var icon = L.divIcon({className: 'tjv-marker tjv-' + p.kind + (p.approx ? ' tjv-approx' : ''),
                        html: icons[p.icon],
                        iconSize: [%(px)d, %(px)d], iconAnchor: [%(half)d, %(half)d]});
  var marker = L.marker(latlng, {icon: icon, keyboard: true});
  marker.bindTooltip(p.label, {direction: 'top', offset: [0, -%(half)d]});
  return marker;
}""" % {"px": MARKER_PX, "half": MARKER_PX // 2, "icons": json.dumps(ICONS)})

POINT_TO_CITY = JsCode("""
function(feature, latlng) {
  var m = L.circleMarker(latlng, {radius: 4, color: '#1a1a1a', weight: 1.5,
                                  fillColor: '#ffffff', fillOpacity: 1});
  m.bindTooltip(feature.properties.label, {direction: 'right', offset: [6, 0]});
  return m;
}""")

# Lienchiang (Matsu) is a point unit: draw it as a ring, not Leaflet's image marker.
POINT_TO_REGION = JsCode("""
function(feature, latlng) {
  return L.circleMarker(latlng, {radius: 9});
}""")

REGION_EACH = JsCode("""
function(feature, layer) {
  layer.bindTooltip(feature.properties.label, {sticky: true});
  layer.on('mouseover', function(e) { e.target.setStyle(%s); });
  layer.on('mouseout', function(e) { e.target.setStyle(feature.properties.style); });
}""" % json.dumps(REGION_HOVER))


class _Script(folium.MacroElement):
    """A piece of our own JavaScript run once the map exists."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map) { {{ this.code }} })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, code: str):
        super().__init__()
        self._name = "Script"
        self.code = code


# Keep the map's centre and zoom in the app's address bar as the user pans (the component
# iframe is same-origin with the app), without a rerun: `?view=lat,lon,zoom`.
FIT_AND_VIEW_TO_URL = """
// Fit the three countries without animation: an animated fit finishes one frame later and
// would undo the view of a shared link (streamlit-folium's setView runs right after this).
map.fitBounds(%s, {animate: false});
map.on('moveend', function() {
  try {
    var c = map.getCenter();
    var u = new URL(window.parent.location.href);
    u.searchParams.set('view', c.lat.toFixed(3) + ',' + c.lng.toFixed(3) + ',' + map.getZoom());
    window.parent.history.replaceState(window.parent.history.state, '', u);
  } catch (e) {}
});"""


def legend_html(kinds: list[str], lang: str) -> str:
    rows = "".join(
        f'<div class="tjv-legend-row">{svg_icon(kind, 14)}'
        f"<span>{html.escape(t(lang, 'kind.' + kind))}</span></div>"
        for kind in kinds
    )
    city = (
        '<div class="tjv-legend-row"><svg width="14" height="14" viewBox="0 0 20 20">'
        '<circle cx="10" cy="10" r="5" fill="#fff" stroke="#1a1a1a" stroke-width="2.5"/>'
        f"</svg><span>{html.escape(t(lang, 'layer.cities'))}</span></div>"
    )
    precision = "".join(
        f'<div class="tjv-legend-row">{svg_icon("fab", 14, hollow=hollow)}'
        f"<span>{html.escape(t(lang, key))}</span></div>"
        for hollow, key in ((False, "map.legend_sourced"), (True, "map.legend_approx"))
    )
    precision += (f'<div class="tjv-legend-row">{svg_icon("fab", 14, planned=True)}'
                  f"<span>{html.escape(t(lang, 'map.legend_planned'))}</span></div>")
    title = html.escape(t(lang, "map.legend"))
    # <details>: the legend folds away on small screens (one tap on its title)
    return (f'<details class="tjv-legend" open><summary><strong>{title}</strong></summary>'
            f'{precision}<hr class="tjv-legend-rule">{rows}{city}</details>')


LEGEND_CSS = (
    # at most 210 px wide: long entries wrap instead of covering the middle of the map
    ".tjv-legend{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;"
    "max-width:210px;"
    "font:12px/1.35 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-height:45vh;"
    "overflow:auto}.tjv-legend-row{display:flex;gap:6px;align-items:center}"
    ".tjv-legend summary{cursor:pointer}.tjv-marker{background:none;border:none}"
    ".tjv-legend-rule{border:0;border-top:1px solid #bbb;margin:4px 0}"
)


def zoom_titles_script(lang: str) -> str:
    """Leaflet's zoom buttons are titled "Zoom in"/"Zoom out" in English: name them in the
    chosen language (the title is what a screen reader and a hover say)."""
    code = ""
    for which in ("in", "out"):
        title = json.dumps(t(lang, f"map.zoom_{which}"))
        code += ("var b = map.getContainer().querySelector('.leaflet-control-zoom-%s');"
                 "if (b) { b.title = %s; b.setAttribute('aria-label', %s); }"
                 % (which, title, title))
    return code


def keyboard_script(lang: str) -> str:
    """One tab stop for the whole map: Leaflet makes every marker (and the browser every
    interactive shape) a tab stop, hundreds of them before the page's search box. The map
    itself stays focusable, with Leaflet's arrow-key panning and +/- zoom, and says so; a
    place is chosen with the search box, which lists every place, region and company."""
    label = json.dumps(t(lang, "map.keyboard_label"))
    return (
        "(function () { var c = map.getContainer();"
        " c.setAttribute('role', 'region'); c.setAttribute('aria-label', %s);"
        " function calm() { c.querySelectorAll('.leaflet-marker-icon, .leaflet-interactive')"
        "  .forEach(function (el) { if (el.getAttribute('tabindex') !== '-1')"
        "   el.setAttribute('tabindex', '-1'); }); }"
        " calm(); new MutationObserver(calm).observe(c, {subtree: true, childList: true});"
        "})();"
    ) % label


def _legend_script(kinds: list[str], lang: str) -> str:
    return (
        "map.getContainer().style.background = %s;"
        "var style = document.createElement('style'); style.textContent = %s;"
        "document.head.appendChild(style);"
        "var legend = L.control({position: 'bottomright'});"
        "legend.onAdd = function() { var d = L.DomUtil.create('div'); d.innerHTML = %s;"
        # folded in a small frame (a phone, a 320 px embed): its title still opens it
        " var c = map.getContainer(); if (c.clientWidth < 500 || c.clientHeight < 450)"
        "  d.firstChild.removeAttribute('open');"
        " L.DomEvent.disableClickPropagation(d); return d; };"
        "legend.addTo(map);"
    ) % (json.dumps(SEA_COLOUR), json.dumps(LEGEND_CSS), json.dumps(legend_html(kinds, lang)))


def make_cluster_map(
    sites: pd.DataFrame,
    cities: pd.DataFrame,
    admin1_geojson: dict,
    countries_geojson: dict,
    *,
    lang: str = "en",
    countries=vocab.COUNTRIES,
    selected_region: str | None = None,
    online_tiles: bool = False,
    base_url_path: str = "",
    layers: tuple[str, ...] = ("regions", *vocab.SITE_GROUPS, "cities"),
) -> folium.Map:
    """The map with the chosen layers (ids as in the URL's `layers=` parameter)."""
    m = folium.Map(
        location=[26.0, 122.0],
        zoom_start=4,
        tiles=None,
        # Map options, not tile options: without a tile layer, markercluster needs the
        # map's own maxZoom or it throws and the map stays blank.
        maxZoom=MAX_ZOOM_ONLINE if online_tiles else MAX_ZOOM_OFFLINE,
        minZoom=3,
        max_bounds=True,
        prefer_canvas=False,
        control_scale=True,
    )
    # GeoJson without a style_function takes feature.properties.style: put it there.
    land = {
        "type": "FeatureCollection",
        "features": [{**f, "properties": {"style": LAND_STYLE}}
                     for f in countries_geojson["features"]],
    }
    folium.GeoJson(land, name="land", control=False, interactive=False,
                   smooth_factor=0.5).add_to(m)
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name=t(lang, "layer.online_tiles"), overlay=False,
                         control=True).add_to(m)

    if "regions" in layers:
        folium.GeoJson(
            regions_geojson(admin1_geojson, lang, countries, selected_region),
            name=t(lang, "layer.regions"),
            on_each_feature=REGION_EACH,
            pointToLayer=POINT_TO_REGION,
            smooth_factor=0.5,
        ).add_to(m)

    # Clusters stay up to the deepest zoom, but from zoom 10 only markers that overlap
    # (closer than their own size) are grouped; at the deepest zoom a click on such a group
    # fans its markers out (spiderfy), so sites sharing a town block or park stay reachable.
    cluster_options = {
        "showCoverageOnHover": False,
        "maxClusterRadius": JsCode("function(zoom) { return zoom >= 10 ? %d : 36; }"
                                   % (MARKER_PX - 4)),
        "spiderfyOnMaxZoom": True,
    }
    # One cluster layer for every shown group: sites of different kinds on one point (a
    # fab and its park) must group and fan out together.
    kinds = [k for group in vocab.SITE_GROUPS if group in layers
             for k in vocab.SITE_GROUPS[group]]
    shown = sites[sites["kind"].isin(kinds)]
    shown_kinds = [k for k in kinds if k in set(shown["kind"])]
    if not shown.empty:
        cluster = MarkerCluster(name=t(lang, "map.legend"), options=cluster_options)
        folium.GeoJson(
            sites_geojson(shown, lang), control=False, pointToLayer=POINT_TO_SITE,
        ).add_to(cluster)
        cluster.add_to(m)

    if not cities.empty and "cities" in layers:
        folium.GeoJson(
            cities_geojson(cities, lang), name=t(lang, "layer.cities"),
            pointToLayer=POINT_TO_CITY,
        ).add_to(m)

    _Script(_legend_script(shown_kinds, lang)).add_to(m)
    _Script(zoom_titles_script(lang)).add_to(m)
    _Script(keyboard_script(lang)).add_to(m)
    _Script(FIT_AND_VIEW_TO_URL % json.dumps(MAP_BOUNDS)).add_to(m)
    localise_assets(m, base_url_path)
    return m


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)


def localise_assets(m: folium.Map, base_url_path: str = "") -> None:
    """Point every element's JS/CSS at the app's own copies; drop the ones we do not use."""
    js, css = assets.local_links(base_url_path)
    js_by_name, css_by_name = dict(js), dict(css)
    for element in _walk(m):
        if isinstance(element, JSCSSMixin):
            element.default_js = [
                (name, js_by_name[name]) for name, _ in element.default_js if name in js_by_name
            ]
            element.default_css = [
                (name, css_by_name[name]) for name, _ in element.default_css
                if name in css_by_name
            ]


def asset_links(m: folium.Map) -> list[str]:
    """Every script/stylesheet URL streamlit-folium will load for this map."""
    links = []
    for element in _walk(m):
        links += [url for _, url in getattr(element, "default_js", [])]
        links += [url for _, url in getattr(element, "default_css", [])]
    return links


def external_links(m: folium.Map) -> list[str]:
    """Asset URLs pointing off the app's host (must be empty)."""
    return [url for url in asset_links(m) if not url.startswith("/")]


# a dashed ring around the sites a view highlights (e.g. added since a dataset version):
# red-orange, 3.9:1 on white, dashed so it is not read as the blue selection ring
RING_NEW = JsCode("""
function(feature, latlng) {
  return L.circleMarker(latlng, {radius: 14, color: '%s', weight: 3, dashArray: '5 4',
                                 fill: false, interactive: false});
}""" % PALETTE["vermillion"])


def selection_layer(ds, selection: tuple[str, str] | None,
                    ringed: pd.DataFrame | None = None) -> folium.FeatureGroup | None:
    """Drawn over the shared map without rebuilding it: a highlight for the selected
    region or site, and a ring around each of the `ringed` sites (lat, lon columns)."""
    group = folium.FeatureGroup(name="selection", control=False)
    drawn = _draw_selection(ds, selection, group)
    if ringed is not None and not ringed.empty:
        points = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {},
             "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}}
            for lat, lon in zip(ringed["lat"], ringed["lon"], strict=True)]}
        folium.GeoJson(points, interactive=False, pointToLayer=RING_NEW).add_to(group)
        drawn = True
    return group if drawn else None


def _draw_selection(ds, selection: tuple[str, str] | None, group: folium.FeatureGroup) -> bool:
    if not selection:
        return False
    kind, entity_id = selection
    if kind == "region":
        feats = [f for f in ds.admin1_geojson["features"] if f["properties"]["code"] == entity_id]
        if not feats:
            return False
        shape = {"type": "FeatureCollection",
                 "features": [{**feats[0], "properties": {"style": REGION_SELECTED}}]}
        folium.GeoJson(shape, interactive=False, pointToLayer=POINT_TO_REGION).add_to(group)
        return True
    if kind == "site":
        rows = ds.sites[ds.sites["site_id"] == entity_id]
        if rows.empty:
            return False
        folium.CircleMarker(
            [rows.iloc[0]["lat"], rows.iloc[0]["lon"]], radius=16, color=PALETTE["blue"],
            weight=3, fill=False, interactive=False,
        ).add_to(group)
        return True
    return False
