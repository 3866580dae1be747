"""Load: read the content tree into plain data, remembering where each value was written.

Every scalar keeps the line and column it came from, so later stages can point
an editor at the exact place. Dates stay strings (the schema parses them, so
"31/02/2023" gets a clear message instead of YAML's own guess) and decimals are
read as `Decimal`, never float. What YAML allows but content must not (anchors,
aliases, tags, deep nesting, characters that reorder or hide text, files far
larger than any document) is refused with an error naming the file and place.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator import parallel
from generator.content import privacy
from generator.errors import ContentError, display_path

if TYPE_CHECKING:
    from generator.incremental.store import FileDigests

UNIT_FILE = "unit.yml"
INDICATORS_FILE = "indicators.yml"
BUDGET_CATEGORIES_FILE = "budget_categories.yml"
AGENCIES_FILE = "agencies.yml"
RESULTS_SUFFIX = ".ket-qua.yml"  # a plan's results of implementation, beside it: <plan>.ket-qua.yml

Path_ = tuple[str | int, ...]

# What content may be, far above what real documents need and far below what makes a build crawl or run out
# of memory; a file over its limit is refused before it is read.
MAX_YAML_BYTES = 2 * 2**20  # a plan's YAML (also unit.yml, agencies.yml, indicators.yml, site_config.yml)
MAX_NARRATIVE_BYTES = 2 * 2**20  # the Markdown beside a plan
MAX_SOURCE_BYTES = 8 * 2**20  # the source document's extracted text (copied to the site as it is)
# Lists and blocks nested in one another: real content nests a few levels. Validation and rendering recurse
# into what is nested, so deeper input is refused while it is parsed.
MAX_DEPTH = 32

# Characters that reorder or hide text when it is shown ("Trojan source"): bidirectional embeddings, overrides,
# isolates and marks, and zero-width characters. Vietnamese text never needs them. (A byte order mark at the
# start of a file is outside every value and stays allowed.)
# Control characters too: written as escapes in a quoted value ("\f"), since the YAML reader refuses them raw; no
# page, feed (XML forbids most of them) or spreadsheet shows them.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
_INVISIBLE_UTF8 = re.compile(rb"\xd8\x9c|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0\xa6-\xa9]|\xef\xbb\xbf")


def _hides(raw: bytes) -> bool:
    """Whether `raw` has a character of _INVISIBLE (after a byte order mark), found from the lead bytes of their
    UTF-8 forms: memchr finds those far faster than a search of the text."""
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    for lead in b"\xd8\xe2\xef":
        at = raw.find(lead, start)
        while at >= 0:
            if _INVISIBLE_UTF8.match(raw, at):
                return True
            at = raw.find(lead, at + 1)
    return False


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
    digest: str = ""  # of the file's bytes: what the previous build's validated model is kept under
    # What the privacy check found in the file's strings and the exceptions it declares (validate._privacy): kept
    # by the previous build for these bytes, so a file that may hold personal data is not parsed again each build.
    privacy: tuple | None = None
    # False: data or positions not read yet (a file unchanged since the previous build is not parsed; one
    # parsed by another process comes back without positions); read when asked for (reread).
    marked: bool = True

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

    def error(self, loc: Path_, message: str, *, at_key: bool = False, model: Any = None) -> ContentError:
        line, col = self.where(loc, at_key=at_key)
        return ContentError(self.display, line, col, format_loc(loc), message, self.reading(loc, model))

    def reading(self, loc: Path_, model: Any = None) -> str:
        """`loc` in Vietnamese words, from the titles of `model`'s fields (by default the schema of this kind of
        file)."""
        from generator.content.fieldnames import reading  # imports pydantic: only when an error is reported

        return reading(model or schema_of(self.path), loc)


def schema_of(path: Path) -> Any:
    """The schema model of a YAML file, by its name (as load_tree sorts them; any other file is a plan)."""
    if path.name == "site_config.yml":
        from generator.content.schema import SiteConfig

        return SiteConfig
    from generator.content import schema

    if path.name.endswith(RESULTS_SUFFIX):
        return schema.PlanResults
    return {
        UNIT_FILE: schema.Unit,
        INDICATORS_FILE: schema.IndicatorCatalogue,
        AGENCIES_FILE: schema.AgencyRegistry,
        BUDGET_CATEGORIES_FILE: schema.BudgetCategories,
    }.get(path.name, schema.Plan)


def format_loc(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _mark(mark: yaml.Mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


_STR = "tag:yaml.org,2002:str"  # the tag PyYAML resolves a plain or quoted string to
_KEY, _ITEM, _SKIP = object(), object(), object()  # an open mapping's next value is a key; a list's; a refused key's
_EMPTY = object()  # a file without a document
_KINDS = {
    "tag:yaml.org,2002:int": "một số nguyên",
    "tag:yaml.org,2002:float": "một số",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:null": "ô trống",
}


class _TooDeep(Exception):
    """Nesting beyond MAX_DEPTH: the file is refused there, nothing deeper is read."""

    def __init__(self, error: ContentError):
        super().__init__(str(error))
        self.error = error


class _Builder:
    """Turns the parser's events into data, recording positions and refusing what YAML allows but content must not.

    Built from the parser's events with a stack of its own, not from a composed node tree: libyaml's composer
    recurses in C, where no recursion limit stops deep input before the stack overflows. Anchors and aliases are
    refused, never followed (an alias bomb is a few lines), and so is any explicit tag."""

    def __init__(
        self,
        doc: Document,
        loader: _Loader,
        text: str,
        *,
        marks: bool = True,
        hidden: bool = True,
        escapes: bool = True,
    ):
        self.doc, self.loader, self.text, self.errors = doc, loader, text, []
        # Without marks (a file parsed by another process, whose positions are not sent back, see
        # _load_all), this file's own errors still take their positions from the events.
        self.marking = marks
        self.refused: list[ContentError] = []  # anchors, aliases, tags: read to the end, but its data is not kept
        self._refused_at: set[tuple[int, str]] = set()
        # Values are searched for _INVISIBLE only when the file has one of its characters (every value then)
        # or a backslash (double-quoted values then: an escape may write one).
        self.hidden, self.escapes = hidden, escapes
        # libyaml leaves a byte order mark out of its offsets, PyYAML counts it.
        self.bom = 1 if text.startswith("\ufeff") and not isinstance(loader, yaml.SafeLoader) else 0

    def _error(self, mark: yaml.Mark, loc: Path_, message: str) -> None:
        line, col = _mark(mark)
        self.errors.append(ContentError(self.doc.display, line, col, format_loc(loc), message, self.doc.reading(loc)))

    def read(self) -> Any:
        """The data of the file's single document (_EMPTY when it has none)."""
        loader = self.loader
        loader.get_event()  # the stream's start
        if loader.check_event(yaml.StreamEndEvent):
            return _EMPTY
        loader.get_event()  # the document's start
        start = loader.peek_event().start_mark
        data = self._document()
        loader.get_event()  # the document's end
        if not loader.check_event(yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                start,
                "but found another document",
                loader.get_event().start_mark,
            )
        return data

    def _document(self) -> Any:
        get = self.loader.get_event
        marks, key_marks = self.doc.marks, self.doc.key_marks
        hidden, escapes, resolvers = self.hidden, self.escapes, self.loader.yaml_implicit_resolvers
        anything = None in resolvers  # resolvers for any first character (PyYAML's wildcard)
        scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
        seq_start, map_start = yaml.SequenceStartEvent, yaml.MappingStartEvent
        # Open collections: [data, loc, next (_KEY, _ITEM, _SKIP or the key whose value is next), start mark,
        # quiet (a refused key or a value under one: built, not kept, no errors of its own)].
        stack: list[list] = []
        while True:
            event = get()
            kind = type(event)
            if kind is scalar or kind is alias or kind is seq_start or kind is map_start:
                quiet = False
                if not stack:
                    loc: Path_ = ()
                    is_key = False
                else:
                    top = stack[-1]
                    nxt, quiet = top[2], top[4]
                    is_key = nxt is _KEY
                    if nxt is _ITEM:
                        loc = top[1] + (len(top[0]),)
                    elif is_key:
                        loc = top[1]
                    elif nxt is _SKIP:
                        loc, quiet = top[1], True
                    else:
                        loc = top[1] + (nxt,)
                mark = event.start_mark
                if self.marking and not quiet and not is_key:
                    marks[loc] = _mark(mark)
                if kind is scalar:
                    if event.anchor is not None or event.tag is not None:
                        self._refuse_properties(event, loc)
                    value = shown = event.value
                    if (hidden or escapes and event.style == '"') and _INVISIBLE.search(value):
                        value = self._visible(event, loc, value)
                    # Only a plain scalar whose first character can start another type may be anything but text.
                    if event.implicit[0] and (value[:1] in resolvers or anything):
                        value = self._scalar(event, value, loc, quiet)
                elif kind is alias:
                    self._refuse(
                        mark,
                        loc,
                        "alias",
                        f"không dùng neo/bí danh YAML (&, *): tìm thấy «*{event.anchor}»; "
                        "hãy viết giá trị ra đầy đủ ở mỗi chỗ dùng",
                    )
                    value, shown = None, f"*{event.anchor}"
                else:
                    if event.anchor is not None or event.tag is not None:
                        self._refuse_properties(event, loc)
                    if len(stack) >= MAX_DEPTH:
                        line, col = _mark(mark)
                        shown_loc = format_loc(loc[:4]) + ("…" if len(loc) > 4 else "")
                        raise _TooDeep(
                            ContentError(
                                self.doc.display,
                                line,
                                col,
                                shown_loc,
                                f"danh sách, khối lồng nhau quá sâu (quá {MAX_DEPTH} tầng); "
                                "hãy kiểm tra các dấu [ ], { } và thụt lề",
                                self.doc.reading(loc[:4]) + ("…" if len(loc) > 4 else ""),
                            )
                        )
                    if kind is seq_start:
                        stack.append([[], loc, _ITEM, mark, quiet or is_key])
                    else:
                        stack.append([{}, loc, _KEY, mark, quiet or is_key])
                    continue
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                data, loc, _, mark, _ = stack.pop()
                value, shown = data, "[…]" if kind is yaml.SequenceEndEvent else "{…}"
            else:  # the parser gives nothing else inside a document
                raise yaml.composer.ComposerError(None, None, f"unexpected {kind.__name__}", event.start_mark)
            if not stack:
                return value
            top = stack[-1]
            nxt = top[2]
            if nxt is _ITEM:
                top[0].append(value)
            elif nxt is _KEY:
                if isinstance(value, str):
                    if not top[4]:
                        if self.marking:
                            key_marks[top[1] + (value,)] = _mark(mark)
                        if value in top[0]:
                            self._error(mark, top[1] + (value,), "trường bị khai báo hai lần trong cùng một khối")
                    top[2] = value
                else:
                    if not top[4]:
                        self._error(mark, top[1], f"tên trường phải là chữ; tìm thấy «{shown}»")
                    top[2] = _SKIP
            elif nxt is _SKIP:
                top[2] = _KEY
            else:
                top[0][nxt] = value
                top[2] = _KEY

    def _scalar(self, event: yaml.ScalarEvent, value: str, loc: Path_, quiet: bool) -> Any:
        tag = self.loader.resolve(yaml.ScalarNode, value, event.implicit)
        if tag == _STR:
            return value  # what the constructor gives a string, without its dispatch
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError, AttributeError, TypeError, OverflowError):
            if not quiet:
                shown = " ".join(value.split())[:40]
                self._error(
                    event.start_mark,
                    loc,
                    f"không đọc được giá trị «{shown}» (YAML hiểu là "
                    f"{_KINDS.get(tag, tag)}); hãy viết lại, hoặc đặt trong ngoặc kép nếu là chữ",
                )
            return None

    def _visible(self, event: yaml.ScalarEvent, loc: Path_, value: str) -> str:
        """The value without its invisible characters, the first one reported: the error stands, and later
        messages quoting the value stay readable. The position is the character's own when the text has it
        (not written as an escape)."""
        char = _INVISIBLE.search(value).group()
        start, end = event.start_mark.index + self.bom, event.end_mark.index + self.bom
        at = self.text.find(char, start, end)
        if at < 0:
            line, col = _mark(event.start_mark)
        else:
            line = self.text.count("\n", 0, at) + 1
            col = at - (self.text.rfind("\n", 0, at) + 1) + 1 - (self.bom if line == 1 else 0)
        name = unicodedata.name(char, "")
        what = "ký tự điều khiển" if unicodedata.category(char) == "Cc" else "ký tự vô hình"
        self.errors.append(
            ContentError(
                self.doc.display,
                line,
                col,
                format_loc(loc),
                f"{what} U+{ord(char):04X}{f' ({name})' if name else ''} không được phép: "
                "nó đảo chiều, che giấu chữ hoặc làm hỏng tệp dữ liệu khi hiển thị (thường do "
                "chép từ web, PDF); hãy xóa ký tự đó",
                self.doc.reading(loc),
            )
        )
        return _INVISIBLE.sub("", value)

    def _refuse_properties(self, event: yaml.NodeEvent, loc: Path_) -> None:
        if event.anchor is not None:
            self._refuse(
                event.start_mark,
                loc,
                "alias",
                f"không dùng neo/bí danh YAML (&, *): tìm thấy «&{event.anchor}»; "
                "hãy viết giá trị ra đầy đủ ở mỗi chỗ dùng",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
            self._refuse(
                event.start_mark,
                loc,
                "tag",
                f"không dùng thẻ YAML: tìm thấy «{shown}»; hãy bỏ thẻ và viết "
                "giá trị bình thường (đặt trong ngoặc kép nếu là chữ)",
            )

    def _refuse(self, mark: yaml.Mark, loc: Path_, kind: str, message: str) -> None:
        """One error per line and kind: an alias bomb's hundred aliases are a few lines."""
        line, col = _mark(mark)
        if (line, kind) not in self._refused_at:
            self._refused_at.add((line, kind))
            self.refused.append(
                ContentError(self.doc.display, line, col, format_loc(loc), message, self.doc.reading(loc))
            )


def load_yaml(path: Path, root: Path) -> tuple[Document | None, list[ContentError]]:
    """Reads one YAML file, named in errors from `root` (errors.display_path)."""
    return _parse(path, display_path(path, root))


def read_yaml_bytes(raw: bytes, display: str) -> Document | None:
    """The data of YAML given as bytes (an earlier version of a file, from Git), with the same limits as a
    file (size, depth, no anchors, aliases or tags); None when it cannot be read."""
    doc, _ = _parse(Path(display), display, raw, marks=False)
    return doc


# Files to parse from which the work is shared out to one forked process per core.
_PARALLEL_FILES = 200
_SHARE_FILES = 50
_job: tuple | None = None  # what forked parsers read: set just before the fork


def _load_all(
    paths: list[Path], displays: list[str], cache: dict | None, digests: FileDigests | None
) -> list[tuple[Document | None, list[ContentError]]]:
    """load_yaml for each path (named in errors as `displays` names it), but a file whose bytes are unchanged is
    taken from `cache`, the previous build's (validate.Models.remember), and read only when asked for. Many files
    to parse (a national corpus from nothing) are parsed by one process per core; their documents come back as data
    alone (no positions: those are read again if an error needs them, Document.reread)."""
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
            doc = (
                None
                if data is _FAILED
                else Document(paths[i], display, data, may_hold_personal_data=may_hold, digest=digest, marked=False)
            )
            results[i] = (doc, errs)
    return results


_FAILED = "\0failed"


def _parse_share(first: int) -> list[tuple]:
    paths, displays, todo, read = _job
    out = []
    for i in todo[first : first + _SHARE_FILES]:
        display = displays[i]
        raw, digest = read.get(i, (None, None))
        doc, errs = _parse(paths[i], display, raw, digest=digest, marks=False)
        out.append(
            (
                i,
                display,
                doc.digest if doc else "",
                _FAILED if doc is None else doc.data,
                doc.may_hold_personal_data if doc else True,
                errs,
            )
        )
    return out


def sha256(path: Path, digests: FileDigests | None = None) -> str:
    """The SHA-256 of a file's bytes; from `digests` (cache.FileDigests) when its stat is as recorded."""
    if os.stat(path).st_size > MAX_SOURCE_BYTES:  # refused (validate); read in pieces, never held whole
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(2**20):
                h.update(chunk)
        return h.hexdigest()
    return _digest(path, digests)[0]


def _digest(path: Path, digests: FileDigests | None) -> tuple[str, bytes | None]:
    """sha256, and the file's bytes when they were read for it."""
    if digests is not None:
        return digests.read(path)
    raw = path.read_bytes()
    return hashlib.sha256(raw).hexdigest(), raw


def _cached(
    path: Path, display: str, cache: dict, digests: FileDigests | None
) -> tuple[Document | None, bytes | None, str | None]:
    """The file's document from the load cache when its bytes are unchanged; else None and, when they were
    read for their digest, the bytes and the digest (for _parse: a file is read and hashed once)."""
    try:
        digest, raw = _digest(path, digests)
    except OSError:
        return None, None, None
    known = cache.get(display)
    if known is not None and known[0] == digest:
        doc = Document(
            path, display, None, may_hold_personal_data=known[2], digest=digest, marked=False, privacy=known[4]
        )
        return doc, None, None
    return None, raw, digest if raw is not None else None


def _parse(
    path: Path, display: str, raw: bytes | None = None, *, digest: str | None = None, marks: bool = True
) -> tuple[Document | None, list[ContentError]]:
    """`digest`: the SHA-256 of `raw`, when the caller has it."""
    if raw is None:
        try:
            raw, size = _read_at_most(path, MAX_YAML_BYTES)
        except OSError as exc:
            return None, [ContentError(display, 1, 1, "", f"không đọc được tệp ({exc.strerror or exc})")]
        if raw is None:
            return None, [too_large(display, size, MAX_YAML_BYTES, "tệp YAML")]
    elif len(raw) > MAX_YAML_BYTES:
        return None, [too_large(display, len(raw), MAX_YAML_BYTES, "tệp YAML")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            ContentError(
                display, 1, 1, "", f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start}); hãy lưu lại với mã hóa UTF-8"
            )
        ]
    doc = Document(path, display, None)
    hidden, escapes = _hides(raw), b"\\" in raw
    loader = None
    try:
        try:
            loader = _FastLoader(text)
            builder = _Builder(doc, loader, text, marks=marks, hidden=hidden, escapes=escapes)
            data = builder.read()
        except yaml.YAMLError:
            if loader is not None:
                loader.dispose()
            loader = None
            doc = Document(path, display, None)  # without what the first attempt recorded
            loader = _Loader(text)
            builder = _Builder(doc, loader, text, marks=marks, hidden=hidden, escapes=escapes)
            data = builder.read()
    except _TooDeep as exc:
        return None, [exc.error]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        return None, [
            ContentError(
                display,
                line,
                col,
                "",
                f"ký tự điều khiển không được phép (U+{ord(char):04X}), thường do chép từ PDF; hãy xóa ký tự đó",
            )
        ]
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is reported where the quote opens, not at the end of the file.
        opening = exc.context_mark if exc.context and "quoted scalar" in exc.context else None
        mark = opening or exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "cú pháp YAML không hợp lệ"
        return None, [
            ContentError(
                display, line, col, "", f"YAML không hợp lệ: {problem}" + (f" ({exc.context})" if exc.context else "")
            )
        ]
    except yaml.YAMLError as exc:
        return None, [ContentError(display, 1, 1, "", f"YAML không hợp lệ: {' '.join(str(exc).split())}")]
    finally:
        if loader is not None:
            loader.dispose()
    if data is _EMPTY:
        return None, [ContentError(display, 1, 1, "", "tệp rỗng")]
    if builder.refused:
        return None, builder.refused + builder.errors
    doc.data = data
    doc.may_hold_personal_data = privacy.possible(text)
    doc.digest = digest or hashlib.sha256(raw).hexdigest()
    errors = builder.errors + _nfc_errors(display, text)
    return doc, errors


