"""The tokenizer and the query parser: literal recall is a property of the token scheme, proven here
without a database."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import text


def test_han_runs_become_overlapping_bigrams():
    assert text.grams("政府信息公开") == "政府 府信 信息 息公 公开"
    assert text.grams("法") == "法"
    assert text.grams("第1条，补贴。") == "第1 1条 补贴"
    assert text.grams("PDF 文件") == "pd df 文件"
    assert text.grams("") == ""
    assert text.grams(None, "政务") == "政务"


def test_punctuation_emoji_and_control_characters_separate_runs():
    assert text.grams("政务😀公开\x00补贴\u3000“惠企”") == "政务 公开 补贴 惠企"


def test_full_width_letters_and_digits_are_normalised():
    assert text.grams("ＡＢ２０２４") == text.grams("ab2024")


def test_words_keep_only_letter_and_digit_words():
    assert "惠企" in text.words("本市惠企政策，包括补贴。").split()
    assert "，" not in text.words("本市惠企政策，包括补贴。")


def test_term_rules_at_the_edges():
    term = text.parse_term("适老化")
    assert term.tokens == ["适老", "老化"] and not term.prefix
    # one-character run at the end: a prefix token (the text may continue it)
    term = text.parse_term("2019年3号")
    assert term.tokens == ["20", "01", "19", "9年", "年3", "3号"]
    term = text.parse_term("〔2019〕3")
    assert term.tokens == ["20", "01", "19", "3"] and term.prefix
    # one-character run at the start: dropped (it may end a longer run in the text)
    term = text.parse_term("法（草案）")
    assert term.tokens == ["草案"]
    # a single character cannot be searched literally with bigrams
    assert not text.parse_term("法").usable
    assert not text.parse_term("“”").usable


def test_query_messages():
    assert text.parse_query("法").message
    parsed = text.parse_query("法 政务")
    assert [t.text for t in parsed.usable_terms] == ["政务"]
    assert "法" in parsed.message
    assert text.parse_query("").is_empty and not text.parse_query("").message


HOSTILE = [
    '"',
    '""',
    "'",
    "AND",
    "OR NOT",
    "NEAR(政务 公开)",
    "政务*",
    "title:政务",
    "{title}:政务",
    "(政务) ^公开",
    "政务 AND 公开 OR 补贴 NOT 惠企",
    "-政务",
    "😀😀",
    "\x00\x01\x1b[31m",
    "政务" * 5000,
    "'; DROP TABLE policies_policy; --",
    "\\",
    "%_%",
]


def test_fts5_expression_is_always_quoted_tokens():
    for raw in HOSTILE:
        parsed = text.parse_query(raw[:200])
        if not parsed.usable_terms:
            continue
        expression = text.fts5_match(parsed)
        inner = expression.split(":", 1)[1]
        # nothing but quoted phrases of letters/digits, AND, parentheses and prefix stars
        assert re.fullmatch(r'\s*\((?:"[^\W_]+(?: [^\W_]+)*"\*?(?: AND )?)+\)', inner), (raw, expression)


def _consecutive(needle, haystack):
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _prefix_consecutive(needle, haystack):
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        if haystack[i : i + n - 1] == needle[:-1] and haystack[i + n - 1].startswith(needle[-1]):
            return True
    return False


ALPHABET = st.sampled_from(list("政务公开补贴适老化惠企策法第条一二年月日，。、（）〔〕 ab12"))


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=60), st.data())
def test_every_literal_substring_matches_its_phrase(document, data):
    """For any text and any substring of it (one term, no white space), the term's phrase occurs in the
    text's token sequence: the index can never miss a literal occurrence."""
    start = data.draw(st.integers(0, len(document) - 1))
    end = data.draw(st.integers(start + 1, len(document)))
    term_text = document[start:end]
    if any(ch.isspace() for ch in term_text):
        return
    term = text.parse_term(term_text)
    if not term.usable:
        return
    tokens = text.grams(document).split()
    if term.prefix:
        assert _prefix_consecutive(term.tokens, tokens), (document, term_text, term.tokens, tokens)
    else:
        assert _consecutive(term.tokens, tokens), (document, term_text, term.tokens, tokens)


def test_tsquery_lexemes_escape_quotes():
    assert text.tsquery_lexeme("a'b") == "'a''b'"
    assert text.tsquery_lexeme("x", prefix=True) == "'x':*"


def test_postgresql_lexemes_and_term_plans():
    assert text.lexemes("政府信息公开条例，第十条") == {
        "政府信息",
        "府信息公",
        "信息公开",
        "息公开条",
        "公开条例",
        "开条例",
        "条例",
        "第十条",
        "十条",
    }
    plan = text.pg_term(text.parse_term("人民政府"))
    assert (plan.tsquery, plan.exact) == ("'人民政府'", True)
    plan = text.pg_term(text.parse_term("第十条"))
    assert (plan.tsquery, plan.exact) == ("'第十条':*", True)
    plan = text.pg_term(text.parse_term("县级以上地方人民政府"))
    assert (plan.tsquery, plan.exact) == ("'县级以上' & '地方人民' & '人民政府'", False)
    plan = text.pg_term(text.parse_term("〔2019〕3号"))
    assert (plan.tsquery, plan.exact, plan.needle) == ("'2019' & '3号':*", False, "〔2019〕3号")
    plan = text.pg_term(text.parse_term("（一）"))
    assert (plan.tsquery, plan.exact, plan.needle) == (None, False, "(一)")


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=60), st.data())
def test_every_literal_substring_is_found_by_its_postgresql_lexemes(document, data):
    """PostgreSQL: for any text and any substring of it, every lexeme the term's query asks for is in the
    text's lexemes (as itself, or as a prefix for the prefix queries) — the GIN index can never miss a literal
    occurrence; and when the plan says `exact`, the lexemes alone prove the occurrence."""
    start = data.draw(st.integers(0, len(document) - 1))
    end = data.draw(st.integers(start + 1, len(document)))
    term_text = document[start:end]
    if any(ch.isspace() for ch in term_text):
        return
    plan = text.pg_term(text.parse_term(term_text))
    if plan.tsquery is None:
        return
    lexemes = text.lexemes(document)
    for part in plan.tsquery.split(" & "):
        lexeme = part.split("'")[1]
        if part.endswith(":*"):
            assert any(x.startswith(lexeme) for x in lexemes), (document, term_text, part)
        else:
            assert lexeme in lexemes, (document, term_text, part)
    # the converse for exact plans: a random other text matching the lexemes contains the term
    other = data.draw(st.text(ALPHABET, min_size=0, max_size=30))
    other_lexemes = text.lexemes(other)
    if plan.exact:
        lexeme = plan.tsquery.split("'")[1]
        matches = (
            any(x.startswith(lexeme) for x in other_lexemes)
            if plan.tsquery.endswith(":*")
            else lexeme in other_lexemes
        )
        assert matches == (plan.needle in text.normalise(other)), (other, term_text)
