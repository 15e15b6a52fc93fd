"""Word diff of long text fields: our `word_diff` against the old whole-field algorithm.

    .venv/bin/python bench/diff.py

Builds two versions of a service specification (paragraphs of plausible text, seed 75): the newer
has a few paragraphs edited, one paragraph inserted and one removed. Prints, in one run, the time
`documents.diffing.word_diff` takes on the 40 KB pair (about 6,500 words; median of 5 after a warm-up)
beside the old algorithm (difflib over the whole field word by word, copied below as it was),
timed once on the same pair since it takes many seconds; then the same for a 2,000-word pair
(old: median of 3); then three harder cases for the new algorithm only: one word added to every
paragraph (a find-and-replace), a 40 KB single paragraph rewritten throughout (past the work
budget: shown whole), and the most work the budget allows (paragraphs that each take nearly the
most one passage may, until the budget runs out). Each figure is wall-clock, with this process's
CPU seconds beside it (on a shared machine the wall-clock grows with the load, CPU time much less).
No database is used. Target (issue "Faithful record", item 10): the 40 KB pair in <= 0.2 s.
"""

from __future__ import annotations

import difflib
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.utils.html import escape  # noqa: E402

from documents.diffing import FALLBACK_NOTE, word_diff  # noqa: E402

TARGET_SECONDS = 0.2
RUNS = 5

# ---------------------------------------------------------------------------------------------
# The baseline: word_diff as it was before item 10, difflib over the whole field word by word.
_OLD_TOKEN = re.compile(r"\s+|[^\s]+")


def old_word_diff(old: str, new: str) -> str:
    old_words, new_words = _OLD_TOKEN.findall(old or ""), _OLD_TOKEN.findall(new or "")
    out = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(
                '<del><span class="govuk-visually-hidden">[deleted: </span>'
                f'{escape("".join(old_words[a1:a2]))}<span class="govuk-visually-hidden">]</span></del>'
            )
        if op in ("insert", "replace"):
            out.append(
                '<ins><span class="govuk-visually-hidden">[inserted: </span>'
                f'{escape("".join(new_words[b1:b2]))}<span class="govuk-visually-hidden">]</span></ins>'
            )
    return "".join(out)
# ---------------------------------------------------------------------------------------------


SUBJECTS = [
    "The lead commissioner", "The host partner", "The pool manager", "Each partner", "The provider",
    "The joint commissioning board", "The council", "The integrated care board", "The health visiting service",
    "The school nursing service", "The finance sub-group", "The designated officer",
]
VERBS = [
    "will commission", "shall monitor", "will report on", "is responsible for", "will review",
    "shall agree", "will publish", "must record", "will procure", "shall ensure the delivery of",
]
OBJECTS = [
    "services for children and young people aged 0-19", "the pooled fund budget for each financial year",
    "key performance indicators set out in this schedule", "the outcomes agreed with the partners",
    "safeguarding arrangements under the Children Act 2004", "quarterly activity and finance returns",
    "the risk register and its mitigations", "contracts let under the Public Contracts Regulations 2015",
    "the eligibility criteria and assessment procedures", "an annual review of the arrangements",
    "the mandated universal health reviews", "transition to adult services at 18",
]
TAILS = [
    "", " within 20 working days", " in line with the agreed protocol", " on behalf of both partners",
    " and report to the board", " subject to the approval of the partners", " each quarter",
    " as set out in Appendix 2", " with the agreement of the section 151 officer",
]


def specification(*, words: int = 0, kilobytes: int = 0, seed: int = 75) -> list[str]:
    """Paragraphs of 60–180 words of plausible specification text: `words` words, or `kilobytes` KB."""
    rng = random.Random(seed)
    paragraphs, total, length = [], 0, 0
    while (total < words) if words else (length < kilobytes * 1024):
        size = rng.randint(60, 180)
        sentences, count = [], 0
        while count < size:
            sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."
            sentences.append(sentence)
            count += len(sentence.split())
        paragraphs.append(f"{len(paragraphs) + 1}. " + " ".join(sentences))
        total += count
        length += len(paragraphs[-1].encode()) + 2
    return paragraphs


def edited(paragraphs: list[str], seed: int = 76) -> list[str]:
    """A newer version: four paragraphs edited in a few words, one inserted, one removed."""
    rng = random.Random(seed)
    new = list(paragraphs)
    for index in sorted(rng.sample(range(2, len(new) - 2), 4)):
        words = new[index].split(" ")
        for _ in range(3):
            place = rng.randrange(1, len(words))
            words[place] = rng.choice(["monthly", "the ICB", "promptly", "jointly", "in writing"])
        words.insert(rng.randrange(1, len(words)), "(as varied in 2024)")
        new[index] = " ".join(words)
    new.insert(len(new) // 3, "The partners will review these arrangements jointly each year and publish the "
               "outcome of that review on their websites within 30 working days.")
    del new[(2 * len(new)) // 3]
    return new


def marked(html: str) -> list[tuple[str, str]]:
    """The deletions and insertions a diff marks, in order, without the spaces at their edges."""
    found = re.finditer(r"\[(deleted|inserted): </span>(.*?)<span", html, re.S)
    return [(kind.group(1), kind.group(2).strip()) for kind in found]


@dataclass
class Timing:
    wall: float  # median wall-clock seconds
    cpu: float  # median CPU seconds of this process: what the load of other work on the machine does not add

    def __str__(self) -> str:
        return f"{self.wall:.3f} s"


def seconds(function: Callable[[], object], runs: int, warm_ups: int = 0) -> Timing:
    for _ in range(warm_ups):
        function()
    walls, cpus = [], []
    for _ in range(runs):
        cpu, start = time.process_time(), time.perf_counter()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus))


