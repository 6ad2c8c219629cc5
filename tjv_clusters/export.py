"""`make export`: the dashboard as a static site in dist/, for embeds and offline expos.

The site opens from file://, a USB stick or any static host, with no Python and no network.
Everything it shows is prepared here by the same core the live app uses (dataset, filters'
vocabulary, search index, wording of details, figure builders, i18n catalogues); the
browser only filters prepared records and draws them. Files:

- index.html: the cluster map (regions, sites, cities), legend, search, filters, details
  panel with sources and the language switch; URL grammar of the live app
  (`?lang=ja&country=JP&kind=fab&years=2015-2026&sel=site:<id>&embed=true`).
  With `?kiosk=true` (`idle=`, `dwell=`) it plays the guided tour of data/tour.csv for
  expo screens: full screen, large type, pauses on a touch, restarts when left alone.
- ic-output.html: the IC output panels, each with its sources (`?chart=<panel>`);
  timeline.html and flows.html: the agreements timeline and the Sankey of flows, every
  record below with its sources (all countries: the live app filters them).
- data.html: every table as a CSV file (csv/), as the live Data page downloads it;
  about.html: the dataset's version and changelog, the 2025 province merger, every source.
- data/*.js: the prepared records (script files, not JSON: file:// pages may not fetch):
  base.js (every language), then per language lang-* (interface), charts-* (the chart
  pages' figures), details-*-N (a hundred records' details each, loaded when one is
  opened) and about-* (every source).
- vendor/: Leaflet, markercluster (from the xstatic packages) and plotly.js (from plotly).

Run as `python -m tjv_clusters.export [OUT_DIR]`.
"""

from __future__ import annotations

import html
import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import plotly.io as pio
from plotly.offline import get_plotlyjs

from tjv_clusters import (
    charts,
    details,
    filters,
    relations,
    search,
    tour,
    url_state,
    vocab,
)
from tjv_clusters.assets import PACKAGES, parsed_json
from tjv_clusters.cluster_map import (
    ICONS,
    LAND_STYLE,
    LEGEND_CSS,
    MAP_BOUNDS,
    MARKER_PX,
    MAX_ZOOM_OFFLINE,
    NOT_BUILT,
    REGION_HOVER,
    REGION_SELECTED,
    REGION_STYLE,
    SEA_COLOUR,
    icon_key,
    is_approximate,
    legend_html,
)
from tjv_clusters.dataset import Dataset, read_dataset, records
from tjv_clusters.i18n import LANGUAGES, catalogue, fmt_date, local_name, t
from tjv_clusters.paths import CHECKOUT, STATIC_DIR

DIST = CHECKOUT / "dist"
# the pages besides the map, from one template (page.html): the chart pages draw their
# panels of data/lang-*.js with plotly, the text pages (no plotly) fill in their content
CHART_PAGES = {"ic": ("ic-output.html", "ic.title"),
               "timeline": ("timeline.html", "timeline.title"),
               "flows": ("flows.html", "flows.title")}
TEXT_PAGES = {"places": ("places.html", "nav.places"), "data": ("data.html", "data.title"),
              "about": ("about.html", "about.title")}
# the copy the live app serves itself (/app/static/export/), for its "static embed"
SERVED = STATIC_DIR / "export"
TEMPLATES = Path(__file__).resolve().parent / "export_templates"
NAMES = ("name_en", "name_ja", "name_zh_tw", "name_vi")
# records per details file: the map page loads a record's details when it is opened, one
# small file at a time, instead of every record's at start (17 MB a language at 10,000 sites)
DETAILS_CHUNK = 100


def _js(name: str, value) -> str:
    """A script file that hands prepared data to the page (no fetch on file://)."""
    # "</" cannot end a script early if the data is ever inlined; harmless in a file
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.TJV=window.TJV||{{}};window.TJV[{json.dumps(name)}]={parsed_json(body)};\n"


