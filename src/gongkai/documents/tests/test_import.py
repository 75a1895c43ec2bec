"""`import_document` (the action), the three commands and the admin upload-and-preview."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core import roles
from gongkai.core.models import AuditEntry
from gongkai.documents.actions import CREATED, FAILED, UNCHANGED, import_document
from gongkai.policies.models import Policy

from .conftest import SAMPLE_DOCUMENT, docx_bytes, pdf_bytes, scanned_pdf_bytes, seed_text

pytestmark = pytest.mark.django_db


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_import_creates_a_draft_with_the_parsed_metadata(departments, tmp_path):
    outcome = import_document(write(tmp_path, "doc.txt", SAMPLE_DOCUMENT), actor=None)
    assert outcome.status == CREATED, outcome.reason
    policy = outcome.policy
    assert policy.live is False
    assert policy.title == "北京市西城区人民政府办公室关于印发《西城区促进中小企业发展若干措施》的通知"
    assert policy.doc_number == "京西政办发〔2024〕3号"
    assert policy.issuer == departments["区政府办"]
    assert list(policy.joint_issuers.all()) == [departments["区财政局"]]
    assert str(policy.written_date) == "2024-03-01" and str(policy.publish_date) == "2024-03-05"
    assert policy.disclosure == "proactive"
    assert policy.body.startswith("现将《西城区促进中小企业发展若干措施》")
    assert policy.source_path.endswith("doc.txt")
    assert AuditEntry.objects.filter(action="document.import", object_id=str(policy.pk)).exists()
    assert AuditEntry.objects.filter(action="policy.create", object_id=str(policy.pk)).exists()


def test_import_is_idempotent_by_content(departments, tmp_path):
    first = import_document(write(tmp_path, "a.txt", SAMPLE_DOCUMENT), actor=None)
    again = import_document(write(tmp_path, "b.docx", docx_bytes(SAMPLE_DOCUMENT.split("\n"))), actor=None)
    assert first.status == CREATED
    assert again.status == UNCHANGED and again.policy.pk == first.policy.pk
    assert Policy.objects.count() == 1


def test_unknown_issuer_fails_with_a_reason_or_uses_the_default(departments, tmp_path):
    path = write(tmp_path, "x.txt", "关于某事的通知\n各部门：\n正文。\n某某研究会\n2024年5月6日")
    outcome = import_document(path, actor=None)
    assert (
        outcome.status == FAILED and "无法确定发文机构" in outcome.reason and "某某研究会" in outcome.reason
    )
    outcome = import_document(path, actor=None, default_issuer=departments["区财政局"])
    assert outcome.status == CREATED and outcome.policy.issuer == departments["区财政局"]
    assert any("某某研究会" in w for w in outcome.warnings)


def test_non_standard_number_is_left_out_with_a_warning(departments, tmp_path):
    path = write(
        tmp_path, "x.txt", "[发文字号] 西财字第3号\n关于某事的通知\n各部门：\n正文。\n区财政局\n2024年5月6日"
    )
    outcome = import_document(path, actor=None)
    assert outcome.status == CREATED
    assert outcome.policy.doc_number == ""
    assert any("发文字号" in w for w in outcome.warnings)


def test_import_is_drafted_by_the_importers_department(departments, make_user, tmp_path):
    """A department may draft a document issued in another name (区政府, a joint issuer): the import keeps the
    issuer the document names and records the importer's department as 起草部门 — permissions follow it."""
    drafter = make_user(roles.DRAFTER, "区财政局")
    outcome = import_document(write(tmp_path, "doc.txt", SAMPLE_DOCUMENT), actor=drafter)
    assert outcome.status == CREATED
    policy = outcome.policy
    assert policy.drafting_department == departments["区财政局"] and policy.issuer != departments["区财政局"]
    assert policy.created_by == drafter


def test_unreadable_file_fails_without_writing(departments, tmp_path):
    outcome = import_document(write(tmp_path, "scan.pdf", scanned_pdf_bytes()), actor=None)
    assert outcome.status == FAILED and "扫描件" in outcome.reason and "scan.pdf" in outcome.reason
    assert Policy.objects.count() == 0


def test_import_command_processes_the_rest_of_the_batch(departments, tmp_path, capsys):
    good = write(tmp_path, "good.pdf", pdf_bytes(SAMPLE_DOCUMENT.split("\n")))
    bad = write(tmp_path, "bad.pdf", scanned_pdf_bytes())
    plan = write(tmp_path, "plan.txt", seed_text(2023))
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(good), str(bad), str(plan), "--no-progress", stdout=out, stderr=err)
    assert "新建 2 件，未变化 0 件，失败 1 件（共 3 件）" in out.getvalue()
    assert "bad.pdf" in err.getvalue() and "扫描件" in err.getvalue()
    out = io.StringIO()
    call_command("import", str(good), str(plan), "--no-progress", stdout=out, stderr=io.StringIO())
    assert "新建 0 件，未变化 2 件，失败 0 件" in out.getvalue()
    assert Policy.objects.filter(live=False).count() == 2


