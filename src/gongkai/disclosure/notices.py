"""The letters of the procedure and their editable templates.

Every letter's text comes from a template the openness office may edit (管理后台 → 依申请公开 → 文书模板); a
template without an edited version uses the default below. Templates use Django template syntax restricted to
`ALLOWED_TAGS` over a fixed set of plain-text variables (`TemplateSpec.variables`), so an edited template can
neither load code nor reach objects.

Letters (`NoticeKind`):
- 补正告知书 (Art. 30) — to the applicant, with the items to correct and the term;
- 延期答复告知书 (Art. 33 para 2) — to the applicant, with the new deadline;
- 征求第三方意见函 (Art. 32) with its 回执 — to the third party; the applicant's identity is never in it;
- 征求意见函 (Art. 34) — to a co-authoring agency;
- 公开决定告知书 (Art. 32, last sentence) — to a third party that objected, when the agency discloses anyway;
- the reply (答复告知书, `ReplyLetter`): its opening, its decision paragraph per outcome and the appeal clause.

Each sent letter is numbered `<department code>-<kind prefix>-<year>-<sequence>` (per department, kind and year),
rendered as .docx and as a PDF carrying the department's seal image and signature, and listed on the request's
timeline and in the ledger (台账)."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template import Context, Engine, TemplateSyntaxError

from .models import NoticeKind
from .outcomes import APPEAL_CLAUSE, RULES, Outcome

# Numbers: one sequence per department, kind and year.
NUMBER_PREFIX = {
    NoticeKind.CORRECTION: "BZ",  # 补正
    NoticeKind.EXTENSION: "YQ",  # 延期
    NoticeKind.CONSULT_THIRD_PARTY: "ZQ",  # 征求（第三方）
    NoticeKind.CONSULT_AGENCY: "ZJ",  # 征求（机关）
    NoticeKind.THIRD_PARTY_DECISION: "GZ",  # 告知（第三方）
}
TITLES = {
    NoticeKind.CORRECTION: "政府信息公开申请补正告知书",
    NoticeKind.EXTENSION: "政府信息公开申请延期答复告知书",
    NoticeKind.CONSULT_THIRD_PARTY: "政府信息公开征求第三方意见函",
    NoticeKind.CONSULT_AGENCY: "政府信息公开征求意见函",
    NoticeKind.THIRD_PARTY_DECISION: "政府信息公开决定告知书",
}
ALLOWED_TAGS = frozenset(
    {"if", "elif", "else", "endif", "for", "empty", "endfor", "comment", "endcomment", "firstof"}
)

COMMON_VARIABLES = {
    "department": "本机关名称",
    "tracking_number": "申请编号",
    "information_title": "所需信息名称",
    "received": "收到申请日期（如有补正，为收到补正日期）",
    "number": "本文书编号",
    "date": "本文书日期",
}


@dataclasses.dataclass(frozen=True)
class TemplateSpec:
    key: str
    label: str
    default: str
    variables: dict[str, str]


def _spec(key, label, default, **variables):
    return TemplateSpec(key, label, default, {**COMMON_VARIABLES, **variables})


_TEMPLATES = [
    _spec(
        NoticeKind.CORRECTION,
        "补正告知书（第三十条）",
        "本机关于{{ received }}收到您提出的政府信息公开申请（申请编号：{{ tracking_number }}），您申请获取"
        "“{{ information_title }}”。经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，"
        "现一次性告知您对以下内容作出补正：\n{{ items }}\n"
        "请您于{{ correction_due }}前提交补正后的申请。您可以凭申请编号和查询码在网上提交，也可以邮寄或当面提交。"
        "答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        items="需补正的事项",
        correction_due="补正期限",
    ),
    _spec(
        NoticeKind.EXTENSION,
        "延期答复告知书（第三十三条第二款）",
        "本机关于{{ received }}收到您提出的政府信息公开申请（申请编号：{{ tracking_number }}），您申请获取"
        "“{{ information_title }}”。因{{ reason }}，本机关不能在{{ old_deadline }}前作出答复。根据《中华人民共和国政府信息公开条例》"
        "第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{{ extension_days }}个工作日，"
        "本机关将于{{ new_deadline }}前作出答复。\n特此告知。",
        reason="延期理由",
        extension_days="延长的工作日数",
        old_deadline="原答复期限",
        new_deadline="延长后的答复期限（如有征求意见等暂停，以实际计算为准）",
    ),
    _spec(
        NoticeKind.CONSULT_THIRD_PARTY,
        "征求第三方意见函（第三十二条）",
        "本机关于{{ received }}收到政府信息公开申请（申请编号：{{ tracking_number }}），申请获取“{{ information_title }}”。"
        "经审查，公开该政府信息可能损害您（单位）的合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，"
        "现书面征求您（单位）的意见。\n"
        "请您（单位）自收到本函之日起15个工作日内（即{{ due }}前）提出意见并说明理由，可填写所附回执后寄回或送达本机关。"
        "逾期未提出意见的，由本机关依照条例的规定决定是否公开。第三方不同意公开且有合理理由的，本机关不予公开；"
        "本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知您（单位）。"
        "{% if officer %}\n联系人：{{ officer }}{% endif %}",
        party="第三方名称",
        due="答复期限",
        officer="联系人",
    ),
    _spec(
        "consult_receipt",
        "征求第三方意见回执",
        "函号：{{ number }}　申请编号：{{ tracking_number }}\n"
        "征求意见事项：{{ information_title }}\n"
        "□ 同意公开\n□ 不同意公开，理由：\n\n\n"
        "（请说明公开可能损害的合法权益，如商业秘密、个人隐私等，并附相关证明材料）\n\n"
        "第三方（签章）：\n日期：　　　年　　月　　日",
        party="第三方名称",
        due="答复期限",
    ),
    _spec(
        NoticeKind.CONSULT_AGENCY,
        "征求意见函（第三十四条）",
        "本机关于{{ received }}收到政府信息公开申请（申请编号：{{ tracking_number }}），申请获取“{{ information_title }}”。"
        "该政府信息由本机关与贵单位共同制作。根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵单位意见，"
        "请于收到本函之日起15个工作日内（即{{ due }}前）函复。逾期未提出意见的，视为同意公开。"
        "{% if officer %}\n联系人：{{ officer }}{% endif %}",
        party="被征求意见机关",
        due="答复期限",
        officer="联系人",
    ),
    _spec(
        NoticeKind.THIRD_PARTY_DECISION,
        "公开决定告知书（第三十二条）",
        "本机关于{{ consulted }}就政府信息公开申请（申请编号：{{ tracking_number }}）所涉“{{ information_title }}”"
        "征求您（单位）的意见，您（单位）于{{ answered }}提出不同意公开的意见。经审查，本机关认为不公开可能对公共利益造成重大影响，"
        "根据《中华人民共和国政府信息公开条例》第三十二条的规定，决定予以公开。\n"
        "决定公开的政府信息内容：{{ content }}\n决定公开的理由：{{ reason }}\n{{ appeal }}",
        party="第三方名称",
        consulted="征求意见日期",
        answered="第三方答复日期",
        content="决定公开的政府信息内容",
        reason="决定公开的理由",
        appeal="救济途径（行政复议、行政诉讼）",
    ),
    _spec(
        "reply.intro",
        "答复告知书：开头",
        "本机关于{{ received }}收到您提出的政府信息公开申请（申请编号：{{ tracking_number }}），"
        "您申请获取“{{ information_title }}”。经审查，现答复如下：",
    ),
    _spec(
        "reply.appeal",
        "答复告知书：救济途径",
        APPEAL_CLAUSE,
        review_body="行政复议机关",
    ),
] + [
    _spec(
        f"reply.{outcome.value}",
        f"答复告知书：{outcome.label}",
        RULES[outcome].paragraph,
        reason="理由或说明",
        links="获取途径（列表）",
        correction_date="补正告知日期",
    )
    for outcome in Outcome
]
TEMPLATES: dict[str, TemplateSpec] = {spec.key: spec for spec in _TEMPLATES}

_ENGINE = Engine(dirs=[], app_dirs=False, libraries={}, autoescape=False, debug=False)
_TAG = re.compile(r"{%\s*(\w+)")


def check_template(key: str, body: str) -> str:
    """Validates an edited template: only the allowed tags and the template's variables, renders on sample
    values. Returns the sample rendering; raises ValidationError in Chinese."""
    spec = TEMPLATES.get(key)
    if spec is None:
        raise ValidationError("未知的文书模板")
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError("模板正文不能为空")
    if len(body) > 10000:
        raise ValidationError("模板正文不能超过10000字")
    bad = sorted({t for t in _TAG.findall(body) if t not in ALLOWED_TAGS})
    if bad:
        raise ValidationError(
            "模板中不能使用以下标签：" + "、".join(bad) + "（只能使用 if、for 等条件和循环）"
        )
    used = set(re.findall(r"{{\s*([A-Za-z_][\w]*)", body))
    used |= set(re.findall(r"{%\s*(?:if|elif|for\s+\w+\s+in)\s+(?:not\s+)?([A-Za-z_]\w*)", body))
    loop_vars = set(re.findall(r"{%\s*for\s+(\w+)\s+in", body)) | {"forloop"}
    unknown = sorted(v for v in used if v not in spec.variables and v not in loop_vars)
    if unknown:
        raise ValidationError(
            "模板中有未定义的变量：" + "、".join(unknown) + "。可用变量：" + "、".join(spec.variables)
        )
    try:
        return render_body(body, sample_context(spec))
    except TemplateSyntaxError as exc:
        raise ValidationError(f"模板语法错误：{exc}")


def sample_context(spec: TemplateSpec) -> dict:
    ctx = {name: f"【{label}】" for name, label in spec.variables.items()}
    if "links" in ctx:
        ctx["links"] = ["【获取途径一】", "【获取途径二】"]
    return ctx


def render_body(body: str, context: dict) -> str:
    text = _ENGINE.from_string(body).render(Context(context, autoescape=False))
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def template_text(key: str) -> str:
    from .models import NoticeTemplate

    row = NoticeTemplate.objects.filter(key=key).first()
    return row.body if row else TEMPLATES[key].default


def render(key: str, context: dict) -> str:
    """The template `key` (as edited, or the default) filled with `context` (plain strings and lists)."""
    spec = TEMPLATES[key]
    ctx = {name: "" for name in spec.variables}
    ctx.update(context)
    try:
        return render_body(template_text(key), ctx)
    except TemplateSyntaxError:
        # an edited template that no longer parses (it was checked when saved): fall back to the default
        return render_body(spec.default, ctx)


def fmt(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def base_context(req) -> dict:
    return {
        "department": req.department.name,
        "tracking_number": req.tracking_number,
        "information_title": req.information_title,
        "received": fmt(req.corrected_received_on or req.received_date),
    }


def notice_counter_key(req, kind: str, day: datetime.date) -> str:
    return f"disclosure.notice.{req.department.code}.{NUMBER_PREFIX[kind]}.{day.year}"


def format_number(req, kind: str, day: datetime.date, n: int) -> str:
    return f"{req.department.code}-{NUMBER_PREFIX[kind]}-{day.year}-{n:04d}"


@dataclasses.dataclass
class PreparedNotice:
    """A letter rendered and signed before the write transaction, with the number it will most likely get."""

    kind: str
    day: datetime.date
    context: dict
    recipient: str
    to_applicant: bool
    body: str
    seal: object
    number: str
    text: str
    docx: bytes
    pdf: bytes


def _render(req, kind, day, context, recipient, body, seal, number):
    from . import seals
    from .letters import LetterSpec, render_letter_docx, render_letter_pdf

    ctx = {**base_context(req), "number": number, "date": fmt(day), **context}
    text = (body or "").replace("\r\n", "\n").strip() or render(kind, ctx)
    appendix_title, appendix = "", []
    if kind == NoticeKind.CONSULT_THIRD_PARTY:
        appendix_title = "征求意见回执"
        appendix = render("consult_receipt", ctx).splitlines()
    spec = LetterSpec(
        department=req.department.name,
        title=TITLES[kind],
        number=number,
        salutation=f"{recipient}：",
        paragraphs=[line.strip() for line in text.splitlines() if line.strip()],
        date=day,
        appendix_title=appendix_title,
        appendix=appendix,
    )
    with seal.image.open("rb") as fh:
        seal_png = fh.read()
    return text, render_letter_docx(spec), seals.sign_pdf(render_letter_pdf(spec, seal_png), seal)


def prepare_notice(
    req, kind: str, *, day: datetime.date, context: dict, recipient: str, to_applicant: bool, body: str = ""
) -> PreparedNotice:
    """Renders (.docx, sealed and signed PDF) a letter before the write transaction: rendering and signing take
    most of a second, and on SQLite a write transaction holds the single write lock. `body` is the officer's
    edited text; empty = from the template. Raises ValidationError when the department has no seal."""
    from gongkai.core.models import Counter

    from .actions import active_seal

    seal = active_seal(req.department)
    if seal is None:
        raise ValidationError(f"{req.department.name}尚未配置电子印章，请联系系统管理员生成后再发出文书")
    current = (
        Counter.objects.filter(key=notice_counter_key(req, kind, day)).values_list("value", flat=True).first()
        or 0
    )
    number = format_number(req, kind, day, current + 1)
    text, docx, pdf = _render(req, kind, day, context, recipient, body, seal, number)
    return PreparedNotice(
        kind, day, dict(context), recipient, to_applicant, body, seal, number, text, docx, pdf
    )


def issue_notice(prepared: PreparedNotice, req, *, actor, consultation=None):
    """Inside the action's transaction: takes the number (gap-free) and stores the letter; renders again only when
    another letter took the expected number meanwhile or the seal changed."""
    from gongkai.core.numbering import next_number

    from .actions import active_seal
    from .models import Notice

    kind, day = prepared.kind, prepared.day
    number = format_number(req, kind, day, next_number(notice_counter_key(req, kind, day)))
    seal = active_seal(req.department)
    if seal is None:
        raise ValidationError(f"{req.department.name}尚未配置电子印章，请联系系统管理员生成后再发出文书")
    text, docx_bytes, pdf_bytes = prepared.text, prepared.docx, prepared.pdf
    if number != prepared.number or seal.pk != prepared.seal.pk:
        text, docx_bytes, pdf_bytes = _render(
            req, kind, day, prepared.context, prepared.recipient, prepared.body, seal, number
        )
    notice = Notice(
        request=req,
        kind=kind,
        consultation=consultation,
        number=number,
        recipient=prepared.recipient[:200],
        to_applicant=prepared.to_applicant,
        body=text,
        seal=seal,
        sent_on=day,
        sent_by=actor if getattr(actor, "pk", None) else None,
        pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
    )
    notice.docx_file.save(f"{number}.docx", ContentFile(docx_bytes), save=False)
    notice.pdf_file.save(f"{number}.pdf", ContentFile(pdf_bytes), save=False)
    notice.save()
    return notice


def preview_text(req, kind: str, context: dict) -> str:
    """The text a letter would get now (for the officer to edit before sending)."""
    ctx = {**base_context(req), "number": "（发出时编号）", "date": fmt(None), **context}
    return render(kind, ctx)
