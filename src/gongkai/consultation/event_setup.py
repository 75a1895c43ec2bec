"""Wiring of events, called from `ConsultationConfig.ready()`: rate limits of the public forms, page-cache
invalidation, the private-file rule of the report photos, the demo step and the roles' permissions."""

from __future__ import annotations


def _load_demo():
    from .event_demo import load_demo

    return load_demo()


def setup():
    from gongkai.core import roles
    from gongkai.core.demo_steps import register_demo_step
    from gongkai.core.pagecache import watch_model
    from gongkai.core.ratelimit import register_limit

    from .event_models import Event, EventQuestion, EventStatus, Registration
    from .events import register_file_rules

    # Public forms, per client address (core/ratelimit.py). The code form is tighter than the others: it is the
    # one a guesser would hammer (8 characters of 32 = 40 bits, 20 guesses an hour).
    register_limit("consultation.event_register", 10, 3600)
    register_limit("consultation.event_question", 10, 3600)
    register_limit("consultation.event_code", 20, 3600)
    # The cached event pages show the seats left, the published questions and answers and the report.
    watch_model(Event, when=lambda e, created: e.status != EventStatus.DRAFT)
    watch_model(Registration)
    watch_model(EventQuestion, when=lambda q, created: not created)
    register_file_rules()
    register_demo_step("公众参与活动", _load_demo)
    for role in (roles.DRAFTER, roles.DEPARTMENT_OFFICER, roles.OPENNESS_OFFICE, roles.ADMINISTRATOR):
        roles.extend_role_permissions(
            role, "consultation.add_event", "consultation.change_event", "consultation.view_event"
        )
