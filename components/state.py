"""Session-state and query-parameter keys, and the URL <-> session round trip.

Every key the app stores lives here, so pages never spell a key twice. On a session's
first run the URL is parsed (`tjv_clusters.url_state`) into widget state; after every run
the widgets' values are written back, so the address bar always holds the current view.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from components import cached
from tjv_clusters import url_state, vocab
from tjv_clusters.filters import Filters
from tjv_clusters.i18n import DEFAULT_LANGUAGE, LANGUAGES

# where app.py and views/ are: pages are named by their absolute path, so a page that a
# test renders alone (from a script elsewhere) still links to the others
APP_DIR = Path(__file__).resolve().parents[1]
# query parameters
QP_PLACE = "id"
QP_VIEW = "view"
QP_REGIONS = "regions"
COMPARE_PAGE = "compare"
# session state
INITIALISED = "url_initialised"
LANG = "lang"
FILTER_COUNTRIES = "filter_countries"
FILTER_SECTORS = "filter_sectors"
FILTER_KINDS = "filter_kinds"
FILTER_YEARS = "filter_years"
FILTER_STATUS = "filter_status"
FILTER_WAFER = "filter_wafer"
AS_OF = "as_of"  # a year: the clusters as they stood then (None: today)
PLAYING = "as_of_playing"  # the map's play button steps AS_OF through the years
AS_OF_DRAWN = "as_of_drawn"  # (year, monotonic time) the map last finished drawing
LAYERS = "map_layers"
ONLINE_TILES = "online_tiles"
SELECTION = "selection"  # (kind, id) of the entity shown in the details panel
LAST_MAP_CLICK = "last_map_click"
MAP_FOCUS = "map_focus"  # (lat, lon, zoom) from the URL or the search box
CHART = "chart"  # the one chart an embed shows
KIOSK = "kiosk"  # (idle s, dwell s) of the expo tour, or None
COMPARE = "compare_regions"  # the regions /compare shows
SINCE = "since"  # a dataset version or date: "What changed" lists, the map rings, what is newer
NOTICES = "notices"
COMPARE_LINKED = "_compare_linked"  # the `regions` of the last in-app link /compare took
# widget keys of the view's parts that the URL carries (a widget's own state is dropped
# on other pages; the view's keys above are not)
W_LAYERS = "w_layers"
W_MAP_SINCE = "w_map_since"
W_SINCE = "w_since"
W_COMPARE = "w_compare"
W_PLACE = "w_place"


@dataclass(frozen=True)
class PageContext:
    """Everything a page reads from the session. A page is `render(ctx)`: the app passes
    `page_context()`, a test passes a context of its own and runs the page alone."""

    lang: str = DEFAULT_LANGUAGE
    filters: Filters = field(default_factory=Filters)
    embedded: bool = False
    selection: tuple[str, str] | None = None  # (kind, id) in the details panel
    focus: tuple[float, float, int] | None = None  # (lat, lon, zoom) the map moves to
    layers: tuple[str, ...] = url_state.MAP_LAYERS
    chart: str | None = None  # the one chart an embed shows
    since: str | None = None
    regions: tuple[str, ...] = ()  # /compare
    place: str | None = None  # /places?id=, as the link gives it (unchecked)
    kiosk: tuple[int, int] | None = None  # the expo tour's (idle, dwell) seconds

    def view(self) -> url_state.View:
        """The context as the URL states it (the address bar, links, briefings)."""
        return url_state.View(
            lang=self.lang, filters=self.filters, selection=self.selection,
            layers=self.layers, center=self.focus[:2] if self.focus else None,
            zoom=self.focus[2] if self.focus else None, chart=self.chart, since=self.since,
            regions=self.regions, **({"kiosk": True, "idle": self.kiosk[0],
                                      "dwell": self.kiosk[1]} if self.kiosk else {}))


def page_context() -> PageContext:
    ss = st.session_state
    return PageContext(
        lang=language(), filters=current_filters(), embedded=is_embedded(),
        selection=ss.get(SELECTION), focus=ss.get(MAP_FOCUS),
        layers=tuple(ss.get(LAYERS, url_state.MAP_LAYERS)), chart=ss.get(CHART),
        since=ss.get(SINCE), regions=tuple(ss.get(COMPARE) or ()),
        place=st.query_params.get(QP_PLACE), kiosk=ss.get(KIOSK))


def browser_language() -> str:
    """The first supported language in the browser's Accept-Language, else English."""
    accept = (st.context.headers.get("Accept-Language") or "").lower()
    for part in accept.split(","):
        tag = part.split(";")[0].strip()
        if tag.startswith("zh"):
            return "zh_TW"  # the only Chinese we have: better than English for zh-CN too
        lang = url_state.canonical_language(tag)
        if lang:
            return lang
    return DEFAULT_LANGUAGE


