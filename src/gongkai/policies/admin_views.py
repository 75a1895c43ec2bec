"""Staff pages for the validity clean-up in the Wagtail admin: start a campaign, confirm each policy, publish.
Every button calls an action in `actions.py`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.models import Department
from gongkai.core.roles import is_district_wide

from . import actions
from .models import CleanupCampaign, CleanupConclusion, CleanupStatus


class StartCampaignForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.active(), label=gettext_lazy("部门"))
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200, required=False)
    deadline = forms.DateField(
        label=gettext_lazy("完成期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ConfirmItemForm(forms.Form):
    conclusion = forms.ChoiceField(choices=CleanupConclusion.choices, label=gettext_lazy("清理结论"))
    reason = forms.CharField(
        label=gettext_lazy("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _visible_campaigns(user):
    return CleanupCampaign.objects.for_user(user).select_related("department")


def campaign_list(request):
    form = StartCampaignForm(request.POST or None)
    if not is_district_wide(request.user):
        form.fields["department"].queryset = Department.objects.filter(pk=request.user.department_id)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.start_cleanup_campaign(
                form.cleaned_data["department"],
                actor=request.user,
                title=form.cleaned_data["title"],
                deadline=form.cleaned_data["deadline"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已开始文件清理，共 %(n)s 件文件") % {"n": campaign.items.count()})
            return redirect("policies_cleanup:detail", campaign.pk)
    return render(
        request,
        "policies/admin/cleanup_list.html",
        {"campaigns": _visible_campaigns(request.user), "form": form},
    )


def campaign_detail(request, pk):
    campaign = get_object_or_404(_visible_campaigns(request.user), pk=pk)
    if request.method == "POST":
        try:
            if "publish" in request.POST:
                actions.publish_cleanup_results(campaign, actor=request.user)
                messages.success(request, _("清理结果已公布"))
            else:
                item = get_object_or_404(campaign.items, pk=request.POST.get("item"))
                form = ConfirmItemForm(request.POST)
                if form.is_valid():
                    actions.confirm_cleanup_item(
                        item,
                        form.cleaned_data["conclusion"],
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, _("已确认《%(title)s》") % {"title": item.policy.title})
                else:
                    messages.error(request, _("请选择结论并填写理由"))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("policies_cleanup:detail", campaign.pk)
    items = campaign.items.select_related("policy").order_by("id")
    return render(
        request,
        "policies/admin/cleanup_detail.html",
        {
            "campaign": campaign,
            "items": items,
            "conclusions": CleanupConclusion.choices,
            "is_open": campaign.status == CleanupStatus.OPEN,
        },
    )
