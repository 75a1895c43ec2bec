"""Undo the artefacts of text extracted from PDFs and web pages.

What real extracted text looks like (see the two work plans in `shared/seeds/`): hard line breaks inside words
and dates (`2023 年 10 月`, `区政\\n\\n务服务局`), blank lines between every wrapped line, page numbers on their
own line (`— 7 —`, `-10 -`, a bare `11`), list bullets (`- 1.`), spaces between Chinese characters, half- and
full-width punctuation mixed. `normalise_text` returns one paragraph per line:

1. Unicode clean-up: full-width digits and Latin letters to ASCII, ideographic and no-break spaces to spaces,
   control characters removed, `\\r\\n` to `\\n`.
2. Lines that are only a page number are dropped; bullets and Markdown heading marks at the start of a line
   are removed.
3. Spaces next to a Chinese character or Chinese punctuation are removed (spaces between two Latin words stay).
4. Half-width punctuation next to Chinese text becomes full-width (`,` `:` `;` `(…)` `"…"`).
5. Web-page furniture copied along with a document is dropped: 字号 大 中 小, 打印, 关闭, 分享到, 扫一扫, 当前位置,
   首页 > …, 上一篇/下一篇, 责任编辑, 版权所有, ICP 备案号 … (a line that holds nothing else); a page's byline
   (a date, then 来源/作者/浏览次数/字号: `2025-03-18 17:30 来源：中国政府网 【字体：大 中 小】 打印`); buttons in
   brackets before such a line (`【我要纠错】 责任编辑：…`).
6. A bare number on its own line is a page number, unless a neighbouring bare number (±1) is close by: then it is
   the serial number of a table row and is kept on its own line.
7. Lines are joined into paragraphs (`reflow=True`): a line continues the previous one unless the previous one
   ends a sentence or is a title/heading/date, or the line itself starts a structural element (a heading
   number, an article, a labelled element such as `附件：`, a date line …).
"""

from __future__ import annotations

import re

from .labels import ALL_LABELS
from .patterns import EndingPattern

_LABELS = "|".join(map(re.escape, ALL_LABELS))
# A metadata label alone on its line (its value is on the next line): both stay lines of their own.
_LABEL_ALONE = re.compile(rf"^[\[［【]?(?:{_LABELS})[\]］】]?[：:]?$")

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Chinese (full-width) punctuation and brackets.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({ord("Ａ") + i: ord("A") + i for i in range(26)})
_FULLWIDTH.update({ord("ａ") + i: ord("a") + i for i in range(26)})
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, ord("\t"): 0x20})
_NEEDS_TRANSLATION = re.compile("[０-９Ａ-Ｚａ-ｚ\u3000\xa0\u2002\u2003\u2009\t]+")
# "〇" has look-alikes in extracted text (○ U+25CB, ◯, Ｏ, О): dates such as 二○二四年 use them.
_ZERO_LOOKALIKE = re.compile(
    r"(?<=[一二三四五六七八九〇零])[○◯ОＯO](?=[一二三四五六七八九〇零○◯ОＯO年])|[○◯ОＯ](?=[一二三四五六七八九〇零年])"
)

