"""How deep and how true is the dataset? Counts, location precision and shared points.

Reads data/sites.csv as plain CSV (so it also reports on an older version of the file,
e.g. `git show v1:data/sites.csv > /tmp/old/sites.csv`) and prints:
  - sites by kind group and country, fabs and packaging/test plants, closed plants;
  - how each point was obtained (coord_precision), overall and for fabs and plants;
  - points shared by two or more distinct sites, and how many of those are explained
    in data/shared_points.csv;
  - facility facts filled (wafer size, node, capacity, start of production).

Usage: python scripts/data_report.py [DATA_DIR]
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tjv_clusters import vocab  # noqa: E402


def read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def share(n: int, total: int) -> str:
    return f"{n:4d} ({100 * n / total:5.1f} %)" if total else f"{n:4d}"


def report(data_dir: Path) -> list[str]:
    sites = read(data_dir / "sites.csv")
    lines = [f"sites: {len(sites)}"]
    group_of = {k: g for g, kinds in vocab.SITE_GROUPS.items() for k in kinds}
    by_group = Counter((group_of.get(s["kind"], "?"), s["country"]) for s in sites)
    lines.append("by layer and country:")
    for group in vocab.SITE_GROUPS:
        row = ", ".join(f"{c} {by_group[(group, c)]}" for c in vocab.COUNTRIES)
        lines.append(f"  {group:14s} {sum(by_group[(group, c)] for c in vocab.COUNTRIES):4d}"
                     f"  ({row})")
    kinds = Counter(s["kind"] for s in sites)
    lines.append("plants: " + ", ".join(f"{k} {kinds[k]}" for k in vocab.PLANT_KINDS))
    closed = [s for s in sites if s["status"] == "closed"]
    lines.append(f"closed sites: {len(closed)} "
                 f"({sum(bool(s.get('closed')) for s in closed)} with their closing date)")

    plants = [s for s in sites if s["kind"] in vocab.PLANT_KINDS]
    for label, rows in (("all sites", sites), ("fabs and plants", plants)):
        counts = Counter(s["coord_precision"] for s in rows)
        lines.append(f"coord_precision, {label} ({len(rows)}):")
        for p in vocab.COORD_PRECISION:
            if counts[p]:
                lines.append(f"  {p:17s} {share(counts[p], len(rows))}")
        sourced = sum(counts[p] for p in vocab.SOURCED_PRECISION)
        lines.append(f"  {'SOURCED':17s} {share(sourced, len(rows))}")
    with_source = sum(bool(s.get("coord_source")) for s in sites)
    lines.append(f"sites with coord_source: {share(with_source, len(sites))}")

    points: dict[tuple[str, str], list[str]] = {}
    for s in sites:
        key = (f"{float(s['lat']):.6f}", f"{float(s['lon']):.6f}")
        points.setdefault(key, []).append(s["site_id"])
    shared = {k: v for k, v in points.items() if len(v) > 1}
    allowed = {i for row in read(data_dir / "shared_points.csv")
               for i in row["site_ids"].split(";")}
    explained = sum(all(i in allowed for i in ids) for ids in shared.values())
    lines.append(f"shared points: {sum(len(v) for v in shared.values())} sites on "
                 f"{len(shared)} points; {explained} of those points explained in "
                 "shared_points.csv")
    facts = {c: sum(bool(s.get(c)) for s in sites if s["kind"] == "fab")
             for c in ("wafer_mm", "process_nm", "capacity_wpm", "opened")}
    lines.append(f"fab facts filled (of {kinds['fab']} fabs): "
                 + ", ".join(f"{c} {n}" for c, n in facts.items()))
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else ROOT / "data"
    print("\n".join(report(data_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
