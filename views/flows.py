"""Investment flows: a Sankey, a flow map and the table, amounts with their USD basis."""

import streamlit as st

from components import cached, shared_map, state
from components.widgets import (
    md_escape,
    pick_kinds,
    render_chart_footer,
    render_facts,
    source_links,
)
from tjv_clusters import details
from tjv_clusters.charts import plotly_config
from tjv_clusters.i18n import t
from tjv_clusters.vocab import FLOW_KINDS


def render(ctx: state.PageContext) -> None:
    ds = cached.load_dataset()
    lang, filters = ctx.lang, ctx.filters
    if not ctx.embedded:
        st.title(t(lang, "flows.title"))
    kinds = pick_kinds(lang, "flows.kinds", FLOW_KINDS, "flow", key="flow_kinds")
    table = cached.load_flow_table(filters, tuple(kinds), lang)
    with_usd = table["amount_usd"].notna()
    st.caption(t(lang, "flows.count", n=len(table), drawn=int(with_usd.sum()),
                 listed=int((~with_usd).sum())))

    level = st.radio(t(lang, "flows.level"), ["country", "organisation"], horizontal=True,
                     format_func=lambda v: t(lang, f"flows.level_{v}"), key="flow_level")
    aggregates = st.toggle(t(lang, "flows.aggregates"), value=False, key="flow_aggregates")
    if with_usd.any():
        fig = cached.load_sankey(filters, tuple(kinds), lang, level, aggregates)
        st.plotly_chart(fig, config=plotly_config(lang), key="flows-sankey")
    else:
        st.info(t(lang, "chart.no_points"))

    st.subheader(t(lang, "flows.map_title"))
    st.caption(t(lang, "flows.map_caption"))
    shared_map.show(cached.load_flow_map(filters, tuple(kinds), lang,
                                         st.get_option("server.baseUrlPath")),
                    key="flows-map", height=420, returned_objects=[])

    columns = ["flow_id", "year", "kind", "title", "from_name", "to_name", "amount",
               "amount_qualifier",
               "currency", "amount_usd", "usd_basis", "description", "source_ids"]
    render_chart_footer(table, ds.sources, lang, "flows", columns,
                        cached.load_flow_footer(filters, tuple(kinds), lang, tuple(columns)))

    labels = {f["flow_id"]: f"{int(f['year'])} · {f['title']}" for f in table.to_dict("records")}
    flow_id = st.selectbox(t(lang, "flows.pick"), list(labels), format_func=labels.get,
                           index=None, placeholder=t(lang, "flows.pick_placeholder"),
                           key="flow_pick")
    if flow_id:
        f = table[table["flow_id"] == flow_id].iloc[0]
        with st.container(key="flow-details", border=True):
            st.subheader(md_escape(labels[flow_id]))
            render_facts(details.flow_facts(f, lang))
            st.markdown(md_escape(f["description"]))
            used = ds.sources[ds.sources["source_id"].isin(f["source_ids"])]
            st.markdown(f"**{t(lang, 'details.sources')}**\n\n{source_links(used, lang)}")


if __name__ == "__main__":  # run by st.navigation
    render(state.page_context())
