"""Real Chromium against a live server, every request off the app's host blocked."""

import os
import re
from importlib import resources

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.conftest import ROOT, OfflinePage
from tjv_clusters import relations, url_state, vocab
from tjv_clusters.filters import Filters, filter_flows

# axe-core, as shipped by the PyPI package axe-playwright-python (no network, no npm)
AXE_JS = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")

pytestmark = pytest.mark.browser
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT = 30_000
# index of a fab marker drawn well inside the map's viewport, or -1
FAB_IN_VIEW = """(() => {
    const c = document.querySelector('.leaflet-container').getBoundingClientRect();
    return [...document.querySelectorAll('.tjv-fab')].findIndex(m => {
        const r = m.getBoundingClientRect();
        return r.left > c.left + 20 && r.right < c.right - 20
            && r.top > c.top + 20 && r.bottom < c.bottom - 20;
    });
})()"""


def open_page(op, path: str = "/"):
    op.page.goto(op.base_url + path)
    expect(op.page.locator('[data-testid="stAppViewContainer"]')).to_be_visible(timeout=TIMEOUT)
    expect(op.page.locator(".st-key-footer")).to_be_visible(timeout=TIMEOUT)


def wait_for_address(page, pattern: str) -> str:
    """Until the address bar matches `pattern` (a regular expression), read in the page:
    Playwright's page.url can stay one step behind Streamlit's history.pushState, so
    wait_for_url may never see the last one. Returns the address."""
    page.wait_for_function("p => new RegExp(p).test(location.href)", arg=pattern,
                           timeout=TIMEOUT)
    return page.evaluate("location.href")


def follow_nav(page, path: str) -> None:
    """Open another page from the sidebar's page list as a visitor does (on a phone, the
    menu first): the app reruns in the same session, without reloading. Returns once the
    address bar shows the page and its run has finished."""
    menu = page.locator('[data-testid="stExpandSidebarButton"]')
    if menu.is_visible():  # a phone folds the sidebar away
        menu.click()
    page.locator(f'[data-testid="stSidebarNav"] a[href$="{path}"]').click()
    page.wait_for_function("p => location.pathname.endsWith(p)", arg=path, timeout=TIMEOUT)
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=TIMEOUT)


def map_frame(op):
    frame = op.page.frame_locator(MAP_IFRAME)
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=TIMEOUT)
    expect(frame.locator(".tjv-legend")).to_be_visible(timeout=TIMEOUT)
    return frame


def leaflet_counts(op) -> dict:
    frame = next(f for f in op.page.frames if "streamlit_folium" in f.url)
    return frame.evaluate("""() => {
        let regions = 0, sites = 0;
        window.map.eachLayer(l => {
            if (l.feature && l.feature.properties.layer === 'region') regions += 1;
            if (l instanceof L.MarkerClusterGroup) sites += l.getLayers().length;
        });
        const clustered = [...document.querySelectorAll('.marker-cluster span')]
            .reduce((n, s) => n + parseInt(s.textContent, 10), 0);
        const single = document.querySelectorAll('.tjv-marker').length;
        return {regions, sites, shown: clustered + single};
    }""")


