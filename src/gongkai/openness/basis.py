"""The legal basis and update timing of every section of the 政府信息公开 column, in one place (house rule 2).

Each section names the article it comes from; the public pages and the admin show these texts, the completeness
check (`completeness.py`) uses `PROACTIVE_WORKING_DAYS`. Articles are those of the 中华人民共和国政府信息公开条例
(2019 revision, 国务院令第711号) unless another document is named.
"""

from __future__ import annotations

import dataclasses

from django.db import models
from django.utils.translation import gettext_lazy as _

# 条例 Art. 26: proactively disclosed information is published within 20 working days of being formed or changed.
PROACTIVE_WORKING_DAYS = 20
# 条例 Art. 49 para 1: each department publishes last year's annual report before 31 January.
DEPARTMENT_REPORT_DUE = (1, 31)
# 条例 Art. 49 para 2: the district government's annual report is published before 31 March.
DISTRICT_REPORT_DUE = (3, 31)


@dataclasses.dataclass(frozen=True)
class Section:
    key: str
    title: str
    basis: str
    timing: str


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in [
        Section(
            "guide",
            _("政府信息公开指南"),
            # 条例 Art. 12
            _(
                "《中华人民共和国政府信息公开条例》第十二条：政府信息公开指南包括政府信息的分类、编排体系、获取方式"
                "和政府信息公开工作机构的名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式等内容。"
            ),
            _("内容变化时及时更新（条例第十二条）"),
        ),
        Section(
            "rules",
            _("政府信息公开制度"),
            # 条例 Art. 4
            _(
                "《中华人民共和国政府信息公开条例》第四条：行政机关应当建立健全本行政机关的政府信息公开工作制度。"
            ),
            _("制度制定或修订后20个工作日内公开（条例第二十六条）"),
        ),
        Section(
            "proactive",
            _("法定主动公开内容"),
            # 条例 Art. 19, 20
            _(
                "《中华人民共和国政府信息公开条例》第十九条、第二十条：涉及公众利益调整、需要公众广泛知晓或者需要公众"
                "参与决策的政府信息，行政机关应当主动公开；第二十条列明了应当主动公开的十五类政府信息。"
            ),
            _("自政府信息形成或者变更之日起20个工作日内公开（条例第二十六条）"),
        ),
        Section(
            "catalogue",
            _("政府信息公开目录"),
            # 条例 Art. 12 para 1 and 3
            _(
                "《中华人民共和国政府信息公开条例》第十二条：行政机关编制、公布的政府信息公开指南和政府信息公开目录应当"
                "及时更新。政府信息公开目录包括政府信息的索引、名称、内容概述、生成日期等内容。"
            ),
            _("文件发布时自动列入目录，随文件的发布、撤回和变更即时更新（条例第十二条、第二十六条）"),
        ),
        Section(
            "full_list",
            _("政务公开全清单"),
            # 条例 Art. 22; 国办发〔2019〕54号 (基层政务公开标准化规范化)
            _(
                "《中华人民共和国政府信息公开条例》第二十二条：行政机关应当确定主动公开政府信息的具体内容；"
                "《国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见》（国办发〔2019〕54号）：编制政务公开事项标准目录。"
            ),
            _("每个事项按其公开时限更新；未列明时限的，自信息形成或变更之日起20个工作日内（条例第二十六条）"),
        ),
        Section(
            "annual_reports",
            _("政府信息公开工作年度报告"),
            # 条例 Art. 49, 50
            _(
                "《中华人民共和国政府信息公开条例》第四十九条、第五十条：部门于每年1月31日前、区政府于每年3月31日前"
                "向社会公布上一年度政府信息公开工作年度报告，内容包括主动公开、依申请公开、复议诉讼、存在问题等情况。"
            ),
            _("每年一次：部门1月31日前，区政府3月31日前（条例第四十九条）"),
        ),
        Section(
            "powers",
            _("权责清单"),
            # 条例 Art. 20 (五)(六); 中办发〔2015〕21号
            _(
                "《中华人民共和国政府信息公开条例》第二十条第（五）项、第（六）项；《关于推行地方各级政府工作部门权力清单"
                "制度的指导意见》（中办发〔2015〕21号）：公布行政职权及其依据、责任部门，并实行动态调整。"
            ),
            _("职权事项调整后20个工作日内更新，变更记录公开（条例第二十六条）"),
        ),
        Section(
            "institutions",
            _("公共企事业单位信息公开"),
            # 条例 Art. 55
            _(
                "《中华人民共和国政府信息公开条例》第五十五条：教育、卫生健康、供水、供电、供气、供热、环境保护、公共交通"
                "等公共企事业单位公开在提供社会公共服务过程中制作、获取的信息；未依规定公开的，可以向主管部门申诉。"
            ),
            _("服务事项、办事指南变化后及时更新"),
        ),
        Section(
            "gazette",
            _("政府公报"),
            # 条例 Art. 23
            _(
                "《中华人民共和国政府信息公开条例》第二十三条：行政机关应当将主动公开的政府信息通过政府公报、政府网站"
                "等途径予以公开。"
            ),
            _("按期编印；每期引用格式“YYYY年第N期”，编号发布后不再改变"),
        ),
    ]
}

