"""Demo data for `make demo`: departments, roles, staff users, a dozen written-for-the-demo policies covering every
policy type and validity state, and (when it exists) the law corpus from the shared folder."""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from gongkai.core import roles
from gongkai.core.models import Department, User
from gongkai.core.roles import ensure_roles
from gongkai.core.seed_departments import seed_departments
from gongkai.core.setup_hooks import run_setup_hooks

D = datetime.date

# (title, issuer, doc number, type, normative, written, effective, validity years, theme, disclosure, body)
DEMO_POLICIES = [
    (
        "西城区促进中小企业专精特新发展的若干措施",
        "区发展改革委",
        "西发改发〔2024〕3号",
        "service",
        True,
        D(2024, 3, 1),
        D(2024, 4, 1),
        3,
        "国民经济管理、国有资产监管",
        (
            "第一条 为支持本区中小企业走专精特新发展道路，制定本措施。\n"
            "第二条 对首次认定为国家级专精特新“小巨人”企业的，给予一次性奖励50万元。\n"
            "第三条 申请单位应在本区注册纳税，上一年度营业收入不低于1000万元。\n"
            "第四条 申报材料包括申请表、营业执照复印件、认定文件。受理部门为区发展改革委，联系电话见申报指南。\n"
            "第五条 本措施自2024年4月1日起施行，有效期3年。"
        ),
    ),
    (
        "西城区“十四五”时期数字经济发展规划",
        "区数据局",
        "西数发〔2022〕1号",
        "macro_plan",
        False,
        D(2022, 2, 10),
        D(2022, 2, 10),
        None,
        "科技、教育",
        "一、发展基础\n（一）数字经济规模持续扩大。\n二、总体要求\n（一）指导思想。坚持数据赋能，建设全球数字经济标杆城市西城示范区。\n三、重点任务\n（一）推进数据基础设施建设。\n（二）培育数字经济产业集群。",
    ),
    (
        "西城区2024年老旧小区综合整治工作方案",
        "区住房城市建设委",
        "西建发〔2024〕12号",
        "action_plan",
        False,
        D(2024, 2, 20),
        D(2024, 2, 20),
        None,
        "城乡建设、环境保护",
        "一、工作目标\n2024年完成老旧小区综合整治项目20个，加装电梯50部。\n二、主要任务\n（一）完善基础类改造。\n（二）推进适老化改造和无障碍环境建设。\n三、保障措施\n各街道负责组织实施。",
    ),
    (
        "西城区养老服务补贴管理办法",
        "区民政局",
        "西民发〔2025〕2号",
        "service",
        True,
        D(2025, 1, 10),
        D(2025, 2, 1),
        5,
        "民政、扶贫、救灾",
        "第一条 为规范养老服务补贴发放，制定本办法。\n第二条 本办法所称养老服务补贴，是指对本区户籍经济困难老年人给予的服务补贴。\n第三条 补贴标准为每人每月600元。\n第四条 本办法自2025年2月1日起施行，有效期5年。《西城区养老服务补贴管理暂行办法》同时废止。",
    ),
    (
        "西城区养老服务补贴管理暂行办法",
        "区民政局",
        "西民发〔2020〕5号",
        "service",
        True,
        D(2020, 3, 1),
        D(2020, 4, 1),
        5,
        "民政、扶贫、救灾",
        "第一条 为规范养老服务补贴发放，制定本办法。\n第二条 本办法所称养老服务补贴，是指对本区经济困难老年人给予的服务补贴。\n第三条 补贴标准为每人每月500元。\n第四条 本办法自2020年4月1日起施行。",
    ),
    (
        "西城区惠企政策兑现服务工作规程",
        "区政务服务局",
        "西政服发〔2024〕4号",
        "service",
        True,
        D(2024, 5, 6),
        D(2024, 6, 1),
        5,
        "综合政务",
        "第一条 为做好惠企政策“一口兑现”，制定本规程。\n第二条 凡涉及财政资金的惠企政策均通过“京策”平台统一兑现。\n第三条 区政务服务局负责政策兑现专题的运行维护。",
    ),
    (
        "西城区政府信息公开申请办理工作规范",
        "区政务服务局",
        "西政服发〔2023〕9号",
        "action_plan",
        True,
        D(2023, 8, 15),
        D(2023, 9, 1),
        5,
        "综合政务",
        "第一条 为依法办理政府信息公开申请，根据《中华人民共和国政府信息公开条例》，制定本规范。\n第二条 行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复。\n第三条 不能当场答复的，应当自收到申请之日起20个工作日内予以答复。",
    ),
    (
        "西城区2027年体育惠民消费券发放方案",
        "区体育局",
        "西体发〔2026〕6号",
        "service",
        False,
        D(2026, 10, 20),
        D(2027, 1, 1),
        None,
        "卫生、体育",
        "一、发放对象\n在本区工作生活的市民。\n二、发放方式\n通过线上平台分批发放体育消费券。\n三、实施时间\n自2027年1月1日起实施。",
    ),
    (
        "西城区商业步行街品质提升行动计划（2019—2021年）",
        "区商务局",
        "西商发〔2019〕8号",
        "action_plan",
        True,
        D(2019, 6, 1),
        D(2019, 7, 1),
        2,
        "商贸、海关、旅游",
        "一、工作目标\n提升商业步行街品质。\n二、重点任务\n（一）改善街区环境。\n（二）引进首店首发。\n本计划有效期2年。",
    ),
    (
        "西城区接诉即办工作考核办法",
        "区政府办",
        "西政办发〔2023〕15号",
        "action_plan",
        True,
        D(2023, 4, 3),
        D(2023, 5, 1),
        5,
        "综合政务",
        "第一条 为推动接诉即办工作，制定本办法。\n第二条 考核对象为区政府各部门、各街道。\n第三条 考核结果纳入绩效考核。",
    ),
    (
        "西城区接诉即办工作考核办法（修订）",
        "区政府办",
        "西政办发〔2025〕7号",
        "action_plan",
        True,
        D(2025, 3, 3),
        D(2025, 4, 1),
        5,
        "综合政务",
        "第一条 为推动接诉即办工作，制定本办法。\n第二条 考核对象为区政府各部门、各街道办事处。\n第三条 考核结果纳入绩效考核，并向社会公开。\n第四条 对《西城区接诉即办工作考核办法》第二条作如上修改。",
    ),
    (
        "关于西城区内部会议安排的通知",
        "区政府办",
        "西政办字〔2024〕21号",
        "action_plan",
        False,
        D(2024, 7, 1),
        D(2024, 7, 1),
        None,
        "综合政务",
        "各部门：定于下周召开内部工作会议，请做好准备。",
    ),
]

