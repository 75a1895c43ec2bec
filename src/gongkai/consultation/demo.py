"""Demo data of public participation (`gongkai demo-data`, idempotent): a closed consultation of 区发展改革委 with
its comments, dispositions and the published 意见采纳情况 (the final policy published with it), an open one with
comments on its articles (one waiting for moderation), the office's sensitive words, and a needs survey with
answers attached to the closed consultation's policy."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

DEPARTMENT = "区发展改革委"
CLOSED_POLICY = "西城区支持楼宇经济高质量发展的若干措施"
OPEN_POLICY = "西城区促进消费提质升级的若干措施"
SURVEY_TITLE = "楼宇经济企业服务需求调查问卷"

CLOSED_DRAFT = """第一条 为推动本区楼宇经济高质量发展，提升楼宇产出效益，制定本措施。
第二条 对新引进的总部企业，按其实缴注册资本给予一次性落户奖励，最高不超过500万元。
第三条 对楼宇运营方引进优质企业的，按新增税收区级贡献的10%给予奖励。
第四条 支持老旧楼宇更新改造，按改造投资额的20%给予补贴。
第五条 本措施自发布之日起施行，有效期3年。"""

CLOSED_FINAL = """第一条 为推动本区楼宇经济高质量发展，提升楼宇产出效益，制定本措施。
第二条 对新引进的总部企业，按其实缴注册资本给予一次性落户奖励，最高不超过1000万元。
第三条 对楼宇运营方引进优质企业的，按新增税收区级贡献的10%给予奖励。
第四条 支持老旧楼宇更新改造，按改造投资额的30%给予补贴，单个项目最高不超过2000万元。
第五条 建立楼宇服务专员制度，为重点楼宇企业提供“一对一”服务。
第六条 本措施自发布之日起施行，有效期3年。"""

OPEN_DRAFT = """第一条 为促进消费提质升级，激发消费活力，制定本措施。
第二条 支持商圈改造提升，对完成改造的重点商圈给予最高1000万元支持。
第三条 鼓励首店经济，对在本区开设品牌首店的企业给予一次性奖励。
第四条 支持夜间消费，对符合条件的夜间经营场所给予经营补贴。
第五条 本措施自发布之日起施行。"""

SENSITIVE_WORDS = [("代开发票", "广告"), ("刷单", "广告"), ("包过", "广告")]


def _department():
    from gongkai.core.models import Department

    return Department.objects.filter(short_name=DEPARTMENT).first()


def _policy(title, body, department):
    from gongkai.policies import actions as policies
    from gongkai.policies.models import Policy

    policy = Policy.objects.filter(title=title).first()
    if policy is None:
        policy = policies.create_policy(
            actor=None,
            title=title,
            issuer=department,
            body=body,
            summary=title,
            written_date=timezone.localdate(),
        )
    return policy


def _at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def _closed(department) -> str:
    from gongkai.policies import actions as policies

    from . import actions
    from .models import Consultation, Disposition

    if Consultation.objects.filter(policy__title=CLOSED_POLICY).exists():
        return ""
    today = timezone.localdate()
    policy = _policy(CLOSED_POLICY, CLOSED_DRAFT, department)
    start = today - datetime.timedelta(days=60)
    c = actions.create_consultation(
        actor=None,
        policy=policy,
        explanation="为落实全市楼宇经济发展部署，区发展改革委会同相关部门起草了本措施。\n起草过程中开展了企业走访和问卷调查。",
        start_date=start,
        end_date=start + datetime.timedelta(days=29),
        contact="区发展改革委 010-83970000",
    )
    actions.publish_consultation(c, actor=None)
    texts = [
        (1, "建议提高总部企业落户奖励上限，与周边区保持竞争力。", "某企业", True),
        (1, "500万元上限偏低，建议调整到1000万元。", "", False),
        (3, "老旧楼宇改造补贴比例建议提高，并明确单个项目上限。", "某物业公司", True),
        (None, "建议增加楼宇服务专员，帮助企业解决实际问题。", "", False),
        (2, "建议对运营方奖励不设门槛。", "", False),
        (None, "希望同步出台停车配套政策。", "", False),
    ]
    comments = []
    for i, (unit, text, name, show) in enumerate(texts):
        comment = actions.submit_comment(
            c,
            text=text,
            unit_index=unit,
            name=name,
            show_name=show,
            contact="13800000000" if i == 0 else "",
            received_at=_at(start + datetime.timedelta(days=3 + i)),
        )
        actions.publish_comment(comment, actor=None)
        comments.append(comment)
    group = actions.group_comments(c, comments[:2], actor=None, point="提高总部企业落户奖励上限")
    actions.dispose_group(group, actor=None, disposition=Disposition.ADOPTED)
    actions.dispose_comment(
        comments[2],
        actor=None,
        disposition=Disposition.PARTLY,
        reason="补贴比例提高至30%并设单个项目上限；改造标准另行制定。",
    )
    actions.dispose_comment(comments[3], actor=None, disposition=Disposition.ADOPTED)
    actions.dispose_comment(
        comments[4],
        actor=None,
        disposition=Disposition.NOT_ADOPTED,
        reason="为保证财政资金绩效，奖励须以新增区级贡献为依据。",
    )
    actions.dispose_comment(
        comments[5],
        actor=None,
        disposition=Disposition.OUT_OF_SCOPE,
        reason="停车配套由区城市管理委另行研究，已转交。",
    )
    policies.update_policy(policy, actor=None, body=CLOSED_FINAL)
    report = actions.generate_report(c, actor=None)
    actions.approve_report(report, actor=None)
    policies.publish_policy(policy, actor=None)  # publishes the approved report in the same transaction
    return "已结束的意见征集 1 个（含意见采纳情况）"


@transaction.atomic
def _open(department) -> str:
    from . import actions
    from .models import Consultation

    if Consultation.objects.filter(policy__title=OPEN_POLICY).exists():
        return ""
    today = timezone.localdate()
    policy = _policy(OPEN_POLICY, OPEN_DRAFT, department)
    c = actions.create_consultation(
        actor=None,
        policy=policy,
        explanation="为贯彻落实国际消费中心城市建设要求，区发展改革委起草了本措施，现公开征求意见。",
        start_date=today - datetime.timedelta(days=5),
        contact="区发展改革委 010-83970000",
    )
    actions.publish_consultation(c, actor=None)
    published = [(1, "建议明确重点商圈的认定标准。"), (3, "夜间经营补贴建议覆盖书店等文化场所。")]
    for unit, text in published:
        comment = actions.submit_comment(
            c, text=text, unit_index=unit, received_at=_at(today - datetime.timedelta(days=4))
        )
        actions.publish_comment(comment, actor=None)
    actions.submit_comment(
        c,
        text="首店奖励的申报流程希望尽量简化。",
        unit_index=2,
        received_at=_at(today - datetime.timedelta(days=1)),
    )
    return "正在征求意见 1 个"


@transaction.atomic
def _survey(department) -> str:
    import random

    from . import actions
    from .models import Consultation, QuestionKind, Survey

    if Survey.objects.filter(title=SURVEY_TITLE).exists():
        return ""
    closed = Consultation.objects.filter(policy__title=CLOSED_POLICY).select_related("policy").first()
    survey = actions.create_survey(
        actor=None,
        department=department,
        title=SURVEY_TITLE,
        description="了解楼宇企业对政策支持和服务的需求，结果将用于政策制定和评价。",
        policy=closed.policy if closed else None,
    )
    q1 = actions.add_question(
        survey,
        actor=None,
        text="贵单位最希望获得哪类支持？",
        kind=QuestionKind.SINGLE,
        options=["资金奖励", "办公空间", "人才服务", "融资对接"],
    )
    q2 = actions.add_question(
        survey,
        actor=None,
        text="贵单位获取政策信息的渠道（可多选）",
        kind=QuestionKind.MULTIPLE,
        options=["政府网站", "政务新媒体", "楼宇服务专员", "行业协会"],
    )
    q3 = actions.add_question(survey, actor=None, text="对本区政策服务的总体满意度", kind=QuestionKind.RATING)
    q4 = actions.add_question(survey, actor=None, text="其他意见建议", kind=QuestionKind.TEXT, required=False)
    actions.open_survey(survey, actor=None)
    rng = random.Random(17)
    for i in range(24):
        answers = {
            q1.pk: rng.choice([0, 0, 0, 1, 2, 3]),
            q2.pk: sorted(rng.sample(range(4), rng.randint(1, 3))),
            q3.pk: rng.choice([3, 4, 4, 5, 5]),
            q4.pk: "希望简化申报材料" if i % 6 == 0 else "",
        }
        actions.submit_survey_response(survey, token=f"demo-respondent-{i}", answers=answers)
    return "需求征集问卷 1 份（24 份答卷）"


def load_demo() -> str:
    from .actions import add_sensitive_word

    department = _department()
    if department is None:
        return "缺少区发展改革委，跳过"
    for word, note in SENSITIVE_WORDS:
        add_sensitive_word(word, actor=None, note=note)
    made = [m for m in (_closed(department), _open(department), _survey(department)) if m]
    return "、".join(made) or "已存在"
