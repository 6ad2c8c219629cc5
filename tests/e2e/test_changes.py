"""What changed, in a real browser: a test dataset version that adds a place. /changes
lists it with its sources (in the chosen language), and the map rings it."""

import csv
import shutil

import pytest
from playwright.sync_api import expect

from tests.conftest import DATA_DIR, OfflinePage
from tests.e2e.test_browser import (
    MAP_IFRAME,
    TIMEOUT,
    map_frame,
    open_page,
    pick,
    wait_for_address,
)
from tests.live_server import live_server

NEW_SITE = "fab-test-added"
NEW_NAME = "Test Fab Added In 9.9.0"


def add_a_version(data) -> dict:
    """Version 9.9.0 of a copy of data/: one new fab beside JASM Fab 1, as a release would
    record it (changelog entry, the row, its line in changes.csv)."""
    with open(data / "sites.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    jasm = next(r for r in rows if r["site_id"] == "fab-jasm-kumamoto-1")
    site = {**jasm, "site_id": NEW_SITE, "name_en": NEW_NAME, "name_ja": "テスト追加工場",
            "name_zh_tw": "", "name_vi": ""}
    with open(data / "sites.csv", "a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=list(jasm)).writerow(site)
    shared = (data / "shared_points.csv").read_text(encoding="utf-8")
    (data / "shared_points.csv").write_text(shared.replace(
        "fab-jasm-kumamoto-1;fab-sony-kumamoto-tec,",
        f"fab-jasm-kumamoto-1;fab-sony-kumamoto-tec;{NEW_SITE},"), encoding="utf-8")
    log = (data / "CHANGELOG.md").read_text(encoding="utf-8")
    first = log.index("\n## ")
    (data / "CHANGELOG.md").write_text(
        log[:first] + "\n## 9.9.0 — 2027-01-15\n\n- A test fab.\n" + log[first:],
        encoding="utf-8")
    with open(data / "changes.csv", "a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(["9.9.0", "2027-01-15", "sites", NEW_SITE, NEW_NAME, "added",
                                "", "", "", site["source_ids"]])
    return site


@pytest.fixture(scope="module")
def new_version(tmp_path_factory):
    data = tmp_path_factory.mktemp("changes") / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("_staging"))
    site = add_a_version(data)
    with live_server(data_dir=data) as base:
        yield base, site


@pytest.fixture()
def op(browser, new_version, worker_tab):
    page = OfflinePage(browser, new_version[0], tab=worker_tab.get())
    yield page
    page.close()


def test_the_changes_view_lists_the_added_record_with_its_sources(op, new_version, dataset):
    _, site = new_version
    newest = dataset.releases[0][0]  # the real data's newest release; the test adds 9.9.0
    open_page(op, f"/changes?since={newest}&lang=ja")
    page = op.page
    expect(page.locator("h1").first).to_contain_text("データの変更点", timeout=TIMEOUT)
    expect(page.get_by_text(f"{newest} 以降：追加 1 件、変更 0 件、削除 0 件。")).to_be_visible(
        timeout=TIMEOUT)
    table = page.locator("[data-testid=\"stDataFrame\"]")
    expect(table).to_be_visible(timeout=TIMEOUT)
    pick(page, "レコードごとの変更と出典を見る", "テスト追加工場")
    details = page.locator(".st-key-change-details")
    expect(details.locator("h3")).to_contain_text("テスト追加工場", timeout=TIMEOUT)
    expect(details).to_contain_text("版 9.9.0：追加")
    links = details.locator("a[href^='http']")
    expect(links.first).to_be_visible(timeout=TIMEOUT)
    assert links.count() == len(site["source_ids"].split(";"))
    # the record opens on the map, still in Japanese, with the ring of what is new
    details.get_by_text("この拠点を地図で開く").click()
    address = wait_for_address(page, rf"sel=site(:|%3A){NEW_SITE}")
    assert "lang=ja" in address and f"since={newest}" in address
    frame = map_frame(op)
    expect(frame.locator('path[stroke-dasharray="5 4"]')).to_have_count(1, timeout=TIMEOUT)
    expect(page.get_by_text(f"表示中の拠点のうち 1 件は {newest} 以降に追加")).to_be_visible(
        timeout=TIMEOUT)
    assert op.external == []


def test_a_date_in_the_link_counts_from_the_release_made_by_then(op, dataset):
    open_page(op, "/changes?since=2027-01-01")  # after every real release, before 9.9.0
    newest = dataset.releases[0][0]
    summary = op.page.get_by_text(f"Since {newest}: 1 added, 0 changed, 0 removed")
    expect(summary).to_be_visible(timeout=TIMEOUT)
    open_page(op, "/?since=1999-01-01&layers=manufacturing")
    frame = op.page.frame_locator(MAP_IFRAME)
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=TIMEOUT)
    rings = frame.locator('path[stroke-dasharray="5 4"]')
    expect(rings.first).to_be_attached(timeout=TIMEOUT)
    assert rings.count() > 100  # every place added since 1.0.0 (the oldest release)
    assert op.external == []
