"""Who signed what with whom, and where does the money go? Timeline and flow tables.

Pure (no streamlit): lanes and figures for agreements, the flow table, Sankey diagrams
and the places (points) of organisations, sites and regions.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tjv_clusters import vocab
from tjv_clusters.charts import fit_narrow
from tjv_clusters.cluster_map import PALETTE
from tjv_clusters.dataset import Dataset, parse_partial_date
from tjv_clusters.i18n import country_label, local_name, t
from tjv_clusters.mini_map import Arc, Point, arc_weight

EVENT_STYLE = {  # kind -> (colour, symbol): colour-blind safe, shape as a second cue
    "mou": (PALETTE["blue"], "circle"),
    "agreement": (PALETTE["sky"], "square"),
    "designation": (PALETTE["purple"], "star"),
    "milestone": (PALETTE["black"], "diamond"),
    "delegation": (PALETTE["green"], "triangle-up"),
    "expo": (PALETTE["orange"], "hexagon"),
    "opening": (PALETTE["vermillion"], "pentagon"),
}
COUNTRY_ORDER = {c: i for i, c in enumerate(vocab.COUNTRIES)}


# -- places -------------------------------------------------------------------------


def org_point(ds: Dataset, org_id: str, prefer_sites: tuple[str, ...] = ()) -> Point | None:
    """Where an organisation is: a site it operates (preferring the given ones), else its
    headquarters' region, else nowhere (no invented location)."""
    orgs = ds.organisations.set_index("org_id")
    if org_id not in orgs.index:
        return None
    org = orgs.loc[org_id]
    sites = ds.sites.set_index("site_id")
    for site_id in list(prefer_sites) + list(org["site_ids"]):
        if site_id in sites.index and site_id in org["site_ids"]:
            s = sites.loc[site_id]
            return Point(org["name_en"], float(s["lat"]), float(s["lon"]))
    if org["admin1"]:
        unit = ds.admin1.set_index("code")
        if org["admin1"] in unit.index:
            u = unit.loc[org["admin1"]]
            return Point(org["name_en"], float(u["label_lat"]), float(u["label_lon"]))
    return None


def site_point(ds: Dataset, site_id: str) -> Point | None:
    sites = ds.sites.set_index("site_id")
    if site_id not in sites.index:
        return None
    s = sites.loc[site_id]
    return Point(s["name_en"], float(s["lat"]), float(s["lon"]))


# -- agreements ---------------------------------------------------------------------


def lane_of(parties: tuple[str, ...], org_country: dict[str, str]) -> str:
    """'JP–TW'-style lane from the parties' countries (ordered JP, TW, VN, others)."""
    countries = {org_country.get(p) for p in parties} - {None}
    ordered = sorted(countries, key=lambda c: (COUNTRY_ORDER.get(c, 99), c))
    return "–".join(ordered) if ordered else "?"


def lane_label(lane: str, lang: str) -> str:
    """A lane ('JP–TW') with the countries named in `lang`."""
    return "–".join(country_label(c, lang) for c in lane.split("–"))


