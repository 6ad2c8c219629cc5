"""Which chart shows an indicator panel honestly? Plotly figures built from data/ only.

Pure (no streamlit). Rules the builders keep:
- sourced points only; a line joins consecutive years only, so missing years are gaps;
- each (indicator, region) is its own trace: different bases are never one line;
- forecasts and targets are separate, dashed traces;
- hover shows value, unit, period, basis and source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from tjv_clusters.cluster_map import PALETTE
from tjv_clusters.i18n import DEFAULT_LANGUAGE, PLOTLY_LOCALE, local_name, plotly_locale, t

# Okabe–Ito order for traces, shared with the map's palette.
TRACE_COLOURS = [PALETTE[c] for c in
                 ("blue", "vermillion", "green", "orange", "purple", "sky", "black", "yellow")]
# Taken to mean "the whole series": a region left as None in a panel.
ALL_REGIONS = None



def plotly_config(lang: str) -> dict:
    """How every chart of the app and of the static copy behaves: no Plotly logo, PNG
    drawn in the browser (works offline), no lasso or box select, and the toolbar's
    tooltips, notices and number separators in the language."""
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2},
              "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
    if lang == DEFAULT_LANGUAGE:
        return config
    code = PLOTLY_LOCALE[lang]
    return config | {"locale": code, "locales": {code: plotly_locale(lang)}}

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


def unit_label(unit: str, lang: str) -> str:
    """A unit in the chosen language ('JPY bn' -> '十億円'); as stored if not catalogued."""
    label = t(lang, f"unit.{unit}")
    return unit if label == f"unit.{unit}" else label


def area_label(region: str, lang: str) -> str:
    """An indicator's region code ('kyushu', 'JP', 'JP-43') in the chosen language."""
    label = t(lang, f"area.{region}")
    return region if label == f"area.{region}" else label


def _with_gaps(rows: pd.DataFrame, lang: str = "en") -> tuple[list, list, list]:
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
        custom.append([unit_label(r["unit"], lang),
                       r["period"] or t(lang, "chart.period_unstated"), r["basis"] or "",
                       r["sources_label"]])
        previous = r["year"]
    return xs, ys, custom


def series_title(series: pd.DataFrame, indicator: str, lang: str = "en") -> str:
    rows = series[series["indicator"] == indicator]
    return local_name(rows.iloc[0].to_dict(), lang, "title") if len(rows) else indicator


def trace_name(series: pd.DataFrame, indicator: str, region: str, multi_region: bool,
               lang: str = "en") -> str:
    title = series_title(series, indicator, lang)
    return f"{title} — {area_label(region, lang)}" if multi_region else title


def _hover(lang: str) -> str:
    return ("<b>%{fullData.name}</b><br>%{x}: %{y} %{customdata[0]}"
            f"<br>{t(lang, 'chart.hover_period')}: %{{customdata[1]}}<br>%{{customdata[2]}}"
            f"<br>{t(lang, 'chart.hover_source')}: %{{customdata[3]}}<extra></extra>")


def make_indicator_figure(rows: pd.DataFrame, series: pd.DataFrame, sources: pd.DataFrame,
                          title: str, unit: str, lang: str = "en") -> go.Figure:
    """Lines with markers, one trace per (indicator, region, forecast)."""
    publisher = dict(zip(sources["source_id"], sources["publisher"], strict=True))
    rows = rows.assign(sources_label=rows["source_ids"].map(
        lambda ids: "; ".join(dict.fromkeys(publisher.get(s, s) for s in ids))))
    multi_region = rows.groupby("indicator")["region"].nunique().max() > 1 if len(rows) else False
    fig = go.Figure()
    groups = rows.groupby(["indicator", "region", "forecast"], sort=False)
    for i, ((indicator, region, forecast), part) in enumerate(groups):
        xs, ys, custom = _with_gaps(part, lang)
        name = trace_name(series, indicator, region, multi_region, lang)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, customdata=custom, mode="lines+markers", connectgaps=False,
            name=t(lang, "chart.forecast", name=name) if forecast == "true" else name,
            line={"color": TRACE_COLOURS[i % len(TRACE_COLOURS)],
                  "dash": "dash" if forecast == "true" else "solid"},
            marker={"size": 9, "symbol": "circle-open" if forecast == "true" else "circle"},
            hovertemplate=_hover(lang),
        ))
    fig.update_layout(
        title={"text": title, "font": {"size": 16}},
        yaxis_title=" / ".join(unit_label(u, lang) for u in unit.split(" / ")),
        xaxis_title=None, template="plotly_white",
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        margin={"l": 50, "r": 10, "t": 50, "b": 10}, height=430,
        xaxis={"tickformat": "d"},
    )
    return fit_narrow(fig)


