"""The web server under abuse: bind errors, deadlines, size limits, caps, drained 413s, and
requests that used to be 500s. In-process where the app decides; a real ``serve()`` subprocess
on a free port where the server does (timeouts, caps, drains, logs)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import resource
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from conftest import KNOWLEDGE

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("httptools", reason="the guarded server needs httptools")

import uvicorn
from starlette.testclient import TestClient

from faqbot.bot import Bot, load_knowledge
from faqbot.errors import FaqbotError
from faqbot.web import create_app, serve
from faqbot.web.connections import LOG_EVERY, Guard, Waiting, reply
from faqbot.web.limits import DRAIN_BYTES, MAX_CLIENT_KEY, ConnectionLimits, RateLimiter

# --- a real server in a subprocess --------------------------------------------------------

SERVE = """
import sys
from faqbot.bot import Bot, load_knowledge
from faqbot.web import serve
from faqbot.web.limits import ConnectionLimits
port, head, body, most, knowledge = sys.argv[1:]
limits = ConnectionLimits(float(head), float(body), max_head=4096, max_connections=int(most))
serve(Bot(load_knowledge(knowledge)), port=int(port), connection_limits=limits)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Running:
    """A ``serve()`` subprocess on a free port; its log is read from ``mark()`` on."""

    def __init__(self, folder: Path, head: float, body: float, most: int, files: int = 0) -> None:
        self.port = free_port()
        self.log = folder / f"serve-{self.port}.log"
        self._mark = 0

        def limit_files() -> None:
            if files:
                resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

        command = [sys.executable, "-c", SERVE, str(self.port), str(head), str(body), str(most)]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [*command, str(KNOWLEDGE)], stdout=out, stderr=subprocess.STDOUT,
                preexec_fn=limit_files if files else None,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while "faqbot serving on" not in self.text():
            assert self.process.poll() is None, self.text()
            assert time.monotonic() < deadline, "the server did not start in 30 s"
            time.sleep(0.05)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def mark(self) -> None:
        self._mark = len(self.text())

    def since_mark(self) -> str:
        return self.text()[self._mark :]

    def stop(self) -> str:
        self.process.send_signal(2)  # SIGINT, as Ctrl-C
        self.process.wait(15)
        return self.text()


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A server whose heads and bodies must arrive within half a second."""
    running = Running(tmp_path_factory.mktemp("quick"), head=0.5, body=0.5, most=64)
    yield running
    assert "Traceback" not in running.stop()


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A server holding at most 16 connections, with long deadlines."""
    running = Running(tmp_path_factory.mktemp("capped"), head=30, body=30, most=16)
    yield running
    assert "Traceback" not in running.stop()


def connect(port: int, timeout: float = 5) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)


def read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes (or resets) the connection."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def status(data: bytes) -> int:
    return int(data.split(b" ", 2)[1]) if data else 0


def get(port: int, path: str = "/healthz") -> bytes:
    with connect(port) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        return read_all(sock)


