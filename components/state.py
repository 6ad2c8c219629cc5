"""Session-state and query-parameter keys, and reading the language from the URL.

Every key the app stores lives here, so pages never spell a key twice.
"""

from __future__ import annotations

import streamlit as st

from components.i18n import DEFAULT_LANGUAGE, LANGUAGES

# query parameters
QP_LANG = "lang"
QP_PLACE = "id"
# session state
LANG = "lang"
FILTER_COUNTRIES = "filter_countries"
FILTER_SECTORS = "filter_sectors"
FILTER_KINDS = "filter_kinds"
FILTER_YEARS = "filter_years"
ONLINE_TILES = "online_tiles"
SELECTION = "selection"  # (kind, id) of the entity shown in the details panel
LAST_MAP_CLICK = "last_map_click"
MAP_FOCUS = "map_focus"  # (lat, lon, zoom) set by the search box
NOTICES = "notices"
FILTERS = "filters"  # the sidebar's Filters value, read by every page


def language_from_url() -> str:
    """`?lang=` if valid, else the browser's preference, else English (noting a bad value)."""
    value = st.query_params.get(QP_LANG)
    if value in LANGUAGES:
        return value
    if value is not None:
        add_notice(QP_LANG)
    accept = (st.context.headers.get("Accept-Language") or "").lower()
    for part in accept.split(","):
        tag = part.split(";")[0].strip()
        if tag.startswith("zh"):
            return "zh_TW"
        if tag[:2] in ("ja", "vi", "en"):
            return tag[:2]
    return DEFAULT_LANGUAGE


def add_notice(param: str) -> None:
    notices = st.session_state.setdefault(NOTICES, [])
    if param not in notices:
        notices.append(param)
