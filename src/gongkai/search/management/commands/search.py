"""`gongkai search QUERY [--limit N] [--json]`: searches the public policy library from the command line."""

import html
import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "检索政策文件库（只检索已公开的文件）/ search the public policy library"

    def add_arguments(self, parser):
        parser.add_argument("query", help="检索词，多个词用空格分开")
        parser.add_argument("--limit", type=int, default=20, help="最多显示多少条（1-100，默认20）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, query, limit, json: bool = False, **options):
        from django.utils.html import strip_tags

        from gongkai.search.service import search_policies

        if not 1 <= limit <= 100:
            raise CommandError("--limit 必须在 1 到 100 之间")
        result = search_policies(query, per_page=limit)
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
            self.stdout.write(_dumps(rows))
            return
        if result.message:
            self.stderr.write(result.message)
        self.stdout.write(f"共 {result.total} 件，显示前 {len(rows)} 件")
        for row in rows:
            self.stdout.write(
                f"[{row['id']}] {row['title']}  {row['doc_number']}  {row['department']}  "
                f"{row['published'] or ''}  {row['validity']}"
            )
            self.stdout.write(f"    {row['snippet']}")


def _dumps(rows):
    return json.dumps(rows, ensure_ascii=False, indent=2)
