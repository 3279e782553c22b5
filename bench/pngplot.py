"""Draw the load benchmark's latency over time as a PNG, with zlib and no plotting package.

A line chart is a few lines and labels on a grid: that needs no matplotlib (not in the
project's dependencies), only a pixel buffer, a tiny bitmap font and the PNG format
(a signature, then IHDR, IDAT with zlib-compressed scanlines, IEND, each chunk with its
CRC-32).
"""

import itertools
import struct
import zlib
from pathlib import Path

# 3x5 glyphs, one row per string, "#" lit.
FONT = {
    "0": ["###", "#.#", "#.#", "#.#", "###"], "1": [".#.", "##.", ".#.", ".#.", "###"],
    "2": ["###", "..#", "###", "#..", "###"], "3": ["###", "..#", ".##", "..#", "###"],
    "4": ["#.#", "#.#", "###", "..#", "..#"], "5": ["###", "#..", "###", "..#", "###"],
    "6": ["###", "#..", "###", "#.#", "###"], "7": ["###", "..#", ".#.", ".#.", ".#."],
    "8": ["###", "#.#", "###", "#.#", "###"], "9": ["###", "#.#", "###", "..#", "###"],
    "a": [".#.", "#.#", "###", "#.#", "#.#"], "b": ["##.", "#.#", "##.", "#.#", "##."],
    "c": [".##", "#..", "#..", "#..", ".##"], "d": ["##.", "#.#", "#.#", "#.#", "##."],
    "e": ["###", "#..", "##.", "#..", "###"], "f": ["###", "#..", "##.", "#..", "#.."],
    "g": [".##", "#..", "#.#", "#.#", ".##"], "h": ["#.#", "#.#", "###", "#.#", "#.#"],
    "i": ["###", ".#.", ".#.", ".#.", "###"], "k": ["#.#", "#.#", "##.", "#.#", "#.#"],
    "l": ["#..", "#..", "#..", "#..", "###"], "m": ["#.#", "###", "###", "#.#", "#.#"],
    "n": ["##.", "#.#", "#.#", "#.#", "#.#"], "o": [".#.", "#.#", "#.#", "#.#", ".#."],
    "p": ["##.", "#.#", "##.", "#..", "#.."], "r": ["##.", "#.#", "##.", "#.#", "#.#"],
    "s": [".##", "#..", ".#.", "..#", "##."], "t": ["###", ".#.", ".#.", ".#.", ".#."],
    "u": ["#.#", "#.#", "#.#", "#.#", "###"], "v": ["#.#", "#.#", "#.#", "#.#", ".#."],
    "w": ["#.#", "#.#", "###", "###", "#.#"], "x": ["#.#", "#.#", ".#.", "#.#", "#.#"],
    "y": ["#.#", "#.#", ".#.", ".#.", ".#."], "z": ["###", "..#", ".#.", "#..", "###"],
    " ": ["...", "...", "...", "...", "..."], ".": ["...", "...", "...", "...", ".#."],
    ",": ["...", "...", "...", ".#.", "#.."], "-": ["...", "...", "###", "...", "..."],
    "(": [".#.", "#..", "#..", "#..", ".#."], ")": [".#.", "..#", "..#", "..#", ".#."],
    "/": ["..#", "..#", ".#.", "#..", "#.."], ":": ["...", ".#.", "...", ".#.", "..."],
    "<": ["..#", ".#.", "#..", ".#.", "..#"], "=": ["...", "###", "...", "###", "..."],
}
COLOURS = {"page": (29, 112, 184), "api": (0, 112, 60), "log": (212, 53, 28),
           "bad": (148, 143, 140)}
WHITE, BLACK, GREY = (255, 255, 255), (11, 12, 12), (222, 224, 226)


