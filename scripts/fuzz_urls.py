"""Does any link break a page? Generated URLs against the live app, no browser.

Generates N URLs over the seven pages: valid and invalid values for every parameter of
ours, unknown parameter names carrying a marker token, script-injection payloads,
over-long and non-UTF-8-looking values, repeated parameters. Each is opened as a first
script run by a client that speaks Streamlit's websocket protocol (`bench_load.first_run`)
and the run is checked for what a visitor would see:

- a traceback (an exception element) or an error box;
- the unknown names or payloads echoed anywhere on the page (text of every element);
- a missing notice for an ignored parameter.

Prints the counts; exits non-zero if any URL fails. Usage:
  python scripts/fuzz_urls.py [--urls 1000] [--seed 7] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_load import first_run  # noqa: E402  (beside this script)
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.live_server import live_server  # noqa: E402

PAGES = ("", "ic-output", "timeline", "flows", "places", "data", "about")
MARKER = "zqx"  # unknown names and payloads carry it: it must never reach the page
PAYLOADS = (
    f'<script>top.{MARKER}=1</script>', f'"><img src=x onerror=top.{MARKER}=1>',
    f"javascript:top.{MARKER}=1", f"';top.{MARKER}=1;//", f"{{{{7*7}}}}{MARKER}",
    f"[{MARKER}](javascript:alert(1))", f"**{MARKER}**", f"${MARKER}$", f"%00{MARKER}",
    f"{MARKER}\u202e\u200b", "x" * 3000 + MARKER,
)
VALID = {
    "lang": ["en", "ja", "zh_TW", "zh-TW", "vi", "VI"],
    "country": ["JP", "TW,VN", "JP,TW,VN"],
    "sector": ["semiconductors", "ai,robotics", "drones"],
    "kind": ["fab", "university,fab", "science_park"],
    "status": ["operating", "planned,under_construction"],
    "wafer": ["300", "200,300"],
    "years": ["2015-2024", "2012-2026"],
    "sel": ["site:fab-jasm-kumamoto-1", "region:JP-43", "region:TW-HSZ"],
    "layers": ["regions,cities", "none", "manufacturing"],
    "view": ["32.86,130.83,9", "24.8,121.0,11"],
    "chart": ["kyushu_ic_share"],
    "id": ["JP-43", "TW-KHH"],
    "kiosk": ["false"],
    "idle": ["90", "600"],
    "dwell": ["5"],
}
INVALID = {
    "lang": ["xx", "", "de", "ja;DROP"], "country": ["US", "", "JP;TW"],
    "years": ["2026-2012", "1900-1901", "2015", "abc"], "sel": ["site:nope", "region:", "x"],
    "layers": ["roads", ""], "view": ["999,0,9", "nan,nan,3", "1,2"], "chart": ["nope"],
    "id": ["ZZ-99"], "kiosk": ["yes", "1"], "idle": ["0", "-5", "9999999"], "dwell": ["1"],
    "status": ["demolished"], "wafer": ["450"], "sector": ["steel"], "kind": ["castle"],
}

BAD_VALUES = {v for values in INVALID.values() for v in values} | set(PAYLOADS)


@dataclass
class Result:
    url: str
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


def generate(n: int, seed: int = 7) -> list[tuple[str, dict[str, str]]]:
    """(page, params) pairs: about half valid views, the rest broken in one or more ways."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        page = PAGES[i % len(PAGES)]
        params: dict[str, str] = {}
        for name in rng.sample(sorted(VALID), rng.randint(0, 4)):
            params[name] = rng.choice(VALID[name])
        roll = rng.random()
        if roll < 0.3:
            name = rng.choice(sorted(INVALID))
            params[name] = rng.choice(INVALID[name])
        elif roll < 0.55:
            params[f"{MARKER}{rng.randint(0, 999)}"] = rng.choice(PAYLOADS)
        elif roll < 0.8:
            params[rng.choice(sorted(VALID))] = rng.choice(PAYLOADS)
        out.append((page, params))
    return out


def _texts(delta) -> list[str]:
    """Every text a new element puts on the page (markdown, alerts, captions, widgets)."""
    element = delta.new_element
    kind = element.WhichOneof("type")
    if kind is None:
        return []
    body = getattr(element, kind)
    texts = [getattr(body, attr) for attr in ("body", "label", "value", "placeholder", "help")
             if isinstance(getattr(body, attr, None), str)]
    options = getattr(body, "options", None)
    if options is not None and not isinstance(options, str):
        texts += [str(o) for o in options]
    return texts


async def open_url(ws_url: str, page: str, params: dict[str, str]) -> Result:
    query = urlencode(params)
    result = Result(f"/{page}?{query}")
    start = time.perf_counter()
    texts: list[str] = []
    for fwd in await first_run(ws_url, page, query):
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            if element.HasField("exception"):
                result.failures.append(f"traceback: {element.exception.message[:120]}")
            if element.HasField("alert") and element.alert.format == Alert.ERROR:
                result.failures.append(f"error box: {element.alert.body[:120]}")
            texts += _texts(fwd.delta)
        if kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
            result.failures.append(f"script finished with {fwd.script_finished}")
    page_text = "\n".join(texts)
    if MARKER in page_text:
        result.failures.append("a name or value from the link is shown on the page")
    ignored = [name for name in params if name.startswith(MARKER)] or [
        name for name, value in params.items() if value in BAD_VALUES]
    notices = ("Ignored an invalid link parameter", "Ignored an unknown link parameter")
    if ignored and not any(n in page_text for n in notices) and params.get("lang") in (
            None, "en"):
        result.failures.append(f"no notice for {ignored[0][:20]}")
    result.seconds = time.perf_counter() - start
    return result


async def run(ws_url: str, urls, concurrency: int) -> list[Result]:
    gate = asyncio.Semaphore(concurrency)

    async def one(page, params):
        async with gate:
            try:
                return await open_url(ws_url, page, params)
            except Exception as exc:  # a dropped connection is a failure too
                return Result(f"/{page}?{urlencode(params)}", failures=[repr(exc)[:160]])

    return await asyncio.gather(*(one(p, q) for p, q in urls))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    urls = generate(args.urls, args.seed)
    with live_server() as base:
        ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
        start = time.perf_counter()
        results = asyncio.run(run(ws_url, urls, args.concurrency))
        elapsed = time.perf_counter() - start
    failed = [r for r in results if r.failures]
    kinds: dict[str, int] = {}
    for r in failed:
        for f in r.failures:
            key = f.split(":")[0]
            kinds[key] = kinds.get(key, 0) + 1
    print(f"{len(results)} URLs over {len(PAGES)} pages in {elapsed:.0f} s: "
          f"{len(results) - len(failed)} fine, {len(failed)} failed {kinds or ''}")
    for r in failed[:10]:
        print(f"  {r.url[:140]}\n    {'; '.join(r.failures)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
