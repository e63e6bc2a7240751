"""The modules' JSON API under /api/v1/shops/<slug>/ (SPEC §10), one file per area."""
