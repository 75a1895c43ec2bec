"""The inbox in the admin: a message links to what it is about, is marked read when its addressee opens it,
shows times in Asia/Shanghai, and is seen only by its user or department."""

import datetime

import pytest

from gongkai.core import roles
from gongkai.core.models import Notification
from gongkai.core.notify import notify


@pytest.mark.django_db
def test_opening_a_notice_links_marks_read_and_shows_local_time(client, make_user, departments):
    officer = make_user(roles.DEPARTMENT_OFFICER, "区发展改革委")
    stranger = make_user(roles.DEPARTMENT_OFFICER, "区民政局")
    note = notify(
        subject="待审核：关于测试的通知",
        body="请在“政策前置审核”中办理。",
        department=departments["区发展改革委"],
        link="/admin/review/policy/1/",
    )
    # 23:30 UTC is 07:30 the next morning in Beijing
    Notification.objects.filter(pk=note.pk).update(
        created_at=datetime.datetime(2024, 3, 4, 23, 30, tzinfo=datetime.UTC)
    )
    client.force_login(stranger)
    assert client.get(f"/admin/notification/inspect/{note.pk}/").status_code == 404
    assert "关于测试的通知" not in client.get("/admin/notification/").content.decode()
    note.refresh_from_db()
    assert note.read_at is None
    client.force_login(officer)
    listing = client.get("/admin/notification/").content.decode()
    assert "关于测试的通知" in listing and "未读" in listing
    page = client.get(f"/admin/notification/inspect/{note.pk}/").content.decode()
    assert 'href="/admin/review/policy/1/"' in page and "打开相关事项" in page
    assert "2024年3月5日 07:30" in page and "23:30" not in page
    note.refresh_from_db()
    assert note.read_at is not None
    assert "已读" in client.get("/admin/notification/").content.decode()


@pytest.mark.django_db
def test_audit_entry_times_are_local(client, admin_user, make_policy):
    from gongkai.core.models import AuditEntry

    make_policy("时间测试")
    entry = AuditEntry.objects.filter(action="policy.publish").get()
    AuditEntry.objects.filter(pk=entry.pk).update(
        timestamp=datetime.datetime(2024, 3, 4, 23, 30, tzinfo=datetime.UTC)
    )
    client.force_login(admin_user)
    page = client.get(f"/admin/auditentry/inspect/{entry.pk}/").content.decode()
    assert "2024年3月5日 07:30" in page and "UTC" not in page


@pytest.mark.django_db
def test_dashboard_lists_unread_notices_of_the_own_department_only(client, make_user, departments):
    officer = make_user(roles.DEPARTMENT_OFFICER, "区发展改革委")
    notify(subject="发改委的待办", department=departments["区发展改革委"], link="/admin/")
    notify(subject="民政局的待办", department=departments["区民政局"], link="/admin/")
    client.force_login(officer)
    home = client.get("/admin/").content.decode()
    assert "未读通知 1 条" in home and "发改委的待办" in home and "民政局的待办" not in home
    assert 'href="/admin/notification/"' in home or "/admin/notification/" in home
