"""Load: read the content tree into plain data, remembering where each value was written.

Every scalar keeps the line and column it came from, so later stages can point
an editor at the exact place. Dates stay strings (the schema parses them, so
"31/02/2023" gets a clear message instead of YAML's own guess) and decimals are
read as `Decimal`, never float.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import parallel, privacy
from .errors import ContentError, display_path

if TYPE_CHECKING:
    from .cache import FileDigests

UNIT_FILE = "unit.yml"
INDICATORS_FILE = "indicators.yml"
AGENCIES_FILE = "agencies.yml"

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """PyYAML's own parser: used for its error messages and positions, and where libyaml is missing."""


# libyaml's parser reads valid content ten times faster; a file it refuses is read again
# by _Loader, whose messages the error translations and tests are written against.
class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):
    pass


# Drop the timestamp resolver (dates are the schema's business, in dd/mm/yyyy) and
# the "=" value resolver (so `comparator: =` is the text "=").
_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | float:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:  # .inf / .nan: let the schema refuse it as "not a number"
        return float("nan")


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
_FastLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


@dataclass
class Document:
    """One YAML file: its data and where each value sits (path → 1-based line, column)."""

    path: Path
    display: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # where each value starts
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # where each mapping key is written
    may_hold_personal_data: bool = True  # privacy.possible over the file's text
    digest: str = ""  # of the file's bytes: the load cache's key
    # The file's validated model (validate sets it). From the load cache: the model as pickled bytes, read
    # only when asked for (validated), and for a plan its facts (model.PlanFacts), which validate and the
    # views over many plans use instead; its data and positions are read again only when asked for (an
    # error points into it, or it may hold personal data).
    # Parsed by another process (load._load_all): data without positions, read again if an error needs them.
    model: Any = None
    packed: bytes | None = None
    facts: Any = None
    marked: bool = True

    def validated(self) -> Any:
        """The file's validated model, if it has one (from the load cache: unpickled now)."""
        if self.model is None and self.packed is not None:
            self.model = pickle.loads(self.packed)
        return self.model

    def reread(self) -> None:
        """Reads the file again for its positions (and data, when only the model was kept)."""
        if not self.marked:
            self.marked = True
            fresh, _ = _parse(self.path, self.display)
            if fresh is not None:
                self.marks, self.key_marks = fresh.marks, fresh.key_marks
                if self.data is None:
                    self.data = fresh.data

    def where(self, loc: Path_, *, at_key: bool = False) -> tuple[int, int]:
        """The position of the deepest part of `loc` that exists in the file."""
        self.reread()
        if at_key and tuple(loc) in self.key_marks:
            return self.key_marks[tuple(loc)]
        for n in range(len(loc), -1, -1):
            if tuple(loc[:n]) in self.marks:
                return self.marks[tuple(loc[:n])]
        return (1, 1)

    def error(self, loc: Path_, message: str, *, at_key: bool = False) -> ContentError:
        line, col = self.where(loc, at_key=at_key)
        return ContentError(self.display, line, col, format_loc(loc), message)


