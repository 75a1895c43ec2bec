import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core import roles
from gongkai.core.audit import entries_for
from gongkai.core.models import Notification
from gongkai.policies import actions, validity
from gongkai.policies.models import CleanupConclusion, CleanupStatus, Policy, RelationKind, Validity
from gongkai.policies.signals import policy_lapsed

D = datetime.date


@pytest.fixture
def lapsed_calls():
    calls = []

    def receiver(sender, policy, status, **kwargs):
        calls.append((policy.pk, status))

    policy_lapsed.connect(receiver, dispatch_uid="test-lapsed")
    yield calls
    policy_lapsed.disconnect(dispatch_uid="test-lapsed")


@pytest.fixture
def fake_today(monkeypatch):
    state = {"day": D(2024, 6, 1)}
    monkeypatch.setattr(validity, "today", lambda: state["day"])

    def set_day(day):
        state["day"] = day

    return set_day


def normative(make_policy, title="关于规范停车管理的暂行办法", **fields):
    fields.setdefault("written_date", D(2020, 2, 20))
    fields.setdefault("publish_date", D(2020, 2, 25))
    fields.setdefault("effective_date", D(2020, 3, 1))
    fields.setdefault("validity_years", 5)
    return make_policy(title, is_normative=True, **fields)


def warnings_for(policy):
    return Notification.objects.filter(dedup_key__startswith=f"policy-lapse-warning:{policy.pk}:")


def test_expiry_date_and_month_arithmetic(make_policy, fake_today):
    policy = normative(make_policy)
    assert policy.valid_until == D(2025, 2, 28)
    assert validity.add_months(D(2025, 2, 28), -6) == D(2024, 8, 28)
    assert validity.add_months(D(2024, 8, 31), -6) == D(2024, 2, 29)
    assert validity.add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)


def test_six_month_and_one_month_warnings_then_lapse_on_the_date(
    make_policy, fake_today, lapsed_calls, departments
):
    policy = normative(make_policy)
    assert policy.validity == Validity.VALID
    assert validity.send_lapse_warnings(on=D(2024, 8, 27)) == 0  # more than six months before the end
    assert validity.send_lapse_warnings(on=D(2024, 8, 28)) == 1  # six months before 2025-02-28
    assert validity.send_lapse_warnings(on=D(2024, 8, 29)) == 0  # idempotent
    note = warnings_for(policy).get()
    assert note.dedup_key.endswith(":6") and note.department == departments["区发展改革委"]
    assert "2025年02月28日" in note.subject
    assert validity.send_lapse_warnings(on=D(2025, 1, 27)) == 0
    assert validity.send_lapse_warnings(on=D(2025, 1, 28)) == 1  # one month before
    assert validity.send_lapse_warnings(on=D(2025, 2, 10)) == 0
    assert warnings_for(policy).count() == 2
    # the last valid day, then the automatic lapse
    assert validity.lapse_due_policies(on=D(2025, 2, 28)) == 0
    assert validity.lapse_due_policies(on=D(2025, 3, 1)) == 1
    policy.refresh_from_db()
    assert policy.validity == Validity.EXPIRED
    assert lapsed_calls == [(policy.pk, Validity.EXPIRED)]
    assert validity.lapse_due_policies(on=D(2025, 3, 2)) == 0  # idempotent
    assert lapsed_calls == [(policy.pk, Validity.EXPIRED)]
    assert Notification.objects.filter(dedup_key=f"policy-lapsed:{policy.pk}:{Validity.EXPIRED}").count() == 1
    assert validity.send_lapse_warnings(on=D(2025, 3, 2)) == 0  # no warnings for a lapsed policy
    assert not Policy.objects.currently_valid_normative().filter(pk=policy.pk).exists()


