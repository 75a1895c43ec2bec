"""`gongkai interpretation-lag`: the interpretation lag report (三同步) as text or JSON."""

import json

from django.core.management.base import BaseCommand

from gongkai.review.lag import lag_rows, lag_unit


class Command(BaseCommand):
    help = "政策解读时差：每件已发布政策与其解读的发布时间之差"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--late-only", action="store_true", help="只列出未同步发布的")

    def handle(self, *args, **options):
        rows = lag_rows()
        if options["late_only"]:
            rows = [r for r in rows if not r.in_step]
        if options["json"]:
            data = [
                {
                    "policy_id": r.policy.pk,
                    "policy": r.policy.title,
                    "policy_published": r.policy_published.isoformat() if r.policy_published else None,
                    "interpretation_id": r.interpretation.pk if r.interpretation else None,
                    "interpretation_published": r.interpretation_published.isoformat()
                    if r.interpretation_published
                    else None,
                    "lag": r.lag,
                    "unit": r.unit,
                }
                for r in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        unit = lag_unit()
        for r in rows:
            lag = f"{r.lag} {unit}" if r.lag is not None else "无已发布解读"
            self.stdout.write(
                f"{r.policy.title}\t{r.interpretation.title if r.interpretation else '—'}\t{lag}"
            )
        self.stdout.write(f"共 {len(rows)} 行，单位：{unit}")
