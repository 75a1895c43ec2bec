"""`gongkai reindex`: rebuilds the policy full-text index (and modelsearch's index of the other models)."""

import time

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
        started = time.monotonic()
        with tqdm(
            total=total, desc="政策文件索引", unit="件", disable=options["no_progress"], file=self.stderr
        ) as bar:
            done = index.rebuild(progress=bar.update, stage=bar.set_description)
        seconds = time.monotonic() - started
        rate = f"，{done / seconds:,.0f} 件/秒" if seconds > 0 and done else ""
        self.stdout.write(f"政策文件索引已重建：{done} 件，用时 {seconds:.1f} 秒{rate}")
        if not options["policies_only"]:
            count = rebuild_other_indexes()
            self.stdout.write(f"其他内容（页面、图片、文档等）的检索索引已重建：{count} 条")


def rebuild_other_indexes(chunk_size: int = 1000) -> int:
    """Images, documents, pages …: modelsearch's own index, rebuilt as Wagtail's `update_index` does, without
    the policies (done above)."""
    from modelsearch.index import get_indexed_models
    from wagtail.search.backends import get_search_backend
    from wagtail.search.management.commands.update_index import group_models_by_index

    from gongkai.policies.models import Policy

    backend = get_search_backend()
    models = [m for m in get_indexed_models() if not issubclass(m, Policy)]
    count = 0
    for index, index_models in group_models_by_index(backend, models).items():
        rebuilder = backend.rebuilder_class(index)
        target = rebuilder.start()
        for model in index_models:
            target.add_model(model)
            objects = list(model.get_indexed_objects().order_by("pk"))
            for start in range(0, len(objects), chunk_size):
                target.add_items(model, objects[start : start + chunk_size])
            count += len(objects)
        rebuilder.finish()
    return count
