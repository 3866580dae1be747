import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def basic_content(tmp_path: Path) -> Path:
    """A private copy of tests/fixtures/basic (content/ + site_config.yml)."""
    copy = tmp_path / "basic"
    shutil.copytree(FIXTURES / "basic", copy)
    return copy


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright (tests/browser.py): one browser for the whole run."""
    from tests.browser import browser

    with browser() as b:
        yield b
