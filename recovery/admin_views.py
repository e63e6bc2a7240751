"""The admin pages behind a case's actions, its document downloads and a staff freeze.

Each action is a page: what it does, a reason, and what else it needs; posting it calls one service of
recovery/services/review.py with the case revision the agent read. The admin site wraps each view:
staff with the authenticator app only, and a fresh second step before any POST (sellercenter/admin.py).
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_fsm import can_proceed

from audit.events import RequestContext
from recovery import selectors
from recovery.models import CaseDocument, CaseStep, RecoveryCase
from recovery.services import review
from recovery.services.errors import CaseRefused
from recovery.services.timeline import record_step


class ActionForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=2000,
        help_text=gettext_lazy("Goes into the case's timeline and the account's security log."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


@dataclass(frozen=True)
class Action:
    label: str
    explanation: str
    service: Any
    transition: str  # the RecoveryCase transition that must be possible now
    tells_person: bool = True


ACTIONS = {
    "more-documents": Action(
        gettext_lazy("Ask for more documents"),
        gettext_lazy(
            "A new round starts: the contact address gets a fresh upload link for 5 more files, and earlier "
            "links stop working. Your reason is e-mailed to the person, so write it for them."
        ),
        review.request_more_documents,
        "request_more_documents",
    ),
    "approve": Action(
        gettext_lazy("Approve"),
        gettext_lazy(
            "When this is the last approval needed, every session, two-step device and recovery code of the "
            "account is removed, its password becomes unusable, and the contact address gets a single-use "
            "link (24 hours) to set a new password and enrol two-step verification; the account unfreezes "
            "when both are done. With four eyes, a second agent must approve after you."
        ),
        review.approve,
        "approve",
        tells_person=False,
    ),
    "reject": Action(
        gettext_lazy("Reject"),
        gettext_lazy(
            "The case closes and your reason is e-mailed to the person. The account stays frozen unless you "
            "unfreeze it here (for a request that was not from the account's owner)."
        ),
        review.reject,
        "reject",
    ),
    "false-alarm": Action(
        gettext_lazy("Unfreeze as a false alarm"),
        gettext_lazy(
            "Nothing was wrong: the account is unfrozen and the case closes. Your reason is e-mailed."
        ),
        review.close_as_false_alarm,
        "close_as_false_alarm",
    ),
    "clear-lockout": Action(
        gettext_lazy("Clear the login lockout"),
        gettext_lazy(
            "The account's failed sign-ins stop counting against it. The account is e-mailed about it."
        ),
        review.clear_lockout,
        "assist",
        tells_person=False,
    ),
    "reset-two-step": Action(
        gettext_lazy("Reset two-step verification"),
        gettext_lazy(
            "Every two-step device and recovery code of the account is removed and every session ends, and "
            "the account stays frozen: the case can then end only by approval (the contact address gets a "
            "link to set a new password and enrol the app again) or by a rejection that keeps it frozen. "
            "The account is e-mailed about it."
        ),
        review.reset_two_step,
        "assist",
        tells_person=False,
    ),
}


def available_actions(case: RecoveryCase, agent) -> list[tuple[str, Action]]:
    """The actions the transition table allows on the case now, for an agent who may review."""
    if not review.may_review(agent):
        return []
    return [
        (slug, action) for slug, action in ACTIONS.items() if can_proceed(getattr(case, action.transition))
    ]


def case_page_context(request, case: RecoveryCase) -> dict:
    """Everything the case page shows besides the case's own fields."""
    user = case.user
    return {
        "case": case,
        "requests": case.requests.all(),
        "case_documents": case.documents.all(),
        "steps": case.steps.select_related("by"),
        "events": list(selectors.recent_security_events(user)[:200]) if user else [],
        "payout_histories": selectors.payout_histories(user) if user else [],
        "four_eyes_reasons": selectors.four_eyes_reasons(user) if user else [],
        "actions": available_actions(case, request.user),
        "may_review": review.may_review(request.user),
    }


