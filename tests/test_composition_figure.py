"""The posable figure: symmetry, every control changes the picture, presets, errors."""

import numpy as np
import pytest

from portrait_lessons.composition import figure as F

SIZE = (288, 384)


def ink(picture: np.ndarray) -> np.ndarray:
    """Where the figure (or its shadow) is: pixels away from both the paper and the floor tone."""
    diff = lambda tone: np.abs(picture.astype(int) - tone).sum(axis=2)  # noqa: E731
    return (diff(F.PAPER) > 24) & (diff(F.FLOOR) > 24)


@pytest.mark.parametrize("arms", ["sides", "open", "hips"])
@pytest.mark.parametrize("camera_height", [0.6, 1.6, 2.6])
def test_symmetric_poses_draw_a_mirror_symmetric_silhouette(arms, camera_height):
    pose = F.Pose(arms=arms, camera_height=camera_height, head_pitch=10, shoulders=0.5)
    mask = ink(F.render_figure(pose, SIZE))
    mirrored = mask[:, ::-1]
    overlap = (mask & mirrored).sum() / (mask | mirrored).sum()
    assert mask.sum() > 2000
    assert overlap > 0.97


def test_turning_breaks_the_symmetry():
    mask = ink(F.render_figure(F.Pose(turn=40, arms="open"), SIZE))
    overlap = (mask & mask[:, ::-1]).sum() / (mask | mask[:, ::-1]).sum()
    assert overlap < 0.9


@pytest.mark.parametrize(
    "change",
    [{"lean": 20}, {"lean": -20}, {"head_pitch": 25}, {"head_roll": 20}, {"turn": 45},
     {"shoulders": 1}, {"shoulders": -1}, {"stance": 0.28}, {"camera_height": 0.5}, {"arms": "crossed"},
     {"arms": "open"}, {"arms": "hips"}, {"arms": "hand_to_chin"}],
)  # fmt: skip
def test_every_control_changes_the_picture(change):
    before = F.render_figure(F.Pose(), SIZE)
    after = F.render_figure(F.Pose(**change), SIZE)
    assert (np.abs(before.astype(int) - after).sum(axis=2) > 30).sum() > 200


def test_rendering_is_deterministic_and_sized():
    a = F.render_figure(F.preset("contemplative"), (200, 300))
    b = F.render_figure(F.preset("contemplative"), (200, 300))
    assert a.shape == (300, 200, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b)


def test_open_arms_take_more_room_than_crossed():
    def width(pose):
        columns = np.nonzero(ink(F.render_figure(pose, SIZE))[SIZE[1] * 2 // 5])[0]
        return columns.max() - columns.min()

    assert width(F.Pose(arms="open")) > 1.5 * width(F.Pose(arms="crossed"))


def test_camera_height_moves_the_horizon_and_the_head():
    low = F.Camera(0.6, (576, 768))
    high = F.Camera(2.6, (576, 768))
    assert high.horizon() < low.horizon()
    # From above, the head is relatively larger than the feet: the top of the figure is nearer.
    head_low = F.render_figure(F.Pose(camera_height=0.6), SIZE)
    head_high = F.render_figure(F.Pose(camera_height=2.6), SIZE)
    assert not np.array_equal(head_low, head_high)


def test_limbs_keep_their_lengths_in_every_preset():
    for name in F.PRESETS:
        j = F.skeleton(F.preset(name))
        for side in "lr":
            upper = np.linalg.norm(j[f"{side}_elbow"] - j[f"{side}_shoulder"])
            lower = np.linalg.norm(j[f"{side}_wrist"] - j[f"{side}_elbow"])
            assert upper == pytest.approx(F.BODY["upper_arm"], abs=1e-6)
            assert lower == pytest.approx(F.BODY["forearm"], abs=1e-6)


def test_bad_poses_get_clear_errors():
    with pytest.raises(ValueError, match="lean runs from -25.0 to 25.0"):
        F.Pose(lean=90)
    with pytest.raises(ValueError, match="finite"):
        F.Pose(turn=float("nan"))
    with pytest.raises(KeyError, match="choose one of"):
        F.preset("heroic")
    with pytest.raises(ValueError, match="at least 16"):
        F.render_figure(F.Pose(), (8, 8))
