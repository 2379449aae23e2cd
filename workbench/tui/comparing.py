"""Comparing coders and merging code trees: what the compare, consensus and merge
screens load and store through the workbench."""

from __future__ import annotations

from textual import on

from workbench.domain.codetree import CodeSpec
from workbench.domain.errors import WorkbenchError
from workbench.merge.plan import PlanRow
from workbench.services import consensus, tree_merge
from workbench.services.agreement import (
    AgreementTable,
    VersusConsensus,
    agreement,
    versus_consensus,
)
from workbench.services.consensus import CONSENSUS
from workbench.services.project import coder_names, tree_names
from workbench.tui.compare import CompareScreen, DisagreementScreen
from workbench.tui.dialogs import Ask
from workbench.tui.loading import DocumentLoading
from workbench.tui.merge import MergeScreen


class CompareActions(DocumentLoading):
    """Opening the compare and merge screens, and their service calls."""

    # --- comparing coders ---------------------------------------------------------------

    def action_compare(self) -> None:
        def answer(text: str | None) -> None:
            names = [n.strip() for n in (text or "").split(",") if n.strip()]
            if len(names) >= 2:
                self.push_screen(CompareScreen(names))
            elif text is not None:
                self.notify("Name two or more coders, separated by commas", severity="error")

        def ask(known: list[str]) -> None:
            others = [n for n in known if n not in (self.coder, CONSENSUS)]
            suggestion = ", ".join([self.coder, *others[:1]] if self.coder else others[:2])
            self.push_screen(
                Ask("Compare which coders? (names, separated by commas)", suggestion), answer
            )

        self._background(lambda: coder_names(self.project), ask)

    @on(CompareScreen.Load)
    def load_agreement(self, request: CompareScreen.Load) -> None:
        coders, unit, documents = request.coders, request.unit, request.documents

        def load() -> tuple[AgreementTable, list[VersusConsensus]]:
            table = agreement(
                self.project, coders, unit=unit, documents=documents, tree=self.tree_name
            )
            versus = []
            if CONSENSUS in coder_names(self.project) and CONSENSUS not in coders:
                versus = versus_consensus(
                    self.project,
                    coders,
                    CONSENSUS,
                    unit=unit,
                    documents=documents,
                    tree=self.tree_name,
                )
            return table, versus

        self._background(load, request.reply)

    @on(CompareScreen.DisagreementsRequested)
    def browse_disagreements(self, request: CompareScreen.DisagreementsRequested) -> None:
        coder_a, coder_b = request.coder_a, request.coder_b

        def show(found: list[consensus.Passage]) -> None:
            self.push_screen(DisagreementScreen(coder_a, coder_b, found))

        self._background(
            lambda: consensus.passages(
                self.project,
                request.code,
                coder_a,
                coder_b,
                documents=request.documents,
                tree=self.tree_name,
                by=self.coder,
            ),
            show,
        )

    @on(DisagreementScreen.Decide)
    def decide_passage(self, request: DisagreementScreen.Decide) -> None:
        passage, choice = request.passage, request.choice
        self._background(
            lambda: consensus.decide(self.project, passage.id, choice, by=self.coder),
            request.reply,
        )

    # --- merging code trees -------------------------------------------------------------

    def action_merge_trees(self) -> None:
        def answer(text: str | None) -> None:
            names = [n.strip() for n in (text or "").split(",") if n.strip()]
            if len(names) < 2 or len({n.casefold() for n in names}) < len(names):
                if text is not None:
                    self.notify(
                        "Name two or more different trees, separated by commas",
                        severity="error",
                    )
                return

            def show(rows: list[PlanRow]) -> None:
                self.push_screen(MergeScreen(names, rows))

            self._background(
                lambda: tree_merge.propose_plan(tree_merge.trees_from_project(self.project, names)),
                show,
            )

        def ask(trees: list[str]) -> None:
            if len(trees) < 2:
                self.notify(
                    f"Merging needs two code trees; this project has {len(trees)} "
                    f"({', '.join(trees) or 'none'}). Each coder loads their own with "
                    "`workbench codebook load FILE --tree NAME` (or starts one with "
                    "`workbench codebook new NAME`), or bring in a coder's project with "
                    "`workbench merge-project`.",
                    severity="warning",
                    timeout=10,
                )
                return
            own = [t for t in trees if t != "joint"]
            self.push_screen(
                Ask("Merge which trees? (two or more, separated by commas)", ", ".join(own)),
                answer,
            )

        self._background(lambda: tree_names(self.project), ask)

    @on(MergeScreen.Preview)
    def preview_merge(self, request: MergeScreen.Preview) -> None:
        names, rows = request.names, request.rows

        def load() -> tuple[list[CodeSpec], dict[str, int]]:
            trees = tree_merge.trees_from_project(self.project, names, evidence=False)
            try:
                joint = tree_merge.joint_codebook(trees, rows, "joint", "the plan")
            except WorkbenchError:
                return [], {}
            return joint.book.roots, tree_merge.preview_counts(self.project, names, rows)

        self._background(load, request.reply)

    @on(MergeScreen.ApplyRequested)
    def apply_merge(self, request: MergeScreen.ApplyRequested) -> None:
        names, rows = request.names, request.rows

        def done(result: tree_merge.MergeResult) -> None:
            said = [f"renumbered {line}" for line in result.renumbered]
            if result.catch_all:
                said.append(f"{result.catch_all!r} is the catch-all code")
            self.notify(
                "\n".join(
                    [
                        f"Created tree {result.tree!r}: {result.codes} codes, "
                        f"{result.quotations} quotations (ctrl+z undoes it)",
                        *said,
                    ]
                ),
                timeout=10 if said else 5,
            )
            self.pop_screen()
            self.refresh_all()

        self._background(
            lambda: tree_merge.apply_plan(
                self.project,
                names,
                rows,
                joint=tree_merge.joint_name_for(self.project, names),
                coder=self.coder or None,
            ),
            done,
        )
