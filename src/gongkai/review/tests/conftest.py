"""Fixtures for the review tests: the workflows, one user per role, a complete policy with its interpretation,
and helpers that take a step through the actions."""

import datetime

import pytest

from gongkai.core import roles
from gongkai.review.rules import STEP_POINTS, CheckResult, ReviewStep


@pytest.fixture
def workflows(departments):
    from gongkai.review.workflow import ensure_review_workflows

    ensure_review_workflows()


PEOPLE = {
    "drafter": (roles.DRAFTER, "区政府办", "drafter_gov"),
    "officer": (roles.DEPARTMENT_OFFICER, "区政府办", "officer_gov"),
    "dept_drafter": (roles.DRAFTER, "区发展改革委", "drafter_fgw"),
    "dept_officer": (roles.DEPARTMENT_OFFICER, "区发展改革委", "officer_fgw"),
    "other_drafter": (roles.DRAFTER, "区教委", "drafter_jw"),
    "service": (roles.OPENNESS_OFFICE, "区政务服务局", "service"),
    "finance": (roles.FINANCE_REVIEWER, "区财政局", "finance"),
    "justice": (roles.JUSTICE_REVIEWER, "区司法局", "justice"),
    "office": (roles.DISTRICT_OFFICE_REVIEWER, "区政府办", "office"),
    "admin": (roles.ADMINISTRATOR, "区政务服务局", "sysadmin"),
}


@pytest.fixture
def people(departments, workflows):
    """One user per role (the role groups are set up once, not per user as `make_user` does)."""
    from gongkai.core.models import User

    roles.ensure_roles()
    made = {}
    for key, (role, department, username) in PEOPLE.items():
        user = User.objects.create_user(
            username=username, password="test-password-123", department=departments[department]
        )
        roles.assign_role(user, role)
        made[key] = user
    return made


ELEMENTS = {
    "background": "依据《中小企业促进法》。",
    "objectives": "到2025年服务企业一万家。",
    "main_content": "提出十条措施。",
    "innovations": "首次实行免申即享。",
    "key_terms": "免申即享：企业无需申请即可享受。",
    "scope": "本区注册的中小企业。",
    "standards": "每家最高补贴10万元。",
    "precautions": "同一事项不重复享受。",
}


@pytest.fixture
def complete_policy(departments):
    """Makes a draft policy with every piece of metadata the checks need, and (by default) a complete
    interpretation."""
    from gongkai.policies import actions
    from gongkai.policies.models import Theme

    def make(issuer="区政府办", *, interpretation=True, actor=None, **fields):
        fields.setdefault("title", "关于促进中小企业发展的若干措施")
        fields.setdefault("doc_number", "京西政办发〔2024〕3号")
        fields.setdefault("written_date", datetime.date(2024, 3, 1))
        fields.setdefault("theme", Theme.objects.first())
        fields.setdefault("summary", "支持中小企业发展的十条措施。")
        fields.setdefault(
            "body", "第一条 为了促进中小企业发展，制定本措施。\n第二条 本措施自发布之日起施行。"
        )
        policy = actions.create_policy(actor=actor, issuer=departments[issuer], **fields)
        if interpretation:
            actions.create_interpretation(
                actor=None,
                policies=[policy],
                title="《若干措施》政策解读",
                first_interpreter="张局长",
                **ELEMENTS,
            )
        return policy

    return make


def checklist_for(step, result=CheckResult.PASS, note=""):
    return {str(p): {"result": result, "note": note} for p in STEP_POINTS[step]}


def approve(policy, user, step, **extra):
    from gongkai.review import actions

    if step == ReviewStep.SELF:
        extra.setdefault("risk_level", "low")
    return actions.decide(
        policy, actor=user, step=step, approve=True, checklist=checklist_for(step), opinion="同意", **extra
    )


def reject(policy, user, step, opinion="请修改"):
    from gongkai.review import actions

    extra = {"risk_level": "low"} if step == ReviewStep.SELF else {}
    return actions.decide(
        policy, actor=user, step=step, approve=False, checklist=checklist_for(step), opinion=opinion, **extra
    )
