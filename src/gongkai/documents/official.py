"""The elements of an official document (公文) by GB/T 9704-2012 《党政机关公文格式》, read from its text in every
shape government sites publish it.

版头 (§7.2): 份号, 密级和保密期限, 紧急程度, 发文机关标志, 发文字号, 签发人.
主体 (§7.3): 标题, 主送机关, 正文, 附件说明, 发文机关署名, 成文日期, 附注, 附件.
版记 (§7.4): 抄送机关, 印发机关和印发日期.
Plus the metadata block sites print with a document (`[索引号] …`, `索 引 号：… 主题分类：…` tables), the 令 format
(`中华人民共和国国务院令` / `第707号` / `总理　李克强`), the 题注 of laws (`2008年1月31日 中华人民共和国国务院令第517号
公布`), and a forwarded or attached document (转发/批转/印发 notices, 复函) whose own title, issuer and date are kept
apart from the notice's.

Where things are printed (all handled): the number above the title (the printed 版头) or under it (web pages,
scraped text, also in brackets `（国发〔2024〕1号）`), or only in the metadata block; labels with spaces
(`索 引 号：`), label and value in separate table cells or on separate lines. A `文号：` line after the body has begun
(the number of a document cited or repealed) is not the document's own.

`parse_official_document(text)` returns a dict with every key documented in docs/documents.md; an element that is
not in the text is null (or an empty list/dict), never guessed. Never raises for any str.
"""

from __future__ import annotations

import re

from .dates import DATE_PATTERN, parse_date
from .doc_number import check_doc_number, find_doc_numbers
from .kinds import document_kind
from .labels import IGNORED_LABELS, METADATA_LABELS
from .names import ORGAN_END, is_complete_name, split_names, split_organs
from .normalise import normalise_text
from .patterns import EndingPattern
from .promulgation import parse_promulgation
from .structure import match_marker, parse_body

_CELL_BORDER = re.compile(r"[｜|]")
_SIGNER_SEPARATORS = re.compile(r"[\s、，,]+")
_NOT_A_LETTERHEAD = re.compile(r"[。，；：:关于《]")
_COMMA_OR_COLON = re.compile(r"[，：:]")
_ATTACHMENT_HEADING = re.compile(r"^附件\s*\d*\s*[：:]?$")

# 附注 → 公开属性 (政府信息公开条例 and the district's 公开属性 practice: 主动公开 / 依申请公开 / 不予公开).
DISCLOSURE_NOTES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"不予公开|不公开"), "not_disclosed"),
    (re.compile(r"依申请公开"), "on_request"),
    (re.compile(r"公开发布|主动公开|公开"), "proactive"),
]

_DATE_KEYS = {"written_date", "publish_date", "effective_date", "repeal_date"}
_ALL_LABELS = sorted([*METADATA_LABELS, *IGNORED_LABELS], key=len, reverse=True)
_LABEL_ALTERNATION = "|".join(map(re.escape, _ALL_LABELS))
# A label: `[索引号]`, `【发文字号】` or `索引号：` (also `索引号|` in a table row).
# The lookahead on the labels' first characters only saves trying every label at every position.
_LABEL_FIRST = "".join(sorted({re.escape(label[0]) for label in _ALL_LABELS}))
_LABEL_TOKEN = re.compile(
    rf"[\[［【]\s*(?P<bracketed>{_LABEL_ALTERNATION})\s*[\]］】]\s*[：:]?"
    rf"|(?=[{_LABEL_FIRST}])(?P<colon>{_LABEL_ALTERNATION})\s*[：:]"
)
_METADATA_ZONE = 45

