"""Every UI text exists in every language; every vocabulary value has a label."""

import pytest

from tjv_clusters import vocab
from tjv_clusters.i18n import LANGUAGES, catalogue, t

REFERENCE = catalogue("en")


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_no_missing_or_extra_keys(lang):
    keys = set(catalogue(lang))
    assert set(REFERENCE) - keys == set(), f"{lang} lacks keys"
    assert keys - set(REFERENCE) == set(), f"{lang} has unknown keys"
    assert all(catalogue(lang)[k].strip() for k in keys)


def test_placeholders_match():
    import string

    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for lang in LANGUAGES:
        for key, text in REFERENCE.items():
            assert fields(catalogue(lang)[key]) == fields(text), (lang, key)


def test_vocabulary_is_labelled():
    for prefix, values in [("kind", vocab.SITE_KINDS), ("sector", vocab.SECTORS),
                           ("status", vocab.SITE_STATUS), ("country", vocab.COUNTRIES),
                           ("group", tuple(vocab.SITE_GROUPS)),
                           ("precision", vocab.COORD_PRECISION)]:
        for value in values:
            assert f"{prefix}.{value}" in REFERENCE


def test_t_formats_values():
    assert t("en", "footer.as_of", date="2026-11-22") == "Data as of 2026-11-22."


def test_plotly_strings_are_the_ones_plotly_js_looks_up():
    """The toolbar's English entries are plotly.js's own dictionary keys: both bundles (the
    plotly package's, used by the static copy and briefings, and Streamlit's) must carry
    each one, or a translation would silently never be shown."""
    from pathlib import Path

    import streamlit
    from plotly.offline import get_plotlyjs

    streamlit_js = "".join(p.read_text(encoding="utf-8") for p in
                           (Path(streamlit.__file__).parent / "static").rglob("PlotlyChart*.js"))
    keys = [text for key, text in REFERENCE.items() if key.startswith("chart.toolbar.")]
    assert len(keys) >= 15
    for bundle in (get_plotlyjs(), streamlit_js):
        missing = [k for k in keys if f'"{k}"' not in bundle and f"`{k}`" not in bundle]
        assert missing == []


@pytest.mark.parametrize("lang", ["ja", "zh_TW", "vi"])
def test_charts_toolbar_and_numbers_in_the_language(lang):
    from tjv_clusters.charts import plotly_config
    from tjv_clusters.i18n import fmt_number

    config = plotly_config(lang)
    locale = config["locales"][config["locale"]]
    assert locale["dictionary"]["Zoom in"] == t(lang, "chart.toolbar.zoom_in") != "Zoom in"
    # numbers on the axes are written as the page writes them
    fmt = locale["format"]
    assert fmt_number(1234.5, lang, 1) == f"1{fmt['thousands']}234{fmt['decimal']}5"
    assert len(fmt["months"]) == len(fmt["shortMonths"]) == 12
    assert "locale" not in plotly_config("en")
