"""Importing pages again: hand edits kept, ids that never collide, clear errors for --out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml

from faqbot.batch import PageReport, import_pages
from faqbot.errors import FaqbotError, KnowledgeError
from faqbot.knowledge import load_dir

PAGE = """---
title: {title}
---

# {title}

**Usage:** {title} is used for test pain.

**Side Effects:** Common side effects include:

* **Nausea:** Feeling sick.
* **Rash:** Red spots.

**FAQs:**

* **Is {title} addictive?** {addictive}
* **Can I drink alcohol?** Avoid alcohol.
"""


def _page(folder: Path, name: str, title: str = "Fictazepam", addictive: str = "No.") -> Path:
    path = folder / name
    path.write_text(PAGE.format(title=title, addictive=addictive), encoding="utf-8")
    return path


def _import(out: Path, *pages: Path, overwrite: bool = False) -> list[PageReport]:
    return import_pages([(p, p.name) for p in pages], out, overwrite=overwrite)


def _data(path: Path) -> dict[str, object]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _faq(path: Path, i: int) -> dict[str, object]:
    faqs = _data(path)["faqs"]
    assert isinstance(faqs, list)
    faq = faqs[i]
    assert isinstance(faq, dict)
    return faq


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The knowledge folder imported into."""
    return tmp_path / "knowledge"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """A folder for the pages of a test."""
    folder = tmp_path / "pages"
    folder.mkdir()
    return folder


# ------------------------------------------------------------------------------ hand edits


def test_phrasings_and_aliases_survive_a_reimport(out: Path, pages: Path) -> None:
    """Phrasings and aliases added by hand are still there after the page is imported again."""
    page = _page(pages, "f.md")
    _import(out, page)
    target = out / "fictazepam.yaml"
    _edit(target, "aliases: []", "aliases: [Fictaz]")
    _edit(target, "  answer: No.\n", "  answer: No.\n  phrasings: [will i get hooked]\n")
    (report,) = _import(out, page)
    assert report.kept == ()
    assert _data(target)["aliases"] == ["Fictaz"]
    assert _faq(target, 0)["phrasings"] == ["will i get hooked"]


def test_a_changed_page_is_taken_when_only_phrasings_were_added(out: Path, pages: Path) -> None:
    """With only people's fields edited, a new version of the page replaces the old text."""
    _import(out, _page(pages, "f.md"))
    target = out / "fictazepam.yaml"
    _edit(target, "  answer: No.\n", "  answer: No.\n  phrasings: [will i get hooked]\n")
    (report,) = _import(out, _page(pages, "f.md", addictive="Not at all."))
    assert report.kept == ()
    assert _faq(target, 0) == {
        "question": "Is Fictazepam addictive?",
        "answer": "Not at all.",
        "phrasings": ["will i get hooked"],
    }


def test_an_edited_answer_is_kept_and_reported(out: Path, pages: Path) -> None:
    """A hand edit of the page's text is kept over the page, and the report says so."""
    page = _page(pages, "f.md")
    _import(out, page)
    target = out / "fictazepam.yaml"
    _edit(target, "answer: No.", "answer: No, say our pharmacists.")
    for version in (page, _page(pages, "f.md", addictive="Rarely.")):
        (report,) = _import(out, version)
        assert _faq(target, 0)["answer"] == "No, say our pharmacists."
        assert report.kept == (
            "FAQ 'Is Fictazepam addictive?': the file's version, not the page's",
        )


def test_an_added_faq_is_kept_and_reported(out: Path, pages: Path) -> None:
    """An FAQ written by hand, which the page does not have, is kept and reported."""
    page = _page(pages, "f.md")
    _import(out, page)
    target = out / "fictazepam.yaml"
    _edit(target, "sections:", "- question: Can I drive?\n  answer: Ask your doctor.\nsections:")
    (report,) = _import(out, page)
    assert [f["question"] for f in _data(target)["faqs"]] == [  # type: ignore[attr-defined]
        "Is Fictazepam addictive?",
        "Can I drink alcohol?",
        "Can I drive?",
    ]
    assert report.kept == ("FAQ 'Can I drive?': kept, though the page does not have it",)


def test_overwrite_replaces_hand_edits(out: Path, pages: Path) -> None:
    """--overwrite writes the page as it is, hand edits and all gone."""
    page = _page(pages, "f.md")
    _import(out, page)
    target = out / "fictazepam.yaml"
    pristine = target.read_bytes()
    _edit(target, "answer: No.", "answer: Edited.")
    _edit(target, "aliases: []", "aliases: [Fictaz]")
    (report,) = _import(out, page, overwrite=True)
    assert report.kept == ()
    assert target.read_bytes() == pristine


def test_reimporting_an_unedited_page_changes_no_byte(out: Path, pages: Path) -> None:
    """A second import of the same page writes nothing."""
    page = _page(pages, "f.md")
    (first,) = _import(out, page)
    (second,) = _import(out, page)
    assert first.written
    assert not second.written


def test_a_broken_knowledge_file_is_not_written_over(out: Path, pages: Path) -> None:
    """A file with problems (perhaps a half-done edit) is left alone; the page is refused."""
    page = _page(pages, "f.md")
    _import(out, page)
    target = out / "fictazepam.yaml"
    _edit(target, "answer: No.", "anser: No.")
    broken = target.read_bytes()
    (report,) = _import(out, page)
    assert report.refused is not None
    assert "has problems" in report.refused
    assert "--overwrite" in report.refused
    assert target.read_bytes() == broken


