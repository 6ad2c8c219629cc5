"""Every view is a URL: parse/write round trip, and bad parameters fall back politely."""

import random

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP_PAGES, ROOT
from tjv_clusters import url_state
from tjv_clusters.filters import Filters

CTX = url_state.Context(1988, 2032, frozenset({"fab-jasm-kumamoto-1"}),
                        frozenset({"JP-43", "VN-56"}), frozenset({"kyushu_ic_share"}))


def test_round_trip():
    view = url_state.View(
        lang="ja", filters=Filters(countries=("JP", "TW"), sectors=("semiconductors",),
                                   kinds=("fab",), year_from=2015, year_to=2024),
        selection=("site", "fab-jasm-kumamoto-1"), layers=("regions", "manufacturing"),
        center=(32.9, 130.8), zoom=9, chart="kyushu_ic_share")
    params = url_state.to_params(view, CTX)
    assert params == {"lang": "ja", "country": "JP,TW", "sector": "semiconductors",
                      "kind": "fab", "years": "2015-2024", "sel": "site:fab-jasm-kumamoto-1",
                      "layers": "regions,manufacturing", "view": "32.900,130.800,9",
                      "chart": "kyushu_ic_share"}
    again, ignored = url_state.parse(params, CTX)
    assert ignored == [] and again == view


def test_status_and_wafer_round_trip():
    view = url_state.View(filters=Filters(year_from=1988, year_to=2032,
                                          statuses=("operating", "under_construction"),
                                          wafer_sizes=(200, 300)))
    params = url_state.to_params(view, CTX)
    assert params == {"status": "operating,under_construction", "wafer": "200,300"}
    again, ignored = url_state.parse(params, CTX)
    assert ignored == [] and again == view
    _, ignored = url_state.parse({"wafer": "450", "status": "demolished"}, CTX)
    assert sorted(ignored) == ["status", "wafer"]


def test_defaults_give_a_short_link():
    view, ignored = url_state.parse({}, CTX)
    assert ignored == [] and url_state.to_params(view, CTX) == {}


@pytest.mark.parametrize("params, bad", [
    ({"lang": "xx"}, "lang"),
    ({"country": "JP,FR"}, "country"),
    ({"years": "2030-2010"}, "years"),
    ({"years": "1900-2000"}, "years"),
    ({"sel": "site:nope"}, "sel"),
    ({"sel": "<script>alert(1)</script>"}, "sel"),
    ({"view": "nan,nan,5"}, "view"),
    ({"view": "95,10,5"}, "view"),
    ({"view": "1,2"}, "view"),
    ({"layers": "satellite"}, "layers"),
    ({"chart": "unknown"}, "chart"),
    ({"utm_source": "x"}, "utm_source"),
    ({"lang": "ja" * 2000}, "lang"),
])
def test_bad_values_are_ignored_and_named(params, bad):
    view, ignored = url_state.parse(params, CTX)
    assert ignored == [bad]
    assert view == url_state.View(filters=Filters(year_from=1988, year_to=2032), **(
        {"lang": None}))


JUNK = ["", " ", ",", "::", "-1", "1e999", "NaN", "null", "None", "%00", "\x00", "☃",
        "熊本", "Bắc Ninh", "<img src=x onerror=alert(1)>", "'\"", "../../etc/passwd",
        "2019-13-45", "JP,,TW", "JP;TW", "site:", "region:JP-99", "1,2,3,4", "99999999",
        "a" * 3000, "true", "false", "[]", "{}", "\\", "%3Cscript%3E"]
NAMES = list(url_state.OURS) + ["embed_options", "foo", "", "<b>", "LANG", "id"]


