"""Router: page config, the shared sidebar (language, filters) and the page list.

Pages live in views/, not pages/: Streamlit runs a pages/ folder beside the entrypoint
as a legacy multipage app until st.navigation has run once in the process, so the first
visitor of a shared /about link after start-up would get the page without this router.
"""

from pathlib import Path

import streamlit as st

from components import assets, state
from components.cached import load_dataset
from components.i18n import t
from components.widgets import render_footer, render_notices, render_problems, render_sidebar

# A local favicon: a :material/...: page icon would be fetched from fonts.gstatic.com.
FAVICON = Path(__file__).parent / "static" / "favicon.png"
assets.register_mimetypes()
st.set_page_config(page_title="TW–JP–VN clusters", page_icon=str(FAVICON), layout="wide")

dataset = load_dataset()
lang, filters = render_sidebar(dataset)
st.session_state[state.FILTERS] = filters

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
    st.Page("views/data.py", title=t(lang, "nav.data"), icon=":material/table:",
            url_path="data"),
    st.Page("views/about.py", title=t(lang, "nav.about"), icon=":material/info:",
            url_path="about"),
]
page = st.navigation(pages)
render_notices(lang)
render_problems(dataset, lang)
page.run()
render_footer(dataset, lang)
