"""Personal data in public questions (issue 11, item 6): scanned on arrival, 公开 not pre-ticked, a high finding
blocks publication until redacted, a medium one needs the officer's confirmation, the original is kept for staff and
never published; the ask form has the spam guards of every public form."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.core.models import AuditEntry
from gongkai.core.spam import form_token
from gongkai.policies import actions
from gongkai.policies.models import PolicyQuestion, QuestionStatus
from gongkai.secrecy.models import Redaction


@pytest.fixture
def public_policy(make_policy):
    return make_policy()


PII = "身份证号11010519491231002X，手机13912345678，我能申请补贴吗？"


def _ask(client, policy, text, **extra):
    data = {"kind": "question", "question": text, "form_token": form_token(time.time() - 60), "website": ""}
    data.update(extra)
    return client.post(reverse("review:ask_question", args=[policy.pk]), data)


def test_identity_number_blocks_until_redacted(client, people, public_policy):
    assert _ask(client, public_policy, PII, asker_contact="13912345678").status_code == 302
    item = PolicyQuestion.objects.get()
    assert item.scan_level == "high"
    officer = people["dept_officer"]
    with pytest.raises(ValidationError, match="脱敏"):
        actions.answer_question(item, actor=officer, answer="可以申请。")
    with pytest.raises(ValidationError):  # confirming does not help for an identity number
        actions.answer_question(item, actor=officer, answer="可以申请。", confirm_personal_data=True)
    item.refresh_from_db()
    assert item.status == QuestionStatus.PENDING and not PolicyQuestion.objects.public().exists()
    with pytest.raises(ValidationError, match="理由"):
        actions.redact_question(item, actor=officer, reason=" ")
    actions.redact_question(item, actor=officer, reason="公开前遮蔽个人信息")
    item.refresh_from_db()
    assert item.original_question == PII and "11010519491231002X" not in item.question
    assert "110105********002X" in item.question and "139****5678" in item.question
    actions.answer_question(item, actor=officer, answer="可以申请。")
    for url in (
        public_policy.get_absolute_url(),
        reverse("review:ask_question", args=[public_policy.pk]),
        reverse("review:qa_search") + "?q=补贴",
        f"/api/v1/policies/{public_policy.pk}",
    ):
        html = client.get(url).content.decode()
        assert "11010519491231002X" not in html and "13912345678" not in html, url
    assert (
        "110105********002X"
        in client.get(reverse("review:ask_question", args=[public_policy.pk])).content.decode()
    )
    redaction = Redaction.objects.get(object_type="policies.policyquestion", object_id=str(item.pk))
    assert redaction.created_by == officer and "11010519491231002X" not in str(redaction.items)
    assert AuditEntry.objects.filter(action="secrecy.redact_public_text", object_id=str(item.pk)).exists()


def test_phone_number_needs_the_officers_confirmation(people, public_policy):
    item = actions.ask_question(public_policy, question="我的电话13912345678，请问申报截止到哪天？")
    assert item.scan_level == "medium"
    officer = people["dept_officer"]
    with pytest.raises(ValidationError, match="确认"):
        actions.answer_question(item, actor=officer, answer="截止到6月30日。")
    actions.answer_question(item, actor=officer, answer="截止到6月30日。", confirm_personal_data=True)
    entry = AuditEntry.objects.filter(action="question.answer", object_id=str(item.pk)).latest("id")
    assert "确认公开" in entry.note
    # answering privately needs no scan
    other = actions.ask_question(public_policy, question="我住月坛北街3号楼2单元101室，能上门吗？")
    actions.answer_question(other, actor=officer, answer="将电话联系您。", publish=False)


def test_answer_form_shows_contact_and_does_not_pre_tick_publish(client, people, public_policy):
    from gongkai.review.wagtail_hooks import AnswerForm

    item = actions.ask_question(public_policy, question=PII, asker_name="王女士", asker_contact="13912345678")
    form = AnswerForm(instance=item)
    assert form.fields["publish"].initial in (None, False)
    assert "13912345678" in str(form.fields["asker"].initial)
    assert (
        "公民身份号码" in form.fields["publish"].help_text
        and "11010519491231002X" not in form.fields["publish"].help_text
    )
    clean = actions.ask_question(public_policy, question="个体工商户能申请吗？")
    assert AnswerForm(instance=clean).fields["publish"].initial is True
    # through the admin screen: edit the public text with a reason, then publish
    client.force_login(people["dept_officer"])
    url = f"/admin/policy-questions/edit/{item.pk}/"
    page = client.get(url)
    assert (
        page.status_code == 200 and "13912345678" in page.content.decode()
    )  # the contact, for a private reply
    response = client.post(url, {"answer": "可以。", "publish": "on", "public_question": "我能申请补贴吗？"})
    assert response.status_code == 200 and "脱敏理由" in response.content.decode()
    response = client.post(
        url,
        {
            "answer": "可以。",
            "publish": "on",
            "public_question": "我能申请补贴吗？",
            "redact_reason": "删去个人信息",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == QuestionStatus.PUBLISHED and item.question == "我能申请补贴吗？"
    assert item.original_question == PII


def test_ask_form_spam_guards(client, public_policy, settings):
    # honeypot: pretend success, store nothing
    assert _ask(client, public_policy, "问题", website="http://spam").status_code == 302
    # too fast
    response = client.post(
        reverse("review:ask_question", args=[public_policy.pk]),
        {"kind": "question", "question": "问题", "form_token": form_token()},
    )
    assert response.status_code == 400 and "提交过快" in response.content.decode()
    assert not PolicyQuestion.objects.exists()
    # 25 posts in a row: the limit stops them, each accepted one notifies once
    from django.core.cache import cache

    cache.clear()  # the two refused posts above counted too
    settings.GONGKAI_RATE_LIMITS = {"policies.ask": [10, 3600]}
    codes = [_ask(client, public_policy, f"第{i}个问题").status_code for i in range(25)]
    assert codes.count(302) == 10 and codes.count(429) == 15
    assert PolicyQuestion.objects.count() == 10
