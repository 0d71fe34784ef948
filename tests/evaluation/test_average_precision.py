"""Frame-level AP50 on hand-made predictions with known answers."""

from __future__ import annotations

import pytest

from gridwatch.evaluation.average_precision import APAccumulator

A = (0.1, 0.1, 0.2, 0.2)
B = (0.5, 0.5, 0.7, 0.7)
NEAR_A = (0.11, 0.1, 0.21, 0.2)  # IoU with A ~0.82
OFF = (0.8, 0.8, 0.9, 0.9)
Box = tuple[float, float, float, float]
Pred = tuple[str, float, Box]
Truth = tuple[str, Box]


@pytest.mark.parametrize(
    ("frames", "ap"),
    [
        ([([("c", 0.9, A)], [("c", A)])], 1.0),
        ([([("c", 0.9, NEAR_A)], [("c", A)])], 1.0),
        ([([("c", 0.9, OFF)], [("c", A)])], 0.0),
        ([([], [("c", A)])], 0.0),
        # one hit one miss, the hit scoring higher: P=1 up to R=0.5
        ([([("c", 0.9, A), ("c", 0.8, OFF)], [("c", A), ("c", B)])], 0.5),
        # the miss scores higher: P=0.5 at R=0.5
        ([([("c", 0.7, A), ("c", 0.8, OFF)], [("c", A), ("c", B)])], 0.25),
        # a duplicate of a matched box is a false positive, but ranks after the hit
        ([([("c", 0.9, A), ("c", 0.8, NEAR_A)], [("c", A)])], 1.0),
        # across frames: ranks are global
        ([([("c", 0.6, A)], [("c", A)]), ([("c", 0.9, OFF)], [("c", B)])], 0.25),
    ],
)
def test_ap50_of_one_class(frames: list[tuple[list[Pred], list[Truth]]], ap: float) -> None:
    acc = APAccumulator()
    for preds, truths in frames:
        acc.add_frame(preds, truths)
    assert acc.per_class()["c"].ap50 == pytest.approx(ap)
    assert acc.map50() == pytest.approx(ap)


def test_classes_do_not_match_each_other_and_map_averages_classes_with_truth() -> None:
    acc = APAccumulator()
    acc.add_frame([("a", 0.9, A), ("b", 0.9, B), ("ghost", 0.5, OFF)], [("a", A), ("b", A)])
    per = acc.per_class()
    assert (per["a"].ap50, per["b"].ap50, per["ghost"].ap50) == (1.0, 0.0, None)
    assert per["ghost"].predictions == 1 and per["ghost"].truths == 0
    assert acc.map50() == pytest.approx(0.5)


@pytest.mark.parametrize(("model_classes", "expected"), [
    ((), 0.5),  # unknown: every class with truth counts
    (("a",), 1.0),  # "b" is judged another way (no such model class): listed, not averaged
    (("a", "b"), 0.5),
])
def test_map_averages_only_the_classes_the_model_has(model_classes: tuple[str, ...],
                                                     expected: float) -> None:
    acc = APAccumulator()
    acc.add_frame([("a", 0.9, A)], [("a", A), ("b", B)], model_classes)
    assert acc.per_class()["b"].ap50 == 0.0
    assert acc.map50() == pytest.approx(expected)


@pytest.mark.parametrize(("model_classes", "predictions", "ap"), [
    # a "cover" box on a damaged cover (truth the model has no class for) is ignored...
    (("cover",), [("cover", 0.9, A), ("cover", 0.95, B)], 1.0),
    # ...unless the model is said to have that class: then it is a false alarm ranked first
    (("cover", "damaged"), [("cover", 0.9, A), ("cover", 0.95, B)], 0.5),
    # a box off every truth is still a false alarm
    (("cover",), [("cover", 0.9, A), ("cover", 0.95, OFF)], 0.5),
])
def test_predictions_on_truth_of_classes_the_model_lacks_are_ignored(
        model_classes: tuple[str, ...], predictions: list[Pred], ap: float) -> None:
    acc = APAccumulator()
    acc.add_frame(predictions, [("cover", A), ("damaged", B)], model_classes)
    assert acc.per_class()["cover"].ap50 == pytest.approx(ap)
    assert acc.per_class()["cover"].predictions == (1 if ap == 1.0 else 2)
