"""Where do the map's JavaScript and CSS files come from? From the app's own host.

The files ship in PyPI `xstatic-*` packages; `install()` copies them into Streamlit's
static folder (served at /app/static/ with `server.enableStaticServing`). The folder is
git-ignored: nothing third-party is committed. `local_links()` lists the URLs that
replace folium's CDN defaults. Run as `python -m tjv_clusters.assets` before the server.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_markercluster

from tjv_clusters.paths import STATIC_DIR  # noqa: E402

VENDOR = "vendor"
# Built map scripts, one file per view, named by their content (git-ignored).
MAPS = "maps"
# A map script nobody has written for this long is removed at start-up; a server still
# showing that view writes it again on its next visitor (`publish`).
MAPS_MAX_AGE_S = 2 * 24 * 3600

# (package, files to copy, sub-folder) — images are Leaflet's control sprites.
PACKAGES = (
    (xs_leaflet, ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png"),
     "leaflet"),
    (xs_markercluster,
     ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
     "markercluster"),
)

# folium's resource names -> our files. Any folium resource not listed here (jQuery,
# Bootstrap, Font Awesome, awesome-markers, glyphicons, rotate CSS) is dropped: the map
# draws its own SVG markers and HTML legend, and uses no popups (folium's only jQuery
# use with embedded GeoJSON); tests fail if a built map calls jQuery.
JS_FILES = {
    "leaflet": "leaflet/leaflet.js",
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
}
CSS_FILES = {
    "leaflet_css": "leaflet/leaflet.css",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
}


def install(static_dir: Path = STATIC_DIR) -> list[Path]:
    """Copy the vendor files (idempotent); return the files written."""
    written = []
    for package, files, folder in PACKAGES:
        for name in files:
            source = Path(package.BASE_DIR) / name
            target = static_dir / VENDOR / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.stat().st_size != source.stat().st_size:
                shutil.copyfile(source, target)
            written.append(target)
    return written


def ensure(static_dir: Path = STATIC_DIR) -> str | None:
    """Install the vendor files if they are missing; None when the map can load, else why
    not (the server can still start: the page shows the reason and the command to run)."""
    try:
        install(static_dir)
        prune_published(static_dir)
    except (OSError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def content_key(text: str) -> str:
    """A short name for a text, from its content."""
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def parsed_json(text: str) -> str:
    """JavaScript for the value of a JSON text. A large value goes through JSON.parse: V8
    reads a JSON string about twice as fast as the same object literal (the cluster map's
    regions and places: 40 -> 18 ms in Chromium), and a value, not code, comes out."""
    if len(text) < 10_000:
        return text
    return f"JSON.parse({json.dumps(text, ensure_ascii=False)})"


def publish(name: str, text: str, static_dir: Path = STATIC_DIR) -> Path:
    """Write `text` as the static file maps/`name` unless it is there (atomic: threads and
    replicas publishing the same view write the same bytes); return its path."""
    target = static_dir / MAPS / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    return target


def prune_published(static_dir: Path = STATIC_DIR, max_age_s: float = MAPS_MAX_AGE_S) -> int:
    """Remove map scripts older than `max_age_s`; return how many."""
    folder = static_dir / MAPS
    if not folder.is_dir():
        return 0
    cutoff = time.time() - max_age_s
    removed = 0
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed


def register_mimetypes() -> None:
    """Some Windows registries map .js to text/plain; with nosniff the browser refuses it."""
    mimetypes.add_type("application/javascript", ".js")
    mimetypes.add_type("text/css", ".css")


def static_url(base_url_path: str = "", folder: str = VENDOR) -> str:
    base = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return f"{base}/app/static/{folder}"


def local_links(base_url_path: str = "") -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(js, css) as folium's (name, url) pairs, root-relative to the app."""
    root = static_url(base_url_path)
    js = [(name, f"{root}/{path}") for name, path in JS_FILES.items()]
    css = [(name, f"{root}/{path}") for name, path in CSS_FILES.items()]
    return js, css


def main() -> int:
    files = install()
    size = sum(f.stat().st_size for f in files)
    print(f"static assets: {len(files)} files, {size / 1024:.0f} KiB in {STATIC_DIR / VENDOR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
