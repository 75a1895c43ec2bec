"""Lists of organ names as documents write them (主送机关, 抄送机关, 牵头/责任/配合单位, joint issuers).

`split_names` splits a written list only between complete names:

- top-level separators are `、，,；;／/` and `和`/`及` between two complete names (区发展和改革委员会 is one name);
  nothing inside brackets is split (`县（市、区）人民政府`, `各市、县〔市、区〕政府`);
- a distributive list of administrative levels shares the head of its last item and stays whole:
  `各省、自治区、直辖市人民政府`, `各市、县（市、区）人民政府`;
- single-character tails belong to the name before them: `区政府各委、办、局`, `市政府各委、办、局`;
- `国务院各部委、各直属机构` stays whole: the second item shares the qualifier (国务院) of the first (an item
  such as 各直属机构, 各有关单位 needs it), while `区政府各部门、各街道` are two;
- a generic tail is kept, marked with 等 (`A、B等部门` → A, B, `等部门`), so that callers can flag it; a collective
  tail is kept as written (`A、B等区政府相关部门` → A, B, `区政府相关部门`); `有关单位` is a name like any other.

`split_organs` splits a run of organ names printed without separators (a joint signature after the spaces were
lost: `国务院办公厅中央军委办公厅`) using the names the system knows (district departments and external organs).
"""

from __future__ import annotations

import re
from functools import lru_cache

from gongkai.core.departments import COLLECTIVE_NAMES

from .patterns import EndingPattern

_ORGAN_SEPARATORS = re.compile(r"[\s\u3000、，,；;]+")