def test_import_command_all_failed_exits_2(departments, tmp_path):
    with pytest.raises(CommandError) as info:
        call_command(
            "import",
            str(write(tmp_path, "e.txt", b"")),
            "--no-progress",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert info.value.returncode == 2


def test_parse_document_command_json(tmp_path):
    out = io.StringIO()
    call_command("parse_document", str(write(tmp_path, "doc.txt", SAMPLE_DOCUMENT)), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["doc_number"] == "京西政办发〔2024〕3号" and data["date"] == "2024-03-01"
    assert "京西政办发" in out.getvalue()  # ensure_ascii=False: Chinese as is


def test_parse_workplan_command_json(departments, tmp_path):
    out = io.StringIO()
    call_command("parse_workplan", str(write(tmp_path, "plan.txt", seed_text(2024))), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"title", "year", "notice", "sections", "tasks"}
    assert len(data["tasks"]) == 44
    assert data["tasks"][0]["ref"] == "1.1.1"


def test_commands_exit_2_for_unreadable_input(tmp_path):
    for command in ("parse_document", "parse_workplan"):
        with pytest.raises(CommandError) as info:
            call_command(
                command, str(write(tmp_path, "scan.pdf", scanned_pdf_bytes())), "--json", stdout=io.StringIO()
            )
        assert info.value.returncode == 2 and "扫描件" in str(info.value)


def test_cli_exit_code_and_stderr(tmp_path):
    import subprocess
    import sys

    path = write(tmp_path, "empty.txt", b"")
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "parse-document", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings.test"},
    )
    assert result.returncode == 2
    assert "文件“empty.txt”无法读取：文件是空的" in result.stderr
    assert result.stdout == ""


def test_admin_upload_preview_then_save(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/documents-import/import/")
    assert page.status_code == 200 and "导入文件" in page.content.decode()
    upload = SimpleUploadedFile("doc.docx", docx_bytes(SAMPLE_DOCUMENT.split("\n")))
    preview = client.post("/admin/documents-import/import/", {"action": "preview", "file": upload})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "京西政办发〔2024〕3号" in html and "2024-03-01" in html and "保存为草稿" in html
    assert Policy.objects.count() == 0  # nothing saved by the preview
    token = preview.context["token"]
    saved = client.post("/admin/documents-import/import/", {"action": "confirm", "token": token})
    assert saved.status_code == 302
    policy = Policy.objects.get()
    assert policy.live is False and policy.doc_number == "京西政办发〔2024〕3号"
    # The same token cannot be used twice.
    again = client.post("/admin/documents-import/import/", {"action": "confirm", "token": token}, follow=True)
    assert "预览已过期" in again.content.decode()
    assert Policy.objects.count() == 1


def test_admin_upload_of_an_unreadable_file_shows_the_reason(client, admin_user):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("scan.pdf", scanned_pdf_bytes())
    response = client.post("/admin/documents-import/import/", {"action": "preview", "file": upload})
    assert response.status_code == 400
    assert "扫描件" in response.content.decode()


def test_admin_import_needs_permission(client, make_user):
    officer = make_user(roles.FINANCE_REVIEWER, "区财政局", is_staff=True)
    client.force_login(officer)
    response = client.get("/admin/documents-import/import/")
    assert response.status_code in (302, 403)


def test_admin_menu_shows_the_import_item(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "/admin/documents-import/import/" in response.content.decode()


def test_admin_preview_with_unknown_issuer_offers_no_save(client, admin_user, departments):
    client.force_login(admin_user)
    upload = SimpleUploadedFile(
        "x.txt", "关于某事的通知\n各部门：\n正文。\n某某研究会\n2024年5月6日".encode()
    )
    response = client.post("/admin/documents-import/import/", {"action": "preview", "file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "无法确定发文机构" in html and "保存为草稿" not in html
    upload = SimpleUploadedFile(
        "x.txt", "关于某事的通知\n各部门：\n正文。\n某某研究会\n2024年5月6日".encode()
    )
    response = client.post(
        "/admin/documents-import/import/",
        {"action": "preview", "file": upload, "default_issuer": departments["区财政局"].pk},
    )
    assert "保存为草稿" in response.content.decode()
    client.post("/admin/documents-import/import/", {"action": "confirm", "token": response.context["token"]})
    assert Policy.objects.get().issuer == departments["区财政局"]
