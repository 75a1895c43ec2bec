"""Demo data of opinion after release (`gongkai demo-data`, idempotent): a policy of 区发展改革委 that went through the
pre-release review with a medium public-opinion risk and was published, then public feedback on it — a consultation
answered and published as 回应关切, a complaint answered late, a suggestion waiting within its limit and one waiting
past it (overdue). Dates in the past are set by updating the arrival and due dates after the actions ran (the
system itself never back-dates)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

DEPARTMENT = "区发展改革委"
TITLE = "西城区老旧楼宇更新改造补贴实施办法"
BODY = """第一条 为推动老旧楼宇更新改造，提升楼宇品质，制定本办法。
第二条 对完成更新改造的老旧楼宇，按改造投资额的20%给予补贴，单个项目最高不超过1000万元。
第三条 申请补贴的楼宇产权单位应当在改造完成后六个月内提出申请。
第四条 本办法自发布之日起施行，有效期3年。"""
INTERPRETATION = {
    "background": "落实本市城市更新有关要求。",
    "objectives": "三年内完成老旧楼宇改造50栋。",
    "main_content": "明确补贴标准、申请时限和审核程序。",
    "innovations": "补贴按改造投资额比例计算，设单项上限。",
    "key_terms": "老旧楼宇：建成20年以上的商务楼宇。",
    "scope": "本区老旧商务楼宇的产权单位。",
    "standards": "按改造投资额的20%，最高1000万元。",
    "precautions": "同一项目不重复享受区级补贴。",
}
FEEDBACK = [
    # (question, class, days ago it arrived, answer (None = waiting), publish as 回应关切 with this title)
    (
        "第二条所说的改造投资额是否包括设计费和监理费？",
        "inquiry",
        12,
        "改造投资额包括设计、监理等工程建设其他费用，以审计结算金额为准。",
        "关于“改造投资额”计算口径的回应",
    ),
    ("补贴比例偏低，建议对节能改造提高到30%。", "suggestion", 2, None, ""),
    (
        "申请提交两个月了还没有结果，也没人联系。",
        "complaint",
        20,
        "已核实，该申请材料不全，经办人员已电话联系补正，补正后10个工作日内办结。",
        "",
    ),
    ("网上有说法称补贴已经停发，是真的吗？", "opinion", 15, None, ""),
]


def _users():
    from gongkai.core.models import User

    return User.objects.filter(username="drafter_fgw").first(), User.objects.filter(
        username="officer_fgw"
    ).first()


@transaction.atomic
def _policy(drafter):
    from gongkai.core.models import Department
    from gongkai.policies import actions as policies
    from gongkai.policies.models import Policy, Theme
    from gongkai.review import actions as review
    from gongkai.review.rules import STEP_POINTS, CheckResult, ReviewStep

    policy = Policy.objects.filter(title=TITLE).first()
    if policy is not None:
        return policy
    department = Department.objects.filter(short_name=DEPARTMENT).first()
    policy = policies.create_policy(
        actor=drafter,
        title=TITLE,
        issuer=department,
        body=BODY,
        summary="老旧楼宇更新改造补贴的标准、申请和审核。",
        doc_number="西发改发〔2026〕8号",
        written_date=timezone.localdate() - datetime.timedelta(days=40),
        theme=Theme.objects.first(),
    )
    policies.create_interpretation(
        actor=drafter, policies=[policy], title="《老旧楼宇更新改造补贴实施办法》政策解读", **INTERPRETATION
    )
    review.submit_for_review(policy, actor=drafter)
    review.decide(
        policy,
        actor=drafter,
        step=ReviewStep.SELF,
        approve=True,
        opinion="同意提交审核",
        checklist={str(p): {"result": CheckResult.PASS, "note": ""} for p in STEP_POINTS[ReviewStep.SELF]},
        risk_level="medium",
        risk_note="补贴比例和申请时限可能引发产权单位关注，发布后加强监测并及时回应。",
    )
    # The other review steps are the review walk's; the demo publishes with the recorded override.
    policies.publish_policy(policy, actor=None, override_reason="演示数据：审核其余环节从略")
    return policy


def load_demo() -> str:
    from gongkai.policies import actions as policies
    from gongkai.policies import feedback
    from gongkai.policies.models import PolicyQuestion

    drafter, officer = _users()
    if drafter is None:
        return "缺少演示用户 drafter_fgw，跳过"
    policy = _policy(drafter)
    if PolicyQuestion.objects.filter(policy=policy).exclude(origin="official").exists():
        return "已存在"
    now = timezone.now()
    made = 0
    with transaction.atomic():
        for text, cls, days_ago, answer, response_title in FEEDBACK:
            item = policies.ask_question(policy, question=text)
            arrived = now - datetime.timedelta(days=days_ago)
            PolicyQuestion.objects.filter(pk=item.pk).update(
                created_at=arrived, answer_due=feedback.answer_due(arrived)
            )
            item.refresh_from_db()
            feedback.classify_feedback(item, actor=drafter, feedback_class=cls)
            if answer:
                item = policies.answer_question(
                    item, actor=drafter, answer=answer, publish=bool(response_title)
                )
                answered = arrived + datetime.timedelta(days=3 if response_title else 15)
                PolicyQuestion.objects.filter(pk=item.pk).update(answered_at=answered)
                item.refresh_from_db()
                if response_title:
                    feedback.publish_response(item, actor=officer or drafter, title=response_title)
            made += 1
    return f"政策发布后公众反馈 {made} 条（其中回应关切 1 条、超时未答复 1 条）"
