"""Publishing a build atomically.

The site (`--out`, `site`) is a symbolic link to a folder holding one whole build,
`.site.builds/<id>/`, beside it. A build makes its site in another such folder and, only once every
stage has succeeded, turns the link to it: one rename(2) of a new link over the old one. A reader of
`site/` (a web server, `cp -r site/`, `rsync site/`) sees the whole old site or the whole new one,
whatever happens to the build, SIGKILL included.

A rebuild's folder starts as a replica of the previous site whose files are the same files (hard
links), made by another process while this one loads and renders (_Replica); the files the build made
are then moved in over them (an entry replaced, never written through: no file of a published site is
ever written in place) and those no page makes any more taken out. Three folders are kept: the site,
the one it replaced (a reader that resolved the link just before may still be in it), and the one
before, which the next rebuild recycles: only what changed since is linked anew, instead of a new
folder of tens of thousands of links and the deletion of an old one. Whatever else is there (what a
killed or failed build left) is renamed `.site.old-*` beside the site and deleted in the background.
A real folder at `site` (made by an earlier version) is exchanged for the link in one
renameat2(RENAME_EXCHANGE), then kept like a replaced build. Builds of one site take turns (a lock
in `.site.builds/`).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BuildError, DiskFull, checkpoint

if TYPE_CHECKING:
    pass


def site_path(out: Path) -> Path:
    """`out` made absolute, with no link in its folder's path. A link at `out` that is not one this module
    made (to a build folder) is followed: the site is where it points."""
    out = Path(os.path.abspath(out))
    for _ in range(40):
        out = out.parent.resolve() / out.name
        if not out.is_symlink():
            return out
        target = os.readlink(out)
        if _is_build_link(out, target):
            return out
        out = Path(os.path.abspath(out.parent / target))
    raise BuildError(f"{out}: quá nhiều liên kết lồng nhau")


def builds_folder(out: Path) -> Path:
    """Where the build folders of the site at `out` are: `.site.builds/` beside `site`."""
    return out.with_name(f".{out.name}.builds")


def _is_build_link(out: Path, target: str) -> bool:
    parent, _, name = target.partition("/")
    return parent == builds_folder(out).name and _BUILD.fullmatch(name) is not None


_ID = r"\d{20}-\d+"
_BUILD = re.compile(_ID + r"(?:\.legacy)?")  # a whole site: a build's folder, or an earlier version's folder
_ENTRY = re.compile(_ID + r"(?:\.legacy|\.work|\.link)?")  # and a build's scratch folder, its new link
_LOCK = ".lock"


def _stored(out: Path) -> dict:
    """The last build's state as saved ({}: none, or unreadable): read once, for the replica and the build."""
    from generator.incremental import store

    try:
        stored = store.BuildState.stored(out)
    except Exception:
        return {}
    return stored if isinstance(stored, dict) else {}


def _identity(site: Path) -> str | None:
    from generator.incremental import store

    try:
        return store.site_identity(site)
    except OSError:
        return None


