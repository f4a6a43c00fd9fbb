"""dispute_portal.photos against the shared corpus of real-world and hostile files.

The corpus lives outside the project (never copy it in): ../shared/corpus next to the repository,
or wherever DISPUTE_PORTAL_CORPUS points.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from corpus import CORPUS, load_manifest
from PIL import Image, ImageChops, ImageStat

from dispute_portal.photo_quality import SMALL
from dispute_portal.photos import ANIMATED, DAMAGED, EMPTY, WRONG_FORMAT, PhotoRejected
from dispute_portal.photos import process_photo as process

MANIFEST = load_manifest()
ACCEPT = [entry for entry in MANIFEST if entry["expect"] == "accept"]
REJECT = [entry for entry in MANIFEST if entry["expect"] == "reject"]
LONG_EDGE = 2048
TOO_LARGE = "The selected photo is too large: it must be 50 megapixels or fewer"
# Where the reason is unambiguous, the message must say it; anything else just needs a message.
EXPECTED_MESSAGE = {
    "bad/zero_bytes.jpg": EMPTY,
    "bad/lottapixel.jpg": TOO_LARGE,
    "bad/iss634.webp": ANIMATED,
    "bad/iss634.apng": ANIMATED,
    "bad/iss634.gif": WRONG_FORMAT,
    "bad/uber.gif": WRONG_FORMAT,
    "bad/1.eps": WRONG_FORMAT,
    "bad/SVG_XSS1.svg": WRONG_FORMAT,
    "bad/trailer_loop.pdf": WRONG_FORMAT,
    "bad/test-ole-file.doc": WRONG_FORMAT,
    "bad/truncated_jpeg.jpg": DAMAGED,
    "bad/ultrahdr.jpg": DAMAGED,
    "bad/badcrc.png": DAMAGED,
    "bad/huge_IDAT.png": DAMAGED,
}
PAYLOADS = (b"<script", b"<?php", b"onmouseover", b"javascript:", b"alert(")


def _read(entry: dict) -> bytes:
    return (CORPUS / entry["file"]).read_bytes()


def _upright_size(entry: dict) -> tuple[int, int]:
    if entry["format"] == "HEIF":
        # libheif applies the HEIF irot/imir itself; the manifest's width/height are coded sizes.
        return tuple(entry["pillow_size"])
    width, height = entry["width"], entry["height"]
    return (height, width) if entry["exif_orientation"] in (5, 6, 7, 8) else (width, height)


def _is_clean_jpeg(data: bytes) -> None:
    img = Image.open(io.BytesIO(data))
    img.load()
    assert (img.format, img.mode) == ("JPEG", "RGB")
    assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & img.info.keys()
    assert len(img.getexif()) == 0 and not img.getexif().get_ifd(0x8825)
    assert data.endswith(b"\xff\xd9")
    for payload in PAYLOADS:
        assert payload not in data.lower()


@pytest.mark.parametrize("entry", ACCEPT, ids=lambda entry: Path(entry["file"]).name)
def test_accepts_good_photos_upright_and_clean(entry):
    result = process(_read(entry))

    width, height = _upright_size(entry)
    if max(width, height) <= LONG_EDGE:
        assert (result.width, result.height) == (width, height)
    else:
        # Scaled to the cap; JPEGs may stop up to 10% short (decoded at 1/2, 1/4 or 1/8 scale).
        long, short = sorted((result.width, result.height), reverse=True)
        assert 0.9 * LONG_EDGE <= long <= LONG_EDGE
        assert abs(short - long * min(width, height) / max(width, height)) <= 1
        assert (result.width > result.height) == (width > height)
    assert Image.open(io.BytesIO(result.image)).size == (result.width, result.height)
    _is_clean_jpeg(result.image)
    _is_clean_jpeg(result.thumbnail)
    assert max(Image.open(io.BytesIO(result.thumbnail)).size) == min(320, max(width, height))


@pytest.mark.parametrize("entry", REJECT, ids=lambda entry: Path(entry["file"]).name)
def test_rejects_bad_files_with_a_message(entry):
    with pytest.raises(PhotoRejected) as rejected:
        process(_read(entry))
    message = rejected.value.message
    assert message in (EXPECTED_MESSAGE.get(entry["file"]) or {WRONG_FORMAT, DAMAGED, TOO_LARGE})


@pytest.mark.parametrize("scene", ["Landscape", "Portrait"])
def test_every_exif_orientation_ends_up_looking_the_same(scene):
    # recurser/exif-orientation-examples: one picture stored eight ways; all must match _1.
    def thumb(n: int) -> Image.Image:
        return Image.open(io.BytesIO(process(_read({"file": f"good/{scene}_{n}.jpg"})).thumbnail))

    reference = thumb(1).convert("L")
    others = sorted(CORPUS.glob(f"good/{scene}_[02-8].jpg"))
    assert len(others) >= 7
    for n in (int(path.stem[-1]) for path in others):
        difference = ImageChops.difference(reference, thumb(n).convert("L"))
        assert ImageStat.Stat(difference).mean[0] < 6, f"{scene}_{n}"


def test_normal_photos_get_no_quality_hints():
    for name in ("Landscape_1.jpg", "Portrait_1.jpg", "iphone_hdr_NO.jpg", "canon_hdr_NO.jpg"):
        assert process(_read({"file": f"good/{name}"})).warnings == (), name
    # hopper.png is a sharp, well-lit photo that is only 128 px: the size hint is the one to give.
    assert process(_read({"file": "good/hopper.png"})).warnings == (SMALL,)
