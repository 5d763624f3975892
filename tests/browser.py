"""Debian's Chromium for Playwright, and a page that records its dialogs, errors and requests."""

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Dialog, Page, Response

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
