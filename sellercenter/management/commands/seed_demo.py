"""`python manage.py seed_demo [--password PW]`: the demo shop, its people and its data (SPEC §3)."""

import secrets
import string
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts import invitations
from accounts.models import Invitation, Membership, Shop
from accounts.services import add_member, create_shop
from audit.events import RequestContext
from commerce import sealing
from commerce.models import (
    AdPlan,
    AffiliatePlan,
    Bill,
    Campaign,
    Conversation,
    CreatorContact,
    Message,
    Order,
    PayoutAccount,
    Product,
    Refund,
    Withdrawal,
)
from commerce.services.marketing import advance_campaigns
from permissions.registry import ASSIGNABLE_ROLES, ROLES
from recovery.models import RecoveryCase
from recovery.services.cases import submit_request
from recovery.services.documents import add_document
from security.passwords.changes import set_new_password

User = get_user_model()

DOMAIN = "demo.example"
SUPPORT_GROUP = "Support"
# Someone the demo shop's owner invited: their e-mail (in var/mail/) holds the link to accept.
INVITEE = f"new.hire@{DOMAIN}"
INVITEE_ROLES = ["finance_specialist"]
FIRST_NAMES = ["Ava", "Ben", "Cleo", "Dev", "Eve", "Finn", "Gia", "Hugo", "Iris", "Jon"]
# What support staff need to look up accounts, shops, invitations and module data, and to suspend a
# member in an emergency (with a reason; nothing else about memberships changes in the admin). Apps
# with their own admin work (recovery cases) add theirs to this group.
SUPPORT_PERMISSIONS = {
    "accounts": ["view_user", "view_shop", "view_membership", "view_invitation", "suspend_membership"],
    "commerce": [
        "view_product",
        "view_order",
        "view_bill",
        "view_payoutaccount",
        "review_payoutaccount",
        "view_withdrawal",
        "view_refund",
        "view_creatorcontact",
        "view_campaign",
        "view_affiliateplan",
        "view_adplan",
        "view_conversation",
        "view_message",
    ],
    "audit": ["view_securityevent"],
    # Recovery cases: the queue, and every action on a case (each also needs the admin's authenticator).
    "recovery": ["view_recoverycase", "review_recoverycase"],
}


def strong_random_password() -> str:
    """About 100 bits from token_urlsafe, plus a symbol, a digit and a letter whatever it drew."""
    rng = secrets.SystemRandom()
    extra = [rng.choice("!@#$%^&*?+="), rng.choice(string.digits), rng.choice(string.ascii_letters)]
    return secrets.token_urlsafe(12) + "".join(extra)


