"""What a plan must never publish: personal data, and the stamp of a classified (mật) document.

Government plans name agencies, not citizens: a citizen ID, a mobile number, a personal e-mail address, a
date of birth, a bank account, passport, tax or social-insurance number in content is almost certainly a
mistake, and a «MẬT», «TỐI MẬT» or «TUYỆT MẬT» stamp means the document must not be published at all. The
build refuses them and says where they are. Agency switchboard numbers belong in site_config.yml; a real
false alarm in a plan is let through by a reviewed exception written in the plan (`privacy_exceptions`,
see validate), which must match the text of a finding.

Text is read as a reader sees it: fullwidth digits and letters as ASCII (NFKC), invisible characters
(zero-width space, soft hyphen…) skipped, accents written apart composed with their letter. A finding is
reported as written.

Speed: `possible` runs over every content file a build parses, so it searches for literals (which the
regex engine finds by skipping ahead) and looks closely only around them; a pattern that starts with a
character class or an alternative costs the engine a step at every character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

PHONE = "số điện thoại di động"
CITIZEN_ID = "số căn cước công dân"
OLD_ID = "số chứng minh nhân dân"
EMAIL = "địa chỉ thư điện tử cá nhân"
BIRTH = "ngày sinh"
BANK = "số tài khoản ngân hàng"
PASSPORT = "số hộ chiếu"
TAX = "mã số thuế"
INSURANCE = "số bảo hiểm xã hội"
STAMP = "dấu độ mật"

EXCEPTIONS_FIELD = "privacy_exceptions"

# --------------------------------------------------------------------------- reading text as it is seen

_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
)
_COMBINING = "\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000"
_ODD = re.compile(f"[{_INVISIBLE}{_COMBINING}{_SPACES}\uff01-\uff5e]")  # only these read otherwise
_IS_INVISIBLE = re.compile(f"[{_INVISIBLE}]")
_IS_COMBINING = re.compile(f"[{_COMBINING}]")


def _fold(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """`text` as read, and for each of its characters where it starts and ends in `text` (None when
    nothing was folded: the same offsets)."""
    if not _ODD.search(text):
        return text, None, None
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _ODD.finditer(text):
        i = m.start()
        if i > pos:
            out.extend(text[pos:i])
            starts.extend(range(pos, i))
            ends.extend(range(pos + 1, i + 1))
        ch = text[i]
        if _IS_COMBINING.match(ch):
            if out:  # composed with its letter: «A» + U+0323 + U+0302 reads «Ậ»
                base, start = out.pop(), starts.pop()
                ends.pop()
                for c in unicodedata.normalize("NFC", base + ch):
                    out.append(c)
                    starts.append(start)
                    ends.append(i + 1)
        elif not _IS_INVISIBLE.match(ch):
            for c in unicodedata.normalize("NFKC", ch):
                out.append(c)
                starts.append(i)
                ends.append(i + 1)
        pos = i + 1
    out.extend(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return "".join(out), starts, ends


def key(text: str) -> str:
    """The form in which a finding and an exception's text are compared: as read, spaces collapsed."""
    return " ".join(_fold(text)[0].split())


# --------------------------------------------------------------------------- numbers found by their shape

_SEP = r"(?:[ \t]{0,3}[.\-\u2010-\u2015][ \t]{0,3}|[ \t]{1,3}|[ \t]*\r?\n[ \t]*)"  # between digit groups
# Not part of a longer number, nor of an amount written with separators ("1.091.234.567"), nor of a word
# or code ("a0912345678f" inside a SHA-256 digest).
_AFTER = r"(?![0-9A-Za-z]|[.,\-\u2010-\u2015][0-9])"
_LETTER = r"[^\W\d_]"


def _first(literal: str) -> str:
    """`literal`, not preceded by a letter, a digit or a digit and separator. The literal comes before its
    look-behind so the regex engine jumps from one occurrence to the next: with the look-behind first it
    was tried at every position, a quarter of the time taken to load a file."""
    return rf"{literal}(?<![0-9A-Za-z]{literal})(?<![0-9][.,]{literal})"


