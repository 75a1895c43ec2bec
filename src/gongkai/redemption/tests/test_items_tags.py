"""Items through their life (create, conditions with clauses, suggestions, publish, withdraw), the tag library
(codes, synonyms, history, retiring migrates uses), permissions and the lapse cascade."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.audit import entries_for
from gongkai.redemption import actions
from gongkai.redemption.matching import match_profile
from gongkai.redemption.models import (
    Condition,
    FeedEntry,
    ItemStatus,
    NodeKind,
    Subscription,
    SuggestionStatus,
    TagStatus,
    TagValue,
)

from .conftest import DISTRICT, QUALIFICATION, REVENUE, tag

pytestmark = pytest.mark.django_db


def test_item_needs_a_service_policy_and_the_own_department(make_policy, people, tag_library):
    plan = make_policy("一个计划方案", policy_type="action_plan")
    with pytest.raises(ValidationError):
        actions.create_item(plan, actor=people["drafter"], title="事项")
    service = make_policy("另一部门的兑现政策", policy_type="service", department="区教委")
    with pytest.raises(PermissionDenied):
        actions.create_item(service, actor=people["drafter"], title="事项")
    item = actions.create_item(service, actor=people["other_drafter"], title="事项")
    assert item.code == f"{service.index_number}-01"
    assert item.root_condition().kind == NodeKind.ALL
    assert entries_for(item).filter(action="item.create").exists()


def test_condition_must_quote_its_clause(make_item, people):
    item = make_item([], publish=False)
    with pytest.raises(ValidationError) as err:
        actions.add_condition(item, actor=people["drafter"], fact="revenue", op="gte", value=1000)
    assert "出处" in str(err.value)
    with pytest.raises(ValidationError) as err:
        actions.add_condition(
            item,
            actor=people["drafter"],
            fact="revenue",
            op="gte",
            value=1000,
            clause_text="营业收入不低于五亿元",
        )
    assert "摘自政策正文" in str(err.value)
    # whitespace and punctuation width do not matter
    actions.add_condition(
        item, actor=people["drafter"], fact="revenue", op="gte", value=1000, clause_article="第三条（二）",
        clause_text=" 上一年度营业收入不低于1000万元 ",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("fact", "op", "value", "message"),
    [
        ("revenue", "in", ["65"], "不能用"),
        ("revenue", "gte", "很多", "应为数字"),
        ("revenue", "gte", -5, "不能为负数"),
        ("revenue", "between", [10], "下限和上限"),
        ("revenue", "between", [100, 10], "下限不能大于上限"),
        ("industry", "in", ["不存在"], "不在标签库"),
        ("industry", "in", [], "至少选择一个值"),
        ("founded_on", "before", "2020-13-45", "应为日期"),
        ("size", "lte", "巨型", "不是有效的企业规模"),
        ("colour", "is_true", None, "请选择企业信息"),
    ],
)
def test_conditions_are_validated(make_item, people, fact, op, value, message):
    item = make_item([], publish=False)
    with pytest.raises(ValidationError) as err:
        actions.add_condition(
            item, actor=people["drafter"], fact=fact, op=op, value=value, clause_article="第三条"
        )
    assert message in str(err.value)


def test_tag_values_given_by_name_or_synonym_are_stored_as_codes(make_item, people):
    item = make_item([], publish=False)
    condition = actions.add_condition(
        item,
        actor=people["drafter"],
        fact="qualifications",
        op="has_any",
        value="高企、专精特新",
        clause_article="第三条（六）",
    )
    assert condition.value == ["hnte", "srdi"]


def test_suggestions_from_the_clauses_need_confirmation(make_item, people):
    item = make_item([], publish=False)
    made = actions.suggest_conditions(item, actor=people["drafter"])
    found = {(s.fact, s.op, repr(s.value)) for s in made}
    assert ("revenue", "gte", "1000.0") in found
    assert ("employees", "gte", "50.0") in found
    assert ("years_established", "gte", "2.0") in found
    assert ("in_district", "is_true", "None") in found
    assert ("good_credit", "is_true", "None") in found
    assert ("qualifications", "has_any", repr(["hnte", "srdi"])) in found or any(
        s.fact == "qualifications" and set(s.value) >= {"hnte", "srdi"} for s in made
    )
    assert any(s.fact == "industry" and "65" in s.value and "M" in s.value for s in made)
    assert any(s.fact == "size" and s.value == "medium" for s in made)  # 中小企业
    revenue = next(s for s in made if s.fact == "revenue")
    assert revenue.clause_article == "第三条（二）" and "1000万元" in revenue.clause_text
    # nothing became a condition by itself
    assert not item.conditions.filter(kind=NodeKind.FACT).exists()
    condition = actions.accept_suggestion(revenue, actor=people["drafter"])
    assert condition.value == 1000 and condition.clause_article == "第三条（二）"
    revenue.refresh_from_db()
    assert revenue.status == SuggestionStatus.ACCEPTED
    # asking again does not repeat what is already there
    assert not any(s.fact == "revenue" for s in actions.suggest_conditions(item, actor=people["drafter"]))
    other = next(s for s in made if s.fact == "employees")
    actions.dismiss_suggestion(other, actor=people["drafter"])
    with pytest.raises(ValidationError):
        actions.accept_suggestion(other, actor=people["drafter"])


def test_publication_requires_conditions_elements_tags_and_a_public_policy(make_policy, people, tag_library):
    draft_policy = make_policy(
        "草稿兑现政策", policy_type="service", publish=False, body="第一条 营业收入不低于100万元。"
    )
    item = actions.create_item(draft_policy, actor=people["drafter"], title="草稿事项")
    with pytest.raises(ValidationError) as err:
        actions.publish_item(item, actor=people["officer"])
    text = "；".join(err.value.messages)
    for expected in (
        "所属政策尚未公开发布",
        "尚未设置可判断的申报条件",
        "缺少核心要素",
        "兑现方式和支持方式",
    ):
        assert expected in text
    # a drafter may edit but not publish
    with pytest.raises(PermissionDenied):
        actions.publish_item(item, actor=people["drafter"])


def test_publish_update_withdraw_write_the_feed(make_item, people):
    item = make_item([REVENUE])
    assert item.status == ItemStatus.PUBLISHED
    actions.update_item(item, actor=people["drafter"], support_standard="一次性奖励60万元")
    actions.add_condition(
        item,
        actor=people["drafter"],
        fact="in_district",
        op="is_true",
        clause_article="第三条（一）",
        clause_text="在本区注册纳税",
    )
    actions.withdraw_item(item, actor=people["officer"], reason="资金已用完")
    reasons = list(FeedEntry.objects.filter(item_code=item.code).values_list("op", "reason"))
    assert reasons == [
        ("upsert", "published"),
        ("upsert", "updated"),
        ("upsert", "conditions_changed"),
        ("delete", "withdrawn"),
    ]
    assert match_profile({"revenue": 5000}).matches == []
    with pytest.raises(ValidationError):
        actions.delete_item(item, actor=people["drafter"])


def test_other_departments_cannot_touch_an_item(make_item, people):
    item = make_item([REVENUE], publish=False)
    for who in ("other_drafter", "other_officer", "finance"):
        with pytest.raises(PermissionDenied):
            actions.update_item(item, actor=people[who], title="改")
        with pytest.raises(PermissionDenied):
            actions.add_condition(
                item, actor=people[who], fact="revenue", op="gte", value=1, clause_article="第一条"
            )
    from gongkai.redemption.models import RedemptionItem

    assert not RedemptionItem.objects.for_user(people["other_drafter"]).filter(pk=item.pk).exists()
    assert (
        RedemptionItem.objects.for_user(people["finance"]).filter(pk=item.pk).exists()
    )  # district-wide reader
    assert RedemptionItem.objects.for_user(people["drafter"]).filter(pk=item.pk).exists()
    # the office edits any department's
    actions.update_item(item, actor=people["office"], title="区政务服务局改过")


def test_lapse_cascade(make_item, service_policy, people):
    from gongkai.core.models import Notification
    from gongkai.policies import actions as policy_actions

    item = make_item([REVENUE])
    draft = make_item([REVENUE], title="草稿事项", publish=False)
    assert match_profile({"revenue": 5000}).counts()["eligible"] == 1
    policy_actions.declare_validity(service_policy, "repealed", actor=people["office"], reason="被新政策替代")
    item.refresh_from_db()
    assert item.status == ItemStatus.LAPSED
    assert "已废止" in item.status_note
    assert FeedEntry.objects.filter(item_code=item.code).last().reason == "lapsed"
    assert match_profile({"revenue": 5000}).matches == []
    notices = Notification.objects.filter(department=item.department, subject__contains="随政策失效")
    assert notices.count() == 1
    assert Notification.objects.filter(subject__contains=draft.title).exists()
    with pytest.raises(ValidationError):
        actions.update_item(item, actor=people["drafter"], title="还想改")


def test_lapse_by_date_also_cascades(make_policy, people, tag_library):
    """The worker's automatic lapse at the end of the validity period takes the items down too."""
    from gongkai.policies.validity import lapse_due_policies

    policy = make_policy(
        "两年期的兑现政策",
        policy_type="service",
        body="第一条 营业收入不低于100万元的给予奖励。",
        written_date=datetime.date(2025, 1, 1),
        publish_date=datetime.date(2025, 1, 2),
        effective_date=datetime.date(2025, 1, 2),
        validity_years=2,
        is_normative=True,
        support_standard="奖励", application_period="常年", application_materials="申请表", handling_office="区发展改革委",
        contact="010-1", service_conditions="营业收入不低于100万元",
    )  # fmt: skip
    item = actions.create_item(
        policy,
        actor=people["drafter"],
        title="两年期事项",
        tags=[tag("delivery", "application"), tag("support", "subsidy")],
    )
    actions.add_condition(
        item,
        actor=people["drafter"],
        fact="revenue",
        op="gte",
        value=100,
        clause_article="第一条",
        clause_text="营业收入不低于100万元的给予奖励",
    )
    actions.publish_item(item, actor=people["officer"])
    assert lapse_due_policies(on=datetime.date(2027, 6, 1)) >= 1
    item.refresh_from_db()
    assert item.status == ItemStatus.LAPSED
    assert "失效" in item.status_note


