"""List-Unsubscribe as RFC 2369 wants it: `<url>` as written, never an RFC 2047 encoded word.

The standard library folds a header longer than 78 characters; a URL has no place to fold, so
it would encode it (`=?utf-8?q?=3Chttps…`), which mail clients do not read as a link and then
offer no unsubscribe button. This header type writes the value unchanged (a line well under
RFC 5322's 998 characters). Registered once, for both policies the mail code uses."""

from __future__ import annotations

from email import policy
from email.headerregistry import UnstructuredHeader
from typing import Any

NAMES = ("list-unsubscribe", "list-unsubscribe-post")


class RawHeader(UnstructuredHeader):
    """Parsed as plain text, folded as written."""

    max_count = 1

    def fold(self, *, policy: Any) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def install() -> None:
    for name in NAMES:
        for each in (policy.default, policy.SMTP, policy.SMTPUTF8):
            each.header_factory.map_to_type(name, RawHeader)
