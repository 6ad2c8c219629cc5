"""Does hostile text ever run in a visitor's browser? An injection corpus, opened in headless
Chromium, checked in every frame of the live app and of the static export.

`fuzz_urls.py` proves, without a browser, that a link's text never reaches the page; this
script proves, in the browser, that text which does reach it stays text. Two corpora:

- URL parameters: every parameter the app reads (`url_state.OURS`, `OTHERS`, and one
  unknown name) gets each payload, on every page of the live app (navigation.PAGES) and of
  the static export (index.html, ic-output.html, timeline.html, flows.html, places.html,
  data.html, about.html). One URL carries a payload in every parameter, rotated (a Latin square),
  so the pairs (parameter, payload) are all covered with few page loads.
- Data text: a throw-away copy of data/ whose text fields that reach the screen (site,
  organisation, city and region names in four languages, descriptions, addresses, agreement
  and flow titles, source titles, publishers and notes, the changelog) carry one payload
  per set of records. `tjv_clusters.validate` runs on the copy: a payload it rejects is
  counted as such and taken out again; the rest is served by a live app and by a static
  export built from the copy, and each poisoned record is made visible (selected with
  `sel=`, searched, picked on the timeline and flows pages, listed on About).

Every page is checked in each of its frames (Streamlit's component iframes: the map, the
share box): no dialog opened, no payload flag set (a setter installed before any page
script reports even a frame that is gone by the time we look), no element or attribute
made from payload markup, no uncaught JavaScript error that a clean page does not have,
no request to another host; and where the data text is shown, it is shown literally.

Prints the counts; exits non-zero if anything executed, was injected or left the host.
Usage:
  python scripts/injection.py [--limit N] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import fuzz_urls  # noqa: E402  (beside this script)

from components.navigation import PAGES as APP_PAGES  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, DATA_DIR, OfflinePage  # noqa: E402
from tests.live_server import live_server, serve_directory  # noqa: E402
from tjv_clusters import url_state  # noqa: E402

MARKER = fuzz_urls.MARKER  # "zqx": every payload carries it
FLAG = f"{MARKER}_pwned"  # what a payload sets if it ever runs (fuzz_urls' set `zqx`)
FLAGS = (MARKER, FLAG)
TIMEOUT = 60_000

# Aimed at a browser: breakouts of HTML attributes, of JavaScript strings and templates,
# Markdown and KaTeX (Streamlit renders both), encodings a second decoding would revive.
BROWSER_PAYLOADS = (
    f'"><svg onload=top.{FLAG}=1>', f"'><img src=x onerror=alert('{MARKER}')>",
    f"</script><script>top.{FLAG}=1</script>", f"');top.{FLAG}=1;//", f'";alert("{MARKER}");//',
    f"'-alert('{MARKER}')-'", f"${{top.{FLAG}=1}}",
    f"{{{{constructor.constructor('top.{FLAG}=1')()}}}}",
    f"javascript:top.{FLAG}=1//", f"[{MARKER}](javascript:top.{FLAG}=1)",
    f"![{MARKER}](http://{MARKER}.invalid/i.png)",
    f"$\\href{{javascript:top.{FLAG}=1}}{{{MARKER}}}$",
    f"&lt;img id={MARKER}el src=x onerror=top.{FLAG}=1&gt;",
    f"&#60;svg id={MARKER}el onload=top.{FLAG}=1&#62;",
    f"%3Cimg%20id%3D{MARKER}el%20src%3Dx%20onerror%3Dtop.{FLAG}%3D1%3E",
    f"\uff1cimg src=x onerror=top.{FLAG}=1\uff1e",
    f"<{MARKER}-el id={MARKER}el>", f"site:{MARKER}\u2028top.{FLAG}=1//",
)
URL_PAYLOADS = (*fuzz_urls.PAYLOADS, *BROWSER_PAYLOADS)
UNKNOWN_PARAM = f"{MARKER}_param"
URL_PARAMS = (*url_state.OURS, *url_state.OTHERS, UNKNOWN_PARAM)
STATIC_PAGES = ("index.html", "ic-output.html", "timeline.html", "flows.html", "places.html",
                "data.html", "about.html")
# a valid id for pages that need one, so that the page itself renders (payloads elsewhere)
PAGE_ARGS = {"places": {"id": "JP-43"}, "compare": {"regions": "JP-43,TW-KHH"}}

# Data text: each carries a tag (zqxNN) so that a record is found and its text checked. The
# first ones contain markup that `make validate` must reject; the rest pass validation and
# are exactly what the browser must show as text.
DATA_PAYLOADS = (
    f'"><img src=x onerror=top.{FLAG}=1>', f"<script>top.{FLAG}=1</script>",
    f"<b id={MARKER}el>bold</b>",
    f"');top.{FLAG}=1;//", f'";top.{FLAG}=1;//', f"'-alert('{MARKER}')-'",
    f"{{{{constructor.constructor('top.{FLAG}=1')()}}}}", f"${{top.{FLAG}=1}}",
    f"javascript:top.{FLAG}=1//", f"[{MARKER}](javascript:top.{FLAG}=1)",
    f"$\\href{{javascript:top.{FLAG}=1}}{{{MARKER}}}$",
    f"&lt;img id={MARKER}el src=x onerror=top.{FLAG}=1&gt;",
    f"&#60;svg id={MARKER}el onload=top.{FLAG}=1&#62;",
    f"\uff1cimg id={MARKER}el src=x onerror=top.{FLAG}=1\uff1e",
    f"%3Cimg src%3Dx onerror%3Dtop.{FLAG}%3D1%3E", f"**{MARKER}** _{MARKER}_ `{MARKER}` ~~x~~",
    f":red[{MARKER}] :material/warning: #{MARKER}", f"\\' \\\" \\\\ \u202e{MARKER}\u200b",
    f"{{0}} {{name}} %s %{{x}} {MARKER}", f"http://{MARKER}.invalid/a www.{MARKER}.invalid",
    f"![{MARKER}](http://{MARKER}.invalid/i.png)",
)
# which text columns of which table reach the screen (see schema.py)
NAME_COLUMNS = ("name_en", "name_ja", "name_zh_tw", "name_vi")
TITLE_COLUMNS = ("title_en", "title_ja", "title_zh_tw", "title_vi")
TEXT_FIELDS = {
    "sites.csv": (*NAME_COLUMNS, "city", "address", "description"),
    "organisations.csv": (*NAME_COLUMNS, "description"),
    "agreements.csv": (*TITLE_COLUMNS, "description"),
    "flows.csv": (*TITLE_COLUMNS, "description"),
    "sources.csv": ("title", "publisher", "note"),
    "cities.csv": NAME_COLUMNS,
}

# Every frame: flags set, elements or attributes made from payload markup.
FRAME_CHECK = """([m, flags]) => {
  const set = flags.filter(f => {
    try { return window[f] !== undefined; } catch (e) { return false; } });
  const media = new Set(['img', 'iframe', 'script', 'svg', 'image', 'object', 'embed', 'video',
                         'audio', 'source', 'link', 'meta', 'base', 'form', 'input', 'style']);
  // a bare web address in the text, made a link that goes where it says (Markdown's
  // autolinks): not an injection; a link whose text says something else is
  const shownAddress = (el, href) => {
    const text = el.textContent.trim().toLowerCase();
    return href === text || href === 'http://' + text;
  };
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (tag.startsWith(m) || (el.id || '').toLowerCase().startsWith(m)) {
      bad.push(el.outerHTML.slice(0, 160)); continue;
    }
    for (const a of el.attributes) {
      const v = a.value.toLowerCase();
      if (!v.includes(m)) continue;
      if ((tag === 'input' || tag === 'textarea') && a.name === 'value') continue;  // typed
      if (a.name.startsWith('on') || /^\\s*(javascript|vbscript|data):/.test(v) || media.has(tag)
          || (tag === 'a' && a.name === 'href' && /^\\s*https?:\\/\\/[^/]*zqx/.test(v)
              && !shownAddress(el, v))) {
        bad.push(el.outerHTML.slice(0, 160)); break;
      }
    }
  }
  return {set, bad};
}"""
# Before any page script, in every frame: a payload that sets a flag reports itself.
TRAP = """(() => { for (const name of %s) { let value;
  try { Object.defineProperty(window, name, {configurable: true, get() { return value; },
    set(v) { value = v; console.error('ZQX-EXECUTED ' + name + ' ' + location.href); }}); }
  catch (e) {} } })();""" % json.dumps(list(FLAGS))


@dataclass
class Visit:
    """One page as the browser showed it, and what was wrong with it."""

    where: str  # "live /timeline?…" or "static index.html?…"
    frames: int = 0
    executions: list[str] = field(default_factory=list)
    injected: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    not_literal: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.executions or self.injected or self.external or self.errors)


class Browser:
    """One headless Chromium (other hosts blocked), one OfflinePage at a time, with the
    dialog and console traps on."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                args=CHROMIUM_ARGS)
        self.clean_errors: dict[str, set[str]] = {}  # errors a payload-free page has too

    def open(self, base_url: str) -> OfflinePage:
        return trapped_page(self.browser, base_url, self.clean_errors)

    def close(self):
        self.browser.close()
        self._pw.stop()


