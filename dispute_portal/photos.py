"""Validate uploaded photos by their content and make clean, metadata-free JPEG copies.

This module decides what may be opened (byte and pixel limits, formats, verify + full decode)
and turns every failure into a user-facing message; photo_copies.py makes the copies. Together
they hold everything Pillow does, and nothing else: no Flask, no database, no filesystem writes.
"""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from dataclasses import dataclass
from typing import BinaryIO

import pillow_heif
from PIL import Image, UnidentifiedImageError, features

from .photo_copies import THUMB_QUALITY, decode, jpeg, thumbnail
from .photo_quality import N_, quality_warnings

pillow_heif.register_heif_opener()
if not features.check("avif") and hasattr(pillow_heif, "register_avif_opener"):
    pillow_heif.register_avif_opener()  # only older pillow-heif; Pillow >= 11.2 reads AVIF itself

ACCEPTED_FORMATS_TEXT = N_("JPEG, PNG, WebP, AVIF or HEIC")

# Parsers we let near untrusted bytes. The JPEG parser also opens MPO (phone JPEGs with an MPF
# segment); "MPO" itself is not an id Image.open() accepts.
_FORMATS = ("JPEG", "PNG", "WEBP", "AVIF", "HEIF")
# Their extra images are stereo pairs, gain maps or depth maps, not animation frames.
_STILL_MULTI_IMAGE = ("MPO", "HEIF")
# warnings.catch_warnings swaps process-wide state, so one photo at a time per process. This
# also caps peak memory at one decode per worker.
_LOCK = threading.Lock()


WRONG_FORMAT = N_("The selected file must be a JPEG, PNG, WebP, AVIF or HEIC photo")
ANIMATED = N_("The selected file is an animation. Choose a single still photo")
EMPTY = N_("The selected file is empty")
DAMAGED = N_(
    "The selected file could not be read as a photo. "
    "It may be damaged: try taking or exporting it again"
)
TOO_MANY_BYTES = N_("The selected file must be smaller than %(megabytes)s MB")
TOO_MANY_PIXELS = N_(
    "The selected photo is too large: it must be %(megapixels)s megapixels or fewer"
)


class PhotoRejected(Exception):
    """A file the user chose that we will not store; .message is shown to the user.

    .template and .params let the caller show the message in the user's language.
    """

    def __init__(self, template: str, **params: str):
        self.template, self.params = template, params
        self.message = template % params if params else template
        super().__init__(self.message)


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes  # stored copy: JPEG
    thumbnail: bytes  # thumb_edge px long edge JPEG
    width: int  # of the stored copy
    height: int
    # sha256 of the stored JPEG: encoding is deterministic, so the same upload gives the same
    # fingerprint, and it identifies exactly what we serve.
    fingerprint: str
    warnings: tuple[str, ...]  # gentle quality hints, user-facing sentences


def process_photo(
    data: bytes | BinaryIO,
    *,
    max_bytes: int = 20 * 1024 * 1024,
    max_pixels: int = 50_000_000,
    long_edge: int = 2048,
    thumb_edge: int = 320,
    quality: int = 82,
) -> ProcessedPhoto:
    """Validate an uploaded file by content and return clean copies, or raise PhotoRejected."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
    else:
        raw = data.read(max_bytes + 1)  # never pull more than the limit into memory
    if not raw:
        raise PhotoRejected(EMPTY)
    if len(raw) > max_bytes:
        raise PhotoRejected(TOO_MANY_BYTES, megabytes=f"{max_bytes / 2**20:.3g}")
    too_large = PhotoRejected(TOO_MANY_PIXELS, megapixels=f"{max_pixels / 1e6:.3g}")
    with _LOCK, warnings.catch_warnings():
        # Pillow warns about harmless things (corrupt EXIF); the decode below is what we trust.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # 1st open: cheap checks, then verify() (checksums a decode can miss, e.g. PNG CRCs).
            im = _open(raw, max_pixels, too_large)
            original_size = im.size
            if im.format not in _STILL_MULTI_IMAGE and getattr(im, "is_animated", False):
                raise PhotoRejected(ANIMATED)
            im.verify()
            # 2nd open (verify() spends the first): the full decode, which catches truncation.
            photo = decode(_open(raw, max_pixels, too_large), long_edge)
        except PhotoRejected:
            raise
        except Exception as exc:
            # Plugins raise a wide, undocumented range of types for malformed input
            # (OSError, SyntaxError, ValueError, struct.error, EOFError, MemoryError, ...).
            # Any failure decoding untrusted bytes means "not a usable photo", never a 500.
            raise PhotoRejected(DAMAGED) from exc
    thumb = thumbnail(photo, thumb_edge)
    image = jpeg(photo, quality)
    return ProcessedPhoto(
        image=image,
        thumbnail=jpeg(thumb, THUMB_QUALITY),
        width=photo.width,
        height=photo.height,
        fingerprint=hashlib.sha256(image).hexdigest(),
        warnings=quality_warnings(thumb, original_size),
    )


def _open(raw: bytes, max_pixels: int, too_large: PhotoRejected) -> Image.Image:
    try:
        im = Image.open(io.BytesIO(raw), formats=_FORMATS)
    except UnidentifiedImageError as exc:
        raise PhotoRejected(WRONG_FORMAT) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large from exc
    # Header dimensions only, before any pixel is decoded: refuses bombs cheaply.
    if im.width * im.height > max_pixels:
        raise too_large
    return im
