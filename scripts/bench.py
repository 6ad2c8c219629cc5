"""How fast is the cluster map? Prints the figures quoted in notes; asserts nothing.

1. Python time of a filter change: filter + build the folium map + render its HTML (what
   st_folium does on a rerun), median of repeated runs per filter state.
2. Browser: cold loads of `/` in headless Debian Chromium (new context each time, all
   requests off the app's host blocked), time from navigation to the first visible
   marker or cluster in the map, requests and bytes transferred (requests are watched,
   not intercepted: the browser itself cannot reach other hosts).
3. The static export (`make export`): the same cold loads of dist/index.html (and as an
   embed) served by a plain static HTTP server, beside the static limit (the same layers
   on a minimal Leaflet page), and its build time.
4. Scale: the same three at synthetic datasets of N sites (`--scale 1000,10000`): a copy
   of data/ in a temporary folder whose sites.csv repeats the real sites with new ids,
   each moved by up to 0.02 degrees (never committed; the app may say some points left
   their region, which does not change the timings).

Usage: python scripts/bench.py [--loads 5] [--runs 15] [--scale 1000,10000]
                               [--parts python,live,static]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tjv_clusters.cluster_map import make_cluster_map  # noqa: E402
from tjv_clusters.dataset import read_dataset  # noqa: E402
from tjv_clusters.filters import Filters, filter_cities, filter_sites  # noqa: E402

FILTER_STATES = {
    "all places": Filters(),
    "Japan only": Filters(countries=("JP",)),
    "fabs + packaging": Filters(kinds=("fab", "packaging_test")),
    "Vietnam, talent, to 2020": Filters(countries=("VN",), sectors=("talent",), year_to=2020),
}


def synthetic_data(n: int, target: Path) -> Path:
    """A copy of data/ with n sites: the real ones, then copies with new ids and jittered
    points (a fixed seed: the same copy every run)."""
    import random
    import shutil

    import pandas as pd

    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("_staging"))
    sites = pd.read_csv(ROOT / "data" / "sites.csv", dtype=str, keep_default_na=False)
    rng = random.Random(n)
    copies = []
    for i in range(n - len(sites)):
        row = sites.iloc[i % len(sites)].copy()
        row["site_id"] = f"synthetic-{i}-{row['site_id']}"
        row["lat"] = f"{float(row['lat']) + rng.uniform(-0.02, 0.02):.6f}"
        row["lon"] = f"{float(row['lon']) + rng.uniform(-0.02, 0.02):.6f}"
        copies.append(row)
    pd.concat([sites, pd.DataFrame(copies)]).head(n).to_csv(target / "sites.csv", index=False)
    return target


def python_times(runs: int, data_dir: Path | None = None) -> None:
    ds = read_dataset(data_dir, check=False) if data_dir else read_dataset(check=False)
    print(f"Python ({len(ds.sites)} sites): filter + build + render the map, median of "
          f"{runs} runs")
    for label, f in FILTER_STATES.items():
        times, size = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            m = make_cluster_map(filter_sites(ds.sites, f), filter_cities(ds.cities, f),
                                 ds.admin1_geojson, ds.countries_geojson, countries=f.countries)
            html = m.get_root().render()
            times.append(time.perf_counter() - start)
            size = len(html.encode())
        print(f"  {label:28s} {statistics.median(times) * 1000:7.1f} ms   "
              f"(map HTML {size / 1024:.0f} KiB)")


def _cold_loads(browser, base: str, path: str, loads: int, marker, shell=None) -> dict:
    """Cold loads (a new context each; the browser cannot reach other hosts): seconds from
    navigation to the first visible marker (and to `shell`, when given), requests, bytes,
    requests to other hosts (refused)."""
    from tests.conftest import OfflinePage

    r = {"times": [], "shell": [], "requests": [], "bytes": [], "external": []}
    for _ in range(loads):
        op = OfflinePage(browser, base)
        sizes = []
        op.page.on("requestfinished", lambda q, s=sizes: s.append(q.sizes()["responseBodySize"]))
        start = time.perf_counter()
        op.page.goto(base + path)
        if shell:
            shell(op.page).first.wait_for(state="visible", timeout=60_000)
            r["shell"].append(time.perf_counter() - start)
        marker(op.page).first.wait_for(state="visible", timeout=60_000)
        r["times"].append(time.perf_counter() - start)
        op.page.wait_for_timeout(300)
        r["requests"].append(len(op.requests))
        r["bytes"].append(sum(sizes))
        r["external"].append(len(op.external))
        op.close()
    return r


def _interleaved(browser, base: str, paths: list[str], loads: int, marker) -> list[dict]:
    """`_cold_loads` of several pages taken in turns (a, b, c, a, b, c, ...), so that a
    ratio between them does not depend on which minute of this shared machine each one
    got: its speed drifts by up to ~1.8x within minutes."""
    runs = [{"times": [], "shell": [], "requests": [], "bytes": [], "external": []}
            for _ in paths]
    for _ in range(loads):
        for path, r in zip(paths, runs, strict=True):
            for key, values in _cold_loads(browser, base, path, 1, marker).items():
                r[key] += values
    return runs


def _print_loads(r: dict) -> None:
    times = r["times"]
    print(f"  median {statistics.median(times):.2f} s   min {min(times):.2f} s   "
          f"max {max(times):.2f} s")
    if r["shell"]:
        print(f"  (page title visible, the Streamlit shell alone: median "
              f"{statistics.median(r['shell']):.2f} s)")
    print(f"  requests per load: median {statistics.median(r['requests']):.0f}; external "
          f"requests: {sum(r['external'])}; bytes per load (bodies, uncompressed): median "
          f"{statistics.median(r['bytes']) / 1024:.0f} KiB")


def browser_times(loads: int, data_dir: Path | None = None) -> None:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.live_server import live_server

    def marker(page):
        return page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(
            ".marker-cluster, .tjv-marker")

    with live_server(data_dir=data_dir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first = _cold_loads(browser, base, "/", 1, marker)
        r = _cold_loads(browser, base, "/", loads, marker, shell=lambda page: page.locator("h1"))
        # the live embed: the same map without the sidebar, share and briefing boxes
        embed = _cold_loads(browser, base, "/?embed=true", loads, marker)
        browser.close()
    print(f"Browser: the server's first visitor (it builds the map): "
          f"{first['times'][0]:.2f} s to the first marker; then {loads} cold loads of / "
          f"(new browser context each; navigation -> first marker visible)")
    _print_loads(r)
    print(f"  {loads} cold loads of the live embed, /?embed=true:")
    _print_loads(embed)


# The static limit: the same layers as the export's map (land, regions, clustered sites,
# cities) drawn by a minimal static Leaflet page from the export's own base.js, with
# nothing else (no search, filters, legend, tooltips or language): what any static map
# of these records costs in this browser. (Until stop 25 it drew regions and sites only.)
STATIC_LIMIT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>limit</title>
<link rel="stylesheet" href="vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="vendor/markercluster/MarkerCluster.css">
<link rel="stylesheet" href="vendor/markercluster/MarkerCluster.Default.css">
<style>html, body, #map { height: 100%; margin: 0; }</style><div id="map"></div>
<script src="vendor/leaflet/leaflet.js"></script>
<script src="vendor/markercluster/leaflet.markercluster.js"></script>
<script src="data/base.js"></script>
<script>
var b = TJV.base, map = L.map("map", {maxZoom: b.style.maxZoom}).fitBounds(b.style.bounds);
L.geoJSON(b.countries, {interactive: false}).addTo(map);
L.geoJSON(b.regions).addTo(map);
b.cities.forEach(function (c) { L.circleMarker([c.lat, c.lon], {radius: 4}).addTo(map); });
var sites = L.markerClusterGroup();
b.sites.forEach(function (s) {
  sites.addLayer(L.marker([s.lat, s.lon], {icon: L.divIcon({className: "tjv-marker"})}));
});
map.addLayer(sites);
</script>"""


