"""The HTTP API and the widget's files, in-process through Starlette's TestClient."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import write_two_drugs

pytest.importorskip("starlette", reason="the web extra is not installed")

from starlette.testclient import TestClient

from faqbot.answer import Answer
from faqbot.bot import MAX_QUESTION, Bot, load_knowledge
from faqbot.errors import FaqbotError
from faqbot.outcome import Status
from faqbot.render import to_dict
from faqbot.web import create_app

CONTRACT = {*to_dict(Answer("q", "text", "disclaimer", Status.ANSWERED)), "session_id", "drug"}
ClientFactory = Callable[..., TestClient]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def two_drug_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    """A bot over two drugs with the same topics."""
    return Bot(load_knowledge(write_two_drugs(tmp_path_factory.mktemp("two") / "knowledge")))


@pytest.fixture
def clock() -> Clock:
    """A fresh hand-moved clock."""
    return Clock()


@pytest.fixture
def make_client(two_drug_bot: Bot, clock: Clock) -> Iterator[ClientFactory]:
    """Builds a TestClient over the two-drug bot with any create_app options."""
    clients: list[TestClient] = []

    def make(client: tuple[str, int] = ("testclient", 50000), **options: Any) -> TestClient:
        made = TestClient(create_app(two_drug_bot, clock=clock, **options), client=client)
        clients.append(made)
        return made

    yield make
    for made in clients:
        made.close()


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    """A client over an app with the default options."""
    return make_client()


def ask(client: TestClient, question: str, session_id: str | None = None) -> dict[str, Any]:
    """POST /api/ask and return the JSON, checking it succeeded."""
    body = (
        {"question": question}
        if session_id is None
        else {"question": question, "session_id": session_id}
    )
    response = client.post("/api/ask", json=body)
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return reply


# --- the contract and sessions ----------------------------------------------------------------


def test_ask_returns_the_contract_with_session_and_drug(client: TestClient) -> None:
    """An answer has exactly the JSON contract's keys plus session_id and drug."""
    reply = ask(client, "does zelvorine cause nausea")
    assert set(reply) == CONTRACT
    assert reply["entry"]["id"] == "zelvorine:side-effects/nausea"
    assert reply["drug"] == "Zelvorine"
    assert len(reply["session_id"]) >= 20


@pytest.mark.parametrize(
    "question", ["does zelvorine cause nausea", "what's the dose for kids", ""]
)
def test_every_answer_carries_its_disclaimer(
    client: TestClient, two_drug_bot: Bot, question: str
) -> None:
    """Answers, fallbacks and empty questions all carry the bot's disclaimer for them."""
    reply = ask(client, question)
    assert reply["disclaimer"]
    assert reply["disclaimer"] == two_drug_bot.ask(question).disclaimer


def test_follow_up_in_the_session_stays_on_the_drug(client: TestClient) -> None:
    """'what about sweating?' is answered about the drug asked about before, in one session."""
    first = ask(client, "does zelvorine cause nausea")
    follow = ask(client, "what about sweating?", first["session_id"])
    assert follow["session_id"] == first["session_id"]
    assert follow["entry"]["id"] == "zelvorine:side-effects/sweating"
    assert follow["drug"] == "Zelvorine"
    alone = ask(client, "what about sweating?")
    assert alone["entry"] is None  # without the session, no drug is in focus


@pytest.mark.parametrize("session_id", ["no-such-session", "x" * 500, None])
def test_unknown_or_missing_session_starts_a_new_one(
    client: TestClient, session_id: str | None
) -> None:
    """An id the server does not hold (or none) gets a fresh session and a new id."""
    reply = ask(client, "does zelvorine cause nausea", session_id)
    assert reply["session_id"] not in {session_id, None}
    assert client.get("/healthz").json()["sessions"] == 1


def test_session_expires_after_its_ttl(make_client: ClientFactory, clock: Clock) -> None:
    """A session is kept while used within the ttl, and forgotten once idle for longer."""
    client = make_client(session_ttl=60)
    sid = ask(client, "does zelvorine cause nausea")["session_id"]
    clock.now += 59
    assert ask(client, "what about sweating?", sid)["session_id"] == sid
    clock.now += 59  # idle time counts from the last use
    assert ask(client, "what about sweating?", sid)["session_id"] == sid
    clock.now += 60
    fresh = ask(client, "what about sweating?", sid)
    assert fresh["session_id"] != sid
    assert fresh["entry"] is None
    assert client.get("/healthz").json()["sessions"] == 1


