"""Forms of the portal (enterprise profile, subscription) and of the staff screens (items, conditions, tags,
datasets, 免申即享, sandbox, evaluations). Forms only validate input; every change goes through `actions`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.portal.i18n import ContentCheckboxSelectMultiple, ContentSelect

from . import industry
from .evaluation import METHODS
from .facts import FACTS, OPS
from .models import (
    Dimension,
    EnterpriseDataset,
    FindingAction,
    NodeKind,
    RedemptionItem,
    TagStatus,
    TagValue,
)
from .tags import tag_index

UNSURE = ""
YES_NO = [(UNSURE, _("不确定/暂不填写")), ("yes", _("是")), ("no", _("否"))]
NOT_IN_DISTRICT = "__outside__"


def _tag_choices(dimension, blank=None):
    choices = list(tag_index().choices(dimension))
    return ([("", blank)] if blank is not None else []) + choices


def industry_choices():
    groups = [("", _("请选择（可不填）"))]
    for section in industry.sections():
        options = [(section["code"], f"{section['code']} {section['name']}（整个门类）")]
        options += [
            (d["code"], f"{d['code']} {d['name']}")
            for d in industry.divisions()
            if d["parent"] == section["code"]
        ]
        groups.append((f"{section['code']} {section['name']}", options))
    return groups


class ProfileForm(forms.Form):
    """An enterprise's facts, as the portal asks for them. Every field may be left empty: matching then says
    which conditions it could not decide and what to provide."""

    entity_type = forms.ChoiceField(label=_("主体类型"), required=False, widget=ContentSelect)
    industry = forms.ChoiceField(
        label=_("所属行业（国民经济行业分类）"), required=False, widget=ContentSelect
    )
    industry_detail = forms.CharField(
        label=_("行业中类或小类代码（可选）"),
        required=False,
        max_length=4,
        help_text=_("例如 6513；部分行业（如房地产业、装卸搬运和仓储业）按中类划分企业规模"),
    )
    area = forms.ChoiceField(label=_("注册地所在街道"), required=False, widget=ContentSelect)
    founded_on = forms.DateField(
        label=_("成立日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )
    employees = forms.DecimalField(
        label=_("从业人员（人）"), required=False, min_value=0, max_digits=12, decimal_places=0
    )
    revenue = forms.DecimalField(
        label=_("上年度营业收入（万元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    assets = forms.DecimalField(
        label=_("资产总额（万元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    tax_paid = forms.DecimalField(
        label=_("上年度纳税总额（万元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    rd_expense = forms.DecimalField(
        label=_("上年度研发费用（万元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    size = forms.ChoiceField(
        label=_("企业规模"),
        required=False,
        help_text=_("不填则按行业、从业人员、营业收入和资产总额测算"),
        widget=ContentSelect,
    )
    qualifications = forms.MultipleChoiceField(
        label=_("已取得的资质"), required=False, widget=ContentCheckboxSelectMultiple
    )
    no_qualifications = forms.BooleanField(label=_("以上资质都没有"), required=False)
    good_credit = forms.ChoiceField(
        label=_("无严重违法失信记录"), choices=YES_NO, required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity_type"].choices = _tag_choices(Dimension.TARGET, _("请选择（可不填）"))
        self.fields["industry"].choices = industry_choices()
        self.fields["area"].choices = (
            [("", _("请选择（可不填）"))] + _tag_choices(Dimension.AREA) + [(NOT_IN_DISTRICT, _("不在本区"))]
        )
        self.fields["size"].choices = [("", _("由系统测算"))] + sorted(
            _tag_choices(Dimension.SIZE), key=lambda c: -(tag_index().rank(Dimension.SIZE, c[0]) or 0)
        )
        self.fields["qualifications"].choices = _tag_choices(Dimension.QUALIFICATION)

    def clean_industry_detail(self):
        value = (self.cleaned_data.get("industry_detail") or "").strip()
        if value and (
            not value.isdigit() or len(value) not in (3, 4) or industry.normalise_code(value) is None
        ):
            raise forms.ValidationError(_("请填写3位中类或4位小类代码"))
        return value

    def clean(self):
        data = super().clean()
        detail = data.get("industry_detail")
        chosen = data.get("industry")
        if detail and chosen and chosen.isdigit() and not detail.startswith(chosen):
            self.add_error("industry_detail", _("中类/小类代码应属于所选大类"))
        if data.get("no_qualifications") and data.get("qualifications"):
            self.add_error("no_qualifications", _("已勾选资质时不能再勾选“都没有”"))
        return data

    def to_profile(self) -> dict:
        """The profile in the shape `facts.normalise_profile` reads."""
        data = self.cleaned_data
        profile: dict = {}
        if data.get("entity_type"):
            profile["entity_type"] = data["entity_type"]
        code = data.get("industry_detail") or data.get("industry")
        if code:
            profile["industry"] = code
        area = data.get("area")
        if area == NOT_IN_DISTRICT:
            profile["in_district"] = False
        elif area:
            profile["area"] = area
        if data.get("founded_on"):
            profile["founded_on"] = data["founded_on"].isoformat()
        for key in ("employees", "revenue", "assets", "tax_paid", "rd_expense"):
            if data.get(key) is not None:
                profile[key] = float(data[key])
        if data.get("size"):
            profile["size"] = data["size"]
        if data.get("qualifications"):
            profile["qualifications"] = list(data["qualifications"])
        elif data.get("no_qualifications"):
            profile["qualifications"] = []
        if data.get("good_credit") in ("yes", "no"):
            profile["good_credit"] = data["good_credit"] == "yes"
        return profile

    @classmethod
    def initial_from(cls, facts: dict) -> dict:
        initial = {}
        for key in (
            "entity_type",
            "size",
            "founded_on",
            "employees",
            "revenue",
            "assets",
            "tax_paid",
            "rd_expense",
        ):
            if key in facts:
                initial[key] = facts[key]
        if "industry" in facts:
            code = facts["industry"]
            if code.isdigit() and len(code) > 2:
                initial["industry"], initial["industry_detail"] = code[:2], code
            else:
                initial["industry"] = code
        if facts.get("area"):
            initial["area"] = facts["area"]
        elif facts.get("in_district") is False:
            initial["area"] = NOT_IN_DISTRICT
        if "qualifications" in facts:
            initial["qualifications"] = facts["qualifications"]
            initial["no_qualifications"] = not facts["qualifications"]
        if "good_credit" in facts:
            initial["good_credit"] = "yes" if facts["good_credit"] else "no"
        return initial


class SubscribeForm(forms.Form):
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码（可选）"), max_length=18, required=False)
    email = forms.EmailField(label=_("接收提醒的电子邮箱"))
    # a field people never see (and bots fill in)
    website = forms.CharField(
        required=False,
        label=_("请勿填写"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


# --- staff forms ----------------------------------------------------------------------------------------------------


class ItemForm(forms.ModelForm):
    class Meta:
        model = RedemptionItem
        fields = [
            "title",
            "department",
            "summary",
            "conditions_text",
            "support_standard",
            "application_period",
            "apply_start",
            "apply_end",
            "materials",
            "handling_office",
            "contact",
            "amount_kind",
            "amount_value",
            "amount_base",
            "amount_cap",
            "budget",
        ]
        widgets = {
            "apply_start": forms.DateInput(attrs={"type": "date"}),
            "apply_end": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "conditions_text": forms.Textarea(attrs={"rows": 4}),
            "support_standard": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.active().filter(makes_policy=True)
        numeric = [(k, f.label) for k, f in FACTS.items() if f.kind == "number" and not f.derived]
        self.fields["amount_base"] = forms.ChoiceField(
            label=_("比例的计算基数"), required=False, choices=[("", "—")] + numeric
        )


class ItemCreateForm(ItemForm):
    policy = forms.ModelChoiceField(label=_("所属政策（兑现办事类）"), queryset=None)

    class Meta(ItemForm.Meta):
        fields = ["policy", *ItemForm.Meta.fields]

    def __init__(self, *args, policies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies
        self.fields["department"].required = False
        self.fields["department"].help_text = _("留空则为发文机构")
        self.order_fields(["policy", "title", "department"])


class ItemTagsForm(forms.Form):
    """One multiple choice per dimension."""

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = {t.pk for t in item.tags.all()} if item else set()
        for dimension, label in Dimension.choices:
            values = TagValue.objects.filter(dimension=dimension, status=TagStatus.ACTIVE)
            widget = (
                forms.SelectMultiple(attrs={"size": 8})
                if dimension == Dimension.INDUSTRY
                else forms.CheckboxSelectMultiple
            )
            if dimension == Dimension.DELIVERY:
                field = forms.ModelChoiceField(
                    label=label, queryset=values, required=False, widget=forms.RadioSelect, empty_label=None
                )
                field.initial = next((v for v in values if v.pk in chosen), None)
            else:
                field = forms.ModelMultipleChoiceField(
                    label=label, queryset=values, required=False, widget=widget
                )
                field.initial = [v.pk for v in values if v.pk in chosen]
            field.label_from_instance = lambda v: v.label
            self.fields[dimension] = field

    def tag_values(self) -> list[TagValue]:
        values = []
        for dimension in Dimension.values:
            chosen = self.cleaned_data.get(dimension)
            if chosen is None:
                continue
            values += list(chosen) if hasattr(chosen, "__iter__") else [chosen]
        return values


def fact_choices():
    return [("", _("请选择"))] + [(k, f.label) for k, f in FACTS.items()]


def op_choices():
    return [("", _("请选择"))] + [(k, str(v)) for k, v in OPS.items()]


class ConditionForm(forms.Form):
    """A condition: fact, comparison, the required value(s), and the clause it comes from."""

    parent = forms.TypedChoiceField(label=_("放入条件组"), coerce=int, required=False)
    fact = forms.ChoiceField(label=_("企业信息"), choices=fact_choices)
    op = forms.ChoiceField(label=_("比较方式"), choices=op_choices)
    value = forms.CharField(
        label=_("要求"),
        required=False,
        max_length=500,
        help_text=_(
            "数值（如 1000）；日期（如 2020-01-01）；标签可填代码或名称，多个用顿号或逗号分隔；“是/否”类不填"
        ),
    )
    value_high = forms.CharField(label=_("上限（仅“介于”）"), required=False, max_length=40)
    text = forms.CharField(
        label=_("条件表述（可选）"), required=False, max_length=300, help_text=_("留空则自动生成")
    )
    clause_article = forms.CharField(
        label=_("出处条款"),
        max_length=50,
        required=False,
        help_text=_("例如 第三条（二）"),
        widget=forms.TextInput(attrs={"list": "clause-articles"}),
    )
    clause_text = forms.CharField(
        label=_("条款原文"),
        required=False,
        max_length=2000,
        help_text=_("从政策正文中摘录，可从下拉提示中选择"),
        widget=forms.TextInput(attrs={"list": "clause-texts", "size": 80}),
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [(g.pk, label) for g, label in groups]

    def condition_value(self):
        data = self.cleaned_data
        if data.get("op") == "between":
            return [data.get("value"), data.get("value_high")]
        return data.get("value")


class GroupForm(forms.Form):
    parent = forms.TypedChoiceField(label=_("放入条件组"), coerce=int, required=False)
    kind = forms.ChoiceField(
        label=_("组内关系"), choices=[(NodeKind.ALL, NodeKind.ALL.label), (NodeKind.ANY, NodeKind.ANY.label)]
    )
    text = forms.CharField(label=_("组名称（可选）"), required=False, max_length=300)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [(g.pk, label) for g, label in groups]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class TagValueForm(forms.Form):
    dimension = forms.ChoiceField(label=_("维度"), choices=Dimension.choices)
    code = forms.CharField(label=_("代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=100)
    synonyms = forms.CharField(
        label=_("同义词（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=100)


class TagEditForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    synonyms = forms.CharField(
        label=_("同义词（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sort_order = forms.IntegerField(label=_("排序"), min_value=0)


class RetireForm(forms.Form):
    replacement = forms.ModelChoiceField(
        label=_("替代值"), queryset=TagValue.objects.none(), required=False, empty_label=_("（无替代值）")
    )
    reason = forms.CharField(label=_("停用理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, value=None, **kwargs):
        super().__init__(*args, **kwargs)
        if value is not None:
            self.fields["replacement"].queryset = TagValue.objects.filter(
                dimension=value.dimension, status=TagStatus.ACTIVE
            ).exclude(pk=value.pk)
            self.fields["replacement"].label_from_instance = lambda v: f"{v.code} {v.label}"


class DatasetUploadForm(forms.Form):
    title = forms.CharField(label=_("数据集名称"), max_length=200)
    department = forms.ModelChoiceField(label=_("所属部门"), queryset=Department.objects.none())
    source = forms.CharField(label=_("数据来源"), max_length=200, required=False)
    as_of = forms.DateField(
        label=_("数据截至日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            departments if departments is not None else Department.objects.none()
        )


class DatasetChoiceForm(forms.Form):
    dataset = forms.ModelChoiceField(label=_("企业数据集"), queryset=EnterpriseDataset.objects.none())

    def __init__(self, *args, datasets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = (
            datasets if datasets is not None else EnterpriseDataset.objects.none()
        )
        self.fields["dataset"].label_from_instance = lambda d: (
            f"{d.title}（{d.row_count} 家，{d.department.display_name}）"
        )


class ScreenForm(DatasetChoiceForm):
    title = forms.CharField(label=_("批次名称（可选）"), max_length=200, required=False)
    as_of = forms.DateField(
        label=_("判断日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SandboxForm(DatasetChoiceForm):
    variants = forms.CharField(
        label=_("试算的门槛值（可选）"),
        required=False,
        max_length=200,
        help_text=_("对第一个数值条件试算的其他门槛，逗号分隔，例如 500,800,1500；不填则自动试算 ±20%、±50%"),
    )
    note = forms.CharField(label=_("测算说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_variants(self):
        raw = (self.cleaned_data.get("variants") or "").replace("，", ",")
        values = []
        for part in raw.split(","):
            part = part.strip()
            if not part:
                continue
            try:
                number = float(part)
            except ValueError:
                raise forms.ValidationError(_("“%(v)s”不是数字") % {"v": part[:20]})
            if number < 0:
                raise forms.ValidationError(_("门槛不能为负数"))
            values.append(number)
        return values[:8]


class DecideForm(forms.Form):
    beneficiary = forms.IntegerField(widget=forms.HiddenInput)
    included = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", _("列入")), ("0", _("移出"))])
    note = forms.CharField(label=_("核实说明或理由"), required=False, max_length=300)


class StatisticForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    applications = forms.IntegerField(label=_("申报（受理）数"), min_value=0, initial=0)
    approved = forms.IntegerField(label=_("兑现企业数"), min_value=0, initial=0)
    amount = forms.DecimalField(
        label=_("兑现金额（万元）"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    source = forms.CharField(label=_("数据来源"), required=False, max_length=200)


class EvaluationCreateForm(forms.Form):
    policy = forms.ModelChoiceField(label=_("评价的政策"), queryset=None)
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, policies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies


class EvaluationForm(forms.Form):
    title = forms.CharField(label=_("报告标题"), max_length=300)
    methods = forms.MultipleChoiceField(
        label=_("评价方式"),
        required=False,
        choices=[(m, m) for m in METHODS],
        widget=forms.CheckboxSelectMultiple,
    )
    standards = forms.CharField(label=_("执行标准"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    scope = forms.CharField(label=_("适用范围"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    usage_text = forms.CharField(
        label=_("使用情况"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    effects = forms.CharField(label=_("取得成效"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    conclusions = forms.CharField(
        label=_("评价结论和改进建议"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class FindingForm(forms.Form):
    text = forms.CharField(label=_("评价发现"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    action = forms.ChoiceField(label=_("结果运用"), choices=FindingAction.choices)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
