"""Demo data of policy redemption (`gongkai demo-data`, idempotent): a dozen enterprise policies of the district
with their redemption items, conditions (each quoting its clause) and tags; a generated enterprise dataset of
区发展改革委; a published 免申即享 list; a sandbox run on a draft item; usage counts and a published evaluation.

The policies are written for the demo in the style of the district's measures; amounts and thresholds are
plausible, not the district's real ones."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

D = datetime.date
DEMO_DEPARTMENT = "区发展改革委"

# (title, issuer, doc number, written, effective, validity years, body, items)
# item: dict(title, support, conditions_text, period, start, end, materials, office, contact, amount, budget, tags,
#            rule) — rule: list of (fact, op, value, article, clause) or ("any"/"all", [...]).
POLICIES = [
    (
        "西城区促进中小企业专精特新发展的若干措施",
        "区发展改革委",
        "西发改发〔2024〕3号",
        D(2024, 3, 1),
        D(2024, 4, 1),
        3,
        None,  # already in the base demo data; its body is used as it is
        [
            {
                "title": "国家级专精特新“小巨人”企业一次性奖励",
                "support": "对首次认定为国家级专精特新“小巨人”企业的，给予一次性奖励50万元。",
                "conditions_text": "申请单位应在本区注册纳税，上一年度营业收入不低于1000万元。",
                "period": "每年3月1日至4月30日",
                "materials": "申请表、营业执照复印件、认定文件",
                "office": "区发展改革委",
                "contact": "010-83971234",
                "amount": ("fixed", 50, "", None),
                "budget": 500,
                "tags": {
                    "support": ["subsidy"],
                    "delivery": ["no_application"],
                    "qualification": ["little_giant"],
                    "target": ["enterprise"],
                },
                "rule": [
                    (
                        "qualifications",
                        "has_any",
                        ["little_giant"],
                        "第二条",
                        "对首次认定为国家级专精特新“小巨人”企业的，给予一次性奖励50万元。",
                    ),
                    (
                        "in_district",
                        "is_true",
                        None,
                        "第三条",
                        "申请单位应在本区注册纳税，上一年度营业收入不低于1000万元。",
                    ),
                    (
                        "revenue",
                        "gte",
                        1000,
                        "第三条",
                        "申请单位应在本区注册纳税，上一年度营业收入不低于1000万元。",
                    ),
                ],
            }
        ],
    ),
    (
        "西城区支持高新技术企业发展的若干措施",
        "区科技和信息化局",
        "西科信发〔2025〕5号",
        D(2025, 4, 10),
        D(2025, 5, 1),
        3,
        "第一条 为加快培育高新技术企业，制定本措施。\n"
        "第二条 对首次认定的国家高新技术企业，给予一次性奖励20万元。\n"
        "第三条 对重新认定的国家高新技术企业，给予一次性奖励10万元。\n"
        "第四条 申请单位应在本区注册纳税，成立满1年，无严重违法失信行为。\n"
        "第五条 本措施自2025年5月1日起施行，有效期3年。",
        [
            {
                "title": "首次认定国家高新技术企业奖励",
                "support": "一次性奖励20万元。",
                "conditions_text": "首次认定为国家高新技术企业；在本区注册纳税，成立满1年，无严重违法失信行为。",
                "period": "认定结果公布后3个月内",
                "materials": "申请表、高新技术企业证书复印件",
                "office": "区科技和信息化局",
                "contact": "010-66071288",
                "amount": ("fixed", 20, "", None),
                "budget": 1200,
                "tags": {
                    "support": ["subsidy"],
                    "delivery": ["no_application"],
                    "qualification": ["hnte"],
                    "industry": ["I", "M"],
                },
                "rule": [
                    (
                        "qualifications",
                        "has_any",
                        ["hnte"],
                        "第二条",
                        "对首次认定的国家高新技术企业，给予一次性奖励20万元。",
                    ),
                    (
                        "in_district",
                        "is_true",
                        None,
                        "第四条",
                        "申请单位应在本区注册纳税，成立满1年，无严重违法失信行为。",
                    ),
                    (
                        "years_established",
                        "gte",
                        1,
                        "第四条",
                        "申请单位应在本区注册纳税，成立满1年，无严重违法失信行为。",
                    ),
                    (
                        "good_credit",
                        "is_true",
                        None,
                        "第四条",
                        "申请单位应在本区注册纳税，成立满1年，无严重违法失信行为。",
                    ),
                ],
            }
        ],
    ),
    (
        "西城区促进数字经济创新发展若干措施",
        "区数据局",
        "西数发〔2025〕2号",
        D(2025, 6, 3),
        D(2025, 7, 1),
        3,
        "第一条 为建设数字经济标杆城市西城示范区，制定本措施。\n"
        "第二条 支持对象为属于软件和信息技术服务业、互联网和相关服务的企业。\n"
        "第三条 对上一年度营业收入首次突破1亿元的，给予一次性奖励100万元；首次突破5000万元的，给予一次性奖励50万元。\n"
        "第四条 申请单位应在本区注册纳税，从业人员不少于50人。\n"
        "第五条 本措施自2025年7月1日起施行。",
        [
            {
                "title": "数字经济企业营收突破奖励（5000万元档）",
                "support": "上一年度营业收入首次突破5000万元的，一次性奖励50万元。",
                "conditions_text": "软件和信息技术服务业、互联网和相关服务企业；营业收入首次突破5000万元；从业人员不少于50人。",
                "period": "每年5月",
                "materials": "申请表、上年度审计报告",
                "office": "区数据局",
                "contact": "010-66060120",
                "amount": ("fixed", 50, "", None),
                "budget": 800,
                "tags": {
                    "support": ["subsidy"],
                    "delivery": ["application"],
                    "industry": ["64", "65"],
                    "size": ["medium", "small"],
                },
                "rule": [
                    (
                        "industry",
                        "in",
                        ["64", "65"],
                        "第二条",
                        "支持对象为属于软件和信息技术服务业、互联网和相关服务的企业。",
                    ),
                    ("revenue", "gte", 5000, "第三条", "首次突破5000万元的，给予一次性奖励50万元"),
                    (
                        "in_district",
                        "is_true",
                        None,
                        "第四条",
                        "申请单位应在本区注册纳税，从业人员不少于50人。",
                    ),
                    ("employees", "gte", 50, "第四条", "申请单位应在本区注册纳税，从业人员不少于50人。"),
                ],
            }
        ],
    ),
    (
        "西城区支持金融业高质量发展的若干措施",
        "金融街服务局",
        "西金服发〔2025〕1号",
        D(2025, 2, 26),
        D(2025, 3, 1),
        5,
        "第一条 为巩固金融街国家金融管理中心功能，制定本措施。\n"
        "第二条 对新落户本区的金融机构，注册资本或实缴资本在10亿元以上的，给予一次性落户奖励500万元。\n"
        "第三条 对金融科技企业，上一年度研发费用占营业收入比例不低于5%的，按研发费用的10%给予补贴，最高200万元。\n"
        "第四条 申请单位应在金融街街道或月坛街道注册。\n"
        "第五条 本措施自2025年3月1日起施行。",
        [
            {
                "title": "金融科技企业研发补贴",
                "support": "按研发费用的10%给予补贴，最高200万元。",
                "conditions_text": "金融科技企业；研发费用占营业收入比例不低于5%；在金融街街道或月坛街道注册。",
                "period": "每年6月1日至6月30日",
                "materials": "申请表、研发费用专项审计报告",
                "office": "金融街服务局",
                "contact": "010-88091234",
                "amount": ("ratio", 10, "rd_expense", 200),
                "budget": 2000,
                "tags": {
                    "support": ["subsidy", "finance"],
                    "delivery": ["application"],
                    "industry": ["J", "65"],
                    "area": ["XCJD06", "XCJD03"],
                },
                "rule": [
                    (
                        "any",
                        [
                            (
                                "industry",
                                "in",
                                ["J"],
                                "第三条",
                                "对金融科技企业，上一年度研发费用占营业收入比例不低于5%的，按研发费用的10%给予补贴，最高200万元。",
                            ),
                            (
                                "industry",
                                "in",
                                ["65"],
                                "第三条",
                                "对金融科技企业，上一年度研发费用占营业收入比例不低于5%的，按研发费用的10%给予补贴，最高200万元。",
                            ),
                        ],
                    ),
                    ("rd_ratio", "gte", 5, "第三条", "上一年度研发费用占营业收入比例不低于5%的"),
                    ("area", "in", ["XCJD06", "XCJD03"], "第四条", "申请单位应在金融街街道或月坛街道注册。"),
                ],
            }
        ],
    ),
    (
        "西城区促进文化产业发展的若干措施",
        "区文化和旅游局",
        "西文旅发〔2025〕4号",
        D(2025, 5, 8),
        D(2025, 6, 1),
        3,
        "第一条 为建设全国文化中心核心区，制定本措施。\n"
        "第二条 支持新闻和出版业、广播、电视、电影和录音制作业、文化艺术业企业创作精品。\n"
        "第三条 对年度营业收入不低于500万元的文化企业，给予房租补贴，最高30万元。\n"
        "第四条 申请单位应为中小微企业，在本区注册纳税。\n"
        "第五条 本措施自2025年6月1日起施行。",
        [
            {
                "title": "文化企业房租补贴",
                "support": "按实际房租的30%给予补贴，最高30万元。",
                "conditions_text": "文化企业；年度营业收入不低于500万元；中小微企业；在本区注册纳税。",
                "period": "每年9月",
                "materials": "申请表、房屋租赁合同、租金发票",
                "office": "区文化和旅游局",
                "contact": "010-63170987",
                "amount": ("fixed", 30, "", None),
                "budget": 600,
                "tags": {
                    "support": ["subsidy", "land"],
                    "delivery": ["application"],
                    "industry": ["R"],
                    "size": ["medium", "small", "micro"],
                },
                "rule": [
                    (
                        "industry",
                        "in",
                        ["86", "87", "88"],
                        "第二条",
                        "支持新闻和出版业、广播、电视、电影和录音制作业、文化艺术业企业创作精品。",
                    ),
                    (
                        "revenue",
                        "gte",
                        500,
                        "第三条",
                        "对年度营业收入不低于500万元的文化企业，给予房租补贴，最高30万元。",
                    ),
                    ("size", "lte", "medium", "第四条", "申请单位应为中小微企业，在本区注册纳税。"),
                    ("in_district", "is_true", None, "第四条", "申请单位应为中小微企业，在本区注册纳税。"),
                ],
            }
        ],
    ),
    (
        "西城区稳岗扩就业补贴实施办法",
        "区人力社保局",
        "西人社发〔2025〕7号",
        D(2025, 3, 18),
        D(2025, 4, 1),
        2,
        "第一条 为稳定和扩大就业，制定本办法。\n"
        "第二条 对吸纳本市户籍劳动力就业的小微企业，按每人每月1000元给予岗位补贴。\n"
        "第三条 申请单位从业人员不超过100人，在本区注册纳税，无严重违法失信行为。\n"
        "第四条 本办法自2025年4月1日起施行。",
        [
            {
                "title": "小微企业吸纳就业岗位补贴",
                "support": "按每人每月1000元给予岗位补贴，最长12个月。",
                "conditions_text": "小微企业；从业人员不超过100人；在本区注册纳税；无严重违法失信行为。",
                "period": "常年受理",
                "materials": "申请表、劳动合同、社保缴费记录",
                "office": "区人力社保局",
                "contact": "010-83975678",
                "amount": ("none", None, "", None),
                "budget": None,
                "tags": {
                    "support": ["talent", "subsidy"],
                    "delivery": ["fast_application"],
                    "size": ["small", "micro"],
                    "target": ["enterprise"],
                },
                "rule": [
                    (
                        "size",
                        "lte",
                        "small",
                        "第二条",
                        "对吸纳本市户籍劳动力就业的小微企业，按每人每月1000元给予岗位补贴。",
                    ),
                    (
                        "employees",
                        "lte",
                        100,
                        "第三条",
                        "申请单位从业人员不超过100人，在本区注册纳税，无严重违法失信行为。",
                    ),
                    (
                        "in_district",
                        "is_true",
                        None,
                        "第三条",
                        "申请单位从业人员不超过100人，在本区注册纳税，无严重违法失信行为。",
                    ),
                    (
                        "good_credit",
                        "is_true",
                        None,
                        "第三条",
                        "申请单位从业人员不超过100人，在本区注册纳税，无严重违法失信行为。",
                    ),
                ],
            }
        ],
    ),
    (
        "西城区支持企业上市发展的若干措施",
        "金融街服务局",
        "西金服发〔2025〕3号",
        D(2025, 7, 1),
        D(2025, 7, 15),
        5,
        "第一条 为支持企业利用资本市场做大做强，制定本措施。\n"
        "第二条 对在境内外证券交易所首发上市的企业，给予一次性奖励300万元。\n"
        "第三条 申请单位应在本区注册纳税，上一年度纳税总额不低于500万元。\n"
        "第四条 本措施自2025年7月15日起施行。",
        [
            {
                "title": "企业首发上市奖励",
                "support": "一次性奖励300万元。",
                "conditions_text": "在境内外证券交易所首发上市；在本区注册纳税；上一年度纳税总额不低于500万元。",
                "period": "上市后6个月内",
                "materials": "申请表、上市公告",
                "office": "金融街服务局",
                "contact": "010-88095678",
                "amount": ("fixed", 300, "", None),
                "budget": 1500,
                "tags": {
                    "support": ["subsidy", "finance"],
                    "delivery": ["application"],
                    "qualification": ["listed"],
                },
                "rule": [
                    (
                        "qualifications",
                        "has_any",
                        ["listed"],
                        "第二条",
                        "对在境内外证券交易所首发上市的企业，给予一次性奖励300万元。",
                    ),
                    (
                        "in_district",
                        "is_true",
                        None,
                        "第三条",
                        "申请单位应在本区注册纳税，上一年度纳税总额不低于500万元。",
                    ),
                    (
                        "tax_paid",
                        "gte",
                        500,
                        "第三条",
                        "申请单位应在本区注册纳税，上一年度纳税总额不低于500万元。",
                    ),
                ],
            }
        ],
    ),
    (
        "西城区商贸服务业提质升级支持办法",
        "区商务局",
        "西商发〔2025〕6号",
        D(2025, 8, 5),
        D(2025, 9, 1),
        3,
        "第一条 为促进商贸服务业提质升级，制定本办法。\n"
        "第二条 支持批发业、零售业、餐饮业企业开展数字化改造，按改造投入的20%给予补贴，最高50万元。\n"
        "第三条 申请单位上一年度营业收入不低于2000万元，在本区注册纳税。\n"
        "第四条 本办法自2025年9月1日起施行。",
        [
            {
                "title": "商贸企业数字化改造补贴",
                "support": "按改造投入的20%给予补贴，最高50万元。",
                "conditions_text": "批发、零售、餐饮企业；上一年度营业收入不低于2000万元；在本区注册纳税。",
                "period": "每年10月",
                "materials": "申请表、改造合同和发票",
                "office": "区商务局",
                "contact": "010-83979876",
                "amount": ("fixed", 50, "", None),
                "budget": 1000,
                "tags": {"support": ["subsidy"], "delivery": ["application"], "industry": ["F", "62"]},
                "rule": [
                    (
                        "industry",
                        "in",
                        ["51", "52", "62"],
                        "第二条",
                        "支持批发业、零售业、餐饮业企业开展数字化改造，按改造投入的20%给予补贴，最高50万元。",
                    ),
                    (
                        "revenue",
                        "gte",
                        2000,
                        "第三条",
                        "申请单位上一年度营业收入不低于2000万元，在本区注册纳税。",
                    ),
                    (
                        "in_district",
                        "is_true",
                        None,
                        "第三条",
                        "申请单位上一年度营业收入不低于2000万元，在本区注册纳税。",
                    ),
                ],
            }
        ],
    ),
    (
        "西城区科技型中小企业研发费用补贴办法",
        "区科技和信息化局",
        "西科信发〔2025〕9号",
        D(2025, 9, 2),
        D(2025, 10, 1),
        3,
        "第一条 为鼓励科技型中小企业加大研发投入，制定本办法。\n"
        "第二条 对评价入库的科技型中小企业，按上一年度研发费用的5%给予补贴，最高100万元。\n"
        "第三条 申请单位上一年度研发费用不低于100万元，成立满2年，在本区注册纳税。\n"
        "第四条 本办法自2025年10月1日起施行。",
        [
            {
                "title": "科技型中小企业研发费用补贴",
                "support": "按上一年度研发费用的5%给予补贴，最高100万元。",
                "conditions_text": "评价入库的科技型中小企业；研发费用不低于100万元；成立满2年；在本区注册纳税。",
                "period": "每年4月",
                "materials": "申请表、研发费用加计扣除申报表",
                "office": "区科技和信息化局",
                "contact": "010-66075566",
                "amount": ("ratio", 5, "rd_expense", 100),
                "budget": 1500,
                "tags": {
                    "support": ["subsidy", "tax"],
                    "delivery": ["no_application"],
                    "qualification": ["tsme"],
                    "industry": ["M", "I"],
                },
                "rule": [
                    (
                        "qualifications",
                        "has_any",
                        ["tsme"],
                        "第二条",
                        "对评价入库的科技型中小企业，按上一年度研发费用的5%给予补贴，最高100万元。",
                    ),
                    (
                        "rd_expense",
                        "gte",
                        100,
                        "第三条",
                        "申请单位上一年度研发费用不低于100万元，成立满2年，在本区注册纳税。",
                    ),
                    (
                        "years_established",
                        "gte",
                        2,
                        "第三条",
                        "申请单位上一年度研发费用不低于100万元，成立满2年，在本区注册纳税。",
                    ),
                    (
                        "in_district",
                        "is_true",
                        None,
                        "第三条",
                        "申请单位上一年度研发费用不低于100万元，成立满2年，在本区注册纳税。",
                    ),
                ],
            }
        ],
    ),
    (
        "西城区小微企业房租减免实施办法",
        "区发展改革委",
        "西发改发〔2025〕11号",
        D(2025, 10, 8),
        D(2025, 11, 1),
        2,
        "第一条 为减轻小微企业经营负担，制定本办法。\n"
        "第二条 对承租本区国有房屋的小微企业，减免3个月房租，折合每户最高5万元。\n"
        "第三条 申请单位从业人员不超过50人，上一年度营业收入不超过1000万元，在本区注册纳税，无严重违法失信行为。\n"
        "第四条 本办法自2025年11月1日起施行。",
        [
            {
                "title": "小微企业房租减免（免申即享）",
                "support": "减免3个月房租，折合每户最高5万元，由出租单位直接抵减。",
                "conditions_text": "小微企业；从业人员不超过50人；上一年度营业收入不超过1000万元；在本区注册纳税；无严重违法失信行为。",
                "period": "2025年11月1日至2026年12月31日",
                "start": D(2025, 11, 1),
                "end": D(2026, 12, 31),
                "materials": "免申即享，无需申请",
                "office": "区发展改革委",
                "contact": "010-83971234",
                "amount": ("fixed", 5, "", None),
                "budget": 3000,
                "tags": {
                    "support": ["land", "subsidy"],
                    "delivery": ["no_application"],
                    "size": ["small", "micro"],
                    "target": ["enterprise", "person"],
                },
                "rule": [
                    (
                        "size",
                        "lte",
                        "small",
                        "第二条",
                        "对承租本区国有房屋的小微企业，减免3个月房租，折合每户最高5万元。",
                    ),
                    (
                        "employees",
                        "lte",
                        50,
                        "第三条",
                        "申请单位从业人员不超过50人，上一年度营业收入不超过1000万元，在本区注册纳税，无严重违法失信行为。",
                    ),
                    (
                        "revenue",
                        "lte",
                        1000,
                        "第三条",
                        "申请单位从业人员不超过50人，上一年度营业收入不超过1000万元，在本区注册纳税，无严重违法失信行为。",
                    ),
                    (
                        "in_district",
                        "is_true",
                        None,
                        "第三条",
                        "申请单位从业人员不超过50人，上一年度营业收入不超过1000万元，在本区注册纳税，无严重违法失信行为。",
                    ),
                    (
                        "good_credit",
                        "is_true",
                        None,
                        "第三条",
                        "申请单位从业人员不超过50人，上一年度营业收入不超过1000万元，在本区注册纳税，无严重违法失信行为。",
                    ),
                ],
            }
        ],
    ),
    (
        "西城区老字号企业传承发展支持措施",
        "区商务局",
        "西商发〔2025〕9号",
        D(2025, 11, 4),
        D(2025, 12, 1),
        3,
        "第一条 为保护和发展老字号，制定本措施。\n"
        "第二条 对成立满30年的老字号企业开展品牌推广的，给予补贴，最高20万元。\n"
        "第三条 申请单位属于零售业、餐饮业或居民服务业，在本区注册纳税。\n"
        "第四条 本措施自2025年12月1日起施行。",
        [
            {
                "title": "老字号品牌推广补贴",
                "support": "按推广投入的30%给予补贴，最高20万元。",
                "conditions_text": "成立满30年；零售、餐饮或居民服务企业；在本区注册纳税。",
                "period": "每年11月",
                "materials": "申请表、推广合同",
                "office": "区商务局",
                "contact": "010-83979876",
                "amount": ("fixed", 20, "", None),
                "budget": 200,
                "tags": {
                    "support": ["subsidy", "service"],
                    "delivery": ["application"],
                    "industry": ["52", "62", "80"],
                },
                "rule": [
                    (
                        "years_established",
                        "gte",
                        30,
                        "第二条",
                        "对成立满30年的老字号企业开展品牌推广的，给予补贴，最高20万元。",
                    ),
                    (
                        "industry",
                        "in",
                        ["52", "62", "80"],
                        "第三条",
                        "申请单位属于零售业、餐饮业或居民服务业，在本区注册纳税。",
                    ),
                    (
                        "in_district",
                        "is_true",
                        None,
                        "第三条",
                        "申请单位属于零售业、餐饮业或居民服务业，在本区注册纳税。",
                    ),
                ],
            }
        ],
    ),
    (
        "西城区新设立企业落户奖励办法",
        "区发展改革委",
        "西发改发〔2026〕2号",
        D(2026, 1, 6),
        D(2026, 2, 1),
        3,
        "第一条 为吸引优质企业落户，制定本办法。\n"
        "第二条 对2023年1月1日以后在本区新设立的企业，首个完整年度纳税总额不低于200万元的，给予一次性奖励30万元。\n"
        "第三条 申请单位属于软件和信息技术服务业、商务服务业、科学研究和技术服务业或金融业。\n"
        "第四条 本办法自2026年2月1日起施行。",
        [
            {
                "title": "新设立企业落户奖励",
                "support": "一次性奖励30万元。",
                "conditions_text": "2023年1月1日以后在本区新设立；首个完整年度纳税总额不低于200万元；软件、商务服务、科技服务或金融企业。",
                "period": "每年7月",
                "materials": "申请表、完税证明",
                "office": "区发展改革委",
                "contact": "010-83971234",
                "amount": ("fixed", 30, "", None),
                "budget": 900,
                "tags": {
                    "support": ["subsidy"],
                    "delivery": ["application"],
                    "industry": ["65", "72", "M", "J"],
                },
                "rule": [
                    (
                        "founded_on",
                        "on_or_after",
                        "2023-01-01",
                        "第二条",
                        "对2023年1月1日以后在本区新设立的企业，首个完整年度纳税总额不低于200万元的，给予一次性奖励30万元。",
                    ),
                    (
                        "tax_paid",
                        "gte",
                        200,
                        "第二条",
                        "对2023年1月1日以后在本区新设立的企业，首个完整年度纳税总额不低于200万元的，给予一次性奖励30万元。",
                    ),
                    (
                        "industry",
                        "in",
                        ["65", "72", "M", "J"],
                        "第三条",
                        "申请单位属于软件和信息技术服务业、商务服务业、科学研究和技术服务业或金融业。",
                    ),
                ],
            }
        ],
    ),
]

# A draft policy (not yet released) with a draft item: the sandbox the 区财政局 reviewer sees.
DRAFT_POLICY = (
    "西城区支持专业服务业发展的若干措施（送审稿）",
    "区发展改革委",
    "西发改发〔2026〕9号",
    "第一条 为促进专业服务业集聚发展，制定本措施。\n"
    "第二条 对属于商务服务业、专业技术服务业的企业，上一年度营业收入不低于3000万元的，给予一次性奖励20万元。\n"
    "第三条 申请单位应在本区注册纳税，从业人员不少于30人。\n"
    "第四条 本措施自发布之日起施行。",
    {
        "title": "专业服务业企业规模奖励",
        "support": "一次性奖励20万元。",
        "conditions_text": "商务服务业、专业技术服务业企业；上一年度营业收入不低于3000万元；从业人员不少于30人；在本区注册纳税。",
        "period": "每年6月",
        "materials": "申请表、上年度审计报告",
        "office": "区发展改革委",
        "contact": "010-83971234",
        "amount": ("fixed", 20, "", None),
        "budget": 1000,
        "tags": {"support": ["subsidy"], "delivery": ["application"], "industry": ["72", "74"]},
        "rule": [
            (
                "industry",
                "in",
                ["72", "74"],
                "第二条",
                "对属于商务服务业、专业技术服务业的企业，上一年度营业收入不低于3000万元的，给予一次性奖励20万元。",
            ),
            (
                "revenue",
                "gte",
                3000,
                "第二条",
                "对属于商务服务业、专业技术服务业的企业，上一年度营业收入不低于3000万元的，给予一次性奖励20万元。",
            ),
            ("in_district", "is_true", None, "第三条", "申请单位应在本区注册纳税，从业人员不少于30人。"),
            ("employees", "gte", 30, "第三条", "申请单位应在本区注册纳税，从业人员不少于30人。"),
        ],
    },
)


def _department(name):
    from gongkai.core.departments import resolve_department

    return resolve_department(name)


def _build_rule(item, parent, specs):
    from . import actions

    for spec in specs:
        if spec[0] in ("any", "all"):
            group = actions.add_condition(item, actor=None, parent=parent, kind=spec[0])
            _build_rule(item, group, spec[1])
        else:
            fact, op, value, article, clause = spec
            actions.add_condition(
                item,
                actor=None,
                parent=parent,
                fact=fact,
                op=op,
                value=value,
                clause_article=article,
                clause_text=clause,
            )


def _make_item(policy, spec, *, publish=True):
    from . import actions
    from .models import TagValue

    kind, value, base, cap = spec["amount"]
    tags = []
    for dimension, codes in spec["tags"].items():
        tags += list(TagValue.objects.filter(dimension=dimension, code__in=codes))
    item = actions.create_item(
        policy,
        actor=None,
        title=spec["title"],
        tags=tags,
        support_standard=spec["support"],
        conditions_text=spec["conditions_text"],
        application_period=spec["period"],
        apply_start=spec.get("start"),
        apply_end=spec.get("end"),
        materials=spec["materials"],
        handling_office=spec["office"],
        contact=spec["contact"],
        amount_kind=kind,
        amount_value=Decimal(str(value)) if value is not None else None,
        amount_base=base,
        amount_cap=Decimal(str(cap)) if cap is not None else None,
        budget=Decimal(str(spec["budget"])) if spec.get("budget") is not None else None,
    )
    _build_rule(item, None, spec["rule"])
    if publish:
        item = actions.publish_item(item, actor=None)
    return item


def _policy(title, issuer, number, written, effective, years, body):
    from gongkai.policies import actions as policy_actions
    from gongkai.policies.models import Policy, Theme

    existing = Policy.objects.filter(title=title).first()
    if existing is not None:
        return existing
    policy = policy_actions.create_policy(
        actor=None,
        title=title,
        issuer=_department(issuer),
        doc_number=number,
        policy_type="service",
        is_normative=True,
        written_date=written,
        publish_date=written + datetime.timedelta(days=3),
        effective_date=effective,
        validity_years=years,
        theme=Theme.objects.filter(name__contains="国民经济", parent=None).first() or Theme.objects.first(),
        summary=body.splitlines()[1][4:] if body else "",
        body=body,
        service_conditions="见各兑现事项",
        handling_office=issuer,
        contact="见各兑现事项",
    )
    return policy_actions.publish_policy(policy, actor=None, override_reason="演示数据")


@transaction.atomic
def load_demo() -> str:
    from gongkai.policies.models import Policy

    from . import actions
    from .generate import enterprises
    from .models import EnterpriseDataset, Evaluation, RedemptionItem

    if RedemptionItem.objects.filter(title="小微企业房租减免（免申即享）").exists():
        return "已存在"
    from .tags import seed_tag_library

    seed_tag_library()
    items = {}
    for title, issuer, number, written, effective, years, body, specs in POLICIES:
        policy = _policy(title, issuer, number, written, effective, years, body)
        if policy.policy_type != "service":
            continue
        for spec in specs:
            items[spec["title"]] = _make_item(policy, spec)
    # the draft policy and its draft item (pre-release sandbox)
    title, issuer, number, body, spec = DRAFT_POLICY
    from gongkai.policies import actions as policy_actions

    draft = Policy.objects.filter(title=title).first() or policy_actions.create_policy(
        actor=None,
        title=title,
        issuer=_department(issuer),
        doc_number=number,
        policy_type="service",
        written_date=timezone.localdate(),
        body=body,
        summary="促进专业服务业集聚发展的若干措施。",
        service_conditions=spec["conditions_text"],
        support_standard=spec["support"],
        application_period=spec["period"],
        application_materials=spec["materials"],
        handling_office=spec["office"],
        contact=spec["contact"],
    )
    draft_item = _make_item(draft, spec, publish=False)
    # the enterprise dataset of the demo department
    department = _department(DEMO_DEPARTMENT)
    as_of = timezone.localdate()
    dataset = EnterpriseDataset.objects.filter(department=department, title__startswith="演示").first()
    if dataset is None:
        dataset = actions.create_dataset_from_records(
            actor=None,
            department=department,
            title="演示：本区市场主体共享数据（2,000家）",
            records=enterprises(2000, seed=2024, as_of=as_of),
            source="区市场监管局、区税务局共享数据（演示生成）",
            as_of=as_of,
        )
    actions.run_sandbox(draft_item, dataset, actor=None, note="演示测算：送审稿的资金规模")
    # a 免申即享 batch, confirmed and published
    rent = items["小微企业房租减免（免申即享）"]
    run = actions.screen_no_application(rent, dataset, actor=None, title="小微企业房租减免 2025年第一批")
    actions.confirm_run(run, actor=None, note="经核对出租单位台账")
    actions.publish_run(run, actor=None)
    # a second one waiting for the office
    little = items["国家级专精特新“小巨人”企业一次性奖励"]
    actions.screen_no_application(little, dataset, actor=None, title="“小巨人”奖励 2025年批次")
    # usage and statistics for the evaluation
    rng = random.Random(7)
    policy = rent.policy
    year = as_of.year
    from .models import UsageCount, UsageKind

    for month in range(1, as_of.month + 1):
        day = D(year, month, 1)
        UsageCount.objects.get_or_create(
            policy=policy, day=day, kind=UsageKind.PAGE_VIEW, defaults={"count": rng.randint(80, 400)}
        )
        UsageCount.objects.get_or_create(
            policy=policy, day=day, kind=UsageKind.SEARCH_VISIT, defaults={"count": rng.randint(10, 60)}
        )
    actions.save_item_statistic(
        items["数字经济企业营收突破奖励（5000万元档）"],
        year,
        actor=None,
        applications=23,
        approved=17,
        amount=850,
        source="京策平台兑现数据",
    )
    if not Evaluation.objects.filter(policy=policy, year=year).exists():
        ev = actions.create_evaluation(policy, year, actor=None)
        actions.update_evaluation(
            ev,
            actor=None,
            methods=["数据分析", "征集调查", "重点访谈"],
            standards="减免3个月房租，折合每户最高5万元，由出租单位直接抵减。",
            scope="本区注册纳税、承租本区国有房屋的小微企业。",
            usage_text="通过共享数据筛选符合条件的企业，免申即享、直接兑现。",
            effects="企业无需申请即享受减免，兑现周期由原来的2个月缩短到2周。",
            problems="部分企业营业收入数据缺失，需人工核实；出租单位台账更新不及时。",
            conclusions="建议继续执行，并将营业收入数据纳入区级数据共享目录。",
        )
        actions.add_finding(ev, actor=None, text="营业收入数据缺失导致部分企业需人工核实", action="none")
        actions.add_finding(ev, actor=None, text="执行期满后结合效果评价修订减免标准", action="revise")
        actions.submit_evaluation(ev, actor=None)
        actions.approve_evaluation(ev, actor=None, note="同意公开")
        actions.publish_evaluation(ev, actor=None)
    return f"兑现事项 {RedemptionItem.objects.count()} 个，企业数据集 {dataset.row_count} 家，免申即享名单 {run.beneficiaries.filter(included=True).count()} 家"
