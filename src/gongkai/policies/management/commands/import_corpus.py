"""`gongkai import-corpus DIR [--department NAME]`: imports every .md/.txt file of a folder tree as a
published policy, with the issuer, kind and dates the documents give (see gongkai.policies.importing).
Running it again corrects the metadata of records imported before (audited)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm


class Command(BaseCommand):
    help = (
        "导入文本文件夹（.md/.txt）为已发布的政策文件；发文机关、文件类别和日期取自文件本身，重复导入时更正元数据 / "
        "import a folder of text files as published policies"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="文件夹（含子文件夹）或单个文件")
        parser.add_argument(
            "--department",
            default=None,
            help="文中和文件夹都没有写明发文机关时使用的机构（名称或简称）；默认不使用，这样的文件报告为失败",
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, directory, department, **options):
        from gongkai.core.departments import resolve_issuer
        from gongkai.policies.importing import find_files, import_files

        root = Path(directory)
        if not root.exists():
            raise CommandError(f"找不到文件夹：{directory}")
        fallback = None
        if department:
            fallback = resolve_issuer(department)
            if fallback is None:
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
                department=fallback,
                root=root if root.is_dir() else None,
                progress=lambda _path: bar.update(1),
            )
        for label, reason in report.failed:
            self.stderr.write(f"跳过 {label}：{reason}")
        for label, fields in report.corrected:
            self.stdout.write(f"更正 {label}：{'、'.join(fields)}")
        self.stdout.write(f"导入完成：{report.summary}")
