"""What changed between dataset versions: `Dataset.changes` (data/changes.csv, written at
release time by scripts/build_history.py from the versioned data files), filtered."""

from __future__ import annotations

import pandas as pd

from tjv_clusters import vocab
from tjv_clusters.i18n import local_name
from tjv_clusters.schema import Change

# the tables whose records are followed from version to version, by their id column
TRACKED = {"sites.csv": "site_id", "organisations.csv": "org_id",
           "agreements.csv": "event_id", "flows.csv": "flow_id"}
# the column that names a record (in English: the page shows the chosen language's name
# of a record that still exists)
LABEL_COLUMN = {"sites.csv": "name_en", "organisations.csv": "name_en",
                "agreements.csv": "title_en", "flows.csv": "title_en"}
# table (as data/changes.csv names it) -> (Dataset attribute, id column, name field)
RECORDS = {"sites": ("sites", "site_id", "name"),
           "organisations": ("organisations", "org_id", "name"),
           "agreements": ("agreements", "event_id", "title"),
           "flows": ("flows", "flow_id", "title")}
COLUMNS = list(Change.model_fields)
KINDS = ("added", "changed", "removed")


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def versions(changes: pd.DataFrame) -> list[str]:
    """The versions that changed something, newest first."""
    return sorted(set(changes["version"]), key=_key, reverse=True)


def resolve_since(changes: pd.DataFrame, since: str) -> str | None:
    """`since` as a version ('3.0.0') or a date ('2026-11-30'): the oldest version whose
    changes count (the versions after `since`); None when nothing is newer."""
    later = [v for v in versions(changes)
             if (_key(v) > _key(since) if _is_version(since)
                 else changes.loc[changes["version"] == v, "date"].iloc[0] > since)]
    return later[-1] if later else None


def _is_version(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 3 and all(p.isdigit() for p in parts)


def since(changes: pd.DataFrame, version: str) -> pd.DataFrame:
    """The changes of `version` and every later version, newest first."""
    keep = changes["version"].map(lambda v: _key(v) >= _key(version))
    out = changes[keep].copy()
    out["_order"] = out["version"].map(_key)
    return out.sort_values(["_order", "table", "record_id"], ascending=[False, True, True],
                           kind="stable").drop(columns="_order")


def summary(changes: pd.DataFrame) -> pd.DataFrame:
    """Records added, changed and removed per table (a changed record counts once)."""
    records = changes.drop_duplicates(["table", "record_id", "change"])
    counts = records.groupby(["table", "change"]).size().unstack(fill_value=0)
    return counts.reindex(columns=list(KINDS), fill_value=0).reset_index()


def new_records(changes: pd.DataFrame, table: str = "sites") -> set[str]:
    """Ids of the records of `table` added in these changes and still there."""
    rows = changes[changes["table"] == table]
    added = set(rows.loc[rows["change"] == "added", "record_id"])
    return added - set(rows.loc[rows["change"] == "removed", "record_id"])


def base_version(releases: list[tuple[str, str]], since: str) -> str | None:
    """The release a comparison starts from: `since` itself if it is a version, else the
    newest release made on or before the date (the oldest release if the date is older);
    None if there is no release. `releases` is newest first (Dataset.releases)."""
    if not releases:
        return None
    if _is_version(since):
        return since
    dated = [version for version, day in releases if day <= since]
    return dated[0] if dated else releases[-1][0]


def record_countries(ds) -> dict[tuple[str, str], frozenset[str]]:
    """The countries each current record is in or touches: a site's or organisation's
    own, an agreement's parties and places, a flow's two ends."""
    org_country = dict(zip(ds.organisations["org_id"], ds.organisations["country"],
                           strict=True))
    out: dict[tuple[str, str], frozenset[str]] = {}
    for site_id, country in zip(ds.sites["site_id"], ds.sites["country"], strict=True):
        out["sites", site_id] = frozenset([country])
    for org_id, country in org_country.items():
        out["organisations", org_id] = frozenset([country])
    for event in ds.agreements[["event_id", "parties", "admin1_codes"]].itertuples():
        out["agreements", event.event_id] = frozenset(
            {org_country.get(p) for p in event.parties} | {c[:2] for c in event.admin1_codes}
        ) - {None}
    for flow in ds.flows[["flow_id", "from_id", "to_id"]].itertuples():
        out["flows", flow.flow_id] = frozenset(
            {org_country.get(flow.from_id), org_country.get(flow.to_id)}) - {None}
    return out


def listing(ds, since_version: str, lang: str, countries: tuple[str, ...] | None = None,
            where: dict[tuple[str, str], frozenset[str]] | None = None) -> pd.DataFrame:
    """The changes made after `since_version`, newest first, each record named in `lang`
    when it still exists (else by the English name it had). With `countries`, only the
    records that touch one of them; removed records stay listed, since the current data
    no longer says where they were. `where` is `record_countries(ds)`, if already known."""
    first = resolve_since(ds.changes, since_version) if _is_version(since_version) else None
    if first is None:
        return ds.changes.iloc[0:0].assign(record="")
    rows = since(ds.changes, first)
    if countries is not None and set(countries) != set(vocab.COUNTRIES):
        # every country chosen: every record (a foreign company touches none of ours)
        where = record_countries(ds) if where is None else where
        wanted = set(countries)
        keep = [change == "removed" or bool(where.get((table, rid), frozenset()) & wanted)
                for table, rid, change in zip(rows["table"], rows["record_id"], rows["change"],
                                              strict=True)]
        rows = rows[keep]
    names: dict[tuple[str, str], str] = {}
    for table, (attr, id_column, field) in RECORDS.items():
        frame = getattr(ds, attr)
        ids = set(rows.loc[rows["table"] == table, "record_id"])
        for record in frame[frame[id_column].isin(ids)].to_dict("records"):
            names[table, record[id_column]] = local_name(record, lang, field)
    record = [names.get((table, rid)) or label for table, rid, label in
              zip(rows["table"], rows["record_id"], rows["label"], strict=True)]
    return rows.assign(record=record).reset_index(drop=True)