def trapped_page(browser, base_url: str, clean_errors: dict | None = None) -> OfflinePage:
    """An OfflinePage of a Playwright browser that also records dialogs and the flag trap's
    reports, and knows the errors of clean pages (`learn_clean_errors`)."""
    op = OfflinePage(browser, base_url)
    op.dialogs, op.console = [], []
    op.clean_errors = {} if clean_errors is None else clean_errors
    op.context.add_init_script(TRAP)
    op.page.on("dialog", lambda d: (op.dialogs.append(d.message), d.dismiss()))
    op.page.on("console", lambda msg: op.console.append(msg.text)
               if "ZQX-EXECUTED" in msg.text else None)
    return op


def inspect(op: OfflinePage, visit: Visit, kind: str = "") -> Visit:
    """The checks of every frame, then what the whole page did (dialogs, traps, errors,
    requests). `kind` names the page for the errors a clean page has anyway."""
    from playwright.sync_api import Error as PlaywrightError

    op.page.wait_for_timeout(400)  # late requests and timers would show here
    for frame in op.page.frames:
        try:
            found = frame.evaluate(FRAME_CHECK, [MARKER, list(FLAGS)])
        except PlaywrightError:  # a frame that went away while we looked
            continue
        visit.frames += 1
        visit.executions += [f"flag {f} set in {frame.url[:60]}" for f in found["set"]]
        visit.injected += [f"{frame.url[:40]}: {b}" for b in found["bad"]]
    visit.executions += [f"dialog: {m[:80]}" for m in op.dialogs]
    visit.executions += [m[:120] for m in op.console]
    visit.external += op.external
    known = op.clean_errors.get(kind, set())
    visit.errors += [e[:160] for e in op.errors if e not in known]
    op.dialogs.clear(), op.console.clear(), op.external.clear(), op.errors.clear()
    return visit


