"""Demo data of the English site (docs/portal.md, "English site"): English names of the main departments and
English titles and summaries of a few demo policies. Idempotent: only empty English fields are filled."""

from django.db import transaction

# code → English name (the usual English names of Beijing district bodies).
DEPARTMENT_NAMES = {
    "XCQZF": "Xicheng District People's Government",
    "XCZFB": "General Office of the Xicheng District Government",
    "XCFGW": "Xicheng District Development and Reform Commission",
    "XCJW": "Xicheng District Education Commission",
    "XCKXJ": "Xicheng District Bureau of Science, Technology and Informatisation",
    "XCMZJ": "Xicheng District Civil Affairs Bureau",
    "XCSFJ": "Xicheng District Justice Bureau",
    "XCCZJ": "Xicheng District Finance Bureau",
    "XCRSJ": "Xicheng District Human Resources and Social Security Bureau",
    "XCSWJ": "Xicheng District Commerce Bureau",
    "XCWJW": "Xicheng District Health Commission",
    "XCSCJG": "Xicheng District Administration for Market Regulation",
    "XCJJCJ": "Xicheng District Economic Promotion Bureau",
    "XCZWFW": "Xicheng District Government Services Bureau",
}

# Chinese title → (English title, English summary).
POLICIES = {
    "西城区促进中小企业专精特新发展的若干措施": (
        "Measures of Xicheng District to Promote Specialised and Innovative Small and Medium-sized Enterprises",
        "Support for small and medium-sized enterprises that are specialised, refined, distinctive and "
        "innovative: grants for enterprises newly recognised at municipal or national level, support for "
        "research and development, financing and office space, and a single service desk for applications.",
    ),
    "西城区“十四五”时期数字经济发展规划": (
        "Xicheng District Digital Economy Development Plan for the 14th Five-Year Plan Period",
        "Goals and main tasks for the digital economy of Xicheng District from 2021 to 2025: digital "
        "infrastructure, digital finance around Financial Street, data as a factor of production, and the "
        "digital transformation of services and public administration.",
    ),
    "西城区养老服务补贴管理办法": (
        "Xicheng District Measures for the Administration of Elderly Care Service Subsidies",
        "Who may receive elderly care service subsidies in Xicheng District, how much is paid, how to apply "
        "and how the subsidies are supervised. These measures replace the interim measures of the same name.",
    ),
    "西城区惠企政策兑现服务工作规程": (
        "Xicheng District Procedures for Delivering Business Support Policies",
        "How enterprises apply for the benefits of business support policies, how departments accept, review "
        "and pay them within set time limits, and which benefits are granted without an application.",
    ),
}


def load_demo() -> str:
    from gongkai.core.models import Department
    from gongkai.policies import actions
    from gongkai.policies.models import Policy

    named = 0
    with transaction.atomic():
        for department in Department.objects.filter(code__in=DEPARTMENT_NAMES, name_en=""):
            department.name_en = DEPARTMENT_NAMES[department.code]
            department.save(update_fields=["name_en"])
            named += 1
    translated = 0
    for title, (title_en, summary_en) in POLICIES.items():
        policy = Policy.objects.filter(title=title, title_en="", live=True).first()
        if policy is None:
            continue
        with transaction.atomic():
            actions.update_policy(policy, actor=None, title_en=title_en, summary_en=summary_en)
            actions.publish_policy(Policy.objects.get(pk=policy.pk), actor=None, override_reason="演示数据")
        translated += 1
    return f"部门英文名称 {named} 个，英文标题和摘要 {translated} 件"