# GB/T 37668—2019 《信息技术 互联网内容无障碍可访问性技术要求与测试方法》: every page of the column is built to
# it (semantic HTML, labels, contrast, keyboard) and tested with axe-core; see docs/portal.md.
ACCESSIBILITY_STANDARD = _("GB/T 37668—2019《信息技术 互联网内容无障碍可访问性技术要求与测试方法》")


class Category(models.TextChoices):
    """法定主动公开内容: the categories of 条例 Art. 20 (item numbers in the comments) and Art. 21."""

    FUNCTIONS = "functions", _("机构职能")  # Art. 20 (二)
    ORGANISATION = "organisation", _("机构设置")  # Art. 20 (二)
    LEADERS = "leaders", _("领导信息")  # Art. 20 (二) 负责人姓名
    PLANS = "plans", _("规划计划")  # Art. 20 (三)
    STATISTICS = "statistics", _("统计信息")  # Art. 20 (四)
    BUDGETS = "budgets", _("财政预决算")  # Art. 20 (七)
    FEES = "fees", _("行政事业性收费")  # Art. 20 (八)
    PROCUREMENT = "procurement", _("政府采购")  # Art. 20 (九)
    LICENSING = "licensing", _("行政许可")  # Art. 20 (五)
    PENALTIES = "penalties", _("行政处罚和行政强制")  # Art. 20 (六)
    PROJECTS = "projects", _("重大建设项目")  # Art. 20 (十)
    LIVELIHOOD = "livelihood", _("民生政策和社会保障")  # Art. 20 (十一)
    EMERGENCY = "emergency", _("应急预案和预警信息")  # Art. 20 (十二)
    INSPECTIONS = "inspections", _("监督检查")  # Art. 20 (十三)
    PERSONNEL = "personnel", _("人事信息（公务员招考）")  # Art. 20 (十四)
    OTHER = "other", _("其他主动公开信息")  # Art. 20 (十五), Art. 21


# The clause of Art. 20 each category comes from, shown beside it.
CATEGORY_CLAUSE = {
    Category.FUNCTIONS: _("条例第二十条第（二）项"),
    Category.ORGANISATION: _("条例第二十条第（二）项"),
    Category.LEADERS: _("条例第二十条第（二）项"),
    Category.PLANS: _("条例第二十条第（三）项"),
    Category.STATISTICS: _("条例第二十条第（四）项"),
    Category.BUDGETS: _("条例第二十条第（七）项"),
    Category.FEES: _("条例第二十条第（八）项"),
    Category.PROCUREMENT: _("条例第二十条第（九）项"),
    Category.LICENSING: _("条例第二十条第（五）项"),
    Category.PENALTIES: _("条例第二十条第（六）项"),
    Category.PROJECTS: _("条例第二十条第（十）项"),
    Category.LIVELIHOOD: _("条例第二十条第（十一）项"),
    Category.EMERGENCY: _("条例第二十条第（十二）项"),
    Category.INSPECTIONS: _("条例第二十条第（十三）项"),
    Category.PERSONNEL: _("条例第二十条第（十四）项"),
    Category.OTHER: _("条例第二十条第（十五）项、第二十一条"),
}

# Policies of the library shown under a category (filters on Policy), where the library has them.
CATEGORY_POLICIES = {
    Category.PLANS: {"policy_type": "macro_plan"},
    Category.BUDGETS: {"theme__name": "财政、金融、审计"},
    Category.PERSONNEL: {"theme__name": "劳动、人事、监察"},
    Category.LIVELIHOOD: {"theme__name": "民政、扶贫、救灾"},
    Category.EMERGENCY: {"theme__name": "公安、安全、司法"},
}


def section(key: str) -> Section:
    return SECTIONS[key]
