import datetime

from gongkai.supervision import actions
from gongkai.supervision.models import ReportStatus, Task, TaskStatus


def test_import_and_report(active_plan, office, officer):
    tasks = {t.ref: t for t in active_plan.tasks.all()}
    assert len(tasks) == 4
    assert tasks["三1"].occurrences.count() == 12
    fgw = officer("区发展改革委")
    r = actions.submit_report(
        tasks["一（一）1"],
        actor=fgw,
        summary="已发布",
        percent=100,
        claims_completion=True,
        today=datetime.date(2024, 7, 10),
    )
    assert r.status == ReportStatus.SUBMITTED
    actions.accept_report(r, actor=office, today=datetime.date(2024, 7, 10))
    t = Task.objects.get(pk=tasks["一（一）1"].pk)
    assert t.status == TaskStatus.IN_PROGRESS
