"""Which site, organisation, city or region does a typed name mean, in any language?

Matching ignores case and Vietnamese/Japanese diacritics ("bac ninh" finds "Bắc Ninh",
"kumamoto" finds "Kumamoto"), and looks at all four name columns.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from tjv_clusters.dataset import Dataset

NAME_COLUMNS = ("name_en", "name_ja", "name_zh_tw", "name_vi")
KIND_ORDER = {"site": 0, "region": 1, "city": 2, "organisation": 3}


def fold(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@dataclass(frozen=True)
class Entry:
    kind: str  # site | region | city | organisation
    entity_id: str
    names: tuple[str, ...]
    lat: float | None
    lon: float | None
    region: str | None  # admin1 code to select on the map
    site: str | None = None  # an organisation's first site: what choosing it shows

    def label(self, name_column_index: int = 0) -> str:
        return self.names[name_column_index] or self.names[0]


def _entries(frame: pd.DataFrame, kind: str, id_col: str, lat: str, lon: str, region: str):
    for _, r in frame.iterrows():
        yield Entry(
            kind=kind,
            entity_id=r[id_col],
            names=tuple((r.get(c) or "") for c in NAME_COLUMNS),
            lat=float(r[lat]) if lat in r and pd.notna(r[lat]) else None,
            lon=float(r[lon]) if lon in r and pd.notna(r[lon]) else None,
            region=r.get(region) or None,
        )


def build_index(ds: Dataset) -> list[Entry]:
    index = list(_entries(ds.sites, "site", "site_id", "lat", "lon", "admin1"))
    index += _entries(ds.admin1, "region", "code", "label_lat", "label_lon", "code")
    index += _entries(ds.cities, "city", "city_id", "lat", "lon", "admin1")
    # An organisation is placed at its first site, else at its HQ region's label point.
    site_pos = {e.entity_id: e for e in index if e.kind == "site"}
    region_pos = {e.entity_id: e for e in index if e.kind == "region"}
    for _, o in ds.organisations.iterrows():
        anchor = next((site_pos[s] for s in o["site_ids"] if s in site_pos), None)
        anchor = anchor or region_pos.get(o.get("admin1") or "")
        index.append(Entry(
            kind="organisation",
            entity_id=o["org_id"],
            names=tuple((o.get(c) or "") for c in NAME_COLUMNS),
            lat=anchor.lat if anchor else None,
            lon=anchor.lon if anchor else None,
            region=anchor.region if anchor else None,
            site=anchor.entity_id if anchor and anchor.kind == "site" else None,
        ))
    return index


def _natural(text: str) -> tuple:
    """'Fab 2' before 'Fab 10'."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"(\d+)", fold(text)) if part)


def _match_rank(query: str, names: list[str]) -> int | None:
    """0: a whole name, or a name's acronym in brackets ('JASM'); 1: a name starts with
    it; 2: a word of a name starts with it; 3: anywhere in a name; None: no match."""
    if not any(query in n for n in names):
        return None
    aliases = {a.strip() for n in names for a in re.findall(r"\(([^()]+)\)", n)}
    if query in names or query in aliases:
        return 0
    if any(n.startswith(query) for n in names):
        return 1
    if any(w.startswith(query) for n in names for w in re.split(r"[\s\-–(),/·]+", n)):
        return 2
    return 3


def search(index: list[Entry], query: str, limit: int = 10) -> list[Entry]:
    """Entries whose name contains the query: the exact name or acronym first (the
    organisation before its sites), then names that start with it, in natural order."""
    q = fold(query)
    if not q:
        return []
    scored = []
    for entry in index:
        rank = _match_rank(q, [fold(n) for n in entry.names if n])
        if rank is None:
            continue
        kind = -1 if rank == 0 and entry.kind == "organisation" else KIND_ORDER[entry.kind]
        scored.append((rank, kind, _natural(entry.names[0]), entry))
    scored.sort(key=lambda item: item[:3])
    return [entry for *_, entry in scored[:limit]]
