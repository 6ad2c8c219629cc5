"""AppTest smoke test: every page runs headless without an exception, and says something."""

import html
import logging
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP_PAGES, ROOT

PAGES = APP_PAGES


class _Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def deprecations_are_errors():
    """Streamlit logs a deprecated call through streamlit.deprecation_util; any is a failure."""
    recorder = _Recorder()
    logger = logging.getLogger("streamlit.deprecation_util")
    logger.addHandler(recorder)
    yield
    logger.removeHandler(recorder)
    assert recorder.messages == []


def shown(markdown: str) -> str:
    """Text as the visitor reads it: without Markdown's backslash escapes and character
    references (the app escapes text from the data; the test runner reports the source)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown))


def run(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_runs(page):
    at = run(page)
    assert not at.exception
    assert at.title and at.title[0].value
    assert not at.warning, [w.value for w in at.warning]  # no data problems
    assert any("Data as of" in c.value for c in at.caption)


def test_map_page_search_selects_a_site():
    at = run()
    at.text_input(key="map_search").set_value("JASM").run()
    assert not at.exception
    assert at.radio, "search results are listed"
    assert any("JASM" in h.value for h in at.subheader)


def test_bad_language_falls_back_with_notice():
    at = run(lang="xx")
    assert not at.exception
    assert any("lang" in i.value for i in at.info)
    assert at.title[0].value == "Taiwan–Japan–Vietnam technology clusters"


def test_language_from_url():
    at = run(lang="ja")
    assert at.session_state["lang"] == "ja"


def test_map_without_vendor_files_says_which_command_to_run(monkeypatch):
    from components import cached
    from tjv_clusters import assets

    monkeypatch.setattr(assets, "ensure", lambda *a: "FileNotFoundError: leaflet.js")
    cached.ensure_assets.clear()
    try:
        at = run()
        assert not at.exception
        assert any("make assets" in e.value for e in at.error)
    finally:
        cached.ensure_assets.clear()


def test_about_shows_the_dataset_version_and_changelog(dataset):
    at = run("views/about.py")
    version, released = dataset.release
    assert version and any(f"Version {version}" in m.value for m in at.markdown)
    assert any("Dataset version" in s.value for s in at.subheader)


def test_an_unknown_parameter_is_never_echoed():
    at = run(**{"Official notice: call 555-0100": "1", "lang": "xx"})
    assert not at.exception
    notices = [i.value for i in at.info]
    assert any("unknown link parameter" in n for n in notices)
    assert any("lang" in n for n in notices)  # our own parameter may be named
    assert not any("555" in n or "Official" in n for n in notices)


def test_a_place_id_on_another_page_gets_a_notice():
    at = run(id="JP-43")  # the map page has no use for a place id
    assert not at.exception
    assert any("id" in i.value and "Ignored" in i.value for i in at.info)


def test_changes_page_lists_the_newest_version_and_names_a_bad_since(dataset):
    at = run("views/changes.py", since="not-a-version", lang="vi")
    assert not at.exception
    assert "since" not in at.query_params  # dropped (with a notice on the first page)
    previous = dataset.releases[1][0]
    assert at.selectbox(key="w_since").value == previous  # the newest version's changes
    assert any(m.value.startswith(f"Kể từ {previous}:") for m in at.markdown)
    shown = at.dataframe[0].value
    assert len(shown) == (dataset.changes["version"] == dataset.releases[0][0]).sum()
    at.selectbox(key="changes-pick").select_index(0).run()
    details = [m.value for m in at.markdown if "](http" in m.value]
    assert details, "the picked record lists its sources as links"


def test_compare_page_shows_a_column_a_region_in_the_language():
    at = run("views/compare.py", regions="JP-43,TW-KHH", lang="zh_TW")
    assert not at.exception
    assert [shown(s.value) for s in at.subheader][:2] == ["熊本縣 (JP-43)", "高雄市 (TW-KHH)"]
    assert len(at.get("plotly_chart")) == 2
    # only /compare keeps the regions in its link
    at.switch_page("views/about.py").run()
    assert "regions" not in at.query_params and at.query_params["lang"] == "zh_TW"


def _render_alone(page: str, ctx) -> None:
    """A page as a test runs it: without app.py, from a context of its own (the pages are
    registered, not run, so that its links to other pages resolve)."""
    import importlib

    import streamlit as st

    from components.navigation import app_pages

    st.navigation(app_pages(ctx.lang), position="hidden")
    importlib.import_module(f"views.{page}").render(ctx)


TITLES = {"cluster_map": "app.title", "ic_output": "ic.title", "timeline": "timeline.title",
          "flows": "flows.title", "compare": "compare.title", "changes": "changes.title",
          "data": "data.title", "about": "about.title"}


@pytest.mark.parametrize("page", [Path(p).stem for p in PAGES])
def test_every_page_renders_alone_from_an_explicit_context(page, dataset):
    """No session key set by app.py: the page reads only the context it is given."""
    from components.state import PageContext
    from tjv_clusters.filters import Filters
    from tjv_clusters.i18n import t

    ctx = PageContext(lang="ja", filters=Filters(countries=("TW",)), place="TW-KHH",
                      regions=("JP-43", "TW-KHH"), selection=("region", "TW-HSQ"))
    at = AppTest.from_function(_render_alone, args=(page, ctx), default_timeout=60).run()
    assert not at.exception, at.exception
    title = "高雄市 (TW-KHH)" if page == "places" else t("ja", TITLES[page])
    assert shown(at.title[0].value) == title
    if page == "data":  # the context's filters, not the sidebar's defaults
        assert set(at.dataframe[0].value["country"]) == {"TW"}
        assert at.caption[0].value == f"{len(at.dataframe[0].value)} 件"  # records shown
    if page == "compare":
        assert [shown(s.value) for s in at.subheader][:2] == ["熊本県 (JP-43)", "高雄市 (TW-KHH)"]
    if page == "cluster_map":  # the selected region's details, in Japanese
        assert any("新竹" in s.value for s in at.subheader)


def test_data_text_shown_as_written_in_markdown():
    """No formatting, image or link made of a record's text; the characters stay."""
    from components.markdown import md_escape

    text = ("**b** ![i](http://zqx.invalid/i.png) see https://zqx.invalid/a or www.zqx.invalid"
            " :red[x] :material/warning: :smile:")
    assert md_escape(text) == (
        r"\*\*b\*\* \!\[i\]\(http&#58;//zqx\.invalid/i\.png\) see https&#58;//zqx\.invalid/a"
        r" or www&#46;zqx\.invalid &#58;red\[x\] &#58;material/warning&#58; &#58;smile&#58;")
    assert shown(md_escape(text)) == text


def test_changelog_images_are_shown_as_their_alt_text(dataset):
    import dataclasses

    ds = dataclasses.replace(dataset, changelog=(
        "# Changelog\n\n## 9.9.9 — 2030-01-01\n\n- ![a chart](https://zqx.invalid/c.png)"
        " and ![logo][l]\n"))
    assert ds.changelog_entries == "## 9.9.9 — 2030-01-01\n\n- a chart and logo\n"
