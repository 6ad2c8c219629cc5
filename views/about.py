"""About the dashboard: what it is, every source, and the 2025 Vietnamese merger lookup."""

import streamlit as st

from components import cached, state
from components.widgets import md_escape
from tjv_clusters.details import merger_answer
from tjv_clusters.i18n import fmt_date, t


def render(ctx: state.PageContext) -> None:
    ds = cached.load_dataset()
    lang = ctx.lang
    st.title(t(lang, "about.title"))
    st.write(t(lang, "about.body"))

    st.subheader(t(lang, "about.merger"))
    olds = ds.merger.sort_values("old_name_vi")
    old = st.selectbox(t(lang, "about.merger_pick"), olds["old_code"],
                       format_func=dict(zip(olds["old_code"], olds["old_name_vi"],
                                            strict=True)).get)
    st.success(md_escape(merger_answer(ds.merger, old, lang)))

    st.subheader(t(lang, "about.version"))
    version, released = ds.release
    st.markdown(t(lang, "about.version_body", version=version, date=fmt_date(released, lang)))
    with st.expander(t(lang, "about.changelog")):
        st.markdown(ds.changelog_entries)

    st.subheader(t(lang, "about.sources"))
    st.markdown(cached.load_source_list(lang))


if __name__ == "__main__":  # run by st.navigation
    render(state.page_context())
