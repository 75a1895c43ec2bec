"""Letters of the procedure: from editable templates, as .docx and a sealed PDF that verifies, numbered, sent,
on the timeline and in the ledger (台账)."""

import datetime
import io

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from openpyxl import load_workbook

from gongkai.core.samples import sample_upload
from gongkai.disclosure import actions, notices, seals, timeline
from gongkai.disclosure.ledger import ledger_xlsx
from gongkai.disclosure.models import DisclosureRequest, NoticeKind

D = datetime.date


def read(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages).replace("\n", "")


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_correction_notice_is_numbered_sealed_and_in_the_ledger(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    actions.request_correction(
        req,
        actor=officer,
        items="请写明所需信息的文号和形成时间",
        due_date=D(2024, 10, 25),
        day=D(2024, 9, 29),
    )
    notice = req.notices.get()
    assert notice.kind == NoticeKind.CORRECTION and notice.number == "XCFGW-BZ-2024-0001"
    assert notice.to_applicant and notice.recipient == req.applicant_name
    text = docx_text(read(notice.docx_file))
    assert "补正告知书" in text and "请写明所需信息的文号和形成时间" in text and "2024年10月25日" in text
    assert "第三十条" in text and req.tracking_number in text
    pdf = read(notice.pdf_file)
    assert "补正告知书" in pdf_text(pdf) and notice.number in pdf_text(pdf)
    result = seals.verify_pdf(pdf)
    assert result.ok and result.notice == notice and result.seal.department.code == "XCFGW"
    req.refresh_from_db()
    assert any(notice.number in line["text"] for line in req.deadline_ledger)
    events = timeline.for_request(req)
    assert any(e.kind == "notice" and notice.number in e.title for e in events)
    wb = load_workbook(io.BytesIO(ledger_xlsx(DisclosureRequest.objects.all())))
    ws = wb["依申请公开台账"]
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("补正告知书") + 1).value == notice.number
    assert [c.value for c in wb["文书登记"][2]][:3] == [notice.number, "补正告知书", req.tracking_number]


def test_numbers_run_per_department_kind_and_year(make_request, officer, seal):
    a = make_request(received=D(2024, 9, 27), information_title="第一件")
    b = make_request(
        received=D(2024, 9, 27), information_title="另外一件完全不同的信息", description="其他内容的描述"
    )
    actions.request_correction(a, actor=officer, items="x", due_date=D(2024, 10, 25), day=D(2024, 9, 29))
    actions.request_correction(b, actor=officer, items="y", due_date=D(2024, 10, 25), day=D(2024, 9, 30))
    actions.extend_deadline(
        make_request(received=D(2024, 9, 27), information_title="第三件不同", description="再一个描述"),
        actor=officer,
        days=10,
        approver="李主任",
        reason="需要调取档案",
        day=D(2024, 10, 10),
    )
    from gongkai.disclosure.models import Notice

    assert sorted(Notice.objects.values_list("number", flat=True)) == [
        "XCFGW-BZ-2024-0001",
        "XCFGW-BZ-2024-0002",
        "XCFGW-YQ-2024-0001",
    ]


