"""docs/nginx.conf in front of the app, with Debian nginx: the page works through the proxy
(websocket included), static files are cached, and only allow-listed sites may frame it."""

import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT, OfflinePage
from tests.e2e.test_browser import TIMEOUT, leaflet_counts, map_frame, open_page
from tests.live_server import _free_port, serve_page

pytestmark = pytest.mark.browser
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


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
def proxy(app_server, host_sites, proxy_port, tmp_path_factory):
    allowed = host_sites["allowed"]
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: run `make nginx` (make test does it)")
    tmp = tmp_path_factory.mktemp("nginx")
    port = proxy_port
    conf = (ROOT / "docs" / "nginx.conf").read_text()
    conf = conf.replace("server 127.0.0.1:8501;", f"server {urlparse(app_server).netloc};")
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    conf = re.sub(r"frame-ancestors 'self' [^\"]+", f"frame-ancestors 'self' {allowed}", conf)
    conf = conf.replace("http {", f"http {{\n    access_log {tmp}/access.log;\n"
                        f"    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;")
    (tmp / "nginx.conf").write_text(conf)
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g",
                             f"daemon off; pid {tmp}/nginx.pid; error_log {tmp}/error.log;"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(proc.stdout.read().decode() if proc.stdout else "") from None
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_the_app_works_through_the_proxy(browser, proxy, dataset):
    op = OfflinePage(browser, proxy)
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
