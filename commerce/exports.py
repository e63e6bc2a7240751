"""The bills as CSV, streamed row by row: memory stays flat however many bills a shop has.

Cells are written by Python's csv module (quoting commas, quotes and line breaks) and made inert for
spreadsheets: a cell starting with = + - @, a tab or a carriage return would be read as a formula
(CSV injection, OWASP), so it gets a leading apostrophe.
"""

import csv
from collections.abc import Iterator
from datetime import UTC

from django.http import StreamingHttpResponse
from django.utils import timezone

from commerce import money

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["id", "period", "reference", "sales", "fees", "net", "currency", "status", "created (UTC)"]
CHUNK = 2000


def inert(value) -> str:
    """The cell as text that no spreadsheet evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write() hands the line back, so the csv writer feeds a generator."""

    def write(self, value: str) -> str:
        return value


def bill_lines(bills, currency: str) -> Iterator[str]:
    """The CSV text of the bills, one line at a time, the header first."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    q = money.quantize
    for bill in bills.iterator(chunk_size=CHUNK):
        yield writer.writerow(
            [
                inert(cell)
                for cell in (
                    bill.pk,
                    bill.period.strftime("%Y-%m"),
                    bill.reference,
                    q(bill.amount, currency),
                    q(bill.fees, currency),
                    q(bill.amount - bill.fees, currency),
                    currency,
                    bill.get_status_display(),
                    bill.created.astimezone(UTC).isoformat(),
                )
            ]
        )


def bills_response(bills, shop) -> StreamingHttpResponse:
    """A streamed download of these bills (already scoped to `shop`)."""
    response = StreamingHttpResponse(bill_lines(bills, shop.currency), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{shop.slug}-bills-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
