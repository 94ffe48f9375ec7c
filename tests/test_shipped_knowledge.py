"""The shipped knowledge: valid, complete, and what the importer makes of the page."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import KNOWLEDGE

from faqbot.checking import check_paths
from faqbot.importer import import_page
from faqbot.knowledge import dump_medication, parse_medication
from faqbot.merge import stamped

SHIPPED = KNOWLEDGE / "milnacipran.yaml"


def _sentences(markdown: str) -> list[str]:
    """The page's sentences and item names, without front matter, labels or markdown."""
    pieces: list[str] = []
    for line in markdown.split("---", 2)[2].splitlines():
        line = line.strip().removeprefix("* ").strip()
        if not line or line.startswith("#"):
            continue
        labelled = re.match(r"\*\*(.+?):?\*\*:?\s*(.*)", line)
        if labelled:
            label, line = labelled.groups()
            label = label.removeprefix("Q:").strip()
            if label not in _SECTION_LABELS:
                pieces.append(label)
        line = re.sub(r"^A:\s*", "", line)
        pieces += re.split(r"(?<=[.!?])\s+", " ".join(line.split()))
    return [p.rstrip(":") for p in pieces if p]  # a group keeps its words, not its colon


_SECTION_LABELS = {
    "Generic Name",
    "Usage",
    "Side Effects",
    "How it Works",
    "FAQs",
    "Disclaimer",
    "Note",
}


def _held(path: Path) -> str:
    return " ".join(path.read_text(encoding="utf-8").replace("\n  ", " ").split())


def test_shipped_knowledge_is_valid() -> None:
    """`faqbot check` finds no problem in the shipped knowledge."""
    problems, files = check_paths([KNOWLEDGE])
    assert problems == []
    assert files >= 1


def test_the_language_lexicon_is_valid() -> None:
    """`faqbot check` finds no problem in the language folder's lexicon."""
    from faqbot.language import data_path
    from faqbot.lexicon import LEXICON_FILE

    assert check_paths([Path(data_path(LEXICON_FILE))]) == ([], 1)


def test_every_sentence_of_the_page_is_kept(milnacipran_page: Path) -> None:
    """Every sentence of the milnacipran page is held in knowledge/milnacipran.yaml."""
    held = " ".join(
        str(v) for v in _values(parse_medication(SHIPPED.read_text(encoding="utf-8"), SHIPPED))
    )
    held = " ".join(held.split())
    sentences = _sentences(milnacipran_page.read_text(encoding="utf-8"))
    assert len(sentences) > 40
    missing = [s for s in sentences if s not in held]
    assert missing == []


def test_shipped_file_is_the_importers_output(milnacipran_page: Path) -> None:
    """Re-importing the page gives the committed file byte for byte."""
    med = stamped(import_page(milnacipran_page.read_text(encoding="utf-8"), "milnacipran.md"))
    assert dump_medication(med) == SHIPPED.read_text(encoding="utf-8")


def _values(obj: object) -> list[object]:
    """Every string inside a model (named tuples, nested)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [v for item in obj for v in _values(item)]
    return []
