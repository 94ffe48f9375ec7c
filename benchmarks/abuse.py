"""Attacks on faqbot, each against a real ``faqbot serve`` or CLI subprocess, with figures.

    python benchmarks/abuse.py [--quick] [--only NAME ...] [--knowledge DIR] [--corpus DIR]

Server attacks, each on a fresh ``faqbot serve`` (so its peak memory is the attack's), while a
probe process asks ordinary questions on new connections (their p50) and GETs /healthz:

- ``slowloris``: 1,100 connections that send a header line every 2 s and never finish, once
  with the server allowed 1,024 open files in all (soft and hard), once with only the soft
  limit at 1,024 (the server raises it).
- ``big-bodies``: 30 clients at once send 2 MB bodies with ``Connection: close`` and then
  read; how many read the 413.
- ``costly-questions``: eight clients send 2,000-character questions of random words, as
  fast as they are answered.
- ``spoofed-xff``: 1,500 requests with 1 MB X-Forwarded-For values (uvicorn trusts it from
  loopback), eight at a time; then 20,000 requests with distinct 8 kB values, under the head
  limit, that reach the rate limiter. Server memory before and after.

CLI attacks, each a subprocess (time and peak memory from wait4), capped at 2 GB of address
space and 60 s: a YAML alias bomb knowledge file for ``faqbot check``, an alias bomb
``lexicon.yaml`` for ``faqbot ask``, knowledge files with very many FAQs, and kill -9 during
``faqbot import`` (of the corpus when present, else of generated pages), after which no
``.yaml`` may differ from a whole import's and the next import must remove leftover ``.tmp``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from replies import read_reply

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "rxhive-v1"
ORDINARY = "does milnacipran cause nausea"
MB = 1024 * 1024


@dataclass(frozen=True)
class Row:
    """One attack's figures; None where a figure does not apply."""

    attack: str
    result: str
    seconds: float
    peak_mb: float | None
    p50_ms: float | None = None
    target: str = ""
    met: bool | None = None


@dataclass(frozen=True)
class Settings:
    quick: bool
    knowledge: str | None
    corpus: Path | None


