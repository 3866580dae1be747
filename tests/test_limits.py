"""Limits on what content may be: malformed or hostile content ends in a clear error, never in a crash.

Whatever a content file holds (nesting a hundred thousand levels deep, a YAML alias bomb, a file of
tens of megabytes, characters that reorder or hide text), `check` and `build` end in a Vietnamese error
naming the file and the place, exit with an error code, leave the previous site/ as it was, and do so
within seconds. The crash cases run the real command in a child process (a segfault is only seen from
outside), with a cap on its memory and time so that a regression fails the test instead of the machine.
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build.pipeline import check
from generator.content.config import load_config
from generator.errors import ContentError, ContentErrors
from tests.helpers import ROOT, copy_fixture, generator_command, tree_digest

UNIT_DIR = "tinh-mau/huyen-mau"
PLAN = f"content/{UNIT_DIR}/2023-ke-hoach.yml"
UNIT = f"content/{UNIT_DIR}/unit.yml"
NARRATIVE = f"content/{UNIT_DIR}/2023-ke-hoach.md"
SOURCE = f"content/{UNIT_DIR}/2023-ke-hoach.nguon.txt"

TIMEOUT_S = 30  # far more than any case takes; what these cases guard against ran for minutes
MEMORY_CAP = 2 << 30  # an alias bomb took gigabytes: with this cap it fails the test instead of the machine
HUGE = 20 * 2**20  # far above any real document: a Markdown body a few times larger took minutes to build
DEEP = 100_000  # levels of nesting that once ended in a segfault

# Characters that reorder text (bidirectional embeddings, overrides, isolates, marks) or hide it (zero width).
INVISIBLE = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
]


# --------------------------------------------------------------------------- helpers


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run(folder: Path, *command: str) -> subprocess.CompletedProcess:
    """`python -m generator` on the content tree in `folder`, as an editor runs it."""
    return subprocess.run(
        generator_command(folder, *command),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        preexec_fn=_cap_memory,
    )


def assert_refused(result: subprocess.CompletedProcess, file: str, *why: str, line: int | range | None = None) -> str:
    """The command failed with an error code (not a signal), without a traceback, naming `file` (and `line`, or a
    line in that range) and saying `why`; the lines naming that place."""
    output = result.stdout + result.stderr
    assert result.returncode > 0, (result.returncode, output[-2000:])
    assert "Traceback" not in output and "Lỗi nội bộ" not in output, output[-2000:]
    lines = [line] if isinstance(line, int) else line
    shown = [
        ln
        for ln in output.splitlines()
        if ln.startswith(f"{file}:") and (lines is None or int(ln[len(file) + 1 :].split(":", 1)[0]) in lines)
    ]
    assert shown, (file, line, output[-2000:])
    for word in why:
        assert any(word in ln for ln in shown), (word, shown)
    return "\n".join(shown)


def site_state(site: Path) -> tuple[str, dict[str, str]]:
    return os.path.realpath(site), tree_digest(site)


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    yield copy_fixture("basic", tmp_path)
    shutil.rmtree(tmp_path / "basic", ignore_errors=True)  # tens of megabytes: not kept with pytest's last runs


@pytest.fixture
def built(folder: Path) -> Path:
    """The fixture with a site built from it (the site a failed build must leave as it was)."""
    result = run(folder, "build", "--out", str(folder / "site"), "--no-index")
    assert result.returncode == 0, result.stderr
    return folder


def write(folder: Path, rel: str, text: str) -> None:
    (folder / rel).write_text(text, "utf-8")


def append(folder: Path, rel: str, text: str) -> int:
    """Appends `text` to a file; the number of the first line it fills."""
    path = folder / rel
    before = path.read_text("utf-8")
    path.write_text(before + text, "utf-8")
    return before.count("\n") + 1


def edit(folder: Path, rel: str, old: str, new: str) -> None:
    text = (folder / rel).read_text("utf-8")
    assert text.count(old) == 1, old
    write(folder, rel, text.replace(old, new))


def alias_bomb(key: str, levels: int, value: str) -> str:
    """`key` holding `levels` lists of ten, each made of ten aliases of the one before."""
    lines = [f"{key}:", f"  - &l0 [{', '.join([value] * 10)}]"]
    lines += [f"  - &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


SENTENCE = "Kế hoạch chuyển đổi số của huyện trong năm, các nhiệm vụ và giải pháp chủ yếu."


def huge_text(size: int) -> str:
    return (SENTENCE + "\n") * (size // len(SENTENCE.encode("utf-8")) + 1)


def replace_source(folder: Path, raw: bytes) -> None:
    """A new source text, with its SHA-256 in the plan."""
    old = (folder / SOURCE).read_bytes()
    (folder / SOURCE).write_bytes(raw)
    edit(folder, PLAN, hashlib.sha256(old).hexdigest(), hashlib.sha256(raw).hexdigest())


# --------------------------------------------------------------------------- crash cases: check and build
# Each makes the content hostile and gives the place its error must name.

Place = tuple[str, int | range | None]  # the file an error must name and, where it is plain, its line


def deep_flow_lists(folder: Path) -> Place:
    return PLAN, append(folder, PLAN, "general_objectives: " + "[" * DEEP + "Mục tiêu" + "]" * DEEP + "\n")


def deep_block_lists(folder: Path) -> Place:
    # Block lists nested on one line ("- - - x"): a deep structure in a small file.
    return PLAN, append(folder, PLAN, "general_objectives:\n" + "- " * DEEP + "Mục tiêu\n") + 1


def deep_indented_lists(folder: Path) -> Place:
    lines = "".join(" " * n + "-\n" for n in range(1, 1000)) + " " * 1000 + "- Mục tiêu\n"
    first = append(folder, PLAN, "general_objectives:\n" + lines)
    return PLAN, range(first + 1, first + 1001)  # where it goes too deep, not the top of the file


def deep_flow_mappings(folder: Path) -> Place:
    return PLAN, append(folder, PLAN, "ghi_chu: " + "{a: " * DEEP + "x" + "}" * DEEP + "\n")


def alias_bomb_in_objectives(folder: Path) -> Place:
    return PLAN, append(folder, PLAN, alias_bomb("general_objectives", 10, "Mục tiêu")) + 1


def alias_bomb_in_successors(folder: Path) -> Place:
    return UNIT, append(folder, UNIT, alias_bomb("succeeded_by", 8, "Xã Đông Mẫu")) + 1


def huge_markdown(folder: Path) -> Place:
    write(folder, NARRATIVE, huge_text(HUGE))
    return NARRATIVE, None


def huge_yaml(folder: Path) -> Place:
    append(folder, PLAN, "general_objectives:\n" + f"  - {SENTENCE}\n" * (HUGE // len(SENTENCE)))
    return PLAN, None


def huge_source_text(folder: Path) -> Place:
    replace_source(folder, huge_text(HUGE).encode("utf-8"))
    return SOURCE, None


DEEP_WHY, ALIAS_WHY, SIZE_WHY = ["sâu"], ["neo", "bí danh"], ["quá lớn", "giới hạn"]
CRASHES = {
    make.__name__: (make, why)
    for make, why in [
        (deep_flow_lists, DEEP_WHY),
        (deep_block_lists, DEEP_WHY),
        (deep_indented_lists, DEEP_WHY),
        (deep_flow_mappings, DEEP_WHY),
        (alias_bomb_in_objectives, ALIAS_WHY),
        (alias_bomb_in_successors, ALIAS_WHY),
        (huge_markdown, SIZE_WHY),
        (huge_yaml, SIZE_WHY),
        (huge_source_text, SIZE_WHY),
    ]
}


@pytest.mark.parametrize("case", list(CRASHES))
def test_check_refuses(folder, case):
    make, why = CRASHES[case]
    file, line = make(folder)
    assert_refused(run(folder, "check"), file, *why, line=line)


@pytest.mark.parametrize("case", list(CRASHES))
def test_build_refuses_and_keeps_the_site(built, case):
    before = site_state(built / "site")
    make, why = CRASHES[case]
    file, line = make(built)
    assert_refused(run(built, "build", "--out", str(built / "site"), "--no-index"), file, *why, line=line)
    assert site_state(built / "site") == before


@pytest.mark.parametrize("make", [huge_markdown, huge_yaml, huge_source_text], ids=lambda make: make.__name__)
def test_size_error_gives_the_size_and_the_limit(folder, make):
    file, _ = make(folder)
    size = (folder / file).stat().st_size
    shown = assert_refused(run(folder, "check"), file, "quá lớn")
    mb = size / 2**20  # the size, in bytes or megabytes, with either separator
    forms = {
        str(size),
        f"{size:,}",
        f"{size:,}".replace(",", "."),
        f"{mb:.0f} MB",
        f"{mb:.1f} MB",
        f"{mb:.1f} MB".replace(".", ","),
    }
    assert any(form in shown for form in forms), shown
    assert re.search(r"giới hạn[^;]*\d", shown), shown


# --------------------------------------------------------------------------- anchors, aliases, tags


@pytest.mark.parametrize(
    "old, new, why",
    [
        ("title: Kế hoạch", "title: &tieu-de Kế hoạch", ["neo", "&tieu-de"]),
        ("signer:\n", "signer: &nguoi-ky\n", ["neo", "&nguoi-ky"]),
        ("recipients:\n", "recipients: &noi-nhan\n", ["neo"]),
    ],
    ids=["scalar", "mapping", "list"],
)
def test_anchor_alone_is_refused(folder, old, new, why):
    edit(folder, PLAN, old, new)
    line = (folder / PLAN).read_text("utf-8").split(new)[0].count("\n") + 1
    assert_refused(run(folder, "check"), PLAN, *why, line=line)


def test_alias_of_a_text_is_refused(folder):
    # the pattern real content once used to repeat a statement: now written out at each place
    edit(folder, PLAN, "statement: 100% hồ sơ", "statement: &chi-tieu 100% hồ sơ")
    anchor = (folder / PLAN).read_text("utf-8").split("&chi-tieu")[0].count("\n") + 1
    alias = append(folder, PLAN, "general_objectives:\n  - *chi-tieu\n") + 1
    result = run(folder, "check")
    assert_refused(result, PLAN, "bí danh", "*chi-tieu", line=alias)
    assert_refused(result, PLAN, "bí danh", "&chi-tieu", line=anchor)


@pytest.mark.parametrize(
    "tag, shown",
    [
        ("!!str", "!!str"),
        ("!!python/object:os.system", "!!python/object:os.system"),
        ("!tieu-de", "!tieu-de"),
        ("!", "!"),
        ("!<tag:yaml.org,2002:str>", "!!str"),
    ],
    ids=["str", "python", "local", "non-specific", "verbatim"],
)
def test_tag_is_refused(folder, tag, shown):
    edit(folder, PLAN, "title: Kế hoạch", f"title: {tag} Kế hoạch")
    assert_refused(run(folder, "check"), PLAN, "thẻ", f"«{shown}»", line=1)


def test_tag_on_a_number_is_refused(folder):
    edit(folder, PLAN, "kinh_phi: 1500000", "kinh_phi: !!float 1500000")
    line = (folder / PLAN).read_text("utf-8").split("!!float")[0].count("\n") + 1
    assert_refused(run(folder, "check"), PLAN, "thẻ", "!!float", line=line)


# --------------------------------------------------------------------------- invisible characters


def _errors(folder: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as caught:
        check(folder / "content")
    return caught.value.errors


def _one_about(errors: list[ContentError], char: str) -> ContentError:
    found = [e for e in errors if f"U+{ord(char):04X}" in e.message]
    assert len(found) == 1, errors
    return found[0]


@pytest.mark.parametrize("char", INVISIBLE, ids=[unicodedata.name(c) for c in INVISIBLE])
def test_invisible_character_in_a_plan_title(folder, char):
    edit(folder, PLAN, "title: Kế hoạch phát", f"title: Kế hoạch {char}phát")
    error = _one_about(_errors(folder), char)
    assert (error.file, error.line, error.column, error.field) == (PLAN, 1, 17, "title")
    assert char not in str(error)  # the message names it, never shows it


@pytest.mark.parametrize("char", INVISIBLE, ids=[unicodedata.name(c) for c in INVISIBLE])
def test_invisible_character_in_a_unit_name(folder, char):
    edit(folder, UNIT, "name: Huyện Đông Mẫu", f"name: Huyện {char}Đông Mẫu")
    error = _one_about(_errors(folder), char)
    assert (error.file, error.line, error.column, error.field) == (UNIT, 1, 13, "name")
    assert char not in str(error)


@pytest.mark.parametrize(
    "old, new, field",
    [
        (
            "title: Kế hoạch phát triển chính quyền số năm 2023",
            'title: "Kế hoạch \\u202Ephát triển chính quyền số năm 2023"',
            "title",
        ),  # written as an escape
        ("  - UBND tỉnh", "  - UBND\u200b tỉnh", "recipients[0]"),  # in a list
        ("  name: Trần Văn Ký", "  name: |\n    Trần\n    Văn\u2067 Ký", "signer.name"),  # in a block
        ("title: Kế hoạch", "ti\u200btle: Kế hoạch", ""),  # in a field name
    ],
    ids=["escape", "list", "block", "key"],
)
def test_invisible_character_anywhere(folder, old, new, field):
    edit(folder, PLAN, old, new)
    errors = [e for e in _errors(folder) if "U+" in e.message]
    assert len(errors) == 1 and (errors[0].file, errors[0].field) == (PLAN, field), errors


@pytest.mark.parametrize(
    "escape, code",
    [("\\f", "U+000C"), ("\\x00", "U+0000"), ("\\x1b", "U+001B"), ("\\x85", "U+0085"), ("\\u009c", "U+009C")],
)
def test_control_character_written_as_an_escape(folder, escape, code):
    """The reader refuses a raw control character; one written as an escape would reach pages, the Atom feed (which
    XML forbids) and the CSV files."""
    edit(
        folder,
        PLAN,
        "title: Kế hoạch phát triển chính quyền số năm 2023",
        f'title: "Kế hoạch {escape}phát triển chính quyền số năm 2023"',
    )
    errors = [e for e in _errors(folder) if code in e.message]
    assert len(errors) == 1 and (errors[0].file, errors[0].field) == (PLAN, "title"), errors
    assert "ký tự điều khiển" in errors[0].message


def test_invisible_character_in_the_site_configuration(folder):
    edit(folder, "site_config.yml", "portal_name: Cổng", "portal_name: Cổng\u202e")
    with pytest.raises(ContentErrors) as caught:
        load_config(folder / "site_config.yml")
    error = _one_about(caught.value.errors, "\u202e")
    assert error.file.endswith("site_config.yml") and (error.line, error.field) == (1, "portal_name")


def test_invisible_character_from_the_command(folder):
    edit(folder, PLAN, "title: Kế hoạch phát", "title: Kế hoạch \u202ephát")
    assert_refused(run(folder, "check"), PLAN, "U+202E", line=1)


def test_byte_order_mark_at_the_start_is_still_accepted(folder):
    path = folder / PLAN
    path.write_text("\ufeff" + path.read_text("utf-8"), "utf-8")
    assert check(folder / "content").plans


# --------------------------------------------------------------------------- what real content needs still passes


def test_generous_content_passes(folder):
    """Several times the largest real plan, narrative and source text still pass."""
    append(
        folder,
        PLAN,
        "general_objectives:\n" + "".join(f"  - Mục tiêu {n}. {SENTENCE} {SENTENCE}\n" for n in range(2500)),
    )
    write(folder, NARRATIVE, huge_text(600_000))
    replace_source(folder, huge_text(1_500_000).encode("utf-8"))
    assert (folder / PLAN).stat().st_size > 500_000
    content = check(folder / "content")
    assert len(content.plans) == 1
