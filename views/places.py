"""Place profiles: one prefecture, county or province at a time (`/places?id=JP-43`)."""

import streamlit as st

from components import cached, shared_map, state
from components.widgets import md_escape, render_region_details, source_links
from tjv_clusters import details
from tjv_clusters.i18n import local_name, t


def render(ctx: state.PageContext) -> None:
    ds = cached.load_dataset()
    lang = ctx.lang
    codes = list(ds.admin1["code"])
    names = {r["code"]: f"{local_name(r, lang)} ({r['code']})" for _, r in ds.admin1.iterrows()}
    wanted = ctx.place
    if wanted is not None and wanted not in names:
        st.info(t(lang, "notice.bad_param", name=state.QP_PLACE))
        wanted = None
    code = st.selectbox(t(lang, "places.pick"), codes, format_func=names.get,
                        index=codes.index(wanted or "JP-43"), key=f"{state.W_PLACE}-{wanted}")
    state.show_place(code)

    profile = cached.load_place_profile(code)
    st.title(md_escape(names[code]))
    state.page_link(ctx, "views/compare.py", t(lang, "places.compare"),
                    icon=":material/compare:",
                    **{state.QP_REGIONS: code})
    left, right = st.columns([3, 2], gap="medium")
    with left, st.container(key="place-profile"):
        render_region_details(profile, lang, heading=False)
        for key, frame in (("places.flows_in", profile["flows_in"]),
                           ("places.flows_out", profile["flows_out"])):
            st.markdown(f"**{t(lang, key)}** ({len(frame)})")
            st.markdown("\n".join(f"- {md_escape(details.flow_line(f, lang))}"
                                   for f in frame.sort_values("year").to_dict("records")))
        if not profile["indicators"].empty:
            st.markdown(f"**{t(lang, 'places.indicators')}**")
            st.dataframe(profile["indicators"][["indicator", "period", "value", "unit", "basis"]],
                         hide_index=True, width="stretch")
            used = ds.sources[ds.sources["source_id"].isin(
                [s for ids in profile["indicators"]["source_ids"] for s in ids])]
            st.markdown(source_links(used, lang))
    with right:
        st.markdown(f"**{t(lang, 'places.neighbours')}**")
        shared_map.show(cached.load_place_map(code, lang, st.get_option("server.baseUrlPath")),
                        key="place-map", height=380, returned_objects=[])
        with st.container(horizontal=True, key="neighbours"):
            for c in profile["neighbours"]:
                state.page_link(ctx, "views/places.py", md_escape(names[c]),
                                **{state.QP_PLACE: c})
            if not profile["neighbours"]:
                st.markdown(t(lang, "details.none"))


if __name__ == "__main__":  # run by st.navigation
    render(state.page_context())
