"""Generated enterprises with plausible facts, for the demo dataset, the tests (10,000) and the benchmark
(100,000). Deterministic for a seed. Credit codes are valid GB 32100 codes of the district (110102); about 8 %
are 个体工商户 (category 92), whose names are personal data."""

from __future__ import annotations

import datetime
import random

from gongkai.secrecy.scanner import _USCC_CHARS, credit_code_check_char

from .datasets import ParsedRecord

# (division, weight) — the district is services-heavy: finance, software, business services, trade, culture.
INDUSTRIES = [
    ("65", 14), ("64", 6), ("66", 6), ("67", 5), ("69", 3), ("72", 12), ("73", 4), ("74", 6), ("75", 3),
    ("51", 9), ("52", 8), ("62", 5), ("61", 2), ("86", 2), ("87", 2), ("88", 3), ("90", 1), ("82", 2),
    ("702", 2), ("701", 1), ("39", 1), ("27", 1), ("48", 1), ("54", 1), ("80", 1),
]  # fmt: skip
AREAS = [f"XCJD{n:02d}" for n in range(1, 16)]
QUALIFICATIONS = [("hnte", 0.12), ("zgc_hnte", 0.08), ("tsme", 0.10), ("innovative_sme", 0.06), ("srdi", 0.05),
                  ("little_giant", 0.01), ("listed", 0.01), ("enterprise_tech_center", 0.02)]  # fmt: skip
NAME_HEAD = [
    "京西",
    "金街",
    "德胜",
    "月坛",
    "展览",
    "什刹",
    "天桥",
    "广安",
    "白纸坊",
    "牛街",
    "椿树",
    "陶然",
    "新街口",
    "长安",
    "宣武",
]
NAME_MID = [
    "数智",
    "汇通",
    "信达",
    "博远",
    "华创",
    "云图",
    "恒泰",
    "中科",
    "文联",
    "嘉禾",
    "万通",
    "瑞丰",
    "启明",
    "鼎盛",
    "安和",
]
NAME_TAIL = {
    "65": "软件有限公司", "64": "网络科技有限公司", "66": "金融服务有限公司", "67": "投资管理有限公司", "69": "金融信息服务有限公司",
    "72": "企业管理咨询有限公司", "73": "科技研究院有限公司", "74": "工程设计有限公司", "75": "技术推广有限公司",
    "51": "商贸有限公司", "52": "商店有限公司", "62": "餐饮管理有限公司", "61": "酒店管理有限公司", "86": "文化传媒有限公司",
    "87": "影视文化有限公司", "88": "文化艺术有限公司", "90": "娱乐有限公司", "82": "服务有限公司", "702": "物业管理有限公司",
    "701": "房地产开发有限公司", "39": "电子科技有限公司", "27": "医药科技有限公司", "48": "建设工程有限公司",
    "54": "运输有限公司", "80": "家政服务有限公司",
}  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"


def credit_code(rng: random.Random, individual: bool) -> str:
    body = ("92" if individual else "91") + "110102" + "".join(rng.choice(_USCC_CHARS) for _ in range(9))
    return body + credit_code_check_char(body)


def enterprise(rng: random.Random, index: int, as_of: datetime.date) -> ParsedRecord:
    individual = rng.random() < 0.08
    codes, weights = zip(*INDUSTRIES, strict=True)
    industry = rng.choices(codes, weights=weights)[0]
    employees = max(1, int(rng.lognormvariate(3.0, 1.3)))
    if individual:
        employees = rng.randint(1, 8)
    revenue = round(employees * rng.lognormvariate(3.2, 0.9), 1)
    assets = round(revenue * rng.uniform(0.4, 2.5), 1)
    founded = as_of - datetime.timedelta(days=rng.randint(60, 30 * 365))
    facts: dict = {
        "entity_type": "person" if individual else "enterprise",
        "industry": industry,
        "employees": float(employees),
        "founded_on": founded.isoformat(),
        "area": rng.choice(AREAS),
        "in_district": True,
        "good_credit": rng.random() > 0.03,
    }
    if rng.random() > 0.06:  # some enterprises did not report turnover: matching says "unknown"
        facts["revenue"] = revenue
    if rng.random() > 0.3:
        facts["assets"] = assets
    if rng.random() > 0.2:
        facts["tax_paid"] = round(revenue * rng.uniform(0.01, 0.08), 1)
    if industry in ("65", "64", "73", "74", "75", "39", "27") and rng.random() > 0.3:
        facts["rd_expense"] = round(revenue * rng.uniform(0.01, 0.15), 1)
    quals = [code for code, p in QUALIFICATIONS if not individual and rng.random() < p]
    facts["qualifications"] = sorted(quals)
    if individual:
        name = f"北京市西城区{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(['便利店', '小吃店', '理发店', '五金店'])}"
    else:
        name = f"北京{rng.choice(NAME_HEAD)}{rng.choice(NAME_MID)}{NAME_TAIL[industry]}"
    return ParsedRecord(index + 2, credit_code(rng, individual), name, individual, facts)


def enterprises(n: int, *, seed: int = 18, as_of: datetime.date | None = None) -> list[ParsedRecord]:
    rng = random.Random(seed)
    as_of = as_of or datetime.date(2025, 6, 30)
    result, seen = [], set()
    index = 0
    while len(result) < n:
        record = enterprise(rng, index, as_of)
        index += 1
        if record.credit_code in seen:
            continue
        seen.add(record.credit_code)
        result.append(record)
    return result
