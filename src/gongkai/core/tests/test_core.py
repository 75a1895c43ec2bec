import os
import subprocess
import sys

import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.core import audit, roles
from gongkai.core.departments import collective_kind, members_of_collective, resolve_department
from gongkai.core.models import AuditEntry, Department
from gongkai.core.notify import notify
from gongkai.core.numbering import next_number

SEED_NAMES = [
    "区政务服务局",
    "区政府各政策制定部门",
    "区城市管理委",
    "区司法局",
    "区市场监管局",
    "区生态环境局",
    "区教委",
    "区财政局",
    "西城园管委会",
    "区科技和信息化局",
    "区政府办",
    "区发展改革委",
    "区商务局",
    "区住房城市建设委",
    "区房管局",
    "区城管执法局",
    "区卫生健康委",
    "区人力社保局",
    "区民政局",
    "区医保局",
    "区文化和旅游局",
    "区退役军人局",
    "区经济促进局",
    "区数据局",
    "区政府办公室",
    "市规划自然资源委西城分局",
    "区城市管理指挥中心",
    "区体育局",
    "区融媒体中心",
    "区园林绿化局",
    "区委宣传部",
]


@pytest.mark.django_db
def test_every_department_named_in_the_work_plans_resolves(departments):
    for name in SEED_NAMES:
        if collective_kind(name):
            continue
        assert resolve_department(name) is not None, name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "written, expected",
    [
        ("区发改委", "区发展改革委"),
        ("区发展改革委", "区发展改革委"),
        ("发展改革委", "区发展改革委"),
        ("区科信局", "区科技和信息化局"),
        ("区政\n\n务服务局", "区政务服务局"),
        ("西城区政务服务管理局", "区政务服务局"),
        ("北京市西城区教育委员会", "区教委"),
        ("  区 民政局 ", "区民政局"),
    ],
)
def test_aliases_and_spacing(departments, written, expected):
    assert resolve_department(written) == departments[expected]


@pytest.mark.django_db
def test_unknown_and_collective_names(departments):
    assert resolve_department("区不存在局") is None
    assert resolve_department("") is None
    assert collective_kind("区政府各部门") == "bureaus"
    assert collective_kind("各街道") == "subdistricts"
    assert members_of_collective("subdistricts").count() == 15
    assert collective_kind("区民政局") is None


@pytest.mark.django_db
def test_alias_added_in_admin_is_used_at_once(departments):
    dept = departments["区体育局"]
    dept.aliases = ["区体育运动局"]
    dept.save()
    assert resolve_department("区体育运动局") == dept


@pytest.mark.django_db
def test_audit_records_only_changed_fields(departments):
    dept = departments["区教委"]
    entry = audit.record("test.change", dept, before={"a": 1, "b": 2}, after={"a": 1, "b": 3})
    assert entry.before == {"b": 2} and entry.after == {"b": 3}
    assert entry.actor_label == "系统"
    assert AuditEntry.objects.filter(object_type="core.department", object_id=str(dept.pk)).count() == 1


@pytest.mark.django_db
def test_notify_is_idempotent_and_mails_after_commit(departments, django_capture_on_commit_callbacks):
    dept = departments["区教委"]
    dept.email = "jw@example.invalid"
    dept.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(subject="提醒", body="请报送进展", department=dept, dedup_key="k1")
        second = notify(subject="提醒", body="请报送进展", department=dept, dedup_key="k1")
    assert first is not None and second is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jw@example.invalid"]


@pytest.mark.django_db
def test_numbering_is_per_key(db):
    assert [next_number("a"), next_number("a"), next_number("b")] == [1, 2, 1]


@pytest.mark.django_db
def test_roles_exist_after_migrate(db):
    from django.contrib.auth.models import Group

    roles.ensure_roles()
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLE_GROUPS.values())


@pytest.mark.django_db
def test_setup_command_is_idempotent(db):
    call_command("setup", verbosity=0)
    count = Department.objects.count()
    call_command("setup", verbosity=0)
    assert Department.objects.count() == count >= 50


def test_production_settings_refuse_to_start_without_secrets():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    env["DJANGO_SETTINGS_MODULE"] = "gongkai.settings.production"
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    env.update(SECRET_KEY="x" * 50, ALLOWED_HOSTS="gongkai.example")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_worker_runs_jobs_once(capsys, departments):
    call_command("worker", "--once")
    assert "policies.refresh_validity" in capsys.readouterr().out


@pytest.mark.django_db
def test_audit_log_and_inbox_are_scoped_to_the_department(client, make_user, departments):
    from gongkai.core.models import Notification

    own = departments["区教委"]
    other = departments["区民政局"]
    audit.record("test.own", own, department=own, note="本部门")
    audit.record("test.other", other, department=other, note="他部门")
    notify(subject="本部门通知", department=own)
    notify(subject="他部门通知", department=other)
    officer = make_user(roles.DEPARTMENT_OFFICER, "区教委")
    officer.groups.first().permissions.add(
        *__import__("django.contrib.auth.models", fromlist=["Permission"]).Permission.objects.filter(
            codename__in=["view_auditentry", "view_notification"]
        )
    )
    client.force_login(officer)
    html = client.get("/admin/auditentry/").content.decode()
    assert "test.own" in html and "test.other" not in html
    html = client.get("/admin/notification/").content.decode()
    assert "本部门通知" in html and "他部门通知" not in html
    foreign = Notification.objects.get(subject="他部门通知")
    assert client.get(f"/admin/notification/inspect/{foreign.pk}/").status_code == 404


def test_audit_snapshot_of_an_empty_file_field(db):
    from gongkai.policies.models import PolicyAttachment

    assert audit._jsonable(PolicyAttachment().file) == ""
