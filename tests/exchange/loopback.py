"""Two deployments on loopback for the exchange test and benchmark: each has its own
FANGKONG_VAR_DIR (SQLite database, data key, exchange key) and its own gunicorn
process on 127.0.0.1. Shaoxing (330600) and Hangzhou (330100), with small trees."""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE_SCRIPT = Path(__file__).with_name("loopback_node.py")

TREES = {
    "shaoxing": [
        ("city", "3306", "绍兴市", "33"),
        ("county", "330602", "越城区", "3306"),
        ("town", "330602001", "塔山街道", "330602"),
        ("village", "330602001004", "花园社区", "330602001"),
    ],
    "hangzhou": [
        ("city", "3301", "杭州市", "33"),
        ("county", "330102", "上城区", "3301"),
        ("town", "330102001", "清波街道", "330102"),
        ("village", "330102001001", "劳动路社区", "330102001"),
    ],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Deployment:
    def __init__(self, base: Path, name: str):
        self.name = name
        self.var = base / name
        self.var.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.token = ""
        self.info: dict = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("FANGKONG_", "DATABASE"))},
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "fangkong.settings",
            "FANGKONG_VAR_DIR": str(self.var),
            "FANGKONG_DATA_KEY": base64.b64encode(os.urandom(32)).decode(),
            "FANGKONG_SECRET_KEY": base64.b64encode(os.urandom(32)).decode(),
        }

    def run(self, *args: str, timeout: float = 600) -> dict:
        """Run a command of loopback_node.py in this deployment; its JSON output."""
        out = subprocess.run(
            [sys.executable, str(NODE_SCRIPT), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if out.returncode != 0:
            raise RuntimeError(f"{self.name} {args[0]}: {out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])

    def init(self, tree: str) -> dict:
        rows = ["level,code,name,parent_code"] + [",".join(r) for r in TREES[tree]]
        csv_path = self.var / "divisions.csv"
        csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        self.info = self.run("init", str(csv_path))
        self.token = self.info["token"]
        return self.info

    def start(self, port: int | None = None, log_name: str = "server.log") -> subprocess.Popen:
        """Serve this deployment on `port` (its own by default); a second server of the
        same deployment (same database and keys) takes another port and log."""
        port = port or self.port
        log = open(self.var / log_name, "wb")  # noqa: SIM115 (kept open for the process)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "fangkong.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "300",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        if port == self.port:
            self.proc = proc
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    return proc
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        proc.kill()
        raise RuntimeError(f"{self.name} did not start: {(self.var / log_name).read_text()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return resp.status, json.loads(resp.read().decode() or "null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read().decode() or "null")

    def post_inbox(self, doc: dict) -> tuple[int, dict]:
        req = urllib.request.Request(
            self.url + "/exchange/inbox/",
            data=json.dumps(doc, ensure_ascii=False).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return resp.status, json.loads(resp.read().decode())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read().decode())


def two_deployments(base: Path) -> tuple[Deployment, Deployment]:
    """Migrate one database, copy it for the second, load each city's tree, register
    each as the other's partner (with its endpoint) and start both servers."""
    template = Deployment(base, "template")
    subprocess.run(
        [sys.executable, "-m", "fangkong", "migrate", "--noinput", "-v", "0"],
        env=template.env,
        cwd=ROOT,
        check=True,
        timeout=900,
    )
    a, b = Deployment(base, "shaoxing"), Deployment(base, "hangzhou")
    for d in (a, b):
        shutil.copy(template.var / "fangkong.sqlite3", d.var / "fangkong.sqlite3")
    a.init("shaoxing")
    b.init("hangzhou")
    a.run("partner", b.info["code"], "杭州市", b.url, b.info["public_key"])
    b.run("partner", a.info["code"], "绍兴市", a.url, a.info["public_key"])
    a.start()
    b.start()
    return a, b
