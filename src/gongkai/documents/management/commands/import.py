"""`gongkai import FILE...`: draft policies from documents, with a progress bar and a summary."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gongkai.core.departments import resolve_department
from gongkai.documents.actions import CREATED, FAILED, STATUS_LABELS, UNCHANGED, UPDATED, import_document


class Command(BaseCommand):
    help = "导入公文为政策文件草稿（按内容去重；重复导入时按文件更正元数据） / import documents as draft policies"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="文件路径（.txt .md .docx .pdf .html）")
        parser.add_argument("--issuer", help="文中发文机关无法识别时使用的部门（名称或简称）")
        parser.add_argument("--user", help="以该用户身份导入（默认：系统）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        default_issuer = None
        if options["issuer"]:
            default_issuer = resolve_department(options["issuer"])
            if default_issuer is None:
                raise CommandError(f"未知的部门：{options['issuer']}", returncode=2)
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"未知的用户：{options['user']}", returncode=2)
        from tqdm import tqdm

        files = options["files"]
        outcomes = []
        progress = tqdm(files, unit="件", file=sys.stderr, disable=options["no_progress"] or len(files) < 2)
        for path in progress:
            outcome = import_document(path, actor=actor, default_issuer=default_issuer)
            outcomes.append(outcome)
            progress.set_postfix_str(STATUS_LABELS[outcome.status])
        counts = {
            status: sum(1 for o in outcomes if o.status == status)
            for status in (CREATED, UPDATED, UNCHANGED, FAILED)
        }
        for outcome in outcomes:
            if outcome.status == FAILED:
                self.stderr.write(f"失败 {outcome.filename}：{outcome.reason}")
            else:
                policy = outcome.policy
                self.stdout.write(f"{outcome.status_label} {outcome.filename} → #{policy.pk} {policy.title}")
                if outcome.changed:
                    self.stdout.write(f"  更正的字段：{'、'.join(outcome.changed)}")
            for warning in outcome.warnings:
                self.stdout.write(f"  提示：{warning}")
        self.stdout.write(
            f"新建 {counts[CREATED]} 件，更正 {counts[UPDATED]} 件，未变化 {counts[UNCHANGED]} 件，"
            f"失败 {counts[FAILED]} 件（共 {len(outcomes)} 件）"
        )
        if counts[FAILED] and not (counts[CREATED] or counts[UPDATED] or counts[UNCHANGED]):
            raise CommandError("没有文件导入成功", returncode=2)
