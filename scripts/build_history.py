"""Write data/changes.csv: what each dataset version added, changed and removed, field by
field, derived from the data files themselves in git history (run at release time, after
the version's entry is in data/CHANGELOG.md; the app and the tests only read the file).

A version's snapshot is the data as it stood just before the next version's entry was
first committed (the newest version: the working tree; while its entry is not committed
yet, the version before it is the data at HEAD). Records are matched on their id column;
for a changed record, one row per changed field.

Usage: python scripts/build_history.py   (tests/test_changes.py fails when the file is stale)
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tjv_clusters.changes import COLUMNS, LABEL_COLUMN, TRACKED  # noqa: E402

DATA = ROOT / "data"
OUT = DATA / "changes.csv"
HEADING = re.compile(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})", re.M)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def versions() -> list[tuple[str, str]]:
    """(version, date), oldest first, from the changelog in the working tree."""
    text = (DATA / "CHANGELOG.md").read_text(encoding="utf-8")
    return list(reversed(HEADING.findall(text)))


def introduced(version: str) -> str | None:
    """The first commit whose changelog has this version's heading."""
    out = git("log", "--format=%H", "--reverse", "-S", f"## {version} ", "--",
              "data/CHANGELOG.md").split()
    return out[0] if out else None


def read_at(commit: str | None, name: str) -> dict[str, dict[str, str]]:
    """A table's records by id, at `commit` (None: the working tree)."""
    if commit is None:
        text = (DATA / name).read_text(encoding="utf-8")
    else:
        try:
            text = git("show", f"{commit}:data/{name}")
        except subprocess.CalledProcessError:
            return {}
    key = TRACKED[name]
    return {row[key]: row for row in csv.DictReader(io.StringIO(text))}


def diff(version: str, date: str, old: dict, new: dict, name: str) -> list[dict]:
    key, label = TRACKED[name], LABEL_COLUMN[name]
    rows = []

    def row(record_id, change, record, field="", before="", after=""):
        return {"version": version, "date": date, "table": name.removesuffix(".csv"),
                "record_id": record_id, "label": record.get(label, ""), "change": change,
                "field": field, "old": before, "new": after,
                "source_ids": record.get("source_ids", "")}

    for record_id in sorted(new.keys() - old.keys()):
        rows.append(row(record_id, "added", new[record_id]))
    for record_id in sorted(old.keys() - new.keys()):
        rows.append(row(record_id, "removed", old[record_id]))
    for record_id in sorted(old.keys() & new.keys()):
        before, after = old[record_id], new[record_id]
        for field in after:
            if field != key and before.get(field, "") != after[field]:
                rows.append(row(record_id, "changed", after, field, before.get(field, ""),
                                after[field]))
    return rows


def build() -> list[dict]:
    chain = versions()
    commits = [introduced(v) for v, _ in chain]
    # snapshot of version i: just before version i+1 was written down; newest: working tree
    snapshots: list[str | None] = []
    for i in range(len(chain)):
        nxt = commits[i + 1] if i + 1 < len(chain) else None
        if nxt:
            snapshots.append(git("rev-parse", f"{nxt}^").strip())
        elif i + 1 < len(chain):
            # version i+1's entry is not committed yet: it will be written on top of HEAD
            snapshots.append("HEAD")
        else:
            snapshots.append(None)
    rows: list[dict] = []
    for i in range(1, len(chain)):
        version, date = chain[i]
        for name in TRACKED:
            rows += diff(version, date, read_at(snapshots[i - 1], name),
                         read_at(snapshots[i], name), name)
    return rows


def render(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    rows = build()
    OUT.write_text(render(rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
