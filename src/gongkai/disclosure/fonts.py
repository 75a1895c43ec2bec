"""The CJK TrueType font embedded in reply PDFs (Debian package fonts-wqy-microhei)."""

from __future__ import annotations

import os
from pathlib import Path

FONT_NAME = "WenQuanYiMicroHei"
FONT_CANDIDATES = [
    os.environ.get("GONGKAI_CJK_FONT", ""),
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
]


class FontMissing(RuntimeError):
    pass


def find_cjk_font() -> Path:
    for candidate in FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing(
        "找不到用于生成 PDF 的中文字体（文泉驿微米黑）。请安装 Debian 软件包 fonts-wqy-microhei，"
        "或用环境变量 GONGKAI_CJK_FONT 指定 TrueType 字体文件路径。"
    )


def register_cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        path = find_cjk_font()
        kwargs = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **kwargs))
    return FONT_NAME


def pil_font(size: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(find_cjk_font()), size, index=0)
