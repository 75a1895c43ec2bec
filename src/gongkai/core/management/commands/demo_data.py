from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from gongkai import demo_data


class Command(BaseCommand):
    help = "载入演示数据（部门、角色、演示用户、演示政策、法规库） / load the demo data (idempotent)"

    def add_arguments(self, parser):
        parser.add_argument("--no-corpus", action="store_true", help="不导入 ../shared/corpus/laws")

    def handle(self, *args, no_corpus=False, **options):
        for line in demo_data.load_base():
            self.stdout.write(f"  {line}")
        login_file = Path(settings.VAR_DIR) / "demo-login.txt"
        username, password = demo_data.ensure_admin(login_file)
        demo_data.ensure_demo_accounts(login_file)
        created = demo_data.load_demo_policies()
        self.stdout.write(f"演示政策：新建 {created} 件")
        corpus = demo_data.corpus_dir()
        if not no_corpus and corpus.is_dir() and "import_corpus" in get_commands():
            self.stdout.write(f"导入法规库 {corpus} …")
            call_command(
                "import_corpus", str(corpus), "--no-progress", stdout=self.stdout, stderr=self.stderr
            )
        elif not no_corpus and not corpus.is_dir():
            self.stdout.write(f"未找到法规库 {corpus}，跳过")
        seeds = Path(settings.SHARED_DIR) / "seeds"
        plan_file = seeds / "xicheng-2024-workplan.txt"
        from gongkai.supervision.models import Plan

        if plan_file.is_file() and not Plan.objects.exists():
            self.stdout.write(f"导入并公开工作要点 {plan_file.name} …")
            call_command(
                "import_workplan",
                str(plan_file),
                "--year",
                "2024",
                "--confirm",
                "--publish",
                stdout=self.stdout,
            )
        from gongkai.core.demo_steps import run_demo_steps

        for line in run_demo_steps():
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        if password:
            self.stdout.write(
                self.style.SUCCESS(f"管理员账号 / admin user: {username}   密码 / password: {password}")
            )
            self.stdout.write(f"（演示用户及密码已保存到 {login_file}）")
        else:
            self.stdout.write(self.style.SUCCESS(f"管理员账号 / admin user: {username}，密码见 {login_file}"))
