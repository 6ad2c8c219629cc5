"""Cached loaders: the only place with @st.cache_*. Data is read once per process."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.markdown import chart_footer_parts, source_links
from components.shared_map import MapPayload
from tjv_clusters import assets, changes, charts, compare, details, relations, search, url_state
from tjv_clusters.charts import IC_PANELS
from tjv_clusters.cluster_map import make_cluster_map
from tjv_clusters.dataset import Dataset, read_dataset, records
from tjv_clusters.filters import (
    Filters,
    data_tables,
    filter_agreements,
    filter_cities,
    filter_flows,
    filter_sites,
    flat_table,
)
from tjv_clusters.i18n import local_name, t
from tjv_clusters.mini_map import Point, make_mini_map, named_regions


@st.cache_resource(show_spinner=False)
def load_dataset() -> Dataset:
    # cache_resource, not cache_data: the frames are shared read-only, never mutated,
    # and copying 500 KB of GeoJSON on every rerun would cost more than it protects.
    return read_dataset()


@st.cache_resource(show_spinner=False)
def load_url_context() -> url_state.Context:
    """What valid link values look like (ids, years, charts): read on every run and by
    every link a page builds, derived once from the dataset."""
    return url_state.context(load_dataset(), frozenset(p.panel_id for p in IC_PANELS))


@st.cache_resource(show_spinner=False)
def ensure_assets() -> str | None:
    """Leaflet and markercluster in static/vendor, once per process (a fresh clone run with
    `streamlit run app.py` has not run `make assets`)."""
    return assets.ensure()


@st.cache_resource(show_spinner=False, max_entries=64)
def load_sites(filters: Filters) -> pd.DataFrame:
    """The sites a filter state shows, computed once per state for every session and for
    the map built from them (read-only: pages never modify it)."""
    return filter_sites(load_dataset().sites, filters)


@st.cache_resource(show_spinner=False, max_entries=64)
def load_cities(filters: Filters) -> pd.DataFrame:
    """The cities a filter state shows (shared, read-only, like `load_sites`)."""
    return filter_cities(load_dataset().cities, filters)


@st.cache_resource(show_spinner=False, max_entries=64)
def load_cluster_map(lang: str, filters: Filters, layers: tuple[str, ...], online: bool,
                     base_url_path: str) -> MapPayload:
    """The cluster map of one view, rendered once and shared by every session showing it
    (~0.8 s of rendering that each visitor used to pay, one after another); its script is
    a static file the browser fetches and caches. At most 64 views are kept (each about
    0.7 MB of strings)."""
    ds = load_dataset()
    m = make_cluster_map(
        load_sites(filters), load_cities(filters),
        ds.admin1_geojson, ds.countries_geojson, lang=lang, countries=filters.countries,
        online_tiles=online, layers=layers, base_url_path=base_url_path,
    )
    return MapPayload.build(m).published(base_url_path)


@st.cache_resource(show_spinner=False, max_entries=256)
def load_ic_panel(panel_id: str, year_from: int, until: int, lang: str,
                  columns: tuple[str, ...]) -> tuple:
    """One IC output panel for a range of years, in a language: the rows it plots, its
    takeaway, its figure and its footer (markdown.chart_footer_parts of `columns`), built
    once and shared by every session that shows it (read-only). Building the eight figures
    was two thirds of each visitor's run of /ic-output, their footers most of the rest.
    The figure is None when no point falls in the years."""
    ds = load_dataset()
    panel = next(p for p in IC_PANELS if p.panel_id == panel_id)
    rows = charts.panel_rows(ds.indicators, panel, year_from, until)
    if rows.empty:
        return rows, None, None, None
    fig = charts.make_indicator_figure(rows, ds.indicator_series, ds.sources,
                                       t(lang, f"panel.{panel_id}"), charts.panel_unit(rows),
                                       lang)
    return (rows, charts.takeaway(rows, ds.indicator_series, lang), fig,
            chart_footer_parts(rows, ds.sources, lang, columns))


@st.cache_resource(show_spinner=False, max_entries=64)
def load_timeline(filters: Filters, kinds: tuple[str, ...], lang: str) -> tuple:
    """The agreements of a view (filters, kinds of event) as the timeline lists them, and
    its figure: built once per view and language, shared, read-only."""
    ds = load_dataset()
    events = filter_agreements(ds.agreements, ds.organisations, filters)
    rows = relations.timeline_rows(ds, events[events["kind"].isin(kinds)], lang)
    return rows, relations.timeline_figure(rows, lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def load_flow_table(filters: Filters, kinds: tuple[str, ...], lang: str) -> pd.DataFrame:
    """The flows of a view (filters, kinds of flow) with their parties named in the
    language: worked out once per view, shared, read-only."""
    ds = load_dataset()
    flows = filter_flows(ds.flows, ds.organisations, filters)
    return relations.flow_table(ds, flows[flows["kind"].isin(kinds)], lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def load_flow_footer(filters: Filters, kinds: tuple[str, ...], lang: str,
                     columns: tuple[str, ...]) -> tuple:
    """The flows table's footer (markdown.chart_footer_parts), once per view, shared."""
    return chart_footer_parts(load_flow_table(filters, kinds, lang), load_dataset().sources,
                              lang, columns)