class Canvas:
    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(WHITE) * width * height)

    def dot(self, x: int, y: int, colour: tuple[int, int, int]) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            at = (y * self.width + x) * 3
            self.pixels[at:at + 3] = bytes(colour)

    def line(self, x0: int, y0: int, x1: int, y1: int, colour, thick: int = 1) -> None:
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for step in range(steps + 1):
            x = round(x0 + (x1 - x0) * step / steps)
            y = round(y0 + (y1 - y0) * step / steps)
            for dx in range(thick):
                for dy in range(thick):
                    self.dot(x + dx, y + dy, colour)

    def rect(self, x: int, y: int, width: int, height: int, colour) -> None:
        for row in range(y, y + height):
            for column in range(x, x + width):
                self.dot(column, row, colour)

    def text(self, x: int, y: int, words: str, colour=BLACK, scale: int = 2) -> None:
        for index, char in enumerate(words.lower()):
            glyph = FONT.get(char, FONT[" "])
            for row, bits in enumerate(glyph):
                for column, bit in enumerate(bits):
                    if bit == "#":
                        self.rect(x + (index * 4 + column) * scale, y + row * scale, scale,
                                  scale, colour)

    def png(self) -> bytes:
        def chunk(kind: bytes, body: bytes) -> bytes:
            return (struct.pack(">I", len(body)) + kind + body
                    + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

        stride = self.width * 3
        raw = b"".join(b"\x00" + bytes(self.pixels[row * stride:(row + 1) * stride])
                       for row in range(self.height))
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _step(top: float) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 8:
            return step
    return 10_000


def latency_chart(series: dict[str, list], path: Path, *, title: str = "") -> None:
    """Write p95 (thick) and p50 (thin) per second of each kind of request to `path`.

    `series` maps a kind ("page", "api", "log", "bad") to (second, p50 ms, p95 ms) rows.
    """
    width, height, left, right, top, bottom = 960, 440, 70, 20, 50, 50
    canvas = Canvas(width, height)
    last = max((row[0] for rows in series.values() for row in rows), default=1) or 1
    # The scale fits 99 % of the seconds' p95; a rarer spike (the first second's cold
    # start) is drawn clipped at the top rather than flattening everything else.
    highs = sorted(row[2] for rows in series.values() for row in rows) or [10.0]
    peak = highs[min(len(highs) - 1, int(len(highs) * 0.99))]
    step = _step(peak)
    ceiling = step * (int(peak // step) + 1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(second: float) -> int:
        return left + round(plot_w * second / last)

    def y_of(ms: float) -> int:
        return top + plot_h - round(plot_h * min(ms, ceiling) / ceiling)

    for value in range(0, int(ceiling) + 1, step):
        canvas.line(left, y_of(value), left + plot_w, y_of(value), GREY)
        canvas.text(left - 8 - 8 * len(str(value)), y_of(value) - 5, str(value))
    seconds_step = _step(last / 1.2)
    for second in range(0, int(last) + 1, seconds_step):
        canvas.line(x_of(second), top + plot_h, x_of(second), top + plot_h + 5, BLACK)
        canvas.text(x_of(second) - 4 * len(str(second)), top + plot_h + 10, str(second))
    canvas.line(left, top, left, top + plot_h, BLACK)
    canvas.line(left, top + plot_h, left + plot_w, top + plot_h, BLACK)
    canvas.text(left, 12, title or "latency per second of the run, ms (thick p95, thin p50, "
                "rare spikes clipped)")
    canvas.text(left + plot_w - 120, top + plot_h + 30, "seconds")
    legend_x = left + 10
    for kind, rows in series.items():
        colour = COLOURS.get(kind, BLACK)
        for index in (2, 1):
            points = [(x_of(row[0]), y_of(row[index])) for row in rows]
            for (x0, y0), (x1, y1) in itertools.pairwise(points):
                canvas.line(x0, y0, x1, y1, colour, thick=2 if index == 2 else 1)
        canvas.rect(legend_x, 30, 14, 10, colour)
        canvas.text(legend_x + 20, 30, kind)
        legend_x += 40 + 8 * len(kind)
    path.write_bytes(canvas.png())
