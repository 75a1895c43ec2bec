"""A draft for comment from an uploaded document (consultation/drafts.py): .docx, .pdf and .txt drafts in the
shapes government sites publish, broken, empty, huge and hostile files, the originals private before
publication and public after, comments anchored to the parsed articles."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from gongkai.consultation import drafts
from gongkai.documents.tests.conftest import docx_bytes, encrypted_pdf_bytes, pdf_bytes, scanned_pdf_bytes

# 征求意见稿 of a 措施 as a department attaches it to its notice: 附件1, the title, the status mark, chapters and
# articles with full-width spaces, items (一)(二) inside an article, the signature and date at the end.
REGULATION = [
    "附件1",
    "北京市西城区促进楼宇经济高质量发展的若干措施",
    "（征求意见稿）",
    "第一章　总　则",
    "第一条　为了推动本区楼宇经济高质量发展，根据《北京市优化营商环境条例》等规定，结合本区实际，制定本措施。",
    "第二条　本措施适用于在本区注册、纳税的楼宇企业和楼宇运营主体。",
    "第二章　支持措施",
    "第三条　对新引进的总部企业，给予最高500万元一次性奖励。",
    "第四条　对楼宇运营主体给予以下支持：",
    "（一）楼宇改造提升的，按投资额的30%给予补贴；",
    "（二）引进重点企业的，给予奖励。",
    "第三章　附　则",
    "第五条　本措施由区发展改革委负责解释。",
    "第六条　本措施自2025年1月1日起施行。",
    "北京市西城区发展和改革委员会",
    "2024年12月1日",
]

# A 工作要点 (plan) as a PDF: title, status mark, a preamble, 一、 headings with （一） items numbered across
# them, a page number at the foot.
PLAN = [
    "西城区2025年政务公开工作要点",
    "（征求意见稿）",
    "为深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署，结合本区实际，制定本要点。",
    "一、围绕优化营商环境，加强政策公开",
    "（一）加强政策文件集中公开。各部门要在政府网站集中公开现行有效的政策文件。",
    "（二）做好政策解读。坚持解读与文件同步起草、同步审签、同步发布。",
    "二、围绕保障和改善民生，加强信息公开",
    "（三）推进社会救助信息公开。",
    "三、加强政务公开平台建设",
    "（四）优化政府网站集约化平台。",
    "— 1 —",
]


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def read(name, data, **kwargs):
    return drafts.read_upload(upload(name, data), **kwargs)


# --- reading the shapes that are published -------------------------------------------------------------------


def test_docx_regulation_with_chapters_and_articles(db):
    result = read("附件1：若干措施（征求意见稿）.docx", docx_bytes(REGULATION))
    assert result.extension == "docx"
    assert result.title == "北京市西城区促进楼宇经济高质量发展的若干措施"
    lines = result.text.split("\n")
    assert lines[0] == "第一章总则" and lines[-1].startswith("第六条")
    assert "（征求意见稿）" not in result.text and "2024年12月1日" not in result.text
    assert "附件1" in result.notes[0] and "发展和改革委员会" in result.notes[0]
    from gongkai.policies.diff import parse_units

    units = parse_units(result.text)
    assert [u.key for u in units if u.kind == "article"] == [f"第{n}条" for n in "一二三四五六"]
    assert [u.key for u in units if u.kind == "heading"] == ["第一章", "第二章", "第三章"]
    article4 = next(u for u in units if u.key == "第四条")
    assert "（一）楼宇改造提升" in article4.body and "（二）" in article4.body  # items stay in their article
    assert drafts.draft_warnings(result.text) == []


def test_pdf_plan_with_headings_and_items(db):
    result = read("工作要点.pdf", pdf_bytes(PLAN))
    assert result.title == "西城区2025年政务公开工作要点"
    assert "— 1 —" not in result.text and "（征求意见稿）" not in result.text
    from gongkai.policies.diff import parse_units

    units = parse_units(result.text)
    assert units[0].kind == "paragraph" and units[0].body.startswith("为深入贯彻落实")
    assert [u.key for u in units if u.kind == "section"] == [
        "一、", "（一）", "（二）", "二、", "（三）", "三、", "（四）"
    ]  # fmt: skip
    assert any("PDF 的文字取自文字层" in note for note in result.notes)
    assert drafts.draft_warnings(result.text) == []  # （一）… numbered across the headings is normal


def test_txt_in_gb18030_with_hard_line_breaks(db):
    text = (
        "北京市西城区老旧小区综合整治管理办法\n（征求意见稿）\n\n第一条 为了规范老旧小区综合整治工作，根据有关规定，\n"
        "结合本区实际，制定本办法。\n\n第二条 本办法适用于本区行政区域内的老旧小区综合整治。\n\n第三条 区住房城市建设委负责"
        "统筹协调。\n"
    )
    result = read("管理办法.txt", text.encode("gb18030"))
    from gongkai.policies.diff import parse_units

    units = parse_units(result.text)
    assert [u.key for u in units] == ["第一条", "第二条", "第三条"]
    assert "根据有关规定，结合本区实际" in units[0].body  # the hard line break is undone
    assert result.title == "北京市西城区老旧小区综合整治管理办法"


def test_a_draft_of_articles_only_keeps_everything(db):
    result = read("a.txt", "第一条 为了规范管理，制定本办法。\n第二条 本办法自发布之日起施行。".encode())
    assert result.text.startswith("第一条") and result.notes == []


@pytest.mark.parametrize(
    "text",
    [
        "一、总体要求\n（一）甲。\n（二）乙。\n二、重点任务\n（一）丙。\n（二）丁。",  # restart under each heading
        "一、总体要求\n（一）甲。\n二、重点任务\n（一）丙。\n三、保障\n（一）丁。",  # one item per heading
        "一、总体要求\n（一）甲。\n（二）乙。\n二、重点任务\n（三）丙。",  # run on
    ],
)
def test_item_numbering_of_plans_is_not_flagged(text):
    assert drafts.draft_warnings(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第一条 甲。\n第二条 乙。\n第四条 丁。", "条编号不连续：“第二条”之后是“第四条”"),
        ("第一条 甲。\n第二条 乙。\n第二条 丙。", "条编号重复：第二条"),
        ("第一章 总则\n第一条 甲。\n第三章 附则\n第二条 乙。", "章编号不连续：“第一章”之后是“第三章”"),
        ("一、总体要求\n（一）甲。\n三、保障措施\n（二）乙。", "一级标题编号不连续：“一、”之后是“三、”"),
        (
            "一、总体要求\n（一）甲。\n二、重点任务\n（二）乙。\n（四）丁。",
            "二级标题编号不连续：“（二）”之后是“（四）”",
        ),
        (
            "一、总体要求\n（一）甲。\n（二）乙。\n二、重点任务\n（一）丙。\n（一）丁。",
            "二级标题编号重复：（一）",
        ),
        ("本办法规定了管理要求。\n各单位遵照执行。", "没有识别出条款编号"),
        ("第一条 " + "很长的条文。" * 600, "很长"),
        ("第一条 补贴标准如下：\n序号｜项目｜金额", "表格已按行转为文字"),
        ("第一条 甲。\n关于《西城区若干措施》的起草说明\n一、起草背景", "含有“起草说明”"),
    ],
)
def test_structure_warnings_in_chinese(text, expected):
    warnings = drafts.draft_warnings(text)
    assert any(expected in w for w in warnings), warnings


# --- broken, empty, huge and hostile files ------------------------------------------------------------------


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx_with_document(xml: bytes) -> bytes:
    """A real .docx whose word/document.xml is replaced."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(["第一条 甲。"])))
    parts = {name: source.read(name) for name in source.namelist()}
    parts["word/document.xml"] = xml
    return _zip(parts)


