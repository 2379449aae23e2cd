"""Assisted coding on the researcher's own machine: passages of a document that nobody
has coded yet, and the codes the team's own coded quotations suggest for them.

Pure functions over texts and codings: no database, no screen, no network. The
learning library (scikit-learn) is imported only when a model is trained, so that
nothing else pays for loading it.
"""

from workbench.suggest.model import Example, Suggester, Suggestion, train
from workbench.suggest.passages import UNITS, Passage, uncoded_passages

__all__ = [
    "UNITS",
    "Example",
    "Passage",
    "Suggester",
    "Suggestion",
    "train",
    "uncoded_passages",
]
