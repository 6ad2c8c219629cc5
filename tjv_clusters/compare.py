"""Two to four regions side by side: the same blocks for each (places by kind and status,
agreements, money in and out, indicators) and figures on shared axes.

Pure (no streamlit). A region's facts are those of its place profile
(`details.region_details`), narrowed by the view's filters except the country filter:
choosing a region is choosing its country.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from tjv_clusters import details, vocab
from tjv_clusters.charts import fit_narrow
from tjv_clusters.cluster_map import PALETTE
from tjv_clusters.dataset import Dataset
from tjv_clusters.filters import Filters, filter_agreements, filter_flows, filter_sites
from tjv_clusters.i18n import local_name, t

MAX_REGIONS = 4
# one colour a region, in the order chosen (colour-blind safe, as on the map)
REGION_COLOURS = (PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"], PALETTE["purple"])


def summaries(ds: Dataset, codes: list[str], filters: Filters) -> list[dict]:
    """Each region's facts, in the order given; unknown codes are left out."""
    everywhere = replace(filters, countries=vocab.COUNTRIES)
    sites = filter_sites(ds.sites, everywhere)
    agreements = set(filter_agreements(ds.agreements, ds.organisations, everywhere)["event_id"])
    flows = set(filter_flows(ds.flows, ds.organisations, everywhere)["flow_id"])
    out = []
    for code in codes[:MAX_REGIONS]:
        info = details.region_details(ds, code, sites)
        if info is None:
            continue
        info["agreements"] = info["agreements"][info["agreements"]["event_id"].isin(agreements)]
        for key in ("flows", "flows_in", "flows_out"):
            info[key] = info[key][info[key]["flow_id"].isin(flows)]
        info["indicators"] = ds.indicators[(ds.indicators["region"] == code)
                                           & (ds.indicators["year"] <= everywhere.until)]
        ids = [sid for frame in (info["sites"], info["agreements"], info["flows"],
                                 info["indicators"]) for row in frame["source_ids"] for sid in row]
        info["sources"] = details.sources_of(ds, ids)
        out.append(info)
    return out


def kind_status_table(sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Places by kind (rows) and status (columns), in the chosen language; kinds with no
    place are left out."""
    counts = sites.groupby(["kind", "status"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=[k for k in vocab.SITE_KINDS if k in counts.index],
                            columns=[s for s in vocab.SITE_STATUS if s in counts.columns],
                            fill_value=0)
    counts.index = [t(lang, f"kind.{k}") for k in counts.index]
    counts.columns = [t(lang, f"status.{s}") for s in counts.columns]
    return counts


def indicator_table(ds: Dataset, indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A region's indicators to read: the series' title in the chosen language, the
    period, the value as stated ("up to", ranges) and its unit."""
    titles = ds.indicator_series.set_index("indicator")
    rows = []
    for r in indicators.sort_values(["indicator", "year"]).to_dict("records"):
        series = titles.loc[r["indicator"]] if r["indicator"] in titles.index else {}
        value = f"{r['value']:g}" + (f"–{r['value_high']:g}" if pd.notna(r["value_high"]) else "")
        rows.append({t(lang, "compare.indicator"): local_name(series, lang, "title")
                     or r["indicator"],
                     t(lang, "compare.period"): r["period"] if isinstance(r["period"], str)
                     else str(int(r["year"])),
                     t(lang, "compare.value"): value, t(lang, "compare.unit"): r["unit"]})
    return pd.DataFrame(rows)


def region_label(region: dict, lang: str) -> str:
    return f"{local_name(region, lang)} ({region['code']})"


def figure_rows(regions: list[dict], lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the two shared-axis figures plot: places by kind, and the USD amounts of the
    money flowing in by year (flows stated or converted to USD, each with its sources)."""
    places, money = [], []
    for info in regions:
        label = region_label(info["region"], lang)
        for kind, n in info["sites"]["kind"].value_counts().items():
            places.append({"region": label, "kind": kind, "places": int(n),
                           "source_ids": tuple(sid for ids in info["sites"].loc[
                               info["sites"]["kind"] == kind, "source_ids"] for sid in ids)})
        flows = info["flows_in"]
        for year, group in flows[flows["amount_usd"].notna()].groupby("year"):
            money.append({"region": label, "year": int(year),
                          "usd_m": round(float(group["amount_usd"].sum()) / 1e6, 1),
                          "flows": len(group),
                          "source_ids": tuple(sid for ids in group["source_ids"] for sid in ids)})
    return (pd.DataFrame(places, columns=["region", "kind", "places", "source_ids"]),
            pd.DataFrame(money, columns=["region", "year", "usd_m", "flows", "source_ids"]))


def _bars(rows: pd.DataFrame, x: str, y: str, regions: list[str], x_label, title: str,
          y_title: str, hover: str) -> go.Figure:
    fig = go.Figure()
    for colour, region in zip(REGION_COLOURS, regions, strict=False):
        mine = rows[rows["region"] == region]
        fig.add_bar(x=[x_label(v) for v in mine[x]], y=mine[y], name=region,
                    marker_color=colour, hovertemplate=hover + "<extra>%{fullData.name}</extra>")
    fig.update_layout(
        title={"text": title, "font": {"size": 16}}, barmode="group", height=360,
        margin={"l": 10, "r": 10, "t": 60, "b": 10}, yaxis_title=y_title,
        # below the chart: a legend beside it would squeeze a phone-width plot
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
    )
    return fit_narrow(fig)


def make_places_figure(rows: pd.DataFrame, regions: list[str], lang: str) -> go.Figure:
    fig = _bars(rows, "kind", "places", regions, lambda k: t(lang, f"kind.{k}"),
                t(lang, "compare.places_chart"), t(lang, "compare.places_axis"),
                "%{x}: %{y}")
    order = [t(lang, f"kind.{k}") for k in vocab.SITE_KINDS if k in set(rows["kind"])]
    fig.update_xaxes(categoryorder="array", categoryarray=order)
    return fig


def make_money_figure(rows: pd.DataFrame, regions: list[str], lang: str) -> go.Figure:
    fig = _bars(rows, "year", "usd_m", regions, str, t(lang, "compare.money_chart"),
                t(lang, "compare.money_axis"), "%{x}: US$ %{y:,.1f} m")
    fig.update_xaxes(type="category", categoryorder="category ascending")
    return fig
