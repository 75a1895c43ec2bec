"""Every outcome produces a letter (.docx and sealed PDF); the seal verifies; tampered PDFs fail."""

import datetime
import io

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from docx import Document

from gongkai.disclosure import actions, seals
from gongkai.disclosure.models import RequestStatus
from gongkai.disclosure.outcomes import (
    ATTACHMENT_REQUIRED,
    REASON_REQUIRED,
    REDACTION_REQUIRED,
    RULES,
    Outcome,
)

from .conftest import provide

D = datetime.date


def read(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


def _prepare(req, officer, outcome):
    if outcome == Outcome.OTHER_NO_CORRECTION:
        actions.request_correction(
            req, actor=officer, items="请写明文号", due_date=D(2024, 10, 20), day=D(2024, 9, 29)
        )
    if outcome == Outcome.OTHER_FEE_UNPAID:
        req.fee_notice_on = D(
            2024, 10, 8
        )  # fee notices need 11 requests a month; the clock part is tested elsewhere
        req.save(update_fields=["fee_notice_on"])
    kwargs = {}
    if outcome in REASON_REQUIRED or outcome.startswith("withheld"):
        kwargs["reason"] = "具体理由见说明"
    if outcome == Outcome.ALREADY_PUBLISHED:
        kwargs["links"] = ["西城区政府网站 政策文件栏目 http://example.gov.cn/p/1"]
    return kwargs


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_produces_a_sealed_letter(outcome, make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27), information_title=f"信息-{outcome}")
    kwargs = _prepare(req, officer, outcome)
    reply = actions.draft_reply(req, actor=officer, outcome=outcome, **kwargs)
    if outcome in ATTACHMENT_REQUIRED:
        doc = provide(reply, officer)
        if outcome in REDACTION_REQUIRED:
            actions.redact_released_document(
                doc, actor=officer, reason="资金安排涉及未公开的过程性信息", withheld=["资金1200万元"]
            )
    assert RULES[outcome].ground in reply.body
    assert "六十日内" in reply.body and "六个月内" in reply.body
    actions.edit_reply(reply, actor=officer, body=reply.body + "\n联系人：王办，电话 010-12345678。")
    reply = actions.send_reply(reply, actor=officer, day=D(2024, 10, 10))
    req.refresh_from_db()
    assert req.status == RequestStatus.REPLIED and req.outcome == outcome
    assert reply.reply_number.endswith("-2024-0001")
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(read(reply.docx_file))).paragraphs)
    assert RULES[outcome].ground in docx_text and "联系人：王办" in docx_text
    pdf_bytes = read(reply.pdf_file)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        images = sum(len(page.images) for page in pdf.pages)
    assert "答复告知书" in text.replace("\n", "") and images >= 1  # the visible seal
    result = seals.verify_pdf(pdf_bytes)
    assert result.ok, result.message
    with pytest.raises(ValidationError):
        actions.edit_reply(reply, actor=officer, body="改")


def test_reason_required_and_preconditions(make_request, officer):
    req = make_request()
    with pytest.raises(ValidationError):
        actions.draft_reply(req, actor=officer, outcome=Outcome.PARTIAL)
    with pytest.raises(ValidationError):
        actions.draft_reply(req, actor=officer, outcome=Outcome.OTHER_NO_CORRECTION)
    with pytest.raises(ValidationError):
        actions.draft_reply(req, actor=officer, outcome=Outcome.ALREADY_PUBLISHED)
    with pytest.raises(ValueError):
        actions.draft_reply(req, actor=officer, outcome="made_up")


def test_send_without_seal_is_refused(make_request, officer):
    req = make_request()
    reply = actions.draft_reply(req, actor=officer, outcome=Outcome.UNAVAILABLE_NOT_HELD)
    with pytest.raises(ValidationError, match="电子印章"):
        actions.send_reply(reply, actor=officer)


