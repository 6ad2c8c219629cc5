"""`?kiosk=true`: the expo tour plays by itself, pauses on a touch, starts again when left
alone, switches language, and never asks another host for anything: in the static copy
(file://, as on a USB stick) and through the live app."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import OfflinePage
from tjv_clusters import export
from tjv_clusters.i18n import local_name, t

pytestmark = pytest.mark.browser
TIMEOUT = 20_000


@pytest.fixture()
def kiosk_page(browser, static_export):
    sp = OfflinePage(browser, static_export.as_uri(), viewport={"width": 1280, "height": 800})
    yield sp
    sp.close()


def test_the_tour_plays_pauses_and_starts_again(kiosk_page, dataset):
    page = kiosk_page.page
    steps = dataset.tour.to_dict("records")
    page.goto(f"{kiosk_page.base_url}/index.html?kiosk=true&lang=ja&dwell=2&idle=5")
    step = page.locator("#tour-step")
    caption = page.locator("#tour-caption h2")
    expect(step).to_have_text(t("ja", "kiosk.step", n=1, total=len(steps)), timeout=TIMEOUT)
    expect(caption).to_have_text(local_name(steps[0], "ja", "title"))
    # every line of the caption is a cited record, and its sources are listed
    first_event = dataset.agreements.set_index("event_id").loc[steps[0]["event_ids"][0]]
    expect(page.locator("#tour-caption li").first).to_contain_text(first_event["title_ja"])
    expect(page.locator(".tour-sources")).to_contain_text(t("ja", "details.sources"))
    assert page.locator("header.chrome").is_hidden() and page.locator("#filters").is_hidden()

    # it moves on by itself
    expect(step).to_have_text(t("ja", "kiosk.step", n=2, total=len(steps)), timeout=6_000)
    expect(caption).to_have_text(local_name(steps[1], "ja", "title"))

    # a touch on the map pauses it where it is, and says when it will start again
    page.mouse.click(400, 200)
    paused = page.locator("#tour-paused")
    expect(paused).to_have_text(t("ja", "kiosk.paused", seconds=5))
    held = step.inner_text()
    page.wait_for_timeout(2_500)  # longer than a step
    assert step.inner_text() == held
    expect(page.locator("#tour-play")).to_have_attribute("aria-label", t("ja", "kiosk.play"))

    # left alone, it returns to the first step and plays again
    expect(step).to_have_text(t("ja", "kiosk.step", n=1, total=len(steps)), timeout=8_000)
    expect(paused).to_be_hidden()
    expect(page.locator("#tour-play")).to_have_attribute("aria-label", t("ja", "kiosk.pause"))

    # the language buttons switch the caption without stopping the tour
    page.locator("#tour-langs button[lang=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(step).to_contain_text("Bước")
    titles_vi = [local_name(s, "vi", "title") for s in steps]
    assert caption.inner_text() in titles_vi
    expect(paused).to_be_hidden()
    assert kiosk_page.external == [] and kiosk_page.errors == []


def test_touch_targets_are_large_and_the_controls_named(kiosk_page):
    page = kiosk_page.page
    page.goto(f"{kiosk_page.base_url}/index.html?kiosk=true&lang=en&dwell=60")
    expect(page.locator("#tour-step")).to_contain_text("Step 1", timeout=TIMEOUT)
    for button in page.locator(".tour-controls button").all():
        box = button.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48, button.inner_text()
        assert button.get_attribute("aria-label") or button.inner_text().strip()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tour-step")).to_contain_text("Step 2")
    expect(page.locator("#tour-paused")).to_be_visible()


def test_a_bad_kiosk_timing_falls_back_and_says_so(kiosk_page):
    page = kiosk_page.page
    page.goto(f"{kiosk_page.base_url}/index.html?kiosk=true&lang=en&idle=soon")
    expect(page.locator("#notices")).to_contain_text(
        t("en", "notice.bad_param", name="idle"), timeout=TIMEOUT)
    page.mouse.click(400, 200)
    expect(page.locator("#tour-paused")).to_have_text(t("en", "kiosk.paused", seconds=90))


def test_the_live_app_plays_the_tour_from_its_own_host(offline_page, dataset):
    assert export.served(), "static/export is missing: `make test` builds it"
    page = offline_page.page
    page.goto(f"{offline_page.base_url}/?kiosk=true&lang=zh-TW&dwell=2")
    frame = page.frame_locator('iframe[src*="export/index.html"]')
    steps = dataset.tour.to_dict("records")
    expect(frame.locator("#tour-caption h2")).to_have_text(
        local_name(steps[0], "zh_TW", "title"), timeout=TIMEOUT)
    expect(frame.locator("#tour-step")).to_have_text(
        t("zh_TW", "kiosk.step", n=2, total=len(steps)), timeout=8_000)
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(0)
    assert "kiosk=true" in page.url
    assert offline_page.external == [] and offline_page.errors == []
