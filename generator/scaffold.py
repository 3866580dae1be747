"""`make new-plan`: a plan file with every field present and explained, from the schema."""

from __future__ import annotations

import re
import typing
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from generator.content import schema


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
        core = (
            [a for a in typing.get_args(tp) if a is not type(None)]
            if typing.get_origin(tp) in (typing.Union,) or type(tp).__name__ == "UnionType"
            else [tp]
        )
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


def _plan_path(content: Path, unit_id: str, year: int, slug: str) -> tuple[Path, Path]:
    """The unit's folder and the new plan's file, once the unit exists and the slug is a file name."""
    unit_dir = content / unit_id
    if not (unit_dir / "unit.yml").is_file():
        raise FileNotFoundError(f"không có đơn vị «{unit_id}» (thiếu {unit_dir / 'unit.yml'})")
    if not re.fullmatch(r"[a-z0-9-]+", slug):
        raise ValueError(f"tên tệp «{slug}» chỉ được gồm chữ thường không dấu, số và dấu gạch ngang")
    return unit_dir, unit_dir / f"{year}-{slug}.yml"


def new_plan(content: Path, unit_id: str, year: int, slug: str) -> Path:
    unit_dir, path = _plan_path(content, unit_id, year, slug)
    if path.exists():
        raise FileExistsError(f"{path} đã có; chọn tên khác với SLUG=...")
    depth = len(path.relative_to(content).parts)
    schema_ref = "../" * depth + "schema/plan.schema.json"
    head = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# {schema.Plan.__doc__.strip()}",
        "# Xóa các trường không dùng hoặc để null; danh sách rỗng để [] . Kiểm tra: make check",
        "",
    ]
    body = _block(
        schema.Plan,
        "",
        {
            "period": f"{{start: {year}, end: {year}, outlook: null}}",
            "classification": '"thuong"',
            "source_document": f'{{file: {year}-{slug}.nguon.txt, sha256: ""}}',
        },
    )
    path.write_text("\n".join(head + body) + "\n", "utf-8")
    path.with_suffix(".md").write_text("## Mục đích, yêu cầu\n\n(Phần lời văn của văn bản, Markdown.)\n", "utf-8")
    return path


# --------------------------------------------------------------------------- minimal plan, new unit


def new_plan_minimal(content: Path, unit_id: str, year: int, slug: str) -> Path:
    """A plan with only the required fields, valid as it is (`make check` passes), the optional blocks listed in
    comments; a placeholder source file so that `source_document` points at something real."""
    import hashlib

    import yaml

    unit_dir, path = _plan_path(content, unit_id, year, slug)
    source = unit_dir / f"{year}-{slug}.nguon.txt"
    for p in (path, path.with_suffix(".md"), source):
        if p.exists():
            raise FileExistsError(f"{p} đã có; chọn tên khác với SLUG=...")
    unit = yaml.safe_load((unit_dir / "unit.yml").read_text("utf-8")) or {}
    name = str(unit.get("name") or unit_id)
    level_word, _, place = name.partition(" ")
    issuer = f"UBND {level_word.lower()} {place}" if place else f"UBND {name}"
    placeholder = (
        "Dán vào đây toàn văn văn bản gốc (văn bản trích xuất), rồi chạy `make check`: lỗi ở trường\n"
        "source_document.sha256 sẽ cho biết mã SHA-256 mới cần ghi vào tệp kế hoạch.\n"
    )
    source.write_text(placeholder, "utf-8")
    digest = hashlib.sha256(placeholder.encode("utf-8")).hexdigest()
    depth = len(path.relative_to(content).parts)
    optional = [f for f, info in schema.Plan.model_fields.items() if not info.is_required() and f != "classification"]
    lines = [
        f"# yaml-language-server: $schema={'../' * depth}schema/plan.schema.json",
        f"# {schema.Plan.__doc__.strip()}",
        "# Chỉ có các trường bắt buộc; tệp hợp lệ ngay (make check). Sửa các giá trị «(cần điền …)» theo văn bản.",
        "# Trường tùy chọn, thêm khi văn bản có (giải thích từng trường: docs/huong-dan-soan-thao.md):",
    ]
    for f in optional:
        lines.append(f"#   {f}: {schema.Plan.model_fields[f].description}")
    lines += [
        "",
        f"# {schema.Plan.model_fields['title'].description}",
        'title: "(cần điền trích yếu đúng như văn bản)"',
        f"# {schema.Plan.model_fields['kind'].description} Giá trị: {', '.join(k.value for k in schema.PlanKind)}.",
        "kind: ke-hoach",
        "classification: thuong",
        f"# {schema.Plan.model_fields['issuer'].description}",
        f"issuer: {issuer}",
        f"# {schema.Plan.model_fields['period'].description} YEAR={year} của lệnh là năm đầu của kỳ kế hoạch "
        "(không phải"
        " năm ký): kế hoạch năm 2023 ký tháng 12/2022 là YEAR=2023; kỳ nhiều năm thì sửa «end».",
        f"period: {{start: {year}, end: {year}}}",
        f"# {schema.Plan.model_fields['source_document'].description}",
        "source_document:",
        f"  file: {source.name}",
        f"  sha256: {digest}",
        "",
    ]
    path.write_text("\n".join(lines), "utf-8")
    path.with_suffix(".md").write_text("## Mục đích, yêu cầu\n\n(Phần lời văn của văn bản, Markdown.)\n", "utf-8")
    return path


