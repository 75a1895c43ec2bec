"""Organs outside the district whose documents the district publishes or cites: the national legislature, the
State Council and its departments, the Party centre, the courts, and the municipality of Beijing. They are
stored as departments of kind `external` (外部机关), outside the district tree, and are never offered where a
district department is meant (see docs/policies.md, "External organisations").

Each row: full name, short name, code (for 索引号; prefix `W`), role, aliases. The role says which kind of
document the organ can make (see `gongkai.documents.kinds`):

- `national_congress` 全国人民代表大会及其常务委员会 — 法律 (《立法法》第十条);
- `president` 国家主席 — promulgates 法律 (主席令, 《立法法》第五十九条);
- `state_council` 国务院 — 行政法规 (《立法法》第七十二条);
- `national_department` 国务院部门 — 部门规章 (《立法法》第九十一条) and 规范性文件;
- `local_congress` 省、自治区、直辖市和设区的市的人大及其常委会 — 地方性法规 (《立法法》第八十条、第八十一条);
- `local_government` 省级和设区的市的人民政府 — 地方政府规章 (《立法法》第九十三条);
- `local_department` 地方政府部门 — 规范性文件 only;
- `party`, `military`, `judiciary` — neither 法规 nor 规章.

Plain data without Django imports, so that the parsers resolve names without a database.
"""

from __future__ import annotations

import re

NATIONAL_CONGRESS = "national_congress"
PRESIDENT = "president"
STATE_COUNCIL = "state_council"
NATIONAL_DEPARTMENT = "national_department"
LOCAL_CONGRESS = "local_congress"
LOCAL_GOVERNMENT = "local_government"
LOCAL_DEPARTMENT = "local_department"
PARTY = "party"
MILITARY = "military"
JUDICIARY = "judiciary"

_N, _D = NATIONAL_DEPARTMENT, LOCAL_DEPARTMENT

