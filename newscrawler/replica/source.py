"""Records to serve: a folder in the archive layout, or the ``.tar.xz`` archive itself.

The archive is read as a stream, never unpacked to disk: each ``news/<Area>/<sha1>.md`` member
is parsed as it comes.
"""

from __future__ import annotations

import os
import tarfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from newscrawler.record import Article, iter_files, parse, read


def load_records(source: str | os.PathLike[str]) -> Iterator[Article]:
    """Every record under ``<source>/news/<Area>/``, or in a ``.tar.xz`` of that layout."""
    path = Path(source)
    if path.is_dir():
        if not (path / "news").is_dir():
            raise FileNotFoundError(f"{path} has no news/<Area>/*.md records")
        for file in iter_files(path):
            yield read(file)
    elif path.is_file() and path.name.endswith((".tar.xz", ".txz")):
        with tarfile.open(path, "r|xz") as tar:
            for member in tar:
                name = PurePosixPath(member.name)
                if member.isfile() and name.suffix == ".md" and "news" in name.parts[:-2]:
                    handle = tar.extractfile(member)
                    if handle is not None:
                        yield parse(handle.read().decode("utf-8"))
    else:
        raise FileNotFoundError(f"{path} is neither a folder of records nor a .tar.xz archive")