def timeline_rows(ds: Dataset, events: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Events in date order with their lane and, in `title`, the title in `lang`."""
    org_country = dict(zip(ds.organisations["org_id"], ds.organisations["country"], strict=True))
    rows = events.copy()
    rows["title"] = [local_name(r, lang, "title") for r in rows.to_dict("records")]
    rows["lane"] = rows["parties"].map(lambda p: lane_of(p, org_country))
    rows["when"] = rows["date"].map(parse_partial_date)
    rows["label"] = [f"#{int(n)}" if pd.notna(n) else "" for n in rows["series_no"]]
    return rows.sort_values("when")


def make_timeline_figure(rows: pd.DataFrame, lane_label, kind_label, title: str) -> go.Figure:
    fig = go.Figure()
    for kind, part in rows.groupby("kind", sort=False):
        colour, symbol = EVENT_STYLE[kind]
        fig.add_trace(go.Scatter(
            x=part["when"], y=part["lane"].map(lane_label), mode="markers+text",
            text=part["label"], textposition="top center",
            marker={"color": colour, "symbol": symbol, "size": 13,
                    "line": {"width": 1, "color": "#1a1a1a"}},
            name=kind_label(kind), customdata=part[["event_id", "date", "title"]].values,
            hovertemplate="<b>%{customdata[2]}</b><br>%{customdata[1]}<extra>%{fullData.name}"
                          "</extra>",
        ))
    fig.update_layout(
        title={"text": title, "font": {"size": 16}}, template="plotly_white", height=460,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        margin={"l": 10, "r": 10, "t": 50, "b": 10}, clickmode="event+select",
        yaxis={"automargin": True}, xaxis={"type": "date"},
    )
    return fit_narrow(fig)


def series_table(ds: Dataset, series: str, lang: str = "en") -> pd.DataFrame:
    """A numbered series of events (e.g. TJPO's MOUs), in order, with the partners."""
    rows = ds.agreements[ds.agreements["series"] == series].sort_values("series_no")
    names = {o["org_id"]: local_name(o, lang) for o in ds.organisations.to_dict("records")}
    return pd.DataFrame({
        "no": rows["series_no"].astype(int),
        "date": rows["date"],
        "partners": rows["parties"].map(lambda ps: ", ".join(names.get(p, p) for p in ps)),
        "title": [local_name(r, lang, "title") for r in rows.to_dict("records")],
        "event_id": rows["event_id"],
    })


def event_map_parts(ds: Dataset, event: pd.Series) -> tuple[list[Point], list[Arc]]:
    """The parties' places and arcs between every pair of partners."""
    points = []
    for party in event["parties"]:
        p = org_point(ds, party, tuple(event["site_ids"]))
        if p and all((p.lat, p.lon) != (q.lat, q.lon) for q in points):
            points.append(p)
    for site_id in event["site_ids"]:
        p = site_point(ds, site_id)
        if p and all((p.lat, p.lon) != (q.lat, q.lon) for q in points):
            points.append(p)
    arcs = [Arc(a, b, 2.5) for i, a in enumerate(points) for b in points[i + 1:]]
    return points, arcs


# -- flows ----------------------------------------------------------------------------


def flow_table(ds: Dataset, flows: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Flows by year with payer and recipient names and the title in `lang`."""
    orgs = ds.organisations.set_index("org_id")
    names = {o["org_id"]: local_name(o, lang) for o in ds.organisations.to_dict("records")}
    rows = flows.copy()
    rows["from_name"] = rows["from_id"].map(names)
    rows["to_name"] = rows["to_id"].map(names)
    rows["title"] = [local_name(r, lang, "title") for r in rows.to_dict("records")]
    rows["from_country"] = rows["from_id"].map(orgs["country"])
    rows["to_country"] = rows["to_id"].map(orgs["country"])
    # country-wide totals ("all Taiwanese investors") overlap the individual flows
    rows["aggregate"] = (rows["from_id"].map(orgs["kind"]).eq("investor_group")
                         | rows["to_id"].map(orgs["kind"]).eq("investor_group"))
    return rows.sort_values(["year", "flow_id"])


def make_sankey(table: pd.DataFrame, level: str, title: str, country_label,
                include_aggregates: bool = False, lang: str = "en") -> go.Figure:
    """Sankey of USD amounts; flows without a USD amount are left out (listed elsewhere),
    and so are country-wide totals unless asked for: they would count money twice."""
    drawn = table[table["amount_usd"].notna()]
    if not include_aggregates:
        drawn = drawn[~drawn["aggregate"]]
    if level == "country":
        src = drawn["from_country"].map(lambda c: f"{country_label(c)} ")
        dst = drawn["to_country"].map(lambda c: f" {country_label(c)}")
    else:
        src, dst = drawn["from_name"], drawn["to_name"] + " "
    links = (pd.DataFrame({"src": src, "dst": dst, "usd": drawn["amount_usd"]})
             .groupby(["src", "dst"], as_index=False).agg(usd=("usd", "sum"),
                                                          n=("usd", "size")))
    nodes = list(dict.fromkeys(list(links["src"]) + list(links["dst"])))
    index = {n: i for i, n in enumerate(nodes)}
    fig = go.Figure(go.Sankey(
        node={"label": nodes, "pad": 14, "thickness": 14, "color": PALETTE["sky"]},
        link={"source": links["src"].map(index), "target": links["dst"].map(index),
              "value": links["usd"] / 1e6, "customdata": links["n"],
              "hovertemplate": "%{source.label} → %{target.label}<br>"
                               + t(lang, "flows.sankey_hover") + "<extra></extra>"},
    ))
    fig.update_layout(title={"text": title, "font": {"size": 16}}, height=480,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fit_narrow(fig)


def flow_arcs(ds: Dataset, table: pd.DataFrame) -> list[Arc]:
    """One arc per flow with a USD amount, from payer to recipient (or its site);
    country-wide totals have no single place and are not drawn."""
    drawn = table[table["amount_usd"].notna() & ~table["aggregate"]]
    largest = float(drawn["amount_usd"].max()) if not drawn.empty else 0.0
    arcs = []
    for _, f in drawn.iterrows():
        start = org_point(ds, f["from_id"])
        end = (site_point(ds, f["site_id"]) if isinstance(f["site_id"], str) else None) \
            or org_point(ds, f["to_id"])
        if start and end and (start.lat, start.lon) != (end.lat, end.lon):
            arcs.append(Arc(start, end, arc_weight(f["amount_usd"], largest),
                            f"{f['from_name']} → {f['to_name']}: US$ "
                            f"{f['amount_usd'] / 1e6:,.0f} m ({int(f['year'])})"))
    return arcs


def timeline_figure(rows: pd.DataFrame, lang: str) -> go.Figure:
    """The timeline as both front ends draw it: lanes, kinds and title in `lang`."""
    return make_timeline_figure(rows, lambda lane: lane_label(lane, lang),
                                lambda k: t(lang, f"event.{k}"), t(lang, "timeline.chart_title"))


def flows_sankey(table: pd.DataFrame, level: str, lang: str,
                 include_aggregates: bool = False) -> go.Figure:
    """The flows Sankey as both front ends draw it, its title and countries in `lang`."""
    return make_sankey(table, level, t(lang, "flows.sankey_title"),
                       lambda c: country_label(c, lang), include_aggregates=include_aggregates,
                       lang=lang)
