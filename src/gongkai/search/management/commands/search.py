"""`gongkai search QUERY [--limit N] [--page N] [--sort ...] [--title-only] [--json]`: searches the public policy
library from the command line, a page at a time, and reports the total."""

import html
import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "检索政策文件库（只检索已公开的文件）/ search the public policy library"

    def add_arguments(self, parser):
        parser.add_argument("query", help="检索词，多个词用空格分开")
        parser.add_argument("--limit", type=int, default=20, help="每页多少条（默认20，不设上限）")
        parser.add_argument("--page", type=int, default=1, help="第几页（默认第1页）")
        parser.add_argument(
            "--sort",
            choices=["relevance", "date", "date_asc", "doc_number"],
            default="relevance",
            help="排序：相关度、发布日期（新→旧/旧→新）、发文字号",
        )
        parser.add_argument("--title-only", action="store_true", help="只检索标题和发文字号")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（含总数与页码）")

    def handle(self, *args, query, limit, page, sort, title_only, json: bool = False, **options):
        from django.utils.html import strip_tags

        from gongkai.search.service import SearchOptions, search_policies

        if limit < 1:
            raise CommandError("--limit 必须是正整数")
        if page < 1:
            raise CommandError("--page 必须是正整数")
        result = search_policies(
            query,
            page=page,
            per_page=limit,
            options=SearchOptions(sort=sort, title_only=title_only),
            max_per_page=limit,
        )
        rows = []
        for hit in result.hits:
            policy = hit.policy
            rows.append(
                {
                    "id": policy.pk,
                    "title": policy.title,
                    "doc_number": policy.doc_number,
                    "department": policy.issuer.name if policy.issuer_id else "",
                    "published": policy.publish_date.isoformat() if policy.publish_date else None,
                    "validity": policy.get_validity_display(),
                    "snippet": html.unescape(strip_tags(hit.snippet_html)),
                    "_snippet_html": hit.snippet_html,
                }
            )
        if json:
            for row in rows:
                row.pop("_snippet_html")
            self.stdout.write(
                _dumps(
                    {
                        "total": result.total,
                        "page": result.page,
                        "pages": result.pages,
                        "per_page": result.per_page,
                        "results": rows,
                    }
                )
            )
            return
        if result.message:
            self.stderr.write(result.message)
        if page > result.pages and result.total:
            self.stderr.write(f"没有第 {page} 页（共 {result.pages} 页）")
        first = (result.page - 1) * result.per_page + 1
        shown = f"第 {first}–{first + len(rows) - 1} 件" if rows else "本页没有结果"
        self.stdout.write(f"共 {result.total} 件，第 {result.page} / {result.pages} 页，{shown}")
        for row in rows:
            self.stdout.write(
                f"[{row['id']}] {row['title']}  {row['doc_number']}  {row['department']}  "
                f"{row['published'] or ''}  {row['validity']}"
            )
            self.stdout.write(f"    {row['snippet']}")


def _dumps(rows):
    return json.dumps(rows, ensure_ascii=False, indent=2)
