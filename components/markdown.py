"""Data text as Streamlit Markdown: escaped so that it shows as written, source lists
and a chart's footer. Plain Python (no Streamlit), so the per-view caches and the
widgets both call it."""

from __future__ import annotations

import re

import pandas as pd

from tjv_clusters.i18n import t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")


# Two things Streamlit's Markdown reads after the escapes are gone, so backslashes do not
# stop them: its own colon syntax (":red[…]", ":material/…:", ":smile:") and bare web
# addresses (a backslash inside one showed on the page and broke its link, …x%5C.org).
# Every colon and each "www." are written as character references instead: the page shows
# the same characters, as written, and a bare address links to itself (checked in Chromium).
_AFTER_ESCAPES = re.compile(r"(:)|(www)\\\.", re.I)


def md_escape(text) -> str:
    """Make data text inert in Markdown (and in the HTML Markdown may contain): shown as
    written, never as formatting, an icon or an image; a bare web address stays a link
    to itself."""
    if text is None:
        return ""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    return _AFTER_ESCAPES.sub(lambda m: "&#58;" if m[1] else f"{m[2]}&#46;", escaped)


def source_links(sources: pd.DataFrame, lang: str = "en") -> str:
    """The cited sources as a Markdown list: title (linked, as the publisher wrote it),
    publisher, date, and how direct the source is, in the chosen language."""
    items = []
    for _, s in sources.iterrows():
        published = s.get("published")
        date = f", {md_escape(published)}" if isinstance(published, str) and published else ""
        items.append(
            f"- [{md_escape(s['title'])}]({s['url'].replace(')', '%29')}) "
            f"— {md_escape(s['publisher'])}{date} ({md_escape(t(lang, 'quality.' + s['quality']))})"
        )
    return "\n".join(items)


def chart_footer_parts(rows: pd.DataFrame, sources: pd.DataFrame, lang: str,
                       columns: list[str] | tuple[str, ...]) -> tuple[str, pd.DataFrame, str]:
    """What a chart's footer shows: its sources as Markdown (each once; "" if none), the
    plotted rows as a table, and that table as CSV."""
    ids = [sid for ids in rows["source_ids"] for sid in ids]
    used = sources.set_index("source_id").reindex(list(dict.fromkeys(ids))).dropna(
        subset=["url"]).reset_index()
    table = rows[list(columns)].map(lambda v: ";".join(v) if isinstance(v, tuple) else v)
    return (source_links(used, lang) if not used.empty else ""), table, table.to_csv(index=False)