PAGES = ["/", "/ic-output", "/timeline", "/flows", "/places?id=JP-43",
         "/compare?regions=JP-43,TW-KHH", "/changes", "/data",
         "/about"]


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's serious and critical findings on the page and inside its frames."""
    for frame in page.frames:  # once per document: the page list keeps the main one
        if not frame.evaluate("() => typeof window.axe === 'object'"):
            frame.evaluate(AXE_JS)
    results = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                         'wcag22aa', 'best-practice']},
        resultTypes: ['violations']})""")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
            for v in results["violations"] if v["impact"] in impacts]


def test_map_shows_all_regions_and_markers(offline_page, dataset):
    open_page(offline_page)
    map_frame(offline_page)
    counts = leaflet_counts(offline_page)
    assert counts == {"regions": 103, "sites": len(dataset.sites), "shown": len(dataset.sites)}
    # the README's screenshot: refreshed by `make screenshot`, else kept out of the tree
    target = ROOT / ("docs" if os.environ.get("UPDATE_DOCS") else "test-results") / "map.png"
    target.parent.mkdir(exist_ok=True)
    offline_page.page.screenshot(path=str(target))
    assert offline_page.external == []


def wait_for_markers(page, n: int) -> None:
    """Until the map's marker layer holds n sites (drawn or clustered). While the year
    moves, the map's frame is redrawn: until it holds a map again, not yet."""
    page.wait_for_function("""n => {
        const f = [...document.querySelectorAll('iframe')]
            .find(f => f.src.includes('streamlit_folium'));
        if (!f || !f.contentWindow || !f.contentWindow.map || !f.contentWindow.L) return false;
        let count = 0;
        f.contentWindow.map.eachLayer(l => {
            if (l instanceof f.contentWindow.L.MarkerClusterGroup) count += l.getLayers().length;
        });
        return count === n;
    }""", arg=n, timeout=TIMEOUT)


def test_asof_shows_the_clusters_of_that_year_and_play_advances_it(offline_page, dataset):
    """`asof=2000`: the sites opened by then (and the undated, counted in a note); Play
    steps the year on, about one a second, and the map follows."""
    from tjv_clusters.filters import Filters, filter_sites

    page = offline_page.page
    open_page(offline_page, "/?asof=2000")
    map_frame(offline_page)
    then = filter_sites(dataset.sites, Filters(as_of=2000))
    assert 0 < len(then) < len(dataset.sites)
    wait_for_markers(page, len(then))
    undated = int(then["opened"].isna().sum())
    expect(page.get_by_text(f"{undated} of the places shown have no opening date")
           ).to_be_visible()
    page.get_by_role("button", name="Play the years").click()
    wait_for_address(page, r"asof=200[2-9]")
    page.get_by_role("button", name="Pause").click()
    year = int(re.search(r"asof=(\d{4})", page.evaluate("location.href")).group(1))
    page.wait_for_timeout(2500)  # paused: the year stays
    address = page.evaluate("location.href")
    assert f"asof={year}" in address or f"asof={year + 1}" in address
    later = filter_sites(dataset.sites, Filters(as_of=int(re.search(
        r"asof=(\d{4})", address).group(1))))
    wait_for_markers(page, len(later))
    assert len(later) >= len(then)
    assert offline_page.external == []


def test_a_keyboard_reaches_search_in_five_tabs_and_the_map_is_one_stop(offline_page):
    """The skip link, then the search box; the map is one tab stop (it pans with the
    arrow keys), not hundreds of shapes and markers."""
    page = offline_page.page
    open_page(offline_page)
    map_frame(offline_page)
    focused = "() => document.activeElement.getAttribute('aria-label') || " \
              "document.activeElement.innerText || ''"
    page.keyboard.press("Tab")
    assert "Skip to main content" in page.evaluate(focused)
    page.keyboard.press("Enter")
    for _tab in range(2, 6):  # the skip link was the first
        page.keyboard.press("Tab")
        if page.evaluate(focused).startswith("Search places"):
            break
    else:
        raise AssertionError(f"search not reached in 5 Tabs: {page.evaluate(focused)!r}")
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    stops = frame.evaluate("""() => [...document.querySelectorAll(
        'a[href], button, input, select, textarea, [tabindex]')]
        .filter(el => el.tabIndex >= 0 && !el.disabled).map(el => el.className.baseVal
                                                              ?? el.className)""")
    # the map itself, its zoom buttons and the legend's toggle: no shape, no marker
    assert len(stops) <= 5, stops
    assert not [s for s in stops if "leaflet-interactive" in s or "marker" in s]
    container = frame.locator(".leaflet-container")
    assert "arrow keys" in container.get_attribute("aria-label")


