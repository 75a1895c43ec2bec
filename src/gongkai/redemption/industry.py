"""The national industry classification 《国民经济行业分类》(GB/T 4754-2017 with amendment No. 1 of 2019): its
sections (门类, A–T) and divisions (大类, 01–97), the two levels the tag library offers.

The classification is data, not code: `data/gbt4754-2017.csv` is generated from the standard's published table
(`data/gbt4754-2017-source.txt`, the 门类 and 大类 rows of the table as 国家统计局 publishes it) by

    python -m gongkai.redemption.industry data/gbt4754-2017-source.txt data/gbt4754-2017.csv

The generator also accepts the full published table (中类 and 小类 rows are skipped), checks that the codes run
in order without gaps and computes each section's note (本门类包括××～××大类). A test regenerates the CSV and
compares it with the shipped file.

Finer codes (中类 three digits, 小类 four digits) are accepted wherever an industry is given; they belong to the
division named by their first two digits. The size standard (`size_standard.py`) needs some of them.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE_FILE = DATA_DIR / "gbt4754-2017-source.txt"
TABLE_FILE = DATA_DIR / "gbt4754-2017.csv"
STANDARD = "GB/T 4754-2017"

SECTION = "section"
DIVISION = "division"

_ROW = re.compile(r"^\s*(?P<code>[A-T]|\d{2,4})[\t ]+(?P<name>\S.*?)\s*$")
_CODE = re.compile(r"^(?:[A-Ta-t]|\d{2,4})$")


class TableError(ValueError):
    """The source table is not a valid GB/T 4754 section/division list."""


def build_table(lines) -> list[dict]:
    """Rows (code, name, level, parent, note) of the sections and divisions in `lines` (the published table,
    one category a line: code, whitespace, name). Raises `TableError` when the list is broken."""
    rows: list[dict] = []
    section = None
    expected_division = 1
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ROW.match(line)
        if not match:
            raise TableError(f"第{number}行无法识别：{line[:40]}")
        code, name = match["code"], match["name"].split("\t")[0].strip()
        if code.isalpha():
            expected = "A" if section is None else chr(ord(section["code"]) + 1)
            if code != expected:
                raise TableError(f"第{number}行：门类应为 {expected}，实为 {code}")
            section = {"code": code, "name": name, "level": SECTION, "parent": "", "note": "", "first": None}
            rows.append(section)
        elif len(code) == 2:
            if section is None:
                raise TableError(f"第{number}行：大类 {code} 之前没有门类")
            if int(code) != expected_division:
                raise TableError(f"第{number}行：大类应为 {expected_division:02d}，实为 {code}")
            expected_division += 1
            section["first"] = section["first"] or code
            section["last"] = code
            rows.append(
                {"code": code, "name": name, "level": DIVISION, "parent": section["code"], "note": ""}
            )
        # 中类 / 小类 rows of the full table are not part of the tag library.
    for row in rows:
        if row["level"] == SECTION:
            if not row.get("first"):
                raise TableError(f"门类 {row['code']} 下没有大类")
            first, last = row.pop("first"), row.pop("last")
            if first == last:
                row["note"] = f"本门类包括{first}大类"
            elif int(last) - int(first) == 1:
                row["note"] = f"本门类包括{first}和{last}大类"
            else:
                row["note"] = f"本门类包括{first}～{last}大类"
    return rows


def write_table(rows, out) -> None:
    writer = csv.DictWriter(out, fieldnames=["code", "name", "level", "parent", "note"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def table_text(source: Path = SOURCE_FILE) -> str:
    buffer = io.StringIO()
    with open(source, encoding="utf-8") as handle:
        write_table(build_table(handle), buffer)
    return buffer.getvalue()


@functools.cache
def load_table() -> tuple[dict, ...]:
    """The shipped table, in the standard's order."""
    with open(TABLE_FILE, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@functools.cache
def _by_code() -> dict[str, dict]:
    return {row["code"]: row for row in load_table()}


def sections() -> list[dict]:
    return [r for r in load_table() if r["level"] == SECTION]


def divisions() -> list[dict]:
    return [r for r in load_table() if r["level"] == DIVISION]


def normalise_code(code) -> str | None:
    """'c' → 'C', ' 6513 ' → '6513', 'I65' → '65', 'C3911' → '3911'; None when it is not a GB/T 4754 code."""
    if code is None:
        return None
    text = str(code).strip().upper().replace(" ", "")
    if len(text) >= 3 and text[0].isalpha() and text[1:].isdigit():
        text = text[1:]  # the section letter written before the digits (I65)
    if not _CODE.match(text):
        return None
    if text.isdigit() and text[:2] not in _by_code():
        return None
    return text


def division_of(code: str) -> str | None:
    code = normalise_code(code)
    if code is None or code.isalpha():
        return None
    return code[:2]


def section_of(code: str) -> str | None:
    code = normalise_code(code)
    if code is None:
        return None
    if code.isalpha():
        return code
    row = _by_code().get(code[:2])
    return row["parent"] if row else None


def ancestors(code: str) -> tuple[str, ...]:
    """The code and every level above it, most specific first: '6513' → ('6513', '651', '65', 'I')."""
    code = normalise_code(code)
    if code is None:
        return ()
    if code.isalpha():
        return (code,)
    chain = [code[:n] for n in range(len(code), 1, -1)]
    section = section_of(code)
    return tuple(chain + ([section] if section else []))


def name_of(code: str) -> str:
    code = normalise_code(code) or ""
    row = _by_code().get(code) or _by_code().get(code[:2])
    return row["name"] if row else ""


def label_of(code: str) -> str:
    """'65' → 'I65 软件和信息技术服务业' as statistical forms write it; sections as 'I 信息传输、…'."""
    code = normalise_code(code)
    if code is None:
        return ""
    if code.isalpha():
        return f"{code} {name_of(code)}"
    return f"{section_of(code)}{code} {name_of(code)}"


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) != 2:
        print("用法：python -m gongkai.redemption.industry 源表.txt 输出.csv", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        rows = build_table(handle)
    with open(argv[1], "w", encoding="utf-8", newline="") as out:
        write_table(rows, out)
    print(
        f"{sum(r['level'] == SECTION for r in rows)} 个门类，{sum(r['level'] == DIVISION for r in rows)} 个大类"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
