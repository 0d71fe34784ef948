"""One state per object: of two boxes on one object whose classes are its exclusive states
(a manhole cover in its seat, the open hole where it should be), only the likelier stands.

A detector scores each class on its own, so a dark cast-iron cover may come out as both
``manhole_cover`` (0.6) and ``manhole_open`` (0.5) on the same box; the open hole must not
count there. Boxes of a group overlapping by ``SAME_OBJECT_IOU`` are one object; the
highest-scoring box's class wins and the others go. Classes outside every group, and models
without a group's classes, pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gridwatch.config.incidents import EXCLUSIVE_STATES
from gridwatch.tracking.matching import iou_matrix
from gridwatch.types import Detections

SAME_OBJECT_IOU = 0.5


def one_state_per_object(
    detections: Detections, groups: Sequence[tuple[str, ...]] = EXCLUSIVE_STATES
) -> Detections:
    """``detections`` without the boxes outscored by another state of the same object."""
    keep = np.ones(len(detections), dtype=bool)
    for group in groups:
        ids = [i for i, name in enumerate(detections.names) if name in group]
        members = np.flatnonzero(np.isin(detections.class_id, ids))
        if len(ids) < 2 or len(members) < 2:
            continue
        boxes = detections.xyxy[members].astype(np.float64)
        overlap = iou_matrix(boxes, boxes) >= SAME_OBJECT_IOU
        different = detections.class_id[members][:, None] != detections.class_id[members][None, :]
        scores = detections.confidence[members]
        beaten = (overlap & different & (scores[None, :] > scores[:, None])).any(axis=1)
        keep[members[beaten]] = False
    return detections if keep.all() else detections[keep]
