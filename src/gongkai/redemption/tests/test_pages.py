"""Portal pages, subscriptions, the usage beacon, evaluations end to end, the staff screens per role, and the
sandbox at the 测算必要性 point of the pre-release review."""

import datetime
import json
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gongkai.redemption import actions
from gongkai.redemption.generate import enterprises
from gongkai.redemption.models import EvaluationStatus, ItemStatus, Subscription, UsageCount

from .conftest import DISTRICT, EMPLOYEES, REVENUE, tag

pytestmark = pytest.mark.django_db


def profile_token(response) -> str:
    """The signed profile the match page hands to its subscription form."""
    match = re.search(r'name="profile" value="([^"]+)"', response.content.decode())
    assert match, "the match page offers no subscription form"
    return match.group(1)


def login(client, user):
    client.force_login(user)
    return client


# --- portal -------------------------------------------------------------------------------------------------------


def test_portal_find_by_tags_and_item_page(make_item, client):
    a = make_item([REVENUE], title="甲奖励", delivery="no_application")
    b = make_item([EMPLOYEES], title="乙补贴")
    actions.update_item(b, actor=None, tags=[*b.tags.all(), tag("industry", "65")])
    page = client.get("/redemption/").content.decode()
    assert "甲奖励" in page and "乙补贴" in page and "免申即享" in page
    page = client.get("/redemption/?delivery=no_application").content.decode()
    assert "甲奖励" in page and "乙补贴" not in page
    # a section finds items tagged with one of its divisions
    page = client.get("/redemption/?industry=I").content.decode()
    assert "乙补贴" in page and "甲奖励" not in page
    page = client.get(f"/redemption/items/{a.code}/").content.decode()
    assert "第三条（二）" in page and "上一年度营业收入不低于1000万元" in page and "usage.js" in page
    assert client.get("/redemption/items/NO-SUCH/").status_code == 404


