"""Main text of an HTML page: the article, not the navigation around it.

Written on the standard library's HTMLParser rather than pulling in a readability package:
the rules needed (skip chrome elements, prefer <article>/<main>, keep headings as markdown
headings so sections survive) fit in one small class.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "button",
         "select", "template", "iframe", "menu"}
_BLOCK = {"p", "div", "section", "article", "main", "li", "ul", "ol", "table", "tr", "blockquote",
          "pre", "br", "hr", "dd", "dt", "figcaption", "td", "th"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_VOID = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"}
_CHROME_HINT = re.compile(r"\b(nav|navbar|menu|sidebar|footer|header|breadcrumb|toc|comment|share|social)\b", re.I)


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self._in_title = False
        self._skip_depth = 0
        self._stack: list[tuple[str, bool]] = []  # (tag, opened a skip region)
        self.parts: list[str] = []  # everything outside chrome
        self.main_parts: list[str] = []  # inside <article>/<main>
        self._main_depth = 0
        self._heading: int | None = None
        self.og_title = ""
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag == "meta" and dict(attrs).get("property") == "og:title":
            self.og_title = (dict(attrs).get("content") or "").strip()
        if tag == "h1" and not self.h1:
            self._in_h1 = True
        if tag in _VOID:
            if tag in {"br", "hr"}:
                self._emit("\n")
            return
        attr = " ".join(v or "" for k, v in attrs if k in {"class", "id", "role"})
        skip = tag in _SKIP or (tag in {"div", "ul", "section"} and bool(_CHROME_HINT.search(attr)))
        self._stack.append((tag, skip))
        if skip:
            self._skip_depth += 1
        if tag in {"article", "main"}:
            self._main_depth += 1
        if tag in _HEADINGS:
            self._heading = _HEADINGS[tag]
            self._emit("\n\n" + "#" * _HEADINGS[tag] + " ")
        elif tag in _BLOCK:
            self._emit("\n\n" if tag != "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False
        if tag in _VOID:
            return
        while self._stack:
            open_tag, skip = self._stack.pop()
            if skip:
                self._skip_depth -= 1
            if open_tag in {"article", "main"}:
                self._main_depth -= 1
            if open_tag == tag:
                break
        if tag in _HEADINGS:
            self._heading = None
            self._emit("\n\n")
        elif tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._in_h1:
            self.h1 += data
        text = re.sub(r"\s+", " ", data)
        if self._heading is not None:
            text = text.replace("\n", " ")
        self._emit(text)

    def _emit(self, text: str) -> None:
        if self._skip_depth > 0:
            return
        self.parts.append(text)
        if self._main_depth > 0:
            self.main_parts.append(text)


def html_to_text(html: str) -> tuple[str, str]:
    """Return ``(title, text)``; text keeps headings as ``#`` lines and paragraphs as blank-line blocks."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    main = "".join(parser.main_parts)
    body = main if len(main.strip()) > 200 else "".join(parser.parts)
    lines = [ln.strip() for ln in body.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    # The page's own title (og:title, first <h1>) names the article; <title> often names the site.
    title = parser.og_title or re.sub(r"\s+", " ", parser.h1).strip() or parser.title.strip()
    return title, text
