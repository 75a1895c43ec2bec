"""Issue 12, item 5: 20 readers and 6 writers at once — no "database is locked", no 500, every write stored.
Runs `tests/writers_scenario.py` in a separate process with production settings (PBKDF2 at full cost) on a
file SQLite database, or on a PostgreSQL database of its own when the suite runs on PostgreSQL.

Four writes per writer: each of the six writers still does each kind once (apply, ask, track, publish, in an
order that differs by writer), so 24 writes overlap with each other and with the readers' requests; eight per
writer doubled the run (~50 s of CPU in each of the two runs of `make test`) without a case that four lack.
The benchmark (`benchmarks/load_bench.py`) is where the scenario runs long."""

import json
import subprocess
import sys

import pytest

from .serverkit import ROOT

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("server")]


def test_twenty_readers_and_six_writers(site_factory):
    site = site_factory.new()
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "writers_scenario.py"), "--writes", "4"],
            env=site.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        site.destroy()
    line = next((x for x in result.stdout.splitlines() if x.startswith("SUMMARY ")), None)
    assert line, result.stdout[-3000:] + result.stderr[-3000:]
    summary = json.loads(line[len("SUMMARY ") :])
    assert summary["database_locked"] == 0, summary
    assert summary["server_errors"] == 0, summary
    assert not summary["exceptions"] and not summary["logged_errors"], summary
    assert summary["created"] == {k: summary["expected_writes"][k] for k in summary["created"]}, summary
    assert result.returncode == 0, summary
