"""The analysis panels' pure builders: traces, gaps, takeaways, lanes, Sankey, profiles."""

import pandas as pd
import pytest

from tjv_clusters import charts, details, relations
from tjv_clusters.dataset import read_dataset
from tjv_clusters.filters import Filters, filter_agreements


def indicator_rows(rows):
    base = {"region": "kyushu", "period": None, "value_high": None, "qualifier": "exact",
            "unit": "JPY bn", "basis": "calendar year", "forecast": "false",
            "source_ids": ("src-a",)}
    return pd.DataFrame([{**base, **r} for r in rows])


SERIES = pd.DataFrame([{"indicator": "v", "title_en": "Value"},
                       {"indicator": "w", "title_en": "Other basis"}])
SOURCES = pd.DataFrame([{"source_id": "src-a", "publisher": "Bureau"}])


def test_missing_years_are_gaps_not_interpolated():
    rows = indicator_rows([{"indicator": "v", "year": 2000, "value": 1.0},
                           {"indicator": "v", "year": 2001, "value": 2.0},
                           {"indicator": "v", "year": 2005, "value": 3.0}])
    fig = charts.make_indicator_figure(rows, SERIES, SOURCES, "t", "JPY bn")
    (trace,) = fig.data
    assert list(trace.y) == [1.0, 2.0, None, 3.0]
    assert trace.connectgaps is False
    assert "Bureau" in trace.customdata[0][3]


def test_bases_and_forecasts_are_separate_traces():
    rows = indicator_rows([{"indicator": "v", "year": 2020, "value": 1.0},
                           {"indicator": "w", "year": 2020, "value": 5.0},
                           {"indicator": "v", "year": 2030, "value": 9.0, "forecast": "true"}])
    fig = charts.make_indicator_figure(rows, SERIES, SOURCES, "t", "JPY bn")
    names = [tr.name for tr in fig.data]
    assert names == ["Value", "Other basis", "Value (forecast/target)"]
    assert fig.data[2].line.dash == "dash"


def test_takeaway_is_the_latest_sourced_value():
    rows = indicator_rows([{"indicator": "v", "year": 2023, "value": 1153.3},
                           {"indicator": "v", "year": 2024, "value": 1312.6},
                           {"indicator": "v", "year": 2030, "value": 2000, "forecast": "true"}])
    point = charts.takeaway(rows, SERIES)
    assert (point["value"], point["period"], point["count"]) == (1312.6, "2024", 2)


def test_real_panels_plot_exactly_their_rows(dataset):
    for panel in charts.IC_PANELS:
        rows = charts.panel_rows(dataset.indicators, panel)
        assert not rows.empty, panel.panel_id
        assert rows["unit"].nunique() == 1, panel.panel_id  # one unit per chart
        fig = charts.make_indicator_figure(rows, dataset.indicator_series, dataset.sources,
                                           panel.panel_id, charts.panel_unit(rows))
        plotted = sum(1 for tr in fig.data for y in tr.y if y is not None)
        assert plotted == len(rows), panel.panel_id


def test_kyushu_share_latest_is_2024(dataset):
    panel = next(p for p in charts.IC_PANELS if p.panel_id == "kyushu_ic_share")
    point = charts.takeaway(charts.panel_rows(dataset.indicators, panel),
                            dataset.indicator_series)
    assert point["value"] == 48.6 and point["period"].startswith("2024")


def test_timeline_lanes_and_tjpo_sequence(dataset):
    rows = relations.timeline_rows(dataset, dataset.agreements)
    osaka = rows[(rows["series"] == "tjpo-mou") & (rows["series_no"] == 8)].iloc[0]
    assert osaka["date"] == "2019-10-03" and osaka["lane"] == "JP–TW" and osaka["label"] == "#8"
    seq = relations.series_table(dataset, "tjpo-mou")
    assert list(seq["no"]) == sorted(seq["no"]) and 8 in list(seq["no"])
    fig = relations.make_timeline_figure(rows, str, str, "t")
    assert sum(len(tr.x) for tr in fig.data) == len(dataset.agreements)


def test_timeline_follows_filters(dataset):
    only_vn = filter_agreements(dataset.agreements, dataset.organisations,
                                Filters(countries=("VN",)))
    rows = relations.timeline_rows(dataset, only_vn)
    touches = rows["lane"].str.contains("VN") | rows["admin1_codes"].map(
        lambda codes: any(c.startswith("VN") for c in codes))
    assert len(rows) and touches.all()


def test_sankey_sums_usd_and_leaves_out_unconverted(dataset):
    table = relations.flow_table(dataset, dataset.flows)
    fig = relations.make_sankey(table, "country", "t", str)
    drawn = table[table["amount_usd"].notna() & ~table["aggregate"]]
    assert abs(sum(fig.data[0].link.value) - drawn["amount_usd"].sum() / 1e6) < 1e-6
    with_totals = relations.make_sankey(table, "country", "t", str, include_aggregates=True)
    assert sum(with_totals.data[0].link.value) > sum(fig.data[0].link.value)


