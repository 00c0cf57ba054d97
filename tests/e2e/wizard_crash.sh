# e2e: the wizard crashed by a stack overflow still gives the terminal back. Its SIGSEGV has
# no stack left to run a handler on: the handler has a stack of its own (sigaltstack). gdb
# makes the overflow: it stops the wizard waiting for a key, points its stack at an unmapped
# page, and lets it go on; the next key makes it return through that stack.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
/usr/bin/python3 -c 'import pexpect, pyte' 2>/dev/null || skip_all "python3-pexpect or python3-pyte is not installed"
command -v gdb >/dev/null 2>&1 || skip_all "gdb is not installed (tools/install-deps installs it)"
# A container may forbid ptrace (seccomp, kernel.yama.ptrace_scope=3): then no debugger can run here.
gdb -q -nx -batch -ex run --args /bin/true 2>&1 | grep -q 'exited normally' ||
	skip_all "gdb cannot run a program here (ptrace not permitted)"
export tap_tmp
PYTHONPATH="$top_srcdir/tests/e2e" /usr/bin/python3 - "${AZREPOS_CONNECT:?}" <<'PY'
import os, signal, subprocess, sys, time
from tui import *

binary, tmp = sys.argv[1], os.environ["tap_tmp"]
tap = Tap(4)

def wait_raw(t, text, timeout=30):
    """Poll until the bytes the terminal got hold text (gdb's lines are not the wizard's screen)."""
    end = time.time() + timeout
    while text not in bytes(t.raw) and time.time() < end and (t.child.isalive() or t.pump(0.05)):
        t.pump(0.1)
    return text in bytes(t.raw)

gdb = ["gdb", "-q", "-nx", "-batch", "-ex", "set pagination off", "-ex", "set startup-with-shell off",
       "-ex", "handle SIGSEGV nostop noprint pass", "-ex", "handle SIGINT stop print nopass",
       "-ex", "run", "-ex", "set $sp = 16", "-ex", "continue",
       "--args", binary, "--home", os.path.join(tmp, "home"), "new"]
with Tui(gdb, tap=tap, timeout=60) as t:
    t.wait_for("Name *")
    t.type("x")
    pid = None
    for _ in range(50):
        out = subprocess.run(["pgrep", "-P", str(t.child.pid)], capture_output=True, text=True).stdout.split()
        if out:
            pid = int(out[0])
            break
        time.sleep(0.1)
    tap.ok(pid is not None, "the wizard runs under gdb (its pid found)")
    if pid:
        os.kill(pid, signal.SIGINT)
    tap.ok(wait_raw(t, b"Program received signal SIGINT"), "gdb stopped it waiting for a key")
    t.send("y")
    tap.ok(wait_raw(t, b"Program terminated with signal SIGSEGV"), "a key: it returns through the bad stack, and dies by SIGSEGV")
    after = bytes(t.raw).split(b"Program received signal SIGINT", 1)[-1].split(b"Program terminated", 1)[0]
    tap.ok(b"\x1b[?2004l" in after and b"\x1b[?1049l" in after,
           "... after bracketed paste off and the main screen back, from its handler")
    t.wait_exit()
tap.done()
PY