# --- the server and its probe -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``faqbot serve`` on a free loopback port, optionally with a limit on open files."""

    def __init__(self, knowledge: str | None, files: tuple[int, int] | None = None) -> None:
        self.port = free_port()
        self.log = Path(tempfile.mkstemp(prefix="faqbot-serve-", suffix=".log")[1])
        command = [sys.executable, "-m", "faqbot", "serve", "--port", str(self.port)]
        command += ["--knowledge", knowledge] if knowledge else []

        def limit_files() -> None:
            if files is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, files)

        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, preexec_fn=limit_files
            )
        deadline = time.monotonic() + 60
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                said = self.log_text()
                self.stop()
                sys.exit(f"faqbot serve did not start:\n{said}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        try:
            return http_get(self.port, "/healthz", timeout=1)[0] == 200
        except OSError:
            return False

    def memory_mb(self) -> tuple[float, float]:
        """The server's resident memory now and at its peak, in MB."""
        found = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
        return found["VmRSS"], found["VmHWM"]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.unlink(missing_ok=True)


def http_get(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


# Runs in its own process, so the attack's event loop does not delay its clock: argv is port,
# seconds. Every 50 ms, on a new connection, one ordinary question (its own address, so the
# rate limit never answers) or GET /healthz; prints the latencies in ms as JSON.
PROBE = r"""
import json, socket, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
body = json.dumps({"question": sys.argv[3]}).encode()
def once(request):
    start = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(request)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        ok = data.startswith(b"HTTP/1.1 200 ")
    except OSError:
        ok = False
    return (time.perf_counter() - start) * 1000, ok
found = {"ask": [], "healthz": [], "failed": 0}
end, n = time.monotonic() + seconds, 0
while time.monotonic() < end:
    n += 1
    if n % 2:
        head = (f"POST /api/ask HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                f"Content-Type: application/json\r\nX-Forwarded-For: 10.99.{n >> 8 & 255}.{n & 255}"
                f"\r\nContent-Length: {len(body)}\r\n\r\n")
        ms, ok = once(head.encode() + body)
        found["ask"].append(ms)
    else:
        ms, ok = once(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        found["healthz"].append(ms)
    found["failed"] += not ok
    time.sleep(max(0.0, 0.05 - ms / 1000))
print(json.dumps(found))
"""


@dataclass(frozen=True)
class Probed:
    ask: list[float]
    healthz: list[float]
    failed: int

    @property
    def p50(self) -> float:
        return statistics.median(self.ask) if self.ask else float("nan")


def start_probe(port: int, seconds: float) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", PROBE, str(port), str(seconds), ORDINARY]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def probe_result(probe: subprocess.Popen[str]) -> Probed:
    out, _ = probe.communicate(timeout=120)
    data = json.loads(out)
    return Probed(data["ask"], data["healthz"], data["failed"])


def under_attack(
    server: Server, seconds: float, attack: Callable[[], Coroutine[Any, Any, str]]
) -> tuple[str, Probed, float]:
    """Run ``attack`` while the probe runs for ``seconds``; its result, the probe's, the time."""
    probe = start_probe(server.port, seconds)
    start = time.perf_counter()
    result = asyncio.run(attack())
    elapsed = time.perf_counter() - start
    return result, probe_result(probe), elapsed


class Attacked(NamedTuple):
    """What an attack on a fresh server gave: its result, the probe's, the time, the server's
    memory before and after (and at its peak), in MB, and its log."""

    result: str
    probed: Probed
    elapsed: float
    rss_before: float
    rss_after: float
    peak: float
    log: str


def on_fresh_server(
    settings: Settings,
    seconds: float,
    attack: Callable[[Server], Coroutine[Any, Any, str]],
    files: tuple[int, int] | None = None,
) -> Attacked:
    """Start a server, run ``attack`` on it while the probe runs for ``seconds``, stop it."""
    server = Server(settings.knowledge, files)
    try:
        before, _ = server.memory_mb()
        result, probed, elapsed = under_attack(server, seconds, lambda: attack(server))
        after, peak = server.memory_mb()
        return Attacked(result, probed, elapsed, before, after, peak, server.log_text())
    finally:
        server.stop()


def log_summary(text: str) -> str:
    tracebacks = text.count("Traceback")
    emfile = text.count("Too many open files")
    return f"log {len(text.splitlines())} lines, {tracebacks} tracebacks, {emfile} EMFILE"


# --- server attacks -----------------------------------------------------------------------


def no_attack(settings: Settings) -> list[Row]:
    async def idle(server: Server) -> str:
        await asyncio.sleep(3)
        return "ordinary requests only"

    done = on_fresh_server(settings, 3, idle)
    return [Row("none", done.result, done.elapsed, done.peak, done.probed.p50)]


async def slow_client(port: int, stop: asyncio.Event, opened: list[int]) -> None:
    """One slowloris connection, made again whenever the server closes it."""
    while not stop.is_set():
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            opened[0] += 1
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            while not stop.is_set():
                await asyncio.sleep(2)
                writer.write(b"X-Padding: slow\r\n")
                await writer.drain()
        except OSError:
            await asyncio.sleep(0.1)


async def hold_slow_connections(port: int, count: int, seconds: float) -> str:
    """Keep ``count`` slowloris connections open for ``seconds``."""
    stop = asyncio.Event()
    opened = [0]
    clients = [asyncio.create_task(slow_client(port, stop, opened)) for _ in range(count)]
    await asyncio.sleep(seconds)
    stop.set()
    for client in clients:
        client.cancel()
    await asyncio.gather(*clients, return_exceptions=True)
    return f"{count:,} slow connections, {opened[0]:,} opened in all"


def slowloris(settings: Settings) -> list[Row]:
    count = 1100
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < count + 200:
        return [Row("slowloris", f"skipped: this shell may open {hard} files", 0, None)]
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, count + 200), hard))
    seconds = 8.0 if settings.quick else 15.0
    rows = []
    for files, label in (((1024, 1024), "1024:1024"), ((1024, hard), f"1024:{hard}")):
        if settings.quick and files[1] != 1024:
            continue

        async def attack(server: Server) -> str:
            return await hold_slow_connections(server.port, count, seconds)

        done = on_fresh_server(settings, seconds, attack, files)
        probed = done.probed
        worst = max(probed.healthz, default=float("nan"))
        result = done.result + (
            f"; /healthz p50 {statistics.median(probed.healthz):.1f} ms, max {worst:.0f} ms, "
            f"{probed.failed} probes failed; {log_summary(done.log)}"
        )
        met = worst < 1000 and probed.failed == 0 and "Traceback" not in done.log
        target = "/healthz < 1 s, no traceback"
        name = f"slowloris (files {label})"
        rows.append(Row(name, result, done.elapsed, done.peak, probed.p50, target, met))
    return rows


