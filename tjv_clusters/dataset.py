"""The dataset as the app uses it: validated tables as pandas frames, plus boundaries.

Pure (no streamlit). `read_dataset` parses every table through its row schema, so the app
and `make validate` read the files the same way; problems are returned, never raised,
so a page can show them instead of a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tjv_clusters.schema import TABLES
from tjv_clusters.validate import DATA_DIR, Problem, Table, read_tables, validate_dataset

FRAMES = {
    "sources": "sources.csv",
    "sites": "sites.csv",
    "cities": "cities.csv",
    "organisations": "organisations.csv",
    "agreements": "agreements.csv",
    "flows": "flows.csv",
    "fx_rates": "fx_rates.csv",
    "indicators": "indicators.csv",
    "indicator_series": "indicator_series.csv",
    "merger": "vn_province_merger.csv",
    "localities": "gazetteer/localities.csv",
    "shared_points": "shared_points.csv",
    "tour": "tour.csv",
    "checks": "checks.csv",
    "changes": "changes.csv",
}


# a Markdown image, ![alt](address) or ![alt][reference]
MD_IMAGE_RE = re.compile(r"!\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")


@dataclass
class Dataset:
    sources: pd.DataFrame
    sites: pd.DataFrame
    cities: pd.DataFrame
    organisations: pd.DataFrame
    agreements: pd.DataFrame
    flows: pd.DataFrame
    fx_rates: pd.DataFrame
    indicators: pd.DataFrame
    indicator_series: pd.DataFrame
    merger: pd.DataFrame
    localities: pd.DataFrame
    shared_points: pd.DataFrame
    tour: pd.DataFrame
    checks: pd.DataFrame
    changes: pd.DataFrame  # what each version changed (scripts/build_history.py)
    admin1: pd.DataFrame
    admin1_geojson: dict = field(repr=False)
    countries_geojson: dict = field(repr=False)
    problems: list[Problem] = field(default_factory=list)
    changelog: str = field(default="", repr=False)

    @property
    def release(self) -> tuple[str, str]:
        """(version, date) of the dataset: the newest entry of data/CHANGELOG.md."""
        return latest_release(self.changelog)

    @functools.cached_property
    def releases(self) -> list[tuple[str, str]]:
        """Every released (version, date) of data/CHANGELOG.md, newest first."""
        return RELEASE_RE.findall(self.changelog)

    @property
    def changelog_entries(self) -> str:
        """The changelog's entries (from the first version heading on), as Markdown;
        an image is shown as its alt text (it would be fetched from another host)."""
        match = RELEASE_RE.search(self.changelog)
        return MD_IMAGE_RE.sub(r"\1", self.changelog[match.start():]) if match else ""

    @functools.cached_property
    def source_rows(self) -> dict[str, int]:
        """Each source's row in `sources`, for looking up the ones a record cites."""
        return {source_id: row for row, source_id in enumerate(self.sources["source_id"])}

    def rows_by(self, table: str, column: str) -> dict[object, list[int]]:
        """The rows of `table` (a frame's name) for each value of `column`, or for each
        item of a column of lists, in table order: one record's relations are then a
        lookup, not a scan of the table (the static export asks for every site's).
        Worked out once per table and column; the frames are never changed in place."""
        index = self.__dict__.setdefault("_rows_by", {})
        key = (table, column)
        if key not in index:
            rows: dict[object, list[int]] = {}
            for row, value in enumerate(getattr(self, table)[column]):
                for item in value if isinstance(value, (list, tuple)) else (value,):
                    rows.setdefault(item, []).append(row)
            index[key] = rows
        return index[key]

    @functools.cached_property
    def neighbours(self) -> dict[str, list[str]]:
        """Each region's neighbouring regions (details.neighbours), worked out once."""
        from tjv_clusters.details import neighbours

        return neighbours(self.admin1_geojson)

    # Computed once: every page's footer and the map's caption show them on every run.
    @functools.cached_property
    def as_of(self) -> str:
        """The latest access date of any source: the data's "as of" date."""
        if self.sources.empty:
            return ""
        return str(self.sources["accessed"].max())

    @functools.cached_property
    def source_counts(self) -> dict[str, int]:
        """Sources by quality (primary, secondary, tertiary); read-only."""
        return self.sources["quality"].value_counts().to_dict()

    @functools.cached_property
    def regions_by_country(self) -> dict[str, int]:
        """How many prefectures/provinces/counties each country has on the map."""
        counts: dict[str, int] = {}
        for feature in self.admin1_geojson["features"]:
            country = feature["properties"]["country"]
            counts[country] = counts.get(country, 0) + 1
        return counts


RELEASE_RE = re.compile(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})", re.M)


def records(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as dicts, like `frame.to_dict("records")` but a column at a time:
    pandas builds the records row by row through `itertuples`, most of a millisecond
    for a frame of a few rows, and the export words thousands of them."""
    if frame.empty:
        return []
    columns = list(frame.columns)
    return [dict(zip(columns, row, strict=True))
            for row in zip(*(frame[c].tolist() for c in columns), strict=True)]


def latest_release(changelog: str) -> tuple[str, str]:
    """(version, date) of the newest `## X.Y.Z — YYYY-MM-DD` entry, or ("", "")."""
    match = RELEASE_RE.search(changelog)
    return (match.group(1), match.group(2)) if match else ("", "")


def numeric_columns(model) -> set[str]:
    """The fields the row schema types as numbers (integer or float, maybe optional)."""
    numeric = set()
    for name, prop in model.model_json_schema()["properties"].items():
        types = {o.get("type") for o in prop.get("anyOf", [prop])}
        if types & {"integer", "number"}:
            numeric.add(name)
    return numeric


def _frame(table: Table, name: str) -> pd.DataFrame:
    columns = list(TABLES[name][0].model_fields)
    # object dtype keeps None as None (pandas 3 would turn missing text into NaN);
    # number columns are then made numeric, with NaN for missing.
    frame = pd.DataFrame([r.model_dump() for _, r in table.rows], columns=columns, dtype=object)
    for column in numeric_columns(TABLES[name][0]):
        frame[column] = pd.to_numeric(frame[column])
    return frame


def read_dataset(data_dir: Path = DATA_DIR, *, check: bool = True) -> Dataset:
    parsed = read_tables(data_dir)  # one parse serves both the frames and the checks
    frames = {key: _frame(parsed[0][name], name) for key, name in FRAMES.items()}
    boundaries = data_dir / "boundaries"
    admin1 = pd.read_csv(boundaries / "admin1.csv", dtype=str, keep_default_na=False)
    for col in ("label_lat", "label_lon"):
        admin1[col] = admin1[col].astype(float)
    problems = validate_dataset(data_dir, parsed) if check else []
    return Dataset(
        **frames,
        admin1=admin1,
        admin1_geojson=json.loads((boundaries / "admin1.geojson").read_text("utf-8")),
        countries_geojson=json.loads((boundaries / "countries.geojson").read_text("utf-8")),
        problems=problems,
        changelog=(data_dir / "CHANGELOG.md").read_text("utf-8")
        if (data_dir / "CHANGELOG.md").exists() else "",
    )


def parse_partial_date(value: str) -> dt.date:
    """'2019-10' -> 2019-10-01: the first day of the stated period (for plotting)."""
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
