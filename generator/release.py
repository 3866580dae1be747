"""Releases of the portal's data: `make release` and what every build publishes of them (docs/releases.md).

A release is a Git tag `phien-ban/<yyyy-mm-dd>` of the repository holding the content. Its archive is the zip of
the `data/` files as the generator *of that tag* builds them from the content *of that tag* (`release-data`, run in
a copy of the tagged tree made by `git archive`): a later version of Công khai, which may write its tables
differently, never changes a published release, and any clone rebuilds the same bytes. The zip is deterministic:
entries sorted, fixed permissions, every timestamp the tagged commit's time. `make release DATE=…` records the
archive's SHA-256 in the tag it makes (an annotated tag); every build after checks the archive it rebuilds
against it, and stops rather than publish other bytes under a cited release.

Archives are kept beside the site (`.site.releases/`, by commit), so a build makes each one once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError
from generator.model.history import VN_TZ
from generator.model.releases import TAG_PREFIX, Release

CHECKSUM_LINE = re.compile(r"^SHA-256:\s*([0-9a-f]{64})\s*$", re.M)  # in an annotated tag's message
_ZIP_EPOCH = 315532800  # 01/01/1980: the earliest time a zip entry can carry
DATA_FOLDER = "data/"


@dataclass(frozen=True)
class Tag:
    date: dt.date
    commit: str
    committed: int  # the commit's time (seconds since the epoch): the zip entries' time
    recorded: str | None  # the SHA-256 the annotated tag records, if any

    @property
    def name(self) -> str:
        return f"{TAG_PREFIX}{self.date.isoformat()}"


def _git(repo: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)
    except OSError as exc:
        raise BuildError(f"không chạy được git: {exc}") from exc
    except subprocess.CalledProcessError as exc:
        raise BuildError(f"git {' '.join(args)}: {exc.stderr.decode('utf-8', 'replace').strip()}") from exc
    return result.stdout.decode("utf-8", "replace")


def repository(content_dir: Path) -> Path | None:
    """The top of the Git repository holding the content; None outside one (then there are no releases)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(content_dir), "rev-parse", "--show-toplevel"], capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return Path(out.stdout.decode().strip()).resolve()


def parse_date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"ngày phiên bản «{text}» phải có dạng năm-tháng-ngày, ví dụ 2026-03-12")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"ngày phiên bản «{text}» không có trong lịch") from None


def tags(repo: Path) -> list[Tag]:
    """The release tags, oldest first. A tag under phien-ban/ that does not name a date is an error: the host
    meant a release and would not see it published."""
    fields = "%00".join(
        [
            "%(refname:strip=2)",
            "%(objecttype)",
            "%(objectname)",
            "%(*objectname)",
            "%(committerdate:unix)",
            "%(*committerdate:unix)",
            "%(contents)",
        ]
    )
    found = []
    for record in _git(repo, "for-each-ref", f"--format={fields}%1e", f"refs/tags/{TAG_PREFIX}").split("\x1e"):
        if not record.strip():
            continue
        name, kind, target, peeled, time_own, time_peeled, message = record.lstrip("\n").split("\x00", 6)
        date = parse_date(name[len(TAG_PREFIX) :])
        if kind == "tag":
            commit, committed = peeled, time_peeled
            recorded = m.group(1) if (m := CHECKSUM_LINE.search(message)) else None
        else:
            commit, committed, recorded = target, time_own, None
        if not commit or not committed:
            raise BuildError(f"thẻ {name} không trỏ tới một commit")
        found.append(Tag(date, commit, int(committed), recorded))
    return sorted(found, key=lambda t: t.date)


def cache_folder(out: Path) -> Path:
    """Where the archives are kept, beside the site like its store (never published, never under Git)."""
    out = Path(os.path.abspath(out))
    return out.parent / f".{out.name}.releases"


def _paths(repo: Path, content_dir: Path, config_path: Path) -> tuple[str, str | None]:
    """The content folder's and the configuration's paths in the repository (None: a configuration outside it,
    which every release then reads as it is now)."""
    content = content_dir.resolve().relative_to(repo).as_posix()
    config = config_path.resolve()
    return content, config.relative_to(repo).as_posix() if config.is_relative_to(repo) else None


