"""The elements of an official document (公文) by GB/T 9704-2012 《党政机关公文格式》, read from its text.

版头 (§7.2): 份号, 密级和保密期限, 紧急程度, 发文机关标志, 发文字号, 签发人.
主体 (§7.3): 标题, 主送机关, 正文, 附件说明, 发文机关署名, 成文日期, 附注, 附件.
版记 (§7.4): 抄送机关, 印发机关和印发日期.
Plus the metadata block district sites print above a document (`[索引号] … [有效性] …`).

`parse_official_document(text)` returns a dict with every key below; an element that is not in the text is
null (or an empty list/dict), never guessed. See docs/documents.md for the keys.
"""

from __future__ import annotations

import re

from .dates import DATE_PATTERN, parse_date
from .doc_number import DOC_NUMBER_IN_TEXT, lint_doc_number, normalise_doc_number
from .names import split_names
from .normalise import normalise_text
from .structure import match_marker, parse_body

# 附注 → 公开属性 (政府信息公开条例 and the district's 公开属性 practice: 主动公开 / 依申请公开 / 不予公开).
DISCLOSURE_NOTES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"不予公开|不公开"), "not_disclosed"),
    (re.compile(r"依申请公开"), "on_request"),
    (re.compile(r"公开发布|主动公开|公开"), "proactive"),
]

# Labels of the metadata block → keys. Dates become ISO dates.
METADATA_LABELS: dict[str, str] = {
    "索引号": "index_number",
    "主题分类": "theme",
    "主题词": "keywords",
    "发文机构": "issuer",
    "发文机关": "issuer",
    "发布机构": "issuer",
    "联合发文单位": "joint_issuers",
    "成文日期": "written_date",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "发布日期": "publish_date",
    "实施日期": "effective_date",
    "生效日期": "effective_date",
    "废止日期": "repeal_date",
    "失效日期": "repeal_date",
    "有效性": "validity",
    "标题": "title",
    "名称": "title",
    "体裁": "genre",
    "文种": "genre",
    "公开方式": "disclosure",
    "公开属性": "disclosure",
}
_DATE_KEYS = {"written_date", "publish_date", "effective_date", "repeal_date"}
_LABEL_ALTERNATION = "|".join(sorted(map(re.escape, METADATA_LABELS), key=len, reverse=True))
_BRACKET_FIELD = re.compile(
    rf"[\[［【]\s*(?P<label>{_LABEL_ALTERNATION})\s*[\]］】]\s*[：:]?\s*(?P<value>.*?)(?=[\[［【]\s*(?:{_LABEL_ALTERNATION})\s*[\]］】]|$)"
)
_COLON_FIELD = re.compile(
    rf"(?P<label>{_LABEL_ALTERNATION})\s*[：:|｜]\s*(?P<value>.*?)\s*(?=[\s|｜]*(?:{_LABEL_ALTERNATION})\s*[：:|｜]|$)"
)

_COPY_NUMBER = re.compile(r"^(?:份号[：:]?\s*)?(?P<n>\d{6})$")
_URGENCY = re.compile(r"^(?P<u>特急|加急|特提|平急)$")
_CLASS_AND_URGENCY = re.compile(
    r"^(?P<level>绝密|机密|秘密)(?:\s*[★☆*]\s*(?P<period>\d+\s*[年个月]+|长期))?\s*(?P<u>特急|加急|特提|平急)?$"
)
_ISSUER_MARK = re.compile(r"^(?P<mark>.{2,60}?)(?:文件|函|公报|纪要)$")
_SIGNER = re.compile(r"签发人\s*[：:]\s*(?P<names>.+)$")
_RECIPIENTS = re.compile(r"^(?P<names>[^。！？]{2,300})[：:]$")
_ATTACHMENT_NOTE = re.compile(r"^附件\s*[：:]\s*(?P<rest>.*)$")
_ATTACHMENT_ITEM = re.compile(r"^(?P<n>\d{1,2})\s*[.．、]\s*(?P<title>[^。]{1,120})$")
_NOTE = re.compile(r"^[（(](?P<note>(?:此件|联系人|本件|此文)[^）)]*)[）)]$")
_CC = re.compile(r"^抄送\s*[：:]\s*(?P<names>.+?)[。.]?$")
_PRINTED = re.compile(
    r"^(?P<printer>.+?)\s*(?P<date>(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年.+?日)\s*印发$"
)
_SIGNATURE_DATE = re.compile(rf"^(?P<issuer>[^。！？：:]{{0,80}}?)\s*(?P<date>{DATE_PATTERN.pattern})$")
_ISO_HINT = re.compile(r"\d[-/.．]\d{1,2}$")
_AGENT_SEAL = re.compile(r"[（(][^（）()]*代章[）)]")
_DOC_TYPE = re.compile(
    r"(要点|通知|意见|办法|方案|规定|细则|决定|规划|计划|报告|批复|函|公告|通告|通报|纪要|条例|决议|命令|议案|公报|指引|指南|清单|目录|规则|措施|请示|答复|复函)[》”]?$"
)


