"""A work plan (工作要点) as sections and tasks, each task with its departments and deadline.

The plan's numbering follows GB/T 9704-2012 §7.3.3: parts 一、, sections （一）, tasks 1., sub-items （1）.
A task's responsibility is written either in brackets at the end of the item
(`（区财政局牵头，区政府各部门、各街道负责落实，完成时限：2023年10月）`) or as labelled fields, often on a line of
their own (`责任单位：区财政局；配合单位：区审计局；完成时限：6月底前`). See docs/documents.md for the JSON.

Department names are resolved with a *resolver*: a function from a written name to the department's name
(or None when unknown). The default, `gongkai.core.departments.seed_resolver`, needs no database; the
commands and the admin pass `database_resolver`, which also knows the aliases edited in the admin. Collective
names (区政府各部门, 各街道 …, see `collective_kind`) are kept as written; unknown names are kept as written
too and listed in the task's `unresolved`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gongkai.core.departments import collective_kind, normalise_name, seed_resolver

from .dates import parse_deadline, parse_recurrence, recurrence_in_text
from .names import is_generic_name, split_names
from .normalise import normalise_text
from .official import parse_metadata, parse_official_document
from .structure import match_marker, split_title

Resolver = Callable[[str], "str | None"]

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# 关于印发《西城区2024年政务公开工作要点》的通知, also without 《》 (关于印发西城区2024年…要点的通知).
_NOTICE_TITLE = re.compile(
    r"(?:印发|转发|发布)\s*(?:《(?P<quoted>[^》]+)》|(?P<plain>[^《》]{4,80}?))\s*的通知$"
)
_RESPONSIBILITY_WORDS = re.compile(
    r"负责|牵头|配合|完成时限|完成时间|责任单位|责任部门|时间节点|职责分工|依职责|按职责"
)
# Words between the names and the role: 按职责分工负责, 依职责分别负责落实, 共同负责 ….
_QUALIFIER = r"(?:按照?职责分工|依职责分工|依据?职责|根据职责|按照?职责|依照职责|按分工|各司其职|分别|共同|协同|具体|会同|协助)*"

# Labelled fields: 牵头单位：…；责任单位：…；配合单位：…；完成时限：…
_LABELS: dict[str, str] = {
    "牵头单位": "lead",
    "牵头部门": "lead",
    "责任单位": "owners",
    "责任部门": "owners",
    "主责单位": "owners",
    "落实单位": "owners",
    "配合单位": "support",
    "配合部门": "support",
    "协办单位": "support",
    "参与单位": "support",
    "完成时限": "deadline",
    "完成时间": "deadline",
    "时间节点": "deadline",
    "时限要求": "deadline",
}
_LABEL_ALTERNATION = "|".join(sorted(_LABELS, key=len, reverse=True))
_LABELLED_CLAUSE = re.compile(rf"^(?P<label>{_LABEL_ALTERNATION})\s*[：:]\s*(?P<value>.*)$")
_LABEL_LINE = re.compile(rf"^[（(]?\s*(?:{_LABEL_ALTERNATION})\s*[：:]")
_OPENING = "（(〔[［【"
_CLOSING = "）)〕]］】"
_ANY_BRACKET = re.compile(r"[（(〔\[［【）)〕\]］】]")
_CLAUSE_SEPARATOR = re.compile(r"[，,；;]")
_OWNER_CLAUSE = re.compile(rf"^(?P<names>.+?){_QUALIFIER}(?:负责落实|负责推进|负责实施|负责|落实|推进|实施)$")
_OWNER_BY_DUTY = re.compile(
    r"^(?P<names>.+?)(?:按照?职责分工|依职责分工|依据?职责|根据职责|按照?职责|各司其职)$"
)
_LEAD_CLAUSE = re.compile(rf"^(?P<names>.+?){_QUALIFIER}牵头(?:负责|落实|负责落实)?$")
_SUPPORT_CLAUSE = re.compile(rf"^(?P<names>.+?){_QUALIFIER}(?:协助|参与)?配合(?:落实)?$")
_OWNER_ENDINGS = ("负责", "落实", "推进", "实施")
_DUTY_ENDINGS = ("分工", "职责", "各司其职")
_AFTER_FULL_STOP = re.compile(r"(?<=[。])")
_LAST_SENTENCE_ROLE = re.compile(r"(?:负责落实|牵头|完成时限|按照?职责分工|依职责)")


def bracket_groups(text: str) -> tuple[list[tuple[int, int, str]], tuple[int, str] | None]:
    """Top-level bracket groups of any kind (（…） 〔…〕 […] 【…】, nested ones included), as (start, end, inner);
    and an unclosed group at the end (start, inner), if any."""
    groups: list[tuple[int, int, str]] = []
    depth = 0
    start = 0
    for match in _ANY_BRACKET.finditer(text):
        char, position = match.group(), match.start()
        if char in _OPENING:
            if depth == 0:
                start = position
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                groups.append((start, position + 1, text[start + 1 : position]))
    tail = (start, text[start + 1 :]) if depth else None
    return groups, tail


def _split_clauses(text: str) -> list[str]:
    """Clauses separated by ，；(outside brackets)."""
    if not _ANY_BRACKET.search(text):
        return _CLAUSE_SEPARATOR.split(text)
    clauses, depth, current = [], 0, []
    for char in text:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING and depth:
            depth -= 1
        if depth == 0 and char in "，,；;":
            clauses.append("".join(current))
            current = []
            continue
        current.append(char)
    clauses.append("".join(current))
    return clauses


def _resolve_names(names: list[str], resolver: Resolver, unresolved: list[str]) -> list[str]:
    resolved: list[str] = []
    for written in names:
        name = normalise_name(written)
        if not name:
            continue
        if is_generic_name(name):
            final = name  # 等部门, 相关部门: kept as written and flagged, never dropped
            if name not in unresolved:
                unresolved.append(name)
        elif collective_kind(name):
            final = name
        else:
            try:
                final = resolver(name)
            except Exception:  # a broken resolver must not lose the name
                final = None
            if not final:
                final = name
                if name not in unresolved:
                    unresolved.append(name)
        if final not in resolved:
            resolved.append(final)
    return resolved


_DEADLINE_FIELD = re.compile(
    rf"(?:完成时限|完成时间|时间节点|时限要求)\s*[：:]\s*(?P<value>.*?)\s*(?=[；;，,]\s*(?:{_LABEL_ALTERNATION})\s*[：:]|$)"
)


def _parse_clauses(inner: str, found: dict) -> bool:
    """Reads `区财政局牵头，区政府各部门负责落实，完成时限：2023年10月`. Returns whether anything was found.
    Names in a clause without a role (`区政府各委、办、局，各街道负责落实`) join the next clause's role; after a
    labelled clause (`责任单位：区财政局，各街道`) they continue its list; names left without any role at the end
    of a responsibility group are the responsible units. No name is dropped."""
    hit = False
    deadline = _DEADLINE_FIELD.search(inner)
    if deadline:
        found["deadline_text"] = deadline["value"].strip(" 。；;，,") or found["deadline_text"]
        inner = inner[: deadline.start()] + inner[deadline.end() :]
        hit = True
    pending: list[str] = []
    continuing: str | None = None  # the key of the labelled clause just read
    for clause in _split_clauses(inner):
        clause = clause.strip(" 。")
        if not clause:
            continue
        labelled = _LABELLED_CLAUSE.match(clause)
        if labelled:
            key = _LABELS[labelled["label"]]
            if key == "deadline":
                found["deadline_text"] = labelled["value"].strip()
                continuing = None
            else:
                found[key].extend(pending + split_names(labelled["value"]))
                pending = []
                continuing = key
            hit = True
            continue
        for pattern, key, needed in (
            (_LEAD_CLAUSE, "lead", "牵头" in clause),
            (_SUPPORT_CLAUSE, "support", "配合" in clause),
            (_OWNER_CLAUSE, "owners", clause.endswith(_OWNER_ENDINGS)),
            (_OWNER_BY_DUTY, "owners", clause.endswith(_DUTY_ENDINGS)),
        ):
            # `needed`: what the pattern cannot match without (it saves trying its many splits of the clause).
            if needed and (m := pattern.match(clause)):
                found[key].extend(pending + split_names(m["names"]))
                pending = []
                continuing = None
                hit = True
                break
        else:
            if parse_deadline(clause, 2000) is not None or parse_recurrence(clause):
                found["deadline_text"] = found["deadline_text"] or clause
                hit = True
            elif continuing:
                found[continuing].extend(split_names(clause))
            else:
                pending.extend(split_names(clause))
    if pending and hit:
        found["owners"].extend(pending)
    return hit


def parse_responsibility(text: str) -> tuple[dict, str]:
    """The departments and deadline written in a task's text, and the text without them."""
    found = {"lead": [], "owners": [], "support": [], "deadline_text": None}
    # 1. Bracket groups (（…） 〔…〕 […] 【…】) that speak of responsibility, anywhere; an unclosed one at the end.
    groups, tail = bracket_groups(text)
    remove: list[tuple[int, int]] = []
    for start, end, inner in groups:
        if _RESPONSIBILITY_WORDS.search(inner) and _parse_clauses(inner, found):
            remove.append((start, end))
    if not remove and tail and _RESPONSIBILITY_WORDS.search(tail[1]) and _parse_clauses(tail[1], found):
        remove.append((tail[0], len(text)))
    remaining = text
    for start, end in reversed(remove):
        remaining = remaining[:start] + remaining[end:]
    # 2. Labelled lines (责任单位：…；完成时限：…) anywhere in the item.
    kept_lines = []
    for line in remaining.split("\n"):
        if _LABEL_LINE.match(line.strip()):
            _parse_clauses(line.strip().strip("（()）"), found)
            continue
        kept_lines.append(line)
    remaining = "\n".join(kept_lines)
    # 3. An unbracketed last sentence such as `区财政局负责落实，完成时限：2023年10月。`
    if not (found["lead"] or found["owners"] or found["support"] or found["deadline_text"]):
        sentences = [s for s in _AFTER_FULL_STOP.split(remaining.strip()) if s.strip()]
        if sentences:
            last = sentences[-1].strip().rstrip("。")
            if _LAST_SENTENCE_ROLE.search(last) and len(last) <= 200 and _parse_clauses(last, found):
                remaining = "".join(sentences[:-1])
    return found, remaining.strip()


