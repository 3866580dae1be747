"""Index: Pagefind over the built site, into `site/pagefind/`."""
from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import BuildError


def index(site: Path) -> None:
    from pagefind_bin import get_executable

    cmd = [str(get_executable()), "--site", str(site), "--force-language", "vi", "--quiet"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"Pagefind: {result.stderr.strip() or result.stdout.strip()}")