class Command(BaseCommand):
    help = "Create the demo shops, one sub-account per role, a support user and module data. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Give every demo user this password (it must pass the password rules). "
            "Without it, new users get strong random passwords, printed at the end.",
        )

    def handle(self, *args, password=None, **options):
        with transaction.atomic():
            people = self.seed_people()
            demo = self.seed_shop("demo-shop", "Demo Shop", people["owner"], people)
            other = self.seed_shop("other-shop", "Other Shop", people["other"], {}, currency="EUR")
            # One person in both shops, with other roles there: the header's shop switcher, and a
            # page of other-shop that explains which role would open it.
            if not Membership.objects.filter(shop=other, user=people["main_admin"]).exists():
                add_member(
                    shop=other, user=people["main_admin"], roles=["customer_service_agent"], via="demo data"
                )
            self.seed_support_group(people["support"], people["support2"])
            seed_module_data(demo, size="full")
            seed_module_data(other, size="small")
            self.seed_invitation(demo)
            # Passwords last, so the rules see the shops' names as they will be.
            logins = self.seed_passwords(people, password)
            recovery_case = seed_recovery_case()
        self.print_logins(logins, password)
        self.stdout.write(
            f"Recovery: case {recovery_case.reference} of {RECOVERY_OWNER} waits for review in /admin/. "
            "Hardened recovery is on, so both support agents approve it; its e-mails are in var/mail/."
        )

    def seed_people(self) -> dict:
        people = {}
        specs = [
            ("owner", f"owner@{DOMAIN}", "Olivia", "Owner", False),
            *[
                (role, f"{role}@{DOMAIN}", FIRST_NAMES[n % len(FIRST_NAMES)], "Demo", False)
                for n, role in enumerate(ASSIGNABLE_ROLES)
            ],
            ("other", f"other@{DOMAIN}", "Oscar", "Other", False),
            ("support", f"support@{DOMAIN}", "Sam", "Support", True),
            ("support2", f"support2@{DOMAIN}", "Tess", "Support", True),
        ]
        for key, email, first_name, last_name, is_staff in specs:
            user = User.objects.by_email(email).first()
            created = user is None
            if created:
                user = User.objects.create_user(
                    email, password=None, first_name=first_name, last_name=last_name, is_staff=is_staff
                )
            user.seed_created = created
            people[key] = user
        return people

    def seed_shop(self, slug: str, name: str, owner, people: dict, currency: str = "USD") -> Shop:
        shop = Shop.objects.filter(slug=slug).first()
        if shop is None:
            shop = create_shop(owner=owner, name=name, slug=slug)
            shop.currency = currency
            shop.save(update_fields=["currency"])
        for role in ASSIGNABLE_ROLES:
            member = people.get(role)
            # Only new memberships: a rerun must not undo a role change or suspension made since.
            if member is not None and not Membership.objects.filter(shop=shop, user=member).exists():
                add_member(shop=shop, user=member, roles=[role], via="demo data")
        return shop

    def seed_invitation(self, shop: Shop) -> None:
        """A pending invitation from the owner, sent once: a rerun leaves it (and any later change) be."""
        if Invitation.objects.filter(shop=shop, email__iexact=INVITEE).exists():
            return
        owner = Membership.objects.select_related("shop", "user").get(shop=shop, user=shop.owner)
        try:
            invitations.invite(owner, email=INVITEE, roles=INVITEE_ROLES, context=RequestContext())
        except ValidationError as refusal:
            # The owner restricted invitations to other domains since: nothing to add.
            self.stderr.write(f"No demo invitation: {'; '.join(refusal.messages)}")

    def seed_support_group(self, *agents) -> None:
        group, _ = Group.objects.get_or_create(name=SUPPORT_GROUP)
        wanted = Q(pk__in=[])
        for app_label, codenames in SUPPORT_PERMISSIONS.items():
            wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.add(*Permission.objects.filter(wanted))
        for agent in agents:
            agent.groups.add(group)

    def seed_passwords(self, people: dict, password: str | None) -> list[tuple[str, str, str]]:
        """(role, e-mail, password shown) per person; refuses a --password that breaks a rule."""
        logins, problems = [], []
        for key, user in people.items():
            labels = {
                "other": "Owner (other-shop)",
                "support": "Support staff",
                "support2": "Support staff (second)",
            }
            label = labels.get(key) or str(ROLES[key].label)
            if password is not None:
                if user.check_password(password):
                    logins.append((label, user.email, "(as given)"))
                    continue
                try:
                    set_new_password(user, password, reason="demo data")
                except ValidationError as error:
                    problems += [m for m in error.messages if m not in problems]
                    continue
                logins.append((label, user.email, "(as given)"))
            elif user.seed_created:
                new_password = self.random_password_for(user)
                set_new_password(user, new_password, reason="demo data")
                logins.append((label, user.email, new_password))
            else:
                logins.append((label, user.email, "(unchanged)"))
        if problems:
            raise CommandError(
                "The password given with --password breaks the password rules:\n"
                + "\n".join(f"  - {message}" for message in problems)
            )
        return logins

    @staticmethod
    def random_password_for(user) -> str:
        for _ in range(20):
            candidate = strong_random_password()
            try:
                validate_password(candidate, user)
            except ValidationError:
                continue
            return candidate
        raise CommandError("Could not generate a password that passes the rules; try --password.")

    def print_logins(self, logins, password) -> None:
        width_role = max(len(row[0]) for row in logins)
        width_email = max(len(row[1]) for row in logins)
        self.stdout.write(self.style.SUCCESS("Demo data ready: shops demo-shop and other-shop."))
        self.stdout.write(
            f"{INVITEE} is invited to demo-shop as a finance specialist: the invitation e-mail (var/mail/ "
            "unless EMAIL_BACKEND is set) holds the link to accept."
        )
        self.stdout.write("")
        self.stdout.write(f"{'Role':<{width_role}}  {'E-mail':<{width_email}}  Password")
        self.stdout.write(f"{'-' * width_role}  {'-' * width_email}  {'-' * 20}")
        for role, email, shown in logins:
            self.stdout.write(f"{role:<{width_role}}  {email:<{width_email}}  {shown}")
        self.stdout.write("")
        if password is not None:
            self.stdout.write("Every demo user signs in with the password given with --password.")
        elif any(shown == "(unchanged)" for _, _, shown in logins):
            self.stdout.write(
                "Users that already existed keep their password (it is never printed again). "
                "Run with --password PW to give them all a password you choose."
            )
        else:
            self.stdout.write("Note these passwords now: they are not stored anywhere in clear text.")


