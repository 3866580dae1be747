"""Placeholder until the agencies view is written: contributes no pages yet."""
from __future__ import annotations


def pages(portal) -> list:
    return []
