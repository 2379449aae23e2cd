"""How good and how fast the suggested codes are: leave one document out.

    python benchmarks/suggest.py [--documents 40] [--passages 20] [--seed 1]

For each coded document, the suggester learns from the quotations of every other
document and suggests three codes for each of the left-out document's quotations; a
hit is a quotation whose code is among the three. The baseline always suggests the
three codes most frequent in the same training quotations. Two sets: the demo
project's coded transcripts (built with `workbench demo` in a temporary folder, read
through the services as the workbench reads them) and a larger set generated here:
interviews in Dutch-like text where each code has its own words: a passage holds one
of them among words every code shares, half the passages a word of another code too,
and 15% of them are coded with a code their words do not point to.

Printed per set: quotations, top-3 hit rate of the suggester and of the baseline,
training time (mean and slowest fold), and the time to suggest for one passage (median
of single calls, as the workbench's S key asks) and, on the demo, for a whole document
through `services.suggest.suggest_document` with the model kept. Targets (issue 20): at
least twice the baseline's hit rate, under 50 ms for a passage. The exit code is 0.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from workbench.suggest import Example, train

TOP = 3
# (document, code, text) of one quotation under one of its codes.
Row = tuple[str, int, str]

# The generated set's codes: each a handful of words and phrases of its own.
TOPIC_WORDS = """
de wachtlijst | maanden wachten | geen plek | de intake duurt | wachttijden
de caseload | te veel dossiers | geen tijd | de werkdruk | overuren
het buurthuis | de bibliotheek | de voedselbank | het wijkcentrum | de kerk
een groep ouders | samen koken | de koffieochtend | een taalcafé | het maatjesproject
de gemeente | de beschikking | het budget | de aanbesteding | de wethouder
de corporatie | schimmel in huis | de huurachterstand | de flat | de buren
de schulden | de energierekening | bewindvoering | de deurwaarder | de toeslag
eenzaamheid | niemand om mee te praten | alleen thuis | weinig contact | somber
mijn collega | het team | intervisie | de teamleider | de casusbespreking
de opleiding | een training | leren van elkaar | de cursus | vaardigheden
de jongeren | de school | het jongerenwerk | op straat | de pleinen
de mantelzorger | de zorg voor moeder | overbelast | respijtzorg | de dagbesteding
"""
TOPICS = {
    number: [phrase.strip() for phrase in line.split("|")]
    for number, line in enumerate(TOPIC_WORDS.strip().splitlines(), start=1)
}
SHARED = [
    "ja", "eigenlijk", "nou", "dat merk ik wel", "in de wijk", "bij ons", "soms",
    "heel vaak", "dat is lastig", "we proberen", "mensen", "de bewoners", "eerlijk gezegd",
    "ik denk", "dan zie je", "het gaat om", "en dan", "ook wel", "vooral", "gewoon",
]  # fmt: skip
NOISE = 0.15  # the share of passages coded with a code their words do not point to
FREQUENCY = [12, 10, 8, 7, 6, 5, 5, 4, 4, 3, 3, 2]  # some codes are far more common


def generated(documents: int, passages: int, seed: int) -> list[Row]:
    rng = random.Random(seed)
    codes = list(TOPICS)
    rows: list[Row] = []
    for number in range(1, documents + 1):
        name = f"G{number:03d}"
        for _ in range(passages):
            code = rng.choices(codes, weights=FREQUENCY)[0]
            words = [*rng.sample(SHARED, 6), rng.choice(TOPICS[code])]
            if rng.random() < 0.5:  # often a word of another code as well
                words.append(rng.choice(TOPICS[rng.choice(codes)]))
            rng.shuffle(words)
            if rng.random() < NOISE:  # coders are not consistent either
                code = rng.choice(codes)
            rows.append((name, code, " ".join(words).capitalize() + "."))
    return rows


def demo_rows(folder: Path) -> tuple[list[Row], Path]:
    from workbench.services.demo import build_demo
    from workbench.services.project import open_project
    from workbench.services.retrieval import retrieve

    path = folder / "demo.db"
    build_demo(path)
    with open_project(str(path)) as project:
        found = retrieve(project)
    labels: dict[str, int] = {}
    rows = [(r.document, labels.setdefault(r.code_label, len(labels)), r.text) for r in found]
    return rows, path


def leave_one_document_out(rows: Sequence[Row]) -> dict[str, float]:
    documents = sorted({document for document, _, _ in rows})
    hits = baseline = total = 0
    train_times: list[float] = []
    passage_times: list[float] = []
    for left_out in documents:
        training = [Example(text, code) for document, code, text in rows if document != left_out]
        tested = [(code, text) for document, code, text in rows if document == left_out]
        if not training or not tested:
            continue
        start = time.perf_counter()
        model = train(training)
        train_times.append(time.perf_counter() - start)
        frequent = [code for code, _ in Counter(e.code_id for e in training).most_common(TOP)]
        for code, text in tested:
            start = time.perf_counter()
            (found,) = model.suggest([text], TOP)
            passage_times.append(time.perf_counter() - start)
            hits += code in [s.code_id for s in found]
            baseline += code in frequent
            total += 1
    return {
        "documents": len(train_times),
        "quotations": total,
        "codes": len({code for _, code, _ in rows}),
        "hit": hits / total,
        "baseline": baseline / total,
        "train_mean": statistics.mean(train_times),
        "train_max": max(train_times),
        "passage": statistics.median(passage_times),
    }


def document_time(path: Path) -> tuple[str, int, float]:
    """The slowest document's suggestions through the service, the model kept."""
    from workbench.services import suggest
    from workbench.services.documents import list_documents
    from workbench.services.project import open_project

    with open_project(str(path)) as project:
        names = [d.name for d in list_documents(project)]
        suggest.suggest_document(project, names[0])  # trains once; the model is kept
        slowest = ("", 0, 0.0)
        for name in names:
            start = time.perf_counter()
            found = suggest.suggest_document(project, name)
            elapsed = time.perf_counter() - start
            if elapsed > slowest[2]:
                slowest = (name, len(found), elapsed)
    return slowest


