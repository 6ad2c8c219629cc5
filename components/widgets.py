"""Reusable Streamlit widgets: the shared sidebar, the footer, the details panels.

Text from the data reaches the page through st.markdown only after `md_escape`
(components/markdown.py), and links are built from validated http(s) URLs.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from components import cached, state
from components.markdown import chart_footer_parts, md_escape, source_links
from tjv_clusters import details, export, url_state, vocab
from tjv_clusters.dataset import Dataset
from tjv_clusters.i18n import LANGUAGES, fmt_date, local_name, t


def render_sidebar(ds: Dataset) -> None:
    """Language and filters; their values live in session state (set from the URL)."""
    with st.sidebar:
        lang = st.selectbox("Language / 語言 / 言語 / Ngôn ngữ", options=list(LANGUAGES),
                            format_func=LANGUAGES.get, key=state.LANG)
        st.subheader(t(lang, "sidebar.filters"))
        st.multiselect(t(lang, "sidebar.countries"), vocab.COUNTRIES,
                       format_func=lambda c: t(lang, f"country.{c}"),
                       key=state.FILTER_COUNTRIES, placeholder=t(lang, "widget.choose"))
        st.multiselect(t(lang, "sidebar.sectors"), vocab.SECTORS,
                       format_func=lambda s: t(lang, f"sector.{s}"), key=state.FILTER_SECTORS,
                       placeholder=t(lang, "widget.choose"))
        st.multiselect(t(lang, "sidebar.kinds"), vocab.SITE_KINDS,
                       format_func=lambda k: t(lang, f"kind.{k}"), key=state.FILTER_KINDS,
                       placeholder=t(lang, "widget.choose"))
        st.multiselect(t(lang, "sidebar.status"), vocab.SITE_STATUS,
                       format_func=lambda s: t(lang, f"status.{s}"), key=state.FILTER_STATUS,
                       placeholder=t(lang, "widget.choose"))
        st.multiselect(t(lang, "sidebar.wafer"), vocab.WAFER_SIZES_MM,
                       format_func=lambda mm: t(lang, "details.wafer_mm", mm=mm),
                       help=t(lang, "sidebar.wafer_help"), key=state.FILTER_WAFER,
                       placeholder=t(lang, "widget.choose"))
        ctx = cached.load_url_context()  # the years' range, derived once per process
        st.slider(t(lang, "sidebar.years"), min_value=ctx.year_min, max_value=ctx.year_max,
                  help=t(lang, "sidebar.years_help"), key=state.FILTER_YEARS)


def render_as_of_control(lang: str, first: int, last: int) -> None:
    """The map's year: a slider (the clusters as they stood in that year; the last year
    is today) and a play button that steps through the years, about one a second."""
    ss = st.session_state
    # the widget shows the view's year (moved by the URL, the play button or this slider)
    ss["w_asof"] = ss.get(state.AS_OF) or last

    def moved() -> None:
        ss[state.AS_OF] = None if ss["w_asof"] >= last else ss["w_asof"]
        ss[state.PLAYING] = False

    def play() -> None:
        playing = not ss.get(state.PLAYING)
        ss[state.PLAYING] = playing
        if playing and (ss.get(state.AS_OF) or last) >= last:
            ss[state.AS_OF] = first  # from the first opening on record

    def today() -> None:
        ss[state.AS_OF] = None
        ss[state.PLAYING] = False

    playing = bool(ss.get(state.PLAYING))
    with st.container(key="asof", horizontal=True, vertical_alignment="bottom"):
        st.slider(t(lang, "asof.label"), min_value=first, max_value=last, key="w_asof",
                  help=t(lang, "asof.help"), on_change=moved, width=320)
        st.button(t(lang, "asof.pause" if playing else "asof.play"), key="asof-play",
                  icon=":material/pause:" if playing else ":material/play_arrow:",
                  on_click=play)
        if ss.get(state.AS_OF) is not None:
            st.button(t(lang, "asof.today"), key="asof-today", on_click=today)
    if playing:
        st.fragment(_advance_year, run_every=1.0)(last)


def _advance_year(last: int) -> None:
    """Every second while playing: the next year, then the whole page again. The fragment
    also runs with each full rerun, and a busy server draws a year's map in more than a
    second: the year moves on only once its map was drawn, a second or more ago, so the
    play slows down rather than skipping years."""
    ss = st.session_state
    drawn = ss.get(state.AS_OF_DRAWN)
    if drawn is None or drawn[0] != ss.get(state.AS_OF) or time.monotonic() - drawn[1] < 0.9:
        return
    year = (ss.get(state.AS_OF) or last) + 1
    if year >= last:
        ss[state.AS_OF], ss[state.PLAYING] = None, False
    else:
        ss[state.AS_OF] = year
    st.rerun()


def render_as_of_banner(lang: str) -> None:
    """Every page but the map (which has the slider) says when the view stands."""
    year = st.session_state.get(state.AS_OF)
    if year is None:
        return
    with st.container(key="asof-banner", horizontal=True, vertical_alignment="center"):
        st.info(t(lang, "asof.banner", year=year), icon=":material/history:")
        if not state.is_embedded():
            st.button(t(lang, "asof.today"), key="asof-banner-today",
                      on_click=lambda: st.session_state.update({state.AS_OF: None}))


def render_notices(lang: str) -> None:
    """One short notice per ignored parameter of ours; one for all unknown ones. A name
    from the link itself is never shown: a crafted link must not put its text on the page."""
    params = st.session_state.pop(state.NOTICES, [])
    for param in params:
        if param in url_state.NAMED:
            st.info(t(lang, "notice.bad_param", name=param))
    if any(param not in url_state.NAMED for param in params):
        st.info(t(lang, "notice.unknown_param"))


def render_problems(ds: Dataset, lang: str) -> None:
    if ds.problems:
        lines = "\n".join(f"- {md_escape(p)}" for p in ds.problems[:20])
        st.warning(t(lang, "data.problems", n=len(ds.problems)) + "\n\n" + lines)


def render_footer(ds: Dataset, lang: str, full_link: str | None = None) -> None:
    """Sources summary and "data as of"; in an embed, one line and a link to the app."""
    counts = ds.source_counts
    if full_link is None:
        st.divider()
    footer = st.container(key="footer")
    footer.caption(
        " ".join([
            t(lang, "footer.sources", n=len(ds.sources), primary=counts.get("primary", 0),
              secondary=counts.get("secondary", 0), tertiary=counts.get("tertiary", 0)),
            t(lang, "footer.as_of", date=fmt_date(ds.as_of, lang)),
            t(lang, "footer.licence"),
        ])
    )
    if full_link is not None:
        footer.markdown(f"[{t(lang, 'embed.open_full')}]({full_link})")


def _names_table(record: dict) -> str:
    rows = [("English", record.get("name_en")), ("日本語", record.get("name_ja")),
            ("繁體中文", record.get("name_zh_tw")), ("Tiếng Việt", record.get("name_vi"))]
    return "\n".join(f"- {label}: {md_escape(v)}" for label, v in rows if v)


def _event_lines(agreements: pd.DataFrame, lang: str) -> str:
    if agreements.empty:
        return t(lang, "details.none")
    return "\n".join(f"- {md_escape(details.event_line(a, lang))}"
                     for a in agreements.to_dict("records"))


def _flow_lines(flows: pd.DataFrame, lang: str) -> str:
    if flows.empty:
        return t(lang, "details.none")
    lines = [f"- {md_escape(details.flow_line(f, lang))}" for f in flows.to_dict("records")]
    return "\n".join(lines)


def render_facts(facts: list[tuple[str, str]]) -> None:
    """(label, plain text) pairs, one per line, the text escaped."""
    st.markdown("  \n".join(f"**{label}:** {md_escape(value)}" for label, value in facts))


def render_site_details(info: dict, lang: str) -> None:
    site = info["site"]
    st.subheader(md_escape(local_name(site, lang)))
    render_facts(details.site_facts(info, lang))
    st.markdown(md_escape(site["description"]))
    st.markdown(f"**{t(lang, 'details.names')}**\n\n{_names_table(site)}")
    st.markdown(f"**{t(lang, 'details.agreements')}**\n\n{_event_lines(info['agreements'], lang)}")
    st.markdown(f"**{t(lang, 'details.flows')}**\n\n{_flow_lines(info['flows'], lang)}")
    st.markdown(f"**{t(lang, 'details.sources')}**\n\n{source_links(info['all_sources'], lang)}")


def render_region_details(info: dict, lang: str, heading: bool = True) -> None:
    region = info["region"]
    if heading:
        st.subheader(f"{md_escape(local_name(region, lang))} ({region['code']})")
    st.markdown(_names_table(region))
    if not info["merged_from"].empty:
        olds = ", ".join(md_escape(n) for n in info["merged_from"]["old_name_vi"])
        st.markdown(t(lang, "details.merged_from", olds=olds))
    sites = info["sites"]
    site_lines = "\n".join(f"- {md_escape(details.site_line(s, lang))}"
                           for s in sites.to_dict("records")) or t(lang, "details.none")
    st.markdown(f"**{t(lang, 'details.sites_here')}** ({len(sites)})\n\n{site_lines}")
    st.markdown(f"**{t(lang, 'details.agreements')}**\n\n{_event_lines(info['agreements'], lang)}")
    st.markdown(f"**{t(lang, 'details.flows')}**\n\n{_flow_lines(info['flows'], lang)}")
    if not info["sources"].empty:
        st.markdown(f"**{t(lang, 'details.sources')}**\n\n{source_links(info['sources'], lang)}")



def pick_kinds(lang: str, label_key: str, kinds: tuple[str, ...], name_prefix: str,
               key: str) -> list[str]:
    """Which kinds of record a page lists (all at first), named in the language."""
    return st.multiselect(t(lang, label_key), kinds, default=list(kinds),
                          format_func=lambda k: t(lang, f"{name_prefix}.{k}"), key=key,
                          placeholder=t(lang, "widget.choose"))


def render_chart_footer(rows: pd.DataFrame, sources: pd.DataFrame, lang: str, name: str,
                        columns: list[str], parts: tuple | None = None) -> None:
    """Source footnote (each source once), the plotted rows as a table, CSV download
    (`parts`: chart_footer_parts, when a cache already holds them)."""
    cited, table, csv = parts or chart_footer_parts(rows, sources, lang, columns)
    if cited:
        st.caption(t(lang, "chart.sources"))
        st.markdown(cited)
    with st.expander(t(lang, "chart.show_data")):
        st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(t(lang, "chart.download_csv"), csv,
                       file_name=f"{name}.csv", mime="text/csv", key=f"csv-{name}")


SHARE_HTML = """
<div style="font:14px/1.4 'Source Sans Pro',sans-serif;color:#31333f">
<button id="copy" style="margin:2px">%(copy)s</button>
<button id="embed" style="margin:2px">%(embed)s</button>
<button id="static" style="margin:2px;display:%(static_display)s">%(static)s</button>
<p id="what" style="margin:4px 0 0;font-size:12px"></p>
<textarea id="out" readonly aria-label="%(copy)s"
  style="display:none;width:96%%;height:76px;margin-top:4px;font:12px monospace"></textarea>