def test_first_seen_within_a_month_gets_only_the_one_month_warning(make_policy, fake_today):
    policy = normative(make_policy)
    assert validity.due_lapse_warning(policy, D(2024, 6, 1)) is None
    assert validity.due_lapse_warning(policy, D(2024, 9, 1)) == 6
    assert validity.send_lapse_warnings(on=D(2025, 2, 20)) == 1
    assert [n.dedup_key.rsplit(":", 1)[1] for n in warnings_for(policy)] == ["1"]


def test_policies_without_validity_period_get_no_warning(make_policy, fake_today):
    make_policy("无有效期的文件")
    assert validity.send_lapse_warnings(on=D(2030, 1, 1)) == 0


def test_renewed_period_warns_again(make_policy, fake_today):
    policy = normative(make_policy)
    validity.send_lapse_warnings(on=D(2024, 9, 1))
    Policy.objects.filter(pk=policy.pk).update(validity_years=6)
    assert validity.send_lapse_warnings(on=D(2025, 9, 1)) == 1  # the new end date is a new warning


def test_repeal_date_lapses_on_the_day(make_policy, fake_today, lapsed_calls):
    policy = make_policy("到期废止的文件", effective_date=D(2024, 1, 1), repeal_date=D(2025, 1, 1))
    assert policy.validity == Validity.VALID
    assert validity.lapse_due_policies(on=D(2024, 12, 31)) == 0
    assert validity.lapse_due_policies(on=D(2025, 1, 1)) == 1
    policy.refresh_from_db()
    assert policy.validity == Validity.REPEALED and lapsed_calls == [(policy.pk, Validity.REPEALED)]
    assert validity.validity_explanation(policy) == "自2025年01月01日起废止"


def test_not_yet_effective_then_valid(make_policy, fake_today):
    policy = make_policy("将来施行的文件", effective_date=D(2024, 7, 1))
    assert policy.validity == Validity.NOT_YET_EFFECTIVE
    assert validity.refresh_validity(Policy.objects.filter(pk=policy.pk), on=D(2024, 7, 1)) == 1
    policy.refresh_from_db()
    assert policy.validity == Validity.VALID


def test_repeal_by_another_policy_updates_both_and_flags_dependants(make_policy, lapsed_calls, departments):
    old = make_policy("关于某事项的管理办法", doc_number="西发改发〔2020〕1号")
    interpretation = make_policy("《关于某事项的管理办法》政策解读", department="区教委")
    actions.add_relation(interpretation, old, RelationKind.INTERPRETS, actor=None)
    new = make_policy("关于某事项的新管理办法", publish=False)
    actions.add_relation(new, old, RelationKind.REPEALS, actor=None, note="同时废止")
    old.refresh_from_db()
    assert (
        old.validity == Validity.VALID and lapsed_calls == []
    )  # not in force before the new one is published
    actions.publish_policy(new, actor=None)
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED
    assert lapsed_calls == [(old.pk, Validity.REPEALED)]
    assert validity.validity_explanation(old) == "已被《关于某事项的新管理办法》废止"
    assert entries_for(old).filter(action="policy.related_by").exists()
    assert entries_for(new).filter(action="policy.relate").exists()
    assert Notification.objects.filter(
        department=departments["区发展改革委"], subject__contains="已废止"
    ).exists()
    flagged = Notification.objects.get(
        dedup_key=f"policy-lapsed-dependant:{interpretation.pk}:{old.pk}:repealed"
    )
    assert flagged.department == departments["区教委"]


def test_amendment_keeps_the_policy_in_force(make_policy, lapsed_calls):
    old = make_policy("被修改的办法")
    amending = make_policy("关于修改《被修改的办法》的决定", publish=False)
    actions.add_relation(amending, old, RelationKind.AMENDS, actor=None)
    actions.publish_policy(amending, actor=None)
    old.refresh_from_db()
    assert old.validity == Validity.AMENDED and lapsed_calls == []
    assert Policy.objects.currently_valid_normative().count() == 0  # neither is normative
    assert "修改" in validity.validity_explanation(old)


