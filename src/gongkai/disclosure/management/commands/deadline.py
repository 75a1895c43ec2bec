"""`gongkai deadline --received DATE [--extension] [--corrected DATE] [--pause START:END]... [--json]`"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.calendar import CalendarNotCovered
from gongkai.disclosure import clock


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value!r}")


class Command(BaseCommand):
    help = "计算政府信息公开申请的答复期限（条例第三十条、第三十三条），逐行说明计算过程"

    def add_arguments(self, parser):
        parser.add_argument("--received", required=True, help="收到申请日期 YYYY-MM-DD")
        parser.add_argument("--extension", action="store_true", help="延长20个工作日（第三十三条第二款）")
        parser.add_argument("--corrected", help="收到补正后申请的日期，期限自此重新起算（第三十条）")
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="START:END",
            help="不计入期限的期间（含首尾两日），如征求意见（第三十三条第三款）；可重复",
        )
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        received = _date(options["received"])
        corrected = _date(options["corrected"]) if options.get("corrected") else None
        pauses = []
        for raw in options["pause"]:
            if ":" not in raw:
                raise CommandError(f"暂停期间格式应为 START:END：{raw!r}")
            start, end = (_date(p) for p in raw.split(":", 1))
            if end < start:
                raise CommandError(f"暂停期间的结束日早于开始日：{raw!r}")
            pauses.append(clock.Pause(start, end, "暂停计算", "第三十三条第三款"))
        try:
            ledger = clock.compute_deadline(
                received,
                corrected=corrected,
                extension_days=clock.MAX_EXTENSION_WORKING_DAYS if options["extension"] else 0,
                pauses=pauses,
            )
        except CalendarNotCovered as exc:
            raise CommandError(str(exc))
        except ValueError as exc:
            raise CommandError(str(exc))
        if options["json"]:
            self.stdout.write(json.dumps(ledger.as_dict(), ensure_ascii=False))
        else:
            for line in ledger.explanation:
                self.stdout.write(line)
