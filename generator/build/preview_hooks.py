"""MkDocs hook of `make serve` only: while the content has errors, every preview page says so at its top.

serve.py writes the errors to `loi-noi-dung.txt` in the preview's docs folder (which also makes MkDocs
rebuild and the browser reload) and empties it once the content is valid again. Loaded by MkDocs from its
file path, so it imports nothing from the package.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

ERRORS_FILE = "loi-noi-dung.txt"


def on_post_page(output: str, page, config) -> str:
    path = Path(config["docs_dir"]) / ERRORS_FILE
    try:
        text = path.read_text("utf-8").strip()
    except OSError:
        return output
    if not text:
        return output
    banner = (
        '<div role="alert" style="position:sticky;top:0;z-index:1000;background:#b00020;color:#fff;'
        'padding:1em;font:15px/1.5 sans-serif;white-space:pre-wrap">'
        "<strong>Nội dung có lỗi: bản xem trước dưới đây là bản hợp lệ gần nhất.</strong>\n"
        f"{html.escape(text)}</div>"
    )
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, output, count=1)