def init_from_url(ctx: url_state.Context) -> None:
    """On the session's first run, put the URL's view into widget state."""
    if st.session_state.get(INITIALISED):
        return
    view, ignored = url_state.parse(st.query_params.to_dict(), ctx)
    ss = st.session_state
    ss[LANG] = view.lang or browser_language()
    ss[FILTER_COUNTRIES] = list(view.filters.countries)
    ss[FILTER_SECTORS] = list(view.filters.sectors)
    ss[FILTER_KINDS] = list(view.filters.kinds)
    ss[FILTER_YEARS] = (view.filters.year_from, view.filters.year_to)
    ss[FILTER_STATUS] = list(view.filters.statuses)
    ss[FILTER_WAFER] = list(view.filters.wafer_sizes)
    ss[AS_OF] = view.filters.as_of
    ss[LAYERS] = list(view.layers)
    ss[SELECTION] = view.selection
    ss[CHART] = view.chart
    ss[KIOSK] = (view.idle, view.dwell) if view.kiosk else None
    ss[SINCE] = view.since
    ss[COMPARE] = list(view.regions)
    if view.center:
        ss[MAP_FOCUS] = (*view.center, view.zoom)
    for name in ignored:
        add_notice(name)
        del st.query_params[name]
    ss[INITIALISED] = True


def current_filters() -> Filters:
    ss = st.session_state
    years = ss.get(FILTER_YEARS) or (2012, 2026)
    return Filters(tuple(ss.get(FILTER_COUNTRIES, vocab.COUNTRIES)),
                   tuple(ss.get(FILTER_SECTORS, vocab.SECTORS)),
                   tuple(ss.get(FILTER_KINDS, vocab.SITE_KINDS)), years[0], years[1],
                   tuple(ss.get(FILTER_STATUS, vocab.SITE_STATUS)),
                   tuple(ss.get(FILTER_WAFER, vocab.WAFER_SIZES_MM)), ss.get(AS_OF))


def sync_url(ctx: url_state.Context, page_url_path: str | None = None) -> None:
    """Write the current view into the address bar (only the parameters that changed).

    `view` (map centre/zoom) is also written by the map itself, in the browser, as the
    user pans: it is only set here when the app moved the map (URL or search)."""
    wanted = url_state.to_params(page_context().view(), ctx)
    if page_url_path != COMPARE_PAGE:  # the compared regions belong to their page
        wanted.pop(QP_REGIONS, None)
    for name in url_state.OURS:
        if name == QP_VIEW and name not in wanted:
            continue
        if name in wanted:
            if st.query_params.get(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]


def page_link(ctx: PageContext, page_file: str, label: str, icon: str | None = None,
              **params: str) -> None:
    """A link to another page of the app that keeps the context's view. A click
    opens it in the same tab (Streamlit navigates without reloading the page; a Markdown
    link would open a new tab); copied or opened in a new tab, its URL carries the whole
    view. Streamlit adds the server's base path (an agency serving the app at /dashboard/
    keeps working links)."""
    view = url_state.to_params(ctx.view(), cached.load_url_context())
    # the map's centre and zoom belong to the map page (the session keeps them for the
    # way back); left out, the link stays the same element while the map moves
    view.pop(QP_VIEW, None)
    view.pop(QP_REGIONS, None)
    st.page_link(str(APP_DIR / page_file), label=label, icon=icon,
                 query_params={**view, **params})


def is_embedded() -> bool:
    """`?embed=true`: Streamlit keeps that parameter to itself (it is not in
    st.query_params), so ask the context."""
    return bool(st.context.is_embedded)


def kiosk() -> tuple[int, int] | None:
    """`?kiosk=true`: the expo tour's (idle, dwell) seconds; None otherwise."""
    return st.session_state.get(KIOSK)


def check_page_params(page_url_path: str) -> None:
    """`id` is only used by /places: elsewhere it gets the same notice as any other
    ignored parameter instead of being dropped silently. (`embed=yes` cannot be told
    apart: Streamlit's front end keeps `embed` to itself and reports only whether the
    page is embedded.)"""
    if QP_PLACE in st.query_params and page_url_path != "places":
        add_notice(QP_PLACE)
        del st.query_params[QP_PLACE]


# What pages change in the view: the next run's context (and the URL) carries it.
def select(selection: tuple[str, str] | None) -> None:
    st.session_state[SELECTION] = selection


def focus_map(focus: tuple[float, float, int]) -> None:
    """Move the map (the URL's `view`), unless it is already there."""
    if st.session_state.get(MAP_FOCUS) != focus:
        st.session_state[MAP_FOCUS] = focus
        st.query_params[QP_VIEW] = f"{focus[0]},{focus[1]},{focus[2]}"


def map_drawn(year: int | None) -> None:
    """The map finished drawing `year` (None: today): Play may step on."""
    st.session_state[AS_OF_DRAWN] = (year, time.monotonic())


def new_map_click(clicked: dict) -> bool:
    """Whether the map's last click is new (the component repeats it on every run)."""
    if clicked == st.session_state.get(LAST_MAP_CLICK):
        return False
    st.session_state[LAST_MAP_CLICK] = clicked
    return True


def set_layers(layers: list[str]) -> None:
    st.session_state[LAYERS] = list(layers)


def set_since(since: str | None) -> None:
    st.session_state[SINCE] = since


def set_regions(codes: list[str]) -> None:
    st.session_state[COMPARE] = list(codes)


def show_place(code: str) -> None:
    """The region /places shows (the URL's `id`)."""
    st.query_params[QP_PLACE] = code


def add_notice(param: str) -> None:
    notices = st.session_state.setdefault(NOTICES, [])
    if param not in notices:
        notices.append(param)


def language() -> str:
    lang = st.session_state.get(LANG)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