EXTERNAL_ORGANS: list[tuple[str, str, str, str, list[str]]] = [
    ("全国人民代表大会", "全国人大", "WQGRD", NATIONAL_CONGRESS, ["中华人民共和国全国人民代表大会"]),
    (
        "全国人民代表大会常务委员会",
        "全国人大常委会",
        "WQGRDCW",
        NATIONAL_CONGRESS,
        ["中华人民共和国全国人民代表大会常务委员会"],
    ),
    ("中华人民共和国主席", "国家主席", "WZX", PRESIDENT, ["主席"]),
    ("中华人民共和国国务院", "国务院", "WGWY", STATE_COUNCIL, ["政务院", "中央人民政府"]),
    ("国务院办公厅", "国务院办公厅", "WGBT", _N, ["国办"]),
    ("中国共产党中央委员会", "中共中央", "WZGZY", PARTY, ["中央"]),
    ("中共中央办公厅", "中共中央办公厅", "WZBT", PARTY, ["中办"]),
    ("中华人民共和国中央军事委员会", "中央军委", "WZYJW", MILITARY, ["中央军事委员会"]),
    ("中央军委办公厅", "中央军委办公厅", "WJWBT", MILITARY, ["中央军事委员会办公厅"]),
    ("最高人民法院", "最高人民法院", "WZGFY", JUDICIARY, []),
    ("最高人民检察院", "最高人民检察院", "WZGJCY", JUDICIARY, []),
    ("中华人民共和国外交部", "外交部", "WWJB", _N, []),
    ("中华人民共和国国防部", "国防部", "WGFB", _N, []),
    (
        "国家发展和改革委员会",
        "国家发展改革委",
        "WFGW",
        _N,
        ["发展改革委", "国家发改委", "中华人民共和国国家发展和改革委员会"],
    ),
    ("中华人民共和国教育部", "教育部", "WJYB", _N, []),
    ("中华人民共和国科学技术部", "科技部", "WKJB", _N, ["科学技术部"]),
    ("中华人民共和国工业和信息化部", "工业和信息化部", "WGXB", _N, ["工信部"]),
    ("国家民族事务委员会", "国家民委", "WMW", _N, ["中华人民共和国国家民族事务委员会"]),
    ("中华人民共和国公安部", "公安部", "WGAB", _N, []),
    ("中华人民共和国国家安全部", "国家安全部", "WAQB", _N, []),
    ("中华人民共和国民政部", "民政部", "WMZB", _N, []),
    ("中华人民共和国司法部", "司法部", "WSFB", _N, []),
    ("中华人民共和国财政部", "财政部", "WCZB", _N, []),
    (
        "中华人民共和国人力资源和社会保障部",
        "人力资源社会保障部",
        "WRSB",
        _N,
        ["人力资源和社会保障部", "人社部"],
    ),
    ("中华人民共和国自然资源部", "自然资源部", "WZRZYB", _N, []),
    ("中华人民共和国生态环境部", "生态环境部", "WSTHJB", _N, []),
    ("中华人民共和国住房和城乡建设部", "住房城乡建设部", "WZJB", _N, ["住房和城乡建设部", "住建部"]),
    ("中华人民共和国交通运输部", "交通运输部", "WJTYSB", _N, []),
    ("中华人民共和国水利部", "水利部", "WSLB", _N, []),
    ("中华人民共和国农业农村部", "农业农村部", "WNYNCB", _N, []),
    ("中华人民共和国商务部", "商务部", "WSWB", _N, []),
    ("中华人民共和国文化和旅游部", "文化和旅游部", "WWHLYB", _N, ["文旅部"]),
    ("国家卫生健康委员会", "国家卫生健康委", "WWJW", _N, ["国家卫健委", "中华人民共和国国家卫生健康委员会"]),
    ("中华人民共和国退役军人事务部", "退役军人事务部", "WTYJRB", _N, []),
    ("中华人民共和国应急管理部", "应急管理部", "WYJGLB", _N, []),
    ("中国人民银行", "人民银行", "WRMYH", _N, ["央行"]),
    ("中华人民共和国审计署", "审计署", "WSJS", _N, []),
    ("国务院国有资产监督管理委员会", "国务院国资委", "WGZW", _N, []),
    ("中华人民共和国海关总署", "海关总署", "WHGZS", _N, []),
    ("国家税务总局", "税务总局", "WSWZJ", _N, []),
    ("国家市场监督管理总局", "市场监管总局", "WSCJG", _N, ["国家市场监管总局"]),
    ("国家金融监督管理总局", "金融监管总局", "WJRJG", _N, []),
    ("中国证券监督管理委员会", "中国证监会", "WZJH", _N, ["证监会"]),
    ("国家广播电视总局", "广电总局", "WGDZJ", _N, []),
    ("国家体育总局", "体育总局", "WTYZJ", _N, []),
    ("国家统计局", "国家统计局", "WTJJ", _N, []),
    ("国家国际发展合作署", "国家国际发展合作署", "WGJHZ", _N, []),
    ("国家医疗保障局", "国家医保局", "WYBJ", _N, []),
    ("国家机关事务管理局", "国管局", "WGGJ", _N, []),
    ("国家信访局", "国家信访局", "WXFJ", _N, []),
    ("国家粮食和物资储备局", "国家粮食和储备局", "WLSJ", _N, []),
    ("国家能源局", "国家能源局", "WNYJ", _N, []),
    ("国家国防科技工业局", "国防科工局", "WKGJ", _N, []),
    ("国家烟草专卖局", "国家烟草局", "WYCJ", _N, []),
    ("国家移民管理局", "国家移民局", "WYMJ", _N, []),
    ("国家林业和草原局", "国家林草局", "WLCJ", _N, []),
    ("国家铁路局", "国家铁路局", "WTLJ", _N, []),
    ("中国民用航空局", "民航局", "WMHJ", _N, ["中国民用航空总局", "民航总局"]),
    ("国家邮政局", "国家邮政局", "WYZJ", _N, []),
    ("国家文物局", "国家文物局", "WWWJ", _N, []),
    ("国家中医药管理局", "国家中医药局", "WZYYJ", _N, []),
    ("国家疾病预防控制局", "国家疾控局", "WJKJ", _N, []),
    ("国家矿山安全监察局", "国家矿山安监局", "WKSJ", _N, []),
    ("国家消防救援局", "国家消防救援局", "WXFJY", _N, []),
    ("国家外汇管理局", "国家外汇局", "WWHJ", _N, []),
    ("国家药品监督管理局", "国家药监局", "WYJJ", _N, []),
    ("国家知识产权局", "国家知识产权局", "WZSCQ", _N, []),
    ("国家数据局", "国家数据局", "WSJJ", _N, []),
    ("国家档案局", "国家档案局", "WDAJ", _N, []),
    ("国家保密局", "国家保密局", "WBMJ", _N, []),
    ("国家密码管理局", "国家密码局", "WMMJ", _N, []),
    ("国家新闻出版署", "国家新闻出版署", "WXWCB", _N, []),
    ("国家互联网信息办公室", "国家网信办", "WWXB", _N, []),
    # Organs that no longer exist but whose documents are still in force or cited.
    ("中国银行保险监督管理委员会", "中国银保监会", "WYBJH", _N, ["银保监会"]),
    ("中国银行业监督管理委员会", "中国银监会", "WYJH", _N, ["银监会"]),
    ("中国保险监督管理委员会", "中国保监会", "WBJH", _N, ["保监会"]),
    ("国家工商行政管理总局", "工商总局", "WGSZJ", _N, ["国家工商行政管理局"]),
    ("国家质量监督检验检疫总局", "质检总局", "WZJZJ", _N, []),
    ("国家食品药品监督管理总局", "食品药品监管总局", "WSYJ", _N, ["国家食品药品监督管理局"]),
    ("国家卫生和计划生育委员会", "国家卫生计生委", "WWSJS", _N, []),
    ("中华人民共和国卫生部", "卫生部", "WWSB", _N, []),
    ("中华人民共和国劳动和社会保障部", "劳动保障部", "WLDBZ", _N, ["劳动和社会保障部"]),
    ("中华人民共和国劳动部", "劳动部", "WLDB", _N, []),
    ("中华人民共和国人事部", "人事部", "WRSHB", _N, []),
    ("中华人民共和国建设部", "建设部", "WJSB", _N, []),
    ("中华人民共和国交通部", "交通部", "WJTB", _N, []),
    ("中华人民共和国铁道部", "铁道部", "WTDB", _N, []),
    ("中华人民共和国农业部", "农业部", "WNYB", _N, []),
    ("中华人民共和国林业部", "林业部", "WLYB", _N, []),
    ("中华人民共和国文化部", "文化部", "WWHB", _N, []),
    ("中华人民共和国国土资源部", "国土资源部", "WGTZY", _N, []),
    ("中华人民共和国环境保护部", "环境保护部", "WHBB", _N, ["国家环境保护总局"]),
    ("中华人民共和国监察部", "监察部", "WJCB", _N, []),
    ("中华人民共和国对外贸易经济合作部", "外经贸部", "WWJMB", _N, ["对外贸易经济合作部", "对外经济贸易部"]),
    ("国家计划委员会", "国家计委", "WJW", _N, ["国家发展计划委员会"]),
    ("国家经济贸易委员会", "国家经贸委", "WJMW", _N, []),
    ("国家教育委员会", "国家教委", "WJYW", _N, []),
    ("国家科学技术委员会", "国家科委", "WKW", _N, []),
    ("国家体育运动委员会", "国家体委", "WTW", _N, []),
    ("国家旅游局", "国家旅游局", "WLYJ", _N, []),
    ("国家安全生产监督管理总局", "安全监管总局", "WAJZJ", _N, []),
    ("国家新闻出版广电总局", "新闻出版广电总局", "WXWGD", _N, ["广播电影电视部"]),
    ("国家技术监督局", "国家技术监督局", "WJSJD", _N, ["国家标准局", "国家计量局"]),
    # The municipality of Beijing.
    ("北京市人民代表大会", "北京市人大", "WBJRD", LOCAL_CONGRESS, []),
    ("北京市人民代表大会常务委员会", "北京市人大常委会", "WBJRDCW", LOCAL_CONGRESS, ["市人大常委会"]),
    ("北京市人民政府", "市政府", "WBJSZF", LOCAL_GOVERNMENT, ["北京市政府"]),
    ("北京市人民政府办公厅", "市政府办公厅", "WBJSZFBGT", _D, ["北京市政府办公厅"]),
    ("中共北京市委员会", "北京市委", "WBJSW", PARTY, ["中共北京市委"]),
    ("中共北京市委办公厅", "市委办公厅", "WBJSWBGT", PARTY, []),
    ("北京市发展和改革委员会", "市发展改革委", "WBJFGW", _D, ["北京市发展改革委", "市发改委"]),
    ("北京市教育委员会", "市教委", "WBJJW", _D, []),
    (
        "北京市科学技术委员会、中关村科技园区管理委员会",
        "市科委、中关村管委会",
        "WBJKW",
        _D,
        ["北京市科学技术委员会"],
    ),
    ("北京市经济和信息化局", "市经济和信息化局", "WBJJXJ", _D, ["市经信局"]),
    ("北京市公安局", "市公安局", "WBJGAJ", _D, []),
    ("北京市民政局", "市民政局", "WBJMZJ", _D, []),
    ("北京市司法局", "市司法局", "WBJSFJ", _D, []),
    ("北京市财政局", "市财政局", "WBJCZJ", _D, []),
    ("北京市人力资源和社会保障局", "市人力资源社会保障局", "WBJRSJ", _D, ["市人力社保局"]),
    ("北京市规划和自然资源委员会", "市规划自然资源委", "WBJGHW", _D, []),
    ("北京市生态环境局", "市生态环境局", "WBJSTHJ", _D, []),
    ("北京市住房和城乡建设委员会", "市住房城乡建设委", "WBJZJW", _D, ["市住建委"]),
    ("北京市城市管理委员会", "市城市管理委", "WBJCGW", _D, ["市城管委"]),
    ("北京市交通委员会", "市交通委", "WBJJTW", _D, []),
    ("北京市水务局", "市水务局", "WBJSWJ", _D, []),
    ("北京市农业农村局", "市农业农村局", "WBJNYJ", _D, []),
    ("北京市商务局", "市商务局", "WBJSWUJ", _D, []),
    ("北京市文化和旅游局", "市文化和旅游局", "WBJWLJ", _D, []),
    ("北京市卫生健康委员会", "市卫生健康委", "WBJWJW", _D, ["市卫健委"]),
    ("北京市退役军人事务局", "市退役军人局", "WBJTYJ", _D, []),
    ("北京市应急管理局", "市应急局", "WBJYJJ", _D, []),
    ("北京市审计局", "市审计局", "WBJSJJ", _D, []),
    ("北京市人民政府国有资产监督管理委员会", "市国资委", "WBJGZW", _D, []),
    ("北京市市场监督管理局", "市市场监管局", "WBJSCJ", _D, []),
    ("北京市统计局", "市统计局", "WBJTJJ", _D, []),
    ("北京市医疗保障局", "市医保局", "WBJYBJ", _D, []),
    ("北京市园林绿化局", "市园林绿化局", "WBJYLJ", _D, []),
    (
        "北京市政务服务和数据管理局",
        "市政务服务和数据局",
        "WBJZWFW",
        _D,
        ["北京市政务服务管理局", "市政务服务局"],
    ),
    ("北京市人民政府外事办公室", "市政府外办", "WBJWB", _D, []),
    ("北京市民族宗教事务委员会", "市民族宗教委", "WBJMZW", _D, []),
    ("北京市体育局", "市体育局", "WBJTYJU", _D, []),
    ("北京市广播电视局", "市广电局", "WBJGDJ", _D, []),
    ("北京市文物局", "市文物局", "WBJWWJ", _D, []),
    ("北京市地方金融管理局", "市金融管理局", "WBJJRJ", _D, ["北京市地方金融监督管理局"]),
    ("国家税务总局北京市税务局", "市税务局", "WBJSWUJU", _D, ["北京市税务局"]),
    ("北京市人民政府办公厅政务公开办公室", "市政务公开办", "WBJGKB", _D, []),
]