def test_session_cap_evicts_the_least_recently_used(make_client: ClientFactory) -> None:
    """With a cap of two, a third session evicts the one used longest ago, not the oldest."""
    client = make_client(max_sessions=2)
    first = ask(client, "does zelvorine cause nausea")["session_id"]
    second = ask(client, "does milnacipran cause nausea")["session_id"]
    assert ask(client, "hello", first)["session_id"] == first  # first is now the most recent
    ask(client, "hello")  # a third session
    assert client.get("/healthz").json()["sessions"] == 2
    assert ask(client, "hello", first)["session_id"] == first
    assert ask(client, "hello", second)["session_id"] != second


def test_urgent_answers_are_flagged(client: TestClient) -> None:
    """An emergency question is flagged urgent and its text leads with the notice."""
    reply = ask(client, "I want to kill myself")
    assert reply["urgent"] is True
    assert "\n\n" in reply["answer"]


# --- bad requests -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\xff\xfe\xfa", "not valid JSON"),
        (b"[" * 3000 + b"]" * 3000, "nested too deeply"),
        (b'["does it cause nausea"]', "must be a JSON object"),
        (b'{"q": "nausea"}', "unknown field 'q'"),
        (b'{"session_id": "abc"}', "field 'question' is required"),
        (b'{"question": 3}', "field 'question' must be a string, not a number"),
        (b'{"question": null}', "field 'question' must be a string, not null"),
        (b'{"question": "x", "session_id": 5}', "field 'session_id' must be a string or null"),
        (b'{"question": "x", "session_id": ["a"]}', "not an array"),
    ],
)
def test_malformed_requests_get_400_naming_the_problem(
    client: TestClient, body: bytes, message: str
) -> None:
    """Bad JSON or wrong fields get 400 and a JSON error that names the field."""
    response = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_question_longer_than_the_bot_reads_gets_400(client: TestClient) -> None:
    """A question over MAX_QUESTION characters is refused, naming the field and the limit."""
    response = client.post("/api/ask", json={"question": "a" * (MAX_QUESTION + 1)})
    assert response.status_code == 400
    assert f"field 'question' is {MAX_QUESTION + 1} characters" in response.json()["error"]
    assert ask(client, "a" * MAX_QUESTION)["question"] == "a" * MAX_QUESTION


def test_body_over_the_limit_gets_413_by_content_length(make_client: ClientFactory) -> None:
    """A declared Content-Length over max_body is refused before the body is read."""
    client = make_client(max_body=100)
    response = client.post("/api/ask", json={"question": "x" * 200})
    assert response.status_code == 413
    assert response.json() == {"error": "request body is larger than 100 bytes"}
    assert client.post("/api/ask", json={"question": "x" * 50}).status_code == 200


def test_streamed_body_over_the_limit_gets_413(make_client: ClientFactory) -> None:
    """A chunked body (no Content-Length) is cut off once its streamed size passes max_body."""
    client = make_client(max_body=100)

    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        yield b"x" * 200
        yield b'"}'

    response = client.post("/api/ask", content=chunks())
    assert response.status_code == 413
    assert "larger than 100 bytes" in response.json()["error"]


def test_too_many_requests_get_429_with_retry_after(
    make_client: ClientFactory, clock: Clock
) -> None:
    """Past the rate limit a client gets 429 and Retry-After; other clients and later are fine."""
    client = make_client(rate_limit=(2, 60.0))
    assert client.post("/api/ask", json={"question": "hi"}).status_code == 200
    assert client.get("/api/drugs").status_code == 200
    refused = client.post("/api/ask", json={"question": "hi"})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "30"
    assert "too many requests" in refused.json()["error"]
    assert client.get("/healthz").status_code == 200  # health checks are not limited
    other = make_client(client=("192.0.2.7", 4000), rate_limit=(2, 60.0))
    assert other.post("/api/ask", json={"question": "hi"}).status_code == 200
    clock.now += 30
    assert client.post("/api/ask", json={"question": "hi"}).status_code == 200


def test_unknown_paths_and_methods_get_json_errors(client: TestClient) -> None:
    """404 and 405 are JSON errors too, and 405 says which method is allowed."""
    missing = client.get("/api/nope")
    assert missing.status_code == 404
    assert missing.json() == {"error": "Not Found: GET /api/nope"}
    wrong = client.get("/api/ask")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "POST"
    assert "error" in wrong.json()


# --- CORS -------------------------------------------------------------------------------------

PREFLIGHT = {"origin": "https://shop.example", "access-control-request-method": "POST"}


