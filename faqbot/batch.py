"""Importing many pages at once: find them, import each, write knowledge files atomically."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from faqbot.atomic import write_atomic
from faqbot.errors import ImportPageError
from faqbot.importer import import_page
from faqbot.knowledge import dump_medication
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
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ImportPageError(name, f"not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise ImportPageError(name, f"cannot read: {e.strerror}") from None


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

    Hand edits of existing knowledge files are kept (see PageReport.kept) unless ``overwrite``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    claimed: dict[str, str] = {}
    reports = []
    for path, name in pages:
        report = _import_one(path, name, out_dir, claimed)
        on_page(report)
        reports.append(report)
    return reports


def _import_one(path: Path, name: str, out_dir: Path, claimed: dict[str, str]) -> PageReport:
    try:
        med = import_page(_read(path, name), name)
    except ImportPageError as e:
        return PageReport(name, refused=e.reason)
    target = f"{med.slug}.yaml"
    if target in claimed:
        return PageReport(
            name, refused=f"same title as {claimed[target]} ({med.title!r}); the title is the key"
        )
    claimed[target] = name
    output = out_dir / target
    written = write_atomic(output, dump_medication(med))
    return _made(name, med, output, written)


def _made(name: str, med: Medication, output: Path, written: bool) -> PageReport:
    return PageReport(
        name,
        output=output,
        side_effects=len(med.side_effects),
        faqs=len(med.faqs),
        sections=len(med.sections),
        dropped=med.dropped,
        written=written,
    )
