"""The district's departments as data: every department named in the 2023 and 2024 work plans, plus the
district's subdistricts. `seed_departments()` creates or updates them (idempotent).

Each row: full name, short name (as the work plans write it), code (for 索引号), kind, aliases.

The table is plain data (no Django import at module level), so that parsers can resolve names without a
database (`gongkai.core.departments.seed_resolver`).
"""

from __future__ import annotations

# The values of `core.models.DepartmentKind` (kept as plain strings so this module imports without Django).
G, B, S, D, OTHER = ("government", "bureau", "subdistrict", "district_body", "other")

DISTRICT_GOVERNMENT = "北京市西城区人民政府"

DEPARTMENTS: list[tuple[str, str, str, str, list[str]]] = [
    (DISTRICT_GOVERNMENT, "区政府", "XCQZF", G, ["西城区人民政府", "西城区政府"]),
    ("北京市西城区人民政府办公室", "区政府办", "XCZFB", B, ["区政府办公室", "西城区政府办公室"]),
    (
        "西城区政府信息与政务公开领导小组办公室",
        "区政务公开领导小组办公室",
        "XCGKB",
        OTHER,
        ["区政府信息与政务公开领导小组办公室", "政务公开领导小组办公室"],
    ),
    (
        "北京市西城区政务服务管理局",
        "区政务服务局",
        "XCZWFW",
        B,
        ["区政务服务管理局", "西城区政务服务管理局", "区政务服务和数据管理局"],
    ),
    ("北京市西城区发展和改革委员会", "区发展改革委", "XCFGW", B, ["区发改委", "区发展和改革委员会"]),
    ("北京市西城区教育委员会", "区教委", "XCJW", B, ["区教育委员会"]),
    ("北京市西城区科学技术和信息化局", "区科技和信息化局", "XCKXJ", B, ["区科信局", "区科学技术和信息化局"]),
    ("北京市西城区数据局", "区数据局", "XCSJJ", B, ["区数据管理局"]),
    ("北京市西城区民政局", "区民政局", "XCMZJ", B, []),
    ("北京市西城区司法局", "区司法局", "XCSFJ", B, []),
    ("北京市西城区财政局", "区财政局", "XCCZJ", B, []),
    ("北京市西城区人力资源和社会保障局", "区人力社保局", "XCRSJ", B, ["区人力资源社会保障局", "区人社局"]),
    (
        "北京市规划和自然资源委员会西城分局",
        "市规划自然资源委西城分局",
        "XCGHZY",
        OTHER,
        ["规划自然资源委西城分局"],
    ),
    ("北京市西城区生态环境局", "区生态环境局", "XCSTHJ", B, ["区环保局"]),
    (
        "北京市西城区住房和城市建设委员会",
        "区住房城市建设委",
        "XCZJW",
        B,
        ["区住建委", "区住房和城市建设委员会"],
    ),
    ("北京市西城区房屋管理局", "区房管局", "XCFGJ", B, ["区房屋管理局"]),
    ("北京市西城区城市管理委员会", "区城市管理委", "XCCGW", B, ["区城管委", "区城市管理委员会"]),
    ("北京市西城区城市管理综合行政执法局", "区城管执法局", "XCCGZF", B, ["区城市管理综合行政执法局"]),
    ("北京市西城区商务局", "区商务局", "XCSWJ", B, []),
    ("北京市西城区文化和旅游局", "区文化和旅游局", "XCWLJ", B, ["区文旅局"]),
    ("北京市西城区卫生健康委员会", "区卫生健康委", "XCWJW", B, ["区卫健委", "区卫生健康委员会"]),
    ("北京市西城区退役军人事务局", "区退役军人局", "XCTYJR", B, ["区退役军人事务局"]),
    ("北京市西城区应急管理局", "区应急局", "XCYJJ", B, ["区应急管理局"]),
    ("北京市西城区审计局", "区审计局", "XCSJ", B, []),
    ("北京市西城区市场监督管理局", "区市场监管局", "XCSCJG", B, ["区市场监督管理局"]),
    ("北京市西城区统计局", "区统计局", "XCTJJ", B, []),
    ("北京市西城区医疗保障局", "区医保局", "XCYBJ", B, ["区医疗保障局"]),
    ("北京市西城区体育局", "区体育局", "XCTYJ", B, []),
    ("北京市西城区园林绿化局", "区园林绿化局", "XCYLJ", B, ["区园林局"]),
    ("北京市西城区经济促进局", "区经济促进局", "XCJJCJ", B, ["区经促局"]),
    ("北京市西城区国有资产监督管理委员会", "区国资委", "XCGZW", B, []),
    ("北京市西城区信访办公室", "区信访办", "XCXFB", B, []),
    ("北京市西城区城市管理指挥中心", "区城市管理指挥中心", "XCCGZX", D, ["区城管指挥中心"]),
    ("北京市西城区融媒体中心", "区融媒体中心", "XCRMT", D, []),
    ("中关村科学城西城园管理委员会", "西城园管委会", "XCYGWH", D, ["中关村西城园管委会", "区西城园管委会"]),
    ("北京金融街服务局", "金融街服务局", "XCJRJ", D, ["区金融街服务局", "西城区金融街服务局"]),
    ("中共北京市西城区委宣传部", "区委宣传部", "XCXCB", OTHER, []),
    ("北京市西城区西长安街街道办事处", "西长安街街道", "XCJD01", S, []),
    ("北京市西城区新街口街道办事处", "新街口街道", "XCJD02", S, []),
    ("北京市西城区月坛街道办事处", "月坛街道", "XCJD03", S, []),
    ("北京市西城区展览路街道办事处", "展览路街道", "XCJD04", S, []),
    ("北京市西城区德胜街道办事处", "德胜街道", "XCJD05", S, []),
    ("北京市西城区金融街街道办事处", "金融街街道", "XCJD06", S, []),
    ("北京市西城区什刹海街道办事处", "什刹海街道", "XCJD07", S, []),
    ("北京市西城区大栅栏街道办事处", "大栅栏街道", "XCJD08", S, []),
    ("北京市西城区天桥街道办事处", "天桥街道", "XCJD09", S, []),
    ("北京市西城区椿树街道办事处", "椿树街道", "XCJD10", S, []),
    ("北京市西城区陶然亭街道办事处", "陶然亭街道", "XCJD11", S, []),
    ("北京市西城区广安门内街道办事处", "广安门内街道", "XCJD12", S, []),
    ("北京市西城区牛街街道办事处", "牛街街道", "XCJD13", S, []),
    ("北京市西城区白纸坊街道办事处", "白纸坊街道", "XCJD14", S, []),
    ("北京市西城区广安门外街道办事处", "广安门外街道", "XCJD15", S, []),
]

NOT_POLICY_MAKERS = {"区委宣传部", "区融媒体中心", "区城市管理指挥中心", "区政务公开领导小组办公室"}


def seed_departments() -> int:
    """Creates or updates the departments above under the district government. Returns how many exist."""
    from .models import Department

    root = None
    for order, (name, short, code, kind, aliases) in enumerate(DEPARTMENTS):
        dept, _created = Department.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "aliases": aliases,
                "sort_order": (order + 1) * 10,
                "parent": root,
                "makes_policy": short not in NOT_POLICY_MAKERS,
            },
        )
        if root is None:
            root = dept
    return Department.objects.count()
