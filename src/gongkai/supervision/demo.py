"""Demo evidence files (issue 11, item 8): a progress report with a PDF waiting for review (private) and an accepted
one with a spreadsheet (public in the published plan's column). Needs the published 2024 work plan of the demo data.
Idempotent."""

from __future__ import annotations

from django.db import transaction

from gongkai.core.samples import sample_upload


@transaction.atomic
def load_demo_files() -> str:
    from gongkai.core.models import User

    from . import actions
    from .models import AssignmentRole, Evidence, EvidenceKind, Plan, PlanStatus, Task

    if Evidence.objects.filter(kind=EvidenceKind.FILE, title__endswith="（演示）").exists():
        return "已存在"
    plan = Plan.objects.published().filter(status=PlanStatus.ACTIVE).first()
    officer = User.objects.filter(username="officer_mz").first()
    office = User.objects.filter(username="gongkai_office").first()
    if plan is None or officer is None or office is None:
        return "没有已公开的工作要点或演示用户，跳过"
    # Tasks this department reports on straight to the openness office (its own, or led by it).
    tasks = [
        t
        for t in Task.objects.filter(plan=plan, assignments__department=officer.department).distinct()[:30]
        if t.occurrences.exists()
        and (
            not t.is_shared
            or t.assignments.filter(department=officer.department, role=AssignmentRole.LEAD).exists()
        )
    ]
    if len(tasks) < 2:
        return "演示部门没有可报送的任务，跳过"
    accepted = actions.submit_report(
        tasks[0],
        actor=officer,
        summary="已完成政策咨询台账的建立（演示）",
        percent=100,
        claims_completion=True,
        evidence=[{"kind": "file", "file": sample_upload("咨询台账.xlsx"), "title": "咨询台账（演示）"}],
    )
    if accepted.status == "submitted":
        actions.accept_report(accepted, actor=office)
    actions.submit_report(
        tasks[1],
        actor=officer,
        summary="正在整理工作方案（演示）",
        percent=40,
        internal_note="内部材料，待审核",
        evidence=[
            {
                "kind": "file",
                "file": sample_upload("工作方案.pdf", "工作方案（草稿）"),
                "title": "工作方案（演示）",
            }
        ],
    )
    return "佐证材料 2 份（已采纳 1 份公开，待审核 1 份不公开）"
