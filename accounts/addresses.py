"""One key per e-mail address, for counting and for looking accounts up (SPEC §7).

Databases compare addresses differently: PostgreSQL's UPPER() folds the long s (U+017F) to "S" and the
dotless i (U+0131) to "I", SQLite's case-insensitive LIKE folds ASCII only. Looked up with __iexact, the same
typed address could find an account on one and not the other, and the lockout, keyed on the typed
text, counted "\u017fam@…" apart from "sam@…". Every lookup by address and every per-account count uses
canonical_email() instead, in Python, so both databases agree.
"""

import unicodedata


def canonical_email(address: str) -> str:
    """The address trimmed, in Unicode compatibility form (NFKC) and case-folded: "\u017fAM@Example.com"
    and "sam@example.com" share one key. NFKC is applied again after folding (NFKC_Casefold), so
    the key is stable under a second pass."""
    folded = unicodedata.normalize("NFKC", (address or "").strip()).casefold()
    return unicodedata.normalize("NFKC", folded)
