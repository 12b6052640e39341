"""Driving Debian's Chromium with Playwright against a real `fieldcheck serve` process.

Without /usr/bin/chromium (or the playwright package) the browser tests skip with the reason; in CI
(CI=true) they fail instead, so a CI run can never pass without having run them.
"""
import os
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager

import pytest

from tests.e2e.test_serve import _free_port, _wait_for

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SCREENSHOTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "screenshots")
AXE = os.path.join(os.path.dirname(__file__), "vendor", "axe-core", "axe.min.js")


def require_browser():
    missing = None
    if not os.path.exists(CHROMIUM):
        missing = f"{CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the playwright package is missing (pip install -e '.[test]')"
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot be skipped in CI: {missing}")
    if missing:
        pytest.skip(missing)


def serve(app, services):
    """Start `fieldcheck serve` on the test's database, Redis and media; returns (base URL, process)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDCHECK_")}
    env.update(DATABASE_URL=str(app.config["SQLALCHEMY_DATABASE_URI"]), REDIS_URL=services.redis_url,
               SECRET_KEY=app.config["SECRET_KEY"], FIELDCHECK_DATA_KEY=app.config["DATA_KEY"],
               MEDIA_ROOT=app.config["MEDIA_ROOT"], FIELDCHECK_INSTANCE=app.instance_path,
               PUBLIC_URL=f"http://127.0.0.1:{port}")
    process = subprocess.Popen([sys.executable, "-m", "server", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    _wait_for(base + "/healthz", process)
    return base, process


@contextmanager
def browser_site(app, services, **world):
    """`fieldcheck serve` on the test's app and a headless Chromium; yields {base, browser, serve, **world}
    and stops both after the test."""
    from playwright.sync_api import sync_playwright

    base, process = serve(app, services)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield {"base": base, "browser": browser, "serve": process, **world}
        finally:
            browser.close()
            stop(process)


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


def screenshot(page, name):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def serious_violations(page):
    """axe-core's serious and critical accessibility violations on the page, as (id, help, count)."""
    page.add_script_tag(path=AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["help"], len(v["nodes"])) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def has_chromium():
    return shutil.which(CHROMIUM) is not None
