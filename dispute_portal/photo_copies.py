"""Turn an opened, checked upload into the stored copy and thumbnail: upright, sRGB, clean JPEG.

Pillow only, like photos.py (which decides what may be opened and maps failures to messages).
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms

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
THUMB_QUALITY = 60  # phone photos come out at ~11-16 KB for 320 px


def decode(im: Image.Image, long_edge: int) -> Image.Image:
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


def thumbnail(photo: Image.Image, edge: int) -> Image.Image:
    """The decoded photo scaled to `edge` px on its long side (never up)."""
    return photo.resize(_fit(photo.size, edge), Image.Resampling.LANCZOS, reducing_gap=2.0)


def jpeg(im: Image.Image, quality: int) -> bytes:
    # Rebuilt from pixels into a new image with an empty info dict, so no EXIF, GPS, XMP, ICC or
    # comment can ride along (Pillow copies info["comment"] into a re-saved JPEG).
    clean = Image.new("RGB", im.size, None)  # None: no fill, paste covers every pixel
    clean.paste(im)
    buf = io.BytesIO()
    clean.save(buf, "JPEG", quality=quality, optimize=True)  # progressive: 2.5x the encode time
    return buf.getvalue()


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
