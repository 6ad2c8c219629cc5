"""Does the expo kiosk hold up for a day? An accelerated soak in headless Chromium.

Plays the static copy's tour (`?kiosk=true`) with short steps (`dwell`, default 2 s
instead of 10 s: five tour-hours per real hour) while a simulated visitor touches the
map now and then, pans, opens a marker's details, switches language and walks away (the
tour restarts after `idle`). Every 30 s it records the page's JavaScript heap and DOM
size; at the end it prints the growth per simulated hour after a warm-up, the steps
played, restarts and errors. Asserts nothing.

Usage: python scripts/soak_kiosk.py [--minutes 15] [--dwell 2] [--idle 5] [--site DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tjv_clusters import export  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
DEFAULT_DWELL_S = 10


def slope_per_hour(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value), per hour."""
    n = len(samples)
    if n < 2:
        return float("nan")
    mx = sum(t for t, _ in samples) / n
    my = sum(v for _, v in samples) / n
    var = sum((t - mx) ** 2 for t, _ in samples)
    return sum((t - mx) * (v - my) for t, v in samples) / var * 3600 if var else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=15)
    parser.add_argument("--dwell", type=int, default=2)
    parser.add_argument("--idle", type=int, default=5)
    parser.add_argument("--site", type=Path, default=export.SERVED)
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        raise SystemExit(f"no static copy in {args.site}: run `make export` or `make run`")
    from playwright.sync_api import sync_playwright

    speed = DEFAULT_DWELL_S / args.dwell
    rng = random.Random(3)
    errors: list[str] = []
    samples: list[tuple[float, float, float]] = []  # (s, heap MiB, DOM nodes)
    steps_seen = restarts = touches = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--js-flags=--expose-gc"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("pageerror", lambda e: errors.append(str(e)))
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(f"{(args.site / 'index.html').as_uri()}?kiosk=true&lang=en"
                  f"&dwell={args.dwell}&idle={args.idle}")
        page.wait_for_selector("#tour-caption h2")
        start = time.monotonic()
        next_sample = next_touch = 0.0
        last_step = None
        while (now := time.monotonic() - start) < args.minutes * 60:
            text = page.inner_text("#tour-step")  # "Step 3 of 7", "ステップ 3/7", "Bước 3/7"
            step = int(re.search(r"\d+", text).group())
            if step != last_step:
                steps_seen += 1
                restarts += step == 1 and last_step is not None
                last_step = step
            if now >= next_touch:  # a visitor: a few touches, then gone
                touches += 1
                for _ in range(rng.randint(1, 4)):
                    x, y = rng.randint(100, 1100), rng.randint(80, 450)
                    if rng.random() < 0.3:
                        page.mouse.move(x, y)
                        page.mouse.down()
                        page.mouse.move(x + rng.randint(-200, 200), y + rng.randint(-100, 100))
                        page.mouse.up()
                    else:
                        page.mouse.click(x, y)
                    page.wait_for_timeout(300)
                if rng.random() < 0.3:
                    page.locator("#tour-langs button").nth(rng.randint(0, 3)).click()
                next_touch = now + args.idle + rng.uniform(5, 40)
            if now >= next_sample:
                page.evaluate("() => window.gc && window.gc()")
                metrics = {m["name"]: m["value"]
                           for m in cdp.send("Performance.getMetrics")["metrics"]}
                samples.append((now, metrics["JSHeapUsedSize"] / 2**20, metrics["Nodes"]))
                next_sample = now + 30
            page.wait_for_timeout(500)
        browser.close()
    warm = [s for s in samples if s[0] >= min(120, samples[-1][0] / 3)]
    heap = slope_per_hour([(t * speed, h) for t, h, _ in warm])
    nodes = slope_per_hour([(t * speed, n) for t, _, n in warm])
    elapsed = samples[-1][0]
    print(f"kiosk soak: {elapsed / 60:.1f} min real = {elapsed * speed / 3600:.2f} h of tour at "
          f"dwell {DEFAULT_DWELL_S} s ({speed:.0f}x)")
    print(f"  steps shown {steps_seen}, back to step 1 {restarts} times, visitors {touches}, "
          f"page errors {len(errors)}")
    print(f"  JS heap {samples[0][1]:.1f} -> {samples[-1][1]:.1f} MiB "
          f"(after warm-up {heap:+.2f} MiB per tour-hour); DOM nodes {samples[0][2]:.0f} -> "
          f"{samples[-1][2]:.0f} ({nodes:+.0f} per tour-hour)")
    for e in errors[:5]:
        print(f"  error: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
