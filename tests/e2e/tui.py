"""Drive the azrepos-connect wizard in a pseudo-terminal, the way a person does.

The e2e tests (tests/e2e/wizard_*.sh) embed Python that imports this module:
pexpect spawns the binary on a pty, everything it writes goes into a
pyte screen (what a person sees) and a raw transcript (every byte), and the
helpers below send keys, wait for text and print TAP.
"""

import json
import os
import re
import shlex
import subprocess
import sys
import time

import pexpect
import pyte

# Keys as an xterm sends them. The arrows, Home and End depend on the cursor-key
# mode the program set (DECCKM, part of ncurses' keypad "smkx"): Tui.send()
# rewrites these CSI forms to "ESC O x" while that mode is on, as xterm does.
TAB = "\t"
ENTER = "\r"
ESC = "\x1b"
UP = "\x1b[A"
DOWN = "\x1b[B"
RIGHT = "\x1b[C"
LEFT = "\x1b[D"
SHIFT_TAB = "\x1b[Z"
F1 = "\x1bOP"
F2 = "\x1bOQ"
F5 = "\x1b[15~"
F10 = "\x1b[21~"
PGDN = "\x1b[6~"
PGUP = "\x1b[5~"
HOME = "\x1b[H"
END = "\x1b[F"
CTRL_C = "\x03"
CTRL_L = "\x0c"
CTRL_U = "\x15"
CTRL_X = "\x18"
CTRL_Z = "\x1a"
BACKSPACE = "\x7f"
SPACE = " "

DEFAULT_TIMEOUT = 15


def shell_words(cmd):
    """The words bash reads in cmd (shlex knows no backslash-newline), as bytes."""
    return subprocess.run(["bash", "-c", "printf '%s\\0' " + cmd], capture_output=True).stdout.split(b"\0")


def command_rows(t, lead):
    """The rows of the command under the row holding lead, as the screen shows them."""
    at = t.find(lead)
    rows = []
    for l in t.lines()[at + 1:] if at >= 0 else []:
        if not l.startswith("   ") or not l.strip():
            break
        rows.append(l.rstrip())
    return rows


class TuiTimeout(Exception):
    pass


DECCKM = 1 << 5  # how pyte keeps the private mode ?1 in Screen.mode


ALTSCREEN = 1049  # xterm's alternate screen (smcup/rmcup), saving the cursor


class _Screen(pyte.Screen):
    """pyte's screen plus what ncurses sends an xterm-256color and pyte 0.8 lacks:
    scroll up/down (indn "CSI n S", rin "CSI n T"), repeat (rep "CSI n b") and
    the alternate screen, so what is left on the shell's screen after the
    program ends is what a person sees there."""

    _last = ""
    _normal = None  # the shell's screen and cursor while the alternate one is up

    def set_mode(self, *modes, **kwargs):
        if kwargs.get("private") and ALTSCREEN in modes and self._normal is None:
            self._normal = ({y: dict(line) for y, line in self.buffer.items()},
                            (self.cursor.x, self.cursor.y))
            self.erase_in_display(2)
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes, **kwargs):
        if kwargs.get("private") and ALTSCREEN in modes and self._normal is not None:
            lines, (x, y) = self._normal
            self._normal = None
            self.erase_in_display(2)
            for row, line in lines.items():
                if row < self.lines:
                    self.buffer[row].update({col: ch for col, ch in line.items() if col < self.columns})
            self.cursor.x, self.cursor.y = min(x, self.columns - 1), min(y, self.lines - 1)
        super().reset_mode(*modes, **kwargs)

    def draw(self, data):
        if data:
            self._last = data[-1]
        super().draw(data)

    def repeat_char(self, count=1, *args, **kwargs):
        if self._last and not kwargs.get("private"):
            super().draw(self._last * max(1, count or 1))

    def _scroll(self, count, up):
        count = max(1, count or 1)
        top, _ = self.margins or pyte.screens.Margins(0, self.lines - 1)
        x, y = self.cursor.x, self.cursor.y
        self.cursor.y = top
        if up:
            self.delete_lines(count)
        else:
            self.insert_lines(count)
        self.cursor.x, self.cursor.y = x, y

    def scroll_up(self, count=1, *args, **kwargs):
        if not kwargs.get("private"):
            self._scroll(count, True)

    def scroll_down(self, count=1, *args, **kwargs):
        if not kwargs.get("private"):
            self._scroll(count, False)


