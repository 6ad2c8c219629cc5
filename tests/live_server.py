"""Start the app on a free port and wait until it answers (tests and benchmarks)."""

from __future__ import annotations

import http.server
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# how Streamlit words a deprecation in its log (deprecation_util and the elements' notes)
DEPRECATION = re.compile(r"deprecat|will be removed after|Please replace `st\.", re.I)


class ServerURL(str):
    """The server's base URL, which also knows the server's process id."""

    pid: int


@contextmanager
def live_server(timeout_s: float = 90, base_url_path: str = ""):
    """`streamlit run app.py` on a free port; poll the health endpoint until ready.
    With `base_url_path`, the app is served under that path (as behind a proxy)."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # a file, not a pipe: nobody reads the log while the server runs, and a full pipe
    # would block the server after a few hundred script runs
    with tempfile.TemporaryFile() as log:
        yield from _serve(log, port, env, timeout_s, base_url_path)


def _serve(log, port: int, env: dict, timeout_s: float, base_url_path: str = ""):
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--server.baseUrlPath", base_url_path],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    root = f"http://127.0.0.1:{port}"
    base = ServerURL(f"{root}/{base_url_path.strip('/')}" if base_url_path else root)
    base.pid = proc.pid
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise RuntimeError(f"streamlit did not start:\n{output}")
        time.sleep(0.3)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    # deprecation warnings are errors: Streamlit logs each one the app triggered
    log.seek(0)
    deprecated = [line for line in log.read().decode(errors="replace").splitlines()
                  if DEPRECATION.search(line)]
    if deprecated:
        raise AssertionError("the app used deprecated Streamlit calls:\n" + "\n".join(
            dict.fromkeys(deprecated)))


def serve_page(html: str) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve one HTML page on a free port of localhost: another site than 127.0.0.1."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://localhost:{server.server_address[1]}", server


def serve_directory(path: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """A plain static web server for a folder (the static export), on a free port."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(path), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server