class _Builds:
    """The build folders of the site at `out`, in `.site.builds/`: `<id>` a site, `<id>.work` its build's
    scratch, `<id>.link` the link about to be published, `<id>.legacy` a site an earlier version made."""

    def __init__(self, out: Path):
        self.out, self.folder = out, builds_folder(out)
        self.fd = -1

    def lock(self) -> None:
        """Waits for any other build of this site (or what a killed one left running: see _Replica)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.folder / _LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Đang chờ một lần xây dựng khác vào {self.out} kết thúc…", file=sys.stderr, flush=True)
            fcntl.flock(self.fd, fcntl.LOCK_EX)

    def unlock(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def new(self) -> Path:
        """A name for a new build folder, after every one before it."""
        return self.folder / f"{time.time_ns():020d}-{os.getpid()}"

    def current(self) -> Path | None:
        """The folder the site is in now: its link's build folder, an earlier version's real folder, or None."""
        if not os.path.lexists(self.out):
            # Published by the fallback of publish(), killed between its two renames: the earlier site is put back.
            legacy = sorted(p for p in self.folder.glob("*.legacy") if p.is_dir())
            if legacy:
                self._link(legacy[-1])
        if self.out.is_symlink():
            folder = self.folder / os.readlink(self.out).rpartition("/")[2]
            return folder if folder.is_dir() else None
        if self.out.is_dir():
            return self.out
        if os.path.lexists(self.out):
            raise BuildError(f"{self.out} đã có và không phải thư mục trang: hãy chọn --out khác")
        return None

    def before(self, current: Path | None) -> Path | None:
        """The site the link left for `current`: kept until the next publication, for readers still in it."""
        if current is None or current.parent != self.folder:
            return None
        older = sorted(e for e in self._sites() if e < current.name)
        return self.folder / older[-1] if older else None

    def spare(self, current: Path | None, readers: Path | None) -> Path | None:
        """A build folder no reader can be in any more (replaced two publications ago, or left by a failed
        or killed build), for the next rebuild to recycle: the newest, most like the site now."""
        others = [e for e in self._sites() if self.folder / e not in (current, readers)]
        return self.folder / max(others) if others else None

    def _sites(self) -> list[str]:
        return [e for e in os.listdir(self.folder) if _BUILD.fullmatch(e) and (self.folder / e).is_dir()]

    def publish(self, site: Path, current: Path | None) -> Path | None:
        """Turns the site's link to `site` in one rename(2); returns the folder the site was in, now in
        `.site.builds/` (an earlier version's folder is moved there)."""
        link = self.folder / f"{site.name}.link"
        os.symlink(f"{self.folder.name}/{site.name}", link)
        checkpoint("publish")
        if current is not None and current == self.out:  # an earlier version's real folder
            # Named as a build just before this one: kept like the folder a link left (before()).
            current = self.folder / f"{int(site.name.partition('-')[0]) - 1:020d}-{os.getpid()}.legacy"
            try:
                _exchange(link, self.out)  # the link at `site`, the old folder at the link's name: at once
                os.rename(link, current)
            except OSError as exc:
                if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):
                    raise
                # A file system without RENAME_EXCHANGE: for a moment there is no `site` (current() recovers).
                os.rename(self.out, current)
                os.rename(link, self.out)
        else:
            os.rename(link, self.out)
        checkpoint("published")
        return current

    def _link(self, site: Path) -> None:
        link = self.folder / f"{site.name}.link"
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(f"{self.folder.name}/{site.name}", link)
        os.rename(link, self.out)

    def tidy(self, keep: set[Path | None], *, abandoned: bool = False) -> None:
        """Discards every entry of `.site.builds/` but the lock and `keep`. With `abandoned`, also what
        was left beside the site to delete and is not being deleted (its deleter killed), and the scratch
        folders of earlier versions (`.build-*`)."""
        try:
            for name in os.listdir(self.folder):
                if name != _LOCK and self.folder / name not in keep and _ENTRY.fullmatch(name):
                    self.discard(self.folder / name)
            if abandoned:
                for old in self.out.parent.glob(f".{self.out.name}.old-*"):
                    _delete_in_background(old)
                for old in self.out.parent.glob(".build-*"):
                    if (
                        _LEGACY_WORK.fullmatch(old.name)
                        and old.is_dir()
                        and all(_LEGACY_WORK_ENTRY.fullmatch(e) for e in os.listdir(old))
                    ):
                        self.discard(old)
        except OSError:  # tidying is for the disk's sake: the build is not failed for it, the next one tries again
            pass

    def discard(self, path: Path) -> None:
        """Renames `path` out of the way beside the site (a name `make clean` knows) and deletes it in the
        background."""
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        elif path.is_dir():
            old = self.out.with_name(f".{self.out.name}.old-{os.getpid()}-{time.time_ns()}")
            try:
                os.rename(path, old)
            except OSError:  # no room even for a new name (a full disk): deleted here, which frees it
                shutil.rmtree(path, ignore_errors=True)
                return
            _delete_in_background(old)


# What an earlier version's build left beside the site: a tempfile.mkdtemp(prefix=".build-") folder of these.
_LEGACY_WORK = re.compile(r"\.build-[a-z0-9_]{8}")
_LEGACY_WORK_ENTRY = re.compile(r"site|pagefind-source|delta-site|old-pagefind.*|mkdocs-.*")


