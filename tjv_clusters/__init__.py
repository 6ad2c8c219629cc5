"""The pure core of the Taiwan–Japan–Vietnam clusters dashboard (no Streamlit).

Used by the Streamlit app, the scripts and the tests; see the README's architecture section.
"""
