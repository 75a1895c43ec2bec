"""The confidentiality and personal-data scanner (保密审查与个人信息检查, 23:三(一)4, 24:三(三)1).

`scan_text(text)` returns the findings in a text: classification markings, resident identity numbers,
unified social credit codes, phone numbers, bank cards, e-mail addresses, street addresses with building /
unit / room numbers, licence plates and the names written next to such items.

False positives are kept down by validating what can be validated: an identity number must carry a valid
GB 11643 check digit and a real birth date, a credit code a valid GB 32100 check digit, a bank card must pass
Luhn and start with a card-scheme prefix; classification words count only in the shape of a marking
("机密★5年", "密级：秘密", a line of its own), never in running prose ("属于国家秘密的事项").

Positions are character offsets into the text given. Full-width digits and Latin letters are recognised
(they are mapped one-to-one, so offsets stay those of the original text).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable

# --- severities and finding types -------------------------------------------------------------------------

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
SEVERITY_ORDER = {HIGH: 3, MEDIUM: 2, LOW: 1}

CLASSIFICATION = "classification"  # 密级标志 / 保密期限
INTERNAL = "internal"  # 内部资料
NOT_DISCLOSED = "not_disclosed"  # 不予公开
RESIDENT_ID = "resident_id"  # 公民身份号码
CREDIT_CODE = "credit_code"  # 统一社会信用代码
MOBILE = "mobile"  # 手机号码
LANDLINE = "landline"  # 固定电话
BANK_CARD = "bank_card"  # 银行卡号
EMAIL = "email"  # 电子邮箱
ADDRESS = "address"  # 详细住址
LICENCE_PLATE = "licence_plate"  # 机动车号牌
PERSON_NAME = "person_name"  # 与上述信息相邻的姓名

FINDING_TYPES = [
    CLASSIFICATION,
    INTERNAL,
    NOT_DISCLOSED,
    RESIDENT_ID,
    CREDIT_CODE,
    MOBILE,
    LANDLINE,
    BANK_CARD,
    EMAIL,
    ADDRESS,
    LICENCE_PLATE,
    PERSON_NAME,
]

# Findings that identify a natural person: a name written next to one of them is reported too.
PERSONAL_TYPES = frozenset({RESIDENT_ID, MOBILE, BANK_CARD, ADDRESS, LICENCE_PLATE, EMAIL, LANDLINE})


@dataclasses.dataclass(frozen=True)
class Finding:
    type: str
    text: str
    start: int
    end: int
    severity: str
    rule: str

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @property
    def label(self) -> str:
        from .models import FindingType

        return str(FindingType(self.type).label)


# --- check digits ---------------------------------------------------------------------------------------

# GB 11643-1999 公民身份号码 §8.2: ISO 7064 MOD 11-2 over the first 17 digits.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_resident_id(number: str) -> bool:
    """18 characters, GB 11643 check digit, an administrative-division code starting 1-8, a real birth date."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    if number[0] not in "12345678":
        return False
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1880 or born > datetime.date.today():
        return False
    return resident_id_check_digit(number[:17]) == number[17]


# GB 32100-2015 法人和其他组织统一社会信用代码编码规则 §4.5: 31 characters (no I, O, S, V, Z), weights 3^i mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100-2015 §4.2–4.3: registration authority code followed by the organisation category it may register.
_USCC_PREFIXES = frozenset(
    "11 12 13 19 21 29 31 32 33 34 35 39 41 49 51 52 53 59 61 62 69 71 79 81 89 91 92 93 A1 A9 N1 N2 N3 N9 Y1".split()
)


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    code = code.upper()
    if len(code) != 18 or any(c not in _USCC_VALUE for c in code):
        return False
    if code[:2] not in _USCC_PREFIXES or not code[2:8].isdigit() or code[2] not in "12345678":
        return False
    return credit_code_check_char(code[:17]) == code[17]


