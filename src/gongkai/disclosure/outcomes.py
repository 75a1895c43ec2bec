"""Every statutory outcome of a disclosure request (政府信息公开条例 2019, Art. 36-39), with its legal ground,
the paragraph of the reply letter, and the row of annual-report table 三 (国办公开办函〔2021〕30号) it counts in."""

from __future__ import annotations

import dataclasses

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    ALREADY_PUBLISHED = "already_published", _("予以公开（已主动公开，告知获取途径）")
    DISCLOSED = "disclosed", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("不予公开：属于国家秘密")
    WITHHELD_PROHIBITED = "withheld_prohibited", _("不予公开：其他法律行政法规禁止公开")
    WITHHELD_SECURITY = "withheld_security", _("不予公开：危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("不予公开：保护第三方合法权益")
    WITHHELD_INTERNAL = "withheld_internal", _("不予公开：属于三类内部事务信息")
    WITHHELD_PROCESS = "withheld_process", _("不予公开：属于四类过程性信息")
    WITHHELD_ENFORCEMENT_FILE = "withheld_enforcement_file", _("不予公开：属于行政执法案卷")
    WITHHELD_QUERY_MATTER = "withheld_query_matter", _("不予公开：属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_NOT_RESPONSIBLE = "unavailable_not_responsible", _("无法提供：不属于本机关负责公开")
    UNAVAILABLE_NEEDS_CREATION = "unavailable_needs_creation", _("无法提供：没有现成信息需要另行制作")
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", _("无法提供：补正后申请内容仍不明确")
    REJECTED_PETITION = "rejected_petition", _("不予处理：信访举报投诉类申请")
    REJECTED_REPEAT = "rejected_repeat", _("不予处理：重复申请")
    REJECTED_PUBLICATION = "rejected_publication", _("不予处理：要求提供公开出版物")
    REJECTED_EXCESSIVE = "rejected_excessive", _("不予处理：无正当理由大量反复申请")
    REJECTED_CONFIRMATION = "rejected_confirmation", _("不予处理：要求行政机关确认或重新出具已获取信息")
    OTHER_NO_CORRECTION = "other_no_correction", _("其他处理：申请人无正当理由逾期不补正")
    OTHER_FEE_UNPAID = "other_fee_unpaid", _("其他处理：申请人逾期未按收费通知要求缴纳费用")
    OTHER = "other", _("其他处理：其他")


class ReportRow(models.TextChoices):
    """Rows of table 三, part 三 (本年度办理结果), in the national format's order."""

    DISCLOSED = "r1", _("（一）予以公开")
    PARTIAL = "r2", _("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    W1 = "r3_1", _("（三）不予公开 1.属于国家秘密")
    W2 = "r3_2", _("（三）不予公开 2.其他法律行政法规禁止公开")
    W3 = "r3_3", _("（三）不予公开 3.危及“三安全一稳定”")
    W4 = "r3_4", _("（三）不予公开 4.保护第三方合法权益")
    W5 = "r3_5", _("（三）不予公开 5.属于三类内部事务信息")
    W6 = "r3_6", _("（三）不予公开 6.属于四类过程性信息")
    W7 = "r3_7", _("（三）不予公开 7.属于行政执法案卷")
    W8 = "r3_8", _("（三）不予公开 8.属于行政查询事项")
    U1 = "r4_1", _("（四）无法提供 1.本机关不掌握相关政府信息")
    U2 = "r4_2", _("（四）无法提供 2.没有现成信息需要另行制作")
    U3 = "r4_3", _("（四）无法提供 3.补正后申请内容仍不明确")
    N1 = "r5_1", _("（五）不予处理 1.信访举报投诉类申请")
    N2 = "r5_2", _("（五）不予处理 2.重复申请")
    N3 = "r5_3", _("（五）不予处理 3.要求提供公开出版物")
    N4 = "r5_4", _("（五）不予处理 4.无正当理由大量反复申请")
    N5 = "r5_5", _("（五）不予处理 5.要求行政机关确认或重新出具已获取信息")
    O1 = "r6_1", _("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    O2 = "r6_2", _("（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    O3 = "r6_3", _("（六）其他处理 3.其他")


@dataclasses.dataclass(frozen=True)
class OutcomeRule:
    ground: str  # the legal ground cited in the letter
    row: str  # ReportRow value
    paragraph: str  # the decision paragraph of the reply letter (Django template syntax)
    provides_information: bool = False


_SEE_LINKS = "{% if links %}获取途径：{% for link in links %}{{ link }}{% if not forloop.last %}；{% endif %}{% endfor %}。{% endif %}"

RULES: dict[str, OutcomeRule] = {
    # Art. 36(1): already proactively disclosed -> tell how to obtain it.
    Outcome.ALREADY_PUBLISHED: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十六条第（一）项",
        ReportRow.DISCLOSED,
        "您申请获取的政府信息已经主动公开。" + _SEE_LINKS,
        True,
    ),
    # Art. 36(2)
    Outcome.DISCLOSED: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
        ReportRow.DISCLOSED,
        "经审查，您申请获取的政府信息属于可以公开的政府信息，现予以提供（见附件）。",
        True,
    ),
    # Art. 37 with Art. 36(3)
    Outcome.PARTIAL: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十七条、第三十六条第（三）项",
        ReportRow.PARTIAL,
        "经审查，您申请获取的政府信息中含有不应当公开的内容，本机关作区分处理后向您提供可以公开的内容（见附件），不予公开部分的理由是：{{ reason }}。",
        True,
    ),
    # Art. 14 (three grounds), Art. 15, Art. 16 para 1, Art. 16 para 2 (two grounds), Art. 36(7)
    Outcome.WITHHELD_STATE_SECRET: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
        ReportRow.W1,
        "经审查，您申请获取的政府信息依法确定为国家秘密，本机关决定不予公开。{{ reason }}",
    ),
    Outcome.WITHHELD_PROHIBITED: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
        ReportRow.W2,
        "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，本机关决定不予公开。{{ reason }}",
    ),
    Outcome.WITHHELD_SECURITY: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
        ReportRow.W3,
        "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关决定不予公开。{{ reason }}",
    ),
    Outcome.WITHHELD_THIRD_PARTY: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
        ReportRow.W4,
        "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关决定不予公开。{{ reason }}",
    ),
    Outcome.WITHHELD_INTERNAL: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
        ReportRow.W5,
        "经审查，您申请获取的信息属于行政机关的内部事务信息，本机关决定不予公开。{{ reason }}",
    ),
    Outcome.WITHHELD_PROCESS: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
        ReportRow.W6,
        "经审查，您申请获取的信息属于行政机关在履行行政管理职能过程中形成的过程性信息，本机关决定不予公开。{{ reason }}",
    ),
    Outcome.WITHHELD_ENFORCEMENT_FILE: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
        ReportRow.W7,
        "经审查，您申请获取的信息属于行政执法案卷信息，本机关决定不予公开。{{ reason }}",
    ),
    Outcome.WITHHELD_QUERY_MATTER: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
        ReportRow.W8,
        "您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定，请依照有关法律、行政法规的规定办理。{{ reason }}",
    ),
    Outcome.UNAVAILABLE_NOT_HELD: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十六条第（四）项",
        ReportRow.U1,
        "经检索，本机关没有您申请公开的政府信息，该政府信息不存在。{{ reason }}",
    ),
    Outcome.UNAVAILABLE_NOT_RESPONSIBLE: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十六条第（五）项",
        ReportRow.U1,
        "您申请公开的信息不属于本机关负责公开。{{ reason }}",
    ),
    Outcome.UNAVAILABLE_NEEDS_CREATION: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十八条",
        ReportRow.U2,
        "您申请获取的信息需要本机关对现有政府信息进行加工、分析，本机关不予提供。{{ reason }}",
    ),
    Outcome.UNAVAILABLE_UNCLEAR: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十条",
        ReportRow.U3,
        "经补正，您的申请内容仍不明确，本机关无法确定您所需的政府信息，无法提供。{{ reason }}",
    ),
    Outcome.REJECTED_PETITION: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十九条第一款",
        ReportRow.N1,
        "您的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，您可以通过相应渠道提出。{{ reason }}",
    ),
    Outcome.REJECTED_REPEAT: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
        ReportRow.N2,
        "本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同政府信息，本机关不予重复处理。{{ reason }}",
    ),
    Outcome.REJECTED_PUBLICATION: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十九条第二款",
        ReportRow.N3,
        "您申请获取的是政府公报、报刊、书籍等公开出版物，可以通过以下途径获取：{{ reason }}",
    ),
    Outcome.REJECTED_EXCESSIVE: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十五条",
        ReportRow.N4,
        "您申请公开政府信息的数量、频次明显超过合理范围，经要求说明理由，本机关认为申请理由不合理，不予处理。{{ reason }}",
    ),
    Outcome.REJECTED_CONFIRMATION: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第二条、第三十九条",
        ReportRow.N5,
        "您的申请系要求本机关确认或重新出具已获取的信息，不属于政府信息公开申请的处理范围，本机关不予处理。{{ reason }}",
    ),
    Outcome.OTHER_NO_CORRECTION: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第三十条",
        ReportRow.O1,
        "本机关已于{{ correction_date }}告知您补正申请，您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ),
    Outcome.OTHER_FEE_UNPAID: OutcomeRule(
        "《中华人民共和国政府信息公开条例》第四十二条；《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
        ReportRow.O2,
        "本机关已向您发出信息处理费收费通知，您逾期未按收费通知要求缴纳费用，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ),
    Outcome.OTHER: OutcomeRule(
        "《中华人民共和国政府信息公开条例》",
        ReportRow.O3,
        "{{ reason }}",
    ),
}