class _Stream(pyte.ByteStream):
    csi = dict(pyte.ByteStream.csi, S="scroll_up", T="scroll_down", b="repeat_char")


class Tap:
    """TAP output: ok lines, a plan at the end when none was given, the exit status."""

    def __init__(self, planned=None):
        self.n = 0
        self.failed = 0
        self.planned = planned
        self.tui = None  # the screen to dump when a check fails
        if planned is not None:
            print("1..%d" % planned, flush=True)

    def ok(self, cond, what, dump=True):
        self.n += 1
        print(("ok" if cond else "not ok") + " %d - %s" % (self.n, what), flush=True)
        if not cond:
            self.failed += 1
            if dump and self.tui is not None:
                self.tui.dump("screen when '%s' failed" % what)
        return cond

    def is_(self, got, expected, what):
        r = self.ok(got == expected, what)
        if not r:
            self.diag("got:      %r" % (got,))
            self.diag("expected: %r" % (expected,))
        return r

    def diag(self, text):
        for line in str(text).splitlines() or [""]:
            print("# " + line, flush=True)

    def bail(self, why):
        print("Bail out! " + why.splitlines()[0], flush=True)
        for line in why.splitlines()[1:]:
            print("# " + line, flush=True)
        sys.exit(1)

    def done(self):
        if self.planned is None:
            print("1..%d" % self.n, flush=True)
        elif self.n != self.planned:
            self.diag("planned %d checks, ran %d" % (self.planned, self.n))
            self.failed += 1
        sys.exit(1 if self.failed else 0)