# (user name, label, roles, department). The departments' openness officers also handle disclosure requests
# (依申请公开办理人员); the drafters and the reviewers do not.
DEMO_USERS = [
    ("drafter_fgw", "起草人员（区发展改革委）", (roles.DRAFTER,), "区发展改革委"),
    (
        "officer_fgw",
        "公开专员（区发展改革委）",
        (roles.DEPARTMENT_OFFICER, roles.DISCLOSURE_HANDLER),
        "区发展改革委",
    ),
    # A second handler of the same department: sees another handler's reply letters with the applicant masked.
    (
        "officer2_fgw",
        "公开专员二（区发展改革委）",
        (roles.DEPARTMENT_OFFICER, roles.DISCLOSURE_HANDLER),
        "区发展改革委",
    ),
    ("drafter_mz", "起草人员（区民政局）", (roles.DRAFTER,), "区民政局"),
    ("officer_mz", "公开专员（区民政局）", (roles.DEPARTMENT_OFFICER, roles.DISCLOSURE_HANDLER), "区民政局"),
    ("gongkai_office", "政务公开办（区政务服务局）", (roles.OPENNESS_OFFICE,), "区政务服务局"),
    ("finance", "财政审核（区财政局）", (roles.FINANCE_REVIEWER,), "区财政局"),
    ("justice", "合法性审核（区司法局）", (roles.JUSTICE_REVIEWER,), "区司法局"),
    ("district_office", "区政府办公室审核", (roles.DISTRICT_OFFICE_REVIEWER,), "区政府办"),
]

# Fictional heads (主要负责人) of the demo departments: the default first interpreter of their interpretations.
DEMO_DEPARTMENT_HEADS = {
    "区发展改革委": "王建国",
    "区民政局": "李秀兰",
    "区政务服务局": "张明",
    "区政府办": "刘强",
    "区财政局": "陈静",
    "区司法局": "赵磊",
}


def _department(short_name: str) -> Department:
    from gongkai.core.departments import resolve_department

    dept = resolve_department(short_name)
    if dept is None:
        raise LookupError(short_name)
    return dept


def load_base() -> list[str]:
    seed_departments()
    ensure_roles()
    return run_setup_hooks()