</div>
<script>
const app = window.parent;
// the static copy (make export) served by this app: same URL grammar, its own files
const STATIC_PAGES = {'': 'index.html', 'ic-output': 'ic-output.html',
                      'timeline': 'timeline.html', 'flows': 'flows.html',
                      'places': 'places.html'};
function link(embed) {
  const u = new URL(app.location.href);
  if (embed) { u.searchParams.set('embed', 'true'); } else { u.searchParams.delete('embed'); }
  return u.toString();
}
function staticLink() {
  const u = new URL(app.location.href);
  const parts = u.pathname.replace(%(base)s, '/').split('/').filter(Boolean);
  const file = STATIC_PAGES[parts[0] || ''] || 'index.html';
  u.pathname = %(base)s + 'app/static/export/' + file;
  u.searchParams.set('embed', 'true');
  return u.toString();
}
function show(text, what) {
  const out = document.getElementById('out');
  document.getElementById('what').textContent = what || '';
  out.style.display = 'block'; out.value = text; out.select();
  try { document.execCommand('copy'); } catch (e) {}
}
document.getElementById('copy').onclick = () => show(link(false));
const attr = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const frame = (src) => '<iframe src="' + attr(src) + '" title="' + attr(%(title)s) + '"' +
  ' style="width:100%%;aspect-ratio:4/3;min-height:420px;border:0" loading="lazy"></iframe>';