def test_search_then_click_a_site_shows_details_and_sources(offline_page, dataset):
    page = offline_page.page
    open_page(offline_page)
    frame = map_frame(offline_page)
    search = page.get_by_label(re.compile("Search places"))
    search.fill("JASM")
    search.press("Enter")
    details = page.locator(".st-key-details h3", has_text="JASM")
    expect(details.first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Sources", exact=True)).to_be_visible()
    assert page.locator('[data-testid="stMarkdownContainer"] a[href^="http"]').count() > 0

    # the map is now focused on Kikuyo with clustering off: click a fab marker in view
    component = next(f for f in page.frames if "streamlit_folium" in f.url)
    component.wait_for_function(f"() => ({FAB_IN_VIEW}) >= 0", timeout=TIMEOUT)
    frame.locator(".tjv-fab").nth(component.evaluate(f"() => {FAB_IN_VIEW}")).click()
    names = set(dataset.sites["name_en"])
    heading = page.locator(".st-key-details h3").first
    expect(heading).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    assert heading.inner_text().strip() in names
    assert offline_page.external == []


def test_click_a_region_lists_its_places(offline_page):
    page = offline_page.page
    open_page(offline_page)
    frame = map_frame(offline_page)
    search = page.get_by_label(re.compile("Search places"))
    search.fill("Kumamoto")
    search.press("Enter")
    expect(page.locator(".st-key-details h3", has_text="JP-43").first).to_be_visible(
        timeout=TIMEOUT)
    box = frame.locator(".leaflet-container").bounding_box()
    # a point off-centre, clear of the markers around the focus
    frame.locator(".leaflet-container").click(position={"x": box["width"] * 0.5 + 60,
                                                         "y": box["height"] * 0.5 + 90})
    heading = page.locator(".st-key-details h3").first
    expect(heading).to_have_text(re.compile(r"\((JP|TW|VN)-\w+\)"), timeout=TIMEOUT)
    expect(page.get_by_text(re.compile("Places here"))).to_be_visible()
    code = re.search(r"\(((?:JP|TW|VN)-\w+)\)", heading.inner_text()).group(1)

    # from the clicked region to its place profile
    page.get_by_text("Open the place profile").click()
    expect(page).to_have_url(re.compile(rf"/places\?(.*&)?id={code}(&|$)"), timeout=TIMEOUT)
    expect(page.locator("h1", has_text=code)).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".st-key-place-profile")).to_contain_text("Places here")
    assert offline_page.external == []


PLOTTED = """() => [...document.querySelectorAll('.js-plotly-plot')].map(
    d => d.data.reduce((n, t) => n + (t.y || []).filter(v => v !== null).length, 0))"""


def expected_points(dataset, countries):
    from tjv_clusters import charts
    return [len(charts.panel_rows(dataset.indicators, p)) for p in charts.IC_PANELS
            if set(p.countries) & set(countries)]


def test_ic_output_plots_the_data_and_follows_filters(offline_page, dataset):
    page = offline_page.page
    open_page(offline_page, "/ic-output")
    want = expected_points(dataset, ("JP", "TW", "VN"))
    page.wait_for_function(f"() => ({PLOTTED})().length === {len(want)}", timeout=TIMEOUT)
    assert page.evaluate(PLOTTED) == want
    expect(page.get_by_text("Kyushu IC production value (calendar year): 1312.6 JPY bn in 2024")
           ).to_be_visible()

    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Remove Japan").click()
    want = expected_points(dataset, ("TW", "VN"))
    page.wait_for_function(f"() => ({PLOTTED})().length === {len(want)}", timeout=TIMEOUT)
    assert page.evaluate(PLOTTED) == want
    assert offline_page.external == []


