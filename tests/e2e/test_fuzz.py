"""The quick fuzz: generated links on every page give no traceback, no error box, never
show the link's own text, and name what they ignored (scripts/fuzz_urls.py runs 1,000)."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import fuzz_urls  # noqa: E402

pytestmark = pytest.mark.browser  # needs the live server


def test_generated_links_never_break_a_page(app_server):
    urls = fuzz_urls.generate(49, seed=11)
    assert {page for page, _ in urls} == set(fuzz_urls.PAGES)
    assert any(name.startswith(fuzz_urls.MARKER) for _, q in urls for name in q)
    ws_url = app_server.replace("http://", "ws://") + "/_stcore/stream"
    # a thread of its own: Playwright's sync API may already run an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(asyncio.run, fuzz_urls.run(ws_url, urls, concurrency=4)).result()
    failed = {r.url: r.failures for r in results if r.failures}
    assert failed == {}
