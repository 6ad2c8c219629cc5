"""`make kiosk`: the dashboard's guided tour full-screen on this machine, offline.

Starts the app (as `make run` does) and Chromium in kiosk mode on
`/?kiosk=true&lang=…&idle=…`; closing Chromium (Alt+F4) stops the app. The tour itself runs
in the browser from the app's own files, so it keeps playing for a whole day without a
network and without work on the server.

Usage: python scripts/kiosk.py [--lang ja] [--idle 90] [--dwell 10]
                               [--browser-flag=--headless=new ...]  (to try it without a screen)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live_server import live_server  # noqa: E402  (starts the app, waits for health)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# a kiosk: full screen, no first-run dialogs, no crash bubble, no translation bar, nothing
# fetched in the background (the expo laptop has no network)
CHROMIUM_FLAGS = ["--kiosk", "--no-first-run", "--noerrdialogs", "--disable-translate",
                  "--disable-session-crashed-bubble", "--disable-infobars",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-features=Translate,MediaRouter",
                  "--overscroll-history-navigation=0"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--idle", type=int, default=90)
    parser.add_argument("--dwell", type=int, default=10)
    parser.add_argument("--browser-flag", action="append", default=[])
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: run `make chromium`")
    with live_server() as base:
        query = urlencode({"kiosk": "true", "lang": args.lang, "idle": args.idle,
                           "dwell": args.dwell})
        # Chromium refuses to run as root with its sandbox (containers, some kiosks)
        root = ["--no-sandbox"] if os.geteuid() == 0 else []
        with tempfile.TemporaryDirectory(prefix="tjv-kiosk-") as profile:
            browser = subprocess.run(
                [CHROMIUM, *CHROMIUM_FLAGS, *root, f"--user-data-dir={profile}",
                 *args.browser_flag, f"{base}/?{query}"], check=False)
        return browser.returncode


if __name__ == "__main__":
    sys.exit(main())
