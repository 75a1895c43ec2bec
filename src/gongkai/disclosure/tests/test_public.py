"""The public form refuses bad input with clear messages; identity data never reaches public pages or the API."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.disclosure import actions, forms
from gongkai.disclosure.models import DisclosureRequest
from gongkai.disclosure.outcomes import Outcome

from .conftest import PERSON, png_bytes, provide

D = datetime.date
IDENTITY_VALUES = [
    PERSON["applicant_name"],
    PERSON["id_number"],
    PERSON["phone"],
    PERSON["email"],
    PERSON["address"],
]


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def form_data(departments, **overrides):
    data = {k: v for k, v in PERSON.items()}
    data.update(
        department=departments["区发展改革委"].pk,
        promise="on",
        website="",
        form_token=forms.form_token(time.time() - 60),
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, upload=None):
    files = {
        "identity_proof": upload
        if upload is not None
        else SimpleUploadedFile("id.png", png_bytes(), "image/png")
    }
    return client.post("/disclosure/", {**data, **files})


def test_apply_form_renders_with_labels(client, departments):
    response = client.get("/disclosure/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_applicant_name"' in html and 'for="id_identity_proof"' in html
    assert "政府信息公开申请" in html


def test_apply_succeeds_and_shows_code_once(client, departments, seeded_calendar):
    response = post(client, form_data(departments))
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.get(response["Location"])
    html = response.content.decode()
    req = DisclosureRequest.objects.get()
    assert req.tracking_number in html
    code = html.split('id="query-code">')[1].split("<")[0]
    assert actions.find_by_tracking(req.tracking_number, code) == req
    assert req.identity_proof.name.endswith(".png")
    # shown once
    assert client.get("/disclosure/apply/done/").status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"applicant_name": ""}, "必需字段"),
        ({"applicant_name": "\u200b\u200b"}, "此项不能为空"),
        ({"id_number": "110105194912310021"}, "居民身份证号码不正确"),
        ({"phone": "12345"}, "手机号"),
        ({"postal_code": "10003"}, "邮政编码"),
        ({"email": "not-an-email"}, "有效的 Email"),
        ({"description": "x" * 6000}, "5000"),
        ({"description": "短"}, "描述过短"),
        ({"applicant_type": "organization"}, "组织的类别"),
        (
            {
                "applicant_type": "organization",
                "organization_kind": "commercial",
                "id_type": "credit_code",
                "id_number": "123",
            },
            "统一社会信用代码",
        ),
        ({"applicant_type": "martian"}, "选择一个有效的选项"),
        ({"department": "999999"}, "选择一个有效的选项"),
        ({"delivery_method": "email", "email": ""}, "请填写电子邮箱"),
        ({"promise": None}, "必需字段"),
        ({"website": "http://spam.example"}, "提交未通过检查"),
        ({"form_token": ""}, "表单已过期或无效"),
        ({"form_token": "forged:token"}, "表单已过期或无效"),
    ],
)
def test_apply_refuses_bad_input(client, departments, overrides, message):
    response = post(client, form_data(departments, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DisclosureRequest.objects.count() == 0


def test_apply_refuses_too_fast(client, departments):
    response = post(client, form_data(departments, form_token=forms.form_token()))
    assert response.status_code == 400 and "提交过快" in response.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("id.exe", b"MZ\x90\x00", "application/octet-stream"), "只接受"),
        (SimpleUploadedFile("id.png", b"MZ\x90\x00this is a program", "image/png"), "不是真正的"),
        (
            SimpleUploadedFile(
                "id.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "application/pdf"
            ),
            "不是真正的",
        ),
        (
            SimpleUploadedFile("id.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>", "image/png"),
            "不是真正的",
        ),
        (SimpleUploadedFile("id.pdf", b"", "application/pdf"), "空"),
        (
            SimpleUploadedFile("id.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024 + 1), "image/png"),
            "不能超过 5 MB",
        ),
    ],
)
def test_apply_refuses_bad_uploads(client, departments, upload, message):
    response = post(client, form_data(departments), upload=upload)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_hostile_text_is_escaped_and_cleaned(client, departments, seeded_calendar):
    response = post(client, form_data(departments, information_title="标题\x00"))
    assert response.status_code == 400 and DisclosureRequest.objects.count() == 0
    data = form_data(
        departments,
        information_title="<script>alert(1)</script>\x07\u202e标题",
        description="'; DROP TABLE x; -- 描述内容足够长",
    )
    response = post(client, data)
    assert response.status_code == 302
    req = DisclosureRequest.objects.get()
    assert req.information_title == "<script>alert(1)</script>标题"
    info = client.post("/disclosure/track/", {"tracking_number": req.tracking_number, "query_code": "x"})
    assert "<script>" not in info.content.decode()


def test_rate_limit(client, departments, seeded_calendar, settings):
    settings.GONGKAI_RATE_LIMITS = {"disclosure.apply": [2, 3600]}
    for i in range(2):
        assert post(client, form_data(departments, information_title=f"信息{i}")).status_code == 302
    response = post(client, form_data(departments, information_title="第三次"))
    assert response.status_code == 429 and "提交次数过多" in response.content.decode()


def _replied_request(make_request, officer, seal):
    req = make_request()
    actions.claim_request(req, actor=officer)
    reply = actions.draft_reply(req, actor=officer, outcome=Outcome.DISCLOSED)
    provide(reply, officer)
    actions.send_reply(reply, actor=officer, day=D(2024, 10, 10))
    req.refresh_from_db()
    return req


def test_identity_never_on_public_pages_or_api(client, make_request, officer, seal):
    req = _replied_request(make_request, officer, seal)
    pages = [
        client.post(
            "/disclosure/track/", {"tracking_number": req.tracking_number, "query_code": req.query_code}
        ),
        client.post("/disclosure/verify/", {"reply_number": req.reply.reply_number}),
        client.get("/disclosure/"),
        client.get("/disclosure/track/"),
        client.post(
            "/api/v1/disclosure/track",
            {"tracking_number": req.tracking_number, "query_code": req.query_code},
            content_type="application/json",
        ),
        client.get(f"/api/v1/disclosure/replies/{req.reply.reply_number}"),
        client.get("/api/v1/openapi.json"),
    ]
    assert "答复" in pages[0].content.decode()  # the reply is shown to the applicant
    assert pages[4].status_code == 200 and pages[4].json()["reply"]["reply_number"] == req.reply.reply_number
    for response in pages:
        body = response.content.decode()
        for value in IDENTITY_VALUES:
            assert value not in body, (response.request["PATH_INFO"], value)
        assert "13812345678"[:7] not in body


def test_track_wrong_code_and_bad_number(client, make_request):
    req = make_request()
    response = client.post(
        "/disclosure/track/", {"tracking_number": req.tracking_number, "query_code": "WRONG"}
    )
    assert response.status_code == 404 and "申请编号或查询码不正确" in response.content.decode()
    response = client.post("/disclosure/track/", {"tracking_number": "abc", "query_code": "x"})
    assert response.status_code == 400 and "申请编号格式" in response.content.decode()
    response = client.post(
        "/api/v1/disclosure/track",
        {"tracking_number": req.tracking_number, "query_code": "WRONG"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post("/api/v1/disclosure/track", "{broken", content_type="application/json")
    assert response.status_code in (400, 422)


def test_reply_download_needs_valid_token(client, make_request, officer, seal):
    req = _replied_request(make_request, officer, seal)
    html = client.post(
        "/disclosure/track/", {"tracking_number": req.tracking_number, "query_code": req.query_code}
    ).content.decode()
    link = html.split('href="/disclosure/file/')[1].split('"')[0]
    response = client.get("/disclosure/file/" + link)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get("/disclosure/file/forged/").status_code == 404
    assert client.get("/disclosure/reply/forged/pdf/").status_code == 404


def test_admin_masks_identity_except_for_assignee(client, make_request, officer, other_officer):
    req = make_request()
    actions.claim_request(req, actor=officer)
    client.force_login(other_officer)
    html = client.get(f"/admin/disclosure/{req.pk}/").content.decode()
    assert "张**" in html
    for value in IDENTITY_VALUES:
        assert value not in html
    html = client.get("/admin/disclosure/?queue=all").content.decode()
    assert PERSON["applicant_name"] not in html and req.tracking_number in html
    response = client.get(f"/admin/disclosure/{req.pk}/identity/")
    assert response.status_code in (302, 403) and not hasattr(response, "streaming_content")
    client.force_login(officer)
    html = client.get(f"/admin/disclosure/{req.pk}/").content.decode()
    assert PERSON["applicant_name"] in html and PERSON["id_number"] in html


def test_admin_handling_page_actions(client, make_request, officer, seal):
    req = make_request()
    client.force_login(officer)
    url = f"/admin/disclosure/{req.pk}/"
    assert client.post(url, {"op": "claim"}).status_code == 302
    client.post(url, {"op": "extend", "days": "30", "approver": "x"})
    req.refresh_from_db()
    assert req.extension_days == 0  # refused with a message, not a 500
    client.post(url, {"op": "note", "body": "已核实"})
    client.post(url, {"op": "draft_reply", "outcome": "disclosed"})
    client.post(url, {"op": "send_reply"})
    req.refresh_from_db()
    assert req.status == "in_progress"  # 见附件 without a document: refused with a message
    upload = SimpleUploadedFile("清单.txt", "项目清单：月坛街道3个小区。".encode(), "text/plain")
    assert client.post(url, {"op": "add_document", "file": upload}).status_code == 302
    client.post(url, {"op": "send_reply"})
    req.refresh_from_db()
    assert req.status == "replied" and req.notes.count() == 1
    for bogus in [
        {"op": "nonsense"},
        {"op": "consult", "kind": "bad"},
        {"op": "correction", "due_date": "2024-99-99"},
    ]:
        assert client.post(url, bogus).status_code == 302


def test_staff_registration(client, make_request, officer, departments):
    client.force_login(officer)
    data = form_data(departments, channel="in_person", received_date="2024-09-27")
    data.pop("form_token")
    response = client.post("/admin/disclosure/register/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    req = DisclosureRequest.objects.get()
    assert (
        req.channel == "in_person" and req.received_date == D(2024, 9, 27) and req.deadline == D(2024, 10, 30)
    )
