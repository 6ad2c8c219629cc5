"""The gazetteer's matching rules, on a small stand-in for the real gazetteer files (the
clones are not part of a checkout; `make gazetteer` runs on them)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import gazetteer  # noqa: E402

VILLAGES = {
    "1000309007": {"county": "桃園市", "town": "龍潭鄉", "village": "八德村",
                   "lat": 24.879235, "lon": 121.190638},
    "1000309004": {"county": "桃園市", "town": "龍潭鄉", "village": "高平村",
                   "lat": 24.822569, "lon": 121.211522},
    "1001801047": {"county": "新竹市", "town": "東區", "village": "科園里",
                   "lat": 24.77, "lon": 121.01},
}


@pytest.fixture
def villages(monkeypatch):
    monkeypatch.setattr(gazetteer, "_tw_units", lambda level: VILLAGES)


@pytest.mark.parametrize("address, village", [
    # a 2014 address: 龍潭區 (was 龍潭鄉), 八德里 (was 八德村), behind a park's name
    ("新竹科學園區桃園市龍潭區八德里龍園六路101號", "1000309007"),
    ("桃園縣龍潭鄉高平村中豐路高平段1號", "1000309004"),
    ("新竹科學園區新竹市東區科園里研新一路1號", "1001801047"),
])
def test_a_taiwanese_address_finds_its_village_under_either_name(villages, address, village):
    assert gazetteer.lookup_tw(address, "village").gazetteer_id == f"tw-village:{village}"


def test_an_address_without_a_village_is_not_placed(villages):
    with pytest.raises(gazetteer.NotFound):
        gazetteer.lookup_tw("桃園市龍潭區龍園一路100號", "village")


# --- Taiwan's park outlines (tw-park:<FD>) ------------------------------------------------

def _square(x0, y0, size):
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


# Stand-in outlines in the shape of data.gov.tw 25598's ia.json: a square park, a park in two
# pieces (its centroid falls between them) and a U-shaped park (its centroid falls in the gap).
PARK_FEATURES = [
    {"type": "Feature", "properties": {"FD": "B07", "FNAME": "台中加工出口園區"},
     "geometry": {"type": "Polygon", "coordinates": [_square(120.70, 24.21, 0.01)]}},
    {"type": "Feature", "properties": {"FD": "B09", "FNAME": "中部科學園區后里園區"},
     "geometry": {"type": "MultiPolygon", "coordinates": [[_square(120.72, 24.31, 0.01)],
                                                         [_square(120.72, 24.29, 0.01)]]}},
    {"type": "Feature", "properties": {"FD": "E11A", "FNAME": "仁武工業區"},
     "geometry": {"type": "Polygon", "coordinates": [[
         [120.30, 22.70], [120.33, 22.70], [120.33, 22.73], [120.32, 22.73], [120.32, 22.71],
         [120.31, 22.71], [120.31, 22.73], [120.30, 22.73], [120.30, 22.70]]]}},
]


@pytest.fixture
def parks(monkeypatch):
    monkeypatch.setattr(gazetteer, "_tw_parks", lambda: gazetteer.park_points(PARK_FEATURES))


def test_a_park_is_placed_on_its_outline_centroid(parks):
    record = gazetteer.record_by_id("tw-park:B07")
    assert (record.gazetteer_id, record.name) == ("tw-park:B07", "台中加工出口園區")
    assert (record.lat, record.lon) == (24.215, 120.705)
    assert "25598" in record.gazetteer


@pytest.mark.parametrize("key", ["B09", "E11A"])
def test_a_park_whose_centroid_falls_outside_it_gets_a_point_inside(parks, key):
    from shapely.geometry import Point, shape

    outline = shape(next(f for f in PARK_FEATURES if f["properties"]["FD"] == key)["geometry"])
    assert not outline.contains(outline.centroid)
    record = gazetteer.record_by_id(f"tw-park:{key}")
    assert outline.contains(Point(record.lon, record.lat))


def test_a_park_is_found_by_code_or_by_part_of_its_name(parks):
    assert gazetteer.lookup_tw_park("B07").gazetteer_id == "tw-park:B07"
    assert gazetteer.lookup_tw_park("臺中加工出口").gazetteer_id == "tw-park:B07"
    with pytest.raises(gazetteer.NotFound):
        gazetteer.lookup_tw_park("園區")  # two parks match: say so, do not guess
    with pytest.raises(gazetteer.NotFound):
        gazetteer.record_by_id("tw-park:Z99")


def test_only_a_sourced_park_row_with_a_park_id_is_placed_from_an_outline(parks):
    row = {"coord_precision": "sourced_park", "gazetteer_id": "tw-park:B07", "country": "TW",
           "admin1": "TW-TXG", "address": "", "city": "Tanzi"}
    assert gazetteer.resolve_site(row).gazetteer_id == "tw-park:B07"
    for other in ({"gazetteer_id": ""}, {"gazetteer_id": "tw-town:1000609"},
                  {"coord_precision": "sourced_site"}):
        with pytest.raises(gazetteer.NotFound):
            gazetteer.resolve_site(row | other)


def test_apply_places_park_rows_and_leaves_printed_park_points_alone(parks, tmp_path,
                                                                    monkeypatch):
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "site_id,country,admin1,city,address,lat,lon,coord_precision,gazetteer_id\n"
        "a,TW,TW-TXG,Tanzi,,0,0,sourced_park,tw-park:B07\n"
        "b,TW,TW-HSZ,Hsinchu,,24.7823005,121.0062859,sourced_park,\n", encoding="utf-8")
    monkeypatch.setattr(gazetteer, "LOCALITIES", tmp_path / "localities.csv")
    assert gazetteer.apply(sites) == 0
    rows = sites.read_text(encoding="utf-8").splitlines()
    assert rows[1] == "a,TW,TW-TXG,Tanzi,,24.215000,120.705000,sourced_park,tw-park:B07"
    assert rows[2] == "b,TW,TW-HSZ,Hsinchu,,24.7823005,121.0062859,sourced_park,"
    assert "tw-park:B07,台中加工出口園區,24.215000,120.705000" in (
        tmp_path / "localities.csv").read_text(encoding="utf-8")


# --- Vietnam's districts: a ward is not a district ----------------------------------------

DISTRICTS = {
    "767": {"name": "Quận Tân Phú", "province": "Thành phố Hồ Chí Minh",
            "lat": 10.792598, "lon": 106.626854},
    "769": {"name": "Thành phố Thủ Đức", "province": "Thành phố Hồ Chí Minh",
            "lat": 10.779226, "lon": 106.756223},
    "164": {"name": "Thành phố Thái Nguyên", "province": "Tỉnh Thái Nguyên",
            "lat": 21.568796, "lon": 105.802034},
    "172": {"name": "Thành phố Phổ Yên", "province": "Tỉnh Thái Nguyên",
            "lat": 21.434733, "lon": 105.810881},
    "213": {"name": "Thành phố Bắc Giang", "province": "Tỉnh Bắc Giang",
            "lat": 21.274489, "lon": 106.196268},
    "258": {"name": "Huyện Yên Phong", "province": "Tỉnh Bắc Ninh",
            "lat": 21.207775, "lon": 105.973852},
}


@pytest.fixture
def districts(monkeypatch):
    monkeypatch.setattr(gazetteer, "_vn_districts", lambda: DISTRICTS)


@pytest.mark.parametrize("text", [
    # Saigon Hi-Tech Park: phường Tân Phú of the former Quận 9 is not Quận Tân Phú
    "Hi-Tech Park, Lô I2, Đ. D1, Phường Tân Phú, Quận 9, Thành phố Hồ Chí Minh",
    "Lot I2, D1 Road, Tan Phu Ward, Thu Duc City",
    "xã Yên Phong và xã Tam Giang",  # 2025 communes named after the old district
])
def test_a_name_written_as_a_ward_or_commune_is_not_a_district(districts, text):
    try:
        found = gazetteer.lookup_vn_district(text).gazetteer_id
    except gazetteer.NotFound:
        found = None
    assert found not in ("vn-district:767", "vn-district:258")


@pytest.mark.parametrize("text, district", [
    ("Quận Tân Phú, Thành phố Hồ Chí Minh", "767"),
    ("Thủ Đức (Saigon Hi-Tech Park)", "769"),
    ("Lot I2, D1 Road, Tan Phu Ward, Thu Duc City", "769"),
    ("Khu công nghiệp Yên Phong II-C, huyện Yên Phong", "258"),
    # a province's name is the province, not its capital city ...
    ("Yen Binh industrial zone, Pho Yen, Thai Nguyen", "172"),
    # ... unless it is written as the city
    ("phường Trần Phú, TP Bắc Giang", "213"),
])
def test_a_district_is_the_one_the_text_names(districts, text, district):
    assert gazetteer.lookup_vn_district(text).gazetteer_id == f"vn-district:{district}"


def test_a_province_name_alone_names_no_district(districts):
    with pytest.raises(gazetteer.NotFound):
        gazetteer.lookup_vn_district("Quang Chau industrial park (Bac Giang)")


# --- Vietnam's communes and wards since July 2025 (vn-commune:<GSO code>) ------------------

def _unit(code, kind, name, polygon):
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": code,
        "properties": {"code": code, "name": name, "fullName": f"{kind} {name}"},
        "geometry": {"type": "Polygon", "coordinates": [polygon]}}]}


# Stand-ins laid out like the repository's json/geojson/ folder: a province file beside a
# wards/ folder of one file per unit, named by code and by the name without tone marks.
COMMUNE_FILES = {
    "json/geojson/24_bac_ninh/24_bac_ninh.geojson": _unit("24", "Tỉnh", "Bắc Ninh", []),
    "json/geojson/24_bac_ninh/wards/07795_nenh.geojson":
        _unit("07795", "Phường", "Nếnh", _square(106.10, 21.22, 0.02)),
    # U-shaped: its centroid falls in the gap
    "json/geojson/24_bac_ninh/wards/09265_phuong_lieu.geojson":
        _unit("09265", "Phường", "Phương Liễu", [
            [106.10, 21.10], [106.13, 21.10], [106.13, 21.13], [106.12, 21.13], [106.12, 21.11],
            [106.11, 21.11], [106.11, 21.13], [106.10, 21.13], [106.10, 21.10]]),
    "json/geojson/19_thai_nguyen/19_thai_nguyen.geojson": _unit("19", "Tỉnh", "Thái Nguyên", []),
    # one province, two names that differ by a tone mark only
    "json/geojson/19_thai_nguyen/wards/02143_van_lang.geojson":
        _unit("02143", "Xã", "Văn Lang", _square(106.05, 22.25, 0.02)),
    "json/geojson/19_thai_nguyen/wards/05665_van_lang.geojson":
        _unit("05665", "Xã", "Văn Lăng", _square(106.25, 21.85, 0.02)),
    "json/geojson/75_dong_nai/75_dong_nai.geojson": _unit("75", "Thành phố", "Đồng Nai", []),
    # a xã in the July 2025 list, a phường in the 2026 snapshot
    "json/geojson/75_dong_nai/wards/26485_nhon_trach.geojson":
        _unit("26485", "Phường", "Nhơn Trạch", _square(106.88, 10.73, 0.02)),
    "json/geojson/75_dong_nai/wards/26116_tan_phu.geojson":
        _unit("26116", "Phường", "Tân Phú", _square(106.95, 11.27, 0.02)),
    "json/geojson/79_ho_chi_minh/79_ho_chi_minh.geojson":
        _unit("79", "Thành phố", "Hồ Chí Minh", []),
    "json/geojson/79_ho_chi_minh/wards/27031_tan_phu.geojson":
        _unit("27031", "Phường", "Tân Phú", _square(106.62, 10.78, 0.02)),
}


@pytest.fixture
def communes(monkeypatch):
    paths = {m["code"]: m[0] for m in map(gazetteer.VN_COMMUNE_PATH.match, COMMUNE_FILES) if m}
    monkeypatch.setattr(gazetteer, "_vn_commune_paths", lambda: paths)
    monkeypatch.setattr(gazetteer, "_vn_commune_file", COMMUNE_FILES.__getitem__)


def test_a_commune_is_placed_on_its_centroid_with_its_province_and_licence(communes):
    record = gazetteer.record_by_id("vn-commune:07795")
    assert (record.gazetteer_id, record.name) == ("vn-commune:07795", "Phường Nếnh, Tỉnh Bắc Ninh")
    assert (record.lat, record.lon) == (21.23, 106.11)
    assert record.gazetteer.startswith("thanglequoc/vietnamese-provinces-database@cd58063")
    assert "MIT" in record.licence and "sapnhap.bando.com.vn" in record.licence
    with pytest.raises(gazetteer.NotFound):
        gazetteer.record_by_id("vn-commune:99999")


def test_a_commune_whose_centroid_falls_outside_it_gets_a_point_inside(communes):
    from shapely.geometry import Point, shape

    feature = COMMUNE_FILES["json/geojson/24_bac_ninh/wards/09265_phuong_lieu.geojson"]
    outline = shape(feature["features"][0]["geometry"])
    assert not outline.contains(outline.centroid)
    record = gazetteer.record_by_id("vn-commune:09265")
    assert outline.contains(Point(record.lon, record.lat))


@pytest.mark.parametrize("name, admin1, code", [
    ("Nếnh", "VN-56", "07795"),
    ("phường Nếnh", None, "07795"),
    ("Nenh", "VN-56", "07795"),
    ("xã Nhơn Trạch", "VN-39", "26485"),  # the kind a source printed in 2025 does not bar it
    ("Văn Lăng", "VN-69", "05665"),  # the tone mark tells the two apart
    ("Tân Phú", "VN-SG", "27031"),
])
def test_a_commune_is_found_by_its_2025_name_within_its_province(communes, name, admin1, code):
    assert gazetteer.lookup_vn_commune(name, admin1).gazetteer_id == f"vn-commune:{code}"


@pytest.mark.parametrize("name, admin1", [
    ("Tân Phú", None),  # in two provinces
    ("Van Lang", "VN-69"),  # without tone marks, two units of one province
    ("Nếnh", "VN-69"),  # not in that province
    ("Nếnh", "JP-43"),
])
def test_a_commune_name_that_is_ambiguous_or_elsewhere_is_not_placed(communes, name, admin1):
    with pytest.raises(gazetteer.NotFound):
        gazetteer.lookup_vn_commune(name, admin1)


def test_a_vietnamese_address_is_placed_only_by_the_commune_record_in_its_row(communes):
    row = {"coord_precision": "sourced_locality", "gazetteer_id": "vn-commune:07795",
           "country": "VN", "admin1": "VN-56", "city": "Viet Yen",
           "address": "KCN Quang Châu, xã Quang Châu, huyện Việt Yên, Bắc Giang"}
    assert gazetteer.resolve_site(row).gazetteer_id == "vn-commune:07795"
    # the address names a commune of before July 2025: which unit holds it is not guessed
    with pytest.raises(gazetteer.NotFound):
        gazetteer.resolve_site(row | {"gazetteer_id": ""})


def test_the_schema_knows_commune_records():
    import re

    from tjv_clusters.schema import GAZETTEER_ID_RE

    assert re.match(GAZETTEER_ID_RE, "vn-commune:07795")
    assert not re.match(GAZETTEER_ID_RE, "vn-commune:Nếnh")


def test_apply_places_commune_rows_and_records_them(communes, tmp_path, monkeypatch):
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "site_id,country,admin1,city,address,lat,lon,coord_precision,gazetteer_id\n"
        "a,VN,VN-56,Viet Yen,phường Nếnh,0,0,sourced_locality,vn-commune:07795\n",
        encoding="utf-8")
    monkeypatch.setattr(gazetteer, "LOCALITIES", tmp_path / "localities.csv")
    assert gazetteer.apply(sites) == 0
    assert sites.read_text(encoding="utf-8").splitlines()[1] == (
        "a,VN,VN-56,Viet Yen,phường Nếnh,21.230000,106.110000,sourced_locality,"
        "vn-commune:07795")
    record = next(r for r in gazetteer.read_localities(tmp_path / "localities.csv").values())
    assert record["name"] == "Phường Nếnh, Tỉnh Bắc Ninh"
    assert record["licence"] == gazetteer.VN_COMMUNE_LICENCE


def test_apply_keeps_a_commune_record_when_the_clone_is_not_at_hand(tmp_path, monkeypatch):
    import functools

    monkeypatch.setenv("VN_COMMUNES_REPO", str(tmp_path / "no-clone"))
    monkeypatch.setattr(gazetteer, "_vn_commune_paths",
                        functools.cache(gazetteer._vn_commune_paths.__wrapped__))
    localities = tmp_path / "localities.csv"
    localities.write_text(
        ",".join(gazetteer.LOCALITY_COLUMNS) + "\n"
        "vn-commune:07795,\"Phường Nếnh, Tỉnh Bắc Ninh\",21.233760,106.122819,"
        "thanglequoc/vietnamese-provinces-database@cd58063,MIT\n", encoding="utf-8")
    monkeypatch.setattr(gazetteer, "LOCALITIES", localities)
    sites = tmp_path / "sites.csv"
    row = "a,VN,VN-56,Viet Yen,phường Nếnh,21.233760,106.122819,sourced_locality,vn-commune:07795"
    sites.write_text("site_id,country,admin1,city,address,lat,lon,coord_precision,gazetteer_id\n"
                     + row + "\n", encoding="utf-8")
    assert gazetteer.apply(sites) == 0
    assert sites.read_text(encoding="utf-8").splitlines()[1] == row
    assert "vn-commune:07795" in gazetteer.read_localities(localities)


def _committed_commune_records() -> list[dict]:
    return [r for r in gazetteer.read_localities().values()
            if r["gazetteer_id"].startswith("vn-commune:")]


@pytest.mark.parametrize("committed", _committed_commune_records(),
                         ids=lambda r: r["gazetteer_id"])
def test_committed_commune_records_are_the_gazetteers(committed):
    """Against the clone, where one is at hand (VN_COMMUNES_REPO); skipped without it."""
    try:
        record = gazetteer.record_by_id(committed["gazetteer_id"])
    except gazetteer.NotFound as exc:
        pytest.skip(str(exc))
    assert record.row() == committed
