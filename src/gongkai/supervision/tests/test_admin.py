"""Staff screens, and department isolation: an officer reports on and sees the internal notes of their own
department's tasks only."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.core.models import AuditEntry
from gongkai.core.samples import pdf_bytes
from gongkai.supervision import actions
from gongkai.supervision.models import Plan, PlanStatus, ProgressReport, ReportStatus, ScoringScheme

D = datetime.date


def denied(response) -> bool:
    """Another department's task is not found (404); an action a role may not take is denied (Wagtail answers
    PermissionDenied in the admin with a redirect to the dashboard and a message)."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def test_officer_cannot_report_on_another_departments_task(simulated_quarter, officer):
    plan = simulated_quarter["plan"]
    outsider = officer("区财政局")
    with pytest.raises(PermissionDenied):
        actions.submit_report(plan.tasks.get(ref="三4"), actor=outsider, summary="x", percent=10)
    jw = simulated_quarter["people"]["jw"]
    with pytest.raises(PermissionDenied):  # nor on behalf of another department of a shared task
        actions.submit_report(
            plan.tasks.get(ref="一1"),
            actor=simulated_quarter["people"]["fgw"],
            summary="x",
            percent=10,
            department=jw.department,
        )
    with pytest.raises(PermissionDenied):
        actions.accept_report(ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).first(), actor=jw)


def test_officer_cannot_see_internal_notes_of_another_departments_task(simulated_quarter, officer, client):
    plan = simulated_quarter["plan"]
    task = plan.tasks.get(ref="三4")
    outsider = officer("区财政局")
    client.force_login(outsider)
    assert denied(client.get(reverse("supervision_admin:task", args=[task.pk])))
    listing = client.get(reverse("supervision_admin:my_tasks")).content.decode()
    assert "公开新增学位信息" not in listing
    review = client.get(reverse("supervision_admin:review")).content.decode()
    assert "等待区领导批示" not in review
    report = ProgressReport.objects.get(status=ReportStatus.SUBMITTED)
    assert denied(client.post(reverse("supervision_admin:report_action", args=[report.pk]), {"op": "accept"}))
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    dashboard = client.get(reverse("supervision_admin:dashboard")).content.decode()
    assert "公开新增学位信息" not in dashboard
    # the department's own officer sees them
    client.force_login(simulated_quarter["people"]["jw"])
    page = client.get(reverse("supervision_admin:task", args=[task.pk])).content.decode()
    assert "等待区领导批示" in page
    assert "公开新增学位信息" in client.get(reverse("supervision_admin:my_tasks")).content.decode()