@st.cache_resource(show_spinner=False, max_entries=64)
def load_sankey(filters: Filters, kinds: tuple[str, ...], lang: str, level: str,
                aggregates: bool):
    """The flows Sankey of a view, by country or organisation, built once and shared."""
    return relations.flows_sankey(load_flow_table(filters, kinds, lang), level, lang,
                                  include_aggregates=aggregates)


@st.cache_resource(show_spinner=False, max_entries=64)
def load_flow_map(filters: Filters, kinds: tuple[str, ...], lang: str,
                  base_url_path: str) -> MapPayload:
    """The flows page's map of a view (an arc per flow between its parties), drawn once
    and shared like the cluster map: building and rendering it was most of each
    visitor's run of /flows."""
    ds = load_dataset()
    arcs = relations.flow_arcs(ds, load_flow_table(filters, kinds, lang))
    m = make_mini_map(ds.countries_geojson, arcs=arcs, base_url_path=base_url_path, lang=lang)
    return MapPayload.build(m).published(base_url_path)


@st.cache_resource(show_spinner=False, max_entries=64)
def load_event_map(event_id: str, lang: str, base_url_path: str) -> MapPayload | None:
    """An agreement's map on the timeline (its parties' places and an arc between each
    pair), drawn once and shared like the cluster map; None when no party has a place."""
    ds = load_dataset()
    rows = ds.rows_by("agreements", "event_id").get(event_id, [])
    points, arcs = relations.event_map_parts(ds, ds.agreements.iloc[rows[0]]) if rows else ([], [])
    if not points:
        return None
    m = make_mini_map(ds.countries_geojson, points, arcs, base_url_path=base_url_path, lang=lang)
    return MapPayload.build(m).published(base_url_path)


@st.cache_resource(show_spinner=False, max_entries=256)
def load_place_profile(code: str) -> dict:
    """A region's profile (details.place_profile), worked out once, shared, read-only."""
    return details.place_profile(load_dataset(), code)


@st.cache_resource(show_spinner=False, max_entries=64)
def load_place_map(code: str, lang: str, base_url_path: str) -> MapPayload:
    """A place profile's map: the region, highlighted, among its neighbours, named in the
    language; drawn once and shared like the cluster map."""
    ds = load_dataset()
    regions = named_regions(ds.admin1_geojson, {code, *ds.neighbours.get(code, [])}, lang)
    m = make_mini_map(ds.countries_geojson, regions=regions, highlight=code,
                      base_url_path=base_url_path, lang=lang)
    return MapPayload.build(m).published(base_url_path)


PLACES_COLUMNS = ("region", "kind", "places", "source_ids")
MONEY_COLUMNS = ("region", "year", "usd_m", "flows", "source_ids")


