"""Validation against the schema, with errors in Vietnamese: file, line, field (read from the schema's titles), what
was found and what was expected. Content and site_config.yml share it."""

from __future__ import annotations

import difflib
import re
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.content.load import Document
from generator.errors import ContentError

# --------------------------------------------------------------------------- schema


def validated(doc: Document, model: type[BaseModel], errors: list[ContentError]):
    """The file's data as `model`, or None with the errors (in Vietnamese, at their line) appended."""
    if doc.data is None:
        doc.reread()
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        found = [(err, _data_loc(doc.data, tuple(err["loc"]))) for err in exc.errors(include_url=False)]
        # A misspelt field is one mistake: report the unknown key with its suggestion, not also the missing field.
        misspelt = {
            (loc[:-1], near)
            for err, loc in found
            if err["type"] == "extra_forbidden"
            for near in difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]), n=1)
        }
        for err, loc in found:
            if err["type"] == "missing" and (loc[:-1], loc[-1]) in misspelt:
                continue
            at_key = err["type"] in ("extra_forbidden", "missing")
            errors.append(doc.error(loc, _message(err, model, loc), at_key=at_key, model=model))
        return None


_VALIDATOR_STEP = re.compile(r"^[\w-]+\[.*\]$")


def _data_loc(data: Any, loc: tuple) -> tuple:
    """The error's location in the editor's terms: pydantic's own steps
    ("function-before[...]") are dropped, keys the editor wrote are kept."""
    kept, current = [], data
    for part in loc:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif isinstance(part, str) and _VALIDATOR_STEP.match(part):
            continue
        else:
            current = None
        kept.append(part)
    return tuple(kept)


def _found(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "một khối" if isinstance(value, dict) else "một danh sách"
    if value is None:
        return "ô trống"
    if isinstance(value, Decimal):
        return "số " + format(value, "f") if value.is_finite() else "giá trị không phải số"
    text = " ".join(value.split()) if isinstance(value, str) else str(value)
    text = f"«{text}»" if isinstance(value, str) else text
    return text if len(text) < 60 else text[:57] + "…»"


def _message(err: dict, model: type[BaseModel], loc: tuple) -> str:
    kind, ctx = err["type"], err.get("ctx", {})
    found = f"; tìm thấy {_found(err['input'])}" if "input" in err and kind not in ("missing",) else ""
    if kind == "missing":
        return f"thiếu trường bắt buộc «{loc[-1]}»"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; có phải ý bạn là «{near[0]}»?" if near else f"; các trường hợp lệ: {', '.join(allowed)}"
        return f"trường «{loc[-1]}» không có trong lược đồ{hint}"
    messages = {
        "string_type": "cần văn bản",
        "int_type": "cần một số nguyên",
        "int_parsing": "cần một số nguyên",
        "int_from_float": "cần một số nguyên",
        "list_type": "cần một danh sách (mỗi mục một dòng bắt đầu bằng «- »)",
        "dict_type": "cần một khối trường (tên: giá trị)",
        "model_type": "cần một khối trường (tên: giá trị)",
        "model_attributes_type": "cần một khối trường (tên: giá trị)",
        "string_too_short": "không được để trống",
        "bool_type": "cần true hoặc false",
        "finite_number": "cần một số hữu hạn",
        "decimal_type": "cần một số",
        "decimal_parsing": "cần một số",
        "string_unicode": "cần văn bản",
        "url_parsing": "cần một địa chỉ web đầy đủ (https://…)",
        "url_scheme": "cần địa chỉ bắt đầu bằng http:// hoặc https://",
    }
    if kind in messages:
        return messages[kind] + found
    if kind == "enum":
        return f"cần một trong các giá trị: {str(ctx.get('expected', '')).replace(' or ', ' hoặc ')}" + found
    if kind == "too_short":
        return f"cần ít nhất {ctx.get('min_length')} mục"
    if kind == "greater_than_equal":
        return f"cần một số ≥ {ctx.get('ge')}" + found
    if kind == "less_than_equal":
        return f"cần một số ≤ {ctx.get('le')}" + found
    if kind == "string_pattern_mismatch":
        return f"không đúng dạng (mẫu {ctx.get('pattern')})" + found
    return err["msg"] + found


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at `loc`, walking the schema's models."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return []
    current = _unwrap(current)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _unwrap(tp: Any) -> Any:
    while True:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        origin = typing.get_origin(tp)
        if origin is None or not args:
            return tp
        tp = args[-1] if origin is dict else args[0]
