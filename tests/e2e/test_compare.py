"""/compare in a real browser: two regions side by side with their sources, reached from
a place profile, in the chosen language."""

import re

from playwright.sync_api import expect

from tests.e2e.test_browser import TIMEOUT, open_page, wait_for_address


def test_two_regions_side_by_side_with_sources(offline_page, dataset):
    page = offline_page.page
    open_page(offline_page, "/compare?regions=JP-43,TW-KHH&lang=vi")
    expect(page.locator("h1").first).to_contain_text("So sánh các địa phương",
                                                     timeout=TIMEOUT)
    for code in ("JP-43", "TW-KHH"):
        column = page.locator(f".st-key-compare-{code}")
        expect(column.locator("h3")).to_contain_text(f"({code})", timeout=TIMEOUT)
        sites = dataset.sites[dataset.sites["admin1"] == code]
        expect(column.get_by_text(f"Địa điểm: {len(sites)}")).to_be_visible()
        column.get_by_text("Nguồn của cột này").click()
        links = column.locator("a[href^='http']")
        expect(links.first).to_be_visible(timeout=TIMEOUT)
        assert links.count() >= 5
        # each column's small map draws its region and each of its places (no tile server)
        expect(column.locator("iframe")).to_have_count(1)
        drawn = column.frame_locator("iframe").locator(".leaflet-interactive")
        expect(drawn).to_have_count(1 + len(sites), timeout=TIMEOUT)
    expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=TIMEOUT)
    assert offline_page.external == []


def test_a_place_profile_leads_to_the_comparison(offline_page):
    page = offline_page.page
    open_page(offline_page, "/places?id=JP-43&lang=en")
    page.get_by_role("link", name=re.compile("Compare with other regions")).click()
    wait_for_address(page, r"/compare\?.*regions=JP-43")
    expect(page.get_by_text("Choose at least two regions to compare.")).to_be_visible(
        timeout=TIMEOUT)
    # the profile's region is already chosen
    expect(page.locator('[data-testid="stMultiSelect"]', has_text="Regions to compare")
           ).to_contain_text("Kumamoto")
    # typed in Japanese, found whatever the page's language
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=TIMEOUT)
    page.locator('[data-testid="stMultiSelect"]', has_text="Regions to compare").click()
    page.keyboard.type("高雄")
    expect(page.locator('[role="option"]', has_text="TW-KHH")).to_be_visible(timeout=TIMEOUT)
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-compare-TW-KHH h3")).to_be_visible(timeout=TIMEOUT)
    wait_for_address(page, r"regions=JP-43(,|%2C)TW-KHH")
    assert offline_page.external == []
