"""`gongkai freeze-snapshot --plan ID --quarter 2024Q3`: freezes the public figures of a quarter (once)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.supervision.actions import freeze_snapshot
from gongkai.supervision.models import Plan


class Command(BaseCommand):
    help = "冻结季度快照（冻结后数据不再变动） / freeze a quarterly snapshot"

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True)
        parser.add_argument("--quarter", required=True)

    def handle(self, *args, plan, quarter, **options):
        obj = Plan.objects.filter(pk=plan).first()
        if obj is None:
            raise CommandError(f"没有编号为 {plan} 的计划")
        try:
            snap = freeze_snapshot(obj, quarter, actor=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))
        self.stdout.write(self.style.SUCCESS(f"已冻结 {snap.quarter}：{snap.data['summary']}"))