def normalise(text: str) -> str:
    return " ".join(text.split())


def shown_literally(op: OfflinePage, selector: str, texts: list[str], visit: Visit,
                    frame=None) -> None:
    """Each text appears, as text, in the element (textContent, whitespace collapsed)."""
    where = frame or op.page
    content = normalise(" ".join(where.locator(selector).evaluate_all(
        "els => els.map(e => e.textContent)")))
    for text in texts:
        if normalise(text) not in content:
            visit.not_literal.append(f"{selector}: {text[:70]!r}")


# ------------------------------------------------------------------ the live app

def wait_live(op: OfflinePage, path: str) -> None:
    """Until the script run has finished and the footer is drawn (and the map, on /)."""
    from playwright.sync_api import expect

    page = op.page
    expect(page.locator('[data-testid="stAppViewContainer"]')).to_be_visible(timeout=TIMEOUT)
    # a script run that failed draws its traceback and no footer: say so at once
    expect(page.locator('.st-key-footer, [data-testid="stException"]').first).to_be_visible(
        timeout=TIMEOUT)
    traceback = page.locator('[data-testid="stException"]')
    if traceback.count():
        raise RuntimeError("traceback " + normalise(traceback.first.inner_text())[:100])
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=TIMEOUT)
    if path.split("?")[0] in ("", "/") and "kiosk=true" not in path and "embed=true" not in path:
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
        expect(frame.locator(".leaflet-container")).to_be_visible(timeout=TIMEOUT)


def wait_static(op: OfflinePage, page_file: str) -> None:
    page = op.page
    if page_file == "index.html":
        page.wait_for_function("() => document.querySelector('#counts')"
                               " && document.querySelector('#counts').textContent", timeout=TIMEOUT)
    elif page_file in ("ic-output.html", "timeline.html", "flows.html"):
        page.wait_for_function("() => document.querySelector('#panels .main-svg')"
                               " || document.querySelector('#panels p')", timeout=TIMEOUT)
    elif page_file == "places.html":  # the profile arrives in a second file
        page.wait_for_function("() => document.querySelector('#profile h3')", timeout=TIMEOUT)
    else:
        page.wait_for_function("() => document.querySelector('#content').children.length",
                               timeout=TIMEOUT)


def open_drawn(op: OfflinePage, kind: str, path: str) -> None:
    """Open a 'live' path or a 'static' file?query and wait until it is drawn."""
    op.page.goto(op.base_url + "/" + path.lstrip("/"))
    if kind == "live":
        wait_live(op, path)
    else:
        wait_static(op, path.split("?")[0])


def visit(op: OfflinePage, kind: str, path: str, visit_name: str | None = None) -> Visit:
    """Open one URL, wait until it is drawn, check it."""
    result = Visit(f"{kind} {visit_name or path}")
    try:
        open_drawn(op, kind, path)
    except Exception as exc:  # a page that never finished is a failure too
        result.errors.append(f"did not finish: {str(exc).splitlines()[0][:120]}")
    return inspect(op, result, f"{kind}:{path.split('?')[0]}")


