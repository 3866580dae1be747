"""`site_config.yml`: what a portal operator sets (not content)."""

from __future__ import annotations

from pathlib import Path

from generator.content.load import load_yaml
from generator.content.messages import validated  # the same error translation as content
from generator.content.schema import SiteConfig
from generator.errors import ContentErrors


def load_config(path: Path) -> SiteConfig:
    doc, errors = load_yaml(path, path.parent / "_") if path.exists() else (None, [])
    if not path.exists():
        from generator.errors import ContentError

        raise ContentErrors([ContentError(str(path), 1, 1, "", "không tìm thấy tệp cấu hình cổng")])
    config = validated(doc, SiteConfig, errors) if doc else None
    if errors or config is None:
        raise ContentErrors(errors)
    return config
