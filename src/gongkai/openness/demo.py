"""Demo data of the 政府信息公开 column, so that `make demo` shows every section. Idempotent: each section is
filled only while it is empty. Everything goes through the actions (actor=None: the system). Names, numbers and
codes are fictional; the footer identifiers are marked 演示."""

from __future__ import annotations

import datetime

from django.utils import timezone

SETTINGS = {
    "office_name": "北京市西城区人民政府办公室（区政务公开办公室）",
    "office_address": "北京市西城区二龙路27号",
    "office_postcode": "100032",
    "office_hours": "工作日 上午9:00—12:00，下午13:30—17:00",
    "office_phone": "010-00000000（演示）",
    "office_fax": "010-00000001（演示）",
    "office_email": "gongkai@example.invalid",
    "reading_room": "区政务服务中心一层政府信息查阅点；区图书馆二层政府信息查阅室",
    "sponsor": "北京市西城区人民政府",
    "organiser": "北京市西城区政务服务局",
    "site_code": "0000000000",
    "icp_number": "京ICP备00000000号（演示）",
    "police_number": "京公网安备00000000000000号（演示）",
    "error_report_url": "https://zfwzzc.www.gov.cn/",
}

RULES = [
    (
        "区政务服务局",
        "西城区政府信息主动公开工作制度",
        "一、各部门按照“谁制作、谁公开，谁保存、谁公开”的原则确定主动公开的政府信息。\n二、属于主动公开范围的政府信息，自形成或者变更之日起20个工作日内公开。\n三、公开前依照保密审查制度进行审查。",
    ),
    (
        "区政务服务局",
        "西城区政府信息依申请公开办理制度",
        "一、申请统一登记、分办，办理机关按期答复。\n二、答复期限为收到申请之日起20个工作日，需延长的经负责人同意，延长不超过20个工作日。\n三、答复文书统一格式，加盖印章。",
    ),
    (
        "区政务服务局",
        "西城区政府信息公开保密审查制度",
        "一、拟公开的政府信息，由起草部门依照保密法律法规进行审查。\n二、不能确定是否可以公开的，报有关主管部门或者保密行政管理部门确定。",
    ),
]

ENTRIES = [
    (
        "区发展改革委",
        "functions",
        "区发展改革委主要职责",
        "负责拟订并组织实施本区国民经济和社会发展规划；统筹协调经济社会发展；承担重大建设项目管理等。",
    ),
    (
        "区民政局",
        "functions",
        "区民政局主要职责",
        "负责本区社会救助、养老服务、社会组织登记管理、婚姻登记、殡葬管理等工作。",
    ),
    (
        "区发展改革委",
        "organisation",
        "区发展改革委内设机构",
        "办公室、综合规划科、投资管理科、价格管理科、经济运行科。\n办公地址：北京市西城区某某街1号（演示）。",
    ),
    (
        "区民政局",
        "leaders",
        "区民政局领导信息",
        "局长：（演示）主持全面工作。\n副局长：（演示）分管社会救助、养老服务。",
    ),
    (
        "区财政局",
        "budgets",
        "西城区2025年区级财政预算",
        "经区人民代表大会批准的2025年区级一般公共预算、政府性基金预算、国有资本经营预算。",
    ),
    ("区财政局", "budgets", "西城区2024年区级财政决算", "经区人大常委会批准的2024年区级财政决算及说明。"),
    (
        "区发展改革委",
        "fees",
        "区级行政事业性收费项目目录",
        "按北京市公布的行政事业性收费目录清单执行，本区无自行设立的收费项目。",
    ),
    (
        "区财政局",
        "procurement",
        "2025年区级政府集中采购目录及标准",
        "集中采购机构采购项目、分散采购限额标准和公开招标数额标准。",
    ),
    (
        "区发展改革委",
        "statistics",
        "2025年前三季度全区经济运行情况",
        "前三季度全区地区生产总值同比增长（演示数据）。",
    ),
    (
        "区民政局",
        "emergency",
        "西城区自然灾害救助应急预案",
        "明确自然灾害救助的组织指挥、应急准备、响应程序和灾后救助。",
    ),
    (
        "区政务服务局",
        "personnel",
        "2025年度考试录用公务员拟录用人员公示",
        "拟录用人员名单（演示），公示期5个工作日。",
    ),
    ("区发展改革委", "projects", "2025年区重点建设项目计划", "全区重点建设项目的名称、建设内容和实施进度。"),
]

