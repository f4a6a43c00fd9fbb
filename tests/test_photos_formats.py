"""dispute_portal.photos: which files are accepted, and which are refused with what message."""

from __future__ import annotations

import io
import warnings

import pytest
from photo_samples import (
    OLE_DOC,
    SVG,
    TOO_LARGE_50MP,
    animated,
    assert_clean_jpeg,
    close_to,
    colour_at,
    encode,
    needs_avif,
    opened,
    pdf,
    photo_like,
    png_header_only,
    png_with_bad_adler,
    png_with_bad_crc,
)
from PIL import Image, ImageStat

from dispute_portal.photos import (
    ACCEPTED_FORMATS_TEXT,
    ANIMATED,
    DAMAGED,
    EMPTY,
    WRONG_FORMAT,
    PhotoRejected,
    ProcessedPhoto,
    process_photo,
)

# --- accepted formats -----------------------------------------------------------------------


def _mpo(img: Image.Image) -> bytes:
    return encode(img, "MPO", save_all=True, append_images=[Image.new("RGB", img.size, "blue")])


ACCEPTED = [
    pytest.param(lambda im: encode(im, "JPEG", quality=90), "JPEG", id="jpeg"),
    pytest.param(lambda im: encode(im, "JPEG", progressive=True), "JPEG", id="jpeg-progressive"),
    pytest.param(_mpo, "MPO", id="mpo"),
    pytest.param(lambda im: encode(im, "PNG"), "PNG", id="png"),
    pytest.param(lambda im: encode(im, "WEBP", quality=90), "WEBP", id="webp"),
    pytest.param(lambda im: encode(im, "WEBP", lossless=True), "WEBP", id="webp-lossless"),
    pytest.param(lambda im: encode(im, "AVIF", quality=90), "AVIF", id="avif", marks=needs_avif),
    pytest.param(lambda im: encode(im, "HEIF", quality=90), "HEIF", id="heic"),
]


@pytest.mark.parametrize(("make", "source_format"), ACCEPTED)
def test_accepts_every_phone_format_and_keeps_the_picture(make, source_format):
    source = photo_like(800, 600)
    data = make(source)
    assert Image.open(io.BytesIO(data)).format == source_format

    result = process_photo(data)

    assert isinstance(result, ProcessedPhoto)
    assert (result.width, result.height) == (800, 600) == opened(result.image).size
    assert_clean_jpeg(result.image)
    assert_clean_jpeg(result.thumbnail)
    assert close_to(ImageStat.Stat(opened(result.image)).mean, ImageStat.Stat(source).mean, 4)
    assert len(result.fingerprint) == 64 and int(result.fingerprint, 16) >= 0


def test_mpo_uses_the_first_frame():
    data = _mpo(Image.new("RGB", (800, 600), "red"))
    assert Image.open(io.BytesIO(data)).n_frames == 2
    assert close_to(colour_at(process_photo(data).image, (400, 300)), (254, 0, 0))


def test_accepts_a_stream_as_well_as_bytes():
    data = encode(photo_like(700, 700), "JPEG")
    assert process_photo(io.BytesIO(data)).fingerprint == process_photo(data).fingerprint


# --- rejected files -------------------------------------------------------------------------

