"""The load benchmark's own arithmetic: its percentiles, error rate and the PNG it draws."""

import json
import struct
import zlib

from bench import load, pngplot


def test_summary_counts_failures_and_keeps_bad_requests_out_of_the_good(tmp_path):
    samples = tmp_path / "samples.json"
    rows = [[100.0 + n / 10, "api: whoami", float(n + 1), True] for n in range(100)]
    rows += [[105.0, "bad: expired token", 2.0, True], [106.0, "bad: expired token", 3.0, False]]
    samples.write_text(json.dumps(rows))

    figures = load.summarise(samples)["endpoints"]

    assert figures["api: whoami"]["p50_ms"] == 51.0
    assert figures["api: whoami"]["p95_ms"] == 96.0
    assert figures["api: whoami"]["p99_ms"] == 100.0
    assert figures["bad: expired token"]["failures"] == 1
    assert figures["all good"]["requests"] == 100
    assert figures["all"]["requests"] == 102
    assert figures["all"]["error_rate"] == round(1 / 102, 4)


def test_latency_chart_is_a_png_of_the_promised_size(tmp_path):
    path = tmp_path / "chart.png"
    pngplot.latency_chart({"api": [(0, 5.0, 9.0), (1, 6.0, 30.0)],
                           "page": [(0, 8.0, 20.0), (1, 7.0, 12.0)]}, path)

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0] == (
            zlib.crc32(kind + body) & 0xFFFFFFFF)
        chunks[kind] = body
        at += 12 + length
    pixels = zlib.decompress(chunks[b"IDAT"])
    assert len(pixels) == height * (1 + width * 3)
    assert set(chunks) == {b"IHDR", b"IDAT", b"IEND"}
    # The api series' colour is drawn somewhere on the white canvas.
    assert bytes(pngplot.COLOURS["api"]) in pixels
