"""What `gongkai serve` checks and prepares before it starts: the database is migrated, the static files are
collected (hashed, compressed) for the code that is installed now."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from pathlib import Path

from django.conf import settings

STAMP = ".gongkai-static.json"


def static_fingerprint() -> str:
    """A hash over every source static file (path, size, modification time) and the storage settings."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    digest.update(repr((settings.STATIC_URL, settings.STORAGES["staticfiles"])).encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            full = storage.path(path)
            stat = os.stat(full)
            entries.append(f"{path}\0{stat.st_size}\0{int(stat.st_mtime)}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def collect_static_if_needed() -> str | None:
    """Runs `collectstatic` when STATIC_ROOT was collected for other files (or never). Several servers starting
    at once on one machine take turns (a file lock); the second finds the work done. Returns a message or None."""
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    stamp = root / STAMP
    with open(root / ".gongkai-static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fingerprint = static_fingerprint()
        try:
            if json.loads(stamp.read_text())["fingerprint"] == fingerprint:
                return None
        except (OSError, ValueError, KeyError):
            pass
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(json.dumps({"fingerprint": fingerprint}))
        return f"静态文件已收集到 {root}"


def database_problem() -> str | None:
    """A message when the database cannot be reached or is not migrated, else None."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # the reason is shown to the person starting the server
        return f"无法连接数据库（{exc}）"
    if plan:
        return f"数据库尚未迁移（还有 {len(plan)} 个迁移未执行），请先运行 gongkai migrate"
    return None
