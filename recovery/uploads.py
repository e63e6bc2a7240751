"""Reading an upload request before anything is stored: its size from the headers, and file names that
are plain names.

Django already cuts a sent file name down to its last part ("../../etc/x.pdf" becomes "x.pdf"); the
upload endpoints go further and refuse such a request outright, so that a client that sends a path
learns it at once (400) instead of having its file quietly renamed. Nothing a person types is used on
disk anyway: documents are stored under random names (recovery/models.py).
"""

import html
from functools import wraps

from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from rest_framework import exceptions, parsers
from rest_framework.parsers import DataAndFiles

from recovery.documents import MAX_BYTES

# A request carries the file and a few short fields: anything longer than this is too large.
MAX_REQUEST_BYTES = MAX_BYTES + 64 * 1024

BAD_FILE_NAME = gettext_lazy(
    "The file name must be a plain name such as passport.pdf, without folders or special characters. "
    "Rename the file and send it again."
)


class BadFileName(Exception):
    """A part's file name was a path, or carried characters that are not printable."""


class PlainNameMultiPartParser(MultiPartParser):
    """Django's multipart parser, refusing file names it would have had to cut or clean."""

    def sanitize_file_name(self, file_name):
        clean = super().sanitize_file_name(file_name)
        if clean is None or clean != html.unescape(file_name):
            raise BadFileName(file_name)
        return clean


def request_too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return True


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = gettext_lazy(
        "This file is larger than 10 MB. Scan at a lower resolution, or photograph it again."
    )
    default_code = "file_too_large"


class PlainNameMultiPartAPIParser(parsers.MultiPartParser):
    """DRF's multipart parser with the checks above: 413 before reading an oversized body, 400 for
    a file name that is a path."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]
        if request_too_large(request):
            raise RequestTooLarge
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            data, files = PlainNameMultiPartParser(
                meta, stream, request.upload_handlers, parser_context.get("encoding", "utf-8")
            ).parse()
        except BadFileName:
            raise exceptions.ValidationError({"file": [BAD_FILE_NAME]}, code="bad_file_name") from None
        except MultiPartParserError as error:
            raise exceptions.ParseError(f"The upload could not be read: {error}") from None
        return DataAndFiles(data, files)


def plain_name_uploads(refused):
    """Page decorator for an upload form: a POST's body is parsed with the checks above before the
    CSRF check reads it; `refused(request, message, status)` renders the page's answer to a body
    that is too large or names a path. The CSRF check still runs, right after parsing."""

    def decorator(view):
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                if request_too_large(request):
                    return refused(request, RequestTooLarge.default_detail, 413)
                if request.content_type == "multipart/form-data":
                    try:
                        request._post, request._files = PlainNameMultiPartParser(
                            request.META, request, request.upload_handlers, request.encoding
                        ).parse()
                    except BadFileName:
                        return refused(request, BAD_FILE_NAME, 400)
                    except MultiPartParserError:
                        return refused(request, _("The upload could not be read. Send the form again."), 400)
            return protected(request, *args, **kwargs)

        return wrapped

    return decorator
