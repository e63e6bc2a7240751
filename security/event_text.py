"""The security log in words (SPEC §9, §11): each event's details as a sentence, its device as a name.

One function per EventKind turns the details its service records into a sentence a seller reads
without knowing our field names; a kind without one (a new kind from another app) falls back to
"Label: value" pairs in words. Values come from our own services, but some of them were typed by a
person (a reason, an e-mail address): templates escape them as usual.
"""

from collections.abc import Callable

from audit.models import EventKind, SecurityEvent
from permissions.registry import ROLES
from security.sessions import describe_device

METHODS = {
    "totp": "the authenticator app",
    "email": "a code sent by e-mail",
    "recovery_code": "a recovery code",
    "password": "the password only",
}


def _method(details: dict) -> str:
    return METHODS.get(str(details.get("method", "")), "a second step")


def _roles(names) -> str:
    if not names:
        return "no roles"
    labels = [ROLES[name].label if name in ROLES else str(name) for name in names]
    return ", ".join(labels)


def _plural(count, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _by(details: dict) -> str:
    """ " by owner@shop.example", " in the admin"… from the `by` and `via` details members' events keep."""
    by = details.get("by")
    via = details.get("via")
    where = {"admin": " in the support admin", "demo data": " (demo data)"}.get(via, "")
    if by and by != "system":
        return f" by {by}{where}"
    return where


def _ended(details: dict) -> str:
    count = details.get("sessions_ended")
    if not count:
        return ""
    return f" {_plural(count, 'other session')} ended."


def _login_success(d: dict) -> str:
    if d.get("method") in (None, "password"):
        return "Signed in with the password (two-step verification was off)."
    return f"Signed in with the password and {_method(d)}."


def _login_failure(d: dict) -> str:
    if d.get("reason") == "frozen":
        return "The password was right, but the account is frozen: the sign-in was refused."
    email = d.get("email")
    return f"Wrong e-mail or password{f' for {email}' if email else ''}."


def _session_ended(d: dict) -> str:
    if d.get("by_staff"):
        return f"Support staff ({d['by_staff']}) ended the session on {d.get('device') or 'a device'}."
    if d.get("all_others"):
        return f"You ended {_plural(d.get('count', 0), 'other session')}."
    where = f" ({d['ip']})" if d.get("ip") else ""
    return f"You ended the session on {d.get('device') or 'a device'}{where}."


def _two_step_success(d: dict) -> str:
    if d.get("approved"):
        return f"{_method(d).capitalize()} approved {d['approved']}."
    if d.get("step_up"):
        return f"Confirmed with {_method(d)} before a sensitive change."
    return f"Passed with {_method(d)}."


def _password_changed(d: dict) -> str:
    if d.get("reason"):
        return f"Password set ({d['reason']})."
    return "Password changed." + _ended(d)


def _reset_requested(d: dict) -> str:
    if d.get("refused") == "frozen":
        return "No reset link was sent: the account is frozen."
    return "A reset link was e-mailed to the account's address."


def _frozen(d: dict) -> str:
    scope = (
        " Money moves are held; devices that signed in well before may still sign in."
        if d.get("scope") == "unproven"
        else " Every device is blocked."
    )
    reason = f" ({d['reason']})" if d.get("reason") else ""
    by = f" by {d['by']}" if d.get("by") else ""
    ended = f" {_plural(d['sessions_ended'], 'session')} ended." if d.get("sessions_ended") else ""
    return f"Account frozen{by}{reason}.{scope}{ended}"


def _unfrozen(d: dict) -> str:
    by = f" by {d['by']}" if d.get("by") else ""
    reason = f": {d['reason']}" if d.get("reason") else ""
    return f"Account unfrozen{by}{reason}."


def _reason(d: dict) -> str:
    return f": {d['reason']}" if d.get("reason") else ""


def _recovery_step(d: dict) -> str:
    """ "Recovery case RC-7K4M-Q2XD: approved by ada@support.example: passport checked." """
    step = str(d.get("step") or "moved on").replace("_", " ")
    case = f"Recovery case {d['reference']}" if d.get("reference") else "Recovery case"
    by = f" by {d['by']}" if d.get("by") else ""
    return f"{case}: {step}{by}{_reason(d)}."


def _lockout_cleared(d: dict) -> str:
    failures = _plural(d.get("failures") or 0, "failed sign-in")
    return f"The sign-in lockout was lifted{_by(d)}{_reason(d)}; {failures} no longer count."


def _member_changed(d: dict) -> str:
    return f"Changed{_by(d)}: roles {_roles(d['roles'])}; {d['status']}."


def _two_step_reset(d: dict) -> str:
    reason = f": {d['reason']}" if d.get("reason") else ""
    return f"Reset{_by(d)}{reason}." + _ended(d)


def _profile_changed(d: dict) -> str:
    names = {
        "first_name": "first name",
        "last_name": "last name",
        "date_of_birth": "birth date",
        "time_zone": "time zone",
    }
    fields = [names.get(field, str(field).replace("_", " ")) for field in d.get("fields", [])]
    return f"Changed: {', '.join(fields)}." if fields else "Account information changed."


WITHDRAWAL_REFUSALS = {
    "payout_hold": "withdrawals were on hold after a change of the payout account",
    "account_frozen": "the owner's account was frozen",
    "no_payout_account": "there was no payout account",
    "insufficient_balance": "more than the available balance",
}
WITHDRAWAL_CANCELS = {
    "payout_account_changed": "the payout account changed",
    "account_frozen": "the owner's account was frozen",
}


def _payout_changed(d: dict) -> str:
    if "account" not in d:
        return _with_details("The payout account was changed.", d)
    then = " It waits for support's review." if d.get("status") == "pending_review" else ""
    cancelled = d.get("withdrawals_cancelled")
    if cancelled:
        then += f" {_plural(cancelled, 'withdrawal')} not yet paid out cancelled."
    return f"The payout account was changed to {d['account']}; withdrawals are held for a while.{then}"


def _payout_rolled_back(d: dict) -> str:
    undone = ", ".join(d["rolled_back"])
    restored = f" Payouts go to {d['restored']} again." if d.get("restored") else ""
    return f"Payout account changes undone: {undone}.{restored}"


SENTENCES: dict[EventKind, Callable[[dict], str]] = {
    EventKind.LOGIN_PASSWORD_ACCEPTED: lambda d: "The password was right; the second step was asked for.",
    EventKind.LOGIN_SUCCESS: _login_success,
    EventKind.LOGIN_FAILURE: _login_failure,
    EventKind.LOGIN_LOCKED: lambda d: (
        f"Sign-ins paused after {_plural(len(d.get('failures') or []), 'wrong password')}."
    ),
    EventKind.LOGOUT: lambda d: "Signed out.",
    EventKind.NEW_SIGN_IN_ALERT: lambda d: (
        "A device or network not seen in 30 days signed in; we e-mailed you."
    ),
    EventKind.SESSION_ENDED: _session_ended,
    EventKind.TWO_STEP_SUCCESS: _two_step_success,
    EventKind.TWO_STEP_FAILURE: lambda d: f"A wrong code for {_method(d)}.",
    EventKind.TWO_STEP_ENABLED: lambda d: f"Turned on with {_method(d)}." + _ended(d),
    EventKind.TWO_STEP_DISABLED: lambda d: (
        "Turned off: the app, e-mail codes and recovery codes were removed."
    ),
    EventKind.TWO_STEP_METHOD_PREFERRED: lambda d: f"Sign-ins now offer {_method(d)} first.",
    EventKind.TWO_STEP_RESET: _two_step_reset,
    EventKind.RECOVERY_CODES_REGENERATED: lambda d: "Ten new recovery codes; the old ones stopped working.",
    EventKind.RECOVERY_CODE_USED: lambda d: (
        f"A recovery code was used; {_plural(d.get('codes_left', 0), 'code')} left."
    ),
    EventKind.PASSWORD_CHANGED: _password_changed,
    EventKind.PASSWORD_RESET_REQUESTED: _reset_requested,
    EventKind.PASSWORD_RESET: lambda d: (
        "Password reset with an e-mailed link." + _ended(d).replace(" other", "")
    ),
    EventKind.EMAIL_CHANGED: lambda d: f"E-mail address changed from {d['old_email']} to {d['new_email']}.",
    EventKind.ANTI_PHISHING_PHRASE_CHANGED: lambda d: "Phrase set." if d.get("set") else "Phrase removed.",
    EventKind.ACCOUNT_FROZEN: _frozen,
    EventKind.ACCOUNT_UNFROZEN: _unfrozen,
    EventKind.SHOP_CREATED: lambda d: f"Shop “{d['name']}” created.",
    EventKind.MEMBER_ADDED: lambda d: f"Added{_by(d)} with roles {_roles(d.get('roles'))}.",
    EventKind.MEMBER_CHANGED: _member_changed,
    EventKind.MEMBER_SUSPENDED: lambda d: f"Suspended{_by(d)}.",
    EventKind.MEMBER_REMOVED: lambda d: f"Removed from the shop{_by(d)}.",
    EventKind.SHOP_TWO_STEP_REQUIRED: lambda d: (
        "Every member now needs two-step verification to open the shop."
    ),
    EventKind.SHOP_TWO_STEP_OPTIONAL: lambda d: "Two-step verification is optional for members again.",
    # The money path and recovery keep details of their own: said in words after the headline.
    EventKind.PAYOUT_ACCOUNT_CHANGED: _payout_changed,
    EventKind.RECOVERY_CASE_STEP: _recovery_step,
    EventKind.PROFILE_CHANGED: _profile_changed,
    EventKind.EMAIL_CHANGE_REQUESTED: lambda d: f"A confirmation link was sent to {d['new_email']}.",
    EventKind.EMAIL_CHANGE_CANCELLED: lambda d: f"The change to {d['new_email']} was cancelled.",
    EventKind.ACCOUNT_CREATED: lambda d: "Account created.",
    EventKind.SIGNUP_EXISTING_ACCOUNT: lambda d: (
        "Someone tried to sign up with this account's address; we e-mailed you instead of opening a shop."
    ),
    EventKind.INVITATION_SENT: lambda d: (
        f"{d.get('email', 'Someone')} was invited with roles {_roles(d.get('roles'))}."
    ),
    EventKind.INVITATION_RESENT: lambda d: f"The invitation to {d.get('email', 'a person')} was sent again.",
    EventKind.INVITATION_REVOKED: lambda d: f"The invitation to {d.get('email', 'a person')} was revoked.",
    EventKind.MEMBER_REACTIVATED: lambda d: f"Reactivated{_by(d)}.",
    EventKind.MEMBER_LEFT: lambda d: "Left the shop.",
    EventKind.MEMBER_TWO_STEP_RESET: lambda d: (
        f"Two-step verification reset{_by(d)}" + (f": {d['reason']}." if d.get("reason") else ".")
    ),
    EventKind.MEMBER_TWO_STEP_REMINDED: lambda d: f"Reminded to turn on two-step verification{_by(d)}.",
    EventKind.SHOP_INVITE_DOMAINS_CHANGED: lambda d: (
        f"Invitations now go only to {', '.join(d['domains'])}."
        if d.get("domains")
        else "Invitations may go to any address."
    ),
    EventKind.REAUTHENTICATION_FAILURE: lambda d: (
        "A wrong password was given to confirm it was you before changing two-step verification."
    ),
    # The money path (commerce).
    EventKind.PAYOUT_ACCOUNT_FLAGGED: lambda d: (
        f"{d['account']} is registered by another shop: support reviews it before payouts go there."
    ),
    EventKind.PAYOUT_ACCOUNT_APPROVED: lambda d: f"Support approved {d['account']}{_by(d)}: {d['reason']}",
    EventKind.PAYOUT_ACCOUNT_REJECTED: lambda d: f"Support rejected {d['account']}{_by(d)}: {d['reason']}",
    EventKind.PAYOUT_ACCOUNT_ROLLED_BACK: _payout_rolled_back,
    EventKind.WITHDRAWAL_REQUESTED: lambda d: (
        f"Withdrawal of {d['amount']} {d['currency']} to {d['account']} requested."
    ),
    EventKind.WITHDRAWAL_REFUSED: lambda d: (
        f"Withdrawal of {d['amount']} refused: {WITHDRAWAL_REFUSALS.get(d['code'], d['code'])}."
    ),
    EventKind.WITHDRAWAL_PAID: lambda d: (
        f"{d['amount']} {d['currency']} paid out to {d['account']} (reference {d['reference']})."
    ),
    EventKind.WITHDRAWAL_CANCELLED: lambda d: (
        f"Withdrawal of {d['amount']} {d['currency']} cancelled: "
        f"{WITHDRAWAL_CANCELS.get(d['reason'], d['reason'])}."
    ),
    EventKind.ORDER_REFUNDED: lambda d: f"Order {d['order']}: {d['amount']} {d['currency']} refunded.",
    EventKind.BILLS_EXPORTED: lambda d: (
        "Bills exported as CSV" + ("." if d.get("status") in (None, "all") else f" ({d['status']} only).")
    ),
    # Recovery.
    EventKind.PASSWORD_DISABLED: lambda d: f"The password was made unusable{_by(d)}{_reason(d)}.",
    EventKind.LOGIN_LOCKOUT_CLEARED: _lockout_cleared,
    EventKind.HARDENED_RECOVERY_ON: lambda d: "Hardened recovery turned on: a recovery takes two agents.",
    EventKind.HARDENED_RECOVERY_OFF_REQUESTED: lambda d: "Hardened recovery set to end in 7 days.",
    EventKind.HARDENED_RECOVERY_OFF_CANCELLED: lambda d: "Hardened recovery kept on.",
}


def _value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, str) and item in ROLES for item in value):
            return _roles(value)
        return ", ".join(str(item) for item in value) or "none"
    return str(value)


def fallback(details: dict) -> str:
    """ "Label: value" pairs in words, for a kind without its own sentence."""
    parts = []
    for key, value in details.items():
        if isinstance(value, dict) or value in ("", None):
            continue
        parts.append(f"{str(key).replace('_', ' ').capitalize()}: {_value(value)}")
    return "; ".join(parts) + ("." if parts else "")


def _with_details(headline: str, details: dict) -> str:
    rest = fallback(details)
    return f"{headline} {rest}" if rest else headline


def sentence(kind: str, details: dict) -> str:
    """The event's details as a sentence ("" when there is nothing to say); never raises."""
    details = details if isinstance(details, dict) else {}
    try:
        write = SENTENCES.get(EventKind(kind))
    except ValueError:
        write = None
    try:
        return write(details) if write is not None else fallback(details)
    except (KeyError, TypeError, ValueError, AttributeError):
        return fallback(details)


def device(event: SecurityEvent) -> str:
    """The browser and system the event came from, as a name ("Chrome on macOS"); "" when unknown."""
    return describe_device(event.user_agent) if event.user_agent else ""
