"""A publication, a withdrawal and a validity change made by one process are seen at once by the public search
of another process (each keeps its own in-memory metadata copy, checked against the database's generation
mark on every search). Two separate Python processes on one database: on SQLite a file copied from the test
database, on PostgreSQL the test database itself (committed data: `transaction=True`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[4]


class Worker:
    def __init__(self, database_name):
        env = dict(os.environ, GONGKAI_WORKER_DB_NAME=database_name, PYTHONPATH=str(ROOT / "src"))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gongkai.search.tests.process_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        self.pid = self.read()["ready"]

    def read(self):
        line = self.process.stdout.readline()
        assert line, "worker process ended"
        return json.loads(line)

    def __call__(self, **command):
        self.process.stdin.write(json.dumps(command, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        answer = self.read()
        assert "error" not in answer, answer
        return answer

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.process.stdout.close()


@pytest.fixture
def database(departments, tmp_path):
    """The name of a database the worker processes share, holding the test's departments."""
    if connection.vendor == "sqlite":
        import sqlite3

        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)  # the in-memory test database, schema, triggers and rows
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        return str(path)
    return connection.settings_dict["NAME"]


def test_a_publication_is_seen_at_once_by_another_process(database):
    writer, reader = Worker(database), Worker(database)
    try:
        assert writer.pid != reader.pid
        assert reader(op="search", query="跨进程检索")["total"] == 0  # the reader's copy is loaded now
        policy_id = writer(op="publish", title="跨进程检索测试文件", body="用于跨进程检索的正文。")["id"]
        found = reader(op="search", query="跨进程检索")
        assert found["total"] == 1 and found["ids"] == [policy_id]
        assert found["facets"]["validity"] == {"valid": 1}

        writer(op="declare_validity", id=policy_id, status="repealed")
        found = reader(op="search", query="跨进程检索")
        assert found["facets"]["validity"] == {"repealed": 1}
        assert reader(op="search", query="跨进程检索", filters={"validity": "repealed"})["total"] == 1
        assert reader(op="search", query="跨进程检索", filters={"validity": "valid"})["total"] == 0

        writer(op="unpublish", id=policy_id)
        assert reader(op="search", query="跨进程检索")["total"] == 0
        assert reader(op="search", query="")["total"] == 0
    finally:
        writer.close()
        reader.close()


def test_two_processes_count_the_same_zero_result_query_right(database):
    """The zero-result log counts with one upsert in the database: two processes counting at the same time lose
    nothing (no process keeps a count in memory)."""
    from django.utils import timezone

    from gongkai.search.models import ZeroResultQuery

    first, second = Worker(database), Worker(database)
    try:
        for worker in (first, second):  # both start before either answers: they run at the same time
            worker.process.stdin.write(
                json.dumps({"op": "zero_results", "query": "不存在的词语", "times": 40}) + "\n"
            )
            worker.process.stdin.flush()
        assert first.read() == {"ok": True} and second.read() == {"ok": True}
    finally:
        first.close()
        second.close()
    if connection.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(database) as shared:
            rows = shared.execute(
                f"SELECT query, day, count FROM {ZeroResultQuery._meta.db_table}"
            ).fetchall()
        assert rows == [("不存在的词语", timezone.localdate().isoformat(), 80)]
    else:
        row = ZeroResultQuery.objects.get()
        assert (row.query, row.day, row.count) == ("不存在的词语", timezone.localdate(), 80)