ZIP_BOMB_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>' + b"A" * (60 * 1024 * 1024) + b"</w:t></w:r></w:p>"
    b"</w:body></w:document>"
)
XXE_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    + "<w:t>第一条 &x;</w:t></w:r></w:p></w:body></w:document>".encode()
)
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("空文件.docx", b"", "空文件"),
        ("空白.txt", b"   \n\n  ", "文件是空的"),
        (
            "网页.docx",
            b"<html><body><script>alert(1)</script>\xe7\xac\xac</body></html>",
            "不是真正的 Word 文件",
        ),
        ("伪装.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "不是真正的 PDF 文件"),
        ("旧版.docx", OLE_HEADER, "不是真正的 Word 文件"),
        ("程序.exe", b"MZ\x90\x00" * 100, "不支持的文件类型"),
        ("网页.html", "<html><body>第一条</body></html>".encode(), "不支持的文件类型"),
        ("坏的.docx", _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<not xml"}), "已损坏"),
        ("扫描件.pdf", None, "扫描件"),
        ("加密.pdf", None, "已加密"),
        ("炸弹.docx", None, "解压后超过 50 MB"),
        ("二进制.txt", b"\x00\x01\x02\x03" * 100, "不是真正的 文本 文件"),
    ],
)
def test_unreadable_files_are_refused_in_chinese(db, name, data, message):
    if name == "扫描件.pdf":
        data = scanned_pdf_bytes()
    elif name == "加密.pdf":
        data = encrypted_pdf_bytes(["第一条 甲。"])
    elif name == "炸弹.docx":
        data = _docx_with_document(ZIP_BOMB_XML)
        assert len(data) < 1024 * 1024  # small on the wire
    with pytest.raises(ValidationError) as error:
        read(name, data)
    assert message in " ".join(error.value.messages), error.value.messages


