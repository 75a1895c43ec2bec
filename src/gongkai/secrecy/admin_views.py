"""Staff page 保密审查 for one policy in the Wagtail admin: the findings in what would be published next, the
aggregation risks, and a form that redacts through `actions.redact_policy`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongkai.policies.actions import can_edit_policy
from gongkai.policies.models import Policy

from . import scanner
from .actions import redact_policy
from .checks import policy_confidentiality_report
from .models import FindingType, Redaction, Severity


def policy_check(request, pk):
    policy = get_object_or_404(Policy, pk=pk)
    if not can_edit_policy(request.user, policy):
        raise PermissionDenied
    if request.method == "POST":
        kinds = request.POST.getlist("types")
        try:
            records = redact_policy(
                policy, actor=request.user, reason=request.POST.get("reason", ""), types=kinds or None
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            count = sum(len(r.items) for r in records)
            messages.success(request, _("已脱敏 %(n)s 处，请检查后重新发布") % {"n": count})
        return redirect("secrecy_admin:policy_check", policy.pk)
    report = policy_confidentiality_report(policy)
    documents = [
        {
            "name": name,
            "findings": [
                {
                    "finding": f,
                    "type_label": FindingType(f.type).label,
                    "severity_label": Severity(f.severity).label,
                }
                for f in findings
            ],
        }
        for name, findings in report["documents"].items()
    ]
    kinds = sorted({f.type for fs in report["documents"].values() for f in fs if f.severity != scanner.LOW})
    redactions = Redaction.objects.filter(object_type=policy._meta.label_lower, object_id=str(policy.pk))
    return render(
        request,
        "secrecy/admin/policy_check.html",
        {
            "policy": policy,
            "documents": documents,
            "aggregation": report["aggregation"],
            "kinds": [(k, FindingType(k).label) for k in kinds],
            "redactions": redactions,
        },
    )
