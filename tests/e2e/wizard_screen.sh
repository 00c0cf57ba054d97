# e2e: how the wizard draws: --ascii (ASCII only, '*' masks), NO_COLOR (no
# colour escapes), F2 shows and hides a secret, Ctrl-L paints the screen
# again, and --dry-run writes nothing.
. "$top_srcdir/tests/e2e/wizard_lib.sh"
wizard_python <<'PY'
import json, os, re, sys
from tui import *

binary, tmp, azf = context()
token = open(azf["AZF_TOKEN_FILE"]).read()
tap = Tap(46)
# SGR sequences that set a colour (30-38, 40-48, 90-97, 100-107); 39/49 only reset it.
COLOUR_SGR = re.compile(rb"\x1b\[([0-9;]*)m")

def colour_sgrs(raw):
    out = []
    for m in COLOUR_SGR.finditer(raw):
        for p in m.group(1).split(b";"):
            if p and (30 <= int(p) <= 38 or 40 <= int(p) <= 48 or 90 <= int(p) <= 107):
                out.append(m.group(0))
                break
    return out

def to_credentials(t, name):
    """Overview and Details filled (HTTP Repository URL of the fixtures): on Credentials."""
    t.wait_for("Name *")
    t.type(name)
    t.key(ENTER, 5)
    t.wait_for("URL type *")
    t.key(RIGHT, 2)
    t.focus("URL")
    t.type(azf["AZF_REPO_URL"])
    t.send(ENTER)
    t.wait_for("Username *")
    t.type(azf["AZF_USER"])
    t.send(TAB)
    t.paste(token)

def non_ascii_on_screen(t):
    return sorted({ch for l in t.lines() for ch in l if ord(ch) >= 0x80})

# ---- --ascii ----
home = os.path.join(tmp, "ascii")
seen = set()
with Tui([binary, "--home", home, "new", "--ascii", "--dry-run"], tap=tap) as t:
    t.wait_for("Name *")
    seen.update(non_ascii_on_screen(t))
    tap.ok(t.has("Overview > Details > Credentials") and t.line(2).strip("-") == "",
           "--ascii: '>' between the steps, a line of '-'")
    tap.ok(t.value("Scope").startswith("(*) Account"), "--ascii: the chosen option is (*)")
    tap.ok(t.focused_row() > 0 and t.line(t.focused_row())[0] == ">", "--ascii: the focus mark is '>'")
    t.type("x" * 60)
    tap.ok(t.value("Name").startswith("<"), "--ascii: a value scrolled past its start shows '<' (not the focus mark)")
    t.key(BACKSPACE, 60)
    to_credentials(t, "Plain")
    seen.update(non_ascii_on_screen(t))
    v = (t.value("Personal Access Token") or "").strip()
    tap.ok(len(v) >= 40 and set(v.lstrip("<")) == {"*"}, "--ascii: the token is masked with '*'")
    t.send(F1)
    t.wait_for("Any key closes")
    seen.update(non_ascii_on_screen(t))
    tap.ok(t.has("+") or t.has("|"), "--ascii: the help box is drawn with ASCII")
    tap.is_(t.line(23).strip(), "", "a box up: the page's keys, which do not work then, are not shown")
    t.send(" ")
    t.wait_gone("Any key closes")
    tap.ok("F1 help" in t.line(23), "the box closed: the page's keys are back")
    t.send(F10)
    t.wait_for("Check the values")
    seen.update(non_ascii_on_screen(t))
    tap.ok(t.has("**** (new, kept as 'plain-token')"), "--ascii: the review shows the token as ****")
    t.send(PGDN)
    tap.ok(any(l.split() == ["Harness", "secret", "scope", "Account:", "account.plain-token"] for l in t.lines()),
           "the review gives the secret scope with the reference Harness will be given (account.<store id>)")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    seen.update(non_ascii_on_screen(t))
    t.send("y")
    t.wait_exit()
