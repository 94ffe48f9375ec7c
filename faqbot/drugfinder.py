"""Which drug a question is about: exact names first, then typo-tolerant, never a guess
between look-alikes (hydroxyzine and hydralazine): when two are about equally close, ask."""

from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple

from faqbot.index import PART, TITLE, Index
from faqbot.normalize import normalize, stem
from faqbot.spelling import MAX_WORD, Budget, same_first_letter

__all__ = ["DrugMention", "find_drugs"]

NAME_CUTOFF = 80.0  # fuzz.ratio a misspelt name must reach
CLEAR_NAME = 90.0  # a misspelt name this close is taken for the name, whatever else it is near
LOOKALIKE_MARGIN = 5.0  # two names closer than this to the typed word are a tie: ask
SUFFIX_CUTOFF = 85.0  # a name without the typed word's drug ending ("codone") needs this
PREFIX_MIN = 4  # a shorter beginning of a name ("hyd") is not taken for it
PREFIX_RESOLVES = 6  # the beginning of exactly one name, this long, names that drug
MAX_SUGGESTIONS = 6


class DrugMention:
    """The drugs a question names, and the word positions the names take up."""

    __slots__ = ("ambiguous", "combined", "drugs", "others", "positions", "spans")

    def __init__(self) -> None:
        self.drugs: list[str] = []  # resolved, in order of mention
        self.spans: dict[str, list[int]] = {}  # each drug → the positions of its names
        self.combined = False  # several names, one combination's page ("a and b")
        self.ambiguous: list[str] = []  # candidates when we must ask
        self.positions: set[int] = set()
        # Drugs we have no page for, by the position of each word of their names: the
        # dictionary's name for them, or the word as typed.
        self.others: dict[int, str] = {}

    @property
    def unknown_names(self) -> list[str]:
        """The drugs named that have no page, each once."""
        return list(dict.fromkeys(self.others.values()))


def find_drugs(words: list[str], index: Index, budget: Budget) -> DrugMention:
    """Find the drugs named in ``words`` (normalised, unstemmed); misspelt names are looked
    for while ``budget`` lasts."""
    mention = DrugMention()
    _other_drugs(words, index, mention)
    corrected = list(words)
    near: dict[str, Near] = {}  # each word is looked up once
    pointers = index.lexicon.slots.pointer
    for i, word in enumerate(words):
        if i and words[i - 1] in pointers:
            continue  # "this medictaion": what points at a drug is not its name
        if i not in mention.others and _could_be_name(word, index):
            if word not in near:
                near[word] = _near_names(word, index, budget)
            _correct_name(i, word, near[word], corrected, index, mention, budget)
    groups = _exact_names(corrected, index, mention)
    strong = [g for g in groups if not g[2]] or [g for g in groups if g[2]]
    _resolve([(owners, span) for owners, span, _ in strong], index, mention)
    return mention


def _other_drugs(words: list[str], index: Index, mention: DrugMention) -> None:
    """The names of real drugs that no page has ("prednisone", "st johns wort")."""
    table = index.other_names
    i = 0
    while i < len(words):
        word = words[i]
        n = 0 if word in index.name_words or _is_word(word, index) else table.longest_at(words, i)
        name = " ".join(words[i : i + n])
        if n and table.drug_of(name) in index.page_drugs:
            n = 0  # another name of a drug we have, left out of its page: read as a typo
        if n:
            shown = table.get(name) or word
            mention.others.update(dict.fromkeys(range(i, i + n), shown))
            i += n
        else:
            i += 1


def _is_word(word: str, index: Index) -> bool:
    """Whether ``word`` is an ordinary word or one of the knowledge's, not a name."""
    return (
        index.is_known(word) or index.is_known(stem(word)) or stem(word) in index.lexicon.stopwords
    )


def _could_be_name(word: str, index: Index) -> bool:
    if not 4 <= len(word) <= MAX_WORD or word.isdigit() or word in index.name_words:
        return False
    return not _is_word(word, index)


class Near(NamedTuple):
    """What looking a word up among the name words found: the names it begins, else the
    closest names, best first (None: not looked for, over budget), and whether the word has a
    drug's ending."""

    starts: list[str]
    found: list[tuple[str, float]] | None
    suffixed: bool


def _near_names(word: str, index: Index, budget: Budget) -> Near:
    starts = _starting_with(word, index)
    if starts:
        return Near(starts, [], False)
    # A misspelt name keeps its first letter far more often than not, and comparing with a
    # twentieth of the names is that much faster.
    names = same_first_letter(word, index.name_word_list)
    if not budget.spend(len(names)):
        return Near([], None, False)  # left as typed
    from rapidfuzz import fuzz, process  # here: the one-shot path rarely needs it

    found = process.extract(word, names, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=3)
    endings = index.lexicon.drug_suffixes
    suffixes = [s for s in endings if word.endswith(s)] if word.endswith(endings) else []
    kept = [(w, s) for w, s, _ in found if s >= SUFFIX_CUTOFF or _shares(w, suffixes)]
    return Near([], kept, bool(suffixes))


