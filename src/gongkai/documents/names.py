"""Lists of organ names as documents write them (主送机关, 抄送机关, 牵头/责任/配合单位).

Names are separated by `、` within a kind and `，` between kinds; collective names such as 区政府各委、办、局
contain a `、` themselves and are kept whole; `A、B等区政府相关部门` gives A, B and the collective
区政府相关部门, while a generic tail (`A、B等部门`) is dropped.
"""

from __future__ import annotations

import re

from gongkai.core.departments import COLLECTIVE_NAMES

_PROTECTED = sorted((name for name in COLLECTIVE_NAMES if "、" in name), key=len, reverse=True)
_SEPARATORS = re.compile(r"[、，,；;／/]|(?<=[\u4e00-\u9fff])和(?=区)|(?<=[\u4e00-\u9fff])及(?=区)")
_GENERIC_TAIL = re.compile(r"^(?:等)?(?:有关|相关|其他)?(?:部门|单位|机构|成员单位)$")
_TRAILING = "：:。.；;，,、 "


def split_names(text: str) -> list[str]:
    """Splits a list of organ names. Order kept, duplicates removed, nothing dropped but generic words."""
    text = re.sub(r"\s+", "", text or "").strip(_TRAILING)
    if not text:
        return []
    placeholders: dict[str, str] = {}
    for index, name in enumerate(_PROTECTED):
        if name in text:
            token = f"\ue000{index}\ue001"
            placeholders[token] = name
            text = text.replace(name, token)
    names: list[str] = []
    for part in _SEPARATORS.split(text):
        part = part.strip(_TRAILING)
        if not part:
            continue
        pieces = [part]
        if "等" in part:
            head, _sep, tail = part.partition("等")
            pieces = [head, tail] if head else [tail]
        for piece in pieces:
            for token, name in placeholders.items():
                piece = piece.replace(token, name)
            piece = piece.strip(_TRAILING)
            if not piece or _GENERIC_TAIL.match(piece):
                continue
            if piece not in names:
                names.append(piece)
    return names