def _carries_responsibility(text: str) -> bool:
    found, _rest = parse_responsibility(text)
    return bool(found["lead"] or found["owners"] or found["support"])


def _empty_task(ref: str, section: str | None, title: str, lines: list[str], position: int) -> dict:
    return {"ref": ref, "section": section, "title": title, "lines": lines, "position": position}


def _finish_task(raw: dict, resolver: Resolver, year: int | None, inherited: dict | None = None) -> dict:
    text = "\n".join(line for line in raw["lines"] if line)
    found, remaining = parse_responsibility(text)
    if inherited and not (found["lead"] or found["owners"] or found["support"]):
        # A numbered item under a section that names the departments for all its items.
        for key in ("lead", "owners", "support"):
            found[key] = list(inherited[key])
        found["deadline_text"] = found["deadline_text"] or inherited["deadline_text"]
    unresolved: list[str] = []
    lead = _resolve_names(found["lead"], resolver, unresolved)
    owners = _resolve_names(found["owners"], resolver, unresolved)
    support = _resolve_names(found["support"], resolver, unresolved)
    deadline_text = found["deadline_text"] or None
    deadline = parse_deadline(deadline_text, year) if deadline_text else None
    recurrence = parse_recurrence(deadline_text) if deadline_text else None
    return {
        "ref": raw["ref"],
        "section": raw["section"],
        "text": remaining,
        "lead": lead,
        "owners": owners,
        "support": support,
        "deadline": deadline.isoformat() if deadline else None,
        "deadline_text": deadline_text,
        "recurrence": recurrence or recurrence_in_text(remaining),
        "unresolved": unresolved,
    }


