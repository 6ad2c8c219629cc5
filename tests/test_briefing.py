"""The briefing: a view on paper, its facts numbered to their sources, a map, a QR code
and the link back; in the view's language."""

import io

import pytest

from tests.conftest import CHROMIUM
from tjv_clusters import briefing, url_state
from tjv_clusters.charts import IC_PANELS


@pytest.fixture(scope="module")
def ctx(dataset):
    return url_state.context(dataset, frozenset(p.panel_id for p in IC_PANELS))


def test_facts_are_numbered_to_their_sources(dataset, ctx):
    view, _ = url_state.parse({"lang": "ja", "country": "JP", "sel": "region:JP-43"}, ctx)
    b = briefing.build(dataset, view, ctx, "http://x/?lang=ja", "タイトル")
    assert b.filters == ["国: 日本"]
    cited = [s for fact in b.facts for s in fact.source_ids]
    assert list(b.sources["source_id"]) == list(dict.fromkeys(
        s for s in cited if s in set(b.sources["source_id"])))
    assert len(b.sources) >= 5 and b.sources["url"].str.startswith("http").all()
    page = briefing.briefing_html(b, dataset.countries_geojson, "")
    assert 'lang="ja"' in page and "http://x/?lang=ja" in page
    assert page.count("<circle") == len(b.sites) and "data:image/png;base64," in page
    assert "[1]" in page and "<ol class=\"cites\">" in page


def test_text_from_data_is_escaped_in_the_briefing(dataset, ctx):
    view, _ = url_state.parse({}, ctx)
    b = briefing.build(dataset, view, ctx, "http://x/?a=<script>", "<b>t</b>")
    page = briefing.briefing_html(b, dataset.countries_geojson, "")
    assert "<b>t</b>" not in page and "&lt;b&gt;t&lt;/b&gt;" in page
    assert "?a=<script>" not in page


def test_make_briefing_writes_a_pdf_with_citations_and_a_qr_code(tmp_path):
    """scripts/briefing.py, as `make briefing URL=…` runs it (its own process: this
    worker may already hold a Playwright session of the browser tests), with Debian's
    Chromium."""
    import subprocess
    import sys
    from pathlib import Path

    from pypdf import PdfReader

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (make test does it)")
    root = Path(__file__).resolve().parents[1]
    link = "http://localhost:8501/flows?lang=vi&country=VN"
    out = tmp_path / "b.pdf"
    run = subprocess.run([sys.executable, str(root / "scripts" / "briefing.py"), link,
                          "--out", str(out)], cwd=root, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert 1 <= len(reader.pages) <= 3
    text = " ".join(p.extract_text() for p in reader.pages).replace("\n", " ")
    assert "Dòng vốn đầu tư" in text  # the page title, in the view's language
    assert link in text.replace(" ", "")
    assert text.count("https://") >= 5
    assert sum(len(p.images) for p in reader.pages) >= 1  # the QR code