_MOBILE = re.compile(_first("0") + r"[35789][0-9](?:" + _SEP + r"?[0-9]){7}" + _AFTER)
# A 12-digit number from 0 (a citizen ID), or a mobile number: one pass for both.
_ZERO = re.compile(
    _first("0")
    + r"(?:[0-9]{2}(?:"
    + _SEP
    + r"?[0-9]){9}"
    + _AFTER
    + "|[35789][0-9](?:"
    + _SEP
    + r"?[0-9]){7}"
    + _AFTER
    + ")"
)
_TWELVE_FROM_1 = re.compile(_first("1") + r"[0-9]{11}" + _AFTER)  # only bare: «100.000.000.000» is an amount
# «+84 912 345 678», «(+84) 912345678», «84912345678»: found by their «84», the sign or bracket before it read after.
_EIGHTY_FOUR = re.compile(
    r"84(?P<close>[ \t]*\))?(?:[ \t]*\(0\))?(?P<rest>" + _SEP + r"?[35789](?:" + _SEP + r"?[0-9]){8})" + _AFTER
)
_BEFORE_84 = re.compile(r"(?:\((?:[ \t]*\+)?[ \t]*|\+[ \t]?)$")
_NOT_A_NUMBER_START = re.compile(r"(?:[0-9A-Za-z]|[0-9][.,])$")
_AMOUNT_AFTER = re.compile(r"[ \t]*(?i:đồng|đ|vnđ|vnd|triệu|tỷ|tỉ|nghìn|ngàn|usd)(?!" + _LETTER + ")")
_EMAIL = re.compile(
    r"@[ \t]?(?i:(?:gmail|googlemail|yahoo|ymail|rocketmail|outlook|hotmail|live|msn|icloud|aol|protonmail|"
    r"proton|zoho|gmx|yandex|qq|163|126|yeah|naver|hanmail|fastmail|tutanota|tuta)"
    r"\.(?:com\.vn|co\.uk|co\.jp|com\.au|com|net|vn|fr|de|ru|jp|kr|cn|me|ch|io|ca)"
    r"|(?:me|mac|mail|inbox)\.(?:com|ru)|pm\.me)(?![\w-]|\.[A-Za-z])"
)
_EMAIL_LOCAL = re.compile(r"[\w.+\-]+[ \t]?$")


def _grouped(number: str, first: int, rest: int = 2) -> bool:
    """Whether the digit groups of `number` are those of one written number (the first of at least `first`
    digits, the others of at least `rest`), not a row of small numbers in a table («03 05 12 20 25»)."""
    groups = re.findall(r"[0-9]+", number)
    return len(groups[0]) >= first and all(len(g) >= rest for g in groups[1:])


