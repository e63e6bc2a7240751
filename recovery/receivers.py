"""What recovery hears from the floors below it."""

from recovery.services.cases import on_account_frozen
from security.freeze import account_frozen


def connect() -> None:
    """Every freeze, whoever asked for it, opens the account's case or joins its open one."""
    account_frozen.connect(on_account_frozen, dispatch_uid="recovery.open_case_on_freeze")