_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_TABLE_SERIAL_WINDOW = 12
# Web-page furniture: words that make up a whole line of noise, and line starts that make a line noise.
_NOISE_WORDS = re.compile(
    r"字号|字体|大|中|小|默认|打印本页|打印|关闭窗口|关闭本页|关闭|分享到|分享|收藏本页|收藏|纠错|我要纠错|返回顶部|"
    r"返回|顶部|上一篇|下一篇|扫一扫在手机打开当前页|扫一扫在手机上查看当前页面|扫一扫|手机查看|微信|微博|QQ空间|"
    r"QQ|朋友圈|保存|繁体|简体|繁|简|无障碍|长者模式|关怀版|视力保护色|English|放大|缩小|"
    r"[【】\[\]（）()|｜/／:：·•、，,>＞»\s-]"
)
_NOISE_START = re.compile(
    r"^(?:当前位置|您现在的位置|您的位置|现在位置|所在位置|位置)[：:]|^首页\s*[>＞»/]|^责任编辑[：:]|^编辑[：:]|"
    r"^(?:上一篇|下一篇|上一条|下一条)[：:]|^版权所有|^主办单位[：:]|^承办单位[：:]|^主办[：:]|^网站标识码|^[京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]ICP备|"
    r"^[京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]公网安备|^浏览次数[：:]|^访问量[：:]|^点击数[：:]|^阅读数[：:]"
)
_NOISE_HINT = re.compile(
    r"打印|关闭|分享|字号|字体|扫一扫|位置|首页|编辑|版权|ICP|公网安备|网站标识码|浏览次数|访问量|点击数|阅读数|上一篇|下一篇|收藏|纠错|主办"
    r"|来源"
)
# The byline a page prints between the title and the text: `2025-03-18 17:30 来源：中国政府网 【字体：大 中 小】 打印`,
# `发布时间：2024-06-19 来源：区住房城市建设委 字号：[大 中 小]`, `发布日期：2025-05-06 浏览次数：1286`.
_BYLINE = re.compile(
    r"^(?:(?:发布|发文|更新|信息)?(?:时间|日期)[：:]\s*)?(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:(?:信息)?来源|作者|浏览次数|访问量|点击数|阅读数|[【\[]?\s*字[号体])\s*[：:]"
)
# Buttons in brackets in front of a line of furniture: `【我要纠错】 责任编辑：王晓明`.
_BRACKETED_BUTTONS = re.compile(
    r"^(?:[【\[]\s*(?:我要纠错|纠错|打印本页|打印|关闭窗口|关闭|收藏本页|收藏|分享|返回顶部)\s*[】\]]\s*)+"
)


def _translate_run(match: re.Match) -> str:
    return match.group().translate(_FULLWIDTH)


def is_web_noise(line: str) -> bool:
    """A line that is only the furniture of a web page (see the module docstring)."""
    if len(line) > 120 or not _NOISE_HINT.search(line):
        return False
    stripped = line.strip()
    if _NOISE_START.match(stripped) or _BYLINE.match(stripped) or not _NOISE_WORDS.sub("", line):
        return True
    if stripped[:1] in "【[" and (rest := _BRACKETED_BUTTONS.sub("", stripped)) != stripped:
        return bool(_NOISE_START.match(rest) or _BYLINE.match(rest))
    return False


_PAGE_NUMBER = re.compile(
    r"^[\s\-–—－―~～_]*(?:\d{1,3}|[-–—－―]\s*\d{1,4}\s*[-–—－―]|第\s*\d{1,4}\s*页(?:\s*[，,/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})[\s\-–—－―~～_]*$"
)
_BULLET = re.compile(r"^\s*(?:[-–•●◆■□▪·*+]\s+|[•●◆■□▪]\s*)")
_BULLET_STARTS = set("#-–•●◆■□▪·*+")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SPACES = re.compile(r"[ ]{2,}")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])[ ]+|[ ]+(?=[{CJK}{CJK_PUNCT}])")

_COMMA = re.compile(rf"(?<=[{CJK}）”])\s*,\s*|\s*,\s*(?=[{CJK}（“])")
_COLON = re.compile(rf"(?<=[{CJK}）”])\s*:\s*(?!//)")
_SEMICOLON = re.compile(rf"(?<=[{CJK}）”])\s*;\s*|\s*;\s*(?=[{CJK}（“])")
_QUESTION = re.compile(rf"(?<=[{CJK}])\?")
_EXCLAMATION = re.compile(rf"(?<=[{CJK}])!")
_PARENS = re.compile(r"\(([^()\n]{0,200})\)")
_QUOTES = re.compile(r'"([^"\n]{1,200})"')
_HAS_CJK = re.compile(rf"[{CJK}]")
_ASCII_PUNCT = re.compile(r'[,:;?!()"]')

