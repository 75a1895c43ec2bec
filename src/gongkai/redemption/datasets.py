"""Reading an enterprise dataset (.xlsx or .csv, as departments export them from registration and tax systems):
headers in Chinese are matched to facts, each row normalised; broken rows are reported with their row number and
the reason, the rest is kept.

Columns: 统一社会信用代码 and 企业名称 are required; every other column whose header names a fact (see
`facts.FACTS`: 所属行业/行业代码, 从业人员, 营业收入, 资产总额, 成立日期, 注册地街道, 资质, 企业规模, 纳税总额, 研发费用,
无严重违法失信记录 …) is read; other columns (法定代表人, 联系电话 …) are ignored and never stored.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import unicodedata

from django.conf import settings

from gongkai.secrecy.scanner import is_valid_credit_code

from .facts import FACTS, TAGS, _norm_key, fact_for, normalise_value
from .tags import PERSON

CODE_HEADERS = {"统一社会信用代码", "信用代码", "社会信用代码", "creditcode", "uscc", "统一代码"}
NAME_HEADERS = {"企业名称", "名称", "单位名称", "市场主体名称", "name", "纳税人名称"}
MAX_ERRORS_KEPT = 500


class DatasetRejected(ValueError):
    """The file cannot be read at all (no header, missing required columns, no valid row …)."""


@dataclasses.dataclass
class ParsedRecord:
    row_number: int
    credit_code: str
    name: str
    is_individual: bool
    facts: dict


@dataclasses.dataclass
class ParsedDataset:
    columns: dict  # header as written -> fact key / "credit_code" / "name"
    ignored: list
    records: list
    errors: list  # [{"row": n, "messages": [...]}]
    error_count: int


def _rows_from_xlsx(path_or_file):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path_or_file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise DatasetRejected(f"无法读取 Excel 文件：{exc.__class__.__name__}")
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DatasetRejected("无法识别 CSV 文件的文字编码")
    return str(best)


def _rows_from_csv(data: bytes):
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def read_rows(name: str, file):
    """Rows (lists of cells) of the first sheet or the CSV."""
    ext = os.path.splitext(name)[1].lower()
    file.seek(0)
    if ext == ".xlsx":
        return _rows_from_xlsx(file)
    if ext == ".csv":
        return _rows_from_csv(file.read())
    raise DatasetRejected("只支持 .xlsx 或 .csv 文件")


def _cell(value) -> str | object:
    if value is None:
        return ""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def parse_rows(rows, tags, *, max_rows: int | None = None) -> ParsedDataset:
    max_rows = max_rows or settings.GONGKAI_MAX_DATASET_ROWS
    iterator = iter(rows)
    header = None
    header_row = 0
    for number, row in enumerate(iterator, 1):
        cells = [str(_cell(c)) for c in row]
        if any(cells):
            header, header_row = cells, number
            break
        if number > 20:
            break
    if not header:
        raise DatasetRejected("文件中没有表头行")
    columns: dict[int, str] = {}
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    for index, title in enumerate(header):
        key = _norm_key(title)
        if not key:
            continue
        if key in {_norm_key(h) for h in CODE_HEADERS}:
            target = "credit_code"
        elif key in {_norm_key(h) for h in NAME_HEADERS}:
            target = "name"
        else:
            fact = fact_for(title)
            target = fact.key if fact else None
        if target is None:
            ignored.append(title)
            continue
        if target in columns.values():
            raise DatasetRejected(f"表头“{title}”与另一列重复（都表示“{_target_label(target)}”）")
        columns[index] = target
        mapping[title] = target
    missing = [
        label
        for target, label in (("credit_code", "统一社会信用代码"), ("name", "企业名称"))
        if target not in columns.values()
    ]
    if missing:
        raise DatasetRejected("缺少必需的列：" + "、".join(missing))
    if len(columns) == 2:
        raise DatasetRejected("没有可用于判断条件的企业信息列（如 行业代码、从业人员、营业收入、成立日期）")
    records: list[ParsedRecord] = []
    errors: list[dict] = []
    error_count = 0
    seen: set[str] = set()
    for number, row in enumerate(iterator, header_row + 1):
        cells = [_cell(c) for c in row]
        if not any(str(c) for c in cells):
            continue
        if len(records) + error_count >= max_rows:
            raise DatasetRejected(f"超过 {max_rows} 行的上限，请拆分后上传")
        messages: list[str] = []
        facts: dict = {}
        code = name = ""
        for index, target in columns.items():
            value = cells[index] if index < len(cells) else ""
            if target == "credit_code":
                code = str(value).upper().replace(" ", "")
                continue
            if target == "name":
                name = str(value)[:200]
                continue
            if value == "" or value is None:
                continue
            fact = FACTS[target]
            try:
                facts[target] = normalise_value(fact, value, tags)
            except ValueError as exc:
                messages.append(str(exc))
        if not code:
            messages.insert(0, "缺少统一社会信用代码")
        elif not is_valid_credit_code(code):
            messages.insert(0, f"统一社会信用代码“{code[:20]}”不正确（GB 32100 校验不通过）")
        elif code in seen:
            messages.insert(0, f"统一社会信用代码“{code}”在文件中重复")
        if not name:
            messages.append("缺少企业名称")
        if messages:
            error_count += 1
            if len(errors) < MAX_ERRORS_KEPT:
                errors.append({"row": number, "credit_code": code[:18], "messages": messages})
            continue
        seen.add(code)
        individual = code.startswith("92") or facts.get("entity_type") == PERSON
        for key, value in list(facts.items()):
            if FACTS[key].kind == TAGS and not value:
                facts[key] = []
        records.append(ParsedRecord(number, code, name, individual, facts))
    return ParsedDataset(mapping, ignored, records, errors, error_count)


def _target_label(target: str) -> str:
    if target == "credit_code":
        return "统一社会信用代码"
    if target == "name":
        return "企业名称"
    return FACTS[target].label


def parse_file(name: str, file, tags, *, max_rows=None) -> ParsedDataset:
    return parse_rows(read_rows(name, file), tags, max_rows=max_rows)


TEMPLATE_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "行业代码",
    "从业人员",
    "营业收入（万元）",
    "资产总额（万元）",
    "成立日期",
    "注册地街道",
    "资质",
    "纳税总额",
    "研发费用",
    "无严重违法失信记录",
]


def template_xlsx() -> bytes:
    """An empty workbook with the recognised headers and one explained example row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业数据"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(
        ["91110102MA01XXXXXX（示例，请删除）", "北京示例科技有限公司", "65", 120, 5600, 3200, "2018-06-01",
         "金融街街道", "高新技术企业、专精特新", 320, 560, "是"]
    )  # fmt: skip
    for column in "ABCDEFGHIJKL":
        sheet.column_dimensions[column].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
