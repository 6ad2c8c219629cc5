"""Which administrative unit is a point in? Boundaries read from data/boundaries/.

Pure: shapely only, so validation and tests run without the app.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from tjv_clusters.paths import BOUNDARIES_DIR  # noqa: E402

LANGS = ("en", "ja", "zh_tw", "vi")


@dataclass(frozen=True)
class Unit:
    code: str
    country: str
    type: str
    names: dict[str, str]
    geometry: BaseGeometry = field(repr=False)

    @property
    def name_en(self) -> str:
        return self.names["en"]

    @property
    def is_point(self) -> bool:
        return self.geometry.geom_type == "Point"

    def distance(self, lon: float, lat: float) -> float:
        """Degrees from the point to the unit (0 inside)."""
        return self.geometry.distance(Point(lon, lat))

    def contains(self, lon: float, lat: float) -> bool:
        return not self.is_point and self.geometry.covers(Point(lon, lat))


def read_units(path: Path = BOUNDARIES_DIR / "admin1.geojson") -> dict[str, Unit]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    units = {}
    for feat in collection["features"]:
        p = feat["properties"]
        geom = shape(feat["geometry"])
        shapely.prepare(geom)
        units[p["code"]] = Unit(
            code=p["code"],
            country=p["country"],
            type=p["type"],
            names={lang: p[f"name_{lang}"] for lang in LANGS},
            geometry=geom,
        )
    return units


def locate(units: dict[str, Unit], lon: float, lat: float) -> Unit | None:
    """The unit containing the point, or None at sea / outside the three countries."""
    for unit in units.values():
        if unit.contains(lon, lat):
            return unit
    return None
