"""The review in the Wagtail admin: the reviewers' screens, the interpretations and the Q&A / public questions.
Create and edit views save through the action functions (house rule 1)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from gongkai.core.admin_scoping import ScopedViewSetMixin
from gongkai.core.roles import is_district_wide
from gongkai.core.scoping import CHANGE
from gongkai.policies import actions as policy_actions
from gongkai.policies.models import Interpretation, PolicyQuestion

from . import admin_urls


@hooks.register("register_admin_urls")
def register_review_admin_urls():
    return [path("review/", include((admin_urls.urlpatterns, "review_admin"), namespace="review_admin"))]


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return MenuItem(_("政策前置审核"), reverse("review_admin:index"), icon_name="tasks", order=110)


class _FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("policies.view_policyquestion")


@hooks.register("register_admin_menu_item")
def register_feedback_menu_item():
    """Opinion after release (24:二(三)3): the department's public feedback with the review risk beside it."""
    return _FeedbackMenuItem(
        _("政策发布后公众反馈"), reverse("review_admin:feedback"), icon_name="comment", order=121
    )


def _action_errors_to_form(form, exc):
    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc) or "没有权限"]
    for message in messages:
        form.add_error(None, message)


class ActionSavingMixin:
    """Runs the action in `save_with_action`; a ValidationError / PermissionDenied from the action becomes a form
    error instead of a 500."""

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.save_with_action(form)
        except (ValidationError, PermissionDenied) as exc:
            _action_errors_to_form(form, exc)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()

    def save_instance(self):  # pragma: no cover - replaced by save_with_action
        return self.save_with_action(self.form)


def _file_changes(form, names, instance):
    changes = {}
    for name in names:
        if name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        if value is False:
            changes[name] = ""
        elif value is not None and value != getattr(instance, name):
            changes[name] = value
    return changes


INTERPRETATION_FORM_FIELDS = ["policies", *policy_actions.INTERPRETATION_FIELDS]
FILE_FIELDS = ("image", "media_file")


class InterpretationCreateView(ActionSavingMixin, generic.CreateView):
    def save_with_action(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k in policy_actions.INTERPRETATION_FIELDS}
        for name in FILE_FIELDS:
            if not data.get(name):
                data.pop(name, None)
        return policy_actions.create_interpretation(
            actor=self.request.user, policies=form.cleaned_data["policies"], **data
        )


class InterpretationEditView(ActionSavingMixin, generic.EditView):
    def save_with_action(self, form):
        fresh = Interpretation.objects.get(pk=self.object.pk)
        changes = {
            k: v
            for k, v in form.cleaned_data.items()
            if k in policy_actions.INTERPRETATION_FIELDS and k not in FILE_FIELDS and getattr(fresh, k) != v
        }
        changes.update(_file_changes(form, FILE_FIELDS, fresh))
        return policy_actions.update_interpretation(
            fresh, actor=self.request.user, policies=form.cleaned_data["policies"], **changes
        )


