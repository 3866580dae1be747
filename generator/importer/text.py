"""Extracted text → clean paragraphs, each knowing the source lines it came from.

Extraction damage repaired here, each repair recorded (`Repair`) for `text_repairs`:
  * «ƣ»/«Ƣ» (U+01A3/U+01A2, a glyph some PDF fonts map «ư» to) → «ư»/«Ư»;
  * a letter with stacked diacritics lost to a space («T n tại», «h  sơ»): the missing
    letter is proposed from a Vietnamese syllable list (Debian's hunspell-vi when
    installed, else the syllables of published content) and chosen by how often the
    repaired word and its neighbours occur in published content and in the document;
  * a document number broken after its hyphen («84/KH-» / «UBND») joined;
  * a link address that a PDF's annotation dropped between two halves of a sentence.
Noise dropped (and listed in the coverage report): page numbers, running headers.
Lines broken mid-sentence are joined into paragraphs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HUNSPELL = Path("/usr/share/hunspell/vi_VN.dic")

VOWELS = "aăâeêioôơuưy"
_MARKED = set("àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵăâêôơư")
LETTER = r"A-Za-zÀ-ỹĐđƠơƯư"
_WORD = re.compile(rf"[{LETTER}]+")

MARKER = re.compile(
    r"^(?:(?:Phần|PHẦN)\s+(?:[IVXLC]+|\d+|thứ\s+\w+)\b"
    r"|[IVXLC]{1,5}\s*\.\s+\S"
    r"|\d{1,2}(?:\.\d{1,2})*\s*[.)/]?\s+\S"
    r"|[a-zđ]\s*[)]\s*\S"
    r"|[-–—−+•·●▪*]\s*\S)"
)
URL = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
PAGE_NO = re.compile(r"^\s*(?:-\s*)?(?:Trang\s+)?(\d{1,3})(?:\s*-)?(?:\s*/\s*\d{1,3})?\s*$")


@dataclass
class Repair:
    found: str
    repaired: str
    note: str
    lines: list[int] = field(default_factory=list)


@dataclass
class Para:
    """A paragraph: the repaired text of one or more consecutive source lines."""

    text: str
    lines: list[int]

    @property
    def first(self) -> int:
        return self.lines[0]


# --------------------------------------------------------------------------- lexicon


class Lexicon:
    """Valid syllables and how often words and word pairs occur, for proposing lost letters."""

    def __init__(self) -> None:
        self.syllables: set[str] = set()
        self.words: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.dictionary = False

    @classmethod
    def build(cls, corpus: list[str], document: str) -> Lexicon:
        lex = cls()
        if HUNSPELL.is_file():
            lex.dictionary = True
            for line in HUNSPELL.read_text("utf-8").splitlines()[1:]:
                word = line.split("/", 1)[0].strip()
                if word and " " not in word:
                    lex.syllables.add(unicodedata.normalize("NFC", word).lower())
        for text in corpus:
            lex._count(text, trusted=True)
        lex._count(document, trusted=False)
        return lex

    def _count(self, text: str, *, trusted: bool) -> None:
        words = [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text))]
        counts = Counter(words)
        for w in counts:
            # Without a dictionary, syllables are those of published text and of the document itself: a damaged
            # fragment has lost its vowel («n», «ng», «h») and so is never taken for a syllable.
            if not self.dictionary and _has_vowel(w) and (trusted or len(w) > 1):
                self.syllables.add(w)
        self.words.update(words)
        self.pairs.update(zip(words, words[1:]))

    def valid(self, word: str) -> bool:
        return word.lower() in self.syllables


def _has_vowel(word: str) -> bool:
    base = unicodedata.normalize("NFD", word)
    return any(c in "aeiouy" for c in base)


# --------------------------------------------------------------------------- line repairs


def fix_u(text: str) -> str:
    return text.replace("ƣ", "ư").replace("Ƣ", "Ư")


_TOKEN = re.compile(r"\S+")
_CORE = re.compile(rf"^([{LETTER}]+)([.,;:)”\"]*)$")


def repair_gaps(line: str, lex: Lexicon) -> tuple[str, list[tuple[str, str]]]:
    """Propose the letter lost to a space in `line`; (new line, [(found, repaired)]).

    Word pairs are tried left to right, each word in two pairs («cộng đ ng»: «cộng đ», then «đ ng»)."""
    tokens = list(_TOKEN.finditer(line))
    repairs: list[tuple[str, str]] = []
    out: list[str] = []
    pos = 0
    i = 0
    while i + 1 < len(tokens):
        ta, tb = tokens[i], tokens[i + 1]
        gap = line[ta.end() : tb.start()]
        ma, mb = re.fullmatch(rf"[{LETTER}]+", ta.group()), _CORE.match(tb.group())
        if ta.start() < pos or not ma or not mb or gap not in (" ", "  "):
            i += 1
            continue
        a, b, punct = ta.group(), mb.group(1), mb.group(2)
        before = line[: ta.start()]
        fix = _propose(a, b, before, line[tb.end() :], lex)
        if fix is None:
            i += 1
            continue
        out.append(line[pos : ta.start()])
        out.append(fix + punct)
        repairs.append((line[ta.start() : tb.end() - len(punct)], fix))
        pos = tb.end()
        i += 2
    if not repairs:
        return line, []
    out.append(line[pos:])
    return "".join(out), repairs


def _propose(a: str, b: str, before: str, after: str, lex: Lexicon) -> str | None:
    a_ok, b_ok = lex.valid(a), lex.valid(b)
    if a_ok and b_ok:
        return None
    if (len(a) > 1 and a.isupper() and not b.isupper()) or (len(b) > 1 and b.isupper() and not a.isupper()):
        return None  # an acronym beside a word («TT Huyện ủy»), not a broken word
    if len(a) > 4 and len(b) > 4:
        return None
    upper = a.isupper() and (len(a) > 1 or b.isupper())
    prev = _WORD.findall(before)[-1:] or [""]
    nxt = _WORD.findall(after)[:1] or [""]
    best: tuple[float, str] | None = None
    for g in sorted(_MARKED):
        g = g.upper() if upper else g
        # The letter lost inside one word («T n» → «Tồn»), or at the end of a word before the next («h  sơ» → «hồ sơ»).
        options = [(a + g + b, None)]
        if not a_ok and b_ok:
            options.append((a + g, b))
        for word, second in options:
            if not lex.valid(word) or (second is None and not _plausible(a, g, b)):
                continue
            lw, lp, ln = word.lower(), prev[0].lower(), (second or nxt[0]).lower()
            if second is not None and lex.pairs[(lw, ln)] == 0:
                continue  # «độ y», «bộ i»: a split never written in published text is no repair
            # Neighbours decide between words of one shape («cộng đồng», not «cộng động»); frequency breaks ties.
            after = lex.pairs[(lw, nxt[0].lower())] if second is None else lex.pairs[(lw, ln)]
            score = 100 * (lex.pairs[(lp, lw)] + after) + lex.words[lw]
            if score <= 0:
                continue
            text = word if second is None else f"{word} {second}"
            if best is None or score > best[0]:
                best = (score, text)
    return best[1] if best else None


def _plausible(a: str, g: str, b: str) -> bool:
    # The lost letter sits inside the syllable: «T»+«ồ»+«n»; a vowel on both sides would be two syllables.
    return not (a[-1:].lower() in VOWELS and b[:1].lower() in VOWELS)


# --------------------------------------------------------------------------- paragraphs


@dataclass
class CleanText:
    lines: list[str]  # repaired text of each source line (index 0 = line 1)
    raw: list[str]
    repairs: list[Repair]
    dropped: dict[int, str]  # line → why it was dropped (page number, running header)
    joins: dict[int, str] = field(default_factory=dict)  # line → how it was joined to the one before


def clean(
    text: str, lex: Lexicon, page_starts: list[int] | None = None, table_lines: set[int] | None = None
) -> CleanText:
    raw = text.splitlines()
    repairs: dict[tuple[str, str], Repair] = {}

    def note(found: str, repaired: str, why: str, line: int) -> None:
        r = repairs.setdefault((found, repaired), Repair(found, repaired, why))
        r.lines.append(line)

    lines = []
    for n, line in enumerate(raw, 1):
        line = unicodedata.normalize("NFC", line.replace("\t", " ").rstrip())
        fixed = fix_u(line)
        if fixed != line:
            for w in sorted(set(re.findall(rf"[{LETTER}]*[ƣƢ][{LETTER}]*", line))):
                note(w, fix_u(w), "Chữ «ư» trích xuất thành «ƣ».", n)
        fixed, gaps = repair_gaps(fixed, lex)
        for found, repaired in gaps:
            note(
                found,
                repaired,
                "Chữ có dấu chồng bị mất khi trích xuất (đề xuất theo danh sách âm tiết tiếng Việt).",
                n,
            )
        lines.append(fixed)
    dropped = _noise(lines, page_starts, table_lines or set())
    return CleanText(lines, raw, list(repairs.values()), dropped)


def _noise(lines: list[str], page_starts: list[int] | None, table_lines: set[int]) -> dict[int, str]:
    dropped: dict[int, str] = {}
    page_edges: set[int] = set()
    if page_starts:
        ends = [s - 1 for s in page_starts[1:]] + [len(lines)]
        for s, e in zip(page_starts, ends):
            body = [k for k in range(s, e + 1) if lines[k - 1].strip()]
            page_edges.update(body[:2] + body[-2:])
    for n, line in enumerate(lines, 1):
        if n in table_lines:
            continue
        if PAGE_NO.match(line) and (_isolated(lines, n) or n in page_edges):
            dropped[n] = "số trang"
    # Running headers/footers: the same short line at many page edges.
    counts = Counter(l.strip() for n, l in enumerate(lines, 1) if l.strip() and n not in table_lines)
    edges: set[int] = set(page_edges)
    if not page_starts:
        for n in dropped:
            edges.update(_neighbours(lines, n, 2))
    for n, line in enumerate(lines, 1):
        t = line.strip()
        if (
            n in edges
            and n not in dropped
            and n not in table_lines
            and counts[t] >= 3
            and len(t) >= 6
            and not MARKER.match(t)
        ):
            dropped[n] = "tiêu đề lặp lại ở đầu/cuối trang"
    return dropped


def _isolated(lines: list[str], n: int) -> bool:
    """A number alone with blank lines (or the start/end of the text) around it, not a list or table cell."""
    before = [l for l in lines[max(0, n - 3) : n - 1]]
    after = [l for l in lines[n : n + 2]]
    blank_before = not before or not before[-1].strip()
    blank_after = not after or not after[0].strip()
    return blank_before and blank_after


def _neighbours(lines: list[str], n: int, k: int) -> list[int]:
    found = []
    for step in (-1, 1):
        m, seen = n + step, 0
        while 1 <= m <= len(lines) and seen < k:
            if lines[m - 1].strip():
                found.append(m)
                seen += 1
            m += step
    return found


_END = re.compile(r"(?:[.;:!?…]|\./\.|\.\)|;\)|:\)|[”\"]\.?)\s*$")
_HYPHEN_BREAK = re.compile(r"[A-ZĐ0-9]-$")


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def paragraphs(ct: CleanText, start: int, end: int, skip: set[int]) -> list[Para]:
    """Join the lines start..end (1-based, inclusive) into paragraphs, leaving out `skip` and dropped lines."""
    paras: list[Para] = []
    cur: Para | None = None
    lines = ct.lines
    n = start
    while n <= end:
        if n in skip or n in ct.dropped or not lines[n - 1].strip():
            n += 1
            continue
        text = " ".join(lines[n - 1].split())
        if (
            URL.match(text)
            and cur is not None
            and not _END.search(cur.text)
            and _next_text(ct, n, end, skip)[:1].islower()
        ):
            # A link annotation the PDF extraction put between two halves of a sentence.
            ct.dropped[n] = "địa chỉ liên kết chen giữa câu khi trích xuất"
            n += 1
            continue
        if cur is not None and _continues(cur.text, text, cur):
            if _HYPHEN_BREAK.search(cur.text) and re.match(r"[A-ZĐ]", text):
                tail = cur.text.rsplit(" ", 1)[-1]
                head = text.split(" ", 1)[0]
                ct.joins[n] = f"{tail}⏎{head}"
                cur.text += text
            else:
                cur.text += " " + text
            cur.lines.append(n)
        else:
            cur = Para(text, [n])
            paras.append(cur)
        n += 1
    return paras


def _next_text(ct: CleanText, n: int, end: int, skip: set[int]) -> str:
    for m in range(n + 1, end + 1):
        if m not in skip and m not in ct.dropped and ct.lines[m - 1].strip():
            return ct.lines[m - 1].strip()
    return ""


_HEADING_WORDS = re.compile(r"^(?:Nơi nhận|NƠI NHẬN|TM\.|T/M|KT\.|TL\.|TUQ\.|Q\.\s|Căn cứ|Bằng chữ)")


def _continues(prev: str, text: str, cur: Para) -> bool:
    """Whether line `text` goes on the paragraph that ends with `prev`."""
    if MARKER.match(text) or _HEADING_WORDS.match(text):
        # «2022.» or «XIX.» alone on a line is the end of a sentence, not a list item.
        if not re.fullmatch(r"(?:\d{1,4}|[IVXLC]+)[.)]?\s*", text):
            return False
    caps_prev, caps_now = is_caps(prev), is_caps(text)
    if caps_prev != caps_now and (caps_prev or caps_now) and len(text) > 3:
        return False  # a heading in capitals stands alone
    if caps_prev and caps_now:
        return True  # a heading in capitals wrapped over lines
    first = text[:1]
    if re.search(r"[:,]\s*$", prev) and first.isdigit():
        return True  # «Cấp xã:» / «320.000.000đ»: a figure goes on its phrase
    if _END.search(prev):
        return first.islower()
    if _is_heading_line(prev, cur) and (first.isupper() or first in '“"'):
        return False
    return True


def _is_heading_line(prev: str, cur: Para) -> bool:
    """A numbered heading («2. Về phát triển nguồn nhân lực»): short, without a sentence end, on one line."""
    if len(cur.lines) > 1 and not re.match(r"^(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|Phần|PHẦN)", prev):
        return False
    m = MARKER.match(prev)
    if not m or prev[:1] in "-–—−+•·●▪*":
        return False
    words = prev.split()
    if re.search(r":\s+\S+\s+\S+\s+\S+", prev):
        return False  # «4.4. Ứng dụng Chữ ký số: UBND huyện đã …»: a heading that runs on into its text
    if re.search(r"(?:\b(?:và|của|với|các|cho|về|trong|tại|theo|để|có|được|những|là|từ|đến|trên)|,)$", prev):
        return False  # a line cut in mid-phrase
    return len(words) <= 16
