"""Fixtures for the redemption tests: the tag library, one user per role, a published 兑现办事 policy with clauses,
and a helper that builds items with conditions through the actions."""

import datetime

import pytest

from gongkai.core import roles

BODY = (
    "第一条 为支持本区中小企业走专精特新发展道路，制定本措施。\n"
    "第二条 对首次认定为国家级专精特新“小巨人”企业的，给予一次性奖励50万元。\n"
    "第三条 申请单位应符合下列条件：\n"
    "（一）在本区注册纳税；\n"
    "（二）上一年度营业收入不低于1000万元；\n"
    "（三）从业人员50人以上；\n"
    "（四）成立满2年；\n"
    "（五）属于软件和信息技术服务业或科学研究和技术服务业；\n"
    "（六）为高新技术企业或专精特新中小企业。\n"
    "第四条 无严重违法失信行为。\n"
    "第五条 本措施自2024年4月1日起施行。"
)

PEOPLE = {
    "drafter": (roles.DRAFTER, "区发展改革委", "drafter_fgw"),
    "officer": (roles.DEPARTMENT_OFFICER, "区发展改革委", "officer_fgw"),
    "other_drafter": (roles.DRAFTER, "区教委", "drafter_jw"),
    "other_officer": (roles.DEPARTMENT_OFFICER, "区教委", "officer_jw"),
    "office": (roles.OPENNESS_OFFICE, "区政务服务局", "office"),
    "finance": (roles.FINANCE_REVIEWER, "区财政局", "finance"),
    "admin": (roles.ADMINISTRATOR, "区政务服务局", "sysadmin"),
}


@pytest.fixture
def tag_library(departments):
    from gongkai.redemption.tags import seed_tag_library

    seed_tag_library()


@pytest.fixture
def people(departments, tag_library):
    from gongkai.core.models import User

    roles.ensure_roles()
    made = {}
    for key, (role, department, username) in PEOPLE.items():
        user = User.objects.create_user(
            username=username,
            password="test-password-123",
            department=departments[department],
            email=f"{username}@example.cn",
        )
        roles.assign_role(user, role)
        made[key] = user
    return made


@pytest.fixture
def service_policy(make_policy, tag_library):
    return make_policy(
        "西城区促进中小企业专精特新发展的若干措施",
        policy_type="service",
        body=BODY,
        doc_number="西发改发〔2024〕3号",
        effective_date=datetime.date(2024, 4, 1),
        service_conditions="在本区注册纳税，上一年度营业收入不低于1000万元。",
        support_standard="一次性奖励50万元",
        application_period="每年3月1日至4月30日",
        application_materials="申请表、营业执照复印件",
        handling_office="区发展改革委",
        contact="010-12345678",
    )


def tag(dimension, code):
    from gongkai.redemption.models import TagValue

    return TagValue.objects.get(dimension=dimension, code=code)


@pytest.fixture
def make_item(service_policy, people):
    """make_item(conditions=[(fact, op, value, article, text), ...] or ("any", [...]) groups, publish=True)."""
    from gongkai.redemption import actions

    def build(item, parent, specs, actor):
        for spec in specs:
            if spec[0] in ("any", "all"):
                group = actions.add_condition(item, actor=actor, parent=parent, kind=spec[0])
                build(item, group, spec[1], actor)
            else:
                fact, op, value, article, text = spec
                actions.add_condition(
                    item,
                    actor=actor,
                    parent=parent,
                    fact=fact,
                    op=op,
                    value=value,
                    clause_article=article,
                    clause_text=text,
                )

    def make(
        conditions,
        *,
        title="专精特新奖励",
        policy=None,
        publish=True,
        delivery="application",
        amount=None,
        **fields,
    ):
        actor = people["drafter"]
        tags = [tag("delivery", delivery), tag("support", "subsidy")]
        if amount is not None:
            fields.setdefault("amount_kind", "fixed")
            fields.setdefault("amount_value", amount)
        item = actions.create_item(policy or service_policy, actor=actor, title=title, tags=tags, **fields)
        build(item, None, conditions, actor)
        if publish:
            item = actions.publish_item(item, actor=people["officer"])
        return item

    return make


REVENUE = ("revenue", "gte", 1000, "第三条（二）", "上一年度营业收入不低于1000万元")
EMPLOYEES = ("employees", "gte", 50, "第三条（三）", "从业人员50人以上")
DISTRICT = ("in_district", "is_true", None, "第三条（一）", "在本区注册纳税")
YEARS = ("years_established", "gte", 2, "第三条（四）", "成立满2年")
INDUSTRY = ("industry", "in", ["65", "M"], "第三条（五）", "属于软件和信息技术服务业或科学研究和技术服务业")
QUALIFICATION = (
    "qualifications",
    "has_any",
    ["hnte", "srdi"],
    "第三条（六）",
    "为高新技术企业或专精特新中小企业",
)
CREDIT = ("good_credit", "is_true", None, "第四条", "无严重违法失信行为")
