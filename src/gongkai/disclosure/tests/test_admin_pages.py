"""The staff screens render for each role and refuse what a role may not do."""

import pytest

from gongkai.core import roles
from gongkai.disclosure.models import DepartmentSeal


@pytest.mark.parametrize(
    "queue", ["open", "pending", "unassigned", "mine", "due_soon", "overdue", "replied", "all", "bogus"]
)
def test_queues_render(client, officer, make_request, queue):
    make_request()
    client.force_login(officer)
    response = client.get(f"/admin/disclosure/?queue={queue}")
    assert response.status_code == 200


def test_register_and_report_pages_render(client, officer, seeded_calendar):
    client.force_login(officer)
    assert client.get("/admin/disclosure/register/").status_code == 200
    response = client.get("/admin/disclosure/report/?year=2024")
    assert response.status_code == 200 and officer.department.name in response.content.decode()


def test_register_refuses_bad_input(client, officer, departments):
    client.force_login(officer)
    response = client.post("/admin/disclosure/register/", {"channel": "in_person", "phone": "x"})
    assert response.status_code == 200 and "必需字段" in response.content.decode()


def test_other_department_cannot_open_request(client, make_user, make_request):
    req = make_request()
    stranger = make_user(roles.DEPARTMENT_OFFICER, "区财政局", username="stranger")
    client.force_login(stranger)
    response = client.get(f"/admin/disclosure/{req.pk}/")
    assert response.status_code in (302, 403)


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
