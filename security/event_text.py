"""The security log in words (SPEC §9, §11): each event's details as a sentence, its device as a name.

One function per EventKind turns the details its service records into a sentence a seller reads
without knowing our field names; a kind without one (a new kind from another app) falls back to
"Label: value" pairs in words. Values come from our own services, but some of them were typed by a
person (a reason, an e-mail address): templates escape them as usual.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit.models import EventKind, SecurityEvent
from permissions.registry import ROLES
from security.sessions import describe_device

METHODS = {
    "totp": gettext_lazy("the authenticator app"),
    "email": gettext_lazy("a code sent by e-mail"),
    "recovery_code": gettext_lazy("a recovery code"),
    "password": gettext_lazy("the password only"),
}


def _method(details: dict) -> str:
    return str(METHODS.get(str(details.get("method", "")), _("a second step")))


def _roles(names) -> str:
    if not names:
        return _("no roles")
    labels = [str(ROLES[name].label) if name in ROLES else str(name) for name in names]
    return ", ".join(labels)


def _ended(details: dict) -> str:
    count = details.get("sessions_ended")
    if not count:
        return ""
    return " " + ngettext("%(count)s other session ended.", "%(count)s other sessions ended.", count) % {
        "count": count
    }


def _by(details: dict) -> str:
    """ " by owner@shop.example", " in the admin"… from the `by` and `via` details members' events keep."""
    by = details.get("by")
    via = details.get("via")
    where = {"admin": _(" in the support admin"), "demo data": _(" (demo data)")}.get(via, "")
    if by and by != "system":
        return _(" by %(who)s%(where)s") % {"who": by, "where": where}
    return where


def _login_success(d: dict) -> str:
    if d.get("method") in (None, "password"):
        return _("Signed in with the password (two-step verification was off).")
    return _("Signed in with the password and %(method)s.") % {"method": _method(d)}


def _login_failure(d: dict) -> str:
    if d.get("reason") == "frozen":
        return _("The password was right, but the account is frozen: the sign-in was refused.")
    email = d.get("email")
    if email:
        return _("Wrong e-mail or password for %(email)s.") % {"email": email}
    return _("Wrong e-mail or password.")


def _session_ended(d: dict) -> str:
    device_name = d.get("device") or _("a device")
    if d.get("by_staff"):
        return _("Support staff (%(staff)s) ended the session on %(device)s.") % {
            "staff": d["by_staff"],
            "device": device_name,
        }
    if d.get("all_others"):
        count = d.get("count", 0)
        return ngettext(
            "You ended %(count)s other session.", "You ended %(count)s other sessions.", count
        ) % {"count": count}
    if d.get("ip"):
        return _("You ended the session on %(device)s (%(ip)s).") % {"device": device_name, "ip": d["ip"]}
    return _("You ended the session on %(device)s.") % {"device": device_name}


def _two_step_success(d: dict) -> str:
    if d.get("approved"):
        return _("%(method)s approved %(what)s.") % {"method": _method(d).capitalize(), "what": d["approved"]}
    if d.get("step_up"):
        return _("Confirmed with %(method)s before a sensitive change.") % {"method": _method(d)}
    return _("Passed with %(method)s.") % {"method": _method(d)}


def _password_changed(d: dict) -> str:
    if d.get("reason"):
        return _("Password set (%(reason)s).") % {"reason": d["reason"]}
    return _("Password changed.") + _ended(d)


def _password_reset(d: dict) -> str:
    count = d.get("sessions_ended")
    ended = (
        " " + ngettext("%(count)s session ended.", "%(count)s sessions ended.", count) % {"count": count}
        if count
        else ""
    )
    return _("Password reset with an e-mailed link.") + ended


def _reset_requested(d: dict) -> str:
    if d.get("refused") == "frozen":
        return _("No reset link was sent: the account is frozen.")
    return _("A reset link was e-mailed to the account's address.")


def _frozen(d: dict) -> str:
    scope = (
        _(" Money moves are held; devices that signed in well before may still sign in.")
        if d.get("scope") == "unproven"
        else _(" Every device is blocked.")
    )
    reason = f" ({d['reason']})" if d.get("reason") else ""
    by = _(" by %(who)s") % {"who": d["by"]} if d.get("by") else ""
    count = d.get("sessions_ended")
    ended = (
        " " + ngettext("%(count)s session ended.", "%(count)s sessions ended.", count) % {"count": count}
        if count
        else ""
    )
    return _("Account frozen%(by)s%(reason)s.%(scope)s%(ended)s") % {
        "by": by,
        "reason": reason,
        "scope": scope,
        "ended": ended,
    }


