"""The app served under a sub-path (`server.baseUrlPath`) behind the nginx example, as an
agency serves it at https://agency.example/dashboard/: every internal link keeps the path,
the language and the filters, and leads to a page that works."""

import re
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import OfflinePage
from tests.e2e.test_browser import TIMEOUT, follow_nav, wait_for_address
from tests.live_server import live_server, nginx_proxy

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def subpath_app():
    with live_server(base_url_path="dashboard") as app, \
            nginx_proxy([urlparse(app).netloc], base_url_path="dashboard") as proxy:
        yield f"{proxy}/dashboard"


def _ready(page):
    expect(page.locator('[data-testid="stAppViewContainer"]')).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".st-key-footer")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_every_internal_link_works_under_a_sub_path(browser, subpath_app, worker_tab):
    root = re.sub(r"/dashboard$", "", subpath_app)
    op = OfflinePage(browser, subpath_app, tab=worker_tab.get())
    page = op.page
    try:
        page.goto(f"{subpath_app}/places?id=JP-43&lang=ja&country=JP,TW")
        _ready(page)
        expect(page.locator("h1, h2").first).to_contain_text("熊本", timeout=TIMEOUT)
        # the neighbouring prefectures: links that keep the path, the language and filters
        neighbours = page.locator(".st-key-neighbours a")
        expect(neighbours.nth(2)).to_be_visible(timeout=TIMEOUT)  # Fukuoka, Oita, Miyazaki…
        hrefs = [urljoin(page.url, neighbours.nth(i).get_attribute("href"))
                 for i in range(neighbours.count())]
        assert len(hrefs) >= 3  # Fukuoka, Oita, Miyazaki, Kagoshima
        for href in hrefs:
            assert urlparse(href).path == "/dashboard/places", href
            query = parse_qs(urlparse(href).query)
            assert query["lang"] == ["ja"] and query["country"] == ["JP,TW"], href
            assert query["id"][0].startswith("JP-"), href
        first = re.search(r"id=(JP-\d+)", hrefs[0]).group(1)
        name = neighbours.first.inner_text()
        neighbours.first.click()  # in the same tab, as a visitor expects
        address = wait_for_address(page, rf"/dashboard/places\?.*id={first}")
        expect(page.locator("h1").first).to_contain_text(name, timeout=TIMEOUT)
        assert "lang=ja" in address and len(op.context.pages) == 1
        _ready(page)
        # the page list: every page opens under the sub-path
        nav = page.locator('[data-testid="stSidebarNav"] a')
        expect(nav.first).to_be_visible(timeout=TIMEOUT)
        pages = [nav.nth(i).get_attribute("href") for i in range(nav.count())]
        assert len(pages) == 9
        for href in pages:
            assert href.startswith(f"{root}/dashboard"), href
        for href in pages[1:] + pages[:1]:  # each in turn, the map last, in one session
            follow_nav(page, urlparse(href).path)
            _ready(page)
            assert "lang=ja" in page.evaluate("location.search"), href
        assert op.external == []
    finally:
        op.close()