def pick(page, label: str, text: str):
    box = page.locator('[data-testid="stSelectbox"]', has_text=label)
    # a click while the script is still running can land on a widget about to be replaced
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=TIMEOUT)
    # typing before the input has focus is lost; the options appear as one types. A click
    # that lands while the page reruns can be lost too: click again, a few times at most.
    # Typing into a box that a rerun redraws is lost as well: then close it and type again.
    field = page.get_by_role("combobox", name=label).or_(
        page.get_by_label(re.compile(re.escape(label))))
    option = page.get_by_role("option", name=re.compile(re.escape(text))).first
    for attempt in range(3):
        try:
            box.click()
            expect(field).to_be_focused(timeout=TIMEOUT // 3)
            page.keyboard.press("Control+A")  # replace what an earlier attempt typed
            page.keyboard.type(text)
            expect(option).to_be_visible(timeout=TIMEOUT // 3)
            break
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    page.keyboard.press("Enter")


def test_select_a_timeline_item_shows_parties_map_and_sources(offline_page):
    page = offline_page.page
    open_page(offline_page, "/timeline")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=TIMEOUT)
    pick(page, "Select an agreement", "Osaka")
    details = page.locator(".st-key-event-details")
    expect(details).to_contain_text("Osaka", timeout=TIMEOUT)
    expect(details).to_contain_text("Oct 3, 2019")  # the date in the language's own form
    expect(details.locator('a[href^="http"]').first).to_be_visible()
    expect(details.locator('iframe[title="streamlit_folium.st_folium"]')).to_be_visible()
    # the parties' places drawn on it
    expect(details.frame_locator(MAP_IFRAME).locator(".leaflet-interactive").first
           ).to_be_attached(timeout=TIMEOUT)
    assert offline_page.external == []


# the lines a Leaflet map draws that are not areas (a mini map's arcs)
ARCS_DRAWN = """() => { let n = 0; window.map.eachLayer(l => {
    if (l instanceof L.Polyline && !(l instanceof L.Polygon)) n += 1; }); return n; }"""


def test_select_a_flow_shows_amount_basis_and_sources(offline_page, dataset):
    page = offline_page.page
    open_page(offline_page, "/flows")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=TIMEOUT)
    # the flow map: an arc for each flow with a sourced USD amount, every year shown
    first, last = url_state.year_bounds(dataset)
    every = Filters(countries=vocab.COUNTRIES, year_from=first, year_to=last)
    arcs = relations.flow_arcs(dataset, relations.flow_table(
        dataset, filter_flows(dataset.flows, dataset.organisations, every)))
    assert len(arcs) >= 10
    expect(page.frame_locator(MAP_IFRAME).locator(".leaflet-interactive").first).to_be_attached(
        timeout=TIMEOUT)
    flow_map = next(f for f in page.frames if "streamlit_folium" in f.url)
    assert flow_map.evaluate(ARCS_DRAWN) == len(arcs)
    pick(page, "Select a flow", "Rapidus")
    details = page.locator(".st-key-flow-details")
    expect(details).to_contain_text("JPY", timeout=TIMEOUT)
    expect(details.locator('a[href^="http"]').first).to_be_visible()
    assert offline_page.external == []


def largest_shared_point(dataset):
    """The point shared by the most sites, and those sites."""
    groups = dataset.sites.groupby([dataset.sites["lat"].round(6), dataset.sites["lon"].round(6)])
    (lat, lon), group = max(groups, key=lambda kv: len(kv[1]))
    return lat, lon, group


