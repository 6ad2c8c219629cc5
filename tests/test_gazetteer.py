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
