"""Every state change made through Wagtail's own screens writes our audit entry, with before and after, in the
same transaction as the change (issue 10, item 4). Each step posts the real form of the screen, as the browser
does, and then looks for its `AuditEntry`."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from gongkai.core import roles
from gongkai.core.models import AuditEntry, CalendarDay, Department, User
from gongkai.policies.models import Policy
from gongkai.review.rules import STEP_POINTS

EDITOR = "//form[@id='w-editor-form']"
ANY_POST = "//form[translate(@method, 'POST', 'post')='post']"


def _url(name, *args):
    return reverse(f"wagtailsnippets_policies_policy:{name}", args=args)


def _entry(action, obj=None, **filters):
    qs = AuditEntry.objects.filter(action=action, **filters)
    if obj is not None:
        qs = qs.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    entry = qs.order_by("-id").first()
    assert entry is not None, f"no audit entry {action} for {obj!r}"
    return entry


def _changed(entry, field, before, after):
    assert entry.before is not None and entry.after is not None, entry.action
    assert entry.before.get(field) == before and entry.after.get(field) == after, (
        entry.action,
        entry.before,
        entry.after,
    )


@pytest.fixture
def staff(departments):
    from gongkai.review.workflow import ensure_review_workflows

    ensure_review_workflows()
    roles.ensure_roles()

    def make(role, dept, username, **extra):
        user = User.objects.create_user(
            username, password="pw-123456-x", department=departments[dept], **extra
        )
        roles.assign_role(user, role)
        return user

    return {
        "drafter": make(roles.DRAFTER, "区发展改革委", "a_drafter"),
        "officer": make(roles.DEPARTMENT_OFFICER, "区发展改革委", "a_officer"),
        "office": make(roles.OPENNESS_OFFICE, "区政务服务局", "a_office"),
        "admin": make(roles.ADMINISTRATOR, "区政务服务局", "a_admin", is_superuser=True),
    }


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_policy_editor_writes_are_audited(staff, departments, form_data):
    drafter, officer, admin = _client(staff["drafter"]), _client(staff["officer"]), _client(staff["admin"])

    # create (the editor's 保存草稿)
    data = form_data(drafter.get(_url("add")).content.decode(), EDITOR)
    data.update(
        {"title": "关于审计测试的通知", "issuer": str(departments["区政府"].pk), "body": "第一条 测试。"}
    )
    assert drafter.post(_url("add"), data).status_code == 302
    policy = Policy.objects.get(title="关于审计测试的通知")
    created = _entry("policy.create", policy)
    assert created.after["title"] == "关于审计测试的通知" and created.actor == staff["drafter"]

    # edit
    data = form_data(drafter.get(_url("edit", policy.pk)).content.decode(), EDITOR)
    data["summary"] = "改过的摘要"
    assert drafter.post(_url("edit", policy.pk), data).status_code == 302
    _changed(_entry("policy.update", policy), "summary", "", "改过的摘要")

    # lock / unlock
    assert drafter.post(_url("lock", policy.pk)).status_code == 302
    _changed(_entry("policy.lock", policy), "locked", False, True)
    assert drafter.post(_url("unlock", policy.pk)).status_code == 302
    _changed(_entry("policy.unlock", policy), "locked", True, False)

    # revert to the first version
    first = policy.revisions.order_by("id").first()
    revert_url = _url("revisions_revert", policy.pk, first.pk)
    data = form_data(drafter.get(revert_url).content.decode(), EDITOR)
    assert drafter.post(revert_url, data).status_code == 302
    _changed(_entry("policy.revert", policy), "summary", "改过的摘要", "")

    # submit for review from the editor, approve the self-review from the editor's workflow action
    data = form_data(drafter.get(_url("edit", policy.pk)).content.decode(), EDITOR, submit="action-submit")
    assert drafter.post(_url("edit", policy.pk), data).status_code == 302
    submitted = _entry("review.submit", policy)
    assert submitted.actor == staff["drafter"] and submitted.after["route"]
    policy.refresh_from_db()
    task_state = policy.current_workflow_state.current_task_state
    collect = _url("collect_workflow_action_data", policy.pk, "approve", task_state.pk)
    modal = {f"{p}_result": "pass" for p in STEP_POINTS["self"]} | {
        "risk_level": "low",
        "opinion": "自审通过",
    }
    response = drafter.post(collect, modal)
    cleaned = json.loads(response.content)["cleaned_data"]
    data = form_data(
        drafter.get(_url("edit", policy.pk)).content.decode(), EDITOR, submit="action-workflow-action"
    )
    data.update({"workflow-action-name": "approve", "workflow-action-extra-data": json.dumps(cleaned)})
    assert drafter.post(_url("edit", policy.pk), data).status_code == 302
    approved = _entry("review.approve", policy)
    assert approved.after["step"] == "self" and approved.actor == staff["drafter"]

    # cancel (the review page: the officer, with a reason)
    page = reverse("review_admin:detail", args=[policy.pk])
    assert officer.post(page, {"action": "cancel", "cancel-reason": "材料需要补充"}).status_code == 302
    cancelled = _entry("review.cancel", policy)
    assert cancelled.note == "材料需要补充" and cancelled.before["status"] == "in_progress"

    # publish (an administrator overrides nothing: the gate refuses, and that writes no publish entry) …
    data = form_data(officer.get(_url("edit", policy.pk)).content.decode(), EDITOR, submit="action-publish")
    officer.post(_url("edit", policy.pk), data)
    assert not AuditEntry.objects.filter(action="policy.publish", object_id=str(policy.pk)).exists()
    # … a policy whose review is done is published and unpublished through the editor's buttons
    from gongkai.policies import actions

    done = actions.publish_policy(
        actions.create_policy(actor=None, title="已审核的文件", issuer=departments["区发展改革委"]),
        actor=None,
    )
    actions.unpublish_policy(done, actor=None)
    AuditEntry.objects.filter(object_id=str(done.pk), object_type="policies.policy").delete()
    from gongkai.policies.publication import _CHECKS

    saved_checks = dict(_CHECKS)
    _CHECKS.clear()  # the review's gate is tested elsewhere: here only the audit of the button
    try:
        data = form_data(officer.get(_url("edit", done.pk)).content.decode(), EDITOR, submit="action-publish")
        assert officer.post(_url("edit", done.pk), data).status_code == 302
    finally:
        _CHECKS.update(saved_checks)
    _changed(_entry("policy.publish", done), "live", False, True)
    unpublish = _url("unpublish", done.pk)
    assert (
        officer.post(unpublish, form_data(officer.get(unpublish).content.decode(), ANY_POST)).status_code
        == 302
    )
    _changed(_entry("policy.unpublish", done), "live", True, False)

    # copy, then delete the copy (administrator)
    copy_url = _url("copy", done.pk)
    data = form_data(drafter.get(copy_url).content.decode(), EDITOR)
    data["title"] = "复制的文件"
    assert drafter.post(copy_url, data).status_code == 302
    copy = Policy.objects.get(title="复制的文件")
    assert _entry("policy.create", copy).after["title"] == "复制的文件"
    delete = _url("delete", copy.pk)
    assert admin.post(delete, form_data(admin.get(delete).content.decode(), ANY_POST)).status_code == 302
    assert not Policy.objects.filter(pk=copy.pk).exists()
    deleted = _entry("policy.delete", copy)
    assert deleted.before["title"] == "复制的文件" and not any(deleted.after.values())


@pytest.mark.django_db
def test_users_groups_settings_and_base_data_are_audited(staff, departments, form_data):
    admin, office = _client(staff["admin"]), _client(staff["office"])

    # user create (the openness office manages users of every department)
    add = reverse("wagtailusers_users:add")
    data = form_data(office.get(add).content.decode(), ANY_POST)
    data.update(
        {
            "username": "new_clerk",
            "email": "clerk@example.invalid",
            "first_name": "小",
            "last_name": "李",
            "password1": "Zx-938475-qwe",
            "password2": "Zx-938475-qwe",
            "department": str(departments["区民政局"].pk),
            "groups": [str(roles.group_for(roles.DRAFTER).pk)],
        }
    )
    response = office.post(add, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    clerk = User.objects.get(username="new_clerk")
    assert clerk.department == departments["区民政局"]
    created = _entry("user.create", clerk)
    assert created.after["department"]["repr"] == departments["区民政局"].name
    assert created.after["groups"] == ["起草人员"] and "password" not in created.after

    # user edit: department, role, a password set by the openness office, deactivation, department head
    edit = reverse("wagtailusers_users:edit", args=[clerk.pk])
    data = form_data(office.get(edit).content.decode(), ANY_POST)
    data.update(
        {
            "department": str(departments["区发展改革委"].pk),
            "groups": [str(roles.group_for(roles.DEPARTMENT_OFFICER).pk)],
            "password1": "Qw-556677-zxc",
            "password2": "Qw-556677-zxc",
            "is_department_head": "on",
        }
    )
    data.pop("is_active", None)  # unticked: deactivated
    response = office.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = _entry("user.edit", clerk)
    assert entry.before["department"]["repr"] == departments["区民政局"].name
    assert entry.after["department"]["repr"] == departments["区发展改革委"].name
    _changed(entry, "groups", ["起草人员"], ["部门公开专员"])
    _changed(entry, "is_active", True, False)
    assert entry.before["password_fingerprint"] != entry.after["password_fingerprint"]
    head = _entry("department.set_head", departments["区发展改革委"])
    assert head.after["head_name"] == "李小"
    # the openness office cannot make administrators: the role is not offered
    assert "系统管理员" not in office.get(edit).content.decode().split('name="groups"')[1][:3000]

    # bulk: activate again, assign a role
    bulk = f"/admin/bulk/core/user/set_active_state/?id={clerk.pk}&next=/admin/users/"
    data = form_data(admin.get(bulk).content.decode(), ANY_POST)
    data["mark_as_active"] = "True"
    assert admin.post(bulk, data).status_code == 302
    _changed(_entry("user.bulk_set_active_state", clerk), "is_active", False, True)
    bulk = f"/admin/bulk/core/user/assign_role/?id={clerk.pk}&next=/admin/users/"
    data = form_data(admin.get(bulk).content.decode(), ANY_POST)
    data.update({"action": "assign", "role": str(roles.group_for(roles.DISCLOSURE_HANDLER).pk)})
    assert admin.post(bulk, data).status_code == 302
    _changed(
        _entry("user.bulk_assign_role", clerk),
        "groups",
        ["部门公开专员"],
        ["依申请公开办理人员", "部门公开专员"],
    )

    # a role's permissions (group edit)
    group = roles.group_for(roles.DRAFTER)
    edit_group = reverse("wagtailusers_groups:edit", args=[group.pk])
    data = form_data(admin.get(edit_group).content.decode(), ANY_POST)
    data["name"] = "起草人员（本部门）"
    response = admin.post(edit_group, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    _changed(_entry("group.edit", group), "name", "起草人员", "起草人员（本部门）")
    Group.objects.filter(pk=group.pk).update(name="起草人员")

    # settings (前置审核设置)
    settings_url = reverse("wagtailsettings:edit", args=["review", "reviewsettings"])
    page = admin.get(settings_url, follow=True)
    if page.redirect_chain:
        settings_url = page.redirect_chain[-1][0]
    data = form_data(page.content.decode(), ANY_POST)
    data["full_route_issuers"] = [str(departments["区政府"].pk)]
    response = admin.post(settings_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = _entry("reviewsettings.edit")
    assert entry.after["full_route_issuers"] == [departments["区政府"].name]

    # base data: a department's head, a holiday added and removed
    department = departments["区民政局"]
    dept_edit = f"/admin/department/edit/{department.pk}/"
    data = form_data(admin.get(dept_edit).content.decode(), ANY_POST)
    data["head_name"] = "周主任"
    assert admin.post(dept_edit, data).status_code == 302
    _changed(_entry("department.edit", department), "head_name", "", "周主任")
    day_add = "/admin/calendarday/new/"
    from gongkai.core import calendar

    calendar.seed_from_chinese_calendar(years=[2024])
    data = form_data(admin.get(day_add).content.decode(), ANY_POST)
    data.update({"date": "2024-11-11", "kind": "holiday", "name": "测试假日"})
    data["calendar_year"] = str(calendar_year_pk(2024))
    assert admin.post(day_add, data).status_code == 302
    day = CalendarDay.objects.get(name="测试假日")
    assert _entry("calendarday.create", day).after["name"] == "测试假日"
    day_delete = f"/admin/calendarday/delete/{day.pk}/"
    assert (
        admin.post(day_delete, form_data(admin.get(day_delete).content.decode(), ANY_POST)).status_code == 302
    )
    assert _entry("calendarday.delete", day).before["name"] == "测试假日"
    assert Department.objects.filter(pk=department.pk, head_name="周主任").exists()


def calendar_year_pk(year):
    from gongkai.core.models import CalendarYear

    return CalendarYear.objects.get(year=year).pk
