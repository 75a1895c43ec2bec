"""Importing a parsed work plan: departments resolved, problems flagged on the task, hostile input refused
cleanly, the preview fixed through `update_task` before `confirm_plan`."""

import copy
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core import roles
from gongkai.core.models import AuditEntry, Department, DepartmentKind
from gongkai.supervision import actions
from gongkai.supervision.importing import ImportRejected, build_drafts
from gongkai.supervision.models import AssignmentRole, Plan, PlanStatus, Task

from .conftest import small_parse


def test_import_creates_draft_plan_with_sections_tasks_and_departments(departments, office, parsed):
    plan = actions.import_workplan(parsed, actor=office, source_name="/tmp/x/plan.txt")
    assert plan.status == PlanStatus.DRAFT
    assert plan.year == 2024 and plan.source_name == "plan.txt"
    assert [s.ref for s in plan.sections.all()] == ["一", "一（一）", "三"]
    child = plan.sections.get(ref="一（一）")
    assert child.parent.ref == "一"
    task = plan.tasks.get(ref="一（一）2")
    roles_by_name = {a.department.short_name: a.role for a in task.assignments.all()}
    assert roles_by_name == {
        "区政务服务局": AssignmentRole.LEAD,
        "区发展改革委": AssignmentRole.RESPONSIBLE,
        "区商务局": AssignmentRole.RESPONSIBLE,
        "区数据局": AssignmentRole.SUPPORTING,
    }
    assert task.section.ref == "一（一）"
    assert task.deadline == datetime.date(2024, 9, 30)
    assert not plan.tasks.filter(occurrences__isnull=False).exists()  # occurrences only after confirmation
    assert AuditEntry.objects.filter(action="supervision.plan.import", object_id=str(plan.pk)).exists()


def test_collective_names_expand_to_their_members(departments, office, parsed):
    parsed["tasks"][0]["owners"] = ["区政府各部门", "各街道"]
    plan = actions.import_workplan(parsed, actor=office)
    task = plan.tasks.get(ref="一（一）1")
    kinds = {a.department.kind for a in task.assignments.all()}
    assert kinds == {DepartmentKind.BUREAU, DepartmentKind.SUBDISTRICT}
    assert (
        task.assignments.count()
        == Department.objects.filter(
            kind__in=[DepartmentKind.BUREAU, DepartmentKind.SUBDISTRICT], is_active=True
        ).count()
    )


def test_unknown_and_unresolvable_names_are_flagged_and_block_confirmation(departments, office, parsed):
    parsed["tasks"][0]["owners"] = ["区火星事务局"]
    parsed["tasks"][1]["owners"].append("区政府相关部门")
    parsed["tasks"][2]["deadline"] = "2024-13-45"
    parsed["tasks"][2]["recurrence"] = None
    parsed["tasks"][3]["recurrence"] = "fortnightly"
    plan = actions.import_workplan(parsed, actor=office)
    first = plan.tasks.get(ref="一（一）1")
    assert first.unresolved_names == ["区火星事务局"]
    assert plan.tasks.get(ref="一（一）2").unresolved_names == ["区政府相关部门"]
    problems = {(t.ref, p) for t, p in actions.plan_problems(plan)}
    assert ("一（一）1", "没有负责部门") in problems
    assert ("三1", "没有完成时限或周期") in problems
    # the unknown recurrence became one-off, with the plan's deadline missing: flagged too
    assert ("三2", "没有完成时限或周期") in problems
    with pytest.raises(ValidationError) as exc:
        actions.confirm_plan(plan, actor=office)
    assert "请先修正" in exc.value.messages[0]
    # the openness office fixes the preview, then confirms
    actions.update_task(first, actor=office, responsible=[departments["区发展改革委"]])
    actions.update_task(
        plan.tasks.get(ref="三1"), actor=office, deadline=datetime.date(2024, 12, 31), recurrence="monthly"
    )
    actions.update_task(plan.tasks.get(ref="三2"), actor=office, recurrence="ongoing")
    assert actions.plan_problems(plan) == []
    assert Task.objects.get(pk=first.pk).unresolved_names == []
    plan = actions.confirm_plan(plan, actor=office, today=datetime.date(2024, 1, 2))
    assert plan.status == PlanStatus.ACTIVE
    assert plan.tasks.get(ref="三1").occurrences.count() == 12
    assert plan.tasks.get(ref="三2").occurrences.get().due_date is None