def _write_js(out: Path, name: str, value) -> None:
    (out / "data" / f"{name}.js").write_text(_js(name, value), encoding="utf-8")


def _year(value) -> int | None:
    return int(value[:4]) if isinstance(value, str) and value[:4].isdigit() else None


def site_records(ds: Dataset) -> list[dict]:
    """What the browser needs to draw and filter each site (names escaped once, here)."""
    out = []
    for s in ds.sites.to_dict("records"):
        approx = is_approximate(s["coord_precision"])
        out.append({
            "id": s["site_id"], "lat": round(float(s["lat"]), 6), "lon": round(float(s["lon"]), 6),
            "kind": s["kind"], "country": s["country"], "sectors": list(s["sectors"]),
            "status": s["status"], "opened": _year(s.get("opened")), "admin1": s["admin1"],
            "icon": icon_key(s["kind"], approx, s["status"] in NOT_BUILT), "approx": approx,
            "names": [html.escape(s.get(c) or s["name_en"]) for c in NAMES],
        })
    return out


def region_features(ds: Dataset) -> dict:
    features = []
    for f in ds.admin1_geojson["features"]:
        p = f["properties"]
        features.append({"type": "Feature", "geometry": f["geometry"], "properties": {
            "code": p["code"], "country": p["country"],
            "names": [html.escape(p.get(c) or p["name_en"]) for c in NAMES],
            "neighbours": ds.neighbours.get(p["code"], [])}})
    return {"type": "FeatureCollection", "features": features}


def search_entries(ds: Dataset) -> list[dict]:
    """The live app's search index, with each name folded the same way (Python's fold)."""
    return [{"kind": e.kind, "id": e.entity_id, "names": [html.escape(n) for n in e.names],
             "folded": [search.fold(n) for n in e.names if n], "lat": e.lat, "lon": e.lon,
             "region": e.region, "site": e.site}
            for e in search.build_index(ds)]


def _sources_html(sources: pd.DataFrame, lang: str) -> str:
    # column by column: a few-row frame's to_dict("records") took most of a millisecond,
    # thousands of times per build
    columns = (sources[c].tolist() for c in ("url", "title", "publisher", "published", "quality"))
    items = "".join(
        f'<li><a href="{html.escape(url)}" rel="noopener noreferrer" target="_blank">'
        f'{html.escape(title)}</a> — {html.escape(publisher or "")}'
        f'{", " + html.escape(str(published)) if published else ""}'
        f' ({html.escape(t(lang, "quality." + quality))})</li>'
        for url, title, publisher, published, quality in zip(*columns, strict=True))
    return f"<ol class='sources'>{items}</ol>"