_COPY_NUMBER = re.compile(r"^(?:份号[：:]?\s*)?(?P<n>\d{6})$")
_URGENCY = re.compile(r"^(?P<u>特急|加急|特提|平急)$")
_CLASS_AND_URGENCY = re.compile(
    r"^(?P<level>绝密|机密|秘密)(?:\s*[★☆*]\s*(?P<period>\d+\s*[年个月]+|长期))?\s*(?P<u>特急|加急|特提|平急)?$"
)
_ISSUER_MARK = EndingPattern(r"^(?P<mark>.{2,60}?)(?:文件|函|公报|纪要)$", "文件|函|公报|纪要")
_ORDER_MARK = EndingPattern(r"^(?P<organ>[\u4e00-\u9fff、]{2,60}?)令$", "令")
_ORDER_SERIAL = re.compile(
    r"^[（(]?(?P<serial>(?:\d{4}年|〔\d{4}〕)?第\s*(?:\d{1,6}|[一二三四五六七八九十百千零〇]{1,8})\s*号)[）)]?$"
)
_SIGNER = re.compile(r"签发人\s*[：:]\s*(?P<names>.+)$")
_ATTACHMENT_NOTE = re.compile(r"^附件\s*[：:]\s*(?P<rest>.*)$")
_ATTACHMENT_ITEM = re.compile(r"^(?P<n>\d{1,2})\s*[.．、]\s*(?P<title>[^。]{1,120})$")
_NOTE = re.compile(
    r"^[（(](?P<note>(?:此件|联系人|联系电话|本件|此文|注|附注)[^）)]*(?:[（(][^）)]*[）)][^）)]*)*)[）)]$"
)
_CC = re.compile(r"^抄送\s*[：:]\s*(?P<names>.+?)[。.]?$")
_PRINTED = re.compile(
    r"^(?P<printer>.+?)\s*(?P<date>(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年.+?日)\s*印发$"
)
_SIGNATURE_DATE = re.compile(rf"^(?P<issuer>[^。！？：:]{{0,120}}?)\s*(?P<date>{DATE_PATTERN.pattern})$")


def _signature_date(line: str) -> re.Match | None:
    """`_SIGNATURE_DATE.match(line)`, asked only of a line that ends like a date (with 日 or a digit): the pattern
    tries up to 120 characters of issuer before the date, which costs on every line of the header."""
    end = line[:-1] if line.endswith("\n") else line
    if not end or not (end[-1] == "日" or end[-1].isdecimal()):
        return None
    return _SIGNATURE_DATE.match(line)


_ISO_HINT = re.compile(r"\d[-/.．]\d{1,2}$")
_AGENT_SEAL = re.compile(r"[（(][^（）()]*代章[）)]")
# 总理　李克强, 北京市市长　殷勇, 部长　王小洪: the signature of an order.
_OFFICIAL_SIGNATURE = re.compile(
    r"^(?P<office>(?:国务院)?总理|国家主席|主席|(?:[\u4e00-\u9fff]{2,8})?(?:市长|省长|区长|县长|部长|主任|局长|署长|行长|委员长|"
    r"代市长|代理市长|代省长))\s*(?P<name>[\u4e00-\u9fff·]{2,5})$"
)
_DOC_TYPE_WORDS = (
    "要点|通知|意见|办法|方案|规定|细则|决定|规划|计划|报告|批复|复函|函|公告|通告|通报|纪要|条例|决议|命令|议案|公报|"
    "指引|指南|清单|目录|规则|措施|请示|答复|规范|标准|解释|守则|准则|章程|纲要|令"
)
_DOC_TYPE = EndingPattern(
    rf"({_DOC_TYPE_WORDS})[》”]?$",
    _DOC_TYPE_WORDS,
    "》”",
    endings=tuple(word + tail for word in _DOC_TYPE_WORDS.split("|") for tail in ("", "》", "”")),
)
_FORWARD = re.compile(r"(?:转发|批转|印发|发布)")
_NOT_RECIPIENTS = re.compile(
    r"[。！？《》“”\"]|如下|现将|为了|为进一步|根据|按照|关于|包括|主要|具体|以下|下列|要求|通知"
)
_TRAILING_BRACKET = re.compile(r"[（(][^（）()]{1,20}[）)]$")
_TITLE_ORGANS = re.compile(r"^(?P<organs>[\u4e00-\u9fff、]{2,80}?)(?:关于|转发|批转|印发)")


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
        "document_kind": "other",
        "recipients": [],
        "body": "",
        "outline": [],
        "attachments": [],
        "issuer": None,
        "issuers": [],
        "signature": None,
        "date": None,
        "date_as_written": None,
        "note": None,
        "disclosure": None,
        "attached_text": "",
        "attached_document": None,
        "promulgation": [],
        "cc": [],
        "printer": None,
        "print_date": None,
        "metadata": {},
    }


