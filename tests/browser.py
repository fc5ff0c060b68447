"""Headless Chromium for the browser tests: Debian's chromium and chromium-driver, driven by
Selenium (never a downloaded browser: Selenium is pointed at /usr/bin/chromedriver).

Run as a script, it saves a full-page screenshot of a report (how docs/images/report-sample.png
is made):

    python -m tests.browser REPORT.html docs/images/report-sample.png
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMEDRIVER = Path(os.environ.get("KG_CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))


def missing() -> str | None:
    """Why the browser cannot run here, or None."""
    for path in (CHROMEDRIVER, CHROMIUM):
        if not path.is_file() and shutil.which(str(path)) is None:
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    return None


@contextmanager
def chromium(width: int = 1280, height: int = 1000) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--hide-scrollbars",
                     "--no-first-run", "--disable-extensions", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: Any) -> list[str]:
    """What the page logged at error level (and uncaught exceptions)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def requested_urls(driver: Any) -> list[str]:
    """Every URL the browser asked for since the last call, from the DevTools network log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def resource_entries(driver: Any) -> list[str]:
    """The page's own account of what it loaded beyond itself (Resource Timing)."""
    names: list[str] = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return names


def full_page_png(driver: Any) -> bytes:
    """The whole page, not only the window, as PNG."""
    size = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}},
    )  # fmt: skip
    return base64.b64decode(shot["data"])


def main(arguments: list[str]) -> None:
    report, target = Path(arguments[0]).resolve(), Path(arguments[1])
    with chromium(width=1200) as driver:
        driver.get(report.as_uri())
        target.write_bytes(full_page_png(driver))


if __name__ == "__main__":
    main(sys.argv[1:])
