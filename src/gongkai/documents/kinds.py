"""The kind of a document (文件类别): 法律, 行政法规, 地方性法规, 规章, 规范性文件 or 其他文件 — one rule, from who made it
and how (the values of `policies.models.DocumentKind`).

- 法律: made by 全国人民代表大会 and its 常务委员会 (《立法法》第十条), promulgated by 主席令 (第五十九条);
- 行政法规: made by 国务院 (《立法法》第七十二条), published by 国务院令 (《行政法规制定程序条例》第二十七条) or adopted
  at a 国务院常务会议 / 批准 by 国务院 as 条例、规定、办法 (第五条);
- 地方性法规: made by the 人民代表大会 of a province, autonomous region, municipality or 设区的市 and its 常务委员会
  (《立法法》第八十条、第八十一条);
- 规章: 部门规章 by the departments of the State Council (《立法法》第九十一条) and 地方政府规章 by provincial and 设区的市
  governments (第九十三条), published by 令 (《规章制定程序条例》第三十条) or adopted at a 部务会议/委务会议/常务会议
  (第二十七条);
- 规范性文件 (行政规范性文件): other documents of an administrative organ that bind the public generally, issued
  as 通知、意见、办法、规定、决定、公告 … with a 发文字号 (国办发〔2018〕37号); Beijing numbers them with 规 in the
  agency code (`京发改规〔2020〕1号`, 《北京市行政规范性文件制定和监督管理办法》);
- 其他文件: everything else (plans, reports, letters, replies, work points).

A site's own label (效力级别, 文件类别) wins when it is present; a caller's hint (e.g. the corpus folder) is used when
the text says nothing.
"""

from __future__ import annotations

import re

from gongkai.core import external_organs as organs

_ORDER_SERIAL = re.compile(r"令(?:\d{4}年|〔\d{4}〕)?第")

LAW = "law"
ADMINISTRATIVE_REGULATION = "administrative_regulation"
LOCAL_REGULATION = "local_regulation"
RULE = "rule"
NORMATIVE = "normative"
OTHER = "other"
KINDS = (LAW, ADMINISTRATIVE_REGULATION, LOCAL_REGULATION, RULE, NORMATIVE, OTHER)
LABELS = {
    LAW: "法律",
    ADMINISTRATIVE_REGULATION: "行政法规",
    LOCAL_REGULATION: "地方性法规",
    RULE: "规章",
    NORMATIVE: "规范性文件",
    OTHER: "其他文件",
}

# A site's label → kind (longest first).
_LABELLED: list[tuple[re.Pattern, str]] = [
    (re.compile(r"地方性法规|地方法规|自治条例|单行条例"), LOCAL_REGULATION),
    (re.compile(r"行政法规"), ADMINISTRATIVE_REGULATION),
    (re.compile(r"规章"), RULE),
    (re.compile(r"规范性文件"), NORMATIVE),
    (re.compile(r"^法律|法律$|法律解释|有关法律问题"), LAW),
    (re.compile(r"其他|工作文件|一般文件"), OTHER),
]
# 文种 that regulations and rules are named with (《行政法规制定程序条例》第五条, 《规章制定程序条例》第七条).
REGULATION_TYPES = {"条例", "规定", "办法", "细则", "实施细则", "规则", "决定", "命令", "守则", "准则"}
NORMATIVE_TYPES = {
    "通知",
    "意见",
    "办法",
    "规定",
    "细则",
    "实施细则",
    "决定",
    "公告",
    "通告",
    "规则",
    "措施",
    "规范",
    "标准",
}
_MEETING_ADOPTED = re.compile(r"(?:部务|委务|局务|署务|行务|常务|办公)会议")


def kind_from_label(text: str | None) -> str | None:
    for pattern, kind in _LABELLED:
        if text and pattern.search(text):
            return kind
    return None


def _roles(names) -> list[str]:
    roles = []
    for name in names:
        role = organs.organ_role(name or "")
        if role and role not in roles:
            roles.append(role)
    return roles


def document_kind(
    *,
    issuers: list[str],
    doc_type: str | None = None,
    doc_number: str | None = None,
    doc_number_kind: str | None = None,
    promulgation: list[dict] | None = None,
    label: str | None = None,
    hint: str | None = None,
) -> str:
    """The kind (see the module docstring) of a document from its issuers, 文种, number, promulgation entries and a
    site's label; `hint` (a kind) when nothing in the document decides."""
    labelled = kind_from_label(label)
    if labelled:
        return labelled
    promulgation = promulgation or []
    enacting = [
        e for e in promulgation if e.get("action") in ("通过", "公布", "发布", "批准", "颁布", "印发")
    ]
    organ_names = list(issuers) + [e.get("organ") for e in enacting]
    roles = _roles(organ_names)
    texts = " ".join(e.get("text", "") for e in enacting)
    numbers = [doc_number or ""] + [e.get("doc_number") or "" for e in enacting]
    is_order = doc_number_kind == "order" or any(_ORDER_SERIAL.search(n) for n in numbers)
    has_number = bool(doc_number) and doc_number_kind in ("standard", "announcement")
    regulation_type = doc_type in REGULATION_TYPES
    normative_type = doc_type in NORMATIVE_TYPES
    if (
        organs.NATIONAL_CONGRESS in roles
        or organs.PRESIDENT in roles
        or re.search(r"主席令", " ".join(numbers))
    ):
        return LAW
    if organs.STATE_COUNCIL in roles:
        if is_order or (enacting and not has_number) or (regulation_type and not has_number):
            return ADMINISTRATIVE_REGULATION
        return NORMATIVE if normative_type and has_number else OTHER
    if organs.LOCAL_CONGRESS in roles:
        return LOCAL_REGULATION
    if organs.LOCAL_GOVERNMENT in roles or organs.NATIONAL_DEPARTMENT in roles:
        if is_order or (_MEETING_ADOPTED.search(texts) and not has_number):
            return RULE
        if regulation_type and enacting and not has_number:
            return RULE
        if normative_type and has_number:
            return NORMATIVE
    code = (doc_number or "").split("〔", 1)[0]
    if doc_number_kind == "standard" and code.endswith("规"):
        return NORMATIVE
    if hint in KINDS:
        return hint
    return OTHER