def format_loc(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_STR = "tag:yaml.org,2002:str"  # the tag PyYAML resolves a plain or quoted string to


class _Builder:
    """Turns the composed node tree into data, recording positions and refusing what YAML allows but content must not."""

    def __init__(self, doc: Document, loader: _Loader, *, marks: bool = True):
        self.doc, self.loader, self.errors = doc, loader, []
        # Without marks (a file parsed by another process, whose positions are not sent back, see
        # _load_all), this file's own errors still take their positions from the nodes.
        self.marking = marks
        self._open: set[int] = set()  # nodes being built: an alias back to one of them is a cycle

    def _error(self, node: yaml.Node, loc: Path_, message: str) -> None:
        line, col = _mark(node)
        self.errors.append(ContentError(self.doc.display, line, col, format_loc(loc), message))

    def build(self, node: yaml.Node, loc: Path_) -> Any:
        if self.marking:
            self.doc.marks[loc] = _mark(node)
        if id(node) in self._open:
            self._error(node, loc, "tham chiếu YAML (&, *) vòng lại chính nó; hãy viết giá trị ra")
            return None
        if isinstance(node, yaml.MappingNode):
            self._open.add(id(node))
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._scalar(key_node, loc) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str):
                    self._error(key_node, loc, f"tên trường phải là chữ; tìm thấy «{getattr(key_node, 'value', '?')}»")
                    continue
                if self.marking:
                    self.doc.key_marks[loc + (key,)] = _mark(key_node)
                if key in result:
                    self._error(key_node, loc + (key,), "trường bị khai báo hai lần trong cùng một khối")
                result[key] = self.build(value_node, loc + (key,))
            self._open.discard(id(node))
            return result
        if isinstance(node, yaml.SequenceNode):
            self._open.add(id(node))
            items = [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
            self._open.discard(id(node))
            return items
        return self._scalar(node, loc)

    def _scalar(self, node: yaml.Node, loc: Path_) -> Any:
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value  # what the constructor gives a string (most scalars), without its dispatch
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError, AttributeError, TypeError, OverflowError):
            value = " ".join(str(node.value).split())[:40]
            self._error(node, loc, f"không đọc được giá trị «{value}» (thẻ {node.tag.rsplit(':', 1)[-1]}); "
                                   "hãy bỏ thẻ !! và viết giá trị bình thường")
            return None


def load_yaml(path: Path, root: Path) -> tuple[Document | None, list[ContentError]]:
    """Reads one YAML file, named in errors from `root` (errors.display_path)."""
    return _parse(path, display_path(path, root))


def remember(cache: dict, tree: ContentTree) -> None:
    """Keeps each file's validated model (validate sets it) and, for a plan, its facts in the load cache, by
    display path: (digest, model or its pickled bytes, may hold personal data, facts). The cache's writer
    pickles the models (cache.save_content)."""
    docs = [*tree.units.values(), *tree.plans.values(), *tree.agencies.values()]
    for doc in docs + ([tree.indicators] if tree.indicators else []):
        kept = doc.packed if doc.model is None else doc.model
        if kept is not None and doc.digest:
            cache[doc.display] = (doc.digest, kept, doc.may_hold_personal_data, doc.facts)


# Files to parse from which the work is shared out to one forked process per core.
_PARALLEL_FILES = 200
_SHARE_FILES = 50
_job: tuple | None = None  # what forked parsers read: set just before the fork


