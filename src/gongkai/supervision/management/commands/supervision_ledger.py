"""`gongkai supervision-ledger [--plan ID] [--out FILE]`: the 台账 (.xlsx) of every task, or of one plan's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.supervision.ledger import render_ledger
from gongkai.supervision.models import Plan, PlanStatus, Task


class Command(BaseCommand):
    help = "导出督办台账（Excel） / export the supervision ledger"

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int)
        parser.add_argument("--out", help="输出文件，默认 ledger-日期.xlsx")

    def handle(self, *args, plan=None, out=None, **options):
        tasks = Task.objects.exclude(plan__status=PlanStatus.DRAFT)
        if plan is not None:
            if not Plan.objects.filter(pk=plan).exists():
                raise CommandError(f"没有编号为 {plan} 的计划")
            tasks = tasks.filter(plan_id=plan)
        path = Path(out or f"ledger-{timezone.localdate().isoformat()}.xlsx")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_ledger(tasks.order_by("plan_id", "sort_order", "id")))
        self.stdout.write(self.style.SUCCESS(f"{tasks.count()} 项任务，已导出 {path}"))
