"""The search page's parse messages follow the page language (docs/portal.md, "English site")."""

from django.utils import translation

from gongkai.search.service import MAX_QUERY_LENGTH, clean_query
from gongkai.search.text import parse_query


def test_parse_message_is_english_on_english_pages_and_unchanged_in_chinese():
    with translation.override("zh-hans"):
        assert parse_query("的 政策").message == "已忽略过短的检索词：的"
        assert parse_query("的").message == "检索词至少需要两个字"
    with translation.override("en"):
        assert parse_query("的 政策").message == "Search terms that are too short were ignored: 的"
        assert parse_query("的").message == "A search term needs at least two characters"


def test_long_query_message_is_english_on_english_pages():
    with translation.override("en"):
        _, message = clean_query("政" * (MAX_QUERY_LENGTH + 5))
    assert message == f"The search terms are too long; only the first {MAX_QUERY_LENGTH} characters are used"
