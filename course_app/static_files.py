"""Static files under fingerprinted names (css/app.3f2a1b9c0d12.css) with a one-year cache.

`asset("css/app.css")` gives the URL. The name carries a hash of the content, so a new release
gets new URLs and nothing stale is served from a browser or proxy cache; proxies that ignore
query strings cache these too. In a stylesheet, relative `url(...)` references (the fonts) are
rewritten to their own fingerprinted names, and the stylesheet's hash covers them. CSS, JS and
SVG are sent gzip-compressed when the browser accepts it (these files hold no secret, so
compression leaks nothing). Unfingerprinted `/static/...` URLs keep working with revalidation.
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for
from werkzeug.security import safe_join

STATIC = Path(__file__).parent / "static"
HASH_LENGTH = 12
FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<ext>\.[A-Za-z0-9]+)$")
CSS_URL = re.compile(r"""url\((?P<quote>["']?)(?P<ref>[^"')]+)(?P=quote)\)""")
COMPRESSIBLE = {".css", ".js", ".svg", ".txt", ".json"}
LONG_CACHE = "public, max-age=31536000, immutable"
MIMETYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
             ".svg": "image/svg+xml", ".woff2": "font/woff2", ".txt": "text/plain; charset=utf-8",
             ".json": "application/json", ".png": "image/png", ".ico": "image/x-icon"}


@dataclass(frozen=True)
class BuiltAsset:
    body: bytes
    digest: str
    gzipped: bytes | None


def _static_path(filename: str) -> Path | None:
    joined = safe_join(str(STATIC), filename)
    return Path(joined) if joined and Path(joined).is_file() else None


def _rewrite_css(filename: str, text: str) -> str:
    folder = posixpath.dirname(filename)

    def fingerprint(match: re.Match[str]) -> str:
        ref = match.group("ref")
        if ref.startswith(("data:", "http:", "https:", "/", "#")):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(folder, ref))
        if _static_path(target) is None:
            return match.group(0)
        relative = posixpath.relpath(fingerprinted_name(target), folder or ".")
        return f'url("{relative}")'

    return CSS_URL.sub(fingerprint, text)


@lru_cache(maxsize=512)
def _build(filename: str, _mtime_ns: int) -> BuiltAsset:
    path = STATIC / filename
    body = path.read_bytes()
    if path.suffix == ".css":
        body = _rewrite_css(filename, body.decode("utf-8")).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
    gzipped = gzip.compress(body, 9, mtime=0) if path.suffix in COMPRESSIBLE else None
    return BuiltAsset(body, digest, gzipped)


def built(filename: str) -> BuiltAsset | None:
    path = _static_path(filename)
    if path is None:
        return None
    # Keyed by modification time: an edited file gets a new hash without a restart.
    return _build(path.relative_to(STATIC).as_posix(), path.stat().st_mtime_ns)


def fingerprinted_name(filename: str) -> str:
    found = built(filename)
    if found is None:
        return filename
    stem, ext = posixpath.splitext(filename)
    return f"{stem}.{found.digest}{ext}"


_ASSET_URLS: dict[tuple[str, str], str] = {}


def asset(filename: str) -> str:
    """The fingerprinted URL of a static file. Outside debug mode the files cannot change under
    a running server, so each URL is built once: the file checks behind it (six per page) were
    a tenth of a small page's time."""
    if current_app.debug:
        return url_for("static", filename=fingerprinted_name(filename))
    key = (filename, request.script_root)
    url = _ASSET_URLS.get(key)
    if url is None:
        url = _ASSET_URLS[key] = url_for("static", filename=fingerprinted_name(filename))
    return url


def _fingerprinted_response(match: re.Match[str]) -> Response | None:
    original = match.group("stem") + match.group("ext")
    found = built(original)
    if found is None:
        return None
    use_gzip = found.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(found.gzipped if use_gzip else found.body,
                        mimetype=MIMETYPES.get(match.group("ext"), "application/octet-stream"))
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(found.digest + ("-gz" if use_gzip else ""))
    # An outdated hash (a page cached before a release) still gets the file, but not for a year.
    fresh = found.digest == match.group("hash")
    response.headers["Cache-Control"] = LONG_CACHE if fresh else "public, max-age=300"
    return response.make_conditional(request)


def serve_static(filename: str) -> Response:
    match = FINGERPRINTED.match(filename)
    response = _fingerprinted_response(match) if match else None
    if response is not None:
        return response
    return current_app.send_static_file(filename)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(asset=asset)
    app.view_functions["static"] = serve_static