def test_officer_reports_through_the_admin_and_the_lead_confirms(simulated_quarter, client):
    people, plan = simulated_quarter["people"], simulated_quarter["plan"]
    task = plan.tasks.get(ref="一2")
    client.force_login(people["sw"])
    response = client.post(
        reverse("supervision_admin:task", args=[task.pk]),
        {
            "summary": "补充材料",
            "percent": "80",
            "internal_note": "内部备注",
            "link_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200 and "链接" in response.content.decode()  # refused, form shown again
    response = client.post(
        reverse("supervision_admin:task", args=[task.pk]),
        {
            "summary": "补充材料",
            "percent": "80",
            "file": SimpleUploadedFile("说明.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.latest("id")
    assert report.status == ReportStatus.AWAITING_LEAD and report.evidence.get().kind == "file"
    response = client.post(
        reverse("supervision_admin:task", args=[task.pk]), {"summary": "", "percent": "500"}
    )
    assert response.status_code == 200  # errors shown, nothing written
    assert ProgressReport.objects.latest("id").pk == report.pk
    client.force_login(people["zwfw"])  # the lead department
    assert "补充材料" in client.get(reverse("supervision_admin:review")).content.decode()
    client.post(reverse("supervision_admin:report_action", args=[report.pk]), {"op": "lead_confirm"})
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    client.force_login(people["office"])
    client.post(reverse("supervision_admin:report_action", args=[report.pk]), {"op": "return", "reason": ""})
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED  # a reason is required
    client.post(
        reverse("supervision_admin:report_action", args=[report.pk]), {"op": "return", "reason": "数据有误"}
    )
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED
    response = client.post(
        reverse("supervision_admin:report_action", args=[report.pk]),
        {"op": "accept", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/admin/")


def test_openness_office_imports_previews_fixes_confirms_publishes(departments, office, client, form_data):
    seed = settings.SHARED_DIR / "seeds" / "xicheng-2024-workplan.txt"
    if not seed.is_file():
        pytest.skip("seed work plans not available")
    client.force_login(office)
    assert client.get(reverse("supervision_admin:import")).status_code == 200
    bad = client.post(
        reverse("supervision_admin:import"), {"file": SimpleUploadedFile("x.exe", b"MZ"), "kind": "work_plan"}
    )
    assert bad.status_code == 200 and Plan.objects.count() == 0
    empty = client.post(
        reverse("supervision_admin:import"),
        {"file": SimpleUploadedFile("x.txt", "没有任务的文字".encode()), "kind": "work_plan"},
    )
    assert empty.status_code == 302 and Plan.objects.count() == 0
    response = client.post(
        reverse("supervision_admin:import"),
        {
            "file": SimpleUploadedFile("xicheng-2024-workplan.txt", seed.read_bytes()),
            "kind": "work_plan",
            "year": "",
        },
    )
    plan = Plan.objects.get()
    assert response["Location"] == reverse("supervision_admin:preview", args=[plan.pk])
    preview = client.get(response["Location"]).content.decode()
    assert len(re.findall(r'href="/admin/supervision/tasks/\d+/edit/"', preview)) == 44
    task = plan.tasks.order_by("sort_order").first()
    edit_url = reverse("supervision_admin:task_edit", args=[task.pk])
    assert client.get(edit_url).status_code == 200
    bad = client.post(edit_url, {"ref": "1", "text": "x", "weight": "1"})
    assert bad.status_code == 200 and "请至少选择" in bad.content.decode()
    # the form as the page renders it, changed as a person would change it
    data = form_data(client.get(edit_url).content.decode(), "//form[.//input[@name='weight']]")
    assert data["ref"] == task.ref and data["text"].strip() == task.text.strip()
    data.update(
        {"weight": "2", "deadline": "2024-10-31", "responsible": [str(departments["区发展改革委"].pk)]}
    )
    ok = client.post(edit_url, data)
    assert ok.status_code == 302, ok.content.decode()[:2000]
    changed = plan.tasks.get(pk=task.pk)
    assert changed.weight == 2 and str(changed.deadline) == "2024-10-31"
    assert departments["区发展改革委"].pk in {a.department_id for a in changed.assignments.all()}
    client.post(reverse("supervision_admin:confirm", args=[plan.pk]))
    assert Plan.objects.get().status == PlanStatus.ACTIVE
    client.post(reverse("supervision_admin:publish", args=[plan.pk]), {"published": "1"})
    assert Plan.objects.get().is_published
    plans_page = client.get(reverse("supervision_admin:plans")).content.decode()
    assert "季度通报" in plans_page
    docx = client.get(
        reverse("supervision_admin:bulletin", args=[plan.pk]), {"quarter": "2024Q3", "format": "docx"}
    )
    assert docx.status_code == 200 and docx["Content-Disposition"].endswith('2024Q3.docx"')
    xlsx = client.get(
        reverse("supervision_admin:bulletin", args=[plan.pk]), {"quarter": "2024Q3", "format": "xlsx"}
    )
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb["总体情况"]["B3"].value == 44
    assert (
        client.get(reverse("supervision_admin:bulletin", args=[plan.pk]), {"quarter": "bad"}).status_code
        == 302
    )
    dash = client.get(reverse("supervision_admin:dashboard")).content.decode()
    assert "<svg" in dash and "按部门完成情况" in dash
    assert client.get(reverse("supervision_admin:assessment"), {"year": "2024"}).status_code == 200
    a = client.get(reverse("supervision_admin:assessment"), {"year": "2024", "format": "xlsx"})
    assert load_workbook(io.BytesIO(a.content)).sheetnames[0] == "考核结果"
    assert client.get(reverse("supervision_admin:assessment"), {"year": "abc"}).status_code == 302
    r = client.post(reverse("supervision_admin:freeze", args=[plan.pk]), {"quarter": "2024Q1"})
    assert r.status_code == 302 and plan.snapshots.count() == 1
    assert AuditEntry.objects.filter(action__startswith="supervision.plan.").count() >= 4


def test_officers_cannot_use_the_office_screens(simulated_quarter, client):
    client.force_login(simulated_quarter["people"]["mz"])
    plan = simulated_quarter["plan"]
    for url in [
        reverse("supervision_admin:plans"),
        reverse("supervision_admin:import"),
        reverse("supervision_admin:assessment"),
        reverse("supervision_admin:bulletin", args=[plan.pk]) + "?quarter=2024Q3",
        reverse("supervision_admin:task_edit", args=[plan.tasks.first().pk]),
    ]:
        assert denied(client.get(url)), url
    assert denied(client.post(reverse("supervision_admin:publish", args=[plan.pk])))
    assert not Plan.objects.get(pk=plan.pk).is_published


def test_scoring_scheme_admin_saves_through_the_action(office, client):
    client.force_login(office)
    url = reverse("scoring_schemes:add")
    data = {
        "name": "2025方案",
        "year": "2025",
        "completion_points": "60",
        "timeliness_points": "20",
        "evidence_points": "20",
        "platform_evidence_factor": "1",
        "other_evidence_factor": "0.5",
        "return_deduction": "1",
        "return_deduction_cap": "5",
        "overdue_deduction": "2",
        "overdue_deduction_cap": "10",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ScoringScheme.objects.get(year=2025).completion_points == 60
    assert AuditEntry.objects.filter(action="supervision.scheme.save").count() == 1