def _exchange(a: Path, b: Path) -> None:
    """renameat2(RENAME_EXCHANGE): `a` and `b` trade places at once."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        raise OSError(errno.ENOSYS, "renameat2") from None
    at_cwd, exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), exchange) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(b))


class _Replica:
    """Makes the folder `target` a replica of the site in `source` whose files are the same files (hard links),
    in a process of its own while this one makes the model and the pages. A folder an earlier build left
    (`recycled`) has only what differs linked anew (a walk of both trees); a new one is linked whole
    (`cp -Rl`: in C, faster than the same links made from Python). Either holds the build's lock, so a
    build started after this one was killed waits for it to end."""

    def __init__(self, source: Path, target: Path, lock: int, *, recycled: bool):
        from generator import parallel

        self.source, self.target = source, target
        self.pid = 0
        self.proc: subprocess.Popen | None = None
        if recycled:
            parent = os.getpid()
            self.pid = os.fork()
            if self.pid == 0:
                code = 1
                try:
                    parallel.die_with(parent)
                    _replicate(source, target)
                    code = 0
                except OSError as exc:
                    code = exc.errno if exc.errno in (errno.ENOSPC, errno.EDQUOT) else 1
                finally:
                    os._exit(code)
        else:
            try:
                self.proc = subprocess.Popen(
                    ["cp", "-Rl", "--", str(source), str(target)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    pass_fds=(lock,),
                    env={**os.environ, "LC_ALL": "C"},
                )
            except OSError:
                pass

    def wait(self) -> None:
        if self.pid:
            code = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
            self.pid = 0
            if code == 0:
                return
            if code in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFull(self.target)
        elif self.proc is not None:
            _, err = self.proc.communicate()
            if self.proc.returncode == 0:
                return
            if b"No space left on device" in err or b"Disk quota exceeded" in err:
                raise DiskFull(self.target)
        _replicate(self.source, self.target)  # failed there (a cp without -l: not GNU): made here after all

    def abandon(self) -> None:
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _related(folder: Path, site: Path) -> bool:
    """Whether `folder` shares files with `site` (built since the last build from nothing): recycled, it
    then has only what changed linked anew; otherwise every file, which takes longer than a new copy."""
    try:
        with os.scandir(site) as it:
            for entry in it:
                if entry.is_file(follow_symlinks=False):
                    try:
                        if os.lstat(folder / entry.name).st_ino == entry.inode():
                            return True
                    except OSError:
                        continue
    except OSError:
        pass
    return False


def _replicate(source: Path, target: Path) -> None:
    """Makes `target` hold what `source` holds, as hard links to its files: an entry that is the same file
    already is left, one that differs is linked anew, one `source` lacks is removed. From any state of
    `target`: a folder whose replication was cut short is replicated again."""
    os.makedirs(target, exist_ok=True)
    pending = [(str(source), str(target))]
    while pending:
        src, dst = pending.pop()
        with os.scandir(src) as it:
            have = {e.name: e for e in it}
        with os.scandir(dst) as it:
            was = {e.name: e for e in it}
        for name, entry in have.items():
            there, old = os.path.join(dst, name), was.pop(name, None)
            if entry.is_dir(follow_symlinks=False):
                if old is not None and not old.is_dir(follow_symlinks=False):
                    os.unlink(there)
                    old = None
                if old is None:
                    os.mkdir(there)
                pending.append((entry.path, there))
                continue
            if old is not None:
                if not old.is_dir(follow_symlinks=False) and old.inode() == entry.inode():
                    continue
                _remove(old)
            try:
                os.link(entry.path, there, follow_symlinks=False)
            except OSError as exc:  # a file system without hard links: a copy
                if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
                    raise
                shutil.copy2(entry.path, there, follow_symlinks=False)
        for old in was.values():
            _remove(old)


def _remove(entry: os.DirEntry) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def _commit(staged: Path, site: Path, stale: set[str]) -> None:
    """Moves what this build made into the new site, over the files linked from the previous one (an entry
    replaced, never written through: they are the previous site's files too), and takes out what no page
    makes any more."""
    made: set[str] = set()
    for root, _dirs, files in os.walk(staged):
        rel = os.path.relpath(root, staged)
        target = site if rel == "." else site / rel
        if files and rel not in made:
            target.mkdir(parents=True, exist_ok=True)
            made.add(rel)
        for name in files:
            os.replace(os.path.join(root, name), target / name)
    for rel in sorted(stale):
        path = site / rel
        path.unlink(missing_ok=True)
        while path.parent != site and not any(path.parent.iterdir()):
            path.parent.rmdir()
            path = path.parent


def _delete_in_background(folder: Path) -> None:
    """Deletes `folder`, already out of the way, in a process of its own: `make site` need not wait for
    the deletion of a site of tens of thousands of files. The process holds a lock on the folder while it
    deletes it, so a later build tells a folder whose deleter was killed (deleted again) from one still
    being deleted (left to it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        subprocess.Popen(
            ["rm", "-rf", "--", str(folder)],
            start_new_session=True,
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except BlockingIOError:
        pass  # being deleted
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(fd)