def _as_of(repo: Path, commit: str, content: str) -> str | None:
    """The day of the last commit up to `commit` that changed the content: the date the site built from that
    commit computes statuses at (model/history.last_change), so a release holds the data the site published."""
    out = _git(repo, "log", "-1", "--format=%ct", commit, "--", content).strip()
    return dt.datetime.fromtimestamp(int(out), VN_TZ).date().isoformat() if out else None


def _build_archive(repo: Path, tag: Tag, content: str, config: str | None, config_path: Path, dest: Path) -> None:
    """The release's zip, written at `dest` by the tagged tree's own generator (`release-data`)."""
    with tempfile.TemporaryDirectory(prefix="congkhai-phien-ban-") as tmp:
        tree = Path(tmp) / "cay"
        tree.mkdir()
        wanted = ["generator", content] + ([config] if config else [])
        listed = _git(repo, "ls-tree", "--name-only", tag.commit, "--", *wanted).split("\n")
        if "generator" not in listed:
            raise BuildError(
                f"thẻ {tag.name}: commit {tag.commit[:10]} không chứa bộ sinh trang (generator/); phiên bản dữ liệu "
                "được dựng bằng chính bộ sinh trang của commit được gắn thẻ"
            )
        archive = subprocess.Popen(
            ["git", "-C", str(repo), "archive", "--format=tar", tag.commit, "--", *wanted], stdout=subprocess.PIPE
        )
        assert archive.stdout is not None
        with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
            tar.extractall(tree, filter="data")
        if archive.wait() != 0:
            raise BuildError(f"git archive {tag.commit[:10]} không thành công")
        command = [
            sys.executable,
            "-m",
            "generator",
            "--content",
            str(tree / content),
            "--config",
            str(tree / config) if config else str(config_path.resolve()),
            "release-data",
            "--date",
            tag.date.isoformat(),
            "--time",
            str(tag.committed),
            "--out",
            str(dest),
        ]
        if as_of := _as_of(repo, tag.commit, content):
            command += ["--as-of", as_of]
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
        env.update(PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")  # the tagged generator, not this one
        result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
        if result.returncode != 0 or not dest.is_file():
            raise BuildError(
                f"không dựng được dữ liệu của thẻ {tag.name} (commit {tag.commit[:10]}):\n{result.stderr.strip()}"
            )


def _archive(repo: Path, tag: Tag, content: str, config: str | None, config_path: Path, cache: Path) -> Path:
    """The tag's archive in `cache`, made if it is not there yet. It is named by what it is made from: the commit,
    the content's and configuration's paths, and a configuration outside the repository as it is now."""
    source = hashlib.sha256(
        f"{tag.date}\0{tag.commit}\0{content}\0{config}".encode() + (b"" if config else config_path.read_bytes())
    ).hexdigest()[:24]
    archive = cache / f"{tag.date.isoformat()}-{source}.zip"
    if not archive.is_file():
        partial = archive.with_name(archive.name + ".part")
        partial.unlink(missing_ok=True)
        _build_archive(repo, tag, content, config, config_path, partial)
        os.replace(partial, archive)  # whole or absent: a build stopped half way leaves no archive
    return archive


def collect(content_dir: Path, config_path: Path, out: Path) -> list[Release]:
    """Every release of the repository holding the content, its archive made (once, kept beside the site) and
    checked against the SHA-256 its tag records. Outside a Git repository: none."""
    repo = repository(content_dir)
    if repo is None:
        return []
    found = tags(repo)
    if not found:
        return []
    content, config = _paths(repo, content_dir, config_path)
    cache = cache_folder(out)
    cache.mkdir(parents=True, exist_ok=True)
    releases, kept = [], set()
    for tag in found:
        archive = _archive(repo, tag, content, config, config_path, cache)
        kept.add(archive.name)
        data = archive.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if tag.recorded is not None and tag.recorded != sha:
            raise BuildError(
                f"thẻ {tag.name} ghi SHA-256 {tag.recorded}, nhưng dữ liệu dựng lại từ thẻ có SHA-256 {sha}: "
                "không công bố một tệp khác dưới một phiên bản đã trích dẫn (xem docs/releases.md)"
            )
        releases.append(Release(tag.date, tag.commit, archive, sha, len(data), _plans(archive)))
    for stale in cache.glob("*.zip"):  # tags deleted since
        if stale.name not in kept:
            stale.unlink()
    return releases


def _plans(archive: Path) -> frozenset[str]:
    with zipfile.ZipFile(archive) as z:
        rows = json.loads(z.read(f"{DATA_FOLDER}ke-hoach.json"))
    return frozenset(row["ma"] for row in rows)


# --------------------------------------------------------------------------- the data of one tree (release-data)


def write_archive(
    content_dir: Path, config_path: Path, out: Path, date: dt.date, epoch: int, as_of: dt.date | None
) -> None:
    """The zip of `data/` as the build makes it from this content with this generator (dcat.jsonld aside: it
    describes the live site's addresses), its datapackage.json carrying the release's version and date."""
    from generator.build.pipeline import check
    from generator.content.config import load_config
    from generator.model import views
    from generator.outputs import downloads

    config = load_config(config_path)
    content = check(content_dir)
    portal = views.build_portal(content, config, None, config.as_of or as_of)
    files = {**downloads.package_files(portal), **downloads.table_files(portal, None, *downloads.PORTAL_TABLES)}
    entries: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="congkhai-du-lieu-") as tmp:
        for name, made in files.items():
            if callable(made):  # a portal-wide table, written where it is given
                made(Path(tmp) / "tep")
                entries[name] = (Path(tmp) / "tep").read_bytes()
            else:
                entries[name] = made if isinstance(made, bytes) else Path(made).read_bytes()
    entries["data/datapackage.json"] = versioned(entries["data/datapackage.json"], date)
    deterministic_zip(entries, epoch, out)


