"""The dataset as tables, filtered by the sidebar, each downloadable as CSV."""

import streamlit as st

from components import cached, state
from tjv_clusters.filters import filter_agreements, filter_cities, filter_flows, filter_sites
from tjv_clusters.i18n import t


def render(ctx: state.PageContext) -> None:
    ds = cached.load_dataset()
    lang, filters = ctx.lang, ctx.filters
    st.title(t(lang, "data.title"))
    st.write(t(lang, "data.intro"))

    tables = {
        "sites.csv": filter_sites(ds.sites, filters),
        "agreements.csv": filter_agreements(ds.agreements, ds.organisations, filters),
        "flows.csv": filter_flows(ds.flows, ds.organisations, filters),
        "cities.csv": filter_cities(ds.cities, filters),
        "organisations.csv": ds.organisations,
        "indicators.csv": ds.indicators,
        "sources.csv": ds.sources,
        "vn_province_merger.csv": ds.merger,
        "checks.csv": ds.checks,
        "shared_points.csv": ds.shared_points,
        "gazetteer/localities.csv": ds.localities,
    }
    for tab, (name, frame) in zip(st.tabs(list(tables)), tables.items(), strict=True):
        with tab:
            flat = frame.map(lambda v: ";".join(map(str, v)) if isinstance(v, tuple) else v)
            st.dataframe(flat, hide_index=True, width="stretch")
            st.download_button(t(lang, "data.download", name=name), flat.to_csv(index=False),
                               file_name=name, mime="text/csv", key=f"dl-{name}")


if __name__ == "__main__":  # run by st.navigation
    render(state.page_context())
