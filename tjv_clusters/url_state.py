"""What view does a URL describe, and which URL describes a view?

Pure: `parse` turns query parameters into a `View`, keeping what is valid and naming
what it ignored (never raising); `to_params` writes a view back, omitting defaults so
links stay short. Parameters:

  lang=ja  country=JP,TW  sector=semiconductors,ai  kind=fab,university  years=2015-2024
  sel=site:fab-jasm-kumamoto-1 | sel=region:JP-43   layers=regions,manufacturing,cities
  view=32.86,130.83,9 (map centre and zoom)         chart=kyushu_ic_share (embeds)
  status=operating,under_construction               wafer=200,300 (wafer diameter, mm)
  kiosk=true (the expo tour)  idle=90 (seconds without a touch before it restarts)
  dwell=10 (seconds per tour step)
  asof=2021 (the clusters as they stood in that year)
  regions=JP-43,TW-KHH (/compare: two to four regions side by side)
  since=3.1.0 | since=2026-11-30 (what changed after a dataset version or a date: the
  "What changed" page lists it, the map rings the sites it added)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from tjv_clusters import vocab
from tjv_clusters.filters import Filters
from tjv_clusters.i18n import LANGUAGES

MAP_LAYERS = ("regions", *vocab.SITE_GROUPS, "cities")
OURS = ("lang", "country", "sector", "kind", "status", "wafer", "years", "sel", "layers", "view",
        "chart", "kiosk", "idle", "dwell", "since",
        "asof", "regions")
# Ours too, but checked by the page (only /places uses `id`): may be named in a notice.
NAMED = (*OURS, "id")
WAFER_CHOICES = tuple(str(mm) for mm in vocab.WAFER_SIZES_MM)
# Parameters owned by Streamlit or by one page; left alone here.
OTHERS = ("embed", "embed_options", "id")
MAX_PARAM_LENGTH = 2000
YEARS_RE = re.compile(r"^(\d{4})-(\d{4})$")
MAX_COMPARED = 4  # regions side by side on /compare
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# kiosk timings (seconds): name -> (default, smallest, largest)
KIOSK_TIMES = {"idle": (90, 5, 3600), "dwell": (10, 2, 120)}


@dataclass(frozen=True)
class Context:
    """What valid values look like for this dataset."""

    year_min: int
    year_max: int
    site_ids: frozenset[str] = frozenset()
    region_codes: frozenset[str] = frozenset()
    charts: frozenset[str] = frozenset()
    versions: frozenset[str] = frozenset()  # the dataset's released versions
    first_opened: int = 1950  # the earliest year a site opened: where `asof` can start


@dataclass(frozen=True)
class View:
    lang: str | None = None  # None: not in the URL (browser preference decides)
    filters: Filters = field(default_factory=Filters)
    selection: tuple[str, str] | None = None
    layers: tuple[str, ...] = MAP_LAYERS
    center: tuple[float, float] | None = None
    zoom: int | None = None
    chart: str | None = None
    kiosk: bool = False
    idle: int = KIOSK_TIMES["idle"][0]
    dwell: int = KIOSK_TIMES["dwell"][0]
    since: str | None = None  # a released version or an ISO date
    regions: tuple[str, ...] = ()  # the regions /compare shows, in the order chosen


# URL parameter -> (Filters field, allowed values as they appear in the URL)
FILTER_PARAMS = {
    "country": ("countries", vocab.COUNTRIES),
    "sector": ("sectors", vocab.SECTORS),
    "kind": ("kinds", vocab.SITE_KINDS),
    "status": ("statuses", vocab.SITE_STATUS),
    "wafer": ("wafer_sizes", WAFER_CHOICES),
}


def canonical_language(tag: str) -> str | None:
    """Our code for a language tag: 'zh-TW', 'zh-Hant' or 'zh_TW' -> 'zh_TW', 'ja-JP' -> 'ja'
    (BCP 47 as browsers and agencies write it); None if we do not have it."""
    if tag in LANGUAGES:
        return tag
    parts = tag.replace("_", "-").lower().split("-")
    if parts[0] == "zh":
        return "zh_TW" if {"tw", "hant"} & set(parts[1:]) else None
    return parts[0] if parts[0] in LANGUAGES and len(tag) <= 35 else None


def _list(value: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
    """Comma list of allowed values (order of `allowed`), or None if any is unknown."""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts or any(p not in allowed for p in parts):
        return None
    return tuple(a for a in allowed if a in parts)


def parse(params: Mapping[str, str], ctx: Context) -> tuple[View, list[str]]:
    """The view a URL asks for, and the names of parameters that were ignored."""
    ignored: list[str] = []
    values: dict = {}
    filters = {"year_from": ctx.year_min, "year_to": ctx.year_max}

    def bad(name: str) -> None:
        ignored.append(name)

    for name, raw in params.items():
        if name in OTHERS:
            continue
        if name not in OURS or not isinstance(raw, str) or len(raw) > MAX_PARAM_LENGTH:
            bad(name)
            continue
        if name == "lang":
            lang = canonical_language(raw)
            if lang:
                values["lang"] = lang
            else:
                bad(name)
        elif name in FILTER_PARAMS:
            field_name, allowed = FILTER_PARAMS[name]
            chosen = _list(raw, allowed)
            if chosen is None:
                bad(name)
            else:
                filters[field_name] = tuple(int(c) for c in chosen) if name == "wafer" else chosen
        elif name == "years":
            m = YEARS_RE.match(raw)
            lo, hi = (int(m.group(1)), int(m.group(2))) if m else (0, -1)
            if m and ctx.year_min <= lo <= hi <= ctx.year_max:
                filters["year_from"], filters["year_to"] = lo, hi
            else:
                bad(name)
        elif name == "sel":
            kind, _, entity = raw.partition(":")
            if (kind == "site" and entity in ctx.site_ids) or (
                    kind == "region" and entity in ctx.region_codes):
                values["selection"] = (kind, entity)
            else:
                bad(name)
        elif name == "layers":
            chosen = _list(raw, MAP_LAYERS) if raw != "none" else ()
            if chosen is None:
                bad(name)
            else:
                values["layers"] = chosen
        elif name == "view":
            parts = raw.split(",")
            try:
                lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
                ok = len(parts) == 3 and all(map(math.isfinite, (lat, lon)))
                ok = ok and -90 <= lat <= 90 and -180 <= lon <= 180 and 2 <= zoom <= 18
            except (ValueError, IndexError):
                ok = False
            if ok:
                values["center"], values["zoom"] = (lat, lon), zoom
            else:
                bad(name)
        elif name == "chart":
            if raw in ctx.charts:
                values["chart"] = raw
            else:
                bad(name)
        elif name == "kiosk":
            if raw == "true":
                values["kiosk"] = True
            elif raw != "false":
                bad(name)
        elif name == "asof":
            if raw.isdigit() and ctx.first_opened <= int(raw) <= ctx.year_max:
                filters["as_of"] = int(raw)
            else:
                bad(name)
        elif name == "regions":
            codes = [c.strip() for c in raw.split(",") if c.strip()]
            if 0 < len(codes) <= MAX_COMPARED and len(set(codes)) == len(codes) and all(
                    c in ctx.region_codes for c in codes):
                values["regions"] = tuple(codes)
            else:
                bad(name)
        elif name == "since":
            if raw in ctx.versions or (DATE_RE.match(raw) and _is_date(raw)):
                values["since"] = raw
            else:
                bad(name)
        elif name in KIOSK_TIMES:
            _, lo, hi = KIOSK_TIMES[name]
            if raw.isdigit() and lo <= int(raw) <= hi:
                values[name] = int(raw)
            else:
                bad(name)
    return View(filters=Filters(**filters), **values), ignored


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def to_params(view: View, ctx: Context) -> dict[str, str]:
    """Query parameters for a view; defaults are left out."""
    f = view.filters
    out: dict[str, str] = {}
    if view.lang:
        out["lang"] = view.lang
    for name, (field_name, allowed) in FILTER_PARAMS.items():
        chosen = tuple(str(v) for v in getattr(f, field_name))
        if chosen != tuple(allowed) and chosen:
            out[name] = ",".join(chosen)
    if (f.year_from, f.year_to) != (ctx.year_min, ctx.year_max):
        out["years"] = f"{f.year_from}-{f.year_to}"
    if f.as_of is not None:
        out["asof"] = str(f.as_of)
    if view.selection:
        out["sel"] = ":".join(view.selection)
    if tuple(view.layers) != MAP_LAYERS:
        out["layers"] = ",".join(view.layers) or "none"
    if view.center and view.zoom is not None:
        out["view"] = f"{view.center[0]:.3f},{view.center[1]:.3f},{view.zoom}"
    if view.chart:
        out["chart"] = view.chart
    if view.kiosk:
        out["kiosk"] = "true"
    for name, (default, _, _) in KIOSK_TIMES.items():
        if getattr(view, name) != default:
            out[name] = str(getattr(view, name))
    if view.since:
        out["since"] = view.since
    if view.regions:
        out["regions"] = ",".join(view.regions)
    return out


# what a link to another page keeps of the current view: the language and the filters
# (selection, map view and chart belong to the page they were made on)
CARRIED = ("lang", *FILTER_PARAMS, "years", "asof")


def href(page: str, base_url_path: str = "", current: Mapping[str, str] | None = None,
         **params: str) -> str:
    """A link to an app page that works behind a proxy path and keeps the view.

    `page` is the page's URL path ("places", "" for the map), `base_url_path` Streamlit's
    `server.baseUrlPath` ("dashboard" serves the app at /dashboard/), `current` the
    current page's parameters (to_params), of which the language and filters are carried.
    """
    query = {k: v for k, v in (current or {}).items() if k in CARRIED}
    query.update({k: v for k, v in params.items() if v is not None})
    base = "/" + "/".join(part for part in (base_url_path.strip("/"), page.strip("/")) if part)
    return base + ("?" + urlencode(query, safe=",:") if query else "")


def year_bounds(ds) -> tuple[int, int]:
    """The years slider's range: from the first to the last dated agreement, flow or
    indicator (the live app and the static export share it, so links mean the same)."""
    years = ([int(d[:4]) for d in ds.agreements["date"]] + [int(y) for y in ds.flows["year"]]
             + [int(y) for y in ds.indicators["year"]])
    return (min(years), max(years)) if years else (2012, 2026)


def context(ds, charts: frozenset[str] = frozenset()) -> Context:
    lo, hi = year_bounds(ds)
    opened = [int(d[:4]) for d in ds.sites["opened"].dropna()]
    return Context(lo, hi, frozenset(ds.sites["site_id"]), frozenset(ds.admin1["code"]), charts,
                   frozenset(version for version, _ in ds.releases),
                   min(opened, default=lo))