def ensure_admin(login_file: Path) -> tuple[str, str | None]:
    """Creates the demo administrator once; the password is printed once and kept in `login_file`."""
    user = User.objects.filter(username="admin").first()
    if user is not None:
        return "admin", None
    password = secrets.token_urlsafe(9)
    user = User.objects.create_superuser(
        "admin",
        "admin@example.invalid",
        password,
        department=_department("区政务服务局"),
        last_name="系统管理员",
    )
    roles.assign_role(user, roles.ADMINISTRATOR)
    login_file.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"管理员 / administrator: admin  密码 / password: {password}"]
    for username, label, _role, _dept in DEMO_USERS:
        lines.append(f"{label}: {username}  密码 / password: {password}")
    login_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    login_file.chmod(0o600)
    for username, label, role_list, dept in DEMO_USERS:
        staff = User.objects.create_user(
            username, f"{username}@example.invalid", password, department=_department(dept)
        )
        staff.last_name = label
        staff.save()
        for role in role_list:
            roles.assign_role(staff, role)
    return "admin", password


def ensure_demo_accounts(login_file: Path) -> int:
    """Brings an existing demo database up to date (idempotent): department heads, demo users added since it
    was made (with the demo password kept in `login_file`), and the roles the demo users have now (e.g. the
    disclosure-handling role). Returns how many things changed."""
    changed = 0
    password = None
    if login_file.is_file():
        first = login_file.read_text(encoding="utf-8").splitlines()[:1]
        if first and "password:" in first[0]:
            password = first[0].rsplit("password:", 1)[1].strip()
    for username, label, _roles, dept in DEMO_USERS:
        if password and not User.objects.filter(username=username).exists():
            staff = User.objects.create_user(
                username,
                f"{username}@example.invalid",
                password,
                department=_department(dept),
                last_name=label,
            )
            with login_file.open("a", encoding="utf-8") as fh:
                fh.write(f"{label}: {username}  密码 / password: {password}\n")
            changed += 1
    for short_name, head in DEMO_DEPARTMENT_HEADS.items():
        department = _department(short_name)
        if not department.head_name:
            department.head_name = head
            department.save(update_fields=["head_name"])
            changed += 1
    for username, _label, role_list, _dept in DEMO_USERS:
        staff = User.objects.filter(username=username).first()
        if staff is None:
            continue
        for role in role_list:
            if not roles.user_has_role(staff, role):
                roles.assign_role(staff, role)
                changed += 1
    return changed


@transaction.atomic
def load_demo_policies() -> int:
    from gongkai.policies import actions
    from gongkai.policies.models import DisclosureAttribute, Policy, RelationKind, Theme

    created = 0
    by_title = {}
    for title, issuer, number, ptype, normative, written, effective, years, theme, body in DEMO_POLICIES:
        existing = Policy.objects.filter(title=title).first()
        if existing:
            by_title[title] = existing
            continue
        internal = "内部会议" in title
        policy = actions.create_policy(
            actor=None,
            title=title,
            issuer=_department(issuer),
            doc_number=number,
            policy_type=ptype,
            is_normative=normative,
            written_date=written,
            publish_date=written + datetime.timedelta(days=3),
            effective_date=effective,
            validity_years=years,
            theme=Theme.objects.filter(name=theme, parent=None).first(),
            disclosure=DisclosureAttribute.NOT_DISCLOSED if internal else DisclosureAttribute.PROACTIVE,
            disclosure_reason="内部事务信息，依据《中华人民共和国政府信息公开条例》第十六条不予公开"
            if internal
            else "",
            body=body,
        )
        policy = actions.publish_policy(policy, actor=None, override_reason="演示数据")
        by_title[title] = policy
        created += 1
    new, old = by_title["西城区养老服务补贴管理办法"], by_title["西城区养老服务补贴管理暂行办法"]
    actions.add_relation(new, old, RelationKind.REPLACES, actor=None, note="新版本")
    amended_by, amended = (
        by_title["西城区接诉即办工作考核办法（修订）"],
        by_title["西城区接诉即办工作考核办法"],
    )
    actions.add_relation(amended_by, amended, RelationKind.AMENDS, actor=None)
    # A draft that is not public yet.
    if not Policy.objects.filter(title="西城区政务公开工作考核细则（征求意见稿）").exists():
        actions.create_policy(
            actor=None,
            title="西城区政务公开工作考核细则（征求意见稿）",
            issuer=_department("区政务服务局"),
            policy_type="action_plan",
            body="第一条 为做好政务公开考核，制定本细则。",
        )
    return created


def corpus_dir() -> Path:
    return Path(settings.SHARED_DIR) / "corpus" / "laws"