# Role of an organ not in the table, from its name (first match wins).
_ROLE_PATTERNS: list[tuple[re.Pattern, str]] = [
    (
        re.compile(r"^(?:中华人民共和国)?全国人民代表大会(?:常务委员会)?$|^全国人大(?:常委会)?$"),
        NATIONAL_CONGRESS,
    ),
    (re.compile(r"人民代表大会(?:常务委员会)?$|人大(?:常委会)?$"), LOCAL_CONGRESS),
    (re.compile(r"^(?:中华人民共和国)?国务院$"), STATE_COUNCIL),
    (re.compile(r"^(?:\S{2,4}(?:省|自治区|市|自治州|盟|地区))人民政府$"), LOCAL_GOVERNMENT),
    (re.compile(r"^(?:中共|中国共产党)"), PARTY),
    (re.compile(r"法院$|检察院$"), JUDICIARY),
    (
        re.compile(r"^(?:中华人民共和国|国家|国务院)|^[^市省区县]{1,10}(?:部|总局|总署|署)$"),
        NATIONAL_DEPARTMENT,
    ),
]
# A name that is an organ outside the district: a national organ, a province or city (not the district itself).
EXTERNAL_PREFIX = re.compile(
    r"^(?:中华人民共和国|中共中央|中国共产党中央|中央|国务院|国家|全国|最高人民|中国|政务院"
    r"|北京市(?!西城区)|天津市|上海市|重庆市|[\u4e00-\u9fff]{2,3}(?:省|自治区))"
)
_DISTRICT_NAME = re.compile(r"^(?:北京市西城区|西城区|区)|西城")
_NATIONAL_PREFIX = "中华人民共和国"