# --- the metadata block -------------------------------------------------------------------------------------


def _compact(line: str) -> str:
    """The line without whitespace. `str.split()` splits at the characters `\\s` matches (both ask `isspace`), and
    costs a third of `re.sub` on a short line."""
    return "".join(line.split())


_LABEL_SET = frozenset([*METADATA_LABELS, *IGNORED_LABELS])
_LONGEST_LABEL = max(map(len, _LABEL_SET))
_LABEL_FIRST_CHARS = frozenset(label[0] for label in _LABEL_SET) | frozenset("[［【｜| \u3000")
_BRACKETED_CELL = re.compile(r"^[\[［【](.*)[\]］】]$")


def _is_label(cell: str) -> str | None:
    """The label a table cell or a line consists of (`索引号`, `索 引 号：`, `[发文字号]`), else None."""
    if not cell or cell[0] not in _LABEL_FIRST_CHARS or len(cell) > 3 * _LONGEST_LABEL:
        return None
    # The label as printed most often (`索引号`, `索引号：`): found without the clean-up below, which gives it too.
    if cell in _LABEL_SET:
        return cell
    if cell[-1] in "：:" and cell[:-1] in _LABEL_SET:
        return cell[:-1]
    compact = _compact(cell).strip("｜|")
    compact = _BRACKETED_CELL.sub(r"\1", compact).rstrip("：:")
    return compact if compact in _LABEL_SET else None


def _fields(line: str) -> list[tuple[str, str]]:
    """(label, value) pairs of one metadata line; a value ends at the next label or table cell boundary
    between a label's cells."""
    cells = _CELL_BORDER.split(line)
    # A cell that is only a label (`索引号`) makes the next cell its value.
    rebuilt = []
    for cell in cells:
        label = _is_label(cell)
        rebuilt.append(f"{label}：" if label else cell)
    text = "｜".join(rebuilt)
    tokens = list(_LABEL_TOKEN.finditer(text))
    fields = []
    for position, token in enumerate(tokens):
        end = tokens[position + 1].start() if position + 1 < len(tokens) else len(text)
        value = text[token.end() : end].strip(" ｜|\u3000")
        # A value spans cells only when the next cell has no label: `标题：｜…｜` stays with its label.
        fields.append((token["bracketed"] or token["colon"], value.replace("｜", " ").strip()))
    return fields


def _starts_with_label(line: str) -> bool:
    if not line or line[0] not in _LABEL_FIRST_CHARS:
        return False
    compact = line.lstrip(" ｜|")
    token = _LABEL_TOKEN.match(compact)
    return bool(token) or _is_label(line.split("｜")[0]) is not None


def _is_body_line(line: str) -> bool:
    """A line that shows the document's body has begun: a sentence, a 主送 line, a structural number."""
    return (
        "。" in line or (line.endswith(("：", ":")) and not _is_label(line)) or match_marker(line) is not None
    )


def _metadata_value(key: str, value: str):
    if key in _DATE_KEYS:
        day = parse_date(value)
        return day.isoformat() if day else (value or None)
    if key == "joint_issuers":
        return split_organs(value) if value else []
    if key == "doc_number":
        numbers = find_doc_numbers(value)
        written = numbers[0].written if numbers else value
        return check_doc_number(written).normalised or None
    if key == "index_number":
        match = re.match(r"[0-9A-Za-z][0-9A-Za-z/\-_.]*", value)
        return match.group(0) if match else (value or None)
    return value or None