def test_cors_is_off_by_default(client: TestClient) -> None:
    """Without allowed origins, no response carries CORS headers and preflights fail."""
    response = client.post(
        "/api/ask", json={"question": "hi"}, headers={"origin": "https://shop.example"}
    )
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/api/ask", headers=PREFLIGHT)
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allow_list_admits_only_listed_origins(make_client: ClientFactory) -> None:
    """A listed origin may call the API and read Retry-After; an unlisted one gets no grant."""
    client = make_client(allow_origins=["https://shop.example"])
    preflight = client.options(
        "/api/ask", headers={**PREFLIGHT, "access-control-request-headers": "content-type"}
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://shop.example"
    allowed = client.post(
        "/api/ask", json={"question": "hi"}, headers={"origin": "https://shop.example"}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
    assert "retry-after" in allowed.headers["access-control-expose-headers"].lower()
    other = client.post(
        "/api/ask", json={"question": "hi"}, headers={"origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    "origin", ["https://shop.example/", "shop.example", "https://shop.example/help", "ftp://x"]
)
def test_an_origin_that_cannot_match_is_a_clear_error(two_drug_bot: Bot, origin: str) -> None:
    """An allowed origin with a path, slash or no scheme would never match: refused up front."""
    with pytest.raises(FaqbotError, match="is not an origin: write scheme://host"):
        create_app(two_drug_bot, allow_origins=[origin])


# --- the other routes -------------------------------------------------------------------------


def test_healthz_reports_drugs_and_sessions(client: TestClient) -> None:
    """/healthz says ok with how many drugs are loaded and sessions held."""
    assert client.get("/healthz").json() == {"status": "ok", "drugs": 2, "sessions": 0}
    ask(client, "hello")
    assert client.get("/healthz").json()["sessions"] == 1


def test_drugs_lists_titles_filtered_and_limited(client: TestClient) -> None:
    """/api/drugs lists titles alphabetically; ?q= filters by any case; ?limit= cuts."""
    assert client.get("/api/drugs").json() == {"drugs": ["Milnacipran", "Zelvorine"], "total": 2}
    assert client.get("/api/drugs?q=ZELV").json() == {"drugs": ["Zelvorine"], "total": 1}
    assert client.get("/api/drugs?limit=1").json() == {"drugs": ["Milnacipran"], "total": 2}
    assert client.get("/api/drugs?q=nothing").json() == {"drugs": [], "total": 0}


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "1001"])
def test_drugs_with_a_bad_limit_gets_400(client: TestClient, limit: str) -> None:
    """A limit outside 1..1000 is refused, naming the parameter."""
    response = client.get(f"/api/drugs?limit={limit}")
    assert response.status_code == 400
    assert "'limit'" in response.json()["error"]


def test_openapi_describes_every_api_route_and_the_contract(client: TestClient) -> None:
    """The schema lists each API route, and its Answer requires exactly the keys sent."""
    schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert set(schema["paths"]) == {"/api/ask", "/api/drugs", "/healthz"}
    answer = schema["components"]["schemas"]["Answer"]
    assert set(answer["required"]) == set(answer["properties"]) == CONTRACT
    entry = ask(client, "does zelvorine cause nausea")["entry"]
    assert set(answer["properties"]["entry"]["required"]) == set(entry)
    assert entry["kind"] in answer["properties"]["entry"]["properties"]["kind"]["enum"]
    ask_fields = schema["components"]["schemas"]["AskRequest"]["properties"]
    assert set(ask_fields) == {"question", "session_id"}


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/widget.js", "text/javascript; charset=utf-8"),
        ("/widget.css", "text/css; charset=utf-8"),
        ("/demo.css", "text/css; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
    ],
)
def test_widget_files_are_served_with_their_types(
    client: TestClient, path: str, content_type: str
) -> None:
    """Each file is served with its content type and nosniff."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content


def test_widget_files_revalidate_by_etag(client: TestClient) -> None:
    """A client holding the current widget.js gets 304 with no body."""
    etag = client.get("/widget.js").headers["etag"]
    again = client.get("/widget.js", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get("/widget.js", headers={"if-none-match": '"old"'}).status_code == 200


def test_demo_page_embeds_the_widget_under_a_strict_csp(client: TestClient) -> None:
    """The demo page loads widget.js by one script tag, runs no inline script, and says so."""
    response = client.get("/", headers={"host": "help.example"})
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts == ['<script src="/widget.js" data-title="Medication questions" defer>']
    assert 'data-server="http://help.example"' in response.text  # the snippet it shows


def test_widget_never_inserts_html() -> None:
    """widget.js builds its DOM with createElement and textContent only."""
    source = (Path(__file__).parents[1] / "faqbot" / "static" / "widget.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source
    assert "textContent" in source
