"""The learned text model, read from two files written by `python -m bench.train_calibration`.

`model.json` holds everything a person may want to read (the ids, the vocabulary, the
temperature, the policy's thresholds, the fingerprint of the training inputs and what
cross-validation measured); `weights.bin` holds the numbers, little-endian:

    magic b"KMC1", then uint32 classes, terms, postings
    float32 intercept[classes]        one per class (the last class is "no catalog entry")
    float32 idf[terms]                inverse document frequency of each vocabulary term
    uint32  offset[terms + 1]         term t's weights are postings offset[t] .. offset[t+1]
    uint16  klass[postings]           the class of each posting
    float32 weight[postings]          its weight (a linear SVM's, the smallest pruned away)

A paste's margin for a class is its intercept plus the sum, over the terms the paste holds,
of the term's TF-IDF value (1 + log count, times idf, L2-normalised) times its weight; the
probabilities are a softmax of the margins divided by the temperature. Pure Python (`array`,
`struct`, `json`): the bot never imports scikit-learn.

Loading checks the files whole, so a damaged or foreign model fails there with ModelError (and
the learned rule is then not consulted), never later with an IndexError or a NaN probability:
the metadata's shape, the header against it, every offset and class in range, no bytes left
over, and every number finite.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from intents.calibration.text import Reading

DATA = Path(__file__).parent / "data"
MODEL_JSON = "model.json"
WEIGHTS = "weights.bin"
MAGIC = b"KMC1"
NONE = "(none)"
"""The class of a paste no catalog entry explains (healthy output, chat, other errors)."""


class ModelError(Exception):
    """The model files are missing, malformed or do not fit together."""


META_KEYS: dict[str, type | tuple[type, ...]] = {
    "classes": list,
    "vocabulary": list,
    "temperature": (int, float),
    "reading": dict,
}
"""What `model.json` must hold, by type (anything else it holds is for people to read)."""


def _typed_keys(meta: dict[str, Any]) -> None:
    """Each key of the model's meta present, of its type (a bool is no number)."""
    for key, kind in META_KEYS.items():
        if not isinstance(meta.get(key), kind) or isinstance(meta.get(key), bool):
            raise ModelError(
                f"{MODEL_JSON}: {key!r} is missing or not a {getattr(kind, '__name__', 'number')}"
            )


def _checked_meta(meta: object) -> dict[str, Any]:
    if not isinstance(meta, dict):
        raise ModelError(f"{MODEL_JSON} is not a JSON object")
    _typed_keys(meta)
    if not all(isinstance(name, str) for name in (*meta["classes"], *meta["vocabulary"])):
        raise ModelError(f"{MODEL_JSON}: classes and vocabulary must be strings")
    if not meta["classes"] or meta["classes"][-1] != NONE:
        raise ModelError(f"{MODEL_JSON}: the last class must be {NONE!r}")
    if not (math.isfinite(meta["temperature"]) and meta["temperature"] > 0):
        raise ModelError(f"{MODEL_JSON}: the temperature must be a positive finite number")
    return meta


def _finite(name: str, values: array[float]) -> None:
    # float32s summed as float64 cannot overflow: the sum is finite exactly when every value is
    if not math.isfinite(sum(values)):
        raise ModelError(
            f"{WEIGHTS}: its {name} hold a value that is not a finite number (NaN or infinite)"
        )


def _consistent(offset: array[int], klass: array[int], classes: int, postings: int) -> None:
    if offset[0] != 0 or offset[-1] != postings or any(a > b for a, b in pairwise(offset)):
        raise ModelError(f"{WEIGHTS}: its term offsets do not cover its postings in order")
    if postings and max(klass) >= classes:
        raise ModelError(f"{WEIGHTS}: a posting names a class past the {classes} it has")


def _read(kind: str, data: bytes, start: int, count: int) -> tuple[array[Any], int]:
    values = array(kind)
    end = start + count * values.itemsize
    if end > len(data):
        raise ModelError(f"{WEIGHTS} is truncated")
    values.frombytes(data[start:end])
    if sys.byteorder == "big":
        values.byteswap()
    return values, end


