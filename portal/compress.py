"""Precompressed copies for the web server: `name.gz` beside each text file, which nginx sends
as it is (`gzip_static on`, deploy/nginx.conf) instead of compressing every response.

ISA-L's gzip (the `isal` package) at its level 1 compresses this site's 11 MB of text about
14 times faster than zlib's default level 6, for files about 13 % larger (measured on the
built site): the copies cost the build a few percent instead of a tenth of its time.
"""
from __future__ import annotations

from isal import igzip

SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".geojson", ".webmanifest")
MIN_SIZE = 512   # below this a compressed copy saves less than the headers of a response
LEVEL = 1


def compressible(rel: str, data: bytes | None) -> bool:
    return data is not None and rel.endswith(SUFFIXES) and len(data) >= MIN_SIZE


def gzipped(files: dict[str, bytes | None]) -> dict[str, bytes]:
    """{name + '.gz': gzip of the file} for each compressible file. The header carries no name
    and no time, so the same file always gives the same bytes (a rebuild rewrites no copy)."""
    return {rel + ".gz": igzip.compress(data, LEVEL, mtime=0) for rel, data in files.items() if compressible(rel, data)}