def test_tag_library_seed_is_complete_and_idempotent(tag_library):
    from gongkai.redemption.tags import seed_tag_library

    assert TagValue.objects.filter(dimension="industry", parent__isnull=True).count() == 20
    assert TagValue.objects.filter(dimension="industry", parent__isnull=False).count() == 97
    assert TagValue.objects.filter(dimension="area").count() == 15
    assert TagValue.objects.get(dimension="area", code="XCJD06").name == "金融街街道"
    assert TagValue.objects.filter(dimension="authority", code="XCFGW").exists()
    assert set(TagValue.objects.filter(dimension="delivery").values_list("name", flat=True)) == {
        "免申即享",
        "快申快享",
        "申报",
    }
    before = TagValue.objects.count()
    assert "新增 0 个" in seed_tag_library()
    assert TagValue.objects.count() == before


def test_tag_edits_keep_history_and_names_unique(people):
    value = tag("qualification", "srdi")
    actions.update_tag_value(value, actor=people["office"], synonyms="专精特新\n专精特新企业\n市级专精特新")
    entry = entries_for(value).get(action="tag.update")
    assert "市级专精特新" in entry.after["synonyms"]
    with pytest.raises(ValidationError) as err:
        actions.update_tag_value(tag("qualification", "hnte"), actor=people["office"], synonyms=["专精特新"])
    assert "已用于" in str(err.value)
    with pytest.raises(PermissionDenied):
        actions.update_tag_value(value, actor=people["officer"], name="改名")
    with pytest.raises(ValidationError):
        actions.create_tag_value(
            actor=people["office"], dimension="qualification", code="srdi", name="重复代码"
        )


