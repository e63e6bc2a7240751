from django.urls import path

from recovery.views import case, owner, requests, restore

app_name = "recovery"

urlpatterns = [
    # The person who lost access (no sign-in).
    path("recover/", requests.request_recovery, name="request"),
    path("recover/sent/", requests.request_sent, name="sent"),
    path("recover/status/", requests.status, name="status"),
    path("recover/case/", case.case_page, name="case"),
    path("recover/restore/", restore.restore, name="restore"),
    path("recover/freeze-again/", owner.reopen, name="reopen"),
    # The account holder, from Account Security.
    path("account/security/freeze/", owner.freeze_my_account, name="freeze-mine"),
    path("account/security/recovery/not-me/", owner.not_me, name="not-me"),
    path("account/security/recovery/hardened/on/", owner.hardened_on, name="hardened-on"),
    path("account/security/recovery/hardened/off/", owner.hardened_off, name="hardened-off"),
    path("account/security/recovery/hardened/keep/", owner.hardened_keep, name="hardened-keep"),
]
