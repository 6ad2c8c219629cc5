"""What does the dataset say about one site or one region, and which sources say it?

Pure: returns plain dicts/frames for the details panel; rendering is in `widgets`.
"""

from __future__ import annotations

import pandas as pd

from tjv_clusters.dataset import Dataset, records
from tjv_clusters.i18n import fmt_date, fmt_money, fmt_number, local_name, t


def sources_of(ds: Dataset, ids) -> pd.DataFrame:
    """The cited sources, each once, in the order first cited."""
    rows = [ds.source_rows[i] for i in dict.fromkeys(ids) if i in ds.source_rows]
    found = ds.sources.iloc[rows]  # in the order cited, each once
    return found[found["url"].notna()].reset_index(drop=True)


def _rows(ds: Dataset, table: str, column: str, value) -> pd.DataFrame:
    """The rows of one of the dataset's tables whose `column` is (or lists) `value`;
    none for a missing value (as `==` finds none)."""
    missing = value is None or (isinstance(value, float) and pd.isna(value))
    return getattr(ds, table).iloc[[] if missing else ds.rows_by(table, column).get(value, [])]


def operators_of(ds: Dataset, site_id: str) -> pd.DataFrame:
    """The organisations that list the site, then those the site lists as operators."""
    by_org = ds.rows_by("organisations", "site_ids").get(site_id, [])
    site = ds.rows_by("sites", "site_id").get(site_id)
    org_rows = ds.rows_by("organisations", "org_id")
    listed = sorted({row for org in (ds.sites["operator_ids"].iat[site[0]] if site else ())
                     for row in org_rows.get(org, ())} - set(by_org))
    return ds.organisations.iloc[by_org + listed]


def site_details(ds: Dataset, site_id: str) -> dict | None:
    rows = _rows(ds, "sites", "site_id", site_id)
    if rows.empty:
        return None
    site = rows.iloc[0].to_dict()
    operators = operators_of(ds, site_id)
    agreements = _rows(ds, "agreements", "site_ids", site_id).sort_values("date")
    flows = _rows(ds, "flows", "site_id", site_id).sort_values("year")
    source_ids = list(site["source_ids"])
    for ids in list(agreements["source_ids"]) + list(flows["source_ids"]):
        source_ids += list(ids)
    region = _rows(ds, "admin1", "code", site["admin1"])
    locality = _rows(ds, "localities", "gazetteer_id", site.get("gazetteer_id"))
    return {
        "site": site,
        "locality": locality.iloc[0].to_dict() if not locality.empty else None,
        "region": region.iloc[0].to_dict() if not region.empty else None,
        "operators": operators,
        "agreements": agreements,
        "flows": flows,
        "all_sources": sources_of(ds, source_ids),
    }


def region_details(ds: Dataset, code: str, sites: pd.DataFrame | None = None) -> dict | None:
    region = ds.admin1[ds.admin1["code"] == code]
    if region.empty:
        return None
    sites = ds.sites if sites is None else sites
    here = sites[sites["admin1"] == code].sort_values(["kind", "name_en"])
    agreements = ds.agreements[
        ds.agreements["admin1_codes"].map(lambda codes: code in codes)
    ].sort_values("date")
    merged_from = ds.merger[(ds.merger["new_code"] == code) & (ds.merger["change"] == "merged")]
    flows_in, flows_out = region_flows(ds, code, set(here["site_id"]))
    flows = pd.concat([flows_in, flows_out]).sort_values("year")
    source_ids = [sid for ids in agreements["source_ids"] for sid in ids]
    source_ids += [sid for ids in flows["source_ids"] for sid in ids]
    source_ids += [sid for ids in merged_from["source_ids"] for sid in ids]
    return {
        "region": region.iloc[0].to_dict(),
        "sites": here,
        "agreements": agreements,
        "flows": flows,
        "flows_in": flows_in,
        "flows_out": flows_out,
        "merged_from": merged_from,
        "sources": sources_of(ds, source_ids),
    }


