"""Two workbenches open on one project: what one coder changes shows in the other's
window within a second, without a restart (issue 18)."""

from __future__ import annotations

import time
from pathlib import Path

from tests.helpers import INTERVIEW, small_codebook, write
from tests.test_tui import settle
from workbench.services.codebook import load_codebook
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.tui.app import make_app
from workbench.tui.dialogs import Ask
from workbench.tui.panels import CodeTree


async def test_a_code_added_in_one_workbench_appears_in_the_other_within_a_second(
    project_location: str, tmp_path: Path
) -> None:
    with open_project(project_location) as setup:
        load_codebook(setup, small_codebook(tmp_path))
        import_transcripts(setup, [write(tmp_path / "R01.txt", INTERVIEW)])
    with open_project(project_location) as mine, open_project(project_location) as theirs:
        anouk, bart = make_app(mine, coder="anouk"), make_app(theirs, coder="bart")
        async with anouk.run_test(size=(100, 30)) as one, bart.run_test(size=(100, 30)) as two:
            await settle(anouk, one)
            await settle(bart, two)
            assert "Bijvangst" not in [code.name for code in bart.codes]
            anouk.query_one(CodeTree).focus()
            await one.press("a")
            await settle(anouk, one)
            assert isinstance(anouk.screen, Ask)
            await one.press(*"Bijvangst", "enter")
            await settle(anouk, one)
            assert "Bijvangst" in [code.name for code in anouk.codes]
            added = time.monotonic()
            while "Bijvangst" not in [code.name for code in bart.codes]:
                assert time.monotonic() - added < 1.0, "bart's tree did not show the new code"
                await two.pause(0.05)
            labels = [str(node.label) for node in bart.query_one(CodeTree).root.children]
            assert any("Bijvangst" in label for label in labels)