def wait_for(condition: Callable[[], bool], seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


POST_HEAD = "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"


def test_a_slow_head_gets_408_while_healthz_answers(quick: Running) -> None:
    """Connections that never finish their head get 408 at the deadline; others are served."""
    slow = [connect(quick.port) for _ in range(20)]
    try:
        for sock in slow:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        start = time.monotonic()
        assert status(get(quick.port)) == 200
        assert time.monotonic() - start < 1
        replies = [read_all(sock) for sock in slow]
    finally:
        for sock in slow:
            sock.close()
    assert {status(r) for r in replies} == {408}
    assert b"did not arrive within 0.5 s" in replies[0]


def test_an_idle_connection_is_closed_at_the_head_deadline(quick: Running) -> None:
    """A connection that sends nothing is closed, without a reply, once the deadline passes."""
    with connect(quick.port) as sock:
        start = time.monotonic()
        assert read_all(sock) == b""
        assert 0.3 < time.monotonic() - start < 3


def test_a_head_over_the_limit_gets_431(quick: Running) -> None:
    """A request head over max_head bytes gets 431; one under it is served."""
    with connect(quick.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"x" * 5000 + b"\r\n\r\n")
        reply = read_all(sock)
    assert status(reply) == 431
    assert b"larger than 4096 bytes" in reply
    with connect(quick.port) as sock:
        sock.sendall(
            b"GET /healthz HTTP/1.1\r\nConnection: close\r\nX-A: " + b"x" * 3000 + b"\r\n\r\n"
        )
        assert status(read_all(sock)) == 200


def test_keep_alive_and_pipelined_requests_still_work(quick: Running) -> None:
    """Deadlines restart per request: two requests apart and two pipelined are all answered."""
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    with connect(quick.port) as sock:
        sock.sendall(request)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        time.sleep(0.3)
        sock.sendall(request + request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
        both = read_all(sock)
    assert both.count(b"HTTP/1.1 200 ") == 2


def test_a_slow_body_gets_408_and_one_log_line(quick: Running) -> None:
    """A body that stops arriving gets 408 at the body deadline, logged in one line."""
    quick.mark()
    with connect(quick.port) as sock:
        sock.sendall(f"{POST_HEAD}Content-Length: 100\r\n\r\n".encode() + b'{"question"')
        reply = read_all(sock)
    assert status(reply) == 408
    assert wait_for(lambda: "left after 11 bytes" in quick.since_mark())
    said = quick.since_mark()
    assert "Traceback" not in said
    assert "Exception in ASGI" not in said


def test_a_disconnect_mid_body_logs_one_line(quick: Running) -> None:
    """A client that leaves in the middle of its body costs one log line, not a traceback."""
    quick.mark()
    with connect(quick.port) as sock:
        sock.sendall(f"{POST_HEAD}Content-Length: 1000\r\n\r\n".encode() + b"0123456789")
        time.sleep(0.05)
    assert wait_for(lambda: "left after 10 bytes" in quick.since_mark())
    time.sleep(0.1)
    said = quick.since_mark()
    assert said.count("\n") == 1, said
    assert "Exception in ASGI" not in said


def test_at_the_cap_the_longest_waiting_connection_makes_room(capped: Running) -> None:
    """With 16 connections open, a newcomer is served and the oldest idle one is closed."""
    idle = [connect(capped.port) for _ in range(16)]
    try:
        time.sleep(0.2)  # all accepted
        assert status(get(capped.port)) == 200
        idle[0].settimeout(2)
        assert read_all(idle[0]) == b""
        idle[-1].settimeout(0.2)
        with pytest.raises(TimeoutError):
            idle[-1].recv(1)  # the newest idle connection is still open
    finally:
        for sock in idle:
            sock.close()


def test_when_no_connection_waits_a_newcomer_gets_503(capped: Running) -> None:
    """When every connection is busy (here: in a body), a newcomer gets 503, not a hang."""
    busy = [connect(capped.port) for _ in range(16)]
    try:
        for sock in busy:
            sock.sendall(f"{POST_HEAD}Content-Length: 100\r\n\r\n".encode())
        time.sleep(0.2)
        reply = get(capped.port)
        assert status(reply) == 503
        assert b"the server is busy" in reply
    finally:
        for sock in busy:
            sock.close()
    assert wait_for(lambda: status(get(capped.port)) == 200)


def test_every_client_sending_2_mb_reads_the_413(capped: Running) -> None:
    """Ten clients at once send 2 MB with Connection: close, then read: each reads the 413."""
    replies: list[bytes] = []
    body = b'{"question": "' + b"x" * (2 * 1024 * 1024) + b'"}'

    def send(n: int) -> None:
        with connect(capped.port, timeout=30) as sock:
            head = f"{POST_HEAD}Connection: close\r\nX-Forwarded-For: 10.0.0.{n}\r\n"
            with contextlib.suppress(OSError):
                sock.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
            replies.append(read_all(sock))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [status(r) for r in replies] == [413] * 10
    assert b"request body is larger than 16384 bytes" in replies[0]


@pytest.mark.slow
def test_slowloris_against_few_files_leaves_healthz_answering(tmp_path: Path) -> None:
    """400 slow connections against a server allowed 256 files: /healthz answers within 1 s,
    and the log holds no traceback and no 'Too many open files'."""
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft < 600:
        pytest.skip(f"this test opens 400 connections; it may open {soft} files")
    running = Running(tmp_path, head=10, body=10, most=2048, files=256)
    stop = threading.Event()

    def slow() -> None:  # as slowloris does: a header line a second, again when closed
        while not stop.is_set():
            try:
                with connect(running.port) as sock:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                    while not stop.wait(1):
                        sock.sendall(b"X-Padding: slow\r\n")
            except OSError:
                time.sleep(0.05)

    attackers = [threading.Thread(target=slow, daemon=True) for _ in range(400)]
    try:
        for thread in attackers:
            thread.start()
        time.sleep(1)
        took = []
        for _ in range(10):
            start = time.monotonic()
            assert status(get(running.port)) == 200
            took.append(time.monotonic() - start)
            time.sleep(0.1)
    finally:
        stop.set()
        log = running.stop()
    assert max(took) < 1, took
    assert "Traceback" not in log
    assert "Too many open files" not in log
    assert "closed to make room" in log


# --- binding: one line naming the value and the fix ----------------------------------------


@pytest.fixture
def no_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail, rather than serve forever, should serve() ever get past binding."""

    def refuse(self: uvicorn.Server, sockets: Any = None) -> None:
        raise AssertionError("serve() got as far as running uvicorn")

    monkeypatch.setattr(uvicorn.Server, "run", refuse)


@pytest.mark.usefixtures("no_run")
def test_a_port_in_use_is_one_line_naming_it(shipped_bot: Bot) -> None:
    """A port something listens on is refused, naming the address and the fix."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(FaqbotError) as caught:
            serve(shipped_bot, port=port)
    assert str(caught.value) == (
        f"cannot listen on 127.0.0.1:{port}: the address is in use; "
        "stop what uses it or pass --port"
    )


@pytest.mark.usefixtures("no_run")
@pytest.mark.parametrize("port", [0, -1, 65536, 99999])
def test_a_port_out_of_range_is_one_line(shipped_bot: Bot, port: int) -> None:
    """A port outside 1..65535 is refused, naming it, before anything is bound."""
    with pytest.raises(FaqbotError, match=rf"^cannot listen on 127\.0\.0\.1:{port}: the port "):
        serve(shipped_bot, port=port)


@pytest.mark.usefixtures("no_run")
@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("192.0.2.1", "the address is not one of this machine's; pass --host"),
        ("a" * 100, "that is not a host name or address; pass --host"),
        ("no-such-host.invalid", "the host is not known"),
    ],
)
def test_a_host_that_cannot_be_bound_is_one_line(
    shipped_bot: Bot, host: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A host not of this machine, not a name, or not known: one line naming it and the fix."""
    if host.endswith(".invalid"):  # no resolver is asked

        def unknown(*args: object, **kwargs: object) -> None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

        monkeypatch.setattr(socket, "getaddrinfo", unknown)
    with pytest.raises(FaqbotError) as caught:
        serve(shipped_bot, host=host, port=8000)
    said = str(caught.value)
    assert message in said
    assert "\n" not in said
    assert said.startswith(f"cannot listen on {host[:77]}")


def test_without_httptools_serve_falls_back_to_h11_with_uvicorns_bounds(
    shipped_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where httptools is missing (PyPy), uvicorn's h11 runs with the head size and connection
    cap it offers itself."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "httptools" else real(name)
    )
    seen: list[uvicorn.Config] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: seen.append(self.config))
    serve(shipped_bot, port=free_port(), connection_limits=ConnectionLimits(max_connections=100))
    assert seen[0].http == "h11"
    assert seen[0].limit_concurrency == 100
    assert seen[0].h11_max_incomplete_event_size == ConnectionLimits().max_head


def test_the_open_files_limit_is_raised_toward_what_serving_needs() -> None:
    """A soft limit of 256 open files is raised toward what is wanted, up to the hard limit."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    script = (
        "import resource; from faqbot.web.listen import open_files_limit; "
        "print(open_files_limit(4000), resource.getrlimit(resource.RLIMIT_NOFILE)[0])"
    )

    def lower() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))

    done = subprocess.run(
        [sys.executable, "-c", script], preexec_fn=lower, capture_output=True, text=True
    )
    expected = 4000 if hard == resource.RLIM_INFINITY else min(4000, hard)
    assert done.stdout.split() == [str(expected)] * 2, done.stderr


