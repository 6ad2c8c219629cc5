"""Router: page config, the shared sidebar (language, filters) and the page list."""

import streamlit as st

from components import assets, state
from components.cached import load_dataset
from components.i18n import t
from components.widgets import render_footer, render_notices, render_problems, render_sidebar

assets.register_mimetypes()
st.set_page_config(page_title="TW–JP–VN clusters", page_icon=":material/hub:", layout="wide")

dataset = load_dataset()
lang, filters = render_sidebar(dataset)
st.session_state[state.FILTERS] = filters

pages = [
    st.Page("pages/cluster_map.py", title=t(lang, "nav.map"), icon=":material/map:",
            url_path="", default=True),
    st.Page("pages/data_tables.py", title=t(lang, "nav.data"), icon=":material/table:",
            url_path="data"),
    st.Page("pages/about.py", title=t(lang, "nav.about"), icon=":material/info:",
            url_path="about"),
]
page = st.navigation(pages)
render_notices(lang)
render_problems(dataset, lang)
page.run()
render_footer(dataset, lang)