def _by_shape(text: str, closely: bool) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of the numbers and addresses personal by their shape alone. Not `closely`: also
    those a closer look would leave out (the look over a whole file)."""
    for m in _ZERO.finditer(text):
        number = m.group()
        twelve = len(re.findall("[0-9]", number)) == 12
        if not closely or (twelve and _grouped(number, 3, 3)):
            yield m.start(), m.end(), CITIZEN_ID if twelve else PHONE
        elif (phone := _MOBILE.match(text, m.start())) and _grouped(phone.group(), 3):
            yield phone.start(), phone.end(), PHONE  # «0912 345 678 12»: the number, not twelve digits
    for m in _TWELVE_FROM_1.finditer(text):
        if not closely or not _AMOUNT_AFTER.match(text, m.end()):
            yield m.start(), m.end(), CITIZEN_ID
    for m in _EIGHTY_FOUR.finditer(text):
        sign = _BEFORE_84.search(text, max(0, m.start() - 6), m.start())
        start = sign.start() if sign else m.start()
        if m.group("close") and not (sign and sign.group().startswith("(")):
            continue
        if not sign and _NOT_A_NUMBER_START.search(text, max(0, m.start() - 2), m.start()):
            continue  # part of a longer number or word
        rest = m.group("rest")
        if not closely or (
            _grouped(rest, 2)
            and not (not sign and "." in rest)  # «84.912.345.678» is an amount
            and not _AMOUNT_AFTER.match(text, m.end())
        ):
            yield start, m.end(), PHONE
    for m in _EMAIL.finditer(text):
        local = _EMAIL_LOCAL.search(text, max(0, m.start() - 200), m.start())
        if local or not closely:
            yield (local.start() if local else m.start()), m.end(), EMAIL


# --------------------------------------------------------------------------- found near a word


def _near_words(loose: bool) -> dict[str, tuple[re.Pattern, re.Pattern]]:
    """Personal data named by a word before it: by kind, the word (searched in the text in lower case) and
    what follows it (matched in the text, its group «value» the data). `loose`: for the look over a whole
    file, where YAML may fold a field over several lines; the look field by field then decides."""
    sp = r"\s+" if loose else r"[\x20\t]+"  # \x20: word() reads a space as «between words»
    opt = r"\s*" if loose else r"[\x20\t]*"
    gap = r"[^0-9;!?]{0,60}?" if loose else r"[^0-9\n;!?]{0,40}?"

    def word(*alternatives: str) -> re.Pattern:
        return re.compile(
            rf"(?<!{_LETTER})(?:" + "|".join(a.replace(" ", sp) for a in alternatives) + rf")(?!{_LETTER})"
        )

    def then(value: str) -> re.Pattern:
        return re.compile(rf"(?P<gap>{gap})(?P<value>{value})")

    def sep(chars: str) -> str:  # between the digits of a value
        return rf"(?:[{chars}]|\s+)?" if loose else rf"[{chars}]?"

    date = (
        rf"[0-3]?[0-9]{opt}[/.\-]{opt}[01]?[0-9]{opt}[/.\-]{opt}(?:19|20)[0-9]{{2}}(?![0-9])"
        rf"|(?i:(?:ngày{sp})?[0-3]?[0-9]{sp}tháng{sp}[01]?[0-9]{sp}năm{sp})(?:19|20)[0-9]{{2}}(?![0-9])"
    )
    birth = re.compile(rf"(?P<gap>{opt}:?{opt})(?P<value>{date}|(?:19|20)[0-9]{{2}}(?![0-9A-Za-z/\-]|[.,][0-9]))")
    return {
        OLD_ID: (
            word("cmnd", "cmtnd", "cmt", "chứng minh(?: nhân dân| thư)?"),  # 12 digits: found by their shape
            then(rf"[0-9](?:{sep(' .-')}[0-9]){{8}}(?:(?:{sep(' .-')}[0-9]){{3}})?" + _AFTER),
        ),
        BANK: (
            word("số tài khoản", "tài khoản(?: ngân hàng)? số", "số tk", "stk"),
            then(rf"[0-9](?:{sep(' -')}[0-9]){{7,18}}" + _AFTER),
        ),
        TAX: (
            word("mã số thuế", "mst"),
            then(rf"[0-9](?:{sep(' ')}[0-9]){{9}}(?:{opt}-{opt}[0-9]{{3}}|[0-9]{{2}})?" + _AFTER),
        ),
        INSURANCE: (word("bhxh", "bảo hiểm xã hội"), then(rf"[0-9](?:{sep(' ')}[0-9]){{9}}" + _AFTER)),
        PASSPORT: (
            word("hộ chiếu"),
            then(rf"(?<![^\W_])(?:[A-Z]{{1,2}}{sep(' ')}[0-9]{{7,8}}|[0-9]{{8,9}})(?![0-9A-Za-z])"),
        ),
        BIRTH: (word(rf"ngày{opt},?{opt}tháng{opt},?{opt}năm sinh", "ngày sinh", "năm sinh"), birth),
        "born": (word("sinh (?P<on>ngày|năm)"), birth),
    }


_CLOSE, _LOOSE = _near_words(loose=False), _near_words(loose=True)
# A word each keyword holds, lower case: found by skipping ahead (each a pass over the text, the most of the
# time `possible` takes), then looked at closely around.
_ANCHORS = {
    "cm": (OLD_ID,),
    "chứng": (OLD_ID,),
    "khoản": (BANK,),
    "tk": (BANK,),
    "thuế": (TAX,),
    "mst": (TAX,),
    "bhxh": (INSURANCE,),
    "hiểm": (INSURANCE,),
    "chiếu": (PASSPORT,),
    "sinh": (BIRTH, "born"),
}
_REACH = 40  # how far before and after the word it holds a keyword may reach


# Words before «sinh» that make another word of it: «phát sinh năm 2023», «học sinh năm 2023»…
_SINH_COMPOUNDS = {
    "phát",
    "học",
    "vệ",
    "khai",
    "sơ",
    "tái",
    "hồi",
    "nảy",
    "sản",
    "phục",
    "hy",
    "giáng",
    "thí",
    "dân",
    "an",
    "môi",
    "phái",
    "cứu",
    "tương",
    "song",
    "sát",
    "bẩm",
    "cải",
    "hậu",
    "đản",
    "ký",
    "kí",
    "vi",
    "hữu",
    "trường",
    "nghiên",
    "quyên",
    "siêu",
    "thủy",
    "thuỷ",
    "tân",
    "ngoại",
    "nội",
    "được",
}
_WORDS = re.compile(r"[^\W\d_]+")
_TITLE = re.compile(r"(?<!\w)(?i:ông|bà|anh|chị|cháu|cô|chú|đồng chí|đ/c|họ và tên|họ tên)[ \t:]+(?=[^\W\d_])")


def _near_word(text: str, lower: str | None, closely: bool) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of the values named by a word before them. `lower`: `text` in lower case."""
    patterns = _CLOSE if closely else _LOOSE
    if lower is None:  # lower case changed the text's length (a rare letter): the slow way, over all of it
        lower = text.lower()
        places = [(0, len(text), 0, 0, kind) for kind in patterns]
        whole = True
    else:
        places, whole = [], False
        for anchor, kinds in _ANCHORS.items():
            i = lower.find(anchor)
            while i >= 0:
                places += [
                    (max(0, i - _REACH), min(len(text), i + len(anchor) + _REACH), i, i + len(anchor), kind)
                    for kind in kinds
                ]
                i = lower.find(anchor, i + 1)
    seen: set[tuple[int, str]] = set()
    for lo, hi, a, b, kind in places:
        keyword, then = patterns[kind]
        words = keyword.finditer(lower, lo, hi) if not whole else re.finditer(keyword.pattern, text, re.I)
        for k in words:
            if not whole and (not (k.start() <= a and b <= k.end()) or k.end() == hi < len(text)):
                continue  # a keyword around another word, or one the window cut short
            if (k.start(), kind) in seen or not (m := then.match(text, k.end())):
                continue
            seen.add((k.start(), kind))
            found = kind
            if kind == "born":
                if not _born(text, k, m, closely):
                    continue
                found = BIRTH
            elif kind == OLD_ID:
                digits = sum(c.isdigit() for c in m.group("value"))
                if digits not in (9, 12):
                    continue
                found = OLD_ID if digits == 9 else CITIZEN_ID
            yield m.start("value"), m.end("value"), found


