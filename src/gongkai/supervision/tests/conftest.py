"""Fixtures for supervision tests: a small parsed work plan (the shape `parse_workplan` returns), plans made
through the actions, officers of several departments and the openness office."""

import datetime

import pytest

from gongkai.core import roles


def small_parse():
    return {
        "title": "西城区2024年政务公开工作要点（测试）",
        "year": 2024,
        "notice": "为进一步加强本区政务公开工作，制定本工作要点。",
        "sections": [
            {"ref": "一", "title": "深化重点领域信息公开"},
            {"ref": "一（一）", "title": "围绕高质量发展推进政府信息专题公开", "parent": "一"},
            {"ref": "三", "title": "加强政务公开能力建设"},
        ],
        "tasks": [
            {
                "ref": "一（一）1",
                "section": "一（一）",
                "text": "做好京津冀协同发展等方面的信息公开。",
                "lead": [],
                "owners": ["区发展改革委", "西城园管委会"],
                "support": [],
                "deadline": "2024-07-31",
                "deadline_text": "2024年7月",
                "recurrence": None,
                "unresolved": [],
            },
            {
                "ref": "一（一）2",
                "section": "一（一）",
                "text": "配合搭建全市统一权威的政策标签库。",
                "lead": ["区政务服务局"],
                "owners": ["区发展改革委", "区商务局"],
                "support": ["区数据局"],
                "deadline": "2024-09-30",
                "deadline_text": "2024年9月",
                "recurrence": None,
                "unresolved": [],
            },
            {
                "ref": "三1",
                "section": "三",
                "text": "每月更新政务公开全清单。",
                "lead": [],
                "owners": ["区商务局"],
                "support": [],
                "deadline": "2024-12-31",
                "deadline_text": "每月",
                "recurrence": "monthly",
                "unresolved": [],
            },
            {
                "ref": "三2",
                "section": "三",
                "text": "强化政务咨询渠道建设。",
                "lead": [],
                "owners": ["区民政局"],
                "support": [],
                "deadline": None,
                "deadline_text": "长期",
                "recurrence": "ongoing",
                "unresolved": [],
            },
        ],
    }


@pytest.fixture
def parsed():
    return small_parse()


@pytest.fixture
def office(make_user):
    return make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="office", email="office@example.org")


@pytest.fixture
def officer(make_user):
    def make(department, **extra):
        extra.setdefault("username", f"officer-{department}")
        return make_user(roles.DEPARTMENT_OFFICER, department, **extra)

    return make


@pytest.fixture
def active_plan(departments, office, parsed):
    from gongkai.supervision import actions

    plan = actions.import_workplan(parsed, actor=office)
    return actions.confirm_plan(plan, actor=office, today=datetime.date(2024, 1, 2))