def learn_clean_errors(op: OfflinePage, kind: str, paths) -> None:
    """The uncaught errors each page has without any payload: not the payloads' doing."""
    for path in paths:
        try:
            open_drawn(op, kind, path)
            op.page.wait_for_timeout(400)
        except Exception:  # noqa: BLE001 - a clean page that fails shows in the counts
            pass
        op.clean_errors[f"{kind}:{path.split('?')[0]}"] = set(op.errors)
        op.errors.clear(), op.external.clear(), op.dialogs.clear(), op.console.clear()


# ------------------------------------------------------------------ URL corpus

def every_parameter(payload: str, page: str) -> dict[str, str]:
    """One payload in every parameter (the page's own id kept valid): a quick sample."""
    return {**{name: payload for name in URL_PARAMS}, **PAGE_ARGS.get(page, {})}


def url_cases(seed: int = 7, live_per_rotation: int = 3) -> list[tuple[str, str, dict[str, str]]]:
    """(app, page, params). One URL puts a payload in every parameter; shifting the payload
    list by one gives the next URL, so each (parameter, payload) pair occurs once per
    rotation. Each rotation opens on every static page (quick to load) and on
    `live_per_rotation` live pages in turn (a Streamlit run takes seconds)."""
    rng = random.Random(seed)
    payloads = list(URL_PAYLOADS)
    rng.shuffle(payloads)
    live = [path for *_, path in APP_PAGES]
    cases = []
    for shift in range(len(payloads)):
        params = {name: payloads[(shift + i) % len(payloads)]
                  for i, name in enumerate(URL_PARAMS)}
        pages = [("static", p) for p in STATIC_PAGES] + [
            ("live", live[(shift * live_per_rotation + j) % len(live)])
            for j in range(live_per_rotation)]
        cases += [(app, page, {**params, **PAGE_ARGS.get(page, {})}) for app, page in pages]
    rng.shuffle(cases)
    return cases


def run_urls(browser: Browser, live_base: str, static_base: str, cases) -> list[Visit]:
    visits = []
    for app in ("live", "static"):
        mine = [(page, params) for a, page, params in cases if a == app]
        if not mine:
            continue
        op = browser.open(live_base if app == "live" else static_base)
        try:
            learn_clean_errors(op, app, sorted({
                page + ("?" + urlencode(PAGE_ARGS[page]) if page in PAGE_ARGS else "")
                for page, _ in mine}))
            for page, params in mine:
                visits.append(visit(op, app, f"{page}?{urlencode(params)}"))
        finally:
            op.close()
    return visits


# ------------------------------------------------------------------ data corpus

@dataclass
class Poisoned:
    """One payload and the records that carry it (ids in the copy)."""

    payload: str
    tag: str
    site: str
    agreement: str
    flow: str
    source: str
    organisation: str | None
    city: str
    region: str | None
    rejected: list[str] = field(default_factory=list)  # "file:row:column: message"

    def text(self) -> str:
        """What a poisoned field ends with."""
        return f"{self.tag} {self.payload}"


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def copy_data(target: Path) -> Path:
    """A throw-away copy of data/ (data/ itself is never written)."""
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("_staging"))
    return target


