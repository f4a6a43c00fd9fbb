"""Photo-like JPEGs made on the spot, so the benchmarks need no files of their own."""

from pathlib import Path

from PIL import Image


def generated_jpeg(folder: Path, megapixels: int, quality: int = 90, name: str = "") -> Path:
    """A 4:3 JPEG of about `megapixels` with texture (noise and a gradient), like a photo."""
    width = int((megapixels * 1_000_000 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    noise = Image.effect_noise((width // 16, height // 16), 60).convert("RGB")
    image = Image.merge(
        "RGB",
        [noise.getchannel(0), Image.linear_gradient("L").resize(noise.size), noise.getchannel(2)],
    ).resize((width, height), Image.Resampling.BICUBIC)
    path = folder / (name or f"generated_{megapixels}mp.jpg")
    image.save(path, "JPEG", quality=quality)
    return path