def _value_on_next_line(
    label: str, lines: list[str], position: int, *, table: bool, paired: bool = False
) -> bool:
    """Whether the line after a label alone is its value (`索引号` / `000014349/2024-00005`). Not in a table (where
    an empty cell is just empty), and only when the next line fits the label's kind of value, or the line after
    it is another label (the block goes on in label/value pairs)."""
    if table or position + 1 >= len(lines):
        return False
    following = lines[position + 1]
    if _starts_with_label(following) or _is_label(following) or _is_body_line(following):
        return False
    key = METADATA_LABELS.get(label)
    if key == "doc_number":
        return bool(find_doc_numbers(following))
    if key in _DATE_KEYS:
        return parse_date(following) is not None
    if key == "index_number":
        return bool(re.match(r"^[0-9A-Za-z]", following))
    if key == "validity":
        return bool(re.match(r"^(?:现行)?有效|^失效|^废止|^已|^部分|^尚未|^全文", following))
    if _number_line(following) or parse_date(following) is not None and len(following) <= 20:
        return False
    after = lines[position + 2] if position + 2 < len(lines) else ""
    if after and (_starts_with_label(after) or _is_label(after) is not None):
        return True
    # Inside a block of label/value lines, a short value ends the block.
    return paired and len(following) <= 40 and not _title_line_like(following)


def _title_line_like(line: str) -> bool:
    return _DOC_TYPE.ends_like(line) or "关于" in line


def parse_metadata(lines: list[str]) -> tuple[dict, set[int]]:
    """Reads the metadata block sites print above (or around) a document in its leading lines, in any of its
    shapes: `[索引号] …` brackets, `索 引 号：… 主题分类：…`, table rows `label｜value｜label｜value`, a label
    alone on a line with its value on the next one. Stops at the first line of the body. Returns the metadata and
    the positions of the lines it used."""
    metadata: dict = {}
    used: set[int] = set()
    pending: dict = {}
    pending_lines: set[int] = set()
    limit = min(len(lines), _METADATA_ZONE)
    # Lines after the first table row (a line with a cell border) belong to a table.
    first_row = next((n for n, line in enumerate(lines[:limit]) if "｜" in line), limit)
    position = 0
    paired = False
    while position < limit:
        line = lines[position]
        if _is_body_line(line) and not _starts_with_label(line):
            break
        span = {position}
        label_alone = _is_label(line)
        if label_alone and _value_on_next_line(
            label_alone, lines, position, table=first_row < position, paired=paired
        ):
            line = f"{label_alone}：{lines[position + 1]}"
            span.add(position + 1)
            paired = True
        if _starts_with_label(line):
            fields = _fields(line)
            known = [(label, value) for label, value in fields if label in METADATA_LABELS]
            if fields:
                target = pending if all(label in ("标题", "名称") for label, _ in known) else metadata
                for label, value in known:
                    key = METADATA_LABELS[label]
                    if key not in target or target[key] in (None, [], ""):
                        target[key] = _metadata_value(key, value)
                (pending_lines if target is pending else used).update(span)
        position = max(span) + 1
    # "标题：" alone does not make a metadata block.
    if metadata and pending:
        for key, value in pending.items():
            metadata.setdefault(key, value)
        used |= pending_lines
    if "joint_issuers" in metadata and not metadata["joint_issuers"]:
        del metadata["joint_issuers"]
    metadata = {k: v for k, v in metadata.items() if v not in (None, "")}
    return metadata, used


# --- helpers ------------------------------------------------------------------------------------------------


def _disclosure_from_note(note: str) -> str | None:
    for pattern, code in DISCLOSURE_NOTES:
        if pattern.search(note):
            return code
    return None


_NUMBER_LINE_FURNITURE = re.compile(r"[\s（）()\[\]【】｜|]|文号|发文字号|字号|[：:]")
_ORGAN_LINE_PUNCT = re.compile(r"[。；！？：:，,《》]")
_TITLE_PUNCT = re.compile(r"[。；！？]")