def luhn_ok(digits: str) -> bool:
    """ISO/IEC 7812-1 Luhn check of a card number."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# --- patterns ---------------------------------------------------------------------------------------------

_HAN = "\u4e00-\u9fff"
_SP = "[ \\t\\u3000]*"
_CN_NUM = "一二三四五六七八九十"

_CLASSIFICATION_RULES = [
    # 密级★保密期限 as printed on a classified document (GB/T 9704-2012 §7.2.3: 密级和保密期限)
    (
        "classification.star",
        HIGH,
        re.compile(
            rf"(?<![{_HAN}])(?:绝密|机密|秘密)\s*[★☆]\s*(?:(?:\d{{1,3}}|[{_CN_NUM}]{{1,3}})\s*(?:年|个月)|长期|启用前)?"
        ),
    ),
    ("classification.label", HIGH, re.compile(r"密级\s*[:：]\s*(?:绝密|机密|秘密)(?:级)?")),
    (
        "classification.period",
        HIGH,
        re.compile(
            rf"保密期限\s*[:：]\s*(?:(?:\d{{1,3}}|[{_CN_NUM}]{{1,3}})\s*(?:年|个月)|长期|至[^\n]{{1,16}})"
        ),
    ),
    ("classification.line", HIGH, re.compile(rf"(?m)^{_SP}(?:绝密|机密|秘密)(?:级)?{_SP}$")),
    (
        "internal.line",
        MEDIUM,
        re.compile(rf"(?m)^{_SP}内部(?:资料|文件|刊物|参阅|使用|明电)?(?:[，,、 \u3000]*注意保存)?{_SP}$"),
    ),
    ("internal.star", MEDIUM, re.compile(r"内部(?:资料|文件)?\s*[★☆]")),
    ("not_disclosed.label", HIGH, re.compile(r"公开(?:属性|方式|选项|类型)\s*[:：]\s*不予公开")),
    (
        "not_disclosed.line",
        HIGH,
        re.compile(rf"(?m)^{_SP}[（(【\[]?(?:不予公开|此件不予?公开)[）)】\]]?{_SP}$"),
    ),
    ("not_disclosed.inline", HIGH, re.compile(r"[（(]此件不予?公开[）)]")),
]
# Literal texts a line must contain for a rule to be tried on it; None = only short lines.
_RULE_NEEDLES = {
    "classification.star": ("★", "☆"),
    "classification.label": ("密级",),
    "classification.period": ("保密期限",),
    "classification.line": None,
    "internal.line": None,
    "internal.star": ("★", "☆"),
    "not_disclosed.label": ("不予公开",),
    "not_disclosed.line": None,
    "not_disclosed.inline": ("此件不",),
}
_RULE_TYPES = {
    "classification": CLASSIFICATION,
    "internal": INTERNAL,
    "not_disclosed": NOT_DISCLOSED,
}

_RE_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-8]\d{5}[ ]?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ ]?\d{3}[\dXx](?![0-9A-Za-z])"
)
_RE_USCC = re.compile(r"(?<![0-9A-Za-z])[1-9ANY][1-9]\d{6}[0-9A-HJ-NP-RTUWXY]{10}(?![0-9A-Za-z])")
_RE_BANK = re.compile(
    r"(?<![0-9A-Za-z])(?:4|5[1-5]|6\d|35|95)\d{2}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?![0-9A-Za-z])"
)
_RE_MOBILE = re.compile(r"(?<![0-9A-Za-z+])(?:(?:\+|00)?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9A-Za-z])")
_RE_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])(?:[（(]0\d{2,3}[)）][ ]?|0\d{2,3}[-－—][ ]?)[2-9]\d{6,7}(?:(?:-|转)\d{1,5})?(?![0-9A-Za-z])"
)
_RE_LANDLINE_CONTEXT = re.compile(
    r"(?:电话|传真|热线|联系方式|Tel|TEL|tel)[^\d\n]{0,6}(?<![0-9A-Za-z])((?:0\d{2,3})?[2-9]\d{6,7})(?![0-9A-Za-z])"
)
_RE_EMAIL_DOMAIN = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9])"
)
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_RE_PLATE = re.compile(
    rf"(?<![A-Za-z0-9])[{_PLATE_PROVINCES}][A-HJ-NP-Z][·•・ ]?[A-HJ-NP-Z0-9]{{4,5}}[A-HJ-NP-Z0-9挂学警港澳](?![A-Za-z0-9])"
)
# 楼号 / 单元 / 室号: at least two of the three, or one of them after a street, community or house number.
_NUM = rf"(?:\d{{1,4}}|[{_CN_NUM}]{{1,3}})"
_RE_ADDRESS_CORE = re.compile(
    rf"(?<![0-9])(?:{_NUM}(?:号楼|栋|幢|座|号院)[ ]?(?:[-－]?\d{{1,2}}单元)?[ ]?(?:[-－]?\d{{1,5}}(?:室|号房|户))?"
    rf"|\d{{1,2}}单元[ ]?(?:[-－]?\d{{1,5}}(?:室|号房|户))?|\d{{3,5}}(?:室|号房))"
)
_RE_ADDRESS_LEAD = re.compile(
    rf"(?:[{_HAN}]{{1,12}}?(?:路|街|大街|胡同|巷|里|道|小区|社区|村|苑|园|院|城|大厦|公寓|家园|花园|新村))"
    rf"(?:[甲乙丙丁]?\d{{1,5}}号(?:院)?)?[ ]?$"
)
_ADDRESS_PREFIXES = ("家庭住址", "住址为", "住址", "地址", "家住", "住在", "居住在", "住", "位于", "在")
_RE_ADDRESS_PARTS = re.compile(r"号楼|栋|幢|座|号院|单元|室|号房|户")

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白"
    "邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_COMPOUND_SURNAMES = (
    "欧阳|司马|上官|诸葛|东方|皇甫|令狐|慕容|尉迟|公孙|夏侯|长孙|宇文|司徒|端木|独孤|南宫|西门|百里|呼延"
)
_NAME_LABELS = (
    "姓名|联系人|申请人|当事人|户主|法定代表人|经办人|负责人|收件人|车主|持卡人|本人|被申请人|举报人|投诉人"
)
_ITEM_LABELS = (
    "公民身份号码|身份证号码|身份证号|身份证|证件号码|证件号|手机号码|手机号|手机|联系电话|电话号码|电话|联系方式|家庭住址|住址|地址|住|"
    "车牌号码|车牌号|车牌|号牌|银行卡号|银行卡|银行账号|开户账号|卡号|账号|电子邮箱|邮箱|手机号码为|电话号码为"
)
_RE_NAME_BEFORE = re.compile(
    rf"(?:[^{_HAN}]|{_NAME_LABELS})((?:{_COMPOUND_SURNAMES}|[{_SURNAMES}])[{_HAN}]{{1,2}}?)"
    rf"[ \u3000,，、:：（(]*(?:{_ITEM_LABELS})?(?:[为是])?[ \u3000:：]*$"
)
_ITEM_LABEL_TUPLE = tuple(_ITEM_LABELS.split("|")) + tuple(_NAME_LABELS.split("|"))
_NAME_WINDOW = 20
_NOT_NAMES = frozenset(
    "本人 其他 全市 全区 各区 各街道 市民 有关 相关 单位 部门 机关 通讯 办公 时间 以上 下列 万元 明确 安全 和平 高速 向阳 文化 金融 方式 常住 "
    "申请 联系 杨柳 于是 成员 张贴 周边 周末 高新 孙子 马路 田间 江南 何时 林业 程序 许可 余额 邮政 宁静 温馨 包括 管理 司法 关于 商务 和谐".split()
)

_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0b\uff0d\uff20\uff0e]")
_FULLWIDTH_TABLE = {
    cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}
_FULLWIDTH_TABLE.update({0xFF0B: ord("+"), 0xFF0D: ord("-"), 0xFF20: ord("@"), 0xFF0E: ord(".")})

_MARKING_RULES = [
    (rule, _RULE_TYPES[rule.split(".", 1)[0]], severity, regex, _RULE_NEEDLES[rule])
    for rule, severity, regex in _CLASSIFICATION_RULES
]


def _half_width(text: str) -> str:
    """Maps full-width digits, Latin letters and + - @ . to ASCII, one character for one (offsets unchanged)."""
    if _FULLWIDTH.search(text) is None:
        return text
    return text.translate(_FULLWIDTH_TABLE)


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


# --- the scanner ------------------------------------------------------------------------------------------
# Speed: each detector first finds cheap trigger positions over the whole text (one simple regex pass each),
# then runs its precise patterns on a small window around every trigger. The corpus of ~900 laws has a few
# thousand triggers in 14 MB; the precise patterns never see the rest of the text.

_TRIGGER_MARKING = re.compile(r"[绝机秘]密|密级|保密期限|内部|不予公开|此件不")
_TRIGGER_NUMBER = re.compile(r"[0-9０-９][0-9０-９A-Za-zＡ-Ｚ \-－—()（）转]{5,}")
_TRIGGER_PLATE = re.compile(rf"[{_PLATE_PROVINCES}][A-ZＡ-Ｚ]")
_TRIGGER_ADDRESS = re.compile(rf"[0-9０-９{_CN_NUM}](?:号楼|栋|幢|座|号院|单元|室|号房)")


class _Collector:
    """Accumulates findings with offsets into the original text; the same span and type is kept once."""

    def __init__(self, original: str):
        self.original = original
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, int, int]] = set()

    def add(self, kind: str, start: int, end: int, severity: str, rule: str) -> None:
        key = (kind, start, end)
        if key in self._seen or start >= end:
            return
        self._seen.add(key)
        self.findings.append(Finding(kind, self.original[start:end], start, end, severity, rule))


def _scan_markings(text: str, out: _Collector) -> None:
    line_end = -1
    for trigger in _TRIGGER_MARKING.finditer(text):
        if trigger.start() <= line_end:
            continue  # this line has been checked already
        line_start = text.rfind("\n", 0, trigger.start()) + 1
        line_end = text.find("\n", trigger.end())
        if line_end == -1:
            line_end = len(text)
        line = text[line_start:line_end]
        short = len(line.strip(" \t\u3000\r")) <= 16
        for rule, kind, severity, regex, needles in _MARKING_RULES:
            if needles is None:
                if not short:
                    continue  # a marking on a line of its own is short
            elif needles[0] not in line and (len(needles) == 1 or needles[1] not in line):
                continue
            if rule == "classification.period":
                line = _half_width(line)
            for m in regex.finditer(line):
                start, end = m.start(), m.end()
                # a marking on a line of its own: report the marking, not the surrounding blanks
                while start < end and line[start] in " \t\u3000\r":
                    start += 1
                while end > start and line[end - 1] in " \t\u3000\r":
                    end -= 1
                out.add(kind, line_start + start, line_start + end, severity, rule)


def _scan_numbers(text: str, out: _Collector) -> None:
    for trigger in _TRIGGER_NUMBER.finditer(text):
        base = max(0, trigger.start() - 3)
        window = _half_width(text[base : trigger.end() + 1])
        for m in _RE_ID.finditer(window):
            if is_valid_resident_id(m.group().replace(" ", "")):
                out.add(RESIDENT_ID, base + m.start(), base + m.end(), HIGH, "resident_id.gb11643")
        for m in _RE_USCC.finditer(window):
            code = m.group()
            if is_valid_credit_code(code):
                # 92 = 个体工商户: the code stands for a natural person's business
                severity = MEDIUM if code.startswith("92") else LOW
                out.add(CREDIT_CODE, base + m.start(), base + m.end(), severity, "credit_code.gb32100")
        for m in _RE_BANK.finditer(window):
            digits = _digits(m.group())
            if 16 <= len(digits) <= 19 and luhn_ok(digits):
                out.add(BANK_CARD, base + m.start(), base + m.end(), HIGH, "bank_card.luhn")
        for m in _RE_MOBILE.finditer(window):
            out.add(MOBILE, base + m.start(), base + m.end(), MEDIUM, "mobile.cn")
        for m in _RE_LANDLINE.finditer(window):
            out.add(LANDLINE, base + m.start(), base + m.end(), LOW, "landline.area_code")
        # a local number without area code counts only right after 电话 / 传真 …
        context_start = max(0, trigger.start() - 12)
        context = _half_width(text[context_start : trigger.end() + 1])
        m = _RE_LANDLINE_CONTEXT.search(context)
        if m:
            out.add(LANDLINE, context_start + m.start(1), context_start + m.end(1), LOW, "landline.context")


def _scan_emails(text: str, out: _Collector) -> None:
    if "@" not in text and "＠" not in text:
        return
    last_end = -1
    for at in re.finditer("[@＠]", text):
        pos = at.start()
        if pos <= last_end or pos == 0 or text[pos - 1] not in _EMAIL_LOCAL:
            continue
        start = pos
        while start > 0 and pos - start < 64 and text[start - 1] in _EMAIL_LOCAL:
            start -= 1
        while start < pos and text[start] == ".":
            start += 1
        m = _RE_EMAIL_DOMAIN.match(text, pos + 1, min(len(text), pos + 256))
        if start < pos and m:
            out.add(EMAIL, start, m.end(), LOW, "email.rfc5322")
            last_end = m.end()


def _scan_plates(text: str, out: _Collector) -> None:
    for trigger in _TRIGGER_PLATE.finditer(text):
        base = max(0, trigger.start() - 1)
        window = _half_width(text[base : trigger.start() + 11])
        m = _RE_PLATE.search(window, trigger.start() - base)
        if m and m.start() == trigger.start() - base and sum(c.isdigit() for c in m.group()[2:]) >= 2:
            out.add(LICENCE_PLATE, base + m.start(), base + m.end(), MEDIUM, "licence_plate.ga36")


def _scan_addresses(text: str, out: _Collector) -> None:
    for trigger in _TRIGGER_ADDRESS.finditer(text):
        base = max(0, trigger.start() - 50)
        window = _half_width(text[base : trigger.end() + 20])
        at = trigger.start() - base
        for m in _RE_ADDRESS_CORE.finditer(window, max(0, at - 12)):
            if m.start() > at + 1:
                break
            if m.end() <= at:
                continue
            parts = len(_RE_ADDRESS_PARTS.findall(m.group()))
            lead = _RE_ADDRESS_LEAD.search(window, max(0, m.start() - 30), m.start())
            if lead is None and parts < 2:
                continue
            start = lead.start() if lead is not None else m.start()
            lead_text = window[start : m.start()]
            for prefix in _ADDRESS_PREFIXES:
                if lead_text.startswith(prefix):
                    start += len(prefix)
                    break
            rule = "address.street" if lead is not None else "address.building"
            out.add(ADDRESS, base + start, base + m.end(), MEDIUM, rule)


def _scan_names(text: str, findings: list[Finding], out: _Collector) -> None:
    for f in findings:
        if f.type not in PERSONAL_TYPES:
            continue
        base = max(0, f.start - _NAME_WINDOW)
        # the name must follow a non-Han character or a label; the start of the text counts as one
        prefix = "\n" if base == 0 else ""
        window = prefix + _half_width(text[base : f.start])
        m = _RE_NAME_BEFORE.search(window)
        if m is None:
            continue
        base -= len(prefix)
        name = m.group(1)
        if name in _NOT_NAMES or name[:2] in _NOT_NAMES or window.startswith(_ITEM_LABEL_TUPLE, m.start(1)):
            continue
        if f.type in (RESIDENT_ID, BANK_CARD):
            severity = HIGH
        elif f.type in (LANDLINE, EMAIL):  # office contacts are usually published on purpose
            severity = LOW
        else:
            severity = MEDIUM
        out.add(PERSON_NAME, base + m.start(1), base + m.end(1), severity, f"person_name.next_to_{f.type}")


_PRIORITY = {
    CLASSIFICATION: 0,
    NOT_DISCLOSED: 0,
    INTERNAL: 1,
    RESIDENT_ID: 2,
    BANK_CARD: 3,
    CREDIT_CODE: 4,
    MOBILE: 5,
    EMAIL: 6,
    LANDLINE: 7,
    LICENCE_PLATE: 8,
    ADDRESS: 9,
    PERSON_NAME: 10,
}


def _resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keeps, of overlapping findings, the most specific one (an ID over the phone-shaped digits inside it)."""
    if len(findings) < 2:
        return list(findings)
    taken = bytearray(max(f.end for f in findings) + 1)
    chosen: list[Finding] = []
    for f in sorted(findings, key=lambda f: (_PRIORITY[f.type], f.start, -(f.end - f.start))):
        if taken.find(1, f.start, f.end) != -1:
            continue
        chosen.append(f)
        taken[f.start : f.end] = b"\x01" * (f.end - f.start)
    return sorted(chosen, key=lambda f: (f.start, f.end))


