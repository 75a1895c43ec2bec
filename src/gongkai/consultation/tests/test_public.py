"""The public side: comment on an article through the form (hostile, huge, empty input), published comments under
their article, personal data never public (page, API, feed), cached pages without cookies, the API and the feed."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.consultation import actions
from gongkai.consultation.models import Comment, CommentStatus, Disposition

from .conftest import add_comment, old_token

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
MOBILE = "13912345678"


def test_comment_on_an_article_through_the_form(open_consultation, comment_post, client):
    page = client.get(f"/consultation/{open_consultation.pk}/comment/?unit=1").content.decode()
    assert 'value="1" selected' in page
    response = comment_post(
        open_consultation, unit="1", text="第二条的奖励标准建议明确。", name="张三", contact=MOBILE
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.unit_index, comment.article, comment.status) == (1, "第二条", CommentStatus.PENDING)
    assert comment.contact == MOBILE and not comment.show_name
    assert comment.moderation_due > timezone.localdate()
    # waiting for moderation: not public yet
    assert "奖励标准建议明确" not in client.get(open_consultation.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": ""}, "必需字段"),
        ({"text": "   \n\t  "}, "必需字段"),
        ({"text": "长" * 5001}, "5000"),
        ({"text": "正常意见", "unit": "999"}, "选择一个有效的选项"),
        ({"text": "正常意见", "unit": "-1"}, "选择一个有效的选项"),
        ({"text": "正常意见", "unit": "abc"}, "选择一个有效的选项"),
        ({"text": "正常意见", "name": "名" * 51}, "50"),
        ({"text": "正常意见", "website": "http://spam"}, "未通过检查"),
        ({"text": "正常意见", "form_token": "forged"}, "表单已过期"),
    ],
)
def test_bad_comment_input_gets_a_chinese_error_and_nothing_is_stored(
    open_consultation, comment_post, data, message
):
    response = comment_post(open_consultation, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_comment_form_keeps_what_was_typed_after_an_error(open_consultation, comment_post):
    response = comment_post(open_consultation, text="我的意见很重要", name="名" * 51)
    assert "我的意见很重要" in response.content.decode()


def test_comment_rate_limit(open_consultation, comment_post, settings):
    settings.GONGKAI_RATE_LIMITS = {"consultation.comment": [2, 3600]}
    assert comment_post(open_consultation, text="一").status_code == 302
    assert comment_post(open_consultation, text="二").status_code == 302
    response = comment_post(open_consultation, text="三")
    assert response.status_code == 429 and "提交次数过多" in response.content.decode()
    assert Comment.objects.count() == 2


def test_closed_consultation_refuses_comments(closed_consultation, comment_post):
    response = comment_post(closed_consultation, text="迟到")
    assert response.status_code == 410 and "不在征求意见期内" in response.content.decode()


def test_hostile_text_is_shown_as_text(open_consultation, staff, client):
    comment = add_comment(
        open_consultation, text="<script>alert(1)</script><img src=x onerror=alert(2)>", unit=0
    )
    actions.publish_comment(comment, actor=staff["drafter"])
    page = client.get(open_consultation.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_sensitive_words_flag_a_comment_for_staff(open_consultation, staff, client):
    actions.add_sensitive_word("代开发票", actor=staff["office"], note="广告")
    comment = add_comment(open_consultation, text="专业代开发票，联系我")
    assert comment.sensitive_words == "代开发票"
    assert comment.status == CommentStatus.PENDING
    client.force_login(staff["drafter"])
    assert "代开发票" in client.get(f"/admin/consultation/comments/{comment.pk}/").content.decode()


def test_personal_data_never_public(open_consultation, staff, client):
    """Contact never shown; the name only with consent; an ID number blocks publication until redacted, and the
    original stays for staff only — on the page, in the API and in the feed."""
    c = open_consultation
    secret_name = "李秘密"
    comment = add_comment(
        c, text=f"我的身份证号{ID_NUMBER}，建议放宽条件。", name=secret_name, contact=MOBILE, unit=1
    )
    assert comment.scan_level == "high"
    with pytest.raises(ValidationError, match="请先脱敏"):
        actions.publish_comment(comment, actor=staff["drafter"])
    actions.redact_comment(comment, actor=staff["drafter"], reason="含身份证号")
    comment.refresh_from_db()
    assert ID_NUMBER not in comment.text and ID_NUMBER in comment.original_text
    actions.publish_comment(comment, actor=staff["drafter"])
    named = add_comment(
        c, text="同意草案", name="王公开", show_name=True, contact="wang@example.com", unit=None
    )
    actions.publish_comment(named, actor=staff["drafter"])
    pages = [
        client.get(c.get_absolute_url()).content.decode(),
        client.get("/consultation/").content.decode(),
        client.get("/consultation/feed/").content.decode(),
        json.dumps(client.get("/api/v1/consultations").json(), ensure_ascii=False),
        json.dumps(client.get(f"/api/v1/consultations/{c.pk}").json(), ensure_ascii=False),
    ]
    for text in pages:
        assert ID_NUMBER not in text
        assert MOBILE not in text and "wang@example.com" not in text
        assert secret_name not in text
    assert "建议放宽条件" in pages[0] and "王公开" in pages[0] and "匿名" in pages[0]
    assert "建议放宽条件" in pages[4]
    # staff of the department see name, contact and original
    client.force_login(staff["drafter"])
    admin_page = client.get(f"/admin/consultation/comments/{comment.pk}/").content.decode()
    assert MOBILE in admin_page and secret_name in admin_page and ID_NUMBER in admin_page
    # another department's staff see nothing of it
    client.force_login(staff["other"])
    assert client.get(f"/admin/consultation/comments/{comment.pk}/").status_code == 404


def test_medium_finding_needs_confirmation(open_consultation, staff):
    comment = add_comment(open_consultation, text=f"请联系我{MOBILE}")
    with pytest.raises(ValidationError, match="确认可以公开"):
        actions.publish_comment(comment, actor=staff["drafter"])
    actions.publish_comment(comment, actor=staff["drafter"], confirm_personal_data=True)


def test_published_comments_show_under_their_article(open_consultation, staff, client):
    a = actions.publish_comment(
        add_comment(open_consultation, text="关于第二条的意见", unit=1), actor=staff["drafter"]
    )
    b = actions.publish_comment(
        add_comment(open_consultation, text="关于整体的意见", unit=None), actor=staff["drafter"]
    )
    page = client.get(open_consultation.get_absolute_url()).content.decode()
    unit_block = page.split('id="unit-1"')[1].split('id="unit-2"')[0]
    assert a.text in unit_block and b.text not in unit_block
    assert b.text in page.split('id="h-general"')[1]


def test_public_pages_are_cached_without_cookies_and_forms_are_not(open_consultation, client):
    for url in ["/consultation/", open_consultation.get_absolute_url(), "/consultation/feed/"]:
        first = client.get(url)
        assert first.status_code == 200 and not first.cookies, url
        assert "public" in first["Cache-Control"]
        assert client.get(url)["X-Page-Cache"] == "hit"
    form = client.get(f"/consultation/{open_consultation.pk}/comment/")
    assert "X-Page-Cache" not in form and "public" not in form.get("Cache-Control", "")


def test_detail_page_has_no_inline_style_or_script(open_consultation, client):
    page = client.get(open_consultation.get_absolute_url()).content.decode()
    assert "style=" not in page and "<style" not in page
    assert "<script>" not in page


def test_draft_and_unknown_consultations_are_404(draft_policy, staff, client):
    c = actions.create_consultation(actor=staff["drafter"], policy=draft_policy, explanation="说明")
    assert client.get(c.get_absolute_url()).status_code == 404
    assert client.get(f"/consultation/{c.pk}/comment/").status_code == 404
    assert client.get(f"/api/v1/consultations/{c.pk}").status_code == 404
    assert client.get("/consultation/99999/").status_code == 404


def test_api_and_feed(open_consultation, closed_consultation, staff, client):
    data = client.get("/api/v1/consultations").json()
    by_id = {d["id"]: d for d in data}
    assert by_id[open_consultation.pk]["status"] == "open"
    assert by_id[closed_consultation.pk]["status"] == "closed"
    assert [d["id"] for d in client.get("/api/v1/consultations?status=open").json()] == [open_consultation.pk]
    feed = client.get("/consultation/feed/").content.decode()
    assert f"/consultation/{open_consultation.pk}/" in feed
    assert f"/consultation/{closed_consultation.pk}/" not in feed
    assert feed.count("<entry>") == 1
    # dispositions are public only with the report
    comment = actions.publish_comment(add_comment(closed_consultation), actor=staff["drafter"])
    actions.dispose_comment(
        comment, actor=staff["drafter"], disposition=Disposition.NOT_ADOPTED, reason="另有规定"
    )
    detail = client.get(f"/api/v1/consultations/{closed_consultation.pk}").json()
    assert detail["comment_list"][0]["disposition"] == "" and detail["report"] is None


def test_admin_screens_walk_through_the_forms(closed_consultation, staff, client, form_data):
    """The staff screens, posted as their rendered forms: moderate, dispose (reason required), group, report."""
    c = closed_consultation
    comments = [add_comment(c, f"意见{i}", unit=1) for i in range(3)]
    client.force_login(staff["drafter"])
    for x in comments:
        page = client.get(f"/admin/consultation/comments/{x.pk}/").content.decode()
        response = client.post(
            f"/admin/consultation/comments/{x.pk}/", form_data(page, "//form[.//input[@value='publish']]")
        )
        assert response.status_code == 302
    assert Comment.objects.filter(status=CommentStatus.PUBLISHED).count() == 3
    # reason missing for 未采纳: refused with a message, nothing saved
    response = client.post(
        f"/admin/consultation/comments/{comments[0].pk}/",
        {"action": "dispose", "d-disposition": "not_adopted", "d-reason": ""},
        follow=True,
    )
    assert "须说明理由" in response.content.decode()
    comments[0].refresh_from_db()
    assert comments[0].disposition == ""
    client.post(
        f"/admin/consultation/comments/{comments[0].pk}/",
        {"action": "dispose", "d-disposition": "adopted", "d-reason": ""},
    )
    client.post(
        f"/admin/consultation/{c.pk}/",
        {"action": "group", "g-point": "同一要点", "g-comments": [comments[1].pk, comments[2].pk]},
    )
    group = c.groups.get()
    client.post(
        f"/admin/consultation/groups/{group.pk}/", {"d-disposition": "partly", "d-reason": "部分吸收"}
    )
    client.post(f"/admin/consultation/{c.pk}/report/", {"action": "generate", "summary": ""})
    report = c.report
    assert report.counts == {"adopted": 1, "partly": 2, "not_adopted": 0, "out_of_scope": 0}
    client.force_login(staff["officer"])
    client.post(f"/admin/consultation/{c.pk}/report/", {"action": "approve"})
    report.refresh_from_db()
    assert report.status == "approved"
    page = client.get(f"/admin/consultation/{c.pk}/report/").content.decode()
    assert "政策发布时，本报告将自动一并公开" in page
    # the other department: 404 everywhere
    client.force_login(staff["other"])
    for url in [
        f"/admin/consultation/{c.pk}/",
        f"/admin/consultation/{c.pk}/report/",
        f"/admin/consultation/groups/{group.pk}/",
        f"/admin/consultation/comments/{comments[0].pk}/",
    ]:
        assert client.get(url).status_code == 404, url
    assert c.title not in client.get("/admin/consultation/").content.decode()


def test_create_consultation_screen(draft_policy, staff, client):
    client.force_login(staff["drafter"])
    page = client.get("/admin/consultation/new/").content.decode()
    assert draft_policy.title in page
    today = timezone.localdate()
    response = client.post(
        "/admin/consultation/new/",
        {
            "policy": draft_policy.pk,
            "explanation": "说明",
            "start_date": today.isoformat(),
            "end_date": (today + timezone.timedelta(days=10)).isoformat(),
        },
        follow=True,
    )
    assert "须说明缩短期限的理由" in response.content.decode()
    response = client.post(
        "/admin/consultation/new/",
        {
            "policy": draft_policy.pk,
            "explanation": "说明",
            "start_date": today.isoformat(),
            "end_date": (today + timezone.timedelta(days=29)).isoformat(),
        },
    )
    assert response.status_code == 302
    c = draft_policy.consultations.get()
    assert c.draft_text.startswith("第一条")
    client.post(f"/admin/consultation/{c.pk}/", {"action": "publish"})
    c.refresh_from_db()
    assert c.status == "published"


def test_old_form_token_is_required(open_consultation, client):
    response = client.post(
        f"/consultation/{open_consultation.pk}/comment/",
        {"text": "太快", "form_token": __import__("gongkai.core.spam", fromlist=["x"]).form_token()},
    )
    assert response.status_code == 400 and "提交过快" in response.content.decode()
    assert old_token()
