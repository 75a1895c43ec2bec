"""`gongkai check-doc-number [FILE|-] [--json]`: checks 发文字号, one a line (see docs/commands.md).

With `--json` it prints exactly one JSON object per input line, in order (JSON Lines):
`{"input": …, "valid": …, "normalised": …, "problems": [{"code", "message"}]}`. `input` is the line as read
(its line break removed, invisible characters kept). No database is used.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from gongkai.documents.doc_number import check_doc_number

from ._common import UNREADABLE_EXIT_CODE


def decode_line(raw: bytes) -> str:
    """UTF-8, else GB18030 (files saved by Chinese Windows), else UTF-8 with replacement characters."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def read_lines(data: bytes) -> list[str]:
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the line break at the end of the file does not start another line
    return [decode_line(line[:-1] if line.endswith(b"\r") else line) for line in lines]


class Command(BaseCommand):
    help = "检查发文字号（每行一个）并给出规范写法 / check document numbers, one per line"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="文件路径；“-”或省略表示标准输入")
        parser.add_argument("--json", action="store_true", help="每行输出一个 JSON 对象（JSON Lines）")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as handle:
                    data = handle.read()
        except FileNotFoundError:
            raise CommandError(f"文件“{path}”无法读取：文件不存在", returncode=UNREADABLE_EXIT_CODE)
        except IsADirectoryError:
            raise CommandError(
                f"文件“{path}”无法读取：这是一个目录，不是文件", returncode=UNREADABLE_EXIT_CODE
            )
        except OSError as exc:
            raise CommandError(
                f"文件“{path}”无法读取：{exc.strerror or exc}", returncode=UNREADABLE_EXIT_CODE
            )
        out = []
        valid = 0
        for line in read_lines(data):
            check = check_doc_number(line)
            valid += check.valid
            if options["json"]:
                record = {
                    "input": line,
                    "valid": check.valid,
                    "normalised": check.normalised,
                    "problems": check.problem_dicts(),
                }
                out.append(json.dumps(record, ensure_ascii=False))
            elif check.valid:
                out.append(f"✓ {line}")
            else:
                problems = "；".join(p.message for p in check.problems)
                arrow = f" → {check.normalised}" if check.repairable else ""
                out.append(f"✗ {line}{arrow}（{problems}）")
        if out:
            self.stdout.write("\n".join(out))
        if not options["json"]:
            self.stderr.write(f"共 {len(out)} 个，规范 {valid} 个，不规范 {len(out) - valid} 个")
