"""A faster `search` for the patterns that test how a text ends (`(?:要点|通知|…)$`, `(?:政府|局|…)$`).

`re.search` tries such a pattern at every position of the text, so a long line costs as many attempts as it has
characters. `EndingPattern` looks at the text's last character first (before a final newline, where `$` also
matches) and runs the regular expression only when that character can end a match: the same results, without
scanning lines that cannot match. When the pattern is only a list of literal endings (`(?:要点|通知)$`), the
caller also gives them (`endings`), and `ends_like` answers with `str.endswith`, without a regular expression.
"""

from __future__ import annotations

import re


class EndingPattern:
    __slots__ = ("regex", "last", "endings")

    def __init__(self, pattern: str, words: str, extra_last: str = "", endings: tuple[str, ...] = ()):
        """`pattern`: a regular expression that only matches at the end of the text; `words`: the `|`-separated
        alternatives it ends with (their last characters, plus `extra_last`, are the only ones it can end with);
        `endings`: when the pattern matches exactly the texts that end with one of these literal strings, them."""
        self.regex = re.compile(pattern)
        self.last = frozenset(word[-1] for word in words.split("|") if word) | frozenset(extra_last)
        self.endings = endings

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def search(self, text: str) -> re.Match | None:
        end = text[:-1] if text.endswith("\n") else text
        if not end or end[-1] not in self.last:
            return None
        return self.regex.search(text)

    def ends_like(self, text: str) -> bool:
        """`bool(self.search(text))`; with `endings`, by comparing the text's end (before a final newline, where `$`
        also matches) with them."""
        if not self.endings:
            return self.search(text) is not None
        end = text[:-1] if text.endswith("\n") else text
        return end.endswith(self.endings)