def _empty_result() -> dict:
    return {
        "copy_number": None,
        "classification": None,
        "urgency": None,
        "issuer_mark": None,
        "doc_number": None,
        "doc_number_as_written": None,
        "doc_number_problems": [],
        "signers": [],
        "title": None,
        "doc_type": None,
        "recipients": [],
        "body": "",
        "outline": [],
        "attachments": [],
        "issuer": None,
        "signature": None,
        "date": None,
        "date_as_written": None,
        "note": None,
        "disclosure": None,
        "attached_text": "",
        "cc": [],
        "printer": None,
        "print_date": None,
        "metadata": {},
    }


def parse_metadata(lines: list[str]) -> tuple[dict, int]:
    """Reads the metadata block at the top (`[索引号] … [有效性] …` or `索引号：…`). Returns the metadata
    and the number of lines it took."""
    metadata: dict = {}
    used = 0
    for index, line in enumerate(lines[:20]):
        fields = [(m["label"], m["value"]) for m in _BRACKET_FIELD.finditer(line)]
        if not fields:
            fields = [
                (m["label"], m["value"]) for m in _COLON_FIELD.finditer(line) if m["label"] in METADATA_LABELS
            ]
            # "标题：" or "名称：" alone is not enough to call a line metadata.
            if fields and all(label in ("标题", "名称") for label, _ in fields) and not metadata:
                fields = []
        if not fields:
            if metadata:
                break
            continue
        for label, value in fields:
            key = METADATA_LABELS[label]
            value = value.strip()
            if key in _DATE_KEYS:
                day = parse_date(value)
                metadata[key] = day.isoformat() if day else (value or None)
            elif key == "joint_issuers":
                metadata[key] = split_names(value)
            elif key == "doc_number":
                metadata[key] = normalise_doc_number(value) or None
            else:
                metadata[key] = value or None
        used = index + 1
    return metadata, used


def _disclosure_from_note(note: str) -> str | None:
    for pattern, code in DISCLOSURE_NOTES:
        if pattern.search(note):
            return code
    return None


def _find_signature(lines: list[str], start: int) -> int | None:
    """Index of the 成文日期 line: a line that is a date, or an organ name followed by a date (§7.3.5).
    The last such line before the 版记 wins."""
    found = None
    for index in range(start, len(lines)):
        line = lines[index]
        if _CC.match(line) or _PRINTED.match(line):
            break
        if len(line) > 120 or "。" in line or ("日" not in line and not _ISO_HINT.search(line)):
            continue
        if _SIGNATURE_DATE.match(line):
            found = index
    return found


