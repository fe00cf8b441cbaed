"""Scanned pages made on the spot: lines of Chinese and English text drawn with a CJK font onto A4
page images (150 dpi), saved as an image-only PDF or image files. Used by the OCR tests and by
`benchmarks/bench_ocr.py`; the text drawn is the ground truth for character accuracy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # Debian's fonts-wqy-microhei
PAGE_PX = (1240, 1754)  # A4 at 150 dpi


MARGIN = 110


def _wrapped(line: str, font: Any, width: float) -> list[str]:
    """A line cut to the text width: at spaces for English, anywhere for Chinese."""
    out, current = [], ""
    for token in (line.split(" ") if " " in line else list(line)):
        candidate = f"{current} {token}" if current and " " in line else current + token
        if current and font.getlength(candidate) > width:
            out.append(current)
            current = token
        else:
            current = candidate
    return [*out, current]


def page_image(lines: list[str], size: int = 28) -> Any:
    """One page: each string is a paragraph line (wrapped to the page), an empty string a gap."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("L", PAGE_PX, 255)
    draw = ImageDraw.Draw(image)
    y = 160
    for line in lines:
        for part in _wrapped(line, font, PAGE_PX[0] - 2 * MARGIN) if line else []:
            draw.text((MARGIN, y), part, fill=0, font=font)
            y += int(size * 1.6)
        y += 0 if line else int(size * 1.7)
    return image


def degraded(image: Any, seed: int = 0) -> Any:
    """The page as a cheap office scanner gives it: tilted 1 degree, blurred, speckled, JPEG at 60."""
    import io

    import numpy as np
    from PIL import Image, ImageFilter

    tilted = image.rotate(1.0, resample=Image.Resampling.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.8))
    pixels = np.asarray(tilted, dtype=np.int16) + np.random.default_rng(seed).normal(0, 18, tilted.size[::-1])
    noisy = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    noisy.save(buffer, format="JPEG", quality=60)
    return Image.open(io.BytesIO(buffer.getvalue()))


def scanned_pdf(path: Path, pages: list[list[str]]) -> Path:
    """An image-only PDF (no text layer), one page image per list of lines."""
    images = [page_image(lines) for lines in pages]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150)
    return path
