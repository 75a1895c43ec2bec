"""Helpers for tests that run `gongkai serve` and scripts in separate processes, on a database of their own:
a file SQLite database, or a new PostgreSQL database when the suite runs on PostgreSQL (DATABASE_URL).

The first use in a test session migrates a template database (about half a minute); each site is a copy."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GONGKAI = str(Path(sys.executable).with_name("gongkai"))
# Collected once per checkout (the server re-collects only when the static sources change).
STATIC_ROOT = ROOT / "var" / "test-static"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _base_env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="gongkai.settings.production",
        SECRET_KEY="test-secret-key-for-server-tests-only",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        GONGKAI_VAR_DIR=str(var_dir),
        GONGKAI_STATIC_ROOT=str(STATIC_ROOT),
        GONGKAI_HOME=str(ROOT),
        PYTHONWARNINGS="ignore",
    )
    return env


def _pg_url(base: str, name: str) -> str:
    head, _sep, _db = base.rpartition("/")
    return f"{head}/{name}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(sql)


class Site:
    """A migrated database and a data folder; `env` runs commands and servers against it."""

    def __init__(self, var_dir: Path, database_url: str | None):
        self.var_dir = var_dir
        self.env = _base_env(var_dir)
        self.database_url = database_url
        if database_url:
            self.env["DATABASE_URL"] = database_url
        else:
            self.env.pop("DATABASE_URL", None)
        self.servers: list[subprocess.Popen] = []

    def run(self, *args, check=True, timeout=300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [GONGKAI, *args], env=self.env, capture_output=True, text=True, timeout=timeout, check=check
        )

    def python(self, code: str, timeout=300) -> str:
        """Runs Python with Django set up on this site; returns its standard output."""
        prefix = "import django; django.setup()\n"
        result = subprocess.run(
            [sys.executable, "-c", prefix + code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise AssertionError(f"script failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def query(self, sql: str) -> list[tuple]:
        """Reads this site's database directly (no Django process to start): for checks of what is stored."""
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                return conn.execute(sql).fetchall()
        import sqlite3
        from contextlib import closing

        with closing(sqlite3.connect(self.var_dir / "gongkai.sqlite3")) as conn:
            return conn.execute(sql).fetchall()

    def serve(self, port: int | None = None, *, workers=1, extra=()) -> tuple[subprocess.Popen, int, Path]:
        port = port or free_port()
        log = self.var_dir / f"serve-{port}.log"
        with open(log, "wb") as out:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(
                [GONGKAI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), *extra],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.servers.append(proc)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"gongkai serve exited with {proc.returncode}:\n{log.read_text()}")
            try:
                status, _h, _b = get(port, "/healthz")
                if status == 200:
                    return proc, port, log
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"gongkai serve did not answer in time:\n{log.read_text()}")

    def stop_all(self) -> None:
        for proc in self.servers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.servers:
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()

    def destroy(self) -> None:
        self.stop_all()
        if self.database_url:
            name = self.database_url.rpartition("/")[2]
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(self.var_dir, ignore_errors=True)


class SiteFactory:
    def __init__(
        self, base_dir: Path, migrated: tuple[str, str] | None = None, shared_dir: Path | None = None
    ):
        """`migrated`: the test run's migrated template database (conftest.py `migrated_template`), copied
        instead of migrating once more; `migrate` then only runs its `post_migrate` steps with the production
        settings and applies what the copy lacks. `shared_dir`: a folder of this test run that all its
        pytest-xdist workers see (`shared_dir_of`): the first worker that needs a site makes the template there,
        the others wait for it and copy it too (one template per run instead of one per worker)."""
        self.base_dir = base_dir
        self.template: Path | str | None = None
        self.pg = bool(os.environ.get("DATABASE_URL"))
        self.migrated = (
            migrated if migrated and migrated[0] == ("postgresql" if self.pg else "sqlite") else None
        )
        self.shared_dir = shared_dir

    def _make_template(self) -> None:
        if self.shared_dir is None:
            self.template = self._build_template(
                self.base_dir / "template", f"gk_tmpl_{uuid.uuid4().hex[:10]}"
            )
            return
        import fcntl

        self.shared_dir.mkdir(parents=True, exist_ok=True)
        done = self.shared_dir / "template.json"
        with open(self.shared_dir / "template.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # held while the first worker builds it; the others then read it
            try:
                if not done.exists():
                    made = self._build_template(
                        self.shared_dir / "template", shared_template_name(self.shared_dir)
                    )
                    done.write_text(json.dumps(str(made)))
                made = json.loads(done.read_text())
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        self.template = made if self.pg else Path(made)

    def _build_template(self, var: Path, pg_name: str) -> Path | str:
        var.mkdir(parents=True, exist_ok=True)
        if self.pg:
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')  # a build that failed half-way
            _pg_admin(
                f'CREATE DATABASE "{pg_name}"' + (f' TEMPLATE "{self.migrated[1]}"' if self.migrated else "")
            )
            url = _pg_url(os.environ["DATABASE_URL"], pg_name)
        else:
            url = None
            if self.migrated:
                shutil.copy(self.migrated[1], var / "gongkai.sqlite3")
        site = Site(var, url)
        site.run("migrate", "--no-input", "-v0", timeout=600)
        site.run("setup")
        # Scripts that render pages in-process with production settings need the static manifest too; the lock in
        # collect_static_if_needed makes a run beside another suite (make -j2) wait for the collection in progress.
        site.python(
            "from gongkai.core.staticprep import collect_static_if_needed; collect_static_if_needed()",
            timeout=600,
        )
        return pg_name if self.pg else var / "gongkai.sqlite3"

    def new(self) -> Site:
        if self.template is None:
            self._make_template()
        var = self.base_dir / uuid.uuid4().hex[:8]
        var.mkdir(parents=True)
        if self.pg:
            name = f"gk_site_{uuid.uuid4().hex[:10]}"
            _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            return Site(var, _pg_url(os.environ["DATABASE_URL"], name))
        shutil.copy(self.template, var / "gongkai.sqlite3")
        return Site(var, None)

    def cleanup(self) -> None:
        # A shared template is dropped by the run's controlling process when every worker is done
        # (`drop_shared_template`, root conftest.py); another worker may still be copying it now.
        if self.pg and self.template and self.shared_dir is None:
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')


def shared_dir_of(run_root: Path) -> Path:
    """The folder, under the test run's base temporary folder (which pytest-xdist gives each worker a subfolder
    of), where the run's site template is made once for all its workers."""
    return run_root / "sites-shared"


def shared_template_name(shared_dir: Path) -> str:
    import hashlib

    return "gk_tmpl_" + hashlib.sha1(str(shared_dir.resolve()).encode()).hexdigest()[:12]


def drop_shared_template(run_root: Path) -> None:
    """PostgreSQL: drops the run's shared site template, if a worker made one (called once, after all workers)."""
    shared = shared_dir_of(run_root)
    if os.environ.get("DATABASE_URL") and (shared / "template.json").exists():
        _pg_admin(f'DROP DATABASE IF EXISTS "{shared_template_name(shared)}" WITH (FORCE)')


def get(port: int, path: str, headers: dict | None = None, method="GET") -> tuple[int, dict, bytes]:
    # As the TLS proxy in front forwards it (production settings redirect plain HTTP to HTTPS).
    headers = {"X-Forwarded-Proto": "https", **(headers or {})}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers, method=method)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()


def get_json(port: int, path: str):
    status, _headers, body = get(port, path)
    return status, json.loads(body)
