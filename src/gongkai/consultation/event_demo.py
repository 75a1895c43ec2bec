"""Demo data of events (`gongkai demo-data`, idempotent): a past 政策公开讲 of 区发展改革委 with registrations,
attendance, answered questions and its published closing report with two photos, and a future 政务开放日 with
registrations (one on the waiting list) and a published question waiting for its answer. The registrants are
invented (names like 张先生, numbers in the 138 0000 xxxx test range)."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

DEPARTMENT = "区发展改革委"
PAST_TITLE = "“楼宇经济十条”政策公开讲"
FUTURE_TITLE = "区发展改革委政务开放日：走进政务服务中心"


def _department():
    from gongkai.core.models import Department

    return Department.objects.filter(short_name=DEPARTMENT).first()


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def demo_photo(seed: int = 0) -> bytes:
    """A drawn picture of a lecture hall (a stage, a screen, rows of seats with people), as PNG."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (960, 600), (236, 232, 224))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 960, 220], fill=(205, 196, 180))
    d.rectangle([300, 30, 660, 190], fill=(250, 250, 250), outline=(90, 90, 90), width=4)
    d.rectangle([330, 60, 630, 80], fill=(180, 40, 40))
    for i in range(5):
        d.rectangle([340, 100 + i * 16, 620 - (i * 37 + seed * 11) % 120, 108 + i * 16], fill=(120, 120, 120))
    d.rectangle([200, 200, 760, 250], fill=(150, 110, 70))
    for row in range(5):
        for col in range(12):
            x = 60 + col * 72 + (row % 2) * 18
            y = 290 + row * 60
            shade = (40 + (row * 31 + col * 17 + seed * 7) % 90,) * 3
            d.ellipse([x, y, x + 34, y + 34], fill=shade)
            d.rectangle([x - 6, y + 30, x + 40, y + 58], fill=(60, 80, 130))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


@transaction.atomic
def _past(department) -> str:
    from . import events
    from .event_models import Event, EventKind

    if Event.objects.filter(title=PAST_TITLE).exists():
        return ""
    day = timezone.localdate() - datetime.timedelta(days=20)
    event = events.create_event(
        actor=None,
        department=department,
        kind=EventKind.LECTURE,
        title=PAST_TITLE,
        description="区发展改革委主要负责同志解读《西城区支持楼宇经济高质量发展的若干措施》，"
        "介绍总部企业落户奖励、楼宇改造补贴和楼宇服务专员制度，并现场答复企业提问。",
        starts_at=_at(day, 14, 30),
        ends_at=_at(day, 16, 30),
        place="西城区政务服务中心三层报告厅",
        online_url="",
        capacity=60,
        waiting_limit=20,
        contact="010-83970000",
    )
    event = events.publish_event(event, actor=None)
    before = day - datetime.timedelta(days=6)
    names = ["张先生", "李女士", "王先生", "赵女士", "刘先生", "陈女士", "杨先生", "黄女士"]
    regs = []
    for i, name in enumerate(names):
        reg, _code = events.register(
            event,
            name=name,
            phone=f"1380000{i:04d}",
            organisation="某楼宇运营公司" if i % 2 else "",
            received_at=_at(before + datetime.timedelta(days=i % 4), 9 + i),
        )
        regs.append(reg)
    for reg in regs[:6]:
        events.mark_attendance(reg, actor=None)
    questions = [
        (
            "总部企业落户奖励是一次性发放还是分年度发放？",
            "一次性发放。企业落户满一年、实缴注册资本到位后申请，经审核后一次性拨付。",
        ),
        (
            "老旧楼宇改造补贴的申报时间是什么时候？",
            "每年3月和9月集中受理，申报指南在区政府网站“政策兑现”栏目发布。",
        ),
    ]
    for i, (text, answer) in enumerate(questions):
        q = events.ask_question(event, text=text, received_at=_at(before + datetime.timedelta(days=i), 11))
        events.publish_question(q, actor=None)
        events.answer_question(q, actor=None, answer=answer)
    events.save_report(
        event,
        actor=None,
        summary="本次政策公开讲由区发展改革委主要负责同志主讲，重点解读了总部企业落户奖励、楼宇运营方奖励、"
        "老旧楼宇改造补贴和楼宇服务专员制度。现场答复企业提问2个，会后对企业关心的申报流程作了进一步说明。"
        "活动同步在区政府网站进行了图文直播。",
        attendance=52,
    )
    for seed, caption in ((1, "政策公开讲现场：主讲人解读楼宇经济政策"), (2, "企业代表现场提问")):
        upload = SimpleUploadedFile(f"photo-{seed}.png", demo_photo(seed), content_type="image/png")
        events.add_photo(event, actor=None, upload=upload, caption=caption)
    events.publish_report(event, actor=None)
    return "已结束的活动 1 场（含活动总结和照片）"


@transaction.atomic
def _future(department) -> str:
    from . import events
    from .event_models import Event, EventKind

    if Event.objects.filter(title=FUTURE_TITLE).exists():
        return ""
    day = timezone.localdate() + datetime.timedelta(days=14)
    event = events.create_event(
        actor=None,
        department=department,
        kind=EventKind.OPEN_DAY,
        title=FUTURE_TITLE,
        description="欢迎市民和企业代表走进区政务服务中心，了解“一网通办”和“免申即享”政策兑现服务，"
        "与区发展改革委工作人员面对面交流。名额有限，额满后可登记候补。",
        starts_at=_at(day, 9, 30),
        ends_at=_at(day, 11, 30),
        place="西城区政务服务中心一层大厅",
        online_url="",
        capacity=3,
        waiting_limit=10,
        contact="010-83970000",
    )
    event = events.publish_event(event, actor=None)
    for i, name in enumerate(["孙先生", "周女士", "吴先生", "郑女士"]):
        events.register(event, name=name, phone=f"1380001{i:04d}", organisation="")
    q = events.ask_question(event, text="开放日当天可以现场咨询“免申即享”政策吗？")
    events.publish_question(q, actor=None)
    return "即将举办的活动 1 场（含报名和候补）"


def load_demo() -> str:
    department = _department()
    if department is None:
        return "缺少区发展改革委，跳过"
    made = [m for m in (_past(department), _future(department)) if m]
    return "、".join(made) or "已存在"
