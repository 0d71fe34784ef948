"""Frame-level average precision at IoU 0.5 (mAP50), all-point interpolation (VOC 2010+).

Per class: predictions of all frames sorted by confidence; each is a true positive when it
overlaps (IoU >= 0.5) a not yet matched truth box of its class in its frame (the best such),
else a false positive; AP is the area under the precision-recall curve after making precision
non-increasing. mAP50 is the mean AP over the classes that have truth boxes and that the model
has (``model_classes``, as the frames' detections name them): truth of a class the model cannot
predict (a state judged by another method, e.g. a damaged cover against its reference image)
is listed per class but not averaged in. A prediction that matches no truth of its own class
but overlaps (IoU >= 0.5) such a box (the model calls a damaged cover ``manhole_cover``, which
it is) is ignored, as COCO ignores crowd regions: neither a hit nor a false alarm.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from gridwatch.tracking.matching import iou_matrix

Box = tuple[float, float, float, float]


@dataclass
class ClassAP:
    truths: int
    predictions: int
    ap50: float | None


@dataclass
class APAccumulator:
    """Collects predictions and truth boxes frame by frame."""

    iou: float = 0.5
    _scores: dict[str, list[tuple[float, bool]]] = field(default_factory=lambda: defaultdict(list))
    _truths: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    model_classes: set[str] = field(default_factory=set)

    def add_frame(self, predictions: list[tuple[str, float, Box]], truths: list[tuple[str, Box]],
                  model_classes: tuple[str, ...] = ()) -> None:
        """Score one frame's ``predictions`` against its ``truths``; ``model_classes``: the
        classes the model can predict (unknown: every class counts)."""
        self.model_classes.update(model_classes)
        other = np.array([b for n, b in truths if model_classes and n not in model_classes],
                         dtype=np.float64).reshape(-1, 4)
        for name in {n for n, _, _ in predictions} | {n for n, _ in truths}:
            preds = sorted((p for p in predictions if p[0] == name), key=lambda p: -p[1])
            gts = np.array([b for n, b in truths if n == name], dtype=np.float64).reshape(-1, 4)
            self._truths[name] += len(gts)
            ious = iou_matrix(np.array([p[2] for p in preds], dtype=np.float64).reshape(-1, 4), gts)
            taken = np.zeros(len(gts), dtype=bool)
            for i, (_, score, _) in enumerate(preds):
                row = np.where(taken, -1.0, ious[i]) if len(gts) else np.zeros(0)
                best = int(np.argmax(row)) if len(row) else -1
                hit = best >= 0 and row[best] >= self.iou
                if hit:
                    taken[best] = True
                elif self._overlaps(preds[i][2], other):
                    continue
                self._scores[name].append((score, hit))

    def _overlaps(self, box: Box, others: np.ndarray) -> bool:
        """Whether ``box`` overlaps one of ``others`` by at least the matching IoU."""
        if not len(others):
            return False
        return bool(iou_matrix(np.array([box], dtype=np.float64), others).max() >= self.iou)

    def per_class(self) -> dict[str, ClassAP]:
        names = sorted(set(self._scores) | set(self._truths))
        return {
            n: ClassAP(self._truths[n], len(self._scores[n]), _ap(self._scores[n], self._truths[n]))
            for n in names
        }

    def map50(self) -> float | None:
        aps = [c.ap50 for n, c in self.per_class().items()
               if c.ap50 is not None and (not self.model_classes or n in self.model_classes)]
        return float(np.mean(aps)) if aps else None


def _ap(scored: list[tuple[float, bool]], truths: int) -> float | None:
    if truths == 0:
        return None
    if not scored:
        return 0.0
    hits = np.array([h for _, h in sorted(scored, key=lambda s: -s[0])], dtype=np.float64)
    tp = np.cumsum(hits)
    recall = np.r_[0.0, tp / truths, 1.0]
    precision = np.r_[1.0, tp / np.arange(1, len(hits) + 1), 0.0]
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    steps = np.flatnonzero(recall[1:] != recall[:-1])
    return float(np.sum((recall[steps + 1] - recall[steps]) * precision[steps + 1]))
