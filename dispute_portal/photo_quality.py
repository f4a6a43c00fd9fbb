"""Cheap quality hints for an accepted photo, measured on its thumbnail."""

from __future__ import annotations

from PIL import Image, ImageFilter, ImageStat


def N_(text: str) -> str:
    """Marks a message for translation without importing Flask; it is translated where shown."""
    return text


# Stored in English, as message ids, and translated when shown.
SMALL = N_("This photo is small. If you can, retake it closer up or upload a larger copy.")
BLURRY = N_("This photo looks blurry. Retake it holding the phone still.")
DARK = N_("This photo looks dark. Retake it in better light.")

MIN_SHORT_EDGE = 640  # px of the original upload
# Calibrated on 320 px thumbnails. Real corpus photos: mean luminance >= 84, Laplacian variance
# >= 138 (most 400-2300); the same photos blurred with a radius of 0.5% of their long edge:
# 5-31. Generated test images: sharp ~100, blurred 10-20.
DARK_MEAN = 40  # mean luminance 0-255
BLUR_VARIANCE = 40
_LAPLACIAN = ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), 1, 128)


def laplacian_variance(grey: Image.Image) -> float:
    edges = grey.filter(_LAPLACIAN)
    # Kernel filters copy the 1 px border unfiltered; left in, it swamps the statistic.
    return ImageStat.Stat(edges.crop((1, 1, edges.width - 1, edges.height - 1))).var[0]


def quality_warnings(thumb: Image.Image, original_size: tuple[int, int]) -> tuple[str, ...]:
    """User hints. A dark photo is also flat, so it gets the light hint, not the blur one."""
    found = []
    if min(original_size) < MIN_SHORT_EDGE:
        found.append(SMALL)
    grey = thumb.convert("L")
    if ImageStat.Stat(grey).mean[0] < DARK_MEAN:
        found.append(DARK)
    elif laplacian_variance(grey) < BLUR_VARIANCE:
        found.append(BLURRY)
    return tuple(found)
