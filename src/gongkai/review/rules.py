"""The rules of the pre-release policy review (政策前置审核), in one place.

Source: 《2024年西城区政务公开工作要点》二(二)2 — before release the drafting department reviews 制定标准性,
公开合规性, 解读规范性, 兑现操作性 and 测算必要性; for policies issued in the name of the district government or its
office, 区政务服务局 then re-checks 公开合规性/解读规范性/兑现操作性, 区财政局 测算必要性, 区司法局 合法性 when needed
(in parallel), and 区政府办公室 制定标准性; the 区政务服务局 opinion must be attached and incomplete submissions are
returned (材料不全的，区政府办公室按规定予以退回). Joint policies are reviewed by the lead department.
Risk assessment before release: 二(三)3 (政策发布前，应充分评估可能产生的舆情风险).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core import roles


class ReviewPoint(models.TextChoices):
    STANDARD = "standard", _("制定标准性")
    OPENNESS = "openness", _("公开合规性")
    INTERPRETATION = "interpretation", _("解读规范性")
    REDEMPTION = "redemption", _("兑现操作性")
    CALCULATION = "calculation", _("测算必要性")
    LEGALITY = "legality", _("合法性")


# The five points of the self-review (24:二(二)2), in the order of the work plan.
FIVE_POINTS = [
    ReviewPoint.STANDARD,
    ReviewPoint.OPENNESS,
    ReviewPoint.INTERPRETATION,
    ReviewPoint.REDEMPTION,
    ReviewPoint.CALCULATION,
]

# What a reviewer checks under each point (the checklist shown beside the result).
CHECKLIST_ITEMS: dict[str, list] = {
    ReviewPoint.STANDARD: [
        _("文种、标题、发文字号、成文日期等要素规范"),
        _("制定程序完整（起草、征求意见、审议）"),
        _("与上位政策衔接，未另行出台不必要的配套细则"),
    ],
    ReviewPoint.OPENNESS: [
        _("公开属性认定准确，不公开的有理由和依据"),
        _("不含国家秘密、工作秘密和个人信息"),
        _("元数据完整，可在政府网站“政策文件”栏目集中发布"),
    ],
    ReviewPoint.INTERPRETATION: [
        _("解读与政策同步起草、同步报审（三同步）"),
        _("解读要素齐全：背景依据、目标任务、主要内容、创新特点、专有名词、涉及范围、执行标准、注意事项"),
        _("替代原有政策的，说明新旧政策差异"),
    ],
    ReviewPoint.REDEMPTION: [
        _("兑现办事类政策明确申报条件、支持标准、申报期限、申报材料、受理部门、咨询电话"),
        _("涉及财政资金的惠企政策可通过“京策”平台一口兑现"),
    ],
    ReviewPoint.CALCULATION: [
        _("涉及财政资金的，资金规模经过测算"),
        _("资金来源明确，必要性充分"),
    ],
    ReviewPoint.LEGALITY: [
        _("制定主体合法，未超越权限"),
        _("内容不违反上位法，未违法减损权利或增加义务"),
    ],
}


class CheckResult(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class RiskLevel(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class ReviewStep(models.TextChoices):
    SELF = "self", _("起草部门自审")
    SERVICE = "service", _("区政务服务局复核")
    FINANCE = "finance", _("区财政局复核")
    JUSTICE = "justice", _("区司法局合法性审核")
    DISTRICT_OFFICE = "district_office", _("区政府办公室复核")


# Which points each step reviews.
STEP_POINTS: dict[str, list[str]] = {
    ReviewStep.SELF: list(FIVE_POINTS),
    ReviewStep.SERVICE: [ReviewPoint.OPENNESS, ReviewPoint.INTERPRETATION, ReviewPoint.REDEMPTION],
    ReviewStep.FINANCE: [ReviewPoint.CALCULATION],
    ReviewStep.JUSTICE: [ReviewPoint.LEGALITY],
    ReviewStep.DISTRICT_OFFICE: [ReviewPoint.STANDARD],
}

# Which role acts at each reviewer step (the self-review is the drafting department's own staff).
STEP_ROLES: dict[str, str] = {
    ReviewStep.SERVICE: roles.OPENNESS_OFFICE,
    ReviewStep.FINANCE: roles.FINANCE_REVIEWER,
    ReviewStep.JUSTICE: roles.JUSTICE_REVIEWER,
    ReviewStep.DISTRICT_OFFICE: roles.DISTRICT_OFFICE_REVIEWER,
}
SELF_REVIEW_ROLES = (roles.DRAFTER, roles.DEPARTMENT_OFFICER)

# The department whose inbox is told when a step is waiting (short names as seeded in core).
STEP_DEPARTMENTS: dict[str, str] = {
    ReviewStep.SERVICE: "区政务服务局",
    ReviewStep.FINANCE: "区财政局",
    ReviewStep.JUSTICE: "区司法局",
    ReviewStep.DISTRICT_OFFICE: "区政府办",
}

# Policies issued in the name of the district government or its office take the full route (24:二(二)2);
# everything else takes the departmental route. Administrators change this in 设置 → 前置审核设置.
DEFAULT_FULL_ROUTE_ISSUERS = ("区政府", "区政府办")


class Route(models.TextChoices):
    FULL = "full", _("区政府（办）名义发文：自审 → 会签 → 区政府办公室")
    DEPARTMENT = "department", _("部门名义发文：自审 → 区政务服务局")


# Metadata that must be filled before review, by policy type (the 政府网站政策文件 metadata).
REQUIRED_METADATA_ALL = ("title", "doc_number", "written_date", "theme", "summary", "body")
REQUIRED_METADATA_NORMATIVE = ("effective_date", "validity_years")
REQUIRED_METADATA_BY_TYPE = {
    "service": ("effective_date",),
}
