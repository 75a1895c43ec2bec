from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _load_demo():
    from .demo import load_demo

    return load_demo()


def _enquiry_demo():
    from .enquiry_demo import load_enquiry_demo

    return load_enquiry_demo()


def _enquiry_reminders():
    from .enquiries import send_reminders

    return send_reminders()


def _load_upload_demo():
    from .demo_upload import load_upload_demo

    return load_upload_demo()


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
            Enquiry,
            FeedbackReport,
            ReportStatus,
            Survey,
            SurveyStatus,
        )
        from .results import survey_provider

        # Public forms: per client address, on the shared cache (core/ratelimit.py).
        register_limit("consultation.comment", 10, 3600)
        register_limit("consultation.survey", 20, 3600)
        register_limit("consultation.enquiry", 10, 3600)
        register_limit("consultation.enquiry_track", 30, 3600)
        # Cached public pages change when a consultation is published or extended, a comment is published or
        # disposed, a report is published, a survey opens or closes; new comments and answers change nothing public.
        watch_model(Consultation, when=lambda c, created: c.status != ConsultationStatus.DRAFT)
        watch_model(Comment, when=lambda c, created: not created)
        watch_model(CommentGroup, when=lambda g, created: not created)
        watch_model(FeedbackReport, when=lambda r, created: r.status == ReportStatus.PUBLISHED)
        watch_model(Survey, when=lambda s, created: s.status != SurveyStatus.DRAFT)
        # 政务咨询: the portal changes when an answer is published (a withdrawal calls content_changed itself).
        watch_model(Enquiry, when=lambda e, created: e.published_at is not None)
        policy_published.connect(publish_reports_with_policy, dispatch_uid="consultation.publish_reports")
        register_survey_provider(survey_provider)
        register_portal_link(_("意见征集"), "consultation:index", 50)
        register_portal_link(_("政务咨询"), "consultation:enquiries", 55)
        register_policy_panel(
            "consultations", "consultation/panels/policy.html", panels.policy_consultations_panel, 60
        )
        register_demo_step("公众参与", _load_demo)
        register_demo_step("政务咨询", _enquiry_demo)
        register_job(
            "consultation.enquiry_reminders",
            _enquiry_reminders,
            every_minutes=24 * 60,
            description="提醒办理部门答复即将到期和到期的政务咨询（各一次）",
        )

        register_demo_step("意见征集（上传的征求意见稿）", _load_upload_demo)
        # Uploaded originals of a draft (drafts.py): private, public copies while the consultation is published.
        from django.db.models.signals import post_delete, post_save

        from gongkai.core.storage import register_private_file_rule, register_public_sync

        from . import drafts

        post_save.connect(
            drafts.on_consultation_saved, sender=Consultation, dispatch_uid="consultation.files"
        )
        post_delete.connect(
            drafts.on_consultation_deleted, sender=Consultation, dispatch_uid="consultation.forget"
        )
        register_public_sync(drafts.sync_all)
        for field in ("draft_file", "explanation_file"):
            register_private_file_rule(
                Consultation,
                field,
                drafts.can_open_files,
                download_name=lambda c, field=field: drafts._download_name(c, field),
            )
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
        for role in (roles.DRAFTER, roles.DEPARTMENT_OFFICER, roles.OPENNESS_OFFICE, roles.ADMINISTRATOR):
            roles.extend_role_permissions(role, "consultation.change_enquiry", "consultation.view_enquiry")
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
