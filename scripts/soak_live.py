"""Does the live server hold up for a day of visitors? An accelerated soak, no browser.

A few clients that speak Streamlit's websocket protocol (`bench_load.one_session`) open
visitor after visitor, back to back, each a new session on a view of its own: every page
in the four languages, with filters, selections and map views a visitor's link would
carry. An expo kiosk shows a view about every 10 s, so each 360 views served count as one
kiosk-hour. A first pass opens every view once, so that the server's caches hold what
a day of visitors would fill them with; then, for the given minutes, the server's
resident memory is sampled every 5 s. At the end the script prints the views served, the
kiosk-hours they stand for, errors, and memory: after the first pass, peak, last, and its
growth per kiosk-hour (least squares). Asserts nothing.

Usage: python scripts/soak_live.py [--minutes 10] [--clients 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_load import one_session, rss_mib  # noqa: E402  (beside this script)
from soak_kiosk import slope_per_hour  # noqa: E402

from tests.live_server import live_server  # noqa: E402

VIEWS_PER_KIOSK_HOUR = 360  # one view per 10 s, the tour's default step
SAMPLE_S = 5
PAGES = ["", "ic-output", "timeline", "flows", "places?id=JP-43", "places?id=VN-HN",
         "compare?regions=JP-43,TW-KHH", "changes", "data", "about"]
VARIANTS = ["", "country=JP", "country=TW,VN&sector=semiconductors", "years=2015-2024",
            "sel=site:fab-jasm-kumamoto-1", "sel=region:TW-HSZ&view=24.800,121.000,10",
            "asof=2010", "kind=fab,university&layers=regions,manufacturing"]
LANGUAGES = ["en", "ja", "zh_TW", "vi"]


def views() -> list[str]:
    """Every page × language × variant, as the paths a visitor's link opens."""
    out = []
    for page, lang, extra in itertools.product(PAGES, LANGUAGES, VARIANTS):
        query = "&".join(q for q in (page.partition("?")[2], f"lang={lang}", extra) if q)
        out.append(f"/{page.partition('?')[0]}?{query}")
    return out


async def soak(ws_url: str, pid: int, paths: list[str], clients: int,
               minutes: float | None) -> dict:
    """Visitors back to back on `paths` in turn, for `minutes`, or each path once."""
    start = time.perf_counter()
    deadline = start + minutes * 60 if minutes is not None else float("inf")
    served, errors, samples = 0, [], []
    order = itertools.count() if minutes is not None else iter(range(len(paths)))

    async def visitor():
        nonlocal served
        for k in order:  # shared: each visitor takes the next view
            if time.perf_counter() > deadline:
                return
            try:
                await one_session(ws_url, paths[k % len(paths)])
                served += 1
            except Exception as error:  # noqa: BLE001 - counted and shown, the soak goes on
                errors.append(f"{paths[k % len(paths)]}: {type(error).__name__}: {error}")

    async def sample():
        while not finished.is_set():
            samples.append((time.perf_counter() - start, served, rss_mib(pid)))
            with contextlib.suppress(TimeoutError):  # the next sample is due
                await asyncio.wait_for(finished.wait(), SAMPLE_S)

    finished = asyncio.Event()
    sampler = asyncio.create_task(sample())
    await asyncio.gather(*(visitor() for _ in range(clients)))
    finished.set()
    await sampler
    samples.append((time.perf_counter() - start, served, rss_mib(pid)))
    return {"served": served, "errors": errors, "samples": samples,
            "seconds": time.perf_counter() - start}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=2)
    args = parser.parse_args()
    with live_server() as base:
        ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
        paths = views()
        first = asyncio.run(soak(ws_url, base.pid, paths, args.clients, None))
        warm = rss_mib(base.pid)
        result = asyncio.run(soak(ws_url, base.pid, paths, args.clients, args.minutes))
        time.sleep(3)  # the last sessions close
        after = rss_mib(base.pid)
    samples = result["samples"]
    # memory against kiosk-hours served (views / 360), not against the clock
    growth = slope_per_hour([(served / VIEWS_PER_KIOSK_HOUR * 3600, rss)
                             for _, served, rss in samples])
    kiosk_hours = result["served"] / VIEWS_PER_KIOSK_HOUR
    print(f"Live server soak: {args.clients} clients, {len(paths)} different views")
    print(f"  first pass        each view once in {first['seconds']:.0f} s, "
          f"{len(first['errors'])} errors, memory then {warm:.0f} MiB")
    print(f"  soak              {result['seconds'] / 60:.1f} min")
    print(f"  views served      {result['served']} "
          f"({result['served'] / result['seconds']:.1f} per s)")
    print(f"  kiosk-hours       {kiosk_hours:.1f} (one view per 10 s)")
    print(f"  errors            {len(result['errors'])}")
    print(f"  memory MiB        after the first pass {warm:.0f}, peak "
          f"{max(r for *_, r in samples):.0f}, last {samples[-1][2]:.0f}, "
          f"sessions closed {after:.0f}")
    print(f"  growth            {growth:+.2f} MiB per kiosk-hour")
    for error in (first["errors"] + result["errors"])[:5]:
        print(f"  error: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
