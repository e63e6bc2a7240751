"""The development e-mail backend: messages written as files that only this account can read.

E-mails carry sign-in codes, reset links and "This wasn't me" links. Django's file backend creates
its folder and files with the process's umask, usually readable by every local user; this one makes
the folder 0700 and each message file 0600, whatever the umask.
"""

import os

from django.core.mail.backends import filebased


class PrivateFileEmailBackend(filebased.EmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, file_path=file_path, **kwargs)
        os.chmod(self.file_path, 0o700)

    def open(self):
        if self.stream is not None:
            return False
        descriptor = os.open(self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.stream = os.fdopen(descriptor, "ab")
        return True
