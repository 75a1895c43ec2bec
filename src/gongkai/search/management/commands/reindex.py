"""`gongkai reindex`: rebuilds the policy full-text index (and modelsearch's index of the other models)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from tqdm import tqdm


class Command(BaseCommand):
    help = "重建全文检索索引 / rebuild the full-text search index"

    def add_arguments(self, parser):
        parser.add_argument("--policies-only", action="store_true", help="只重建政策文件索引")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        from gongkai.policies.models import Policy
        from gongkai.search import index

        total = Policy.objects.count()
        with tqdm(
            total=total, desc="政策文件索引", unit="件", disable=options["no_progress"], file=self.stderr
        ) as bar:
            done = index.rebuild(progress=bar.update)
        self.stdout.write(f"政策文件索引已重建：{done} 件")
        if not options["policies_only"]:
            # Images, documents, users …: modelsearch's own index (the policy part is a no-op there).
            call_command("rebuild_modelsearch_index", verbosity=0)
            self.stdout.write("其他内容的检索索引已重建")
