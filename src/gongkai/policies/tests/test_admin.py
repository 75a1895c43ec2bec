"""The policy library in the Wagtail admin: department scoping and the audit log view."""

import pytest
from django.contrib.auth.models import Permission

from gongkai.core import roles


@pytest.fixture
def drafter_perms(db):
    roles.ensure_roles()
    group = roles.group_for(roles.DRAFTER)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="policies", codename__in=["add_policy", "change_policy", "view_policy"]
        )
    )
    return group


def _edit_url(policy):
    return f"/admin/snippets/policies/policy/edit/{policy.pk}/"


@pytest.mark.django_db
def test_drafter_edits_own_department_only(client, make_policy, make_user, drafter_perms):
    own = make_policy("发改委草稿", publish=False, department="区发展改革委")
    other = make_policy("教委草稿", publish=False, department="区教委")
    drafter = make_user(roles.DRAFTER, "区发展改革委")
    client.force_login(drafter)
    assert client.get(_edit_url(own)).status_code == 200
    response = client.get(_edit_url(other))
    assert response.status_code in (302, 403)
    listing = client.get("/admin/snippets/policies/policy/").content.decode()
    assert "发改委草稿" in listing and "教委草稿" not in listing
    # posting to another department's draft changes nothing
    client.post(_edit_url(other), {"title": "被改了"})
    other.refresh_from_db()
    assert other.title == "教委草稿"


@pytest.mark.django_db
def test_openness_office_sees_all(client, make_policy, make_user, drafter_perms):
    make_policy("发改委草稿", publish=False, department="区发展改革委")
    make_policy("教委草稿", publish=False, department="区教委")
    office = make_user(roles.OPENNESS_OFFICE, "区政务服务局", is_superuser=True)
    client.force_login(office)
    listing = client.get("/admin/snippets/policies/policy/").content.decode()
    assert "发改委草稿" in listing and "教委草稿" in listing


@pytest.mark.django_db
def test_audit_log_is_viewable_and_read_only(client, make_policy, admin_user):
    make_policy("审计示例")
    client.force_login(admin_user)
    response = client.get("/admin/auditentry/")
    assert response.status_code == 200
    assert "policy.publish" in response.content.decode()
    assert client.get("/admin/auditentry/new/").status_code in (302, 403)
