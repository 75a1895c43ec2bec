"""Documents provided with a reply: scanned, redacted where needed (部分公开 delivers redacted copies with the
redaction record), delivered through signed links; the reply check asks for a reason on medium findings and
reports ID-shaped numbers with a wrong check digit as suspect."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import Workbook, load_workbook

from gongkai.core import audit
from gongkai.disclosure import actions, public
from gongkai.disclosure.models import ScanStatus
from gongkai.secrecy import scanner
from gongkai.secrecy.models import Redaction

from .conftest import png_bytes, provide

D = datetime.date
THIRD_ID = "110102198001011239"  # valid check digit
THIRD_ID_BAD = "110102198001011238"  # same number, wrong check digit
THIRD_PHONE = "13900001111"


def docx_upload(name="补偿名单.docx") -> SimpleUploadedFile:
    doc = Document()
    doc.add_paragraph("西城区2023年度老旧小区改造补偿名单")
    p = doc.add_paragraph("李四，身份证号")
    p.add_run(THIRD_ID[:6]).bold = True  # the number split over two runs: redaction must still find it
    p.add_run(THIRD_ID[6:] + "，补偿金额5万元。")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "联系电话"
    table.cell(0, 1).text = THIRD_PHONE
    doc.add_paragraph("资金来源：区财政专项资金（内部测算口径）。")
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile(
        name, out.getvalue(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            lines += [c.text for c in row.cells]
    return "\n".join(lines)


def read(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


@pytest.fixture
def draft(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    actions.claim_request(req, actor=officer)
    return actions.draft_reply(req, actor=officer, outcome="disclosed")


def test_upload_is_scanned_and_high_findings_block_until_redacted(draft, officer):
    doc = actions.add_released_file(draft, actor=officer, file=docx_upload())
    assert doc.scan_status == ScanStatus.FINDINGS and doc.original_sha256
    types = {(f["type"], f["severity"]) for f in doc.findings}
    assert ("resident_id", "high") in types and ("mobile", "medium") in types
    assert all(THIRD_ID not in str(f) and THIRD_PHONE not in str(f) for f in doc.findings)  # stored masked
    with pytest.raises(ValidationError, match="公民身份号码"):
        actions.send_reply(draft, actor=officer, day=D(2024, 10, 10))
    actions.redact_released_document(doc, actor=officer, reason="第三人个人信息")
    doc.refresh_from_db()
    text = docx_text(read(doc.redacted_file))
    assert THIRD_ID not in text and THIRD_PHONE not in text
    assert "110102********1239" in text and "139****1111" in text
    assert "西城区2023年度老旧小区改造补偿名单" in text  # the rest is untouched, layout kept (same runs)
    assert doc.scan_status == ScanStatus.REDACTED and doc.findings == []
    assert Redaction.objects.filter(object_type="disclosure.releaseddocument", object_id=str(doc.pk)).exists()
    reply = actions.send_reply(draft, actor=officer, day=D(2024, 10, 10))
    assert reply.status == "sent"


def test_partial_disclosure_delivers_redacted_copies_with_the_record(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    reply = actions.draft_reply(req, actor=officer, outcome="partial", reason="资金测算口径属于过程性信息")
    doc = actions.add_released_file(reply, actor=officer, file=docx_upload())
    with pytest.raises(ValidationError, match="区分处理"):
        actions.send_reply(reply, actor=officer, day=D(2024, 10, 10))
    actions.redact_released_document(
        doc,
        actor=officer,
        reason="第三人个人信息；过程性信息不予公开（第十六条）",
        withheld=["资金来源：区财政专项资金（内部测算口径）。"],
    )
    doc.refresh_from_db()
    text = docx_text(read(doc.redacted_file))
    assert "内部测算口径" not in text and "■■■■" in text
    kinds = [i["type"] for i in doc.redaction_items]
    assert "withheld" in kinds and "resident_id" in kinds
    assert all("内部测算口径" not in str(i) for i in doc.redaction_items)  # digests only
    reply = actions.send_reply(reply, actor=officer, day=D(2024, 10, 10))
    assert reply.redaction_record_file
    import pdfplumber

    with pdfplumber.open(io.BytesIO(read(reply.redaction_record_file))) as pdf:
        record = "".join(p.extract_text() or "" for p in pdf.pages).replace("\n", "")
    assert "区分处理及脱敏说明" in record and "第三十七条" in record and "不予公开的内容" in record
    links, _until = public.document_links(reply)
    titles = [t for t, _u in links]
    assert titles == ["补偿名单（脱敏件）", "区分处理及脱敏说明"]


def test_medium_findings_need_a_confirmation_with_a_reason(draft, officer):
    provide(
        draft, officer, name="联系表.txt", text=f"项目联系人电话：{THIRD_PHONE}，联系人为物业公司工作人员。"
    )
    with pytest.raises(ValidationError, match="确认理由"):
        actions.send_reply(draft, actor=officer, day=D(2024, 10, 10))
    blocking, confirmable = actions.reply_problems(draft)
    assert not blocking and any("手机号码" in p for p in confirmable)
    reply = actions.send_reply(
        draft, actor=officer, day=D(2024, 10, 10), confirm_reason="物业公司公开的服务电话，可以提供"
    )
    assert "物业公司公开的服务电话" in reply.release_confirmation
    entry = audit.entries_for(reply.request).filter(action="disclosure.release_confirmed").get()
    assert entry.note == "物业公司公开的服务电话，可以提供"


def test_third_party_phone_and_address_in_the_letter_need_confirmation(draft, officer):
    actions.edit_reply(
        draft,
        actor=officer,
        body=draft.body
        + f"\n经核实，第三人王五（电话{THIRD_PHONE}，住月坛北街25号院3号楼2单元301室）已同意。",
    )
    provide(draft, officer)
    blocking, confirmable = actions.reply_problems(draft)
    assert not blocking
    joined = "".join(confirmable)
    assert "手机号码" in joined and "详细住址" in joined and THIRD_PHONE not in joined


def test_applicant_own_data_is_not_a_finding(draft, officer):
    req = draft.request
    provide(
        draft,
        officer,
        name="本人材料.txt",
        text=f"申请人{req.applicant_name}，身份证{req.id_number}，电话{req.phone}",
    )
    doc = draft.documents.get()
    assert doc.scan_status == ScanStatus.CLEAN


def test_suspect_id_number_is_reported(draft, officer):
    assert (
        scanner.find_suspect_resident_ids(f"号码 {THIRD_ID_BAD} 见附件")[0].rule
        == "resident_id.suspect_check_digit"
    )
    assert scanner.find_suspect_resident_ids(f"号码 {THIRD_ID} 见附件") == []
    assert scanner.find_suspect_resident_ids("编号 999999198001011238") == []  # no such region code
    assert scanner.find_suspect_resident_ids("编号 110102198013011238") == []  # no 13th month
    actions.edit_reply(draft, actor=officer, body=draft.body + f"\n第三人证件号：{THIRD_ID_BAD}")
    provide(draft, officer)
    blocking, confirmable = actions.reply_problems(draft)
    assert not blocking and any("疑似身份证号码" in p and "校验位不符" in p for p in confirmable)


def test_unreadable_picture_needs_confirmation_or_a_manual_copy(draft, officer):
    doc = actions.add_released_file(
        draft, actor=officer, file=SimpleUploadedFile("现场照片.png", png_bytes(), "image/png")
    )
    assert doc.scan_status == ScanStatus.UNREADABLE
    with pytest.raises(ValidationError, match="无法自动脱敏"):
        actions.redact_released_document(doc, actor=officer, reason="x")
    blocking, confirmable = actions.reply_problems(draft)
    assert not blocking and any("无法读取文字" in p for p in confirmable)
    actions.upload_redacted_copy(
        doc,
        actor=officer,
        reason="人工遮盖车牌",
        file=SimpleUploadedFile("遮盖后.png", png_bytes(), "image/png"),
    )
    doc.refresh_from_db()
    assert doc.redacted_file and doc.delivered_file == doc.redacted_file


def test_spreadsheet_is_redacted_cell_by_cell(draft, officer):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "金额"])
    ws.append(["赵六", THIRD_ID, 5000])
    ws.append(["钱七", "无", 13900001111])
    out = io.BytesIO()
    wb.save(out)
    doc = actions.add_released_file(
        draft, actor=officer, file=SimpleUploadedFile("名单.xlsx", out.getvalue(), "application/octet-stream")
    )
    assert doc.scan_status == ScanStatus.FINDINGS
    actions.redact_released_document(doc, actor=officer, reason="第三人个人信息")
    doc.refresh_from_db()
    ws = load_workbook(io.BytesIO(read(doc.redacted_file))).active
    assert ws["B2"].value == "110102********1239" and ws["C2"].value == 5000
    assert ws["C3"].value == "139****1111"


def test_pdf_is_redacted_into_a_new_pdf(draft, officer):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from gongkai.disclosure.fonts import register_cjk_font

    font = register_cjk_font()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont(font, 12)
    c.drawString(72, 760, f"补偿对象身份证号：{THIRD_ID}")
    c.save()
    doc = actions.add_released_file(
        draft, actor=officer, file=SimpleUploadedFile("名单.pdf", out.getvalue(), "application/pdf")
    )
    assert any(f["type"] == "resident_id" for f in doc.findings)
    actions.redact_released_document(doc, actor=officer, reason="第三人个人信息")
    doc.refresh_from_db()
    import pdfplumber

    with pdfplumber.open(io.BytesIO(read(doc.redacted_file))) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert THIRD_ID not in text and "脱敏副本" in text


def test_link_to_a_published_policy(draft, officer, make_policy):
    policy = make_policy("关于老旧小区综合整治的实施意见")
    actions.add_released_policy(draft, actor=officer, policy=policy)
    with pytest.raises(ValidationError, match="已在附件中"):
        actions.add_released_policy(draft, actor=officer, policy=policy)
    hidden = make_policy("未发布的草稿文件", publish=False)
    with pytest.raises(ValidationError, match="已主动公开"):
        actions.add_released_policy(draft, actor=officer, policy=hidden)
    reply = actions.send_reply(draft, actor=officer, day=D(2024, 10, 10))
    links, _ = public.document_links(reply)
    assert links == [(policy.title, policy.get_absolute_url())]


def test_documents_cannot_change_after_sending(draft, officer):
    doc = provide(draft, officer)
    actions.send_reply(draft, actor=officer, day=D(2024, 10, 10))
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        provide(draft, officer)
    with pytest.raises(ValidationError):
        actions.remove_released_document(doc, actor=officer)


def test_hostile_uploads_are_refused(draft, officer):
    for name, data in [
        ("脚本.exe", b"MZ\x90\x00"),
        ("空.txt", b""),
        ("页面.html", b"<script>alert(1)</script>"),
    ]:
        with pytest.raises(ValidationError):
            actions.add_released_file(draft, actor=officer, file=SimpleUploadedFile(name, data, "text/plain"))
    assert not draft.documents.exists()


def test_delivery_through_signed_links_only(client, draft, officer):
    doc = actions.add_released_file(draft, actor=officer, file=docx_upload())
    actions.redact_released_document(doc, actor=officer, reason="第三人个人信息")
    # before sending, a forged or early token gives nothing
    token_url = public.download_url("document", doc.pk)
    assert client.get(token_url).status_code == 404
    actions.send_reply(draft, actor=officer, day=D(2024, 10, 10))
    response = client.get(public.download_url("document", doc.pk))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    text = docx_text(data)
    assert THIRD_ID not in text and text.count("110102********1239") == 1
    assert client.get("/disclosure/file/not-a-token/").status_code == 404
    # an expired link
    from django.core import signing

    expired = signing.dumps(["document", doc.pk, "", 1], salt=public.DOWNLOAD_SALT, compress=True)
    assert client.get(f"/disclosure/file/{expired}/").status_code == 404
    # the original is for staff only
    assert client.get(f"/admin/disclosure/{draft.request.pk}/document/{doc.pk}/original/").status_code == 302
