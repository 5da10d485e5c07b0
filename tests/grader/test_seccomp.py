"""seccomp.py: the filter's decisions, read by a small classic-BPF interpreter (what the Linux kernel does
with it is tests/sandbox/test_sandbox.py: a sandboxed kernel cannot make a user namespace)."""

import struct

import pytest

from smiley_grader.seccomp import ALLOW, ARCHITECTURES, CLONE_NEWUSER, ENOSYS, EPERM, ERRNO, user_namespace_filter

CLONE_THREAD_FLAGS = 0x3D0F00  # what pthread_create passes to clone()
CLONE_NEWNS = 0x00020000


def run(program: bytes, arch: int, nr: int, first_argument: int = 0) -> int:
    """Run a seccomp filter on one system call (only the instructions seccomp.py uses)."""
    data = struct.pack("=iIQ6Q", nr, arch, 0, first_argument, 0, 0, 0, 0, 0)
    code = [struct.unpack("=HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]
    pc, accumulator = 0, 0
    while True:
        op, true, false, k = code[pc]
        if op == 0x20:
            accumulator = struct.unpack_from("=I", data, k)[0]
            pc += 1
        elif op in (0x15, 0x35, 0x45):
            hit = {0x15: accumulator == k, 0x35: accumulator >= k, 0x45: bool(accumulator & k)}[op]
            pc += 1 + (true if hit else false)
        elif op == 0x06:
            return k
        else:
            raise AssertionError(f"unknown instruction {op:#x}")


@pytest.mark.parametrize("machine", sorted(ARCHITECTURES))
def test_no_user_namespace_but_threads_processes_and_the_rest(machine):
    arch, unshare, clone, clone3 = ARCHITECTURES[machine]
    program = user_namespace_filter(machine)
    assert run(program, arch, unshare, CLONE_NEWUSER) == ERRNO | EPERM
    assert run(program, arch, unshare, CLONE_NEWUSER | CLONE_NEWNS) == ERRNO | EPERM
    assert run(program, arch, clone, CLONE_NEWUSER | 17) == ERRNO | EPERM
    assert run(program, arch, clone3) == ERRNO | ENOSYS  # the C library falls back to clone()
    assert run(program, arch, clone, CLONE_THREAD_FLAGS) == ALLOW
    assert run(program, arch, clone, 17) == ALLOW  # fork: SIGCHLD
    assert run(program, arch, unshare, CLONE_NEWNS) == ALLOW  # refused by the kernel anyway: no CAP_SYS_ADMIN
    assert run(program, arch, 0) == ALLOW and run(program, arch, 1) == ALLOW


def test_other_abis_are_refused():
    arch, unshare, *_ = ARCHITECTURES["x86_64"]
    program = user_namespace_filter("x86_64")
    assert run(program, 0x40000003, 310, CLONE_NEWUSER) == ERRNO | EPERM  # i386's unshare
    assert run(program, 0x40000003, 20) == ERRNO | EPERM  # any 32-bit call
    assert run(program, arch, 0x40000000 | unshare, CLONE_NEWUSER) == ERRNO | EPERM  # x32


def test_an_unknown_machine_gets_no_filter():
    assert user_namespace_filter("riscv64") is None
