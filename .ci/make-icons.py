#!/usr/bin/env python3
"""Draws Stockroom's app icon (three stacked crates on a teal tile) into icons/.

Run from the repository root: python3 .ci/make-icons.py (needs Pillow).
"""
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 1024
TILE = (15, 92, 98, 255)        # deep teal
CRATE = (245, 239, 224, 255)    # warm paper
SLAT = (15, 92, 98, 255)
ACCENT = (242, 166, 60, 255)    # amber label


def crate(draw: ImageDraw.ImageDraw, x: int, y: int, w: int, h: int, label: bool) -> None:
    draw.rounded_rectangle((x, y, x + w, y + h), radius=28, fill=CRATE)
    slat = h // 9
    draw.rectangle((x + 36, y + h // 2 - slat // 2, x + w - 36, y + h // 2 + slat // 2), fill=SLAT)
    if label:
        lw, lh = w // 4, h // 3
        lx, ly = x + (w - lw) // 2, y + (h - lh) // 2
        draw.rounded_rectangle((lx, ly, lx + lw, ly + lh), radius=12, fill=ACCENT)


def draw_master() -> Image.Image:
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((40, 40, SIZE - 40, SIZE - 40), radius=200, fill=TILE)
    w, h, gap = 300, 220, 36
    base_y = (SIZE - (2 * h + gap)) // 2 + h + gap
    left = (SIZE - (2 * w + gap)) // 2
    crate(draw, left, base_y, w, h, label=False)
    crate(draw, left + w + gap, base_y, w, h, label=False)
    crate(draw, (SIZE - w) // 2, base_y - h - gap, w, h, label=True)
    return img


def main() -> None:
    out = Path("icons")
    out.mkdir(exist_ok=True)
    master = draw_master()
    for name, px in {"32x32.png": 32, "128x128.png": 128, "128x128@2x.png": 256,
                     "icon.png": 512}.items():
        master.resize((px, px), Image.LANCZOS).save(out / name)
    master.save(out / "icon.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64),
                                         (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
