"""Checking an uploaded document by its content (SPEC §8 step 3), never by its name or the type the
client claims: a PDF, a JPEG or a PNG, at most 10 MB.

Images are decoded and encoded again, which drops their metadata (EXIF with its GPS position, text
chunks, ICC profiles) and anything hidden after the image data; a picture of more than MAX_PIXELS
(a decompression bomb among them) is refused before it is decoded. PDFs are kept as sent, so they
are parsed and refused when they carry JavaScript, embedded files or actions that launch or submit
anything; staff open them as attachments only (recovery/admin_views.py).
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_BYTES = 10 * 1024 * 1024
# 40 megapixels: more than any phone photo of a document needs, and 160 MB at most once decoded.
MAX_PIXELS = 40_000_000
MAX_PDF_PAGES = 50
# The most PDF objects looked at: a real document has a few thousand.
MAX_PDF_OBJECTS = 200_000

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# What makes a PDF more than a document: scripts, files inside it, and actions that run or send.
PDF_ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/EF",
    "/XFA",
    "/RichMediaContent",
}
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE", "/RichMediaExecute"}
PDF_ACTIVE_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Sound", "/Movie", "/Screen"}
# A backstop on the raw bytes for the same things outside the object graph pypdf reads.
PDF_ACTIVE_TOKENS = (b"/JavaScript", b"/EmbeddedFile", b"/Launch")

UNSUPPORTED = gettext_lazy(
    "Send a PDF, a JPEG or a PNG. This file is none of these: we check what a file contains, not its "
    "name, so renaming a file does not change that."
)


class DocumentRefused(Exception):
    """The file cannot be accepted: `message` says why and what to send instead; `code` is stable;
    `status` is 413 for a file over MAX_BYTES, else 400."""

    def __init__(self, message: str, code: str, status: int = 400):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


@dataclass(frozen=True)
class CheckedDocument:
    """A document that passed: the bytes to store (images re-encoded) and what they are."""

    content: bytes
    content_type: str
    name: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def too_large() -> DocumentRefused:
    return DocumentRefused(
        _("This file is larger than 10 MB. Scan at a lower resolution, or photograph the document again."),
        "file_too_large",
        status=413,
    )


def check_document(upload) -> CheckedDocument:
    """Check an uploaded file (Django's UploadedFile) and return what to store; DocumentRefused if
    it is not a clean PDF, JPEG or PNG of at most MAX_BYTES."""
    if upload.size > MAX_BYTES:
        raise too_large()
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise too_large()
    name = display_name(upload.name)
    if content.startswith(PDF_MAGIC):
        _check_pdf(content)
        return CheckedDocument(content, "application/pdf", name)
    if content.startswith(JPEG_MAGIC):
        return CheckedDocument(_reencode(content, "JPEG"), "image/jpeg", name)
    if content.startswith(PNG_MAGIC):
        return CheckedDocument(_reencode(content, "PNG"), "image/png", name)
    raise DocumentRefused(UNSUPPORTED, "unsupported_type")


def display_name(name: str | None) -> str:
    """The name to show staff: printable, at most 100 characters, never used on disk."""
    name = "".join(c for c in (name or "") if c.isprintable()).strip() or "document"
    if len(name) > 100:
        stem, dot, extension = name.rpartition(".")
        name = (
            f"{stem[: 95 - len(extension)]}…{dot}{extension}" if dot and len(extension) <= 8 else name[:100]
        )
    return name


def _reencode(content: bytes, image_format: str) -> bytes:
    """The image decoded and encoded again without its metadata; DocumentRefused for a damaged image
    or one of more than MAX_PIXELS."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it: here that is a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise _too_many_pixels()
                image.load()
                upright = ImageOps.exif_transpose(image)
        upright.info = {}
        out = io.BytesIO()
        if image_format == "JPEG":
            if upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            upright.save(out, "JPEG", quality=90)
        else:
            if upright.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                upright = upright.convert("RGBA")
            upright.save(out, "PNG")
        return out.getvalue()
    except DocumentRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise DocumentRefused(
            _(
                "This %(format)s image is damaged or incomplete: we could not read it. Take the photo or "
                "the scan again."
            )
            % {"format": image_format},
            "damaged_image",
        ) from None


def _too_many_pixels() -> DocumentRefused:
    return DocumentRefused(
        _("This image has more than 40 megapixels. Take the photo at a lower resolution, or scan it to PDF."),
        "image_too_large",
    )


def _check_pdf(content: bytes) -> None:
    if any(token in content for token in PDF_ACTIVE_TOKENS):
        raise _active_pdf()
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise DocumentRefused(
                _("This PDF is protected by a password. Save it again without the password, then send it."),
                "pdf_encrypted",
            )
        pages = len(reader.pages)
        if pages == 0 or pages > MAX_PDF_PAGES:
            raise DocumentRefused(
                _(
                    "A document may have 1 to %(maximum)d pages; this PDF has %(pages)d. Send the "
                    "pages we need only."
                )
                % {"maximum": MAX_PDF_PAGES, "pages": pages},
                "pdf_pages",
            )
        _refuse_active_content(reader.trailer)
    except DocumentRefused:
        raise
    except Exception:  # pypdf raises many kinds on malformed files; every one means "unreadable"
        raise DocumentRefused(
            _("This PDF is damaged: we could not read it. Export or scan the document to PDF again."),
            "damaged_pdf",
        ) from None


def _active_pdf() -> DocumentRefused:
    return DocumentRefused(
        _(
            "This PDF contains scripts, attached files or actions, which we do not accept. Print it to a new "
            "PDF, or send a scan or a photo of the document."
        ),
        "pdf_active_content",
    )


def _refuse_active_content(root) -> None:
    """Walk every object reachable from the trailer; DocumentRefused on the first active one."""
    seen: set[tuple[int, int]] = set()
    pending = [root]
    looked_at = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        looked_at += 1
        if looked_at > MAX_PDF_OBJECTS:
            raise DocumentRefused(
                _("This PDF is too complex to check. Print it to a new PDF."), "pdf_complex"
            )
        if isinstance(item, DictionaryObject):
            if PDF_ACTIVE_KEYS.intersection(item.keys()):
                raise _active_pdf()
            if item.get("/S") in PDF_ACTIVE_ACTIONS or item.get("/Subtype") in PDF_ACTIVE_SUBTYPES:
                raise _active_pdf()
            if item.get("/Type") == "/EmbeddedFile":
                raise _active_pdf()
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