def parse_official_document(text: str, *, normalised: bool = False, outline: bool = True) -> dict:
    """The GB/T 9704 elements of a document's text. Pass `normalised=True` for text that already went through
    `normalise_text` (it is not reflowed twice); `outline=False` skips the body tree. Never raises for any str."""
    result = _empty_result()
    text = (text or "") if normalised else normalise_text(text or "")
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return result

    metadata, index = parse_metadata(lines)
    result["metadata"] = metadata

    # 版头
    header_limit = min(len(lines), index + 8)
    while index < header_limit:
        line = lines[index]
        compact = line.replace(" ", "")
        if (m := _COPY_NUMBER.match(compact)) and result["copy_number"] is None:
            result["copy_number"] = m["n"]
        elif m := _CLASS_AND_URGENCY.match(compact):
            result["classification"] = {"level": m["level"], "period": m["period"]}
            if m["u"]:
                result["urgency"] = m["u"]
        elif m := _URGENCY.match(compact):
            result["urgency"] = m["u"]
        elif (
            (number := DOC_NUMBER_IN_TEXT.search(line))
            and len(line) <= 80
            and "。" not in line
            and match_marker(line) is None
        ):
            written = re.sub(r"\s+", "", number["number"])
            result["doc_number_as_written"] = written
            result["doc_number"] = normalise_doc_number(written)
            result["doc_number_problems"] = [
                {"code": p.code, "message": p.message} for p in lint_doc_number(written)
            ]
            if m := _SIGNER.search(line):
                result["signers"] = [n for n in re.split(r"[\s、，,]+", m["names"]) if n]
        elif m := _SIGNER.match(line):
            result["signers"] = [n for n in re.split(r"[\s、，,]+", m["names"]) if n]
        elif (
            (m := _ISSUER_MARK.match(compact))
            and result["issuer_mark"] is None
            and "关于" not in line
            and "《" not in line
            and "。" not in line
        ):
            result["issuer_mark"] = m["mark"]
        elif (
            result["issuer_mark"] is None
            and result["doc_number"] is None
            and len(compact) <= 40
            and not re.search(r"[。，；：:关于《]", compact)
            and index + 1 < len(lines)
            and DOC_NUMBER_IN_TEXT.search(lines[index + 1])
            and len(lines[index + 1]) <= 80
        ):
            result["issuer_mark"] = compact  # a letterhead without 文件 (函 format), followed by the number
        else:
            break
        index += 1

    # 标题: the first line that reads as a title (no sentence punctuation).
    if index < len(lines):
        line = lines[index]
        if (
            len(line) <= 150
            and not re.search(r"[。；！？]", line)
            and not line.endswith(("：", ":"))
            and match_marker(line) is None
            and not _SIGNATURE_DATE.match(line)
        ):
            index += 1
            # A title printed over several lines (docx paragraphs): join until it ends with its 文种.
            while (
                index < len(lines)
                and not _DOC_TYPE.search(line)
                and len(line) + len(lines[index]) <= 150
                and not re.search(r"[。；！？：:，]", lines[index])
                and match_marker(lines[index]) is None
                and not _SIGNATURE_DATE.match(lines[index])
                and not DOC_NUMBER_IN_TEXT.search(lines[index])
                and _DOC_TYPE.search(line + lines[index] + "".join(lines[index + 1 : index + 3]))
            ):
                line += lines[index]
                index += 1
            result["title"] = line
            if m := _DOC_TYPE.search(line):
                result["doc_type"] = m.group(1)

    # 主送机关
    if index < len(lines) and (m := _RECIPIENTS.match(lines[index])) and match_marker(lines[index]) is None:
        result["recipients"] = split_names(m["names"])
        index += 1

    # 版记 from the end: 印发机关和印发日期, 抄送机关.
    end = len(lines)
    while end > index:
        line = lines[end - 1]
        if m := _PRINTED.match(line):
            result["printer"] = m["printer"].strip()
            day = parse_date(m["date"])
            result["print_date"] = day.isoformat() if day else None
        elif m := _CC.match(line):
            result["cc"] = split_names(m["names"])
        else:
            break
        end -= 1

    signature = _find_signature(lines, index)
    body_end = signature if signature is not None else end
    if signature is not None:
        m = _SIGNATURE_DATE.match(lines[signature])
        issuer_text = _AGENT_SEAL.sub("", m["issuer"]).strip()
        if not issuer_text and signature - 1 >= index:
            previous = lines[signature - 1]
            if (
                len(previous) <= 60
                and not re.search(r"[。；！？：:，,]", previous)
                and match_marker(previous) is None
            ):
                issuer_text = previous
                body_end = signature - 1
        day = parse_date(m["date"])
        result["date"] = day.isoformat() if day else None
        result["date_as_written"] = re.sub(r"\s+", "", m["date"])
        if issuer_text:
            result["signature"] = re.sub(r"\s+", "", m["issuer"]).strip() or issuer_text
            result["issuer"] = issuer_text.replace(" ", "")
        after = signature + 1
        if after < end and (n := _NOTE.match(lines[after])):
            result["note"] = n["note"]
            result["disclosure"] = _disclosure_from_note(n["note"])
            after += 1
        result["attached_text"] = "\n".join(lines[after:end])

    body_lines = lines[index:body_end]
    # 附件说明: `附件：1.…` and the numbered lines after it, at the end of the body.
    for position, line in enumerate(body_lines):
        m = _ATTACHMENT_NOTE.match(line)
        if not m:
            continue
        attachments = []
        rest = m["rest"].strip()
        if rest:
            item = _ATTACHMENT_ITEM.match(rest)
            attachments.append(
                {"number": int(item["n"]) if item else 1, "title": (item["title"] if item else rest)}
            )
        following = body_lines[position + 1 :]
        taken = 0
        for extra in following:
            item = _ATTACHMENT_ITEM.match(extra)
            if not item:
                break
            attachments.append({"number": int(item["n"]), "title": item["title"]})
            taken += 1
        if taken == len(following):
            result["attachments"] = attachments
            body_lines = body_lines[:position]
            break

    # A 附注 without a signature (some pages print it at the end of the body).
    if result["note"] is None and body_lines and (n := _NOTE.match(body_lines[-1])):
        result["note"] = n["note"]
        result["disclosure"] = _disclosure_from_note(n["note"])
        body_lines = body_lines[:-1]

    result["body"] = "\n".join(body_lines)
    outline_source = result["body"] + ("\n" + result["attached_text"] if result["attached_text"] else "")
    result["outline"] = parse_body(outline_source) if outline else []

    if result["issuer"] is None and result["issuer_mark"]:
        result["issuer"] = result["issuer_mark"].replace(" ", "")
    if result["doc_number"] is None and metadata.get("doc_number"):
        written = metadata["doc_number"]
        result["doc_number"] = written
        result["doc_number_as_written"] = written
        result["doc_number_problems"] = [
            {"code": p.code, "message": p.message} for p in lint_doc_number(written)
        ]
    if result["title"] is None and metadata.get("title"):
        result["title"] = metadata["title"]
    return result
