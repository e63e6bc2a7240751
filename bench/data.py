"""The bench's throwaway database and the people and shops it measures with."""

import os
import secrets
import shutil
import string
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"

# The bench users' password; logins do not re-check the rules, and it is never used outside the bench.
PASSWORD = "Bench-aR@1nY6#y"
SHOP = "bench-shop"
DASHBOARD_MEMBER = "member@bench.example"
LOGIN_USERS = [f"login{i}@bench.example" for i in range(24)]
CHANGE_USERS = [f"change{i}@bench.example" for i in range(5)]
# Password reset requests: a registered address and one that has no account.
RESET_USER = "reset@bench.example"
UNKNOWN_ADDRESS = "nobody@bench.example"
# Roles of the measured member: a dashboard with a few modules, like most sub-accounts see.
MEMBER_ROLES = ["finance_specialist", "marketing_specialist", "customer_service_agent"]
# User Management: one owner, a large team and a small one (the query counts must not differ).
TEAM_OWNER = "team-owner@bench.example"
TEAM_SHOP, TEAM_SHOP_NAME = "bench-team", "Bench Team"
SMALL_TEAM_SHOP = "bench-team-small"
TEAM_MEMBERS, TEAM_INVITATIONS = 200, 50
SMALL_TEAM_MEMBERS, SMALL_TEAM_INVITATIONS = 5, 1


def prepare_database() -> str:
    """A fresh, empty database URL for this run: a SQLite file under var/bench/, or, when
    DATABASE_URL names a PostgreSQL server, a `<name>_bench` database created there."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        for stale in BENCH_DIR.glob("bench.sqlite3*"):
            stale.unlink()
        return f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"

    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    bench_name = f"{name}_bench"
    server = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(bench_name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(bench_name)))
    server.close()
    return urlunsplit(parts._replace(path=f"/{bench_name}"))


def clear_bench_dir() -> None:
    if BENCH_DIR.exists():
        shutil.rmtree(BENCH_DIR)


def random_password(length: int) -> str:
    """A random password of this length with letters, digits and symbols."""
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*()-_=+[]{};:,.?/"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.isalpha() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(not c.isalnum() for c in candidate)
        ):
            return candidate


def seed() -> None:
    """The shop, its members, the login pool and the password changers (with a full history)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from accounts.models import Membership, Shop

    User = get_user_model()
    hashed = make_password(PASSWORD)  # one Argon2 hash, shared: hashing 30 users would cost 3 s
    owner = User.objects.create(email="owner@bench.example", password=hashed)
    shop = Shop.objects.create(owner=owner, name="Bench Shop", slug=SHOP)
    Membership.objects.create(user=owner, shop=shop, roles=[])
    member = User.objects.create(email=DASHBOARD_MEMBER, password=hashed, first_name="Mia")
    Membership.objects.create(user=member, shop=shop, roles=MEMBER_ROLES)
    for email in LOGIN_USERS:
        user = User.objects.create(email=email, password=hashed)
        Membership.objects.create(user=user, shop=shop, roles=["main_admin"])
    reset_user = User.objects.create(email=RESET_USER, password=hashed)
    Membership.objects.create(user=reset_user, shop=shop, roles=["main_admin"])

    seed_teams(hashed)

    history = _password_history_model()
    earlier = [make_password(random_password(14)) for _ in range(5)]
    for email in CHANGE_USERS:
        user = User.objects.create(email=email, password=hashed)
        Membership.objects.create(user=user, shop=shop, roles=["main_admin"])
        if history is not None:
            history.objects.bulk_create([history(user=user, password=h) for h in earlier])


def _password_history_model():
    try:
        from security.models import PasswordHistory
    except ImportError:
        return None
    return PasswordHistory


def add_many_shops(member_email: str, *, shops: int = 10_000, members: int = 10) -> None:
    """`shops` more shops of `members` members each, the measured member among them in every one.

    Bulk inserts with an unusable password: hashing 90,000 passwords would take hours.
    """
    from django.contrib.auth import get_user_model

    from accounts.models import Membership, Shop

    User = get_user_model()
    member = User.objects.get(email=member_email)
    others_per_shop = members - 2  # the owner and the measured member make up the rest
    batch = 2_000
    for start in range(0, shops, batch):
        numbers = range(start, min(start + batch, shops))
        owners = User.objects.bulk_create(
            [User(email=f"owner{n}@many.example", password="!bench") for n in numbers], batch_size=batch
        )
        created = Shop.objects.bulk_create(
            [
                Shop(owner=owner, name=f"Shop {n:05d}", slug=f"many-{n:05d}")
                for n, owner in zip(numbers, owners, strict=True)
            ],
            batch_size=batch,
        )
        staff = User.objects.bulk_create(
            [
                User(email=f"staff{n}-{k}@many.example", password="!bench")
                for n in numbers
                for k in range(others_per_shop)
            ],
            batch_size=batch,
        )
        memberships = []
        for i, shop in enumerate(created):
            memberships.append(Membership(user=shop.owner, shop=shop, roles=[]))
            memberships.append(Membership(user=member, shop=shop, roles=MEMBER_ROLES))
            for user in staff[i * others_per_shop : (i + 1) * others_per_shop]:
                memberships.append(Membership(user=user, shop=shop, roles=["main_admin"]))
        Membership.objects.bulk_create(memberships, batch_size=batch)


def seed_teams(hashed_password: str) -> None:
    """The team owner's two shops: TEAM_MEMBERS members (the owner among them) with TEAM_INVITATIONS
    pending invitations, and SMALL_TEAM_MEMBERS with SMALL_TEAM_INVITATIONS. Members of the large
    team signed in once and half of them have an authenticator app, as in a real shop."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Invitation, Membership, Shop
    from audit.models import EventKind, SecurityEvent
    from permissions.registry import ASSIGNABLE_ROLES

    User = get_user_model()
    owner = User.objects.create(email=TEAM_OWNER, password=hashed_password, first_name="Tia")
    now = timezone.now()
    for slug, name, members, invitations in (
        (TEAM_SHOP, TEAM_SHOP_NAME, TEAM_MEMBERS, TEAM_INVITATIONS),
        (SMALL_TEAM_SHOP, f"{TEAM_SHOP_NAME} Small", SMALL_TEAM_MEMBERS, SMALL_TEAM_INVITATIONS),
    ):
        shop = Shop.objects.create(owner=owner, name=name, slug=slug)
        Membership.objects.create(user=owner, shop=shop, roles=[])
        people = User.objects.bulk_create(
            [User(email=f"{slug}-{n:03d}@bench.example", password="!bench") for n in range(members - 1)]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=person, shop=shop, roles=[ASSIGNABLE_ROLES[n % len(ASSIGNABLE_ROLES)]])
                for n, person in enumerate(people)
            ]
        )
        TOTPDevice.objects.bulk_create(
            [TOTPDevice(user=person, name="app", confirmed=True) for person in people[::2]]
        )
        SecurityEvent.objects.bulk_create(
            [SecurityEvent(user=person, kind=EventKind.LOGIN_SUCCESS, created=now) for person in people]
        )
        Invitation.objects.bulk_create(
            [
                Invitation(
                    shop=shop,
                    email=f"{slug}-invited-{n:03d}@bench.example",
                    roles=["finance_specialist"],
                    invited_by=owner,
                    expires=now + timedelta(hours=72),
                )
                for n in range(invitations)
            ]
        )
