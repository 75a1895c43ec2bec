"""A draft for comment from an uploaded Word file, clicked through in Chromium (issue 17, item 1): the drafter of
区发展改革委 uploads the .docx 征求意见稿 and its 起草说明, sees the preview of the parsed articles, publishes; a
visitor comments on 第三条 and downloads the original. axe finds no serious or critical violation on the screens.

Set GONGKAI_SHOTS=/some/dir to keep a screenshot of every step."""

from __future__ import annotations

import os

import pytest

from gongkai.documents.tests.conftest import docx_bytes
from tests.english import untagged_chinese

from .test_draft_files import REGULATION
from .test_walk_browser import Walk, people  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPLANATION = [
    "关于《北京市西城区促进楼宇经济高质量发展的若干措施（征求意见稿）》的起草说明",
    "一、起草背景",
    "为贯彻落实《北京市优化营商环境条例》，推动本区楼宇经济高质量发展，区发展改革委起草了本措施。",
    "二、主要内容",
    "本措施共三章六条，明确了总部企业奖励和楼宇改造补贴。",
]


def test_drafter_uploads_a_docx_draft_and_a_visitor_comments_on_article_three(
    browser_page,
    live_server,
    people,  # noqa: F811 (the fixture imported above)
    make_policy,
    monkeypatch,
    tmp_path,
):
    from gongkai.consultation.models import Comment, Consultation
    from gongkai.core import spam

    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)  # the visitor of a test types fast
    policy = make_policy(
        "北京市西城区促进楼宇经济高质量发展的若干措施", publish=False, actor=people["drafter"], body="草稿"
    )
    draft = tmp_path / "附件1：若干措施（征求意见稿）.docx"
    draft.write_bytes(docx_bytes(REGULATION))
    explanation = tmp_path / "附件2：起草说明.docx"
    explanation.write_bytes(docx_bytes(EXPLANATION))
    page = browser_page
    walk = Walk(page, live_server.url)

    # 1. The drafter uploads the Word draft and its 起草说明 (no text typed)
    walk.login("p_drafter")
    walk.goto("/admin/consultation/new/")
    page.select_option("#id_policy", str(policy.pk))
    page.set_input_files("#id_draft_file", str(draft))
    page.set_input_files("#id_explanation_file", str(explanation))
    page.fill("#id_contact", "010-83970000")
    walk.axe("admin create with files")
    walk.shot("drafter-upload")
    walk.submit(page.get_by_role("button", name="保存"))

    # 2. The preview: how many articles, their first lines, what was left out, before anything is public
    preview = page.locator("section.draft-preview")
    text = preview.inner_text()
    assert "征求意见稿预览（发布前请核对）" in text
    assert "公众可逐一发表意见的条款或段落 6 个" in text and "章节标题 3 个" in text
    assert "第三条" in text and "对新引进的总部企业，给予最高500万元一次性奖励。" in text
    assert "未计入征求意见稿" in text and "未公开，发布后供公众下载" in text
    walk.axe("admin preview")
    walk.shot("drafter-preview")
    folder = os.environ.get("GONGKAI_SHOTS")
    if folder:  # the admin scrolls inside its own frame: a picture of the preview itself
        preview.screenshot(path=os.path.join(folder, "02b-preview-section.png"))
    consultation = Consultation.objects.get()
    assert consultation.draft_file_name == draft.name
    assert consultation.explanation.startswith("关于《北京市西城区")
    # nothing public yet
    page.context.clear_cookies()
    assert walk.page.goto(live_server.url + f"/consultation/{consultation.pk}/").status == 404
    walk.login("p_drafter")
    walk.goto(f"/admin/consultation/{consultation.pk}/")
    walk.submit(page.get_by_role("button", name="发布征求意见"))
    assert "已发布" in page.content()

    # 3. A visitor reads the draft article by article and comments on 第三条
    page.context.clear_cookies()
    walk.goto("/consultation/")
    walk.submit(page.get_by_role("link", name=consultation.title).first)
    assert page.get_by_role("link", name="下载征求意见稿原件").count() == 1
    assert page.get_by_role("link", name="下载起草说明原件").count() == 1
    walk.axe("public draft with downloads")
    walk.shot("visitor-draft")
    walk.submit(page.get_by_role("link", name="对第三条发表意见"))
    page.fill("#id_text", "建议将总部企业奖励上限提高到1000万元。")
    walk.submit(page.get_by_role("button", name="提交意见"))
    assert "意见已提交" in page.content()
    comment = Comment.objects.get()
    assert comment.article == "第三条"
    assert consultation.units()[comment.unit_index].body.startswith("对新引进的总部企业")

    # 4. ... and downloads the original Word file
    walk.goto(f"/consultation/{consultation.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载征求意见稿原件").click()
    # (the name: the test server answers /media/ itself, without the project's Content-Disposition; the name
    # is checked through the project's view in test_draft_files.py)
    with open(download.value.path(), "rb") as fh:
        assert fh.read() == draft.read_bytes()
    walk.shot("visitor-downloaded")

    # 5. The same page on the English site: the download links in English, no untagged Chinese, no axe finding
    host = live_server.url.split("//", 1)[1].split(":", 1)[0]
    page.context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])
    walk.goto(f"/consultation/{consultation.pk}/")
    assert page.get_by_role("link", name="Download the original draft", exact=True).count() == 1
    assert untagged_chinese(page) == []
    walk.axe("public draft in English")
    walk.shot("visitor-english")
