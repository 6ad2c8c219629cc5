"""`make replicas`: the dashboard as an agency runs it without containers: N app replicas
behind docs/nginx.conf (sticky sessions), each restarted when it dies.

Each replica is `streamlit run app.py` on its own port (logs in .cache/replicas/); nginx
listens on the proxy port and keeps each visitor on one replica. When a replica dies, its
visitors' browsers reconnect through nginx to another one and redraw the same view (the
URL holds it), and this script starts the dead replica again. Ctrl-C stops everything.

Usage: python scripts/replicas.py [--ports 8501,8502] [--proxy-port 8080]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live_server import nginx_proxy, streamlit_command, wait_healthy  # noqa: E402

LOGS = ROOT / ".cache" / "replicas"


class Replica:
    def __init__(self, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self.restarts = 0
        self.starting = False

    def start(self) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        log = open(LOGS / f"replica-{self.port}.log", "ab")  # noqa: SIM115 - the child keeps it
        self.proc = subprocess.Popen(streamlit_command(self.port), cwd=ROOT, stdout=log,
                                     stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONPATH": str(ROOT)})
        log.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def say(text: str) -> None:
    print(time.strftime("%H:%M:%S"), text, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", default="8501,8502",
                        help="one port per replica, comma-separated")
    parser.add_argument("--proxy-port", type=int, default=8080)
    parser.add_argument("--check-every", type=float, default=1.0, help="seconds")
    args = parser.parse_args()
    replicas = [Replica(int(p)) for p in args.ports.split(",") if p.strip()]
    if not replicas:
        parser.error("--ports names no port")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for r in replicas:
            r.start()
        for r in replicas:
            if not wait_healthy(r.url, 120, r.proc):
                say(f"replica {r.url} did not start: see {LOGS}/replica-{r.port}.log")
                return 1
            say(f"replica {r.url} ready (pid {r.proc.pid})")
        with nginx_proxy([f"127.0.0.1:{r.port}" for r in replicas], args.proxy_port,
                         prefix=LOGS / "nginx") as proxy:
            say(f"dashboard: {proxy}/  (nginx logs in {proxy.prefix})")
            while True:
                time.sleep(args.check_every)
                for r in replicas:
                    if r.proc.poll() is not None:
                        r.restarts += 1
                        say(f"replica {r.url} exited with {r.proc.returncode}; "
                            f"restarting (restart {r.restarts})")
                        r.start()
                        r.starting = True
                    elif r.starting and wait_healthy(r.url, 0, r.proc):
                        r.starting = False
                        say(f"replica {r.url} ready (pid {r.proc.pid})")
    except KeyboardInterrupt:
        return 0
    finally:
        for r in replicas:
            r.stop()


if __name__ == "__main__":
    sys.exit(main())
