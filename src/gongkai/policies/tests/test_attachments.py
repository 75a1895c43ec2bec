import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from gongkai.core.samples import sample_bytes
from gongkai.policies.models import PolicyAttachment, validate_attachment


def _file(name, content=None):
    if content is None:
        content = sample_bytes(name.rsplit(".", 1)[-1].lower())
    return ContentFile(content, name=name)


def test_allowed_types_pass():
    for name in ["通知.pdf", "表格.XLSX", "申请表.docx", "图解.png"]:
        validate_attachment(_file(name))


@pytest.mark.parametrize("name", ["病毒.exe", "脚本.js", "页面.html", "无扩展名"])
def test_other_types_are_refused_with_a_clear_message(name):
    with pytest.raises(ValidationError) as exc:
        validate_attachment(_file(name, b"<html><script>alert(1)</script></html>"))
    assert "不支持的文件类型" in str(exc.value)


def test_empty_and_oversized_files_are_refused(settings):
    with pytest.raises(ValidationError, match="空文件"):
        validate_attachment(_file("空.pdf", b""))
    settings.GONGKAI_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="过大"):
        validate_attachment(_file("大.pdf", b"x" * 11))


@pytest.mark.django_db
def test_attachment_records_its_size(make_policy):
    policy = make_policy()
    data = sample_bytes("pdf")
    att = PolicyAttachment(policy=policy, title="附件1", file=_file("附件1.pdf", data))
    att.full_clean()
    att.save()
    assert att.size == len(data) and att.extension == "pdf"
    # stored privately under a random name, not the uploader's
    assert att.file.name.startswith("policies/attachments/") and "附件1" not in att.file.name
