"""Benchmark of REFI-QDA project exchange: export and import of a project of 1,000
documents and 200,000 quotations, against writing and reading the same XML with the
standard library alone (xml.etree) in the same run.

    python benchmarks/refi.py [--corpus benchmarks/corpus]

Also the cost of `import-project` against the CSV route (importing the same transcripts
and codings.csv) as two child processes: CPU seconds and peak memory of each (targets of
issue 11: at most 2x the CPU of the CSV route, peak memory under 400 MB).

Uses the corpus of benchmarks/generate.py (generated when missing).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.run import DEFAULT_OUT, ensure_corpus  # noqa: E402
from workbench.services.codebook import load_codebook  # noqa: E402
from workbench.services.coding import import_codings  # noqa: E402
from workbench.services.documents import import_transcripts  # noqa: E402
from workbench.services.project import open_project  # noqa: E402
from workbench.services.refi import import_project  # noqa: E402
from workbench.services.refi_export import export_project  # noqa: E402

NS = "urn:QDA-XML:project:1.0"


def baseline_export(db: Path, out: Path) -> float:
    """The same elements, written with xml.etree from rows read with sqlite3."""
    started = time.perf_counter()
    connection = sqlite3.connect(db)
    root = ET.Element(f"{{{NS}}}Project", {"name": "baseline"})
    sources = ET.SubElement(root, f"{{{NS}}}Sources")
    files = []
    codings: dict[int, list[int]] = {}
    for quotation, code in connection.execute("SELECT quotation_id, code_id FROM quotation_codes"):
        codings.setdefault(quotation, []).append(code)
    by_document: dict[int, list[tuple[int, int, int]]] = {}
    for q, d, s, e in connection.execute('SELECT id, document_id, start, "end" FROM quotations'):
        by_document.setdefault(d, []).append((q, s, e))
    for document_id, name, text in connection.execute("SELECT id, name, text FROM documents"):
        source = ET.SubElement(
            sources, f"{{{NS}}}TextSource", {"guid": str(document_id), "name": name}
        )
        files.append((f"sources/{document_id}.txt", text))
        for q, s, e in by_document.get(document_id, []):
            selection = ET.SubElement(
                source,
                f"{{{NS}}}PlainTextSelection",
                {"guid": str(q), "startPosition": str(s), "endPosition": str(e)},
            )
            for code in codings.get(q, []):
                coding = ET.SubElement(selection, f"{{{NS}}}Coding", {"guid": f"{q}-{code}"})
                ET.SubElement(coding, f"{{{NS}}}CodeRef", {"targetGUID": str(code)})
    xml = ET.tostring(root, encoding="unicode")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
        for member, text in files:
            archive.writestr(member, text.encode("utf-8"))
    connection.close()
    return time.perf_counter() - started


def baseline_import(path: Path) -> float:
    """Reading the same archive and XML with the standard library, nothing stored."""
    started = time.perf_counter()
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        texts = {
            n: archive.read(n).decode("utf-8") for n in archive.namelist() if n != "project.qde"
        }
    selections = sum(1 for _ in root.iter(f"{{{NS}}}PlainTextSelection"))
    assert selections and texts
    return time.perf_counter() - started


# Run in a child process: the work, then its own CPU time and peak memory as JSON. The
# peak is VmHWM where Linux gives it: ru_maxrss survives exec, so a child of this (large)
# process would report at least this process's peak.
CHILD = """
import json, resource, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from workbench.services.project import open_project
with open_project({db!r}) as project:
{work}
usage = resource.getrusage(resource.RUSAGE_SELF)
peak_kb = usage.ru_maxrss
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps({{"cpu": usage.ru_utime + usage.ru_stime, "peak_mb": peak_kb / 1024}}))
"""
CSV_ROUTE = """
    from workbench.services.codebook import load_codebook
    from workbench.services.coding import import_codings
    from workbench.services.documents import import_transcripts
    load_codebook(project, Path({codebook!r}))
    import_transcripts(project, [Path({corpus!r}) / "transcripts"])
    import_codings(project, Path({corpus!r}) / "codings.csv")
"""
REFI_ROUTE = """
    from workbench.services.refi import import_project
    import_project(project, Path({archive!r}))
"""


def child_cost(db: Path, work: str) -> tuple[float, float]:
    """CPU seconds and peak memory (MB) of a child process doing `work` on project `db`."""
    code = CHILD.format(root=str(ROOT), db=str(db), work=work)
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    figures = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return float(figures["cpu"]), float(figures["peak_mb"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    corpus = args.corpus
    ensure_corpus(corpus, may_generate=True, documents=1000, words=8000, quotations=200_000, seed=1)
    with tempfile.TemporaryDirectory(prefix="workbench-refi-") as folder:
        directory = Path(folder)
        source = directory / "source.db"
        with open_project(str(source)) as project:
            load_codebook(project, ROOT / "codebooks" / "collectief-werken.codebook")
            import_transcripts(project, [corpus / "transcripts"])
            import_codings(project, corpus / "codings.csv")
            started = time.perf_counter()
            written = export_project(project, directory / "ours.qdpx").quotations
            ours_export = time.perf_counter() - started
        base_export = baseline_export(source, directory / "baseline.qdpx")
        with open_project(str(directory / "imported.db")) as target:
            started = time.perf_counter()
            report = import_project(target, directory / "ours.qdpx")
            ours_import = time.perf_counter() - started
        base_import = baseline_import(directory / "ours.qdpx")
        costs: dict[str, list[tuple[float, float]]] = {"csv": [], "refi": []}
        for run in range(3):
            csv_work = CSV_ROUTE.format(
                codebook=str(ROOT / "codebooks" / "collectief-werken.codebook"),
                corpus=str(corpus),
            )
            costs["csv"].append(child_cost(directory / f"csv{run}.db", csv_work))
            refi_work = REFI_ROUTE.format(archive=str(directory / "ours.qdpx"))
            costs["refi"].append(child_cost(directory / f"refi{run}.db", refi_work))
    print(f"{written:,} quotations, {len(report.documents):,} documents")
    print(f"{'measure':<10}{'ours (s)':>10}{'stdlib (s)':>12}{'ratio':>8}")
    for name, ours, base in (
        ("export", ours_export, base_export),
        ("import", ours_import, base_import),
    ):
        print(f"{name:<10}{ours:>10.2f}{base:>12.2f}{ours / base:>7.1f}x")
    print(
        "(the stdlib baseline only writes or parses; ours also validates, converts "
        "positions and stores everything in one transaction)"
    )
    csv_cpu = statistics.median(c for c, _ in costs["csv"])
    refi_cpu = statistics.median(c for c, _ in costs["refi"])
    refi_peak = statistics.median(m for _, m in costs["refi"])
    csv_peak = statistics.median(m for _, m in costs["csv"])
    cpu_verdict = "PASS" if refi_cpu <= 2 * csv_cpu else "FAIL"
    peak_verdict = "PASS" if refi_peak < 400 else "FAIL"
    print(
        f"import-project CPU {refi_cpu:.1f} s against the CSV route's {csv_cpu:.1f} s "
        f"= {refi_cpu / csv_cpu:.1f}x (target 2x) {cpu_verdict}"
    )
    print(
        f"import-project peak memory {refi_peak:.0f} MB (CSV route {csv_peak:.0f} MB; "
        f"target < 400 MB) {peak_verdict}   (medians of 3 child processes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
