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


def _staff(departments, role, department, username, **extra):
    """A member of staff in a role. The role groups exist since migrate (`ensure_roles` runs on post_migrate), so
    this skips the root fixture's per-user `ensure_roles` (a third of a second each)."""
    from gongkai.core.models import User

    user = User.objects.create_user(
        username=username, password="test-password-123", department=departments[department], **extra
    )
    roles.assign_role(user, role)
    return user


@pytest.fixture
def office(departments):
    return _staff(departments, roles.OPENNESS_OFFICE, "区政务服务局", "office", email="office@example.org")


@pytest.fixture
def officer(departments):
    def make(department, **extra):
        username = extra.pop("username", f"officer-{department}")
        return _staff(departments, roles.DEPARTMENT_OFFICER, department, username, **extra)

    return make


@pytest.fixture
def active_plan(departments, office, parsed):
    from gongkai.supervision import actions

    plan = actions.import_workplan(parsed, actor=office)
    return actions.confirm_plan(plan, actor=office, today=datetime.date(2024, 1, 2))


def quarter_parse():
    """Five tasks for a simulated third quarter of 2024 (see `simulated_quarter`)."""

    def task(ref, text, owners, deadline, lead=(), support=(), recurrence=None):
        return {
            "ref": ref,
            "section": ref[0],
            "text": text,
            "lead": list(lead),
            "owners": owners,
            "support": list(support),
            "deadline": deadline,
            "deadline_text": deadline or "",
            "recurrence": recurrence,
            "unresolved": [],
        }

    return {
        "title": "季度模拟计划",
        "year": 2024,
        "notice": None,
        "sections": [{"ref": "一", "title": "重点领域"}, {"ref": "三", "title": "能力建设"}],
        "tasks": [
            task("一1", "做好协同发展信息公开。", ["区发展改革委", "西城园管委会"], "2024-07-31"),
            task(
                "一2",
                "配合搭建政策标签库。",
                ["区发展改革委", "区商务局"],
                "2024-09-15",
                lead=["区政务服务局"],
                support=["区数据局"],
            ),
            task("三1", "每月更新公开清单。", ["区商务局"], "2024-12-31", recurrence="monthly"),
            task("三2", "强化政务咨询渠道建设。", ["区民政局"], None, recurrence="ongoing"),
            task("三3", "发布养老服务信息。", ["区民政局"], "2024-08-31"),
            task("三4", "公开新增学位信息。", ["区教委"], "2024-09-30"),
        ],
    }


@pytest.fixture
def people(office, officer):
    return {
        "office": office,
        "fgw": officer("区发展改革委", email="fgw@example.org"),
        "ygw": officer("西城园管委会", email="ygw@example.org"),
        "sw": officer("区商务局", email="sw@example.org"),
        "zwfw": officer("区政务服务局", email="zwfw@example.org"),
        "mz": officer("区民政局", email="mz@example.org"),
        "jw": officer("区教委", email="jw@example.org"),
    }


D = datetime.date


@pytest.fixture
def simulated_quarter(departments, people, make_policy):
    """Q3 2024 played through the actions: reports, a return, a lead confirmation, acceptances."""
    from gongkai.supervision import actions

    office = people["office"]
    plan = actions.import_workplan(quarter_parse(), actor=office)
    plan = actions.confirm_plan(plan, actor=office, today=D(2024, 7, 1))
    t = {task.ref: task for task in plan.tasks.all()}
    policy = make_policy("关于推动京津冀协同发展的若干措施", department="区发展改革委")

    def report(who, ref, day, **kw):
        kw.setdefault("summary", f"{ref} 进展")
        kw.setdefault("percent", 100 if kw.get("claims_completion") else 50)
        return actions.submit_report(t[ref], actor=people[who], today=day, **kw)

    def accept(r, day):
        return actions.accept_report(r, actor=office, today=day)

    # 一1: FGW done early, with a platform policy as evidence; YGW returned once, then done before the deadline
    accept(
        report(
            "fgw",
            "一1",
            D(2024, 7, 10),
            claims_completion=True,
            evidence=[{"kind": "policy", "policy": policy}],
            internal_note="内部：领导已签批",
        ),
        D(2024, 7, 11),
    )
    r = report("ygw", "一1", D(2024, 7, 20), claims_completion=True)
    actions.return_report(r, actor=office, reason="缺少佐证材料")
    accept(
        report(
            "ygw",
            "一1",
            D(2024, 7, 25),
            claims_completion=True,
            evidence=[
                {"kind": "link", "url": "https://www.bjxch.gov.cn/xxgk/1.html", "title": "园区公开专栏"}
            ],
        ),
        D(2024, 7, 26),
    )
    # 一2: shared task led by 区政务服务局, deadline Sunday 15 Sept in the Mid-Autumn holiday → effective 18 Sept
    accept(report("zwfw", "一2", D(2024, 9, 5), claims_completion=True), D(2024, 9, 5))
    r = report("fgw", "一2", D(2024, 9, 10), claims_completion=True)
    actions.confirm_report_as_lead(r, actor=people["zwfw"])
    accept(r, D(2024, 9, 11))
    r = report(
        "sw",
        "一2",
        D(2024, 9, 18),
        claims_completion=True,
        evidence=[{"kind": "link", "url": "/policies/1/", "title": "政策页面"}],
    )
    actions.confirm_report_as_lead(r, actor=people["zwfw"])
    accept(r, D(2024, 9, 19))
    # 三1 monthly: July done, August and September not reported
    accept(report("sw", "三1", D(2024, 7, 30), claims_completion=True), D(2024, 7, 31))
    # 三2 ongoing: work reported
    accept(report("mz", "三2", D(2024, 8, 5), percent=40), D(2024, 8, 6))
    # 三3: deadline Saturday 31 Aug → effective Monday 2 Sept; done on 2 Sept
    accept(report("mz", "三3", D(2024, 9, 2), claims_completion=True), D(2024, 9, 3))
    # 三4: 区教委 reports progress only, never completes; a report still waiting is not counted
    accept(report("jw", "三4", D(2024, 8, 20), percent=60), D(2024, 8, 21))
    report("jw", "三4", D(2024, 9, 29), percent=90, internal_note="内部：等待区领导批示")
    return {"plan": plan, "tasks": t, "people": people, "policy": policy}


@pytest.fixture(autouse=True)
def seeded_calendar(db):
    """The core working-day calendar, seeded as `gongkai setup` does, for the years the tests use."""
    from gongkai.core import calendar

    calendar.clear_cache()
    calendar.seed_from_chinese_calendar(years=[2023, 2024])
    calendar.clear_cache()
    yield
    calendar.clear_cache()
