"""Fixtures for the disclosure tests: a seeded calendar, officers, seals and requests made through the actions."""

import contextlib
import datetime
import io

import pytest
from django.utils import timezone

from gongkai.core import calendar, roles

D = datetime.date
DEFAULT_RECEIVED = datetime.date(2024, 9, 27)


@pytest.fixture
def seeded_calendar(db):
    calendar.clear_cache()
    calendar.seed_from_chinese_calendar(years=[2023, 2024, 2025, 2026])
    yield
    calendar.clear_cache()


@pytest.fixture
def calendar_ahead(seeded_calendar):
    """Tests that run on today's date need this year and the next in the calendar; a year the installed
    chinese-calendar does not know yet is added as plain Monday–Friday (source manual)."""
    from gongkai.core.models import CalendarSource, CalendarYear

    year = timezone.localdate().year
    for y in (year, year + 1):
        if not CalendarYear.objects.filter(year=y).exists():
            calendar.seed_from_chinese_calendar(years=[y])
        CalendarYear.objects.get_or_create(
            year=y, defaults={"source": CalendarSource.MANUAL, "notice": "测试用"}
        )
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def officer(make_user):
    """The department's openness officer who also holds the disclosure-handling role (as in the demo)."""
    user = make_user(
        roles.DEPARTMENT_OFFICER, "区发展改革委", username="officer", first_name="办", last_name="王"
    )
    roles.assign_role(user, roles.DISCLOSURE_HANDLER)
    return user


@pytest.fixture
def other_officer(make_user):
    user = make_user(roles.DEPARTMENT_OFFICER, "区发展改革委", username="colleague")
    roles.assign_role(user, roles.DISCLOSURE_HANDLER)
    return user


@pytest.fixture
def seal(admin_user, departments):
    from gongkai.disclosure import actions
    from gongkai.disclosure.fonts import FontMissing, find_cjk_font

    try:
        find_cjk_font()
    except FontMissing:
        pytest.skip("CJK font (fonts-wqy-microhei) not installed")
    return actions.generate_department_seal(departments["区发展改革委"], actor=admin_user)


PERSON = {
    "applicant_type": "natural_person",
    "applicant_name": "张三丰",
    "id_type": "id_card",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "email": "zhangsan@example.com",
    "address": "北京市西城区某某街道甲1号",
    "postal_code": "100032",
    "information_title": "2023年度老旧小区改造项目清单",
    "description": "西城区2023年度老旧小区综合整治项目的名单及资金安排",
    "information_form": "electronic",
    "delivery_method": "online",
}


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def make_request(departments, seeded_calendar):
    return request_maker(departments)


@contextlib.contextmanager
def module_world(django_db_blocker):
    """For a module-scoped fixture: departments, themes and the working-day calendar (as `seeded_calendar`) in a
    transaction rolled back when the block ends; yields the departments by short name. Tests that use the
    module's data request `db` and run in a savepoint inside that transaction."""
    from django.db import transaction

    from gongkai.core.departments import clear_department_cache
    from gongkai.core.models import Department
    from gongkai.core.seed_departments import seed_departments
    from gongkai.policies.themes import seed_themes

    with django_db_blocker.unblock():
        with transaction.atomic():
            seed_departments()
            seed_themes()
            clear_department_cache()
            calendar.clear_cache()
            calendar.seed_from_chinese_calendar(years=[2023, 2024, 2025, 2026])
            yield {d.short_name: d for d in Department.objects.all()}
            transaction.set_rollback(True)
        clear_department_cache()
        calendar.clear_cache()


def request_maker(departments):
    """`make_request` without the fixtures: for module fixtures that build data once for several tests (they seed
    the departments and the calendar themselves)."""
    from gongkai.disclosure import actions

    def make(
        *,
        actor=None,
        channel="online",
        received=DEFAULT_RECEIVED,
        confirm=True,
        submitted_at=None,
        **overrides,
    ):
        data = dict(PERSON)
        data["department"] = departments[overrides.pop("department", "区发展改革委")]
        data.update(overrides)
        if submitted_at is None:
            submitted_at = timezone.make_aware(datetime.datetime.combine(received, datetime.time(10)))
        req, code = actions.create_request(
            actor=actor,
            channel=channel,
            data=data,
            submitted_at=submitted_at,
            received_date=received if channel != "online" else None,
        )
        if channel == "online" and confirm:
            actions.confirm_receipt(req, actor=actor, day=received)
        req.refresh_from_db()
        req.query_code = code
        return req

    return make


def provide(
    reply, actor, name="项目清单.txt", text="2023年度老旧小区综合整治项目：月坛街道3个小区，资金1200万元。"
):
    """Adds a document to a draft reply (the letters of 予以公开 say 见附件)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.disclosure import actions

    data = text.encode("utf-8") if isinstance(text, str) else text
    return actions.add_released_file(reply, actor=actor, file=SimpleUploadedFile(name, data, "text/plain"))
