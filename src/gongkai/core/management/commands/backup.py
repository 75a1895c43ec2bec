"""`gongkai backup DIR`: a consistent copy of the database and the stored files, while the site keeps running.

- SQLite: SQLite's online backup API (a consistent snapshot even while the server writes; WAL included).
- PostgreSQL: `pg_dump --format=custom` (needs the PostgreSQL client tools of the server's major version).
- Files: every file-system storage (uploaded media, and any other storage in STORAGES except the static files)
  as one .tar.gz each. Object storage (S3) is not copied: use the bucket's versioning or replication.
- `manifest.json`: date, database, applied migrations, row counts of the main tables, file counts.

Restore with `gongkai restore DIR` (see docs/deploy.md).
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def file_storages() -> dict[str, Path]:
    """alias -> folder of every file-system storage except the static files."""
    from django.core.files.storage import FileSystemStorage, storages

    folders = {}
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            folders[alias] = Path(storage.location)
    return folders


def table_counts() -> dict[str, int]:
    from django.apps import apps

    counts = {}
    for label in (
        "core.Department",
        "core.User",
        "core.AuditEntry",
        "policies.Policy",
        "disclosure.DisclosureRequest",
    ):
        try:
            counts[label] = apps.get_model(label).objects.count()
        except LookupError:
            continue
    return counts


def pg_args(settings_dict) -> tuple[list[str], dict]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


class Command(BaseCommand):
    help = (
        "备份数据库和上传文件（运行中即可备份） / back up the database and stored files while the site runs"
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="备份目录（不存在则创建，必须为空）")

    def handle(self, *args, dest, **options):
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        if any(dest.iterdir()):
            raise CommandError(f"备份目录 {dest} 不是空的，请换一个目录")
        vendor = connection.vendor
        if vendor == "sqlite":
            target = sqlite3.connect(dest / "database.sqlite3")
            connection.ensure_connection()
            with target:
                connection.connection.backup(target)
            target.close()
            database_file = "database.sqlite3"
        elif vendor == "postgresql":
            cmd, env = pg_args(connection.settings_dict)
            database_file = "database.dump"
            result = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(dest / database_file),
                    *cmd,
                    connection.settings_dict["NAME"],
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_dump 失败：{result.stderr.strip()}")
        else:
            raise CommandError(f"不支持备份数据库 {vendor}")
        files = {}
        for alias, folder in file_storages().items():
            name = f"files-{alias}.tar.gz"
            count = 0
            with tarfile.open(dest / name, "w:gz") as tar:
                if folder.is_dir():
                    for path in sorted(folder.rglob("*")):
                        if path.is_file():
                            tar.add(path, arcname=str(path.relative_to(folder)))
                            count += 1
            files[alias] = {"archive": name, "files": count}
        from django.db.migrations.recorder import MigrationRecorder

        manifest = {
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "file": database_file},
            "migrations": sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations()),
            "counts": table_counts(),
            "files": files,
        }
        (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {dest}：数据库（{vendor}）、{sum(f['files'] for f in files.values())} 个文件"
            )
        )
