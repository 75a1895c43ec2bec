"""Demo data of an uploaded draft (`gongkai demo-data`, idempotent): 区政务服务局 puts its 2026 openness work plan
out for comment as a Word 征求意见稿 with its 起草说明 as a second Word file — the shape of a plan (一、（一）),
read and split by `drafts.read_upload` like a file uploaded on the staff screen; the originals are public
downloads on the consultation page."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

DEPARTMENT = "区政务服务局"
POLICY = "西城区2026年政务公开工作要点"

PLAN = [
    "附件1",
    POLICY,
    "（征求意见稿）",
    "为深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署，进一步提升政务公开质效，结合本区实际，制定本要点。",
    "一、围绕优化营商环境，加强政策公开",
    "（一）加强政策文件集中公开。各部门在区政府网站集中公开现行有效的行政规范性文件，动态更新。",
    "（二）做好政策解读。坚持解读与文件同步起草、同步审签、同步发布，多用图表、视频等形式。",
    "二、围绕保障和改善民生，加强信息公开",
    "（三）推进社会救助信息公开。及时公开救助标准、办理程序和资金使用情况。",
    "（四）做好教育、医疗卫生领域信息公开。",
    "三、加强政务公开平台建设",
    "（五）优化政府网站集约化平台，提升政策检索和“一站式”服务能力。",
    "（六）规范政务新媒体管理，及时回应公众关切。",
    "北京市西城区政务服务管理局",
    "2026年1月10日",
]
EXPLANATION = [
    f"关于《{POLICY}（征求意见稿）》的起草说明",
    "一、起草背景",
    "根据国务院办公厅和市政府办公厅的年度政务公开工作要点，结合本区实际，起草了本要点。",
    "二、主要内容",
    "本要点共三个部分，包括政策公开、民生信息公开和平台建设。",
]


def _docx(paragraphs) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def load_upload_demo() -> str:
    from gongkai.core.models import Department
    from gongkai.policies import actions as policies
    from gongkai.policies.models import Policy

    from . import actions, drafts
    from .models import Consultation

    if Consultation.objects.filter(policy__title=POLICY).exists():
        return "已存在"
    department = Department.objects.filter(short_name=DEPARTMENT).first()
    if department is None:
        return f"缺少{DEPARTMENT}，跳过"
    policy = Policy.objects.filter(title=POLICY).first() or policies.create_policy(
        actor=None,
        title=POLICY,
        issuer=department,
        body="（草稿）",
        summary=POLICY,
        written_date=timezone.localdate(),
    )
    draft = drafts.read_upload(SimpleUploadedFile(f"附件1：{POLICY}（征求意见稿）.docx", _docx(PLAN)))
    explanation = drafts.read_upload(
        SimpleUploadedFile("附件2：起草说明.docx", _docx(EXPLANATION)), explanation=True
    )
    c = drafts.create_consultation_from_files(
        actor=None,
        policy=policy,
        explanation="",
        draft_original=draft,
        explanation_original=explanation,
        start_date=timezone.localdate() - datetime.timedelta(days=2),
        contact="区政务服务局 010-83970001",
    )
    actions.publish_consultation(c, actor=None)
    return "由上传的 Word 文件生成的意见征集 1 个（含原件下载）"