@st.cache_resource(show_spinner=False, max_entries=64)
def load_comparison(codes: tuple[str, ...], filters: Filters, lang: str) -> tuple:
    """A comparison of regions under a view's filters, in a language, worked out once and
    shared (read-only): each region's facts (compare.summaries), then the places and the
    money figures on shared axes, each as (rows, figure, footer parts); money is None
    when no flow has an amount."""
    ds = load_dataset()
    infos = compare.summaries(ds, list(codes), filters)
    labels = [compare.region_label(info["region"], lang) for info in infos]
    places, money = compare.figure_rows(infos, lang)
    places_chart = (places, compare.make_places_figure(places, labels, lang),
                    chart_footer_parts(places, ds.sources, lang, PLACES_COLUMNS))
    money_chart = None if money.empty else (
        money, compare.make_money_figure(money, labels, lang),
        chart_footer_parts(money, ds.sources, lang, MONEY_COLUMNS))
    return infos, places_chart, money_chart


@st.cache_resource(show_spinner=False, max_entries=64)
def load_compare_map(code: str, filters: Filters, lang: str, base_url_path: str
                     ) -> MapPayload | None:
    """A compared region's map: its outline and its places under the view's filters, named
    in the language; drawn once and shared like the place maps (None for an unknown
    region). Building and rendering the two maps was most of each run of /compare."""
    ds = load_dataset()
    infos = compare.summaries(ds, [code], filters)
    if not infos:
        return None
    points = [Point(local_name(r, lang), float(r["lat"]), float(r["lon"]))
              for r in records(infos[0]["sites"])]
    m = make_mini_map(ds.countries_geojson, points, regions=named_regions(
        ds.admin1_geojson, [code], lang), highlight=code, base_url_path=base_url_path,
        lang=lang)
    return MapPayload.build(m).published(base_url_path)


@st.cache_resource(show_spinner=False, max_entries=8)
def load_source_list(lang: str) -> str:
    """Every source as the About page lists them (Markdown, by publisher): 1,200 lines,
    worked out once per language, not on every visit."""
    return source_links(load_dataset().sources.sort_values("publisher"), lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def load_data_tables(filters: Filters) -> dict[str, tuple[pd.DataFrame, str]]:
    """The Data page of a filter state: each table flattened for display, and as CSV;
    worked out once per state, shared, read-only."""
    return {name: (flat, flat.to_csv(index=False))
            for name, flat in ((name, flat_table(frame))
                               for name, frame in data_tables(load_dataset(), filters).items())}


@st.cache_resource(show_spinner=False)
def load_record_countries() -> dict[tuple[str, str], frozenset[str]]:
    return changes.record_countries(load_dataset())


@st.cache_resource(show_spinner=False, max_entries=64)
def load_changes(since_version: str, lang: str, countries: tuple[str, ...]) -> pd.DataFrame:
    """What changed after a version, for the countries shown (shared, read-only)."""
    return changes.listing(load_dataset(), since_version, lang, countries,
                           load_record_countries())


@st.cache_resource(show_spinner=False, max_entries=64)
def load_new_site_ids(since_version: str) -> frozenset[str]:
    """The sites added after a version and still in the data (the map rings them)."""
    ds = load_dataset()
    first = changes.resolve_since(ds.changes, since_version)
    if first is None:
        return frozenset()
    return frozenset(changes.new_records(changes.since(ds.changes, first)))


@st.cache_data(show_spinner=False, max_entries=16)
def load_briefing(query: tuple[tuple[str, str], ...], page_url_path: str, link: str) -> bytes:
    """A view's briefing PDF (tjv_clusters.briefing), printed once per view and link."""
    from tjv_clusters import briefing

    view, _ = url_state.parse(dict(query), load_url_context())
    return briefing.render(load_dataset(), view, load_url_context(), link, page_url_path)


@st.cache_resource(show_spinner=False)
def load_search_index() -> list[search.Entry]:
    return search.build_index(load_dataset())
