"""The dataset as tables, filtered by the sidebar, each downloadable as CSV."""

import streamlit as st

from components import cached, state
from tjv_clusters.i18n import fmt_number, t


def render(ctx: state.PageContext) -> None:
    lang, filters = ctx.lang, ctx.filters
    st.title(t(lang, "data.title"))
    st.write(t(lang, "data.intro"))

    tables = cached.load_data_tables(filters)
    for tab, (name, (flat, csv)) in zip(st.tabs(list(tables)), tables.items(), strict=True):
        with tab:
            # also keeps the table's toolbar clear of the tabs above it on a phone
            st.caption(t(lang, "data.records", n=fmt_number(len(flat), lang)))
            st.dataframe(flat, hide_index=True, width="stretch")
            st.download_button(t(lang, "data.download", name=name), csv,
                               file_name=name, mime="text/csv", key=f"dl-{name}")


if __name__ == "__main__":  # run by st.navigation
    render(state.page_context())
