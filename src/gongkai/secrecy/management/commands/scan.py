"""`gongkai scan FILE [FILE ...] [--json] [--redact OUT]`: the confidentiality and personal-data scan on files.

Prints `{"findings": [{"type", "text", "start", "end", "severity", "rule"}]}` (one file) with --json; with several
files, also `"files"` (findings per file) and `"aggregation"` (identifiers that link the files together).
Exit status: 0 nothing high, 1 a high finding or a high aggregation risk, 2 a file could not be read.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from gongkai.policies.textio import UnreadableFile, read_text
from gongkai.secrecy import scanner
from gongkai.secrecy.aggregation import aggregation_risks
from gongkai.secrecy.models import FindingType, Severity
from gongkai.secrecy.redaction import redact_text


class Command(BaseCommand):
    help = "保密与个人信息检查：扫描文件中的密级标志、身份证号、手机号、银行卡号等 / scan files for classified markings and personal data"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="以JSON输出")
        parser.add_argument("--redact", metavar="OUT", help="把脱敏后的文本写入OUT（仅限一个文件）")
        parser.add_argument(
            "--min-severity",
            choices=["low", "medium", "high"],
            default="low",
            help="只报告不低于该级别的发现",
        )

    def handle(self, *args, files, json=False, redact=None, min_severity="low", **options):
        if redact and len(files) != 1:
            raise CommandError("--redact 只能用于一个文件", returncode=2)
        texts = []
        for name in files:
            try:
                texts.append((name, read_text(name)))
            except UnreadableFile as exc:
                raise CommandError(str(exc), returncode=2)
        floor = scanner.SEVERITY_ORDER[min_severity]
        per_file = {
            name: [f for f in scanner.scan_text(text) if scanner.SEVERITY_ORDER[f.severity] >= floor]
            for name, text in texts
        }
        risks = aggregation_risks(texts, per_file) if len(texts) > 1 else []
        if redact:
            name, text = texts[0]
            result = redact_text(text, per_file[name])
            with open(redact, "w", encoding="utf-8") as out:
                out.write(result.text)
        if json:
            self._print_json(per_file, risks)
        else:
            self._print_text(per_file, risks, redact)
        high = any(scanner.has_high(f) for f in per_file.values()) or any(
            r.severity == scanner.HIGH for r in risks
        )
        if high:
            sys.stdout.flush()
            raise SystemExit(1)

    def _print_json(self, per_file, risks):
        import json as jsonlib

        if len(per_file) == 1:
            data = {"findings": [f.to_dict() for f in next(iter(per_file.values()))]}
        else:
            data = {
                "findings": [dict(f.to_dict(), file=name) for name, fs in per_file.items() for f in fs],
                "files": {name: [f.to_dict() for f in fs] for name, fs in per_file.items()},
                "aggregation": [r.to_dict() for r in risks],
            }
        self.stdout.write(jsonlib.dumps(data, ensure_ascii=False, indent=2))

    def _print_text(self, per_file, risks, redact):
        for name, findings in per_file.items():
            if not findings:
                self.stdout.write(f"{name}：未发现问题")
                continue
            self.stdout.write(f"{name}：{len(findings)} 处")
            for f in findings:
                self.stdout.write(
                    f"  [{Severity(f.severity).label}] {FindingType(f.type).label} “{f.text}” "
                    f"位置 {f.start}-{f.end} 规则 {f.rule}"
                )
        for risk in risks:
            self.stdout.write(f"[汇聚风险·{Severity(risk.severity).label}] {risk.message}")
        if redact:
            self.stdout.write(f"脱敏文本已写入 {redact}")
