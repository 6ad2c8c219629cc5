"""Compare regions side by side (`/compare?regions=JP-43,TW-KHH`): the same blocks for
each, every number with its sources, and two figures on shared axes."""

import streamlit as st

from components import cached, shared_map, state
from components.widgets import (
    md_escape,
    render_chart_footer,
    source_links,
)
from tjv_clusters import compare, details, url_state
from tjv_clusters.charts import plotly_config
from tjv_clusters.i18n import local_name, t

LIST_LENGTH = 5  # lines per list before "… and N more"


def render(ctx: state.PageContext) -> None:
    ds = cached.load_dataset()
    lang = ctx.lang
    if not ctx.embedded:
        st.title(t(lang, "compare.title"))
        st.caption(t(lang, "compare.intro"))
    regions = ds.admin1.set_index("code")

    def searchable(code: str) -> str:
        """The region in the chosen language, then its other names: typing any finds it."""
        region = regions.loc[code]
        names = [local_name(region, lang)] + [region.get(f"name_{s}") for s in
                                              ("en", "ja", "zh_tw", "vi")]
        unique = list(dict.fromkeys(n for n in names if isinstance(n, str) and n))
        return f"{unique[0]} ({code})" + "".join(f" · {n}" for n in unique[1:])

    ss = st.session_state
    codes = list(ctx.regions)
    # a link within the app (a place profile's "compare with…") names the regions in the
    # URL of a session already under way: take them once, as a new visitor's first run would
    linked = st.query_params.get(state.QP_REGIONS)
    if linked is not None and linked != ss.get(state.COMPARE_LINKED):
        ss[state.COMPARE_LINKED] = linked
        view, ignored = url_state.parse({state.QP_REGIONS: linked}, cached.load_url_context())
        if view.regions:
            codes = list(view.regions)
            state.set_regions(codes)
    # the widget shows the view's regions (from the URL or a place profile's link)
    ss[state.W_COMPARE] = codes
    st.multiselect(t(lang, "compare.pick"), list(regions.index), key=state.W_COMPARE,
                   format_func=searchable, max_selections=compare.MAX_REGIONS,
                   placeholder=t(lang, "widget.choose"),
                   on_change=lambda: state.set_regions(ss[state.W_COMPARE]))
    if len(codes) < 2:
        st.info(t(lang, "compare.need_two"))
    else:
        show(ds, codes, ctx)


def lines(items: list[str], total: int, lang: str) -> str:
    shown = "\n".join(f"- {md_escape(line)}" for line in items[:LIST_LENGTH])
    more = total - min(total, LIST_LENGTH)
    return shown + (f"\n- {t(lang, 'compare.more', n=more)}" if more else "")


def show(ds, codes: list[str], ctx: state.PageContext) -> None:
    """The columns, then the figures on shared axes."""
    lang = ctx.lang
    infos, places, money = cached.load_comparison(tuple(codes), ctx.filters, lang)
    base = st.get_option("server.baseUrlPath")
    for info, column in zip(infos, st.columns(len(infos), gap="medium"), strict=True):
        region = info["region"]
        with column, st.container(key=f"compare-{region['code']}", border=True):
            st.subheader(md_escape(compare.region_label(region, lang)))
            shared_map.show(cached.load_compare_map(region["code"], ctx.filters, lang, base),
                            key=f"compare-map-{region['code']}", height=240,
                            returned_objects=[])
            sites = info["sites"]
            st.markdown(f"**{t(lang, 'compare.places', n=len(sites))}**")
            if not sites.empty:
                st.dataframe(compare.kind_status_table(sites, lang), width="stretch")
            events = info["agreements"].sort_values("date", ascending=False)
            st.markdown(f"**{t(lang, 'compare.agreements', n=len(events))}**\n\n" + lines(
                [details.event_line(e, lang) for e in events.to_dict("records")], len(events),
                lang))
            flows = info["flows"].sort_values("year", ascending=False)
            heading = t(lang, "compare.flows", n_in=len(info["flows_in"]),
                        n_out=len(info["flows_out"]))
            st.markdown(f"**{heading}**\n\n" + lines(
                [details.flow_line(f, lang) for f in flows.to_dict("records")], len(flows), lang))
            if not info["indicators"].empty:
                st.markdown(f"**{t(lang, 'compare.indicators')}**")
                st.dataframe(compare.indicator_table(ds, info["indicators"], lang),
                             hide_index=True, width="stretch")
            with st.expander(t(lang, "compare.sources", n=len(info["sources"]))):
                st.markdown(source_links(info["sources"], lang))

    rows, figure, footer = places
    st.plotly_chart(figure, config=plotly_config(lang), key="compare-places")
    render_chart_footer(rows, ds.sources, lang, "compare-places", cached.PLACES_COLUMNS, footer)
    if money is None:
        st.info(t(lang, "compare.no_money"))
    else:
        rows, figure, footer = money
        st.plotly_chart(figure, config=plotly_config(lang), key="compare-money")
        st.caption(t(lang, "compare.money_note"))
        render_chart_footer(rows, ds.sources, lang, "compare-money", cached.MONEY_COLUMNS,
                            footer)

if __name__ == "__main__":  # run by st.navigation
    render(state.page_context())
