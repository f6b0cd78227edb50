"""Small PNG images written with the standard library (for the demo and the tests)."""

import struct
import zlib


def png_bytes(width=4, height=3, colors=((181, 18, 27),)):
    """A valid RGB PNG of horizontal bands in `colors`, top to bottom."""
    band = max(1, height // len(colors))
    rows = []
    for y in range(height):
        rgb = colors[min(y // band, len(colors) - 1)]
        rows.append(b"\x00" + bytes(rgb) * width)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )
