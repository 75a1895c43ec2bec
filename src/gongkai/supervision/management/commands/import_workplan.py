"""`gongkai import-workplan FILE [--year Y] [--kind K] [--update] [--confirm] [--publish]`: imports a work plan as
a draft plan (the preview), prints what needs fixing, and with --confirm confirms it when nothing does. A plan
imported before is refused (naming it), or with --update brought in line with the file in place."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.supervision import actions
from gongkai.supervision.importing import ImportRejected
from gongkai.supervision.models import PlanKind, PlanStatus
from gongkai.supervision.reading import parse_workplan_file


class Command(BaseCommand):
    help = "导入工作要点，生成待确认的计划 / import a work plan (draft plan for review)"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int)
        parser.add_argument("--kind", choices=PlanKind.values, default=PlanKind.WORK_PLAN)
        parser.add_argument("--update", action="store_true", help="计划已导入时，用这份文件更新它")
        parser.add_argument("--confirm", action="store_true", help="没有问题时直接确认")
        parser.add_argument("--publish", action="store_true", help="确认后在网站公开")

    def handle(
        self,
        *args,
        file,
        year=None,
        kind=PlanKind.WORK_PLAN,
        update=False,
        confirm=False,
        publish=False,
        **options,
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            text, parsed = parse_workplan_file(str(path))
            plan = actions.import_workplan(
                parsed,
                actor=None,
                year=year,
                kind=kind,
                source_name=path.name,
                source_text=text,
                update=update,
            )
        except (ImportRejected, ValidationError, ValueError, OSError) as exc:
            raise CommandError(f"导入失败：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
        tasks = plan.tasks.count()
        self.stdout.write(
            f"计划 {plan.pk}：《{plan.title}》{plan.year}年，章节 {plan.sections.count()} 个，任务 {tasks} 项"
        )
        problems = actions.plan_problems(plan)
        for task in plan.tasks.exclude(unresolved_names=[]):
            self.stdout.write(f"  {task.display_ref} 未识别的部门：{'、'.join(task.unresolved_names)}")
        for task, problem in problems:
            self.stdout.write(f"  {task.display_ref} {problem}")
        if plan.status != PlanStatus.DRAFT:
            self.stdout.write(self.style.SUCCESS(f"已更新（{plan.get_status_display()}）"))
            return
        if confirm:
            if problems:
                raise CommandError(f"有 {len(problems)} 个问题，请在管理后台修正后确认（计划 {plan.pk}）")
            plan = actions.confirm_plan(plan, actor=None)
            self.stdout.write(self.style.SUCCESS("已确认"))
            if publish:
                actions.publish_plan(plan, actor=None)
                self.stdout.write(self.style.SUCCESS("已公开"))
        else:
            self.stdout.write("请在管理后台“工作要点督办 › 工作计划”核对并确认")
