"""Public views: the published results of the validity clean-ups (清理结果)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import CleanupCampaign, CleanupStatus, DisclosureAttribute


def cleanup_results(request):
    campaigns = CleanupCampaign.objects.filter(status=CleanupStatus.PUBLISHED).select_related("department")
    page = Paginator(campaigns, 20).get_page(request.GET.get("page"))
    return render(request, "policies/cleanup_results.html", {"page": page})


def cleanup_campaign(request, pk):
    campaign = get_object_or_404(
        CleanupCampaign.objects.select_related("department"), pk=pk, status=CleanupStatus.PUBLISHED
    )
    # only what the public may see: published, proactively disclosed policies
    items = (
        campaign.items.filter(policy__live=True, policy__disclosure=DisclosureAttribute.PROACTIVE)
        .select_related("policy")
        .order_by("conclusion", "policy__publish_date", "id")
    )
    conclusion = request.GET.get("conclusion", "")
    if conclusion:
        items = items.filter(conclusion=conclusion)
    from .models import CleanupConclusion

    return render(
        request,
        "policies/cleanup_campaign.html",
        {
            "campaign": campaign,
            "items": items,
            "conclusions": CleanupConclusion.choices,
            "conclusion": conclusion,
        },
    )
