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
_BEFORE, _AFTER = r"(?<![0-9A-Za-z])(?<!\d[.,])", r"(?![0-9A-Za-z]|[.,]\d)"
CITIZEN_ID = re.compile(_BEFORE + r"0\d{2}[ .]?\d{3}[ .]?\d{6}" + _AFTER)
MOBILE = re.compile(_BEFORE + r"(?:\+84[ .]?|0)(?:3|5|7|8|9)\d(?:[ .]?\d){7}" + _AFTER)


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