def _number_line(line: str) -> str | None:
    """The number when a line holds a document number and nothing else of substance (`京西政发〔2024〕3号`,
    `（国发〔2024〕1号）`, `京政办发〔2024〕3号  签发人：张三`)."""
    if len(line) > 80 or "。" in line or match_marker(line) is not None:
        return None
    numbers = find_doc_numbers(line)
    if not numbers:
        return None
    rest = line[: numbers[0].start] + line[numbers[0].end :]
    rest = _SIGNER.sub("", rest)
    rest = _NUMBER_LINE_FURNITURE.sub("", rest)
    if len(rest) > 4:
        return None
    return numbers[0].written


def _set_number(result: dict, written: str, *, order: bool = False) -> None:
    check = check_doc_number(written)
    normal = check.normalised
    if order and check.kind == "order":
        # 国务院令第707号: the order is cited without 中华人民共和国.
        normal = re.sub(r"^中华人民共和国(?=.{2,}令)", "", normal)
    if check.kind in ("order", "announcement") and " " not in normal:
        # Joint issuers print their names with a space (财政部 税务总局公告2022年第13号); extraction loses it.
        organ, kind, rest = re.match(r"^(.+?)(令|公告|通告)(.*)$", normal).groups()
        organs = split_organs(organ)
        if len(organs) > 1:
            normal = " ".join(organs) + kind + rest
    result["doc_number_as_written"] = written
    result["doc_number"] = normal or None
    result["doc_number_problems"] = check.problem_dicts()
    result["_doc_number_kind"] = check.kind


def _is_organ_line(line: str) -> bool:
    return (
        2 <= len(line) <= 60
        and not _ORGAN_LINE_PUNCT.search(line)
        and match_marker(line) is None
        and bool(ORGAN_END.ends_like(_AGENT_SEAL.sub("", line)) or _AGENT_SEAL.search(line))
    )


def _recipients(line: str) -> list[str] | None:
    """主送机关 when a line is only a list of organ names ending with `：`."""
    if not line.endswith(("：", ":")) or len(line) > 300 or match_marker(line) is not None:
        return None
    core = line[:-1]
    if not core or _NOT_RECIPIENTS.search(core):
        return None
    names = split_names(core)
    if not names:
        return None
    for name in names:
        if not (is_complete_name(name) or name.endswith("同志") or name.startswith(("各", "有关", "相关"))):
            return None
    return names


def _title_line(line: str) -> bool:
    return (
        len(line) <= 150
        and not (line[:1] in "（(" and line[-1:] in "）)")
        and not _TITLE_PUNCT.search(line)
        and not line.endswith(("：", ":"))
        and match_marker(line) is None
        and not _signature_date(line)
        and not parse_promulgation(line)
    )


def _find_signature(lines: list[str], start: int, end: int) -> int | None:
    """Index of the document's own 成文日期 line (§7.3.5): the FIRST date line after the body has begun that
    follows an organ or an official's signature (or carries the organ on the same line), or is the last line.
    The first, not the last: a 转发 notice or a 复函 carries another signed document after its own signature."""
    for index in range(start, end):
        line = lines[index]
        if len(line) > 140 or "。" in line or ("日" not in line and not _ISO_HINT.search(line)):
            continue
        match = _signature_date(line)
        if not match:
            continue
        issuer = _AGENT_SEAL.sub("", match["issuer"]).strip()
        previous = lines[index - 1] if index - 1 >= start else ""
        if issuer:
            if (
                _is_organ_line(issuer)
                or split_organs(issuer) != [issuer]
                or _OFFICIAL_SIGNATURE.match(issuer)
            ):
                return index
            continue
        if previous and (_is_organ_line(previous) or _OFFICIAL_SIGNATURE.match(_compact(previous))):
            return index
        if index == end - 1 or (index + 1 < end and _NOTE.match(lines[index + 1])):
            return index
    return None


def _signature_organs(
    lines: list[str], signature: int, start: int, inline: str
) -> tuple[list[str], int, str]:
    """The organs that sign (joint signatures: one per line, or run together on one line), the first line of the
    signature block, and the signature as written."""
    if inline:
        return split_organs(_AGENT_SEAL.sub("", inline)), signature, inline
    organs: list[str] = []
    first = signature
    written: list[str] = []
    index = signature - 1
    while index >= start and len(organs) < 6:
        line = lines[index]
        if _OFFICIAL_SIGNATURE.match(_compact(line)) and not organs:
            return [], index, _compact(line)
        if not _is_organ_line(line):
            break
        organs = split_organs(_AGENT_SEAL.sub("", line)) + organs
        written.insert(0, line)
        first = index
        index -= 1
    return organs, first, "".join(written)


def _attachment_list(body_lines: list[str]) -> tuple[list[dict], list[str]]:
    """附件说明 (`附件：1.…` and the numbered lines after it) at the end of the body."""
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
            return attachments, body_lines[:position]
    return [], body_lines


def _title_organs(title: str | None) -> list[str]:
    """The organs a title names before 关于/转发 (`财政部 税务总局关于…的公告`), when they are recognisable."""
    if not title:
        return []
    match = _TITLE_ORGANS.match(title)
    if not match:
        return []
    names = split_organs(match["organs"].replace("、", " "))
    return [n for n in names if is_complete_name(n) and len(n) >= 2]


# --- the parser ---------------------------------------------------------------------------------------------


def parse_official_document(
    text: str,
    *,
    normalised: bool = False,
    outline: bool = True,
    _nested: bool = False,
    _attached: bool = True,
) -> dict:
    """The GB/T 9704 elements of a document's text. Pass `normalised=True` for text that already went through
    `normalise_text` (it is not reflowed twice); `outline=False` skips the body tree. Never raises for any str."""
    result = _empty_result()
    text = (text or "") if normalised else normalise_text(text or "")
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        result.pop("_doc_number_kind", None)
        return result

    if not _nested:
        metadata, used = parse_metadata(lines)
        result["metadata"] = metadata
        lines = [line for position, line in enumerate(lines) if position not in used]
    metadata = result["metadata"]

    index = _read_header(lines, result)
    order_organ = result.pop("_order_organ", None)
    order_serial = result.pop("_order_serial", None)

    # 主送机关
    if index < len(lines) and (names := _recipients(lines[index])) is not None:
        result["recipients"] = names
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

    signature = _find_signature(lines, index, end)
    body_end = signature if signature is not None else end
    if signature is not None:
        m = _SIGNATURE_DATE.match(lines[signature])
        organs, first, written = _signature_organs(lines, signature, index, m["issuer"].strip())
        body_end = first
        day = parse_date(m["date"])
        result["date"] = day.isoformat() if day else None
        result["date_as_written"] = _compact(m["date"])
        if written:
            result["signature"] = _compact(written)
        official = _OFFICIAL_SIGNATURE.match(_compact(written)) if written else None
        if official:
            result["signers"] = result["signers"] or [official["name"]]
        elif organs:
            result["issuers"] = organs
        after = signature + 1
        notes = []
        while after < end and (n := _NOTE.match(lines[after])):
            notes.append(n["note"])
            after += 1
        if notes:
            result["note"] = "；".join(notes)
            for note in notes:
                if disclosure := _disclosure_from_note(note):
                    result["disclosure"] = disclosure
                    break
        attached = lines[after:end]
        result["attached_text"] = "\n".join(attached)
        if attached and not _nested:
            # `_attached=False` (a caller that does not read it): parsed only when the title needs it.
            result["attached_document"] = _attached_document(attached) if _attached else _LATER

    body_lines = lines[index:body_end]
    result["attachments"], body_lines = _attachment_list(body_lines)

    # A 附注 without a signature (some pages print it at the end of the body).
    if result["note"] is None and body_lines and (n := _NOTE.match(body_lines[-1])):
        result["note"] = n["note"]
        result["disclosure"] = _disclosure_from_note(n["note"])
        body_lines = body_lines[:-1]

    result["body"] = "\n".join(body_lines)
    if outline:
        outline_source = result["body"] + ("\n" + result["attached_text"] if result["attached_text"] else "")
        result["outline"] = parse_body(outline_source)

    _fill_from_context(result, metadata, order_organ, order_serial, kind=not _nested)
    result.pop("_doc_number_kind", None)
    if result["attached_document"] is _LATER:
        result["attached_document"] = None  # not asked for
    return result


def _read_header(lines: list[str], result: dict) -> int:
    """Reads 版头, 标题 and what web pages print around the title; returns the index of the first line after."""
    index = 0
    limit = min(len(lines), 16)
    title_lines: list[str] = []
    title_done = False
    while index < limit:
        line = lines[index]
        compact = _compact(line)
        if (m := _COPY_NUMBER.match(compact)) and result["copy_number"] is None and not title_lines:
            result["copy_number"] = m["n"]
        elif m := _CLASS_AND_URGENCY.match(compact):
            result["classification"] = {"level": m["level"], "period": m["period"]}
            if m["u"]:
                result["urgency"] = m["u"]
        elif m := _URGENCY.match(compact):
            result["urgency"] = m["u"]
        elif entries := parse_promulgation(line):
            result["promulgation"].extend(entries)
            title_done = title_done or bool(title_lines)
        elif (number := _number_line(line)) is not None:
            if result["doc_number"] is None:
                _set_number(result, number)
            if m := _SIGNER.search(line):
                result["signers"] = [n for n in _SIGNER_SEPARATORS.split(m["names"]) if n]
            title_done = title_done or bool(title_lines)
        elif (
            (m := _ORDER_MARK.search(compact))
            and "关于" not in compact
            and index + 1 < len(lines)
            and _ORDER_SERIAL.match(_compact(lines[index + 1]))
        ):
            result["_order_organ"] = m["organ"]
            result["issuer_mark"] = compact
            title_done = title_done or bool(title_lines)
        elif (
            (m := _ORDER_SERIAL.match(compact))
            and result.get("_order_organ")
            and "_order_serial" not in result
        ):
            result["_order_serial"] = m["serial"].replace(" ", "")
        elif m := _SIGNER.match(line):
            result["signers"] = [n for n in _SIGNER_SEPARATORS.split(m["names"]) if n]
        elif (
            (m := _ISSUER_MARK.search(compact))
            and result["issuer_mark"] is None
            and not title_lines
            and "关于" not in line
            and "《" not in line
            and "。" not in line
        ):
            result["issuer_mark"] = m["mark"]
        elif (
            result["issuer_mark"] is None
            and result["doc_number"] is None
            and not title_lines
            and len(compact) <= 40
            and not _NOT_A_LETTERHEAD.search(compact)
            and index + 1 < len(lines)
            and _number_line(lines[index + 1])
            and _is_organ_line(compact)
        ):
            result["issuer_mark"] = compact  # a letterhead without 文件 (函 format), followed by the number
        elif _title_line(line) and not _recipients(line):
            if title_done:
                if title_lines and compact == _compact("".join(title_lines)):
                    index += 1  # the page's heading repeated inside the content
                    continue
                break
            joined = "".join(title_lines)
            if title_lines and (
                _DOC_TYPE.ends_like(joined)
                or len(joined) + len(line) > 150
                or _COMMA_OR_COLON.search(line)
                or not any(
                    _DOC_TYPE.ends_like(joined + line + "".join(lines[index + 1 : index + 1 + extra]))
                    for extra in range(3)
                )
            ):
                # The title is complete; this line repeats it or starts something else.
                if compact == _compact(joined):
                    index += 1
                    continue
                break
            title_lines.append(line)
        else:
            break
        index += 1
    if title_lines:
        result["title"] = "".join(title_lines)
    return index


_LATER = object()  # the attached document, not parsed yet