def _read_at_most(path: Path, limit: int) -> tuple[bytes | None, int]:
    """The file's bytes and size, or None and its size when it is larger than `limit` (not read then)."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            return None, size
        raw = f.read(size + 1)
        if len(raw) > size:  # grown since, or a file whose size the system does not give: read on to the limit only
            raw += f.read(limit + 1 - len(raw))
    return (raw, len(raw)) if len(raw) <= limit else (None, max(size, len(raw)))


def too_large(display: str, size: int, limit: int, what: str) -> ContentError:
    exact = f"{size:,}".replace(",", ".")
    return ContentError(
        display,
        1,
        1,
        "",
        f"tệp quá lớn: {_megabytes(size)} ({exact} byte), vượt giới hạn "
        f"{_megabytes(limit)} cho {what}; hãy kiểm tra tệp (có dán nhầm hay lặp lại "
        "nội dung không)",
    )


def _megabytes(size: int) -> str:
    mb = size / 2**20
    return (f"{mb:.0f}" if mb == int(mb) else f"{mb:.1f}".replace(".", ",")) + " MB"


def _nfc_errors(display: str, text: str) -> list[ContentError]:
    if unicodedata.is_normalized("NFC", text):
        return []
    errors = []
    for n, line in enumerate(text.splitlines(), 1):
        if not unicodedata.is_normalized("NFC", line):
            col = next((i for i, ch in enumerate(line, 1) if unicodedata.combining(ch)), 1)
            errors.append(
                ContentError(
                    display, n, col, "", "văn bản không ở dạng Unicode NFC (dấu tổ hợp rời); hãy chuẩn hóa tệp sang NFC"
                )
            )
    return errors


def _yaml_files(root: Path, only: str | None = None) -> list[tuple[str, int]]:
    """The .yml files under `root` outside hidden folders, as paths relative to it with their sizes, in the order
    of their parts (pathlib's rglob and relative_to cost more than the thousands of files they found). `only` (a
    province's id): the files at the top, that province's and the other provinces' unit.yml (load_tree); the
    other provinces' folders are not walked."""
    found = []
    for folder, dirs, files in os.walk(root):
        if only is not None and folder == str(root):
            for d in dirs:
                unit = os.path.join(folder, d, UNIT_FILE)
                if d != only and not d.startswith(".") and os.path.isfile(unit):
                    found.append((f"{d}/{UNIT_FILE}", os.stat(unit).st_size))
            dirs[:] = [d for d in dirs if d == only]
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in files:
            if name.endswith(".yml") and not name.startswith("."):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode):
                    found.append((prefix + name, st.st_size))
    return sorted(found, key=lambda item: item[0].split("/"))