async def big_body(port: int, n: int, size: int) -> str:
    """POST a ``size``-byte body with Connection: close, then read; the status, or 'reset'."""
    head = (
        f"POST /api/ask HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nX-Forwarded-For: 10.98.{n >> 8 & 255}.{n & 255}\r\n"
        f"Content-Length: {size}\r\n\r\n"
    ).encode()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(head + b'{"question": "' + b"x" * (size - 16) + b'"}')
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), 30)
        writer.close()
    except (OSError, asyncio.TimeoutError):
        return "reset"
    return data.split(b" ", 2)[1].decode() if data else "closed"


def big_bodies(settings: Settings) -> list[Row]:
    clients, size = 30, 2 * MB
    seconds = 3.0 if settings.quick else 6.0
    outcomes: list[str] = []

    async def attack(server: Server) -> str:
        end, rounds = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            found = await asyncio.gather(
                *(big_body(server.port, rounds * clients + n, size) for n in range(clients))
            )
            outcomes.extend(found)
            rounds += 1
        read = outcomes.count("413")
        others = sorted({o for o in outcomes if o != "413"})
        rest = f" (others: {', '.join(others)})" if others else ""
        return (
            f"{rounds} rounds of 30 clients at once sending 2 MB: {read} of "
            f"{len(outcomes)} read the 413{rest}"
        )

    done = on_fresh_server(settings, seconds, attack)
    met = outcomes.count("413") == len(outcomes)
    return [
        Row("big-bodies", done.result, done.elapsed, done.peak, done.probed.p50,
            "all read the 413", met)
    ]  # fmt: skip


def random_question(rng: random.Random, length: int = 2000) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10)))
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length]


async def costly_client(
    port: int, n: int, stop: asyncio.Event, took: list[float], rng: random.Random
) -> None:
    """Ask 2,000-character random questions one after another on one connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    k = 0
    while not stop.is_set():
        k += 1
        body = json.dumps({"question": random_question(rng)}).encode()
        head = (
            f"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"X-Forwarded-For: 10.{97 - n}.{k >> 8 & 255}.{k & 255}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        start = time.perf_counter()
        writer.write(head + body)
        await read_reply(reader)
        took.append((time.perf_counter() - start) * 1000)
    writer.close()


def costly_questions(settings: Settings) -> list[Row]:
    seconds = 5.0 if settings.quick else 10.0
    took: list[float] = []

    async def attack(server: Server) -> str:
        stop = asyncio.Event()
        rng = random.Random(10)
        clients = [
            asyncio.create_task(costly_client(server.port, n, stop, took, rng)) for n in range(8)
        ]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*clients)
        return (
            f"8 clients sent {len(took):,} questions of 2,000 characters, "
            f"each answered in p50 {statistics.median(took):.1f} ms"
        )

    done = on_fresh_server(settings, seconds, attack)
    p50 = done.probed.p50
    return [Row("costly-questions", done.result, done.elapsed, done.peak, p50, "p50 <= 20 ms",
                p50 <= 20)]  # fmt: skip


async def spoofed(port: int, n: int, size: int) -> str:
    """One GET /api/drugs whose X-Forwarded-For is ``size`` bytes; the status, or 'reset'."""
    value = f"{n}.".encode() + b"x" * size
    head = b"GET /api/drugs?limit=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(head + b"X-Forwarded-For: " + value + b"\r\n\r\n")
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), 30)
        writer.close()
    except (OSError, asyncio.TimeoutError):
        return "reset"
    return data.split(b" ", 2)[1].decode() if data else "closed"


async def spoofed_keepalive(port: int, first: int, count: int, size: int) -> list[str]:
    """``count`` GET /api/drugs on one connection, each with its own ``size``-byte address."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    statuses = []
    for n in range(first, first + count):
        value = f"{n}.".encode() + b"x" * size
        writer.write(
            b"GET /api/drugs?limit=1 HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + value + b"\r\n\r\n"
        )
        head = await read_reply(reader)
        statuses.append(head.split(b" ", 2)[1].decode())
    writer.close()
    return statuses


