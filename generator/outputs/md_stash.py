"""A Markdown extension that hands the HTML blocks of generated pages through untouched.

The portal's single pages (`templates/pages/*.md.j2`: home, budgets, open data, …)
are Markdown headings and prose around large HTML blocks (tables, lists), converted
by render.page_html. Python-Markdown parses every raw HTML block with html.parser
to find where it ends, which was most of the conversion's time. This preprocessor
finds each top-level block by counting its own tag (the templates escape every
"<" in text, so tags are the only "<") and stores it in the HTML stash before
Markdown's own block parser runs; Markdown still handles the headings (ids, TOC).
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

_BLOCK_START = re.compile(r"^<(div|dl|ul|ol|figure|table|p|details|form|noscript)\b", re.M)


class _StashBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        out, pos = [], 0
        while (start := _BLOCK_START.search(text, pos)) is not None:
            tag = start.group(1)
            end = _block_end(text, start.start(), tag)
            if end is None:
                break  # unbalanced: leave the rest to Markdown
            out.append(text[pos : start.start()])
            out.append("\n\n" + self.md.htmlStash.store(text[start.start() : end]) + "\n\n")
            pos = end
        out.append(text[pos:])
        return "".join(out).split("\n")


def _block_end(text: str, start: int, tag: str) -> int | None:
    depth = 0
    for m in re.compile(rf"<(/?){tag}\b[^>]*>").finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return None


class StashHtmlBlocks(Extension):
    def extendMarkdown(self, md) -> None:
        # after whitespace normalisation (30), before Markdown's own HTML block parser (20)
        md.preprocessors.register(_StashBlocks(md), "ck_stash_html", 25)


def makeExtension(**kwargs) -> StashHtmlBlocks:
    return StashHtmlBlocks(**kwargs)
