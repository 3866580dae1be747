"""`make serve`: says where it really serves, refuses a NUL byte in a path, shows content errors in the page."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.helpers import ROOT, copy_fixture, generator_command


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def _wait(url: str, timeout: float = 40) -> str:
    deadline = time.time() + timeout
    while True:
        try:
            return _get(url)[1]
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def _serve(folder, port: int, log, tmp: Path | None = None) -> subprocess.Popen:
    """`python -m generator serve` on the content in `folder`, its output in `log`, in a process group of its own
    (with `tmp` as its temporary folder when given)."""
    with log.open("w") as out:
        return subprocess.Popen(
            generator_command(folder, "serve", "--port", str(port)),
            cwd=folder.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), **({"TMPDIR": str(tmp)} if tmp else {})},
        )


def test_serve_address_nul_path_and_error_banner(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    port = 8500 + os.getpid() % 200
    log = tmp_path / "serve.log"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = _serve(folder, port, log, tmp)
    base = f"http://127.0.0.1:{port}/cong-khai/"
    try:
        assert "Trần Văn Ký" in _wait(base + "tinh-mau/huyen-mau/2023-ke-hoach/")
        deadline = time.time() + 10
        while f"Xem trước tại {base} " not in log.read_text() and time.time() < deadline:
            time.sleep(0.2)
        assert f"Xem trước tại {base} " in log.read_text()  # the subpath it serves, printed once it answers
        assert _get(base + "index.html%00.txt")[0] == 400
        plan = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
        plan.write_text(plan.read_text("utf-8").replace("title:", "title: ''\nx_title:", 1), "utf-8")
        deadline = time.time() + 30
        page = ""
        while time.time() < deadline and 'role="alert"' not in page:
            time.sleep(0.5)
            page = _get(base)[1]
        assert 'role="alert"' in page and "2023-ke-hoach.yml" in page
        assert "2023-ke-hoach.yml" in log.read_text()  # and in the terminal
        assert list(tmp.iterdir())  # MkDocs' server builds the preview there
        os.killpg(proc.pid, signal.SIGTERM)  # as `kill` or `docker stop` stop it
        assert proc.wait(timeout=20) == 0  # a stop asked for, not a failure
        assert list(tmp.iterdir()) == []  # and it takes its copy of the site away
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_serve_started_on_broken_content_opens_once_it_is_fixed(tmp_path):
    folder = copy_fixture("basic", tmp_path)
    plan = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
    good = plan.read_text("utf-8")
    plan.write_text(good.replace("title:", "title: ''\nx_title:", 1), "utf-8")
    port = 8700 + os.getpid() % 200
    log = tmp_path / "serve.log"
    proc = _serve(folder, port, log)
    try:
        deadline = time.time() + 30
        while "bản xem trước mở khi nội dung hợp lệ" not in log.read_text() and time.time() < deadline:
            time.sleep(0.3)
        assert "2023-ke-hoach.yml" in log.read_text() and proc.poll() is None  # says what is wrong, keeps waiting
        plan.write_text(good, "utf-8")
        assert "Trần Văn Ký" in _wait(f"http://127.0.0.1:{port}/cong-khai/tinh-mau/huyen-mau/2023-ke-hoach/")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