def test_flow_arcs_scale_with_amount(dataset):
    table = relations.flow_table(dataset, dataset.flows)
    arcs = relations.flow_arcs(dataset, table)
    assert arcs and all(1.5 <= a.weight <= 14 for a in arcs)


def test_place_profile_kumamoto(dataset):
    profile = details.place_profile(dataset, "JP-43")
    assert set(profile["neighbours"]) == {"JP-40", "JP-44", "JP-45", "JP-46"}
    assert "fab-jasm-kumamoto-1" in set(profile["sites"]["site_id"]) or any(
        "JASM" in n for n in profile["sites"]["name_en"])
    assert not profile["flows_in"].empty
    assert details.place_profile(dataset, "XX-99") is None


def test_reading_is_repeatable():
    assert len(read_dataset(check=False).sites) > 0


@pytest.mark.parametrize("old,expected", [
    ("VN-47", "Kiên Giang is now part of An Giang."),
    ("VN-44", "An Giang kept its name; since 1 July 2025 it also includes Kiên Giang."),
    ("VN-01", "Lai Châu was not merged: its borders did not change on 1 July 2025."),
])
def test_merger_answer_names_the_province_merged_in(dataset, old, expected):
    from tjv_clusters.details import merger_answer

    assert merger_answer(dataset.merger, old, "en") == expected


def test_a_region_lists_the_money_flowing_to_its_places(dataset):
    info = details.region_details(dataset, "JP-43")
    flows = info["flows"]
    assert "fl-2024-meti-jasm-fab2-subsidy" in set(flows["flow_id"])
    assert not flows["flow_id"].duplicated().any()
    cited = set(info["sources"]["source_id"])
    assert all(set(ids) & cited for ids in flows["source_ids"])


def test_flows_and_events_are_worded_in_the_chosen_language(dataset):
    """Titles come from the data's own translations; amounts say 'up to' in each language;
    payer and recipient names follow the language (the Sankey and the flow list use them)."""
    flow = dataset.flows.set_index("flow_id").loc["fl-2022-meti-jasm-fab1-subsidy"]
    flow = {"flow_id": flow.name, **flow.to_dict()}
    assert details.flow_line(flow, "ja") == (
        "2022 · 補助金 · 最大476,000,000,000 JPY · 経済産業省からJASM熊本第1工場への補助金")
    assert details.amount_text(flow, "vi") == "tối đa 476.000.000.000 JPY"
    assert details.amount_text(flow, "en") == "up to 476,000,000,000 JPY"
    assert "up_to" not in details.flow_line(flow, "zh_TW")
    table = relations.flow_table(dataset, dataset.flows, "zh_TW")
    row = table[table["flow_id"] == "fl-2022-meti-jasm-fab1-subsidy"].iloc[0]
    assert row["title"].startswith("日本經濟產業省")
    assert row["from_name"] == dataset.organisations.set_index("org_id").loc["meti", "name_zh_tw"]
    event = dataset.agreements.iloc[0].to_dict()
    assert details.event_line(event, "vi").endswith(event["title_vi"])
    series = relations.series_table(dataset, "tjpo-mou", "ja")
    assert set(series["title"]) <= set(dataset.agreements["title_ja"])


def test_indicator_figures_speak_the_language(dataset):
    """Series titles, units, regions and hover words come from the data's translations
    and the catalogue; the English wording stays out of ja, zh_TW and vi."""
    panel = charts.IC_PANELS[0]
    rows = charts.panel_rows(dataset.indicators, panel)
    series = dataset.indicator_series.set_index("indicator")
    for lang, column in (("ja", "title_ja"), ("zh_TW", "title_zh_tw"), ("vi", "title_vi")):
        fig = charts.make_indicator_figure(rows, dataset.indicator_series, dataset.sources,
                                           "t", charts.panel_unit(rows), lang)
        titles = set(series[column])
        for trace in fig.data:
            # long names are wrapped for phones: a <br> where a space or nothing was
            unwrapped = {trace.name.replace("<br>", " "), trace.name.replace("<br>", "")}
            assert any(title in name for title in titles for name in unwrapped), (
                lang, trace.name)
        text = fig.to_json()
        for english in ("period not stated", "source:", "period:", "(forecast/target)",
                        "JPY bn", "Kyushu IC"):
            assert english not in text, (lang, english)
        point = charts.takeaway(rows, dataset.indicator_series, lang)
        assert point["title"] in titles
        assert point["region"] != rows["region"].iloc[0] or lang == "vi"  # 九州, not kyushu


def test_long_titles_and_legend_names_wrap_for_phones():
    """Plotly wraps neither: at 360 px a long title ran off the chart."""
    from tjv_clusters.charts import wrap_label

    english = wrap_label("Share of world semiconductor sales by industry nationality (METI)")
    assert all(len(line) <= 36 for line in english.split("<br>"))
    assert english.replace("<br>", " ") == (
        "Share of world semiconductor sales by industry nationality (METI)")
    japanese = wrap_label("九州のIC生産額に占める熊本県のシェアと"
                          "日本全体に占める九州のシェア（暦年）")
    assert japanese.count("<br>") == 1 and not japanese.split("<br>")[1].startswith("）")
    assert wrap_label("Short title") == "Short title"
