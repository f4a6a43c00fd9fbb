"""dispute_portal.photos: every image here is generated in memory with Pillow and pillow-heif."""

from __future__ import annotations

import io
import struct
import warnings
import zlib

import pytest
from PIL import Image, ImageCms, ImageFilter, ImageStat, features

from dispute_portal import photo_quality
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

needs_avif = pytest.mark.skipif(
    not features.check("avif"), reason="this Pillow build has no AVIF codec"
)
PAYLOAD = b"<script>alert(1)</script>"
TOO_LARGE_50MP = "The selected photo is too large: it must be 50 megapixels or fewer"


# --- helpers --------------------------------------------------------------------------------


def photo_like(width: int = 1600, height: int = 1200, sigma: int = 60) -> Image.Image:
    """Smooth shapes plus fine grain: compresses, sharpens and blurs like a real photo."""
    cells = (64, max(1, 64 * height // width)) if width >= height else (64 * width // height, 64)
    blobs = Image.effect_noise(cells, sigma)  # scene detail scales with the frame, like a photo
    grain = Image.effect_noise((width, height), 12)
    red = Image.blend(Image.linear_gradient("L").resize((width, height)), grain, 0.3)
    green = blobs.resize((width, height), Image.Resampling.BICUBIC)
    blue = Image.blend(Image.radial_gradient("L").resize((width, height)), grain, 0.2)
    return Image.merge("RGB", (red, green, blue))


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def opened(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def colour_at(data: bytes, xy: tuple[int, int]) -> tuple[int, ...]:
    return opened(data).convert("RGB").getpixel(xy)


def close_to(actual, expected, tolerance: int = 6) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def assert_clean_jpeg(data: bytes) -> None:
    img = opened(data)
    assert img.format == "JPEG" and img.mode == "RGB"
    assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & img.info.keys()
    assert len(img.getexif()) == 0  # so no GPS IFD either
    assert data.endswith(b"\xff\xd9"), "nothing may follow the JPEG end-of-image marker"
    for marker in (b"Exif\x00", b"ICC_PROFILE", b"http://ns.adobe.com", PAYLOAD):
        assert marker not in data


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares width x height but whose pixel data is garbage."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"junk") + chunk(b"IEND", b"")
    )


def display_p3_profile() -> bytes:
    """A minimal ICC v2 matrix/TRC profile: Display P3 primaries (D50-adapted), gamma 2.2."""

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + b"".join(struct.pack(">i", round(v * 65536)) for v in (x, y, z))

    text = b"Test Display P3\x00"
    trc = b"curv" + bytes(4) + struct.pack(">IH", 1, round(2.2 * 256)) + bytes(2)
    tags = {
        b"desc": b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(78),
        b"wtpt": xyz(0.9642, 1.0, 0.8249),
        b"rXYZ": xyz(0.5151, 0.2412, -0.0011),
        b"gXYZ": xyz(0.2920, 0.6922, 0.0419),
        b"bXYZ": xyz(0.1571, 0.0666, 0.7841),
        b"rTRC": trc,
        b"gTRC": trc,
        b"bTRC": trc,
        b"cprt": b"text" + bytes(4) + b"none\x00",
    }
    table, body = b"", b""
    start = 128 + 4 + 12 * len(tags)
    for signature, data in tags.items():
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", start + len(body), len(data))
        body += data
    header = (
        struct.pack(">I", start + len(body))
        + bytes(4)
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + bytes(12)
        + b"acsp"
        + bytes(28)
        + xyz(0.9642, 1.0, 0.8249)[8:]
        + bytes(48)
    )
    return header + struct.pack(">I", len(tags)) + table + body


def metadata_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = PAYLOAD.decode()  # Make
    exif[0x0131] = PAYLOAD.decode()  # Software
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 0.0)  # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "W", (0.0, 7.0, 0.0)
    return exif


SRGB_PROFILE = ImageCms.createProfile("sRGB")
SRGB_ICC = ImageCms.ImageCmsProfile(SRGB_PROFILE).tobytes()
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://ns.adobe.com">' + PAYLOAD


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


def _animated(fmt: str, **params) -> bytes:
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "green", "blue")]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, **params)


def _bad_png_crc() -> bytes:
    # Decodes fine (load() ignores the IDAT CRC); only verify() notices.
    data = bytearray(encode(photo_like(64, 64), "PNG"))
    end = data.index(b"IEND") - 4  # the IDAT CRC sits just before the IEND chunk
    data[end - 4 : end] = bytes(4)
    return bytes(data)


def _bad_png_adler() -> bytes:
    # The chunk CRC is right, so verify() passes; only a full decode sees the zlib checksum fail.
    data = bytearray(encode(photo_like(64, 64), "PNG"))
    start = data.index(b"IDAT") + 4
    end = data.index(b"IEND") - 8  # IDAT data ends before its CRC and the IEND length
    data[end - 4 : end] = bytes(4)  # the Adler-32 at the end of the zlib stream
    data[end : end + 4] = struct.pack(">I", zlib.crc32(data[start - 4 : end]))
    return bytes(data)


def _pdf() -> bytes:
    return encode(photo_like(64, 64), "PDF")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
REJECTED = [
    pytest.param(lambda: encode(photo_like(64, 64), "GIF"), WRONG_FORMAT, id="gif"),
    pytest.param(lambda: _animated("GIF"), WRONG_FORMAT, id="animated-gif"),
    pytest.param(lambda: _animated("WEBP"), ANIMATED, id="animated-webp"),
    pytest.param(lambda: _animated("PNG"), ANIMATED, id="apng"),
    pytest.param(lambda: _animated("AVIF"), ANIMATED, id="animated-avif", marks=needs_avif),
    pytest.param(lambda: encode(photo_like(64, 64), "TIFF"), WRONG_FORMAT, id="tiff"),
    pytest.param(lambda: encode(photo_like(64, 64), "BMP"), WRONG_FORMAT, id="bmp"),
    pytest.param(lambda: encode(photo_like(64, 64), "ICO"), WRONG_FORMAT, id="ico"),
    pytest.param(lambda: encode(photo_like(64, 64), "EPS"), WRONG_FORMAT, id="eps"),
    pytest.param(_pdf, WRONG_FORMAT, id="pdf"),
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
    pytest.param(_bad_png_crc, DAMAGED, id="png-bad-crc-only-verify-sees"),
    pytest.param(_bad_png_adler, DAMAGED, id="png-bad-adler-only-decode-sees"),
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
