"""Paragraphs → the document's outline: numbered headings with what they contain.

Whatever the numbering style (Phần I, I., 1., 1.1., a), -, +), a marker's kind gives its
rank; a paragraph belongs to the nearest heading of a lower rank before it. Unnumbered
paragraphs belong to the nearest open heading that is not a list item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Para, is_caps

_PART = re.compile(r"^(?:Phần|PHẦN)\s+([IVXLC]+|\d+|thứ\s+\w+)\b[.:]?\s*(.*)$")
_ROMAN = re.compile(r"^([IVXLC]{1,5})\s*\.\s+(.*)$")
_MULTI = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\s*[.)]?\s+(.*)$")
_ARABIC = re.compile(r"^(\d{1,2})\s*[.)/]\s*(.*)$")
_ALPHA = re.compile(r"^([a-zđ])\s*\)\s*(.*)$")
_DASH = re.compile(r"^[-–—−]\s*(.*)$")
_PLUS = re.compile(r"^\+\s*(.*)$")
_BULLET = re.compile(r"^[•·●▪*]\s*(.*)$")

RANK = {"part": 0, "roman": 1, "arabic": 2, "multi": 3, "alpha": 5, "dash": 6, "plus": 7, "bullet": 8}
LIST_ITEM = 6  # ranks from here are list items: they hold no unnumbered paragraphs


@dataclass
class Node:
    kind: str  # "root", "part", "roman", …
    label: str  # "II", "1.2", "a", "-"
    text: str  # the heading or item text, without its marker
    para: Para | None
    rank: int
    items: list = field(default_factory=list)  # Node | Para, in document order
    parent: Node | None = None
    title_para: Para | None = None  # «Phần I» on one line, its title in capitals on the next

    @property
    def children(self) -> list[Node]:
        return [i for i in self.items if isinstance(i, Node)]

    @property
    def body(self) -> list[Para]:
        return [i for i in self.items if isinstance(i, Para)]

    @property
    def is_leaf(self) -> bool:
        return not self.items

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def paras(self) -> list[Para]:
        """Every paragraph under this node, its own first."""
        out = [p for p in (self.para, self.title_para) if p]
        for i in self.items:
            out += i.paras() if isinstance(i, Node) else [i]
        return out

    def path(self) -> list[Node]:
        out = []
        n = self
        while n is not None and n.kind != "root":
            out.append(n)
            n = n.parent
        return out[::-1]


def marker(text: str) -> tuple[str, str, str] | None:
    """(kind, label, rest) of a numbered or bulleted paragraph."""
    if m := _PART.match(text):
        return "part", m.group(1), m.group(2)
    if (m := _ROMAN.match(text)) and _roman_ok(m.group(1)):
        return "roman", m.group(1), m.group(2)
    if m := _MULTI.match(text):
        depth = m.group(1).count(".")
        return ("multi" if depth == 1 else f"multi{depth}"), m.group(1), m.group(2)
    if (m := _ARABIC.match(text)) and m.group(2) and not re.match(r"\d", m.group(2)):
        return "arabic", m.group(1), m.group(2)
    if m := _ALPHA.match(text):
        return "alpha", m.group(1), m.group(2)
    if m := _DASH.match(text):
        return "dash", "-", m.group(1)
    if m := _PLUS.match(text):
        return "plus", "+", m.group(1)
    if m := _BULLET.match(text):
        return "bullet", "•", m.group(1)
    return None


def _roman_ok(label: str) -> bool:
    return bool(re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", label)) and label != ""


def rank_of(kind: str) -> int:
    if kind.startswith("multi"):
        return 3 + (int(kind[5:] or 1) - 1)
    return RANK[kind]


def build(paras: list[Para]) -> Node:
    root = Node("root", "", "", None, -1)
    stack = [root]
    pending_title: Node | None = None
    for p in paras:
        m = marker(p.text)
        if pending_title is not None and m is None and is_caps(p.text):
            pending_title.text = (pending_title.text + " " + p.text).strip()
            pending_title.title_para = p
            pending_title = None
            continue
        pending_title = None
        if m is None:
            holder = next(n for n in reversed(stack) if n.rank < LIST_ITEM)
            holder.items.append(p)
            continue
        kind, label, rest = m
        rank = rank_of(kind)
        while stack[-1].rank >= rank:
            stack.pop()
        node = Node(kind, label, rest.strip(), p, rank, parent=stack[-1])
        stack[-1].items.append(node)
        stack.append(node)
        if kind == "part" and not rest.strip():
            pending_title = node
    return root


def title_of(node: Node) -> str:
    """A heading's words without a trailing colon: «Về hạ tầng số:» → «Về hạ tầng số»."""
    return node.text.rstrip(" :.")


def split_inline(text: str, max_words: int = 12) -> tuple[str, str] | None:
    """«Ngày Chuyển đổi số: Hưởng ứng …» → (heading, text) when a short heading leads the paragraph."""
    m = re.match(r"^([^:;.]{2,120}?)\s*:\s+(\S.*)$", text)
    if not m or len(m.group(1).split()) > max_words or re.search(r"\d+\s*%", m.group(1)):
        return None
    return m.group(1).strip(), m.group(2).strip()


def sentence_case(text: str) -> str:
    """A heading in capitals, as the portal writes headings: «MỤC TIÊU CỤ THỂ» → «Mục tiêu cụ thể»."""
    if not is_caps(text):
        return text
    words = text.split()
    out = []
    for i, w in enumerate(words):
        letters = [c for c in w if c.isalpha()]
        # Acronyms stay («CNTT», «UBND»): Vietnamese syllables have at most one vowel group, acronyms rarely any.
        if len(letters) >= 2 and not any(
            c.lower() in "aăâeêioôơuưyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ" for c in letters
        ):
            out.append(w)
        else:
            out.append(w.lower() if i else w[:1] + w[1:].lower())
    return " ".join(out)