def spoofed_xff(settings: Settings) -> list[Row]:
    big = 500 if settings.quick else 1500
    small = 5000 if settings.quick else 20_000

    async def attack_big(server: Server) -> str:
        outcomes: list[str] = []
        queue = iter(range(big))

        async def worker() -> None:
            for n in queue:
                outcomes.append(await spoofed(server.port, n, MB))

        await asyncio.gather(*(worker() for _ in range(8)))
        counts = {o: outcomes.count(o) for o in sorted(set(outcomes))}
        said = ", ".join(f"{n} {o}" for o, n in counts.items())
        return f"{big:,} requests with 1 MB X-Forwarded-For ({said})"

    async def attack_small(server: Server) -> str:
        per = small // 8
        found = await asyncio.gather(
            *(spoofed_keepalive(server.port, k * per, per, 8000) for k in range(8))
        )
        statuses = [s for some in found for s in some]
        ok = statuses.count("200")
        return f"{len(statuses):,} requests with distinct 8 kB X-Forwarded-For ({ok:,} 200)"

    return [
        _memory_row("spoofed-xff 1 MB", settings, attack_big),
        _memory_row("spoofed-xff 8 kB", settings, attack_small),
    ]


def _memory_row(
    name: str, settings: Settings, attack: Callable[[Server], Coroutine[Any, Any, str]]
) -> Row:
    """Run ``attack`` on a fresh server; met while its memory grows by less than 50 MB."""
    done = on_fresh_server(settings, 3, attack)
    result = done.result + f"; server RSS {done.rss_before:.0f} -> {done.rss_after:.0f} MB"
    met = done.rss_after - done.rss_before < 50
    return Row(name, result, done.elapsed, done.peak, done.probed.p50, "RSS grows < 50 MB", met)


# --- CLI attacks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    code: int | None  # None: killed at the time limit
    said: str  # the first line of stderr (or stdout)


# A fresh small process that runs the command, capped, and reports its exit, time and peak
# memory (wait4) as JSON into argv[1]. Not measured from here: a child forked (or vforked) by
# this larger process starts its peak at this process's size, which exec carries over.
MEASURE = r"""
import json, os, resource, sys, time
report, cap = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    os.execv(sys.argv[3], sys.argv[3:])
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(report, "w") as out:
    json.dump([os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss / 1024], out)
"""


def measured(command: Sequence[str], cwd: Path, limit: float = 60.0) -> Run:
    """Run ``command`` to its end (or ``limit`` seconds), capped at 2 GB of address space."""
    with tempfile.TemporaryDirectory() as folder:
        report, log = Path(folder) / "report.json", Path(folder) / "out"
        launcher = [sys.executable, "-c", MEASURE, str(report), str(2048 * MB), *command]
        with log.open("wb") as out:
            process = subprocess.Popen(
                launcher, cwd=cwd, stdout=out, stderr=out, start_new_session=True
            )
            try:
                process.wait(limit)
                code, seconds, peak = json.loads(report.read_text())
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                code, seconds, peak = None, limit, float("nan")
        lines = log.read_text(errors="replace").strip().splitlines()
    said = lines[0] if lines else ""
    return Run(seconds, peak, code, said[:160])


def faqbot(*args: str) -> list[str]:
    return [sys.executable, "-m", "faqbot", *args]