def _keys(name: str) -> set[str]:
    name = re.sub(r"[\s\u3000]+", "", name or "")
    keys = {name}
    if name.startswith(_NATIONAL_PREFIX) and len(name) > len(_NATIONAL_PREFIX) + 1:
        keys.add(name[len(_NATIONAL_PREFIX) :])
    return keys


def _build() -> dict[str, tuple]:
    table: dict[str, tuple] = {}
    for row in EXTERNAL_ORGANS:
        full, short, _code, _role, aliases = row
        for written in (full, short, *aliases):
            for key in _keys(written):
                table.setdefault(key, row)
    return table


_TABLE = _build()


def find_external_organ(name: str) -> tuple | None:
    """The table row (full, short, code, role, aliases) for a written organ name, or None."""
    for key in sorted(_keys(name), key=len, reverse=True):
        if key in _TABLE:
            return _TABLE[key]
    return None


def is_external_name(name: str) -> bool:
    """True for a name of an organ outside the district: in the table, or starting with the name of a national,
    provincial or municipal level (国家…, 北京市… but not 北京市西城区…)."""
    compact = re.sub(r"[\s\u3000]+", "", name or "")
    if not compact or _DISTRICT_NAME.search(compact):
        return False
    return find_external_organ(compact) is not None or bool(EXTERNAL_PREFIX.match(compact))


def organ_role(name: str) -> str | None:
    """The role (see the module docstring) of a written organ name: from the table, else from its shape;
    None for a district name or a name that is not recognisably an organ."""
    compact = re.sub(r"[\s\u3000]+", "", name or "")
    if not compact:
        return None
    row = find_external_organ(compact)
    if row:
        return row[3]
    if _DISTRICT_NAME.search(compact):
        return None
    for pattern, role in _ROLE_PATTERNS:
        if pattern.search(compact):
            return role
    if EXTERNAL_PREFIX.match(compact):
        return LOCAL_DEPARTMENT
    return None


def all_known_names() -> set[str]:
    return set(_TABLE)
