"""`gongkai bulletin --plan ID --quarter 2024Q3 [--out DIR] [--number 文号] [--date YYYY-MM-DD]`: writes the quarterly
bulletin as .docx (a GB/T 9704 document) and .xlsx."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.supervision.bulletin import (
    BulletinHead,
    bulletin_filenames,
    quarter_figures,
    render_docx,
    render_xlsx,
)
from gongkai.supervision.deadlines import BadQuarter
from gongkai.supervision.models import Plan, PlanStatus


class Command(BaseCommand):
    help = "生成季度通报（.docx 和 .xlsx） / write the quarterly bulletin"

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True)
        parser.add_argument("--quarter", required=True, help="例如 2024Q3")
        parser.add_argument("--out", default=".", help="输出目录")
        parser.add_argument("--number", default="", help="文号（默认按 GONGKAI_SUPERVISION_BULLETIN_NUMBER）")
        parser.add_argument("--date", default="", help="成文日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, plan, quarter, out=".", number="", date="", **options):
        issued_on = None
        if date:
            try:
                issued_on = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD")
        obj = Plan.objects.exclude(status=PlanStatus.DRAFT).filter(pk=plan).first()
        if obj is None:
            raise CommandError(f"没有编号为 {plan} 的已确认计划")
        try:
            fig = quarter_figures(obj, quarter)
        except BadQuarter as exc:
            raise CommandError(str(exc))
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        docx_name, xlsx_name = bulletin_filenames(fig)
        head = BulletinHead.for_figures(fig, doc_number=number, issued_on=issued_on)
        (folder / docx_name).write_bytes(render_docx(fig, head))
        (folder / xlsx_name).write_bytes(render_xlsx(fig))
        self.stdout.write(
            f"任务 {fig.total} 项，已完成 {fig.done} 项，逾期 {fig.overdue} 项，完成率 {fig.completion_rate}%"
        )
        self.stdout.write(self.style.SUCCESS(f"已生成 {folder / docx_name} 和 {folder / xlsx_name}"))