def export_times(loads: int, data_dir: Path | None = None) -> None:
    import tempfile

    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.live_server import serve_directory
    from tjv_clusters import export

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        ds = read_dataset(data_dir, check=False) if data_dir else None
        sizes = export.build(Path(tmp) / "dist", ds)
        built = time.perf_counter() - start
        (Path(tmp) / "dist" / "limit.html").write_text(STATIC_LIMIT, encoding="utf-8")
        base, server = serve_directory(Path(tmp) / "dist")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            markers = lambda page: page.locator(".marker-cluster, .tjv-marker")  # noqa: E731
            limit, r, embed = _interleaved(
                browser, base, ["/limit.html", "/index.html", "/index.html?embed=true"], loads,
                markers)
            browser.close()
        server.shutdown()
    print(f"Static export: built in {built:.1f} s, {sum(sizes.values()) / 1e6:.1f} MB in "
          f"{len(sizes)} files")
    print(f"  {loads} cold loads each over HTTP (navigation -> first marker; the three pages "
          f"in turns) of the static limit (the same layers on a minimal Leaflet page):")
    _print_loads(limit)
    print("  of dist/index.html:")
    _print_loads(r)
    ratio = statistics.median(embed["times"]) / statistics.median(limit["times"])
    print(f"  of dist/index.html?embed=true ({ratio:.2f}x the static limit):")
    _print_loads(embed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scale", default="", help="site counts, e.g. 1000,10000")
    parser.add_argument("--parts", default="python,live,static",
                        help="which to time, e.g. static (default: all three)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))

    def run(data_dir: Path | None = None, runs: int = args.runs) -> None:
        if "python" in parts:
            python_times(runs, data_dir)
        if "live" in parts:
            browser_times(args.loads, data_dir)
        if "static" in parts:
            export_times(args.loads, data_dir)

    print(f"machine load (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    run()
    for n in [int(x) for x in args.scale.split(",") if x]:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            data_dir = synthetic_data(n, Path(tmp) / "data")
            print(f"\n== {n} sites (synthetic) == machine load: "
                  f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            run(data_dir, max(3, args.runs // 5))


if __name__ == "__main__":
    main()
