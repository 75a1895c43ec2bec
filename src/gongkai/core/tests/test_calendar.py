"""The working-day calendar: seeding, lookups, the uncovered-year error, admin edits and the December warning."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core import calendar
from gongkai.core.models import CalendarDay, CalendarDayKind, CalendarYear

D = datetime.date


@pytest.fixture
def seeded(db):
    calendar.clear_cache()
    calendar.seed_from_chinese_calendar(years=[2023, 2024, 2025, 2026])
    yield
    calendar.clear_cache()


def test_seed_is_idempotent_and_keeps_admin_edits(seeded):
    n = CalendarDay.objects.count()
    CalendarDay.objects.filter(date=D(2024, 10, 1)).update(name="改过的名字")
    assert calendar.seed_from_chinese_calendar(years=[2024]) == "工作日历无新增年度"
    assert CalendarDay.objects.count() == n
    assert CalendarDay.objects.get(date=D(2024, 10, 1)).name == "改过的名字"
    assert CalendarYear.objects.get(year=2024).source == "chinese_calendar"


def test_holidays_and_adjusted_weekends(seeded):
    assert not calendar.is_working_day(D(2024, 10, 1))  # National Day
    assert not calendar.is_working_day(D(2024, 2, 12))  # Spring Festival, a Monday
    assert calendar.is_working_day(D(2024, 10, 12))  # Saturday worked (调休)
    assert calendar.is_working_day(D(2024, 2, 4))  # Sunday worked (调休)
    assert not calendar.is_working_day(D(2024, 10, 19))  # ordinary Saturday
    assert calendar.is_working_day(D(2024, 10, 16))  # ordinary Wednesday
    assert CalendarDay.objects.get(date=D(2024, 10, 1)).name == "国庆节"


def test_add_working_days_and_between(seeded):
    # Friday 27 September 2024: the next working day is Sunday the 29th (调休), then the 30th, then 8 October.
    assert calendar.add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)
    assert calendar.add_working_days(D(2024, 9, 27), 2) == D(2024, 9, 30)
    assert calendar.add_working_days(D(2024, 9, 27), 3) == D(2024, 10, 8)
    assert calendar.add_working_days(D(2024, 9, 27), 0) == D(2024, 9, 27)
    assert calendar.working_days_between(D(2024, 9, 27), D(2024, 10, 8)) == 3
    assert calendar.working_days_between(D(2024, 10, 8), D(2024, 9, 27)) == 0
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2024, 9, 27), -1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(D(2023, 1, 1), D(2025, 12, 1)), n=st.integers(0, 60))
def test_add_and_between_agree(seeded, start, n):
    end = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, end) == n
    assert n == 0 or calendar.is_working_day(end)


def test_uncovered_year_raises_clear_chinese_error(seeded):
    with pytest.raises(calendar.CalendarNotCovered) as info:
        calendar.is_working_day(D(2031, 3, 3))
    assert "2031" in str(info.value) and "工作日历" in str(info.value)
    # crossing into an uncovered year while counting also raises, never assumes Monday to Friday
    with pytest.raises(calendar.CalendarNotCovered):
        calendar.add_working_days(D(2026, 12, 20), 30)


def test_manual_year_then_counts(seeded):
    CalendarYear.objects.create(year=2027, notice="测试")
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦")
    assert calendar.is_working_day(D(2027, 1, 4))
    assert not calendar.is_working_day(D(2027, 1, 1))
    CalendarDay.objects.create(date=D(2027, 1, 2), kind=CalendarDayKind.WORKDAY, name="元旦调休")
    assert calendar.is_working_day(D(2027, 1, 2))


def test_december_warning(seeded):
    assert calendar.missing_next_year_warning(D(2026, 11, 30)) is None
    message = calendar.missing_next_year_warning(D(2026, 12, 1))
    assert message and "2027" in message
    assert calendar.missing_next_year_warning(D(2025, 12, 1)) is None  # 2026 is covered


def test_dashboard_panel_in_december(seeded, admin_user, client, monkeypatch):
    monkeypatch.setattr(
        calendar, "missing_next_year_warning", lambda today=None: "工作日历尚未录入2027年的节假日安排"
    )
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "工作日历尚未录入2027年" in response.content.decode()


def test_admin_can_edit_calendar(seeded, admin_user, client):
    client.force_login(admin_user)
    response = client.get(reverse("calendarday:index"))
    assert response.status_code == 200
    year = CalendarYear.objects.get(year=2026)
    response = client.post(
        reverse("calendarday:add"),
        {"calendar_year": year.pk, "date": "2026-11-23", "kind": "holiday", "name": "测试假日"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not calendar.is_working_day(D(2026, 11, 23))


def test_day_in_wrong_year_refused(seeded):
    from django.core.exceptions import ValidationError

    day = CalendarDay(calendar_year=CalendarYear.objects.get(year=2025), date=D(2024, 5, 1), kind="holiday")
    with pytest.raises(ValidationError):
        day.full_clean()


def test_calendar_change_is_logged_through_listeners(seeded, django_capture_on_commit_callbacks):
    seen = []
    calendar.register_calendar_listener(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            CalendarDay.objects.create(date=D(2025, 11, 24), kind=CalendarDayKind.HOLIDAY, name="测试")
        assert {2025} in seen
    finally:
        calendar._listeners.remove(seen.append)
