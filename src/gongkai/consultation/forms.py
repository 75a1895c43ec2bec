"""Forms: the public comment and survey forms (with the spam guards) and the staff forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.spam import SpamGuardMixin
from gongkai.portal.i18n import ContentSelect

from .actions import COMMENT_MAX_CHARS, SURVEY_TEXT_MAX_CHARS
from .models import Disposition, QuestionKind

# --- public ---------------------------------------------------------------------------------------------------


def rating_label(score: int) -> str:
    """A rating's label ("3分"), in the page's language."""
    return _("%(score)s分") % {"score": score}


def unit_label(unit) -> str:
    text = unit.text.replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


class CommentForm(SpamGuardMixin, forms.Form):
    unit = forms.TypedChoiceField(
        label=_("意见针对"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=ContentSelect,
        help_text=_("可针对某一条款，也可针对草案整体"),
    )
    text = forms.CharField(
        label=_("意见内容"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请勿填写身份证号、手机号等个人信息；意见经审核后公开"),
    )
    name = forms.CharField(label=_("姓名或单位（选填）"), max_length=50, required=False)
    show_name = forms.BooleanField(
        label=_("公开时显示我的姓名或单位（不勾选则显示为“匿名”）"), required=False
    )
    contact = forms.CharField(
        label=_("联系方式（选填，不公开）"),
        max_length=100,
        required=False,
        help_text=_("仅供起草部门就您的意见与您联系，不会在网站上显示"),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("草案整体"))] + [
            (i, unit_label(u)) for i, u in enumerate(units) if u.kind != "heading"
        ]


class SurveyAnswerForm(SpamGuardMixin, forms.Form):
    """One field per question: `q<id>`."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for q in self.questions:
            label = f"{q.order}. {q.text}"
            name = f"q{q.pk}"
            if q.kind == QuestionKind.SINGLE:
                field = forms.TypedChoiceField(
                    label=label, choices=list(enumerate(q.options)), coerce=int, widget=forms.RadioSelect
                )
            elif q.kind == QuestionKind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    label=label,
                    choices=list(enumerate(q.options)),
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                )
            elif q.kind == QuestionKind.RATING:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=[(i, rating_label(i)) for i in range(1, 6)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text=_("1分最低，5分最高"),
                )
            else:
                field = forms.CharField(
                    label=label, max_length=SURVEY_TEXT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
                )
            field.required = q.required
            self.fields[name] = field

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def question_fields(self):
        return [self[f"q{q.pk}"] for q in self.questions]


# --- staff ----------------------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    """An <input type=date>: its value must be ISO (YYYY-MM-DD) whatever the locale's date format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DraftFilesMixin:
    """The two optional originals of a draft (drafts.py). A file is checked by the one upload validator, then read:
    `cleaned_data["draft_file"]` is a `drafts.ReadFile` (or None), and a file that cannot be read is an error of
    its field, in Chinese; the rest of the form is kept."""

    def _read(self, name, explanation):
        from .drafts import read_upload

        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        return read_upload(upload, explanation=explanation)

    def clean_draft_file(self):
        return self._read("draft_file", False)

    def clean_explanation_file(self):
        return self._read("explanation_file", True)

    def check_text_and_file(self, current_text: str = ""):
        """A new file and newly pasted text together are ambiguous: which one is the draft?"""
        text = (self.cleaned_data.get("draft_text") or "").strip()
        if self.cleaned_data.get("draft_file") and text and text != current_text.strip():
            self.add_error(
                "draft_text",
                _("已上传征求意见稿文件时，征求意见稿以文件为准：请清空或还原粘贴的文字，或不上传文件"),
            )


def draft_file_field(label, help_text):
    from gongkai.core.uploads import UploadValidator, get_kind

    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text,
        validators=[UploadValidator("consultation.draft")],
        widget=forms.FileInput(attrs={"accept": get_kind("consultation.draft").accept}),
    )


