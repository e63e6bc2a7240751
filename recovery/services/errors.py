"""What a recovery service refuses, with a stable code for the API and a message for the page."""


class CaseRefused(Exception):
    """The case's state, or who asks, does not allow this now.

    `status` is the HTTP status the API answers (409 for an illegal state change, 403 for an agent
    who may not act), `code` is stable, `message` says what happened and what to do.
    """

    def __init__(self, message: str, *, code: str = "illegal_state", status: int = 409):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
