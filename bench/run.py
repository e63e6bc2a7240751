"""`make bench`: the product's speed against stock Django doing the same job, in one run.

Serves the app with gunicorn (2 sync workers) on a throwaway database, drives it from a few threads over
loopback, and prints one row per figure: ours, the baseline, their ratio, the target and the verdict.
Each figure is one function taking the running servers and returning its rows; add one to FIGURES.
"""

import argparse
import base64
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench import data, recovery
from bench.load import Client, Load, run_load
from bench.servers import WORKERS, gunicorn

THREADS = 4
ROUNDS = 6  # ours and the baseline take turns, so a busy moment on the machine hits both
TIME_LIMIT = 20.0  # seconds per round and side, whatever the count: bounds a run on a busy machine


@dataclass
class Row:
    figure: str
    ours: str
    baseline: str
    ratio: str
    target: str
    verdict: str  # "pass", "MISS" or "n/a"


@dataclass
class Servers:
    ours: int  # the product as deployed
    stock: int  # the same URLs behind stock Django middleware only
    unprotected: int | None  # the product with LOGIN_PROTECTION off, when the setting exists
    quick: bool


def verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def compare(make_ours: Callable[[int], list], make_baseline: Callable[[int], list], count: int):
    """Run `count` requests a side, in ROUNDS alternating rounds; returns each side's loads by round."""
    ours, baseline = [], []
    per_round = max(1, count // ROUNDS)
    for _ in range(ROUNDS):
        ours.append(run_load(make_ours(per_round), threads=THREADS, time_limit=TIME_LIMIT))
        baseline.append(run_load(make_baseline(per_round), threads=THREADS, time_limit=TIME_LIMIT))
    return ours, baseline


def throughput_row(figure: str, ours: list[Load], baseline: list[Load], minimum: float) -> Row:
    """Throughput of both sides over all rounds; the ratio is the median of the rounds' ratios, so one
    round slowed by something else on the machine does not decide it (the range shows the spread)."""
    ratios = [o.per_second / b.per_second for o, b in zip(ours, baseline, strict=True) if b.per_second]
    ratio = statistics.median(ratios) if ratios else 0.0
    ours_total, baseline_total = sum(ours, Load(0, 0, 0.0, [])), sum(baseline, Load(0, 0, 0.0, []))
    errors = ours_total.errors + baseline_total.errors
    return Row(
        figure + (f" ({errors} unexpected answers)" if errors else ""),
        f"{ours_total.per_second:.1f}/s",
        f"{baseline_total.per_second:.1f}/s",
        f"{ratio:.2f} ({min(ratios, default=0):.2f}-{max(ratios, default=0):.2f})",
        f">= {minimum}",
        verdict(ratio >= minimum and not errors),
    )


def endpoint_exists(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


# Sign-ins ---------------------------------------------------------------------------------------------


def login_requests(port: int, path: str, email_field: str, count: int) -> list[Callable[[], bool]]:
    """`count` prepared sign-ins: each visitor has fetched the form (untimed); sending is timed."""
    prepared = []
    for i in range(count):
        client = Client(port)
        token = client.form_token(path)
        email = data.LOGIN_USERS[i % len(data.LOGIN_USERS)]

        def send(client=client, token=token, email=email) -> bool:
            form = {"csrfmiddlewaretoken": token, email_field: email, "password": data.PASSWORD}
            answer = client.request("POST", path, form=form)
            return answer.status == 302 and answer.headers.get("Location", "").endswith("/shops/")

        prepared.append(send)
    return prepared


def our_logins(port: int):
    return lambda count: login_requests(port, "/login/", "email", count)


def stock_logins(port: int):
    return lambda count: login_requests(port, "/bench/stock/login/", "username", count)


def warm_up_logins(servers: Servers) -> None:
    """Every bench user signs in once each way: a first sign-in from a device sends an alert."""
    warm = [our_logins(servers.ours), stock_logins(servers.ours), stock_logins(servers.stock)]
    if servers.unprotected:
        warm.append(our_logins(servers.unprotected))
    for make in warm:
        run_load(make(len(data.LOGIN_USERS)), threads=THREADS, time_limit=TIME_LIMIT)


def figure_login_throughput(servers: Servers) -> list[Row]:
    """(a) Sign-ins per second through /login/ against Django's stock LoginView on the same server,
    both hashing with Argon2."""
    count = 24 if servers.quick else 90
    ours, stock = compare(our_logins(servers.ours), stock_logins(servers.ours), count)
    return [throughput_row("(a) login: /login/ vs stock LoginView", ours, stock, 0.9)]


def figure_login_protection(servers: Servers) -> list[Row]:
    """Sign-ins per second with the lockout and session recording on, against the same login with
    them off (a second gunicorn with LOGIN_PROTECTION=false)."""
    figure = "login protection on vs off"
    if servers.unprotected is None:
        return [Row(figure, "not available", "", "", ">= 0.9", "n/a")]
    count = 24 if servers.quick else 90
    on, off = compare(our_logins(servers.ours), our_logins(servers.unprotected), count)
    return [throughput_row(figure, on, off, 0.9)]


# The dashboard ----------------------------------------------------------------------------------------


def signed_in(port: int, login_path: str, email_field: str, email: str) -> Client:
    client = Client(port)
    token = client.form_token(login_path)
    form = {"csrfmiddlewaretoken": token, email_field: email, "password": data.PASSWORD}
    answer = client.request("POST", login_path, form=form)
    if answer.status != 302:
        raise RuntimeError(f"Signing in {email} at {login_path} answered {answer.status}")
    return client


def page_requests(visitor: Client, path: str, count: int) -> list[Callable[[], bool]]:
    def send() -> bool:
        answer = Client(visitor.port, dict(visitor.cookies)).request("GET", path)
        return answer.status == 200 and b"Bench Shop" in answer.body

    return [send] * count


def dashboard_rounds(ours_visitor: Client, stock_visitor: Client, quick: bool) -> tuple[Load, Load]:
    ours_path, stock_path = f"/shop/{data.SHOP}/", f"/bench/stock/shop/{data.SHOP}/"
    for visitor, path in ((ours_visitor, ours_path), (stock_visitor, stock_path)):
        run_load(page_requests(visitor, path, 40), threads=THREADS, time_limit=TIME_LIMIT)
    return compare(
        lambda n: page_requests(ours_visitor, ours_path, n),
        lambda n: page_requests(stock_visitor, stock_path, n),
        300 if quick else 1200,
    )


def figure_dashboard_throughput(servers: Servers) -> list[Row]:
    """(b) A signed-in member's shop dashboard against a stock login_required view rendering the same
    template with the same context, on the same server and in the same session."""
    visitor = signed_in(servers.ours, "/login/", "email", data.DASHBOARD_MEMBER)
    ours, stock = dashboard_rounds(visitor, visitor, servers.quick)
    return [throughput_row("(b) dashboard: /shop/<slug>/ vs stock view", ours, stock, 0.8)]


def figure_dashboard_against_stock_stack(servers: Servers) -> list[Row]:
    """(b, stricter) The same, but the baseline also runs behind stock Django's middleware only:
    the cost of the whole account gate (2SV state, session bounds, headers) shows here."""
    ours_visitor = signed_in(servers.ours, "/login/", "email", data.DASHBOARD_MEMBER)
    stock_visitor = signed_in(servers.stock, "/bench/stock/login/", "username", data.DASHBOARD_MEMBER)
    ours, stock = dashboard_rounds(ours_visitor, stock_visitor, servers.quick)
    return [throughput_row("(b) dashboard vs stock view AND stock middleware", ours, stock, 0.8)]


def figure_dashboard_queries(servers: Servers | None = None) -> list[Row]:
    """(c) SQL queries of the dashboard with 1 shop, then with 10,000 more shops of 10 members each
    (the member in every one of them): the same number. Counted in-process."""
    shops = 1_000 if servers is not None and servers.quick else 10_000
    small = dashboard_query_count()
    data.add_many_shops(data.DASHBOARD_MEMBER, shops=shops, members=10)
    large = dashboard_query_count()
    return [
        Row(
            f"(c) dashboard SQL queries: {shops:,} shops vs 1",
            str(large),
            str(small),
            f"{large / small:.2f}",
            "== 1.00",
            verdict(large == small),
        )
    ]


def dashboard_query_count() -> int:
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient()
    answer = client.post("/login/", {"email": data.DASHBOARD_MEMBER, "password": data.PASSWORD})
    if answer.status_code != 302:
        raise RuntimeError(f"Signing in for the query count answered {answer.status_code}")
    path = f"/shop/{data.SHOP}/"
    client.get(path)  # the first page after signing in may write the session's last-seen time
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path)
    if answer.status_code != 200:
        raise RuntimeError(f"The dashboard answered {answer.status_code}")
    return len(queries)


# Passwords --------------------------------------------------------------------------------------------

CHECK_PATH = "/api/v1/password/check"
CHANGE_PATH = "/api/v1/account/password"


def figure_password_check(servers: Servers) -> list[Row]:
    """POST /api/v1/password/check: p50 and p99 for passwords of 8, 30, 72 and 128 characters (an
    anonymous check, so no history rule). Target: p50 under 5 ms at every length."""
    if not endpoint_exists(CHECK_PATH):
        return [Row("password check p50/p99", "not available", "", "", "p50 < 5 ms", "n/a")]
    client = Client(servers.ours)
    token = client.api_token()
    samples = 30 if servers.quick else 150
    # The floor every API call pays here (connection, middleware, JSON), to read the check's own cost.
    floor = [client.request("GET", "/api/v1/auth/csrf").seconds for _ in range(samples + 10)][10:]
    floor_p50 = Load(samples, 0, sum(floor), floor).percentile(50) * 1000
    rows = [Row("HTTP floor: GET /api/v1/auth/csrf", f"p50 {floor_p50:.1f} ms", "", "", "(reference)", "n/a")]
    for length in (8, 30, 72, 128):
        latencies = []
        errors = 0
        for i in range(samples + 10):
            answer = client.request(
                "POST",
                CHECK_PATH,
                json_body={"password": data.random_password(length)},
                headers={"X-CSRFToken": token},
            )
            errors += answer.status != 200
            if i >= 10:  # the first few warm the worker's caches
                latencies.append(answer.seconds)
        load = Load(samples, errors, sum(latencies), latencies)
        p50, p99 = load.percentile(50) * 1000, load.percentile(99) * 1000
        rows.append(
            Row(
                f"password check, {length} chars" + (f" ({errors} errors)" if errors else ""),
                f"p50 {p50:.1f} ms",
                f"p99 {p99:.1f} ms",
                "",
                "p50 < 5 ms",
                verdict(p50 < 5 and not errors),
            )
        )
    return rows


def argon2_verification_seconds(encoded: str, times: int = 3) -> float:
    """The median time of verifying a password against an Argon2 hash, in this process."""
    from django.contrib.auth.hashers import check_password

    samples = []
    for _ in range(times):
        started = time.perf_counter()
        check_password(data.PASSWORD, encoded)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def new_password_for(email: str) -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = get_user_model().objects.get(email=email)
    while True:
        candidate = data.random_password(16)
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


# Seven Argon2 operations (six verifications and one new hash), and half of one for everything else.
CHANGE_TARGET = 7.5


def figure_password_change(servers: Servers) -> list[Row]:
    """POST /api/v1/account/password for users with five earlier passwords, as a multiple of one
    Argon2 verification: the current password and the five earlier ones are verified (1 + 5), and the
    new one is hashed once, so 7 is the hashing alone; the allowance over it is the request's own work.
    (tests/security/test_password_change.py counts the verifications exactly.)"""
    figure = "password change / one Argon2 verification"
    if not endpoint_exists(CHANGE_PATH):
        return [Row(figure, "not available", "", "", f"<= {CHANGE_TARGET}", "n/a")]
    from django.contrib.auth.hashers import make_password

    encoded = make_password(data.PASSWORD)
    changes, checks, errors = [], [], 0
    for email in data.CHANGE_USERS:
        client = signed_in(servers.ours, "/login/", "email", email)
        token = client.api_token()
        new_password = new_password_for(email)
        # Verifications measured right before each change, so a busy machine slows both alike.
        checks.append(argon2_verification_seconds(encoded))
        answer = client.request(
            "POST",
            CHANGE_PATH,
            json_body={"current_password": data.PASSWORD, "new_password": new_password},
            headers={"X-CSRFToken": token},
        )
        if answer.status == 200:
            changes.append(answer.seconds)
        else:
            errors += 1
            print(f"  password change for {email}: {answer.status} {answer.body[:200]!r}", file=sys.stderr)
    one_check = statistics.median(checks)
    if not changes:
        return [Row(figure, "failed", f"{one_check * 1000:.0f} ms", "", f"<= {CHANGE_TARGET}", "MISS")]
    change = statistics.median(changes)
    ratio = change / one_check
    return [
        Row(
            figure + (f" ({errors} errors)" if errors else ""),
            f"{change * 1000:.0f} ms",
            f"{one_check * 1000:.0f} ms",
            f"{ratio:.1f}",
            f"<= {CHANGE_TARGET} (1+5 checks, 1 hash)",
            verdict(ratio <= CHANGE_TARGET and not errors),
        )
    ]


# Password reset requests ------------------------------------------------------------------------------

RESET_PATH = "/password-reset/"
# Within noise of 1.00: a registered address must cost what an unknown one does (SPEC §7).
RESET_TOLERANCE = 0.10


def reset_request(port: int, address: str) -> Callable[[], float | None]:
    """A prepared reset request for one address (the visitor fetched the form, untimed); sending it
    returns the seconds the answer took, or None for an unexpected answer."""
    client = Client(port)
    token = client.form_token(RESET_PATH)

    def send() -> float | None:
        answer = client.request("POST", RESET_PATH, form={"csrfmiddlewaretoken": token, "email": address})
        ok = answer.status == 302 and answer.headers.get("Location", "").endswith("/password-reset/done/")
        return answer.seconds if ok else None

    return send


def figure_reset_request_timing(servers: Servers) -> list[Row]:
    """POST /password-reset/ for a registered address against an unknown one, one request at a time
    and alternating, so that whatever else the machine does falls on both alike: p50 of each, known ÷
    unknown, per round and over the rounds. The same work either way gives 1.00 within noise; more
    for the known address would tell an attacker which addresses have accounts."""
    figure = "password reset request: known ÷ unknown address (p50)"
    pairs = 20 if servers.quick else 60
    known, unknown, ratios, errors = [], [], [], 0
    for _ in range(ROUNDS):
        prepared = [
            (reset_request(servers.ours, data.RESET_USER), reset_request(servers.ours, data.UNKNOWN_ADDRESS))
            for _ in range(pairs)
        ]
        round_known, round_unknown = [], []
        for i, (send_known, send_unknown) in enumerate(prepared):
            # Which of the two goes first alternates as well.
            order = [(send_known, round_known), (send_unknown, round_unknown)]
            for send, into in order if i % 2 == 0 else order[::-1]:
                seconds = send()
                if seconds is None:
                    errors += 1
                else:
                    into.append(seconds)
        ratios.append(statistics.median(round_known) / statistics.median(round_unknown))
        known += round_known
        unknown += round_unknown
    ratio = statistics.median(ratios)
    return [
        Row(
            figure + (f" ({errors} unexpected answers)" if errors else ""),
            f"p50 {statistics.median(known) * 1000:.2f} ms",
            f"p50 {statistics.median(unknown) * 1000:.2f} ms",
            f"{ratio:.2f} ({min(ratios):.2f}-{max(ratios):.2f})",
            f"1.00 ± {RESET_TOLERANCE:.2f}",
            verdict(abs(ratio - 1) <= RESET_TOLERANCE and not errors),
        )
    ]


# Recovery (bench/recovery.py) -------------------------------------------------------------------------


def figure_recovery_approval(servers: Servers) -> list[Row]:
    return [Row(*row) for row in recovery.figure_recovery_approval(servers)]


def figure_recovery_queue_queries(servers: Servers) -> list[Row]:
    return [Row(*row) for row in recovery.figure_recovery_queue_queries(servers)]


# User Management --------------------------------------------------------------------------------------


def team_page_requests(visitor: Client, path: str, count: int) -> list[Callable[[], bool]]:
    def send() -> bool:
        answer = Client(visitor.port, dict(visitor.cookies)).request("GET", path)
        return answer.status == 200 and data.TEAM_SHOP_NAME.encode() in answer.body

    return [send] * count


# The members page may take at most this many times the dashboard's time.
MEMBERS_PAGE_TIME = 1.5


def figure_members_page_time(servers: Servers) -> list[Row]:
    """User Management (/shop/<slug>/users/, both lists paginated) of a shop with 200 members and 50
    pending invitations, against the same owner's dashboard of that shop, on the same server and in
    the same session: at most MEMBERS_PAGE_TIME times the dashboard's time."""
    visitor = signed_in(servers.ours, "/login/", "email", data.TEAM_OWNER)
    members, dashboard = f"/shop/{data.TEAM_SHOP}/users/", f"/shop/{data.TEAM_SHOP}/"
    for path in (members, dashboard):
        run_load(team_page_requests(visitor, path, 40), threads=THREADS, time_limit=TIME_LIMIT)
    ours, baseline = compare(
        lambda n: team_page_requests(visitor, members, n),
        lambda n: team_page_requests(visitor, dashboard, n),
        150 if servers.quick else 600,
    )
    minimum = round(1 / MEMBERS_PAGE_TIME, 2)
    row = throughput_row(
        f"members page (200 members, 50 invitations) vs dashboard: time <= {MEMBERS_PAGE_TIME}x",
        ours,
        baseline,
        minimum,
    )
    return [row]


def owner_query_count(path: str) -> int:
    """SQL queries of one GET of `path` by the team owner, signed in, counted in this process."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient()
    answer = client.post("/login/", {"email": data.TEAM_OWNER, "password": data.PASSWORD})
    if answer.status_code != 302:
        raise RuntimeError(f"Signing in the team owner answered {answer.status_code}")
    client.get(path)  # the first request after signing in may write the session's last-seen time
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path)
    if answer.status_code != 200:
        raise RuntimeError(f"{path} answered {answer.status_code}")
    return len(queries)


def figure_members_queries(servers: Servers | None = None) -> list[Row]:
    """SQL queries of the members page and of GET /api/v1/shops/<slug>/members for a shop with 200
    members and 50 pending invitations, against a shop with 5 members (and 1 invitation): the same."""
    rows = []
    large, small = data.TEAM_SHOP, data.SMALL_TEAM_SHOP
    for label, path in (("members page", "/shop/{}/users/"), ("members API", "/api/v1/shops/{}/members")):
        many, few = owner_query_count(path.format(large)), owner_query_count(path.format(small))
        rows.append(
            Row(
                f"{label} SQL queries: {data.TEAM_MEMBERS} members + {data.TEAM_INVITATIONS} invitations "
                f"vs {data.SMALL_TEAM_MEMBERS}",
                str(many),
                str(few),
                f"{many / few:.2f}",
                "== 1.00",
                verdict(many == few),
            )
        )
    return rows


# The modules ------------------------------------------------------------------------------------------

PAGE_REQUESTS = 200


def figure_orders_list(servers: Servers) -> list[Row]:
    """(d) The orders list page of a shop with 100 orders, alone in the database, then among 10,000
    shops holding 1,000,000 orders: p50 of in-process requests (target <= 1.2x) and SQL queries (equal)."""
    from django.db import connection

    from bench import commerce

    shops, orders = (1_000, 100_000) if servers.quick else (10_000, 1_000_000)
    commerce.seed_orders_shop(100)
    alone, alone_queries = commerce.orders_page_sample(PAGE_REQUESTS)
    seconds = commerce.add_many_orders(shops=shops, orders=orders)
    among, among_queries = commerce.orders_page_sample(PAGE_REQUESTS)
    ratio = among / alone
    label = f"{shops:,} shops / {orders:,} orders"
    return [
        Row(
            f"(d) orders page p50 ({connection.vendor}): {label} vs alone",
            f"{among * 1000:.1f} ms",
            f"{alone * 1000:.1f} ms",
            f"{ratio:.2f}",
            "<= 1.20",
            verdict(ratio <= 1.2),
        ),
        Row(
            f"(d) orders page SQL queries: {label} vs alone",
            str(among_queries),
            str(alone_queries),
            f"{among_queries / alone_queries:.2f}",
            "== 1.00",
            verdict(among_queries == alone_queries),
        ),
        Row(f"    ({orders:,} orders inserted in {seconds:.1f} s)", "", "", "", "", "n/a"),
    ]


def figure_bills_export(servers: Servers) -> list[Row]:
    """(e) The bills' CSV export streams: peak Python memory exporting 100,000 bills against 10,000,
    streamed (ours, target <= 1.5x: flat) and built in memory at once (the baseline, which grows)."""
    from bench import commerce

    # Both sizes span several fetches of the stream (2,000 rows each), so only growth would show.
    small, large = 10_000, (30_000 if servers.quick else 100_000)
    commerce.seed_export_shop("export-small", small)
    commerce.seed_export_shop("export-large", large)
    ours = [commerce.export_memory(slug, streamed=True) for slug in ("export-small", "export-large")]
    naive = [commerce.export_memory(slug, streamed=False) for slug in ("export-small", "export-large")]
    ours_ratio = ours[1]["peak"] / ours[0]["peak"]
    naive_ratio = naive[1]["peak"] / naive[0]["peak"]
    return [
        Row(
            f"(e) bills export peak memory: {large:,} vs {small:,} bills",
            f"{ours[1]['peak'] / 1e6:.1f} MB / {ours[0]['peak'] / 1e6:.1f} MB",
            f"{naive[1]['peak'] / 1e6:.1f} MB / {naive[0]['peak'] / 1e6:.1f} MB",
            f"{ours_ratio:.2f} (baseline {naive_ratio:.1f})",
            "<= 1.50",
            verdict(ours_ratio <= 1.5),
        ),
        Row(
            "    resident memory growth while exporting",
            f"{ours[1]['rss_growth_kb'] / 1024:.1f} MB / {ours[0]['rss_growth_kb'] / 1024:.1f} MB",
            f"{naive[1]['rss_growth_kb'] / 1024:.1f} MB / {naive[0]['rss_growth_kb'] / 1024:.1f} MB",
            "",
            "(reference)",
            "n/a",
        ),
    ]


# The run ----------------------------------------------------------------------------------------------

FIGURES: list[Callable[[Servers], list[Row]]] = [
    figure_login_throughput,
    figure_login_protection,
    figure_dashboard_throughput,
    figure_dashboard_against_stock_stack,
    figure_members_page_time,
    figure_password_check,
    figure_password_change,
    figure_reset_request_timing,
]
# In-process figures that change the database run after the servers stop.
AFTER_SERVERS: list[Callable[[Servers], list[Row]]] = [
    figure_members_queries,
    figure_orders_list,
    figure_bills_export,
    figure_dashboard_queries,
    figure_recovery_approval,
    figure_recovery_queue_queries,
]
# `--modules`: only these, without the servers (the figures of the module pages and exports).
MODULE_FIGURES: list[Callable[[Servers], list[Row]]] = [figure_orders_list, figure_bills_export]


def print_table(rows: list[Row]) -> None:
    header = Row("figure", "ours", "baseline", "ratio", "target", "result")
    table = [header, *rows]
    widths = [max(len(getattr(row, f)) for row in table) for f in Row.__dataclass_fields__]
    for i, row in enumerate(table):
        print(
            "  ".join(getattr(row, f).ljust(w) for f, w in zip(Row.__dataclass_fields__, widths, strict=True))
        )
        if i == 0:
            print("  ".join("-" * w for w in widths))


def setup_django(database_url: str) -> None:
    os.environ["BENCH_DATABASE_URL"] = database_url
    # One key for every process, so sessions signed by one gunicorn worker are valid in the other.
    os.environ["SECRET_KEY"] = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)
    os.environ.setdefault("TOTP_ENCRYPTION_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Readers do not wait for the writer: closer to how PostgreSQL behaves under two workers.
            cursor.execute("PRAGMA journal_mode=WAL")
    connection.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests and 1,000 shops: a smoke run")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure misses its target")
    parser.add_argument(
        "--only", metavar="WORD", help="run only the figures whose function name contains WORD (e.g. reset)"
    )
    parser.add_argument(
        "--modules",
        action="store_true",
        help="only the module figures (orders list, bills export), no servers",
    )
    args = parser.parse_args(argv)
    if args.only:
        FIGURES[:] = [f for f in FIGURES if args.only in f.__name__]
        AFTER_SERVERS[:] = [f for f in AFTER_SERVERS if args.only in f.__name__]

    started = time.perf_counter()
    database_url = data.prepare_database()
    print(
        f"Preparing {database_url.split('://')[0]} database, gunicorn {WORKERS} workers each ...", flush=True
    )
    setup_django(database_url)
    data.seed()

    from django.conf import settings
    from django.db import connection

    connection.close()
    log_dir = data.BENCH_DIR
    rows: list[Row] = []
    if args.modules:
        for figure in MODULE_FIGURES:
            print(f"  {figure.__name__} ...", flush=True)
            rows += figure(Servers(0, 0, None, args.quick))
        print()
        print_table(rows)
        print(f"\n{time.perf_counter() - started:.0f} s in all.")
        return 1 if args.strict and any(row.verdict == "MISS" for row in rows) else 0
    with (
        gunicorn("ours", "bench.settings", log_dir) as ours,
        gunicorn("stock", "bench.settings_stock", log_dir) as stock,
    ):
        unprotected_server = (
            gunicorn(
                "unprotected", "bench.settings", log_dir, LOGIN_PROTECTION="false", BENCHMARK_BASELINE="true"
            )
            if hasattr(settings, "LOGIN_PROTECTION")
            else None
        )
        if unprotected_server is not None:
            with unprotected_server as unprotected:
                servers = Servers(ours, stock, unprotected, args.quick)
                rows += run_figures(servers)
        else:
            rows += run_figures(Servers(ours, stock, None, args.quick))
    for figure in AFTER_SERVERS:
        if figure in MODULE_FIGURES and connection.vendor != "postgresql":
            # A million rows are a PostgreSQL measure; SQLite runs keep the default bench short.
            rows.append(Row(f"{figure.__name__}: run on PostgreSQL (README)", "", "", "", "", "n/a"))
            continue
        print(f"  {figure.__name__} ...", flush=True)
        rows += figure(Servers(0, 0, None, args.quick))

    print()
    print_table(rows)
    print(
        f"\n{os.cpu_count()} CPUs; {THREADS} client threads; ours and baseline alternate in {ROUNDS} rounds; "
        f"{time.perf_counter() - started:.0f} s in all. Server logs: {log_dir}/"
    )
    missed = [row for row in rows if row.verdict == "MISS"]
    return 1 if args.strict and missed else 0


def run_figures(servers: Servers) -> list[Row]:
    warm_up_logins(servers)
    rows = []
    for figure in FIGURES:
        print(f"  {figure.__name__} ...", flush=True)
        rows += figure(servers)
    return rows


if __name__ == "__main__":
    sys.exit(main())