class Tui:
    """The wizard on a pty of rows x cols, seen through pyte."""

    def __init__(self, argv, env=None, rows=24, cols=80, tap=None, timeout=DEFAULT_TIMEOUT):
        self.rows, self.cols = rows, cols
        self.tap = tap
        self.timeout = timeout
        e = dict(os.environ)
        e.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        e.pop("NO_COLOR", None)
        e.pop("ESCDELAY", None)
        if env:
            for k, v in env.items():
                if v is None:
                    e.pop(k, None)
                else:
                    e[k] = v
        self.screen = _Screen(cols, rows)
        self.stream = _Stream(self.screen)
        self.raw = bytearray()
        self.child = pexpect.spawn(argv[0], argv[1:], env=e, dimensions=(rows, cols),
                                   timeout=timeout, encoding=None)
        # pexpect sleeps 50 ms before each send (for programs that turn echo off late); the
        # wizard reads keys whenever they come, and the reads after each send do the waiting.
        self.child.delaybeforesend = None
        self.exitstatus = None
        self.signalstatus = None
        if tap is not None:
            tap.tui = self

    # ---- reading ----
    def pump(self, wait=0.05):
        """Read what the program wrote (waiting up to `wait` s for the first byte)."""
        got = False
        deadline = time.time() + wait
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=max(0.0, deadline - time.time()))
            except pexpect.TIMEOUT:
                break
            except pexpect.EOF:
                break
            if not data:
                break
            got = True
            self.raw += data
            self.stream.feed(data)
            deadline = time.time() + 0.02  # drain what follows at once
        return got

    def lines(self):
        # pyte's display renders the whole screen each time it is read: once here.
        return list(self.screen.display)

    def screen_text(self):
        return "\n".join(l.rstrip() for l in self.lines())

    def line(self, row):
        return self.lines()[row]

    def find(self, text):
        """The first row holding text, or -1."""
        for r, l in enumerate(self.lines()):
            if text in l:
                return r
        return -1

    def has(self, text):
        return self.find(text) >= 0

    def box_words(self):
        """What the open box says, without its borders and without any white space: a long
        path it wraps (cut anywhere, or at a space) is found whole in it."""
        inner = [i for i in map(box_inner, self.lines()) if i is not None]
        return re.sub(r"\s", "", "".join(inner))

    def settle(self, quiet=0.15, limit=3.0):
        """Read until nothing came for `quiet` seconds."""
        end = time.time() + limit
        while time.time() < end:
            if not self.pump(quiet):
                return

    def wait_for(self, text, timeout=None, regex=False):
        """Poll until a line of the screen holds text (or matches the regex); returns its row.
        On timeout: the screen is dumped as TAP comments and TuiTimeout raised."""
        timeout = self.timeout if timeout is None else timeout
        end = time.time() + timeout
        pat = re.compile(text) if regex else None
        while True:
            for r, l in enumerate(self.lines()):
                if (pat.search(l) if pat else text in l):
                    self.settle(0.05, 0.5)
                    return r
            if time.time() >= end:
                self.dump("timed out after %gs waiting for %r" % (timeout, text))
                raise TuiTimeout("waiting for %r" % text)
            if not self.child.isalive() and not self.pump(0.05):
                self.dump("the program ended while waiting for %r" % text)
                raise TuiTimeout("ended while waiting for %r" % text)
            self.pump(0.1)

    def appears(self, text, timeout=None):
        """Does text show within timeout (a slow machine's answer to a big paste)? No dump."""
        end = time.time() + (self.timeout if timeout is None else timeout)
        while not self.has(text):
            if time.time() >= end:
                return False
            self.pump(0.1)
        return True

    def wait_gone(self, text, timeout=None):
        timeout = self.timeout if timeout is None else timeout
        end = time.time() + timeout
        while self.has(text):
            if time.time() >= end:
                self.dump("timed out waiting for %r to go" % text)
                raise TuiTimeout("waiting for %r to go" % text)
            self.pump(0.1)

    def dump(self, why=""):
        if why:
            print("# --- %s" % why)
        print("# +" + "-" * self.screen.columns + "+")
        for r, l in enumerate(self.lines()):
            print("# |%s| %2d" % (l, r))
        print("# +" + "-" * self.screen.columns + "+", flush=True)

    # ---- keys ----
    def send(self, keys, wait=0.1):
        """Send keys; an Esc alone or at the end needs the terminal's ESCDELAY to pass."""
        if isinstance(keys, str):
            keys = keys.encode("utf-8")
        if DECCKM in self.screen.mode:
            keys = re.sub(rb"\x1b\[([ABCDHF])", lambda m: b"\x1bO" + m.group(1), keys)
        self.child.send(keys)
        if keys.endswith(b"\x1b"):
            wait = max(wait, 0.3)
        self.pump(wait)
        self.settle(0.1, 1.0)

    def key(self, k, times=1):
        for _ in range(times):
            self.send(k)

    def type(self, text):
        """Type text as keystrokes, a few characters at a time."""
        for i in range(0, len(text), 8):
            self.child.send(text[i:i + 8].encode("utf-8"))
            self.pump(0.02)
        self.settle(0.1, 1.0)

    def paste(self, text):
        """A bracketed paste (the terminal wraps the text in ESC[200~ ... ESC[201~)."""
        if isinstance(text, str):
            text = text.encode("utf-8")
        self.child.send(b"\x1b[200~" + text + b"\x1b[201~")
        self.settle(0.15, 2.0)

    # ---- the terminal ----
    def resize(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)
        self.settle(0.2, 2.0)

    def quit(self):
        """Ctrl-C, confirmed: returns the exit status (5)."""
        self.send(CTRL_C)
        self.wait_for("Quit without saving")
        self.send("y")
        return self.wait_exit()

    def wait_exit(self, timeout=None):
        """Wait for the program to end; returns its exit status (None if killed by a signal)."""
        timeout = self.timeout if timeout is None else timeout
        end = time.time() + timeout
        while self.child.isalive() and time.time() < end:
            self.pump(0.1)
        self.pump(0.1)
        if self.child.isalive():
            self.dump("the program did not end within %gs" % timeout)
            self.child.terminate(force=True)
            raise TuiTimeout("no exit")
        try:
            rest = self.child.read()
        except Exception:
            rest = b""
        if rest:
            self.raw += rest
            self.stream.feed(rest)
        self.child.close()
        self.exitstatus = self.child.exitstatus
        self.signalstatus = self.child.signalstatus
        return self.exitstatus

    def __enter__(self):
        return self

    def __exit__(self, kind, err, tb):
        """A scenario written as 'with Tui(...) as t:' ends with its program
        stopped. One that timed out fails the test (the checks it did not reach
        are not counted: the plan alone would not always tell), said in a
        diagnostic; the checks after it still run."""
        self.close()
        if kind is not None and issubclass(kind, TuiTimeout):
            if self.tap:
                self.tap.diag("stopped: %s" % err)
                self.tap.failed += 1
            return True
        return False

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)
        try:
            self.child.close()
        except Exception:
            pass

    # ---- looking at a form page ----
    def focused_row(self):
        """The row whose column 0 holds the focus mark, or -1."""
        for r, l in enumerate(self.lines()):
            if l[:1] in ("›", ">") and r > 2:
                return r
        return -1

    def focused_label(self):
        r = self.focused_row()
        return self.line(r)[2:31].strip() if r >= 0 else None

    def field_row(self, label):
        """The row of the field whose label (at column 2) is exactly label (with or without ' *')."""
        for r, l in enumerate(self.lines()):
            if r < 3 or r > self.screen.lines - 3:
                continue
            lab = l[2:31].rstrip()
            if lab == label or lab == label + " *":
                return r
        return -1

    def value(self, label):
        """The value shown for a field (columns 31 on), or None when the field is not shown."""
        r = self.field_row(label)
        return self.line(r)[31:].rstrip() if r >= 0 else None

    def shows(self, label, text):
        """Is the field showing text: whole, or (not being edited) its start cut with '…', or (in
        focus, the cursor at its end) its end after '…'."""
        v = self.value(label)
        if v is None:
            return False
        return v == text or (v.endswith("\u2026") and len(v) > 1 and text.startswith(v[:-1])) or \
            (v.startswith("\u2026") and len(v) > 1 and text.endswith(v[1:]))

    def message(self, label):
        """The message rows under a field (column 31 on, label column empty; one too long for
        its rows there takes the page's width from column 6, past a store id's label), joined."""
        r = self.field_row(label)
        if r < 0:
            return None
        out = []
        for rr in range(r + 1, self.screen.lines - 4):
            l = self.line(rr)
            if l[:6].strip() or not l.strip():
                break
            out.append(l.strip())
        return " ".join(out)

    def finish(self, done, probe, what):
        """On the test page: `done` shows, `probe` passed; Enter quits with exit status 0."""
        self.wait_for(done, 40)
        self.tap.ok(self.has("OK      " + probe), "%s: the %s probe passes" % (what, probe))
        self.send(ENTER)
        self.tap.is_(self.wait_exit(), 0, "%s: Enter quits with exit status 0" % what)

    def to_details(self, name, ssh=False):
        """From a blank Overview page: the name typed, then Details with URL type Repository
        (and SSH when ssh) chosen."""
        self.wait_for("Name *")
        self.type(name)
        self.send(PGDN)
        self.wait_for("URL type *")
        self.send(RIGHT)
        self.send(RIGHT)
        if ssh:
            self.focus("Connection type")
            self.send(RIGHT)

    def to_credentials(self, name, url, ssh=False):
        """to_details, then url typed: on the Credentials page."""
        self.to_details(name, ssh)
        self.focus("URL")
        self.type(url)
        self.send(PGDN)
        self.wait_for("Harness secret scope *")

    def to_token(self, label="Personal Access Token"):
        """From the Overview page to the Personal Access Token (or the field labelled `label` on
        the Credentials page), focused."""
        self.wait_for("Name *")
        self.send(PGDN)
        self.wait_for("URL type *")
        self.send(PGDN)
        self.wait_for(label + " *")
        self.focus(label)

    def to_test(self):
        """F10, then Enter on the review: the connection test starts."""
        self.send(F10)
        self.wait_for("Check the values")
        self.send(ENTER)

    def focus(self, label, limit=30):
        """Tab until the field labelled `label` has the focus."""
        for _ in range(limit):
            if self.focused_label() in (label, label + " *"):
                return True
            self.send(TAB)
        self.dump("could not focus %r" % label)
        return False

    def page_title(self):
        """The step shown as current: the one drawn in the focus style on row 1."""
        return self.line(1)


