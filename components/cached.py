"""Cached loaders: the only place with @st.cache_*. Data is read once per process."""

from __future__ import annotations

import streamlit as st

from components import assets, search
from components.dataset import Dataset, read_dataset


@st.cache_resource(show_spinner=False)
def load_dataset() -> Dataset:
    # cache_resource, not cache_data: the frames are shared read-only, never mutated,
    # and copying 500 KB of GeoJSON on every rerun would cost more than it protects.
    return read_dataset()


@st.cache_resource(show_spinner=False)
def ensure_assets() -> str | None:
    """Leaflet and markercluster in static/vendor, once per process (a fresh clone run with
    `streamlit run app.py` has not run `make assets`)."""
    return assets.ensure()


@st.cache_resource(show_spinner=False)
def load_search_index() -> list[search.Entry]:
    return search.build_index(load_dataset())
