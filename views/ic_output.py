"""IC output share: where chip output concentrates and how it shifted, point by point."""

import streamlit as st

from components import cached, state
from components.widgets import md_escape, render_chart_footer
from tjv_clusters import charts
from tjv_clusters.i18n import t

COLUMNS = ["indicator", "region", "year", "period", "value", "value_high", "qualifier", "unit",
           "basis", "forecast", "source_ids"]


def render(ctx: state.PageContext) -> None:
    ds = cached.load_dataset()
    lang, filters = ctx.lang, ctx.filters
    only = ctx.chart if ctx.embedded else None
    if not ctx.embedded:
        st.title(t(lang, "ic.title"))
        st.caption(t(lang, "ic.intro"))

    shown = 0
    for panel in charts.IC_PANELS:
        if not set(panel.countries) & set(filters.countries) or only not in (None, panel.panel_id):
            continue
        rows, point, fig, footer = cached.load_ic_panel(panel.panel_id, filters.year_from,
                                                        filters.until, lang, tuple(COLUMNS))
        with st.container(key=f"panel-{panel.panel_id}", border=True):
            if fig is None:
                st.subheader(t(lang, f"panel.{panel.panel_id}"))
                st.info(t(lang, "chart.no_points"))
                continue
            shown += 1
            if point:
                st.markdown("**" + md_escape(t(
                    lang, "ic.takeaway", title=point["title"], value=f"{point['value']:g}",
                    unit=point["unit"], period=point["period"], region=point["region"],
                    count=point["count"])) + "**")
            st.plotly_chart(fig, config=charts.plotly_config(lang), key=f"fig-{panel.panel_id}")
            render_chart_footer(rows, ds.sources, lang, panel.panel_id, COLUMNS, footer)

    if not shown:
        st.info(t(lang, "chart.no_panels"))


if __name__ == "__main__":  # run by st.navigation
    render(state.page_context())
