from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _load_feedback_demo():
    from .feedback_demo import load_demo

    return load_demo()


class ReviewConfig(AppConfig):
    name = "gongkai.review"
    label = "review"
    verbose_name = _("政策前置审核")

    def ready(self):
        from wagtail.signals import workflow_submitted

        from gongkai.core import roles
        from gongkai.core.demo_steps import register_demo_step
        from gongkai.core.ratelimit import register_limit
        from gongkai.core.setup_hooks import register_setup_hook
        from gongkai.policies import signals as policy_signals
        from gongkai.policies.publication import register_publication_check
        from gongkai.policies.workflow_routing import register_submission_handler, register_workflow_resolver
        from gongkai.portal.nav import register_portal_link
        from gongkai.portal.panels import register_policy_panel

        from . import panels
        from .actions import review_publication_problems, submit_from_editor
        from .checks import register_builtin_checks
        from .receivers import on_policy_published, on_workflow_submitted
        from .workflow import ensure_review_workflows, workflow_for

        # The public question form: per client address, in the shared cache (docs/security.md).
        register_limit("policies.ask", 10, 3600)
        register_builtin_checks()
        register_publication_check("review", review_publication_problems)
        register_workflow_resolver(workflow_for)
        register_submission_handler(submit_from_editor)
        register_setup_hook("政策前置审核流程", ensure_review_workflows)
        policy_signals.policy_published.connect(
            on_policy_published, dispatch_uid="review.publish_interpretations"
        )
        workflow_submitted.connect(on_workflow_submitted, dispatch_uid="review.ensure_submission")
        register_policy_panel(
            "interpretations", "review/panels/interpretations.html", panels.interpretations_panel, 20
        )
        register_policy_panel(
            "how_to_apply", "review/panels/how_to_apply.html", panels.how_to_apply_panel, 30
        )
        register_policy_panel("qa", "review/panels/qa.html", panels.qa_panel, 40)
        register_portal_link(_("政策解读"), "review:interpretation_list", 30)
        register_portal_link(_("政策问答"), "review:qa_search", 31)
        register_portal_link(_("回应关切"), "review:responses", 32)
        register_demo_step("政策发布后公众反馈", _load_feedback_demo)

        for role in (roles.DRAFTER, roles.DEPARTMENT_OFFICER, roles.OPENNESS_OFFICE, roles.ADMINISTRATOR):
            roles.extend_role_permissions(
                role,
                "policies.add_interpretation",
                "policies.change_interpretation",
                "policies.view_interpretation",
                "policies.view_policyquestion",
                "policies.change_policyquestion",
                "policies.add_policyquestion",
            )
        # Publishing after the review: the department's openness officer, the openness office, administrators.
        for role in (roles.DEPARTMENT_OFFICER, roles.OPENNESS_OFFICE, roles.ADMINISTRATOR):
            roles.extend_role_permissions(
                role, "policies.publish_policy", "policies.change_policy", "policies.add_policy"
            )
        roles.extend_role_permissions(roles.DRAFTER, "policies.change_policy", "policies.add_policy")
        # Locking a draft against colleagues' edits (Wagtail's lock / unlock), within the own department.
        for role in (roles.DRAFTER, roles.DEPARTMENT_OFFICER, roles.OPENNESS_OFFICE, roles.ADMINISTRATOR):
            roles.extend_role_permissions(role, "policies.lock_policy", "policies.unlock_policy")
        for role in roles.ROLE_GROUPS:
            roles.extend_role_permissions(role, "policies.view_policy", "policies.view_interpretation")
