"""Images for the photo tests, generated in memory with Pillow and pillow-heif."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image, ImageCms, features

needs_avif = pytest.mark.skipif(
    not features.check("avif"), reason="this Pillow build has no AVIF codec"
)
PAYLOAD = b"<script>alert(1)</script>"
TOO_LARGE_50MP = "The selected photo is too large: it must be 50 megapixels or fewer"


def make_photo(fmt: str = "JPEG", size=(1200, 900), seed: int = 1) -> bytes:
    """A photo-like image: noisy enough to look sharp, bright enough to look lit."""
    rng = random.Random(seed)
    small = Image.new("RGB", (size[0] // 8, size[1] // 8))
    small.putdata(
        [
            (rng.randrange(80, 255), rng.randrange(80, 255), rng.randrange(80, 255))
            for _ in range(small.width * small.height)
        ]
    )
    image = small.resize(size, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


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


# --- files that must be refused ------------------------------------------------------------


def animated(fmt: str, **params) -> bytes:
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "green", "blue")]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, **params)


def png_with_bad_crc() -> bytes:
    # Decodes fine (load() ignores the IDAT CRC); only verify() notices.
    data = bytearray(encode(photo_like(64, 64), "PNG"))
    end = data.index(b"IEND") - 4  # the IDAT CRC sits just before the IEND chunk
    data[end - 4 : end] = bytes(4)
    return bytes(data)


def png_with_bad_adler() -> bytes:
    # The chunk CRC is right, so verify() passes; only a full decode sees the zlib checksum fail.
    data = bytearray(encode(photo_like(64, 64), "PNG"))
    start = data.index(b"IDAT") + 4
    end = data.index(b"IEND") - 8  # IDAT data ends before its CRC and the IEND length
    data[end - 4 : end] = bytes(4)  # the Adler-32 at the end of the zlib stream
    data[end : end + 4] = struct.pack(">I", zlib.crc32(data[start - 4 : end]))
    return bytes(data)


def pdf() -> bytes:
    return encode(photo_like(64, 64), "PDF")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
