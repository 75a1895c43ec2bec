"""Turning Chinese text into index tokens, and a user's query into a safe full-text expression.

The scheme (see docs/search.md):

* text is NFKC-normalised and lower-cased;
* a *run* is a maximal sequence of letters and digits of any script (Han, Latin, digits …); everything else
  (punctuation, spaces, emoji, control characters) separates runs;
* a run of one character is indexed as that character; a longer run as its overlapping character bigrams
  (``信息公开`` → ``信息 息公 公开``, ``2024年`` → ``20 02 24 4年``);
* separately, the words rjieba finds (``适老化`` may come out as ``适 老化``) are indexed for ranking only.

A query term (the query split at white space) becomes the phrase of its bigrams, which every text that
contains the term literally also contains, consecutively: this is what makes recall literal. Only the
edges of a term need care: a one-character run at the start of a term may be the end of a longer run in
the text (dropped from the phrase), one at the end may be the start of one (a prefix token).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from django.utils.translation import gettext

RUN = re.compile(r"[^\W_]+")
# Characters kept when cleaning a query: everything printable; control and format characters go.
MIN_TERM_CHARS = 2


def normalise(text: str) -> str:
    text = text or ""
    if not unicodedata.is_normalized("NFKC", text):  # the quick check is ~1000x cheaper than normalising
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def runs(text: str) -> list[str]:
    return RUN.findall(normalise(text))


def run_grams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def grams(*parts: str | None) -> str:
    """The bigram tokens of the given texts, separated by spaces (the value stored in the index)."""
    out: list[str] = []
    for part in parts:
        if part:
            for run in runs(part):
                out.extend(run_grams(run))
    return " ".join(out)


def _jieba():
    import rjieba

    return rjieba


def word_list(text: str) -> list[str]:
    """The rjieba words of a text that consist of letters and digits only, lower-cased."""
    text = normalise(text)
    if not text:
        return []
    # str.isalnum() is exactly RUN.fullmatch (the regex's word characters minus "_"), five times faster
    return [word for word in _jieba().cut(text) if word.isalnum()]


def words(*parts: str | None) -> str:
    return " ".join(w for part in parts if part for w in word_list(part))


@dataclasses.dataclass
class Term:
    """One white-space separated part of a query."""

    text: str  # as typed (cleaned), used for highlighting and literal rechecks
    tokens: list[str]  # the bigram phrase
    prefix: bool  # the last token is a prefix
    words: list[str]  # rjieba words, for whole-word ranking

    @property
    def usable(self) -> bool:
        return bool(self.tokens)


def parse_term(text: str) -> Term:
    term_runs = runs(text)
    tokens: list[str] = []
    prefix = False
    last = len(term_runs) - 1
    for i, run in enumerate(term_runs):
        if len(run) >= 2:
            tokens.extend(run_grams(run))
        elif i == last and i > 0:
            # a one-character run at the end of a term: the text may continue it ("…3号" + "文")
            tokens.append(run)
            prefix = True
        elif 0 < i < last:
            tokens.append(run)
        # a one-character run at the start of a term may end a longer run in the text: not usable
    if len(term_runs) == 1 and len(term_runs[0]) == 1:
        tokens, prefix = [], False
    return Term(text=text, tokens=tokens, prefix=prefix, words=word_list(text))


@dataclasses.dataclass
class ParsedQuery:
    terms: list[Term]
    message: str = ""

    @property
    def usable_terms(self) -> list[Term]:
        """Terms the index can answer."""
        return [t for t in self.terms if t.usable]

    @property
    def literal_terms(self) -> list[Term]:
        """Terms of two or more characters without a searchable run of two letters or digits (such as
        “（一）”): the index cannot answer them, a literal scan does."""
        return [t for t in self.terms if not t.usable and len(t.text) >= MIN_TERM_CHARS]

    @property
    def is_empty(self) -> bool:
        return not self.usable_terms and not self.literal_terms


def parse_query(query: str) -> ParsedQuery:
    """Splits a cleaned query into terms, combined with AND. One-character terms are dropped with a message."""
    terms = [parse_term(part) for part in (query or "").split()]
    parsed = ParsedQuery(terms=terms)
    dropped = [t.text for t in terms if not t.usable and len(t.text) < MIN_TERM_CHARS]
    if terms and parsed.is_empty:
        parsed.message = gettext("检索词至少需要两个字")
    elif dropped:
        # The dropped terms are the visitor's own words, joined with the Chinese enumeration comma.
        parsed.message = gettext("已忽略过短的检索词：%(terms)s") % {"terms": "、".join(dropped)}
    return parsed


def fts5_quote(tokens: list[str]) -> str:
    # Tokens are runs of letters and digits only, so they never contain a double quote; quote anyway.
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def fts5_phrase(term: Term) -> str:
    return fts5_quote(term.tokens) + ("*" if term.prefix else "")


def fts5_match(parsed: ParsedQuery, columns: str = "title body") -> str:
    """The FTS5 MATCH expression: every usable term as a phrase of bigrams, combined with AND."""
    phrases = [fts5_phrase(t) for t in parsed.usable_terms]
    return "{" + columns + "} : (" + " AND ".join(phrases) + ")"


# The whole-word tier of the ranking is computed for terms of at most this many words. It tells 政务 (a
# word) from 财政务必 (an accident of two words); a term of three or more words (县级以上地方人民政府) almost
# never matches by accident, and its word phrase costs as much as the whole search.
MAX_WORDS_RANKED = 2


def word_rankable(parsed: ParsedQuery) -> bool:
    terms = parsed.usable_terms
    return bool(terms) and all(1 <= len(t.words) <= MAX_WORDS_RANKED for t in terms)


def fts5_words_match(parsed: ParsedQuery) -> str | None:
    """Whole-word expression: every term's rjieba words as a phrase in the `words` column."""
    if not word_rankable(parsed):
        return None
    phrases = [fts5_quote(t.words) for t in parsed.usable_terms]
    return "{words} : (" + " AND ".join(phrases) + ")"