def bomb(levels: int = 9) -> str:
    """A YAML alias bomb: 9 aliases of 9 aliases ... (9**levels strings once expanded)."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"[: levels - 1], strict=False):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def bomb_row(name: str, run: Run) -> Row:
    refused = run.code not in (0, None) and "Traceback" not in run.said
    result = f"exit {run.code if run.code is not None else 'killed at 60 s'}: {run.said}"
    met = refused and run.seconds < 1 and run.peak_mb < 100
    return Row(name, result, run.seconds, run.peak_mb, None, "refused in < 1 s, < 100 MB", met)


def alias_bombs(settings: Settings, work: Path) -> list[Row]:
    knowledge = work / "bomb.yaml"
    knowledge.write_text("format: 1\ntitle: Bomb\n" + bomb())
    rows = [bomb_row("alias bomb: faqbot check", measured(faqbot("check", str(knowledge)), work))]
    folder = work / "lexicon-bomb"
    folder.mkdir()
    shutil.copy(ROOT / "knowledge" / "milnacipran.yaml", folder)
    (folder / "lexicon.yaml").write_text(bomb())
    run = measured(faqbot("ask", "--knowledge", str(folder), ORDINARY), work)
    rows.append(bomb_row("alias bomb: lexicon.yaml, faqbot ask", run))
    return rows


def many_faqs(settings: Settings, work: Path) -> list[Row]:
    rows = []
    # as many as fit under the 1 MB cap on knowledge files, then the 1.4 million
    counts = [17_500, 200_000] if settings.quick else [17_500, 1_400_000]
    for count in counts:
        path = work / f"many-{count}.yaml"
        with path.open("w") as out:
            out.write("format: 1\ntitle: Manyfaqs\nfaqs:\n")
            for n in range(count):
                out.write(f"  - {{question: Question {n}?, answer: Answer {n}.}}\n")
        size = path.stat().st_size / 1e6
        run = measured(faqbot("check", str(path)), work)
        result = f"{count:,} FAQs, {size:.2f} MB: exit {run.code}: {run.said}"
        met = run.code is not None and "Traceback" not in run.said and run.seconds < 5
        rows.append(
            Row(f"many FAQs ({count:,})", result, run.seconds, run.peak_mb, None, "< 5 s", met)
        )
        path.unlink()
    return rows


PAGE = """---
title: {title}
---

# {title}

**Generic Name:** {title}

**Usage:** {title} is used to treat imaginary conditions in benchmarks. It is taken once a day.

**Side Effects:** The most common include:

* **Nausea:** This is frequently reported, especially at the start of treatment.
* **Headache:** Headaches can be mild to moderate in severity.
* **Dizziness:** Feeling lightheaded or unsteady.

**How it Works:** {title} works by changing signals in the nervous system.

**FAQs:**

* **Is {title} addictive?** No, it is not considered addictive.
* **Can I drink alcohol while taking {title}?** It's best to avoid alcohol. Ask your doctor.

**Disclaimer:** This information is for educational purposes only. Ask your doctor.
"""


def make_pages(folder: Path, count: int) -> Path:
    """``count`` generated pages, each for its own made-up drug."""
    folder.mkdir(parents=True)
    syllables = ["ba", "co", "di", "fe", "gu", "ka", "lo", "mi", "nu", "pe", "ri", "su", "to"]
    for n in range(count):
        parts, k = [], n
        for _ in range(4):
            parts.append(syllables[k % len(syllables)])
            k //= len(syllables)
        title = ("".join(parts) + "zine").capitalize()
        (folder / f"{title.lower()}.md").write_text(PAGE.format(title=title))
    return folder


def import_pages_folder(settings: Settings, work: Path) -> tuple[Path, str]:
    corpus = settings.corpus
    if corpus is not None and corpus.is_dir():
        if not settings.quick:
            return corpus, f"the corpus ({corpus})"
        subset = work / "pages"
        subset.mkdir()
        for page in sorted(corpus.rglob("*.md"))[:600]:
            shutil.copy(page, subset / page.name)
        return subset, "600 corpus pages"
    count = 600 if settings.quick else 3000
    print(f"  (no corpus at {corpus}: importing {count} generated pages)", file=sys.stderr)
    return make_pages(work / "generated", count), f"{count} generated pages"


def kill_during_import(settings: Settings, work: Path) -> list[Row]:
    pages, which = import_pages_folder(settings, work)
    reference = work / "reference"
    whole = measured(faqbot("import", str(pages), "--out", str(reference)), work, 600)
    expected = {p.name: p.read_bytes() for p in reference.glob("*.yaml")}
    out = work / "killed"
    kills = 3 if settings.quick else 6
    rng = random.Random(9)
    torn, leftovers, peak = 0, 0, whole.peak_mb
    start = time.perf_counter()
    for _ in range(kills):
        process = subprocess.Popen(
            faqbot("import", str(pages), "--out", str(out)),
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 0.9) * whole.seconds)
        process.send_signal(signal.SIGKILL)
        process.wait()
        torn += sum(p.read_bytes() != expected.get(p.name) for p in out.glob("*.yaml"))
        leftovers += len(list(out.glob("*.tmp"))) + len(list(out.glob(".*.tmp")))
    # and one .tmp as an import killed mid-write leaves it (the kills above rarely hit a write)
    planted = out / f".planted.yaml.{_dead_pid()}-0123abcd.tmp"
    planted.write_text("title: Half")
    final = measured(faqbot("import", str(pages), "--out", str(out)), work, 600)
    seconds = time.perf_counter() - start
    left = len(list(out.glob(".*.tmp"))) + len(list(out.glob("*.tmp")))
    same = {p.name: p.read_bytes() for p in out.glob("*.yaml")} == expected
    result = (
        f"{which}, {len(expected):,} files (whole import {whole.seconds:.1f} s); killed {kills} "
        f"times: {torn} files differing from the whole import's, {leftovers} .tmp left "
        f"(+1 planted); the next import: exit {final.code} (whole: {whole.code}), "
        f"{left} .tmp left, "
        f"{'every file as a whole import writes it' if same else 'FILES DIFFER'}"
    )
    met = torn == 0 and left == 0 and same
    target = "no torn file; .tmp cleaned"
    return [
        Row("kill -9 during import", result, seconds, max(peak, final.peak_mb), None, target, met),
    ]


def _dead_pid() -> int:
    """The id of a process that has exited."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# --- main ---------------------------------------------------------------------------------

