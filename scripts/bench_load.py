"""How does the live server cope with many visitors at once? Prints figures; asserts nothing.

Starts the app (like `make run`), then for each N opens N sessions at the same moment with
clients that speak Streamlit's websocket protocol (no browsers, so the clients do not
compete with the server for the CPU): each sends the first script run a browser would
(page and query string) and waits for `script_finished`. Prints per N the p50/p95/max
seconds from connecting to the finished page, errors, and the server's resident memory
before, at the peak and after the sessions have closed.

Usage: python scripts/bench_load.py [--sessions 1,5,10,25] [--path /] [--rounds 1]
       [--replicas 1]  (2: two app processes, as `make replicas` runs them)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.live_server import live_server  # noqa: E402

TIMEOUT_S = 120


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def first_run(ws_url: str, page: str, query: str) -> list[ForwardMsg]:
    """What the server sends for a visitor's first script run, up to `script_finished`."""
    import websockets

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    received = []
    async with websockets.connect(ws_url, max_size=None, open_timeout=TIMEOUT_S) as ws:
        await ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), TIMEOUT_S))
            received.append(fwd)
            if fwd.WhichOneof("type") == "script_finished":
                return received


async def one_session(ws_url: str, path: str) -> float:
    """Seconds from opening the websocket to the first script run's end."""
    page, _, query = path.lstrip("/").partition("?")
    start = time.perf_counter()
    received = await first_run(ws_url, page, query)
    for fwd in received:
        if fwd.WhichOneof("type") == "delta" and fwd.delta.new_element.HasField("exception"):
            raise RuntimeError(fwd.delta.new_element.exception.message)
    if received[-1].script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
        raise RuntimeError(f"script finished with status {received[-1].script_finished}")
    return time.perf_counter() - start


def servers_rss(pids: list[int]) -> float:
    return sum(rss_mib(pid) for pid in pids)


async def burst(ws_urls: list[str], path: str, n: int, pids: list[int]) -> dict:
    """n sessions at once, dealt round the servers (as nginx's ip_hash deals visitors
    from different addresses round the replicas)."""
    peak = servers_rss(pids)
    done = asyncio.Event()

    async def watch_memory():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, servers_rss(pids))
            await asyncio.sleep(0.05)

    watcher = asyncio.create_task(watch_memory())
    results = await asyncio.gather(
        *(one_session(ws_urls[i % len(ws_urls)], path) for i in range(n)),
        return_exceptions=True)
    done.set()
    await watcher
    times = sorted(r for r in results if isinstance(r, float))
    errors = [r for r in results if not isinstance(r, float)]
    return {"times": times, "errors": errors, "peak": peak}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,10,25")
    parser.add_argument("--path", default="/")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--replicas", type=int, default=1,
                        help="app processes (make replicas); sessions are dealt round them")
    args = parser.parse_args()
    counts = [int(n) for n in args.sessions.split(",")]
    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(live_server()) for _ in range(args.replicas)]
        pids = [base.pid for base in bases]
        ws_urls = [base.replace("http://", "ws://") + "/_stcore/stream" for base in bases]
        for ws_url in ws_urls:
            asyncio.run(one_session(ws_url, args.path))  # warm-up: caches, imports
        time.sleep(1)
        warm = servers_rss(pids)
        print(f"Live server{'s' if len(bases) > 1 else ''} ({len(bases)} process"
              f"{'es' if len(bases) > 1 else ''}), {args.path}: sessions opened at once by "
              "websocket clients")
        print(f"  warm server memory {warm:.0f} MiB")
        print(f"  {'N':>3}  {'p50 s':>6}  {'p95 s':>6}  {'max s':>6}  errors  peak MiB  "
              "after MiB")
        for n in counts:
            for _ in range(args.rounds):
                result = asyncio.run(burst(ws_urls, args.path, n, pids))
                time.sleep(2)  # sessions close; let the server drop them
                t = result["times"]
                print(f"  {n:3d}  {statistics.median(t) if t else float('nan'):6.2f}  "
                      f"{percentile(t, 0.95):6.2f}  {max(t) if t else float('nan'):6.2f}  "
                      f"{len(result['errors']):6d}  {result['peak']:8.0f}  "
                      f"{servers_rss(pids):9.0f}")
                for error in result["errors"][:3]:
                    print(f"       error: {type(error).__name__}: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
