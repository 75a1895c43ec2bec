"""Versions and differences (新旧政策差异, 23:二(三)1): an article-by-article comparison of two texts.

`compare_texts(old, new)` splits both texts into units — headings (第X编/章/节, markdown headings), articles
(第X条 with their paragraphs), numbered sections (一、 （一） 1.) and loose paragraphs — and aligns them:

1. units whose normalised text is equal and in the same order are unchanged (a renumbered article — 第五条 that
   became 第六条 because an article was inserted before it — is unchanged too, and counted as renumbered);
2. equal units found out of order are *moved*;
3. between those anchors, units with the same number or similar enough text are *changed*, and the words that
   changed are marked inside (word level with rjieba, so 申请 → 申报 is one word, not two characters);
4. what is left is *added* or *deleted*.

Normalising before comparing means formatting alone is never a change: full-width and half-width forms
(NFKC), Chinese and Western punctuation (，/, （）/() “”/"" 〔〕/[] …), spaces and line breaks, markdown marks.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import unicodedata

# Above this product of lengths, difflib's popular-element heuristic is switched on (quadratic time otherwise).
LARGE_DIFF = 4_000_000
_CN_DIGITS = "一二三四五六七八九十百千零〇两"
_NUM = rf"[{_CN_DIGITS}\d０-９]+"
RE_HEADING = re.compile(rf"^(第{_NUM}[编章节])\s*(.*)$")
RE_ARTICLE = re.compile(rf"^(第{_NUM}条(?:之{_NUM})?)\s*(.*)$", re.S)
RE_SECTION = re.compile(
    rf"^([{_CN_DIGITS}]+、|[（(][{_CN_DIGITS}]+[）)]|\d{{1,3}}(?:[.．、](?!\d)|。))\s*(.*)$", re.S
)
RE_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
RE_COMMENT = re.compile(r"<!--.*?-->", re.S)

# Punctuation that NFKC leaves alone, mapped to one form so that switching between them is not a change.
_PUNCT = str.maketrans(
    {
        "。": ".",
        "、": ",",
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "《": "<",
        "》": ">",
        "〈": "<",
        "〉": ">",
        "【": "[",
        "】": "]",
        "〔": "[",
        "〕": "]",
        "［": "[",
        "］": "]",
        "—": "-",
        "–": "-",
        "－": "-",
        "―": "-",
        "·": "·",
        "•": "·",
        "・": "·",
        "～": "~",
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
    }
)


@functools.lru_cache(maxsize=8192)
def _normal_char(ch: str) -> str:
    if ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc"):
        return ""
    if ord(ch) < 128:
        return ch
    return unicodedata.normalize("NFKC", ch).translate(_PUNCT).replace(" ", "")


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original character it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        n = _normal_char(ch)
        for c in n:
            out.append(c)
            index.append(i)
    return "".join(out), index


def normalise(text: str) -> str:
    return "".join(_normal_char(ch) for ch in text)


@dataclasses.dataclass
class Unit:
    kind: str  # heading | article | section | paragraph
    key: str  # 第三条, 第二章, 一、 … ("" for paragraphs)
    body: str  # the text after the key, as written
    heading: str = ""  # the chapter / section it stands in
    norm: str = ""
    index: int = 0

    @property
    def text(self) -> str:
        return f"{self.key} {self.body}".strip() if self.key else self.body

    @property
    def match_key(self) -> str:
        return f"{self.kind}\x1f{self.norm}"


def parse_units(text: str) -> list[Unit]:
    """Splits a policy or law text into headings, articles, sections and paragraphs."""
    text = RE_COMMENT.sub("\n", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    units: list[Unit] = []
    heading = ""
    current: Unit | None = None
    for raw in text.split("\n"):
        line = RE_MARKDOWN_HEADING.sub("", raw.strip().strip("\u3000").strip())
        if not line:
            continue
        m = RE_HEADING.match(line)
        if m:
            current = None
            heading = f"{m.group(1)} {m.group(2)}".strip()
            units.append(Unit("heading", m.group(1), m.group(2)))
            continue
        m = RE_ARTICLE.match(line)
        if m:
            current = Unit("article", m.group(1), m.group(2), heading)
            units.append(current)
            continue
        m = RE_SECTION.match(line)
        if m and (current is None or current.kind != "article"):
            current = Unit("section", m.group(1), m.group(2), heading)
            units.append(current)
            continue
        if current is not None:
            current.body = f"{current.body}\n{line}" if current.body else line
            continue
        units.append(Unit("paragraph", "", line, heading))
    for i, unit in enumerate(units):
        unit.index = i
        unit.norm = normalise(unit.body)
        if unit.kind == "heading":
            unit.norm = normalise(unit.key) + "\x1e" + unit.norm
    return units


def _tokens(norm: str) -> list[str]:
    try:
        import rjieba

        return [t for t in rjieba.cut(norm) if t]
    except ImportError:  # pragma: no cover - rjieba is a dependency; characters are a fine fallback
        return list(norm)


def word_segments(old: str, new: str) -> list[dict]:
    """The differences between two texts, word by word, as [{"op": equal|insert|delete, "text": ...}] with the
    text as written (equal and inserted parts from `new`, deleted parts from `old`)."""
    old_norm, old_map = normalise_with_map(old)
    new_norm, new_map = normalise_with_map(new)
    old_tokens = _tokens(old_norm)
    new_tokens = _tokens(new_norm)
    old_bounds = _token_bounds(old_tokens)
    new_bounds = _token_bounds(new_tokens)

    def span(text, mapping, bounds, t1, t2):
        if t1 == t2:
            return ""
        start = 0 if t1 == 0 else mapping[bounds[t1]]
        end = len(text) if t2 >= len(bounds) - 1 else mapping[bounds[t2]]
        return text[start:end]

    segments: list[dict] = []
    # the common beginning and end need no matching (and keep long, barely edited texts fast)
    prefix = 0
    limit = min(len(old_tokens), len(new_tokens))
    while prefix < limit and old_tokens[prefix] == new_tokens[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old_tokens[-1 - suffix] == new_tokens[-1 - suffix]:
        suffix += 1
    old_mid = old_tokens[prefix : len(old_tokens) - suffix]
    new_mid = new_tokens[prefix : len(new_tokens) - suffix]
    _append(segments, "equal", span(new, new_map, new_bounds, 0, prefix))
    big = len(old_mid) * len(new_mid) > LARGE_DIFF
    matcher = difflib.SequenceMatcher(None, old_mid, new_mid, autojunk=big)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix
        if op == "equal":
            _append(segments, "equal", span(new, new_map, new_bounds, j1, j2))
            continue
        if op in ("delete", "replace"):
            _append(segments, "delete", span(old, old_map, old_bounds, i1, i2))
        if op in ("insert", "replace"):
            _append(segments, "insert", span(new, new_map, new_bounds, j1, j2))
    _append(segments, "equal", span(new, new_map, new_bounds, len(new_tokens) - suffix, len(new_tokens)))
    if not new_tokens and new:  # only blanks: nothing to compare, but the text is kept as written
        _append(segments, "equal", new)
    return segments


def _token_bounds(tokens: list[str]) -> list[int]:
    bounds = [0]
    for t in tokens:
        bounds.append(bounds[-1] + len(t))
    return bounds


def _append(segments: list[dict], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1]["op"] == op:
        segments[-1]["text"] += text
    else:
        segments.append({"op": op, "text": text})


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=len(a) * len(b) > LARGE_DIFF)
    if matcher.real_quick_ratio() < 0.4 or matcher.quick_ratio() < 0.4:
        return 0.0
    return matcher.ratio()


CHANGED_MIN_SIMILARITY = 0.45  # below this, a deletion plus an addition describes the change better
SAME_NUMBER_MIN_SIMILARITY = 0.3


def _align(old: list[Unit], new: list[Unit]) -> list[tuple[int | None, int | None, str]]:
    pairs: dict[int, tuple[int, str]] = {}  # new index -> (old index, status)
    matcher = difflib.SequenceMatcher(
        None, [u.match_key for u in old], [u.match_key for u in new], autojunk=False
    )
    blocks = matcher.get_matching_blocks()
    for a, b, size in blocks:
        for k in range(size):
            pairs[b + k] = (a + k, "unchanged")
    # equal text found elsewhere: moved
    free_old: dict[str, list[int]] = {}
    matched_old = {o for o, _s in pairs.values()}
    for u in old:
        if u.index not in matched_old:
            free_old.setdefault(u.match_key, []).append(u.index)
    for u in new:
        if u.index not in pairs and free_old.get(u.match_key):
            pairs[u.index] = (free_old[u.match_key].pop(0), "moved")
    # between anchors: changed units, first those keeping their number, then by similarity
    matched_old = {o for o, _s in pairs.values()}
    anchors = sorted((o, n) for n, (o, s) in pairs.items() if s == "unchanged")
    bounds = [(-1, -1), *anchors, (len(old), len(new))]
    for (o1, n1), (o2, n2) in zip(bounds, bounds[1:], strict=False):
        gap_old = [old[i] for i in range(o1 + 1, o2) if i not in matched_old]
        gap_new = [new[j] for j in range(n1 + 1, n2) if j not in pairs]
        if not gap_old or not gap_new:
            continue
        candidates = []
        for un in gap_new:
            for uo in gap_old:
                if uo.kind != un.kind:
                    continue
                sim = _similarity(uo.norm, un.norm)
                same_number = bool(un.key) and normalise(uo.key) == normalise(un.key)
                if sim >= CHANGED_MIN_SIMILARITY or (same_number and sim >= SAME_NUMBER_MIN_SIMILARITY):
                    candidates.append(
                        (same_number and sim >= SAME_NUMBER_MIN_SIMILARITY, sim, uo.index, un.index)
                    )
        used_old: set[int] = set()
        for _same, _sim, oi, ni in sorted(candidates, key=lambda c: (not c[0], -c[1], c[3], c[2])):
            if oi in used_old or ni in pairs:
                continue
            pairs[ni] = (oi, "changed")
            used_old.add(oi)
        matched_old |= used_old
    # order: new units in order, each deletion after the new position of the old unit before it
    rows: list[tuple[float, int | None, int | None, str]] = []
    old_to_new = {o: n for n, (o, _s) in pairs.items()}
    for u in new:
        o, status = pairs.get(u.index, (None, "added"))
        rows.append((u.index, o, u.index, status))
    last_new = -1.0
    for u in old:
        if u.index in old_to_new:
            last_new = old_to_new[u.index]
            continue
        rows.append((last_new + 0.5, u.index, None, "deleted"))
    rows.sort(key=lambda r: (r[0], r[1] if r[1] is not None else -1))
    return [(o, n, s) for _pos, o, n, s in rows]


def compare_texts(old: str, new: str, *, include_unchanged: bool = False) -> dict:
    """Compares two versions of a text article by article. Returns

    {"identical": bool,
     "summary": {"added", "deleted", "changed", "moved", "renumbered", "unchanged"},
     "items": [{"status": added|deleted|changed|moved|unchanged, "kind", "old_key", "new_key", "heading",
                "old_text", "new_text", "segments": [{"op", "text"}] (changed only)}]}
    """
    old_units = parse_units(old)
    new_units = parse_units(new)
    summary = {"added": 0, "deleted": 0, "changed": 0, "moved": 0, "renumbered": 0, "unchanged": 0}
    items = []
    for o, n, status in _align(old_units, new_units):
        uo = old_units[o] if o is not None else None
        un = new_units[n] if n is not None else None
        summary[status] += 1
        renumbered = bool(uo and un and uo.key and normalise(uo.key) != normalise(un.key))
        if renumbered and status == "unchanged":
            summary["renumbered"] += 1
        if status == "unchanged" and not include_unchanged:
            continue
        item = {
            "status": status,
            "kind": (un or uo).kind,
            "old_key": uo.key if uo else "",
            "new_key": un.key if un else "",
            "heading": (un or uo).heading,
            "old_text": uo.text if uo else "",
            "new_text": un.text if un else "",
        }
        if status == "changed":
            item["segments"] = word_segments(uo.body, un.body)
        items.append(item)
    identical = not (summary["added"] or summary["deleted"] or summary["changed"] or summary["moved"])
    return {"identical": identical, "summary": summary, "items": items}


# --- the 新旧政策差异 element of an interpretation ------------------------------------------------------------

_CN_ORDINALS = "一二三四五六七八九十"


def _ordinal(i: int) -> str:
    return _CN_ORDINALS[i] if i < len(_CN_ORDINALS) else str(i + 1)


def _excerpt(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _body(item: dict, side: str) -> str:
    text, key = item[f"{side}_text"], item[f"{side}_key"]
    return text[len(key) :].strip() if key and text.startswith(key) else text


def _label(item: dict, side: str) -> str:
    key = item[f"{side}_key"]
    if key:
        return ("原" if side == "old" else "") + key
    return ("原" if side == "old" else "") + "“" + _excerpt(item[f"{side}_text"], 20) + "”"


def difference_draft(old: str, new: str, *, old_title: str = "", new_title: str = "", comparison=None) -> str:
    """A draft of the 新旧政策差异 element of an interpretation: what was added, deleted, changed and moved, in
    plain Chinese, for the drafter to edit."""
    result = comparison or compare_texts(old, new)
    old_name = f"《{old_title}》" if old_title else "原政策"
    new_name = f"《{new_title}》" if new_title else "新政策"
    if result["identical"]:
        return f"{new_name}与{old_name}相比，条文内容没有实质变化。"
    groups = {"added": [], "deleted": [], "changed": [], "moved": []}
    for item in result["items"]:
        if item["status"] in groups and item["kind"] != "heading":
            groups[item["status"]].append(item)
    s = result["summary"]
    lines = [
        f"{new_name}与{old_name}相比，新增{s['added']}处、删除{s['deleted']}处、修改{s['changed']}处"
        + (f"、调整顺序{s['moved']}处" if s["moved"] else "")
        + "，主要变化如下："
    ]
    n = 0
    if groups["added"]:
        lines.append(f"{_ordinal(n)}、新增内容")
        n += 1
        for item in groups["added"]:
            lines.append(f"{_label(item, 'new')}：{_excerpt(_body(item, 'new'))}")
    if groups["deleted"]:
        lines.append(f"{_ordinal(n)}、删除内容")
        n += 1
        for item in groups["deleted"]:
            lines.append(f"{_label(item, 'old')}：{_excerpt(_body(item, 'old'))}")
    if groups["changed"]:
        lines.append(f"{_ordinal(n)}、修改内容")
        n += 1
        for item in groups["changed"]:
            changes = []
            segments = item.get("segments", [])
            for i, seg in enumerate(segments):
                if seg["op"] == "delete":
                    nxt = segments[i + 1] if i + 1 < len(segments) else None
                    if nxt and nxt["op"] == "insert":
                        changes.append(f"将“{_excerpt(seg['text'], 30)}”修改为“{_excerpt(nxt['text'], 30)}”")
                    else:
                        changes.append(f"删去“{_excerpt(seg['text'], 30)}”")
                elif seg["op"] == "insert" and not (i and segments[i - 1]["op"] == "delete"):
                    changes.append(f"增加“{_excerpt(seg['text'], 30)}”")
            where = _label(item, "new")
            if (
                item["old_key"]
                and item["new_key"]
                and normalise(item["old_key"]) != normalise(item["new_key"])
            ):
                where = f"{where}（原{item['old_key']}）"
            lines.append(
                f"{where}："
                + ("；".join(changes[:5]) or "文字调整")
                + ("等" if len(changes) > 5 else "")
                + "。"
            )
    if groups["moved"]:
        lines.append(f"{_ordinal(n)}、调整顺序")
        for item in groups["moved"]:
            lines.append(f"{_label(item, 'old')}调整为{_label(item, 'new')}。")
    return "\n".join(lines)


def replaced_policy(policy):
    """The older policy this one replaces (a REPLACES relation), or None."""
    from .models import RelationKind

    relation = (
        policy.relations.filter(kind=RelationKind.REPLACES).select_related("target").first()
        if policy.pk
        else None
    )
    return relation.target if relation else None


def policy_difference_draft(policy) -> str | None:
    """The 新旧政策差异 draft for a policy that replaces another, or None when it replaces nothing."""
    old = replaced_policy(policy)
    if old is None:
        return None
    return difference_draft(old.body, policy.body, old_title=old.title, new_title=policy.title)


def diff_panel_context(request, policy):
    """The portal panel "新旧政策对比" for a policy that replaces a public one."""
    from django.core.cache import cache

    old = replaced_policy(policy)
    if old is None or not old.is_public:
        return None
    key = f"policies:diff:{old.content_hash}:{policy.content_hash}"
    result = cache.get(key)
    if result is None:
        result = compare_texts(old.body, policy.body)
        cache.set(key, result, 24 * 3600)
    return {"old": old, "comparison": result}
