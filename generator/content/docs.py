"""Documents generated from the schema: JSON Schema files and the README's authoring guide.

`make test` regenerates both in memory and fails when the committed copies drift.
"""

from __future__ import annotations

import json
import typing
from enum import Enum
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.content import schema

SCHEMA_FILES = {
    "unit": schema.Unit,
    "plan": schema.Plan,
    "results": schema.PlanResults,
    "indicators": schema.IndicatorCatalogue,
    "agencies": schema.AgencyRegistry,
    "budget_categories": schema.BudgetCategories,
}
GUIDE_START = "<!-- authoring-guide:start (generated from generator/content/schema.py by `make guide`; do not edit) -->"
GUIDE_END = "<!-- authoring-guide:end -->"


def json_schema(model: type[BaseModel]) -> str:
    data = model.model_json_schema(mode="validation")
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_json_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, model in SCHEMA_FILES.items():
        path = folder / f"{name}.schema.json"
        path.write_text(json_schema(model), "utf-8")
        paths.append(path)
    return paths


def _type_name(tp) -> str:
    origin = typing.get_origin(tp)
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if origin is typing.Annotated:
        base = args[0]
        names = {"Decimal": "số", "date": "ngày dd/mm/yyyy", "str": "văn bản", "int": "số nguyên"}
        return names.get(getattr(base, "__name__", ""), _type_name(base))
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " hoặc ".join(_type_name(a) for a in args)
    if origin is list:
        return f"danh sách {_type_name(args[0])}"
    if origin is dict:
        return f"bảng mã cột → {_type_name(args[1])}"
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "một trong: " + ", ".join(f"`{m.value}`" for m in tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"khối [{tp.__name__}](#{tp.__name__.lower()})"
    return {"str": "văn bản", "int": "số nguyên", "bool": "true/false", "date": "ngày dd/mm/yyyy"}.get(
        getattr(tp, "__name__", str(tp)), str(tp)
    )


def models_in(model: type[BaseModel], seen: list) -> list[type[BaseModel]]:
    """`model` and every model its fields use, in the order first met, added to `seen`."""
    if model in seen:
        return seen
    seen.append(model)
    for field in model.model_fields.values():
        for tp in _walk(field.annotation):
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                models_in(tp, seen)
    return seen


def _walk(tp):
    yield tp
    for a in typing.get_args(tp):
        yield from _walk(a)


def _row(name: str, field: FieldInfo) -> str:
    required = "bắt buộc" if field.is_required() else "tùy chọn"
    desc = (field.description or "").replace("|", "\\|")
    title = f" ({field.title})" if field.title else ""  # as error messages read it: «targets (chỉ tiêu)»
    return f"| `{name}`{title} | {_type_name(field.annotation)} | {required} | {desc} |"


def guide() -> str:
    lines = [
        GUIDE_START,
        "",
        "## Hướng dẫn soạn thảo nội dung",
        "",
        "Mỗi đơn vị hành chính là một thư mục trong `content/` có tệp `unit.yml`; thư mục con là đơn vị trực thuộc. "
        "Mỗi văn bản là một tệp `<năm>-<tên>.yml` trong thư mục của đơn vị ban hành, kèm `<năm>-<tên>.md` "
        '(phần lời văn) và tệp văn bản gốc. Ngày viết `"dd/mm/yyyy"` trong ngoặc kép; số tiền viết là số '
        "(`1545000000`, hoặc `329.586` với bảng đơn vị triệu đồng), không đặt trong ngoặc kép. "
        "Trình soạn thảo hỗ trợ YAML Language Server sẽ gợi ý trường từ `schema/*.schema.json` "
        "(dòng `# yaml-language-server: $schema=...` ở đầu tệp). Thông báo lỗi ghi chỗ sai như "
        "`targets[1].value (chỉ tiêu thứ 2 › giá trị)`: đường dẫn YAML (mục trong danh sách đếm từ 0), rồi trong "
        "ngoặc tên tiếng Việt của các trường (cột «Trường» dưới đây), mục đếm từ 1.",
        "",
    ]
    for file_name, root in schema.DOCUMENTS.items():
        lines += [f"### Tệp `{file_name}`", "", (root.__doc__ or "").strip().splitlines()[0], ""]
    documented: list = []
    for root in schema.DOCUMENTS.values():
        models_in(root, documented)
    for model in documented:
        lines += [f"#### {model.__name__}", ""]
        if model.__doc__ and model is not schema.Strict:
            lines += [model.__doc__.strip().splitlines()[0], ""]
        lines += ["| Trường | Kiểu | | Ý nghĩa |", "|---|---|---|---|"]
        lines += [_row(name, f) for name, f in model.model_fields.items()]
        lines.append("")
    lines.append(GUIDE_END)
    return "\n".join(lines)


def write_guide(readme: Path) -> None:
    text = readme.read_text("utf-8")
    start, end = text.index(GUIDE_START), text.index(GUIDE_END) + len(GUIDE_END)
    readme.write_text(text[:start] + guide() + text[end:], "utf-8")
