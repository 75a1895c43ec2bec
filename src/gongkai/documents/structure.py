"""The structure of a document body: numbered headings and articles as a tree.

GB/T 9704-2012 §7.3.3 fixes the order of structural numbers in the body: 一、 → （一） → 1. → （1）.
Laws and regulations use 编 / 章 / 节 / 条 instead, with （一） for the items of an article. Each node is
`{"kind", "number", "label", "title", "text", "children"}`:

- `kind`: `part` 编, `chapter` 章, `section` 节, `article` 条, `heading1` 一、, `heading2` （一）,
  `heading3` 1., `heading4` （1）;
- `number`: the number as an integer (第十二条 → 12);
- `label`: the number as written (`第十二条`, `（一）`, `1.`);
- `title`: for headings, the heading (a whole line without a full stop, or the run-in sentence before the
  first 。 when it is short); for 章/节/编 the name; for articles a bracketed title when there is one;
- `text`: the node's own text (everything up to the next numbered line), paragraphs joined by `\\n`;
- `children`: the nodes below it.

Text before the first numbered line is returned as a node of kind `preamble` (number null).
"""

from __future__ import annotations

import re

from .dates import chinese_to_int

_TITLE_STOPPERS = re.compile(r"[，；：]")
_CLAUSE_STOPPERS = re.compile(r"[，；]")

_CN = "一二三四五六七八九十百千零〇两"

# (kind, rank, pattern). A lower rank is higher in the tree.
_MARKERS: list[tuple[str, int, re.Pattern]] = [
    ("part", 0, re.compile(rf"^(?P<label>第(?P<num>[{_CN}\d]+)编)\s*(?P<rest>.*)$")),
    ("chapter", 1, re.compile(rf"^(?P<label>第(?P<num>[{_CN}\d]+)章)\s*(?P<rest>.*)$")),
    ("section", 2, re.compile(rf"^(?P<label>第(?P<num>[{_CN}\d]+)节)\s*(?P<rest>.*)$")),
    ("article", 3, re.compile(rf"^(?P<label>第(?P<num>[{_CN}\d]+)条)(?P<rest>.*)$")),
    ("heading1", 4, re.compile(rf"^(?P<label>(?P<num>[{_CN}]+)[、．.])(?P<rest>.*)$")),
    ("heading2", 5, re.compile(rf"^(?P<label>[（(](?P<num>[{_CN}]+)[）)])(?P<rest>.*)$")),
    ("heading3", 6, re.compile(r"^(?P<label>(?P<num>\d{1,3})[.．、](?!\d))(?P<rest>.*)$")),
    ("heading4", 7, re.compile(r"^(?P<label>[（(](?P<num>\d{1,3})[）)])(?P<rest>.*)$")),
    ("heading4", 7, re.compile(r"^(?P<label>(?P<circled>[①-⑳]))(?P<rest>.*)$")),
]
RANKS = {kind: rank for kind, rank, _ in _MARKERS}
_ARTICLE_TITLE = re.compile(r"^\s*[（(【\[](?P<title>[^）)】\]]{1,20})[）)】\]]\s*")
_MAX_TITLE = 30


_BY_FIRST_CHAR: dict[str, list] = {}
for _entry in _MARKERS:
    _firsts = {
        "part": "第", "chapter": "第", "section": "第", "article": "第", "heading1": _CN, "heading2": "（(",
        "heading3": "0123456789", "heading4": "（(" if "circled" not in _entry[2].pattern else "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳",
    }[_entry[0]]  # fmt: skip
    for _char in _firsts:
        _BY_FIRST_CHAR.setdefault(_char, []).append(_entry)


def match_marker(line: str):
    """(kind, number, label, rest) when a line starts with a structural number, else None."""
    for kind, _rank, pattern in _BY_FIRST_CHAR.get(line[:1], ()):
        match = pattern.match(line)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("circled"):
            number = ord(groups["circled"]) - ord("①") + 1
        else:
            number = chinese_to_int(groups["num"])
        if number is None or number <= 0 or number > 9999:
            continue
        if kind == "heading1" and len(groups["num"]) > 4:
            continue
        return kind, number, match["label"], match["rest"].strip()
    return None


def split_title(kind: str, rest: str) -> tuple[str, str]:
    """Separates a heading's title from its text."""
    rest = rest.strip()
    if kind in ("part", "chapter", "section"):
        return rest.replace(" ", ""), ""
    if kind == "article":
        match = _ARTICLE_TITLE.match(rest)
        if match:
            return match["title"], rest[match.end() :]
        return "", rest
    if not rest:
        return "", ""
    stop = rest.find("。")
    if stop == -1:
        if len(rest) <= _MAX_TITLE and not _TITLE_STOPPERS.search(rest):
            return rest, ""
        return "", rest
    if 0 < stop <= _MAX_TITLE and not _CLAUSE_STOPPERS.search(rest[:stop]):
        return rest[:stop], rest[stop + 1 :].strip()
    return "", rest


def _node(kind, number, label, title, text):
    return {"kind": kind, "number": number, "label": label, "title": title, "text": text, "children": []}


def parse_body(text: str) -> list[dict]:
    """The tree of numbered headings and articles in `text` (one paragraph per line, as `normalise_text`
    returns it). Never raises for any string."""
    roots: list[dict] = []
    stack: list[tuple[int, dict]] = []
    texts: dict[int, list[str]] = {}
    preamble: dict | None = None
    for raw in (text or "").split("\n"):
        line = raw.strip()
        if not line:
            continue
        marker = match_marker(line)
        if marker is None:
            if stack:
                texts[id(stack[-1][1])].append(line)
            else:
                if preamble is None:
                    preamble = _node("preamble", None, "", "", "")
                    roots.append(preamble)
                    texts[id(preamble)] = []
                texts[id(preamble)].append(line)
            continue
        kind, number, label, rest = marker
        title, own = split_title(kind, rest)
        node = _node(kind, number, label, title, "")
        texts[id(node)] = [own] if own else []
        rank = RANKS[kind]
        while stack and stack[-1][0] >= rank:
            stack.pop()
        (stack[-1][1]["children"] if stack else roots).append(node)
        stack.append((rank, node))
    _fill_texts(roots, texts)
    return roots


def _fill_texts(nodes: list[dict], texts: dict[int, list[str]]) -> None:
    pending = list(nodes)
    while pending:
        node = pending.pop()
        node["text"] = "\n".join(texts.get(id(node), []))
        pending.extend(node["children"])


def iter_nodes(nodes: list[dict], parents: tuple = ()):
    """Yields (node, parents) depth-first, in document order."""
    for node in nodes:
        yield node, parents
        yield from iter_nodes(node["children"], (*parents, node))


def full_text(node: dict) -> str:
    """A node's own text followed by the text of everything below it."""
    parts = [node["text"]] if node["text"] else []
    for child in node["children"]:
        line = child["label"] + (child["title"] + ("。" if child["text"] else "") if child["title"] else "")
        inner = full_text(child)
        parts.append(line + inner if inner else line)
    return "\n".join(p for p in parts if p)
