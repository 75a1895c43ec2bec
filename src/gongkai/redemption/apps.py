from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _notify_subscribers():
    from .actions import notify_subscribers

    return f"已通知 {notify_subscribers()} 家订阅企业"


def _load_demo():
    from .demo import load_demo

    return load_demo()


def _seed_tags():
    from .tags import seed_tag_library

    return seed_tag_library()


class RedemptionConfig(AppConfig):
    name = "gongkai.redemption"
    label = "redemption"
    verbose_name = _("惠企政策兑现")

    def ready(self):
        from gongkai.core.demo_steps import register_demo_step
        from gongkai.core.jobs import register_job
        from gongkai.core.pagecache import watch_model
        from gongkai.core.ratelimit import register_limit
        from gongkai.core.setup_hooks import register_setup_hook
        from gongkai.policies.signals import policy_lapsed
        from gongkai.portal.nav import register_portal_link
        from gongkai.portal.panels import register_policy_panel
        from gongkai.review.checks import register_automatic_check
        from gongkai.review.reviewer_panels import register_reviewer_panel
        from gongkai.review.rules import ReviewPoint

        from . import panels
        from .actions import lapse_items_of_policy

        # Matching is public and costs ~100 ms: a per-client limit on the project's shared rate limiter.
        register_limit("redemption.match", 240, 3600)
        register_limit("redemption.subscribe", 10, 3600)
        # The portal's cached pages (core/pagecache.py) show items with their conditions and tags, the published
        # 免申即享 lists and evaluation reports, and the items on the policy page: their changes invalidate them.
        # New drafts and new runs/evaluations are not public yet; usage counts and match logs never are.
        from .models import (
            Condition,
            Evaluation,
            EvaluationFinding,
            ItemStatus,
            NoApplicationRun,
            RedemptionItem,
            TagValue,
        )

        watch_model(
            RedemptionItem, when=lambda item, created: not created or item.status == ItemStatus.PUBLISHED
        )
        watch_model(Condition)
        watch_model(TagValue)
        watch_model(NoApplicationRun, when=lambda run, created: not created)
        watch_model(Evaluation, when=lambda evaluation, created: not created)
        watch_model(EvaluationFinding)
        register_setup_hook("惠企政策标签库", _seed_tags)
        register_demo_step("惠企政策兑现", _load_demo)
        register_job(
            "redemption.notify_subscribers",
            _notify_subscribers,
            every_minutes=60,
            description="新发布的兑现事项通知符合条件的订阅企业（不重复发送）",
        )
        policy_lapsed.connect(lapse_items_of_policy, dispatch_uid="redemption.lapse_items")
        # 兑现操作性 (24:二(四)1): a 兑现办事 policy is split into items with machine-checkable conditions and tags.
        register_automatic_check("redemption_items", panels.review_items_check, _("兑现事项与标签"))
        # 测算必要性: the sandbox's figures for the 区财政局 reviewer.
        register_reviewer_panel(
            "redemption_sandbox",
            "redemption/panels/sandbox.html",
            panels.sandbox_panel,
            point=ReviewPoint.CALCULATION,
        )
        register_policy_panel(
            "redemption_items", "redemption/panels/policy_items.html", panels.policy_items_panel, 35
        )
        register_portal_link(_("惠企政策"), "redemption:index", 40)
        register_portal_link(_("政策匹配"), "redemption:match", 41)