tap.is_(sorted(seen), [], "--ascii: no character outside ASCII on any screen")
hi = sorted({b for b in bytes(t.raw) if b >= 0x80})
tap.is_(hi, [], "--ascii: no byte >= 0x80 in what was written to the terminal")

# ---- colours, and NO_COLOR ----
def colour_run(env, tag):
    with Tui([binary, "--home", os.path.join(tmp, tag), "new", "--dry-run"], env=env, tap=tap) as t:
        t.wait_for("Name *")
        t.type(" bad")
        t.send(TAB)  # an error message (red when colours are on)
        t.quit()
    return t

t = colour_run(None, "colour")
tap.ok(len(colour_sgrs(bytes(t.raw))) > 0, "without NO_COLOR the wizard uses colours (the check below can fail)")
t = colour_run({"NO_COLOR": "1"}, "nocolour")
bad = colour_sgrs(bytes(t.raw))
tap.is_(bad[:5], [], "NO_COLOR=1: no colour escape sequence in the transcript")
tap.ok(b"\x1b[7m" in bytes(t.raw) or re.search(rb"\x1b\[[0-9;]*7[;m]", bytes(t.raw)) is not None,
       "NO_COLOR=1: the focus is still visible (reverse video)")

# ---- F2 ----
home = os.path.join(tmp, "f2")
with Tui([binary, "--home", home, "new", "--dry-run"], tap=tap) as t:
    to_credentials(t, "Show")
    t.focus("Personal Access Token")
    v = t.value("Personal Access Token") or ""
    tap.ok(token[-20:] not in t.screen_text() and v.strip().lstrip("\u2026").startswith("••••"),
           "the token is masked at first")
    t.send(F2)
    v = t.value("Personal Access Token") or ""
    tap.ok(token[-20:] in v, "F2 shows the token")
    t.send(F2)
    v = t.value("Personal Access Token") or ""
    tap.ok(token[-20:] not in t.screen_text() and v.strip().lstrip("\u2026").startswith("••••"), "F2 again hides it")
    # Another program writes over the screen (wall): only Ctrl-L brings the page back.
    shown = t.screen_text()
    t.stream.feed(b"\x1b[2J\x1b[H\r\nBroadcast message from root (pts/1):\r\n\r\nThe system is going down\r\n")
    t.settle()
    tap.ok(t.has("Broadcast message") and not t.has("Personal Access Token"), "a wall message over the page")
    t.send(CTRL_L)
    t.settle()
    tap.ok(not t.has("Broadcast message"), "Ctrl-L: the message is gone")
    tap.is_(t.screen_text(), shown, "Ctrl-L: the page is painted again as it was, the token still masked")
    t.quit()

# ---- a form page taller than the screen says so at its foot, not under the field's help ----
with Tui([binary, "--home", os.path.join(tmp, "more"), "new", "--dry-run"], tap=tap) as t:
    t.to_credentials("More", "git@ssh.dev.azure.com:v3/contoso/Shop/ui", ssh=True)
    t.focus("SSH private key")
    t.type(os.path.join(tmp, "no-such-folder-" + "x" * 400, "id_rsa"))  # its message takes seven rows
    t.focus("Enable API access")
    t.send(SPACE)
    t.send(PGDN)  # refused: every message of the page shows, the last fields are below the screen
    r = t.find("↓ more")
    tap.ok(t.field_row("Harness secret scope") < 0 and r > 0 and not t.line(r)[:60].strip() and
           t.has(" An RSA private key whose public key is added in Azure DevOps (User settings >"),
           "a form page longer than the screen: '↓ more' on a row of its own, above the field's help")
    t.quit()