def _expand_sub_items(raw: dict) -> list[dict]:
    """A numbered item whose sub-items （1）（2）… each carry their own departments is a heading: each sub-item is
    a task (`1.2.3.1`, `1.2.3.2`). Otherwise the item is one task with its sub-items in its text."""
    groups: list[tuple[int, list[str]]] = []
    head: list[str] = []
    for line in raw["lines"]:
        marker = match_marker(line)
        if marker and marker[0] == "heading4":
            groups.append((marker[1], [marker[3]]))
        elif groups:
            groups[-1][1].append(line)
        else:
            head.append(line)
    carrying = [g for g in groups if _carries_responsibility("\n".join(g[1]))]
    if len(carrying) < 2 or _carries_responsibility("\n".join(head)):
        return [raw]
    return [
        _empty_task(f"{raw['ref']}.{number}", raw["section"], "", lines, raw["position"] + step / 1000)
        for step, (number, lines) in enumerate(groups, start=1)
    ]


def _split_notice(text: str) -> tuple[dict | None, str, str | None]:
    """A plan is often wrapped in the notice that issues it (关于印发《…》的通知, also without 《》). Returns the
    notice's number, issuer and date, the text of the plan itself and the plan's title as the notice names it."""
    doc = parse_official_document(text, normalised=True, outline=False, _attached=False)
    title = doc["title"] or ""
    match = _NOTICE_TITLE.search(title)
    if not match:
        return None, text, None
    notice = {"doc_number": doc["doc_number"], "issuer": doc["issuer"], "date": doc["date"]}
    plan_title = re.sub(r"\s+", "", match["quoted"] or match["plain"] or "")
    plan_title = re.sub(r"^(?:关于)", "", plan_title)
    lines = text.split("\n")
    title_index = next((i for i, line in enumerate(lines) if line == title or title.endswith(line)), 0)
    for index in range(title_index + 1, len(lines)):
        if lines[index].replace(" ", "") == plan_title:
            return notice, "\n".join(lines[index:]), plan_title
    if doc["attached_text"]:
        return notice, doc["attached_text"], plan_title
    return notice, text, plan_title