def test_replacement_repeals_the_old_version(make_policy, lapsed_calls):
    old = make_policy("旧版本")
    new = make_policy("新版本", publish=False)
    actions.add_relation(new, old, RelationKind.REPLACES, actor=None)
    actions.publish_policy(new, actor=None)
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED and lapsed_calls == [(old.pk, Validity.REPEALED)]


# --- clean-up campaigns ---------------------------------------------------------------------------------


@pytest.fixture
def officer(make_user):
    return make_user(roles.DEPARTMENT_OFFICER, "区发展改革委")


@pytest.fixture
def campaign_policies(make_policy, fake_today):
    fake_today(D(2024, 6, 1))
    return {
        "keep": make_policy("继续有效的文件", is_normative=True),
        "amend": make_policy("需要修改的文件"),
        "repeal": make_policy("需要废止的文件", is_normative=True),
        "expire": make_policy("需要宣布失效的文件"),
        "draft": make_policy("未发布的草稿", publish=False),
        "other": make_policy("其他部门的文件", department="区教委"),
        "gone": normative(make_policy, "已经失效的文件", effective_date=D(2015, 1, 1)),
    }


def test_cleanup_campaign_end_to_end(campaign_policies, officer, departments, lapsed_calls, client):
    p = campaign_policies
    campaign = actions.start_cleanup_campaign(
        departments["区发展改革委"], actor=officer, deadline=D(2024, 9, 30)
    )
    listed = {i.policy_id for i in campaign.items.all()}
    assert listed == {p["keep"].pk, p["amend"].pk, p["repeal"].pk, p["expire"].pk}
    assert campaign.undecided_count == 4
    assert entries_for(campaign).filter(action="cleanup.start").exists()
    items = {i.policy_id: i for i in campaign.items.all()}
    with pytest.raises(ValidationError):
        actions.confirm_cleanup_item(items[p["keep"].pk], CleanupConclusion.KEEP, actor=officer, reason=" ")
    with pytest.raises(ValidationError):
        actions.confirm_cleanup_item(items[p["keep"].pk], "unknown", actor=officer, reason="x")
    actions.confirm_cleanup_item(
        items[p["keep"].pk], CleanupConclusion.KEEP, actor=officer, reason="仍然适用"
    )
    actions.confirm_cleanup_item(
        items[p["amend"].pk], CleanupConclusion.AMEND, actor=officer, reason="与上位法不一致"
    )
    actions.confirm_cleanup_item(
        items[p["repeal"].pk], CleanupConclusion.REPEAL, actor=officer, reason="已被新规定取代"
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.publish_cleanup_results(campaign, actor=officer)
    assert "1 件" in str(excinfo.value) and "需要宣布失效的文件" in str(excinfo.value)
    # the public sees nothing before publication
    assert client.get(campaign.get_absolute_url()).status_code == 404
    actions.confirm_cleanup_item(
        items[p["expire"].pk], CleanupConclusion.EXPIRE, actor=officer, reason="任务已完成"
    )
    actions.publish_cleanup_results(campaign, actor=officer)
    campaign.refresh_from_db()
    assert campaign.status == CleanupStatus.PUBLISHED and campaign.published_at
    for key, expected in [
        ("keep", Validity.VALID),
        ("amend", Validity.VALID),
        ("repeal", Validity.REPEALED),
        ("expire", Validity.EXPIRED),
    ]:
        p[key].refresh_from_db()
        assert p[key].validity == expected, key
    assert sorted(lapsed_calls) == sorted(
        [(p["repeal"].pk, Validity.REPEALED), (p["expire"].pk, Validity.EXPIRED)]
    )
    assert list(Policy.objects.currently_valid_normative()) == [p["keep"]]
    assert Notification.objects.filter(dedup_key=f"cleanup-amend:{campaign.pk}").exists()
    assert entries_for(p["repeal"]).filter(action="cleanup.confirm").exists()
    assert entries_for(p["repeal"]).filter(action="policy.declare_validity").exists()
    with pytest.raises(ValidationError):
        actions.confirm_cleanup_item(
            items[p["keep"].pk], CleanupConclusion.REPEAL, actor=officer, reason="改主意"
        )
    assert (
        actions.publish_cleanup_results(campaign, actor=officer).status == CleanupStatus.PUBLISHED
    )  # idempotent
    # the public result list
    response = client.get("/policies/cleanup/")
    assert response.status_code == 200 and campaign.title in response.content.decode()
    page = client.get(campaign.get_absolute_url()).content.decode()
    for title in ("继续有效的文件", "需要修改的文件", "需要废止的文件", "需要宣布失效的文件"):
        assert title in page
    assert "已被新规定取代" in page and "<label" in page
    filtered = client.get(
        campaign.get_absolute_url(), {"conclusion": CleanupConclusion.REPEAL}
    ).content.decode()
    assert "需要废止的文件" in filtered and "继续有效的文件" not in filtered


def test_cleanup_permissions(campaign_policies, make_user, departments, officer):
    drafter = make_user(roles.DRAFTER, "区发展改革委")
    other_officer = make_user(roles.DEPARTMENT_OFFICER, "区教委")
    with pytest.raises(PermissionDenied):
        actions.start_cleanup_campaign(departments["区发展改革委"], actor=drafter)
    with pytest.raises(PermissionDenied):
        actions.start_cleanup_campaign(departments["区发展改革委"], actor=other_officer)
    office = make_user(roles.OPENNESS_OFFICE, "区政务服务局")
    campaign = actions.start_cleanup_campaign(departments["区发展改革委"], actor=office, title="2024年清理")
    item = campaign.items.first()
    with pytest.raises(PermissionDenied):
        actions.confirm_cleanup_item(item, CleanupConclusion.KEEP, actor=other_officer, reason="x")
    actions.confirm_cleanup_item(item, CleanupConclusion.KEEP, actor=officer, reason="仍然适用")


def test_cleanup_admin_pages(campaign_policies, officer, client, make_user):
    client.force_login(officer)
    response = client.get("/admin/cleanup/")
    assert response.status_code == 200 and "开始新的清理" in response.content.decode()
    response = client.post("/admin/cleanup/", {"department": officer.department_id, "title": "2024年清理"})
    campaign = officer.department.cleanup_campaigns.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/admin/cleanup/{campaign.pk}/")
    page = client.get(f"/admin/cleanup/{campaign.pk}/").content.decode()
    assert "继续有效的文件" in page and "<label" in page
    for item in campaign.items.all():
        client.post(f"/admin/cleanup/{campaign.pk}/", {"item": item.pk, "conclusion": "keep", "reason": ""})
    assert campaign.undecided_count == 4  # no reason, nothing recorded
    for item in campaign.items.all():
        client.post(
            f"/admin/cleanup/{campaign.pk}/", {"item": item.pk, "conclusion": "keep", "reason": "仍然适用"}
        )
    client.post(f"/admin/cleanup/{campaign.pk}/", {"publish": "1"})
    campaign.refresh_from_db()
    assert campaign.status == CleanupStatus.PUBLISHED
    # an openness officer of another department: same role, other department — not found, not listed, and a
    # POST to the campaign changes nothing
    outsider = make_user(roles.DEPARTMENT_OFFICER, campaign_policies["other"].issuer)
    client.force_login(outsider)
    assert client.get(f"/admin/cleanup/{campaign.pk}/").status_code == 404
    assert campaign.title not in client.get("/admin/cleanup/").content.decode()
    item = campaign.items.first()
    response = client.post(
        f"/admin/cleanup/{campaign.pk}/", {"item": item.pk, "conclusion": "repeal", "reason": "越权"}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.conclusion == "keep"