# ---- --dry-run: the whole walk, the test runs, nothing is written ----
home = os.path.join(tmp, "dry")
answers = os.path.join(tmp, "dry-answers.json")
with Tui([binary, "--home", home, "new", "--dry-run", "--write-answers", answers], tap=tap) as t:
    t.wait_for("Name *")
    tap.ok(t.has("(dry run: nothing is written)"), "--dry-run: the title says so")
    to_credentials(t, "Dry")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    # Started without --ca-file: the test CA is not trusted; C gives it on the test page.
    t.wait_for("C CA file", 40)
    tap.ok(t.has("certificate is not trusted here") and t.has("press C"),
           "an untrusted certificate: the test page offers C for a CA file")
    tap.ok(t.has("certificate not trusted: see below (") and not t.has("--ca-file"),
           "the probe's line points to C below, not to the command line's --ca-file")
    tap.ok(t.has("S end the dry run") and not t.has("save anyway"), "--dry-run: S ends it, no 'save anyway'")
    t.send("c")
    t.wait_for("Path of your CA's certificate file (PEM):")
    t.type(os.path.join(tmp, "no-such-ca.pem"))
    t.send(ENTER)
    tap.ok(t.has("cannot read") and t.has("Path of your CA's certificate file (PEM):"),
           "a CA file that cannot be read: said in the box, which asks again; nothing run")
    t.send(CTRL_U)
    t.type(azf["AZF_CA"])
    t.send(ENTER)
    t.wait_for("dry run: the connector", 40)
    tap.ok(t.has("OK      git-http") and not t.has("Secret store"),
           "--dry-run: the probes run, no store passphrase is asked")
    t.send(ENTER)
    tap.is_(t.wait_exit(), 0, "--dry-run: exit 0 when the test passes")
tap.tui = None
tap.is_(files_under(home) if os.path.exists(home) else [], [],
        "--dry-run: nothing under --home (no connector, store nor draft)")
text = open(answers).read() if os.path.exists(answers) else ""
tap.ok('"url":' in text and '"identifier":\t"Dry"' in text, "--dry-run --write-answers: the answers are written")
tap.ok(token not in text, "without the token")

# ---- --answers on a terminal: the wizard starts from those values ----
pre = os.path.join(tmp, "pre.json")
with open(pre, "w") as f:
    json.dump({"name": "From Answers", "url-type": "repo", "url": azf["AZF_REPO_URL"]}, f)
with Tui([binary, "--home", os.path.join(tmp, "pre"), "new", "--answers", pre, "--description", "flag"],
        tap=tap) as t:
    t.wait_for("Name *")
    tap.ok(t.value("Name") == "From Answers" and t.value("Identifier") == "From_Answers" and
           t.value("Description") == "flag",
           "--answers and flags fill the pages; the identifier follows the name given")
    t.send(PGDN)
    t.wait_for("URL type *")
    tap.ok(t.shows("URL", azf["AZF_REPO_URL"]), "... the Details page too")
    t.send(CTRL_C)
    tap.is_(t.wait_exit(), 5, "nothing typed: Ctrl-C quits at once")

# ---- a terminal without an alternate screen: the page does not stay under what follows ----
with Tui([binary, "--home", os.path.join(tmp, "vt100"), "new", "--dry-run"], env={"TERM": "vt100"}, tap=tap) as t:
    t.wait_for("Name *")
    t.type("x")
    # No dim there: a placeholder is underlined, so it does not pass for a value typed.
    r = t.field_row("Tags")
    tap.ok(t.line(r)[31:].startswith("e.g. ") and t.screen.buffer[r][31].underscore and
           not t.screen.buffer[t.field_row("Name")][31].underscore,
           "TERM=vt100 (no dim): placeholders underlined, values typed not")
    # Shift-Tab as xterm, tmux and PuTTY send it (ESC [ Z), which vt100 does not define: still back.
    t.send("\t")
    t.send("\x1b[Z")
    t.pump(0.2)
    tap.is_(t.focused_label(), "Name *", "TERM=vt100: Shift-Tab (ESC [ Z) moves back a field")
    t.send("\x1b[24~")  # xterm's F12, which vt100 does not define (nor does the wizard)
    t.pump(0.3)
    tap.ok(t.has("(TERM=vt100) does not define was ignored") and t.has("Name *"),
           "TERM=vt100: xterm's F12 is not known there; said, with Ctrl-X to use instead")
    t.send(CTRL_C)
    t.wait_for("y yes   n no")
    t.send("y")
    t.wait_exit()
    tap.ok(t.has("cancelled: nothing was saved") and not t.has("F10 review") and not t.has("Name *"),
           "TERM=vt100: the page is cleared on leaving; the last words stand alone")
    tap.ok(t.line(0).startswith("cancelled: nothing was saved"), "... at the top of the screen")