def parse_workplan(text: str, *, resolver: Resolver | None = None, normalised: bool = False) -> dict:
    """Parses a work plan. Pass `normalised=True` for text that already went through `normalise_text` (as
    `extract_text` returns it). Never raises for any str; an empty text gives an empty plan."""
    resolver = resolver or seed_resolver
    normalised = (text or "") if normalised else normalise_text(text or "")
    notice, plan_text, notice_plan_title = _split_notice(normalised)
    lines = [line for line in plan_text.split("\n") if line.strip()]
    metadata, used = parse_metadata(lines)
    lines = [line for position, line in enumerate(lines) if position not in used]

    title = None
    if (
        lines
        and match_marker(lines[0]) is None
        and "。" not in lines[0]
        and len(lines[0]) <= 100
        and not lines[0].endswith(("：", ":"))
    ):
        title = lines.pop(0)
    if title is None or (notice_plan_title and not _YEAR.search(title) and _YEAR.search(notice_plan_title)):
        title = notice_plan_title or title or metadata.get("title")
    year_match = _YEAR.search(title or "") or _YEAR.search(notice_plan_title or "")
    year = int(year_match.group(1)) if year_match else None
    if year is None and notice and notice["date"]:
        year = int(notice["date"][:4])

    sections: list[dict] = []
    raw_tasks: list[dict] = []
    part: tuple[int, dict] | None = None  # 一、
    section: tuple[int, dict] | None = None  # （一）
    task: dict | None = None
    section_lines: dict[str, list[str]] = {}
    section_has_tasks: dict[str, bool] = {}

    def current_section_ref() -> str | None:
        if section is not None:
            return section[1]["ref"]
        if part is not None:
            return part[1]["ref"]
        return None

    positions: dict[str, int] = {}
    section_heading_lines: dict[str, str] = {}
    for position, line in enumerate(lines):
        marker = match_marker(line)
        kind = marker[0] if marker else None
        if kind in ("heading1", "heading2"):
            number, rest = marker[1], marker[3]
            heading, own = split_title(kind, rest)
            if kind == "heading1":
                ref = str(number)
                parent = None
            else:
                ref = f"{part[0]}.{number}" if part else str(number)
                parent = part[1]["ref"] if part else None
            entry = {
                "ref": ref,
                "level": 1 if kind == "heading1" else 2,
                "title": heading or rest,
                "parent": parent,
            }
            sections.append(entry)
            # A heading that is a whole sentence (with its departments) is the section's own text too.
            section_lines[ref] = [own] if own and heading else ([rest] if rest and not heading else [])
            section_heading_lines[ref] = rest
            positions[ref] = position
            section_has_tasks[ref] = False
            task = None
            if kind == "heading1":
                part, section = (number, entry), None
            else:
                section = (number, entry)
        elif kind == "heading3":
            number, rest = marker[1], marker[3]
            heading, _own = split_title(kind, rest)
            prefix = ".".join(
                str(n) for n in (part[0] if part else None, section[0] if section else None) if n
            )
            ref = f"{prefix}.{number}" if prefix else str(number)
            task = _empty_task(ref, current_section_ref(), heading, [rest], position)
            raw_tasks.append(task)
            if current_section_ref():
                section_has_tasks[current_section_ref()] = True
                if section is not None and part is not None:
                    section_has_tasks[part[1]["ref"]] = True
        elif task is not None:
            task["lines"].append(line)  # continuation, sub-items （1）, a responsibility line
        elif current_section_ref() is not None:
            section_lines[current_section_ref()].append(line)

    # A section (at any level) without numbered items but with its own departments is a task itself; one with
    # numbered items passes its departments to the items that name none.
    responsibility: dict[str, dict] = {}
    for entry in sections:
        ref = entry["ref"]
        joined = "\n".join(section_lines.get(ref, []))
        if not joined or not _RESPONSIBILITY_WORDS.search(joined):
            continue
        own_lines = (
            [section_heading_lines[ref], *section_lines[ref][1:]]
            if entry["title"] != section_heading_lines[ref]
            else section_lines[ref]
        )
        found, _rest = parse_responsibility("\n".join(own_lines))
        if not (found["lead"] or found["owners"] or found["support"]):
            continue
        if section_has_tasks.get(ref):
            responsibility[ref] = found
            continue
        if any(other["parent"] == ref for other in sections):
            continue
        raw_tasks.append(_empty_task(ref, entry["parent"], entry["title"], own_lines, positions[ref]))
    raw_tasks.sort(key=lambda t: t["position"])
    parents = {entry["ref"]: entry["parent"] for entry in sections}

    def inherited(section_ref: str | None) -> dict | None:
        while section_ref:
            if section_ref in responsibility:
                return responsibility[section_ref]
            section_ref = parents.get(section_ref)
        return None

    tasks = [
        _finish_task(item, resolver, year, inherited(item["section"]))
        for raw in raw_tasks
        for item in _expand_sub_items(raw)
    ]
    for entry in sections:
        entry["text"] = (
            "\n".join(section_lines.get(entry["ref"], [])) if not section_has_tasks.get(entry["ref"]) else ""
        )
    return {"title": title, "year": year, "notice": notice, "sections": sections, "tasks": tasks}
