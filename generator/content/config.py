"""`site_config.yml`: what a portal operator sets (not content).

The shipped site_config.yml holds placeholders for the host to replace (a phone «0000 000 000», «(mẫu — …)», addresses
at example.gov.vn, «Họ tên người chịu trách nhiệm»…). A portal that publishes them tells citizens to write to no one:
the build stops, naming the file, line and field, unless the host marks the portal as a demo (`demo: true`), whose
every page then says so (templates/theme/partials/ck-demo-banner.html).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.content.load import Document, format_loc, load_yaml
from generator.content.messages import validated  # the same error translation as content
from generator.content.schema import SiteConfig
from generator.errors import ContentError, ContentErrors

# What the shipped site_config.yml writes where a real portal writes its own: (pattern, what it is, in words).
PLACEHOLDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[\s0().+-]*0[\s0().+-]*$"), "số điện thoại mẫu"),
    (re.compile(r"\(\s*mẫu\b", re.IGNORECASE), "ghi chú «(mẫu …)»"),
    (re.compile(r"(^|[@./])example\.gov\.vn\b", re.IGNORECASE), "địa chỉ mẫu example.gov.vn"),
    (re.compile(r"^\s*Họ tên người chịu trách nhiệm\s*$", re.IGNORECASE), "họ tên mẫu"),
    (re.compile(r"^\s*Địa chỉ cơ quan chủ quản\s*$", re.IGNORECASE), "địa chỉ mẫu"),
)
# site_config.yml's fields in words (the configuration's fields have no titles in the schema).
FIELD_WORDS = {
    "portal_name": "tên cổng",
    "description": "mô tả cổng",
    "base_url": "địa chỉ cổng",
    "managing_agency": "cơ quan chủ quản",
    "responsible_person": "người chịu trách nhiệm",
    "information_focal_point": "đầu mối cung cấp thông tin",
    "request_procedure": "cách yêu cầu cung cấp thông tin",
    "licence": "giấy phép dữ liệu",
    "feedback_form_url": "mẫu góp ý",
    "name": "tên",
    "title": "chức vụ",
    "address": "địa chỉ",
    "phone": "điện thoại",
    "email": "thư điện tử",
    "url": "địa chỉ",
}


def load_config(path: Path) -> SiteConfig:
    doc, errors = load_yaml(path, path.parent / "_") if path.exists() else (None, [])
    if not path.exists():
        raise ContentErrors([ContentError(str(path), 1, 1, "", "không tìm thấy tệp cấu hình cổng")])
    config = validated(doc, SiteConfig, errors) if doc else None
    if errors or config is None:
        raise ContentErrors(errors)
    if not config.demo and (found := placeholders(doc)):
        raise ContentErrors(found)
    return config


def placeholders(doc: Document) -> list[ContentError]:
    """Each value of the configuration that is a placeholder, at its line."""
    found = []
    for loc, value in _strings(doc.data, ()):
        for pattern, what in PLACEHOLDERS:
            if pattern.search(value):
                line, column = doc.where(loc)
                reading = " › ".join(FIELD_WORDS.get(str(step), str(step)) for step in loc)
                message = (
                    f"«{value}» là {what}, không phải thông tin thật của cổng: thay bằng thông tin của cơ quan "
                    "vận hành cổng, hoặc ghi «demo: true» nếu đây là bản trình diễn (mọi trang sẽ ghi rõ)"
                )
                found.append(ContentError(doc.display, line, column, format_loc(loc), message, reading))
                break
    return found


def _strings(value: object, loc: tuple) -> list[tuple[tuple, str]]:
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _strings(item, (*loc, str(key)))]
    if isinstance(value, list):
        return [found for n, item in enumerate(value) for found in _strings(item, (*loc, n))]
    return [(loc, value)] if isinstance(value, str) else []
