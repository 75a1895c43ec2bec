"""`gongkai import-corpus DIR [--department NAME]`: imports every .md/.txt file of a folder tree as a
published policy (see gongkai.policies.importing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm


class Command(BaseCommand):
    help = (
        "导入文本文件夹（.md/.txt）为已发布的政策文件 / import a folder of text files as published policies"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="文件夹（含子文件夹）或单个文件")
        parser.add_argument("--department", default="区政府", help="发文机构名称（默认：区政府）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, directory, department, **options):
        from gongkai.core.departments import resolve_department
        from gongkai.policies.importing import find_files, import_files

        root = Path(directory)
        if not root.exists():
            raise CommandError(f"找不到文件夹：{directory}")
        issuer = resolve_department(department)
        if issuer is None:
            raise CommandError(f"未知的发文机构：{department}（请先运行 gongkai setup 导入部门）")
        files = find_files(root)
        if not files:
            self.stdout.write(f"{directory} 中没有 .md 或 .txt 文件")
            return
        with tqdm(
            total=len(files), desc="导入", unit="件", disable=options["no_progress"], file=self.stderr
        ) as bar:
            report = import_files(
                files,
                department=issuer,
                root=root if root.is_dir() else None,
                progress=lambda _path: bar.update(1),
            )
        for label, reason in report.failed:
            self.stderr.write(f"跳过 {label}：{reason}")
        self.stdout.write(f"导入完成：{report.summary}（发文机构：{issuer}）")
