"""Forms of the review screens, the Wagtail workflow modal and the public question form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.spam import SpamGuardMixin

from . import rules
from .rules import CheckResult, ReviewPoint, ReviewStep, RiskLevel


def _point_fields(points, required=True):
    fields = {}
    for point in points:
        label = ReviewPoint(point).label
        fields[f"{point}_result"] = forms.ChoiceField(
            label=_("%(point)s：审核结果") % {"point": label},
            choices=CheckResult.choices,
            widget=forms.RadioSelect,
            required=required,
        )
        fields[f"{point}_note"] = forms.CharField(
            label=_("%(point)s：说明") % {"point": label},
            widget=forms.Textarea(attrs={"rows": 2}),
            required=False,
            max_length=2000,
        )
    return fields


def checklist_from(cleaned, points) -> dict:
    return {
        str(point): {
            "result": cleaned.get(f"{point}_result") or "",
            "note": cleaned.get(f"{point}_note") or "",
        }
        for point in points
    }


class DecisionForm(forms.Form):
    """The reviewer's form for one step: a result and a note for each point of the step, the opinion, and for
    the self-review the public-opinion risk assessment (24:二(三)3)."""

    opinion = forms.CharField(
        label=_("审核意见"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_("退回时必填，写明退回理由"),
    )

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.step_label = ReviewStep(step).label
        self.points = rules.STEP_POINTS[step]
        self.point_rows = []
        for name, field in _point_fields(self.points).items():
            self.fields[name] = field
        for point in self.points:
            self.point_rows.append(
                {
                    "point": str(point),
                    "label": ReviewPoint(point).label,
                    "items": rules.CHECKLIST_ITEMS.get(point, []),
                    "result": self[f"{point}_result"],
                    "note": self[f"{point}_note"],
                }
            )
        if step == ReviewStep.SELF:
            self.fields["risk_level"] = forms.ChoiceField(
                label=_("舆情风险等级"), choices=RiskLevel.choices, widget=forms.RadioSelect
            )
            self.fields["risk_note"] = forms.CharField(
                label=_("舆情风险评估"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
                help_text=_("可能引发的社会关注点、回应口径和应对措施"),
            )
        self.order_fields([f for f in self.fields if f != "opinion"] + ["opinion"])

    def decision_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"opinion": data.get("opinion", ""), "checklist": checklist_from(data, self.points)}
        if self.step == ReviewStep.SELF:
            kwargs["risk_level"] = data.get("risk_level", "")
            kwargs["risk_note"] = data.get("risk_note", "")
        return kwargs


class SubmitForm(forms.Form):
    needs_legality_review = forms.BooleanField(label=_("需合法性审核（同步报送区司法局）"), required=False)


class ReturnForm(forms.Form):
    reasons = forms.CharField(
        label=_("退回理由（每行一条）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text=_("留空则按系统检查出的缺项退回"),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


# --- the Wagtail workflow modal ------------------------------------------------------------------------


def build_task_action_form(task, action):
    """A form class for Wagtail's own approve/reject modal on the snippet editor, covering every step the task
    may contain (the action validates the points of the step actually taken)."""
    from .models import CountersignTask, DistrictOfficeTask, SelfReviewTask

    if isinstance(task, SelfReviewTask):
        steps = [ReviewStep.SELF]
    elif isinstance(task, DistrictOfficeTask):
        steps = [ReviewStep.DISTRICT_OFFICE]
    elif isinstance(task, CountersignTask):
        steps = [ReviewStep.SERVICE, ReviewStep.FINANCE, ReviewStep.JUSTICE]
    else:
        steps = []
    attrs = {}
    if action == "return_incomplete":
        attrs["opinion"] = forms.CharField(label=_("退回理由"), widget=forms.Textarea, required=False)
        return type("ReturnIncompleteForm", (forms.Form,), attrs)
    if len(steps) > 1:
        attrs["step"] = forms.ChoiceField(
            label=_("代表哪个单位签署"), choices=[(s, ReviewStep(s).label) for s in steps], required=False
        )
    points = []
    for step in steps:
        points += [p for p in rules.STEP_POINTS[step] if p not in points]
    attrs.update(_point_fields(points, required=False))
    if ReviewStep.SELF in steps:
        attrs["risk_level"] = forms.ChoiceField(
            label=_("舆情风险等级"), choices=RiskLevel.choices, required=False
        )
        attrs["risk_note"] = forms.CharField(label=_("舆情风险评估"), widget=forms.Textarea, required=False)
    attrs["opinion"] = forms.CharField(label=_("审核意见"), widget=forms.Textarea, required=False)
    return type("ReviewTaskActionForm", (forms.Form,), attrs)


def decision_kwargs_from_task_form(task, policy, user, task_state, action, data) -> tuple[str, dict]:
    steps = task.steps_user_can_act(policy, user, task_state)
    step = data.get("step") or (steps[0] if steps else task.steps_for(policy)[0])
    payload = {"opinion": data.get("opinion", "")}
    if action != "return_incomplete":
        payload["checklist"] = checklist_from(data, rules.STEP_POINTS[step])
        if step == ReviewStep.SELF:
            payload["risk_level"] = data.get("risk_level", "")
            payload["risk_note"] = data.get("risk_note", "")
    return step, payload


# --- the public question form ----------------------------------------------------------------------------


class AskQuestionForm(SpamGuardMixin, forms.Form):
    """Ask or comment on a published policy. Guarded like every public form (honeypot, timing token, a rate limit
    per client address: `gongkai.core.spam`)."""

    KIND_CHOICES = [("question", _("我要提问")), ("comment", _("我要留言"))]

    kind = forms.ChoiceField(
        label=_("类型"), choices=KIND_CHOICES, widget=forms.RadioSelect, initial="question"
    )
    article = forms.CharField(label=_("涉及条款（选填）"), max_length=50, required=False)
    question = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=2000)
    asker_name = forms.CharField(label=_("称呼（选填）"), max_length=50, required=False)
    asker_contact = forms.CharField(label=_("联系方式（选填，不公开）"), max_length=100, required=False)

    def clean_question(self):
        text = self.cleaned_data["question"].strip()
        if not text:
            raise forms.ValidationError(_("请填写内容"))
        return text
