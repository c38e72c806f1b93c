"""Benchmarks run against their own PostgreSQL database, never the dev or test one."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def use_bench_database(name: str) -> str:
    """Point DATABASE_URL at a fresh database `name` on the same server; return the URL.
    FANGKONG_BENCH_DB names another (a trial run beside the real one)."""
    import psycopg

    name = os.environ.get("FANGKONG_BENCH_DB") or name

    base = os.environ.get("DATABASE_URL") or "postgres://fangkong:fangkong@127.0.0.1:5432/fangkong"
    parts = urlsplit(base)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path="/" + name))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    _bench_keys()
    return url


def reuse_bench_database(name: str) -> str:
    """Point DATABASE_URL at the existing database `name` of an earlier run (--http-only)."""
    name = os.environ.get("FANGKONG_BENCH_DB") or name
    base = os.environ.get("DATABASE_URL") or "postgres://fangkong:fangkong@127.0.0.1:5432/fangkong"
    url = urlunsplit(urlsplit(base)._replace(path="/" + name))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    _bench_keys()
    return url


def _bench_keys() -> None:
    """Benchmark-only keys: the app refuses to start on none (core/security.py)."""
    os.environ.setdefault("FANGKONG_DATA_KEY", "YmVuY2htYXJrLW9ubHkta2V5LTMyLWJ5dGVzLWxvbmc=")
    os.environ.setdefault("FANGKONG_SECRET_KEY", "benchmark-only-signing-key-" + "b" * 40)


def setup_django() -> None:
    import django

    django.setup()


def machine() -> str:
    import platform
    import subprocess

    cpu = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        cpu = next(
            (line.split(":", 1)[1].strip() for line in out.splitlines() if "Model name" in line), ""
        )
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu or platform.processor()}), {mem:.0f} GiB, Python {platform.python_version()}"


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]