def choose_records(data: Path, n: int) -> list[dict]:
    """For payload i: a site with an agreement-free point (not in shared_points.csv, whose
    address check compares addresses), its first source and operator, the i-th agreement,
    flow and city, and the site's region while regions are still unused."""
    _, sites = read_csv(data / "sites.csv")
    _, shared = read_csv(data / "shared_points.csv")
    in_groups = {s for row in shared for s in row["site_ids"].split(";")}
    _, agreements = read_csv(data / "agreements.csv")
    _, flows = read_csv(data / "flows.csv")
    _, cities = read_csv(data / "cities.csv")
    candidates = [s for s in sites if s["site_id"] not in in_groups and s["operator_ids"]]
    step = max(1, len(candidates) // max(n, 1))
    picks, regions = [], set()
    for i in range(n):
        site = candidates[(i * step) % len(candidates)]
        region = site["admin1"] if site["admin1"] not in regions else None
        regions.add(site["admin1"])
        picks.append({
            "site": site["site_id"], "source": site["source_ids"].split(";")[0].strip(),
            "organisation": site["operator_ids"].split(";")[0].strip(),
            "agreement": agreements[i % len(agreements)]["event_id"],
            "flow": flows[i % len(flows)]["flow_id"], "city": cities[i % len(cities)]["city_id"],
            "region": region,
        })
    return picks


ID_COLUMNS = {"sites.csv": "site_id", "organisations.csv": "org_id", "agreements.csv": "event_id",
              "flows.csv": "flow_id", "sources.csv": "source_id", "cities.csv": "city_id"}
RECORD_OF = {"sites.csv": "site", "organisations.csv": "organisation",
             "agreements.csv": "agreement", "flows.csv": "flow", "sources.csv": "source",
             "cities.csv": "city"}


def poison(data: Path, corpus: list[Poisoned]) -> dict[tuple[str, int, str], Poisoned]:
    """Append each payload to the text fields of its records; returns which payload went
    into each (file, spreadsheet row, column)."""
    cells: dict[tuple[str, int, str], Poisoned] = {}
    for name, columns in TEXT_FIELDS.items():
        header, rows = read_csv(data / name)
        index = {row[ID_COLUMNS[name]]: i for i, row in enumerate(rows)}
        for p in corpus:
            i = index.get(getattr(p, RECORD_OF[name]))
            if i is None:
                continue
            for column in columns:
                if column in ("address",) and not rows[i][column]:
                    continue  # an empty address means "none sourced"; keep it so
                rows[i][column] = f"{rows[i][column]} {p.text()}".strip()
                cells[(name, i + 2, column)] = p
        write_csv(data / name, header, rows)
    poison_regions(data, [p for p in corpus if p.region])
    with (data / "CHANGELOG.md").open("a", encoding="utf-8") as f:  # Markdown by design
        f.write("\n" + "".join(f"- {p.text()}\n" for p in corpus))
    return cells


def poison_regions(data: Path, corpus: list[Poisoned]) -> None:
    """Region names live in boundaries/admin1.csv and .geojson (not checked for markup)."""
    by_code = {p.region: p for p in corpus}
    header, rows = read_csv(data / "boundaries" / "admin1.csv")
    for row in rows:
        if row["code"] in by_code:
            for column in NAME_COLUMNS:
                row[column] = f"{row[column]} {by_code[row['code']].text()}"
    write_csv(data / "boundaries" / "admin1.csv", header, rows)
    path = data / "boundaries" / "admin1.geojson"
    geo = json.loads(path.read_text("utf-8"))
    for feature in geo["features"]:
        p = feature["properties"]
        if p["code"] in by_code:
            for column in NAME_COLUMNS:
                p[column] = f"{p[column]} {by_code[p['code']].text()}"
    path.write_text(json.dumps(geo, ensure_ascii=False), encoding="utf-8")


def revert(data: Path, original: Path, cells) -> None:
    """Put back the original value of each rejected cell (the copy must validate)."""
    by_file: dict[str, list[tuple[int, str]]] = {}
    for name, row, column in cells:
        by_file.setdefault(name, []).append((row, column))
    for name, edits in by_file.items():
        header, rows = read_csv(data / name)
        _, before = read_csv(original / name)
        for row, column in edits:
            rows[row - 2][column] = before[row - 2][column]
        write_csv(data / name, header, rows)


def build_data_corpus(workdir: Path, payloads=DATA_PAYLOADS) -> tuple[Path, list[Poisoned]]:
    """The poisoned copy of data/, validated: rejected payloads are named and taken out."""
    from tjv_clusters.validate import validate_dataset

    original = copy_data(workdir / "original")
    baseline = {str(p) for p in validate_dataset(original)}  # data/ may be mid-edit
    data = copy_data(workdir / "data")
    picks = choose_records(data, len(payloads))
    # the tag names the payload by its place in DATA_PAYLOADS, whatever the sample
    tags = [DATA_PAYLOADS.index(p) if p in DATA_PAYLOADS else 90 + i
            for i, p in enumerate(payloads)]
    corpus = [Poisoned(payload, f"{MARKER}{tag:02d}", **pick)
              for tag, payload, pick in zip(tags, payloads, picks, strict=True)]
    cells = poison(data, corpus)
    problems = [p for p in validate_dataset(data) if str(p) not in baseline]
    rejected = {}
    for problem in problems:
        key = (problem.file, problem.row, problem.column)
        if key in cells:
            cells[key].rejected.append(str(problem))
            rejected[key] = cells[key]
    revert(data, original, rejected)
    left = [str(p) for p in validate_dataset(data) if str(p) not in baseline]
    if left:
        raise RuntimeError("the poisoned copy still has problems no payload explains:\n"
                           + "\n".join(left[:10]))
    return data, corpus


def map_templates(corpus: list[Poisoned]) -> dict[str, str]:
    """Payloads that the cluster map's server side does not keep as text, by tag: folium
    and branca render the map's scripts, which embed the places' labels, a second time as
    Jinja templates, so `{{ … }}` in a name is evaluated on the server (or breaks the map
    for every visitor). Checked in Python, one name at a time, without a browser."""
    from tjv_clusters.cluster_map import make_cluster_map, map_text
    from tjv_clusters.dataset import read_dataset

    ds = read_dataset(check=False)
    found = {}
    for p in corpus:
        sites = ds.sites.head(3).copy()
        sites.loc[sites.index[0], "name_en"] = p.text()
        try:
            out = make_cluster_map(sites, ds.cities.head(0), ds.admin1_geojson,
                                   ds.countries_geojson).get_root().render()
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            found[p.tag] = f"{type(exc).__name__}: {exc}"[:100]
            continue
        labels = {json.loads(m) for m in re.findall(r'"label": ("(?:[^"\\]|\\.)*")', out)}
        if map_text(p.text()) not in labels:  # escaped as the map escapes it
            found[p.tag] = "the label was changed by the server-side template"
    return found


def accepted(p: Poisoned, name: str, column: str) -> bool:
    """Did this payload stay in this field (validation did not reject it)?"""
    return not any(r.startswith(f"{name}:") and f":{column}:" in r for r in p.rejected)


# The text of a site's tooltip(s) in the map frame: opened if its marker is drawn, else
# parsed in an inert <template> (a detached <div> would load an <img> and run its onerror).
TOOLTIPS = """id => { const out = [];
  const visit = l => {
    if (l.feature && l.feature.properties && l.feature.properties.id === id && l.getTooltip
        && l.getTooltip()) {
      if (l._map) { l.openTooltip(); out.push(l.getTooltip().getElement().textContent); }
      else { const t = document.createElement('template');
             t.innerHTML = l.getTooltip().getContent(); out.push(t.content.textContent); }
    }
    if (l.getLayers) l.getLayers().forEach(visit);
  };
  window.map.eachLayer(visit);
  return out; }"""


def live_site_view(op: OfflinePage, p: Poisoned) -> Visit:
    """The site selected on the map: its details panel, its tooltip in the map frame."""
    v = visit(op, "live", f"?sel=site:{p.site}", f"/?sel=site:{p.site} ({p.tag})")
    text = p.text()
    if accepted(p, "sites.csv", "description"):
        shown_literally(op, ".st-key-details [data-testid=stMarkdownContainer]", [text], v)
    if accepted(p, "sites.csv", "name_en"):
        shown_literally(op, ".st-key-details h3", [text], v)
    if accepted(p, "sources.csv", "title"):
        shown_literally(op, ".st-key-details li", [text], v)
    if accepted(p, "sites.csv", "name_en"):  # the marker's tooltip, in the map frame
        frame = next((f for f in op.page.frames if "streamlit_folium" in f.url), None)
        tips = frame.evaluate(TOOLTIPS, p.site) if frame is not None else []
        if not tips:
            v.not_literal.append("map tooltip: no marker found")
        for tip in tips:
            if normalise(text) not in normalise(tip):
                v.not_literal.append(f"map tooltip: {tip[:70]!r}")
    return inspect(op, v, "live:")


def live_search(op: OfflinePage, p: Poisoned) -> Visit:
    """The site found by the search box: the hits are a radio list of names."""
    from playwright.sync_api import expect

    v = Visit(f"live search {p.tag}")
    page = op.page
    try:
        box = page.get_by_label(re.compile("Search places"))
        box.fill(p.tag)
        box.press("Enter")
        expect(page.locator('[data-testid="stRadio"]').first).to_be_visible(timeout=TIMEOUT)
        expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=TIMEOUT)
        if accepted(p, "sites.csv", "name_en"):
            shown_literally(op, '[data-testid="stRadio"] label', [p.text()], v)
    except Exception as exc:  # noqa: BLE001
        v.errors.append(f"search: {str(exc).splitlines()[0][:120]}")
    return inspect(op, v, "live:")


