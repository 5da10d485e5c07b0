"""A student's submission folder, read without ever following a link.

A submission must be the student's own folders and plain files. Anything else is a way to make the
teacher's collect (which runs as the teacher, and can read what students cannot) read or copy a
file the student never wrote: a symbolic link to the released notebook, to `source/` or to
`gradebook.db`; a hard link; a fifo that blocks the copy; a device. So every folder and file is
looked at with lstat (a link is seen as a link, not as what it points to), opened with O_NOFOLLOW,
and checked again on the open file (fstat) before a byte is copied: a student who swaps a file for
a link between the check and the copy gets refused, not read.

Hard links: a file with a second name (st_nlink > 1) is refused too. nbgrader's submit writes fresh
copies, so an honest submission never has one. The owner check already stops a hard link to
another person's file (it keeps that person as owner); refusing all of them costs honest students
nothing and keeps a file out whose content lives, and can change, somewhere else.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat

# No folder of an honest submission is this deep (nbgrader's is one or two); deeper ones are refused
# so the walk holds few open folders and never recurses without end.
MAX_DEPTH = 16
READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK  # NONBLOCK: a fifo cannot stall us
COPY_CHUNK = 1 << 20


class NotOwnFiles(Exception):
    """`path` (inside the submission, "" for the submission itself) is not the student's own folder or file."""

    def __init__(self, reason: str, path: str, owner_uid: int | None = None):
        super().__init__(f"{reason}: {path or '.'}")
        self.reason, self.path, self.owner_uid = reason, path, owner_uid


def check(info: os.stat_result, uid: int, path: str) -> None:
    """One folder or file, as lstat or fstat sees it."""
    if stat.S_ISLNK(info.st_mode):
        raise NotOwnFiles("link", path)
    if not path and not stat.S_ISDIR(info.st_mode):
        raise NotOwnFiles("not_folder", path)
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        raise NotOwnFiles("special", path)
    if info.st_uid != uid:
        raise NotOwnFiles("owner", path, info.st_uid)
    if stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
        raise NotOwnFiles("hard_link", path)


def open_checked(name: str, uid: int, path: str, dir_fd: int | None = None) -> tuple[int, os.stat_result]:
    """Open `name` (in dir_fd) only if it is `uid`'s own folder or plain file, the one lstat saw."""
    try:
        seen = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:  # gone since the folder was listed
        raise NotOwnFiles("unreadable", path) from None
    check(seen, uid, path)  # before opening: opening a device or fifo may already do something
    flags = READ_FLAGS | (os.O_DIRECTORY if stat.S_ISDIR(seen.st_mode) else 0)
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except OSError as error:  # ELOOP: it became a link since the lstat; ENOTDIR: it changed type
        swapped = error.errno in (errno.ELOOP, errno.ENOTDIR)
        raise NotOwnFiles("link" if swapped else "unreadable", path) from None
    opened = os.fstat(fd)
    if (opened.st_dev, opened.st_ino) != (seen.st_dev, seen.st_ino):
        os.close(fd)
        raise NotOwnFiles("link", path)  # swapped between the lstat and the open
    try:
        check(opened, uid, path)
    except NotOwnFiles:
        os.close(fd)
        raise
    return fd, opened


def check_own_files(top: str, uid: int) -> None:
    """Raise NotOwnFiles at the first thing in folder `top` (itself included) that is not `uid`'s own."""
    walk(top, None, uid, None)


def copy_own_files(top: str, dest: str, uid: int, ignore=None) -> None:
    """Copy folder `top` to the new folder `dest`, checking everything again as it is read; on NotOwnFiles
    `dest` is removed. `ignore(folder, names)` is shutil.copytree's (nbgrader's ignore patterns)."""
    try:
        walk(top, dest, uid, ignore)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise


def walk(top: str, dest: str | None, uid: int, ignore) -> None:
    fd, info = open_checked(top, uid, "")
    try:
        walk_folder(fd, info, top, "", dest, uid, ignore, depth=0)
    finally:
        os.close(fd)


def walk_folder(fd: int, info: os.stat_result, top: str, path: str, dest: str | None, uid: int, ignore,
                depth: int) -> None:
    if depth > MAX_DEPTH:
        raise NotOwnFiles("too_deep", path)
    if dest is not None:
        os.mkdir(dest, 0o700)
    try:
        names = sorted(os.listdir(fd))
    except OSError:  # a folder its owner closed to everybody (mode 000)
        raise NotOwnFiles("unreadable", path) from None
    skipped = set(ignore(os.path.join(top, path), names)) if ignore and dest is not None else set()
    for name in names:
        if name in skipped:
            continue
        inner = os.path.join(path, name)
        child, child_info = open_checked(name, uid, inner, dir_fd=fd)
        try:
            target = None if dest is None else os.path.join(dest, name)
            if stat.S_ISDIR(child_info.st_mode):
                walk_folder(child, child_info, top, inner, target, uid, ignore, depth + 1)
            elif target is not None:
                copy_file(child, child_info, target)
        finally:
            os.close(child)
    if dest is not None:
        keep_mode_and_times(dest, info)


def copy_file(fd: int, info: os.stat_result, target: str) -> None:
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600), "wb") as out:
        while chunk := os.read(fd, COPY_CHUNK):
            out.write(chunk)
    keep_mode_and_times(target, info)


def keep_mode_and_times(path: str, info: os.stat_result) -> None:
    """As shutil.copytree does, but never a set-user-id, set-group-id or sticky bit."""
    os.chmod(path, stat.S_IMODE(info.st_mode) & 0o777)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