# The review wraps a value in its column by its width on the screen (CJK takes two columns),
# and one longer than the screen (a description of a thousand characters) ends its last row
# with '…': never cut silently.
words = " ".join("word%03d" % i for i in range(125))
cjk = "日本語の説明です。これは長い説明文で、レビュー画面での折り返しを確認するためのものです。さらに続きます。終わり"
for desc, what in ((words, "a description of 1000 characters"), (cjk, "a description in Japanese")):
    with Tui([binary, "--home", os.path.join(tmp, "review"), "new", "--dry-run", "--description", desc],
             tap=tap) as t:
        to_credentials(t, "Review")
        t.send(F10)
        t.wait_for("Check the values")
        r = t.find("Description")
        rows = [t.line(r)[30:].rstrip()]
        while r + len(rows) < t.rows - 2 and not t.line(r + len(rows))[:30].strip():
            rows.append(t.line(r + len(rows))[30:].rstrip())
        text = (" " if desc is words else "").join(x for x in rows if x and "more" not in x)
        if desc is words:
            tap.ok(text.endswith("\u2026") and desc.startswith(text[:-1].rstrip()) and len(text) > 600,
                   "the review: %s, shown to the end of the screen, then '\u2026'" % what)
        else:
            tap.ok(text == desc, "the review: %s, whole and in order" % what)
        tap.ok(all(len(l) <= 80 for l in t.lines()) and len(rows) > 1,
               "the review: %s, wrapped inside the screen" % what)
        t.send(CTRL_C)
        t.wait_for("Quit without saving")
        t.send("y")
        t.wait_exit()

# The review scrolls by rows: PgDn goes on at the first value not shown whole, and a long last
# value is reached (the list of delegate tags, wrapped on three rows at the bottom).
answers = os.path.join(tmp, "review.json")
with open(answers, "w") as f:
    json.dump({"name": "Review Test", "description": " ".join("w%03d" % i for i in range(60)),
               "tags": ["t%d:v%d" % (i, i) for i in range(17)], "url-type": "repo",
               "url": azf["AZF_REPO_URL"], "username": "ci", "delegates": "tags",
               "delegate-tags": ["linux-amd64-large-pool", "eu-west", "gpu-a100-pool", "arm64-builders",
                                 "windows-2022-pool", "mac-m2-pool", "secure-enclave"]}, f)
with Tui([binary, "--home", os.path.join(tmp, "review"), "new", "--answers", answers, "--dry-run"], tap=tap) as t:
    t.to_token()
    t.paste("abcdefghijklmnopqrstuvwx")
    t.send(F10)
    t.wait_for("Check the values")
    seen = set()
    for _ in range(6):
        seen.update(t.lines())
        t.send(PGDN)
        t.pump(0.2)
    seen.update(t.lines())
    text = "\n".join(seen)
    tap.ok(all(w in text for w in ("w059", "t16:v16", "URL type", "Username", "secure-enclave")),
           "the review, PgDn after PgDn: every value is seen, the last wrapped one whole")
    t.send(UP * 30)
    t.send(DOWN * 30)
    t.pump(0.3)
    tap.ok(t.has("secure-enclave"), "... and Down after Down: the last value, wrapped, is reached whole")
    t.quit()
tap.done()
PY
