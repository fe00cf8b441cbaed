"""What kind of answer a question asks for (a number, a date, a percentage, a duration), and
whether a sentence offers one.

A question that asks "how many days" is not answered by a sentence that merely shares its
words; checking the answer type is what lets the extractive answer refuse such near misses.
"""

from __future__ import annotations

import re

_ZH_NUM = r"[0-9０-９]+(?:[.,][0-9]+)?|[一二两三四五六七八九十百千万亿半几数]+"
_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("duration", re.compile(r"(多少|(?<!哪)几)(天|日|个月|年|周|小时|星期)|多长时间|多久|how long|how many (days|weeks|months|years|hours)", re.I)),
    ("percent", re.compile(r"百分之|比例|占比|多少%|what (percentage|share|portion|proportion|fraction)|how much of|what per ?cent", re.I)),
    ("money", re.compile(r"多少钱|多少(美)?元|价格|估值|how much (money|does|did|do|is|was|will)|what (price|valuation)|valuation|how much .* cost", re.I)),
    ("date", re.compile(r"什么时候|何时|哪一?年|哪天|哪个月|^\W*when\b|\bwhen (did|was|were|is|will|does|do|has|had)\b|what (year|date|month)|which (year|date|month)", re.I)),
    # "哪几家" asks which ones, not how many.
    ("number", re.compile(r"多少|(?<!哪)几[个位家部名种人]|how (many|much)|what (number|amount)", re.I)),
]
_SATISFY: dict[str, re.Pattern[str]] = {
    "duration": re.compile(
        rf"(?<![月0-9])(?:{_ZH_NUM})\s*(?:天|日|个月|周|小时|星期)(?![前后初底末])"
        r"|(?<![0-9])(?:[0-9]{1,2}|[一二两三四五六七八九十几数]+)\s*(?:多)?年(?![前后初底末代级])"
        r"|\b\d+\s*(days?|weeks?|months?|years?|hours?)\b",
        re.I,
    ),
    "percent": re.compile(rf"(?:{_ZH_NUM})\s*(?:%|％|成)|百分之|\bper ?cent\b|\d\s*percent", re.I),
    "money": re.compile(rf"(?:{_ZH_NUM})\s*(?:万|亿|千)?\s*(?:元|美元|美金|英镑|欧元|块)|[$€£¥]\s*\d|\d\s*(?:dollars|usd|billion|million)", re.I),
    "date": re.compile(r"(?:19|20)\d{2}\s*年?|\d{1,2}\s*月|[一二三四五六七八九十]+月|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|年底|年初|去年|今年|明年", re.I),
    "number": re.compile(rf"\d|(?:{_ZH_NUM})\s*(?:个|位|家|部|名|种|人|万|亿|倍|次|项|款)|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion)\b", re.I),
}


def expected_type(question: str) -> str | None:
    for name, pattern in _TYPES:
        if pattern.search(question):
            return name
    return None


def offers(sentence: str, answer_type: str | None) -> bool:
    return answer_type is None or bool(_SATISFY[answer_type].search(sentence))


_COUNTED_RE = re.compile(
    r"how many\s+(?:of\s+the\s+|more\s+|other\s+)?([a-z][a-z\-]+)"
    r"|(?:多少|几)\s*(?:个|位|家|部|名|种|项|款|次)?\s*([\u4e00-\u9fff]{2,4})",
    re.I,
)


def counted_noun(question: str) -> str | None:
    """What a "how many X" / "多少X" question counts (X), when it says."""
    m = _COUNTED_RE.search(question)
    if not m:
        return None
    return (m.group(1) or m.group(2) or "").lower() or None
