"""`gongkai supervision-reminders [--date YYYY-MM-DD]`: sends the monthly and due-soon reminders (idempotent;
also run by `gongkai worker` as the job supervision.reminders). With --date the reminders are worked out as of
that day (to catch up on a missed day, or to try a date); the stored task statuses are not touched then — they
always describe today."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.supervision.actions import refresh_statuses, send_reminders


class Command(BaseCommand):
    help = "发送任务提醒（月度、到期前），重复运行不会重复发送 / send supervision reminders"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期计算（默认今天）")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD")
        if today is None or today == timezone.localdate():
            refresh_statuses()
        sent = send_reminders(actor=None, today=today)
        self.stdout.write(
            self.style.SUCCESS(f"月度提醒 {sent['monthly']} 条，到期提醒 {sent['deadline']} 条")
        )
