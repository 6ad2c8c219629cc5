"""Agreements timeline: who signed what with whom, and when; the parties on a map."""

import streamlit as st

from components import cached, shared_map, state
from components.widgets import (
    md_escape,
    pick_kinds,
    render_chart_footer,
    render_facts,
    source_links,
)
from tjv_clusters import details, relations
from tjv_clusters.charts import plotly_config
from tjv_clusters.i18n import t
from tjv_clusters.vocab import EVENT_KINDS


def render(ctx: state.PageContext) -> None:
    ds = cached.load_dataset()
    lang, filters = ctx.lang, ctx.filters
    if not ctx.embedded:
        st.title(t(lang, "timeline.title"))
    kinds = pick_kinds(lang, "timeline.kinds", EVENT_KINDS, "event", key="timeline_kinds")
    rows, fig = cached.load_timeline(filters, tuple(kinds), lang)
    st.caption(t(lang, "timeline.count", n=len(rows)))

    chosen = st.plotly_chart(fig, config=plotly_config(lang), key="timeline-chart",
                             on_select="rerun", selection_mode="points")
    picked = [p["customdata"][0] for p in (chosen.selection.points if chosen else [])
              if p.get("customdata")]
    labels = {e["event_id"]: details.event_line(e, lang) for e in rows.to_dict("records")}
    event_id = st.selectbox(t(lang, "timeline.pick"), list(labels), format_func=labels.get,
                            index=list(labels).index(picked[0]) if picked and picked[0] in labels
                            else None, placeholder=t(lang, "timeline.pick_placeholder"),
                            key=f"timeline-pick-{picked[0] if picked else ''}")
    render_chart_footer(rows, ds.sources, lang, "agreements",
                        ["event_id", "date", "kind", "lane", "title", "parties", "admin1_codes",
                         "sectors", "series", "series_no", "source_ids"])

    if event_id:
        event = rows[rows["event_id"] == event_id].iloc[0]
        with st.container(key="event-details", border=True):
            st.subheader(md_escape(event["title"]))
            render_facts(details.event_facts(ds, event, lang))
            st.markdown(md_escape(event["description"]))
            used = ds.sources[ds.sources["source_id"].isin(event["source_ids"])]
            st.markdown(f"**{t(lang, 'details.sources')}**\n\n{source_links(used, lang)}")
            event_map = cached.load_event_map(event_id, lang, st.get_option("server.baseUrlPath"))
            if event_map is not None:
                shared_map.show(event_map, key="event-map", height=320, returned_objects=[])

    st.subheader(t(lang, "timeline.tjpo"))
    st.caption(t(lang, "timeline.tjpo_intro"))
    st.dataframe(relations.series_table(ds, "tjpo-mou", lang).drop(columns="event_id"),
                 hide_index=True, width="stretch")


if __name__ == "__main__":  # run by st.navigation
    render(state.page_context())