def random_params(seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    return {rng.choice(NAMES): rng.choice(JUNK) for _ in range(rng.randint(1, 5))}


def test_parse_never_raises_on_2000_random_urls():
    for seed in range(2000):
        view, ignored = url_state.parse(random_params(seed), CTX)
        assert isinstance(view, url_state.View)
        url_state.to_params(view, CTX)  # and it can always be written back


PAGES = APP_PAGES


@pytest.mark.parametrize("seed", range(5 * len(PAGES)))
def test_malformed_urls_render_a_page_with_a_notice(seed):
    """Five malformed URLs on each page, in Streamlit's test runner: never a traceback,
    never a blank page. (tests/e2e/test_fuzz.py sends 49 more to the live server, and
    `make fuzz` 1,000; the parser itself takes 2,000 above.)"""
    params = random_params(seed)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    page = PAGES[seed % len(PAGES)]
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, (params, [e.value for e in at.exception])
    if params.get("kiosk") == "true":  # the expo tour: its frame is the page
        assert [c.type for c in at.main.children.values()][-1] == "iframe", params
    else:
        assert len(at.main.children) > 2, params  # something is on the page


@pytest.mark.parametrize("tag,lang", [("zh-TW", "zh_TW"), ("zh_TW", "zh_TW"), ("zh-Hant", "zh_TW"),
                                      ("zh-Hant-TW", "zh_TW"), ("ja-JP", "ja"), ("vi", "vi"),
                                      ("en-GB", "en")])
def test_bcp47_language_tags_are_accepted_and_written_back_canonical(tag, lang):
    view, ignored = url_state.parse({"lang": tag}, CTX)
    assert ignored == [] and view.lang == lang
    assert url_state.to_params(view, CTX) == {"lang": lang}


@pytest.mark.parametrize("tag", ["zh-CN", "zh", "fr", "ja-" + "x" * 40])
def test_languages_we_do_not_have_are_ignored(tag):
    _, ignored = url_state.parse({"lang": tag}, CTX)
    assert ignored == ["lang"]


def test_links_keep_language_and_filters_under_the_proxy_path():
    current = {"lang": "ja", "country": "JP,TW", "years": "2010-2020", "sel": "site:x",
               "view": "32.860,130.790,9", "chart": "kyushu_ic_share"}
    assert url_state.href("places", "dashboard", current, id="JP-43") == (
        "/dashboard/places?lang=ja&country=JP,TW&years=2010-2020&id=JP-43")
    assert url_state.href("places", "/dashboard/", None, id="TW-HSZ") == (
        "/dashboard/places?id=TW-HSZ")
    assert url_state.href("", "", {"lang": "vi"}) == "/?lang=vi"
    assert url_state.href("about") == "/about"
    # text from a parameter is encoded, never spliced raw into the link
    assert url_state.href("places", "", None, id="a b&c") == "/places?id=a+b%26c"


def test_kiosk_parameters_round_trip_and_bad_timings_are_named():
    from tjv_clusters import url_state as us

    ctx = us.Context(2012, 2026)
    view, ignored = us.parse({"kiosk": "true", "idle": "120", "dwell": "5"}, ctx)
    assert (view.kiosk, view.idle, view.dwell, ignored) == (True, 120, 5, [])
    assert us.to_params(view, ctx) == {"kiosk": "true", "idle": "120", "dwell": "5"}
    view, ignored = us.parse({"kiosk": "yes", "idle": "2", "dwell": "soon"}, ctx)
    assert not view.kiosk and (view.idle, view.dwell) == (90, 10)
    assert ignored == ["kiosk", "idle", "dwell"]
    assert us.to_params(us.View(), ctx) == {}


def test_since_takes_a_released_version_or_a_real_date():
    ctx = url_state.Context(1988, 2032, versions=frozenset({"3.1.0", "3.2.0"}))
    for value in ("3.1.0", "2026-11-30"):
        view, ignored = url_state.parse({"since": value}, ctx)
        assert ignored == [] and view.since == value
        assert url_state.to_params(view, ctx) == {"since": value}
    for value in ("9.9.9", "2026-02-30", "3.1", "<b>x</b>", ""):
        view, ignored = url_state.parse({"since": value}, ctx)
        assert ignored == ["since"] and view.since is None


def test_asof_is_a_year_from_the_first_opening_to_the_last_year():
    ctx = url_state.Context(1988, 2032, first_opened=1959)
    view, ignored = url_state.parse({"asof": "1975"}, ctx)
    assert ignored == [] and view.filters.as_of == 1975 and view.filters.until == 1975
    assert url_state.to_params(view, ctx) == {"asof": "1975"}
    for value in ("1958", "2033", "20x1", "-2000", ""):
        view, ignored = url_state.parse({"asof": value}, ctx)
        assert ignored == ["asof"] and view.filters.as_of is None


def test_regions_are_one_to_four_known_codes():
    view, ignored = url_state.parse({"regions": "JP-43,VN-56"}, CTX)
    assert ignored == [] and view.regions == ("JP-43", "VN-56")
    assert url_state.to_params(view, CTX) == {"regions": "JP-43,VN-56"}
    for value in ("JP-43,XX-1", "JP-43,JP-43", "", "JP-43,VN-56,JP-43,VN-56,JP-43"):
        view, ignored = url_state.parse({"regions": value}, CTX)
        assert ignored == ["regions"] and view.regions == ()
