"""What changed between dataset versions: `Dataset.changes` (data/changes.csv, written at
release time by scripts/build_history.py from the versioned data files), filtered."""

from __future__ import annotations

import pandas as pd

from tjv_clusters.schema import Change

# the tables whose records are followed from version to version, by their id column
TRACKED = {"sites.csv": "site_id", "organisations.csv": "org_id",
           "agreements.csv": "event_id", "flows.csv": "flow_id"}
# the column that names a record (in English: the page shows the chosen language's name
# of a record that still exists)
LABEL_COLUMN = {"sites.csv": "name_en", "organisations.csv": "name_en",
                "agreements.csv": "title_en", "flows.csv": "title_en"}
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