def test_retiring_a_value_migrates_every_use(make_item, people):
    old = actions.create_tag_value(
        actor=people["office"], dimension="qualification", code="old_cert", name="旧认定", synonyms=["老认定"]
    )
    new = tag("qualification", "srdi")
    item = make_item(
        [
            DISTRICT,
            (
                "qualifications",
                "has_any",
                ["old_cert", "hnte"],
                "第三条（六）",
                "为高新技术企业或专精特新中小企业",
            ),
        ]
    )
    actions.update_item(item, actor=people["drafter"], tags=[*item.tags.all(), old])
    sub = actions.subscribe(
        enterprise_name="甲公司",
        email="a@example.cn",
        profile={"qualifications": ["旧认定"], "area": "金融街"},
    )
    assert sub.facts["qualifications"] == ["old_cert"]
    counts = actions.retire_tag_value(old, actor=people["office"], replacement=new, reason="认定名称调整")
    assert counts["items"] == 1 and counts["subscriptions"] == 1
    item.refresh_from_db()
    assert new in item.tags.all() and old not in item.tags.all()
    condition = Condition.objects.get(item=item, fact="qualifications")
    assert condition.value == ["srdi", "hnte"]
    assert Subscription.objects.get(pk=sub.pk).facts["qualifications"] == ["srdi"]
    old.refresh_from_db()
    assert old.status == TagStatus.RETIRED and old.replaced_by == new
    # people still typing the old name land on the replacement
    report = match_profile({"in_district": True, "qualifications": ["老认定"]})
    assert report.errors == [] and report.matches[0].result == "eligible"
    assert FeedEntry.objects.filter(item_code=item.code, reason="tag_migrated").exists()
    assert entries_for(old).get(action="tag.retire").after["migrated"]["items"] == 1


