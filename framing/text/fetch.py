"""Fetch a web page or text over HTTP(S) and read it as a document.

Only http and https addresses are fetched, with a timeout and the same size limit
as a file; the content type decides how the body is read (a web page, Markdown or
plain text), and anything else (a PDF, an image) is refused with its type named.
"""

import re
from typing import TYPE_CHECKING

from framing.errors import InputError
from framing.text.document import Document, parse_document
from framing.text.read import DEFAULT_MAX_BYTES, decode, looks_binary

if TYPE_CHECKING:
    from email.message import Message

DEFAULT_TIMEOUT = 30.0
_URL = re.compile(r"\Ahttps?://[^\s/]+\S*\Z", re.IGNORECASE)
_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
}


def is_url(text: str) -> bool:
    """True when `text` is one http(s) address and nothing else."""
    return bool(_URL.match(text.strip()))


def _content_type(headers: "Message") -> tuple[str, str | None]:
    return headers.get_content_type(), headers.get_content_charset()


def fetch_document(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[Document, str | None]:
    """The document at `url` and an encoding warning (or None); InputError when
    it cannot be fetched, is too large, or is not a page or text."""
    # Imported here: urllib.request costs a tenth of classify's start-up, and
    # most arguments are text, not addresses.
    import http.client
    import urllib.error
    import urllib.request

    url = url.strip()
    if not is_url(url):
        raise InputError(f"{url} is not an http or https address")
    try:
        request = urllib.request.Request(
            url, headers={"User-Agent": "framing (research tool)", "Accept": "*/*"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type, charset = _content_type(response.headers)
            final_url = response.geturl()
            raw = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(
            f"{url}: the server answered {exc.code} {exc.reason}"
        ) from None
    except urllib.error.URLError as exc:
        raise InputError(f"{url}: could not fetch it ({exc.reason})") from None
    except TimeoutError:
        raise InputError(f"{url}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise InputError(f"{url}: could not fetch it ({exc})") from None
    except (ValueError, http.client.InvalidURL) as exc:  # [::1, a:b, a long name
        raise InputError(f"{url} is not a valid address ({exc})") from None
    if len(raw) > max_bytes:
        raise InputError(
            f"{url}: over the {max_bytes:,}-byte limit; raise it with --max-bytes"
        )
    fmt = _TYPES.get(content_type)
    if fmt is None:
        raise InputError(
            f"{url} is {content_type}, not a web page or text; save the article's "
            "text and use --file"
        )
    if not raw.strip():
        raise InputError(f"{url}: the page is empty")
    if looks_binary(raw):
        raise InputError(f"{url}: binary content, not text")
    warning = None
    try:
        text = raw.decode(charset) if charset else None
    except (LookupError, UnicodeDecodeError):
        text = None
    if text is None:
        text, warning = decode(raw)
    return parse_document(text, fmt, url=final_url), warning
