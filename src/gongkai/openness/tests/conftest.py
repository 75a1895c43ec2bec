import datetime

import pytest

from gongkai.core import roles


@pytest.fixture
def calendar_years(db):
    """The holiday calendar for the years the tests use (the completeness check counts working days)."""
    from gongkai.core.calendar import seed_from_chinese_calendar

    seed_from_chinese_calendar([2024, 2025, 2026])


@pytest.fixture
def officer(make_user):
    return make_user(roles.DEPARTMENT_OFFICER, "区发展改革委", username="officer_fgw")


@pytest.fixture
def other_officer(make_user):
    return make_user(roles.DEPARTMENT_OFFICER, "区民政局", username="officer_mz")


@pytest.fixture
def office(make_user):
    return make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="office")


@pytest.fixture
def list_item(departments):
    from gongkai.openness import actions

    def make(department="区发展改革委", **fields):
        data = {
            "category": "plans",
            "name": "国民经济和社会发展规划",
            "basis": "条例第二十条第（三）项",
            "timing": "20个工作日内",
            "frequency": "on_change",
        }
        data.update(fields)
        return actions.create_list_item(actor=None, department=departments[department], **data)

    return make


@pytest.fixture
def day():
    return datetime.date
