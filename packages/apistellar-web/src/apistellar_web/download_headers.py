"""Header values of downloads: ``Content-Disposition``, ``Range``, HTTP dates and ETags.

The parsing and formatting :class:`~apistellar_web.downloads.FileResponse` needs, kept
apart from its streaming so each rule can be read (and tested) on its own.
"""

from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import quote

__all__ = [
    "MAX_RANGES",
    "content_disposition",
    "etag_matches",
    "http_date",
    "parse_http_date",
    "parse_ranges",
]

#: Most ranges one ``Range`` header may ask for; more and the header is ignored.
MAX_RANGES = 16


def content_disposition(filename: str, download: bool = True) -> str:
    """An RFC 6266 ``Content-Disposition`` value with an RFC 5987 ``filename*`` when needed."""
    kind = "attachment" if download else "inline"
    cleaned = (
        "".join(ch for ch in filename if ch >= " " and ch != "\x7f")
        .replace("/", "_")
        .replace("\\", "_")
    )
    ascii_name = cleaned.encode("ascii", "replace").decode("ascii").replace('"', "'")
    value = f'{kind}; filename="{ascii_name}"'
    if ascii_name != cleaned:
        value += f"; filename*=UTF-8''{quote(cleaned, safe='')}"
    return value


def parse_ranges(header: str, size: int, limit: int = MAX_RANGES) -> list[tuple[int, int]] | None:
    """Parse ``bytes=...`` into merged inclusive ``(start, end)`` pairs.

    Returns ``None`` when the header is malformed or asks for too many ranges (it is then
    ignored), and ``[]`` when no range is satisfiable (416).
    """
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or not spec.strip():
        return None
    pieces = spec.split(",")
    if len(pieces) > limit:
        return None
    ranges: list[tuple[int, int]] = []
    for piece in pieces:
        first, dash, last = piece.strip().partition("-")
        if not dash:
            return None
        try:
            if first == "":
                suffix = int(last)
                if suffix <= 0:
                    continue
                start, end = max(0, size - suffix), size - 1
            else:
                start = int(first)
                end = int(last) if last else max(start, size - 1)
                if start < 0 or end < start:
                    return None
        except ValueError:
            return None
        if start >= size:
            continue
        ranges.append((start, min(end, size - 1)))
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def http_date(moment: datetime) -> str:
    """``moment`` as an RFC 9110 date (``Tue, 01 Dec 2026 18:00:00 GMT``)."""
    return format_datetime(moment.astimezone(timezone.utc).replace(microsecond=0), usegmt=True)


def parse_http_date(text: str) -> datetime | None:
    """An RFC 9110 date as an aware ``datetime`` (UTC if it names no zone), ``None`` if invalid."""
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def etag_matches(header: str, etag: str) -> bool:
    """Whether an ``If-None-Match``/``If-Range`` value names ``etag`` (weak comparison)."""
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))
