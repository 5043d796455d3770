"""Zip entries that depend on nothing but their name and bytes, so two builds of the same
inputs are byte-identical (and the service worker offers no "new version" for a rebuild).

A zip entry written from a file takes the file's modification time and mode, and the host's
system code: a fresh checkout, another umask or another machine would give another zip."""

import zipfile

# The earliest date a zip can hold (MS-DOS time), as reproducible-builds.org suggests.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def add(archive, name, data, compress_type=zipfile.ZIP_STORED):
    """Write data to archive as `name`, with a fixed date, mode (rw-r--r--) and system (Unix)."""
    entry = zipfile.ZipInfo(name, FIXED_DATE)
    entry.create_system = 3
    entry.external_attr = 0o100644 << 16
    entry.compress_type = compress_type
    archive.writestr(entry, data)
