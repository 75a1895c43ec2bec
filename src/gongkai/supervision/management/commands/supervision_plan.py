"""`gongkai supervision-plan list|close|archive|reopen|delete [ID]`: the life of a plan from the command line
(the same actions as the admin's 工作计划 screen)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.supervision import actions
from gongkai.supervision.models import Plan


class Command(BaseCommand):
    help = "列出、结束、归档、重新启用或删除工作计划 / manage supervision plans"

    def add_arguments(self, parser):
        parser.add_argument("op", choices=["list", "close", "archive", "reopen", "delete"])
        parser.add_argument("plan", nargs="?", type=int, help="计划编号（list 以外必填）")

    def handle(self, *args, op, plan=None, **options):
        if op == "list":
            for p in Plan.objects.all():
                self.stdout.write(
                    f"{p.pk:>4}  {p.year}  {p.get_status_display():<8} {'公开' if p.is_published else '    '}  {p.title}"
                )
            return
        if plan is None:
            raise CommandError("请给出计划编号")
        obj = Plan.objects.filter(pk=plan).first()
        if obj is None:
            raise CommandError(f"没有编号为 {plan} 的计划")
        operation = {
            "close": actions.close_plan,
            "archive": actions.archive_plan,
            "reopen": actions.reopen_plan,
            "delete": actions.delete_plan,
        }[op]
        try:
            operation(obj, actor=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))
        done = {"close": "已结束", "archive": "已归档", "reopen": "已重新启用", "delete": "已删除"}[op]
        self.stdout.write(self.style.SUCCESS(f"《{obj.title}》{done}"))
