"""docs/nginx.conf in front of the app, with Debian nginx: the page works through the proxy
(websocket included), static files are cached, and only allow-listed sites may frame it."""

import urllib.request
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import OfflinePage
from tests.e2e.test_browser import TIMEOUT, leaflet_counts, map_frame, open_page
from tests.live_server import _free_port, nginx_proxy, serve_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def proxy_port():
    return _free_port()


@pytest.fixture(scope="module")
def host_sites(proxy_port):
    """Two agency pages on other origins that frame the proxied app; one is allow-listed."""
    page = (f'<iframe id="dash" src="http://127.0.0.1:{proxy_port}/?embed=true" '
            'width="800" height="600"></iframe>')
    sites = {name: serve_page(page) for name in ("allowed", "other")}
    yield {name: url for name, (url, _) in sites.items()}
    for _, server in sites.values():
        server.shutdown()


@pytest.fixture(scope="module")
def proxy(app_server, host_sites, proxy_port):
    with nginx_proxy([urlparse(app_server).netloc], proxy_port,
                     frame_ancestors=host_sites["allowed"]) as base:
        yield base


def test_the_app_works_through_the_proxy(browser, proxy, dataset, worker_tab):
    op = OfflinePage(browser, proxy, tab=worker_tab.get())
    try:
        open_page(op, "/")
        map_frame(op)
        assert leaflet_counts(op)["sites"] == len(dataset.sites)
        assert op.external == []
    finally:
        op.close()


def test_headers_cache_static_files_and_restrict_framing(proxy, host_sites):
    allowed = host_sites["allowed"]
    with urllib.request.urlopen(f"{proxy}/app/static/vendor/leaflet/leaflet.js") as r:
        assert r.status == 200
        assert "max-age=86400" in r.headers["Cache-Control"]
        assert r.headers["Content-Type"].startswith(("application/javascript", "text/javascript"))
        assert f"frame-ancestors 'self' {allowed}" in r.headers["Content-Security-Policy"]
    with urllib.request.urlopen(f"{proxy}/") as r:
        assert f"frame-ancestors 'self' {allowed}" in r.headers["Content-Security-Policy"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("which, frames", [("allowed", 1), ("other", 0)])
def test_only_allow_listed_sites_can_frame_it(browser, proxy, host_sites, which, frames):
    """Chromium enforces frame-ancestors: the allowed site shows the app, the other not."""
    op = OfflinePage(browser, proxy)
    host = host_sites[which]
    op.context.route(host + "/**", lambda r: r.continue_())
    try:
        op.page.goto(host + "/")
        app = op.page.frame_locator("#dash").locator('[data-testid="stAppViewContainer"]')
        if frames:
            expect(app).to_have_count(1, timeout=TIMEOUT)
        else:
            op.page.wait_for_timeout(3000)
            expect(app).to_have_count(0)
    finally:
        op.close()