def box_inner(line):
    """A row of the open box between its borders (the page's text beside it left out), or
    None: no box on that row."""
    bar = "│" if line.count("│") >= 2 else "|" if line.count("|") >= 2 else None
    return line[line.find(bar) + 1:line.rfind(bar)] if bar else None


# ---- the test set-up shared by the wizard_*.sh tests ----
def context():
    """The binary (first argument), the test's temporary folder and the local servers' settings."""
    return sys.argv[1], os.environ["tap_tmp"], azf_env()


def azf_env():
    """The AZF_* settings of the fixture servers started by tap_fixtures ($tap_tmp/fix/env)."""
    env = {}
    path = os.path.join(os.environ["tap_tmp"], "fix", "env")
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                if len(v) >= 2 and v[0] == v[-1] == "'":
                    v = v[1:-1].replace("'\\''", "'")
                env[k] = v
    return env


def keyed_home(binary, tmp):
    """A --home with its store unlocked by a key file: (home, the command's first words).
    Its name has a space and a quote: every file the program makes there must cope."""
    home = os.path.join(tmp, "home of it's")
    return home, [binary, "--home", home, "--key-file", key_file(os.path.join(tmp, "store.key"))]


def key_file(path):
    """A 32-byte store key file, mode 0600 (unlocks the store without a passphrase)."""
    with open(path, "wb") as f:
        f.write(os.urandom(32))
    os.chmod(path, 0o600)
    return path