def pick_option(op: OfflinePage, label: str, typed: str) -> None:
    """Choose an option of a Streamlit selectbox by typing part of it."""
    from playwright.sync_api import expect

    page = op.page
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=TIMEOUT)
    page.locator('[data-testid="stSelectbox"]', has_text=label).click()
    page.keyboard.type(typed)
    option = page.get_by_role("option").filter(has_text=typed).first
    expect(option).to_be_visible(timeout=TIMEOUT)
    option.click()
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=TIMEOUT)


def live_pick(op: OfflinePage, path: str, label: str, box: str, p: Poisoned,
              table: str) -> Visit:
    """/timeline or /flows with the poisoned agreement or flow picked: its details."""
    from playwright.sync_api import expect

    v = visit(op, "live", path, f"{path} pick {p.tag}")
    try:
        pick_option(op, label, p.tag)
        expect(op.page.locator(box)).to_be_visible(timeout=TIMEOUT)
        if accepted(p, table, "description"):
            shown_literally(op, f"{box} [data-testid=stMarkdownContainer]", [p.text()], v)
        if accepted(p, table, "title_en"):
            shown_literally(op, f"{box} h3", [p.text()], v)
    except Exception as exc:  # noqa: BLE001
        v.errors.append(f"pick: {str(exc).splitlines()[0][:120]}")
    return inspect(op, v, f"live:{path}")