class InterpretationForm(WagtailAdminModelForm):
    """谁起草谁解读: the policies to choose from are the ones the user's department may change (its own drafts,
    not the whole library); the interpreting department is the user's own; the first interpreter defaults to
    the department's head (部门主要负责人, set in 基础数据 → 部门)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None:
            return
        from gongkai.core.models import Department
        from gongkai.policies.models import Policy

        if "policies" in self.fields:
            self.fields["policies"].queryset = (
                Policy.objects.for_user(for_user, CHANGE)
                .exclude(validity__in=["repealed", "expired"])
                .order_by("-created_at", "-id")
            )
        department = self.fields.get("department")
        if department is not None and not is_district_wide(for_user):
            department.queryset = Department.objects.filter(pk=for_user.department_id)
            department.disabled = True
            self.initial.setdefault("department", for_user.department_id)
        own = for_user.department if for_user.department_id else None
        if "first_interpreter" in self.fields and own is not None and not self.instance.pk:
            self.initial.setdefault("first_interpreter", own.head_name)
            if not own.head_name:
                self.fields["first_interpreter"].help_text = _(
                    "本部门尚未设置主要负责人（第一解读人），请填写，或请管理员在“基础数据 → 部门”中设置"
                )


class InterpretationViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Interpretation
    icon = "help"
    menu_label = _("政策解读")
    add_to_admin_menu = False
    list_display = ["title", "form", "department", "status", "published_at"]
    list_filter = ["status", "form", "department"]
    search_fields = ["title", "main_content"]
    form_fields = INTERPRETATION_FORM_FIELDS
    add_view_class = InterpretationCreateView
    edit_view_class = InterpretationEditView
    inspect_view_enabled = True
    copy_view_enabled = False  # a copy would be saved past create_interpretation

    def get_form_class(self, for_update=False):
        from django.forms import models as model_forms

        return model_forms.modelform_factory(
            Interpretation,
            form=InterpretationForm,
            fields=self.form_fields,
            formfield_callback=self.formfield_for_dbfield,
        )

    def formfield_for_dbfield(self, db_field, **kwargs):
        from django.db import models

        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return db_field.formfield(**kwargs)


class AnswerForm(WagtailAdminModelForm):
    """Answering a public question: the asker's contact for a private reply, what the confidentiality scan found,
    redaction of the public text (the original is kept), and 公开 — not pre-ticked when the scan found anything."""

    asker = forms.CharField(
        label=_("提问人及联系方式（不公开）"),
        required=False,
        disabled=True,
        help_text=_("需要单独答复的，请通过此联系方式答复，并不勾选“公开问答”"),
    )
    public_question = forms.CharField(
        label=_("公开的问题文字"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("可直接修改，删去个人信息后公开；修改须填写脱敏理由，原文保留、不公开"),
    )
    auto_redact = forms.BooleanField(
        label=_("自动遮蔽检出的个人信息"),
        required=False,
        help_text=_("按保密审查结果遮蔽问题中的身份证号、手机号等"),
    )
    redact_reason = forms.CharField(label=_("脱敏理由"), required=False, max_length=300)
    publish = forms.BooleanField(label=_("公开问答（列入政策问答库）"), required=False)
    confirm_personal_data = forms.BooleanField(
        label=_("已核对：公开内容中的个人信息可以公开"),
        required=False,
        help_text=_("保密审查发现手机号、住址等个人信息而不脱敏时，须勾选确认；身份证号等高风险信息必须脱敏"),
    )
    reject_reason = forms.CharField(
        label=_("不予处理理由"), required=False, max_length=300, help_text=_("填写此项则不予处理，不再答复")
    )
    # Opinion after release (24:二(三)3, gongkai.policies.feedback): class, the review's risk, 回应关切.
    review_risk = forms.CharField(label=_("前置审核舆情风险"), required=False, disabled=True)
    feedback_class = forms.ChoiceField(label=_("反馈类别"), required=False)
    publish_response = forms.BooleanField(
        label=_("作为“回应关切”公开"),
        required=False,
        help_text=_("社会普遍关注的答复，在门户“回应关切”栏目和政策页面公开；须同时公开问答并先分类"),
    )
    response_title = forms.CharField(
        label=_("回应关切标题"),
        required=False,
        max_length=200,
        help_text=_("可选；不填则以问题开头作标题。不得含个人信息"),
    )
    withdraw_response_reason = forms.CharField(
        label=_("撤回回应关切理由"),
        required=False,
        max_length=300,
        help_text=_("填写此项则从“回应关切”栏目撤下（问答本身不变）"),
    )

    FEEDBACK_FIELDS = (
        "review_risk",
        "feedback_class",
        "publish_response",
        "response_title",
        "withdraw_response_reason",
    )

    class Meta:
        model = PolicyQuestion
        fields = ["answer"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        item = self.instance
        who = "，".join(v for v in (item.asker_name, item.asker_contact) if v)
        self.fields["asker"].initial = who or _("（未留联系方式）")
        self.fields["public_question"].initial = item.question
        scan = policy_actions.question_scan(item) if item.pk else None
        if scan is not None and scan.findings:
            rows = "；".join(f"{r['field']}·{r['type']}（{r['severity']}）{r['masked']}" for r in scan.rows())
            self.fields["publish"].help_text = _("保密审查发现：%(rows)s") % {"rows": rows}
        else:
            self.fields["publish"].initial = not item.scan_level
        if item.original_question:
            self.fields["public_question"].help_text = _("已脱敏；公众提交的原文（不公开）：%(text)s") % {
                "text": item.original_question
            }
        self._init_feedback_fields(item)
        self.order_fields(
            [
                "review_risk",
                "feedback_class",
                "asker",
                "public_question",
                "auto_redact",
                "redact_reason",
                "answer",
                "publish",
                "confirm_personal_data",
                "publish_response",
                "response_title",
                "withdraw_response_reason",
                "reject_reason",
            ]  # fmt: skip
        )

    def _init_feedback_fields(self, item):
        from gongkai.policies import feedback
        from gongkai.policies.models import FeedbackClass, QuestionOrigin

        if not item.pk or item.origin == QuestionOrigin.OFFICIAL:
            for name in self.FEEDBACK_FIELDS:
                self.fields.pop(name, None)
            return
        risk = feedback.review_risk(item.policy)
        self.fields["review_risk"].initial = (
            f"{risk.get_risk_level_display()}{('：' + risk.risk_note) if risk.risk_note else ''}"
            if risk
            else _("未记录（未经前置审核或审核时未评估）")
        )
        self.fields["feedback_class"].choices = [("", _("（未分类）"))] + list(FeedbackClass.choices)
        self.fields["feedback_class"].initial = item.feedback_class
        if item.answer_due:
            overdue = feedback.is_overdue(item)
            self.fields["feedback_class"].help_text = _(
                "答复期限：%(due)s（收到后 %(n)d 个工作日）%(late)s"
            ) % {
                "due": item.answer_due.isoformat(),
                "n": feedback.answer_working_days(),
                "late": _("，已超时") if overdue else "",
            }
        if item.response_published_at:
            self.fields["publish_response"].initial = True
            self.fields["publish_response"].disabled = True
            self.fields["publish_response"].help_text = _("已于 %(day)s 作为回应关切公开") % {
                "day": item.response_published_at.date().isoformat()
            }
            self.fields["response_title"].initial = item.response_title
            self.fields["response_title"].disabled = True
        else:
            self.fields.pop("withdraw_response_reason")

    def clean(self):
        data = super().clean()
        edited = (data.get("public_question") or "").strip()
        changed = bool(edited) and edited != self.instance.question.strip()
        if (data.get("auto_redact") or changed) and not (data.get("redact_reason") or "").strip():
            self.add_error("redact_reason", _("修改或遮蔽公开文字时请填写脱敏理由"))
        data["question_edited"] = edited if changed else None
        return data


class NewQAForm(WagtailAdminModelForm):
    confirm_personal_data = forms.BooleanField(
        label=_("已核对：问答中的个人信息可以公开"),
        required=False,
        help_text=_("保密审查发现手机号、住址等个人信息时须勾选确认；身份证号等高风险信息不能公开"),
    )

    class Meta:
        model = PolicyQuestion
        fields = ["policy", "article", "question", "answer"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            from gongkai.policies.models import Policy

            # the drafting department writes the Q&A of its own policies only
            self.fields["policy"].queryset = Policy.objects.for_user(for_user, CHANGE).order_by("-created_at")


class QuestionCreateView(ActionSavingMixin, generic.CreateView):
    def save_with_action(self, form):
        data = form.cleaned_data
        return policy_actions.add_policy_qa(
            data["policy"],
            actor=self.request.user,
            question=data["question"],
            answer=data.get("answer", ""),
            article=data.get("article", ""),
            confirm_personal_data=data.get("confirm_personal_data", False),
        )


class QuestionEditView(ActionSavingMixin, generic.EditView):
    def save_with_action(self, form):
        from django.db import transaction

        from gongkai.policies import feedback

        fresh = PolicyQuestion.objects.get(pk=self.object.pk)
        data = form.cleaned_data
        user = self.request.user
        with transaction.atomic():  # classification, redaction, answer and 回应关切 together, or none of them
            if data.get("feedback_class") and data["feedback_class"] != fresh.feedback_class:
                feedback.classify_feedback(fresh, actor=user, feedback_class=data["feedback_class"])
            if data.get("reject_reason"):
                return policy_actions.reject_question(fresh, actor=user, reason=data["reject_reason"])
            if data.get("withdraw_response_reason"):
                return feedback.withdraw_response(fresh, actor=user, reason=data["withdraw_response_reason"])
            if data.get("auto_redact"):
                policy_actions.redact_question(fresh, actor=user, reason=data["redact_reason"])
            elif data.get("question_edited"):
                policy_actions.redact_question(
                    fresh, actor=user, reason=data["redact_reason"], text=data["question_edited"]
                )
            item = policy_actions.answer_question(
                fresh,
                actor=user,
                answer=data.get("answer", ""),
                publish=data.get("publish", False),
                confirm_personal_data=data.get("confirm_personal_data", False),
            )
            if data.get("publish_response") and item.response_published_at is None:
                item = feedback.publish_response(item, actor=user, title=data.get("response_title", ""))
            return item


class PolicyQuestionViewSet(ScopedViewSetMixin, ModelViewSet):
    """公众留言与政策问答: public questions and comments wait here for the drafting department."""

    model = PolicyQuestion
    icon = "comment"
    menu_label = _("政策问答与公众留言")
    add_to_admin_menu = False
    list_display = ["question", "policy", "origin", "status", "scan_level", "created_at"]
    list_filter = ["status", "origin", "scan_level"]
    search_fields = ["question", "answer"]
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    inspect_view_enabled = True
    copy_view_enabled = False  # a copy would be saved past add_policy_qa
    url_prefix = "policy-questions"

    def get_form_class(self, for_update=False):
        return AnswerForm if for_update else NewQAForm


class InterpretationGroup(ModelViewSetGroup):
    menu_label = _("解读与问答")
    menu_icon = "help"
    menu_order = 120
    items = (InterpretationViewSet("interpretations"), PolicyQuestionViewSet("policy-questions"))


@hooks.register("register_admin_viewset")
def register_interpretation_viewsets():
    return InterpretationGroup()