def test_retiring_without_replacement_refuses_to_empty_a_condition(make_item, people):
    lonely = actions.create_tag_value(
        actor=people["office"], dimension="qualification", code="rare", name="稀有认定"
    )
    make_item([("qualifications", "has_any", ["rare"], "第三条（六）", "为高新技术企业或专精特新中小企业")])
    with pytest.raises(ValidationError) as err:
        actions.retire_tag_value(lonely, actor=people["office"], reason="取消")
    assert "只用到该值" in str(err.value)
    lonely.refresh_from_db()
    assert lonely.status == TagStatus.ACTIVE
    with pytest.raises(ValidationError):
        actions.retire_tag_value(tag("delivery", "no_application"), actor=people["office"], reason="试试")


def test_matching_cache_follows_changes_in_another_process(make_item, people):
    """Processes cache compiled rules by the database's version token: a change made elsewhere is seen at
    once (simulated by changing the data behind the cache's back and bumping the token as an action does)."""
    from gongkai.redemption import tags as tags_module

    item = make_item([REVENUE])
    assert match_profile({"revenue": 1200}).matches[0].result == "eligible"
    from django.db.models import F

    from gongkai.redemption.models import RedemptionItem

    Condition.objects.filter(item=item, fact="revenue").update(value=2000)  # another process's write …
    RedemptionItem.objects.filter(pk=item.pk).update(revision=F("revision") + 1)
    assert match_profile({"revenue": 1200}).matches[0].result == "eligible"  # … not yet announced
    tags_module.bump_version()  # … announced in its transaction (as every action does)
    assert match_profile({"revenue": 1200}).matches[0].result == "not_eligible"


def test_an_edit_recompiles_only_the_edited_item(make_item, people):
    from gongkai.redemption.matching import published_rules

    a = make_item([REVENUE], title="甲")
    b = make_item([DISTRICT], title="乙")
    before = {c.id: c for c in published_rules().items}
    actions.update_condition(a.conditions.get(fact="revenue"), actor=people["drafter"], value=2000)
    after = {c.id: c for c in published_rules().items}
    assert after[b.pk] is before[b.pk]
    assert after[a.pk] is not before[a.pk]
    assert after[a.pk].leaves[0].value == 2000
    # a change to the tag library recompiles everything (labels and codes may have moved)
    actions.update_tag_value(tag("qualification", "srdi"), actor=people["office"], synonyms=["专精特新企业"])
    assert {c.id: c for c in published_rules().items}[b.pk] is not after[b.pk]


def test_derived_tags_offered_from_conditions(make_item):
    item = make_item([QUALIFICATION, ("size", "lte", "small", "第一条", "本区中小企业")], publish=False)
    codes = {(t.dimension, t.code) for t in actions.derive_tags_from_conditions(item)}
    assert {
        ("qualification", "hnte"),
        ("qualification", "srdi"),
        ("size", "small"),
        ("size", "micro"),
    } <= codes
    assert ("size", "medium") not in codes
