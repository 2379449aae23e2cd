"""Generate a synthetic corpus for the benchmarks: interview transcripts and a codings file.

    python benchmarks/generate.py [--documents 1000] [--words 8000] [--quotations 200000]
                                  [--seed 1] [--out benchmarks/corpus]

Writes OUT/transcripts/D0001.txt ... (Dutch-looking interviews: alternating "I: " and "R: "
paragraphs separated by blank lines), OUT/codings.csv (document,start,end,code,coder,comment)
and, last, OUT/manifest.json, which marks the corpus as complete.

The text is plain UTF-8 with "\\n" line endings and already NFC, so the offsets in codings.csv
(code points into the Python string written) are exactly the offsets the workbench stores.
Everything is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "corpus"
MANIFEST = "manifest.json"
CODERS = ("anouk", "bart")
CODES = range(1, 26)  # the numbered codes of codebooks/collectief-werken.codebook
SPAN_MIN, SPAN_MAX = 50, 600
DOUBLE_CODED = 0.10  # share of quotations that carry two codes

# Common words (repeated to weight them) and the vocabulary of the subject, some with diacritics.
_COMMON = (
    "de het een en van in is dat op te met voor niet zijn die er ook aan als bij maar om dan "
    "nog wel naar uit wat kan we ik je ze hij zij dus heel echt gewoon eigenlijk natuurlijk "
    "soms vaak altijd meer minder veel weinig hebben worden gaan komen doen zien weten denken "
    "zeggen vinden willen moeten kunnen mogen zou zouden waar hoe waarom wanneer omdat toen "
    "want alleen samen elkaar iemand iets niets alles mensen tijd keer jaar week dag goed "
    "nieuw eerste andere eigen grote kleine belangrijk moeilijk makkelijk misschien zeker ja nee"
)
_SUBJECT = (
    "wijkteam wijk buurt bewoners cliënt cliënten hulpvraag hulpvragen collectief collectieve "
    "individueel individuele aanpak sociaal werker werkers gemeente welzijn vrijwilligers "
    "voorliggend veld zorgaanbieder organisatie samenwerking overleg casus gezin groep groepen "
    "eenzaamheid mantelzorg schulden opvoeding jongeren ouderen buurthuis inloop activiteiten "
    "netwerk partners signaleren verbinden ondersteunen begeleiden adviseren analyseren "
    "één ideeën café coördinatie coördinator financiën privé reünie geïnteresseerd "
    "beëindigen crèche knieën zeeën geëvalueerd geïnformeerd geëngageerd patiënt efficiënt "
    "hè tevreden ervaring kennis houding vaardigheden ruimte kansen belemmeringen "
    "mogelijkheden indicatie definitie beroep visie doelen resultaat evaluatie"
)
VOCABULARY: tuple[str, ...] = tuple(_COMMON.split() * 4 + _SUBJECT.split())
COMMENTS = (
    "twijfel tussen 2 en 12",
    "mooi citaat voor het rapport",
    "zie ook het vorige fragment",
    "bespreken in het coördinatieoverleg",
)


@dataclass(frozen=True)
class Manifest:
    documents: int
    words: int  # per document, not counting the speaker labels
    quotations: int
    links: int  # rows of codings.csv: quotations times their codes
    seed: int
    characters: int  # total code points of all transcripts
    bytes: int  # total UTF-8 size of all transcripts


def document_names(count: int) -> list[str]:
    width = max(4, len(str(count)))
    return [f"D{n:0{width}d}" for n in range(1, count + 1)]


def transcript(rng: random.Random, words: int) -> str:
    """An interview of exactly `words` words: short questions (I) and longer answers (R)."""
    pool = rng.choices(VOCABULARY, k=words)
    paragraphs: list[str] = []
    used = 0
    interviewer = True
    while used < words:
        sentences: list[str] = []
        for _ in range(rng.randint(1, 2) if interviewer else rng.randint(2, 7)):
            size = min(rng.randint(5, 18), words - used)
            if size <= 0:
                break
            chunk = pool[used : used + size]
            used += size
            if size > 6 and rng.random() < 0.4:
                chunk[size // 2] += ","
            sentence = " ".join(chunk)
            end = "?" if interviewer and rng.random() < 0.8 else "."
            sentences.append(sentence[0].upper() + sentence[1:] + end)
        paragraphs.append(("I: " if interviewer else "R: ") + " ".join(sentences))
        interviewer = not interviewer
    return "\n\n".join(paragraphs) + "\n"


def spans(rng: random.Random, length: int, count: int) -> list[tuple[int, int, str]]:
    """`count` distinct (start, end, coder) with 0 <= start < end <= length, coders alternating."""
    longest = min(SPAN_MAX, length)
    shortest = min(SPAN_MIN, longest)
    found: set[tuple[int, int, str]] = set()
    chosen: list[tuple[int, int, str]] = []
    index = 0
    while len(chosen) < count:
        size = rng.randint(shortest, longest)
        start = rng.randint(0, length - size)
        key = (start, start + size, CODERS[index % len(CODERS)])
        if key in found:  # a second row with the same key would merge into one quotation
            continue
        found.add(key)
        chosen.append(key)
        index += 1
    return chosen


def generate(out: Path, *, documents: int, words: int, quotations: int, seed: int) -> Manifest:
    """Write the corpus into `out` (replacing an earlier one) and return its manifest.

    codings.csv appears only when complete, and the manifest only after it.
    """
    if documents < 1 or words < 1 or quotations < 0:
        raise ValueError("need at least one document of at least one word")
    rng = random.Random(seed)
    for stale in (MANIFEST, "codings.csv"):
        (out / stale).unlink(missing_ok=True)
    folder = out / "transcripts"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    names = document_names(documents)
    lengths: list[int] = []
    total_bytes = 0
    for name in names:
        text = transcript(rng, words)
        assert unicodedata.is_normalized("NFC", text)
        data = text.encode("utf-8")
        (folder / f"{name}.txt").write_bytes(data)
        lengths.append(len(text))
        total_bytes += len(data)

    links = 0
    per_document, extra = divmod(quotations, documents)
    partial = out / "codings.csv.partial"
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["document", "start", "end", "code", "coder", "comment"])
        for index, (name, length) in enumerate(zip(names, lengths, strict=True)):
            count = per_document + (1 if index < extra else 0)
            for start, end, coder in sorted(spans(rng, length, count)):
                codes = rng.sample(CODES, 2) if rng.random() < DOUBLE_CODED else [rng.choice(CODES)]
                comment = rng.choice(COMMENTS) if rng.random() < 0.05 else ""
                for code in codes:
                    writer.writerow([name, start, end, code, coder, comment])
                    links += 1
    partial.replace(out / "codings.csv")

    manifest = Manifest(
        documents=documents,
        words=words,
        quotations=quotations,
        links=links,
        seed=seed,
        characters=sum(lengths),
        bytes=total_bytes,
    )
    (out / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8")
    return manifest


def read_manifest(out: Path) -> Manifest | None:
    """The manifest of a complete corpus in `out`, or None when there is none."""
    try:
        return Manifest(**json.loads((out / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--words", type=int, default=8000, help="words per transcript")
    parser.add_argument("--quotations", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    manifest = generate(
        args.out,
        documents=args.documents,
        words=args.words,
        quotations=args.quotations,
        seed=args.seed,
    )
    print(
        f"{manifest.documents} transcripts ({manifest.bytes / 1e6:.1f} MB), "
        f"{manifest.quotations} quotations in {manifest.links} rows, written to {args.out} "
        f"in {time.perf_counter() - began:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
