"""Shared fixtures: the real dataset, a throw-away copy of data/, and a live app server
with a Chromium page that refuses (and records) every request off the app's host."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from components.navigation import PAGES
from tests.live_server import live_server
from tjv_clusters.dataset import Dataset, read_dataset

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
CHROMIUM = "/usr/bin/chromium"
# Chromium never sends a loopback request to a proxy; every other host goes to this one,
# which does not exist: the browser itself cannot leave the machine.
BLOCK_OTHER_HOSTS = ["--proxy-server=http://127.0.0.1:9"]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-features=Translate,OptimizationHints,MediaRouter", *BLOCK_OTHER_HOSTS,
]


# every page of the app (app.py's st.navigation), for the tests that visit them all
APP_PAGES = [file for file, *_ in PAGES]


# The longest tests first, and the browser tests before the quick ones; `make test` hands
# them to its workers a few at a time, in this order, so the workers finish together
# instead of one walking nine pages alone at the end of the run.
LONGEST = ("test_every_page.py", "test_subpath.py", "test_fuzz.py")
# Modules whose tests share an app of their own (a module-scoped fixture): each goes to one
# worker as a whole, so its app starts once, not once on each worker. (xdist's
# `--dist loadgroup` would do it from marks, but it cannot rename pytest 9.2's node ids.)
SHARED_APP_MODULES = ("tests/e2e/test_injection.py", "tests/e2e/test_changes.py")


def pytest_collection_modifyitems(items):
    def rank(item) -> tuple[int, bool]:
        name = item.path.name
        return (LONGEST.index(name) if name in LONGEST else len(LONGEST),
                item.get_closest_marker("browser") is None)

    items.sort(key=rank)  # stable: otherwise in the order collected


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Tests go to the workers one by one (a few queued each), except that a module of
    SHARED_APP_MODULES goes whole; `--no-loadscope-reorder` keeps the order above. Only
    for xdist's default `--dist load`: another mode asked for is left to xdist."""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedAppModules(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in SHARED_APP_MODULES else nodeid

    return SharedAppModules(config, log)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return read_dataset(DATA_DIR)


@pytest.fixture(scope="session")
def static_export(tmp_path_factory, dataset) -> Path:
    """One `make export` build of the real dataset, shared by the tests that read it (and,
    under pytest-xdist, by every worker of the run: the first one builds it). `make test`
    has just built the app's own copy (static/export/, from the same data and code) and
    names it in TJV_STATIC_EXPORT: the tests read that one instead of building another."""
    from tjv_clusters import export

    prebuilt = os.environ.get("TJV_STATIC_EXPORT")
    if prebuilt:
        out = (ROOT / prebuilt).resolve()
        assert (out / "index.html").is_file(), f"TJV_STATIC_EXPORT={prebuilt}: no index.html"
        return out

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    out = shared / "export" / "dist"
    with open(shared / "export.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "export" / "built").exists():
            export.build(out, dataset)
            (shared / "export" / "built").touch()
    return out


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("_staging"))
    return target


@pytest.fixture(scope="session")
def app_server():
    with live_server() as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (make test does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class OfflinePage:
    """A page of a browser that cannot reach other hosts (CHROMIUM_ARGS), recording every
    request: to the app's host in `requests`, to any other in `external`.

    A page of its own context (a new visitor: empty cache and storage), unless given a
    `tab` to use: then only that tab's requests are recorded, from now until `close`,
    which leaves the tab blank and the app's cookies and storage cleared (see
    `worker_tab`).

    Requests are watched, not intercepted: routing each through Python to abort the
    others, as before, added about half a second to every Streamlit page (~120 requests)
    on an idle machine, and more under load."""

    def __init__(self, browser, base_url: str, tab=None, **context_args):
        self.base_url = base_url
        self.host = urlparse(base_url).netloc
        self.external: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []  # uncaught JavaScript errors
        self.tab = tab
        if tab is None:
            self.context = browser.new_context(
                **({"viewport": {"width": 1400, "height": 1000}} | context_args))
            self.context.on("request", self._record)
            self.page = self.context.new_page()
        else:
            self.context, self.page = tab.context, tab
            self.page.on("request", self._record)
        self.page.on("pageerror", self._error)

    def _record(self, request):
        url = request.url
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about") or parsed.netloc == self.host:
            self.requests.append(url)
        else:
            self.external.append(url)

    def _error(self, error):
        self.errors.append(str(error))

    def close(self):
        if self.tab is None:
            self.context.close()
            return
        try:
            for other in self.context.pages:  # a tab the test opened (a link's new tab)
                if other != self.page:
                    other.close()
            self.page.remove_listener("pageerror", self._error)
            self.page.goto("about:blank")
            self.page.remove_listener("request", self._record)
            self.context.clear_cookies()
            origin = urlparse(self.base_url)
            if origin.scheme in ("http", "https"):  # a file:// page has no origin to clear
                cdp = self.context.new_cdp_session(self.page)
                cdp.send("Storage.clearDataForOrigin", {
                    "origin": f"{origin.scheme}://{origin.netloc}",
                    "storageTypes": SITE_STORAGE})
                cdp.detach()
        except Exception:
            self.page.close()  # a tab left in a state we cannot undo: the next test gets a new one
            raise


# what a browser keeps for a site, except its HTTP cache
SITE_STORAGE = ("cookies,local_storage,indexeddb,service_workers,cache_storage,file_systems,"
                "websql,shared_storage,storage_buckets")


@pytest.fixture(scope="session")
def worker_tab(browser):
    """One tab per test worker that the `offline_page` tests take turns in, as a visitor
    who comes back: Chromium keeps the tab's renderer and the app's files in its cache,
    which made ten page loads cost 28-38 CPU-s instead of 50-55 (each in a new context).
    Between tests the tab is left blank and the app's cookies and storage are cleared.
    The static copy's pages take turns in it too (they keep nothing in the browser). The
    first-visit tests (every page in each language, a link opened in a new browser,
    embeds) make their own contexts."""
    tab = WorkerTab(browser)
    yield tab
    tab.context.close()


class WorkerTab:
    """A worker's tab (`worker_tab`), opened again if a test had to close it."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()

    def get(self):
        if self.page.is_closed():
            self.page = self.context.new_page()
        return self.page


@pytest.fixture()
def offline_page(browser, app_server, worker_tab):
    op = OfflinePage(browser, app_server, tab=worker_tab.get())
    yield op
    op.close()
