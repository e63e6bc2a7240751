"""The recovery workflow's numbers (SPEC §8), in one place."""

from datetime import timedelta

# Upload links: a round is at most FILES_PER_ROUND files, through a link valid UPLOAD_LINK_LIFETIME.
FILES_PER_ROUND = 5
UPLOAD_LINK_LIFETIME = timedelta(days=7)
# The owner's single-use link to set a new password and enrol two-step verification after approval.
RESTORE_LINK_LIFETIME = timedelta(hours=24)
# The contact address's link that overrules a "not me" cancellation with a full freeze.
REOPEN_LINK_LIFETIME = timedelta(days=7)
# After this long in a session without finishing, the owner's way back asks for the link again.
RESTORE_SESSION_LIFETIME = timedelta(hours=1)

# Celery beat: staff are reminded of cases waiting for them this long, at most once per interval.
STAFF_REMINDER_AFTER = timedelta(hours=48)
STAFF_REMINDER_INTERVAL = timedelta(hours=24)
# Cases that never received a document close after this long.
ABANDONED_AFTER = timedelta(days=14)
# Documents of closed cases are deleted this long after the case closed.
DOCUMENTS_KEPT_FOR = timedelta(days=90)

# An e-mail a sender took but never marked sent (its process died) is sent again after this long.
NOTICE_CLAIM_TIMEOUT = timedelta(minutes=2)

# Turning hardened recovery off takes effect this long after it was asked for.
HARDENED_RECOVERY_OFF_DELAY = timedelta(days=7)
