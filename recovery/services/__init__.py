"""Writes of the recovery workflow, one module per party: the person asking (cases, documents), the
account holder (owner), support staff (review), the approval and the owner's way back (approval),
and what every step shares (timeline, notices)."""