# A paragraph ends after these characters.
_TERMINAL = "。！？!?；;：:）)」』】”…"
# Lines that start a new paragraph whatever the previous line was.
_STRUCTURAL_START = re.compile(
    r"^(?:"
    r"[一二三四五六七八九十百]+[、.．]"  # 一、
    r"|[（(][一二三四五六七八九十百]+[）)]"  # （一）
    r"|\d{1,3}(?:[.．、](?!\d)|\s)"  # 1. 1、
    r"|[（(]\d{1,3}[）)]"  # （1）
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十百千零〇\d]+[编章节条]"
    r"|附件\s*\d*\s*[：:]|附件\s*$"
    r"|(?:主送|抄送|抄报|签发人|印发|联系人|附注|责任单位|牵头单位|配合单位|完成时限|完成时间|发文字号|索引号)\s*[：:]"
    r"|[\[［【](?:索引号|主题分类|发文机构|发文字号|成文日期|发布日期|有效性|标题|主题词|实施日期|废止日期|联合发文单位)"
    r"|[（(]此件"
    r"|[（(]?(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^。]{0,160}?(?:通过|公布|发布|施行|修订|修正|批准|执行)"
    r"|[（(]?.{0,20}[〔\[［【（(﹝〖]\s*(?:19|20)\d{2}\s*[〕\]］】）)﹞〗]\s*第?\s*\d+\s*[号字]"  # a document number line
    r"|.{0,30}令\s*第\s*\d+\s*号$|第\s*\d+\s*号$|.{0,30}(?:公告|通告)\s*(?:19|20)\d{2}\s*年\s*第\s*\d+\s*号$"
    r")"
)
_DATE_LINE = re.compile(
    r"^(?:(?:19|20)\d{2}|[一二三四五六七八九〇零]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$"
)
_ENDS_WITH_DATE = re.compile(
    r"(?:年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})$"
)
_TITLE_WORDS = (
    "要点|通知|意见|办法|方案|规定|细则|决定|规划|计划|报告|批复|函|公告|通告|通报|纪要|条例|文件|措施|决议|命令|议案|"
    "公报|指引|指南|清单|目录|规则|守则|准则|章程|纲要|规范|标准"
)
_TITLE_END = EndingPattern(rf"(?:{_TITLE_WORDS})$", _TITLE_WORDS, endings=tuple(_TITLE_WORDS.split("|")))
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|第[一二三四五六七八九十百千零〇\d]+[编章节])"
)


_LABEL_START = re.compile(r"^(?:责任单位|牵头单位|配合单位|完成时限|完成时间)\s*[：:]")


# Lines that stand alone: metadata, 份号, 密级, 紧急程度, a document-number or 签发人 line.
_STANDALONE = re.compile(
    rf"^(?:[\[［【](?:{_LABELS})[\]］】]"
    rf"|(?:{_LABELS})\s*[：:]|(?:{_LABELS})$"
    r"|\d{6}$|(?:绝密|机密|秘密)(?:★.{0,6})?(?:\s*(?:特急|加急))?$|(?:特急|加急|特提|平急)$"
    r"|[（(]?.{0,20}[〔\[［【（(﹝〖]\s*(?:19|20)\d{2}\s*[〕\]］】）)﹞〗]\s*第?\s*\d+\s*[号字]号?[）)]?(?:\s*签发人.*)?$|签发人"
    r"|.{0,30}令\s*(?:第\s*\d+\s*号)?$|第\s*\d+\s*号$|.{0,30}(?:公告|通告)\s*(?:19|20)\d{2}\s*年\s*第\s*\d+\s*号$"
    r"|\d{1,3}$|.*｜|附件\s*\d{0,2}\s*[：:]?$"
    r"|[（(]?(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^。]{0,160}?(?:通过|公布|发布|施行|修订|修正|批准|执行)\s*[）)]?$)"
)
_ORGAN_WORDS = "政府|办公室|局|委员会|委|中心|办事处|街道|小组|部|厅|院|会|公司|分局|管委会|代章）"
_ORGAN_END = EndingPattern(rf"(?:{_ORGAN_WORDS})$", _ORGAN_WORDS, endings=tuple(_ORGAN_WORDS.split("|")))


