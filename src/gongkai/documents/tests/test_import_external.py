"""Importing documents issued outside the district, re-imports that correct metadata, and the admin preview that
shows every flag and lets each field be corrected (issue 13, items 4 and 5)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from gongkai.core.models import AuditEntry, Department
from gongkai.documents.actions import CREATED, UNCHANGED, UPDATED, import_document, import_text
from gongkai.documents.normalise import normalise_text
from gongkai.policies.models import Policy

from . import site_shapes as shapes
from .conftest import docx_bytes
from .test_import import correction_data

pytestmark = pytest.mark.django_db
URL = "/admin/documents-import/import/"


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_a_state_council_order_is_issued_by_an_external_organisation(departments, tmp_path):
    outcome = import_document(write(tmp_path, "令.txt", shapes.STATE_COUNCIL_ORDER), actor=None)
    assert outcome.status == CREATED, outcome.reason
    policy = outcome.policy
    assert policy.issuer.name == "中华人民共和国国务院" and policy.issuer.is_external
    assert policy.doc_number == "国务院令第752号"
    assert policy.document_kind == "administrative_regulation" and policy.policy_type == ""
    assert policy.written_date == datetime.date(2022, 3, 29)
    assert policy.effective_date is None  # the order says 自2022年5月1日起施行 in a sentence, not as a 题注
    assert AuditEntry.objects.filter(action="department.create_external").count() == 1


def test_a_forwarded_notice_keeps_its_own_issuer_and_date(departments, tmp_path):
    lines = [line for line in shapes.FORWARDED_NOTICE.split("\n") if line]
    outcome = import_document(write(tmp_path, "转发.docx", docx_bytes(lines)), actor=None)
    assert outcome.status == CREATED, outcome.reason
    policy = outcome.policy
    assert policy.issuer.name == "北京市人民政府办公厅" and policy.issuer.is_external
    assert policy.written_date == datetime.date(2023, 6, 12)
    assert policy.doc_number == "京政办发〔2023〕12号"
    assert "关于进一步做好本市招标投标工作的若干意见" in policy.body  # the forwarded text is kept
    assert any("所附（转发）文件" in w for w in outcome.warnings)


def test_joint_issuers_become_joint_issuers(departments, tmp_path):
    outcome = import_document(write(tmp_path, "联合.txt", shapes.JOINT_OPINION), actor=None)
    assert outcome.status == CREATED, outcome.reason
    assert outcome.policy.issuer.name == "国务院办公厅"
    assert [d.name for d in outcome.policy.joint_issuers.all()] == ["中央军委办公厅"]
    assert Department.objects.external().count() == 2


def test_reimport_corrects_an_earlier_import_and_audits_it(departments, tmp_path):
    from gongkai.policies.actions import create_policy

    text = normalise_text(shapes.STATE_COUNCIL_ORDER)
    first = import_text(text, actor=None, filename="order.txt")
    policy = first.policy
    # an older import got it wrong: 区政府, 其他文件, no date
    Policy.objects.filter(pk=policy.pk).update(
        issuer=departments["区政府"], document_kind="other", written_date=None
    )
    again = import_text(text, actor=None, filename="order.txt")
    assert again.status == UPDATED and set(again.changed) == {"issuer", "document_kind", "written_date"}
    policy.refresh_from_db()
    assert policy.issuer.short_name == "国务院" and policy.written_date == datetime.date(2022, 3, 29)
    entry = AuditEntry.objects.get(action="policy.correct_metadata")
    assert (
        entry.before["document_kind"] == "other"
        and entry.after["document_kind"] == "administrative_regulation"
    )
    assert import_text(text, actor=None, filename="order.txt").status == UNCHANGED
    assert Policy.objects.count() == 1
    # the CLI says so
    path = write(tmp_path, "order.txt", text)
    Policy.objects.filter(pk=policy.pk).update(document_kind="other", source_path=str(path))
    out = io.StringIO()
    call_command("import", str(path), "--no-progress", stdout=out, stderr=io.StringIO())
    assert "更正 1 件" in out.getvalue() and "更正的字段：document_kind" in out.getvalue()
    assert create_policy  # imported for the reader: the older import is simulated above


def test_admin_preview_shows_every_flag_and_saves_the_corrections(client, admin_user, departments):
    client.force_login(admin_user)
    upload = SimpleUploadedFile(
        "转发.txt", shapes.FORWARDED_NOTICE.replace("京政办发〔2023〕12号", "京政办发[2023]第012号").encode()
    )
    preview = client.post(URL, {"action": "preview", "file": upload})
    html = preview.content.decode()
    assert preview.status_code == 200
    for flag in (
        "年份应使用六角括号",  # the number's problems, each named
        "序号前不加“第”字",
        "保存时将登记为外部机关",  # the issuer is outside the district
        "所附（转发）文件《关于进一步做好本市招标投标工作的若干意见》",  # not its date
        "判断为“其他文件”",
    ):
        assert flag in html, flag
    form = preview.context["form"]
    assert form.initial["doc_number"] == "京政办发〔2023〕12号"  # normalised
    assert form.initial["new_external_issuer"] == "北京市人民政府办公厅"
    assert form.initial["written_date"] == datetime.date(2023, 6, 12)
    assert (
        Policy.objects.count() == 0 and Department.objects.external().count() == 0
    )  # the preview writes nothing
    # a broken correction is refused field by field, nothing is written
    refused = client.post(URL, correction_data(preview, doc_number="见附件", publish_date="2020-01-01"))
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "缺少年份" in text and "发布日期不能早于成文日期" in text
    assert Policy.objects.count() == 0
    # corrected fields are saved as corrected
    saved = client.post(
        URL,
        correction_data(
            preview,
            title="转发市发展改革委招标投标意见的通知",
            document_kind="normative",
            effective_date="2023-07-01",
        ),
    )
    assert saved.status_code == 302
    policy = Policy.objects.get()
    assert policy.title == "转发市发展改革委招标投标意见的通知"
    assert policy.document_kind == "normative" and policy.is_normative
    assert policy.effective_date == datetime.date(2023, 7, 1)
    assert policy.issuer.name == "北京市人民政府办公厅" and policy.issuer.is_external
    entry = AuditEntry.objects.get(action="document.import")
    assert "title" in entry.after["corrected"]


def test_admin_can_name_a_new_external_issuer_but_not_a_district_one(client, admin_user, departments):
    client.force_login(admin_user)
    upload = SimpleUploadedFile(
        "x.txt", "关于某事的通知\n各部门：\n正文。\n某某研究会\n2024年5月6日".encode()
    )
    preview = client.post(URL, {"action": "preview", "file": upload})
    refused = client.post(URL, correction_data(preview, new_external_issuer="区财政局"))
    assert refused.status_code == 400 and "不是区外机关的名称" in refused.content.decode()
    client.post(URL, correction_data(preview, new_external_issuer="国家数据局"))
    policy = Policy.objects.get()
    assert policy.issuer.name == "国家数据局" and policy.issuer.is_external


def test_an_external_authoritys_document_has_no_drafting_department(departments, make_user, tmp_path):
    """起草部门 (issue 10) is a district department: a law of 国务院 imported by the system or the openness office
    has none; a drafter who imports it drafts it for the own department (permissions follow it)."""
    from django.core.exceptions import ValidationError

    from gongkai.core import roles

    text = normalise_text(shapes.STATE_COUNCIL_ORDER)
    by_system = import_text(text, actor=None, filename="order.txt").policy
    assert by_system.issuer.is_external and by_system.drafting_department is None
    office = make_user(roles.OPENNESS_OFFICE, "区政务服务局")
    by_office = import_text(shapes.BEIJING_ORDER, actor=office, filename="order-bj.txt").policy
    assert by_office.issuer.is_external and by_office.drafting_department is None
    drafter = make_user(roles.DRAFTER, "区财政局")
    by_drafter = import_text(shapes.TAX_ANNOUNCEMENT, actor=drafter, filename="tax.txt").policy
    assert by_drafter.drafting_department == departments["区财政局"]
    by_system.drafting_department = by_system.issuer
    with pytest.raises(ValidationError) as refused:
        by_system.full_clean(exclude=["index_number", "content_hash"])
    assert "起草部门应为本区部门" in str(refused.value)


def test_a_drafter_reimporting_another_departments_published_document_changes_nothing(departments, make_user):
    from gongkai.core import roles
    from gongkai.policies.actions import publish_policy

    text = normalise_text(shapes.STATE_COUNCIL_ORDER)
    policy = import_text(text, actor=None, filename="order.txt").policy
    publish_policy(policy, actor=None)
    Policy.objects.filter(pk=policy.pk).update(document_kind="other")  # wrong, but not the drafter's to fix
    drafter = make_user(roles.DRAFTER, "区财政局")
    outcome = import_text(text, actor=drafter, filename="order.txt")
    assert outcome.status == UNCHANGED and outcome.policy == policy
    assert Policy.objects.count() == 1
    assert not AuditEntry.objects.filter(action="policy.correct_metadata").exists()
    assert not Department.objects.external().exclude(pk=policy.issuer_id).exists()
