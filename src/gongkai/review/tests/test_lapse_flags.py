"""A policy that lapses flags its interpretations and its Q&A for their owners (issue 6, item 1)."""

from gongkai.core.models import Notification
from gongkai.policies import actions
from gongkai.policies.models import Validity


def test_lapse_flags_interpretations_and_qa(complete_policy, people):
    policy = complete_policy()
    actions.publish_policy(policy, actor=people["admin"], override_reason="测试")
    actions.add_policy_qa(policy, actor=None, question="谁可以申请？", answer="本区注册企业。")
    item = policy.interpretations.get()
    actions.declare_validity(policy, Validity.EXPIRED, actor=None, reason="清理：已到期")
    interp_notes = Notification.objects.filter(
        dedup_key__startswith=f"policy-lapsed-interpretation:{item.pk}:"
    )
    assert interp_notes.count() == 1
    assert interp_notes.get().department == item.department
    assert f"/admin/interpretations/edit/{item.pk}/" in interp_notes.get().link
    assert (
        Notification.objects.filter(dedup_key=f"policy-lapsed-qa:{policy.pk}:{Validity.EXPIRED}").count() == 1
    )
    # idempotent: the same lapse again sends nothing new
    actions.declare_validity(policy, "", actor=None, reason="")
    actions.declare_validity(policy, Validity.EXPIRED, actor=None, reason="再次确认")
    assert interp_notes.count() == 1
