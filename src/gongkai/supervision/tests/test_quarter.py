"""A full third quarter of 2024 simulated through the actions: reports, returns, lead confirmation, reminders
sent exactly once, statuses and overdue computed with working days."""

import datetime

from django.core import mail

from gongkai.core.models import AuditEntry, Notification
from gongkai.supervision import actions
from gongkai.supervision.models import ProgressReport, ReportStatus, Task, TaskStatus
from gongkai.supervision.status import prefetch_tasks, task_state

D = datetime.date


def states(plan, day, department=None):
    return {
        t.ref: task_state(t, day, department_id=department.pk if department else None)
        for t in prefetch_tasks(plan.tasks.all())
    }


def test_statuses_through_the_quarter(simulated_quarter, departments):
    plan = simulated_quarter["plan"]
    s = states(plan, D(2024, 7, 15))
    assert s["一1"].status == TaskStatus.IN_PROGRESS and s["一1"].progress == 50  # FGW done, YGW not yet
    assert s["三3"].status == TaskStatus.NOT_STARTED
    s = states(plan, D(2024, 7, 31))
    assert s["一1"].status == TaskStatus.COMPLETED
    assert s["三1"].status == TaskStatus.IN_PROGRESS  # July done, the year's other months open
    # 三1's August ends on Saturday 31 Aug: not overdue on Monday 2 Sept, overdue on the 3rd
    assert states(plan, D(2024, 9, 2))["三1"].status == TaskStatus.IN_PROGRESS
    assert states(plan, D(2024, 9, 3))["三1"].status == TaskStatus.OVERDUE
    # 三3: deadline Saturday 31 Aug, done Monday 2 Sept = on time (民法典 Art. 203)
    assert states(plan, D(2024, 9, 30))["三3"].status == TaskStatus.COMPLETED
    # 一2: deadline Sunday 15 Sept in the Mid-Autumn holiday → 18 Sept; 区商务局 finished on the 18th
    s = states(plan, D(2024, 9, 30))
    assert s["一2"].status == TaskStatus.COMPLETED
    assert (
        states(plan, D(2024, 9, 16))["一2"].status == TaskStatus.IN_PROGRESS
    )  # not yet overdue in the holiday
    assert s["三2"].status == TaskStatus.ONGOING
    # 三4 due Monday 30 Sept: in progress that day, overdue the day after; the waiting report does not count
    assert s["三4"].status == TaskStatus.IN_PROGRESS and s["三4"].progress == 60
    assert states(plan, D(2024, 10, 1))["三4"].status == TaskStatus.OVERDUE
    # per department
    sw = departments["区商务局"]
    assert states(plan, D(2024, 9, 30), sw)["一2"].status == TaskStatus.COMPLETED


def test_late_completion(simulated_quarter):
    plan, people = simulated_quarter["plan"], simulated_quarter["people"]
    task = plan.tasks.get(ref="三4")
    r = actions.submit_report(
        task, actor=people["jw"], summary="已完成", percent=100, claims_completion=True, today=D(2024, 10, 9)
    )
    actions.accept_report(r, actor=people["office"], today=D(2024, 10, 9))
    assert states(plan, D(2024, 10, 9))["三4"].status == TaskStatus.COMPLETED_LATE
    assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED_LATE
    # as of the quarter's end the later report does not exist yet
    assert states(plan, D(2024, 9, 30))["三4"].status == TaskStatus.IN_PROGRESS


def test_only_accepted_reports_count_and_every_step_is_audited(simulated_quarter):
    plan = simulated_quarter["plan"]
    reports = ProgressReport.objects.filter(occurrence__task__plan=plan)
    assert reports.filter(status=ReportStatus.RETURNED).count() == 1
    assert reports.filter(status=ReportStatus.SUBMITTED).count() == 1
    returned = reports.get(status=ReportStatus.RETURNED)
    assert returned.return_reason == "缺少佐证材料"
    for action, n in [
        ("supervision.report.submit", 11),
        ("supervision.report.accept", 9),
        ("supervision.report.return", 1),
        ("supervision.report.lead_confirm", 2),
    ]:
        assert AuditEntry.objects.filter(action=action).count() == n, action
    # a shared task's report from a responsible department waits for the lead before the office can accept it
    people = simulated_quarter["people"]
    r = actions.submit_report(
        plan.tasks.get(ref="一2"), actor=people["sw"], summary="补充", percent=100, today=D(2024, 9, 20)
    )
    assert r.status == ReportStatus.AWAITING_LEAD
    import pytest
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        actions.accept_report(r, actor=people["office"])
    with pytest.raises(PermissionDenied):
        actions.confirm_report_as_lead(r, actor=people["fgw"])  # not the lead
    actions.return_report(r, actor=people["zwfw"], reason="重复报送")  # the lead may return it
    assert ProgressReport.objects.get(pk=r.pk).status == ReportStatus.RETURNED
    with pytest.raises(ValidationError):
        actions.return_report(r, actor=people["office"], reason="again")
    with pytest.raises(ValidationError):
        actions.return_report(
            ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).first(),
            actor=people["office"],
            reason=" ",
        )


