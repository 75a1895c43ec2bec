"""Moves every stored file out of the served folder (MEDIA_ROOT) into the private storage, keeping its name (so
records and revisions still point at it), then makes the public copies of the files of public records (published
主动公开 policies, published interpretations). Each move and each public copy is written to the audit log
(`storage.moved_to_private`, `storage.published_copy`), and a summary is printed."""

import os
import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations

FILE_FIELDS = [
    ("policies", "PolicyAttachment", "file"),
    ("policies", "Interpretation", "image"),
    ("policies", "Interpretation", "media_file"),
    ("disclosure", "DisclosureRequest", "identity_proof"),
    ("disclosure", "ReplyLetter", "docx_file"),
    ("disclosure", "ReplyLetter", "pdf_file"),
    ("disclosure", "ReviewCase", "document"),
    ("disclosure", "DepartmentSeal", "image"),
    ("supervision", "Evidence", "file"),
    ("wagtaildocs", "Document", "file"),
    ("wagtailimages", "Image", "file"),
]
# Folders the old single storage wrote to. Anything left in them (files of old revisions) is private too.
# Wagtail's image renditions ("images/") stay: they are written to the public storage.
OLD_FOLDERS = ["policies", "interpretations", "disclosure", "supervision", "documents", "original_images"]
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".wps": "application/vnd.ms-works",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ofd": "application/ofd",
    ".zip": "application/zip",
    ".txt": "text/plain; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
}


def _inside(root: Path, name: str) -> Path | None:
    path = (root / name).resolve()
    return path if root.resolve() in path.parents else None


def move_files(apps, schema_editor):
    public_root = Path(settings.MEDIA_ROOT)
    private_root = Path(settings.GONGKAI_PRIVATE_MEDIA_ROOT)
    if public_root.resolve() == private_root.resolve():
        return
    AuditEntry = apps.get_model("core", "AuditEntry")
    PublicFile = apps.get_model("core", "PublicFile")
    entries = []

    def move(name: str, label: str, pk) -> bool:
        src, dst = _inside(public_root, name), _inside(private_root, name)
        if src is None or dst is None or not src.is_file() or dst.exists():
            return False
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(src), str(dst))
        entries.append(
            AuditEntry(
                actor_label="系统（数据迁移）",
                action="storage.moved_to_private",
                object_type=label,
                object_id=str(pk),
                object_repr=name[:300],
                after={"from": str(src), "to": str(dst)},
                note="文件移出公开目录，存入私有存储",
            )
        )
        return True

    moved = 0
    for app_label, model_name, field in FILE_FIELDS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        for pk, name in model.objects.exclude(**{field: ""}).values_list("pk", field):
            moved += move(name, model._meta.label_lower, pk)
    for folder in OLD_FOLDERS:
        base = public_root / folder
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            moved += move(str(path.relative_to(public_root)), "storage.file", "-")

    for folder in OLD_FOLDERS:  # the emptied folders of the old layout
        base = public_root / folder
        if base.is_dir():
            for path in sorted((p for p in base.rglob("*") if p.is_dir()), reverse=True):
                if not any(path.iterdir()):
                    path.rmdir()
            if not any(base.iterdir()):
                base.rmdir()

    published = 0

    def publish(owner_label: str, owner_pk, name: str, download: str):
        nonlocal published
        src = _inside(private_root, name)
        if not name or src is None or not src.is_file() or PublicFile.objects.filter(source_name=name).exists():
            return
        ext = os.path.splitext(name)[1].lower()
        token = secrets.token_hex(16)
        public_name = f"{token[:2]}/{token}{ext}"
        dst = public_root / public_name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        PublicFile.objects.create(
            source_name=name,
            public_name=public_name,
            owner_type=owner_label,
            owner_id=str(owner_pk),
            download_name=(download or os.path.basename(name))[:200],
            content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
            size=src.stat().st_size,
        )
        entries.append(
            AuditEntry(
                actor_label="系统（数据迁移）",
                action="storage.published_copy",
                object_type=owner_label,
                object_id=str(owner_pk),
                object_repr=name[:300],
                after={"public_name": public_name},
                note="公开记录的文件：在公开存储中建立副本",
            )
        )
        published += 1

    try:
        Policy = apps.get_model("policies", "Policy")
        Attachment = apps.get_model("policies", "PolicyAttachment")
        Interpretation = apps.get_model("policies", "Interpretation")
    except LookupError:
        Policy = None
    if Policy is not None:
        public = Policy.objects.filter(live=True, disclosure="proactive")
        for att in Attachment.objects.filter(policy__in=public).exclude(file=""):
            ext = os.path.splitext(att.file.name)[1].lower()
            publish("policies.policy", att.policy_id, att.file.name, f"{att.title}{ext}")
        for item in Interpretation.objects.filter(status="published", policies__in=public).distinct():
            for field in ("image", "media_file"):
                name = getattr(item, field).name
                if name:
                    publish("policies.interpretation", item.pk, name, f"{item.title}{os.path.splitext(name)[1]}")

    AuditEntry.objects.bulk_create(entries)
    if moved or published:
        print(f"\n  文件迁移：{moved} 个文件移入私有存储，{published} 个公开记录的文件建立公开副本（见审计日志）")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_public_files"),
        ("policies", "0006_private_files_and_question_scan"),
        ("disclosure", "0003_private_files"),
        ("supervision", "0003_private_evidence_files"),
        ("wagtaildocs", "__first__"),
        ("wagtailimages", "__first__"),
    ]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