def test_connection_limits_must_be_positive() -> None:
    """A limit of 0 is a ValueError naming the limit."""
    with pytest.raises(ValueError, match="head_timeout must be above 0, got 0"):
        ConnectionLimits(head_timeout=0)


def test_waiting_gives_the_overdue_oldest_first() -> None:
    """Waiting connections come out oldest first, only those past the deadline."""
    waiting = Waiting()
    conns: list[Any] = [object(), object(), object()]
    for at, conn in zip([1.0, 2.0, 3.0], conns, strict=True):
        waiting.start(conn, at)
    waiting.start(conns[0], 4.0)  # began waiting again: now the newest
    assert waiting.oldest() is conns[1]
    assert waiting.overdue(3.0) == [conns[1], conns[2]]
    assert len(waiting) == 1


def test_failed_accepts_are_counted_into_one_line(caplog: pytest.LogCaptureFixture) -> None:
    """asyncio's 'out of system resource' on accept is counted, not logged with a traceback,
    and what was closed is reported in one line at most every LOG_EVERY seconds."""
    guard = Guard(ConnectionLimits())
    loop = asyncio.new_event_loop()
    try:
        failed = OSError(errno.EMFILE, "Too many open files")
        with caplog.at_level("WARNING"):
            for _ in range(100):
                context = {"message": "socket.accept() out of system resource", "exception": failed}
                guard._loop_error(loop, context)
            guard.report(100.0)
            guard.count("idle for 10 s")
            guard.report(100.0 + LOG_EVERY / 2)  # too soon: kept for the next line
            guard.report(100.0 + LOG_EVERY)
    finally:
        loop.close()
    assert [r.getMessage() for r in caplog.records] == [
        "connections closed: 100 not accepted: out of file descriptors (asyncio retries in 1 s)",
        "connections closed: 1 idle for 10 s",
    ]


