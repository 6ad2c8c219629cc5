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
from components.navigation import app_pages
from components.widgets import (
    APP_CSS,
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
st.html(APP_CSS)

dataset = load_dataset()
url_context = load_url_context()
state.init_from_url(url_context)
embedded = state.is_embedded()
kiosk = state.kiosk()
if not embedded and not kiosk:
    render_sidebar(dataset)
lang = state.language()

pages = app_pages(lang)
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
