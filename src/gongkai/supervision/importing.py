"""Turns the dict `gongkai.documents.workplan.parse_workplan` returns into plan data: sections, tasks and
departments resolved to `core.Department`. Pure functions; the actions write the result."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
from decimal import Decimal

from gongkai.core.departments import collective_kind, members_of_collective, resolve_department

from .models import AssignmentRole, Recurrence
from .refs import display_ref

MAX_TASKS = 2000
MAX_TEXT = 20000
ROLE_RANK = {AssignmentRole.LEAD: 0, AssignmentRole.RESPONSIBLE: 1, AssignmentRole.SUPPORTING: 2}


class ImportRejected(ValueError):
    """The input is not a parsed work plan at all (nothing can be imported)."""


class DuplicatePlan(ImportRejected):
    """The plan was imported before (same content, or same title, year and 文号): refused unless the import is
    asked to update the existing plan in place."""

    def __init__(self, plan, why: str):
        self.plan = plan
        super().__init__(
            f"该计划已导入：《{plan.title}》（编号 {plan.pk}，{plan.year}年，{plan.get_status_display()}）"
            f"，{why}。如需用这份文件更新它，请选择“更新已有计划”（命令行 --update）"
        )


@dataclasses.dataclass
class TaskDraft:
    ref: str
    text: str
    section_key: str
    deadline: datetime.date | None
    deadline_text: str
    recurrence: str
    assignments: dict  # department pk -> role
    departments_text: str
    unresolved: list[str]
    problems: list[str]
    weight: Decimal = Decimal("1")
    ref_label: str = ""


@dataclasses.dataclass
class SectionDraft:
    key: str
    ref: str
    title: str
    parent_key: str | None


def _text(value, limit=MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return value.replace("\x00", "").strip()[:limit]


def _notice_field(notice, key: str, limit: int) -> str:
    return _text(notice.get(key), limit) if isinstance(notice, dict) else ""


def _notice_text(notice) -> str:
    """The parser gives the issuing notice as {"doc_number","issuer","date"} (or None); older input as text."""
    if isinstance(notice, dict):
        parts = [_text(notice.get(k), 100) for k in ("issuer", "doc_number", "date")]
        return " ".join(p for p in parts if p)
    return _text(notice)


def _names(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    return [_text(v, 100) for v in value if _text(v, 100)]


def parse_date(value) -> tuple[datetime.date | None, str | None]:
    """An ISO date from the parser, or (None, problem)."""
    if value in (None, ""):
        return None, None
    if isinstance(value, datetime.date):
        return value, None
    try:
        return datetime.date.fromisoformat(_text(value, 30)), None
    except ValueError:
        return None, f"完成时限“{_text(value, 30)}”不是有效日期"


def resolve_names(names: list[str]) -> tuple[list, list[str]]:
    """Department names (single or collective) → (departments, names that could not be resolved)."""
    found, unresolved = [], []
    for name in names:
        kind = collective_kind(name)
        if kind:
            members = list(members_of_collective(kind))
            if members:
                found.extend(members)
                continue
            unresolved.append(name)
            continue
        dept = resolve_department(name)
        if dept is None:
            unresolved.append(name)
        else:
            found.append(dept)
    return found, unresolved


def _section_entries(parsed_sections) -> list[SectionDraft]:
    """Accepts sections as dicts ({"ref","title","parent"?}) or plain strings."""
    drafts: list[SectionDraft] = []
    if not isinstance(parsed_sections, (list, tuple)):
        return drafts
    for i, entry in enumerate(parsed_sections[:500]):
        if isinstance(entry, dict):
            ref = _text(entry.get("ref"), 40)
            title = _text(entry.get("title") or entry.get("heading") or entry.get("text"), 300)
            parent = entry.get("parent")
            parent_key = _text(parent, 300) if parent else None
        else:
            ref, title, parent_key = "", _text(entry, 300), None
        if not (ref or title):
            continue
        drafts.append(SectionDraft(key=ref or title or str(i), ref=ref, title=title, parent_key=parent_key))
    return drafts


def section_lookup(sections: list[SectionDraft]) -> dict[str, str]:
    lookup = {}
    for s in sections:
        for k in (s.key, s.ref, s.title, f"{s.ref}{s.title}", f"{s.ref} {s.title}"):
            if k:
                lookup.setdefault(k, s.key)
    return lookup


def build_drafts(parsed) -> tuple[dict, list[SectionDraft], list[TaskDraft]]:
    """Checks and converts a parsed plan. Raises ImportRejected when it has no tasks to import; every problem
    with a single task is recorded on that task (the rest are still imported)."""
    if not isinstance(parsed, dict):
        raise ImportRejected("解析结果格式不正确：应为对象")
    tasks = parsed.get("tasks")
    if not isinstance(tasks, (list, tuple)) or not tasks:
        raise ImportRejected("未从文件中识别出任何任务，请检查文件内容")
    if len(tasks) > MAX_TASKS:
        raise ImportRejected(f"任务数量超过上限（{MAX_TASKS}）")
    head = {
        "title": _text(parsed.get("title"), 200),
        "notice": _notice_text(parsed.get("notice")),
        "doc_number": _notice_field(parsed.get("notice"), "doc_number", 80),
        "issuer": _notice_field(parsed.get("notice"), "issuer", 200),
        "year": None,
    }
    year = parsed.get("year")
    try:
        head["year"] = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        head["year"] = None
    sections = _section_entries(parsed.get("sections"))
    lookup = section_lookup(sections)
    drafts: list[TaskDraft] = []
    for i, raw in enumerate(tasks):
        if not isinstance(raw, dict):
            drafts.append(
                TaskDraft(
                    str(i + 1),
                    _text(raw),
                    "",
                    None,
                    "",
                    "",
                    {},
                    "",
                    [],
                    [f"第{i + 1}项不是任务对象，已保留原文待修正"],
                )
            )
            continue
        problems: list[str] = []
        text = _text(raw.get("text"))
        if not text:
            problems.append("任务内容为空")
        deadline, date_problem = parse_date(raw.get("deadline"))
        if date_problem:
            problems.append(date_problem)
        recurrence = _text(raw.get("recurrence"), 20) or ""
        if recurrence not in Recurrence.values:
            problems.append(f"未知的周期“{recurrence}”，已按一次性任务处理")
            recurrence = ""
        assignments: dict[int, str] = {}
        unresolved = _names(raw.get("unresolved"))
        names_text = []
        for key, role in (
            ("lead", AssignmentRole.LEAD),
            ("owners", AssignmentRole.RESPONSIBLE),
            ("support", AssignmentRole.SUPPORTING),
        ):
            names = _names(raw.get(key))
            names_text += names
            depts, missing = resolve_names(names)
            unresolved += missing
            for dept in depts:
                current = assignments.get(dept.pk)
                if current is None or ROLE_RANK[role] < ROLE_RANK[current]:
                    assignments[dept.pk] = role
        unresolved = list(dict.fromkeys(unresolved))
        if not any(r != AssignmentRole.SUPPORTING for r in assignments.values()):
            problems.append("没有识别出负责部门")
        if unresolved:
            problems.append("未识别的部门：" + "、".join(unresolved))
        if deadline is None and recurrence == "":
            problems.append("没有完成时限")
        section_raw = _text(raw.get("section"), 300)
        drafts.append(
            TaskDraft(
                ref=_text(raw.get("ref"), 40) or str(i + 1),
                text=text,
                section_key=lookup.get(section_raw, section_raw),
                deadline=deadline,
                deadline_text=_text(raw.get("deadline_text"), 100),
                recurrence=recurrence,
                assignments=assignments,
                departments_text="、".join(names_text)[:500],
                unresolved=unresolved,
                problems=problems,
            )
        )
    if head["year"] is None:
        years = [d.deadline.year for d in drafts if d.deadline]
        head["year"] = max(set(years), key=years.count) if years else None
    section_refs = {s.ref for s in sections if s.ref}
    for draft in drafts:
        draft.ref_label = display_ref(draft.ref, section_refs=section_refs)[:60]
    head["content_hash"] = content_hash(head, drafts)
    return head, sections, drafts


_SPACE = re.compile(r"\s+")


def content_hash(head: dict, drafts: list[TaskDraft]) -> str:
    """A fingerprint of what a plan says — its title and every task's reference, text, deadline and departments as
    written — the same whether the plan came as .docx, .pdf or .txt (white space does not count)."""

    def norm(value) -> str:
        return _SPACE.sub("", str(value or ""))

    payload = [
        norm(head.get("title")),
        [
            [
                norm(d.ref),
                norm(d.text),
                d.deadline.isoformat() if d.deadline else "",
                norm(d.deadline_text),
                d.recurrence,
                norm(d.departments_text),
            ]
            for d in drafts
        ],
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()