# Recovery --------------------------------------------------------------------------------------

RECOVERY_OWNER = f"hacked@{DOMAIN}"
RECOVERY_CONTACT = f"harper.new@{DOMAIN}"
RECOVERY_SHOP = "harbour-teas"


def seed_recovery_case() -> RecoveryCase:
    """A locked-out owner (Harbour Teas) whose case waits for review with two documents. Hardened
    recovery is on, so approving it takes both support agents. Made once: a rerun returns it."""
    # Found by the shop: once the case is approved, its owner signs in with the contact address.
    shop = Shop.objects.filter(slug=RECOVERY_SHOP).select_related("owner").first()
    owner = shop.owner if shop is not None else User.objects.filter(email__iexact=RECOVERY_OWNER).first()
    if owner is None:
        # The phisher changed the password: the owner has none that works until the case is approved.
        owner = User.objects.create_user(RECOVERY_OWNER, password=None, first_name="Harper", last_name="Hale")
        owner.hardened_recovery = True
        owner.save(update_fields=["hardened_recovery"])
        shop = create_shop(owner=owner, name="Harbour Teas", slug=RECOVERY_SHOP)
        # The owner's account for a year, then the phisher's, two days ago: still on hold.
        now = timezone.now()
        for bank, number, routing, created, status in (
            ("First Demo Bank", "004512340001", "DEMOBANK01", now - timedelta(days=365), "replaced"),
            ("Quick Transfer Bank", "778899001122", "QUICKBANK9", now - timedelta(days=2), "active"),
        ):
            payout = PayoutAccount(
                shop=shop,
                holder_name="Harbour Teas Ltd",
                bank_name=bank,
                routing_code=routing,
                status=status,
                created=created,
                activated_at=created,
                ended_at=now - timedelta(days=2) if status == "replaced" else None,
                hold_until=created + timedelta(days=7),
                hold_reasons=["change", "new_device"],
            )
            payout.set_number(number)
            payout.save()
        for month in (1, 2, 3):
            Bill.objects.create(
                shop=shop,
                period=date(2026, month, 1),
                amount=Decimal("1800.00"),
                fees=Decimal("63.00"),
                status="settled",
            )
    existing = owner.recovery_cases.order_by("-created").first()
    if existing is not None:
        return existing
    context = RequestContext(ip="203.0.113.50", user_agent="Mozilla/5.0 (Macintosh) Safari/605.1.15")
    case = submit_request(
        account_email=RECOVERY_OWNER,
        contact_email=RECOVERY_CONTACT,
        description="Someone called as a courier, asked for the code from my app and then changed the payout "
        "account. My password no longer works.",
        wants_sign_in_address=True,
        context=context,
    )
    for kind, name, lines in (
        ("identity", "passport.png", ["PASSPORT (DEMO)", "HALE, Harper", "No. X1234567"]),
        (
            "ownership",
            "harbour-teas-invoice.png",
            ["INVOICE (DEMO)", "Harbour Teas Ltd", "Owner: Harper Hale"],
        ),
    ):
        add_document(case, kind=kind, upload=SimpleUploadedFile(name, demo_document(lines)), context=context)
    case.refresh_from_db()
    return case


def demo_document(lines: list[str]) -> bytes:
    """A small PNG with a few lines of text, standing in for a scanned document."""
    image = Image.new("RGB", (480, 300), (236, 240, 245))
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((24, 30 + 40 * n), line, fill=(20, 30, 60))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# Module data ----------------------------------------------------------------------------------