def _born(text: str, k: re.Match, m: re.Match, closely: bool) -> bool:
    """«… sinh ngày 01/02/1980», «Nguyễn Văn A sinh năm 1980»: a date of birth, not «phát sinh ngày …» nor
    «trẻ em sinh năm 2020» (a year alone needs a person named before it, on the same line)."""
    line = text[max(text.rfind("\n", 0, k.start()) + 1, k.start() - 80) : k.start()]
    words = _WORDS.findall(line)
    if words and words[-1].lower() in _SINH_COMPOUNDS:
        return False
    if not closely or (k.group("on").lower() == "ngày" and not m.group("value").isdigit()):
        return True
    return bool(_TITLE.search(line)) or any(_capital(a) and _capital(b) for a, b in zip(words, words[1:]))


def _capital(word: str) -> bool:
    """Written as a name is («Nguyễn», «A»), not as an abbreviation («UBND»)."""
    return word[0].isupper() and (len(word) == 1 or not word.isupper())


# --------------------------------------------------------------------------- classification stamps

_STAMP_HIGH = re.compile(rf"(?<!{_LETTER})(?:TỐI|TUYỆT)[ \t]*\r?\n?[ \t]*MẬT(?!{_LETTER})")
_STAMP_LEVEL = re.compile(rf"(?<!{_LETTER})(?i:độ\s+mật\s*:?\s*(?:tuyệt\s+|tối\s+)?mật)(?!{_LETTER})")
_STAMP_WORD = re.compile(rf"(?<!{_LETTER})MẬT(?!{_LETTER})")
# Words before «MẬT» that make it ordinary text, never a stamp: «BẢO MẬT», «BÍ MẬT», «GIẢI MẬT», «ĐỘ MẬT».
_ORDINARY_BEFORE = re.compile(r"(?<!\w)(?i:bảo|bí|giải|giữ|độ)\s+$")
# Words after a «MẬT» heading a line that make it ordinary text: «MẬT KHẨU», «MẬT MÃ», «MẬT ĐỘ»…
_ORDINARY_AFTER = {
    "KHẨU",
    "MÃ",
    "ĐỘ",
    "THƯ",
    "ONG",
    "VỤ",
    "BÁO",
    "THÁM",
    "THIẾT",
    "NGỮ",
    "HIỆU",
    "LỆNH",
    "ƯỚC",
    "ĐÀM",
    "TẬP",
    "KHU",
    "ĐIỆN",
    "PHÁP",
    "NHÀ",
    "VÀ",
    "HOẶC",
    "CỦA",
    "THEO",
}


