"""`make new-plan`: a plan file with every field present and explained, from the schema."""
from __future__ import annotations

import re
import typing
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from . import schema


def _comment(text: str | None, pad: str) -> list[str]:
    return [f"{pad}# {text}"] if text else []


def _scalar(tp) -> str:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _scalar(args[0])
    if origin is typing.Union or type(tp).__name__ == "UnionType":
        return _scalar(args[0])
    if isinstance(tp, type) and issubclass(tp, Enum):
        return f'"{list(tp)[0].value}"'
    return '""'


def _block(model: type[BaseModel], pad: str, values: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for name, field in model.model_fields.items():
        tp = field.annotation
        core = [a for a in typing.get_args(tp) if a is not type(None)] if typing.get_origin(tp) in (typing.Union,) or type(tp).__name__ == "UnionType" else [tp]
        core_tp = core[0] if core else tp
        desc = field.description
        if isinstance(core_tp, type) and issubclass(core_tp, Enum):
            desc = f"{desc} Giá trị: {', '.join(m.value for m in core_tp)}."
        lines += _comment(desc, pad)
        origin = typing.get_origin(core_tp)
        item = typing.get_args(core_tp)[0] if origin is list else None
        if name in values:
            lines.append(f"{pad}{name}: {values[name]}")
        elif isinstance(core_tp, type) and issubclass(core_tp, BaseModel):
            lines.append(f"{pad}{name}:")
            lines += _block(core_tp, pad + "  ", values.get("__" + name, {}) if False else {})
        elif origin is list and isinstance(item, type) and issubclass(item, BaseModel):
            lines.append(f"{pad}{name}:")
            sub = _block(item, pad + "    ", {})
            first = next(i for i, l in enumerate(sub) if not l.lstrip().startswith("#"))
            sub[first] = pad + "  - " + sub[first].lstrip()
            lines += sub
        elif origin is list:
            lines.append(f"{pad}{name}: []")
        elif origin is dict:
            lines.append(f"{pad}{name}: {{}}")
        elif field.is_required():
            lines.append(f"{pad}{name}: {_scalar(core_tp)}")
        else:
            lines.append(f"{pad}{name}: null")
    return lines


def new_plan(content: Path, unit_id: str, year: int, slug: str) -> Path:
    unit_dir = content / unit_id
    if not (unit_dir / "unit.yml").is_file():
        raise FileNotFoundError(f"không có đơn vị «{unit_id}» (thiếu {unit_dir / 'unit.yml'})")
    if not re.fullmatch(r"[a-z0-9-]+", slug):
        raise ValueError(f"tên tệp «{slug}» chỉ được gồm chữ thường không dấu, số và dấu gạch ngang")
    path = unit_dir / f"{year}-{slug}.yml"
    if path.exists():
        raise FileExistsError(f"{path} đã có; chọn tên khác với SLUG=...")
    depth = len(path.relative_to(content).parts)
    schema_ref = "../" * depth + "schema/plan.schema.json"
    head = [f"# yaml-language-server: $schema={schema_ref}",
            f"# {schema.Plan.__doc__.strip()}",
            "# Xóa các trường không dùng hoặc để null; danh sách rỗng để [] . Kiểm tra: make check", ""]
    body = _block(schema.Plan, "", {"period": f"{{start: {year}, end: {year}, outlook: null}}",
                                    "classification": '"thuong"',
                                    "source_document": f"{{file: {year}-{slug}.nguon.txt, sha256: \"\"}}"})
    path.write_text("\n".join(head + body) + "\n", "utf-8")
    path.with_suffix(".md").write_text("## Mục đích, yêu cầu\n\n(Phần lời văn của văn bản, Markdown.)\n", "utf-8")
    return path