def live_pages(op: OfflinePage, corpus: list[Poisoned]) -> list[Visit]:
    """Every page once with every payload loaded; About lists every source."""
    visits = []
    regions = [p for p in corpus if p.region]
    for *_, path in APP_PAGES:
        args = PAGE_ARGS.get(path, {})
        if regions and path == "places":
            args = {"id": regions[0].region}
        if regions and path == "compare":
            codes = list(dict.fromkeys([*(p.region for p in regions[:2]), "JP-43", "TW-KHH"]))
            args = {"regions": ",".join(codes[:2])}
        v = visit(op, "live", f"{path}?{urlencode(args)}" if args else path)
        if path == "about":
            titles = [p.text() for p in corpus if accepted(p, "sources.csv", "title")]
            shown_literally(op, "[data-testid=stMarkdownContainer] li", titles, v)
        if path == "places" and regions:
            shown_literally(op, "h1", [regions[0].text()], v)
        visits.append(v)
    for p in regions:
        v = visit(op, "live", f"?sel=region:{p.region}", f"/?sel=region:{p.region} ({p.tag})")
        shown_literally(op, ".st-key-details h3", [p.text()], v)
        visits.append(v)
    return visits


# ------------------------------------------------------------------ the static export

def static_site_view(op: OfflinePage, p: Poisoned) -> Visit:
    v = visit(op, "static", f"index.html?sel=site:{p.site}", f"index.html?sel=site:{p.site} "
                                                             f"({p.tag})")
    checks = [("sites.csv", "name_en", "#details h2"), ("sites.csv", "description", "#details p"),
              ("sources.csv", "title", "#details .sources li")]
    for table, column, selector in checks:
        if accepted(p, table, column):
            shown_literally(op, selector, [p.text()], v)
    # the search box lists it; its tooltip holds the name
    op.page.fill("#search", p.tag)
    if accepted(p, "sites.csv", "name_en"):
        shown_literally(op, "#results button", [p.text()], v)
    return inspect(op, v, "static:index.html")


def static_pages(op: OfflinePage, corpus: list[Poisoned]) -> list[Visit]:
    visits = []
    for page in STATIC_PAGES:
        v = visit(op, "static", page)
        if page == "timeline.html":
            shown_literally(op, ".record", [p.text() for p in corpus
                                            if accepted(p, "agreements.csv", "description")], v)
        if page == "flows.html":
            shown_literally(op, ".record", [p.text() for p in corpus
                                            if accepted(p, "flows.csv", "description")], v)
        if page == "about.html":
            shown_literally(op, "#content .sources li", [
                p.text() for p in corpus if accepted(p, "sources.csv", "title")], v)
        visits.append(v)
    for p in corpus:
        if p.region:
            v = visit(op, "static", f"index.html?sel=region:{p.region}",
                      f"index.html?sel=region:{p.region} ({p.tag})")
            shown_literally(op, "#details h2", [p.text()], v)
            visits.append(v)
            v = visit(op, "static", f"places.html?id={p.region}",
                      f"places.html?id={p.region} ({p.tag})")
            shown_literally(op, "h1", [p.text()], v)
            visits.append(v)
    return visits


def only_poisoned(ds, corpus: list[Poisoned]):
    """The dataset cut down to the poisoned sites, agreements, flows and regions' details
    (every organisation, source, indicator and boundary stays; no kiosk tour): its static
    export builds in seconds instead of a minute, for the quick test. The records kept are
    exported unchanged."""
    from dataclasses import replace

    return replace(
        ds, sites=ds.sites[ds.sites["site_id"].isin({p.site for p in corpus})],
        agreements=ds.agreements[ds.agreements["event_id"].isin({p.agreement for p in corpus})],
        flows=ds.flows[ds.flows["flow_id"].isin({p.flow for p in corpus})],
        admin1=ds.admin1[ds.admin1["code"].isin({p.region for p in corpus})],
        tour=ds.tour.iloc[0:0])  # its steps place other sites


def build_static(data: Path | None, out: Path, corpus: list[Poisoned] | None = None) -> Path:
    """A static export built from `data` (None: the real data/); with `corpus`, of only the
    poisoned records (`only_poisoned`)."""
    from tjv_clusters import export
    from tjv_clusters.dataset import read_dataset

    ds = read_dataset(data) if data else read_dataset()
    export.build(out, only_poisoned(ds, corpus) if corpus else ds)
    return out


@contextmanager
def static_site(data: Path | None, out: Path, corpus: list[Poisoned] | None = None):
    """`build_static`, served over HTTP by a plain static server."""
    url, server = serve_directory(build_static(data, out, corpus))
    try:
        yield url
    finally:
        server.shutdown()


