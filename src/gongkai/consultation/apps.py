from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _load_demo():
    from .demo import load_demo

    return load_demo()


def _moderation_reminders():
    from .jobs import remind_overdue_moderation

    return remind_overdue_moderation()


class ConsultationConfig(AppConfig):
    name = "gongkai.consultation"
    label = "consultation"
    verbose_name = _("公众参与")

    def ready(self):
        from gongkai.core import roles
        from gongkai.core.demo_steps import register_demo_step
        from gongkai.core.jobs import register_job
        from gongkai.core.pagecache import watch_model
        from gongkai.core.ratelimit import register_limit
        from gongkai.policies.signals import policy_published
        from gongkai.portal.nav import register_portal_link
        from gongkai.portal.panels import register_policy_panel
        from gongkai.redemption.surveys import register_survey_provider

        from . import panels
        from .actions import publish_reports_with_policy
        from .models import (
            Comment,
            CommentGroup,
            Consultation,
            ConsultationStatus,
            FeedbackReport,
            ReportStatus,
            Survey,
            SurveyStatus,
        )
        from .results import survey_provider

        # Public forms: per client address, on the shared cache (core/ratelimit.py).
        register_limit("consultation.comment", 10, 3600)
        register_limit("consultation.survey", 20, 3600)
        # Cached public pages change when a consultation is published or extended, a comment is published or
        # disposed, a report is published, a survey opens or closes; new comments and answers change nothing public.
        watch_model(Consultation, when=lambda c, created: c.status != ConsultationStatus.DRAFT)
        watch_model(Comment, when=lambda c, created: not created)
        watch_model(CommentGroup, when=lambda g, created: not created)
        watch_model(FeedbackReport, when=lambda r, created: r.status == ReportStatus.PUBLISHED)
        watch_model(Survey, when=lambda s, created: s.status != SurveyStatus.DRAFT)
        policy_published.connect(publish_reports_with_policy, dispatch_uid="consultation.publish_reports")
        register_survey_provider(survey_provider)
        register_portal_link(_("意见征集"), "consultation:index", 50)
        register_policy_panel(
            "consultations", "consultation/panels/policy.html", panels.policy_consultations_panel, 60
        )
        register_demo_step("公众参与", _load_demo)
        register_job(
            "consultation.moderation_reminders",
            _moderation_reminders,
            every_minutes=24 * 60,
            description="提醒起草部门审核超过时限的公众意见",
        )
        for role in (roles.DRAFTER, roles.DEPARTMENT_OFFICER, roles.OPENNESS_OFFICE, roles.ADMINISTRATOR):
            roles.extend_role_permissions(
                role,
                "consultation.add_consultation",
                "consultation.change_consultation",
                "consultation.view_consultation",
                "consultation.add_survey",
                "consultation.change_survey",
                "consultation.view_survey",
            )
        from .event_setup import setup as setup_events

        setup_events()
        for role in (roles.OPENNESS_OFFICE, roles.ADMINISTRATOR):
            roles.extend_role_permissions(
                role,
                "consultation.add_sensitiveword",
                "consultation.change_sensitiveword",
                "consultation.delete_sensitiveword",
                "consultation.view_sensitiveword",
            )