class ConsultationForm(DraftFilesMixin, forms.Form):
    policy = forms.ModelChoiceField(
        label=_("政策文件"), queryset=None, help_text=_("本部门起草、尚未发布或正在修订的政策文件")
    )
    title = forms.CharField(
        label=_("标题"), max_length=300, required=False, help_text=_("留空则按政策标题生成")
    )
    explanation = forms.CharField(
        label=_("起草说明"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("可直接填写，也可上传起草说明文件（留空时取文件中的文字）"),
    )
    explanation_file = draft_file_field(
        _("起草说明文件（选填）"), _("Word（.docx）、PDF 或文本（.txt），不超过 20 MB；发布后供公众下载")
    )
    draft_file = draft_file_field(
        _("上传征求意见稿（选填）"),
        _(
            "Word（.docx）、PDF（有文字层）或文本（.txt），不超过 20 MB；按“第X条”“一、”“（一）”拆分为条款，保存后可预览，发布后原件供公众下载"
        ),
    )
    draft_text = forms.CharField(
        label=_("征求意见稿"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_(
            "不上传文件时可粘贴文字；都留空则使用政策文件的最新草稿；每段一行，“第X条”会被识别为条款"
        ),
    )
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput)
    end_date = forms.DateField(label=_("截止日期"), widget=DateInput, help_text=_("一般不少于30日"))
    short_period_reason = forms.CharField(
        label=_("缩短期限的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("期限少于30日时必填，将在页面上公布"),
    )
    contact = forms.CharField(label=_("联系方式"), max_length=200, required=False)

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies

    def clean(self):
        data = super().clean()
        self.check_text_and_file()
        if not (data.get("explanation") or "").strip() and not data.get("explanation_file"):
            if "explanation_file" not in self.errors:
                self.add_error("explanation", _("请填写起草说明，或上传起草说明文件"))
        return data


class ConsultationEditForm(ConsultationForm):
    """The same screen for a consultation not yet published: the policy stays; an original can be replaced or
    removed (removing the draft's original keeps its text)."""

    remove_draft_file = forms.BooleanField(label=_("删除已上传的征求意见稿原件（保留文字）"), required=False)
    remove_explanation_file = forms.BooleanField(label=_("删除已上传的起草说明原件"), required=False)

    def __init__(self, *args, consultation, **kwargs):
        self.consultation = consultation
        super().__init__(*args, policies=None, **kwargs)
        del self.fields["policy"]
        self.fields["draft_file"].label = _("更换征求意见稿文件（选填）")
        self.fields["explanation_file"].label = _("更换起草说明文件（选填）")
        if not consultation.draft_file:
            del self.fields["remove_draft_file"]
        if not consultation.explanation_file:
            del self.fields["remove_explanation_file"]

    def check_text_and_file(self, current_text: str = ""):
        super().check_text_and_file(self.consultation.draft_text)

    def clean(self):
        data = super().clean()
        if not (data.get("draft_text") or "").strip() and not data.get("draft_file"):
            self.add_error("draft_text", _("请填写征求意见稿，或上传征求意见稿文件"))
        return data


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("延长至"), widget=DateInput)
    reason = forms.CharField(label=_("延长理由"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300)


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("采纳情况"), choices=Disposition.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("除“采纳”外必须说明理由"),
    )


class GroupForm(forms.Form):
    point = forms.CharField(label=_("意见要点"), max_length=300)
    comments = forms.ModelMultipleChoiceField(
        label=_("归并的意见"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, comments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].queryset = comments
        self.fields["comments"].label_from_instance = lambda c: (
            f"#{c.pk} {c.article or '整体'}：{c.text[:40]}"
        )


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("总体情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("留空则按统计数字生成"),
    )


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    policy = forms.ModelChoiceField(label=_("关联的政策文件"), queryset=None, required=False)
    consultation = forms.ModelChoiceField(label=_("关联的意见征集"), queryset=None, required=False)
    answers_per_person = forms.IntegerField(label=_("每人可答次数"), min_value=1, max_value=100, initial=1)
    end_date = forms.DateField(label=_("截止日期"), widget=DateInput, required=False)

    def __init__(self, *args, policies, consultations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies
        self.fields["consultation"].queryset = consultations


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("题目"), max_length=300)
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    options = forms.CharField(
        label=_("选项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("单选、多选题每行一个选项"),
    )
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