def scan_text(text: str, *, types: Iterable[str] | None = None) -> list[Finding]:
    """All findings in `text`, ordered by position. `types` limits the result to some finding types."""
    if not text:
        return []
    if not isinstance(text, str):
        raise TypeError("scan_text expects str")
    out = _Collector(text)
    _scan_markings(text, out)
    _scan_numbers(text, out)
    _scan_emails(text, out)
    _scan_plates(text, out)
    _scan_addresses(text, out)
    findings = _resolve_overlaps(out.findings)
    names = _Collector(text)
    _scan_names(text, findings, names)
    findings = _resolve_overlaps(findings + names.findings)
    if types is not None:
        wanted = set(types)
        findings = [f for f in findings if f.type in wanted]
    return findings


def find_suspect_resident_ids(text: str) -> list[Finding]:
    """ID-shaped numbers that are not valid 公民身份号码: 18 characters with a region code starting 1-8 and a real
    birth date, but a wrong GB 11643 check digit — a mistyped or altered real number, reported as suspect
    (severity medium, rule `resident_id.suspect_check_digit`). Not part of `scan_text`: ordinary texts carry
    many ID-shaped serial numbers; the reply check asks for these explicitly."""
    if not text:
        return []
    out = _Collector(text)
    for trigger in _TRIGGER_NUMBER.finditer(text):
        base = max(0, trigger.start() - 3)
        window = _half_width(text[base : trigger.end() + 1])
        for m in _RE_ID.finditer(window):
            number = m.group().replace(" ", "").upper()
            if is_valid_resident_id(number):
                continue
            good = number[:17] + resident_id_check_digit(number[:17])
            if is_valid_resident_id(good):  # only the check digit is wrong
                out.add(
                    RESIDENT_ID, base + m.start(), base + m.end(), MEDIUM, "resident_id.suspect_check_digit"
                )
    return sorted(out.findings, key=lambda f: f.start)


def max_severity(findings: Iterable[Finding]) -> str | None:
    best = None
    for f in findings:
        if best is None or SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[best]:
            best = f.severity
    return best


def has_high(findings: Iterable[Finding]) -> bool:
    return any(f.severity == HIGH for f in findings)