def tsquery_lexeme(token: str, prefix: bool = False) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")


# --- PostgreSQL: document-level grams of up to four characters (see docs/search.md) ------------------------

GRAM = 4  # the longest gram indexed


def run_lexemes(run: str, out: set) -> None:
    """The grams a run of letters/digits contributes: every 4-gram, plus the suffixes of length 3 and 2 (a run
    of two or three characters is its own suffix). Any substring of two to four characters of the run is then
    the prefix of one of them (a 4-gram starting there, or the suffix starting there): a search for a string
    of two or three characters is the prefix query ``'s':*``, one of four characters the lexeme itself."""
    n = len(run)
    if n < 2:
        return
    for i in range(n - GRAM + 1):
        out.add(run[i : i + GRAM])
    out.add(run[-2:])
    if n >= 3:
        out.add(run[-3:])


def lexemes(*parts: str | None) -> set[str]:
    out: set[str] = set()
    for part in parts:
        if part:
            part_runs = [run for run in runs(part) if len(run) > 1]
            out.update(run[i : i + GRAM] for run in part_runs for i in range(len(run) - GRAM + 1))
            out.update(run[-2:] for run in part_runs)
            out.update(run[-3:] for run in part_runs if len(run) > 2)
    return out


@dataclasses.dataclass
class PgTerm:
    """How PostgreSQL answers one term: `tsquery` finds every record containing it (None: no run of two
    characters, only a literal scan can); `exact` when the lexemes alone prove the match, else `needle` is
    checked with strpos on the normalised text."""

    needle: str
    tsquery: str | None
    exact: bool


def pg_term(term: Term) -> PgTerm:
    needle = normalise(term.text)
    term_runs = runs(term.text)
    parts = []
    for run in term_runs:
        if len(run) < 2:
            continue  # a single character is not indexed: the strpos check covers it
        if len(run) < GRAM:
            parts.append(tsquery_lexeme(run, prefix=True))
        else:
            starts = list(range(0, len(run) - GRAM + 1, GRAM))
            if starts[-1] != len(run) - GRAM:
                starts.append(len(run) - GRAM)
            parts.extend(tsquery_lexeme(run[s : s + GRAM]) for s in starts)
    exact = len(term_runs) == 1 and term_runs[0] == needle and 2 <= len(needle) <= GRAM
    return PgTerm(needle, " & ".join(parts) if parts else None, exact)
