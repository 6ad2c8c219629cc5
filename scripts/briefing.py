"""A view's briefing as a PDF, from the command line: `make briefing URL='…'`.

The URL is any link the dashboard shares (live app or static copy): its page and query
parameters choose the view, exactly as in the browser. Writes dist/briefing-<page>-<lang>.pdf
(or --out) and prints the path.

Usage: python scripts/briefing.py 'http://localhost:8501/?lang=ja&country=JP' [--out F]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tjv_clusters import briefing, url_state  # noqa: E402
from tjv_clusters.charts import IC_PANELS  # noqa: E402
from tjv_clusters.dataset import read_dataset  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    ds = read_dataset()
    ctx = url_state.context(ds, frozenset(p.panel_id for p in IC_PANELS))
    parts = urlparse(args.url)
    view, ignored = url_state.parse(dict(parse_qsl(parts.query)), ctx)
    for name in ignored:
        print(f"ignored an invalid link parameter: {name}", file=sys.stderr)
    page = parts.path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
    lang = view.lang or "en"
    out = args.out or ROOT / "dist" / f"briefing-{page or 'map'}-{lang}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(briefing.render(ds, view, ctx, args.url, page))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