# ---- strace: what the program's processes read, write, send and execute ----
TRACE_READS = ("read", "readv", "pread64")
TRACE_WRITES = ("write", "writev", "pwrite64", "pwritev", "pwritev2", "sendto", "sendmsg", "sendmmsg", "execve")


def strace_argv(trace):
    """The words that run a command under strace into the file trace: every process, every
    byte of the calls above in hex (as \\xHH). LeakSanitizer cannot work under ptrace: off
    there (a sanitizer build), the untraced runs look for leaks."""
    asan = os.environ.get("ASAN_OPTIONS")
    return ["env", "ASAN_OPTIONS=%sdetect_leaks=0" % (asan + ":" if asan else ""),
            "strace", "-f", "-qq", "-s", "4194304", "-xx", "-e", "signal=none",
            "-e", "trace=" + ",".join(TRACE_READS + TRACE_WRITES), "-o", trace]


def pieces(data, n=16):
    """Every run of n bytes of data (all of it when shorter): a secret cut short still leaks."""
    return {data[i:i + n] for i in range(max(1, len(data) - n + 1))}


def traced_calls(trace, data, calls):
    """The lines of trace (cut short) where one of the calls named has 16 bytes in a row of data."""
    needles = ["".join("\\x%02x" % b for b in p) for p in pieces(data)]
    names = "|".join(calls)
    call = re.compile(r"^\d+ +(%s)\(|<\.\.\. (%s) resumed>" % (names, names))
    with open(trace, errors="replace") as f:
        return [l[:160] for l in f if call.search(l) and any(n in l for n in needles)]


def traced_bytes(trace, calls):
    """All the bytes of the calls named (read or write kinds, one buffer each) in trace, one after
    the other: a terminal is read a byte at a time, and a text may be written in pieces."""
    names = "|".join(calls)
    got = re.compile(r'(?:^\d+ +(?:%s)\(\d+, |<\.\.\. (?:%s) resumed> )"((?:\\x[0-9a-f]{2})*)"' % (names, names))
    out = bytearray()
    with open(trace, errors="replace") as f:
        for l in f:
            m = got.search(l)
            if m:
                out += bytes.fromhex(m.group(1).replace("\\x", ""))
    return bytes(out)


def run_printed(t, binary, what="for Harness", cwd=None):
    """Run the command the wizard printed at its end on the line after '<what>:' (indented:
    '  azrepos-connect ...') as a shell in cwd would read it: the CompletedProcess (of 'false'
    when none was printed)."""
    after = bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1]
    hint = re.search(re.escape(what.encode()) + rb":\r?\n  (azrepos-connect [^\r\n]*)", after)
    argv = [binary] + shlex.split(hint.group(1).decode())[1:] if hint else ["false"]
    return subprocess.run(argv, capture_output=True, text=True, cwd=cwd)


def new_http(base, azf, name, *more):
    """`new --non-interactive` of an HTTP Repository connector on the local servers (its token
    stored as '<name>-token'); more: further options. Returns the CompletedProcess."""
    return subprocess.run(base + ["new", "--non-interactive", "--name", name, "--url-type", "repo",
                                  "--url", azf["AZF_REPO_URL"], "--username", azf["AZF_USER"],
                                  "--token-file", azf["AZF_TOKEN_FILE"]] + list(more),
                          capture_output=True, text=True)


def files_under(top):
    """Every regular file below top (paths)."""
    out = []
    for d, _, names in os.walk(top):
        for n in names:
            p = os.path.join(d, n)
            if os.path.isfile(p):
                out.append(p)
    return sorted(out)


def any_file_holds(top, needle):
    """The files below top whose bytes contain needle (bytes)."""
    hits = []
    for p in files_under(top):
        with open(p, "rb") as f:
            if needle in f.read():
                hits.append(p)
    return hits


def read_draft(home, tap):
    """The draft the wizard kept in home, as JSON: {} when there is none to read (said as a diag)."""
    try:
        with open(os.path.join(home, "draft.json")) as f:
            return json.load(f)
    except Exception as e:
        tap.diag("draft: %s" % e)
        return {}