def run_data(browser: Browser, live_base: str, static_base: str, corpus: list[Poisoned],
             pick_limit: int | None = None) -> list[Visit]:
    visits = []
    op = browser.open(live_base)
    try:
        learn_clean_errors(op, "live", ["", "timeline", "flows", "about"])
        for p in corpus:
            visits.append(live_site_view(op, p))
            visits.append(live_search(op, p))
        for p in corpus[:pick_limit]:
            if accepted(p, "agreements.csv", "title_en"):
                visits.append(live_pick(op, "timeline", "Select an agreement",
                                        ".st-key-event-details", p, "agreements.csv"))
            if accepted(p, "flows.csv", "title_en"):
                visits.append(live_pick(op, "flows", "Select a flow", ".st-key-flow-details", p,
                                        "flows.csv"))
        visits += live_pages(op, corpus)
    finally:
        op.close()
    op = browser.open(static_base)
    try:
        learn_clean_errors(op, "static", ["index.html", "about.html"])
        visits += [static_site_view(op, p) for p in corpus]
        visits += static_pages(op, corpus)
    finally:
        op.close()
    return visits


# ------------------------------------------------------------------ report

def report(label: str, visits: list[Visit]) -> dict[str, int]:
    counts = {
        "pages": len(visits), "frames": sum(v.frames for v in visits),
        "executions": sum(len(v.executions) for v in visits),
        "injected": sum(len(v.injected) for v in visits),
        "external": sum(len(v.external) for v in visits),
        "errors": sum(len(v.errors) for v in visits),
        "not_literal": sum(len(v.not_literal) for v in visits),
    }
    print(f"{label}: {counts['pages']} pages, {counts['frames']} frames checked; "
          f"executions {counts['executions']}, injected elements {counts['injected']}, "
          f"requests to other hosts {counts['external']}, new JS errors {counts['errors']}, "
          f"data text not shown literally {counts['not_literal']}")
    shown = 0
    for v in visits:
        problems = [*v.executions, *v.injected, *(f"external {u}" for u in v.external),
                    *(f"error {e}" for e in v.errors), *(f"not literal {t}" for t in v.not_literal)]
        if problems and shown < 25:
            shown += 1
            print(f"  {v.where[:150]}")
            for line in list(dict.fromkeys(problems))[:4]:
                print(f"    {line[:200]}")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None,
                        help="at most N URLs per app and N data payloads")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    start = time.perf_counter()
    cases = url_cases(args.seed)
    if args.limit:
        cases = [c for app in ("live", "static")
                 for c in [c for c in cases if c[0] == app][:args.limit]]
    browser = Browser()
    failed = False
    try:
        with tempfile.TemporaryDirectory(prefix="tjv-injection-") as tmp:
            tmp = Path(tmp)
            print(f"URL corpus: {len(URL_PARAMS)} parameters x {len(URL_PAYLOADS)} payloads "
                  f"= {len(URL_PARAMS) * len(URL_PAYLOADS)} pairs, in {len(cases)} URLs over "
                  f"{len(APP_PAGES)} live and {len(STATIC_PAGES)} static pages")
            with live_server() as base, static_site(None, tmp / "export") as static_base:
                counts = report("URL payloads", run_urls(browser, base, static_base, cases))
            failed |= any(counts[k] for k in ("executions", "injected", "external", "errors"))

            data, corpus = build_data_corpus(tmp / "work", DATA_PAYLOADS[:args.limit])
            rejected = [p for p in corpus if p.rejected]
            fields = sum(len(c) for c in TEXT_FIELDS.values())
            print(f"data corpus: {len(corpus)} payloads in {fields} text columns of "
                  f"{len(TEXT_FIELDS)} tables (+ region names, changelog); "
                  f"{len(rejected)} payloads rejected by validation "
                  f"({sum(len(p.rejected) for p in corpus)} cells), "
                  f"{len(corpus) - len(rejected)} fully rendered")
            for p in rejected:
                print(f"  rejected {p.tag} {p.payload[:50]!r}: {p.rejected[0][:100]}")
            templates = map_templates([p for p in corpus if not p.rejected])
            print(f"server-side templates: {len(templates)} payloads not kept as text by the "
                  f"cluster map's folium/Jinja rendering")
            for tag, what in templates.items():
                print(f"  {tag}: {what}")
            with live_server(data_dir=data) as base, \
                    static_site(data, tmp / "export-data") as static_base:
                counts = report("data text", run_data(browser, base, static_base, corpus))
            failed |= any(counts[k] for k in ("executions", "injected", "external", "errors"))
    finally:
        browser.close()
    print(f"done in {time.perf_counter() - start:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