def versioned(package: bytes, date: dt.date) -> bytes:
    """The data package with the release's version and date (Frictionless `version`, `created`) after its name."""
    found = json.loads(package)
    found.pop("dcat", None)  # the catalogue describes the live site and is not in the archive
    stamped: dict = {}
    for key, value in found.items():
        stamped[key] = value
        if key == "name":
            stamped["version"] = date.isoformat()
            stamped["created"] = f"{date.isoformat()}T00:00:00+07:00"
    return (json.dumps(stamped, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def deterministic_zip(entries: dict[str, bytes], epoch: int, out: Path) -> None:
    """A zip whose bytes depend on `entries` and `epoch` only: names sorted, every entry dated `epoch` (UTC),
    mode 0644, made on Unix, deflated at level 9."""
    stamp = time.gmtime(max(epoch, _ZIP_EPOCH))[:6]
    with zipfile.ZipFile(out, "w") as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, entries[name], compresslevel=9)


# --------------------------------------------------------------------------- make release


def make_release(content_dir: Path, config_path: Path, out: Path, date_text: str) -> Tag:
    """Tags the current commit as the release of `date_text` (yyyy-mm-dd), after building its archive: a
    release whose data does not build is never tagged. The tag records the archive's SHA-256."""
    date = parse_date(date_text)
    repo = repository(content_dir)
    if repo is None:
        raise ValueError(f"{content_dir} không nằm trong một kho Git: phiên bản dữ liệu được làm từ thẻ Git")
    name = f"{TAG_PREFIX}{date.isoformat()}"
    if _git(repo, "tag", "--list", name).strip():
        raise ValueError(f"đã có phiên bản {name}: một phiên bản đã công bố không bao giờ đổi")
    content, config = _paths(repo, content_dir, config_path)
    dirty = _git(repo, "status", "--porcelain", "--", content, *([config] if config else [])).strip()
    if dirty:
        raise ValueError(
            "nội dung có thay đổi chưa commit; phiên bản được làm từ commit hiện tại, hãy commit trước:\n" + dirty
        )
    commit = _git(repo, "rev-parse", "HEAD^{commit}").strip()
    committed = int(_git(repo, "log", "-1", "--format=%ct", commit).strip())
    if date < dt.datetime.fromtimestamp(committed, VN_TZ).date():
        raise ValueError(f"ngày phiên bản {date.isoformat()} trước ngày của commit hiện tại")
    tag = Tag(date, commit, committed, None)
    cache = cache_folder(out)
    cache.mkdir(parents=True, exist_ok=True)
    sha = hashlib.sha256(_archive(repo, tag, content, config, config_path, cache).read_bytes()).hexdigest()
    _git(repo, "tag", "-a", name, "-m", f"Phiên bản dữ liệu {date.isoformat()}\n\nSHA-256: {sha}", commit)
    return Tag(date, commit, committed, sha)