def test_xml_entities_of_a_docx_are_not_resolved(db):
    result = read("外部实体.docx", _docx_with_document(XXE_XML))
    assert "root:" not in result.text and result.text.startswith("第一条")


def test_huge_file_and_huge_text(db):
    with override_settings(GONGKAI_UPLOAD_LIMITS={"consultation.draft": 1024}):
        with pytest.raises(ValidationError) as error:
            read("大文件.txt", ("第一条 " + "甲" * 2000).encode())
        assert "不能超过" in error.value.messages[0] and "MB" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        read("长文本.txt", ("第一条 " + "甲乙丙丁。" * 50_000).encode())
    assert "文字过多" in error.value.messages[0] and "200000" in error.value.messages[0]


def test_pdf_with_too_many_pages(db, monkeypatch):
    monkeypatch.setattr(drafts, "MAX_PDF_PAGES", 2)
    with pytest.raises(ValidationError) as error:
        read("很长.pdf", pdf_bytes([f"第{n}条 甲。" for n in range(1, 5)], lines_per_page=1))
    assert "共 4 页" in error.value.messages[0]


def test_hostile_file_name_is_made_safe(db):
    result = read("../../etc/第一条<script>.txt", "第一条 甲。".encode())
    assert "/" not in result.name and "<" not in result.name and result.name.endswith(".txt")


# --- the staff screens ----------------------------------------------------------------------------------------


def _form(policy, **extra):
    today = timezone.localdate()
    data = {
        "policy": policy.pk,
        "title": "",
        "explanation": "为推动楼宇经济发展，起草了本措施。",
        "draft_text": "",
        "start_date": today.isoformat(),
        "end_date": (today + timezone.timedelta(days=29)).isoformat(),
        "short_period_reason": "",
        "contact": "010-83970000",
    }
    data.update(extra)
    return data


def _private_path(field_file):
    from django.conf import settings

    return field_file.path.startswith(str(settings.GONGKAI_PRIVATE_MEDIA_ROOT))