@dataclass(frozen=True)
class TextModel:
    """A linear model over word terms: P(each catalog id, or none | the text it read)."""

    meta: dict[str, Any]
    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    intercept: array[float]
    idf: array[float]
    offset: array[int]
    klass: array[int]
    weight: array[float]

    @classmethod
    def load(cls, folder: Path = DATA) -> TextModel:
        """Read the two files (raises ModelError when they are missing or disagree)."""
        try:
            meta = _checked_meta(json.loads((folder / MODEL_JSON).read_text(encoding="utf-8")))
            data = (folder / WEIGHTS).read_bytes()
        except (OSError, ValueError, RecursionError) as error:
            raise ModelError(f"cannot read the calibration model in {folder}: {error}") from error
        if len(data) < 16 or data[:4] != MAGIC:
            raise ModelError(f"{WEIGHTS} is not a kubemedic calibration model")
        classes, terms, postings = struct.unpack_from("<3I", data, 4)
        if classes != len(meta["classes"]) or terms != len(meta["vocabulary"]):
            raise ModelError(f"{WEIGHTS} does not fit {MODEL_JSON}: retrain both")
        start = 16
        intercept, start = _read("f", data, start, classes)
        idf, start = _read("f", data, start, terms)
        offset, start = _read("I", data, start, terms + 1)
        klass, start = _read("H", data, start, postings)
        weight, start = _read("f", data, start, postings)
        if start != len(data):
            raise ModelError(f"{WEIGHTS} has {len(data) - start} bytes past its end: retrain both")
        _consistent(offset, klass, classes, postings)
        for name, values in (("intercepts", intercept), ("idf values", idf), ("weights", weight)):
            _finite(name, values)
        vocabulary = dict(zip(meta["vocabulary"], range(terms)))
        return cls(meta, tuple(meta["classes"]), vocabulary, intercept, idf, offset, klass, weight)

    @property
    def reading(self) -> Reading:
        return Reading(**self.meta["reading"])

    @property
    def temperature(self) -> float:
        return float(self.meta["temperature"])

    def margins(self, counts: Counter[str]) -> list[float]:
        """One margin per class for the counted terms."""
        values: list[tuple[int, float]] = []
        for term, count in counts.items():
            index = self.vocabulary.get(term)
            if index is not None:
                values.append((index, (1.0 + math.log(count)) * self.idf[index]))
        margins = list(self.intercept)
        norm = math.sqrt(sum(value * value for _, value in values)) or 1.0
        offset, klass, weight = self.offset, self.klass, self.weight
        for index, value in values:
            share = value / norm
            start, end = offset[index], offset[index + 1]
            for target, amount in zip(klass[start:end], weight[start:end]):
                margins[target] += share * amount
        return margins

    def probabilities(self, counts: Counter[str]) -> dict[str, float]:
        """P(class | terms) for every class, by a softmax of the margins at the temperature."""
        temperature = self.temperature  # (read once: a property, not once a class)
        scaled = [margin / temperature for margin in self.margins(counts)]
        top = max(scaled)
        exps = [math.exp(value - top) for value in scaled]
        total = sum(exps)
        return {name: value / total for name, value in zip(self.classes, exps)}

    def top_terms(self, class_name: str, count: int) -> list[tuple[str, float]]:
        """The vocabulary terms with the largest weight for one class (for inspection)."""
        wanted = self.classes.index(class_name)
        terms = list(self.vocabulary)
        found = [
            (terms[index], self.weight[position])
            for index in range(len(terms))
            for position in range(self.offset[index], self.offset[index + 1])
            if self.klass[position] == wanted
        ]
        return sorted(found, key=lambda pair: -pair[1])[:count]


def write_model(
    folder: Path,
    meta: dict[str, Any],
    vocabulary: Sequence[str],
    intercept: Sequence[float],
    idf: Sequence[float],
    postings: Sequence[Sequence[tuple[int, float]]],
) -> None:
    """Write model.json and weights.bin; `meta["classes"]` names the classes (the last is NONE),
    and `postings[t]` holds term t's (class, weight) pairs."""
    classes = meta["classes"]
    if classes[-1] != NONE or len(classes) >= 2**16 or len(intercept) != len(classes):
        raise ModelError(f"classes must end with {NONE!r}, fit uint16 and match the intercepts")
    if not len(vocabulary) == len(idf) == len(postings):
        raise ModelError("vocabulary, idf and postings must have one item per term")
    offset, klass, weight = array("I", [0]), array("H"), array("f")
    for pairs in postings:
        klass.extend(target for target, _ in pairs)
        weight.extend(amount for _, amount in pairs)
        offset.append(len(klass))
    parts: list[array[Any]] = [array("f", intercept), array("f", idf), offset, klass, weight]
    if sys.byteorder == "big":
        for part in parts:
            part.byteswap()
    header = MAGIC + struct.pack("<3I", len(classes), len(vocabulary), len(klass))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / WEIGHTS).write_bytes(header + b"".join(part.tobytes() for part in parts))
    document = {**meta, "vocabulary": list(vocabulary)}
    (folder / MODEL_JSON).write_text(
        json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


@cache
def shipped_model() -> TextModel:
    """The model shipped in the package, read once on first use."""
    return TextModel.load(DATA)