def _unfrozen(d: dict) -> str:
    by = _(" by %(who)s") % {"who": d["by"]} if d.get("by") else ""
    return _("Account unfrozen%(by)s%(reason)s.") % {"by": by, "reason": _reason(d)}


def _reason(d: dict) -> str:
    return f": {d['reason']}" if d.get("reason") else ""


def _recovery_step(d: dict) -> str:
    """ "Recovery case RC-7K4M-Q2XD: approved by ada@support.example: passport checked." """
    step = str(d.get("step") or _("moved on")).replace("_", " ")
    if d.get("reference"):
        case = _("Recovery case %(reference)s") % {"reference": d["reference"]}
    else:
        case = _("Recovery case")
    by = _(" by %(who)s") % {"who": d["by"]} if d.get("by") else ""
    return f"{case}: {step}{by}{_reason(d)}."


def _lockout_cleared(d: dict) -> str:
    count = d.get("failures") or 0
    return ngettext(
        "The sign-in lockout was lifted%(by)s%(reason)s; %(count)s failed sign-in no longer count.",
        "The sign-in lockout was lifted%(by)s%(reason)s; %(count)s failed sign-ins no longer count.",
        count,
    ) % {"by": _by(d), "reason": _reason(d), "count": count}


def _member_changed(d: dict) -> str:
    return _("Changed%(by)s: roles %(roles)s; %(status)s.") % {
        "by": _by(d),
        "roles": _roles(d["roles"]),
        "status": d["status"],
    }


def _two_step_reset(d: dict) -> str:
    return _("Reset%(by)s%(reason)s.") % {"by": _by(d), "reason": _reason(d)} + _ended(d)


PROFILE_FIELDS = {
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "date_of_birth": gettext_lazy("birth date"),
    "time_zone": gettext_lazy("time zone"),
}


def _profile_changed(d: dict) -> str:
    fields = [str(PROFILE_FIELDS.get(field, str(field).replace("_", " "))) for field in d.get("fields", [])]
    if fields:
        return _("Changed: %(fields)s.") % {"fields": ", ".join(fields)}
    return _("Account information changed.")


WITHDRAWAL_REFUSALS = {
    "payout_hold": gettext_lazy("withdrawals were on hold after a change of the payout account"),
    "account_frozen": gettext_lazy("the owner's account was frozen"),
    "no_payout_account": gettext_lazy("there was no payout account"),
    "insufficient_balance": gettext_lazy("more than the available balance"),
}
WITHDRAWAL_CANCELS = {
    "payout_account_changed": gettext_lazy("the payout account changed"),
    "account_frozen": gettext_lazy("the owner's account was frozen"),
}


def _payout_changed(d: dict) -> str:
    if "account" not in d:
        return _with_details(_("The payout account was changed."), d)
    then = _(" It waits for support's review.") if d.get("status") == "pending_review" else ""
    cancelled = d.get("withdrawals_cancelled")
    if cancelled:
        then += " " + ngettext(
            "%(count)s withdrawal not yet paid out cancelled.",
            "%(count)s withdrawals not yet paid out cancelled.",
            cancelled,
        ) % {"count": cancelled}
    return _("The payout account was changed to %(account)s; withdrawals are held for a while.%(then)s") % {
        "account": d["account"],
        "then": then,
    }


def _payout_rolled_back(d: dict) -> str:
    undone = ", ".join(d["rolled_back"])
    restored = (
        _(" Payouts go to %(account)s again.") % {"account": d["restored"]} if d.get("restored") else ""
    )
    return _("Payout account changes undone: %(undone)s.%(restored)s") % {
        "undone": undone,
        "restored": restored,
    }


def _login_locked(d: dict) -> str:
    count = len(d.get("failures") or [])
    return ngettext(
        "Sign-ins paused after %(count)s wrong password.",
        "Sign-ins paused after %(count)s wrong passwords.",
        count,
    ) % {"count": count}


def _recovery_code_used(d: dict) -> str:
    count = d.get("codes_left", 0)
    return ngettext(
        "A recovery code was used; %(count)s code left.",
        "A recovery code was used; %(count)s codes left.",
        count,
    ) % {"count": count}


def _member_two_step_reset(d: dict) -> str:
    if d.get("reason"):
        return _("Two-step verification reset%(by)s: %(reason)s.") % {"by": _by(d), "reason": d["reason"]}
    return _("Two-step verification reset%(by)s.") % {"by": _by(d)}


