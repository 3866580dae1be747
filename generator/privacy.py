"""Personal data a plan should not publish: citizen ID numbers and private phone numbers.

Government plans name agencies, not citizens; a 12-digit citizen ID (CCCD) or a
mobile number in content is almost certainly a mistake, so the build refuses it
and says where it is. Agency switchboard numbers belong in site_config.yml.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

# Not part of a longer number, nor of an amount written with separators ("1.091.234.567").
# Nor part of a word or code ("a0912345678f" inside a SHA-256 digest).
_AFTER = r"(?![0-9A-Za-z]|[.,]\d)"


def _first(char: str) -> str:
    """`char`, not preceded by a letter, a digit or a digit and separator. The literal comes before
    its look-behind so the regex engine jumps from one `char` to the next: with the look-behind first
    it was tried at every position, a quarter of the time taken to load a file."""
    c = re.escape(char)
    return rf"{c}(?<![0-9A-Za-z]{c})(?<!\d[.,]{c})"


CITIZEN_ID = re.compile(_first("0") + r"\d{2}[ .]?\d{3}[ .]?\d{6}" + _AFTER)
MOBILE = re.compile(r"(?:" + _first("+") + r"84[ .]?|" + _first("0") + r")[35789]\d(?:[ .]?\d){7}" + _AFTER)


def possible(text: str) -> bool:
    """Whether `text` (a whole file) may hold personal data: most files do not, and need no field-by-field look.
    A match inside a code or digest field still counts here; the field-by-field look then leaves it out."""
    return bool(CITIZEN_ID.search(text) or MOBILE.search(text))


def findings(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, kind, match) for each piece of personal data in `text`."""
    for m in CITIZEN_ID.finditer(text):
        yield m.start(), "số căn cước công dân", m.group()
    for m in MOBILE.finditer(text):
        if not CITIZEN_ID.fullmatch(m.group()):
            yield m.start(), "số điện thoại di động", m.group()


# Fields that hold codes, not prose.
NOT_PROSE = {"sha256", "file", "code", "id"}


def strings(data: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if loc and loc[-1] in NOT_PROSE:
        return
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, loc + (i,))


MESSAGE = "có {kind} («{found}»): dữ liệu cá nhân không được công bố; hãy xóa khỏi nội dung"
