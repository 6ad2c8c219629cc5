"""Every page as a visitor in Japanese, Chinese or Vietnamese reads it, one walk per
language: in that language (no English interface phrase left), offline (no request off
the app's host), accessible (axe-core, WCAG 2.2 AA) and, in Vietnamese, the longest of
the four, on a 360 px phone without sideways scrolling or charts squeezed or clipped.

The checks share the walks so that each page loads three times, not five: the English
pages are opened by every other browser test. Each walk opens the map and the two pages
that need a link's parameters from a link, and the others from the page list, in the
same session, as a visitor moves on."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import OfflinePage
from tests.e2e.test_browser import MAP_IFRAME, PAGES, TIMEOUT, axe_violations, follow_nav
from tjv_clusters.i18n import catalogue

pytestmark = pytest.mark.browser

DESKTOP = {}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
# language: how its visitor's browser is set up, and whether axe-core checks the pages
WALKS = {"ja": (DESKTOP, True), "zh_TW": (DESKTOP, False), "vi": (PHONE, True)}

# the Plotly toolbar's tooltips as plotly.js writes them in English
ENGLISH_TOOLBAR = {text for key, text in catalogue("en").items()
                   if key.startswith("chart.toolbar.")}
CHART_PAGES = ("/ic-output", "/timeline", "/flows", "/compare")
TOOLBAR_TITLES = "bs => bs.map(b => b.getAttribute('data-title'))"

ENGLISH_CHROME = ["Filters", "Country", "Sector", "Kind of place", "Years", "Copy link",
                  "Cluster map", "About & sources", "Data as of"]

# every chart drawn: each Streamlit chart element holds a laid-out Plotly figure and its
# toolbar (added just after the layout)
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(c => { const p = c.querySelector('.js-plotly-plot');
                  return p && p._fullLayout && p.querySelector('.modebar-btn'); })"""

# for each chart: its title, legend and axis titles that run past the chart's edge
CLIPPED = """() => {
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach((plot, i) => {
    const box = plot.getBoundingClientRect();
    plot.querySelectorAll('.gtitle, .legend, .g-xtitle, .g-ytitle').forEach(el => {
      const r = el.getBoundingClientRect();
      if (r.width && (r.right > box.right + 1 || r.left < box.left - 1))
        out.push(`${i}: ${el.getAttribute('class')} "${el.textContent.slice(0, 40)}"`);
    });
  });
  return out;
}"""

# charts whose plot area is under half their width (margins, legend or labels took it)
SQUEEZED = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .map(d => d._fullLayout).filter(l => l && l._size.w < 0.5 * l.width)
    .map(l => (l.title && l.title.text) || '?')"""


def english_phrases(lang: str) -> list[str]:
    """Every phrase of the English catalogue that the language says otherwise: the pieces
    between placeholders, of two words or more (single words can be proper names)."""
    english, local = catalogue("en"), catalogue(lang)
    phrases = set()
    for key, text in english.items():
        if local.get(key, text) == text:
            continue
        for piece in re.split(r"\{[^}]*\}", text):
            piece = piece.strip(" .,:;()–-")
            if " " in piece and len(piece) >= 12:
                phrases.add(piece)
    return sorted(phrases)


def english_left(page, lang: str) -> list[str]:
    """The English interface words and phrases on the page. Citations keep their titles
    as the publishers wrote them (often English), so their lines are not read."""
    words = catalogue(lang)
    visible = page.locator('[data-testid="stAppViewContainer"]').inner_text()
    leaks = [w for w in ENGLISH_CHROME if re.search(rf"\b{re.escape(w)}\b", visible)]
    qualities = tuple(f"({words[f'quality.{q}']})" for q in ("primary", "secondary", "tertiary"))
    prose = "\n".join(line for line in visible.splitlines()
                      if not line.strip().endswith(qualities))
    return leaks + [phrase for phrase in english_phrases(lang) if phrase in prose]


def phone_layout_faults(page) -> list[str]:
    faults = []
    if page.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 0:
        faults.append("the page scrolls sideways")
    faults += [f"clipped {c}" for c in page.evaluate(CLIPPED)]
    faults += [f"squeezed chart {title}" for title in page.evaluate(SQUEEZED)]
    return faults


@pytest.mark.parametrize("lang", list(WALKS))
def test_every_page_in_the_language_offline_accessible(browser, app_server, lang):
    device, run_axe = WALKS[lang]
    words = catalogue(lang)
    op = OfflinePage(browser, app_server, **device)
    page = op.page
    sidebar = page.locator('[data-testid="stSidebar"]')
    try:
        for path in PAGES:
            if path == "/" or "?" in path:  # a link into the app
                sep = "&" if "?" in path else "?"
                page.goto(f"{app_server}{path}{sep}lang={lang}")
            else:  # the page list, in the same session
                follow_nav(page, path)
                assert f"lang={lang}" in page.evaluate("location.search"), path
            footer = words["footer.as_of"].split("{")[0].strip()
            expect(page.get_by_text(footer).first).to_be_visible(timeout=TIMEOUT)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            for label in (words["sidebar.filters"], words["nav.map"]):
                item = expect(sidebar.get_by_text(label, exact=True))
                if device is DESKTOP:
                    item.to_be_visible()
                else:  # on a phone the sidebar starts folded away
                    item.to_be_attached()
            if path == "/" or path.startswith("/places"):  # Leaflet's own buttons, both maps
                zoom = page.frame_locator(MAP_IFRAME).first.locator(".leaflet-control-zoom-out")
                expect(zoom).to_have_attribute("title", words["map.zoom_out"], timeout=TIMEOUT)
            if path.startswith(CHART_PAGES):  # charts come after the page's first lines
                expect(page.locator(".modebar-btn").first).to_be_attached(timeout=TIMEOUT)
            page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT)
            toolbar = page.locator(".modebar-btn").evaluate_all(TOOLBAR_TITLES)
            assert ENGLISH_TOOLBAR.isdisjoint(toolbar), (lang, path, toolbar)
            if path.startswith(CHART_PAGES):
                assert words["chart.toolbar.download_png"] in toolbar, (lang, path)
            assert english_left(page, lang) == [], (lang, path)
            if device is PHONE:
                assert phone_layout_faults(page) == [], (lang, path)
            if run_axe:  # in the page and in every frame (map, share box)
                assert axe_violations(page) == [], (lang, path)
        page.wait_for_timeout(1000)  # late requests (fonts, metrics) would show here
        assert op.requests, "the pages loaded from the app's own host"
        assert op.external == []
    finally:
        op.close()
