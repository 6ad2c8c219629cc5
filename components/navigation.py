"""The app's pages, for st.navigation: app.py runs them, a test registers them to render
one page alone (its links to other pages need them)."""

import streamlit as st

from components import state
from tjv_clusters.i18n import t

# (file, title key, icon, URL path); the first one is the home page
PAGES = [
    ("views/cluster_map.py", "nav.map", ":material/map:", ""),
    ("views/ic_output.py", "nav.ic", ":material/show_chart:", "ic-output"),
    ("views/timeline.py", "nav.timeline", ":material/timeline:", "timeline"),
    ("views/flows.py", "nav.flows", ":material/swap_horiz:", "flows"),
    ("views/places.py", "nav.places", ":material/location_on:", "places"),
    ("views/compare.py", "nav.compare", ":material/compare:", state.COMPARE_PAGE),
    ("views/changes.py", "nav.changes", ":material/history:", "changes"),
    ("views/data.py", "nav.data", ":material/table:", "data"),
    ("views/about.py", "nav.about", ":material/info:", "about"),
]


def app_pages(lang: str) -> list[st.Page]:
    return [st.Page(state.APP_DIR / file, title=t(lang, title), icon=icon, url_path=path,
                    default=not path)
            for file, title, icon, path in PAGES]
