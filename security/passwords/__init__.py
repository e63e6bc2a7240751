"""Passwords (SPEC §4): the rules, the strength estimate, the live check, and the writes that set one."""
