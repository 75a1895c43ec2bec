"""`gongkai annual-report --year Y [--department NAME] --out DIR [--draft-texts]`

Writes the 政府信息公开工作年度报告 of a year in the national format (国办公开办函〔2021〕30号) as .xlsx and .docx into
DIR. An approved report is written from its frozen data; otherwise from the live data, with the text sections as
saved on the report, or drafted from the data where they are empty."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "生成政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）的 Excel 和 Word 文件"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2025")
        parser.add_argument("--department", default="", help="部门名称、简称或别名；不填为全区")
        parser.add_argument("--out", required=True, help="输出目录（不存在时创建）")
        parser.add_argument("--no-draft", action="store_true", help="文字部分为空时不按数据起草（留空）")

    def handle(self, *args, **options):
        from gongkai.core.departments import resolve_department
        from gongkai.disclosure import annual_report
        from gongkai.disclosure.models import AnnualReport

        year = options["year"]
        if not 2008 <= year <= timezone.localdate().year:
            raise CommandError(f"年度不正确：{year}（2008年至今）")
        department = None
        name = (options["department"] or "").strip()
        if name:
            department = resolve_department(name)
            if department is None:
                raise CommandError(f"找不到部门：{name}")
        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"无法创建输出目录 {out}：{exc}")
        report = AnnualReport.objects.filter(year=year, department=department).first() or AnnualReport(
            year=year, department=department
        )
        try:
            data = annual_report.report_data(report)
            if not data.frozen and not options["no_draft"]:
                drafts = annual_report.draft_texts(report)
                data.texts = {
                    k: (data.texts.get(k) or "").strip() or drafts[k] for k in annual_report.TEXT_FIELDS
                }
            xlsx = annual_report.export_xlsx_data(data)
            docx = annual_report.export_docx_data(data)
        except annual_report.ReportUnbalanced as exc:
            raise CommandError(str(exc))
        code = department.code if department else "district"
        paths = []
        for ext, content in (("xlsx", xlsx), ("docx", docx)):
            path = out / f"annual-report-{code}-{year}.{ext}"
            path.write_bytes(content)
            paths.append(path)
        state = "（已批准的定稿数据）" if data.frozen else "（实时数据）"
        self.stdout.write(f"{annual_report.title_of(data)}{state}")
        for path in paths:
            self.stdout.write(str(path))
