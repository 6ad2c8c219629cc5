"""Links, embeds and languages, in real Chromium with third-party requests blocked."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, OfflinePage
from tests.e2e.test_browser import MAP_IFRAME, TIMEOUT, map_frame, open_page
from tests.live_server import serve_page
from tjv_clusters.i18n import catalogue

pytestmark = pytest.mark.browser
JASM = "fab-jasm-kumamoto-1"


def test_a_link_reopens_the_same_view_in_a_new_browser(browser, app_server, dataset):
    first = OfflinePage(browser, app_server)
    page = first.page
    open_page(first, f"/?lang=ja&country=JP&sel=site:{JASM}&layers=regions,manufacturing")
    name_ja = dataset.sites.set_index("site_id").at[JASM, "name_ja"]
    expect(page.locator(".st-key-details h3")).to_have_text(name_ja, timeout=TIMEOUT)
    map_frame(first)
    page.wait_for_timeout(1500)  # the map writes its centre and zoom into the URL
    link = page.url
    assert "lang=ja" in link and "country=JP" in link
    assert f"sel=site%3A{JASM}" in link or f"sel=site:{JASM}" in link
    first.close()

    second = OfflinePage(browser, app_server)  # a new context: no shared session or cookies
    page = second.page
    page.goto(link)
    expect(page.locator(".st-key-details h3")).to_have_text(name_ja, timeout=TIMEOUT)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text(catalogue("ja")["nav.map"])).to_be_visible()
    expect(sidebar.get_by_role("button", name="Remove 日本")).to_be_visible()
    expect(sidebar.get_by_role("button", name="Remove 台湾")).to_have_count(0)
    map_frame(second)
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    counts = frame.evaluate("""() => {
        let regions = 0, clusters = 0, cities = 0;
        window.map.eachLayer(l => {
            if (l.feature && l.feature.properties.layer === 'region') regions += 1;
            if (l.feature && l.feature.properties.layer === 'city') cities += 1;
            if (l instanceof L.MarkerClusterGroup) clusters += 1;
        });
        return {regions, clusters, cities};
    }""")
    assert counts == {"regions": 47, "clusters": 1, "cities": 0}
    assert second.external == []
    second.close()


# a pixel of the map where the given region's own shape is on top (no marker over it)
REGION_POINT = """(code) => {
    let target = null;
    window.map.eachLayer(l => { if (l.feature && l.feature.properties.id === code) target = l; });
    if (!target || !target._path) return null;
    const b = target._path.getBoundingClientRect();
    for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
        const x = b.left + b.width * i / 12, y = b.top + b.height * j / 12;
        if (document.elementFromPoint(x, y) === target._path) {
            const c = window.map.getContainer().getBoundingClientRect();
            return {x: x - c.left, y: y - c.top};
        }
    }
    return null;
}"""

HOST_PAGE = """<!doctype html><html><head><title>Agency site</title></head><body>
<h1>An agency page on another site</h1>
<iframe id="dash" src="{src}" style="width:100%;aspect-ratio:4/3;min-height:600px;border:0"
  title="clusters"></iframe></body></html>"""


@pytest.fixture()
def host_page(app_server):
    """A page on another origin and site (localhost vs 127.0.0.1) that embeds the app."""
    src = f"{app_server}/?embed=true&lang=en&country=JP,TW&layers=regions,manufacturing"
    url, server = serve_page(HOST_PAGE.format(src=src))
    yield url + "/"
    server.shutdown()


def test_embed_on_another_site_with_third_party_cookies_blocked(browser, host_page, app_server):
    args = [*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"]
    b = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    context = b.new_context(viewport={"width": 900, "height": 1000})
    allowed = {urlparse(app_server).netloc, urlparse(host_page).netloc}
    external = []

    def route(r):
        parsed = urlparse(r.request.url)
        if parsed.scheme in ("data", "blob", "about") or parsed.netloc in allowed:
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    try:
        context.route("**/*", route)
        page = context.new_page()
        page.goto(host_page)
        app = page.frame_locator("#dash")
        frame = app.frame_locator(MAP_IFRAME)
        expect(frame.locator(".tjv-legend")).to_be_visible(timeout=TIMEOUT)
        expect(app.get_by_text("Open the full dashboard")).to_be_visible()
        expect(app.locator('[data-testid="stSidebar"]')).to_have_count(0)
        expect(app.locator("h1")).to_have_count(0)  # chrome-less: no page title

        # it reacts to clicks: a click on Nagano's own shape shows its details
        component = next(f for f in page.frames if "streamlit_folium" in f.url)
        component.wait_for_function(f"(code) => ({REGION_POINT})(code) !== null", arg="JP-20",
                                    timeout=TIMEOUT)
        point = component.evaluate(REGION_POINT, "JP-20")
        frame.locator(".leaflet-container").click(position=point)
        expect(app.locator(".st-key-details h3")).to_have_text(
            re.compile(r"\(JP-20\)"), timeout=TIMEOUT)
        assert external == []
    finally:
        b.close()


MALFORMED = ["/?lang=<script>alert(1)</script>", "/?years=2030-1990&country=XX",
             "/?sel=site:../../etc", "/?view=nan,inf,99", "/ic-output?chart=%00&embed=maybe",
             "/timeline?layers=☃&kind=fab,,", "/places?id=<b>JP</b>", "/flows?sector=" + "a" * 3000,
             "/data?lang=ja,vi", "/about?unknown=%E2%80%AE"]


@pytest.mark.parametrize("path", MALFORMED)
def test_malformed_urls_in_the_browser(offline_page, path):
    """Each link a new page load and a new Streamlit session, in the worker's tab."""
    page = offline_page.page
    page.goto(offline_page.base_url + path)
    expect(page.locator(".st-key-footer")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.locator('[data-testid="stAlert"]').first).to_be_visible()  # the notice
    assert page.locator("script", has_text="alert(1)").count() == 0
    assert offline_page.external == []