PRODUCT_WORDS = (
    ["Ceramic", "Bamboo", "Linen", "Steel", "Walnut", "Cotton"],
    ["Teapot", "Mug", "Tray", "Bowl", "Kettle"],
)
BUYERS = [
    "Ana Lima",
    "Ben Ong",
    "Chen Wei",
    "Dara Putri",
    "Eli Cohen",
    "Fatima Noor",
    "Gus Moreau",
    "Hana Sato",
]


def seed_module_data(shop: Shop, *, size: str) -> None:
    """Rows for each module, keyed by their natural keys so a second run finds them all."""
    full = size == "full"
    tag = "DEMO" if shop.slug == "demo-shop" else "OTH"
    # A fixed calendar keeps reruns identical whatever day they happen on.
    start = date(2026, 1, 1)

    adjectives, items = PRODUCT_WORDS
    names = [f"{a} {i}" for a in adjectives for i in items]
    for n, name in enumerate(names[: 30 if full else 4]):
        if not full:
            name = f"{shop.name} {name}"
        Product.objects.get_or_create(
            shop=shop,
            sku=f"{tag}-{n + 1:03d}",
            defaults={
                "name": name,
                "price": Decimal("4.90") + Decimal(n * 3),
                "stock": (n * 7) % 40,
                "status": "delisted" if n % 9 == 8 else "active",
            },
        )

    statuses = ["pending", "shipped", "delivered", "delivered", "refunded"]
    for n in range(40 if full else 3):
        created = datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(hours=n * 17)
        total = Decimal("12.50") + Decimal(n * 4)
        status = statuses[n % len(statuses)]
        left = status != "pending"
        # Orders that left the shop were shipped the next day; a refunded one was paid back in full.
        order, made = Order.objects.get_or_create(
            shop=shop,
            number=f"{tag}-{10001 + n}",
            defaults={
                "buyer_name": BUYERS[n % len(BUYERS)] if full else f"{shop.name} buyer {n + 1}",
                "total": total,
                "status": status,
                "created": created,
                "carrier": "postal" if left else "",
                "tracking_number": f"RR{10001 + n:09d}DE" if left else "",
                "shipped_at": created + timedelta(days=1) if left else None,
                "refunded_total": total if status == "refunded" else Decimal("0"),
            },
        )
        if made and status == "refunded":
            Refund.objects.create(
                order=order, amount=total, reason="returned", key="demo", created=created + timedelta(days=9)
            )

    for n in range(6 if full else 2):
        period = date(start.year, start.month + n, 1)
        amount = Decimal(2400 + n * 310 if full else 500 + n * 50)
        Bill.objects.get_or_create(
            shop=shop,
            period=period,
            defaults={
                "reference": f"ST-{tag}-{period:%Y%m}",
                "amount": amount,
                "fees": (amount * Decimal("0.035")).quantize(Decimal("0.01")),
                "status": "open" if n == (5 if full else 1) else "settled",
            },
        )

    seed_money(shop, full=full)

    campaigns = [
        ("Spring sale", 15, 60, 90, "ended"),
        ("Tea week", 10, 300, 330, "active"),
        ("Winter warmers", 20, 335, 364, "scheduled"),
    ]
    for name, discount, first_day, last_day, status in campaigns if full else campaigns[:1]:
        Campaign.objects.get_or_create(
            shop=shop,
            name=name if full else f"{shop.name} {name}",
            defaults={
                "discount_percent": Decimal(discount),
                "starts_on": start + timedelta(days=first_day),
                "ends_on": start + timedelta(days=last_day),
                "status": status,
            },
        )
    # The calendar is fixed, today is not: the daily run's rule puts each campaign where it stands now.
    advance_campaigns(timezone.localdate())

    plans = [("Kitchen creators", 8, 1840, 52, "active"), ("Tea reviewers", 12, 420, 9, "paused")]
    for name, rate, clicks, orders, status in plans if full else plans[:1]:
        plan, created = AffiliatePlan.objects.get_or_create(
            shop=shop,
            name=name if full else f"{shop.name} {name}",
            defaults={
                "commission_percent": Decimal(rate),
                "clicks": clicks,
                "orders": orders,
                "sales": Decimal(orders * 38),
                "status": status,
            },
        )
        if created:
            for handle, creator_status in (("@kitchen.tales", "joined"), ("@brewlab", "contacted")):
                CreatorContact.objects.create(
                    plan=plan,
                    handle=handle,
                    channel="video",
                    message="Would you like to feature our teapots? 8% commission on every sale.",
                    status=creator_status,
                )

    ads = [("Search: teapots", 25, 18200, 412, "active"), ("Homepage banner", 40, 52000, 640, "paused")]
    for name, budget, impressions, clicks, status in ads if full else ads[:1]:
        AdPlan.objects.get_or_create(
            shop=shop,
            name=name if full else f"{shop.name} {name}",
            defaults={
                "daily_budget": Decimal(budget),
                "impressions": impressions,
                "clicks": clicks,
                "spend": Decimal(budget * 20),
                "sales": Decimal(clicks * 4),
                "status": status,
            },
        )

    threads = [
        (
            "Ana Lima",
            "Where is my teapot?",
            "open",
            [
                "Hi, my order has not arrived yet.",
                "It left our warehouse yesterday; tracking follows by e-mail.",
            ],
        ),
        ("Ben Ong", "Cracked mug on arrival", "open", ["The mug arrived cracked. Can I get a replacement?"]),
        ("Chen Wei", "Gift wrapping", "closed", ["Do you gift-wrap?", "Yes, choose it at checkout."]),
    ]
    for buyer, subject, status, bodies in threads if full else threads[:1]:
        conversation, created = Conversation.objects.get_or_create(
            shop=shop,
            subject=subject if full else f"{shop.name}: {subject}",
            defaults={"buyer_name": buyer if full else f"{shop.name} buyer", "status": status},
        )
        if created:
            for n, body in enumerate(bodies):
                Message.objects.create(
                    conversation=conversation,
                    sender="buyer" if n % 2 == 0 else "shop",
                    body=body,
                    created=conversation.updated - timedelta(hours=len(bodies) - n),
                )