def _display_width(line: str) -> int:
    # Non-ASCII characters in these documents are (nearly all) full-width: count them twice.
    return 2 * len(line) - len(line.encode("ascii", "ignore"))


_LONE_OPEN = re.compile(rf"\((?=[{CJK}])")
_LONE_CLOSE = re.compile(rf"(?<=[{CJK}。])\)")


def _punctuate(line: str) -> str:
    """Half-width punctuation next to Chinese text becomes full-width. (Each replacement runs only when its
    character is in the line: the result is the same, the line is not scanned for nothing.)"""
    if not _ASCII_PUNCT.search(line) or not _HAS_CJK.search(line):
        return line
    if "(" in line:
        line = _PARENS.sub(
            lambda m: (
                f"（{m.group(1)}）"
                if _HAS_CJK.search(m.group(1)) or _is_cn_number(m.group(1))
                else m.group(0)
            ),
            line,
        )
    if '"' in line:
        line = _QUOTES.sub(lambda m: f"“{m.group(1)}”" if _HAS_CJK.search(m.group(1)) else m.group(0), line)
    if "," in line:
        line = _COMMA.sub("，", line)
    if ":" in line:
        line = _COLON.sub("：", line)
    if ";" in line:
        line = _SEMICOLON.sub("；", line)
    if "?" in line:
        line = _QUESTION.sub("？", line)
    if "!" in line:
        line = _EXCLAMATION.sub("！", line)
    # Lone brackets left by a line break inside a bracketed group.
    if "(" in line:
        line = _LONE_OPEN.sub("（", line)
    if ")" in line:
        line = _LONE_CLOSE.sub("）", line)
    return line


def _is_cn_number(text: str) -> bool:
    return bool(text) and all(ch in "一二三四五六七八九十百零〇" for ch in text.strip())


def _clean_line(line: str) -> str:
    if line.lstrip()[:1] in _BULLET_STARTS:
        line = _MD_HEADING.sub("", line)
        line = _BULLET.sub("", line)
    if "签发人" in line:  # names of several signers are separated by spaces only
        head, sep, names = line.partition("签发人")
        line = head + sep + re.sub(r"(?<=[^\s：:])\s+(?=\S)", "、", names.strip())
    line = line.strip()
    if " " not in line:
        return _punctuate(line)
    line = _SPACE_NEAR_CJK.sub("", _SPACES.sub(" ", line))
    punctuated = _punctuate(line)
    # Removing the spaces next to Chinese text again changes nothing unless the punctuation did.
    if punctuated == line or " " not in punctuated:
        return punctuated
    return _SPACE_NEAR_CJK.sub("", punctuated)


def _wrap_width(lines: list[str]) -> int | None:
    """The width at which the text was hard-wrapped, or None when it was not (most lines are whole paragraphs)."""
    if len(lines) < 8:
        return None  # fewer than 8 lines cannot give the 8 widths asked for below
    widths = sorted(_display_width(line) for line in lines if len(line) >= 8)
    if len(widths) < 8:
        return None
    typical = widths[int(len(widths) * 0.8)]
    near = sum(1 for w in widths if typical * 0.85 <= w <= typical * 1.1)
    if typical >= 30 and near >= len(widths) * 0.45:
        return typical
    return None


def _breaks_after(prev: str, width: int | None, standalone: bool | None = None) -> bool:
    """Whether a paragraph ends after the line `prev` (`standalone`: `_STANDALONE.match(prev)`, when known)."""
    if not prev:
        return True
    if standalone if standalone is not None else _STANDALONE.match(prev):
        return True
    shown = _display_width(prev) if width is not None else 0
    if width is not None and shown >= width * 0.9:
        return False  # a full line in hard-wrapped text: the paragraph goes on, whatever its last character
    if prev[-1] in _TERMINAL:
        return True
    if (prev[-1] in "日\n" or prev[-1].isdecimal()) and _ENDS_WITH_DATE.search(prev):
        return True
    short = width is None or shown < width * 0.8
    if short and (_TITLE_END.ends_like(prev) or _HEADING_START.match(prev)):
        return True
    if width is not None and shown < width * 0.6:
        return True
    return False


