#!/usr/bin/env python3
"""Regenerates the demo track's images (demo/assets/img/...): small SVG charts and one PNG.

Standard library only (the PNG is written by hand with zlib), deterministic output.
Run from the repository root: python3 tests/day/make_demo_images.py
"""
import math, struct, zlib, pathlib

ROOT = pathlib.Path("demo/assets/img")
POST = ROOT / "2026-04-27-sample-post"
SCORES = [2.0, 1.0, 0.5, -1.0]
COLORS = ["#3b6ea5", "#5a9bd4", "#8fbce6", "#c6ddf2"]


def softmax(z, tau):
    m = max(z)
    e = [math.exp((x - m) / tau) for x in z]
    s = sum(e)
    return [x / s for x in e]


def temperatures_svg():
    w, h, pad = 600, 220, 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" font-size="13">',
           '<rect width="100%" height="100%" fill="#fff"/>']
    for k, tau in enumerate([0.5, 1.0, 4.0]):
        x0 = pad + k * 190
        out.append(f'<text x="{x0 + 75}" y="{h - 8}" text-anchor="middle">τ = {tau:g}</text>')
        out.append(f'<line x1="{x0}" y1="{h - 30}" x2="{x0 + 150}" y2="{h - 30}" stroke="#333"/>')
        for i, p in enumerate(softmax(SCORES, tau)):
            bh = p * (h - 60)
            out.append(f'<rect x="{x0 + 8 + i * 36}" y="{h - 30 - bh:.1f}" width="28" height="{bh:.1f}" fill="{COLORS[i]}"/>')
            out.append(f'<text x="{x0 + 22 + i * 36}" y="{h - 34 - bh:.1f}" text-anchor="middle" font-size="11">{p:.2f}</text>')
    out.append('</svg>')
    return "\n".join(out) + "\n"


def entropy_svg():
    w, h, pad = 320, 220, 36
    pts = []
    for s in range(0, 101):
        tau = 0.05 + s * 0.1
        p = softmax(SCORES, tau)
        H = -sum(x * math.log(x) for x in p if x > 0)
        x = pad + (tau / 10.05) * (w - 2 * pad)
        y = h - pad - H / math.log(4) * (h - 2 * pad)
        pts.append(f"{x:.1f},{y:.1f}")
    top = pad
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" font-size="12">\n'
            '<rect width="100%" height="100%" fill="#fff"/>\n'
            f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#333"/>\n'
            f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="#333"/>\n'
            f'<line x1="{pad}" y1="{top}" x2="{w - pad}" y2="{top}" stroke="#999" stroke-dasharray="4 3"/>\n'
            f'<text x="{w - pad}" y="{top - 6}" text-anchor="end">log K</text>\n'
            f'<text x="{w / 2}" y="{h - 8}" text-anchor="middle">temperature τ</text>\n'
            f'<text x="12" y="{h / 2}" transform="rotate(-90 12 {h / 2})" text-anchor="middle">entropy</text>\n'
            f'<polyline fill="none" stroke="#3b6ea5" stroke-width="2.5" points="{" ".join(pts)}"/>\n'
            '</svg>\n')


def png(width, height, rgb_rows):
    raw = b"".join(b"\x00" + bytes(row) for row in rgb_rows)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def heatmap_png():
    n, cell = 8, 24
    rows = []
    for r in range(n):
        scores = [-abs(r - c) * 0.9 + (0.6 if c == 0 else 0.0) for c in range(n)]
        weights = softmax(scores, 1.0)
        for _ in range(cell):
            row = []
            for c in range(n):
                v = weights[c]
                col = (int(255 - 200 * v), int(255 - 140 * v), int(255 - 60 * v))
                row.extend(col * cell)
            rows.append(row)
    return png(n * cell, n * cell, rows)


def avatar_svg(initials, hue):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" height="120">\n'
            f'<circle cx="60" cy="60" r="60" fill="hsl({hue}, 45%, 55%)"/>\n'
            f'<text x="60" y="74" font-family="sans-serif" font-size="40" fill="#fff" text-anchor="middle">{initials}</text>\n'
            '</svg>\n')


LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">\n'
        '<rect width="64" height="64" rx="12" fill="#3b6ea5"/>\n'
        '<path d="M14 46 L26 30 L36 38 L50 18" fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>\n'
        '</svg>\n')

if __name__ == "__main__":
    POST.mkdir(parents=True, exist_ok=True)
    (ROOT / "organizers").mkdir(parents=True, exist_ok=True)
    (POST / "temperatures.svg").write_text(temperatures_svg(), encoding="utf-8")
    (POST / "entropy.svg").write_text(entropy_svg(), encoding="utf-8")
    (POST / "heatmap.png").write_bytes(heatmap_png())
    for name, ini, hue in [("ar", "AR", 210), ("so", "SO", 150), ("mt", "MT", 20)]:
        (ROOT / "organizers" / f"{name}.svg").write_text(avatar_svg(ini, hue), encoding="utf-8")
    (ROOT / "logo.svg").write_text(LOGO, encoding="utf-8")