def _bills_exported(d: dict) -> str:
    if d.get("status") in (None, "all"):
        return _("Bills exported as CSV.")
    return _("Bills exported as CSV (%(status)s only).") % {"status": d["status"]}


SENTENCES: dict[EventKind, Callable[[dict], str]] = {
    EventKind.LOGIN_PASSWORD_ACCEPTED: lambda d: _("The password was right; the second step was asked for."),
    EventKind.LOGIN_SUCCESS: _login_success,
    EventKind.LOGIN_FAILURE: _login_failure,
    EventKind.LOGIN_LOCKED: _login_locked,
    EventKind.LOGOUT: lambda d: _("Signed out."),
    EventKind.NEW_SIGN_IN_ALERT: lambda d: _(
        "A device or network not seen in 30 days signed in; we e-mailed you."
    ),
    EventKind.SESSION_ENDED: _session_ended,
    EventKind.TWO_STEP_SUCCESS: _two_step_success,
    EventKind.TWO_STEP_FAILURE: lambda d: _("A wrong code for %(method)s.") % {"method": _method(d)},
    EventKind.TWO_STEP_ENABLED: lambda d: (
        _("Turned on with %(method)s.") % {"method": _method(d)} + _ended(d)
    ),
    EventKind.TWO_STEP_DISABLED: lambda d: _(
        "Turned off: the app, e-mail codes and recovery codes were removed."
    ),
    EventKind.TWO_STEP_METHOD_PREFERRED: lambda d: (
        _("Sign-ins now offer %(method)s first.") % {"method": _method(d)}
    ),
    EventKind.TWO_STEP_RESET: _two_step_reset,
    EventKind.RECOVERY_CODES_REGENERATED: lambda d: _(
        "Ten new recovery codes; the old ones stopped working."
    ),
    EventKind.RECOVERY_CODE_USED: _recovery_code_used,
    EventKind.PASSWORD_CHANGED: _password_changed,
    EventKind.PASSWORD_RESET_REQUESTED: _reset_requested,
    EventKind.PASSWORD_RESET: _password_reset,
    EventKind.EMAIL_CHANGED: lambda d: (
        _("E-mail address changed from %(old)s to %(new)s.") % {"old": d["old_email"], "new": d["new_email"]}
    ),
    EventKind.ANTI_PHISHING_PHRASE_CHANGED: lambda d: (
        _("Phrase set.") if d.get("set") else _("Phrase removed.")
    ),
    EventKind.ACCOUNT_FROZEN: _frozen,
    EventKind.ACCOUNT_UNFROZEN: _unfrozen,
    EventKind.SHOP_CREATED: lambda d: _("Shop “%(name)s” created.") % {"name": d["name"]},
    EventKind.MEMBER_ADDED: lambda d: (
        _("Added%(by)s with roles %(roles)s.") % {"by": _by(d), "roles": _roles(d.get("roles"))}
    ),
    EventKind.MEMBER_CHANGED: _member_changed,
    EventKind.MEMBER_SUSPENDED: lambda d: _("Suspended%(by)s.") % {"by": _by(d)},
    EventKind.MEMBER_REMOVED: lambda d: _("Removed from the shop%(by)s.") % {"by": _by(d)},
    EventKind.SHOP_TWO_STEP_REQUIRED: lambda d: _(
        "Every member now needs two-step verification to open the shop."
    ),
    EventKind.SHOP_TWO_STEP_OPTIONAL: lambda d: _("Two-step verification is optional for members again."),
    # The money path and recovery keep details of their own: said in words after the headline.
    EventKind.PAYOUT_ACCOUNT_CHANGED: _payout_changed,
    EventKind.RECOVERY_CASE_STEP: _recovery_step,
    EventKind.PROFILE_CHANGED: _profile_changed,
    EventKind.EMAIL_CHANGE_REQUESTED: lambda d: (
        _("A confirmation link was sent to %(email)s.") % {"email": d["new_email"]}
    ),
    EventKind.EMAIL_CHANGE_CANCELLED: lambda d: (
        _("The change to %(email)s was cancelled.") % {"email": d["new_email"]}
    ),
    EventKind.ACCOUNT_CREATED: lambda d: _("Account created."),
    EventKind.SIGNUP_EXISTING_ACCOUNT: lambda d: _(
        "Someone tried to sign up with this account's address; we e-mailed you instead of opening a shop."
    ),
    EventKind.INVITATION_SENT: lambda d: (
        _("%(email)s was invited with roles %(roles)s.")
        % {"email": d.get("email", _("Someone")), "roles": _roles(d.get("roles"))}
    ),
    EventKind.INVITATION_RESENT: lambda d: (
        _("The invitation to %(email)s was sent again.") % {"email": d.get("email", _("a person"))}
    ),
    EventKind.INVITATION_REVOKED: lambda d: (
        (
            _("The invitation to %(email)s was withdrawn because the account was frozen.")
            if d.get("reason") == "account_frozen"
            else _("The invitation to %(email)s was revoked.")
        )
        % {"email": d.get("email", _("a person"))}
    ),
    EventKind.MEMBER_REACTIVATED: lambda d: _("Reactivated%(by)s.") % {"by": _by(d)},
    EventKind.MEMBER_LEFT: lambda d: _("Left the shop."),
    EventKind.MEMBER_TWO_STEP_RESET: _member_two_step_reset,
    EventKind.MEMBER_TWO_STEP_REMINDED: lambda d: (
        _("Reminded to turn on two-step verification%(by)s.") % {"by": _by(d)}
    ),
    EventKind.SHOP_INVITE_DOMAINS_CHANGED: lambda d: (
        _("Invitations now go only to %(domains)s.") % {"domains": ", ".join(d["domains"])}
        if d.get("domains")
        else _("Invitations may go to any address.")
    ),
    EventKind.REAUTHENTICATION_FAILURE: lambda d: _(
        "A wrong password was given to confirm it was you before changing two-step verification."
    ),
    # The money path (commerce).
    EventKind.PAYOUT_ACCOUNT_FLAGGED: lambda d: (
        _("%(account)s is registered by another shop: support reviews it before payouts go there.")
        % {"account": d["account"]}
    ),
    EventKind.PAYOUT_ACCOUNT_APPROVED: lambda d: (
        _("Support approved %(account)s%(by)s: %(reason)s")
        % {"account": d["account"], "by": _by(d), "reason": d["reason"]}
    ),
    EventKind.PAYOUT_ACCOUNT_REJECTED: lambda d: (
        _("Support rejected %(account)s%(by)s: %(reason)s")
        % {"account": d["account"], "by": _by(d), "reason": d["reason"]}
    ),
    EventKind.PAYOUT_ACCOUNT_ROLLED_BACK: _payout_rolled_back,
    EventKind.WITHDRAWAL_REQUESTED: lambda d: (
        _("Withdrawal of %(amount)s %(currency)s to %(account)s requested.")
        % {"amount": d["amount"], "currency": d["currency"], "account": d["account"]}
    ),
    EventKind.WITHDRAWAL_REFUSED: lambda d: (
        _("Withdrawal of %(amount)s refused: %(why)s.")
        % {"amount": d["amount"], "why": WITHDRAWAL_REFUSALS.get(d["code"], d["code"])}
    ),
    EventKind.WITHDRAWAL_PAID: lambda d: (
        _("%(amount)s %(currency)s paid out to %(account)s (reference %(reference)s).")
        % {
            "amount": d["amount"],
            "currency": d["currency"],
            "account": d["account"],
            "reference": d["reference"],
        }
    ),
    EventKind.WITHDRAWAL_CANCELLED: lambda d: (
        _("Withdrawal of %(amount)s %(currency)s cancelled: %(why)s.")
        % {
            "amount": d["amount"],
            "currency": d["currency"],
            "why": WITHDRAWAL_CANCELS.get(d["reason"], d["reason"]),
        }
    ),
    EventKind.ORDER_REFUNDED: lambda d: (
        _("Order %(order)s: %(amount)s %(currency)s refunded.")
        % {"order": d["order"], "amount": d["amount"], "currency": d["currency"]}
    ),
    EventKind.BILLS_EXPORTED: _bills_exported,
    # Recovery.
    EventKind.PASSWORD_DISABLED: lambda d: (
        _("The password was made unusable%(by)s%(reason)s.") % {"by": _by(d), "reason": _reason(d)}
    ),
    EventKind.LOGIN_LOCKOUT_CLEARED: _lockout_cleared,
    EventKind.HARDENED_RECOVERY_ON: lambda d: _("Hardened recovery turned on: a recovery takes two agents."),
    EventKind.HARDENED_RECOVERY_OFF_REQUESTED: lambda d: _("Hardened recovery set to end in 7 days."),
    EventKind.HARDENED_RECOVERY_OFF_CANCELLED: lambda d: _("Hardened recovery kept on."),
}


def _value(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, str) and item in ROLES for item in value):
            return _roles(value)
        return ", ".join(str(item) for item in value) or _("none")
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
