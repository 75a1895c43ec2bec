"""Issue 14: supervision as an openness office runs it — plan identity and life, warning lights, urging,
extensions, comments, finding and the ledger, bulk accept, and each fault the office met."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.core.models import AuditEntry, Notification
from gongkai.supervision import actions
from gongkai.supervision.assessment import assess
from gongkai.supervision.forms import TaskForm
from gongkai.supervision.importing import DuplicatePlan
from gongkai.supervision.models import (
    Evidence,
    ExtensionStatus,
    Light,
    Plan,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    Task,
    TaskStatus,
    Urging,
)
from gongkai.supervision.refs import display_ref, period_label

from .conftest import small_parse

D = datetime.date


# --- references and labels ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref, sections, expected",
    [
        ("1.1.1", (), "一、（一）1."),
        ("2.4.3", (), "二、（四）3."),
        ("3.12", (), "三、12."),
        ("1.2", ("1.2",), "一、（二）"),
        ("11.10.2", (), "十一、（十）2."),
        ("7", (), "7."),
        ("一（一）1", (), "一（一）1"),  # not the parser's dotted form: kept as written
        ("", (), ""),
    ],
)
def test_references_are_written_as_the_plan_writes_them(ref, sections, expected):
    assert display_ref(ref, section_refs=set(sections)) == expected


def test_period_labels():
    assert [period_label(p) for p in ("task", "ongoing", "2024-07", "2024Q3", "2024H2", "2024")] == [
        "本任务",
        "长期推进",
        "2024年7月",
        "2024年第三季度",
        "2024年下半年",
        "2024年度",
    ]


# --- the task form keeps its deadline -------------------------------------------------------------------------


def test_task_form_renders_the_deadline_as_the_date_input_needs_it(active_plan, client, office):
    task = active_plan.tasks.get(ref="一（一）1")
    client.force_login(office)
    url = reverse("supervision_admin:task_edit", args=[task.pk])
    page = client.get(url).content.decode()
    assert 'type="date"' in page and 'value="2024-07-31"' in page and "2024/07/31" not in page
    form = TaskForm(initial={"deadline": task.deadline}, plan=active_plan)
    assert 'value="2024-07-31"' in str(form["deadline"])


# --- plans as records with a life -----------------------------------------------------------------------------


def test_importing_the_same_plan_again_is_refused_naming_it(departments, office, parsed):
    plan = actions.import_workplan(parsed, actor=office)
    with pytest.raises(DuplicatePlan) as exc:
        actions.import_workplan(small_parse(), actor=office)
    assert plan.title in str(exc.value) and str(plan.pk) in str(exc.value) and "--update" in str(exc.value)
    # the same content in other white space is the same plan
    spaced = small_parse()
    spaced["tasks"][0]["text"] = " 做好京津冀协同发展等方面的\n信息公开。"
    with pytest.raises(DuplicatePlan):
        actions.import_workplan(spaced, actor=office)
    # a revised text with the same title and year is the same plan too
    revised = small_parse()
    revised["tasks"][0]["text"] = "做好京津冀协同发展等方面的信息公开，每季度更新专栏。"
    with pytest.raises(DuplicatePlan):
        actions.import_workplan(revised, actor=office)
    assert Plan.objects.count() == 1
    # another year is another plan
    other = small_parse()
    other["year"], other["title"] = 2025, "西城区2025年政务公开工作要点（测试）"
    actions.import_workplan(other, actor=office)
    assert Plan.objects.count() == 2


def test_update_in_place_keeps_reported_tasks_and_weights(active_plan, office, officer):
    task = active_plan.tasks.get(ref="一（一）1")
    actions.update_task(task, actor=office, weight=3)
    fgw = officer("区发展改革委")
    actions.submit_report(
        active_plan.tasks.get(ref="三1"), actor=officer("区商务局"), summary="x", percent=10
    )
    revised = small_parse()
    revised["tasks"][0]["text"] = "做好京津冀协同发展等方面的信息公开，每季度更新专栏。"
    revised["tasks"][0]["deadline"] = "2024-08-31"
    del revised["tasks"][2]  # 三1 has a report: kept
    del revised["tasks"][2]  # 三2 has none: removed
    revised["tasks"].append(
        {**small_parse()["tasks"][0], "ref": "三3", "text": "新增的任务。", "section": "三"}
    )
    plan = actions.import_workplan(revised, actor=office, update=True, today=D(2024, 3, 1))
    assert plan.pk == active_plan.pk and Plan.objects.count() == 1
    refs = set(plan.tasks.values_list("ref", flat=True))
    assert refs == {"一（一）1", "一（一）2", "三1", "三3"}
    task.refresh_from_db()
    assert task.weight == 3 and "每季度更新专栏" in task.text
    assert task.occurrences.get().due_date == D(2024, 8, 31)
    assert plan.tasks.get(ref="三3").occurrences.exists()  # an active plan's new task gets its occurrences
    entry = AuditEntry.objects.filter(action="supervision.plan.reimport").latest("id")
    assert entry.after["kept"] == ["三1"] and entry.after["removed"] == ["三2"] and "三1" in entry.note
    assert fgw  # (a department officer exists; nothing was asked of them)


def test_import_command_refuses_duplicates_and_updates_with_flag(departments, tmp_path):
    plan_file = tmp_path / "plan.txt"
    plan_file.write_text(
        "西城区2024年测试工作要点\n一、重点领域\n（一）专题公开\n"
        "1.做好信息公开。（区发展改革委负责落实，完成时限：2024年7月）\n",
        encoding="utf-8",
    )
    call_command("import_workplan", str(plan_file), "--confirm", stdout=io.StringIO())
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="该计划已导入"):
        call_command("import_workplan", str(plan_file), stdout=io.StringIO())
    plan_file.write_text(
        plan_file.read_text(encoding="utf-8").replace("做好信息公开", "做好信息公开和解读"), encoding="utf-8"
    )
    out = io.StringIO()
    call_command("import_workplan", str(plan_file), "--update", stdout=out)
    assert Plan.objects.count() == 1 and "解读" in Plan.objects.get().tasks.get().text
    assert Plan.objects.get().tasks.get().display_ref == "一、（一）1."


def test_draft_plans_can_be_deleted_active_ones_closed_archived_reopened(departments, office, parsed, client):
    draft = actions.import_workplan(parsed, actor=office)
    client.force_login(office)
    life = reverse("supervision_admin:plan_life", args=[draft.pk])
    client.post(life, {"op": "delete"})  # without the confirmation box: nothing happens
    assert Plan.objects.filter(pk=draft.pk).exists()
    client.post(life, {"op": "delete", "confirm": "1"})
    assert not Plan.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(action="supervision.plan.delete").exists()
    plan = actions.confirm_plan(
        actions.import_workplan(parsed, actor=office), actor=office, today=D(2024, 1, 2)
    )
    with pytest.raises(ValidationError):
        actions.delete_plan(plan, actor=office)
    client.post(reverse("supervision_admin:plan_life", args=[plan.pk]), {"op": "close"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and plan.closed_on == datetime.date.today()
    call_command("supervision_plan", "archive", str(plan.pk), stdout=io.StringIO())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ARCHIVED
    call_command("supervision_plan", "reopen", str(plan.pk), stdout=io.StringIO())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and plan.closed_on is None


def test_a_closed_plan_sends_no_reminders_takes_no_reports_and_stays_public(
    active_plan, office, officer, client
):
    actions.publish_plan(active_plan, actor=office)
    assert actions.send_reminders(today=D(2024, 7, 25))["monthly"] > 0
    actions.close_plan(active_plan, actor=office, today=D(2024, 8, 1))
    before = Notification.objects.count()
    assert actions.send_reminders(today=D(2024, 9, 1)) == {"monthly": 0, "deadline": 0}
    assert Notification.objects.count() == before
    with pytest.raises(ValidationError):
        actions.submit_report(
            active_plan.tasks.get(ref="三1"), actor=officer("区商务局"), summary="x", percent=5
        )
    page = client.get(reverse("supervision:plan_detail", args=[active_plan.pk])).content.decode()
    assert "结束" in page and "2024-08-01" in page and "截至" not in page.split("总体情况")[0][-30:]
    # its stored figures are those of the day it was closed, whatever the jobs do later
    actions.refresh_statuses()
    assert (
        active_plan.tasks.get(ref="一（一）1").status == TaskStatus.OVERDUE
    )  # due 31 July, not done by 1 Aug


# --- faults -------------------------------------------------------------------------------------------------------


def test_reminders_for_a_past_date_do_not_rewrite_stored_statuses(simulated_quarter):
    plan = simulated_quarter["plan"]
    actions.refresh_statuses(today=D(2024, 10, 8))
    before = dict(plan.tasks.values_list("ref", "status"))
    assert TaskStatus.COMPLETED in before.values()
    call_command("supervision_reminders", "--date", "2024-07-02", stdout=io.StringIO())
    assert dict(plan.tasks.values_list("ref", "status")) == before


def test_dashboard_counts_overdue_and_labels_periods(simulated_quarter, client):
    plan = simulated_quarter["plan"]
    actions.refresh_statuses(today=D(2024, 10, 8))
    client.force_login(simulated_quarter["people"]["office"])
    page = client.get(reverse("supervision_admin:dashboard"), {"plan": plan.pk}).content.decode()
    assert "逾期 项" not in page and "红灯" in page and "绿灯" in page
    task_page = client.get(
        reverse("supervision_admin:task", args=[plan.tasks.get(ref="三1").pk])
    ).content.decode()
    assert "2024年8月" in task_page and ">overdue<" not in task_page and ">task<" not in task_page
    assert "status-overdue" in task_page


def test_policy_evidence_is_chosen_not_typed_and_must_be_public(simulated_quarter, make_policy, client):
    people, plan = simulated_quarter["people"], simulated_quarter["plan"]
    task = plan.tasks.get(ref="三4")
    client.force_login(people["jw"])
    page = client.get(reverse("supervision_admin:task", args=[task.pk])).content.decode()
    assert "平台政策文件编号" not in page and "snippet-chooser" in page
    draft = make_policy("尚未发布的文件", department="区教委", publish=False)
    bad = client.post(
        reverse("supervision_admin:task", args=[task.pk]),
        {"summary": "x", "percent": "70", "policy": draft.pk},
    )
    assert bad.status_code == 200 and "尚未公开发布" in bad.content.decode()
    good = client.post(
        reverse("supervision_admin:task", args=[task.pk]),
        {"summary": "已发布", "percent": "70", "policy": simulated_quarter["policy"].pk},
    )
    assert good.status_code == 302
    assert ProgressReport.objects.latest("id").evidence.get().policy == simulated_quarter["policy"]


def test_a_second_completion_claim_waits_for_the_first(active_plan, officer):
    sw = officer("区商务局")
    task = active_plan.tasks.get(ref="三2")  # ongoing task of 区民政局? no: 区商务局's monthly task below
    task = active_plan.tasks.get(ref="三1")
    occurrence = task.occurrences.get(period="2024-01")
    first = actions.submit_report(
        task, actor=sw, summary="完成", percent=100, claims_completion=True, occurrence=occurrence
    )
    with pytest.raises(ValidationError, match="请勿重复申报"):
        actions.submit_report(
            task, actor=sw, summary="再次", percent=100, claims_completion=True, occurrence=occurrence
        )
    actions.submit_report(task, actor=sw, summary="补充说明", percent=100, occurrence=occurrence)  # fine
    actions.accept_report(first, actor=None)
    with pytest.raises(ValidationError, match="已被采纳"):
        actions.submit_report(
            task, actor=sw, summary="又一次", percent=100, claims_completion=True, occurrence=occurrence
        )


@pytest.mark.parametrize(
    "url", ["//evil.example.com/x", "/\\evil.example.com", "javascript:alert(1)", "https://", "ftp://x.cn/a"]
)
def test_links_that_leave_the_site_in_disguise_are_refused(active_plan, officer, url):
    with pytest.raises(ValidationError, match="链接"):
        actions.submit_report(
            active_plan.tasks.get(ref="三1"),
            actor=officer("区商务局"),
            summary="x",
            percent=10,
            evidence=[{"kind": "link", "url": url}],
        )


def test_a_protocol_relative_link_already_stored_is_neither_platform_evidence_nor_published(
    simulated_quarter,
):
    report = ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).first()
    bad = Evidence.objects.create(report=report, kind="link", url="//evil.example.com/x", title="x")
    assert not bad.is_platform_record and bad.public_url() is None
    site = Evidence.objects.create(report=report, kind="link", url="/policies/1/", title="y")
    assert site.is_platform_record and site.public_url() == "/policies/1/"


def test_mails_name_the_plan_and_link_to_the_task(active_plan, officer, office):
    mail.outbox.clear()
    task = active_plan.tasks.get(ref="三1")
    with_commit = actions.submit_report(
        task, actor=officer("区商务局", email="sw@example.org"), summary="进展", percent=20
    )
    assert with_commit
    note = Notification.objects.latest("id")
    assert active_plan.title[:20] in note.subject and "/admin/supervision/tasks/" in note.body
    assert note.body.count("http") >= 1 and f"/admin/supervision/tasks/{task.pk}/" in note.body
    actions.send_reminders(today=D(2024, 7, 25))
    monthly = Notification.objects.filter(dedup_key__startswith="supervision:monthly:").first()
    assert (
        active_plan.title in monthly.subject
        and "http" in monthly.body
        and f"?plan={active_plan.pk}" in monthly.body
    )


# --- lights -------------------------------------------------------------------------------------------------------


def test_lights_red_when_overdue_yellow_when_due_soon_or_returned_green_otherwise(
    simulated_quarter, settings
):
    plan, people = simulated_quarter["plan"], simulated_quarter["people"]
    actions.refresh_statuses(today=D(2024, 9, 24))
    lights = dict(plan.tasks.values_list("ref", "light"))
    assert lights["三1"] == Light.RED  # August not done
    assert lights["三4"] == Light.YELLOW  # due 30 Sept, four working days away
    assert lights["一1"] == Light.GREEN and lights["三2"] == Light.GREEN
    settings.GONGKAI_SUPERVISION_LIGHT_YELLOW_WORKING_DAYS = 2
    actions.refresh_statuses(today=D(2024, 9, 24))
    assert plan.tasks.get(ref="三4").light == Light.GREEN
    # a returned report turns the task yellow until the department reports again
    task = plan.tasks.get(ref="三2")
    r = actions.submit_report(task, actor=people["mz"], summary="x", percent=50, today=D(2024, 9, 24))
    actions.return_report(r, actor=people["office"], reason="请补充", today=D(2024, 9, 24))
    assert Task.objects.get(pk=task.pk).light == Light.YELLOW


# --- urging, extensions, comments -----------------------------------------------------------------------------


def test_urging_notifies_mails_audits_and_counts_in_the_assessment(
    simulated_quarter, client, django_capture_on_commit_callbacks
):
    plan, people = simulated_quarter["plan"], simulated_quarter["people"]
    task = plan.tasks.get(ref="三4")
    mail.outbox.clear()
    client.force_login(people["office"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("supervision_admin:urge", args=[task.pk]), {"message": "请本周内报送"})
    urging = Urging.objects.get()
    assert urging.department.short_name == "区教委"
    assert AuditEntry.objects.filter(action="supervision.task.urge").exists()
    assert Notification.objects.filter(subject__startswith="催办", department=urging.department).exists()
    assert any("jw@example.org" in m.to and "请本周内报送" in m.body for m in mail.outbox)
    # the urging counts in the assessment of the year it was made in
    actions.urge_task(task, actor=people["office"], message="请报送", today=D(2024, 9, 20))
    score = {s.department: s for s in assess(2024, today=D(2024, 12, 31)).scores}["区教委"]
    assert score.urged == 1 and score.urging_deduction > 0
    assert any(line.item == "催办扣分" for line in score.lines)
    # departments cannot urge; nobody can urge a finished department
    with pytest.raises(PermissionDenied):
        actions.urge_task(task, actor=people["jw"], message="x")
    with pytest.raises(ValidationError):
        actions.urge_task(
            plan.tasks.get(ref="三3"), actor=people["office"], message="x", today=D(2024, 10, 8)
        )


def test_extension_requested_approved_refused_with_history(simulated_quarter, client):
    plan, people = simulated_quarter["plan"], simulated_quarter["people"]
    task = plan.tasks.get(ref="三4")
    with pytest.raises(PermissionDenied):
        actions.request_extension(task, actor=people["sw"], requested_due=D(2024, 10, 31), reason="x")
    with pytest.raises(ValidationError):
        actions.request_extension(task, actor=people["jw"], requested_due=D(2024, 9, 1), reason="早于截止")
    client.force_login(people["jw"])
    client.post(
        reverse("supervision_admin:extension_request", args=[task.pk]),
        {"requested_due": "2024-10-31", "reason": "等待区领导批示"},
    )
    req = task.occurrences.get().extension_requests.get()
    assert req.status == ExtensionStatus.PENDING and req.current_due == D(2024, 9, 30)
    client.force_login(people["office"])
    assert "等待区领导批示" in client.get(reverse("supervision_admin:review")).content.decode()
    client.post(
        reverse("supervision_admin:extension_decide", args=[req.pk]), {"op": "approve", "note": "同意"}
    )
    occ = task.occurrences.get()
    assert occ.due_date == D(2024, 10, 31) and occ.original_due_date == D(2024, 9, 30)
    actions.refresh_statuses(today=D(2024, 10, 8))
    assert Task.objects.get(pk=task.pk).status != TaskStatus.OVERDUE  # no longer overdue
    # an edit of the task keeps the approved extension
    actions.update_task(Task.objects.get(pk=task.pk), actor=people["office"], weight=2)
    assert task.occurrences.get().due_date == D(2024, 10, 31)
    # a second request is refused without a reason
    second = actions.request_extension(task, actor=people["jw"], requested_due=D(2024, 11, 30), reason="再延")
    with pytest.raises(ValidationError):
        actions.decide_extension(second, actor=people["office"], approve=False)
    actions.decide_extension(second, actor=people["office"], approve=False, note="不再延期")
    page = client.get(reverse("supervision_admin:task", args=[task.pk])).content.decode()
    assert "申请延期" in page and "同意延期" in page and "不同意延期" in page and "原定 2024-09-30" in page


def test_comment_thread_between_office_and_departments(simulated_quarter, client, officer):
    plan, people = simulated_quarter["plan"], simulated_quarter["people"]
    task = plan.tasks.get(ref="一2")
    client.force_login(people["sw"])
    client.post(reverse("supervision_admin:comment", args=[task.pk]), {"body": "标签库字段请明确"})
    office_dept = people["office"].department
    assert Notification.objects.filter(subject__startswith="任务留言", department=office_dept).exists()
    client.force_login(people["office"])
    client.post(reverse("supervision_admin:comment", args=[task.pk]), {"body": "按市级标准执行"})
    page = client.get(reverse("supervision_admin:task", args=[task.pk])).content.decode()
    assert "标签库字段请明确" in page and "按市级标准执行" in page
    assert Notification.objects.filter(
        subject__startswith="任务留言", department=people["sw"].department
    ).exists()
    with pytest.raises(PermissionDenied):
        actions.add_comment(task, actor=officer("区财政局"), body="外部门")
    public = client.get(reverse("supervision:task_detail", args=[plan.pk, task.pk]))
    assert public.status_code == 404 or "按市级标准执行" not in public.content.decode()


# --- finding, ledger, bulk accept ---------------------------------------------------------------------------------


def test_admin_search_and_filters(simulated_quarter, client):
    plan, people = simulated_quarter["plan"], simulated_quarter["people"]
    actions.refresh_statuses(today=D(2024, 9, 24))
    client.force_login(people["office"])
    url = reverse("supervision_admin:my_tasks")

    def refs(**params):
        page = client.get(url, params).content.decode()
        return {t.ref for t in plan.tasks.all() if f'/admin/supervision/tasks/{t.pk}/"' in page}

    assert refs(plan=plan.pk) == set(plan.tasks.values_list("ref", flat=True))
    assert refs(plan=plan.pk, light="red") == {"三1"}
    assert refs(plan=plan.pk, status="completed") == {"一1", "三3"} | (
        {"一2"} & refs(plan=plan.pk, status="completed")
    )
    assert refs(plan=plan.pk, department=people["jw"].department.pk) == {"三4"}
    assert refs(plan=plan.pk, q="学位") == {"三4"}
    assert refs(plan=plan.pk, due_from="2024-09-20", due_to="2024-09-30") >= {"三4"}
    assert "三3" not in refs(plan=plan.pk, due_from="2024-09-20", due_to="2024-09-30")
    # a department sees only its own tasks, whatever it asks for
    client.force_login(people["jw"])
    assert refs(plan=plan.pk) == {"三4"}
    assert refs(plan=plan.pk, department=people["sw"].department.pk) == {"三4"}


def test_ledger_export(simulated_quarter, client):
    plan, people = simulated_quarter["plan"], simulated_quarter["people"]
    actions.urge_task(
        plan.tasks.get(ref="三4"), actor=people["office"], message="请报送", today=D(2024, 9, 20)
    )
    actions.request_extension(
        plan.tasks.get(ref="三4"),
        actor=people["jw"],
        requested_due=D(2024, 10, 31),
        reason="等批示",
        today=D(2024, 9, 21),
    )
    client.force_login(people["office"])
    response = client.get(reverse("supervision_admin:ledger"), {"plan": plan.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["任务台账", "进展报告", "催办记录", "延期申请"]
    ws = wb["任务台账"]
    header = [c.value for c in ws[1]]
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == plan.tasks.count()
    row = rows["三4"]
    assert row["负责部门"] == "区教委" and row["催办次数"] == 1 and "2024-09-30→2024-10-31" in row["延期"]
    assert rows["一1"]["已采纳报告"] == 2 and "园区公开专栏" in rows["一1"]["佐证材料"]
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref
    assert wb["催办记录"].max_row == 2 and wb["延期申请"].max_row == 2
    assert wb["进展报告"].max_row - 1 == ProgressReport.objects.filter(occurrence__task__plan=plan).count()
    # a department's ledger holds its own tasks only
    client.force_login(people["jw"])
    wb = load_workbook(io.BytesIO(client.get(reverse("supervision_admin:ledger")).content))
    assert [r[1] for r in wb["任务台账"].iter_rows(min_row=2, values_only=True)] == ["三4"]
    call_command(
        "supervision_ledger",
        "--plan",
        str(plan.pk),
        "--out",
        "/tmp/i14-ledger-test.xlsx",
        stdout=io.StringIO(),
    )


def test_bulk_accept_accepts_what_it_can_and_names_the_rest(simulated_quarter, client):
    plan, people = simulated_quarter["plan"], simulated_quarter["people"]
    a = actions.submit_report(
        plan.tasks.get(ref="三1"),
        actor=people["sw"],
        summary="8月",
        percent=100,
        claims_completion=True,
        today=D(2024, 9, 20),
    )
    b = actions.submit_report(
        plan.tasks.get(ref="一2"), actor=people["fgw"], summary="补充", percent=100, today=D(2024, 9, 20)
    )
    pending = ProgressReport.objects.get(summary="三4 进展", status=ReportStatus.SUBMITTED)
    client.force_login(people["office"])
    response = client.post(
        reverse("supervision_admin:bulk_accept"), {"report": [a.pk, b.pk, pending.pk]}, follow=True
    )
    statuses = dict(
        ProgressReport.objects.filter(pk__in=[a.pk, b.pk, pending.pk]).values_list("pk", "status")
    )
    assert statuses[a.pk] == statuses[pending.pk] == ReportStatus.ACCEPTED
    assert (
        statuses[b.pk] == ReportStatus.AWAITING_LEAD
    )  # a shared task's report waits for its lead department
    assert "已采纳 2 份报告" in response.content.decode() and "牵头部门确认" in response.content.decode()
    client.force_login(people["jw"])
    response = client.post(reverse("supervision_admin:bulk_accept"), {"report": [b.pk]})
    assert (
        response.status_code in (302, 403)
        and ProgressReport.objects.get(pk=b.pk).status == ReportStatus.AWAITING_LEAD
    )


# --- the public column --------------------------------------------------------------------------------------------


def test_public_column_filters_lights_refs_and_quarterly_progress(simulated_quarter, client, office):
    plan = simulated_quarter["plan"]
    actions.publish_plan(plan, actor=office)
    url = reverse("supervision:plan_detail", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "light-" in page and ("绿灯" in page or "红灯" in page)
    assert "status-" in page
    only = client.get(url, {"status": "overdue"}).content.decode()
    assert "公开新增学位信息" not in only or "逾期" in only
    dept = client.get(url, {"by": "department", "department": "区教委"}).content.decode()
    assert "公开新增学位信息" in dept and "发布养老服务信息" not in dept
    september = client.get(url, {"due_from": "2024-09-01", "due_to": "2024-09-30"}).content.decode()
    assert "公开新增学位信息" in september and "做好协同发展信息公开" not in september
    bad = client.get(url, {"status": "nonsense", "light": "<script>", "due_from": "2024-13-45"})
    assert bad.status_code == 200 and "<script>" not in bad.content.decode()


def test_demo_key_tasks_and_practical_projects(departments, client):
    from gongkai.supervision.demo import load_demo_plans
    from gongkai.supervision.models import PlanKind

    assert "新建" in load_demo_plans()
    assert "已存在" in load_demo_plans()  # idempotent
    for kind in (PlanKind.KEY_TASKS, PlanKind.PRACTICAL_PROJECTS):
        plan = Plan.objects.get(kind=kind)
        assert plan.is_published and plan.status == PlanStatus.CLOSED and plan.snapshots.count() == 4
        page = client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
        assert "季度进展" in page and "2024年第一季度" in page and "2024年第四季度" in page
        assert "一、1." in page or "一、（" in page
    index = client.get(reverse("supervision:index")).content.decode()
    assert "政府工作报告重点任务" in index and "民生实事项目" in index and "2024Q3" in index