_OPEN = "（(〔[［【"
_CLOSE = "）)〕]］】"
_SEPARATORS = "、，,；;／/"
_TRAILING = "：:。.；;，,、 \u3000"
# What a complete organ name (or a collective of organs) ends with.
_ORGAN_WORDS = (
    "人民政府|政府|办公厅|办公室|委员会|常委会|管委会|领导小组|小组|总局|分局|局|厅|部|委|办|院|署|会|行|处|"
    "中心|站|所|队|室|街道|办事处|单位|部门|机构|公司|集团|学校|医院|协会|党委|党组|工委|支队|大队|司|科|团|社|馆|"
    "组|机关|企业|群众|个人|各方|成员"
)
ORGAN_END = EndingPattern(
    rf"(?:{_ORGAN_WORDS}|[）)〕\]］】])$", _ORGAN_WORDS, _CLOSE, endings=(*_ORGAN_WORDS.split("|"), *_CLOSE)
)
# The same endings as a set (for `_segment`, which asks about every piece of a text).
_ORGAN_END_WORDS = frozenset(ORGAN_END.endings)
_LONGEST_ORGAN_WORD = max(map(len, _ORGAN_END_WORDS))
# Items of a distributive list of administrative levels (各省、自治区、直辖市人民政府).
_LEVEL_ITEM = re.compile(
    r"^各?(?:省|自治区|直辖市|计划单列市|新疆生产建设兵团|市|县|区|乡|镇|地|州|盟|旗|地区|自治州|自治县|县级市|市辖区|"
    r"乡镇|街乡|街道乡镇)(?:[（(〔].*[）)〕])?$"
)
# Items that need the qualifier of the item before them: 各直属机构 (of 国务院).
_RELATIVE = re.compile(r"直属|所属|下属|派出|归口|有关|相关|其他|其它")
_GENERIC_TAIL = re.compile(r"^(?:有关|相关|其他|其它)?(?:部门|单位|机构|成员单位|方面|地区)$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


_OPENING = re.compile(r"[（(〔\[［【]")
_SEPARATOR = re.compile(f"([{re.escape(_SEPARATORS)}])")
_SPACES = re.compile(r"[\s\u3000]+")


def _top_level_split(text: str) -> list[tuple[str, str]]:
    """(piece, separator before it) at separators outside brackets."""
    if not _OPENING.search(text):  # no bracket opens: every separator is at the top level
        parts = _SEPARATOR.split(text)
        split = [(parts[0], "")] + [(parts[i + 1], parts[i]) for i in range(1, len(parts), 2)]
        return [(p.strip(_TRAILING), s) for p, s in split if p.strip(_TRAILING)]
    pieces: list[tuple[str, str]] = []
    depth = 0
    current: list[str] = []
    separator = ""
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        if depth == 0 and char in _SEPARATORS:
            pieces.append(("".join(current), separator))
            current, separator = [], char
            continue
        current.append(char)
    pieces.append(("".join(current), separator))
    return [(p.strip(_TRAILING), s) for p, s in pieces if p.strip(_TRAILING)]


def is_complete_name(name: str) -> bool:
    """A name that can stand alone: it ends like an organ or is a known collective."""
    return bool(name) and (name in COLLECTIVE_NAMES or ORGAN_END.ends_like(name)) and len(name) >= 2


def _split_and(piece: str) -> list[str]:
    """`区财政局和区审计局` → two names; `区发展和改革委员会` stays one."""
    for word in ("以及", "和", "及", "与"):
        if word not in piece:
            continue
        parts = piece.split(word)
        if len(parts) > 1 and all(is_complete_name(p) and len(p) >= 3 for p in parts):
            return parts
    return [piece]


def _merge(pieces: list[tuple[str, str]]) -> list[str]:
    names: list[str] = []
    joiners: list[str] = []  # the separator that came before each name
    pending: list[str] = []
    for piece, separator in pieces:
        if pending and separator != "、":
            names.extend(pending)
            joiners.extend("" for _ in pending)
            pending = []
        if pending:
            pending.append(piece)
            if _LEVEL_ITEM.match(piece):
                continue
            names.append("、".join(pending))
            joiners.append(separator)
            pending = []
            continue
        if separator == "、" and names:
            previous = names[-1]
            # 区政府各委、办、局: a one-character tail.
            if len(piece) == 1 or piece in ("办、局", "委办局"):
                names[-1] = previous + "、" + piece
                continue
            # 国务院各部委、各直属机构: the qualifier before 各 is shared.
            if (
                piece.startswith("各")
                and "各" in previous[1:]
                and not previous.startswith("各")
                and piece not in COLLECTIVE_NAMES
                and _RELATIVE.search(piece)
            ):
                names[-1] = previous + "、" + piece
                continue
        if separator in ("", "、", "，", ",") and _LEVEL_ITEM.match(piece):
            pending = [piece]
            continue
        names.append(piece)
        joiners.append(separator)
    if pending:
        names.extend(pending)
    return names


def split_names(text: str) -> list[str]:
    """Splits a written list of organ names (see the module docstring). Order kept, duplicates removed."""
    text = _SPACES.sub("", text or "").strip(_TRAILING)
    if not text:
        return []
    names: list[str] = []
    for name in _merge(_top_level_split(text)):
        for part in _split_and(name):
            for piece in _split_etc(part):
                piece = piece.strip(_TRAILING)
                if piece and piece not in names:
                    names.append(piece)
    return names


def _split_etc(name: str) -> list[str]:
    """`区生态环境局等部门` → 区生态环境局, 等部门; `区财政局等区政府相关部门` → 区财政局, 区政府相关部门."""
    if "等" not in name:
        return [name]
    head, _sep, tail = name.rpartition("等")
    tail = tail.strip(_TRAILING)
    if not head or not is_complete_name(head):
        return [name]
    if not tail:
        return [head, "等"]
    if _GENERIC_TAIL.match(tail):
        return [head, "等" + tail]
    if is_complete_name(tail):
        return [head, tail]
    return [name]


def is_generic_name(name: str) -> bool:
    """`等部门`, `相关部门`, `有关单位` …: words for "other departments", not a department."""
    return bool(_GENERIC_TAIL.match(name.lstrip("等各"))) or name == "等"


# --- a run of names without separators ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    from gongkai.core.external_organs import all_known_names
    from gongkai.core.seed_departments import DEPARTMENTS

    names = set(all_known_names())
    for full, short, _code, _kind, aliases in DEPARTMENTS:
        names.update(n for n in (full, short, *aliases) if n)
    return frozenset(names)


@lru_cache(maxsize=1)
def _known_prefixes() -> frozenset[str]:
    """Every beginning of a known name (国, 国务, 国务院 …): the known names starting at a position are found by
    growing a piece while it is such a beginning, not by trying every piece to the end of the text."""
    return frozenset(name[:length] for name in _known_names() for length in range(1, len(name) + 1))


def split_organs(text: str) -> list[str]:
    """Splits organ names printed one after the other (`国务院办公厅中央军委办公厅`, `财政部税务总局`): the
    segmentation with the fewest unknown names, then the fewest names. A name the system does not know counts
    only when it ends like an organ. Spaces, when still there, separate names. Unsplittable text is one name."""
    result: list[str] = []
    for chunk in _ORGAN_SEPARATORS.split(text or ""):
        chunk = chunk.strip(_TRAILING)
        if chunk:
            result.extend(_segment(chunk))
    return list(dict.fromkeys(result))


def _segment(text: str) -> list[str]:
    if len(text) > 80 or not _HAN.search(text):
        return [text]
    known, prefixes = _known_names(), _known_prefixes()
    # A known name is its own best segmentation (no unknown name, one name); two names need at least 4 characters.
    if len(text) < 4 or text in known:
        return [text]
    size = len(text)
    # The pieces that can be names (each end position once per start): known names, found by growing the piece
    # while a known name begins with it, and pieces of 3 or more characters that end like an organ (`ORGAN_END`:
    # one of its words is their end). That depends only on where the piece ends: the shortest such piece ending at
    # each position is found once, and every longer piece ending there ends like an organ too.
    shortest_organ: dict[int, int] = {}
    for end in range(3, size + 1):
        if text[end - 1] in ORGAN_END.last:
            for length in range(1, min(end, _LONGEST_ORGAN_WORD) + 1):
                if text[end - length : end] in _ORGAN_END_WORDS:
                    shortest_organ[end] = max(length, 3)
                    break
    # best[i] = (unknown names, names, segmentation) for text[:i]
    best: list[tuple[int, int, list[str]] | None] = [None] * (size + 1)
    best[0] = (0, 0, [])
    for start in range(size):
        if best[start] is None:
            continue
        unknown, count, parts = best[start]
        costs = {end: 1 for end, length in shortest_organ.items() if end - start >= length}
        end = start + 1
        while end <= size and text[start:end] in prefixes:
            if end - start >= 2 and text[start:end] in known:
                costs[end] = 0
            end += 1
        # Each end is reached once from this start, so the order of the ends does not change the result.
        for end, cost in costs.items():
            piece = text[start:end]
            candidate = (unknown + cost, count + 1, parts + [piece])
            current = best[end]
            if current is None or candidate[:2] < current[:2]:
                best[end] = candidate
    final = best[size]
    if final is None or final[1] <= 1 or final[0] >= final[1]:
        return [text]
    return final[2]
