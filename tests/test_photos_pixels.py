"""dispute_portal.photos: size of the stored copy and thumbnail; every pixel mode comes out RGB."""

from __future__ import annotations

import pytest
from photo_samples import assert_clean_jpeg, close_to, colour_at, encode, opened, photo_like
from PIL import Image

from dispute_portal.photos import process_photo

# --- size -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "fmt", "stored"),
    [
        pytest.param((3000, 1000), "PNG", (2048, 683), id="wide-png-capped"),
        pytest.param((1000, 3000), "WEBP", (683, 2048), id="tall-webp-capped"),
        pytest.param((2048, 1536), "JPEG", (2048, 1536), id="exactly-the-limit"),
        pytest.param((120, 90), "PNG", (120, 90), id="small-never-upscaled"),
    ],
)
def test_long_edge_is_capped_and_never_upscaled(size, fmt, stored):
    result = process_photo(encode(photo_like(*size), fmt))
    assert (result.width, result.height) == stored == opened(result.image).size


@pytest.mark.parametrize(
    ("size", "long_edge", "stored"),
    [
        pytest.param((4000, 3000), 2048, (2000, 1500), id="12mp-half-scale-no-resample"),
        pytest.param((4000, 3000), 1000, (1000, 750), id="12mp-quarter-scale"),
        pytest.param((3264, 2448), 2048, (2048, 1536), id="8mp-full-decode-then-resize"),
        pytest.param((8660, 5773), 2048, (2048, 1366), id="50mp-quarter-scale-then-resize"),
    ],
)
def test_jpeg_decodes_at_reduced_scale_up_to_ten_percent_under_the_cap(size, long_edge, stored):
    # libjpeg's DCT scaling: a 12 MP photo decodes straight to 2000 px instead of 4000 + resize.
    result = process_photo(encode(photo_like(*size), "JPEG"), long_edge=long_edge)
    assert (result.width, result.height) == stored


def test_thumbnail_is_small():
    result = process_photo(encode(photo_like(2000, 1500), "JPEG", quality=92))
    thumb = opened(result.thumbnail)
    assert max(thumb.size) == 320 and abs(thumb.height - 240) <= 1
    assert len(result.thumbnail) < 15 * 1024
    assert max(opened(process_photo(result.image, thumb_edge=200).thumbnail).size) == 200


# --- pixel modes ----------------------------------------------------------------------------


def _rgba_half_transparent() -> Image.Image:
    img = Image.new("RGBA", (640, 640), (0, 0, 255, 255))
    img.paste((0, 0, 0, 0), (0, 0, 320, 640))  # left half fully transparent black
    return img


def _palette_with_transparency() -> Image.Image:
    img = Image.new("P", (640, 640), 0)
    img.putpalette([0, 0, 0, 0, 0, 255] + [0] * 762)
    img.paste(1, (320, 0, 640, 640))
    img.info["transparency"] = 0
    return img


MODES = [
    pytest.param(lambda: Image.new("CMYK", (640, 640), (0, 255, 255, 0)), "JPEG", id="cmyk-jpeg"),
    pytest.param(lambda: Image.new("L", (640, 640), 100), "JPEG", id="greyscale-jpeg"),
    pytest.param(lambda: Image.new("I;16", (640, 640), 40000), "PNG", id="16-bit-grey-png"),
    pytest.param(_rgba_half_transparent, "PNG", id="rgba-png"),
    pytest.param(_rgba_half_transparent, "WEBP", id="rgba-webp"),
    pytest.param(_palette_with_transparency, "PNG", id="palette-transparency-png"),
    pytest.param(lambda: Image.new("LA", (640, 640), (0, 0)), "PNG", id="transparent-la-png"),
    pytest.param(lambda: Image.new("1", (640, 640), 1), "PNG", id="1-bit-png"),
]
EXPECTED_COLOUR = {
    "cmyk-jpeg": {(320, 320): (255, 0, 0)},
    "greyscale-jpeg": {(320, 320): (100, 100, 100)},
    "16-bit-grey-png": {(320, 320): (156, 156, 156)},  # 40000 / 256, not clipped to white
    "rgba-png": {(100, 320): (255, 255, 255), (540, 320): (0, 0, 255)},
    "rgba-webp": {(100, 320): (255, 255, 255), (540, 320): (0, 0, 255)},
    "palette-transparency-png": {(100, 320): (255, 255, 255), (540, 320): (0, 0, 255)},
    "transparent-la-png": {(320, 320): (255, 255, 255)},
    "1-bit-png": {(320, 320): (255, 255, 255)},
}


@pytest.mark.parametrize(("make", "fmt"), MODES)
def test_any_pixel_mode_comes_out_rgb(make, fmt, request):
    result = process_photo(encode(make(), fmt, **({"lossless": True} if fmt == "WEBP" else {})))
    assert_clean_jpeg(result.image)
    for xy, colour in EXPECTED_COLOUR[request.node.callspec.id].items():
        assert close_to(colour_at(result.image, xy), colour, 6), xy