def takeaway(rows: pd.DataFrame, series: pd.DataFrame, lang: str = "en") -> dict | None:
    """The latest sourced (non-forecast) value of the panel's first series, as data, its
    words in the chosen language."""
    actual = rows[rows["forecast"] == "false"]
    if actual.empty:
        return None
    first = actual["indicator"].iloc[0]
    latest = actual[actual["indicator"] == first].sort_values("year").iloc[-1]
    return {"title": series_title(series, first, lang), "value": latest["value"],
            "unit": unit_label(latest["unit"], lang),
            "period": latest["period"] or str(int(latest["year"])),
            "region": area_label(latest["region"], lang),
            "count": int((actual["indicator"] == first).sum())}


def panel_unit(rows: pd.DataFrame) -> str:
    units = list(dict.fromkeys(rows["unit"]))
    return " / ".join(units)


# -- narrow screens -----------------------------------------------------------------

# Plotly neither wraps a title nor a legend entry: at 360 px a long one runs off the chart.
# About 36 narrow characters fit a phone-width plot at the fonts we use (a CJK character
# counts two).
WRAP_WIDTH = 36
NO_START = "）」』】、。，．・：；！？)],.:;!?%"


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_label(text: str, width: int = WRAP_WIDTH) -> str:
    """`text` in lines of at most `width` (display columns), joined with <br>: broken at
    spaces, or between wide (CJK) characters, never inside a word; markup left alone."""
    if not text or "<br>" in text or _display_width(text) <= width:
        return text
    lines, line = [], ""
    tokens = re.findall(r"\S+\s*", text) if " " in text else list(text)
    pieces = []
    for token in tokens:  # split long CJK runs inside a space-separated token
        if _display_width(token) > width and any(_display_width(c) == 2 for c in token):
            pieces.extend(token)
        else:
            pieces.append(token)
    for piece in pieces:
        # a closing bracket or comma never starts a line (CJK line-breaking rules)
        if line and _display_width(line + piece.rstrip()) > width and piece[0] not in NO_START:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    lines.append(line.rstrip())
    return "<br>".join(lines)


def fit_narrow(fig: go.Figure, width: int = WRAP_WIDTH) -> go.Figure:
    """Wrap the figure's title and legend entries so that they fit a phone-width chart,
    and leave room above the plot for a title of several lines."""
    title = fig.layout.title.text
    if title:
        wrapped = wrap_label(title, width)
        fig.update_layout(title_text=wrapped)
        lines = wrapped.count("<br>") + 1
        top = fig.layout.margin.t if fig.layout.margin.t is not None else 50
        fig.update_layout(margin_t=max(top, 30 + 20 * lines))
    for trace in fig.data:
        if getattr(trace, "name", None):
            trace.name = wrap_label(trace.name, width)
    if fig.layout.legend.orientation == "h":
        # from the figure's left edge, not the plot area's (the y axis takes 50 px of 300),
        # and at its bottom: a legend placed on the container in x only makes Plotly widen
        # the left margin by the legend's width (a 360 px timeline kept a 102 px plot)
        fig.update_layout(legend_xref="container", legend_x=0, legend_yref="container",
                          legend_y=0, legend_yanchor="bottom")
    return fig
