"""Rate limits of the team's e-mails, counted in the database (security.throttles), so the product
cannot be used to send bulk mail whichever web process answers."""

from django.utils.crypto import salted_hmac

from security.throttles import WindowThrottle


class _PerShop(WindowThrottle):
    """Counted per shop, whoever of its members asks."""

    def __init__(self, shop):
        super().__init__()
        self.shop = shop

    def ident(self, request) -> str:
        return f"shop-{self.shop.pk}"


class InvitationThrottle(_PerShop):
    """Invitations and their resends, together."""

    scope = "team_invitation"
    rate_setting = "TEAM_INVITATION_RATE"


class TwoStepReminderThrottle(_PerShop):
    scope = "team_two_step_reminder"
    rate_setting = "TEAM_REMINDER_RATE"


class SignupThrottle(WindowThrottle):
    """Sign-ups per client IP."""

    scope = "signup"
    rate_setting = "SIGNUP_RATE"


class SignupAddressThrottle(WindowThrottle):
    """E-mails one address receives from sign-ups, whichever IPs ask: beyond this the answer stays
    the same, but no e-mail leaves."""

    scope = "signup_address"
    rate = "3/hour"

    def __init__(self, email: str):
        super().__init__()
        self.email = email

    def ident(self, request) -> str:
        # Counters outlive no window, but a keyed hash keeps addresses out of the table all the same.
        return salted_hmac("team.signup-address", self.email.lower()).hexdigest()[:32]


class ShopCreationThrottle(WindowThrottle):
    """New shops a signed-in person opens from the shop chooser."""

    scope = "shop_creation"
    rate_setting = "SHOP_CREATION_RATE"

    def ident(self, request) -> str:
        return f"user-{request.user.pk}"
