"""Access policies, sessions, throttling, passwords and response headers."""
