"""Demo data of disclosure on request, made through the actions (idempotent): requests in every state the office
meets — overdue, awaiting correction (with its 补正告知书), extended after a consultation, replied 部分公开 with a
redacted document and a link to a published policy, three applicants asking for the same information (Art. 44) —,
review and litigation cases, and the annual reports of the last two years, approved and published on the portal.
Tracking numbers and query codes are written to var/demo-disclosure.txt. Dates are relative to today."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

MARK = "（演示）"
APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "张三丰",
    "id_type": "id_card",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "email": "applicant@example.com",
    "address": "北京市西城区月坛北街1号",
    "postal_code": "100045",
    "information_form": "electronic",
    "delivery_method": "online",
}
OTHERS = ["110105194912310021", "110105194912310048", "11010519491231006X"]


def _working_day_before(day: datetime.date, n: int) -> datetime.date:
    from gongkai.core import calendar

    while n > 0:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def _docx(lines) -> bytes:
    from docx import Document

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _at(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def load_demo_requests() -> str:
    from gongkai.core.models import Department, User
    from gongkai.policies.models import Policy

    from . import actions
    from .models import DisclosureRequest

    if DisclosureRequest.objects.filter(information_title__endswith=MARK).exists():
        return "已存在，跳过"
    fgw = Department.objects.filter(short_name="区发展改革委").first()
    officer = User.objects.filter(username="officer_fgw").first()
    office = User.objects.filter(username="gongkai_office").first()
    if fgw is None or officer is None or office is None:
        return "缺少演示部门或用户，跳过"
    for dept in Department.objects.filter(short_name__in=["区发展改革委", "区民政局"]):
        if actions.active_seal(dept) is None:
            actions.generate_department_seal(dept, actor=None)
    today = timezone.localdate()
    codes = []

    def apply(title, received, *, description, id_number=None, claim=True, **extra):
        data = dict(APPLICANT, department=fgw, information_title=title + MARK, description=description)
        if id_number:
            data["id_number"] = id_number
        data.update(extra)
        req, code = actions.create_request(
            actor=None, channel="online", data=data, submitted_at=_at(received)
        )
        actions.confirm_receipt(req, actor=officer, day=received)
        if claim:
            actions.claim_request(req, actor=officer)
        req.refresh_from_db()
        codes.append((req.tracking_number, code, title))
        return req

    # overdue: received two months ago, never answered
    apply(
        "2025年度区级产业发展专项资金分配结果",
        today - datetime.timedelta(days=60),
        description="请提供2025年度区级产业发展专项资金的分配结果，包括项目名称和金额",
    )
    # awaiting correction, with its 补正告知书
    received = _working_day_before(today, 3)
    req = apply("西城区某项目有关文件", received, description="请提供西城区某项目的有关文件")
    actions.request_correction(
        req,
        actor=officer,
        items="请写明所需文件的名称或文号、形成时间，以及项目所在的街道。",
        due_date=today + datetime.timedelta(days=15),
        day=_working_day_before(today, 1),
    )
    # consulted a third party (it agreed), then extended within the period
    received = today - datetime.timedelta(days=38)
    req = apply(
        "月坛街道停车设施建设项目审批文件",
        received,
        description="请提供月坛街道停车设施建设项目的立项和规划审批文件",
    )
    c = actions.start_consultation(
        req,
        actor=officer,
        kind="third_party",
        party="北京某停车管理有限公司",
        party_address="北京市西城区某某路8号",
        sent_on=received + datetime.timedelta(days=7),
    )
    actions.record_consultation_answer(
        c, actor=officer, answer="consent", day=received + datetime.timedelta(days=12), summary="同意公开"
    )
    req.refresh_from_db()
    actions.extend_deadline(
        req,
        actor=officer,
        days=10,
        approver="李主任",
        reason="所需文件分散在多个科室，需要调取档案",
        day=received + datetime.timedelta(days=20),
    )
    # replied 部分公开: a document redacted (a resident's ID, an internal passage) and a published policy linked
    received = today - datetime.timedelta(days=80)
    req = apply(
        "2023年度老旧小区综合整治项目清单",
        received,
        description="西城区2023年度老旧小区综合整治的项目清单及资金安排",
    )
    reply = actions.draft_reply(
        req,
        actor=officer,
        outcome="partial",
        reason="项目资金的内部测算口径属于过程性信息（条例第十六条第二款）",
    )
    doc = actions.add_released_file(
        reply,
        actor=officer,
        file=SimpleUploadedFile(
            "老旧小区综合整治项目清单.docx",
            _docx(
                [
                    "西城区2023年度老旧小区综合整治项目清单",
                    "1. 月坛街道三里河一区：楼本体改造，居民代表李四（身份证号110102198001011239）。",
                    "2. 展览路街道百万庄小区：管线改造。",
                    "资金安排：区级财政1200万元（内部测算口径：按每平方米400元估算）。",
                ]
            ),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    )
    actions.redact_released_document(
        doc,
        actor=officer,
        reason="第三人个人信息；内部测算口径属于过程性信息",
        withheld=["（内部测算口径：按每平方米400元估算）"],
    )
    policy = Policy.objects.public().filter(issuer=fgw).first()
    if policy is not None:
        actions.add_released_policy(reply, actor=officer, policy=policy)
    actions.send_reply(reply, actor=officer, day=received + datetime.timedelta(days=20))
    # three applicants ask for the same information (Art. 44)
    for i, number in enumerate(OTHERS):
        apply(
            "西城区2026年政务公开工作要点落实情况",
            today - datetime.timedelta(days=30 - i * 5),
            description=f"请提供西城区2026年政务公开工作要点的落实情况（第{i + 1}位申请人）",
            id_number=number,
            claim=i == 0,
        )
    # the last two years, for the annual reports
    for year in (today.year - 2, today.year - 1):
        _demo_year(year, fgw, officer, codes)
        actions.draft_annual_report_texts(actor=office, year=year)
        actions.save_annual_report(actor=office, year=year, licensing_decisions=1286, penalty_decisions=342)
        actions.approve_annual_report(actor=office, year=year)
        actions.publish_annual_report(actor=office, year=year)
    path = Path(settings.VAR_DIR) / "demo-disclosure.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("# 依申请公开演示：申请编号 查询码 所需信息（在 /disclosure/track/ 查询）\n")
        for number, code, title in codes:
            fh.write(f"{number} {code} {title}\n")
    return f"{len(codes)} 件申请、{today.year - 2}和{today.year - 1}年度报告已公布；查询码见 {path}"


def _demo_year(year, fgw, officer, codes):
    """A few requests of a past year, replied in different ways, and a case."""
    from . import actions

    # distinct subjects: similar titles would be flagged as the same information (Art. 44)
    kinds = [
        ("unavailable_not_held", {}, "natural_person", "", "某小区加装电梯补贴的审批记录"),
        ("disclosed", {}, "organization", "commercial", "中小企业数字化转型补贴申报指南"),
        ("rejected_petition", {}, "natural_person", "", "信访事项办理情况"),
        (
            "already_published",
            {"links": ["西城区人民政府网站 政策文件栏目"]},
            "organization",
            "research",
            "区级财政预算执行情况报告",
        ),
    ]
    for i, (outcome, extra, applicant_type, kind, subject) in enumerate(kinds):
        received = datetime.date(year, 3 + i * 2, 10)
        data = dict(
            APPLICANT,
            department=fgw,
            information_title=f"{year}年{subject}{MARK}",
            description=f"请提供{year}年{subject}",
            applicant_type=applicant_type,
            organization_kind=kind,
        )
        if applicant_type == "organization":
            data.update(
                id_type="credit_code", id_number=f"91110102MA0{year}{i:03d}", legal_representative="王总"
            )
        req, code = actions.create_request(
            actor=officer, channel="in_person", data=data, received_date=received, submitted_at=_at(received)
        )
        codes.append((req.tracking_number, code, data["information_title"]))
        reply = actions.draft_reply(req, actor=officer, outcome=outcome, **extra)
        if outcome == "disclosed":
            actions.add_released_file(
                reply,
                actor=officer,
                file=SimpleUploadedFile(
                    f"{year}年资料.txt", f"{year}年度演示资料：项目共3个。".encode(), "text/plain"
                ),
            )
        actions.send_reply(reply, actor=officer, day=received + datetime.timedelta(days=14))
        if i == 0:
            case = actions.register_case(
                req,
                actor=officer,
                kind="review",
                authority="北京市西城区人民政府",
                filed_on=received + datetime.timedelta(days=40),
            )
            actions.close_case(
                case, actor=officer, result="upheld", closed_on=received + datetime.timedelta(days=90)
            )
