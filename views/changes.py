"""What changed in the data since a version (or a date): records added, changed and
removed, field by field, each with its sources; the map can ring the new places."""

import streamlit as st

from components import cached, state
from components.widgets import md_escape, pick_kinds, source_links
from tjv_clusters import changes, details
from tjv_clusters.i18n import t


def render(ctx: state.PageContext) -> None:
    ds = cached.load_dataset()
    lang, filters = ctx.lang, ctx.filters
    releases = ds.releases
    current, released = ds.release

    if not ctx.embedded:
        st.title(t(lang, "changes.title"))
    st.caption(t(lang, "changes.intro", version=current, date=released))

    versions = [version for version, _ in releases]
    dates = dict(releases)
    asked = ctx.since
    # no `since` in the view: what the newest version changed
    start = (changes.base_version(releases, asked) if asked
             else versions[1] if len(versions) > 1 else current)
    since_version = st.selectbox(
        t(lang, "changes.since"), versions,
        index=versions.index(start) if start in versions else 0,
        format_func=lambda v: (t(lang, "changes.current", version=v, date=dates[v])
                               if v == current else f"{v} — {dates[v]}"),
        key=state.W_SINCE, on_change=lambda: state.set_since(st.session_state[state.W_SINCE]))
    kinds = pick_kinds(lang, "changes.show", changes.KINDS, "changes.kind", key="changes_kinds")

    rows = cached.load_changes(since_version, lang, tuple(filters.countries))
    rows = rows[rows["change"].isin(kinds)]
    if rows.empty:
        st.info(t(lang, "changes.none", since=since_version))
    else:
        show(ds, rows, since_version, ctx)


def show(ds, rows, since_version: str, ctx: state.PageContext) -> None:
    """The summary, the table of changes and one record's changes with its sources."""
    lang, asked = ctx.lang, ctx.since
    counts = changes.summary(rows)[list(changes.KINDS)].sum()
    st.markdown(t(lang, "changes.summary", since=since_version, added=counts["added"],
                  changed=counts["changed"], removed=counts["removed"]))
    st.caption(t(lang, "changes.removed_note"))
    if changes.new_records(rows) & set(cached.load_sites(ctx.filters)["site_id"]):
        state.page_link(ctx, "views/cluster_map.py", t(lang, "changes.on_map"),
                        icon=":material/map:",
                        since=asked or since_version)

    table = rows.assign(
        table=rows["table"].map(lambda v: t(lang, f"changes.table.{v}")),
        change=rows["change"].map(lambda v: t(lang, f"changes.kind.{v}")),
        source_ids=rows["source_ids"].map("; ".join),
    )[["version", "date", "record", "table", "change", "field", "old", "new", "source_ids"]]
    st.dataframe(table, hide_index=True, width="stretch", key="changes-table", column_config={
        name: st.column_config.TextColumn(t(lang, f"changes.col.{label}"))
        for name, label in [("version", "version"), ("date", "date"), ("record", "record"),
                            ("table", "table"), ("change", "change"), ("field", "field"),
                            ("old", "old"), ("new", "new"), ("source_ids", "sources")]})
    download = rows.drop(columns="record").assign(source_ids=rows["source_ids"].map(";".join))
    st.download_button(t(lang, "changes.download"), download.to_csv(index=False),
                       file_name=f"changes-since-{since_version}.csv", mime="text/csv",
                       key="csv-changes")

    records = list(dict.fromkeys(zip(rows["table"], rows["record_id"], strict=True)))
    names = dict(zip(zip(rows["table"], rows["record_id"], strict=True), rows["record"],
                     strict=True))
    picked = st.selectbox(t(lang, "changes.pick"), records, index=None, key="changes-pick",
                          format_func=lambda r: f"{names[r]} · {t(lang, f'changes.table.{r[0]}')}",
                          placeholder=t(lang, "changes.pick_placeholder"))
    if picked:
        mine = rows[(rows["table"] == picked[0]) & (rows["record_id"] == picked[1])]
        empty = t(lang, "changes.empty_value")
        with st.container(key="change-details", border=True):
            st.subheader(md_escape(names[picked]))
            blocks = []
            for (version, change), group in mine.groupby(["version", "change"], sort=False):
                kind = t(lang, f"changes.kind.{change}")
                fields = [f"- {md_escape(r.field)}: {md_escape(r.old or empty)} → "
                          f"{md_escape(r.new or empty)}"
                          for r in group.itertuples() if change == "changed"]
                blocks.append("\n".join(
                    [f"**{t(lang, 'changes.in_version', version=version, change=kind)}**", ""]
                    + fields))
            st.markdown("\n\n".join(blocks))
            ids = list(dict.fromkeys(sid for ids in mine["source_ids"] for sid in ids))
            used = details.sources_of(ds, ids)
            if not used.empty:
                st.markdown(f"**{t(lang, 'details.sources')}**\n\n{source_links(used, lang)}")
            if picked[0] == "sites" and picked[1] in set(ds.sites["site_id"]):
                state.page_link(ctx, "views/cluster_map.py", t(lang, "changes.open_on_map"),
                                icon=":material/map:", sel=f"site:{picked[1]}")


if __name__ == "__main__":  # run by st.navigation
    render(state.page_context())
