"""Load on the HTTP API over loopback: requests/s and p50/p99 latency from concurrent clients.

    python benchmarks/http_load.py [--requests 20000] [--connections 50] [--users 1000]
                                   [--client auto|wrk|python] [--knowledge DIR] [--readme]
                                   [--loop asyncio|uvloop]

Starts ``faqbot serve`` (uvicorn, one process) on a free loopback port, opens one session per
simulated visitor, then sends ``--requests`` POST /api/ask questions in those sessions over
``--connections`` keep-alive connections, and prints what was measured. Each visitor has its
own address in X-Forwarded-For, which uvicorn trusts from loopback as from a reverse proxy, so
each stays under its own rate limit as real visitors do; every response must be 200.

The load comes from wrk (``apt-get install wrk``) when it is installed: it is written in C and
leaves the two cores to the server. Else from an asyncio client in this process, which
competes with the server for the same cores (its figures are then a lower bound).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from replies import read_reply

# Follow-ups people send once a drug is in focus: answers, a fallback, small talk, a pick.
QUESTIONS = [
    "what about sweating?",
    "is it addictive",
    "can i drink alcohol on it",
    "how long does it take to work",
    "what if i miss a dose",
    "does it give you headaches",
    "trouble sleeping?",
    "what's the dose for kids",
    "can i take it with other meds",
    "thanks",
    "what are the signs of an overdose",
    "does it raise blood pressure",
]
FIRST_QUESTION = "does milnacipran cause nausea"
TARGET_RPS = 1000
TARGET_P99_MS = 50.0


@dataclass(frozen=True)
class Result:
    """What one load run measured."""

    client: str
    requests: int
    failures: int  # responses other than 200, and socket errors
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# `faqbot serve` on another event loop than its own (for comparison): argv is port, loop.
SERVE_ON_LOOP = """
import sys
from faqbot.bot import Bot, load_knowledge
from faqbot.locations import cache_dir, cache_key_file, knowledge_dir
from faqbot.web import serve
knowledge = knowledge_dir(sys.argv[3] if len(sys.argv) > 3 else None)
index = load_knowledge(knowledge, cache_dir(), cache_key_file())
serve(Bot(index), port=int(sys.argv[1]), loop=sys.argv[2])
"""


def start_server(
    port: int, knowledge: str | None, log: Path, loop: str | None = None
) -> subprocess.Popen[bytes]:
    if loop is None:
        command = [sys.executable, "-m", "faqbot", "serve", "--port", str(port)]
        command += ["--knowledge", knowledge] if knowledge else []
    else:
        command = [sys.executable, "-c", SERVE_ON_LOOP, str(port), loop]
        command += [knowledge] if knowledge else []
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"faqbot serve exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    sys.exit(f"faqbot serve did not answer /healthz within 30 s:\n{log.read_text()}")


def open_sessions(port: int, users: int, first: int = 0) -> list[tuple[str, str]]:
    """One session per visitor: (address, session id), each opened by a first question."""
    opened = []
    body = json.dumps({"question": FIRST_QUESTION}).encode()
    for n in range(first, first + users):
        address = visitor_address(n)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/ask",
            data=body,
            headers={"Content-Type": "application/json", "X-Forwarded-For": address},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            opened.append((address, json.load(response)["session_id"]))
    return opened


def visitor_address(n: int) -> str:
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def ask_body(question: str, session_id: str) -> str:
    return json.dumps({"question": question, "session_id": session_id})


# --- wrk ----------------------------------------------------------------------------------

WRK_SCRIPT = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } faqbot_timespec;
int clock_gettime(int clock, faqbot_timespec *now);
]]
local now_ts = ffi.new("faqbot_timespec")
local function now()
  ffi.C.clock_gettime(1, now_ts)  -- CLOCK_MONOTONIC
  return tonumber(now_ts.tv_sec) + tonumber(now_ts.tv_nsec) * 1e-9
end

local visitors = {VISITORS}
local questions = {QUESTIONS}
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  quota = tonumber(args[1])
  local nthreads = tonumber(args[2])
  requests = {}
  for k = 0, quota - 1 do
    local n = k * nthreads + id
    local visitor = visitors[n % #visitors + 1]
    local body = '{"question": "' .. questions[n % #questions + 1] .. '", "session_id": "'
      .. visitor[2] .. '"}'
    requests[k + 1] = wrk.format("POST", "/api/ask",
      {["Content-Type"] = "application/json", ["X-Forwarded-For"] = visitor[1]}, body)
  end
  sent, done_count, failures, started, finished = 0, 0, 0, now(), 0
end

function request()
  sent = sent + 1
  return requests[(sent - 1) % quota + 1]
end

function response(status, headers, body)
  done_count = done_count + 1
  finished = now()
  if status ~= 200 then failures = failures + 1 end
  if done_count == quota then
    io.write("faqbot-thread-done\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local first, last, count, failed = math.huge, 0, 0, 0
  for _, thread in ipairs(threads) do
    first = math.min(first, thread:get("started"))
    last = math.max(last, thread:get("finished"))
    count = count + thread:get("done_count")
    failed = failed + thread:get("failures")
  end
  local errors = summary.errors
  failed = failed + errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format(
    'faqbot-result {"requests": %d, "failures": %d, "seconds": %.6f, '
    .. '"p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    count, failed, last - first, latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def run_wrk(
    port: int, sessions: list[tuple[str, str]], total: int, connections: int, threads: int
) -> Result:
    visitors = ", ".join(f"{{{lua_string(a)}, {lua_string(s)}}}" for a, s in sessions)
    questions = ", ".join(lua_string(json.dumps(q)[1:-1]) for q in QUESTIONS)
    script = WRK_SCRIPT.replace("{VISITORS}", "{" + visitors + "}").replace(
        "{QUESTIONS}", "{" + questions + "}"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", "300s", "--timeout", "10s"]
    command += ["-s", file.name, f"http://127.0.0.1:{port}", "--", str(total // threads)]
    command += [str(threads)]
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert wrk.stdout is not None
    finished, output = 0, []
    for line in wrk.stdout:  # all threads done: interrupt wrk's timer so it reports now
        output.append(line)
        finished += line.strip() == "faqbot-thread-done"
        if finished == threads:
            wrk.send_signal(signal.SIGINT)
    wrk.wait()
    os.unlink(file.name)
    found = [line for line in output if line.startswith("faqbot-result ")]
    if not found:
        sys.exit("wrk printed no result:\n" + "".join(output))
    data = json.loads(found[0].removeprefix("faqbot-result "))
    return Result(
        f"wrk {wrk_version()} ({threads} thread{'s' if threads > 1 else ''})",
        data["requests"],
        data["failures"],
        data["seconds"],
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
        data["max_us"] / 1000,
    )


def wrk_version() -> str:
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    words = (done.stdout + done.stderr).split()
    return words[1] if len(words) > 1 else "?"


# --- the asyncio client (when wrk is not installed) ---------------------------------------


async def one_connection(port: int, queue: list[bytes], samples: list[float]) -> int:
    """Send requests from ``queue`` one after another on one keep-alive connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    failures = 0
    while queue:
        request = queue.pop()
        start = time.perf_counter()
        writer.write(request)
        head = await read_reply(reader)
        samples.append(time.perf_counter() - start)
        failures += not head.startswith(b"HTTP/1.1 200 ")
    writer.close()
    return failures