def _load_all(paths: list[Path], displays: list[str], cache: dict | None,
              digests: "FileDigests | None") -> list[tuple[Document | None, list[ContentError]]]:
    """load_yaml for each path (named in errors as `displays` names it), but a file whose bytes are unchanged is
    taken from `cache`, the load cache kept by the build cache (see remember). Many files to parse (a national
    corpus from nothing) are parsed by one process per core; their documents come back as data alone (no
    positions: those are read again if an error needs them, Document.reread)."""
    global _job
    results: list = [None] * len(paths)
    todo = []
    read: dict[int, tuple[bytes, str]] = {}  # bytes read for the digest, and it: the workers parse them as they are
    for i, path in enumerate(paths):
        hit, raw, digest = (None, None, None) if cache is None else _cached(path, displays[i], cache, digests)
        if hit is not None:
            results[i] = (hit, [])
        else:
            todo.append(i)
            if raw is not None:
                read[i] = (raw, digest)
    if len(todo) < _PARALLEL_FILES or parallel.cores() < 2:  # a pool to parse a few files costs more than they do
        for i in todo:
            raw, digest = read.get(i, (None, None))
            results[i] = _parse(paths[i], displays[i], raw, digest=digest)
        return results
    n = parallel.shares(len(todo), _PARALLEL_FILES // 2)
    _job = (paths, displays, todo, read)
    try:
        with parallel.pool(n) as pool:
            # Small shares: each comes back (pickled data) while the workers parse the next ones; two
            # large ones left a core idle unpickling them at the end.
            shares = list(pool.imap(_parse_share, range(0, len(todo), _SHARE_FILES), chunksize=1))
    finally:
        _job = None
    for share in shares:
        for i, display, digest, data, may_hold, errs in share:
            doc = None if data is _FAILED else Document(paths[i], display, data, may_hold_personal_data=may_hold,
                                                        digest=digest, marked=False)
            results[i] = (doc, errs)
    return results


_FAILED = "\0failed"


def _parse_share(first: int) -> list[tuple]:
    paths, displays, todo, read = _job
    out = []
    for i in todo[first:first + _SHARE_FILES]:
        display = displays[i]
        raw, digest = read.get(i, (None, None))
        if raw is None:
            try:
                raw = paths[i].read_bytes()
            except OSError:
                raw = None
        doc, errs = _parse(paths[i], display, raw, digest=digest, marks=False)
        out.append((i, display, doc.digest if doc else "", _FAILED if doc is None else doc.data,
                    doc.may_hold_personal_data if doc else True, errs))
    return out


def sha256(path: Path, digests: "FileDigests | None" = None) -> str:
    """The SHA-256 of a file's bytes; from `digests` (cache.FileDigests) when its stat is as recorded."""
    return _digest(path, digests)[0]


def _digest(path: Path, digests: "FileDigests | None") -> tuple[str, bytes | None]:
    """sha256, and the file's bytes when they were read for it."""
    if digests is not None:
        return digests.read(path)
    raw = path.read_bytes()
    return hashlib.sha256(raw).hexdigest(), raw


def _cached(path: Path, display: str, cache: dict,
            digests: "FileDigests | None") -> tuple[Document | None, bytes | None, str | None]:
    """The file's document from the load cache when its bytes are unchanged; else None and, when they were
    read for their digest, the bytes and the digest (for _parse: a file is read and hashed once)."""
    try:
        digest, raw = _digest(path, digests)
    except OSError:
        return None, None, None
    known = cache.get(display)
    if known is not None and known[0] == digest:
        _, kept, may_hold, facts = known
        packed, model = (kept, None) if isinstance(kept, bytes) else (None, kept)
        return Document(path, display, None, may_hold_personal_data=may_hold, digest=digest, model=model,
                        packed=packed, facts=facts, marked=False), None, None
    return None, raw, digest if raw is not None else None


def _parse(path: Path, display: str, raw: bytes | None = None, *, digest: str | None = None,
           marks: bool = True) -> tuple[Document | None, list[ContentError]]:
    """`digest`: the SHA-256 of `raw`, when the caller has it."""
    try:
        raw = path.read_bytes() if raw is None else raw
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [ContentError(display, 1, 1, "", f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start}); hãy lưu lại với mã hóa UTF-8")]
    doc = Document(path, display, None)
    loader = None
    try:
        try:
            loader = _FastLoader(text)
            node = loader.get_single_node()
        except yaml.YAMLError:
            if loader is not None:
                loader.dispose()
            loader = None
            loader = _Loader(text)
            node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        return None, [ContentError(display, line, col, "", f"ký tự điều khiển không được phép (U+{ord(char):04X}), "
                                   "thường do chép từ PDF; hãy xóa ký tự đó")]
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is reported where the quote opens, not at the end of the file.
        opening = exc.context_mark if exc.context and "quoted scalar" in exc.context else None
        mark = opening or exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "cú pháp YAML không hợp lệ"
        return None, [ContentError(display, line, col, "", f"YAML không hợp lệ: {problem}"
                                   + (f" ({exc.context})" if exc.context else ""))]
    except yaml.YAMLError as exc:
        return None, [ContentError(display, 1, 1, "", f"YAML không hợp lệ: {' '.join(str(exc).split())}")]
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None, [ContentError(display, 1, 1, "", "tệp rỗng")]
    builder = _Builder(doc, loader, marks=marks)
    try:
        doc.data = builder.build(node, ())
    except RecursionError:
        return None, [ContentError(display, 1, 1, "", "YAML lồng nhau quá sâu")]
    doc.may_hold_personal_data = privacy.possible(text)
    doc.digest = digest or hashlib.sha256(raw).hexdigest()
    errors = builder.errors + _nfc_errors(display, text)
    return doc, errors


def _nfc_errors(display: str, text: str) -> list[ContentError]:
    if unicodedata.is_normalized("NFC", text):
        return []
    errors = []
    for n, line in enumerate(text.splitlines(), 1):
        if not unicodedata.is_normalized("NFC", line):
            col = next((i for i, ch in enumerate(line, 1) if unicodedata.combining(ch)), 1)
            errors.append(ContentError(display, n, col, "",
                                       "văn bản không ở dạng Unicode NFC (dấu tổ hợp rời); hãy chuẩn hóa tệp sang NFC"))
    return errors


def _yaml_files(root: Path) -> list[str]:
    """The .yml files under `root` outside hidden folders, as paths relative to it, in the order of their parts
    (pathlib's rglob and relative_to cost more than the thousands of files they found)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found += [prefix + name for name in files if name.endswith(".yml") and not name.startswith(".")
                  and os.path.isfile(os.path.join(folder, name))]
    return sorted(found, key=lambda rel: rel.split("/"))


@dataclass
class ContentTree:
    """What is on disk, before validation."""

    root: Path
    units: dict[str, Document]  # unit id ("ha-tinh/duc-tho") → unit.yml
    plans: dict[str, Document]  # plan id ("ha-tinh/duc-tho/2023-chinh-quyen-so") → plan yml
    narratives: dict[str, str]  # plan id → Markdown beside the plan
    indicators: Document | None
    agencies: dict[str, Document] = field(default_factory=dict)  # unit id → agencies.yml
    digests: "FileDigests | None" = None  # see load_tree; for the checksums of other files (load.sha256)


def load_tree(root: Path, cache: dict | None = None,
              digests: "FileDigests | None" = None) -> tuple[ContentTree, list[ContentError]]:
    """Reads the content folder; `cache` as for _load_all (files no longer there are dropped from it);
    `digests` (cache.FileDigests): what the files' bytes were, by their stat, kept between builds."""
    errors: list[ContentError] = []
    tree = ContentTree(root, {}, {}, {}, None, digests=digests)
    if not root.is_dir():
        errors.append(ContentError(str(root), 1, 1, "", "không tìm thấy thư mục nội dung"))
        return tree, errors
    seen: set[str] = set()
    files = _yaml_files(root)
    named = display_path(root / files[0], root).removesuffix(files[0]) if files else ""  # "content/"
    paths = [root / rel for rel in files]
    for rel, path, (doc, errs) in zip(files, paths, _load_all(paths, [named + rel for rel in files], cache, digests)):
        folder, _, name = rel.rpartition("/")
        if doc is not None:
            seen.add(doc.display)
        errors += errs
        if rel == INDICATORS_FILE:
            tree.indicators = doc
        elif name == AGENCIES_FILE:
            if doc:
                tree.agencies[folder or "."] = doc
        elif name == UNIT_FILE:
            if doc:
                tree.units[folder or "."] = doc
        elif doc:
            plan_id = rel.removesuffix(".yml")
            tree.plans[plan_id] = doc
            md = path.with_suffix(".md")
            try:
                narrative = md.read_bytes().decode("utf-8")
            except (FileNotFoundError, IsADirectoryError):
                continue
            except UnicodeDecodeError as exc:
                errors.append(ContentError(named + plan_id + ".md", 1, 1, "", f"tệp không phải UTF-8 (byte lỗi ở vị trí "
                                           f"{exc.start}); hãy lưu lại với mã hóa UTF-8"))
                continue
            errors += _nfc_errors(named + plan_id + ".md", narrative)
            tree.narratives[plan_id] = narrative
    if cache is not None:
        for gone in set(cache) - seen:
            del cache[gone]
    return tree, errors
