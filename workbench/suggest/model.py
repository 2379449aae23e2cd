"""The model: TF-IDF over words and character n-grams, scored against each code's
centroid and its nearest coded quotation, learnt from the team's own coded quotations.

Words catch the topic; character n-grams within words catch Dutch compounds and
inflections (`wachtlijst`, `wachtlijsten`) without a stemmer or a download. A code's
score for a passage is the cosine similarity to the mean of the code's quotations (a
linear model: one weight vector per code), lifted by the similarity to the code's
nearest quotation, so that a passage almost the same as a coded one gets that code
first even for a code with few quotations. Both are cosines of non-negative vectors,
so a score lies between 0 and 1. scikit-learn and numpy are imported inside the
functions: loading them takes a second or more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

NEAREST_WEIGHT = 0.25  # the rest is the centroid's; measured in benchmarks/suggest.py


@dataclass(frozen=True, slots=True)
class Example:
    """One coded quotation under one of its codes."""

    text: str
    code_id: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    code_id: int
    score: float  # 0 to 1, higher is more alike


class Suggester:
    """A trained model; `suggest` and `rank` are cheap, `train` is not."""

    def __init__(self, vectorizer: Any, matrix: Any, labels: Sequence[int]) -> None:
        import numpy as np
        from sklearn.preprocessing import normalize

        self._vectorizer = vectorizer
        self.codes = sorted(set(labels))
        self.frequency = Counter(labels)
        order = np.asarray(labels)
        self._rows = {code: np.flatnonzero(order == code) for code in self.codes}
        self._matrix = matrix  # the quotations, one L2-normalised row each
        centroids = np.vstack([np.asarray(matrix[self._rows[c]].mean(axis=0)) for c in self.codes])
        self._centroids = normalize(centroids)

    def _scores(self, texts: Sequence[str]) -> Any:
        """A texts x codes array of scores."""
        import numpy as np
        from sklearn.preprocessing import normalize

        vectors = normalize(self._vectorizer.transform(list(texts)))
        similarity = (vectors @ self._matrix.T).toarray()
        nearest = np.column_stack([similarity[:, self._rows[c]].max(axis=1) for c in self.codes])
        centroid = np.asarray(vectors @ self._centroids.T)
        return NEAREST_WEIGHT * nearest + (1 - NEAREST_WEIGHT) * centroid

    def suggest(self, texts: Sequence[str], top: int = 3) -> list[list[Suggestion]]:
        """Up to `top` codes for each text, best first (ties: the more frequent code);
        a code whose score is 0 (no word or n-gram in common) is never suggested."""
        if not texts:
            return []
        found = []
        for row in self._scores(texts).tolist():
            ranked = sorted(
                zip(self.codes, row, strict=True),
                key=lambda item: (-item[1], -self.frequency[item[0]], item[0]),
            )
            found.append(
                [Suggestion(code, round(score, 3)) for code, score in ranked[:top] if score > 0]
            )
        return found

    def rank(self, code_id: int, texts: Sequence[str]) -> list[float]:
        """How much each text looks like the quotations of `code_id` (0 to 1)."""
        if code_id not in self.frequency:
            raise ValueError(f"code {code_id} has no quotations to learn from")
        if not texts:
            return []
        column = self.codes.index(code_id)
        return [round(float(score), 3) for score in self._scores(texts)[:, column]]


def train(examples: Sequence[Example]) -> Suggester:
    """A model of which code goes with which text; needs at least one example."""
    if not examples:
        raise ValueError("nothing to learn from: no coded quotations")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion
    from sklearn.preprocessing import normalize

    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")
    characters = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, strip_accents="unicode"
    )
    vectorizer = FeatureUnion([("words", words), ("characters", characters)])
    matrix = normalize(vectorizer.fit_transform([example.text for example in examples])).tocsr()
    return Suggester(vectorizer, matrix, [example.code_id for example in examples])