# ------------------------------------------------------------------------------ identity


def test_a_title_sharing_an_id_does_not_overwrite_another_drug(out: Path, pages: Path) -> None:
    """'Fictazepam!' from another page is refused rather than written over 'Fictazepam'."""
    _import(out, _page(pages, "f.md"))
    before = (out / "fictazepam.yaml").read_bytes()
    (report,) = _import(out, _page(pages, "g.md", title="Fictazepam!"))
    assert report.refused is not None
    assert "holds 'Fictazepam' (from f.md)" in report.refused
    assert (out / "fictazepam.yaml").read_bytes() == before


def test_titles_sharing_an_id_in_one_run_are_said_clearly(out: Path, pages: Path) -> None:
    """'Co-Trimoxazole' and 'Co Trimoxazole' cannot both be imported: the second says why."""
    first, second = _import(
        out, _page(pages, "a.md", "Co-Trimoxazole"), _page(pages, "b.md", "Co Trimoxazole")
    )
    assert first.refused is None
    assert second.refused == (
        "a.md was imported into co-trimoxazole.yaml already ('Co Trimoxazole' has the same id "
        "as its title); give one of them another title"
    )


def test_titles_in_other_scripts_get_their_own_files(out: Path, pages: Path) -> None:
    """Cyrillic and CJK titles, and titles with no letters, each get a file of their own."""
    titles = ["Милнаципран", "Прегабалин", "米那普仑", "…"]
    reports = _import(out, *(_page(pages, f"{i}.md", t) for i, t in enumerate(titles)))
    assert [r.refused for r in reports] == [None] * 4
    names = sorted(p.name for p in out.glob("*.yaml"))
    assert len(names) == 4
    assert "милнаципран.yaml" in names
    assert [m.title for m in load_dir(out)] != []


def test_a_folder_with_two_titles_of_one_id_fails_to_load(out: Path, pages: Path) -> None:
    """A copy retitled 'Fictazepam!' makes the folder fail to load, naming both files."""
    _import(out, _page(pages, "f.md"))
    text = (out / "fictazepam.yaml").read_text(encoding="utf-8")
    copy = text.replace("title: Fictazepam\n", "title: Fictazepam!\n").replace("No.", "Yes.")
    (out / "copy.yaml").write_text(copy, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_dir(out)
    (problem,) = caught.value.problems
    assert os.path.basename(problem.path) == "fictazepam.yaml"
    assert "'Fictazepam' has the same id 'fictazepam' as 'Fictazepam!' in copy.yaml" in str(problem)


# ------------------------------------------------------------------------------ --out


def test_out_that_is_a_file_is_one_clear_error(tmp_path: Path, pages: Path) -> None:
    """--out naming a file raises FaqbotError naming it, before any page is read."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(FaqbotError, match=r"--out .*file: is a file, not a folder"):
        _import(blocker, _page(pages, "f.md"))
    with pytest.raises(FaqbotError, match="cannot make the folder"):
        _import(blocker / "sub", _page(pages, "f.md"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_out_that_is_not_writable_is_one_clear_error(out: Path, pages: Path) -> None:
    """--out naming a folder this user cannot write raises FaqbotError naming it."""
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(FaqbotError, match="not writable"):
            _import(out, _page(pages, "f.md"))
    finally:
        out.chmod(0o700)


def test_a_folder_in_the_way_refuses_that_page_only(out: Path, pages: Path) -> None:
    """A folder named like the output file refuses that page, with the reason; others go on."""
    (out / "fictazepam.yaml").mkdir(parents=True)
    blocked, other = _import(out, _page(pages, "f.md"), _page(pages, "g.md", "Examplinol"))
    assert blocked.refused is not None
    assert "not a regular file" in blocked.refused
    assert other.refused is None
    assert (out / "examplinol.yaml").is_file()
    (forced,) = _import(out, _page(pages, "f.md"), overwrite=True)
    assert forced.refused is not None
    assert forced.refused.startswith(f"cannot write {out / 'fictazepam.yaml'}: Is a directory")


def test_leftovers_of_a_killed_import_are_removed(out: Path, pages: Path) -> None:
    """Temporary files of a writer that is gone are removed; a live writer's are left alone."""
    out.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = out / f".fictazepam.yaml.{gone.stdout.strip()}-0123abcd.tmp"
    live = out / ".examplinol.yaml.1-0123abcd.tmp"  # pid 1 is always running
    dead.write_text("half a file")
    live.write_text("being written")
    _import(out, _page(pages, "f.md"))
    assert not dead.exists()
    assert live.exists()


def test_a_full_disk_refuses_each_page_with_the_reason(out: Path, pages: Path) -> None:
    """When the disk is full, each page is refused as 'No space left on device', no file left."""
    import errno

    def full(path: Path, data: str | bytes, mode: int | None = None) -> bool:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with mock.patch("faqbot.batch.write_atomic", full):
        (report,) = _import(out, _page(pages, "f.md"))
    assert report.refused == f"cannot write {out / 'fictazepam.yaml'}: No space left on device"
    assert list(out.iterdir()) == []


def test_a_page_that_is_a_fifo_is_refused_not_waited_on(out: Path, pages: Path) -> None:
    """A named pipe called page.md is refused at once, naming what it is."""
    fifo = pages / "pipe.md"
    os.mkfifo(fifo)
    (report,) = _import(out, fifo)
    assert report.refused is not None
    assert "named pipe" in report.refused