def test_sites_on_one_point_fan_out_when_clicked(offline_page, dataset):
    """At the deepest zoom, a click on a group of coincident markers spreads them out, and
    each opens its own details, which say how precise its point is."""
    lat, lon, group = largest_shared_point(dataset)
    assert len(group) >= 2
    page = offline_page.page
    open_page(offline_page, f"/?view={lat:.3f},{lon:.3f},13&layers=manufacturing,knowledge,"
                            "trade,zones")
    frame = map_frame(offline_page)
    component = next(f for f in page.frames if "streamlit_folium" in f.url)
    # the shared link's view is the one shown (an animated first fit used to undo it)
    component.wait_for_function("() => window.map && window.map.getZoom() === 13",
                                timeout=TIMEOUT)
    centre = component.evaluate("() => window.map.getCenter()")
    assert (round(centre["lat"], 3), round(centre["lng"], 3)) == (round(lat, 3), round(lon, 3))
    # the cluster sitting on the shared point (the map is centred on it)
    centre_cluster = """(() => {
        const c = document.querySelector('.leaflet-container').getBoundingClientRect();
        const cx = c.left + c.width / 2, cy = c.top + c.height / 2;
        const near = [...document.querySelectorAll('.marker-cluster')].map(el => {
            const r = el.getBoundingClientRect();
            return [Math.hypot(r.left + r.width / 2 - cx, r.top + r.height / 2 - cy), el];
        }).sort((a, b) => a[0] - b[0]);
        if (!near.length || near[0][0] >= 30) return 0;
        near[0][1].setAttribute('data-centre', 'yes');
        return parseInt(near[0][1].textContent, 10);
    })()"""
    component.wait_for_function(f"() => {centre_cluster} >= {len(group)}", timeout=TIMEOUT)
    # spiderfied: every marker of the group is drawn on its own, with a leg to the point.
    # In the first second or so after the map is drawn, markercluster ignores a click on
    # a cluster (no zoom, no fan-out); a visitor clicks again, and so does the test.
    fanned = f"() => document.querySelectorAll('.tjv-marker').length >= {len(group)}"
    for _attempt in range(5):
        frame.locator(".marker-cluster[data-centre=yes]").click()
        try:
            component.wait_for_function(fanned, timeout=3000)
            break
        except PlaywrightTimeout:
            continue
    component.wait_for_function(fanned, timeout=TIMEOUT)
    assert component.evaluate("() => document.querySelectorAll('.leaflet-marker-icon"
                              ".tjv-marker').length") >= len(group)
    names = set(dataset.sites["name_en"])
    heading = page.locator(".st-key-details h3").first
    # the fan-out animates: on a busy machine a click can land where a marker was a
    # moment ago (on the map, not the marker); a visitor clicks again, and so does the test
    for _attempt in range(4):
        page.wait_for_timeout(500)
        frame.locator(".tjv-marker").last.click()
        try:
            expect(heading).to_be_visible(timeout=8000)
            break
        except AssertionError:
            continue
    expect(heading).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(1000)
    assert heading.inner_text().strip() in names
    expect(page.locator(".st-key-details")).to_contain_text(
        re.compile(r"approximate: centre of|street address from a cited source|location of "
                   r"(the facility|its park)"))
    assert offline_page.external == []


def test_download_a_briefing_of_the_view(offline_page):
    """From the sidebar: the view as a PDF, in Japanese, with its filters, at least five
    numbered citations with URLs, the link that reopens it and a QR code."""
    import unicodedata

    from pypdf import PdfReader

    page = offline_page.page
    open_page(offline_page, "/?lang=ja&country=JP,TW&kind=fab")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("button", name=re.compile("ブリーフィング（PDF）")).click()
    download_button = sidebar.get_by_role("button", name=re.compile("ダウンロード"))
    expect(download_button).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        download_button.click()
    pdf = PdfReader(download.value.path())
    # NFKC: Chromium's PDF maps some CJK glyphs back to look-alike code points (the
    # Kangxi radical ⽇ for 日); a reader's search and copy normalise the same way
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pdf.pages))
    assert "クラスターマップ" in text.replace("\n", "") and "国: 日本, 台湾" in text
    assert re.search(r"https?://127\.0\.0\.1:\d+/\?lang=ja&country=JP,TW&kind=fab", text)
    assert text.count("https://") >= 5  # numbered citations, each with its URL
    assert sum(len(p.images) for p in pdf.pages) >= 1  # the QR code
    assert offline_page.external == []


def test_a_small_embed_folds_the_legend_and_fits_its_frame(browser, app_server):
    """A 320 × 400 iframe of the live map: the legend starts folded (its title opens it),
    nothing scrolls sideways."""
    op = OfflinePage(browser, app_server, viewport={"width": 320, "height": 400})
    try:
        op.page.goto(app_server + "/?embed=true")
        frame = map_frame(op)
        expect(frame.locator("details.tjv-legend")).to_have_count(1)
        expect(frame.locator("details.tjv-legend[open]")).to_have_count(0)
        frame.locator("details.tjv-legend summary").click()
        expect(frame.locator("details.tjv-legend[open]")).to_have_count(1)
        assert op.page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert op.external == []
    finally:
        op.close()
