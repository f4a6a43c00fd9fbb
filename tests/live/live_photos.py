"""Photo-like JPEGs for the live checks, made in memory."""

import io
import random


def make_photo(size=(1200, 900), seed: int = 1, quality: int = 85) -> bytes:
    """A photo-like JPEG: noisy enough to look sharp, bright enough to look lit."""
    from PIL import Image

    rng = random.Random(seed)
    small = Image.new("RGB", (size[0] // 8, size[1] // 8))
    small.putdata(
        [
            (rng.randrange(80, 255), rng.randrange(80, 255), rng.randrange(80, 255))
            for _ in range(small.width * small.height)
        ]
    )
    buffer = io.BytesIO()
    small.resize(size, Image.Resampling.BILINEAR).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def sized_photo(target_bytes: int, seed: int) -> bytes:
    """A photo of about `target_bytes` (within ~15 %): fine noise on a 4:3 frame."""
    from PIL import Image

    rng = random.Random(seed)
    width = 1600
    while True:
        height = width * 3 // 4
        half = (width // 2, height // 2)
        small = Image.frombytes("RGB", half, rng.randbytes(half[0] * half[1] * 3))
        small = small.point(lambda v: 60 + v * 195 // 255)  # lit: no pixel darker than 60
        buffer = io.BytesIO()
        small.resize((width, height), Image.Resampling.BILINEAR).save(buffer, "JPEG", quality=90)
        data = buffer.getvalue()
        if len(data) >= target_bytes * 0.85 or width >= 6000:
            return data
        width = int(width * (target_bytes / len(data)) ** 0.5) + 16
