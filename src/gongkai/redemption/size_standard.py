"""Enterprise size (企业规模): large / medium / small / micro, by the national statistical size standard.

Source: 国家统计局《统计上大中小微型企业划分办法（2017）》（国统字〔2017〕213号）, item 四 (按行业门类、大类、中类和
组合类别，依据从业人员、营业收入、资产总额等指标划分为大型、中型、小型、微型) and its table 附表《统计上大中小微型
企业划分标准》 with the notes (说明) under it. Every number of the table is in `SIZE_TABLE` below; nothing else in
the code knows a threshold.

Rules applied, as the notes say:
- 说明1: large, medium and small enterprises must reach the lower bound of EVERY indicator listed for their
  industry, otherwise they fall one class; a micro enterprise needs to meet only one of them (so one indicator
  below the small bound makes it micro even when the others are unknown);
- 说明2: the industries are those of GB/T 4754-2017; the starred rows are combinations (工业 = B, C, D;
  交通运输业 = 54–58 and 591 装卸搬运, not 53 铁路运输业; 仓储业 = 592–599; 信息传输业 = 63, 64; 其他未列明行业 =
  M, N, O, 85 社会工作, R and 703 房地产中介服务, 709 其他房地产业, not 704 自有房地产经营活动);
- 说明3: 从业人员 = persons employed at the end of the period; 营业收入 in 万元; 资产总额 = total assets in 万元.

Industries the table does not cover (金融业, 教育, 卫生, 公共管理 …, 53 铁路运输业, 704) cannot be classified here: the
result is None with the reason (金融业 has its own standard, 银发〔2015〕309号).
"""

from __future__ import annotations

import dataclasses

from . import industry

DOCUMENT = "《统计上大中小微型企业划分办法（2017）》（国统字〔2017〕213号）"
CITATION = f"{DOCUMENT}附表《统计上大中小微型企业划分标准》"

LARGE, MEDIUM, SMALL, MICRO = "large", "medium", "small", "micro"
CLASSES = (LARGE, MEDIUM, SMALL, MICRO)  # from the top
LABELS = {LARGE: "大型", MEDIUM: "中型", SMALL: "小型", MICRO: "微型"}
# The order used by "size at most …" conditions: micro < small < medium < large.
RANK = {MICRO: 1, SMALL: 2, MEDIUM: 3, LARGE: 4}

EMPLOYEES, REVENUE, ASSETS = (
    "employees",
    "revenue",
    "assets",
)  # X 从业人员（人）, Y 营业收入（万元）, Z 资产总额（万元）
INDICATOR_LABELS = {EMPLOYEES: "从业人员", REVENUE: "营业收入", ASSETS: "资产总额"}
INDICATOR_UNITS = {EMPLOYEES: "人", REVENUE: "万元", ASSETS: "万元"}


@dataclasses.dataclass(frozen=True)
class SizeRow:
    key: str
    label: str  # the table's 行业名称
    # indicator -> (large lower bound, medium lower bound, small lower bound); below the small bound = micro
    bounds: dict


# 附表《统计上大中小微型企业划分标准》, row by row (lower bounds: 大型 X≥…, 中型 …≤X, 小型 …≤X; 微型 below).
SIZE_TABLE: dict[str, SizeRow] = {
    row.key: row
    for row in [
        SizeRow("agriculture", "农、林、牧、渔业", {REVENUE: (20000, 500, 50)}),
        SizeRow("industry", "工业*", {EMPLOYEES: (1000, 300, 20), REVENUE: (40000, 2000, 300)}),
        SizeRow("construction", "建筑业", {REVENUE: (80000, 6000, 300), ASSETS: (80000, 5000, 300)}),
        SizeRow("wholesale", "批发业", {EMPLOYEES: (200, 20, 5), REVENUE: (40000, 5000, 1000)}),
        SizeRow("retail", "零售业", {EMPLOYEES: (300, 50, 10), REVENUE: (20000, 500, 100)}),
        SizeRow("transport", "交通运输业*", {EMPLOYEES: (1000, 300, 20), REVENUE: (30000, 3000, 200)}),
        SizeRow("warehousing", "仓储业*", {EMPLOYEES: (200, 100, 20), REVENUE: (30000, 1000, 100)}),
        SizeRow("postal", "邮政业", {EMPLOYEES: (1000, 300, 20), REVENUE: (30000, 2000, 100)}),
        SizeRow("accommodation", "住宿业", {EMPLOYEES: (300, 100, 10), REVENUE: (10000, 2000, 100)}),
        SizeRow("catering", "餐饮业", {EMPLOYEES: (300, 100, 10), REVENUE: (10000, 2000, 100)}),
        SizeRow("telecom", "信息传输业*", {EMPLOYEES: (2000, 100, 10), REVENUE: (100000, 1000, 100)}),
        SizeRow("software", "软件和信息技术服务业", {EMPLOYEES: (300, 100, 10), REVENUE: (10000, 1000, 50)}),
        SizeRow("real_estate_development", "房地产开发经营", {REVENUE: (200000, 1000, 100), ASSETS: (10000, 5000, 2000)}),
        SizeRow("property_management", "物业管理", {EMPLOYEES: (1000, 300, 100), REVENUE: (5000, 1000, 500)}),
        SizeRow("leasing_business", "租赁和商务服务业", {EMPLOYEES: (300, 100, 10), ASSETS: (120000, 8000, 100)}),
        SizeRow("other", "其他未列明行业*", {EMPLOYEES: (300, 100, 10)}),
    ]
}  # fmt: skip

