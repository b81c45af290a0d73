"""Runs Ralph's LRS (ralph.api:app) with its file backend, as the test's real LRS.

One change to Ralph: its file backend's default write mode is "create", so the LRS stores the
first POST and refuses every later one ("fs_lrs.jsonl already exists"); the tests need many, so
the file backend appends instead. Everything else (authentication, statement validation,
duplicate ids, the GET API) is Ralph's own."""

from __future__ import annotations

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
