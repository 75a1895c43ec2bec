"""The staff screens render for each role and refuse what a role may not do."""

import pytest

from gongkai.core import roles
from gongkai.disclosure.models import DepartmentSeal


@pytest.mark.parametrize(
    "queue", ["open", "pending", "unassigned", "mine", "due_soon", "overdue", "replied", "all", "bogus"]
)
def test_queues_render(client, officer, make_request, queue):
    req = make_request()
    client.force_login(officer)
    response = client.get(f"/admin/disclosure/?queue={queue}")
    assert response.status_code == 200
    page = response.content.decode()
    # a confirmed, unassigned, open request: in the open queues (applicant masked), not in the others
    if queue in ("open", "unassigned", "all", "bogus"):
        assert req.tracking_number in page and "张**" in page and "张三丰" not in page
    if queue in ("pending", "mine", "replied"):
        assert req.tracking_number not in page


def test_register_and_report_pages_render(client, officer, seeded_calendar, make_user):
    client.force_login(officer)
    page = client.get("/admin/disclosure/register/").content.decode()
    assert 'name="channel"' in page and 'name="id_number"' in page
    response = client.get("/admin/disclosure/report/?year=2024")
    page = response.content.decode()
    assert response.status_code == 200 and officer.department.name in page
    assert "收到和处理政府信息公开申请情况" in page or "申请情况" in page
    # registering needs the handling role: a drafter is refused, and has no menu entry for it
    drafter = make_user(roles.DRAFTER, "区发展改革委", username="drafter")
    client.force_login(drafter)
    assert client.get("/admin/disclosure/register/").status_code == 302
    assert "/admin/disclosure/register/" not in client.get("/admin/").content.decode()


def test_register_refuses_bad_input(client, officer, departments):
    client.force_login(officer)
    response = client.post("/admin/disclosure/register/", {"channel": "in_person", "phone": "x"})
    assert response.status_code == 200 and "必需字段" in response.content.decode()


def test_other_department_cannot_open_request(client, make_user, make_request):
    req = make_request()
    stranger = make_user(roles.DEPARTMENT_OFFICER, "区财政局", username="stranger")
    roles.assign_role(stranger, roles.DISCLOSURE_HANDLER)
    client.force_login(stranger)
    for url in [
        f"/admin/disclosure/{req.pk}/",
        f"/admin/disclosure/{req.pk}/identity/",
        f"/admin/disclosure/{req.pk}/draft.docx",
        "/admin/disclosure/?queue=all",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert req.information_title not in response.content.decode(), url
    response = client.post(f"/admin/disclosure/{req.pk}/", {"op": "claim"})
    assert response.status_code == 404
    req.refresh_from_db()
    assert req.assignee is None


def test_claim_on_the_screen_needs_the_handler_role(client, make_user, make_request, officer):
    req = make_request()
    plain = make_user(roles.DEPARTMENT_OFFICER, "区发展改革委", username="plain")
    client.force_login(plain)
    page = client.get(f"/admin/disclosure/{req.pk}/").content.decode()
    assert "由我承办" not in page and "依申请公开办理人员" in page and "张**" in page
    client.post(f"/admin/disclosure/{req.pk}/", {"op": "claim"})
    req.refresh_from_db()
    assert req.assignee is None
    client.force_login(officer)
    assert "由我承办" in client.get(f"/admin/disclosure/{req.pk}/").content.decode()
    client.post(f"/admin/disclosure/{req.pk}/", {"op": "claim"})
    req.refresh_from_db()
    assert req.assignee == officer
    assert "张三丰" in client.get(f"/admin/disclosure/{req.pk}/").content.decode()


def test_openness_office_sees_all_and_can_move(client, make_user, make_request, departments):
    req = make_request()
    office = make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="office")
    client.force_login(office)
    html = client.get(f"/admin/disclosure/{req.pk}/").content.decode()
    assert "转交部门" in html and "张**" in html
    client.post(f"/admin/disclosure/{req.pk}/", {"op": "assign", "department": departments["区财政局"].pk})
    req.refresh_from_db()
    assert req.department == departments["区财政局"]


def test_seal_page_admin_only(client, admin_user, officer, departments, seal):
    client.force_login(officer)
    assert client.get("/admin/disclosure/seals/").status_code in (302, 403)
    client.force_login(admin_user)
    assert client.get("/admin/disclosure/seals/").status_code == 200
    before = DepartmentSeal.objects.count()
    response = client.post("/admin/disclosure/seals/", {"department": departments["区财政局"].pk})
    assert response.status_code == 302 and DepartmentSeal.objects.count() == before + 1
    assert client.post("/admin/disclosure/seals/", {"department": "999999"}).status_code == 404


def test_admin_menu_has_disclosure(client, officer):
    client.force_login(officer)
    html = client.get("/admin/").content.decode()
    assert "/admin/disclosure/register/" in html and "/admin/disclosure/report/" in html
