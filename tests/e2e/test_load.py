"""Many visitors at once: sessions opened together all finish their page, without errors.

The figures (p50/p95, memory) come from `make bench-load`; this only guards correctness
under concurrency: the shared map (one build per view) must serve every session."""

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import bench_load  # noqa: E402

pytestmark = pytest.mark.browser  # needs the live server


@pytest.mark.parametrize("path", ["/", "/?lang=ja&country=JP&layers=regions,manufacturing",
                                  "/ic-output", "/places?id=JP-43"])
def test_ten_sessions_at_once_all_finish(app_server, path):
    ws_url = app_server.replace("http://", "ws://") + "/_stcore/stream"
    # a thread of its own: Playwright's sync API keeps an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(asyncio.run,
                             bench_load.burst([ws_url], path, 10, [app_server.pid])).result()
    assert result["errors"] == []
    assert len(result["times"]) == 10
