"""A seccomp filter for the sandbox: no process inside may make a user namespace.

In a user namespace of its own a process has every capability again, so it could mount a tmpfs
without a size limit and fill the machine's memory past every limit of the sandbox (tried: a
12 GB tmpfs from a sandboxed kernel, 2026-12-04). bwrap's --disable-userns would do the same, but
it puts the sandbox in a nested user namespace that cannot mount the sandbox's own tmpfs folders
(sandbox.py mounts them with a limit on their number of files). So bwrap loads this filter
(`--seccomp FD`) instead: unshare() and clone() with CLONE_NEWUSER fail with EPERM, clone3() with
ENOSYS (its flags are in memory a filter cannot read; the C library then falls back to clone()),
and a system call of another ABI (32-bit, x32) fails with EPERM. Flatpak filters the same calls.

    program = user_namespace_filter()      # bytes for bwrap, or None on an architecture we do not know
"""

from __future__ import annotations

import platform
import struct

# linux/audit.h and the system call numbers per architecture: (audit arch, unshare, clone, clone3).
ARCHITECTURES = {
    "x86_64": (0xC000003E, 272, 56, 435),
    "aarch64": (0xC00000B7, 97, 220, 435),
}
CLONE_NEWUSER = 0x10000000
X32_BIT = 0x40000000  # x86_64's x32 ABI marks its system call numbers with this bit
EPERM, ENOSYS = 1, 38
# Classic BPF (linux/filter.h, linux/seccomp.h).
LOAD_WORD = 0x20  # BPF_LD | BPF_W | BPF_ABS
JUMP_EQUAL, JUMP_AT_LEAST, JUMP_ANY_BIT = 0x15, 0x35, 0x45  # BPF_JMP | BPF_JEQ/JGE/JSET | BPF_K
RETURN = 0x06  # BPF_RET | BPF_K
ALLOW = 0x7FFF0000
ERRNO = 0x00050000
# struct seccomp_data: nr at 0, arch at 4, the low half of args[0] at 16 (little-endian machines).
NR, ARCH, FIRST_ARGUMENT = 0, 4, 16


def instruction(code: int, k: int, true: int = 0, false: int = 0) -> bytes:
    return struct.pack("=HBBI", code, true, false, k)


def user_namespace_filter(machine: str | None = None) -> bytes | None:
    known = ARCHITECTURES.get(machine or platform.machine())
    if known is None:
        return None
    arch, unshare, clone, clone3 = known
    # Jumps count the instructions to skip.
    return b"".join([
        instruction(LOAD_WORD, ARCH),
        instruction(JUMP_EQUAL, arch, 1, 0),
        instruction(RETURN, ERRNO | EPERM),           # another ABI
        instruction(LOAD_WORD, NR),
        instruction(JUMP_AT_LEAST, X32_BIT, 7, 0),    # -> deny
        instruction(JUMP_EQUAL, unshare, 3, 0),       # -> flags
        instruction(JUMP_EQUAL, clone, 2, 0),         # -> flags
        instruction(JUMP_EQUAL, clone3, 5, 0),        # -> no clone3
        instruction(RETURN, ALLOW),
        instruction(LOAD_WORD, FIRST_ARGUMENT),       # flags
        instruction(JUMP_ANY_BIT, CLONE_NEWUSER, 1, 0),
        instruction(RETURN, ALLOW),
        instruction(RETURN, ERRNO | EPERM),           # deny
        instruction(RETURN, ERRNO | ENOSYS),          # no clone3
    ])
