"""Saving answers from a page that may be out of date (a second tab, a phone and a PC).

A page remembers, per question, a digest of the answer it showed. When it posts, each
question's posted answer is compared with what the page showed and with what is saved now:
- posted == shown: the page did not change it; whatever is saved now stays (it may be newer);
- saved now == shown: only this page changed it; the posted answer is written;
- both differ (and differ from each other): both changed it; nothing is written, the question
  is a conflict and the trainee chooses.
A posted answer equal to the saved one is never a conflict. Without digests (an API client,
a page of an older release) every posted answer is written, as before."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any


def digest(response: Any) -> str:
    """A short fingerprint of a response (None included), stable across processes."""
    text = json.dumps(response, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Merged:
    write: dict[str, Any] = field(default_factory=dict)  # responses to store
    kept: set[str] = field(default_factory=set)  # unchanged by the page: the saved one stays
    conflicts: dict[str, Any] = field(default_factory=dict)  # key -> the saved response


def merge(saved: Mapping[str, Any], posted: Mapping[str, Any],
          shown: Mapping[str, str] | None, keep_saved: Collection[str] = ()) -> Merged:
    """What to store of `posted` (responses by question key) over `saved`; `shown`: the
    digests the page was built with, None when the page sent none; `keep_saved`: questions
    whose saved answer the trainee chose over the page's."""
    result = Merged()
    for key, response in posted.items():
        now = saved.get(key)
        if key in keep_saved:
            result.kept.add(key)
        elif response == now:
            continue
        elif shown is None or key not in shown:
            result.write[key] = response
        elif digest(response) == shown[key]:
            result.kept.add(key)
        elif digest(now) == shown[key]:
            result.write[key] = response
        else:
            result.conflicts[key] = now
    return result
