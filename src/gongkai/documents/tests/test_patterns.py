"""`patterns.EndingPattern`: the shortcuts (last character, literal endings) answer what the regular expression does."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.documents import names, normalise, official
from gongkai.documents.patterns import EndingPattern

WITH_ENDINGS = {
    "names.ORGAN_END": names.ORGAN_END,
    "normalise._ORGAN_END": normalise._ORGAN_END,
    "normalise._TITLE_END": normalise._TITLE_END,
    "official._DOC_TYPE": official._DOC_TYPE,
}
ALL = {
    **WITH_ENDINGS,
    "official._ISSUER_MARK": official._ISSUER_MARK,
    "official._ORDER_MARK": official._ORDER_MARK,
}
# Texts made of the patterns' own endings, Chinese, brackets and line breaks, so that endings are often hit.
PIECES = sorted(
    {ending for pattern in WITH_ENDINGS.values() for ending in pattern.endings}
    | set("国务院关于的通知局》”）)]\n 、令文件函公报纪要")
)
texts = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


def test_endings_are_literal():
    for name, pattern in WITH_ENDINGS.items():
        assert pattern.endings, name
        for ending in pattern.endings:
            assert "\n" not in ending and pattern.regex.search(ending), (name, ending)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_shortcuts_agree_with_the_regular_expression(text):
    for name, pattern in ALL.items():
        expected = pattern.regex.search(text)
        found = pattern.search(text)
        assert (found is None) == (expected is None), (name, text)
        if found is not None:
            assert found.span() == expected.span() and found.groups() == expected.groups(), (name, text)
        assert pattern.ends_like(text) == (expected is not None), (name, text)


def test_a_pattern_without_endings_searches():
    pattern = EndingPattern(r"(?:局|委)$", "局|委")
    assert pattern.ends_like("区财政局") and not pattern.ends_like("区财政局长")
    assert pattern.ends_like("区财政局\n") and re.search(pattern.pattern, "区财政局\n")
