from django.core.management.base import BaseCommand

from gongkai.core.roles import ensure_roles
from gongkai.core.seed_departments import seed_departments


class Command(BaseCommand):
    help = "创建部门、角色等基础数据（可重复运行） / seed departments and roles (idempotent)"

    def handle(self, *args, **options):
        count = seed_departments()
        ensure_roles()
        from gongkai.core.setup_hooks import run_setup_hooks

        for line in run_setup_hooks():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"部门 {count} 个，角色已就绪"))