# Outcomes whose letter needs a written reason from the officer.
REASON_REQUIRED = {
    Outcome.PARTIAL,
    Outcome.UNAVAILABLE_NOT_RESPONSIBLE,
    Outcome.REJECTED_PUBLICATION,
    Outcome.OTHER,
}

# Outcomes whose letter says "见附件": the reply carries the documents provided (Art. 36(2), Art. 37).
ATTACHMENT_REQUIRED = {Outcome.DISCLOSED, Outcome.PARTIAL}
# Art. 37 区分处理: every uploaded document of a partial disclosure is delivered as a redacted copy, with the record.
REDACTION_REQUIRED = {Outcome.PARTIAL}

# Appeal clause of every reply letter: 行政复议法 Art. 20 (60 days), 行政诉讼法 Art. 46 (6 months).
APPEAL_CLAUSE = (
    "如对本答复不服，可以自收到本答复之日起六十日内向{{ review_body }}申请行政复议，"
    "或者自知道或者应当知道本答复之日起六个月内向人民法院提起行政诉讼。"
)
# Art. 51 of the regulation names the review channel; the district's review body is configurable per deployment.
DEFAULT_REVIEW_BODY = "北京市西城区人民政府"


def rule_for(outcome: str) -> OutcomeRule:
    return RULES[Outcome(outcome)]


def report_row(outcome: str) -> str:
    return rule_for(outcome).row
