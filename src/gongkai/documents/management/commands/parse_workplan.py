from django.core.management.base import BaseCommand

from gongkai.documents.workplan import parse_workplan

from ._common import database_or_seed_resolver, read_text, write_json


class Command(BaseCommand):
    help = "解析工作要点：章节与任务（牵头、责任、配合单位和完成时限） / parse a work plan into tasks"

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径（.txt .md .docx .pdf .html；“-”表示标准输入）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（UTF-8）")

    def handle(self, *args, **options):
        plan = parse_workplan(
            read_text(options["file"]), resolver=database_or_seed_resolver(), normalised=True
        )
        if options["json"]:
            write_json(self.stdout, plan)
            return
        self.stdout.write(f"{plan['title'] or '（无标题）'}（{plan['year'] or '年份不详'}）")
        if plan["notice"]:
            notice = plan["notice"]
            self.stdout.write(
                f"印发通知：{notice['issuer'] or ''} {notice['doc_number'] or ''} {notice['date'] or ''}"
            )
        for task in plan["tasks"]:
            departments = "、".join(task["lead"] + task["owners"])
            self.stdout.write(f"{task['ref']:<8} {task['deadline'] or '—':<10} {departments}")
            if task["unresolved"]:
                self.stdout.write(f"         未识别的单位：{'、'.join(task['unresolved'])}")
        self.stdout.write(f"共 {len(plan['sections'])} 个章节，{len(plan['tasks'])} 项任务")
