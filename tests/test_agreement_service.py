"""Agreement between coders on a real project, on SQLite and PostgreSQL, with figures
worked out by hand from the spans below."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import INTERVIEW, small_codebook, write
from workbench.domain.errors import InvalidInput
from workbench.services.agreement import agreement
from workbench.services.codebook import load_codebook
from workbench.services.coding import import_codings
from workbench.services.documents import import_transcripts
from workbench.storage.project import Project

SECOND = "I: Nog een vraag.\nR: Ja, graag.\n"
L1, L2 = len(INTERVIEW), len(SECOND)


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(
        project, [write(tmp_path / "R01.txt", INTERVIEW), write(tmp_path / "R02.txt", SECOND)]
    )
    write(
        tmp_path / "c.csv",
        "document,start,end,code,coder\n"
        "R01,0,10,2,anouk\n"
        "R01,5,20,2,anouk\n"  # overlaps anouk's own first span: counted once
        "R01,10,30,2,bart\n"
        "R01,40,60,12,anouk\n"
        "R01,40,58,12,bart\n"  # 18 of the longer 20 characters: a match at 90%
        "R02,0,3,9,anouk\n"
        "R02,0,5,20,bart\n"
        "R01,70,80,2,carla\n"
        "R02,10,15,9,dirk\n",
    )
    import_codings(coded := project, tmp_path / "c.csv")
    return coded


def kappa(both: int, only_a: int, only_b: int, neither: int) -> float:
    total = both + only_a + only_b + neither
    observed = (both + neither) / total
    a_yes, b_yes = (both + only_a) / total, (both + only_b) / total
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    return (observed - expected) / (1 - expected)


def row(table: object, name: str) -> dict[str, object]:
    return next(r for r in table.rows if str(r["code"]).endswith(name))  # type: ignore[attr-defined]


def test_character_unit_counts_and_figures(coded: Project) -> None:
    table = agreement(coded, ["anouk", "bart"])
    assert table.documents == ("R01", "R02")  # the documents both have coded
    code2 = row(table, "Belemmeringen collectief werken")
    neither = L1 - 30 + L2
    assert (code2["both"], code2["only_anouk"], code2["only_bart"], code2["neither"]) == (
        10,
        10,
        10,
        neither,
    )
    assert code2["percent_agreement"] == pytest.approx((10 + neither) / (L1 + L2), abs=1e-12)
    assert code2["cohen_kappa"] == pytest.approx(kappa(10, 10, 10, neither), abs=1e-12)
    assert code2["holsti"] == pytest.approx(2 * 10 / (20 + 20), abs=1e-12)
    overall = table.rows[-1]
    assert overall["code"].startswith("Overall")
    # Pooled over the four codes: 2 (10/10/10), 12 (18/2/0), 20 (0/0/5), 9 (0/3/0).
    assert (overall["both"], overall["only_anouk"], overall["only_bart"]) == (28, 15, 15)
    assert overall["neither"] == 4 * (L1 + L2) - 58


def test_undefined_figures_say_why(coded: Project) -> None:
    table = agreement(coded, ["anouk", "bart"], documents=["R01"], codes=["20"])
    code20 = table.rows[0]
    assert code20["cohen_kappa"] is None and code20["krippendorff_alpha"] is None
    assert "kappa" in str(code20["note"]) and "alpha" in str(code20["note"])
    assert code20["percent_agreement"] == 1.0


def test_quotation_and_document_units(coded: Project) -> None:
    table = agreement(coded, ["anouk", "bart"], unit="quotation", threshold=0.9)
    assert (
        row(table, "Kansen/mogelijkheden collectief werken")["matched"],
        table.rows[-1]["matched"],
    ) == (1, 1)
    code2 = row(table, "Belemmeringen collectief werken")
    assert (code2["matched"], code2["only_anouk"], code2["only_bart"]) == (0, 2, 1)
    stricter = agreement(coded, ["anouk", "bart"], unit="quotation", threshold=0.95)
    assert stricter.rows[-1]["matched"] == 0
    presence = agreement(coded, ["anouk", "bart"], unit="document")
    code20 = row(presence, "Sociale kaart")
    assert (code20["both"], code20["only_anouk"], code20["only_bart"], code20["neither"]) == (
        0,
        0,
        1,
        1,
    )


def test_three_coders_use_fleiss_and_alpha(coded: Project) -> None:
    table = agreement(coded, ["anouk", "bart", "carla"], documents=["R01"], codes=["2"])
    code2 = table.rows[0]
    # anouk [0,20), bart [10,30), carla [70,80): 10 chars by two coders, 30 by one.
    assert (code2["coded_by_3"], code2["coded_by_2"], code2["coded_by_1"]) == (0, 10, 30)
    assert code2["coded_by_0"] == L1 - 40
    assert code2["fleiss_kappa"] is not None and code2["krippendorff_alpha"] is not None


@pytest.mark.parametrize(
    ("coders", "kwargs", "message"),
    [
        (["anouk"], {}, "at least two different coders"),
        (["anouk", "anouk"], {}, "at least two different coders"),
        (["anouk", "bart", "carla"], {"unit": "quotation"}, "give exactly two"),
        (["anouk", "carla"], {"unit": "fish"}, "unit 'fish'"),
        (["carla", "dirk"], {}, "not coded any document in common"),
    ],
)
def test_bad_requests_are_explained(
    coded: Project, coders: list[str], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        agreement(coded, coders, **kwargs)  # type: ignore[arg-type]