def test_confirming_mid_year_skips_periods_already_over(departments, office, parsed):
    plan = actions.import_workplan(parsed, actor=office)
    plan = actions.confirm_plan(plan, actor=office, today=datetime.date(2024, 5, 15))
    periods = list(plan.tasks.get(ref="三1").occurrences.values_list("period", flat=True))
    assert periods[0] == "2024-05" and len(periods) == 8


@pytest.mark.parametrize(
    "bad",
    [None, "text", 42, [], {}, {"tasks": []}, {"tasks": "nope"}, {"tasks": None}, {"tasks": [{}] * 2001}],
)
def test_input_that_is_not_a_plan_is_refused_without_writing(departments, office, bad):
    with pytest.raises(ImportRejected):
        actions.import_workplan(bad, actor=office)
    assert Plan.objects.count() == 0


def test_broken_tasks_are_kept_and_flagged_the_rest_imported(departments, office):
    parsed = small_parse()
    parsed["tasks"] += [
        "just a string",
        {"text": None, "owners": "区民政局", "deadline": 20240101},
        {"text": "x" * 50000},
    ]
    parsed["sections"] = "not a list"
    parsed["year"] = "二〇二四"
    plan = actions.import_workplan(parsed, actor=office, year=2024)
    assert plan.tasks.count() == 7
    assert len(plan.tasks.get(sort_order=6).text) == 20000
    assert plan.tasks.get(sort_order=5).assignments.get().department.short_name == "区民政局"


def test_year_is_taken_from_deadlines_when_missing(departments, office, parsed):
    parsed["year"] = None
    assert actions.import_workplan(parsed, actor=office).year == 2024
    parsed2 = copy.deepcopy(parsed)
    for t in parsed2["tasks"]:
        t["deadline"] = None
    with pytest.raises(ImportRejected):
        actions.import_workplan(parsed2, actor=office)


def test_only_the_openness_office_imports(departments, make_user, parsed):
    officer = make_user(roles.DEPARTMENT_OFFICER, "区民政局")
    with pytest.raises(PermissionDenied):
        actions.import_workplan(parsed, actor=officer)


def test_update_task_rejects_bad_values(departments, office, parsed):
    plan = actions.import_workplan(parsed, actor=office)
    task = plan.tasks.first()
    for changes in (
        {"weight": "abc"},
        {"weight": -1},
        {"weight": "NaN"},
        {"recurrence": "daily"},
        {"text": "  "},
    ):
        with pytest.raises(ValidationError):
            actions.update_task(task, actor=office, **changes)
    with pytest.raises(TypeError):
        actions.update_task(task, actor=office, status="completed")


hostile_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
task_strategy = st.fixed_dictionaries(
    {},
    optional={
        "ref": st.one_of(st.none(), hostile_text, st.integers()),
        "section": st.one_of(st.none(), hostile_text),
        "text": st.one_of(st.none(), hostile_text),
        "lead": st.one_of(
            st.none(), hostile_text, st.lists(st.one_of(hostile_text, st.integers()), max_size=3)
        ),
        "owners": st.one_of(
            st.none(),
            st.lists(st.sampled_from(["区民政局", "各街道", "区政府相关部门", "", "区X局"]), max_size=3),
        ),
        "deadline": st.one_of(st.none(), hostile_text, st.dates().map(str)),
        "recurrence": st.one_of(st.none(), st.sampled_from(["monthly", "ongoing", "weird", ""])),
        "unresolved": st.one_of(st.none(), st.lists(hostile_text, max_size=2)),
    },
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tasks=st.lists(st.one_of(task_strategy, hostile_text, st.none()), min_size=1, max_size=5))
def test_build_drafts_never_crashes(departments, tasks):
    head, sections, drafts = build_drafts(
        {"title": "t", "year": 2024, "tasks": tasks, "sections": [None, "x", {"ref": 1}]}
    )
    assert len(drafts) == len(tasks)
    for d in drafts:
        assert isinstance(d.text, str) and isinstance(d.problems, list)
