"""Demo data of the search app: a few weeks of zero-result queries, so that the openness office's report
(报告 → 无结果检索词) has something to show in `make demo`. Idempotent: nothing is added once the log has rows."""

from __future__ import annotations

import datetime

# (query as a visitor typed it, days ago, times)
DEMO_QUERIES = [
    ("人才公寓申请条件", 1, 6),
    ("人才公寓申请条件", 3, 4),
    ("新能源汽车充电桩补贴", 2, 5),
    ("新能源汽车充电桩补贴", 9, 2),
    ("老旧小区加装电梯", 4, 3),
    ("张三 13812345678 低保", 5, 1),  # stored masked: 〔姓名〕 〔手机号码〕 低保
    ("夜间经济", 12, 2),
    ("灵活就业社保补贴怎么领", 20, 1),
]


def load_demo() -> str:
    from django.utils import timezone

    from .models import ZeroResultQuery
    from .querylog import record_zero_result

    if ZeroResultQuery.objects.exists():
        return "已有无结果检索记录，未改动"
    today = timezone.localdate()
    for query, days_ago, times in DEMO_QUERIES:
        for _ in range(times):
            record_zero_result(query, day=today - datetime.timedelta(days=days_ago))
    return f"无结果检索词 {ZeroResultQuery.objects.values('query').distinct().count()} 个"
