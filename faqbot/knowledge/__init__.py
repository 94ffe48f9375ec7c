"""Knowledge files: one YAML file per medication, written by the importer and edited by people.

The format is described in docs/knowledge-format.md. Reading is strict and reports every
problem of a file as ``file:line: message``, so that a person can fix them all in one go.
"""

from __future__ import annotations

from faqbot.files import RESERVED_NAMES
from faqbot.knowledge.fields import FORMAT
from faqbot.knowledge.folders import load_dir
from faqbot.knowledge.reading import check_file, parse_medication
from faqbot.knowledge.writing import dump_medication

__all__ = [
    "FORMAT",
    "RESERVED_NAMES",
    "check_file",
    "dump_medication",
    "load_dir",
    "parse_medication",
]
