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


def streamlit_command(port: int, base_url_path: str = "") -> list[str]:
    """How the app is started: `make run`, the tests, the benchmarks and `make replicas`."""
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--server.baseUrlPath", base_url_path]


def wait_healthy(base: str, timeout_s: float, proc: subprocess.Popen | None = None) -> bool:
    """Poll `base`/_stcore/health until it answers 200; False if `proc` exits or time runs
    out first."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
            return False
        time.sleep(0.3)


@contextmanager
def live_server(timeout_s: float = 90, base_url_path: str = "", data_dir: Path | None = None):
    """`streamlit run app.py` on a free port; poll the health endpoint until ready.
    With `base_url_path`, the app is served under that path (as behind a proxy); with
    `data_dir`, it reads that copy of data/."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if data_dir is not None:
        env["TJV_CLUSTERS_DATA"] = str(data_dir)
    # a file, not a pipe: nobody reads the log while the server runs, and a full pipe
    # would block the server after a few hundred script runs
    with tempfile.TemporaryFile() as log:
        yield from _serve(log, port, env, timeout_s, base_url_path)


def _serve(log, port: int, env: dict, timeout_s: float, base_url_path: str = ""):
    proc = subprocess.Popen(streamlit_command(port, base_url_path), cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}"
    base = ServerURL(f"{root}/{base_url_path.strip('/')}" if base_url_path else root)
    base.pid = proc.pid
    if not wait_healthy(base, timeout_s, proc):
        proc.kill()
        log.seek(0)
        output = log.read().decode(errors="replace")
        raise RuntimeError(f"streamlit did not start:\n{output}")
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


NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
NGINX_CONF = ROOT / "docs" / "nginx.conf"
# the replica lines of docs/nginx.conf's upstream block (consecutive, one per replica)
_UPSTREAM_SERVERS = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+ (max_fails=[^;]*);\n"
                               r"(?:\s*server 127\.0\.0\.1:\d+ [^;]*;\n)*", re.M)


class ProxyURL(str):
    """The proxy's base URL, which also knows its folder (nginx.conf, access.log)."""

    prefix: Path


def render_nginx_conf(upstreams: list[str], port: int, prefix: Path,
                      frame_ancestors: str | None = None) -> str:
    """docs/nginx.conf for `upstreams` (host:port, one per replica), listening on
    127.0.0.1:`port`, with its logs and temporary files in `prefix`. The access log names
    the replica that served each request."""
    conf = NGINX_CONF.read_text()
    block = _UPSTREAM_SERVERS.search(conf)
    if not block:
        raise ValueError(f"no `server 127.0.0.1:PORT max_fails=…;` line in {NGINX_CONF}")
    indent, options = block.groups()
    servers = "".join(f"{indent}server {u} {options};\n" for u in upstreams)
    conf = conf[:block.start()] + servers + conf[block.end():]
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    if frame_ancestors is not None:
        conf = re.sub(r"frame-ancestors 'self' [^\"]+", f"frame-ancestors 'self' {frame_ancestors}",
                      conf)
    return conf.replace("http {", "http {\n"
                        "    log_format replica '$status \"$upstream_addr\" $request';\n"
                        f"    access_log {prefix}/access.log replica;\n"
                        f"    client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;",
                        1)


@contextmanager
def nginx_proxy(upstreams: list[str], port: int | None = None, *,
                frame_ancestors: str | None = None, prefix: Path | None = None,
                base_url_path: str = ""):
    """Debian's nginx with docs/nginx.conf in front of `upstreams` (apps served under
    `base_url_path`); yields its ProxyURL once it answers /_stcore/health (through a
    replica)."""
    if not Path(NGINX).exists():
        raise RuntimeError(f"{NGINX} is missing: run `make nginx` (make test does it)")
    port = port or _free_port()
    with tempfile.TemporaryDirectory(prefix="tjv-nginx-") as tmp:
        folder = Path(prefix or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "nginx.conf").write_text(
            render_nginx_conf(upstreams, port, folder, frame_ancestors))
        proc = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g",
             f"daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        base = ProxyURL(f"http://127.0.0.1:{port}")
        base.prefix = folder
        try:
            app = f"{base}/{base_url_path.strip('/')}" if base_url_path else base
            if not wait_healthy(app, 30, proc):
                out = proc.stdout.read().decode() if proc.poll() is not None else ""
                errors = (folder / "error.log")
                raise RuntimeError("nginx did not start:\n" + out + (
                    errors.read_text() if errors.exists() else ""))
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)