def test_openapi_describes_what_the_server_itself_sends(client: TestClient) -> None:
    """Every path documents the server's own 408, 431 and 503, as JSON errors."""
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for operation in operations.values():
            assert {"408", "431", "503"} <= set(operation["responses"]), path
    assert json.loads(reply(431, "x").split(b"\r\n\r\n", 1)[1]) == {"error": "x"}


# --- the app: 400s where there were 500s ------------------------------------------------------


@pytest.fixture
def client(shipped_bot: Bot) -> Iterator[TestClient]:
    """A TestClient over the shipped knowledge."""
    with TestClient(create_app(shipped_bot)) as made:
        yield made


@pytest.mark.parametrize(
    "body",
    [
        '{"question": "hi", "session_id": 1%s}',
        '{"question": 1%s}',
        '{"question": "hi", "deep": [[{"n": -1%s}]]}',
    ],
)
def test_a_huge_integer_anywhere_in_the_body_gets_400(client: TestClient, body: str) -> None:
    """An integer over Python's 4,300-digit limit is a 400 naming the problem, not a 500."""
    response = client.post("/api/ask", content=body % ("0" * 5000))
    assert response.status_code == 400
    assert "holds a number 5,001 digits long; no field takes a number" in response.json()["error"]


def test_a_lone_surrogate_is_replaced_not_a_500(client: TestClient) -> None:
    """A lone surrogate in the question becomes U+FFFD, and one in session_id starts a session."""
    response = client.post("/api/ask", content=b'{"question": "nausea \\ud800 milnacipran"}')
    assert response.status_code == 200
    assert response.json()["question"] == "nausea \ufffd milnacipran"
    other = client.post("/api/ask", content=b'{"question": "hi", "session_id": "\\udc00"}')
    assert other.status_code == 200
    assert other.json()["session_id"] != "\udc00"


@pytest.mark.parametrize("limit", ["²", "٣", "３", "0" * 5000, "1" + "0" * 5000, " 3"])
def test_drugs_limit_takes_ascii_digits_only(client: TestClient, limit: str) -> None:
    """Superscripts, other scripts' digits and overlong numbers are refused with 400."""
    response = client.get("/api/drugs", params={"limit": limit})
    assert response.status_code == 400
    assert "'limit' must be a whole number 1..1000" in response.json()["error"]


# --- the app: bodies, disconnects, the limiter ----------------------------------------------