def how_shown(html: str) -> str:
    return "the rest shown whole past the budget" if FALLBACK_NOTE in html else "all word by word"


def main() -> int:
    load = os.getloadavg()[0]
    print(f"Word diff benchmark, {date.today().isoformat()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} cores, load average {load:.1f}")
    ok = True
    for name, old_paragraphs, old_runs in (
        ("40 KB", specification(kilobytes=40), 1), ("2,000-word", specification(words=2_000), 3),
    ):
        old, new = "\n\n".join(old_paragraphs), "\n\n".join(edited(old_paragraphs))
        size = f"{len(new.encode()) / 1024:.0f} KB, {len(new.split()):,} words, {len(old_paragraphs)} paragraphs"
        ours = seconds(lambda: word_diff(old, new), RUNS, warm_ups=1)  # noqa: B023
        baseline: list[str] = []
        theirs = seconds(lambda: baseline.append(old_word_diff(old, new)), old_runs)  # noqa: B023
        html = word_diff(old, new)
        marks = f"{html.count('<del>')} deletions, {html.count('<ins>')} insertions"
        target = ""
        if name == "40 KB":
            met = ours.wall <= TARGET_SECONDS and FALLBACK_NOTE not in html
            ok = ok and met
            target = f" (target <= {TARGET_SECONDS:.3f} s) {'ok' if met else 'OVER'}"
        runs = "one run" if old_runs == 1 else f"median of {old_runs}"
        print(f"Word diff, {name} pair ({size}; {marks}; median of {RUNS}): {ours}{target}; CPU {ours.cpu:.3f} s")
        print(f"Old word diff, {name} pair (baseline, {runs}): {theirs}; CPU {theirs.cpu:.3f} s")
        same = "same HTML" if html == baseline[0] else (
            "same words marked, spaces at their edges aside" if marked(html) == marked(baseline[0]) else "DIFFERENT")
        print(f"Speed-up, {name} pair: {theirs.wall / ours.wall:,.0f} x (against the old algorithm's output: {same})")

    # Harder cases for the new algorithm (the old one takes as long as above on each, or longer).
    paragraphs = specification(kilobytes=40)
    old = "\n\n".join(paragraphs)
    replaced = "\n\n".join(paragraph.replace(" ", " jointly ", 1) for paragraph in paragraphs)
    everywhere = seconds(lambda: word_diff(old, replaced), RUNS, warm_ups=1)
    print(f"Word diff, every paragraph edited (find and replace, {len(paragraphs)} paragraphs): {everywhere}; "
          f"CPU {everywhere.cpu:.3f} s; {how_shown(word_diff(old, replaced))}")
    rng = random.Random(77)
    one = " ".join(" ".join(paragraphs).replace(".", "").split())
    rewritten = " ".join(word if rng.random() > 0.2 else "changed" for word in one.split(" "))
    worst = seconds(lambda: word_diff(one, rewritten), RUNS, warm_ups=1)
    print(f"Word diff, one 40 KB paragraph rewritten (no sentence breaks, a fifth of its words changed): {worst}; "
          f"CPU {worst.cpu:.3f} s; {how_shown(word_diff(one, rewritten))}")
    # The most the budget lets one diff do: paragraphs just under the passage limit, each with no
    # sentence break and every tenth word changed, so each is compared word by word until the budget ends.
    vocabulary = [word for sentence in OBJECTS for word in sentence.split()][:30]
    blocks = [" ".join(rng.choice(vocabulary) for _ in range(240)) for _ in range(28)]
    dense = [" ".join(w if i % 10 else "changed" for i, w in enumerate(block.split())) for block in blocks]
    most_old, most_new = "\n\n".join(blocks), "\n\n".join(dense)
    most = seconds(lambda: word_diff(most_old, most_new), RUNS, warm_ups=1)
    print(f"Word diff, the most work the budget allows ({len(most_new.encode()) / 1024:.0f} KB, {len(blocks)} "
          f"paragraphs of 240 words, every tenth word changed): {most}; CPU {most.cpu:.3f} s; "
          f"{how_shown(word_diff(most_old, most_new))}")
    print(f"targets: 40 KB pair <= {TARGET_SECONDS} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
