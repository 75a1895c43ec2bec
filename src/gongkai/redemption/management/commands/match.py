"""`gongkai match --profile FILE [--json]`: an enterprise profile (JSON) against every current redemption item,
with the explanation condition by condition."""

from __future__ import annotations

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from gongkai.redemption.engine import ELIGIBLE, NOT_ELIGIBLE, RESULT_LABELS, UNKNOWN
from gongkai.redemption.matching import match_profile, record_match
from gongkai.redemption.models import MatchSource

MARKS = {True: "✓", False: "✗", None: "?"}


class Command(BaseCommand):
    help = "企业信息与全部现行兑现事项逐条比对：符合 / 不符合 / 信息不足，并说明每个条件及其出处条款"

    def add_arguments(self, parser):
        parser.add_argument("--profile", required=True, help="企业信息 JSON 文件（- 表示标准输入）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--as-of", help="判断日期 YYYY-MM-DD（默认今天）")
        parser.add_argument(
            "--result",
            action="append",
            choices=[ELIGIBLE, UNKNOWN, NOT_ELIGIBLE],
            help="只输出这些结果（可多次）",
        )
        parser.add_argument("--limit", type=int, help="最多输出几项")

    def handle(self, *args, **options):
        path = options["profile"]
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8-sig") as handle:
                    text = handle.read(1_000_000)
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc.strerror or exc}", returncode=2)
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise CommandError(f"{path} 不是有效的 JSON：{exc}", returncode=2)
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError("--as-of 应为 YYYY-MM-DD", returncode=2)
        report = match_profile(raw, as_of=as_of)
        if report.errors:
            raise CommandError("企业信息有误：" + "；".join(report.errors), returncode=2)
        record_match(report, MatchSource.CLI)
        rows = report.as_json(results=options["result"], limit=options["limit"])
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        counts = report.counts()
        self.stdout.write(
            f"共 {len(report.matches)} 个现行兑现事项：符合 {counts[ELIGIBLE]}，信息不足 {counts[UNKNOWN]}，"
            f"不符合 {counts[NOT_ELIGIBLE]}（判断日期 {report.as_of}）"
        )
        for row in rows:
            met = sum(1 for c in row["conditions"] if c["met"] is True)
            self.stdout.write("")
            self.stdout.write(
                f"[{RESULT_LABELS[row['result']]}] {row['title']}（{row['item']}）满足 {met}/{len(row['conditions'])} 项"
            )
            for c in row["conditions"]:
                given = c["given"] if c["given"] is not None else "未提供"
                self.stdout.write(f"  {MARKS[c['met']]} {c['text']}；要求 {c['required']}，实际 {given}")
                if c["clause"]:
                    self.stdout.write(f"      出处：{c['clause']}")
        provide = report.to_provide()
        if provide:
            self.stdout.write("")
            self.stdout.write("补充以下信息可判断更多事项：")
            for _key, ask, n in provide:
                self.stdout.write(f"  · {ask}（{n} 项）")
