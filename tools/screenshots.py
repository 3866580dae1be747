"""Screenshots of the Đức Cơ plan page for docs/screenshots/ (make screenshots).

Builds the seed content (content/) into a temporary folder, serves it, and photographs the plan page with
Debian's Chromium through Playwright: plan-390.png (a phone, 390×844: its first two screens) and plan-1280.png
(a desktop, 1280×900: its first two screens). `--full` photographs whole pages instead.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build.pipeline import build_site  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, lay_out_all, serve  # noqa: E402

PLAN = "gia-lai/duc-co/2023-chinh-quyen-so/"
SIZES = ((390, 844), (1280, 900))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--full", action="store_true", help="whole pages, not their first two screens")
    parser.add_argument("--anchor", default="", help="a part of the page to open at, e.g. kinh-phi")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ck-screens-") as tmp:
        site = Path(tmp) / "site"
        build_site(ROOT / "content", ROOT / "site_config.yml", site, index=False)
        with serve(site) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for width, height in SIZES:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(f"{base}/{PLAN}" + (f"#{args.anchor}" if args.anchor else ""))
                    page.wait_for_load_state("networkidle")
                    name = f"plan-{width}" + (f"-{args.anchor}" if args.anchor else "") + ".png"
                    target = args.out / name
                    if args.full or args.anchor:
                        if args.full:  # the tables below the screen, laid out as when scrolled to
                            lay_out_all(page)
                        page.screenshot(path=str(target), full_page=args.full)
                    else:
                        page.screenshot(
                            path=str(target),
                            full_page=True,
                            clip={"x": 0, "y": 0, "width": width, "height": 2 * height},
                        )
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                    page.close()
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