def region_flows(ds: Dataset, code: str, site_ids: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Money into the region (to its sites or to organisations based or operating there)
    and out of it (from such organisations), each flow once."""
    org_region = dict(zip(ds.organisations["org_id"], ds.organisations["admin1"], strict=True))
    org_sites = dict(zip(ds.organisations["org_id"], ds.organisations["site_ids"], strict=True))

    def in_region(org_id: str) -> bool:
        return org_region.get(org_id) == code or bool(set(org_sites.get(org_id, ())) & site_ids)

    flows = ds.flows
    flows_in = flows[flows["site_id"].isin(site_ids) | flows["to_id"].map(in_region)]
    flows_out = flows[flows["from_id"].map(in_region) & ~flows.index.isin(flows_in.index)]
    return flows_in, flows_out


def neighbours(admin1_geojson: dict, slack_deg: float = 0.02) -> dict[str, list[str]]:
    """For each unit, the units whose polygon touches it (within ~2 km, for straits and
    simplification). Read it as `Dataset.neighbours`, which works it out once."""
    from shapely import STRtree
    from shapely.geometry import shape

    codes = [f["properties"]["code"] for f in admin1_geojson["features"]]
    geoms = [shape(f["geometry"]) for f in admin1_geojson["features"]]
    tree = STRtree(geoms)
    out = {}
    for code, geom in zip(codes, geoms, strict=True):
        zone = geom.buffer(slack_deg)
        out[code] = sorted(codes[i] for i in tree.query(zone, predicate="intersects")
                           if codes[i] != code)
    return out


def place_profile(ds: Dataset, code: str) -> dict | None:
    """A region's profile: its sites, agreements, flows in and out, indicators, neighbours."""
    info = region_details(ds, code)
    if info is None:
        return None
    indicators = ds.indicators[ds.indicators["region"] == code]
    return {**info, "indicators": indicators, "neighbours": ds.neighbours.get(code, [])}


def precision_text(site: dict, locality: dict | None, lang: str) -> str:
    """How the point was obtained, in words: "approximate: centre of Kikuyo"."""
    precision = site["coord_precision"]
    # the gazetteer record's name where the point is that record's (a town block, a
    # district); the town as the data names it for a town centre
    by_record = precision in ("sourced_locality", "approx_locality") and locality
    place = locality["name"] if by_record else site.get("city")
    key = precision
    if precision == "sourced_locality" and str(site.get("gazetteer_id")).startswith("vn-commune:"):
        key = "sourced_commune"  # a commune is tens of km²: say so, not "town block"
    text = t(lang, "precision." + key, place=place or "")
    if locality:
        text += " " + t(lang, "precision.gazetteer", gazetteer=locality["gazetteer"])
    return text


def facility_facts(site: dict, lang: str) -> list[tuple[str, str]]:
    """The facility's sourced facts as (label, value); gaps stay out, never guessed."""
    facts = []
    if site.get("address"):
        facts.append((t(lang, "details.address"), site["address"]))
    if site.get("wafer_mm"):
        facts.append((t(lang, "details.wafer"),
                      ", ".join(t(lang, "details.wafer_mm", mm=mm) for mm in site["wafer_mm"])))
    if site.get("process_nm"):
        facts.append((t(lang, "details.process"),
                      t(lang, "details.process_nm", nm=site["process_nm"].replace("-", "–"))))
    if pd.notna(site.get("capacity_wpm")):
        facts.append((t(lang, "details.capacity"),
                      t(lang, "details.capacity_value", n=fmt_number(site["capacity_wpm"], lang),
                        year=int(site["capacity_year"]))))
    if site.get("opened"):
        facts.append((t(lang, "details.opened"), fmt_date(site["opened"], lang)))
    if site.get("closed"):
        facts.append((t(lang, "details.closed"), fmt_date(site["closed"], lang)))
    return facts


def site_facts(info: dict, lang: str) -> list[tuple[str, str]]:
    """A site's facts for the details panel as (label, plain text), from site_details:
    kind, status, sectors, where and how precisely, facility facts, operators."""
    site, region = info["site"], info["region"]
    place = ", ".join(x for x in (site.get("city"), region and local_name(region, lang)) if x)
    facts = [
        (t(lang, "details.kind"), t(lang, "kind." + site["kind"])),
        (t(lang, "details.status"), t(lang, "status." + site["status"])),
        (t(lang, "details.sectors"), ", ".join(t(lang, f"sector.{s}") for s in site["sectors"])),
        (t(lang, "details.location"),
         f"{place} ({precision_text(site, info.get('locality'), lang)})"),
        *facility_facts(site, lang),
    ]
    if not info["operators"].empty:
        facts.append((t(lang, "details.operator"), ", ".join(
            local_name(o, lang) for o in records(info["operators"]))))
    return facts


def site_line(site: dict, lang: str) -> str:
    """One line per site in a region's list: name (kind), plain text."""
    return f"{local_name(site, lang)} ({t(lang, 'kind.' + site['kind'])})"


def amount_text(flow: dict, lang: str) -> str:
    """A flow's amount as the source states it: '最大476,000,000,000 JPY', 'about …'."""
    amount = flow.get("amount")
    if amount is None or pd.isna(amount):
        return t(lang, "details.amount_undisclosed")
    qualifier = flow.get("amount_qualifier") or "exact"
    return t(lang, f"qualifier.{qualifier}", amount=fmt_money(amount, flow["currency"], lang))


def usd_text(flow: dict, lang: str) -> str:
    """The flow's USD amount with its basis, or that there is no sourced conversion."""
    usd = flow.get("amount_usd")
    if usd is None or pd.isna(usd):
        return t(lang, "flows.no_usd")
    return f"{fmt_money(usd, 'USD', lang)} — {flow.get('usd_basis') or ''}".rstrip(" —")


def event_facts(ds: Dataset, event: dict, lang: str) -> list[tuple[str, str]]:
    """An agreement's or event's facts as (label, plain text): when and what, its
    parties, the places it concerns."""
    orgs = ds.organisations.set_index("org_id")
    regions = ds.admin1.set_index("code")
    parties = ", ".join(local_name(orgs.loc[p], lang) for p in event["parties"]
                        if p in orgs.index)
    places = ", ".join(local_name(regions.loc[c], lang) for c in event["admin1_codes"]
                       if c in regions.index)
    return [(t(lang, "timeline.when"),
             f"{fmt_date(event['date'], lang)} · {t(lang, 'event.' + event['kind'])}"),
            (t(lang, "timeline.parties"), parties),
            (t(lang, "timeline.places"), places or "—")]


def flow_facts(flow: dict, lang: str) -> list[tuple[str, str]]:
    """A flow's facts as (label, plain text): payer and recipient (flow_table's names),
    the amount as the source states it, its USD basis, the kind of flow."""
    return [(t(lang, "flows.from_to"), f"{flow['from_name']} → {flow['to_name']}"),
            (t(lang, "flows.amount"), amount_text(flow, lang)),
            ("USD", usd_text(flow, lang)),
            (t(lang, "flows.kind"), t(lang, f"flow.{flow['kind']}"))]


def flow_line(flow: dict, lang: str) -> str:
    """One line per flow in lists: year · kind · amount · title (plain text, unescaped)."""
    return " · ".join((str(int(flow["year"])), t(lang, f"flow.{flow['kind']}"),
                       amount_text(flow, lang), local_name(flow, lang, "title")))


def event_line(event: dict, lang: str) -> str:
    """One line per agreement or event in lists: date · title (plain text, unescaped)."""
    return f"{fmt_date(event['date'], lang)} · {local_name(event, lang, 'title')}"


def merger_answer(merger: pd.DataFrame, old_code: str, lang: str) -> str:
    """Where a pre-July-2025 Vietnamese province went, in words: merged into another,
    kept its name and took in others, or unchanged."""
    row = merger[merger["old_code"] == old_code].iloc[0]
    if row["change"] == "unchanged":
        return t(lang, "about.merger_unchanged", old=row["old_name_vi"])
    if row["new_code"] != old_code:
        return t(lang, "about.merger_answer", old=row["old_name_vi"], new=row["new_name_vi"])
    others = merger[(merger["new_code"] == old_code) & (merger["old_code"] != old_code)]
    return t(lang, "about.merger_kept", old=row["old_name_vi"],
             others=", ".join(sorted(others["old_name_vi"])))
