"""A view on paper: one to three A4 pages with the view's filters in words, a map, two
charts, the key facts with numbered citations, the dataset's version and date, and a
QR code and link that reopen exactly this view.

Pure up to the HTML (`briefing_html`); `to_pdf` prints that HTML with the Chromium the
browser tests already use (it lays out CJK and Vietnamese text with the system's Noto
fonts and embeds them), so no PDF is drawn by hand.
"""

from __future__ import annotations

import base64
import html
import io
import json
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from tjv_clusters import url_state, vocab
from tjv_clusters.charts import fit_narrow, plotly_config
from tjv_clusters.cluster_map import MARKER_STYLE, PALETTE
from tjv_clusters.dataset import Dataset
from tjv_clusters.details import amount_text, event_line, sources_of
from tjv_clusters.filters import filter_agreements, filter_flows, filter_sites
from tjv_clusters.i18n import LANGUAGES, fmt_date, local_name, t

LIST_LENGTH = 6  # largest flows and latest agreements listed
MAP_W, MAP_H = 640, 420  # the map's SVG size (px at 96 dpi: about 17 × 11 cm)


@dataclass
class Fact:
    text: str
    source_ids: tuple[str, ...] = ()


@dataclass
class Briefing:
    title: str
    filters: list[str]
    facts: list[Fact]
    sources: pd.DataFrame  # numbered in this order
    link: str
    version: tuple[str, str]
    lang: str
    sites: pd.DataFrame = field(repr=False, default=None)
    figures: list[go.Figure] = field(repr=False, default_factory=list)


def filters_in_words(view: url_state.View, ctx: url_state.Context, lang: str) -> list[str]:
    """The view's filters as sentences; what is left at its default is not mentioned."""
    f = view.filters
    words = []
    for name, (attr, allowed) in url_state.FILTER_PARAMS.items():
        chosen = tuple(str(v) for v in getattr(f, attr))
        if chosen != tuple(allowed):
            values = [t(lang, "details.wafer_mm", mm=v) if name == "wafer"
                      else t(lang, f"{name}.{v}") for v in chosen]
            words.append(f"{t(lang, f'briefing.filter.{name}')}: {', '.join(values)}")
    if (f.year_from, f.year_to) != (ctx.year_min, ctx.year_max):
        words.append(f"{t(lang, 'briefing.filter.years')}: {f.year_from}–{f.year_to}")
    if f.as_of is not None:
        words.append(t(lang, "asof.banner", year=f.as_of))
    return words or [t(lang, "briefing.filter.none")]


def build(ds: Dataset, view: url_state.View, ctx: url_state.Context, link: str,
          page_title: str) -> Briefing:
    """Everything the briefing shows, for a view."""
    lang = view.lang or "en"
    f = view.filters
    sites = filter_sites(ds.sites, f)
    events = filter_agreements(ds.agreements, ds.organisations, f)
    flows = filter_flows(ds.flows, ds.organisations, f)
    facts = [Fact(t(lang, "briefing.counts", sites=len(sites), events=len(events),
                    flows=len(flows)))]
    by_kind = sites["kind"].value_counts()
    facts.append(Fact(", ".join(f"{t(lang, f'kind.{k}')} {by_kind[k]}"
                                for k in vocab.SITE_KINDS if k in by_kind)))
    if view.selection:
        facts += _selection_facts(ds, view.selection, lang)
    largest = flows[flows["amount_usd"].notna()].sort_values("amount_usd", ascending=False)
    for flow in largest.head(LIST_LENGTH).to_dict("records"):
        facts.append(Fact(f"{int(flow['year'])} · {local_name(flow, lang, 'title')} · "
                          f"{amount_text(flow, lang)}", tuple(flow["source_ids"])))
    for event in events.sort_values("date", ascending=False).head(LIST_LENGTH).to_dict(
            "records"):
        facts.append(Fact(event_line(event, lang), tuple(event["source_ids"])))
    cited = sources_of(ds, [s for fact in facts for s in fact.source_ids])
    return Briefing(page_title, filters_in_words(view, ctx, lang), facts, cited, link,
                    ds.release, lang, sites, [_places_figure(sites, lang),
                                              _money_figure(flows, lang)])


