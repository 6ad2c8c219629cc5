"""`make export`: the static site opens from file:// and from a plain static HTTP server,
with every other host blocked, and does what the live app does for a visitor: markers by
filter, search, a click with its sources, the language switch, a chart page, embeds."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import OfflinePage
from tests.live_server import serve_directory
from tjv_clusters import charts, details, search, url_state
from tjv_clusters.filters import Filters, filter_agreements, filter_flows, filter_sites
from tjv_clusters.i18n import t

pytestmark = pytest.mark.browser
TIMEOUT = 20_000


@pytest.fixture(scope="module", params=["file", "http"])
def site_url(request, static_export):
    dist = static_export
    if request.param == "file":
        yield dist.as_uri()
        return
    url, server = serve_directory(dist)
    yield url
    server.shutdown()


@pytest.fixture()
def static_page(browser, site_url, worker_tab):
    """The static copy in the worker's tab (conftest.worker_tab); the embed test below
    opens it in a new context, as a first visit."""
    sp = OfflinePage(browser, site_url, tab=worker_tab.get())
    yield sp
    sp.close()


def shown_markers(page) -> int:
    """Sites drawn: the numbers on the clusters plus the single markers."""
    return page.evaluate("""() => [...document.querySelectorAll('.marker-cluster span')]
        .reduce((n, s) => n + parseInt(s.textContent, 10), 0)
        + document.querySelectorAll('.leaflet-marker-icon.tjv-marker').length""")


def test_map_search_details_and_language(static_page, dataset):
    page = static_page.page
    page.goto(f"{static_page.base_url}/index.html?lang=ja&country=JP")
    expected = len(filter_sites(dataset.sites, Filters(countries=("JP",))))
    counts = page.locator("#counts")
    expect(counts).to_contain_text(f"拠点 {expected} 件", timeout=TIMEOUT)
    page.wait_for_function("() => document.querySelectorAll('.tjv-marker, .marker-cluster')"
                           ".length > 0", timeout=TIMEOUT)
    assert shown_markers(page) == expected
    expect(page.locator("h1")).to_have_text(t("ja", "app.title"))
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute(
        "title", t("ja", "map.zoom_in"))

    # search: the same first hit as the live app's search, named in Japanese
    page.fill("#search", "JASM")
    first = search.search(search.build_index(dataset), "JASM")[0]
    expect(page.locator("#results button").first).to_have_text(first.names[1] or first.names[0])
    page.locator("#results button").nth(1).click()  # JASM's first fab
    details = page.locator("#details")
    expect(details.locator("h2")).to_have_text("JASM 熊本第1工場")
    expect(details).to_contain_text(t("ja", "details.sources"))
    assert details.locator('a[href^="http"]').count() >= 2
    assert "sel=site:fab-jasm-kumamoto-1" in page.url

    # filters: a kind unticked takes its markers off the map, and the count follows
    page.locator('#f-kind input[value="fab"]').uncheck()
    without_fabs = len(filter_sites(dataset.sites, Filters(
        countries=("JP",), kinds=tuple(k for k in Filters().kinds if k != "fab"))))
    expect(counts).to_contain_text(f"拠点 {without_fabs} 件")
    assert "kind=" in page.url and "fab," not in page.url.split("kind=")[1]

    # language switch: the same selection, now in Vietnamese
    page.select_option("#lang", "vi")
    expect(page.locator("h1")).to_have_text(t("vi", "app.title"))
    expect(details).to_contain_text(t("vi", "details.sources"))
    assert "lang=vi" in page.url
    assert static_page.errors == []
    assert static_page.external == []


def test_a_chart_page_in_each_language(static_page, dataset):
    page = static_page.page
    page.goto(f"{static_page.base_url}/ic-output.html?lang=zh-TW")
    expect(page.locator("h1")).to_have_text(t("zh_TW", "ic.title"), timeout=TIMEOUT)
    panels = [p for p in charts.IC_PANELS if not charts.panel_rows(dataset.indicators, p).empty]
    expect(page.locator(".panel")).to_have_count(len(panels))
    expect(page.locator(".panel .main-svg").first).to_be_visible(timeout=TIMEOUT)
    title = t("zh_TW", f"panel.{panels[0].panel_id}")
    expect(page.locator(".panel .gtitle").first).to_have_text(title)
    # Plotly's toolbar in the language too
    expect(page.locator(".panel .modebar-btn").first).to_have_attribute(
        "data-title", t("zh_TW", "chart.toolbar.download_png"))
    # one chart by URL, as an embed uses it
    page.goto(f"{static_page.base_url}/ic-output.html?lang=ja&chart={panels[0].panel_id}")
    expect(page.locator(".panel")).to_have_count(1, timeout=TIMEOUT)
    # the agreements: the figure, then every record; one opened shows its sources
    page.goto(f"{static_page.base_url}/timeline.html?lang=vi&country=JP")
    expect(page.locator("h1")).to_have_text(t("vi", "timeline.title"), timeout=TIMEOUT)
    expect(page.locator(".panel .main-svg").first).to_be_visible(timeout=TIMEOUT)
    # as the live page draws it for Japan (every kind, every year)
    first, last = url_state.year_bounds(dataset)
    japan = Filters(countries=("JP",), year_from=first, year_to=last)
    japanese = filter_agreements(dataset.agreements, dataset.organisations, japan)
    assert 0 < len(japanese) < len(dataset.agreements)
    expect(page.locator(".record")).to_have_count(len(japanese))
    page.locator(".record summary").first.click()
    expect(page.locator(".record[open] .sources a").first).to_be_visible()
    expect(page.locator("#nav-flows")).to_have_text(t("vi", "nav.flows"))
    page.locator("#nav-flows").click()
    expect(page.locator(".record")).to_have_count(
        len(filter_flows(dataset.flows, dataset.organisations, japan)), timeout=TIMEOUT)
    assert "lang=vi" in page.url and "flows.html" in page.url
    # the tables to download, and every source on the About page
    page.locator("#nav-data").click()
    expect(page.locator(".tables a")).to_have_count(11, timeout=TIMEOUT)
    with page.expect_download() as download:
        page.locator(".tables a").first.click()
    assert download.value.suggested_filename == "sites.csv"
    page.locator("#nav-about").click()
    expect(page.locator("#content .sources li")).to_have_count(len(dataset.sources),
                                                                timeout=TIMEOUT)
    expect(page.locator("h1")).to_have_text(t("vi", "about.title"))
    assert static_page.external == [] and static_page.errors == []


def test_a_place_profile_with_its_neighbours(static_page, dataset):
    page = static_page.page
    names = dataset.admin1.set_index("code")
    page.goto(f"{static_page.base_url}/places.html?lang=ja&country=JP&id=JP-43")
    expect(page.locator("h1")).to_have_text(f"{names.loc['JP-43', 'name_ja']} (JP-43)",
                                            timeout=TIMEOUT)
    profile = details.place_profile(dataset, "JP-43")
    shown = page.locator("#profile")
    expect(shown).to_contain_text(
        f"{t('ja', 'details.sites_here')} ({len(profile['sites'])})", timeout=TIMEOUT)
    expect(shown).to_contain_text(
        f"{t('ja', 'places.flows_in')} ({len(profile['flows_in'])})")
    expect(shown.locator(".sources a").first).to_be_visible()
    # the neighbours: links that keep the language and the filters
    near = page.locator("#neighbours a")
    expect(near).to_have_count(len(profile["neighbours"]))
    first = profile["neighbours"][0]
    href = near.first.get_attribute("href")
    assert "lang=ja" in href and "country=JP" in href and f"id={first}" in href
    near.first.click()
    expect(page.locator("h1")).to_have_text(f"{names.loc[first, 'name_ja']} ({first})",
                                            timeout=TIMEOUT)
    # any region from the picker; the language switch keeps it
    vietnamese = next(c for c in names.index if c.startswith("VN-"))
    page.select_option("#place", vietnamese)
    page.select_option("#lang", "vi")
    expect(page.locator("h1")).to_have_text(
        f"{names.loc[vietnamese, 'name_vi']} ({vietnamese})", timeout=TIMEOUT)
    assert f"id={vietnamese}" in page.url and "lang=vi" in page.url
    # a code that is no region: the default place, and the visitor is told
    page.goto(f"{static_page.base_url}/places.html?lang=en&id=XX-99")
    expect(page.locator("#notices")).to_contain_text(t("en", "notice.bad_param", name="id"),
                                                     timeout=TIMEOUT)
    expect(page.locator("h1")).to_contain_text("(JP-43)")
    assert static_page.external == [] and static_page.errors == []


def test_an_embed_fits_a_small_frame_and_bad_links_say_so(browser, site_url):
    sp = OfflinePage(browser, site_url, viewport={"width": 320, "height": 400})
    try:
        page = sp.page
        page.goto(f"{site_url}/index.html?embed=true&lang=en&country=VN,XX")
        expect(page.locator(".leaflet-container")).to_be_visible(timeout=TIMEOUT)
        expect(page.locator("#filters")).to_be_hidden()
        # the link to the full dashboard is inside the frame, and the legend starts folded
        link = page.locator("#open-full")
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["y"] + box["height"] <= 400
        assert page.locator("details.tjv-legend[open]").count() == 0
        assert "embed" not in link.get_attribute("href")
        # the unknown country is dropped and the visitor told so
        expect(page.locator("#notices")).to_contain_text("country")
        assert sp.external == [] and sp.errors == []
        # a name the app does not know gets the one general notice and is never shown;
        # a live-app parameter the static copy cannot show is named
        page.goto(f"{site_url}/index.html?embed=true&lang=en&zqx%3Cb%3E=1&wafer=300")
        notices = page.locator("#notices")
        expect(notices).to_contain_text(t("en", "notice.unknown_param"), timeout=TIMEOUT)
        expect(notices).to_contain_text(t("en", "notice.bad_param", name="wafer"))
        assert "zqx" not in page.locator("body").inner_text()
    finally:
        sp.close()


def test_a_live_link_with_asof_opens_the_same_year_in_the_static_copy(static_page, dataset):
    """The live app's `asof=2005`: the same places as the live map shows for that year,
    and the link keeps the year."""
    page = static_page.page
    page.goto(f"{static_page.base_url}/index.html?asof=2005&country=TW")
    expected = len(filter_sites(dataset.sites, Filters(countries=("TW",), as_of=2005)))
    assert expected < len(filter_sites(dataset.sites, Filters(countries=("TW",))))
    expect(page.locator("#counts")).to_contain_text(str(expected), timeout=TIMEOUT)
    page.wait_for_function("() => document.querySelectorAll('.tjv-marker, .marker-cluster')"
                           ".length > 0", timeout=TIMEOUT)
    assert shown_markers(page) == expected
    assert "asof=2005" in page.url
    assert static_page.external == []