SERVER_ATTACKS: dict[str, Callable[[Settings], list[Row]]] = {
    "none": no_attack,
    "slowloris": slowloris,
    "big-bodies": big_bodies,
    "costly-questions": costly_questions,
    "spoofed-xff": spoofed_xff,
}
CLI_ATTACKS: dict[str, Callable[[Settings, Path], list[Row]]] = {
    "alias-bomb": alias_bombs,
    "many-faqs": many_faqs,
    "kill-import": kill_during_import,
}


@contextmanager
def workspace() -> Iterator[Path]:
    """A temporary folder, with HOME and the XDG folders in it (no real cache is touched)."""
    with tempfile.TemporaryDirectory(prefix="faqbot-abuse-") as name:
        folder = Path(name)
        saved = dict(os.environ)
        os.environ["HOME"] = str(folder / "home")
        for var, sub in (("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
            os.environ[var] = str(folder / "home" / sub)
        os.environ.pop("FAQBOT_KNOWLEDGE", None)
        try:
            yield folder
        finally:
            os.environ.clear()
            os.environ.update(saved)


def table(rows: list[Row]) -> list[str]:
    lines = [
        f"{'attack':<38} {'time':>8} {'peak MB':>8} {'p50 ms':>7}  {'target':<28} met",
        "-" * 100,
    ]
    for r in rows:
        peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "-"
        p50 = f"{r.p50_ms:.1f}" if r.p50_ms is not None else "-"
        met = {True: "yes", False: "NO", None: "-"}[r.met]
        lines.append(f"{r.attack:<38} {r.seconds:>7.2f}s {peak:>8} {p50:>7}  {r.target:<28} {met}")
        lines.append(f"    {r.result}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller attacks, about a minute")
    every = [*SERVER_ATTACKS, *CLI_ATTACKS]
    parser.add_argument("--only", nargs="+", choices=every, metavar="NAME", help=", ".join(every))
    parser.add_argument("--knowledge", help="knowledge folder for the server (default: shipped)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="pages for the import")
    args = parser.parse_args()
    if not sys.platform.startswith("linux"):
        parser.error("this benchmark reads /proc and uses Linux resource limits")
    settings = Settings(args.quick, args.knowledge, args.corpus)
    chosen = args.only or every
    rows: list[Row] = []
    with workspace() as work:
        for name in chosen:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            if name in SERVER_ATTACKS:
                rows += SERVER_ATTACKS[name](settings)
            else:
                folder = work / name
                folder.mkdir()
                rows += CLI_ATTACKS[name](settings, folder)
    print(
        f"faqbot abuse benchmark{' (--quick)' if args.quick else ''}: {os.cpu_count()} CPUs, "
        f"{time.strftime('%Y-%m-%d')}; p50: ordinary questions on new connections meanwhile"
    )
    print("\n".join(table(rows)))
    return 0 if all(r.met is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