def report(title: str, figures: dict[str, float]) -> None:
    ratio = figures["hit"] / figures["baseline"] if figures["baseline"] else float("inf")
    print(f"{title}: {figures['documents']:.0f} documents, {figures['quotations']:.0f} quotations, "
          f"{figures['codes']:.0f} codes")  # fmt: skip
    print(f"  top-{TOP} hit rate {figures['hit']:.0%} vs baseline {figures['baseline']:.0%} "
          f"({ratio:.1f}x; target 2x: {'PASS' if ratio >= 2 else 'FAIL'})")  # fmt: skip
    print(f"  training {figures['train_mean'] * 1000:.0f} ms mean, "
          f"{figures['train_max'] * 1000:.0f} ms slowest fold")  # fmt: skip
    passage = figures["passage"] * 1000
    print(f"  one passage {passage:.1f} ms (target 50 ms: {'PASS' if passage < 50 else 'FAIL'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=40, help="Generated documents.")
    parser.add_argument("--passages", type=int, default=20, help="Coded passages per document.")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    train([Example("een", 1), Example("twee", 2)])  # loads scikit-learn, outside the figures
    print(f"loading scikit-learn: {time.perf_counter() - start:.1f} s (once per session)")
    with tempfile.TemporaryDirectory() as folder:
        rows, path = demo_rows(Path(folder))
        report("demo project", leave_one_document_out(rows))
        name, passages, elapsed = document_time(path)
        print(f"  whole document through the service: {elapsed * 1000:.0f} ms "
              f"({name}, {passages} uncoded passages; model kept)")  # fmt: skip
    rows = generated(args.documents, args.passages, args.seed)
    report("generated set", leave_one_document_out(rows))


if __name__ == "__main__":
    main()
