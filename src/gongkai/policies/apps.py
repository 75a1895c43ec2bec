from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "gongkai.policies"
    label = "policies"
    verbose_name = _("政策文件库")

    def ready(self):
        from gongkai.core.demo_steps import register_demo_step

        from .demo import load_demo_files as _demo_files

        register_demo_step("政策附件与解读文件", _demo_files)
        from gongkai.core.jobs import register_job
        from gongkai.core.setup_hooks import register_setup_hook
        from gongkai.portal.nav import register_portal_link
        from gongkai.portal.panels import register_policy_panel

        from . import signals
        from .diff import diff_panel_context
        from .receivers import flag_dependants_of_lapsed_policy, flag_interpretations_and_qa_of_lapsed_policy
        from .themes import seed_themes
        from .validity import lapse_due_policies, refresh_validity, send_lapse_warnings

        register_setup_hook("主题分类", seed_themes)
        _watch_public_content()
        register_portal_link(_("文件清理结果"), "policies:cleanup_results", order=60)
        register_job(
            "policies.refresh_validity",
            lambda: f"{refresh_validity()} 件文件有效性已更新",
            every_minutes=60,
            description="按日期和关联文件更新有效性",
        )
        register_policy_panel("policies.diff", "policies/_diff_panel.html", diff_panel_context, order=50)
        register_job(
            "policies.lapse",
            lambda: f"{lapse_due_policies()} 件文件到期失效或废止",
            every_minutes=60,
            description="有效期届满或到达废止日期的文件自动失效",
        )
        register_job(
            "policies.lapse_warnings",
            lambda: f"发出 {send_lapse_warnings()} 条有效期届满提醒",
            every_minutes=60,
            description="有效期届满前六个月、一个月提醒发文部门",
        )
        register_job(
            "policies.feedback_reminders",
            _feedback_reminders,
            every_minutes=24 * 60,
            description="提醒起草部门答复超过时限的政策发布后公众反馈",
        )
        signals.policy_lapsed.connect(
            flag_dependants_of_lapsed_policy, dispatch_uid="policies.flag_dependants"
        )
        _connect_files()
        signals.policy_lapsed.connect(
            flag_interpretations_and_qa_of_lapsed_policy, dispatch_uid="policies.flag_interpretations_and_qa"
        )


def _feedback_reminders():
    from .feedback import remind_overdue_feedback

    return remind_overdue_feedback()


def _connect_files():
    """Attachments and interpretation media follow their record's visibility (policies/files.py)."""
    from django.db.models.signals import post_delete
    from wagtail.signals import published, unpublished

    from . import files
    from .models import Interpretation, Policy

    published.connect(files.on_published, sender=Policy, dispatch_uid="policies.files.published")
    unpublished.connect(files.on_published, sender=Policy, dispatch_uid="policies.files.unpublished")
    post_delete.connect(files.on_policy_deleted, sender=Policy, dispatch_uid="policies.files.deleted")
    post_delete.connect(
        files.on_interpretation_deleted, sender=Interpretation, dispatch_uid="policies.files.interp_deleted"
    )
    files.register_rules()
    from gongkai.core.storage import register_public_sync

    register_public_sync(files.sync_all)


def _watch_public_content():
    """The models the public pages are made of: any change invalidates the cached pages (core.pagecache)."""
    from gongkai.core.pagecache import watch_model

    from .models import (
        Interpretation,
        InterpretationStatus,
        Policy,
        PolicyAttachment,
        PolicyQuestion,
        PolicyRelation,
        QuestionStatus,
        Theme,
    )

    # A new draft is not public yet; every later change may be (publish, unpublish, validity, edits).
    watch_model(Policy, when=lambda policy, created: not created or policy.live)
    watch_model(PolicyAttachment)
    watch_model(PolicyRelation)
    watch_model(Theme)
    watch_model(
        Interpretation,
        when=lambda item, created: not created or item.status == InterpretationStatus.PUBLISHED,
    )
    # A question from the public waits for its answer: only answered, published ones show.
    watch_model(PolicyQuestion, when=lambda q, created: not created or q.status == QuestionStatus.PUBLISHED)