@pytest.fixture
def signed(make_request, officer, seal):
    req = make_request()
    reply = actions.draft_reply(req, actor=officer, outcome=Outcome.DISCLOSED)
    provide(reply, officer)
    reply = actions.send_reply(reply, actor=officer, day=D(2024, 10, 10))
    return reply, read(reply.pdf_file)


def test_tampered_pdf_fails(signed):
    _reply, data = signed
    assert seals.verify_pdf(data).ok
    # change one byte inside the signed content (the page stream of the letter)
    pos = data.index(b"stream") + 20
    tampered = data[:pos] + bytes([data[pos] ^ 0x01]) + data[pos + 1 :]
    result = seals.verify_pdf(tampered)
    assert not result.ok


def test_appended_update_fails(signed):
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    _reply, data = signed
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    info = writer.root
    info[NameObject("/Lang")] = TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    result = seals.verify_pdf(out.getvalue())
    assert not result.ok


def test_foreign_signature_and_garbage_fail(signed, departments, admin_user):
    from gongkai.disclosure.models import DepartmentSeal

    reply, data = signed
    # signed again by a key the platform never registered
    stranger = actions.generate_department_seal(departments["区财政局"], actor=admin_user)
    resigned = seals.sign_pdf(data, stranger, field_name="Second")
    DepartmentSeal.objects.filter(pk=stranger.pk).delete()
    assert not seals.verify_pdf(resigned).ok
    for junk in [b"", b"not a pdf", b"%PDF-1.7\n" + b"\x00" * 1000, data[: len(data) // 2]]:
        assert not seals.verify_pdf(junk).ok


def test_rotated_seal_still_verifies_old_letters(signed, departments, admin_user):
    reply, data = signed
    actions.generate_department_seal(departments["区发展改革委"], actor=admin_user)
    assert seals.verify_pdf(data).ok


def test_only_administrator_manages_seals(departments, officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.generate_department_seal(departments["区发展改革委"], actor=officer)


def test_verify_page(client, signed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    reply, data = signed
    response = client.post(
        "/disclosure/verify/", {"pdf": SimpleUploadedFile("r.pdf", data, "application/pdf")}
    )
    assert response.status_code == 200 and "验证通过" in response.content.decode()
    bad = data.replace(b"/Producer", b"/Producex", 1)
    response = client.post(
        "/disclosure/verify/", {"pdf": SimpleUploadedFile("r.pdf", bad, "application/pdf")}
    )
    assert "验证未通过" in response.content.decode()
    response = client.post("/disclosure/verify/", {"reply_number": reply.reply_number})
    assert reply.pdf_sha256 in response.content.decode()
    response = client.post("/disclosure/verify/", {"reply_number": "NOPE-1"})
    assert "没有该编号" in response.content.decode()
    response = client.post("/disclosure/verify/", {})
    assert response.status_code == 400 and "请填写答复编号或上传" in response.content.decode()
    response = client.get(f"/api/v1/disclosure/replies/{reply.reply_number}")
    assert response.status_code == 200 and response.json()["pdf_sha256"] == reply.pdf_sha256


def test_confidentiality_scan_blocks_sending_until_redacted(make_request, officer, seal):
    """The secrecy app's scan is wired in as a release check: a third party's ID number in the letter blocks it;
    the applicant's own data does not."""
    req = make_request()
    reply = actions.draft_reply(req, actor=officer, outcome=Outcome.DISCLOSED)
    provide(reply, officer)
    clean_body = reply.body
    actions.edit_reply(reply, actor=officer, body=clean_body + "\n附：第三人身份证号 110102198001011239")
    with pytest.raises(ValidationError, match="公民身份号码"):
        actions.send_reply(reply, actor=officer)
    req.refresh_from_db()
    assert req.status != RequestStatus.REPLIED
    actions.edit_reply(
        reply, actor=officer, body=clean_body + f"\n申请人身份证号：{req.id_number}，电话：{req.phone}"
    )
    assert actions.send_reply(reply, actor=officer).status == "sent"