document.getElementById('embed').onclick = () => show(frame(link(true)), %(live_what)s);
document.getElementById('static').onclick = () => show(frame(staticLink()), %(static_what)s);
</script>
"""


def render_share(lang: str) -> None:
    """"Copy link" and "Embed this view": read the address bar in the browser, where the
    map also keeps its centre and zoom, so the link is exactly what is on screen."""
    import html
    import json

    with st.sidebar:
        st.caption(t(lang, "share.hint"))
        # our own HTML (escaped labels): an iframe with same-origin access to the app's URL
        base = "/" + (st.get_option("server.baseUrlPath") or "").strip("/")
        base = base.rstrip("/") + "/"

        def js(text: str) -> str:  # a JavaScript string literal, safe inside <script>
            return json.dumps(text).replace("</", "<\\/")

        st.iframe(SHARE_HTML % {
            "copy": html.escape(t(lang, "share.copy")),
            "embed": html.escape(t(lang, "share.embed")),
            "static": html.escape(t(lang, "share.embed_static")),
            "static_display": "inline-block" if export.served() else "none",
            "title": js(t(lang, "app.title")),
            "base": js(base),
            "live_what": js(t(lang, "share.live_what")),
            "static_what": js(t(lang, "share.static_what")),
        }, height=170)


def render_briefing(lang: str, page_url_path: str) -> None:
    """"Briefing (PDF)": the view on paper, made on request (a few seconds: Chromium prints
    it) and kept for the next visitor who asks for the same view."""
    with st.sidebar:
        if not st.button(t(lang, "briefing.prepare"), key="briefing-make",
                         icon=":material/picture_as_pdf:"):
            return
        view = state.page_context().view()
        query = url_state.to_params(view, cached.load_url_context())
        query.pop(state.QP_VIEW, None)
        here = urlsplit(st.context.url or "")  # the page as the browser sees it
        link = urlunsplit((here.scheme, here.netloc, here.path or "/",
                           urlencode(query, safe=",:"), ""))
        try:
            pdf = cached.load_briefing(tuple(sorted(query.items())), page_url_path, link)
        except Exception as error:  # noqa: BLE001 - Chromium missing or failing: say so
            st.warning(t(lang, "briefing.unavailable", reason=type(error).__name__))
            return
        st.download_button(t(lang, "briefing.download"), pdf, mime="application/pdf",
                           file_name=f"briefing-{page_url_path or 'map'}-{view.lang or 'en'}.pdf",
                           key="briefing-download", icon=":material/download:")


# Every page: a multiselect's typing box keeps room for a finger when its chips fill the
# row (on a phone, /compare's two regions left it 12 px wide), and the buttons that
# scroll a row of tabs are no narrower than a finger needs (WCAG 2.2 target size).
APP_CSS = """<style>
[data-testid="stMultiSelect"] input[role="combobox"] { min-width: 2.5rem !important; }
[data-testid="stTabsScrollLeft"], [data-testid="stTabsScrollRight"] { min-width: 24px; }
</style>"""


# the kiosk fills the window: no padding around the page, the tour's frame as tall as it
KIOSK_CSS = """<style>
[data-testid="stMainBlockContainer"], .block-container { padding: 0 !important; max-width: none; }
[data-testid="stHeader"], header, footer { display: none !important; }
iframe[src*="kiosk=true"] { height: 100vh !important; display: block; border: 0; }
</style>"""


def render_kiosk(lang: str, idle: int, dwell: int) -> None:
    """`?kiosk=true`: the guided tour of the static copy, full window. It runs in the
    browser (no script run per step, nothing to lose if the websocket drops during a day
    at an expo) from the files the app itself serves."""
    if not export.served():
        st.error(t(lang, "kiosk.missing", command="python -m tjv_clusters.export static/export"))
        return
    params = url_state.to_params(
        url_state.View(lang=lang, kiosk=True, idle=idle, dwell=dwell), cached.load_url_context())
    st.html(KIOSK_CSS)
    st.iframe(url_state.href("app/static/export/index.html",
                             st.get_option("server.baseUrlPath") or "", None, **params),
              height=800, alt=t(lang, "kiosk.title"))
