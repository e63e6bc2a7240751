"""Documents for upload tests, made here so every test says what it sends."""

import io
import struct
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript


def pdf(*, pages: int = 1, javascript: str | None = None, attachment: bytes | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if javascript:
        writer.add_open_action(JavaScript(javascript))
    if attachment is not None:
        writer.add_attachment("invoice.txt", attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_hidden_javascript() -> bytes:
    """JavaScript under names spelled with #-escapes (/Java#53cript is /JavaScript): a byte search
    misses it, a PDF reader does not."""
    return (
        pdf(javascript="app.alert(1)").replace(b"/JavaScript", b"/Java#53cript").replace(b"/JS ", b"/J#53 ")
    )


def jpeg(*, size=(640, 400), exif_description: str | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 180, 160))
    out = io.BytesIO()
    kwargs = {}
    if exif_description:
        exif = Image.Exif()
        exif[0x010E] = exif_description  # ImageDescription
        exif[0x010F] = "Phone maker"  # Make
        kwargs["exif"] = exif.tobytes()
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def png(*, size=(320, 200), text: str | None = None) -> bytes:
    from PIL import PngImagePlugin

    image = Image.new("RGBA", size, (10, 120, 200, 255))
    out = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid PNG of width x height black pixels (1 bit each) that compresses to a few hundred KB:
    decoded, it would take gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
