"""The section "公开征求意见" on the public policy page: the consultations on the policy, with the feedback report
once it is published."""

from __future__ import annotations


def policy_consultations_panel(request, policy):
    from .models import Consultation, ReportStatus

    items = list(
        Consultation.objects.public().filter(policy=policy).select_related("report").order_by("-start_date")
    )
    if not items:
        return None
    rows = []
    for c in items:
        report = getattr(c, "report", None)
        rows.append(
            {"c": c, "report": report if report and report.status == ReportStatus.PUBLISHED else None}
        )
    return {"rows": rows}
