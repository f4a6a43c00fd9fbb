"""dispute_portal.photos: the stored copy is upright, carries no metadata and is in sRGB."""

from __future__ import annotations

import io
import struct

import pytest
from photo_samples import (
    PAYLOAD,
    SRGB_ICC,
    SRGB_PROFILE,
    XMP,
    assert_clean_jpeg,
    close_to,
    colour_at,
    display_p3_profile,
    encode,
    metadata_exif,
    needs_avif,
    opened,
    photo_like,
)
from PIL import Image, ImageCms

from dispute_portal.photos import process_photo

# --- the stored copy ------------------------------------------------------------------------


def _with_orientation(orientation: int | bytes) -> bytes:
    img = Image.new("RGB", (400, 200), "blue")
    img.paste("red", (0, 0, 200, 100))  # red top-left quadrant
    if isinstance(orientation, int):
        exif = Image.Exif()
        exif[0x0112] = orientation
        return encode(img, "JPEG", quality=95, exif=exif)
    # Pillow will not write text into the SHORT Orientation tag, so build the TIFF block by hand.
    entry = struct.pack(">HHII", 0x0112, 2, len(orientation), 26)  # ASCII value at offset 26
    tiff = b"MM\x00*" + struct.pack(">IH", 8, 1) + entry + bytes(4) + orientation
    return encode(img, "JPEG", quality=95, exif=b"Exif\x00\x00" + tiff)


@pytest.mark.parametrize(
    ("orientation", "size", "red_corner"),
    [
        pytest.param(1, (400, 200), "top-left", id="1-normal"),
        pytest.param(2, (400, 200), "top-right", id="2-mirrored"),
        pytest.param(3, (400, 200), "bottom-right", id="3-upside-down"),
        pytest.param(4, (400, 200), "bottom-left", id="4-flipped"),
        pytest.param(5, (200, 400), "top-left", id="5-transposed"),
        pytest.param(6, (200, 400), "top-right", id="6-rotated-cw"),
        pytest.param(7, (200, 400), "bottom-right", id="7-transverse"),
        pytest.param(8, (200, 400), "bottom-left", id="8-rotated-ccw"),
        pytest.param(0, (400, 200), "top-left", id="0-invalid-means-none"),
        pytest.param(9, (400, 200), "top-left", id="9-invalid-means-none"),
        pytest.param(b"<?php phpinfo(); ?>\x00", (400, 200), "top-left", id="text-value"),
    ],
)
def test_exif_orientation_is_applied_once(orientation, size, red_corner):
    result = process_photo(_with_orientation(orientation))
    w, h = size
    corners = {
        "top-left": (w // 4, h // 4),
        "top-right": (3 * w // 4, h // 4),
        "bottom-left": (w // 4, 3 * h // 4),
        "bottom-right": (3 * w // 4, 3 * h // 4),
    }
    assert (result.width, result.height) == size
    for corner, xy in corners.items():
        red = colour_at(result.image, xy)[0] > 200
        assert red == (corner == red_corner), corner


def test_broken_exif_block_keeps_the_photo_unrotated():
    source = photo_like(400, 200)
    result = process_photo(encode(source, "JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff"))
    assert (result.width, result.height) == (400, 200)


@pytest.mark.parametrize(
    ("fmt", "params"),
    [
        pytest.param(
            "JPEG",
            {"exif": metadata_exif(), "icc_profile": SRGB_ICC, "comment": PAYLOAD, "xmp": XMP},
            id="jpeg",
        ),
        # No ICC profile: the pixels then pass through untouched, info dict and all.
        pytest.param("JPEG", {"exif": metadata_exif(), "comment": PAYLOAD}, id="jpeg-no-icc"),
        pytest.param("PNG", {"exif": metadata_exif(), "icc_profile": SRGB_ICC}, id="png"),
        pytest.param(
            "WEBP", {"exif": metadata_exif(), "icc_profile": SRGB_ICC, "xmp": XMP}, id="webp"
        ),
        pytest.param("HEIF", {"exif": metadata_exif(), "xmp": XMP}, id="heic"),
        pytest.param("AVIF", {"exif": metadata_exif(), "xmp": XMP}, id="avif", marks=needs_avif),
    ],
)
def test_no_metadata_survives(fmt, params):
    data = encode(photo_like(640, 480), fmt, **params)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the source carries GPS"
    result = process_photo(data + PAYLOAD * 3)  # bytes after the end of the image, too
    assert_clean_jpeg(result.image)
    assert_clean_jpeg(result.thumbnail)


def test_png_text_chunks_do_not_survive():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", PAYLOAD.decode())
    info.add_itxt("XML:com.adobe.xmp", XMP.decode(), zip=True)
    result = process_photo(encode(photo_like(640, 480), "PNG", pnginfo=info))
    assert_clean_jpeg(result.image)


def test_wide_gamut_colours_are_converted_to_srgb():
    p3 = display_p3_profile()
    source = Image.new("RGB", (640, 480), (200, 60, 60))
    expected = ImageCms.profileToProfile(
        source.crop((0, 0, 1, 1)), ImageCms.ImageCmsProfile(io.BytesIO(p3)), SRGB_PROFILE
    ).getpixel((0, 0))
    assert not close_to(expected, (200, 60, 60), 10), "the test profile must shift colours"

    for fmt in ("JPEG", "PNG", "WEBP"):
        result = process_photo(encode(source, fmt, icc_profile=p3, quality=95))
        assert close_to(colour_at(result.image, (320, 240)), expected, 4), fmt
        assert "icc_profile" not in opened(result.image).info


def test_broken_icc_profile_keeps_the_pixels():
    source = Image.new("RGB", (640, 480), (200, 60, 60))
    result = process_photo(encode(source, "JPEG", icc_profile=b"not an ICC profile", quality=95))
    assert close_to(colour_at(result.image, (320, 240)), (200, 60, 60), 4)
