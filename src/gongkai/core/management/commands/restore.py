"""`gongkai restore DIR`: puts a backup made by `gongkai backup` back. Stop `gongkai serve` and `gongkai worker`
first. Then run `gongkai migrate` (a backup from an older version is brought up to date) and start them again."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup import file_storages, pg_args


class Command(BaseCommand):
    help = (
        "从 gongkai backup 的备份恢复数据库和文件（请先停止服务） / restore a backup (stop the server first)"
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="备份目录")
        parser.add_argument("--yes", action="store_true", help="不询问，直接覆盖当前数据库和文件")

    def handle(self, *args, source, yes=False, **options):
        source = Path(source)
        try:
            manifest = json.loads((source / "manifest.json").read_text())
            if not isinstance(manifest, dict) or not isinstance(manifest.get("database"), dict):
                raise ValueError("manifest.json without a database entry")
        except (OSError, ValueError) as exc:
            raise CommandError(
                f"{source} 不是 gongkai backup 生成的备份（缺少或无法读取 manifest.json）"
            ) from exc
        vendor = connection.vendor
        if manifest["database"]["vendor"] != vendor:
            raise CommandError(
                f"备份来自 {manifest['database']['vendor']} 数据库，当前是 {vendor}：请用相同类型的数据库恢复"
            )
        if not yes:
            answer = input(
                f"将用 {manifest['created_at']} 的备份覆盖当前数据库和文件，确定吗？输入 yes 继续："
            )
            if answer.strip().lower() != "yes":
                raise CommandError("已取消")
        database_file = source / manifest["database"]["file"]
        if vendor == "sqlite":
            connection.close()
            name = connection.settings_dict["NAME"]
            backup = sqlite3.connect(database_file)
            target = sqlite3.connect(name)
            with target:
                backup.backup(target)
            backup.close()
            target.close()
        else:
            cmd, env = pg_args(connection.settings_dict)
            connection.close()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    connection.settings_dict["NAME"],
                    *cmd,
                    str(database_file),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_restore 失败：{result.stderr.strip()}")
        folders = file_storages()
        restored = 0
        for alias, entry in manifest["files"].items():
            folder = folders.get(alias)
            if folder is None:
                self.stderr.write(f"当前配置没有文件存储 {alias}，跳过 {entry['archive']}")
                continue
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            with tarfile.open(source / entry["archive"], "r:gz") as tar:
                tar.extractall(folder, filter="data")  # refuses absolute paths and ../ in the archive
            restored += entry["files"]
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 {manifest['created_at']} 的备份：数据库和 {restored} 个文件。请运行 gongkai migrate"
            )
        )
