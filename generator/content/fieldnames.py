"""Field paths read in Vietnamese, for editors: `targets[1].value` → «chỉ tiêu thứ 2 › giá trị».

The names are the fields' `title` in generator/content/schema.py (the single truth); list items count from 1, as a
clerk counts them; a map's key (a column code in «amounts», «declared»…) reads «cột <key>». A step the schema
does not know (a misspelt key) or a field without a title reads as its YAML key.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

from pydantic import BaseModel

Path_ = tuple[str | int, ...]

SEPARATOR = " › "


def reading(model: type[BaseModel] | None, loc: Path_) -> str:
    """`loc` in words (empty for the whole file or without a model)."""
    if model is None or not loc:
        return ""
    words: list[str] = []
    current: Any = model  # the annotation the next step walks into; None when the path left the schema
    for part in loc:
        shape, inner = _shape(current)
        if isinstance(part, int):
            ordinal = f"thứ {part + 1}"
            if words:
                words[-1] += f" {ordinal}"
            else:
                words.append(f"mục {ordinal}")
            current = inner if shape == "list" else None
        elif shape == "model" and part in inner.model_fields:
            words.append(title_of(inner, part) or str(part))
            current = inner.model_fields[part].annotation
        elif shape == "dict" and words:
            words[-1] += f" cột {part}"
            current = inner
        else:
            words.append(str(part))
            current = None
    return SEPARATOR.join(words)


@functools.cache
def title_of(model: type[BaseModel], name: str) -> str | None:
    return model.model_fields[name].title


def _shape(tp: Any) -> tuple[str, Any]:
    """What `tp` is, as a path walks it: ("model", the model), ("list", item type), ("dict", value type) or
    ("", None)."""
    while tp is not None:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin is typing.Union or origin is types.UnionType:
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else None
        elif origin is list:
            return "list", typing.get_args(tp)[0]
        elif origin is dict:
            return "dict", typing.get_args(tp)[1]
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            return "model", tp
        else:
            return "", None
    return "", None
