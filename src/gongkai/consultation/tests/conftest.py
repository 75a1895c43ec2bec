"""Fixtures for the consultation tests: a seeded calendar, staff of two departments, a draft policy, an open
consultation and helpers that post the public forms."""

import datetime
import time

import pytest
from django.utils import timezone

from gongkai.core import calendar, roles

DRAFT = "第一条 为了促进中小企业发展，制定本措施。\n第二条 对新认定的企业给予奖励。\n第三条 本措施自发布之日起施行。"


@pytest.fixture
def seeded_calendar(db):
    calendar.clear_cache()
    year = timezone.localdate().year
    calendar.seed_from_chinese_calendar(years=[2024, 2025, year, year + 1])
    yield
    calendar.clear_cache()


@pytest.fixture
def staff(make_user, seeded_calendar):
    return {
        "drafter": make_user(roles.DRAFTER, "区发展改革委", username="c_drafter"),
        "officer": make_user(roles.DEPARTMENT_OFFICER, "区发展改革委", username="c_officer"),
        "other": make_user(roles.DEPARTMENT_OFFICER, "区民政局", username="c_other"),
        "office": make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="c_office"),
    }


@pytest.fixture
def draft_policy(make_policy, staff):
    return make_policy("关于促进中小企业发展的若干措施", publish=False, actor=staff["drafter"], body=DRAFT)


@pytest.fixture
def open_consultation(draft_policy, staff):
    from gongkai.consultation import actions

    c = actions.create_consultation(
        actor=staff["drafter"], policy=draft_policy, explanation="起草说明：依据有关规定起草。"
    )
    return actions.publish_consultation(c, actor=staff["drafter"])


@pytest.fixture
def closed_consultation(draft_policy, staff):
    """A consultation held 40 to 11 days ago (an import: the system keeps its dates), with no comments yet."""
    from gongkai.consultation import actions

    start = timezone.localdate() - datetime.timedelta(days=40)
    c = actions.create_consultation(
        actor=None,
        policy=draft_policy,
        explanation="起草说明",
        start_date=start,
        end_date=start + datetime.timedelta(days=29),
    )
    return actions.publish_consultation(c, actor=None)


def old_token():
    from gongkai.core.spam import form_token

    return form_token(time.time() - 60)


@pytest.fixture
def comment_post(client):
    def post(consultation, **data):
        payload = {
            "unit": "",
            "text": "",
            "name": "",
            "contact": "",
            "website": "",
            "form_token": old_token(),
        }
        payload.update(data)
        return client.post(f"/consultation/{consultation.pk}/comment/", payload)

    return post


def add_comment(consultation, text="建议提高奖励标准。", unit=1, **extra):
    from gongkai.consultation import actions

    extra.setdefault(
        "received_at",
        timezone.make_aware(datetime.datetime.combine(consultation.start_date, datetime.time(10))),
    )
    return actions.submit_comment(consultation, text=text, unit_index=unit, **extra)