def run_python(port: int, sessions: list[tuple[str, str]], total: int, connections: int) -> Result:
    queue = []
    for n in range(total):
        address, session_id = sessions[n % len(sessions)]
        body = ask_body(QUESTIONS[n % len(QUESTIONS)], session_id).encode()
        queue.append(
            b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"X-Forwarded-For: {address}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
    samples: list[float] = []

    async def run_all() -> int:
        workers = [one_connection(port, queue, samples) for _ in range(connections)]
        return sum(await asyncio.gather(*workers))

    start = time.perf_counter()
    failures = asyncio.run(run_all())
    seconds = time.perf_counter() - start
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return Result(
        "asyncio client in-process",
        len(samples),
        failures,
        seconds,
        statistics.median(ordered) * 1000,
        p99 * 1000,
        ordered[-1] * 1000,
    )


# --- main ---------------------------------------------------------------------------------


def server_stack(loop: str | None) -> str:
    from faqbot.web.server import EVENT_LOOP

    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"uvicorn ({http}, {loop or EVENT_LOOP}), 1 process"


def meets_target(rps: float, p99_ms: float) -> bool:
    return rps >= TARGET_RPS and p99_ms < TARGET_P99_MS


def report(results: list[Result], args: argparse.Namespace) -> list[str]:
    lines = [
        f"server: faqbot serve on loopback, {server_stack(args.loop)}, {os.cpu_count()} CPUs",
        f"load:   {results[0].client}, {args.connections} connections; each round "
        f"{args.requests:,} POST /api/ask in {args.users:,} new sessions (one address each)",
    ]
    for n, r in enumerate(results, 1):
        lines.append(
            f"round {n}: {r.requests:,} requests in {r.seconds:.2f} s ({r.failures} not 200): "
            f"{r.rps:,.0f} requests/s, p50 {r.p50_ms:.1f} ms, p99 {r.p99_ms:.1f} ms, "
            f"max {r.max_ms:.1f} ms"
        )
    rps = statistics.median(r.rps for r in results)
    p50 = statistics.median(r.p50_ms for r in results)
    p99 = statistics.median(r.p99_ms for r in results)
    lines.append(
        f"median of {len(results)} rounds: {rps:,.0f} requests/s, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )
    met = sum(meets_target(r.rps, r.p99_ms) for r in results)
    lines.append(
        f"target (>= {TARGET_RPS:,} requests/s, p99 < {TARGET_P99_MS:.0f} ms): "
        f"{'met' if meets_target(rps, p99) else 'NOT met'} by the median; "
        f"met in {met} of {len(results)} rounds"
    )
    return lines


def update_readme(lines: list[str]) -> None:
    """Put the run's report between the README's ``bench:http_load`` markers."""
    from bench import ROOT, update_page

    when = time.strftime("%Y-%m-%d", time.gmtime())
    block = "\n".join([f"```console\n$ python benchmarks/http_load.py  # {when}", *lines, "```"])
    update_page(ROOT / "README.md", block, "http_load")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000, help="per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--users", type=int, default=1000, help="sessions per round")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk's threads (default 1)")
    parser.add_argument("--knowledge", help="knowledge folder for the server")
    parser.add_argument(
        "--loop", choices=["asyncio", "uvloop"], help="serve on this event loop instead"
    )
    parser.add_argument(
        "--readme", action="store_true", help="also write the report into README.md"
    )
    args = parser.parse_args()
    if args.requests > 50 * args.users:
        parser.error("more than 50 requests per session would run into the rate limit (60/min)")
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    port = free_port()
    log = Path(tempfile.mkstemp(suffix=".log")[1])
    if args.readme and args.loop:
        parser.error("--readme is for the server as it ships: leave out --loop")
    server = start_server(port, args.knowledge, log, args.loop)
    results = []
    try:
        for n in range(args.rounds):
            sessions = open_sessions(port, args.users, first=n * args.users)
            if use_wrk:
                load = run_wrk(port, sessions, args.requests, args.connections, args.wrk_threads)
            else:
                load = run_python(port, sessions, args.requests, args.connections)
            results.append(load)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(10)
        log.unlink()
    lines = report(results, args)
    print("\n".join(lines))
    if args.readme:
        update_readme(lines)
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
