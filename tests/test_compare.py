"""Comparing regions: each column holds the same blocks for its region, every number
traceable to sources, and the figures share their axes."""

from tjv_clusters import compare
from tjv_clusters.filters import Filters


def test_each_region_gets_its_own_facts_and_their_sources(dataset):
    infos = compare.summaries(dataset, ["JP-43", "TW-KHH", "XX-00"], Filters())
    assert [i["region"]["code"] for i in infos] == ["JP-43", "TW-KHH"]  # unknown code left out
    for info in infos:
        code = info["region"]["code"]
        assert (info["sites"]["admin1"] == code).all() and not info["sites"].empty
        assert all(code in codes for codes in info["agreements"]["admin1_codes"])
        cited = set(info["sources"]["source_id"])
        for frame in (info["agreements"], info["flows"], info["indicators"]):
            assert {s for ids in frame["source_ids"] for s in ids} <= cited | set(
                dataset.sources.loc[dataset.sources["url"].isna(), "source_id"])


def test_the_country_filter_does_not_hide_a_chosen_region(dataset):
    only_japan = compare.summaries(dataset, ["JP-43", "TW-KHH"], Filters(countries=("JP",)))
    assert not only_japan[1]["sites"].empty


def test_the_year_and_other_filters_apply(dataset):
    now = compare.summaries(dataset, ["JP-43", "TW-HSZ"], Filters())
    then = compare.summaries(dataset, ["JP-43", "TW-HSZ"], Filters(as_of=2015))
    assert len(then[0]["sites"]) < len(now[0]["sites"])
    assert (then[0]["agreements"]["date"].str[:4].astype(int) <= 2015).all()
    fabs = compare.summaries(dataset, ["JP-43", "TW-HSZ"], Filters(kinds=("fab",)))
    assert set(fabs[1]["sites"]["kind"]) == {"fab"}


def test_figures_share_axes_and_say_it_in_the_language(dataset):
    infos = compare.summaries(dataset, ["JP-43", "TW-KHH"], Filters())
    places, money = compare.figure_rows(infos, "ja")
    labels = [compare.region_label(i["region"], "ja") for i in infos]
    fig = compare.make_places_figure(places, labels, "ja")
    assert [trace.name for trace in fig.data] == labels  # one trace a region, one y axis
    assert fig.layout.title.text == "種類別の拠点数" and fig.layout.barmode == "group"
    assert all(tr.yaxis in (None, "y") for tr in fig.data)
    assert places.groupby("region")["places"].sum().tolist() == [
        len(i["sites"]) for i in sorted(infos, key=lambda i: compare.region_label(
            i["region"], "ja"))]
    assert (money["usd_m"] > 0).all() and money["source_ids"].map(len).gt(0).all()
    table = compare.kind_status_table(infos[0]["sites"], "ja")
    assert table.to_numpy().sum() == len(infos[0]["sites"]) and "稼働中" in table.columns