def _selection_facts(ds: Dataset, selection: tuple[str, str], lang: str) -> list[Fact]:
    kind, entity = selection
    if kind == "site":
        rows = ds.sites[ds.sites["site_id"] == entity]
        if rows.empty:
            return []
        site = rows.iloc[0]
        return [Fact(f"{t(lang, 'briefing.selected')}: {local_name(site, lang)} "
                     f"({t(lang, 'kind.' + site['kind'])}, {t(lang, 'status.' + site['status'])})",
                     tuple(site["source_ids"]))]
    rows = ds.admin1[ds.admin1["code"] == entity]
    if rows.empty:
        return []
    return [Fact(f"{t(lang, 'briefing.selected')}: {local_name(rows.iloc[0], lang)} ({entity})")]


def _places_figure(sites: pd.DataFrame, lang: str) -> go.Figure:
    counts = sites["kind"].value_counts()
    kinds = [k for k in vocab.SITE_KINDS if k in counts]
    fig = go.Figure(go.Bar(x=[t(lang, f"kind.{k}") for k in kinds], y=[counts[k] for k in kinds],
                           marker_color=[MARKER_STYLE[k][1] for k in kinds]))
    fig.update_layout(title={"text": t(lang, "compare.places_chart")}, height=300, width=640,
                      margin={"l": 40, "r": 10, "t": 50, "b": 10}, template="plotly_white")
    return fit_narrow(fig, width=70)


def _money_figure(flows: pd.DataFrame, lang: str) -> go.Figure:
    usd = flows[flows["amount_usd"].notna()].groupby("year")["amount_usd"].sum() / 1e6
    fig = go.Figure(go.Bar(x=[str(int(y)) for y in usd.index], y=usd.round(1).tolist(),
                           marker_color=PALETTE["blue"]))
    fig.update_layout(title={"text": t(lang, "briefing.money_chart")}, height=300, width=640,
                      margin={"l": 50, "r": 10, "t": 50, "b": 10}, template="plotly_white",
                      yaxis_title=t(lang, "compare.money_axis"))
    return fit_narrow(fig, width=70)


# -- the map: an SVG drawn here, no tiles ----------------------------------------------


def svg_map(countries_geojson: dict, sites: pd.DataFrame) -> str:
    """The view's places as dots on the land around them (equirectangular, scaled by the
    cosine of the middle latitude), framed on the places with a margin."""
    import math

    if sites.empty:
        lat0, lat1, lon0, lon1 = 8.0, 42.0, 102.0, 146.0
    else:
        lat0, lat1 = sites["lat"].min(), sites["lat"].max()
        lon0, lon1 = sites["lon"].min(), sites["lon"].max()
    pad_lat, pad_lon = max(1.0, (lat1 - lat0) * 0.08), max(1.0, (lon1 - lon0) * 0.08)
    lat0, lat1, lon0, lon1 = lat0 - pad_lat, lat1 + pad_lat, lon0 - pad_lon, lon1 + pad_lon
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = min(MAP_W / ((lon1 - lon0) * kx), MAP_H / (lat1 - lat0))

    def x(lon: float) -> str:
        return f"{(lon - lon0) * kx * scale:.1f}"

    def y(lat: float) -> str:
        return f"{(lat1 - lat) * scale:.1f}"

    def xy(lon: float, lat: float) -> str:
        return f"{x(lon)},{y(lat)}"

    land = []
    for feature in countries_geojson["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            ring = polygon[0]
            if all(not (lon0 - 5 < lon < lon1 + 5 and lat0 - 5 < lat < lat1 + 5)
                   for lon, lat in ring):
                continue
            land.append(f'<polygon points="{" ".join(xy(lon, lat) for lon, lat in ring)}"/>')
    dots = [f'<circle cx="{x(r.lon)}" cy="{y(r.lat)}" r="3.2" fill="{MARKER_STYLE[r.kind][1]}"/>'
            for r in sites[["lon", "lat", "kind"]].itertuples()]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_W} {MAP_H}" '
            f'width="{MAP_W}" height="{MAP_H}" role="img">'
            f'<rect width="100%" height="100%" fill="#dfe9f2"/>'
            f'<g fill="#f4f1ea" stroke="#9a9a9a" stroke-width="0.6">{"".join(land)}</g>'
            f'<g stroke="#1a1a1a" stroke-width="0.5">{"".join(dots)}</g></svg>')


def qr_png(link: str) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=4, border=2)
    return out.getvalue()


# -- the page -------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 14mm 14mm 16mm; }
body { font-family: 'Noto Sans', 'Noto Sans CJK JP', 'Noto Sans CJK TC', sans-serif;
       font-size: 10.5pt; color: #111318; line-height: 1.4;
       font-variant-ligatures: none; }  /* "fl" stays two letters: links copy as typed */