def snippet_of(share, button: str) -> str:
    """Click one of the share box's buttons and read the snippet it writes. On a busy
    machine the box's script may not yet listen when its button is first shown, so a
    click that fills nothing is repeated."""
    out = share.locator("#out")
    for _ in range(5):
        share.locator(button).click()
        try:
            expect(out).to_have_value(re.compile("<iframe"), timeout=5_000)
            return out.input_value()
        except AssertionError:
            continue
    raise AssertionError(f"{button}: the share box wrote no snippet")


def test_embed_snippet_is_well_formed_html(offline_page):
    """The snippet an agency pastes: a quoted, escaped title and the view's own URL."""
    page = offline_page.page
    open_page(offline_page, "/?lang=ja&country=JP")
    share = page.frame_locator('[data-testid="stSidebar"] iframe').first
    snippet = snippet_of(share, "#embed")
    title = catalogue("ja")["app.title"]
    assert f'title="{title}"' in snippet
    src = re.search(r'<iframe src="([^"]+)"', snippet).group(1)
    assert "embed=true" in src and "lang=ja" in src and "country=JP" in src
    assert "&quot;" not in snippet


def test_static_embed_of_a_chart_page_needs_no_websocket(offline_page):
    """On /ic-output, 'Embed a static copy' gives the export's chart page for this view,
    served by the app itself; it draws without Streamlit's websocket."""
    page = offline_page.page
    open_page(offline_page, "/ic-output?lang=ja&country=JP")
    share = page.frame_locator('[data-testid="stSidebar"] iframe').first
    src = re.search(r'<iframe src="([^"]+)"', snippet_of(share, "#static")).group(1)
    expect(share.locator("#what")).to_contain_text("make export")
    assert "/app/static/export/ic-output.html?" in src
    assert "lang=ja" in src and "country=JP" in src and "embed=true" in src
    page.goto(src)
    expect(page.locator(".panel .main-svg").first).to_be_visible(timeout=TIMEOUT)
    assert not any("_stcore/stream" in url for url in offline_page.requests)
    assert offline_page.external == []