REJECTED = [
    pytest.param(lambda: encode(photo_like(64, 64), "GIF"), WRONG_FORMAT, id="gif"),
    pytest.param(lambda: animated("GIF"), WRONG_FORMAT, id="animated-gif"),
    pytest.param(lambda: animated("WEBP"), ANIMATED, id="animated-webp"),
    pytest.param(lambda: animated("PNG"), ANIMATED, id="apng"),
    pytest.param(lambda: animated("AVIF"), ANIMATED, id="animated-avif", marks=needs_avif),
    pytest.param(lambda: encode(photo_like(64, 64), "TIFF"), WRONG_FORMAT, id="tiff"),
    pytest.param(lambda: encode(photo_like(64, 64), "BMP"), WRONG_FORMAT, id="bmp"),
    pytest.param(lambda: encode(photo_like(64, 64), "ICO"), WRONG_FORMAT, id="ico"),
    pytest.param(lambda: encode(photo_like(64, 64), "EPS"), WRONG_FORMAT, id="eps"),
    pytest.param(pdf, WRONG_FORMAT, id="pdf"),
    pytest.param(lambda: SVG, WRONG_FORMAT, id="svg"),
    pytest.param(lambda: OLE_DOC, WRONG_FORMAT, id="word-doc"),
    pytest.param(lambda: b"These are my notes about the broken parcel.\n", WRONG_FORMAT, id="text"),
    pytest.param(lambda: bytes(range(256)) * 40, WRONG_FORMAT, id="random-bytes"),
    pytest.param(lambda: b"GIF89a<?php phpinfo(); ?>", WRONG_FORMAT, id="gif-php-polyglot"),
    pytest.param(lambda: b"", EMPTY, id="zero-bytes"),
    pytest.param(
        lambda: (d := encode(photo_like(), "JPEG"))[: len(d) // 2], DAMAGED, id="truncated-jpeg"
    ),
    pytest.param(
        lambda: (d := encode(photo_like(), "PNG"))[: len(d) // 2], DAMAGED, id="truncated-png"
    ),
    pytest.param(png_with_bad_crc, DAMAGED, id="png-bad-crc-only-verify-sees"),
    pytest.param(png_with_bad_adler, DAMAGED, id="png-bad-adler-only-decode-sees"),
    pytest.param(lambda: png_header_only(8000, 7000), TOO_LARGE_50MP, id="56mp-png-header"),
    pytest.param(lambda: png_header_only(10_000, 10_000), TOO_LARGE_50MP, id="100mp-bomb-warning"),
    pytest.param(lambda: png_header_only(20_000, 20_000), TOO_LARGE_50MP, id="400mp-bomb-error"),
]


@pytest.mark.parametrize(("make", "message"), REJECTED)
def test_rejects_with_a_clear_message(make, message):
    with pytest.raises(PhotoRejected) as rejected:
        process_photo(make())
    assert rejected.value.message == message == str(rejected.value)


def test_format_message_names_the_accepted_formats():
    assert WRONG_FORMAT == "The selected file must be a JPEG, PNG, WebP, AVIF or HEIC photo"
    assert ACCEPTED_FORMATS_TEXT in WRONG_FORMAT


def test_file_size_limit_is_checked_before_anything_else():
    data = encode(photo_like(400, 400), "JPEG")
    assert process_photo(data, max_bytes=len(data)).width == 400
    with pytest.raises(PhotoRejected, match="^The selected file must be smaller than 1 MB$"):
        process_photo(io.BytesIO(data + bytes(2**20)), max_bytes=2**20)
    with pytest.raises(PhotoRejected, match="^The selected file must be smaller than 20 MB$"):
        process_photo(b"\xff\xd8" + bytes(20 * 2**20))


def test_pixel_limit_is_checked_on_the_header_before_decoding():
    # Garbage pixel data: if the decoder ran first this would say "damaged", not "too large".
    with pytest.raises(PhotoRejected, match="^The selected photo is too large: it must be 2 meg"):
        process_photo(png_header_only(2000, 1001), max_pixels=2_000_000)
    assert process_photo(encode(photo_like(2000, 1000), "PNG"), max_pixels=2_000_000).width == 2000


def test_pillow_bomb_warning_is_a_rejection_even_when_our_limit_is_higher():
    with warnings.catch_warnings(), pytest.raises(PhotoRejected, match="too large"):
        warnings.simplefilter("ignore")  # as in production, where the warning is not an error
        process_photo(png_header_only(10_000, 10_000), max_pixels=500_000_000)


def test_does_not_leak_warning_filters():
    before = list(warnings.filters)
    process_photo(encode(photo_like(300, 300), "JPEG"))
    with pytest.raises(PhotoRejected):
        process_photo(png_header_only(10_000, 10_000))
    assert warnings.filters == before


FUZZ_SOURCES = {
    "jpeg": lambda: encode(photo_like(300, 200), "JPEG"),
    "png": lambda: encode(photo_like(300, 200), "PNG"),
    "webp": lambda: encode(photo_like(300, 200), "WEBP"),
    "heic": lambda: encode(photo_like(300, 200), "HEIF"),
}


@pytest.mark.parametrize("cut", [0.02, 0.3, 0.7, 0.98], ids=lambda c: f"cut-{c}")
@pytest.mark.parametrize("source", FUZZ_SOURCES, ids=str)
def test_damaged_files_are_rejected_not_crashed(source, cut):
    data = FUZZ_SOURCES[source]()
    at = int(len(data) * cut)
    flipped = data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1 :]
    for broken in (data[:at], flipped):
        try:
            result = process_photo(broken)
        except PhotoRejected as rejected:
            assert rejected.message
        else:
            assert_clean_jpeg(result.image)