def test_reminders_sent_exactly_once_over_the_quarter(
    departments, people, django_capture_on_commit_callbacks
):
    from .conftest import quarter_parse

    office = people["office"]
    plan = actions.import_workplan(quarter_parse(), actor=office)
    plan = actions.confirm_plan(plan, actor=office, today=D(2024, 7, 1))
    t = {task.ref: task for task in plan.tasks.all()}
    r = actions.submit_report(
        t["一1"],
        actor=people["fgw"],
        summary="完成",
        percent=100,
        claims_completion=True,
        today=D(2024, 7, 10),
    )
    actions.accept_report(r, actor=office, today=D(2024, 7, 10))
    totals = {"monthly": 0, "deadline": 0}
    day = D(2024, 7, 1)
    with django_capture_on_commit_callbacks(execute=True):
        while day <= D(2024, 9, 30):
            for _run in range(2):  # the worker may run the job many times a day
                sent = actions.send_reminders(actor=None, today=day)
                if _run == 1:
                    assert sent == {"monthly": 0, "deadline": 0}, day
                totals["monthly"] += sent["monthly"]
                totals["deadline"] += sent["deadline"]
            day += datetime.timedelta(days=1)
    notes = Notification.objects.filter(dedup_key__startswith="supervision:")
    assert notes.count() == totals["monthly"] + totals["deadline"]
    monthly = notes.filter(dedup_key__startswith="supervision:monthly:")
    # six departments owe tasks (the supporting 区数据局 is not reminded), three months each
    owing = {"区发展改革委", "西城园管委会", "区商务局", "区政务服务局", "区民政局", "区教委"}
    assert monthly.count() == 3 * len(owing) == totals["monthly"]
    assert {n.department.short_name for n in monthly} == owing
    # deadline reminders: one per department and effective due day, 5 working days ahead
    due = {
        (n.department.short_name, n.dedup_key.rsplit(":", 1)[1])
        for n in notes.filter(dedup_key__startswith="supervision:due:")
    }
    assert ("西城园管委会", "2024-07-31") in due
    assert ("区发展改革委", "2024-07-31") not in due  # FGW had finished its part already
    assert ("区商务局", "2024-09-18") in due and ("区政务服务局", "2024-09-18") in due
    assert (
        "区商务局",
        "2024-09-02",
    ) in due  # the August occurrence of the monthly task, due Sat 31 Aug → 2 Sept
    assert ("区教委", "2024-09-30") in due
    first_ygw = notes.get(dedup_key__startswith="supervision:due:", department__short_name="西城园管委会")
    assert first_ygw.created_at is not None
    assert totals["deadline"] == len(due) == notes.filter(dedup_key__startswith="supervision:due:").count()
    # e-mail: every notification to a department with an officer reached that officer once
    to_sw = [m for m in mail.outbox if "sw@example.org" in m.to]
    assert len(to_sw) == notes.filter(department__short_name="区商务局").count() > 0
    # the overdue August occurrence shows up in September's monthly list
    sept = monthly.get(department__short_name="区商务局", dedup_key__endswith="2024-09")
    assert "已逾期" in sept.body and "2024年8月" in sept.body
    assert AuditEntry.objects.filter(action="supervision.reminders").exists()


def test_reminder_day_and_working_days_are_configurable(departments, people, settings):
    from .conftest import quarter_parse

    settings.GONGKAI_SUPERVISION_MONTHLY_REMINDER_DAY = 10
    office = people["office"]
    plan = actions.import_workplan(quarter_parse(), actor=office)
    plan = actions.confirm_plan(plan, actor=office, today=D(2024, 7, 1))
    plan = actions.update_plan(plan, actor=office, reminder_working_days=1)
    assert actions.send_reminders(actor=None, today=D(2024, 7, 9))["monthly"] == 0
    assert actions.send_reminders(actor=None, today=D(2024, 7, 10))["monthly"] == 6
    assert actions.send_reminders(actor=None, today=D(2024, 7, 29))["deadline"] == 0
    assert (
        actions.send_reminders(actor=None, today=D(2024, 7, 30))["deadline"] == 3
    )  # FGW and YGW (一1), 区商务局 (三1 July), all due 31 July


def test_the_core_calendar_decides_and_an_edit_recomputes_statuses(
    departments, people, django_capture_on_commit_callbacks
):
    from gongkai.core.models import CalendarDay, CalendarDayKind
    from gongkai.supervision.deadlines import effective_due_date

    from .conftest import quarter_parse

    office = people["office"]
    plan = actions.import_workplan(quarter_parse(), actor=office)
    plan = actions.confirm_plan(plan, actor=office, today=D(2024, 7, 1))
    task = plan.tasks.get(ref="一1")
    for who in ("fgw", "ygw"):
        r = actions.submit_report(
            task, actor=people[who], summary="完成", percent=100, claims_completion=True, today=D(2024, 8, 1)
        )
        actions.accept_report(r, actor=office, today=D(2024, 8, 1))
    assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED_LATE
    # the administrator declares 31 July 2024 a holiday in the district calendar
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=D(2024, 7, 31), kind=CalendarDayKind.HOLIDAY, name="测试假日")
    assert effective_due_date(D(2024, 7, 31)) == D(2024, 8, 1)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED
