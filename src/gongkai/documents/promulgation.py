"""题注 and promulgation lines: who adopted, promulgated, amended a law or regulation and when.

Laws, regulations and rules print their history under the title, one entry per line or several in one bracket:
`2008年1月31日 中华人民共和国国务院令第517号公布`, `（2019年3月2日国务院第42次常务会议通过　2019年3月24日中华人民共和国
国务院令第709号公布）`, `2022年11月25日 北京市第十五届人民代表大会常务委员会第四十五次会议通过`,
`2008年7月17日 经人力资源和社会保障部第6次部务会议通过`, `2011年1月8日 《国务院关于废止和修改部分行政法规的决定》
第一次修订`, `2007年1月1日 施行`. `parse_promulgation(line)` returns the entries of one such line (or []).
"""

from __future__ import annotations

import re

from .dates import DATE_PATTERN, parse_date
from .doc_number import find_doc_numbers

ACTIONS = ("审议通过", "通过", "公布", "发布", "施行", "修订", "修正", "批准", "印发", "废止", "修改", "颁布")
_ACTION = re.compile("|".join(ACTIONS))
_ENTRY_START = re.compile(rf"(?:{DATE_PATTERN.pattern})")
_BRACKETS = "（）()〔〕[]【】"
# 北京市第十五届人民代表大会常务委员会第四十五次会议 → 北京市人民代表大会常务委员会; 国务院第42次常务会议 → 国务院.
_SESSION = re.compile(r"第[一二三四五六七八九十百零〇\d]+届")
_MEETING = re.compile(
    r"(?:(?:19|20)\d{2}年)?第[一二三四五六七八九十百零〇\d]+次.*$"
    r"|(?:部长|局长|主任|署长|行长|市长|省长|总理)?(?:办公|常务|全体|部务|委务|局务|署务|行务|室务|主任)?会议.*$"
)
_DECISION_ORGAN = re.compile(r"《(?P<organ>[^》]{2,30}?)关于[^》]*》")
_LEADING = re.compile(r"^(?:经|由|根据|依据|按照|以)")


def _organ_of(text: str) -> str | None:
    """The organ named in an entry's text (without session and meeting words)."""
    number = find_doc_numbers(text)
    if number and number[0].kind in ("order", "announcement"):
        organ = re.split(r"第\d+号令|第[一二三四五六七八九十百千零〇]+号令|令|公告|通告", number[0].written)[
            0
        ]
        return organ or None
    decision = _DECISION_ORGAN.search(text)
    if decision:
        return decision["organ"]
    head = _ACTION.split(text, maxsplit=1)[0]
    head = _LEADING.sub("", head.strip(" \u3000，,、" + _BRACKETS))
    head = _MEETING.sub("", head)
    head = _SESSION.sub("", head)
    head = re.sub(r"(?:审议|会议|决定|的)$", "", head).strip(" \u3000，,、")
    if len(head) < 2 or len(head) > 40 or re.search(r"[。；;：:]", head):
        return None
    return head


def parse_promulgation(line: str) -> list[dict]:
    """The entries of a promulgation line: [{"date", "action", "organ", "doc_number", "text"}]; [] when the
    line is not one (it must start with a date, possibly in brackets, and name an action)."""
    text = (line or "").strip()
    inner = text.strip(_BRACKETS + " \u3000")
    if not inner or len(inner) > 400 or "。" in inner:
        return []
    # The line starts with a date (at its first or second character): asked before looking for every date in it.
    if not (_ENTRY_START.match(inner) or _ENTRY_START.match(inner, 1)):
        return []
    starts = list(_ENTRY_START.finditer(inner))
    if not starts or starts[0].start() > 1 or not _ACTION.search(inner):
        return []
    entries = []
    for position, match in enumerate(starts):
        end = starts[position + 1].start() if position + 1 < len(starts) else len(inner)
        rest = inner[match.end() : end].strip(" \u3000，,；;" + _BRACKETS)
        actions = _ACTION.findall(rest)
        if not actions:
            continue
        day = parse_date(match.group(0))
        numbers = [n for n in find_doc_numbers(rest) if n.kind in ("order", "announcement", "standard")]
        entries.append(
            {
                "date": day.isoformat() if day else None,
                "action": actions[-1].replace("审议", ""),
                "organ": _organ_of(rest),
                "doc_number": numbers[0].written if numbers else None,
                "text": rest,
            }
        )
    return entries