def _form_for(slug: str, case: RecoveryCase, data=None) -> ActionForm:
    form = ActionForm(data, initial={"revision": case.revision})
    if slug == "approve" and case.wants_sign_in_address:
        form.fields["confirms_sign_in_address"] = forms.BooleanField(
            required=False,
            label=_("Confirm that %(email)s becomes the account's sign-in address, as asked")
            % {"email": case.contact_email},
        )
    if slug == "reject" and case.user_id and case.user.is_frozen and case.kept_its_second_step():
        form.fields["unfreeze"] = forms.BooleanField(
            required=False, label=_("Also unfreeze the account (the request was not from its owner)")
        )
    if slug == "more-documents":
        addresses = selectors.contact_addresses(case)
        if len(addresses) > 1:
            form.fields["contact_email"] = forms.ChoiceField(
                choices=[(a, a) for a in addresses],
                initial=case.contact_email,
                label=_("Send the link to"),
                help_text=_("The addresses this case's requests gave; the one chosen becomes its contact."),
            )
    return form


@never_cache
def case_action(request, pk: int, action: str):
    """GET: the action's page; POST: the action, then back to the case."""
    spec = ACTIONS.get(action)
    case = get_object_or_404(RecoveryCase.objects.select_related("user"), pk=pk)
    if spec is None:
        raise Http404(_("No such action."))
    if not review.may_review(request.user):
        raise PermissionDenied(_("Reviewing recovery cases needs the “review recovery cases” permission."))
    form = _form_for(action, case, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            extra = {k: v for k, v in form.cleaned_data.items() if k not in ("reason", "revision")}
            try:
                spec.service(
                    case.pk,
                    agent=request.user,
                    revision=form.cleaned_data["revision"],
                    reason=form.cleaned_data["reason"],
                    context=RequestContext.from_request(request),
                    **extra,
                )
            except CaseRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
                case.refresh_from_db()
            else:
                messages.success(
                    request,
                    _("%(action)s: done for case %(reference)s.")
                    % {"action": spec.label, "reference": case.reference},
                )
                return redirect("admin:recovery_recoverycase_change", case.pk)
        else:
            status = 400
    context = {
        **admin_site.each_context(request),
        "title": _("%(action)s — case %(reference)s") % {"action": spec.label, "reference": case.reference},
        "case": case,
        "action": spec,
        "form": form,
        "opts": RecoveryCase._meta,
        "possible": can_proceed(getattr(case, spec.transition)),
    }
    return TemplateResponse(request, "admin/recovery/recoverycase/action.html", context, status=status)


@never_cache
def download_document(request, pk: int):
    """A document, to staff who may review, as an attachment that no browser renders inline."""
    if not review.may_review(request.user):
        raise PermissionDenied(_("Opening recovery documents needs the “review recovery cases” permission."))
    document = get_object_or_404(CaseDocument.objects.select_related("case"), pk=pk)
    if document.purged_at is not None or not document.file:
        raise Http404(_("This document was deleted when its case had been closed for 90 days."))
    with transaction.atomic():
        record_step(
            document.case,
            CaseStep.Kind.DOCUMENT_OPENED,
            by=request.user,
            context=RequestContext.from_request(request),
            document=document.pk,
        )
    filename = f"{document.case.reference}-{document.kind}-{document.pk}.{document.extension}"
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=filename, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class StaffFreezeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Account e-mail"), max_length=254)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 80}), max_length=2000)


@never_cache
def staff_freeze(request):
    """Freeze an account on every device; the freeze opens (or joins) its case."""
    if not review.may_review(request.user):
        raise PermissionDenied(_("Freezing an account needs the “review recovery cases” permission."))
    form = StaffFreezeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = review.staff_freeze(
                    form.cleaned_data["email"],
                    agent=request.user,
                    reason=form.cleaned_data["reason"],
                    context=RequestContext.from_request(request),
                )
            except CaseRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(
                    request,
                    _("The account is frozen on every device; case %(reference)s is open.")
                    % {"reference": case.reference},
                )
                return redirect("admin:recovery_recoverycase_change", case.pk)
        else:
            status = 400
    context = {
        **admin_site.each_context(request),
        "title": _("Freeze an account"),
        "form": form,
        "opts": RecoveryCase._meta,
        "queue_url": reverse("admin:recovery_recoverycase_changelist"),
    }
    return TemplateResponse(request, "admin/recovery/recoverycase/freeze.html", context, status=status)