# GB/T 4754-2017 code prefixes → table row (说明2). The most specific prefix wins.
_PREFIXES: dict[str, str] = {
    **{f"{d:02d}": "agriculture" for d in range(1, 6)},
    **{f"{d:02d}": "industry" for d in range(6, 47)},  # B 06–12, C 13–43, D 44–46
    **{f"{d:02d}": "construction" for d in range(47, 51)},
    "51": "wholesale",
    "52": "retail",
    **{f"{d:02d}": "transport" for d in range(54, 59)},
    "591": "transport",  # 装卸搬运
    **{f"59{d}": "warehousing" for d in (2, 3, 4, 5, 6, 9)},
    "60": "postal",
    "61": "accommodation",
    "62": "catering",
    "63": "telecom",
    "64": "telecom",
    "65": "software",
    "701": "real_estate_development",
    "702": "property_management",
    "703": "other",  # 房地产中介服务
    "709": "other",  # 其他房地产业
    "71": "leasing_business",
    "72": "leasing_business",
    **{f"{d:02d}": "other" for d in range(73, 83)},  # M 73–75, N 76–79, O 80–82
    "85": "other",  # 社会工作
    **{f"{d:02d}": "other" for d in range(86, 91)},  # R 86–90
}

_NOT_COVERED = {
    "53": "铁路运输业不在划分标准范围内",
    "59": "装卸搬运和仓储业需细分到中类（591 装卸搬运 / 592–599 仓储）才能划型",
    "70": "房地产业需细分到中类（701 开发经营 / 702 物业管理 / 703 中介 / 709 其他）才能划型",
    "704": "自有房地产经营活动不在划分标准范围内",
}


@dataclasses.dataclass(frozen=True)
class SizeResult:
    size: str | None  # one of CLASSES, or None when it cannot be determined
    row: SizeRow | None
    reason: str  # Chinese: how it was decided, or why not

    @property
    def label(self) -> str:
        return LABELS.get(self.size, "")


def row_for(industry_code) -> tuple[SizeRow | None, str]:
    """The table row for an industry code (division or finer), or (None, why not)."""
    code = industry.normalise_code(industry_code)
    if code is None:
        return None, "未提供有效的国民经济行业代码"
    if code.isalpha():
        return None, "行业需细分到大类才能划型"
    for length in range(len(code), 1, -1):
        prefix = code[:length]
        if prefix in _NOT_COVERED:
            return None, _NOT_COVERED[prefix]
        if prefix in _PREFIXES:
            return SIZE_TABLE[_PREFIXES[prefix]], ""
    if code[:2] in ("66", "67", "68", "69"):
        return None, "金融业企业按《金融业企业划型标准规定》（银发〔2015〕309号）划型，不适用本标准"
    return None, f"{industry.name_of(code) or code}不在划分标准范围内"


def classify(industry_code, *, employees=None, revenue=None, assets=None) -> SizeResult:
    """The size class of an enterprise (说明1): the highest class whose lower bound every listed indicator
    reaches; micro as soon as one indicator is below the small bound. None when an indicator needed to decide
    is missing."""
    row, why = row_for(industry_code)
    if row is None:
        return SizeResult(None, None, why)
    given = {EMPLOYEES: employees, REVENUE: revenue, ASSETS: assets}
    values = {k: given[k] for k in row.bounds}
    known = {k: float(v) for k, v in values.items() if v is not None}
    for key, value in known.items():
        if value < row.bounds[key][2]:
            return SizeResult(
                MICRO,
                row,
                f"{row.label}：{INDICATOR_LABELS[key]}{_fmt(value)}{INDICATOR_UNITS[key]}低于小型下限"
                f"{_fmt(row.bounds[key][2])}{INDICATOR_UNITS[key]}，按{DOCUMENT}为微型",
            )
    missing = [k for k in row.bounds if k not in known]
    if missing:
        return SizeResult(
            None,
            row,
            f"{row.label}按"
            + "、".join(INDICATOR_LABELS[k] for k in row.bounds)
            + "划型，缺少"
            + "、".join(INDICATOR_LABELS[k] for k in missing),
        )
    for index, size in enumerate((LARGE, MEDIUM, SMALL)):
        if all(known[k] >= bounds[index] for k, bounds in row.bounds.items()):
            parts = "、".join(
                f"{INDICATOR_LABELS[k]}{_fmt(known[k])}{INDICATOR_UNITS[k]}" for k in row.bounds
            )
            return SizeResult(size, row, f"{row.label}：{parts}，按{DOCUMENT}为{LABELS[size]}")
    raise AssertionError("unreachable: every indicator is at least the small bound")  # pragma: no cover


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"
