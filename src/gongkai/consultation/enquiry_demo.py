"""Demo data of 政务咨询 (`gongkai demo-data`, idempotent: an enquiry whose title exists is left alone): three
answered and published questions, one answered without consent (not public), one with a department and one
waiting for the office to route it (“不确定”)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

# (title, department short name or None, question, answer or None, consent, publish, days ago)
ENQUIRIES = [
    (
        "灵活就业人员如何办理社会保险登记？",
        "区人力社保局",
        "本人近期从单位离职，以灵活就业身份继续缴纳社会保险，请问需要到哪里办理登记，需要准备哪些材料？",
        "灵活就业人员可通过北京市社会保险网上服务平台或到户籍所在街道社保所办理参保登记，需提供本人有效身份证件。"
        "缴费基数可在本市上年度职工月平均工资的60%至300%之间自行选择。",
        True,
        True,
        12,
    ),
    (
        "个体工商户变更经营范围需要哪些材料？",
        "区市场监管局",
        "我经营一家便利店，想增加预包装食品销售，请问变更经营范围需要提交哪些材料，可以网上办理吗？",
        "可通过北京市企业服务e窗通平台在线办理变更登记。增加预包装食品销售的，还需办理食品经营许可（仅销售预包装食品的为备案）。"
        "所需材料：变更登记申请书、经营者身份证明，涉及许可的按许可要求另行提交。",
        True,
        True,
        9,
    ),
    (
        "楼宇经济措施中的落户奖励何时开始申报？",
        "区发展改革委",
        "《西城区支持楼宇经济高质量发展的若干措施》提到对新引进总部企业给予落户奖励，请问今年何时开始申报，在哪里提交？",
        "落户奖励每年集中受理一次，具体时间以申报通知为准，通知将在区政府网站“政策兑现”栏目发布。企业可通过政策兑现页面在线提交申请。",
        True,
        True,
        6,
    ),
    (
        "企业年报逾期未报如何补报？",
        "区市场监管局",
        "我公司去年的年度报告忘记报送，现在被列入经营异常名录，请问如何补报并申请移出？",
        "请登录国家企业信用信息公示系统补报年度报告，补报后可在线申请移出经营异常名录，我局将在规定期限内作出决定。",
        False,
        False,
        5,
    ),
    (
        "学区划片方案何时公布？",
        "区教委",
        "孩子明年上小学，请问今年的小学入学学区划片方案什么时候公布？",
        None,
        True,
        False,
        1,
    ),
    (
        "小区周边道路施工噪音夜间扰民，应向哪个部门反映？",
        None,
        "我家小区旁边的道路施工经常夜间作业，噪音很大，请问应该向哪个部门反映，夜间施工需要审批吗？",
        None,
        True,
        False,
        0,
    ),
]


def _received(days_ago: int) -> datetime.datetime:
    now = timezone.localtime()
    return (now - datetime.timedelta(days=days_ago)).replace(hour=10, minute=0, second=0, microsecond=0)


@transaction.atomic
def load_enquiry_demo() -> str:
    from gongkai.core.models import Department

    from . import enquiries
    from .enquiry_models import Enquiry

    made = published = 0
    for subject, dept_name, question, answer, consent, publish, days_ago in ENQUIRIES:
        if Enquiry.objects.filter(subject=subject).exists():
            continue
        department = Department.objects.filter(short_name=dept_name).first() if dept_name else None
        if dept_name and department is None:
            continue
        item, _code = enquiries.submit_enquiry(
            department=department,
            subject=subject,
            question=question,
            consent_publish=consent,
            name="（演示）张女士",
            contact="（演示）",
            received_at=_received(days_ago),
        )
        made += 1
        if answer is None:
            continue
        item = enquiries.answer_enquiry(
            item, actor=None, answer=answer, answered_at=item.received_at + datetime.timedelta(days=2)
        )
        if publish:
            enquiries.publish_enquiry(item, actor=None, confirm_personal_data=True)
            published += 1
    return f"政务咨询 {made} 件（公开答复 {published} 件）"