def _dl(rows: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{html.escape(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _lines(items: list[str], lang: str) -> str:
    if not items:
        return f"<p>{html.escape(t(lang, 'details.none'))}</p>"
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def site_html(ds: Dataset, site_id: str, lang: str, info: dict | None = None) -> str:
    """The details panel of one site, from the same wording functions as the live app
    (`info`: the site's details.site_details, when already at hand)."""
    info = info if info is not None else details.site_details(ds, site_id)
    site = info["site"]
    rows = [(label, html.escape(value)) for label, value in details.site_facts(info, lang)]
    return (
        f"<h2>{html.escape(local_name(site, lang))}</h2>{_dl(rows)}"
        f"<p>{html.escape(site['description'])}</p>"
        f"<h3>{html.escape(t(lang, 'details.agreements'))}</h3>"
        + _lines([details.event_line(a, lang) for a in records(info["agreements"])], lang)
        + f"<h3>{html.escape(t(lang, 'details.flows'))}</h3>"
        + _lines([details.flow_line(f, lang) for f in records(info["flows"])], lang)
        + f"<h3>{html.escape(t(lang, 'details.sources'))}</h3>"
        + _sources_html(info["all_sources"], lang)
    )


def region_html(ds: Dataset, code: str, lang: str, info: dict | None = None) -> str:
    info = info if info is not None else details.region_details(ds, code)
    region = info["region"]
    sites = [details.site_line(s, lang) for s in records(info["sites"])]
    out = (f"<h2>{html.escape(local_name(region, lang))} ({html.escape(code)})</h2>"
           f"<h3>{html.escape(t(lang, 'details.sites_here'))} ({len(sites)})</h3>"
           + _lines(sites, lang)
           + f"<h3>{html.escape(t(lang, 'details.agreements'))}</h3>"
           + _lines([details.event_line(a, lang) for a in records(info["agreements"])], lang)
           + f"<h3>{html.escape(t(lang, 'details.flows'))}</h3>"
           + _lines([details.flow_line(f, lang) for f in records(info["flows"])], lang))
    if not info["sources"].empty:
        out += f"<h3>{html.escape(t(lang, 'details.sources'))}</h3>"
        out += _sources_html(info["sources"], lang)
    return out


INDICATOR_COLUMNS = ("indicator", "period", "value", "unit", "basis")  # as the live page


def place_html(ds: Dataset, profile: dict, lang: str) -> str:
    """What a place profile shows beyond the region's details panel (region_html): its
    flows in and out, and its indicators with their sources."""
    out = ""
    for key in ("flows_in", "flows_out"):
        flows = records(profile[key].sort_values("year"))
        out += (f"<h3>{html.escape(t(lang, 'places.' + key))} ({len(flows)})</h3>"
                + _lines([details.flow_line(f, lang) for f in flows], lang))
    indicators = profile["indicators"]
    if not indicators.empty:
        head = "".join(f"<th scope='col'>{c}</th>" for c in INDICATOR_COLUMNS)
        body = "".join("<tr>" + "".join(
            f"<td>{'' if pd.isna(r[c]) else html.escape(str(r[c]))}</td>"
            for c in INDICATOR_COLUMNS) + "</tr>" for r in indicators.to_dict("records"))
        used = ds.sources[ds.sources["source_id"].isin(
            [s for ids in indicators["source_ids"] for s in ids])]
        out += (f"<h3>{html.escape(t(lang, 'places.indicators'))}</h3>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                + _sources_html(used, lang))
    return out


# the interface strings the static pages use (the live app's catalogue keys)
UI_KEYS = (
    "app.title", "nav.map", "nav.ic", "sidebar.language", "sidebar.filters",
    "sidebar.countries", "sidebar.sectors", "sidebar.kinds", "sidebar.years", "map.search",
    "map.search_placeholder", "map.search_none", "map.search_results", "map.counts",
    "map.click_hint", "map.legend", "map.zoom_in", "map.zoom_out", "embed.open_full",
    "chart.sources", "chart.no_points",
    "ic.title", "ic.intro", "timeline.title", "flows.title", "nav.timeline", "nav.flows",
    "static.note", "nav.data", "nav.about", "data.title",
    "data.download", "static.data_intro", "static.rows", "about.title", "about.body",
    "notice.bad_param", "notice.unknown_param",
    "kiosk.title", "kiosk.play", "kiosk.pause", "kiosk.next", "kiosk.previous", "kiosk.step",
    "kiosk.paused", "nav.places", "places.pick", "places.neighbours",
)
UI_GROUPS = ("kind", "sector", "country", "status")


def ui_strings(ds: Dataset, lang: str) -> dict[str, str]:
    keys = [*UI_KEYS, *(k for k in catalogue("en") if k.split(".")[0] in UI_GROUPS)]
    strings = {key: t(lang, key) for key in keys}
    version, date = ds.release
    strings["static.note"] = t(lang, "static.note", version=version, date=fmt_date(date, lang))
    return strings


def ic_panels(ds: Dataset, lang: str) -> list[dict]:
    """Each IC output panel: its figure (Plotly JSON) and its sources, in one language."""
    panels = []
    for panel in charts.IC_PANELS:
        rows = charts.panel_rows(ds.indicators, panel)
        title = t(lang, f"panel.{panel.panel_id}")
        if rows.empty:
            continue
        fig = charts.make_indicator_figure(rows, ds.indicator_series, ds.sources, title,
                                           charts.panel_unit(rows), lang)
        used = ds.sources[ds.sources["source_id"].isin(
            [s for ids in rows["source_ids"] for s in ids])]
        panels.append(_panel(panel.panel_id, title, fig, used, lang,
                             countries=panel.countries))
    return panels


def _record_html(summary: str, facts: list[tuple[str, str]], description: str,
                 sources: pd.DataFrame, lang: str) -> str:
    """One agreement or flow, folded: its line, then its facts, words and sources."""
    return (f"<details class='record'><summary>{html.escape(summary)}</summary>"
            + _dl([(k, html.escape(v)) for k, v in facts])
            + f"<p>{html.escape(description)}</p>"
            + f"<h3>{html.escape(t(lang, 'details.sources'))}</h3>"
            + _sources_html(sources, lang) + "</details>")


def _panel(panel_id: str, title: str, fig, used: pd.DataFrame, lang: str,
           records: list[str] | None = None,
           countries: tuple[str, ...] = vocab.COUNTRIES) -> dict:
    return {"id": panel_id, "title": html.escape(title), "countries": list(countries),
            "figure": json.loads(pio.to_json(fig, validate=False)),
            "sources": _sources_html(used, lang), "records": records or []}


# every choice of countries a chart page's link can make (JP; JP, TW; ...): the timeline
# and flows pages of each are prepared in a file of their own (charts-<lang>-JP-TW.js)
COUNTRY_CHOICES = [tuple(c for i, c in enumerate(vocab.COUNTRIES) if bits >> i & 1)
                   for bits in range(1, 2 ** len(vocab.COUNTRIES))]


def _every_year(ds: Dataset, countries: tuple[str, ...]) -> filters.Filters:
    """The live app's filters for these countries, its years slider left as it opens."""
    first, last = url_state.year_bounds(ds)
    return filters.Filters(countries=countries, year_from=first, year_to=last)


def _worded(memo: dict | None, key: str, word) -> str:
    """`word()`, or what it gave for `key` before: a record reads the same on the page of
    every choice of countries (the build passes one memo per language)."""
    if memo is None:
        return word()
    if key not in memo:
        memo[key] = word()
    return memo[key]


def timeline_panels(ds: Dataset, lang: str, countries: tuple[str, ...] = vocab.COUNTRIES,
                    memo: dict | None = None) -> list[dict]:
    """The agreements timeline of these countries, as the live page draws it with every
    kind and year, and each agreement with its sources."""
    events = filters.filter_agreements(ds.agreements, ds.organisations,
                                       _every_year(ds, countries))
    rows = relations.timeline_rows(ds, events, lang)
    fig = relations.timeline_figure(rows, lang)
    records = [_worded(memo, e["event_id"], lambda e=e: _record_html(
                   details.event_line(e, lang), details.event_facts(ds, e, lang),
                   e["description"], details.sources_of(ds, e["source_ids"]), lang))
               for e in rows.iloc[::-1].to_dict("records")]
    used = details.sources_of(ds, [s for ids in rows["source_ids"] for s in ids])
    return [_panel("timeline", t(lang, "timeline.chart_title"), fig, used, lang, records)]


def flows_panels(ds: Dataset, lang: str, countries: tuple[str, ...] = vocab.COUNTRIES,
                 memo: dict | None = None) -> list[dict]:
    """The country-to-country Sankey of sourced USD amounts of the flows that touch these
    countries, and every such flow with its sources."""
    table = relations.flow_table(
        ds, filters.filter_flows(ds.flows, ds.organisations, _every_year(ds, countries)), lang)
    fig = relations.flows_sankey(table, "country", lang)
    records = [_worded(memo, f["flow_id"], lambda f=f: _record_html(
                   details.flow_line(f, lang), details.flow_facts(f, lang),
                   f["description"], details.sources_of(ds, f["source_ids"]), lang))
               for f in table.iloc[::-1].to_dict("records")]
    used = details.sources_of(ds, [s for ids in table["source_ids"] for s in ids])
    return [_panel("flows", t(lang, "flows.sankey_title"), fig, used, lang, records)]


def about_html(ds: Dataset, lang: str) -> str:
    """The About page: the dataset's version and changelog, where each Vietnamese province
    went in 2025, and every source, worded as the live page words them."""
    from markdown_it import MarkdownIt

    version, released = ds.release
    version_line = t(lang, "about.version_body", version=version, date=fmt_date(released, lang))
    markdown = MarkdownIt("commonmark", {"html": False})  # raw HTML in the text is escaped
    changelog = markdown.render(ds.changelog_entries)
    mergers = "".join(
        f"<tr><th scope='row'>{html.escape(m['old_name_vi'])}</th>"
        f"<td>{html.escape(details.merger_answer(ds.merger, m['old_code'], lang))}</td></tr>"
        for m in ds.merger.sort_values("old_name_vi").to_dict("records"))
    return (
        f"<h2>{html.escape(t(lang, 'about.version'))}</h2>"
        f"<p>{markdown.renderInline(version_line)}</p>"
        f"<details><summary>{html.escape(t(lang, 'about.changelog'))}</summary>"
        f"<div class='changelog'>{changelog}</div></details>"
        f"<h2>{html.escape(t(lang, 'about.merger'))}</h2>"
        f"<table class='merger'><tbody>{mergers}</tbody></table>"
        f"<h2>{html.escape(t(lang, 'about.sources'))} ({len(ds.sources)})</h2>"
        + _sources_html(ds.sources.sort_values("publisher"), lang))


def write_tables(ds: Dataset, out: Path) -> list[dict]:
    """The Data page's tables as CSV files (as the live page downloads them, every
    country); returns their names, files and row counts."""
    tables = []
    for name, frame in filters.data_tables(ds).items():
        target = out / "csv" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        filters.flat_table(frame).to_csv(target, index=False)
        tables.append({"name": name, "file": f"csv/{name}", "rows": len(frame)})
    return tables


def _copy_vendor(out: Path) -> None:
    for package, files, folder in PACKAGES:
        for name in files:
            target = out / "vendor" / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(package.BASE_DIR) / name, target)
    (out / "vendor" / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")


def build(out: Path = DIST, ds: Dataset | None = None) -> dict[str, int]:
    """Write the static site into `out` (replaced); returns the size of each file."""
    ds = ds if ds is not None else read_dataset()
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    _copy_vendor(out)
    base = {
        "sites": site_records(ds),
        "regions": region_features(ds),
        "countries": ds.countries_geojson,
        "cities": [{"id": c["city_id"], "lat": c["lat"], "lon": c["lon"], "country": c["country"],
                    "names": [html.escape(c.get(n) or c["name_en"]) for n in NAMES]}
                   for c in ds.cities.to_dict("records")],
        "icons": ICONS,
        "vocab": {"countries": list(vocab.COUNTRIES), "sectors": list(vocab.SECTORS),
                  "kinds": list(vocab.SITE_KINDS), "languages": LANGUAGES,
                  # the live app's parameters: those the static copy cannot show get the
                  # same notice as a bad value; any other name the "unknown" notice
                  "params": [*url_state.OURS, *url_state.OTHERS]},
        "release": list(ds.release),
        "years": list(url_state.year_bounds(ds)),
        "firstOpened": url_state.context(ds).first_opened,
        "tour": tour.steps(ds),
        "tables": write_tables(ds, out),
        "kiosk": {name: list(times) for name, times in url_state.KIOSK_TIMES.items()},
        "style": {"land": LAND_STYLE, "region": REGION_STYLE, "selected": REGION_SELECTED,
                  "hover": REGION_HOVER, "sea": SEA_COLOUR, "bounds": MAP_BOUNDS,
                  "maxZoom": MAX_ZOOM_OFFLINE, "px": MARKER_PX, "legendCss": LEGEND_CSS},
    }
    # each record's details once, worded four times, in files of DETAILS_CHUNK records;
    # each record in base.js names its file (`details`); a region's profile holds its
    # details (region_html) and what its place page adds (place_html)
    sites = {s["id"]: details.site_details(ds, s["id"]) for s in base["sites"]}
    regions = {c: details.place_profile(ds, c) for c in ds.admin1["code"]}
    keys = [*sites, *(f"region:{c}" for c in regions)]
    file_of = {key: i // DETAILS_CHUNK for i, key in enumerate(keys)}
    for s in base["sites"]:
        s["details"] = file_of[s["id"]]
    for f in base["regions"]["features"]:
        if f"region:{f['properties']['code']}" in file_of:
            f["properties"]["details"] = file_of[f"region:{f['properties']['code']}"]
    _write_js(out, "base", base)
    # the search index (a quarter of base.js; more at scale) is read only once someone
    # types: its own file, fetched once the map is drawn, keeps it off the first markers
    _write_js(out, "search", search_entries(ds))
    kinds = [k for k in vocab.SITE_KINDS if k in set(ds.sites["kind"])]
    for lang in LANGUAGES:
        text = {
            "ui": ui_strings(ds, lang),
            "plotly": charts.plotly_config(lang) | {"responsive": True},
            "legend": legend_html(kinds, lang),
            "tour": {step["step_id"]: tour.step_html(ds, step, lang)
                     for step in ds.tour.to_dict("records")},
        }
        _write_js(out, f"lang-{lang}", text)
        _write_js(out, f"charts-{lang}", {"ic": ic_panels(ds, lang)})
        memo: dict[str, str] = {}  # event and flow ids are distinct
        for countries in COUNTRY_CHOICES:
            _write_js(out, f"charts-{lang}-{'-'.join(countries)}",
                      {"timeline": timeline_panels(ds, lang, countries, memo),
                       "flows": flows_panels(ds, lang, countries, memo)})
        worded = [*(site_html(ds, s, lang, info) for s, info in sites.items()),
                  *(region_html(ds, c, lang, info) for c, info in regions.items())]
        for n in range(0, len(keys), DETAILS_CHUNK):
            _write_js(out, f"details-{lang}-{n // DETAILS_CHUNK}",
                      dict(zip(keys[n:n + DETAILS_CHUNK], worded[n:n + DETAILS_CHUNK],
                               strict=True)))
        # only the About page needs every source: a file of its own
        _write_js(out, f"about-{lang}", about_html(ds, lang))
        _write_js(out, f"places-{lang}", {c: place_html(ds, profile, lang)
                                              for c, profile in regions.items()})
    for page in ("index.html", "static.js", "static.css"):
        shutil.copyfile(TEMPLATES / page, out / page)
    template = (TEMPLATES / "page.html").read_text(encoding="utf-8")
    plotly = '<script src="vendor/plotly.min.js"></script>\n'
    for name, (file, title_key) in {**CHART_PAGES, **TEXT_PAGES}.items():
        chart = name in CHART_PAGES
        (out / file).write_text(
            template.replace("{page}", name).replace("{title}", html.escape(t("en", title_key)))
            .replace("{content}", "panels" if chart else "content")
            .replace("{plotly}", plotly if chart else ""), encoding="utf-8")
    return {str(p.relative_to(out)): p.stat().st_size for p in sorted(out.rglob("*"))
            if p.is_file()}


def served() -> bool:
    """Does the live app serve a static copy (`make export` puts one in static/export/)?"""
    return (SERVED / "index.html").is_file()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DIST
    sizes = build(out)
    total = sum(sizes.values())
    print(f"wrote {len(sizes)} files, {total / 1e6:.1f} MB, to {out}")
    for name in ("index.html", "data/base.js", "data/lang-en.js", "vendor/plotly.min.js"):
        print(f"  {name}: {sizes[name] / 1e3:,.0f} kB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