def _attached_document(lines: list[str]) -> dict | None:
    """The title, number, issuer and date of the document a notice forwards or carries (its own signature)."""
    start = 0
    while start < len(lines) and _ATTACHMENT_HEADING.match(_compact(lines[start])):
        start += 1
    rest = lines[start:]
    if not rest:
        return None
    doc = parse_official_document("\n".join(rest), normalised=True, outline=False, _nested=True)
    if not doc["title"]:
        return None
    return {
        "title": doc["title"],
        "doc_number": doc["doc_number"],
        "issuer": doc["issuer"],
        "issuers": doc["issuers"],
        "date": doc["date"],
    }


def _fill_from_context(
    result: dict, metadata: dict, order_organ: str | None, order_serial: str | None, *, kind: bool = True
) -> None:
    """Fills what the document itself did not print from the order format, the metadata block, the 题注, the
    attached document and the title, in that order of trust; then the kind (not for an attached document, whose
    kind nobody reads)."""
    if order_organ:
        organ = re.sub(r"^中华人民共和国(?=.{2,})", "", order_organ)
        if result["doc_number"] is None and order_serial:
            _set_number(result, f"{order_organ}令{order_serial}", order=True)
        if not result["issuers"]:
            result["issuers"] = [
                re.sub(r"^中华人民共和国(?=.{2,})", "", o) for o in split_organs(order_organ)
            ]
        result["issuer"] = result["issuers"][0] if result["issuers"] else organ
        result["doc_type"] = "令"
        if result["title"] is None:
            promulgated = re.search(r"《(?P<title>[^》]{2,80})》", result["body"][:300])
            if promulgated:
                result["title"] = promulgated["title"]
            else:
                if result["attached_document"] is _LATER:
                    result["attached_document"] = _attached_document(result["attached_text"].split("\n"))
                if result["attached_document"]:
                    result["title"] = result["attached_document"]["title"]
    if result["doc_number"] is None and metadata.get("doc_number"):
        _set_number(result, metadata["doc_number"])
    if result["title"] is None and metadata.get("title"):
        result["title"] = metadata["title"]
    if result["title"] and result["doc_type"] is None and (m := _DOC_TYPE.search(result["title"])):
        result["doc_type"] = m.group(1)

    promulgation = result["promulgation"]
    if not result["issuers"]:
        for source in (
            split_organs(metadata["issuer"]) if metadata.get("issuer") else [],
            [result["issuer_mark"]] if result["issuer_mark"] else [],
            _title_organs(result["title"]),
            split_organs(promulgation[0]["organ"]) if promulgation and promulgation[0].get("organ") else [],
        ):
            if source:
                result["issuers"] = source
                break
    if result["issuers"] and result["issuer"] is None:
        result["issuer"] = result["issuers"][0]
    if result["issuer"]:
        result["issuer"] = _compact(result["issuer"])
    if result["date"] is None:
        written = metadata.get("written_date")
        if written and re.match(r"^\d{4}-\d{2}-\d{2}$", str(written)):
            result["date"] = written
        else:
            enacting = [e for e in promulgation if e["date"] and e["action"] != "施行"]
            if enacting:
                result["date"] = enacting[0]["date"]
    if not kind:
        return
    doc_type = result["doc_type"]
    if doc_type == "通知" and result["title"]:
        # 关于印发《…实施方案》的通知: what the notice issues decides (a plan is not a normative document).
        issued = re.search(r"(?:印发|转发|批转|发布)\s*《?(?P<inner>[^《》]+?)》?的通知$", result["title"])
        # A bracket after the inner title's 文种 (`…实施方案（2025—2027年）`, `…办法（试行）`) does not change it.
        if issued and (m := _DOC_TYPE.search(_TRAILING_BRACKET.sub("", issued["inner"]))):
            doc_type = m.group(1)
    result["document_kind"] = document_kind(
        issuers=result["issuers"],
        doc_type=doc_type,
        doc_number=result["doc_number"],
        doc_number_kind=result.get("_doc_number_kind"),
        promulgation=promulgation,
        label=metadata.get("level"),
    )
