"""Demo data of supervision: the 2024 key tasks of the government work report (政府工作报告重点任务) and the
practical projects (民生实事项目) that the seed plan's 一(四)4 asks to publish quarterly, each as a plan of its
own kind with quarterly progress. Made through the actions, like everything else; idempotent. The figures are
invented for the demonstration and the plans say so in their titles."""

from __future__ import annotations

import datetime

from django.db import transaction

from gongkai.core.samples import sample_upload

D = datetime.date

KEY_TASKS = {
    "title": "西城区2024年政府工作报告重点任务（演示数据）",
    "year": 2024,
    "sections": [
        {"ref": "1", "title": "推动高质量发展"},
        {"ref": "2", "title": "提升城市治理和民生保障水平"},
    ],
    "tasks": [
        (
            "1.1",
            "1",
            "持续优化营商环境，全年推出营商环境改革举措不少于20项。",
            ["区发展改革委"],
            ["区政务服务局"],
        ),
        ("1.2", "1", "推进政务服务“一网通办”，高频事项全程网办率达到95%以上。", ["区政务服务局"], []),
        ("2.1", "2", "完成老旧小区综合整治项目开工建设，推进存量住房改造。", ["区住房城市建设委"], []),
        ("2.2", "2", "新增中小学学位供给，优化教育资源布局。", ["区教委"], []),
    ],
}

PRACTICAL_PROJECTS = {
    "title": "西城区2024年重要民生实事项目（演示数据）",
    "year": 2024,
    "sections": [{"ref": "1", "title": "民生实事"}],
    "tasks": [
        ("1.1", "1", "新增养老家庭照护床位300张。", ["区民政局"], []),
        ("1.2", "1", "完成老旧小区加装电梯40部。", ["区住房城市建设委"], []),
        ("1.3", "1", "新增普惠托育托位200个。", ["区卫生健康委"], []),
        ("1.4", "1", "改造提升便民商业网点30个。", ["区商务局"], []),
    ],
}

# each quarter's report (its summary gives the cumulative progress of the year's target); the last task misses
# its fourth-quarter report, so the closed plan shows one overdue (red) item
PROGRESS = {
    0: [
        "完成年度方案制定和任务分解。",
        "累计推出改革举措11项。",
        "累计推出改革举措17项。",
        "全年推出改革举措22项。",
    ],
    1: [
        "梳理高频事项清单。",
        "全程网办率达到88%。",
        "全程网办率达到96%，提前完成年度目标。",
        "巩固提升，全程网办率97%。",
    ],
    2: ["完成项目立项和居民意见征询。", "12个项目开工。", "累计开工20个项目。", "全部项目开工，8个完工。"],
    3: ["完成需求测算。", "新建项目主体完工。", "秋季新增部分投入使用。"],
}


def _parsed(spec: dict) -> dict:
    return {
        "title": spec["title"],
        "year": spec["year"],
        "notice": None,
        "sections": spec["sections"],
        "tasks": [
            {
                "ref": ref,
                "section": section,
                "text": text,
                "lead": [],
                "owners": owners,
                "support": support,
                "deadline": "2024-12-31",
                "deadline_text": "2024年12月，按季度报送进展",
                "recurrence": "quarterly",
                "unresolved": [],
            }
            for ref, section, text, owners, support in spec["tasks"]
        ],
    }


def _play(plan):
    """Three quarters of reports, accepted by the openness office; quarterly snapshots frozen."""
    from gongkai.core.models import User

    from . import actions

    quarter_days = [D(2024, 3, 25), D(2024, 6, 25), D(2024, 9, 25), D(2024, 12, 20)]
    for i, task in enumerate(plan.tasks.order_by("sort_order")):
        steps = PROGRESS[i % len(PROGRESS)]
        owner = task.owing_departments[0]
        reporter = User.objects.filter(department=owner, is_active=True).first()
        for q, summary in enumerate(steps):
            occurrence = task.occurrences.get(period=f"2024Q{q + 1}")
            report = actions.submit_report(
                task,
                actor=None,
                department=owner,
                summary=summary,
                percent=100,
                claims_completion=True,  # the quarter's report obligation is met
                occurrence=occurrence,
                today=quarter_days[q],
            )
            if reporter is not None:
                type(report).objects.filter(pk=report.pk).update(reported_by=reporter)
            actions.accept_report(report, actor=None, today=quarter_days[q] + datetime.timedelta(days=2))
    for quarter in ("2024Q1", "2024Q2", "2024Q3", "2024Q4"):
        actions.freeze_snapshot(plan, quarter, actor=None, today=D(2025, 1, 10))
    actions.close_plan(plan, actor=None, today=D(2025, 1, 10))


def load_demo_plans() -> str:
    from . import actions
    from .models import Plan, PlanKind

    made = []
    for spec, kind in ((KEY_TASKS, PlanKind.KEY_TASKS), (PRACTICAL_PROJECTS, PlanKind.PRACTICAL_PROJECTS)):
        if Plan.objects.filter(title=spec["title"]).exists():
            continue
        plan = actions.import_workplan(_parsed(spec), actor=None, kind=kind)
        plan = actions.confirm_plan(plan, actor=None, today=D(2024, 1, 2))
        actions.publish_plan(plan, actor=None)
        _play(plan)
        made.append(plan.title)
    return f"新建 {'、'.join(made)}" if made else "重点任务和民生实事演示计划已存在"


# --- evidence files (issue 11, item 8): one accepted report with a spreadsheet (public in the published plan's
# column) and one waiting for review with a PDF (private). Needs the published 2024 work plan of the demo data.


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
