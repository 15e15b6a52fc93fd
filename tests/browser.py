"""Helpers for the Playwright browser tests (not a test module).

The `browser` fixture in tests/conftest.py uses `launch_chromium`; tests use `axe_violations`
to check a page against WCAG 2.2 AA and `screenshot` to keep a picture of what they saw.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
SCREENSHOT_ATTEMPTS = 3


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def launch_chromium(playwright):
    """Launch Debian's Chromium through Playwright; raises if it is missing or will not start."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"Chromium is not installed at {CHROMIUM} (run `make browser`).")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def axe_violations(page) -> list:
    """Run axe-core on the page (WCAG 2.0/2.1 A and AA, 2.2 AA) and return its violations."""
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing (run `make assets`).")
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [v for v in (_without_govuk_conditional_radios(v) for v in result["violations"]) if v["nodes"]]


def _without_govuk_conditional_radios(violation: dict) -> dict:
    """GOV.UK Frontend's radios script sets aria-expanded on a radio that reveals a conditional
    block: invalid for the radio role, which axe reports, kept on purpose by the Design System as
    screen readers announce it (a known issue: alphagov/govuk-frontend#979). Only that is set aside:
    a radio with any other disallowed attribute, and every other element, is still reported."""
    if violation["id"] != "aria-allowed-attr":
        return violation

    def govuk_reveal(node: dict) -> bool:
        attributes = [value for check in node.get("any", []) + node.get("all", [])
                      for value in ((check.get("data") or {}).get("values") or [])]
        return ('type="radio"' in node.get("html", "") and "aria-controls=" in node.get("html", "")
                and bool(attributes) and all(str(a).startswith("aria-expanded=") for a in attributes))

    return {**violation, "nodes": [node for node in violation["nodes"] if not govuk_reveal(node)]}


def describe_violations(violations: list) -> str:
    """One line per violation and affected element, for assertion messages."""
    lines = []
    for violation in violations:
        for node in violation.get("nodes", []):
            lines.append(f"{violation['id']}: {violation['help']} -> {' '.join(node.get('target', []))}")
    return "\n".join(lines)


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page (the whole page, or the first screen) as test-output/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import Error as PlaywrightError  # here: the rest of the suite runs without Playwright

    path = SCREENSHOTS / f"{name}.png"
    for attempt in range(SCREENSHOT_ATTEMPTS):
        try:
            page.screenshot(path=str(path), full_page=full_page)
            return path
        except PlaywrightError as error:
            # Headless Chromium now and then answers CDP's captureScreenshot with "Unable to
            # capture screenshot" when its compositor has no frame ready (seen once in CI with
            # both test workers busy; the pages are well under its 16,384 px limit). The page is
            # the same, so a short wait and another try is a fair retry; anything else is raised.
            if "Unable to capture screenshot" not in str(error) or attempt == SCREENSHOT_ATTEMPTS - 1:
                raise
            page.wait_for_timeout(500)
    raise AssertionError("unreachable")
