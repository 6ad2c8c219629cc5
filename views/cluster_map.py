"""The cluster map: places, regions and cities, with a details panel and search."""

from dataclasses import replace

import streamlit as st

from components import cached, shared_map, state
from components.widgets import (
    md_escape,
    render_as_of_control,
    render_region_details,
    render_site_details,
)
from tjv_clusters import changes, details, search
from tjv_clusters.cluster_map import selection_layer
from tjv_clusters.filters import undated_sites
from tjv_clusters.i18n import t
from tjv_clusters.url_state import MAP_LAYERS
from tjv_clusters.vocab import SITE_GROUPS


def entity_label(ds, entry: search.Entry, lang: str) -> str:
    if entry.kind == "site":
        return t(lang, "kind." + ds.sites.set_index("site_id").at[entry.entity_id, "kind"])
    return t(lang, f"entity.{entry.kind}")


def render(ctx: state.PageContext) -> None:
    ds = cached.load_dataset()
    lang, filters, embedded = ctx.lang, ctx.filters, ctx.embedded
    sites = cached.load_sites(filters)
    cities = cached.load_cities(filters)
    selection, focus = ctx.selection, ctx.focus

    if not embedded:
        st.title(t(lang, "app.title"), anchor=False)
    # first in the page's main part: "Skip to main content" then one Tab reach the search
    # box (the map below is a single tab stop; the box is how a keyboard picks a place)
    query = None if embedded else st.text_input(
        t(lang, "map.search"), placeholder=t(lang, "map.search_placeholder"), key="map_search")
    map_col, side_col = (st.columns([3, 2], gap="medium") if not embedded
                         else (st.container(), None))

    with side_col or st.container():
        if query:
            hits = search.search(cached.load_search_index(), query)
            if not hits:
                st.caption(t(lang, "map.search_none", query=md_escape(query)))
            else:
                choice = st.radio(
                    t(lang, "map.search_results"), hits, key=f"hits-{query}",
                    format_func=lambda e: md_escape(f"{e.names[0]} · {entity_label(ds, e, lang)}"),
                )
                selection = (
                    ("region", choice.region) if choice.kind == "region"
                    else ("site", choice.entity_id) if choice.kind == "site"
                    else ("site", choice.site) if choice.site  # a company: its first site
                    else ("region", choice.region) if choice.region else None
                )
                state.select(selection)
                if choice.lat is not None:
                    zoom = 7 if choice.kind == "region" else 11
                    focus = (round(choice.lat, 3), round(choice.lon, 3), zoom)
                    state.focus_map(focus)

    layers = list(ctx.layers)
    online = False
    since = ctx.since
    if not embedded:
        with st.expander(t(lang, "map.layers")):
            # a widget key of its own: widget state is dropped on other pages, the view's not
            layers = st.multiselect(
                t(lang, "map.layers"), MAP_LAYERS, default=layers, key=state.W_LAYERS,
                format_func=lambda x: t(lang, "layer.regions" if x == "regions" else
                                        "layer.cities" if x == "cities" else f"group.{x}"),
                placeholder=t(lang, "widget.choose"))
            state.set_layers(layers)
            online = st.toggle(t(lang, "map.online_tiles"), value=False, key=state.ONLINE_TILES)
            versions = [None, *(version for version, _ in ds.releases)]
            start = changes.base_version(ds.releases, since) if since else None
            # a date in the link stays in it until another version is chosen here
            picked = st.selectbox(
                t(lang, "map.highlight_new"), versions,
                index=versions.index(start) if start in versions else 0, key=state.W_MAP_SINCE,
                format_func=lambda v: t(lang, "map.highlight_none") if v is None else v)
            if picked != start:
                since = picked
                state.set_since(picked)
    since_version = changes.base_version(ds.releases, since) if since else None
    # rings only around the places a layer draws
    drawn = [kind for group, kinds in SITE_GROUPS.items() if group in layers for kind in kinds]
    ringed = (sites[sites["site_id"].isin(cached.load_new_site_ids(since_version))
                    & sites["kind"].isin(drawn)] if since_version else None)
    payload = cached.load_cluster_map(lang, filters, tuple(layers), online,
                                      st.get_option("server.baseUrlPath"))
    with map_col:
        if not embedded:
            url_context = cached.load_url_context()
            render_as_of_control(lang, url_context.first_opened,
                                 int(ds.release[1][:4] or url_context.year_max))
            st.caption(t(lang, "map.counts", sites=len(sites), cities=len(cities),
                         regions=sum(ds.regions_by_country.get(c, 0)
                                     for c in filters.countries)))
            if filters.as_of is not None:
                st.caption(t(lang, "asof.undated", n=undated_sites(sites)))
            if ringed is not None:
                st.caption(t(lang, "map.new_since", n=len(ringed), since=since))
        out = shared_map.show(
            payload, key="cluster-map", height=520 if embedded else 620,
            returned_objects=["last_active_drawing"],
            feature_group=selection_layer(ds, selection, ringed),
            center=focus[:2] if focus else None, zoom=focus[2] if focus else None,
        )
        state.map_drawn(filters.as_of)  # Play goes on to the next year

    clicked = (out or {}).get("last_active_drawing")
    if clicked and state.new_map_click(clicked):
        props = clicked.get("properties") or {}
        if props.get("layer") in ("site", "region"):
            state.select((props["layer"], props["id"]))
            st.rerun()

    with side_col or st.container(), st.container(key="details"):
        info = None
        if selection and selection[0] == "site":
            info = details.site_details(ds, selection[1])
            if info:
                render_site_details(info, lang)
        elif selection and selection[0] == "region":
            info = details.region_details(ds, selection[1], sites)
            if info:
                render_region_details(info, lang)
                here = replace(ctx, selection=selection, layers=tuple(layers), since=since)
                state.page_link(here, "views/places.py", t(lang, "places.open_profile"),
                                icon=":material/location_on:", **{state.QP_PLACE: selection[1]})
        if info is None:
            st.info(t(lang, "map.click_hint"))


if __name__ == "__main__":  # run by st.navigation
    render(state.page_context())
