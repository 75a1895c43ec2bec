"""政府信息公开目录 (条例 Art. 12 para 3: 索引、名称、内容概述、生成日期): every public information record of the
district, in catalogue form, filtered by 发布机构, 主题分类 and year, and exported to Excel.

The records are the policy library's public documents (`PolicyQuerySet.public()`: published and 主动公开) issued by
a district organ — the search service's `origin=district` filter; documents of organs outside the district
(国务院, ministries …) are in the library but not in the district's catalogue. The filters are the search service's
(`search.service.apply_filters`: department = 发文机构, theme, year = year of 发布日期), so the catalogue and the
policy list always agree; here a value that matches nothing selectable is reported and ignored instead of giving
an empty list.
"""

from __future__ import annotations

import dataclasses
import datetime
import io

from django.utils.translation import gettext as _

SUMMARY_LENGTH = 120  # characters of 内容概述 in the catalogue (the summary, else the opening of the text)
BODY_HEAD = 400  # characters of the text read from the database when a record has no summary
EXPORT_LIMIT = (
    10_000  # rows in one Excel export (the district has a few thousand records; see docs/openness.md)
)
FILTER_KEYS = ("department", "theme", "year")


def records():
    """The district's public records, newest first, with what the catalogue shows (the text only by its head)."""
    from django.db.models.functions import Substr

    from gongkai.policies.models import Policy
    from gongkai.search.service import DISTRICT, apply_filters

    return (
        apply_filters(Policy.objects.public(), {"origin": DISTRICT})
        .select_related("issuer", "theme", "theme__parent")
        .defer("body", "outline", "disclosure_reason")
        .annotate(body_head=Substr("body", 1, BODY_HEAD))
        .order_by("-publish_date", "-pk")
    )


def summary_of(policy) -> str:
    """内容概述: the policy's summary, else the opening of its text, on one line and shortened."""
    from gongkai.search.service import one_line

    text = one_line((policy.summary or getattr(policy, "body_head", "") or "").strip())
    if len(text) > SUMMARY_LENGTH:
        text = text[: SUMMARY_LENGTH - 1].rstrip() + "…"
    return text


@dataclasses.dataclass
class Selection:
    """The filters of a request: the valid ones (for `apply_filters`), the choices offered, what was ignored."""

    filters: dict[str, str]
    departments: list
    themes: list
    years: list[int]
    notices: list[str]

    def chosen(self, key: str) -> str:
        return self.filters.get(key, "")


def select(params) -> Selection:
    """Reads department, theme and year from the query `params`. Only values the catalogue can offer are kept
    (a department or theme with public records, a year with publications); anything else — `year=abc`, an
    unknown or private department, a huge number — is ignored with a message."""
    from gongkai.core.models import Department
    from gongkai.policies.models import Theme

    base = records()
    departments = list(
        Department.objects.filter(pk__in=base.values("issuer_id")).order_by("sort_order", "name")
    )
    themes = list(Theme.objects.filter(pk__in=base.values("theme_id")).select_related("parent"))
    years = [d.year for d in base.order_by().dates("publish_date", "year", order="DESC")]
    allowed = {
        "department": ({d.pk for d in departments}, _("发布机构")),
        "theme": ({t.pk for t in themes}, _("主题分类")),
        "year": (set(years), _("年份")),
    }
    filters: dict[str, str] = {}
    notices: list[str] = []
    for key in FILTER_KEYS:
        raw = (params.get(key) or "").strip()
        if not raw:
            continue
        values, label = allowed[key]
        if raw.isdigit() and len(raw) <= 9 and int(raw) in values:
            filters[key] = str(int(raw))
        else:
            notices.append(
                _("目录中没有%(label)s为“%(value)s”的信息，已忽略这一条件")
                % {"label": label, "value": raw[:20]}
            )
    return Selection(filters, departments, themes, years, notices)


def filtered(selection: Selection):
    from gongkai.search.service import apply_filters

    return apply_filters(records(), selection.filters)


def describe(selection: Selection) -> str:
    """The filters in words, for the export's heading."""
    parts = []
    if "department" in selection.filters:
        name = next(d.name for d in selection.departments if str(d.pk) == selection.filters["department"])
        parts.append(_("发布机构：%(name)s") % {"name": name})
    if "theme" in selection.filters:
        theme = next(t for t in selection.themes if str(t.pk) == selection.filters["theme"])
        parts.append(_("主题分类：%(name)s") % {"name": theme})
    if "year" in selection.filters:
        parts.append(_("年份：%(year)s") % {"year": selection.filters["year"]})
    return "；".join(parts) or _("全部")


def export_xlsx(selection: Selection, *, base_url: str, today: datetime.date | None = None) -> bytes:
    """The catalogue for the filters as an .xlsx. Every text cell is stored as text, never as a formula
    (a title or summary starting with =, +, - or @ stays what it is: as in the search log export,
    search/admin_views.py). Written in openpyxl's write-only mode, so memory stays flat for long exports."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    today = today or datetime.date.today()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("政府信息公开目录"))
    widths = (6, 24, 40, 22, 60, 12, 12, 24, 20, 14, 40)
    for n, width in enumerate(widths, 1):
        ws.column_dimensions[chr(64 + n)].width = width
    ws.freeze_panes = "A4"
    bold = Font(bold=True)

    def text(value):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # text from the records is never a formula (=…, +…, @…)
        return cell

    def day(value):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell

    title = WriteOnlyCell(ws, value=_("政府信息公开目录"))
    title.font = bold
    ws.append([title])
    ws.append(
        [text(_("筛选条件：%(filters)s；导出日期：%(day)s") % {"filters": describe(selection), "day": today})]
    )
    header = [_("序号"), _("索引号"), _("名称"), _("发文字号"), _("内容概述"), _("生成日期"), _("发布日期"),
              _("发布机构"), _("主题分类"), _("体裁"), _("网址")]  # fmt: skip
    cells = []
    for label in header:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    rows = filtered(selection)
    total = rows.count()
    for n, policy in enumerate(rows[:EXPORT_LIMIT].iterator(chunk_size=500), 1):
        ws.append([
            n, text(policy.index_number), text(policy.title), text(policy.doc_number), text(summary_of(policy)),
            day(policy.written_date), day(policy.publish_date), text(policy.issuer.name),
            text(str(policy.theme) if policy.theme_id else ""), text(policy.get_document_kind_display()),
            text(base_url + policy.get_absolute_url()),
        ])  # fmt: skip
    if total > EXPORT_LIMIT:
        ws.append([])
        ws.append([
            text(_("共 %(total)s 条，本表只含前 %(limit)s 条；请按发布机构、主题分类或年份筛选后分别导出。")
                 % {"total": total, "limit": EXPORT_LIMIT})
        ])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
