"""Fit the text model with scikit-learn and write it in the runtime's format (training only).

Terms are counted by the runtime's own functions (intents.calibration.text), so the features
the bot computes are exactly the ones the model was fitted on; scikit-learn only fits the
linear SVM. The vocabulary is every term in at least two training texts (the most frequent
`max_terms`), weighted by TF-IDF (1 + log count, smoothed idf, L2 norm); after fitting, only
the largest `keep` share of the weights (by magnitude) is kept, which is what keeps the
shipped file small and the per-paste cost low.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.svm import LinearSVC

from intents.calibration.model import write_model


@dataclass(frozen=True)
class Fitted:
    """A fitted, pruned model: vocabulary, idf, and a dense (classes x terms) weight matrix."""

    classes: list[str]
    vocabulary: list[str]
    idf: np.ndarray
    weights: np.ndarray
    intercept: np.ndarray

    def matrix(self, counts: Sequence[Counter[str]]) -> sp.csr_matrix:
        return vectorise(counts, {term: i for i, term in enumerate(self.vocabulary)}, self.idf)

    def margins(self, counts: Sequence[Counter[str]]) -> np.ndarray:
        return np.asarray(self.matrix(counts) @ self.weights.T) + self.intercept


def vectorise(
    counts: Sequence[Counter[str]], index: dict[str, int], idf: np.ndarray
) -> sp.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for row, counted in enumerate(counts):
        items = [
            (index[t], (1.0 + math.log(n)) * float(idf[index[t]]))
            for t, n in counted.items()
            if t in index
        ]
        norm = math.sqrt(sum(v * v for _, v in items)) or 1.0
        for col, value in items:
            rows.append(row)
            cols.append(col)
            values.append(value / norm)
    return sp.csr_matrix((values, (rows, cols)), shape=(len(counts), len(index)), dtype=np.float64)


def fit(
    counts: Sequence[Counter[str]],
    labels: Sequence[str],
    classes: list[str],
    *,
    c: float,
    keep: float,
    max_terms: int,
    seed: int,
) -> Fitted:
    """Fit on the counted texts; `classes` fixes the class order (every one must occur)."""
    document_frequency: Counter[str] = Counter()
    for counted in counts:
        document_frequency.update(counted.keys())
    vocabulary = sorted(
        (t for t, n in document_frequency.items() if n >= 2),
        key=lambda t: (-document_frequency[t], t),
    )[:max_terms]
    total = len(counts)
    # rounded to float32 as shipped, so cross-validation scores what the bot computes
    idf = np.array(
        [math.log((1 + total) / (1 + document_frequency[t])) + 1 for t in vocabulary],
        dtype=np.float32,
    ).astype(np.float64)
    index = {term: i for i, term in enumerate(vocabulary)}
    svm = LinearSVC(C=c, random_state=seed, max_iter=5000).fit(
        vectorise(counts, index, idf), list(labels)
    )
    order = [list(svm.classes_).index(name) for name in classes]
    weights = np.asarray(svm.coef_)[order].astype(np.float32)
    cut = np.quantile(np.abs(weights), 1.0 - keep) if keep < 1.0 else 0.0
    weights[np.abs(weights) < cut] = 0.0
    intercept = np.asarray(svm.intercept_)[order].astype(np.float32)
    return Fitted(classes, vocabulary, idf.astype(np.float32), weights, intercept)


def write(fitted: Fitted, meta: dict[str, Any], folder: Path) -> None:
    """model.json and weights.bin, in the format intents.calibration.model reads."""
    columns = fitted.weights.T  # terms x classes
    postings = [
        [(int(k), float(columns[term, k])) for k in np.flatnonzero(columns[term])]
        for term in range(columns.shape[0])
    ]
    write_model(
        folder,
        {**meta, "classes": fitted.classes},
        fitted.vocabulary,
        fitted.intercept.tolist(),
        fitted.idf.tolist(),
        postings,
    )