def test_extension_notice_names_the_new_deadline(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    actions.extend_deadline(
        req, actor=officer, days=20, approver="李主任", reason="需要协调多个科室汇总", day=D(2024, 10, 25)
    )
    notice = req.notices.get(kind=NoticeKind.EXTENSION)
    text = docx_text(read(notice.docx_file))
    assert "需要协调多个科室汇总" in text and "延长20个工作日" in text
    assert "2024年10月30日" in text and "2024年11月27日" in text
    assert seals.verify_pdf(read(notice.pdf_file)).ok


def test_consultation_letters_third_party_with_receipt_and_agency(
    make_request, officer, seal, mailoutbox, django_capture_on_commit_callbacks
):
    req = make_request(received=D(2024, 9, 27))
    with django_capture_on_commit_callbacks(execute=True):
        third = actions.start_consultation(
            req,
            actor=officer,
            kind="third_party",
            party="北京某某科技有限公司",
            party_email="legal@example.com",
            sent_on=D(2024, 10, 8),
        )
    letter = third.notices.get()
    assert letter.kind == NoticeKind.CONSULT_THIRD_PARTY and letter.number.startswith("XCFGW-ZQ-2024-")
    assert not letter.to_applicant
    text = docx_text(read(letter.docx_file))
    assert "第三十二条" in text and "15个工作日" in text and "征求意见回执" in text and "不同意公开" in text
    # the third party never learns who asked
    for value in (req.applicant_name, req.id_number, req.phone, req.email):
        assert value not in text and value not in pdf_text(read(letter.pdf_file))
    party_mail = [m for m in mailoutbox if m.to == ["legal@example.com"]]
    assert len(party_mail) == 1 and party_mail[0].attachments[0][0] == f"{letter.number}.pdf"
    agency = actions.start_consultation(
        req, actor=officer, kind="agency", party="区财政局", sent_on=D(2024, 10, 8)
    )
    text = docx_text(read(agency.notices.get().docx_file))
    assert "第三十四条" in text and "视为同意公开" in text
    req.refresh_from_db()
    assert any(letter.number in line["text"] for line in req.deadline_ledger)


def test_third_party_answer_and_the_decision_to_disclose_anyway(make_request, officer, seal):

    req = make_request(received=D(2024, 9, 27))
    c = actions.start_consultation(
        req, actor=officer, kind="third_party", party="某公司", sent_on=D(2024, 10, 8)
    )
    with pytest.raises(ValidationError, match="只有第三方不同意公开"):
        actions.notify_third_party_of_disclosure(
            c, actor=officer, content="x", reason="y", day=D(2024, 10, 20)
        )
    with pytest.raises(ValidationError, match="理由"):
        actions.record_consultation_answer(c, actor=officer, answer="objection", day=D(2024, 10, 15))
    scan = sample_upload("回执.pdf", "同意公开")
    actions.record_consultation_answer(
        c, actor=officer, answer="objection", day=D(2024, 10, 15), summary="涉及商业秘密", document=scan
    )
    c.refresh_from_db()
    assert c.answer_document.name
    notice = actions.notify_third_party_of_disclosure(
        c, actor=officer, content="项目资金分配表", reason="涉及重大公共利益", day=D(2024, 10, 18)
    )
    text = docx_text(read(notice.docx_file))
    assert (
        "决定予以公开" in text
        and "项目资金分配表" in text
        and "涉及重大公共利益" in text
        and "六十日内" in text
    )
    assert notice.number.startswith("XCFGW-GZ-2024-")
    with pytest.raises(ValidationError, match="已发出"):
        actions.notify_third_party_of_disclosure(
            c, actor=officer, content="x", reason="y", day=D(2024, 10, 18)
        )


def test_notices_need_a_seal(make_request, officer):
    req = make_request(received=D(2024, 9, 27))
    with pytest.raises(ValidationError, match="电子印章"):
        actions.request_correction(
            req, actor=officer, items="x", due_date=D(2024, 10, 25), day=D(2024, 9, 29)
        )
    req.refresh_from_db()
    assert req.correction_notice_on is None and req.status == "in_progress"  # nothing half-written


def test_officer_edited_text_is_what_is_sent(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    actions.request_correction(
        req,
        actor=officer,
        items="文号",
        due_date=D(2024, 10, 25),
        day=D(2024, 9, 29),
        body="请补充文号。\n如有疑问请致电 010-66001234。",
    )
    text = docx_text(read(req.notices.get().docx_file))
    assert "请补充文号。" in text and "010-66001234" in text


def test_templates_are_editable_checked_and_audited(make_request, officer, seal, make_user):
    from gongkai.core import audit, roles

    office = make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="office")
    with pytest.raises(PermissionDenied):
        actions.save_notice_template("correction", actor=officer, body="x")
    for bad, message in [
        ("{% load static %}{{ items }}", "不能使用"),
        ("{% include 'x.html' %}", "不能使用"),
        ("{% debug %}", "不能使用"),
        ("{{ secret_key }}", "未定义的变量"),
        ("{% if items %}", "语法错误"),
        ("   ", "不能为空"),
    ]:
        with pytest.raises(ValidationError, match=message):
            actions.save_notice_template("correction", actor=office, body=bad)
    actions.save_notice_template(
        "correction",
        actor=office,
        body="申请{{ tracking_number }}请补正：{{ items }}，期限{{ correction_due }}。",
    )
    req = make_request(received=D(2024, 9, 27))
    actions.request_correction(req, actor=officer, items="文号", due_date=D(2024, 10, 25), day=D(2024, 9, 29))
    text = docx_text(read(req.notices.get().docx_file))
    assert f"申请{req.tracking_number}请补正：文号，期限2024年10月25日。" in text
    from gongkai.disclosure.models import NoticeTemplate

    assert (
        audit.entries_for(NoticeTemplate.objects.get(key="correction"))
        .filter(action="disclosure.template_save")
        .exists()
    )
    actions.reset_notice_template("correction", actor=office)
    assert notices.template_text("correction") == notices.TEMPLATES["correction"].default


def test_reply_templates_are_editable(make_request, officer, seal, admin_user):
    actions.save_notice_template(
        "reply.unavailable_not_held", actor=admin_user, body="经检索，本机关未制作或获取该信息。{{ reason }}"
    )
    req = make_request(received=D(2024, 9, 27))
    reply = actions.draft_reply(req, actor=officer, outcome="unavailable_not_held", reason="已查档案室。")
    assert "经检索，本机关未制作或获取该信息。已查档案室。" in reply.body


def test_every_template_default_passes_its_own_check():
    for key, spec in notices.TEMPLATES.items():
        assert notices.check_template(key, spec.default), key


def test_template_screens(client, admin_user, officer):
    client.force_login(admin_user)
    assert client.get("/admin/disclosure/templates/").status_code == 200
    url = "/admin/disclosure/templates/correction/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"op": "preview", "body": "请补正：{{ items }}"})
    assert response.status_code == 200 and "请补正：【需补正的事项】" in response.content.decode()
    response = client.post(url, {"op": "save", "body": "{% load x %}"}, follow=True)
    assert "不能使用" in response.content.decode()
    assert client.post(url, {"op": "save", "body": "请补正：{{ items }}"}).status_code == 302
    assert notices.template_text("correction") == "请补正：{{ items }}"
    assert client.get("/admin/disclosure/templates/nonexistent/").status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code in (
        302,
        403,
    )  # Wagtail turns PermissionDenied into a redirect + message
    assert client.post(url, {"op": "save", "body": "改掉"}).status_code in (302, 403)
    assert notices.template_text("correction") == "请补正：{{ items }}"


def test_preview_then_send_through_the_handling_page(client, make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    actions.claim_request(req, actor=officer)
    client.force_login(officer)
    url = f"/admin/disclosure/{req.pk}/"
    response = client.post(
        url, {"op": "preview_correction", "items": "写明文号", "due_date": "2024-10-25", "day": "2024-09-29"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "写明文号" in html and "第三十条" in html
    body = html.split('id="k-body" name="body" rows="6">')[1].split("</textarea>")[0]
    response = client.post(
        url,
        {
            "op": "correction",
            "items": "写明文号",
            "due_date": "2024-10-25",
            "day": "2024-09-29",
            "body": "已修改的正文：请写明文号。",
        },
    )
    assert response.status_code == 302 and body
    notice = req.notices.get()
    assert "已修改的正文" in notice.body
    html = client.get(url).content.decode()
    assert notice.number in html
    response = client.get(f"/admin/disclosure/{req.pk}/notice/{notice.pk}.pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