@dataclass
class ContentTree:
    """What is on disk, before validation."""

    root: Path
    units: dict[str, Document]  # unit id ("ha-tinh/duc-tho") → unit.yml
    plans: dict[str, Document]  # plan id ("ha-tinh/duc-tho/2023-chinh-quyen-so") → plan yml
    narratives: dict[str, str]  # plan id → Markdown beside the plan
    indicators: Document | None
    agencies: dict[str, Document] = field(default_factory=dict)  # unit id → agencies.yml
    results: dict[str, Document] = field(default_factory=dict)  # plan id → <plan>.ket-qua.yml
    budget_categories: Document | None = None
    digests: FileDigests | None = None  # see load_tree; for the checksums of other files (load.sha256)


def load_tree(
    root: Path, cache: dict | None = None, digests: FileDigests | None = None, only: str | None = None
) -> tuple[ContentTree, list[ContentError]]:
    """Reads the content folder; `cache` as for _load_all (files no longer there are dropped from it);
    `digests` (cache.FileDigests): what the files' bytes were, by their stat, kept between builds.
    `only` (a province's id): that province's files, the portal-wide ones (indicators, budget categories) and the
    other provinces' unit.yml (their names): what a shard's pages are made of (docs/shards.md)."""
    errors: list[ContentError] = []
    tree = ContentTree(root, {}, {}, {}, None, digests=digests)
    if not root.is_dir():
        errors.append(ContentError(str(root), 1, 1, "", "không tìm thấy thư mục nội dung"))
        return tree, errors
    seen: set[str] = set()
    found = _yaml_files(root, only)
    named = display_path(root / found[0][0], root).removesuffix(found[0][0]) if found else ""  # "content/"
    files = []
    for rel, size in found:
        if size > MAX_YAML_BYTES:  # before its digest reads it
            errors.append(too_large(named + rel, size, MAX_YAML_BYTES, "tệp YAML"))
        else:
            files.append(rel)
    paths = [root / rel for rel in files]
    for rel, path, (doc, errs) in zip(files, paths, _load_all(paths, [named + rel for rel in files], cache, digests)):
        folder, _, name = rel.rpartition("/")
        if doc is not None:
            seen.add(doc.display)
        errors += errs
        if rel == INDICATORS_FILE:
            tree.indicators = doc
        elif rel == BUDGET_CATEGORIES_FILE:
            tree.budget_categories = doc
        elif name == AGENCIES_FILE:
            if doc:
                tree.agencies[folder or "."] = doc
        elif name == UNIT_FILE:
            if doc:
                tree.units[folder or "."] = doc
        elif name.endswith(RESULTS_SUFFIX):
            if doc:
                tree.results[rel.removesuffix(RESULTS_SUFFIX)] = doc
        elif doc:
            plan_id = rel.removesuffix(".yml")
            tree.plans[plan_id] = doc
            md = path.with_suffix(".md")
            try:
                raw, size = _read_at_most(md, MAX_NARRATIVE_BYTES)
                if raw is None:
                    errors.append(too_large(named + plan_id + ".md", size, MAX_NARRATIVE_BYTES, "phần lời văn (.md)"))
                    continue
                narrative = raw.decode("utf-8")
            except (FileNotFoundError, IsADirectoryError):
                continue
            except OSError as exc:
                errors.append(
                    ContentError(named + plan_id + ".md", 1, 1, "", f"không đọc được tệp ({exc.strerror or exc})")
                )
                continue
            except UnicodeDecodeError as exc:
                errors.append(
                    ContentError(
                        named + plan_id + ".md",
                        1,
                        1,
                        "",
                        f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start}); hãy lưu lại với mã hóa UTF-8",
                    )
                )
                continue
            errors += _nfc_errors(named + plan_id + ".md", narrative)
            tree.narratives[plan_id] = narrative
    if cache is not None:
        for gone in set(cache) - seen:
            del cache[gone]
    return tree, errors
