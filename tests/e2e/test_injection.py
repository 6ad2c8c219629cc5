"""The quick injection check: hostile text in links and in the data stays text in the
browser, in every frame of the live app and of the static export (scripts/injection.py
runs the whole corpus).

One throw-away copy of data/ carries the payloads; one live app serves it and one static
export (of the poisoned records only, so that it builds in seconds) is made from it."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from urllib.parse import urlencode

import pytest

from tests.conftest import ROOT
from tests.live_server import serve_directory

sys.path.insert(0, str(ROOT / "scripts"))
import injection  # noqa: E402

pytestmark = pytest.mark.browser  # needs the live server and Chromium

P = injection.DATA_PAYLOADS
REJECTED = P[0]  # markup: `make validate` refuses it
# what validation lets through and the browser must show as text, in one field: quote and
# parenthesis breakouts, a JavaScript template, an entity-encoded and a full-width tag,
# Markdown formatting, Streamlit's colour and icon syntax, format placeholders, bare web
# addresses (shown as written and linked to themselves) and a Markdown image
ACCEPTED = " ".join(P[i] for i in (3, 5, 7, 11, 13, 15, 16, 18, 19, 20))
TEMPLATE = P[6]  # `{{ … }}`: validation refuses it (and the map would not run it)
# a few links with one payload in every parameter, on the key pages: an attribute breakout,
# an element of our own name (made visible by any path that parses the text as HTML) and a
# JavaScript string breakout
ATTRIBUTE, ELEMENT, STRING = (next(p for p in injection.URL_PAYLOADS if p.startswith(start))
                              for start in ('">', "<zqx-el", "');"))
URL_SAMPLE = [("live", "", ATTRIBUTE), ("static", "index.html", ELEMENT),
              ("static", "timeline.html", STRING)]


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    """The poisoned copy, validated (the rejected payload named and taken out again)."""
    work = tmp_path_factory.mktemp("injection")
    data, corpus = injection.build_data_corpus(work, [REJECTED, TEMPLATE, ACCEPTED])
    return data, dict(zip(("rejected", "template", "accepted"), corpus, strict=True))


@pytest.fixture(scope="module")
def servers(poisoned, tmp_path_factory):
    """(live app, static export) of the copy: the export is built while the app starts."""
    data, records = poisoned
    out = tmp_path_factory.mktemp("injection-export") / "dist"
    with ThreadPoolExecutor(1) as pool:
        built = pool.submit(injection.build_static, data, out, list(records.values()))
        with injection.live_server(data_dir=data) as live:
            static_base, server = serve_directory(built.result())
            try:
                yield live, static_base
            finally:
                server.shutdown()


def assert_clean(visit: injection.Visit) -> None:
    """Nothing ran, nothing was made of payload markup, nothing left the host, no error
    a clean page does not have, and every frame was looked at."""
    assert visit.frames >= 1, visit.where
    assert visit.executions == [], visit.where
    assert visit.injected == [], visit.where
    assert visit.external == [], visit.where
    assert visit.errors == [], visit.where


def test_validation_rejects_markup_and_passes_the_rest(poisoned):
    data, records = poisoned
    for name, reason in (("rejected", "markup is not allowed"),
                         ("template", "template syntax is not allowed")):
        rejected = records[name].rejected
        assert rejected and all(reason in r for r in rejected), name
        assert {r.split(":")[0] for r in rejected} >= {
            "sites.csv", "agreements.csv", "flows.csv", "sources.csv", "organisations.csv"}
    assert records["accepted"].rejected == []
    sites = (data / "sites.csv").read_text(encoding="utf-8")
    assert records["accepted"].text() in sites and REJECTED not in sites


def test_url_payloads_never_run_in_any_frame(browser, servers):
    live, static = servers
    for app in ("live", "static"):
        with closing(injection.trapped_page(browser, live if app == "live" else static)) as op:
            for page in [(p, payload) for a, p, payload in URL_SAMPLE if a == app]:
                query = urlencode(injection.every_parameter(page[1], page[0]))
                visit = injection.visit(op, app, f"{page[0]}?{query}")
                assert_clean(visit)
                if app == "live" and page[0] == "":
                    assert visit.frames >= 2  # the map's iframe was checked too


def test_data_text_stays_text_in_the_live_app(browser, servers, poisoned):
    live, _ = servers
    record = poisoned[1]["accepted"]
    with closing(injection.trapped_page(browser, live)) as op:
        # the heading, description, names and sources, the search hits, the map's tooltip
        visit = injection.live_site_view(op, record)
        assert_clean(visit)
        assert visit.frames >= 2
        assert visit.not_literal == []
        picked = injection.live_pick(op, "timeline", "Select an agreement",
                                     ".st-key-event-details", record, "agreements.csv")
        assert_clean(picked)
        assert picked.not_literal == []


def test_data_text_stays_text_in_the_static_export(browser, servers, poisoned):
    _, static = servers
    record = poisoned[1]["accepted"]
    with closing(injection.trapped_page(browser, static)) as op:
        visit = injection.static_site_view(op, record)  # details panel and search results
        assert_clean(visit)
        assert visit.not_literal == []
        for page, table in (("timeline.html", "agreements.csv"), ("flows.html", "flows.csv")):
            visit = injection.visit(op, "static", page)
            injection.shown_literally(op, ".record", [record.text()], visit)
            assert_clean(visit)
            assert visit.not_literal == [], table
        if record.region:  # its region's place profile, named by the poisoned name
            visit = injection.visit(op, "static", f"places.html?id={record.region}")
            injection.shown_literally(op, "h1", [record.text()], visit)
            assert_clean(visit)
            assert visit.not_literal == []


def test_map_labels_are_not_jinja_templates():
    """branca renders a map's scripts a second time as a Jinja template: a label that got
    past validation must still not run there."""
    record = injection.Poisoned("{{ 7*7 }}", "zqx98", "", "", "", "", None, "", None)
    assert injection.map_templates([record]) == {}