LIST_ITEMS = [
    # department, category, name, basis, timing, frequency, days since change (None) / published days ago (None)
    (
        "区发展改革委",
        "functions",
        "机构职能",
        "《政府信息公开条例》第二十条第（二）项",
        "信息形成或变更之日起20个工作日内",
        "on_change",
        None,
        200,
    ),
    (
        "区发展改革委",
        "plans",
        "国民经济和社会发展规划",
        "《政府信息公开条例》第二十条第（三）项",
        "规划批准之日起20个工作日内",
        "on_change",
        90,
        None,
    ),
    (
        "区发展改革委",
        "statistics",
        "经济运行情况",
        "《政府信息公开条例》第二十条第（四）项",
        "每季度结束后20个工作日内",
        "quarterly",
        None,
        2,
    ),
    (
        "区财政局",
        "budgets",
        "区级财政预算",
        "《中华人民共和国预算法》第十四条；条例第二十条第（七）项",
        "人大批准后20日内",
        "annual",
        None,
        300,
    ),
    (
        "区财政局",
        "procurement",
        "政府集中采购目录及标准",
        "条例第二十条第（九）项",
        "每年",
        "annual",
        None,
        20,
    ),
    (
        "区民政局",
        "livelihood",
        "最低生活保障标准",
        "条例第二十条第（十一）项",
        "标准调整之日起20个工作日内",
        "on_change",
        10,
        None,
    ),
    (
        "区民政局",
        "emergency",
        "自然灾害救助应急预案",
        "条例第二十条第（十二）项",
        "预案制定或修订之日起20个工作日内",
        "on_change",
        400,
        380,
    ),
    (
        "区民政局",
        "statistics",
        "民政事业统计月报",
        "条例第二十条第（四）项",
        "每月结束后20个工作日内",
        "monthly",
        None,
        70,
    ),
]

POWERS = [
    (
        "区民政局",
        "XC-MZ-XK-001",
        "licensing",
        "民办非企业单位（社会服务机构）成立、变更、注销登记",
        "《民办非企业单位登记管理暂行条例》第三条、第五条",
        "受理、审查、决定、送达；事后监管",
        "不符合条件予以登记的；符合条件不予登记的",
    ),
    (
        "区民政局",
        "XC-MZ-JF-002",
        "payment",
        "最低生活保障金给付",
        "《社会救助暂行办法》第九条、第十一条",
        "受理、审核确认、公示、给付、动态管理",
        "对符合条件的申请不予受理的；违反规定确认的",
    ),
    (
        "区发展改革委",
        "XC-FG-CF-001",
        "penalty",
        "对违反价格法律法规行为的行政处罚",
        "《中华人民共和国价格法》第三十九条至第四十二条",
        "立案、调查、告知、决定、执行",
        "未依法告知当事人陈述申辩权利的",
    ),
    (
        "区发展改革委",
        "XC-FG-JC-002",
        "inspection",
        "固定资产投资项目监督检查",
        "《政府投资条例》第三十条",
        "制定计划、实施检查、处理、公开结果",
        "检查中发现问题不依法处理的",
    ),
]

INSTITUTIONS = [
    (
        "区教委",
        "education",
        "西城区某某小学（演示）",
        "公办完全小学，24个教学班。",
        "北京市西城区某某胡同5号",
        "010-00000002",
        "工作日 8:00—17:00",
        "新生入学登记\n学籍信息查询\n转学手续办理",
        "入学登记：通过区义务教育入学服务平台登记；材料：户口簿、房产证明；时限：每年5月。",
    ),
    (
        "区卫生健康委",
        "health",
        "西城区某某社区卫生服务中心（演示）",
        "提供基本医疗和基本公共卫生服务。",
        "北京市西城区某某街10号",
        "010-00000003",
        "每日 8:00—17:00",
        "家庭医生签约\n预防接种\n慢性病管理\n老年人健康体检",
        "家庭医生签约：携带身份证、社保卡到服务中心或通过线上平台签约，免费。",
    ),
    (
        "区城市管理委",
        "heating",
        "西城区某某供热厂（演示）",
        "负责辖区内集中供热。",
        "北京市西城区某某路20号",
        "96069（演示）",
        "供暖季24小时",
        "供热报修\n供热费缴纳\n停供申请",
        "供暖期为每年11月15日至次年3月15日；报修24小时受理。",
    ),
]


