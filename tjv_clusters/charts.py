"""Which chart shows an indicator panel honestly? Plotly figures built from data/ only.

Pure (no streamlit). Rules the builders keep:
- sourced points only; a line joins consecutive years only, so missing years are gaps;
- each (indicator, region) is its own trace: different bases are never one line;
- forecasts and targets are separate, dashed traces;
- hover shows value, unit, period, basis and source.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from tjv_clusters.cluster_map import PALETTE

# Okabe–Ito order for traces, shared with the map's palette.
TRACE_COLOURS = [PALETTE[c] for c in
                 ("blue", "vermillion", "green", "orange", "purple", "sky", "black", "yellow")]
# Taken to mean "the whole series": a region left as None in a panel.
ALL_REGIONS = None


@dataclass(frozen=True)
class Panel:
    """One chart: which (indicator, region) series it plots, for which countries."""

    panel_id: str
    series: tuple[tuple[str, str | None], ...]
    countries: tuple[str, ...]  # shown when any of these is in the country filter


IC_PANELS = (
    Panel("kyushu_ic_value", (
        ("kyushu_ic_production_value", "kyushu"),
        ("kyushu_ic_production_value_jan_oct", "kyushu"),
        ("kyushu_ic_production_value_jan_aug", "kyushu"),
    ), ("JP",)),
    Panel("kyushu_ic_share", (
        ("kyushu_ic_share_of_japan", "kyushu"),
        ("kyushu_ic_share_of_japan_kerc_white_paper", ALL_REGIONS),
        ("kyushu_chip_output_share_of_japan_unclear_basis", "kyushu"),
        ("kyushu_semiconductor_related_production_share_of_japan", "kyushu"),
    ), ("JP",)),
    Panel("japan_world_share", (
        ("world_semiconductor_sales_share_meti_omdia", "JP"),
        ("japan_chip_sales_world_share_statista", "JP"),
        ("japan_semiconductor_world_share_wikipedia", "JP"),
        ("world_semiconductor_sales_share_sia_hq", "JP"),
    ), ("JP",)),
    Panel("taiwan_foundry", (
        ("foundry_capacity_share_trendforce", "TW"),
        ("advanced_process_capacity_share_trendforce", "TW"),
        ("sub10nm_logic_capacity_share_sia_bcg", "TW"),
        ("sub10nm_logic_capacity_share_2019_chart", "TW"),
        ("tsmc_foundry_revenue_share", "TW"),
    ), ("TW",)),
    Panel("capacity_by_region", (
        ("fab_capacity_share_sia_bcg", ALL_REGIONS),
        ("fab_capacity_share_semi_300mm", "JP"),
    ), ("JP", "TW", "VN")),
    Panel("sub10nm_by_region", (
        ("sub10nm_logic_capacity_share_sia_bcg", ALL_REGIONS),
    ), ("JP", "TW")),
    Panel("vietnam_atp", (
        ("atp_capacity_share_sia_bcg", "VN"),
    ), ("VN",)),
    Panel("vietnam_trade", (
        ("vietnam_exports_computers_electronics_components", "VN"),
        ("vietnam_exports_computers_electronics_components_jan_nov", "VN"),
        ("vietnam_imports_computers_electronics_components_to_dec15", "VN"),
        ("vietnam_electronics_exports_to_aug15", "VN"),
    ), ("VN",)),
)


def panel_rows(indicators: pd.DataFrame, panel: Panel, year_from: int | None = None,
               year_to: int | None = None) -> pd.DataFrame:
    """Exactly the rows a panel plots (its "show data" table)."""
    parts = []
    for indicator, region in panel.series:
        rows = indicators[indicators["indicator"] == indicator]
        if region is not ALL_REGIONS:
            rows = rows[rows["region"] == region]
        parts.append(rows)
    rows = pd.concat(parts) if parts else indicators.iloc[0:0]
    if year_from is not None:
        rows = rows[rows["year"].between(year_from, year_to)]
    return rows.drop_duplicates(subset=["indicator", "region", "year", "period", "value"])


def _with_gaps(rows: pd.DataFrame) -> tuple[list, list, list]:
    """x, y, customdata with a None between non-consecutive years (a visible gap)."""
    xs, ys, custom = [], [], []
    previous = None
    for _, r in rows.sort_values("year").iterrows():
        if previous is not None and r["year"] - previous > 1:
            xs.append(previous + 0.5)
            ys.append(None)
            custom.append(["", "", "", ""])
        xs.append(r["year"])
        ys.append(r["value"])
        custom.append([r["unit"], r["period"] or "period not stated", r["basis"] or "",
                       r["sources_label"]])
        previous = r["year"]
    return xs, ys, custom


def trace_name(series: pd.DataFrame, indicator: str, region: str, multi_region: bool) -> str:
    titles = series.set_index("indicator")["title_en"]
    title = titles.get(indicator, indicator)
    return f"{title} — {region}" if multi_region else title


HOVER = ("<b>%{fullData.name}</b><br>%{x}: %{y} %{customdata[0]}"
         "<br>period: %{customdata[1]}<br>%{customdata[2]}<br>source: %{customdata[3]}"
         "<extra></extra>")


def make_indicator_figure(rows: pd.DataFrame, series: pd.DataFrame, sources: pd.DataFrame,
                          title: str, unit: str) -> go.Figure:
    """Lines with markers, one trace per (indicator, region, forecast)."""
    publisher = dict(zip(sources["source_id"], sources["publisher"], strict=True))
    rows = rows.assign(sources_label=rows["source_ids"].map(
        lambda ids: "; ".join(dict.fromkeys(publisher.get(s, s) for s in ids))))
    multi_region = rows.groupby("indicator")["region"].nunique().max() > 1 if len(rows) else False
    fig = go.Figure()
    groups = rows.groupby(["indicator", "region", "forecast"], sort=False)
    for i, ((indicator, region, forecast), part) in enumerate(groups):
        xs, ys, custom = _with_gaps(part)
        name = trace_name(series, indicator, region, multi_region)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, customdata=custom, mode="lines+markers", connectgaps=False,
            name=f"{name} (forecast/target)" if forecast == "true" else name,
            line={"color": TRACE_COLOURS[i % len(TRACE_COLOURS)],
                  "dash": "dash" if forecast == "true" else "solid"},
            marker={"size": 9, "symbol": "circle-open" if forecast == "true" else "circle"},
            hovertemplate=HOVER,
        ))
    fig.update_layout(
        title={"text": title, "font": {"size": 16}},
        yaxis_title=unit, xaxis_title=None, template="plotly_white",
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        margin={"l": 50, "r": 10, "t": 50, "b": 10}, height=430,
        xaxis={"tickformat": "d"},
    )
    return fig


def takeaway(rows: pd.DataFrame, series: pd.DataFrame) -> dict | None:
    """The latest sourced (non-forecast) value of the panel's first series, as data."""
    actual = rows[rows["forecast"] == "false"]
    if actual.empty:
        return None
    first = actual["indicator"].iloc[0]
    latest = actual[actual["indicator"] == first].sort_values("year").iloc[-1]
    titles = series.set_index("indicator")["title_en"]
    return {"title": titles.get(first, first), "value": latest["value"],
            "unit": latest["unit"], "period": latest["period"] or str(int(latest["year"])),
            "region": latest["region"], "count": int((actual["indicator"] == first).sum())}


def panel_unit(rows: pd.DataFrame) -> str:
    units = list(dict.fromkeys(rows["unit"]))
    return " / ".join(units)