def test_upload_preview_publish_and_download(draft_policy, staff, client, comment_post):
    from gongkai.core.audit import entries_for
    from gongkai.core.models import PublicFile

    client.force_login(staff["drafter"])
    docx = docx_bytes(REGULATION)
    response = client.post(
        "/admin/consultation/new/",
        _form(
            draft_policy,
            explanation="",
            draft_file=upload("附件1：若干措施（征求意见稿）.docx", docx),
            explanation_file=upload(
                "起草说明.txt", "关于《若干措施》的起草说明\n一、起草背景\n为落实有关要求。".encode()
            ),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    c = draft_policy.consultations.get()
    assert c.draft_text.startswith("第一章总则") and "第三条对新引进的总部企业" in c.draft_text
    assert c.explanation.startswith("关于《若干措施》的起草说明")  # read from the file: none was typed
    assert c.draft_file_name == "附件1：若干措施（征求意见稿）.docx" and _private_path(c.draft_file)
    with c.draft_file.open("rb") as fh:
        assert fh.read() == docx
    actions_done = {e.action for e in entries_for(c)}
    assert {"consultation.create", "consultation.draft_file", "consultation.explanation_file"} <= actions_done

    # the preview: counts, first lines, the header left out, in Chinese
    page = client.get(f"/admin/consultation/{c.pk}/").content.decode()
    assert "征求意见稿预览（发布前请核对）" in page
    assert "公众可逐一发表意见的条款或段落 6 个：条 6" in page and "章节标题 3 个" in page
    assert "对新引进的总部企业，给予最高500万元一次性奖励。" in page
    assert "未计入征求意见稿" in page and "未发现编号不连续" in page
    # staff of the department open the private original; another department and the public do not
    staff_link = c.draft_file.url
    response = client.get(staff_link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == docx
    client.force_login(staff["other"])
    assert client.get(staff_link).status_code in (302, 403)  # Wagtail turns a refusal into a redirect
    assert client.get(f"/admin/consultation/{c.pk}/").status_code == 404
    client.logout()
    assert client.get(staff_link).status_code in (302, 403)

    # private before publication: no public copy, no page
    assert not PublicFile.objects.filter(owner_id=str(c.pk), owner_type="consultation.consultation").exists()
    assert client.get(f"/consultation/{c.pk}/").status_code == 404

    client.force_login(staff["drafter"])
    client.post(f"/admin/consultation/{c.pk}/", {"action": "publish"})
    c.refresh_from_db()
    assert c.status == "published"
    client.logout()
    page = client.get(f"/consultation/{c.pk}/").content.decode()
    assert "下载征求意见稿原件" in page and "下载起草说明原件" in page
    rows = {row.download_name: row for row in PublicFile.objects.filter(owner_id=str(c.pk))}
    draft_row = rows["附件1：若干措施（征求意见稿）.docx"]
    assert draft_row.public_name in page
    download = client.get(f"/media/{draft_row.public_name}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == docx
    assert download["Content-Disposition"].startswith("attachment")
    assert "filename*=UTF-8''%E9%99%84%E4%BB%B61" in download["Content-Disposition"]  # 附件1…
    assert download["X-Content-Type-Options"] == "nosniff"

    # a visitor comments on 第三条: anchored to the parsed article, shown under it once published
    units = c.units()
    third = next(i for i, u in enumerate(units) if u.key == "第三条")
    assert client.get(f"/consultation/{c.pk}/comment/?unit={third}").status_code == 200
    response = comment_post(c, unit=str(third), text="建议把奖励上限提高到1000万元。")
    assert response.status_code == 302
    comment = c.comments.get()
    assert comment.unit_index == third and comment.article == "第三条"
    from gongkai.consultation import actions

    actions.publish_comment(comment, actor=staff["drafter"])
    page = client.get(f"/consultation/{c.pk}/").content.decode()
    block = page.split(f'id="unit-{third}"', 1)[1].split('class="draft-unit"', 1)[0]
    assert "提高到1000万元" in block


def test_a_bad_file_loses_nothing_typed(draft_policy, staff, client):
    client.force_login(staff["drafter"])
    response = client.post(
        "/admin/consultation/new/",
        _form(draft_policy, title="我的标题", draft_file=upload("扫描件.pdf", scanned_pdf_bytes())),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "扫描件" in page and "文字识别" in page
    assert "我的标题" in page and "为推动楼宇经济发展，起草了本措施。" in page and "010-83970000" in page
    assert "请重新选择要上传的文件" in page
    alert = page.split("请重新选择要上传的文件", 1)[1].split("</div>", 1)[0]
    assert "上传征求意见稿（选填）：" in alert and "扫描件" in alert  # the file's error at the top too
    assert not draft_policy.consultations.exists()


def test_file_and_pasted_text_together_are_refused(draft_policy, staff, client):
    client.force_login(staff["drafter"])
    response = client.post(
        "/admin/consultation/new/",
        _form(
            draft_policy, draft_text="第一条 粘贴的。", draft_file=upload("a.txt", "第一条 文件的。".encode())
        ),
    )
    assert "征求意见稿以文件为准" in response.content.decode()
    assert not draft_policy.consultations.exists()


def test_edit_replace_and_remove_the_original(
    draft_policy, staff, client, django_capture_on_commit_callbacks
):
    from gongkai.consultation import actions

    c = actions.create_consultation(actor=staff["drafter"], policy=draft_policy, explanation="说明")
    client.force_login(staff["drafter"])
    edit = f"/admin/consultation/{c.pk}/edit/"
    assert "更换征求意见稿文件" in client.get(edit).content.decode()
    data = _form(draft_policy, draft_text=c.draft_text)
    data.pop("policy")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {**data, "draft_file": upload("一.txt", "第一条 第一版。".encode())})
    assert response.status_code == 302
    c.refresh_from_db()
    first = c.draft_file.name
    assert c.draft_text == "第一条第一版。"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit,
            {
                **data,
                "draft_text": c.draft_text,
                "draft_file": upload("二.docx", docx_bytes(["第一条 第二版。"])),
            },
        )
    c.refresh_from_db()
    assert c.draft_text == "第一条第二版。" and c.draft_file_name == "二.docx"
    assert not c.draft_file.storage.exists(first)  # the replaced original is deleted after commit
    client.post(edit, {**data, "draft_text": "第一条 第二版，手工改过。"})
    c.refresh_from_db()
    assert c.draft_file and drafts.HAND_EDITED_NOTE in c.draft_file_notes
    assert "手工改动" in client.get(f"/admin/consultation/{c.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {**data, "draft_text": c.draft_text, "remove_draft_file": "on"})
    c.refresh_from_db()
    assert not c.draft_file and c.draft_text == "第一条 第二版，手工改过。"  # the text stays
    assert c.draft_file_notes == []
    actions.publish_consultation(c, actor=staff["drafter"])
    response = client.get(edit, follow=True)
    assert "已发布的意见征集不能修改" in response.content.decode()


def test_published_consultation_refuses_new_files(open_consultation, staff):
    with pytest.raises(ValidationError):
        drafts.update_consultation_with_files(
            open_consultation, actor=staff["drafter"], draft_original=read("a.txt", "第一条 甲。".encode())
        )


def test_script_in_an_uploaded_draft_is_text(draft_policy, staff, client):
    from gongkai.consultation import actions

    with pytest.raises(ValidationError):  # a .txt that is a web page is refused by the upload validator
        read("网页.txt", "第一条 甲。\n<script>alert(1)</script>".encode())
    hostile = "第一条 甲。\n第二条 比较 a<b 与 <img src=x onerror=alert(2)> 的显示。"
    c = drafts.create_consultation_from_files(
        actor=staff["drafter"],
        policy=draft_policy,
        explanation="说明",
        draft_original=read("恶意.txt", hostile.encode()),
    )
    actions.publish_consultation(c, actor=staff["drafter"])
    page = client.get(f"/consultation/{c.pk}/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page


def test_withdrawn_from_public_when_unpublished(open_consultation, staff):
    """The public copies follow the status: set back to draft (as a data fix would), they are removed."""
    from django.core.files.base import ContentFile

    from gongkai.core.models import PublicFile

    open_consultation.draft_file.save("a.txt", ContentFile("第一条 甲。".encode()), save=True)
    assert PublicFile.objects.filter(source_name=open_consultation.draft_file.name).exists()
    open_consultation.status = "draft"
    open_consultation.save()
    assert not PublicFile.objects.filter(source_name=open_consultation.draft_file.name).exists()


def test_upload_demo_is_idempotent_and_offers_the_originals(departments, seeded_calendar, client):
    from gongkai.consultation.demo_upload import load_upload_demo
    from gongkai.consultation.models import Consultation
    from gongkai.portal.tests.test_english import english_client

    assert "上传的 Word 文件" in load_upload_demo()
    assert load_upload_demo() == "已存在"
    c = Consultation.objects.get()
    assert c.is_open() and c.draft_file_name.endswith("（征求意见稿）.docx")
    assert [u.key for u in c.units() if u.kind == "section"][:2] == ["一、", "（一）"]
    assert c.explanation.startswith("关于《西城区2026年政务公开工作要点")
    page = client.get(c.get_absolute_url()).content.decode()
    assert "下载征求意见稿原件" in page and "下载起草说明原件" in page
    english = english_client().get(c.get_absolute_url()).content.decode()
    assert "Download the original draft" in english and "Download the original drafting notes" in english
