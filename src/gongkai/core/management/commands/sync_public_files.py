from django.core.management.base import BaseCommand

from gongkai.core.storage import sync_everything


class Command(BaseCommand):
    help = "核对公开存储：公开记录的文件建立副本，非公开记录的副本删除，清除无主文件 / re-check the public file copies"

    def add_arguments(self, parser):
        parser.add_argument("--keep-orphans", action="store_true", help="不删除公开目录中没有登记的文件")

    def handle(self, *args, keep_orphans=False, **options):
        totals = sync_everything(remove_orphans=not keep_orphans)
        self.stdout.write(
            f"新建公开副本 {totals.get('added', 0)} 个，撤下 {totals.get('removed', 0)} 个，"
            f"清除无主文件 {totals.get('orphans', 0)} 个"
        )
