"""Bench figures of the modules: the orders list among a million orders, and the bills export's memory.

Both run in-process against the bench database (PostgreSQL when DATABASE_URL or BENCH_DATABASE_URL
names one). The big data set is made with one INSERT … SELECT per table over generate_series (or a
recursive CTE on SQLite), so a million orders take seconds, not the hours a row-by-row ORM would.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import data

ROOT = Path(__file__).resolve().parent.parent
ORDERS_SHOP = "orders-shop"
ORDERS_OWNER = "orders-owner@bench.example"


def _series(vendor: str, count: int) -> str:
    """SQL for a relation `s(n)` of 0 … count-1."""
    if vendor == "postgresql":
        return f"(SELECT n FROM generate_series(0, {count - 1}) AS g(n)) AS s"
    counter = f"WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < {count - 1})"
    return f"({counter} SELECT n FROM c) AS s"


def _run(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)


def seed_orders_shop(orders: int = 100) -> None:
    """The measured shop: its owner (the bench password) and `orders` orders."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from accounts.models import Membership, Shop
    from commerce.models import Order

    owner = get_user_model().objects.create(email=ORDERS_OWNER, password=make_password(data.PASSWORD))
    shop = Shop.objects.create(owner=owner, name="Orders Shop", slug=ORDERS_SHOP)
    Membership.objects.create(user=owner, shop=shop, roles=[])
    Order.objects.bulk_create(
        [Order(shop=shop, number=f"O-{n:05d}", buyer_name=f"Buyer {n}", total=10 + n) for n in range(orders)]
    )


def add_many_orders(*, shops: int, orders: int) -> float:
    """`shops` more shops (with owners) holding `orders` orders between them; returns seconds taken."""
    from django.db import connection

    vendor = connection.vendor
    started = time.perf_counter()
    concat = "||"
    now = "CURRENT_TIMESTAMP"
    _run(
        "INSERT INTO accounts_user (email, password, first_name, last_name, is_active, is_staff,"
        " is_superuser, date_joined, preferred_two_step_method, anti_phishing_phrase, frozen_reason,"
        " freeze_scope, two_step_failures)"
        f" SELECT 'o-owner' {concat} n {concat} '@many.example', '!bench', '', '', true, false, false,"
        f" {now}, 'totp', '', '', '', 0 FROM {_series(vendor, shops)}"
    )
    _run(
        f"INSERT INTO accounts_shop (name, slug, owner_id, require_two_step, currency, created)"
        f" SELECT 'Orders ' {concat} u.id, 'o-shop-' {concat} u.id, u.id, false, 'USD', {now}"
        f" FROM accounts_user u WHERE u.email LIKE 'o-owner%@many.example'"
    )
    first, last = _shop_range()
    per_shop = max(1, orders // shops)
    shop_of = f"({first} + (n / {per_shop}) % ({last - first + 1}))"
    _run(
        f"INSERT INTO commerce_order (shop_id, number, buyer_name, total, status, carrier, tracking_number,"
        f" cancel_reason, refunded_total, created, updated)"
        f" SELECT {shop_of}, 'M-' {concat} n, 'Buyer', 42.5, 'pending', '', '', '', 0, {now}, {now}"
        f" FROM {_series(vendor, orders)}"
    )
    _run("ANALYZE")
    return time.perf_counter() - started


def _shop_range() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM accounts_shop WHERE slug LIKE 'o-shop-%'")
        return cursor.fetchone()


def orders_page_sample(requests: int) -> tuple[float, int]:
    """(p50 seconds, SQL queries) of the orders list page of the measured shop, signed in as its owner:
    the lowest of three rounds' medians."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    answer = client.post("/login/", {"email": ORDERS_OWNER, "password": data.PASSWORD})
    if answer.status_code != 302:
        raise RuntimeError(f"Signing in for the orders page answered {answer.status_code}")
    path = f"/shop/{ORDERS_SHOP}/orders/"
    for _ in range(5):
        client.get(path)  # warm: the first pages after signing in may write the session
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path)
    # Read now: the captured slice of the query log is gone once later requests empty it.
    count = len(queries)
    if answer.status_code != 200 or b"O-00099" not in answer.content:
        raise RuntimeError(f"The orders page answered {answer.status_code}")
    # The data cannot alternate between the two states, so each side takes the quietest of three
    # rounds (the lowest median): a busy moment on the machine then spoils neither.
    medians = []
    for _ in range(3):
        timings = []
        for _ in range(requests // 3):
            started = time.perf_counter()
            client.get(path)
            timings.append(time.perf_counter() - started)
        medians.append(statistics.median(timings))
    return min(medians), count


def seed_export_shop(slug: str, bills: int) -> None:
    """A shop with `bills` monthly bills (one a month from year 1 on), made in one statement."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from accounts.models import Membership, Shop

    owner = get_user_model().objects.create(email=f"{slug}@bench.example", password="!bench")
    shop = Shop.objects.create(owner=owner, name=slug, slug=slug)
    Membership.objects.create(user=owner, shop=shop, roles=[])
    if connection.vendor == "postgresql":
        period = "make_date(1 + n / 12, 1 + n % 12, 1)"
    else:
        period = "printf('%04d-%02d-01', 1 + n / 12, 1 + n % 12)"
    _run(
        f"INSERT INTO commerce_bill (shop_id, period, reference, amount, fees, status, created)"
        f" SELECT {shop.pk}, {period}, 'ST-' || n, 1000, 35, 'settled', CURRENT_TIMESTAMP"
        f" FROM {_series(connection.vendor, bills)}"
    )


EXPORT_SCRIPT = """
import csv, json, resource, sys, tracemalloc, django
django.setup()
from io import StringIO
from accounts.models import Shop
from commerce import exports
from commerce.models import Bill
shop = Shop.objects.get(slug=sys.argv[1])
bills = Bill.objects.filter(shop=shop)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
size = 0
if sys.argv[2] == "streamed":
    # What the export view returns, consumed as the server sends it.
    for line in exports.bills_response(bills, shop).streaming_content:
        size += len(line)
else:
    # The baseline: every row fetched at once and the whole file built before it is sent.
    buffer = StringIO()
    writer = csv.writer(buffer)
    for bill in list(bills):
        writer.writerow([bill.pk, bill.period, bill.reference, bill.amount, bill.fees])
    size = len(buffer.getvalue())
peak = tracemalloc.get_traced_memory()[1]
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"peak": peak, "rss_growth_kb": grown, "bytes": size}))
"""


def export_memory(slug: str, *, streamed: bool) -> dict:
    """Peak Python memory (tracemalloc) and resident-set growth, in a fresh process, of exporting the
    shop's bills streamed as the product does, or built in memory at once (the baseline)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    mode = "streamed" if streamed else "in-memory"
    answer = subprocess.run(  # noqa: S603 - this interpreter and the script above
        [sys.executable, "-c", EXPORT_SCRIPT, slug, mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if answer.returncode != 0:
        raise RuntimeError(answer.stderr[-2000:])
    return json.loads(answer.stdout.strip().splitlines()[-1])
