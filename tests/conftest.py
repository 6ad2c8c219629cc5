"""Shared fixtures: the real dataset, a throw-away copy of data/, and a live app server
with a Chromium page that refuses (and records) every request off the app's host."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from components.dataset import Dataset, read_dataset

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return read_dataset(DATA_DIR)


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("_staging"))
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_server():
    """Start `streamlit run app.py` on a free port; poll the health endpoint until ready."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            output = proc.stdout.read().decode() if proc.stdout else ""
            proc.kill()
            raise RuntimeError(f"streamlit did not start:\n{output}")
        time.sleep(0.3)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


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
    """A page whose requests to any host but the app's are aborted and recorded."""

    def __init__(self, browser, base_url: str, **context_args):
        self.base_url = base_url
        self.host = urlparse(base_url).netloc
        self.external: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                           **context_args)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    def _route(self, route):
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about") or parsed.netloc == self.host:
            self.requests.append(url)
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture()
def offline_page(browser, app_server):
    op = OfflinePage(browser, app_server)
    yield op
    op.close()