def call(app: Any, headers: dict[str, str], chunks: list[bytes], leave: bool = False) -> Any:
    """POST /api/ask straight through ASGI; the response start and how many chunks were read
    by then. With ``leave`` the client disconnects after the chunks."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/ask",
        "raw_path": b"/api/ask",
        "query_string": b"",
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    read = 0
    started: list[tuple[dict[str, Any], int]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read < len(chunks):
            read += 1
            more = read < len(chunks) or leave
            return {"type": "http.request", "body": chunks[read - 1], "more_body": more}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            started.append((message, read))

    asyncio.run(app(scope, receive, send))
    return started[0] if started else (None, read)


def header(start: dict[str, Any], name: str) -> str | None:
    found = [v for k, v in start["headers"] if k.decode().lower() == name]
    return found[0].decode() if found else None


def test_a_body_over_the_limit_is_read_whole_before_the_413(shipped_bot: Bot) -> None:
    """Past max_body the rest is still read and dropped, then 413 on a connection kept open."""
    app = create_app(shipped_bot, max_body=100)
    chunks = [b"x" * 100] * 50
    start, read = call(app, {"content-length": "5000"}, chunks)
    assert start["status"] == 413
    assert read == 50
    assert header(start, "connection") is None


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_past_the_drain_bound_gets_413_and_close(shipped_bot: Bot, declared: bool) -> None:
    """A body declared or streamed past DRAIN_BYTES is not read on: 413 and Connection: close."""
    app = create_app(shipped_bot, max_body=100)
    chunk = b"x" * 65536
    count = DRAIN_BYTES // len(chunk) + 10
    headers = {"content-length": str(count * len(chunk))} if declared else {}
    start, read = call(app, headers, [chunk] * count)
    assert start["status"] == 413
    assert header(start, "connection") == "close"
    assert read == (0 if declared else DRAIN_BYTES // len(chunk) + 1)


def test_a_client_waiting_for_100_continue_is_refused_before_sending(shipped_bot: Bot) -> None:
    """A too-large body announced with Expect: 100-continue is refused unread, then closed."""
    app = create_app(shipped_bot, max_body=100)
    headers = {"content-length": "5000", "expect": "100-continue"}
    start, read = call(app, headers, [b"x" * 5000])
    assert start["status"] == 413
    assert read == 0
    assert header(start, "connection") == "close"


def test_a_client_leaving_mid_body_logs_one_line(
    shipped_bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    """A disconnect in the middle of the body is one INFO line from faqbot.web, no exception."""
    app = create_app(shipped_bot)
    with caplog.at_level("INFO", logger="faqbot.web"):
        call(app, {"content-length": "1000"}, [b'{"question": "ab'], leave=True)
    assert [r.getMessage() for r in caplog.records] == [
        "client 127.0.0.1 left after 16 bytes of its request body"
    ]


def test_the_limiter_holds_at_most_max_clients_least_recently_used_first() -> None:
    """Past max_clients the bucket used longest ago is forgotten; a recent one is kept."""
    limiter = RateLimiter(1, 60.0, lambda: 0.0, max_clients=3)
    assert limiter.retry_after("a") == 0
    assert limiter.retry_after("b") == 0
    assert limiter.retry_after("a") > 0  # a is now the most recently used, and empty
    assert limiter.retry_after("c") == 0
    assert limiter.retry_after("d") == 0  # b goes
    assert len(limiter) == 3
    assert limiter.retry_after("a") > 0
    assert limiter.retry_after("b") == 0  # forgotten, so full again


def test_long_client_names_are_kept_as_short_keys() -> None:
    """1,500 distinct 1 MB client names hold a few kB, and each still counts as one client."""
    limiter = RateLimiter(1, 60.0, lambda: 0.0)
    base = "x" * (1024 * 1024)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(1500):
            limiter.retry_after(f"{n}.{base}")
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 1024 * 1024, held
    assert limiter.retry_after(f"7.{base}") > 0  # the same long name: the same bucket
    assert limiter.retry_after(f"{base}.7") == 0  # another one, sharing its prefix, is not
    assert all(len(key) <= MAX_CLIENT_KEY + 1 for key in limiter._buckets)


def test_a_429_names_a_long_client_briefly(shipped_bot: Bot) -> None:
    """A 429 for a client with a huge address says so in a short message."""
    app = create_app(shipped_bot, rate_limit=(1, 60.0))
    with TestClient(app, client=("y" * 50_000, 1)) as client:
        assert client.get("/api/drugs").status_code == 200
        refused = client.get("/api/drugs")
    assert refused.status_code == 429
    assert len(refused.json()["error"]) < 120


def test_long_questions_wait_their_turn_behind_short_ones() -> None:
    """Long questions take a lane of their own: a short one sent with three long ones is
    answered first, not after all of them."""
    import httpx

    from faqbot.session import Session
    from faqbot.web.app import LONG_QUESTION

    answered: list[int] = []
    real_ask = Session.ask

    def ask(self: Session, question: str) -> Any:
        answered.append(len(question))
        return real_ask(self, question)

    app = create_app(Bot(load_knowledge(KNOWLEDGE)), rate_limit=(1000, 60.0))
    long_question = "does milnacipran cause " + "nausea " * (LONG_QUESTION // 7 + 1)

    async def send_all() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            sent = [client.post("/api/ask", json={"question": long_question}) for _ in range(3)]
            sent.append(client.post("/api/ask", json={"question": "is it addictive"}))
            return [r.status_code for r in await asyncio.gather(*sent)]

    with mock.patch.object(Session, "ask", ask):
        assert asyncio.run(send_all()) == [200] * 4
    assert answered[0] == len("is it addictive")
    assert sorted(answered[1:]) == [len(long_question)] * 3
