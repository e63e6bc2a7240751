"""Writes to module data, one module per area. Each function validates, writes and (for the money
path) records its security event in one transaction, with e-mails and tasks sent on commit.

Field problems raise django.core.exceptions.ValidationError({field: [messages]}); illegal state
changes and held money moves raise commerce.errors (409, with a stable code), changing nothing.
"""
