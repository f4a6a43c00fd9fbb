"""Validate uploaded photos by their content and make clean, metadata-free JPEG copies.

Everything Pillow does, and nothing else: no Flask, no database, no filesystem writes.
"""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from dataclasses import dataclass
from typing import BinaryIO

import pillow_heif
from PIL import Image, ImageCms, UnidentifiedImageError, features

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
# Same mapping as ImageOps.exif_transpose; we apply it after downscaling, so we rotate less.
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_THUMB_QUALITY = 60  # phone photos come out at ~11-16 KB for 320 px
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
            photo = _decode(_open(raw, max_pixels, too_large), long_edge)
        except PhotoRejected:
            raise
        except Exception as exc:
            # Plugins raise a wide, undocumented range of types for malformed input
            # (OSError, SyntaxError, ValueError, struct.error, EOFError, MemoryError, ...).
            # Any failure decoding untrusted bytes means "not a usable photo", never a 500.
            raise PhotoRejected(DAMAGED) from exc
    thumb = photo.resize(_fit(photo.size, thumb_edge), Image.Resampling.LANCZOS, reducing_gap=2.0)
    image = _jpeg(photo, quality)
    return ProcessedPhoto(
        image=image,
        thumbnail=_jpeg(thumb, _THUMB_QUALITY),
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


def _decode(im: Image.Image, long_edge: int) -> Image.Image:
    """Decode to an upright sRGB RGB image no larger than long_edge."""
    icc = im.info.get("icc_profile")
    if im.format in ("JPEG", "MPO"):
        # libjpeg's DCT scaling decodes at 1/2, 1/4 or 1/8 (a 50 MP photo then costs ~10 MB), and
        # we let it land up to 10% under long_edge: a 12 MP photo decodes straight to ~2000 px
        # with no resampling pass, ~4x faster. (Not HEIF: its draft() picks an embedded thumbnail.)
        im.draft("RGB", _fit(im.size, int(long_edge * 0.9)))
    im.load()  # first: a later load() after a failed one (getexif() loads PNGs) passes silently
    try:
        orientation = im.getexif().get(0x0112, 1)  # also reads PNG XMP tiff:Orientation
    except Exception:
        orientation = 1  # a broken EXIF block must not cost the user a good photo
    im = _flatten(im)
    if max(im.size) > long_edge:
        # BICUBIC: 0.4/255 RMS from LANCZOS on a real 8 MP photo, in half the time.
        im = im.resize(_fit(im.size, long_edge), Image.Resampling.BICUBIC, reducing_gap=3.0)
    im = _to_srgb(im, icc)
    method = _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
    return im.transpose(method) if method is not None else im


def _flatten(im: Image.Image) -> Image.Image:
    """Reduce any mode to RGB, L or CMYK (what resize and the colour transform take)."""
    if im.mode.startswith("I"):
        # 16-bit greyscale: convert("L") would clip everything above 255 to white.
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        im = Image.new("RGB", im.size, "white")  # JPEG has no alpha: transparent means paper
        im.paste(rgba, mask=rgba.getchannel("A"))
    elif im.mode not in ("RGB", "L", "CMYK"):
        im = im.convert("RGB")
    return im


def _to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    if icc:
        # Convert while we still know the profile (iPhones shoot Display P3), then drop it.
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(im, source, _SRGB, outputMode="RGB")
        except Exception:
            pass  # broken or mismatched profile: keeping the pixels beats rejecting the photo
    return im if im.mode == "RGB" else im.convert("RGB")


def _fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
    w, h = size
    scale = min(1.0, edge / max(w, h))  # never upscale
    return max(1, round(w * scale)), max(1, round(h * scale))


def _jpeg(im: Image.Image, quality: int) -> bytes:
    # Rebuilt from pixels into a new image with an empty info dict, so no EXIF, GPS, XMP, ICC or
    # comment can ride along (Pillow copies info["comment"] into a re-saved JPEG).
    clean = Image.new("RGB", im.size, None)  # None: no fill, paste covers every pixel
    clean.paste(im)
    buf = io.BytesIO()
    clean.save(buf, "JPEG", quality=quality, optimize=True)  # progressive: 2.5x the encode time
    return buf.getvalue()
