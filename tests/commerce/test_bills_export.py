"""The bills' CSV export: streamed, read back with Python's csv module, its own shop's bills only, and
no cell a spreadsheet would run as a formula (CSV injection)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse

from audit.events import EventKind
from audit.models import SecurityEvent
from commerce.exports import inert
from tests.factories import BillFactory

pytestmark = pytest.mark.django_db


def rows_of(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "path", ["/shop/{slug}/finance/bills/export.csv", "/api/v1/shops/{slug}/finance/bills/export"]
)
def test_the_export_streams_the_shops_bills_as_csv(shop, other_shop, signed_in, member_with, path):
    BillFactory(
        shop=shop, period=date(2026, 1, 1), reference="ST-0001", amount=Decimal("1000"), fees=Decimal("35")
    )
    BillFactory(shop=shop, period=date(2026, 2, 1), reference='Quote " and, comma\nnewline')
    BillFactory(shop=other_shop, period=date(2026, 1, 1), reference="THEIRS")
    client = signed_in(member_with("finance_specialist"))

    response = client.get(path.format(slug=shop.slug))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = rows_of(response)
    assert header[:6] == ["id", "period", "reference", "sales", "fees", "net"]
    assert [row[1] for row in rows] == ["2026-02", "2026-01"]
    assert rows[1][2:7] == ["ST-0001", "1000.00", "35.00", "965.00", "USD"]
    assert rows[0][2] == 'Quote " and, comma\nnewline'
    assert "THEIRS" not in str(rows)
    assert SecurityEvent.objects.filter(kind=EventKind.BILLS_EXPORTED, shop=shop).exists()


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_a_cell_starting_like_a_formula_is_exported_inert(shop, signed_in, text):
    BillFactory(shop=shop, reference=text)
    client = signed_in(shop.owner)

    _header, row = rows_of(client.get(f"/shop/{shop.slug}/finance/bills/export.csv"))

    assert row[2] == "'" + text
    assert not row[2].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_plain_cells_are_left_as_they_are():
    assert inert("ST-01") == "ST-01" and inert(Decimal("1.50")) == "1.50" and inert(None) == ""


def test_exporting_needs_finance_export(shop, signed_in, member_with):
    client = signed_in(member_with("marketing_specialist"))
    assert client.get(f"/shop/{shop.slug}/finance/bills/export.csv").status_code == 403
    assert client.get(f"/api/v1/shops/{shop.slug}/finance/bills/export").status_code == 403


def test_a_jpy_shop_exports_whole_amounts(shop, signed_in):
    shop.currency = "JPY"
    shop.save()
    BillFactory(shop=shop, amount=Decimal("125000"), fees=Decimal("4375"))

    _header, row = rows_of(signed_in(shop.owner).get(f"/shop/{shop.slug}/finance/bills/export.csv"))

    assert row[3:7] == ["125000", "4375", "120625", "JPY"]