a { color: #0b5394; }
h1 { font-size: 17pt; margin: 0 0 4pt; } h2 { font-size: 12pt; margin: 12pt 0 4pt; }
.meta { color: #444; font-size: 9pt; } .map { margin: 6pt 0; }
.head { display: flex; justify-content: space-between; gap: 12pt; }
.qr img { width: 28mm; height: 28mm; } ol.cites { font-size: 8.5pt; padding-left: 16pt; }
ol.cites li { margin-bottom: 2pt; word-break: break-all; } .fig { page-break-inside: avoid; }
ul.facts li { margin-bottom: 2pt; }
"""


def briefing_html(b: Briefing, countries_geojson: dict, plotly_js: str) -> str:
    """The briefing as one self-contained HTML page (plotly.js inline: no network)."""
    lang = b.lang
    number = {sid: i + 1 for i, sid in enumerate(b.sources["source_id"])}
    esc = html.escape
    facts = "".join(
        f"<li>{esc(fact.text)}"
        + ("".join(f" [{number[s]}]" for s in dict.fromkeys(fact.source_ids) if s in number))
        + "</li>" for fact in b.facts)
    cites = "".join(
        f"<li>{esc(s['title'])}. {esc(s['publisher'])}"
        + (f", {esc(str(s['published']))}" if isinstance(s.get("published"), str) else "")
        + f'. <a href="{esc(s["url"])}">{esc(s["url"])}</a></li>'
        for s in b.sources.to_dict("records"))
    # the charts' month names and number separators in the language, like the app's
    config = json.dumps(plotly_config(lang) | {"staticPlot": True}, ensure_ascii=False)
    figures = "".join(
        f'<div class="fig" id="fig{i}"></div><script>(function () {{ var s = {fig.to_json()};'
        f' Plotly.newPlot("fig{i}", s.data, s.layout, {config}); }})();</script>'
        for i, fig in enumerate(b.figures))
    qr = base64.b64encode(qr_png(b.link)).decode()
    version, released = b.version
    return f"""<!doctype html>
<html lang="{lang.replace('_', '-')}"><head><meta charset="utf-8">
<title>{esc(b.title)}</title><style>{CSS}</style><script>{plotly_js}</script></head>
<body>
<div class="head"><div>
<h1>{esc(b.title)}</h1>
<p class="meta">{esc(t(lang, 'briefing.made', date=fmt_date(date.today().isoformat(), lang),
                       version=version, released=fmt_date(released, lang)))}
 · {esc(LANGUAGES.get(lang, lang))}</p>
<p>{'<br>'.join(esc(w) for w in b.filters)}</p>
</div><div class="qr"><img alt="QR" src="data:image/png;base64,{qr}"></div></div>
<p class="meta">{esc(t(lang, 'briefing.reopen'))}
 <a href="{esc(b.link)}">{esc(b.link)}</a></p>
<div class="map">{svg_map(countries_geojson, b.sites)}</div>
<h2>{esc(t(lang, 'briefing.key_facts'))}</h2><ul class="facts">{facts}</ul>
{figures}
<h2>{esc(t(lang, 'briefing.sources'))}</h2><ol class="cites">{cites}</ol>
</body></html>"""


def to_pdf(page_html: str, chromium: str = "/usr/bin/chromium") -> bytes:
    """Print the briefing with headless Chromium: A4, backgrounds, fonts embedded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            # nothing off the page itself: the HTML carries its script, map and QR code
            page.route("**/*", lambda route: route.abort()
                       if route.request.url.startswith("http") else route.continue_())
            page.set_content(page_html, wait_until="load")
            return page.pdf(format="A4", print_background=True)
        finally:
            browser.close()


# a page's URL path -> the catalogue key of its title
PAGE_TITLES = {"": "nav.map", "index": "nav.map", "ic-output": "nav.ic",
               "timeline": "nav.timeline", "flows": "nav.flows", "places": "nav.places",
               "compare": "nav.compare", "changes": "nav.changes", "data": "nav.data",
               "about": "nav.about"}


def render(ds: Dataset, view: url_state.View, ctx: url_state.Context, link: str,
           page: str = "") -> bytes:
    """The PDF of a view: `page` is the URL path of the page it was made on."""
    lang = view.lang or "en"
    title = f"{t(lang, 'app.title')} — {t(lang, PAGE_TITLES.get(page, 'nav.map'))}"
    b = build(ds, view, ctx, link, title)
    return to_pdf(briefing_html(b, ds.countries_geojson, plotly_bundle()))


def plotly_bundle() -> str:
    """plotly.js as shipped inside the plotly package (offline)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()