def reflow(lines: list[str]) -> list[str]:
    """Joins hard-wrapped lines into paragraphs (see the module docstring). Each line is matched against each
    pattern at most once, and the brackets of the paragraph being built are counted as it grows."""
    width = _wrap_width(lines)
    paragraphs: list[str] = []
    joined: set[int] = set()
    standalone = [_STANDALONE.match(line) is not None for line in lines]
    label_alone = [_LABEL_ALONE.match(line) is not None for line in lines]
    opened = closed = 0  # （ and ） in paragraphs[-1]
    after_label = False
    count = len(lines)
    for position, line in enumerate(lines):
        following = lines[position + 1] if position + 1 < count else ""
        signature = len(line) <= 40 and _ORGAN_END.ends_like(line) and _DATE_LINE.match(following)
        # An open bracket near the end of the paragraph: `（区` + `政务服务局牵头，…）` is one paragraph.
        inside_brackets = bool(paragraphs) and opened > closed and "（" in paragraphs[-1][-60:]
        if inside_brackets and (
            _LABEL_START.match(line) or not (_STRUCTURAL_START.match(line) or _DATE_LINE.match(line))
        ):
            starts = False  # `完成时限：` wrapped inside `（…负责落实，完成时限：…）`
        else:
            starts = (
                (position == 0 or _breaks_after(lines[position - 1], width, standalone[position - 1]))
                or _STRUCTURAL_START.match(line)
                or _DATE_LINE.match(line)
                or standalone[position]
                or signature
            )
        if after_label:
            starts = True  # the value of a label that stood alone
        after_label = label_alone[position] or (after_label and label_alone[position - 1])
        if not paragraphs or starts:
            paragraphs.append(line)
            opened, closed = line.count("（"), line.count("）")
        else:
            latin = (
                paragraphs[-1][-1:].isascii()
                and paragraphs[-1][-1:].isalpha()
                and line[:1].isascii()
                and line[:1].isalpha()
            )
            paragraphs[-1] += (" " if latin else "") + line
            opened += line.count("（")
            closed += line.count("）")
            joined.add(len(paragraphs) - 1)
    for index in joined:  # a quote or bracket pair may span the joined lines
        punctuated = _punctuate(paragraphs[index])
        paragraphs[index] = _SPACE_NEAR_CJK.sub("", punctuated) if " " in punctuated else punctuated
    return paragraphs


def _table_serials(lines: list[str]) -> set[int]:
    """Positions of bare numbers that are table serials: another bare number one less or one more is near."""
    numbers = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _BARE_NUMBER.match(line))]
    if len(numbers) < 2:
        return set()
    keep: set[int] = set()
    for k, (position, value) in enumerate(numbers):
        for other_position, other_value in numbers[max(0, k - 3) : k + 4]:
            if (
                other_position != position
                and abs(other_value - value) == 1
                and abs(other_position - position) <= _TABLE_SERIAL_WINDOW
            ):
                keep.add(position)
                break
    return keep


def normalise_text(text: str, *, reflow_lines: bool = True) -> str:
    """Returns the text with one paragraph per line and the extraction artefacts removed.

    `reflow_lines=False` keeps the line structure (for sources whose lines are real paragraphs, such as .docx).
    """
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    # Only the runs of characters to translate are translated (the rest of the text stays as it is).
    text = _NEEDS_TRANSLATION.sub(_translate_run, text)
    text = _CONTROL.sub("", text)
    if any(lookalike in text for lookalike in "○◯ОＯO"):
        text = _ZERO_LOOKALIKE.sub("〇", text)
    if "<!--" in text:
        text = _HTML_COMMENT.sub("", text)
    raw_lines = text.split("\n")
    serials = _table_serials(raw_lines)
    lines = []
    for position, raw in enumerate(raw_lines):
        if not raw.strip() or (_PAGE_NUMBER.match(raw) and position not in serials):
            continue
        line = _clean_line(raw)
        if line and not is_web_noise(line):
            lines.append(line)
    if reflow_lines:
        lines = reflow(lines)
    return "\n".join(lines)