LEVELS = {
    "tinh": "tỉnh, thành phố trực thuộc trung ương",
    "huyen": "huyện, quận, thị xã, thành phố thuộc tỉnh",
    "xa": "xã, phường, thị trấn, đặc khu",
}
REFORM_DATE = "01/07/2025"


def new_unit(
    content: Path,
    unit_id: str,
    name: str,
    level: str,
    *,
    code: str | None = None,
    valid_from: str | None = None,
    predecessors: list[str] = (),
) -> list[Path]:
    """Creates `content/<unit_id>/unit.yml`; with `predecessors` (units merged into it, e.g. the 2025 reform),
    records them and gives each its `valid_to` (the day before) and `succeeded_by`. Returns the files written."""
    import datetime as dt

    import yaml

    unit_id = unit_id.strip("/")
    if not re.fullmatch(r"[a-z0-9-]+(?:/[a-z0-9-]+){0,2}", unit_id):
        raise ValueError(
            f"đường dẫn đơn vị «{unit_id}» chỉ gồm chữ thường không dấu, số, dấu gạch ngang, "
            "tối đa ba cấp tỉnh/huyện/xã, ví dụ «ha-tinh/duc-tho»"
        )
    if level not in LEVELS:
        raise ValueError(
            f"cấp «{level}» không có; dùng một trong: " + ", ".join(f"{k} ({v})" for k, v in LEVELS.items())
        )
    if not name.strip():
        raise ValueError('thiếu tên đơn vị: NAME="Xã Tân Lập"')
    folder = content / unit_id
    if (folder / "unit.yml").exists():
        raise FileExistsError(f"{folder / 'unit.yml'} đã có")
    parent = unit_id.rsplit("/", 1)[0] if "/" in unit_id else None
    if parent and not (content / parent / "unit.yml").is_file():
        raise FileNotFoundError(
            f"không có đơn vị cấp trên «{parent}» (thiếu {content / parent / 'unit.yml'}); tạo nó trước"
        )
    if level == "tinh" and parent:
        raise ValueError("đơn vị cấp tỉnh nằm ngay trong content/, không trong thư mục đơn vị khác")
    if level != "tinh" and not parent:
        raise ValueError(f"đơn vị cấp «{level}» phải nằm trong thư mục đơn vị cấp trên, ví dụ «ha-tinh/{unit_id}»")
    preds = [p.strip("/") for p in predecessors if p.strip()]
    for p in preds:
        if not (content / p / "unit.yml").is_file():
            raise FileNotFoundError(f"không có đơn vị «{p}» được sáp nhập (thiếu {content / p / 'unit.yml'})")
    if preds and not valid_from:
        valid_from = REFORM_DATE
    start = None
    if valid_from:
        try:
            d, m, y = (int(x) for x in valid_from.split("/"))
            start = dt.date(y, m, d)
        except ValueError:
            raise ValueError(f"ngày «{valid_from}» không đúng dạng dd/mm/yyyy") from None
    data: dict = {"name": name.strip(), "level": level}
    if parent:
        data["parent"] = parent
    if code:
        data["code"] = code
    if start:
        data["valid_from"] = start.strftime("%d/%m/%Y")
    pred_names = [
        str((yaml.safe_load((content / p / "unit.yml").read_text("utf-8")) or {}).get("name", p)) for p in preds
    ]
    if preds:  # the unit page says «thành lập theo sắp xếp từ …» with the date
        data["predecessors"] = pred_names
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "unit.yml"]
    head = [
        f"# yaml-language-server: $schema={'../' * (len(unit_id.split('/')) + 1)}schema/unit.schema.json",
        f"# {schema.Unit.__doc__.strip()}",
    ]
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    body = re.sub(r"^(valid_from|valid_to): '?([\d/]+)'?$", r'\1: "\2"', body, flags=re.M)
    (folder / "unit.yml").write_text("\n".join(head) + "\n" + body, "utf-8")
    if preds:
        end = (start - dt.timedelta(days=1)).strftime("%d/%m/%Y")
        for p in preds:
            path = content / p / "unit.yml"
            _set_keys(path, {"valid_to": f'"{end}"'}, append_list=("succeeded_by", name.strip()))
            written.append(path)
    return written


def _set_keys(path: Path, scalars: dict[str, str], append_list: tuple[str, str]) -> None:
    """Edits a unit.yml in place, keeping its comments: sets top-level scalars, adds one item to a list."""
    import yaml

    lines = path.read_text("utf-8").splitlines()
    for key, value in scalars.items():
        idx = next((i for i, l in enumerate(lines) if l.startswith(f"{key}:")), None)
        if idx is None:
            lines.append(f"{key}: {value}")
        else:
            lines[idx] = f"{key}: {value}"
    key, item = append_list
    data = yaml.safe_load("\n".join(lines)) or {}
    current = data.get(key) or []
    if item not in current:
        idx = next((i for i, l in enumerate(lines) if l.startswith(f"{key}:")), None)
        quoted = yaml.safe_dump(item, allow_unicode=True).removesuffix("\n...\n").strip()
        if idx is None:
            lines += [f"{key}:", f"  - {quoted}"]
        elif lines[idx].strip() == f"{key}: []" or lines[idx].strip() == f"{key}:":
            lines[idx] = f"{key}:"
            lines.insert(idx + 1, f"  - {quoted}")
        else:
            j = idx + 1
            while j < len(lines) and lines[j].startswith(("  ", "-")):
                j += 1
            lines.insert(j, f"  - {quoted}")
    path.write_text("\n".join(lines) + "\n", "utf-8")
