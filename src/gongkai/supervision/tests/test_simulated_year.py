"""A simulated year of a work plan: import, reports, urging, an extension, a late task, closing the plan — and
what the dashboard, the bulletin, the ledger, the assessment and the portal then say."""

import datetime
import io

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from gongkai.supervision import actions
from gongkai.supervision.assessment import assess
from gongkai.supervision.bulletin import quarter_figures, render_docx
from gongkai.supervision.models import Light, PlanStatus, ReportStatus, TaskStatus

from .conftest import quarter_parse

D = datetime.date


def test_a_year_of_supervision(departments, people, client, make_policy):
    office = people["office"]
    plan = actions.import_workplan(quarter_parse(), actor=office)
    plan = actions.confirm_plan(plan, actor=office, today=D(2024, 1, 2))
    actions.publish_plan(plan, actor=office)
    t = {task.ref: task for task in plan.tasks.all()}
    policy = make_policy("关于推动京津冀协同发展的若干措施", department="区发展改革委")

    def report(who, ref, day, **kw):
        kw.setdefault("summary", f"{ref} 进展")
        kw.setdefault("percent", 100 if kw.get("claims_completion") else 50)
        r = actions.submit_report(t[ref], actor=people[who], today=day, **kw)
        if r.status == ReportStatus.AWAITING_LEAD:
            actions.confirm_report_as_lead(r, actor=people["zwfw"])
        return actions.accept_report(r, actor=office, today=day)

    # spring and summer: 一1 done on time by both departments, with a platform policy as evidence
    report(
        "fgw", "一1", D(2024, 5, 10), claims_completion=True, evidence=[{"kind": "policy", "policy": policy}]
    )
    report("ygw", "一1", D(2024, 7, 20), claims_completion=True)
    # the monthly task: January to June reported
    for month in range(1, 7):
        occ = t["三1"].occurrences.get(period=f"2024-{month:02d}")
        report("sw", "三1", D(2024, month, 25), claims_completion=True, occurrence=occ)
    # 三4 (区教委) is urged in August, asks for an extension to 31 October, gets it, and finishes on 25 October
    actions.urge_task(t["三4"], actor=office, message="请抓紧推进", today=D(2024, 8, 20))
    req = actions.request_extension(
        t["三4"],
        actor=people["jw"],
        requested_due=D(2024, 10, 31),
        reason="等待区领导批示",
        today=D(2024, 9, 10),
    )
    actions.decide_extension(req, actor=office, approve=True, note="同意", today=D(2024, 9, 11))
    report("jw", "三4", D(2024, 10, 25), claims_completion=True)
    # 三3 (区民政局) is late: due 31 August (effective 2 Sept), done on 20 September
    report("mz", "三3", D(2024, 9, 20), claims_completion=True)
    # 一2 shared task: done by all three owing departments before its deadline
    for who in ("zwfw", "fgw", "sw"):
        report(who, "一2", D(2024, 9, 12), claims_completion=True)
    # 三2 ongoing: work reported
    report("mz", "三2", D(2024, 11, 5), percent=60)

    # the dashboard as of 8 October (the third quarter's end): 三1 overdue from July, lights shown in words
    actions.refresh_statuses(today=D(2024, 10, 8))
    statuses = dict(plan.tasks.values_list("ref", "status"))
    assert statuses["三3"] == TaskStatus.COMPLETED_LATE and statuses["一1"] == TaskStatus.COMPLETED
    assert (
        statuses["三1"] == TaskStatus.OVERDUE and statuses["三4"] == TaskStatus.NOT_STARTED
    )  # extended, not overdue
    assert dict(plan.tasks.values_list("ref", "light"))["三1"] == Light.RED
    client.force_login(office)
    dashboard = client.get(reverse("supervision_admin:dashboard"), {"plan": plan.pk}).content.decode()
    assert "红灯" in dashboard and "逾期 项" not in dashboard

    # the third quarter's bulletin counts tasks (6), not department-task pairs
    fig = quarter_figures(plan, "2024Q3", today=D(2024, 10, 8))
    assert (fig.total, fig.overdue) == (6, 1) and fig.done == 3  # 一1, 一2, 三3
    assert sum(r.tasks for r in fig.departments) > fig.total
    doc = Document(io.BytesIO(render_docx(fig)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "共有任务6项" in text and "逾期未完成1项" in text
    assert [c.text for c in doc.tables[0].rows[-1].cells][:2] == ["全区合计（按任务计）", "6"]

    # the year ends; the office closes the plan on 10 January
    actions.freeze_snapshot(plan, "2024Q3", actor=office, today=D(2024, 10, 8))
    actions.close_plan(plan, actor=office, today=D(2024, 12, 31))
    actions.freeze_snapshot(plan, "2024Q4", actor=office, today=D(2025, 1, 10))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    final = dict(plan.tasks.values_list("ref", "status"))
    assert final["三4"] == TaskStatus.COMPLETED  # on time thanks to the extension
    assert final["三1"] == TaskStatus.OVERDUE
    assert actions.send_reminders(today=D(2025, 2, 1)) == {"monthly": 0, "deadline": 0}

    # the ledger: urging and extension on 三4, everything on its row
    wb = load_workbook(io.BytesIO(client.get(reverse("supervision_admin:ledger"), {"plan": plan.pk}).content))
    ws = wb["任务台账"]
    header = [c.value for c in ws[1]]
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["三4"]["催办次数"] == 1 and "已同意" in rows["三4"]["延期"]
    assert rows["三4"]["状态"] == "已完成" and rows["三1"]["警示灯"] == "红灯"

    # the assessment: 区教委 lost points for the urging, 区民政局 for lateness, 区商务局 for the overdue months
    scores = {s.department: s for s in assess(2024, today=D(2024, 12, 31)).scores}
    assert scores["区教委"].urged == 1 and scores["区教委"].timeliness > 0
    assert scores["区发展改革委"].total > scores["区民政局"].total

    # the portal: closed plan read-only with its figures of 31 December and both snapshots linked
    page = client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
    assert "本计划已于 2024-12-31 结束" in page
    assert reverse("supervision:snapshot", args=[plan.pk, "2024Q3"]) in page
    assert reverse("supervision:snapshot", args=[plan.pk, "2024Q4"]) in page
    assert "已延期至 2024-10-31" in page and "红灯" in page
    q3 = client.get(reverse("supervision:snapshot", args=[plan.pk, "2024Q3"])).content.decode()
    assert "2024Q3 季度快照" in q3