def _correct_name(
    i: int,
    word: str,
    near: Near,
    corrected: list[str],
    index: Index,
    mention: DrugMention,
    budget: Budget,
) -> None:
    starts, found = near.starts, near.found
    if len(starts) == 1 and len(word) >= PREFIX_RESOLVES:
        corrected[i] = starts[0]  # "gabapen": the one name it begins
        return
    if starts:
        _ask_between(starts, i, index, mention)  # "hydr", "clon": which one?
        return
    if found is None:
        return
    if not found:
        if near.suffixed and len(word) >= 6:
            mention.others[i] = word  # "hydrocodone" is not "hydrocortisone"
        return
    best, score = found[0]
    if score < CLEAR_NAME and _ordinary_typo(word, index, budget):
        return  # "tare" is "take" misspelt sooner than a drug's name
    if _real_drug_as_close(word, score, index, budget):
        mention.others[i] = word  # "glimipizide" may be glimepiride as well as glipizide
        return
    owners = index.name_owners
    rivals = [
        w
        for w, s in found[1:]
        if score - s < LOOKALIKE_MARGIN and owners.get(w, ())[:1] != owners.get(best, ())[:1]
    ]  # "gabapentine" and "gabapentina" name one drug first: no rivals
    if rivals:
        _ask_between([best, *rivals], i, index, mention)
        return
    corrected[i] = best


def _ordinary_typo(word: str, index: Index, budget: Budget) -> bool:
    """Whether ``word`` is one edit from an ordinary word."""
    found = index.speller.nearest_alike(stem(word), budget)
    return found is not None and found[1] <= 1


def _real_drug_as_close(word: str, score: float, index: Index, budget: Budget) -> bool:
    """Whether a real drug that has no page is named as closely by ``word`` as a page's name
    (``score``): typo correction must not turn another drug into one we have."""
    candidates = index.other_names.candidates(word)
    if not candidates or not budget.spend(len(candidates)):
        return False
    from rapidfuzz import fuzz, process

    found = process.extract(word, candidates, scorer=fuzz.ratio, score_cutoff=score, limit=3)
    table, ours = index.other_names, index.page_drugs
    return any(
        name not in index.name_words and table.drug_of(name) not in ours for name, _, _ in found
    )


def _shares(name: str, suffixes: list[str]) -> bool:
    """Whether ``name`` has one of the typed word's drug endings, or the word has none."""
    return not suffixes or name.endswith(tuple(suffixes))


def _starting_with(word: str, index: Index) -> list[str]:
    """Name words that begin with ``word`` (a few, in order), found by bisection."""
    if len(word) < PREFIX_MIN:
        return []
    names = index.name_word_list
    start = bisect_left(names, word)
    found: list[str] = []
    for name in names[start : start + MAX_SUGGESTIONS + 1]:
        if not name.startswith(word):
            break
        found.append(name)
    return found


def _ask_between(name_words: list[str], i: int, index: Index, mention: DrugMention) -> None:
    """Mark word ``i`` as naming one of several drugs, so the user is asked which."""
    owners = [index.name_owners.get(w, ()) for w in name_words]
    for rank in range(max(map(len, owners), default=0)):  # each name's own drug first
        for slugs in owners:
            if rank < len(slugs) and slugs[rank] not in mention.ambiguous:
                mention.ambiguous.append(slugs[rank])
    mention.positions.add(i)


Group = tuple[dict[str, int], range]  # the drugs a name names, and the positions it takes


def _exact_names(
    words: list[str], index: Index, mention: DrugMention
) -> list[tuple[dict[str, int], range, bool]]:
    """Each name found, longest first, with where it is and whether it is also a common
    word ("iron")."""
    groups: list[tuple[dict[str, int], range, bool]] = []
    i = 0
    lengths, forms = index.name_lengths, index.lexicon.forms
    while i < len(words):
        for n in lengths.get(words[i], ()):
            key = tuple(words[i : i + n])
            owners = index.names.get(key) if i + n <= len(words) else None
            # "gel", "sodium" name no drug, unless a page is called just that ("Magnesium")
            if owners and (TITLE in owners.values() or not forms.issuperset(key)):
                common = all(index.is_known(w) or index.is_known(stem(w)) for w in key)
                groups.append((owners, range(i, i + n), common))
                mention.positions.update(range(i, i + n))
                i += n
                break
        else:
            i += 1
    return groups


def _resolve(groups: list[Group], index: Index, mention: DrugMention) -> None:
    """Turn the names found into drugs: one per name, or one combination for several."""
    if not groups:
        return
    if len(groups) > 1:
        held = [set(_with_combinations(owners, index)) for owners, _ in groups]
        shared = held[0].intersection(*held[1:])
        if shared:
            fewest = min(len(index.medications[s].title) for s in shared)
            best = sorted(s for s in shared if len(index.medications[s].title) == fewest)
            _one_or_ask(best, [i for _, span in groups for i in span], mention)
            mention.combined = True
            return
    for owners, span in groups:
        strongest = max(owners.values())
        whole = sorted(s for s, rank in owners.items() if rank == strongest > PART)
        if whole:
            _one_or_ask(whole, list(span), mention)
        else:
            parts = sorted(owners, key=lambda s: (len(index.medications[s].title), s))
            _one_or_ask(parts, list(span), mention)
        if mention.ambiguous:
            return


def _with_combinations(owners: dict[str, int], index: Index) -> dict[str, int]:
    """``owners`` and the combinations that hold the drug a name (maybe a brand) names:
    "ultram" names tramadol, which "Ibuprofen + Tramadol" holds."""
    found = dict(owners)
    for slug, rank in owners.items():
        if rank > PART:
            title = tuple(normalize(index.medications[slug].title).split())
            for other, its in index.names.get(title, {}).items():
                found.setdefault(other, its)
    return found


def _one_or_ask(slugs: list[str], span: list[int], mention: DrugMention) -> None:
    if len(slugs) == 1:
        if slugs[0] not in mention.drugs:
            mention.drugs.append(slugs[0])
        mention.spans.setdefault(slugs[0], []).extend(span)
    else:
        mention.ambiguous.extend(s for s in slugs if s not in mention.ambiguous)
