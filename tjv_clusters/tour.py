"""The kiosk's guided tour: each step of data/tour.csv as a map view and a caption.

A step names places (sites, prefectures/provinces) and the records it tells (events,
flows). The view is the box around those places; the caption is the step's title and the
records' own lines and sources, worded by `details` in the chosen language. Nothing here
is a fact of its own, and no coordinate is typed in: both come from the cited records.
"""

from __future__ import annotations

import html
import math

import pandas as pd
from shapely.geometry import shape

from tjv_clusters import details
from tjv_clusters.dataset import Dataset, records
from tjv_clusters.i18n import local_name, t

Bounds = tuple[tuple[float, float], tuple[float, float]]


def step_bounds(ds: Dataset, step: dict) -> Bounds:
    """The box around a step's sites and regions: ((south, west), (north, east))."""
    lats: list[float] = []
    lons: list[float] = []
    sites = ds.sites[ds.sites["site_id"].isin(step["site_ids"])]
    lats += sites["lat"].astype(float).tolist()
    lons += sites["lon"].astype(float).tolist()
    for feature in ds.admin1_geojson["features"]:
        if feature["properties"]["code"] in step["admin1_codes"]:
            west, south, east, north = shape(feature["geometry"]).bounds
            lats += [south, north]
            lons += [west, east]
    def down(x):  # rounded outwards, so the box still holds every point
        return math.floor(x * 1e4) / 1e4

    def up(x):
        return math.ceil(x * 1e4) / 1e4

    return (down(min(lats)), down(min(lons))), (up(max(lats)), up(max(lons)))


def _records(frame: pd.DataFrame, column: str, ids) -> list[dict]:
    """The rows with these ids, in the step's order."""
    by_id = {r[column]: r for r in records(frame[frame[column].isin(ids)])}
    return [by_id[i] for i in ids if i in by_id]


def step_sources(ds: Dataset, step: dict) -> pd.DataFrame:
    """The sources of the step's events and flows, first cited first, each once."""
    ids: list[str] = []
    for record in (_records(ds.agreements, "event_id", step["event_ids"])
                   + _records(ds.flows, "flow_id", step["flow_ids"])):
        ids += [s for s in record["source_ids"] if s not in ids]
    return ds.sources.set_index("source_id").loc[ids].reset_index()


def step_lines(ds: Dataset, step: dict, lang: str) -> list[str]:
    """The caption's lines: each event, then each flow, as the details panel words them."""
    return ([details.event_line(e, lang)
             for e in _records(ds.agreements, "event_id", step["event_ids"])]
            + [details.flow_line(f, lang)
               for f in _records(ds.flows, "flow_id", step["flow_ids"])])


def step_html(ds: Dataset, step: dict, lang: str) -> str:
    """A step's caption as HTML (every text escaped here)."""
    lines = "".join(f"<li>{html.escape(line)}</li>" for line in step_lines(ds, step, lang))
    sources = "; ".join(
        f"{html.escape(s['title'])} — {html.escape(s['publisher'] or '')}"
        + (f", {html.escape(str(s['published']))}" if isinstance(s["published"], str) else "")
        for s in step_sources(ds, step).to_dict("records"))
    return (f"<h2>{html.escape(local_name(step, lang, 'title'))}</h2><ul>{lines}</ul>"
            f"<p class='tour-sources'>{html.escape(t(lang, 'details.sources'))}: {sources}</p>")


def steps(ds: Dataset) -> list[dict]:
    """The tour in order: each step's id, map box and the region it highlights (if any)."""
    return [{"id": s["step_id"], "bounds": step_bounds(ds, s),
             "sel": ["region", s["admin1_codes"][0]] if s["admin1_codes"] else None}
            for s in ds.tour.to_dict("records")]