def seed_money(shop: Shop, *, full: bool) -> None:
    """A payout account history (an earlier account, then the current one, long past its hold) and,
    in the demo shop, a withdrawal paid out and one cancelled by the change of account."""
    accounts = [
        ("Old Demo Bank", "GB29NWBK60161331926819", "NWBKGB2L", datetime(2025, 3, 1, 9, tzinfo=UTC)),
        (
            "First Demo Bank" if full else "Second Demo Bank",
            "004512347788" if full else "009876543210",
            "DEMOBANK01",
            datetime(2025, 11, 1, 9, tzinfo=UTC),
        ),
    ]
    rows = []
    for n, (bank, number, routing, created) in enumerate(accounts if full else accounts[1:]):
        account = PayoutAccount.objects.filter(
            shop=shop, fingerprint=sealing.fingerprint(routing, number)
        ).first()
        if account is None:
            latest = n == len(accounts) - 1 or not full
            account = PayoutAccount(
                shop=shop,
                holder_name=f"{shop.name} Ltd",
                bank_name=bank,
                routing_code=routing,
                status="active" if latest else "replaced",
                created=created,
                activated_at=created,
                ended_at=None if latest else accounts[n + 1][3],
                hold_until=created + timedelta(hours=72),
                hold_reasons=["change"],
            )
            account.set_number(number)
            account.save()
        rows.append(account)
    if not full:
        return
    old = rows[0]
    withdrawals = [
        ("PO-DEMO00000001", Decimal("1500.00"), "paid", datetime(2025, 8, 3, 10, tzinfo=UTC)),
        ("", Decimal("400.00"), "cancelled", datetime(2025, 10, 30, 16, tzinfo=UTC)),
    ]
    # Both went to the earlier account; the second was cancelled when the account changed.
    for reference, amount, status, created in withdrawals:
        if Withdrawal.objects.filter(shop=shop, created=created).exists():
            continue
        Withdrawal.objects.create(
            shop=shop,
            payout_account=old,
            amount=amount,
            currency=shop.currency,
            status=status,
            created=created,
            paid_at=created + timedelta(hours=2) if status == "paid" else None,
            payout_reference=reference,
            cancelled_at=accounts[1][3] if status == "cancelled" else None,
            cancel_reason="The payout account changed: request the withdrawal again once the hold ends."
            if status == "cancelled"
            else "",
        )