def _stamps(text: str, lower: str | None, closely: bool) -> Iterator[tuple[int, int, str]]:
    """(start, end, STAMP) of each classification stamp: «TUYỆT MẬT», «TỐI MẬT» in capitals; «ĐỘ MẬT: …»;
    «MẬT» alone on its line, heading a line or the field, closing it after a mark, or in brackets. Not
    «bảo mật», «BÍ MẬT», «MẬT KHẨU»… Not `closely`: every capital «MẬT» that is not ordinary text."""
    places = [0] if lower is None else []
    if lower is not None:
        i = lower.find("mật")
        while i >= 0:
            places.append(i)
            i = lower.find("mật", i + 1)
    seen: set[int] = set()
    for i in places:
        # A window ending one past «mật»: what follows it is still seen by the look-ahead.
        lo, hi = (0, len(text)) if lower is None else (max(0, i - 40), min(len(text), i + 4))
        for pattern in (_STAMP_HIGH, _STAMP_LEVEL):
            for m in pattern.finditer(text, lo, hi):
                if m.start() not in seen:
                    seen.add(m.start())
                    yield m.start(), m.end(), STAMP
        for m in _STAMP_WORD.finditer(text) if lower is None else filter(None, [_STAMP_WORD.match(text, i)]):
            s, e = m.start(), m.end()
            if s in seen or _ORDINARY_BEFORE.search(text, max(0, s - 8), s):
                continue
            seen.add(s)
            if not closely or _stamp_at(text, s, e):
                yield s, e, STAMP


def _stamp_at(text: str, s: int, e: int) -> bool:
    line_end = text.find("\n", e)
    before, after = text[text.rfind("\n", 0, s) + 1 : s], text[e : len(text) if line_end < 0 else line_end]
    next_word = _WORDS.match(after.lstrip(" \t"))
    if not re.search(r"\w", before):  # alone on its line, or heading it or the field: «MẬT», «MẬT - Kế hoạch …»
        return not next_word or next_word.group() not in _ORDINARY_AFTER
    if not re.search(r"\w", after) and re.search(r"[\-\u2013\u2014|:/(\[«\"“]\s*$", before):
        return True  # closing a title after a mark: «Kế hoạch số 5 - MẬT»
    return bool(re.search(r"[(\[«\"“'][ \t]*$", before) and re.match(r"[ \t]*[)\]»\"”']", after))  # «(MẬT)»


# --------------------------------------------------------------------------- finding


def _all(text: str, closely: bool) -> Iterator[tuple[int, int, str]]:
    lower = text.lower()
    lower = lower if len(lower) == len(text) else None
    yield from _near_word(text, lower, closely)  # first: the word names the kind of a number found twice
    yield from _by_shape(text, closely)
    yield from _stamps(text, lower, closely)


