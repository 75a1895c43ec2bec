"""Rate limits in the shared cache: one bucket per real client address, shared by every process (issue 11)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.test import RequestFactory

from gongkai.core import ratelimit


@pytest.fixture
def limit():
    ratelimit.register_limit("test.form", 3, 3600)
    return "test.form"


def _request(addr="198.51.100.1", **meta):
    return RequestFactory().post("/", REMOTE_ADDR=addr, **meta)


def test_limit_per_client_address(limit):
    assert [ratelimit.hit(_request(), limit) for _ in range(4)] == [True, True, True, False]
    assert ratelimit.hit(_request("198.51.100.2"), limit)
    assert ratelimit.remaining(_request("198.51.100.2"), limit) == 2


def test_settings_override_the_declared_limit(limit, settings):
    settings.GONGKAI_RATE_LIMITS = {limit: [1, 60]}
    assert ratelimit.hit(_request(), limit) and not ratelimit.hit(_request(), limit)


def test_behind_the_proxy_each_citizen_has_a_bucket(limit, client, settings):
    """Through TrustedProxyMiddleware: the address from X-Forwarded-For of the local proxy, not the proxy's own."""
    from gongkai.core.proxies import TrustedProxyMiddleware

    seen = []

    def view(request):
        seen.append(ratelimit.hit(request, limit))
        return None

    middleware = TrustedProxyMiddleware(view)
    for citizen in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
        middleware(_request("127.0.0.1", HTTP_X_FORWARDED_FOR=citizen))
    assert seen == [True] * 4  # four citizens behind one proxy: four buckets
    for _ in range(3):
        middleware(_request("127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1"))
    assert seen[-3:] == [True, True, False]
    # a client talking to the application directly cannot pick its bucket with the header
    seen.clear()
    for fake in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"):
        middleware(_request("198.51.100.9", HTTP_X_FORWARDED_FOR=fake))
    assert seen == [True, True, True, False]


def test_unknown_limit_is_a_programming_error():
    with pytest.raises(KeyError):
        ratelimit.hit(_request(), "no.such.limit")


WORKER = textwrap.dedent(
    """
    import os, sys, time
    import django
    django.setup()
    from django.test import RequestFactory
    from gongkai.core import ratelimit
    ratelimit.register_limit("test.shared", int(os.environ["LIMIT"]), 3600)
    # start together: wait until every worker is ready
    open(f"ready-{os.getpid()}", "w").close()
    while len([n for n in os.listdir(".") if n.startswith("ready-")]) < int(os.environ["WORKERS"]):
        time.sleep(0.005)
    ok = 0
    for _ in range(int(os.environ["TRIES"])):
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.50")
        ok += ratelimit.hit(request, "test.shared")
        time.sleep(0.02)  # interleave with the other process even when the machine is loaded
    print(ok)
    """
)


@pytest.mark.parametrize("backend", ["database"])
def test_two_processes_share_one_bucket(tmp_path, backend, migrated_sqlite_file):
    """Two worker processes, started together, each try 30 submissions from one client against a limit of 20
    kept in the database cache of one SQLite file: together they get exactly 20, not 40 (each process its own
    memory) and not more than 20 (lost updates)."""
    db = tmp_path / "shared.sqlite3"
    if migrated_sqlite_file:
        # The run's migrated template: `migrate` below then only creates the cache tables (post_migrate) instead
        # of applying core's migrations and their dependencies from scratch (70–120 s of wall time in make test).
        shutil.copy(migrated_sqlite_file, tmp_path / "gongkai.sqlite3")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.settings.dev",
        "GONGKAI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "LIMIT": "20",
        "TRIES": "30",
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
    }
    env.pop("DATABASE_URL")
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "core", "--no-input", "-v", "0"],
        env=env,
        check=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert db.parent.joinpath("gongkai.sqlite3").exists()
    env["WORKERS"] = "2"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER], env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [int(w.communicate(timeout=300)[0].strip() or 0) for w in workers]
    assert all(w.returncode == 0 for w in workers)
    assert sum(results) == 20, results
    assert all(r > 0 for r in results), results  # both processes took part
