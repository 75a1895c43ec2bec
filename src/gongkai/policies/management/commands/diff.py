"""`gongkai diff OLD NEW [--json]`: article-by-article comparison of two versions of a policy.

Exit status as diff(1): 0 no difference (formatting alone is none), 1 differences, 2 a file could not be read.
"""

from django.core.management.base import BaseCommand, CommandError

from gongkai.policies.diff import compare_texts, difference_draft
from gongkai.policies.textio import UnreadableFile, read_text

STATUS_LABELS = {"added": "新增", "deleted": "删除", "changed": "修改", "moved": "调整顺序"}


class Command(BaseCommand):
    help = "新旧政策逐条对比 / compare two versions of a policy article by article"

    def add_arguments(self, parser):
        parser.add_argument("old", metavar="OLD")
        parser.add_argument("new", metavar="NEW")
        parser.add_argument("--json", action="store_true", help="以JSON输出")
        parser.add_argument("--draft", action="store_true", help="输出解读用的“新旧政策差异”草稿")

    def handle(self, *args, old, new, json=False, draft=False, **options):
        import json as jsonlib

        try:
            old_text = read_text(old)
            new_text = read_text(new)
        except UnreadableFile as exc:
            raise CommandError(str(exc), returncode=2)
        result = compare_texts(old_text, new_text)
        if json:
            self.stdout.write(jsonlib.dumps(result, ensure_ascii=False, indent=2))
        elif draft:
            self.stdout.write(difference_draft(old_text, new_text, comparison=result))
        else:
            s = result["summary"]
            self.stdout.write(
                f"新增 {s['added']}，删除 {s['deleted']}，修改 {s['changed']}，调整顺序 {s['moved']}，"
                f"仅重新编号 {s['renumbered']}，未变 {s['unchanged']}"
            )
            for item in result["items"]:
                where = item["new_key"] or item["old_key"] or "段落"
                if item["old_key"] and item["new_key"] and item["old_key"] != item["new_key"]:
                    where = f"{item['new_key']}（原{item['old_key']}）"
                self.stdout.write(f"\n[{STATUS_LABELS[item['status']]}] {where}")
                if item["status"] == "changed":
                    self.stdout.write(
                        "".join(
                            f"[-{seg['text']}-]"
                            if seg["op"] == "delete"
                            else f"{{+{seg['text']}+}}"
                            if seg["op"] == "insert"
                            else seg["text"]
                            for seg in item["segments"]
                        )
                    )
                else:
                    self.stdout.write(item["new_text"] or item["old_text"])
        if not result["identical"]:
            self.stdout.flush()
            raise SystemExit(1)
