"""`gongkai worker`: runs every registered periodic job on its schedule (and once with --once)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongkai.core.jobs import registered_jobs


class Command(BaseCommand):
    help = "运行定时任务（提醒、到期失效、期限计算等） / run the periodic jobs"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="每个任务运行一次后退出")
        parser.add_argument("--job", action="append", help="只运行指定名称的任务")

    def handle(self, *args, once=False, job=None, **options):
        jobs = [j for j in registered_jobs() if not job or j.name in job]
        if not jobs:
            self.stdout.write("没有可运行的定时任务")
            return
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for j in jobs:
                if j.name in last_run and now - last_run[j.name] < j.every_minutes * 60:
                    continue
                started = timezone.now()
                try:
                    result = j.func()
                except Exception as exc:  # a failing job must not stop the others
                    self.stderr.write(f"[{started:%Y-%m-%d %H:%M}] {j.name} 失败：{exc}")
                else:
                    self.stdout.write(
                        f"[{started:%Y-%m-%d %H:%M}] {j.name}: {result if result is not None else 'ok'}"
                    )
                last_run[j.name] = now
            if once:
                return
            time.sleep(30)
