"""Two-step verification (SPEC §6), split by step as django-allauth's mfa flows are:

- devices: the authenticator app, e-mail codes and recovery codes, and what the user has of them;
- codes: checking a code, with django-otp's per-device throttle and our account-wide one;
- sign_in_step: the second step of a sign-in, and sign-in codes by e-mail;
- step_up: a fresh second step for sensitive actions, and a code bound to one action;
- enrolment: turning it on and off, recovery codes again, the preferred method.

Built on django-otp's devices, so that further kinds (passkeys) can be added beside them.
"""
