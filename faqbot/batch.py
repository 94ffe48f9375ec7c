"""Importing many pages at once: find them, import each, write knowledge files atomically."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from faqbot.atomic import remove_stale_temps, write_atomic
from faqbot.errors import FaqbotError, ImportPageError, KnowledgeError
from faqbot.files import read_limited
from faqbot.importer import import_page
from faqbot.knowledge import dump_medication
from faqbot.knowledge.reading import _load_file
from faqbot.merge import merge, stamped
from faqbot.models import Dropped, Medication

__all__ = ["PageReport", "find_pages", "import_pages", "read_pages"]


@dataclass(frozen=True)
class PageReport:
    """What importing one page made, or why it could not."""

    page: str
    output: Path | None = None
    side_effects: int = 0
    faqs: int = 0
    sections: int = 0
    dropped: tuple[Dropped, ...] = ()
    written: bool = False
    refused: str | None = None
    kept: tuple[str, ...] = ()  # hand edits of the knowledge file kept over the page, each said


def find_pages(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Each page as (path, name), where name is relative to the folder it was found under."""
    for path in paths:
        if path.is_dir():
            for page in sorted(path.rglob("*.md")):
                if page.name.lower() != "readme.md":
                    yield page, page.relative_to(path).as_posix()
        else:
            yield path, path.name


def _read(path: Path, name: str) -> str:
    """The text of a page, its line ends made "\n" (as ``Path.read_text`` makes them)."""
    try:
        raw = read_limited(path, MAX_PAGE_BYTES, _PAGE_ADVICE)
    except KnowledgeError as e:
        raise ImportPageError(name, e.problems[0].message) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ImportPageError(name, f"not UTF-8 text (byte {e.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# The largest page of both corpora is under 10 kB: a page of 2 MB is something else.
MAX_PAGE_BYTES = 2_000_000
_PAGE_ADVICE = "a page describes one medication: check that this is the page you meant"


def read_pages(
    pages: Iterable[tuple[Path, str]], *, skip_refused: bool = False
) -> list[Medication]:
    """Import ``pages`` in memory, writing nothing; the first page of each title is kept.

    A page that cannot be imported raises ImportPageError, or is left out with
    ``skip_refused``.
    """
    meds: dict[str, Medication] = {}
    for path, name in pages:
        try:
            med = import_page(_read(path, name), name)
        except ImportPageError:
            if skip_refused:
                continue
            raise
        meds.setdefault(med.slug, med)
    return list(meds.values())


def import_pages(
    pages: list[tuple[Path, str]],
    out_dir: Path,
    on_page: Callable[[PageReport], None] = lambda report: None,
    *,
    overwrite: bool = False,
) -> list[PageReport]:
    """Import ``pages`` into ``out_dir``, one ``<slug>.yaml`` each; report every page.

    Hand edits of existing knowledge files are kept (see faqbot.merge and PageReport.kept)
    unless ``overwrite``. Raises FaqbotError when ``out_dir`` cannot be a folder of knowledge.
    """
    _prepare(out_dir)
    remove_stale_temps(out_dir)  # left by an import that was killed
    claimed: dict[str, str] = {}
    reports = []
    for path, name in pages:
        report = _import_one(path, name, out_dir, claimed, overwrite)
        on_page(report)
        reports.append(report)
    return reports


def _prepare(out_dir: Path) -> None:
    """Make ``out_dir``; FaqbotError, naming it and the fix, when it cannot hold the files."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise FaqbotError(f"--out {out_dir}: is a file, not a folder; name a folder") from None
    except OSError as e:
        raise FaqbotError(f"--out {out_dir}: cannot make the folder: {_why(e)}") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise FaqbotError(f"--out {out_dir}: the folder is not writable; name another") from None


def _why(e: OSError) -> str:
    return e.strerror or str(e)


def _import_one(
    path: Path, name: str, out_dir: Path, claimed: dict[str, str], overwrite: bool
) -> PageReport:
    try:
        med = stamped(import_page(_read(path, name), name))
    except ImportPageError as e:
        return PageReport(name, refused=e.reason)
    target = f"{med.slug}.yaml"
    if target in claimed:
        return PageReport(
            name,
            refused=f"{claimed[target]} was imported into {target} already ({med.title!r} has "
            "the same id as its title); give one of them another title",
        )
    claimed[target] = name
    output = out_dir / target
    kept: tuple[str, ...] = ()
    if not overwrite:
        try:
            med, kept = _keep_hand_edits(output, name, med)
        except ImportPageError as e:
            return PageReport(name, refused=e.reason)
    try:
        written = write_atomic(output, dump_medication(med))
    except OSError as e:
        return PageReport(name, refused=f"cannot write {output}: {_why(e)}")
    return _made(name, med, output, written, kept)


def _keep_hand_edits(
    output: Path, name: str, med: Medication
) -> tuple[Medication, tuple[str, ...]]:
    """``med`` merged with the knowledge file already at ``output``, if there is one."""
    if not output.exists() and not output.is_symlink():
        return med, ()
    old, problems = _load_file(output)
    if old is None:
        first = problems[0] if problems else None
        at = f"line {first.line}: " if first and first.line else ""
        where = f" ({at}{first.message})" if first else ""
        raise ImportPageError(
            name,
            f"{output} has problems{where}; fix them (faqbot check), or use --overwrite to "
            "replace the file with the page",
        )
    page = med.source.page if med.source else name
    if (old.source is None or old.source.page != page) and old.title != med.title:
        made = f"from {old.source.page}" if old.source else "by hand"
        raise ImportPageError(
            name,
            f"{output} holds {old.title!r} ({made}), whose title has the same id as "
            f"{med.title!r}; give one of them another title, or use --overwrite to replace it",
        )
    merged, kept = merge(old, med)
    return merged, tuple(kept)


def _made(
    name: str, med: Medication, output: Path, written: bool, kept: tuple[str, ...] = ()
) -> PageReport:
    return PageReport(
        name,
        output=output,
        side_effects=len(med.side_effects),
        faqs=len(med.faqs),
        sections=len(med.sections),
        dropped=med.dropped,
        written=written,
        kept=kept,
    )
