"""counts --plot: PNG and SVG bar charts that open and show every code."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from tests.conftest import Runner
from tests.helpers import INTERVIEW, SMALL_CODEBOOK, small_codebook, write


def _codes() -> list[str]:
    return [line.split("- ", 1)[1] for line in SMALL_CODEBOOK.splitlines() if "- " in line]


def _project(run: Runner, tmp_path: Path) -> tuple[str, ...]:
    where = ("-p", str(tmp_path / "p.db"))
    run("codebook", "load", str(small_codebook(tmp_path)), *where)
    run("import", str(write(tmp_path / "R01.txt", INTERVIEW)), *where)
    run("code", "R01", "2", "--span", "0:10", "--coder", "anouk", *where)
    return where


def test_png_and_svg_charts(run: Runner, tmp_path: Path) -> None:
    import matplotlib.image

    where = _project(run, tmp_path)
    png = tmp_path / "counts.png"
    result = run("counts", "--plot", str(png), *where)
    assert result.code == 0, result.stderr
    picture = matplotlib.image.imread(png)
    assert picture.shape[0] > 200 and picture.shape[1] > 400
    svg = tmp_path / "counts.svg"
    assert run("counts", "--by", "document", "--plot", str(svg), *where).code == 0
    words = " ".join(t for t in ElementTree.parse(svg).getroot().itertext())
    for code in _codes():
        assert code in words, code
    bad = run("counts", "--plot", str(tmp_path / "counts.gif"), *where)
    assert bad.code == 1 and "png or .svg" in bad.stderr
