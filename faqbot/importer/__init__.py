"""Turn one medication page (markdown text) into a `Medication`; pure, no file I/O.

The pages come from one language-model prompt (Generic Name, Usage, Side Effects, How it Works,
FAQs, Disclaimer) plus a script-appended front matter and last ``**Note:**`` line. Shapes handled:

- Title: front matter ``title:`` (a trailing `` .`` or ``-`` stripped), else the ``# title`` line.
  The ``# title`` line and an extra ``## title`` line are skipped (the latter kept in ``dropped`` if
  its words differ). Aliases: slash alternatives spelled out ("A/B + C" → "A + C", "B + C"), and a
  short generic name that differs from the title. ``source`` is the page name and the text's sha256.
- Labels: bold at column 0 (``**Usage:**``, ``**Usage**:``; text inline or on the next lines),
  parenthetical variants (``**FAQs (Separate for each drug):**``), headings (``## Usage``), bullets
  (``* **Usage:**``) and unbolded ``Generic Name:``. Other labels (``**Note:**``, ``**Dosage:**``,
  anything unknown) become ``sections``; only the page's last ``**Note:**`` line is ``note``.
- Generic Name: the value if it reads as a name ("X (Note: ...)" gives "X"); lists and prose
  ("There is no single generic name...") become the section "Generic name".
- Combinations: a bold line or bullet followed by Generic Name/Usage (``**Mefenamic Acid:**``)
  opens an ingredient when the page has two or more. Its Usage/How it Works become sections
  "Usage (Mefenamic Acid)", its side effects and FAQs get it as group, and its side-effect prose
  goes to ``side_effects_intro`` as "Mefenamic Acid: ...". The first ingredient's sections fix the
  shape: another kind, a repeated kind or the Disclaimer closes the ingredient (a shared FAQs block
  after the last ingredient stays shared).
- Side effects: ``* **Name:** text``, ``* **Name** text``, ``* Name: text``, ``* Name – text``,
  ``* Name``. Groups: a labelled bullet with nested items, a bold line before a list, or a sentence
  ending in ":" before a list ("These can include:" takes the sentence before it along when that
  one says which side effects, e.g. "Serious side effects are rare."). Prose before the first
  item is ``side_effects_intro``; prose after it is the section "Side effects (more)"; no bullets
  means prose only, no items. ``urgent``: "serious"/"severe" among the first five words of the
  group or name, or the text asks for emergency help (immediate/emergency medical, call 911,
  life-threatening, stop taking ... and seek).
- FAQs: ``* **Q: question?** A: answer``, ``* **question?** answer``, ``* **Q:** q? **A:** a``,
  ``* Q: q? A: a``, a bold question at column 0; the answer inline, on a nested ``*A:`` or
  ``* **A:**`` line, or in the next paragraph. ``**X FAQs:**`` and bold lines in the block set the
  group. Unanswered questions ("questions to ask your doctor") and prose stay in the section
  "FAQs"; an unlabelled closing paragraph saying "medical advice" is the ``disclaimer``.
- Truncated pages: the unfinished last sentence is dropped (reason "truncated: ..."), and so is a
  question whose answer the page never reached.
- Duplicates (same slug in one list): an identical repeat is dropped as a duplicate; a different
  one keeps its words plus its group, else a counter, in parentheses. Section titles likewise.
- Text keeps the page's words: ``**``/``*`` emphasis and ``<sub>``-like tags are removed, bullets
  become "- " lines ("  - " nested), numbered items keep their numbers, table rows stay as lines
  (their ``|---|`` rules go), paragraphs are separated by a blank line, spaces are collapsed.

Nothing is lost: every line lands in a field, or in ``dropped`` with a reason (a label with no
text under it, truncation, duplicates). A page with no Generic Name, Usage, Side Effects, How it
Works or FAQs (a refusal, or free prose) raises `ImportPageError`, as does a page without a title.
Nothing else is raised.

The steps, one module each, in the order they run: `lines` tokenizes the page; `body` finds its
title and takes the footer, title lines and an unfinished end off it; `blocks` splits it into
labelled sections; `side_effects` and `faqs` read those blocks into `parts`; `assemble` runs the
steps and turns the parts into the `Medication`. `text` (plain text) and `labels` (what a label
names) serve them all.
"""

from faqbot.importer.assemble import import_page

__all__ = ["import_page"]
