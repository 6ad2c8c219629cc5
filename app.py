"""Router: page config, the shared sidebar (language, filters) and the page list.

Pages live in views/, not pages/: Streamlit runs a pages/ folder beside the entrypoint
as a legacy multipage app until st.navigation has run once in the process, so the first
visitor of a shared /about link after start-up would get the page without this router.
"""

from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from components import state
from components.cached import ensure_assets, load_dataset, load_url_context
from components.widgets import (
    render_as_of_banner,
    render_briefing,
    render_footer,
    render_kiosk,
    render_notices,
    render_problems,
    render_share,
    render_sidebar,
)
from tjv_clusters import assets
from tjv_clusters.i18n import t

# A local favicon: a :material/...: page icon would be fetched from fonts.gstatic.com.
FAVICON = Path(__file__).parent / "static" / "favicon.png"
assets.register_mimetypes()
st.set_page_config(page_title="TW–JP–VN clusters", page_icon=str(FAVICON), layout="wide")

dataset = load_dataset()
url_context = load_url_context()
state.init_from_url(url_context)
embedded = state.is_embedded()
kiosk = state.kiosk()
if not embedded and not kiosk:
    render_sidebar(dataset)
lang = state.language()
st.session_state[state.FILTERS] = state.current_filters()

pages = [
    st.Page("views/cluster_map.py", title=t(lang, "nav.map"), icon=":material/map:",
            url_path="", default=True),
    st.Page("views/ic_output.py", title=t(lang, "nav.ic"), icon=":material/show_chart:",
            url_path="ic-output"),
    st.Page("views/timeline.py", title=t(lang, "nav.timeline"), icon=":material/timeline:",
            url_path="timeline"),
    st.Page("views/flows.py", title=t(lang, "nav.flows"), icon=":material/swap_horiz:",
            url_path="flows"),
    st.Page("views/places.py", title=t(lang, "nav.places"), icon=":material/location_on:",
            url_path="places"),
    st.Page("views/compare.py", title=t(lang, "nav.compare"), icon=":material/compare:",
            url_path=state.COMPARE_PAGE),
    st.Page("views/changes.py", title=t(lang, "nav.changes"), icon=":material/history:",
            url_path="changes"),
    st.Page("views/data.py", title=t(lang, "nav.data"), icon=":material/table:",
            url_path="data"),
    st.Page("views/about.py", title=t(lang, "nav.about"), icon=":material/info:",
            url_path="about"),
]
page = st.navigation(pages, position="hidden" if embedded or kiosk else "sidebar")
state.check_page_params(page.url_path)
assets_problem = ensure_assets()
if assets_problem:
    st.error(t(lang, "assets.missing", command="make assets", reason=assets_problem))
render_notices(lang)
render_problems(dataset, lang)
if page.url_path != "":  # the map shows its year on its own slider
    render_as_of_banner(lang)
if kiosk:  # the expo tour, whichever page the link names
    render_kiosk(lang, *kiosk)
    state.sync_url(url_context)
    st.stop()
page.run()
state.sync_url(url_context, page.url_path)
if embedded:
    # the same view without embed=true (which Streamlit keeps out of st.query_params)
    base = "/" + st.get_option("server.baseUrlPath").strip("/")
    render_footer(dataset, lang, full_link=f"{base.rstrip('/')}/{page.url_path}?"
                                           f"{urlencode(st.query_params.to_dict())}")
else:
    render_share(lang)
    render_briefing(lang, page.url_path)
    render_footer(dataset, lang)