def findings(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, kind, text as written) for each piece of personal data or classification stamp in `text`."""
    folded, starts, ends = _fold(text)
    end = -1
    for start, stop, kind in sorted(_all(folded, closely=True), key=lambda f: f[0]):  # stable: the first found first
        if start < end:
            continue  # one finding per place
        end = stop
        a, b = (start, stop) if starts is None else (starts[start], ends[stop - 1])
        yield a, kind, text[a:b]


def possible(text: str) -> bool:
    """Whether `text` (a whole file) may hold personal data or a stamp, or declares exceptions: most files do
    not, and need no field-by-field look. Never False where `findings` over a part of the file, or over a
    value YAML reads from it, finds something. A match inside a digest field still counts here; the
    field-by-field look then leaves it out."""
    folded = _fold(text)[0]
    if next(_all(folded, closely=False), None):
        return True
    if "\\" in folded:  # a YAML escape ("\x30", "\u0030", "\t", a line continued by "\") may hide what a value holds
        for block in _escaped_blocks(folded):
            if next(_all(_fold(_unescaped(block))[0], closely=False), None):
                return True
    return _declares_exceptions(text)


def _escaped_blocks(text: str) -> Iterator[str]:
    """The runs of lines with a backslash, with two lines either side: where a double-quoted value with
    escapes may be (the rest of a file read once is enough)."""
    lines = text.split("\n")
    marked = [n for n, line in enumerate(lines) if "\\" in line]
    start = prev = marked[0]
    for n in marked[1:] + [None]:
        if n is None or n > prev + 4:
            yield "\n".join(lines[max(0, start - 2) : prev + 3])
            if n is not None:
                start = n
        if n is not None:
            prev = n


_YAML_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(\r?\n[ \t]*)|(.))", re.S)
_YAML_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}


def _unescaped(text: str) -> str:
    """`text` with YAML's double-quoted escapes read, as the field-by-field look will see the value."""

    def one(m: re.Match) -> str:
        if code := m.group(1) or m.group(2) or m.group(3):
            try:
                return chr(int(code, 16))
            except (ValueError, OverflowError):
                return ""
        if m.group(4) is not None:
            return ""  # an escaped line break joins the lines
        return _YAML_ESCAPES.get(m.group(5), m.group(5))

    return _YAML_ESCAPE.sub(one, text)


_EMPTY_DECLARATION = re.compile(
    r"""["']?privacy_exceptions["']?[ \t]*:[ \t]*(\[[ \t]*\]|null|Null|NULL|~)?[ \t]*(?:#.*)?"""
)


def _declares_exceptions(text: str) -> bool:
    """Whether the file declares exceptions: it is then looked at field by field in every build, so that
    each exception used is shown every time and one left matching nothing is found. An empty declaration
    (`privacy_exceptions: []`) does not count."""
    if EXCEPTIONS_FIELD not in text:
        return False
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if EXCEPTIONS_FIELD not in line or line.lstrip().startswith("#"):
            continue
        m = _EMPTY_DECLARATION.fullmatch(line)
        if not m:
            return True
        if m.group(1) is None:  # a list, if any, follows on the next lines
            after = next((l for l in lines[n + 1 :] if l.strip() and not l.lstrip().startswith("#")), "")
            if after.lstrip().startswith("-"):
                return True
    return False


# --------------------------------------------------------------------------- content

# Fields that hold codes, not prose: a file name, a digest.
NOT_PROSE = {"sha256", "file"}


def strings(data: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(where, text) of each string of a content file. The exceptions repeat what they allow: they are
    matched against the findings, not searched."""
    if loc and (loc[-1] in NOT_PROSE or loc == (EXCEPTIONS_FIELD,)):
        return
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for k, value in data.items():
            yield from strings(value, loc + (k,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, loc + (i,))


def shown(found: str) -> str:
    """A finding as a message quotes it: on one line, invisible characters left out and named after it."""
    hidden = sorted({f"U+{ord(c):04X}" for c in found if _IS_INVISIBLE.match(c)})
    text = "«" + " ".join(_IS_INVISIBLE.sub("", found).split()) + "»"
    return text + (f", có ký tự ẩn {', '.join(hidden)}" if hidden else "")


def message(kind: str, found: str, *, exceptions: bool = False) -> str:
    """The error for a finding; `exceptions`: the plan the file belongs to may let it through."""
    if kind == STAMP:
        text = f"có {kind} ({shown(found)}): văn bản mật không bao giờ được công bố; hãy xóa tệp khỏi content/"
        unless = "nếu đây không phải dấu độ mật của văn bản"
    else:
        text = f"có {kind} ({shown(found)}): dữ liệu cá nhân không được công bố; hãy xóa khỏi nội dung"
        unless = "nếu chắc chắn đây không phải dữ liệu cá nhân (ví dụ đường dây nóng của cơ quan)"
    return text + (
        f" ({unless}, ghi một ngoại lệ đã duyệt vào «{EXCEPTIONS_FIELD}» của kế hoạch)" if exceptions else ""
    )
