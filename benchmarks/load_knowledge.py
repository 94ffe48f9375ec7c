"""Time load_dir on a knowledge folder: cold (no cache) and warm (from the cache).

Usage: python benchmarks/load_knowledge.py KNOWLEDGE_DIR [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from faqbot.knowledge import load_dir


def _timed(directory: Path, cache_dir: Path | None, repeat: int) -> tuple[float, int]:
    """The median seconds of ``repeat`` loads, and how many medications one load gives."""
    times, count = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = len(load_dir(directory, cache_dir))
        times.append(time.perf_counter() - start)
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cold, count = _timed(args.directory, None, args.repeat)
    print(f"{count} medications from {args.directory}")
    print(f"cold (no cache):   {cold * 1000:8.1f} ms  (median of {args.repeat})")
    with tempfile.TemporaryDirectory() as tmp:
        cache_dir = Path(tmp)
        load_dir(args.directory, cache_dir)  # fills the cache
        if not any(cache_dir.iterdir()):
            print("warm: not measured; files changed in the last seconds are not cached yet")
            return
        warm, _ = _timed(args.directory, cache_dir, args.repeat)
        print(f"warm (from cache): {warm * 1000:8.1f} ms  (median of {args.repeat})")


if __name__ == "__main__":
    main()
