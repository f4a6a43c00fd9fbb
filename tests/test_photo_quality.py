"""dispute_portal.photos: quality hints and the fingerprint of a picture."""

from __future__ import annotations

import pytest
from photo_samples import encode, photo_like
from PIL import ImageFilter

from dispute_portal import photo_quality
from dispute_portal.photos import process_photo

# --- quality hints and fingerprint ----------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(lambda: photo_like(1600, 1200), (), id="sharp-normal"),
        pytest.param(lambda: photo_like(4000, 3000), (), id="sharp-12mp"),
        pytest.param(lambda: photo_like(600, 800), (photo_quality.SMALL,), id="small"),
        pytest.param(
            lambda: photo_like(1600, 1200).point(lambda v: v // 8),
            (photo_quality.DARK,),
            id="dark",
        ),
        pytest.param(
            lambda: photo_like(1600, 1200).filter(ImageFilter.GaussianBlur(12)),
            (photo_quality.BLURRY,),
            id="blurry",
        ),
        pytest.param(
            lambda: photo_like(400, 300).filter(ImageFilter.GaussianBlur(4)),
            (photo_quality.SMALL, photo_quality.BLURRY),
            id="small-and-blurry",
        ),
    ],
)
def test_quality_warnings(make, expected):
    assert process_photo(encode(make(), "JPEG", quality=92)).warnings == expected


def test_blur_threshold_separates_sharp_from_blurred():
    # The calibration behind BLUR_VARIANCE, on a 320 px thumbnail like the real check.
    sharp = photo_like(320, 240).convert("L")
    for radius, blurred in ((0, False), (1.5, True), (3, True)):
        grey = sharp.filter(ImageFilter.GaussianBlur(radius)) if radius else sharp
        variance = photo_quality.laplacian_variance(grey)
        assert (variance < photo_quality.BLUR_VARIANCE) == blurred, (radius, variance)


def test_fingerprint_identifies_the_picture():
    one = encode(photo_like(800, 600, sigma=60), "JPEG")
    other = encode(photo_like(800, 600, sigma=30), "JPEG")
    assert process_photo(one).fingerprint == process_photo(bytes(one)).fingerprint
    assert process_photo(one).fingerprint != process_photo(other).fingerprint
