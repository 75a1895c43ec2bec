from gongkai.core import roles
from gongkai.secrecy.models import Redaction

BODY = "第一条 申请人张三，身份证号11010519491231002X，手机13800138000。"


def test_policy_check_page_and_redaction_form(make_policy, make_user, client):
    policy = make_policy(body=BODY, publish=False)
    officer = make_user(roles.DEPARTMENT_OFFICER, "区发展改革委")
    client.force_login(officer)
    page = client.get(f"/admin/secrecy/policy/{policy.pk}/").content.decode()
    assert "公民身份号码" in page and "resident_id.gb11643" in page and "<label" in page
    response = client.post(f"/admin/secrecy/policy/{policy.pk}/", {"types": ["resident_id"], "reason": ""})
    assert response.status_code == 302 and not Redaction.objects.exists()
    client.post(f"/admin/secrecy/policy/{policy.pk}/", {"types": ["resident_id"], "reason": "去除身份证号"})
    record = Redaction.objects.get()
    assert [i["type"] for i in record.items] == ["resident_id"]
    policy.refresh_from_db()
    assert "110105********002X" in policy.body and "13800138000" in policy.body


def test_other_department_cannot_open_the_check(make_policy, make_user, client):
    policy = make_policy(body=BODY, publish=False)
    client.force_login(make_user(roles.DEPARTMENT_OFFICER, "区教委"))
    assert client.get(f"/admin/secrecy/policy/{policy.pk}/").status_code in (302, 403)


def test_redaction_records_are_listed(make_policy, admin_user, client):
    from gongkai.secrecy.actions import redact_policy

    policy = make_policy(body=BODY, publish=False)
    redact_policy(policy, actor=admin_user, reason="去除个人信息")
    client.force_login(admin_user)
    response = client.get("/admin/redactions/")
    assert response.status_code == 200 and "去除个人信息" in response.content.decode()
