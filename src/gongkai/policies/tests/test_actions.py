import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core import roles
from gongkai.core.audit import entries_for
from gongkai.policies import actions
from gongkai.policies.models import DisclosureAttribute, Policy, RelationKind, Validity


def test_create_assigns_index_number_and_normalises_doc_number(make_policy, departments):
    policy = make_policy(doc_number="西发改发[2024] 007号", publish=False)
    assert policy.doc_number == "西发改发〔2024〕7号"
    assert policy.index_number == "XCFGW-2024-00001"
    second = make_policy("第二个文件", publish=False)
    assert second.index_number == "XCFGW-2024-00002"
    assert not policy.live
    assert entries_for(policy).filter(action="policy.create").exists()


def test_publish_makes_public_and_is_audited(make_policy):
    policy = make_policy()
    assert policy.live
    assert Policy.objects.public().filter(pk=policy.pk).exists()
    entry = entries_for(policy).get(action="policy.publish")
    assert entry.before["live"] is False and entry.after["live"] is True


def test_not_disclosed_policy_is_never_public(make_policy):
    policy = make_policy(disclosure=DisclosureAttribute.NOT_DISCLOSED, disclosure_reason="涉及国家秘密（条例第十四条）")
    assert policy.live
    assert not Policy.objects.public().filter(pk=policy.pk).exists()


def test_non_proactive_requires_reason(make_policy):
    with pytest.raises(ValidationError):
        make_policy(disclosure=DisclosureAttribute.ON_REQUEST, disclosure_reason="")


def test_drafter_cannot_edit_other_department(make_policy, make_user):
    policy = make_policy(publish=False)
    other = make_user(roles.DRAFTER, "区教委")
    with pytest.raises(PermissionDenied):
        actions.update_policy(policy, actor=other, title="改")
    own = make_user(roles.DRAFTER, "区发展改革委")
    actions.update_policy(policy, actor=own, title="改过的标题")
    policy.refresh_from_db()
    assert policy.title == "改过的标题"


def test_editing_published_policy_keeps_public_text_until_republished(make_policy):
    policy = make_policy(title="旧标题")
    actions.update_policy(policy, actor=None, title="新标题")
    policy.refresh_from_db()
    assert policy.title == "旧标题" and policy.has_unpublished_changes
    actions.publish_policy(policy, actor=None)
    policy.refresh_from_db()
    assert policy.title == "新标题"


def test_validity_paths(make_policy):
    today = datetime.date.today()
    future = make_policy("未来施行", effective_date=today + datetime.timedelta(days=30))
    assert future.validity == Validity.NOT_YET_EFFECTIVE
    lapsed = make_policy(
        "过期", written_date=datetime.date(2015, 1, 1), publish_date=datetime.date(2015, 1, 2),
        effective_date=datetime.date(2015, 2, 1), validity_years=5,
    )
    assert lapsed.validity == Validity.EXPIRED
    old = make_policy("旧办法")
    amended = make_policy("被修改的办法")
    new = make_policy("新办法", publish=False)
    actions.add_relation(new, old, RelationKind.REPEALS, actor=None)
    actions.add_relation(new, amended, RelationKind.AMENDS, actor=None)
    old.refresh_from_db()
    assert old.validity == Validity.VALID  # the repealing policy is not published yet
    actions.publish_policy(new, actor=None)
    old.refresh_from_db()
    amended.refresh_from_db()
    assert old.validity == Validity.REPEALED
    assert amended.validity == Validity.AMENDED
    actions.declare_validity(new, Validity.EXPIRED, actor=None, reason="清理：任务已完成")
    new.refresh_from_db()
    assert new.validity == Validity.EXPIRED
