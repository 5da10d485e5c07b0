"""Screenshot a class report (one HTML file) for the README, in Debian's headless Chromium.

    .venv/bin/python tools/screenshot_report.py out/bench/class30/report.html docs/img/report-break.png
"""

from __future__ import annotations

import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"  # Playwright cannot download its own browsers here
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def screenshot(report: Path, png: Path, width: int = 1200) -> Path:
    from playwright.sync_api import sync_playwright

    png.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(report.resolve().as_uri())
            page.screenshot(path=str(png), full_page=True)
        finally:
            browser.close()
    return png


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip())
        return 2
    report, png = Path(argv[0]), Path(argv[1])
    if not report.exists():
        print(f"No report at {report}: run `make bench` (or `smiley-checks grade`) first.")
        return 2
    print(screenshot(report, png))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