def _department(name):
    from gongkai.core.departments import resolve_department
    from gongkai.core.models import Department

    return resolve_department(name) or Department.objects.order_by("pk").first()


def load_demo() -> str:
    from . import actions
    from .models import Entry, GazetteIssue, Institution, ListItem, OpennessSettings, PowerItem

    done = []
    today = timezone.localdate()
    site = OpennessSettings.load()
    if not site.office_name:
        for key, value in SETTINGS.items():
            setattr(site, key, value)
        site.save()
        done.append("指南和网站标识")
    if not Entry.objects.exists():
        for dept, title, body in RULES:
            actions.create_entry(actor=None, department=_department(dept), section="rules", title=title, body=body,
                                 published_on=today - datetime.timedelta(days=120))  # fmt: skip
        for n, (dept, category, title, body) in enumerate(ENTRIES):
            actions.create_entry(
                actor=None, department=_department(dept), section="proactive", category=category, title=title,
                body=body, published_on=today - datetime.timedelta(days=10 * n + 3),
            )  # fmt: skip
        done.append(f"{len(RULES) + len(ENTRIES)} 条制度和主动公开内容")
    if not ListItem.objects.exists():
        for dept, category, name, basis, timing, frequency, changed_ago, published_ago in LIST_ITEMS:
            actions.create_list_item(
                actor=None, department=_department(dept), category=category, name=name, basis=basis,
                timing=timing, frequency=frequency, channel="区政府网站“政府信息公开”专栏",
                changed_on=today - datetime.timedelta(days=changed_ago) if changed_ago is not None else None,
                last_published_on=today - datetime.timedelta(days=published_ago) if published_ago is not None else None,
            )  # fmt: skip
        done.append(f"{len(LIST_ITEMS)} 个全清单事项")
    if not PowerItem.objects.exists():
        for dept, code, kind, name, basis, duties, accountability in POWERS:
            actions.create_power_item(
                actor=None, department=_department(dept), code=code, kind=kind, name=name, basis=basis,
                responsibilities=duties, accountability=accountability, reason="2024年权责清单统一公布",
            )  # fmt: skip
        first = PowerItem.objects.get(code="XC-MZ-JF-002")
        actions.update_power_item(
            first, actor=None, reason="依据北京市社会救助实施办法调整设定依据",
            basis=first.basis + "；《北京市社会救助实施办法》第十二条",
        )  # fmt: skip
        done.append(f"{len(POWERS)} 个权责清单事项")
    if not Institution.objects.exists():
        for dept, sector, name, info, address, phone, hours, services, guide in INSTITUTIONS:
            actions.create_institution(
                actor=None, department=_department(dept), sector=sector, name=name, basic_info=info,
                address=address, phone=phone, hours=hours, services=services, guide=guide,
            )  # fmt: skip
        done.append(f"{len(INSTITUTIONS)} 个公共企事业单位")
    if not GazetteIssue.objects.exists():
        from gongkai.policies.models import Policy

        policies = list(
            Policy.objects.public().exclude(publish_date=None).order_by("-publish_date", "-pk")[:4]
        )
        if policies:
            policies.sort(key=lambda p: (p.publish_date, p.pk))
            year = policies[-1].publish_date.year
            issue = actions.create_gazette_issue(actor=None, year=year, policies=policies)
            issue = actions.publish_gazette_issue(issue, actor=None)
            done.append(f"政府公报{issue.citation}")
    return "；".join(done) if done else "政府信息公开专栏已有数据，未改动"
