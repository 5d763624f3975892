"""Debian's Chromium for Playwright, the app served on 127.0.0.1, and a page that records its
dialogs, errors and requests."""

import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Dialog, Page, Response, sync_playwright
from werkzeug.serving import make_server

from search_web import create_app

ARTIFACTS = Path(__file__).parent.parent / "artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
# Root needs --no-sandbox; the rest keep Chromium off the network and quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The hostile payloads call alert(); wrapping it leaves a global behind that outlives a dialog.
CANARY = """for (const name of ["alert", "confirm", "prompt"]) {
  const original = window[name];
  window[name] = function (...args) {
    window.__payload_ran = name;
    return original.apply(this, args);
  };
}"""
# Every element and attribute of the page: scripts, event handlers, javascript: URLs, and
# elements the hostile pages would add if parsed (img onerror, iframe, the login form).
DOM_AUDIT = """() => ({
  scripts: [...document.scripts].map((s) => [s.getAttribute("src"), s.text]),
  handlers: [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes]
    .filter((a) => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value))
    .map((a) => `${el.tagName} ${a.name}=${a.value}`)),
  embedded: document.querySelectorAll("iframe, img, object, embed, form[action='/login']").length,
  canary: window.__payload_ran ?? null,
})"""


@dataclass
class Tab:
    """A page plus what it reported: dialogs, errors, requests and navigation responses."""

    page: Page
    name: str
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    navigations: list[Response] = field(default_factory=list)
    steps: int = 0

    def __post_init__(self) -> None:
        def on_dialog(dialog: Dialog) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", on_dialog)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on(
            "response",
            lambda r: r.request.is_navigation_request() and self.navigations.append(r),
        )

    def snap(self, step: str) -> None:
        """A full-page screenshot per step, so a failure can be looked at afterwards."""
        self.steps += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{self.steps:02d}-{step}.png"
        self.page.screenshot(path=path, full_page=True)


@contextmanager
def serving(index_dir: Path) -> Iterator[str]:
    """The app over an index, served on a free port of 127.0.0.1: its base URL."""
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless; fails, never skips, where `make system` did not run."""
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: run `make system` (apt-get install chromium)"
    fonts = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    # Chinese in pages and screenshots needs a CJK font.
    assert fonts.strip(), "no CJK font: run `make system` (apt-get install fonts-wqy-microhei)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def new_tab(browser: Browser, base_url: str, test_name: str) -> Iterator[Tab]:
    """A tab in a fresh context (no cookie of another test), its old screenshots removed; our
    pages must never throw or open dialogs, whatever the test looked at."""
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(10_000)  # a missing element fails in seconds, not 30
    context.add_init_script(CANARY)
    name = re.sub(r"[^\w.-]+", "_", test_name).strip("_")
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()  # screenshots of an earlier run would pass for this one's
    tab = Tab(context.new_page(), name)
    yield tab
    context.close()
    assert not tab.page_errors, tab.page_errors
    assert not tab.dialogs, tab.dialogs
