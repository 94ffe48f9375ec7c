"""The help widget in a real headless Chromium, against a real uvicorn server on loopback.

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and Playwright's Python package; Playwright's
own browser download is not used. Skipped, saying which is missing, when either is absent.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import ROOT, missing_tool, write_two_drugs

from faqbot.bot import Bot, load_knowledge

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, FloatRect, Page

uvicorn = pytest.importorskip("uvicorn", reason="the web extra (uvicorn) is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = ROOT / "docs" / "widget.png"
WIDGET_AREA: FloatRect = {"x": 580, "y": 48, "width": 420, "height": 672}  # panel and launcher
XSS = "<img src=x onerror=alert(1)>"
TIMEOUT_MS = 10_000

if not Path(CHROMIUM).is_file():
    missing_tool(f"chromium not found at {CHROMIUM} (apt-get install chromium)")

from faqbot.web import create_app  # noqa: E402

expect = sync_api.expect


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A uvicorn server in a thread on a free loopback port, over two drugs; yields its URL."""
    bot = Bot(load_knowledge(write_two_drugs(tmp_path_factory.mktemp("web") / "knowledge")))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(bot), log_level="warning", loop="asyncio")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        assert thread.is_alive(), "the server thread died"
        assert time.monotonic() < deadline, "the server did not start in 10 s"
        time.sleep(0.02)
    host, port = sock.getsockname()
    yield f"http://{host}:{port}"
    running.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the Debian package."""
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh tab (empty sessionStorage) on the demo page, failing on any dialog it opens."""
    context = browser.new_context(viewport={"width": 1000, "height": 720})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    opened.on("dialog", on_dialog)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(server + "/")
    yield opened
    context.close()
    assert dialogs == [], "the page opened a dialog"
    assert errors == [], "the page raised a script error"


def ask(page: Page, question: str) -> dict[str, Any]:
    """Type ``question`` into the open widget, send it with Enter, return the server's JSON."""
    before = page.locator(".faqbot-bot").count()
    with page.expect_response(lambda r: r.url.endswith("/api/ask")) as response:
        page.locator("#faqbot-input").fill(question)
        page.locator("#faqbot-input").press("Enter")
    expect(page.locator(".faqbot-bot")).to_have_count(before + 1)
    reply: dict[str, Any] = response.value.json()
    return reply


def open_with_keyboard(page: Page) -> None:
    """Tab to the launcher (the page has links before it) and press Enter."""
    launcher = page.locator(".faqbot-launcher")
    for _ in range(10):
        page.keyboard.press("Tab")
        if launcher.evaluate("el => el.getRootNode().activeElement === el"):
            break
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#faqbot-input")).to_be_focused()


def test_ask_see_answer_and_follow_up_after_reload(page: Page) -> None:
    """Answer and disclaimer show; after a reload the same session answers a follow-up."""
    open_with_keyboard(page)
    panel = page.get_by_role("dialog", name="Medication questions")
    expect(panel).to_be_visible()
    first = ask(page, "does zelvorine cause nausea")
    answer = page.locator(".faqbot-bot").last
    expect(answer.locator(".faqbot-topic")).to_have_text("Zelvorine › Nausea")
    expect(answer.locator(".faqbot-text")).to_have_text(first["answer"])
    expect(answer.locator(".faqbot-disclaimer")).to_have_text(first["disclaimer"])

    page.reload()
    expect(panel).to_be_visible()  # reopened after the page change, with the conversation
    expect(page.locator(".faqbot-bot")).to_have_count(1)
    follow = ask(page, "what about sweating?")
    assert follow["session_id"] == first["session_id"]
    assert follow["entry"]["id"] == "zelvorine:side-effects/sweating"
    expect(page.locator(".faqbot-bot").last.locator(".faqbot-topic")).to_have_text(
        "Zelvorine › Sweating"
    )
    page.evaluate("() => window.scrollTo(0, 0)")  # the same picture on every run
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), clip=WIDGET_AREA)


def test_markup_in_a_question_shows_as_text(page: Page) -> None:
    """A question that is HTML is shown as its text; no element is made and no script runs."""
    page.locator(".faqbot-launcher").click()
    reply = ask(page, XSS)
    assert reply["question"] == XSS
    expect(page.locator(".faqbot-user").last).to_have_text("You: " + XSS)
    assert page.locator("img").count() == 0  # CSS locators reach into the widget's shadow root
    assert page.evaluate("() => document.images.length") == 0


def test_suggestions_are_buttons_that_ask(page: Page) -> None:
    """A fallback's suggestions are buttons; pressing one asks it and gets its entry."""
    page.locator(".faqbot-launcher").click()
    reply = ask(page, "what's the dose for kids on zelvorine")
    assert reply["suggestions"]
    first = page.locator(".faqbot-suggestions button").first
    expect(first).to_have_text(reply["suggestions"][0])
    with page.expect_response(lambda r: r.url.endswith("/api/ask")) as picked:
        first.focus()
        page.keyboard.press("Enter")
    assert picked.value.json()["entry"]["title"] == reply["suggestions"][0]


def test_escape_closes_and_focus_returns_to_the_launcher(page: Page) -> None:
    """Escape inside the panel closes it and puts focus back on the launcher."""
    launcher = page.locator(".faqbot-launcher")
    launcher.click()
    expect(page.locator("#faqbot-input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_be_focused()


def test_network_failure_shows_a_retry_that_works(page: Page) -> None:
    """When the server can't be reached the widget says so and its Try again button recovers."""
    page.route("**/api/ask", lambda route: route.abort())
    page.locator(".faqbot-launcher").click()
    page.locator("#faqbot-input").fill("does zelvorine cause nausea")
    page.locator("#faqbot-input").press("Enter")
    failure = page.locator(".faqbot-error")
    expect(failure).to_contain_text("Couldn't reach the help server")
    expect(page.locator(".faqbot-status")).to_have_text("")  # not left "answering"
    page.unroute("**/api/ask")
    failure.get_by_role("button", name="Try again").click()
    expect(page.locator(".faqbot-bot .faqbot-topic")).to_have_text("Zelvorine › Nausea")
    expect(failure).to_have_count(0)
