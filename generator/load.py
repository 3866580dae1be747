"""Load: read the content tree into plain data, remembering where each value was written.

Every scalar keeps the line and column it came from, so later stages can point
an editor at the exact place. Dates stay strings (the schema parses them, so
"31/02/2023" gets a clear message instead of YAML's own guess) and decimals are
read as `Decimal`, never float.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, display_path

UNIT_FILE = "unit.yml"
INDICATORS_FILE = "indicators.yml"
AGENCIES_FILE = "agencies.yml"

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    pass


# Drop the timestamp resolver: dates are the schema's business, in dd/mm/yyyy.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | float:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:  # .inf / .nan: let the schema refuse it as "not a number"
        return float("nan")


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


@dataclass
class Document:
    """One YAML file: its data and where each value sits (path → 1-based line, column)."""

    path: Path
    display: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Path_) -> tuple[int, int]:
        """The position of the deepest part of `loc` that exists in the file."""
        for n in range(len(loc), -1, -1):
            if tuple(loc[:n]) in self.marks:
                return self.marks[tuple(loc[:n])]
        return (1, 1)

    def error(self, loc: Path_, message: str) -> ContentError:
        line, col = self.where(loc)
        return ContentError(self.display, line, col, format_loc(loc), message)


def format_loc(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Builder:
    def __init__(self, doc: Document, loader: _Loader):
        self.doc, self.loader, self.errors = doc, loader, []

    def build(self, node: yaml.Node, loc: Path_) -> Any:
        self.doc.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int)):
                    key = str(key)
                if key in result:
                    line = key_node.start_mark.line + 1
                    self.errors.append(ContentError(self.doc.display, line, key_node.start_mark.column + 1,
                                                    format_loc(loc + (key,)), "trường bị khai báo hai lần trong cùng một khối"))
                result[key] = self.build(value_node, loc + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)


def load_yaml(path: Path, root: Path) -> tuple[Document | None, list[ContentError]]:
    display = display_path(path, root)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [ContentError(display, 1, 1, "", f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start}); hãy lưu lại với mã hóa UTF-8")]
    doc = Document(path, display, None)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "cú pháp YAML không hợp lệ"
        return None, [ContentError(display, line, col, "", f"YAML không hợp lệ: {problem}"
                                   + (f" ({exc.context})" if exc.context else ""))]
    except yaml.YAMLError as exc:
        return None, [ContentError(display, 1, 1, "", f"YAML không hợp lệ: {exc}")]
    finally:
        loader.dispose()
    if node is None:
        return None, [ContentError(display, 1, 1, "", "tệp rỗng")]
    builder = _Builder(doc, loader)
    try:
        doc.data = builder.build(node, ())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [ContentError(display, line, col, "", f"YAML không hợp lệ: {getattr(exc, 'problem', exc)}")]
    errors = builder.errors + _nfc_errors(doc, text)
    return doc, errors


def _nfc_errors(doc: Document, text: str) -> list[ContentError]:
    if unicodedata.is_normalized("NFC", text):
        return []
    errors = []
    for n, line in enumerate(text.splitlines(), 1):
        if not unicodedata.is_normalized("NFC", line):
            col = next((i for i, ch in enumerate(line, 1) if unicodedata.combining(ch)), 1)
            errors.append(ContentError(doc.display, n, col, "",
                                       "văn bản không ở dạng Unicode NFC (dấu tổ hợp rời); hãy chuẩn hóa tệp sang NFC"))
    return errors


@dataclass
class ContentTree:
    """What is on disk, before validation."""

    root: Path
    units: dict[str, Document]  # unit id ("ha-tinh/duc-tho") → unit.yml
    plans: dict[str, Document]  # plan id ("ha-tinh/duc-tho/2023-chinh-quyen-so") → plan yml
    narratives: dict[str, str]  # plan id → Markdown beside the plan
    indicators: Document | None
    agencies: dict[str, Document] = field(default_factory=dict)  # unit id → agencies.yml


def load_tree(root: Path) -> tuple[ContentTree, list[ContentError]]:
    errors: list[ContentError] = []
    tree = ContentTree(root, {}, {}, {}, None)
    if not root.is_dir():
        errors.append(ContentError(str(root), 1, 1, "", "không tìm thấy thư mục nội dung"))
        return tree, errors
    for path in sorted(root.rglob("*.yml")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        doc, errs = load_yaml(path, root)
        errors += errs
        if rel == Path(INDICATORS_FILE):
            tree.indicators = doc
        elif path.name == AGENCIES_FILE:
            if doc:
                tree.agencies[rel.parent.as_posix()] = doc
        elif path.name == UNIT_FILE:
            if doc:
                tree.units[rel.parent.as_posix()] = doc
        elif doc:
            plan_id = rel.with_suffix("").as_posix()
            tree.plans[plan_id] = doc
            md = path.with_suffix(".md")
            if md.exists():
                narrative = md.read_text("utf-8")
                if not unicodedata.is_normalized("NFC", narrative):
                    errors.append(ContentError(display_path(md, root), 1, 1, "",
                                               "văn bản không ở dạng Unicode NFC; hãy chuẩn hóa tệp sang NFC"))
                tree.narratives[plan_id] = narrative
    return tree, errors