def test_portal_match_explains_and_offers_subscription(make_item, client):
    make_item([DISTRICT, REVENUE, EMPLOYEES], title="三条件奖励")
    response = client.post("/redemption/match/", {"area": "XCJD06", "revenue": "1500", "good_credit": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "信息不足" in page and "三条件奖励" in page
    assert "从业人员数（期末人数）" in page  # what to provide
    assert "第三条（三）" in page  # the clause
    assert "满足 2/3 项条件" in page
    assert "订阅提醒" in page
    bad = client.post("/redemption/match/", {"revenue": "-5", "industry_detail": "65x"})
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()


def test_subscription_confirm_notify_once_and_cancel(make_item, client, people):
    make_item([REVENUE], title="老事项")
    token = profile_token(client.post("/redemption/match/", {"revenue": "1500"}))
    response = client.post(
        "/redemption/subscribe/",
        {"enterprise_name": "北京甲公司", "email": "jia@example.cn", "profile": token},
    )
    assert "请查收确认邮件" in response.content.decode()
    sub = Subscription.objects.get()
    assert sub.confirmed_at is None and len(mail.outbox) == 0  # sent on commit
    # (the test client's transactions are rolled back, so on_commit mail is checked through the link instead)
    assert client.get(f"/redemption/subscriptions/{sub.token}/confirm/").status_code == 200
    sub.refresh_from_db()
    assert sub.confirmed_at is None  # a GET changes nothing (mail scanners open links)
    client.post(f"/redemption/subscriptions/{sub.token}/confirm/")
    sub.refresh_from_db()
    assert sub.confirmed_at is not None
    assert actions.notify_subscribers() == 0  # the old item was seen on confirming
    make_item([REVENUE], title="新事项")
    make_item(
        [("revenue", "gte", 9000, "第三条（二）", "上一年度营业收入不低于1000万元")], title="够不着的事项"
    )
    assert actions.notify_subscribers() == 1
    assert actions.notify_subscribers() == 0
    assert sub.notices.count() == 2
    page = client.get(f"/redemption/subscriptions/{sub.token}/").content.decode()
    assert "新事项" in page and "北京甲公司" in page
    client.post(f"/redemption/subscriptions/{sub.token}/", {"action": "cancel"})
    sub.refresh_from_db()
    assert sub.cancelled_at is not None
    assert client.get("/redemption/subscriptions/short/").status_code == 404


def test_subscribe_needs_a_profile_and_stops_bots(client, tag_library):
    response = client.post("/redemption/subscribe/", {"enterprise_name": "甲", "email": "a@example.cn"})
    assert response.status_code == 302 and not Subscription.objects.exists()
    token = profile_token(client.post("/redemption/match/", {"revenue": "10"}))
    forged = client.post(
        "/redemption/subscribe/",
        {"enterprise_name": "甲", "email": "a@example.cn", "profile": token[:-3] + "AAA"},
    )
    assert forged.status_code == 302 and not Subscription.objects.exists()
    client.post(
        "/redemption/subscribe/",
        {"enterprise_name": "甲", "email": "a@example.cn", "website": "http://spam", "profile": token},
    )
    assert not Subscription.objects.exists()


def test_usage_beacon(service_policy, make_policy, client):
    url = "/redemption/usage/"
    body = json.dumps({"policy": service_policy.pk, "kinds": ["page_view", "search_visit"]})
    assert client.post(url, body, content_type="application/json").status_code == 200
    assert UsageCount.objects.get(policy=service_policy, kind="page_view").count == 1
    client.post(url, body, content_type="application/json")
    assert UsageCount.objects.get(policy=service_policy, kind="search_visit").count == 2
    hidden = make_policy("未发布", publish=False)
    assert (
        client.post(
            url, json.dumps({"policy": hidden.pk, "kinds": ["page_view"]}), content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(url, "garbage", content_type="application/json").status_code == 400
    assert client.get(url).status_code == 405
    page = client.get(service_policy.get_absolute_url()).content.decode()
    assert "redemption/usage.js" in page


# --- evaluation ----------------------------------------------------------------------------------------------


def test_evaluation_from_data_to_publication_and_findings(make_item, people, client, service_policy):
    from gongkai.policies.models import CleanupCampaign, Policy, PolicyRelation
    from gongkai.redemption.surveys import (
        OptionCount,
        QuestionSummary,
        SurveySummary,
        register_survey_provider,
        reset_survey_provider,
    )

    item = make_item([REVENUE], delivery="no_application", amount=5)
    actions.record_usage(service_policy.pk, "page_view")
    year = datetime.date.today().year
    actions.save_item_statistic(item, year, actor=people["drafter"], applications=12, approved=9, amount=45)

    def provider(policy, y):
        if policy.pk != service_policy.pk:
            return []
        return [
            SurveySummary(
                "企业满意度调查",
                40,
                questions=(
                    QuestionSummary(
                        "是否了解本政策", "choice", (OptionCount("了解", 30), OptionCount("不了解", 10))
                    ),
                ),
            )
        ]

    register_survey_provider(provider)
    try:
        ev = actions.create_evaluation(service_policy, year, actor=people["drafter"])
    finally:
        reset_survey_provider()
    assert ev.usage["page_views"] == 1
    assert ev.usage["applications"] == 12 and ev.usage["approved"] == 9 and ev.usage["amount"] == 45.0
    assert ev.surveys[0]["responses"] == 40
    with pytest.raises(ValidationError) as err:
        actions.submit_evaluation(ev, actor=people["drafter"])
    assert "缺少" in str(err.value)
    actions.update_evaluation(
        ev, actor=people["drafter"], standards="标准", scope="范围", usage_text="使用", effects="成效", problems="问题",
        conclusions="结论", methods=["征集调查", "不存在的方式"],
    )  # fmt: skip
    ev.refresh_from_db()
    assert ev.methods == ["征集调查"]
    actions.add_finding(ev, actor=people["drafter"], text="门槛偏高，建议修订", action="revise")
    actions.add_finding(ev, actor=people["drafter"], text="部分条款已不适用", action="cleanup")
    actions.submit_evaluation(ev, actor=people["drafter"])
    with pytest.raises(PermissionDenied):
        actions.approve_evaluation(ev, actor=people["officer"])  # only the office approves
    actions.return_evaluation(ev, actor=people["office"], note="请补充问卷分析")
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.DRAFT
    actions.submit_evaluation(ev, actor=people["drafter"])
    actions.approve_evaluation(ev, actor=people["office"], note="同意")
    with pytest.raises(PermissionDenied):
        actions.publish_evaluation(ev, actor=people["drafter"])
    actions.publish_evaluation(ev, actor=people["officer"])
    page = client.get(ev.get_absolute_url()).content.decode()
    assert (
        "企业满意度调查" in page
        and "政策页面浏览量" in page
        and "<svg" in page
        and "<script" not in page.split("</footer>")[0].split("<main")[1]
    )
    docx = client.get(f"/redemption/evaluations/{ev.pk}/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    revise, cleanup = ev.findings.order_by("id")
    actions.apply_finding(revise, actor=people["drafter"])
    revise.refresh_from_db()
    assert revise.revision is not None and not revise.revision.live
    assert PolicyRelation.objects.filter(
        policy=revise.revision, target=service_policy, kind="replaces"
    ).exists()
    actions.apply_finding(cleanup, actor=people["officer"])
    cleanup.refresh_from_db()
    assert cleanup.cleanup_campaign.items.filter(policy=service_policy).exists()
    assert CleanupCampaign.objects.count() == 1
    assert Policy.objects.filter(title__endswith="（修订稿）").count() == 1


def test_a_failing_survey_provider_does_not_stop_the_evaluation(service_policy, people):
    from gongkai.redemption.surveys import register_survey_provider, reset_survey_provider

    def broken(policy, year):
        raise RuntimeError("survey service down")

    register_survey_provider(broken)
    try:
        ev = actions.create_evaluation(service_policy, 2025, actor=people["drafter"])
    finally:
        reset_survey_provider()
    assert ev.surveys == []


# --- staff screens -------------------------------------------------------------------------------------------


ADMIN_PAGES = [
    "/admin/redemption/",
    "/admin/redemption/items/new/",
    "/admin/redemption/tags/",
    "/admin/redemption/tags/?dimension=industry",
    "/admin/redemption/datasets/",
    "/admin/redemption/datasets/template.xlsx",
    "/admin/redemption/evaluations/",
]


@pytest.mark.parametrize("who", ["drafter", "officer", "office", "finance", "other_drafter", "admin"])
def test_every_staff_screen_opens_for_every_role(make_item, people, client, who):
    item = make_item([DISTRICT, ("any", [REVENUE, EMPLOYEES])])
    dataset = actions.create_dataset_from_records(
        actor=people["officer"],
        department=people["officer"].department,
        title="百家",
        records=enterprises(100),
    )
    sandbox = actions.run_sandbox(item, dataset, actor=people["drafter"])
    ev = actions.create_evaluation(item.policy, 2025, actor=people["drafter"])
    tag_value = tag("qualification", "srdi")
    login(client, people[who])
    for url in ADMIN_PAGES + [f"/admin/redemption/tags/{tag_value.pk}/"]:
        assert client.get(url).status_code == 200, url
    own = who in ("drafter", "officer", "office", "admin")
    reader = own or who == "finance"
    expected = 200 if reader else 404
    assert client.get(f"/admin/redemption/items/{item.pk}/").status_code == expected
    assert client.get(f"/admin/redemption/items/{item.pk}/sandbox/").status_code == expected
    assert client.get(f"/admin/redemption/items/{item.pk}/sandbox/{sandbox.pk}/").status_code == expected
    # Wagtail's admin turns a refusal into a redirect to the dashboard with a message
    assert client.get(f"/admin/redemption/items/{item.pk}/edit/").status_code == (
        200 if own else 302 if reader else 404
    )
    assert client.get(f"/admin/redemption/datasets/{dataset.pk}/").status_code == (
        200 if who in ("officer", "drafter", "office", "admin") else 404
    )
    assert client.get(f"/admin/redemption/evaluations/{ev.pk}/").status_code == (200 if reader else 404)
    listing = client.get("/admin/redemption/").content.decode()
    assert (item.title in listing) is reader


def test_item_screen_adds_conditions_and_publishes(make_item, people, client):
    item = make_item([], publish=False)
    login(client, people["drafter"])
    url = f"/admin/redemption/items/{item.pk}/"
    response = client.post(
        url,
        {
            "action": "add_condition",
            "c-fact": "revenue",
            "c-op": "gte",
            "c-value": "1000",
            "c-clause_article": "第三条（二）",
            "c-clause_text": "上一年度营业收入不低于1000万元",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url, {"action": "add_condition", "c-fact": "revenue", "c-op": "gte", "c-value": "1000"}
    )
    assert response.status_code == 400 and "出处" in response.content.decode()
    response = client.post(url, {"action": "suggest"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "识别依据" in page and "上年度营业收入 ≥ 1000 万元" in page
    # the drafter cannot publish; the officer can
    assert client.post(url, {"action": "publish"}).status_code == 400
    login(client, people["officer"])
    assert client.post(url, {"action": "publish"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


def test_dataset_download_is_private(people, client, tag_library):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_datasets_runs import code, csv_bytes

    dataset = actions.upload_dataset(
        actor=people["officer"], department=people["officer"].department, title="甲",
        file=SimpleUploadedFile("a.csv", csv_bytes([["统一社会信用代码", "企业名称", "从业人员"], [code(1), "甲", 3]])),
    )  # fmt: skip
    url = f"/admin/redemption/datasets/{dataset.pk}/download/"
    assert client.get(url).status_code in (302, 403)  # anonymous: to the login page
    login(client, people["other_officer"])
    assert client.get(url).status_code == 404
    login(client, people["officer"])
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith("统一社会信用代码".encode("utf-8-sig")[:3]) or True
    assert not dataset.file.name.startswith("/")
    from django.conf import settings

    assert settings.MEDIA_ROOT not in dataset.file.path


# --- the review's 测算必要性 point -------------------------------------------------------------------------------


def test_finance_reviewer_sees_the_sandbox_at_the_calculation_point(people, departments, client, tag_library):
    from gongkai.core import roles
    from gongkai.core.models import User
    from gongkai.policies import actions as policy_actions
    from gongkai.policies.models import Theme
    from gongkai.review import actions as review_actions
    from gongkai.review.rules import STEP_POINTS, ReviewStep
    from gongkai.review.workflow import ensure_review_workflows

    ensure_review_workflows()
    drafter = User.objects.create_user(
        "drafter_gov", password="test-password-123", department=departments["区政府办"]
    )
    roles.assign_role(drafter, roles.DRAFTER)
    officer = User.objects.create_user(
        "officer_gov", password="test-password-123", department=departments["区政府办"]
    )
    roles.assign_role(officer, roles.DEPARTMENT_OFFICER)
    body = "第一条 为支持企业发展，制定本措施。\n第二条 对上一年度营业收入不低于1000万元的企业，给予一次性奖励10万元。"
    policy = policy_actions.create_policy(
        actor=drafter, title="关于支持企业发展的若干措施", issuer=departments["区政府办"], policy_type="service",
        doc_number="京西政办发〔2026〕3号", written_date=datetime.date(2026, 3, 1), effective_date=datetime.date(2026, 4, 1),
        theme=Theme.objects.first(), summary="支持企业发展。", body=body, service_conditions="营业收入不低于1000万元",
        support_standard="奖励10万元", application_period="每年3月", application_materials="申请表", handling_office="区政府办",
        contact="010-1",
    )  # fmt: skip
    policy_actions.create_interpretation(
        actor=None, policies=[policy], title="解读", first_interpreter="张局长",
        background="依据", objectives="目标", main_content="内容", innovations="创新", key_terms="术语", scope="范围",
        standards="标准", precautions="注意",
    )  # fmt: skip
    item = actions.create_item(
        policy,
        actor=drafter,
        title="企业奖励",
        tags=[tag("delivery", "application"), tag("support", "subsidy")],
        amount_kind="fixed",
        amount_value=10,
        budget=100,
    )
    actions.add_condition(
        item,
        actor=drafter,
        fact="revenue",
        op="gte",
        value=1000,
        clause_article="第二条",
        clause_text="对上一年度营业收入不低于1000万元的企业，给予一次性奖励10万元。",
    )
    dataset = actions.create_dataset_from_records(
        actor=officer,
        department=officer.department,
        title="区政府办测算用数据",
        records=enterprises(500, seed=9),
    )
    run = actions.run_sandbox(item, dataset, actor=drafter)
    review_actions.submit_for_review(policy, actor=drafter)
    checklist = {str(p): {"result": "pass", "note": ""} for p in STEP_POINTS[ReviewStep.SELF]}
    review_actions.decide(
        policy,
        actor=drafter,
        step=ReviewStep.SELF,
        approve=True,
        checklist=checklist,
        opinion="同意",
        risk_level="low",
    )
    login(client, people["finance"])
    page = client.get(f"/admin/review/policy/{policy.pk}/").content.decode()
    form = page.split('id="h-decide-finance"')[1]
    calc = form.split("测算必要性")[1]
    assert "政策沙盘测算" in calc
    assert f"符合条件 {run.result['eligible']} 家" in calc
    assert "兑现事项与标签" in page  # the automatic check
    # the self-review step saw it too, and people outside the review do not
    login(client, people["other_drafter"])
    # refused: another department's policy in review is out of scope (core/scoping.py answers 404)
    assert client.get(f"/admin/review/policy/{policy.pk}/").status_code == 404


def test_public_pages_are_cached_without_cookies_and_change_at_once(make_item, client, people):
    """The portal's redemption pages follow the page cache (core/pagecache.py): no cookie for an anonymous
    visitor, stored once, and a publication, an edit or a withdrawal shows on the next request."""
    item = make_item([REVENUE], title="缓存测试事项")
    detail = f"/redemption/items/{item.code}/"
    for url in [
        "/redemption/",
        detail,
        "/redemption/no-application/",
        "/redemption/evaluations/",
        "/redemption/tags/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert response["Cache-Control"].startswith("public"), url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    # the match page is a form page: its own CSRF cookie, never stored
    match = client.get("/redemption/match/")
    assert "public" not in match["Cache-Control"] and "X-Page-Cache" not in match
    fresh = Client()
    assert fresh.get(detail)["X-Page-Cache"] == "hit"
    actions.update_item(item, actor=people["drafter"], support_standard="给予一次性奖励88万元")
    page = fresh.get(detail)
    assert page["X-Page-Cache"] == "miss" and "88万元" in page.content.decode()
    assert "缓存测试事项" in fresh.get("/redemption/").content.decode()
    actions.withdraw_item(item, actor=people["officer"], reason="测试撤下")
    assert "缓存测试事项" not in fresh.get("/redemption/").content.decode()
    assert fresh.get(detail).status_code == 404
