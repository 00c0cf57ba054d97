# e2e: moving around the wizard: Back/Next keep the values, the review's page
# keys, F1 help, a terminal too small and back (the keys typed meanwhile held,
# then taken), Ctrl-C (asks, n goes on, y
# quits with 5 and a draft), resuming the draft (on the page and field left;
# Ctrl-C or Esc at its offer quits and keeps it), keys that come in one read with an Esc, and the terminal restored
# after Ctrl-C, SIGTERM, SIGHUP and a fatal SIGSEGV (stty settings compared);
# SIGTERM and SIGHUP keep what was typed in the draft first.
. "$top_srcdir/tests/e2e/wizard_lib.sh"
wizard_python <<'PY'
import json, os, signal, subprocess, sys, time
from tui import *

binary, tmp, azf = context()
home = os.path.join(tmp, "home")
token = open(azf["AZF_TOKEN_FILE"]).read()
tap = Tap(95)

# The wizard inside a shell that saves the terminal's settings before and after it.
WRAP = ('stty -g >"$W/before"; "$0" "$@"; echo $? >"$W/rc"; stty -g >"$W/after"; '
        'echo wrapper-done')

def wrapped(tag, args):
    w = os.path.join(tmp, tag)
    os.makedirs(w, exist_ok=True)
    return w, Tui(["/bin/sh", "-c", WRAP, binary] + args, env={"W": w}, tap=tap)

def wrapped_end(t, w, what):
    try:
        t.wait_exit()
    except TuiTimeout:
        pass
    rd = lambda n: open(os.path.join(w, n)).read().strip() if os.path.exists(os.path.join(w, n)) else None
    before, after, rc = rd("before"), rd("after"), rd("rc")
    tap.ok(before is not None and before == after, "%s: the terminal's settings are restored (stty -g)" % what)
    if before != after:
        tap.diag("before: %s" % before)
        tap.diag("after:  %s" % after)
    return rc

def wizard_pid(t):
    for _ in range(50):
        out = subprocess.run(["pgrep", "-P", str(t.child.pid)], capture_output=True, text=True).stdout.split()
        if out:
            return int(out[0])
        time.sleep(0.1)
    return None

# ---- Back/Next, review, F1, resize, Ctrl-C ----
w, t = wrapped("run1", ["--home", home, "new", "--ca-file", azf["AZF_CA"]])
try:
    t.wait_for("Name *")
    t.type("Nav Test")
    t.key(ENTER, 2)
    t.type("a description")
    t.key(ENTER, 3)
    t.wait_for("URL type *")
    t.key(RIGHT, 2)
    t.focus("URL")
    t.type(azf["AZF_REPO_URL"])
    t.send(ESC)
    t.wait_for("Name *")
    tap.ok(t.value("Name") == "Nav Test" and t.value("Description") == "a description" and
           t.value("Identifier") == "Nav_Test", "Esc back to Overview: the values typed are there")
    t.focus("Tags")
    t.send(F1)
    t.wait_for("Any key closes.")
    tap.ok(t.has("In scripts: --tags A,B (or the flag once for each)"),
           "F1 on a list: its flag takes commas, or comes once for each")
    t.send(ESC)
    t.wait_gone("Any key closes.")
    t.send(PGDN)
    t.wait_for("URL type *")
    tap.ok(t.shows("URL", azf["AZF_REPO_URL"]) and "(•) Repository" in t.value("URL type") and
           t.focused_label() == "URL *", "PgDn to Details again: URL and URL type kept, the URL in focus "
           "(where the page was left)")
    t.focus("Connection type")
    tap.ok(t.value("URL").endswith("\u2026") and len(azf["AZF_REPO_URL"]) > 47,
           "a URL too long for its cell shows its start and '…' when not edited")
    t.type("ssh or git ")
    tap.ok("(•) HTTP" in t.value("Connection type") and
           t.has("not typed: Connection type is a choice: Space or Left/Right changes it"),
           "text typed on a choice: said at the bottom, the choice unchanged (its 's' picks nothing, "
           "nor do the spaces in it)")
    time.sleep(1.5)
    t.send(" ")
    t.settle()
    tap.ok("(•) SSH" in t.value("Connection type"), "after a pause, Space changes the choice again")
    t.send(LEFT)
    t.paste("git@ssh.dev.azure.com:v3/contoso/Payments/web")
    tap.ok("(•) HTTP" in t.value("Connection type") and t.has("not pasted: Connection type is a choice"),
           "a paste on a choice: said too")
    t.focus("URL")
    tap.ok(t.value("URL").endswith("/_git/payments-api"), "edited, the cell shows its end, at the cursor")
    t.send(F1)
    t.wait_for("Any key closes.")
    tap.ok(t.has("In scripts: --url VALUE") and t.has("Clone, HTTPS") and t.has("Required."),
           "F1 shows the help of the focused field (URL), for the URL type and connection chosen: required, its flag")
    t.send("x")
    tap.ok(not t.has("Any key closes") and "x" not in (t.value("URL") or "")[-1:],
           "any key closes the help, and is not typed into the field")
    t.send(ENTER)
    t.wait_for("Username *")
    t.type("ci")
    t.send(TAB)
    t.paste(token)
    t.send(F10)
    t.wait_for("Check the values")
    tap.ok(t.has("Nav Test") and t.has("a description"), "F10 goes to the review, which lists the values")
    tap.ok(re.search(r"Tags +\(not set\)", t.screen_text()) is not None,
           "... an empty field as 'show' says it: '(not set)'")
    t.send(F1)
    t.wait_for("not a key of the review")
    tap.ok(t.has("Check the values") and "Enterrunsthetestandsaves,1-4editapage" in "".join(t.screen_text().split()),
           "F1 on the review: not ignored without a word, the page's keys named")
    t.send("2")
    t.wait_for("URL type *")
    tap.ok(t.shows("URL", azf["AZF_REPO_URL"]), "2 on the review edits the Details page")
    t.send(PGDN)
    t.wait_for("Username *")
    # In focus, its cursor at the end: '…' where its start went.
    tap.ok((t.value("Personal Access Token") or "").lstrip("\u2026").startswith("••••"),
           "the pasted token is still there after going back and forth")
    t.focus("Personal Access Token")
    t.send(F1)
    t.wait_for("Any key closes")
    tap.ok(t.has("In scripts: --token-file F or") and not t.has("--token in scripts"),
           "F1 on a secret names the flags scripts can use (never --token VALUE)")
    t.send(" ")
    t.send(TAB)
    t.send(F1)
    t.wait_for("Any key closes")
    tap.ok(t.has("Personal Access Token: store id") and t.has("In scripts: --token-secret ID") and
           t.has("kept under in the encrypted store") and t.has("Default: nav_test-token"),
           "F1 on a store id row explains the store id and gives its default")
    t.send(" ")
    t.wait_gone("Any key closes")
    t.focus("Harness secret scope")
    t.send(F1)
    t.wait_for("Any key closes")
    tap.ok(t.has("Default: Account") and t.has("--secret-scope VALUE, one of: account, org,"),
           "F1 on a choice gives its default as shown and the values scripts take")
    t.send(" ")
    t.wait_gone("Any key closes")
    t.send(ESC)
    t.wait_for("URL type *")
    t.focus("URL")
    t.resize(20, 60)
    t.wait_for("The terminal is too small:")
    tap.is_("".join(t.screen_text().split()),
            "Theterminalistoosmall:80x24isneeded,thisoneis60x20.Makeitlargertoseethepage:nothingislost,and"
            "thekeystypedmeanwhiletakeeffectthen.Ctrl-Cquits(whatyoutyped,exceptsecrets,staysinthedraft).",
            "60x20: the too-small notice, the sizes first, then what to do")
    t.resize(5, 20)
    t.wait_for("Ctrl-C quits")
    tap.ok("".join(t.screen_text().split()).startswith("Ctrl-Cquits(whatyoutyped"),
           "20x5: the way out (Ctrl-C) comes first, where not all of the notice fits")
    t.resize(20, 60)
    t.send("zz")
    t.resize(24, 80)
    t.wait_for("URL type *")
    t.send("y")
    tap.ok((t.value("URL") or "").endswith(azf["AZF_REPO_URL"][-20:] + "zzy") and not t.has("too small"),
           "back to 80x24: the keys typed while too small are taken, before those typed after")
    t.send(BACKSPACE * 3)
    t.send(F1)
    t.wait_for("Any key closes")
    t.resize(20, 60)
    t.wait_for("Make it larger to see the box '")
    tap.ok(not t.has("Any key closes") and
           "Makeitlargertoseethebox'URL':nothingislost,andthekeystypedmeanwhiletakeeffectthen.Ctrl-Cclosesthebox."
           in "".join(t.screen_text().split()), "a box open when the terminal shrinks: only the notice shows, naming the box")
    t.send("x")
    t.resize(24, 80)
    t.wait_gone("Any key closes")
    tap.ok((t.value("URL") or "").endswith(azf["AZF_REPO_URL"][-20:]),
           "a key typed while the box could not be seen is taken once it can: it closes the box, and is not typed")
    t.send(F1)
    t.wait_for("Any key closes")
    t.resize(20, 60)
    t.wait_for("Ctrl-C closes the box.")
    t.send("qq")
    t.send(CTRL_C)
    t.resize(24, 80)
    t.wait_for("URL type *")
    tap.ok(not t.has("Any key closes") and (t.value("URL") or "").endswith(azf["AZF_REPO_URL"][-20:]),
           "Ctrl-C on the notice closes the box, and drops the keys typed for it meanwhile")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    tap.ok(t.has("y yes   n no"), "Ctrl-C with data typed asks first")
    t.send("n")
    tap.ok(not t.has("Quit without saving") and t.field_row("URL") > 0, "n: the wizard goes on")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send(ESC)
    t.pump(0.3)
    tap.ok(not t.has("Quit without saving") and t.field_row("URL") > 0, "Esc at the question: the wizard goes on")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send(CTRL_C)
except TuiTimeout as e:
    tap.diag("stopped: %s" % e)
rc = wrapped_end(t, w, "Ctrl-C twice")
tap.is_(rc, "5", "Ctrl-C, then Ctrl-C again at the question: it quits (exit status 5)")
tap.ok(b"cancelled" in t.raw, "it says it was cancelled")
draft = os.path.join(home, "draft.json")
try:
    d = json.load(open(draft))
except Exception as e:
    d = {}
    tap.diag("draft: %s" % e)
tap.ok(d.get("name") == "Nav Test" and d.get("url") == azf["AZF_REPO_URL"], "the draft holds the name and the URL")
tap.is_(any_file_holds(home, token.encode()), [], "the draft and --home hold no token")

# ---- resume the draft ----
# Ctrl-C or Esc at the offer quits at once, the draft as it was: never a blank form that would replace it.
def draft_state():
    st = os.stat(draft)
    return open(draft, "rb").read(), st.st_mtime_ns

kept = draft_state()
w, t = wrapped("resume-ctrl-c", ["--home", home, "new", "--ca-file", azf["AZF_CA"]])
try:
    t.wait_for("Go on with it?")
    t.send(CTRL_C)
except TuiTimeout as e:
    tap.diag("stopped: %s" % e)
rc = wrapped_end(t, w, "Ctrl-C at the offer of the draft")
tap.is_(rc, "5", "Ctrl-C at the offer of the draft: the program quits at once, exit status 5")
tap.ok(draft_state() == kept and b"the draft stays in" in bytes(t.raw),
       "Ctrl-C at the offer: the draft is untouched, and it says so")
rc = None
with Tui([binary, "--home", home, "new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Go on with it?")
    said_keys = t.has("y yes   n no, start anew   Esc quit, draft kept")
    t.send(ESC)
    rc = t.wait_exit()
tap.ok(said_keys and rc == 5 and draft_state() == kept and b"the draft stays in" in bytes(t.raw),
       "Esc at the offer of the draft quits too (exit 5, as the box says), the draft untouched")

with Tui([binary, "--home", home, "new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Go on with it?")
    tap.ok(t.has("'Nav Test'") or "'Nav Test'" in t.screen_text().replace("\n", " "),
           "the next run offers to resume the draft, by its name")
    t.send("y")
    t.wait_for("URL type *")
    tap.is_(t.focused_label(), "URL *", "y: back on Details, on the URL, where that run quit")
    t.send(ESC)
    t.wait_for("Name *")
    tap.ok(t.value("Name") == "Nav Test" and t.value("Description") == "a description",
           "y: the values come back")
    t.focus("Name")
    t.send(CTRL_U)
    t.type("Nav Two")
    tap.is_(t.value("Identifier"), "Nav_Two", "the identifier the draft had from the name still follows it")
    t.send(PGDN)
    t.wait_for("URL type *")
    tap.ok(t.shows("URL", azf["AZF_REPO_URL"]) and "(•) Repository" in t.value("URL type"),
           "the Details page is restored too")
    t.send(PGDN)
    t.wait_for("Username *")
    tap.ok(t.value("Username") == "ci" and not (t.value("Personal Access Token") or "").startswith("•"),
           "the username is back; the token is not (secrets are never in the draft)")
    t.resize(20, 60)
    t.wait_for("Ctrl-C quits")
    t.send(CTRL_C)
    tap.is_(t.wait_exit(), 5, "Ctrl-C on the too-small notice quits as it says, without a question it "
            "could not show (exit 5)")
# A draft others could have written (it may name any host for a stored token): not offered, why said.
os.chmod(draft, 0o666)
with Tui([binary, "--home", home, "new"], tap=tap) as t:
    t.wait_for("Name *")
    said = " ".join(t.screen_text().split())
    tap.ok(not t.has("Go on with it?") and "Nav Test" not in said and "the draft is not offered" in said and
           "can be written by group or others (mode 0666)" in said,
           "a draft writable by others is not offered, and why is said")
    t.send(CTRL_C)
    t.wait_exit()
os.chmod(draft, 0o600)
os.unlink(draft) if os.path.exists(draft) else None

# A key pasted where bracketed paste is not known: its lines land as typed text in the fields.
# They are masked, and never kept in the draft.
keyline = "MIIEowIBAAKCAQEAvDayEnCsrQl4xK2mE9kqZ0n7Yc3pLw5sT8uHjR1fGbVaXo6iNdQeW"
with Tui([binary, "--home", home, "new"], tap=tap) as t:
    t.wait_for("Name *")
    t.type("Key Slip")
    t.focus("Description")
    t.type(keyline)
    t.send(TAB)
    tap.ok(keyline[:12] not in t.screen_text(), "a key's line typed in the description is masked")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()
kept = open(draft).read() if os.path.exists(draft) else ""
tap.ok("Key Slip" in kept and keyline[:12] not in kept, "the draft keeps the name, not the key's line")
os.unlink(draft) if os.path.exists(draft) else None

# A fresh run with nothing typed: Ctrl-C quits at once (nothing to lose).
with Tui([binary, "--home", home, "new"], tap=tap) as t:
    t.wait_for("Name *")
    t.send(CTRL_C)
    tap.is_(t.wait_exit(), 5, "Ctrl-C with nothing typed quits at once (exit 5)")
    tap.ok(not os.path.exists(draft), "and leaves no draft")

# More keys typed while too small than are held (512): the notice says so (the page's values are
# kept, the keys past the first 512 are dropped); those 512 are taken once it is large enough.
over = os.path.join(tmp, "hover")
typed = "dd " * 200
with Tui([binary, "--home", over, "new"], tap=tap) as t:
    t.wait_for("Name *")
    t.type("Over")
    t.focus("Description")
    t.resize(20, 60)
    t.wait_for("too small")
    t.type(typed)
    tap.ok("Makeitlargertoseethepage:thevaluesarekept,butofthekeystypedmeanwhileonlythefirst512takeeffectthen"
           "(theothersweredropped)." in "".join(t.screen_text().split()),
           "600 keys typed while too small: the notice says only the first 512 take effect")
    t.resize(24, 80)
    t.wait_for("Description")
    t.quit()
d = read_draft(over, tap)
tap.is_(d.get("description"), typed[:512], "... and those 512 are taken, in the order typed (the draft keeps them)")

# ---- signals ----
for sig, name in ((signal.SIGTERM, "SIGTERM"), (signal.SIGHUP, "SIGHUP"), (signal.SIGSEGV, "SIGSEGV")):
    w, t = wrapped("sig" + name, ["--home", os.path.join(tmp, "h" + name), "new"])
    try:
        t.wait_for("Name *")
        t.type("x")
        pid = wizard_pid(t)
        tap.ok(pid is not None, "%s: the wizard's pid found" % name)
        if pid:
            os.kill(pid, sig)
    except TuiTimeout as e:
        tap.diag("stopped: %s" % e)
    rc = wrapped_end(t, w, name)
    tap.is_(rc, str(128 + sig), "%s: the wizard ends by the signal (shell status %d)" % (name, 128 + sig))
    raw = bytes(t.raw)
    tap.ok(raw.rfind(b"\x1b[?2004l") > raw.rfind(b"\x1b[?2004h") >= 0 and
           raw.rfind(b"\x1b[?1049l") > raw.rfind(b"\x1b[?1049h") >= 0,
           "%s: bracketed paste off and the main screen back" % name)
    tap.ok(b"wrapper-done" in bytes(t.raw), "%s: the shell around it goes on" % name)
    if sig != signal.SIGSEGV:
        # The name typed, its field not left: still kept for the next run.
        d = read_draft(os.path.join(tmp, "h" + name), tap)
        tap.ok(d.get("name") == "x" and b"nothing was saved; the values typed" in bytes(t.raw),
               "%s: the value being typed is kept in the draft, and it says so" % name)

# A shell passes its hang-up on to its jobs: a second SIGHUP must not cut the draft's write short.
hup2 = os.path.join(tmp, "hHUP2")
w, t = wrapped("sigHUP2", ["--home", hup2, "new"])
try:
    t.wait_for("Name *")
    t.type("y")
    pid = wizard_pid(t)
    if pid:
        os.kill(pid, signal.SIGHUP)
        os.kill(pid, signal.SIGHUP)
except TuiTimeout as e:
    tap.diag("stopped: %s" % e)
rc = wrapped_end(t, w, "SIGHUP twice")
tap.is_(rc, str(128 + signal.SIGHUP), "SIGHUP twice: the wizard ends by the signal")
d = read_draft(hup2, tap)
left = [f for f in os.listdir(hup2) if ".tmp." in f] if os.path.isdir(hup2) else []
tap.ok(d.get("name") == "y" and not left, "SIGHUP twice: the value typed is in the draft, no temp file left")

# ---- keys starting with Esc: a sequence is one key, never Back and then typed; on a page, a
# key that comes with its Esc at once (Alt-b, or one read over a slow link) is neither Back nor
# typed into the page gone back to, and that is said; in a box, Esc closes it and the key is typed ----
# A home where nothing could be kept (a shared folder, as /tmp): said before anything is typed.
shared = os.path.join(tmp, "shared")
os.mkdir(shared)
os.chmod(shared, 0o1777)
with Tui([binary, "--home", shared, "new"], tap=tap) as t:
    rc = t.wait_exit()
    said = "".join(t.screen_text().split())  # wrapped where the path's length puts it, mid-word too
    tap.ok(rc == 14 and "isshared(mode1777):useafolderofyourowninit" in said and
           "thewizarddoesnotstart" in said and not os.listdir(shared),
           "a shared folder as the home: the wizard does not start (exit 14), nothing made there")

# An identifier typed, then cleared and left: the one the name gives again, which follows the name.
with Tui([binary, "--home", os.path.join(tmp, "ident"), "new", "--dry-run"], tap=tap) as t:
    t.wait_for("Name *")
    t.type("Scope Test")
    t.send(TAB)
    t.send(CTRL_U)
    t.type("own_id")
    t.send(TAB)
    tap.is_(t.value("Identifier"), "own_id", "an identifier typed is kept")
    t.send(SHIFT_TAB)
    t.send(CTRL_U)
    t.send(TAB)
    t.settle()
    tap.ok(t.value("Identifier") == "Scope_Test" and not t.message("Identifier"),
           "cleared and left: the identifier the name gives, no 'required'")
    t.focus("Name")
    t.type("X")
    t.send(TAB)
    tap.is_(t.value("Identifier"), "Scope_TestX", "... which follows the name again")
    t.quit()

with Tui([binary, "--home", os.path.join(tmp, "esc"), "new", "--dry-run"], tap=tap) as t:
    t.wait_for("Name *")
    t.type("Esc")
    t.send(PGDN)
    t.wait_for("URL type *")
    t.send("\x1bb")  # Esc and b in one read (a slow link), as Alt-b is sent too
    t.settle()
    tap.ok(t.has("URL type *") and t.has("Alt and a key (or Esc and a key at once) was ignored"),
           "Esc and b in one read on a page: neither Back nor typed, and said")
    t.send(PGUP)
    t.wait_for("Name *")
    t.focus("Name")
    t.send(F1)
    t.wait_for("Any key closes.")
    beside = [l[:l.find("│")] + l[l.rfind("│") + 1:] for l in t.lines() if box_inner(l) is not None]
    tap.ok(beside and all(not b.strip() for b in beside),
           "a box clears the rows it takes: no cut-off piece of the page beside its frame")
    t.send(b"\x1babc")
    tap.ok(not t.has("Any key closes") and t.value("Name") == "Escabc",
           "Esc closing a help box and text typed right after it in one read: nothing of it is lost")
    t.send(F1)
    t.wait_for("Any key closes.")
    t.send(b"\x1b\x1bOB")  # Esc and Down in one read
    tap.ok(not t.has("Any key closes") and t.focused_label() == "Identifier *",
           "Esc and an escape sequence (Down) in one read: the box closes, then Down moves on")
    t.focus("Name")
    t.send(F1)
    t.wait_for("Any key closes.")
    t.send(b"\x1b\x1b[200~-x\x1b[201~")
    tap.ok(not t.has("Any key closes") and t.value("Name") == "Escabc-x",
           "Esc and a bracketed paste in one read: the box closes, the paste goes into the field")
    t.send(BACKSPACE * 5)
    t.send(PGDN)
    t.wait_for("URL type *")
    t.send("\x1b[1;5C")  # Ctrl-Right, a sequence curses does not know
    t.pump(0.3)
    tap.ok(t.has("URL type *") and "[" not in t.screen_text().split("\n")[4], "an unknown sequence is dropped whole")
    t.send(ESC)
    t.pump(0.25)
    t.send("[B")  # the rest of an arrow key, split from its Esc by a slow link
    t.wait_for("Name *")
    t.pump(0.3)
    tap.ok(t.value("Name") == "Esc" and t.value("Identifier") == "Esc",
           "the rest of a split sequence after Esc is not typed into the page gone back to")
    t.send(PGDN)
    t.wait_for("URL type *")
    t.send(ESC)
    t.pump(0.25)
    t.send("a[B")  # typed right after Esc: only the key right after it may be a sequence's rest
    t.pump(0.3)
    tap.is_(t.value("Name"), "Esca[B", "text typed after a lone Esc is all typed, '[' included")
    t.send(BACKSPACE * 3)
    t.child.send(b"\x1b[")  # an arrow cut after its '[' ...
    t.pump(0.15)
    t.send("D")  # ... its last byte later
    tap.is_(t.value("Name"), "Esc", "a sequence cut in its middle: its last byte is not typed")
    t.send("\x1b[H")  # Home
    t.send("\x1b[4~")  # End as PuTTY sends it
    t.type("!")
    tap.is_(t.value("Name"), "Esc!", "ESC [ 4 ~ is End")
    t.send(BACKSPACE)
    # Paste markers a slow link splits past ESCDELAY: the paste still whole, nothing of them typed.
    t.child.send(b"\x1b[200~-end")
    t.pump(0.05)
    t.child.send(b"\x1b")  # the end marker's Esc, alone for longer than ESCDELAY ...
    t.pump(0.25)
    t.child.send(b"[201~")  # ... then its rest
    t.send(TAB)
    t.settle()
    tap.ok(t.value("Name") == "Esc-end" and t.focused_label() == "Identifier *",
           "a paste whose end marker was split: it ends there, none of the marker in the field, the Tab after it taken")
    t.focus("Description")
    t.child.send(b"\x1b[")  # a paste's start marker cut after its '[' ...
    t.pump(0.2)
    t.child.send(b"200~-start\x1b[201~")  # ... its rest later
    t.settle()
    tap.is_(t.value("Description"), "-start", "a paste whose start marker was split after its '[': pasted whole")
    t.send(PGDN)
    t.wait_for("URL type *")
    t.send(ESC)  # a paste's start marker split right after its Esc: that went back alone ...
    t.pump(0.25)
    t.child.send(b"[200~one\rtwo\x1b[201~")  # ... and its rest is not typed on the page gone back to
    t.wait_for("Name *")
    t.settle()
    tap.ok(t.value("Name") == "Esc-end" and t.value("Description") == "-start" and
           "apastetheslowlinksplitafteritsfirstbyte(anEsc,takenaloneasBack)wasnottaken:pasteitagain" in
           "".join(t.screen_text().split()),
           "a paste whose start marker was split after its Esc: Back, then the paste dropped whole, and said")
    # Keys typed before a question shows are not its answer; a key other than y or n is a no.
    t.send(CTRL_C + "ay")
    t.settle()
    tap.ok(t.has("Quit without saving"), "Ctrl-C and text typed right after it: the question is not answered by it")
    t.send("z")
    t.settle()
    tap.ok(not t.has("Quit without saving") and t.value("Name") == "Esc-end",
           "a key other than y or n at a yes/no question: a no, the values kept")
    t.quit()

# ---- two wizards on one draft (the first on an SSH session that dropped and lingers) ----
# The second keeps none: it names the first and how to go on from that one's draft,
# which stays as the first wrote it.
dl = os.path.join(tmp, "hlock")
with Tui([binary, "--home", dl, "new"], tap=tap) as first:
    first.wait_for("Name *")
    first.type("Alpha One")
    first.send(TAB)
    first.settle()
    pid = first.child.pid
    with Tui([binary, "--home", dl, "new"], tap=tap) as second:
        second.wait_for("Name *")
        said = "".join(second.screen_text().split())
        tap.ok(("anotherwizard(pid%d)isusingthedraft" % pid) in said and ("orkill%d;" % pid) in said and
               ("kill-CONT%dtoo" % pid) in said and
               not second.has("Resume"), "a second wizard on the draft: not offered, the first named, and "
               "the way to go on from its draft")
        second.type("Beta Two")
        second.send(TAB)
        second.send(CTRL_C)
        second.wait_for("Quit without saving")
        tap.ok("Thechangestypedarelost" in second.box_words(), "its Ctrl-C says what was typed there is lost")
        second.send("y")
        second.wait_exit()
    try:
        kept = json.load(open(os.path.join(dl, "draft.json"))).get("name")
    except Exception as e:
        kept = "(%s)" % e
    tap.is_(kept, "Alpha One", "the first one's draft is as it wrote it")
    tap.tui = first
    tap.is_(first.quit(), 5, "(the first one quits)")

# ---- the SSH session drops: the terminal goes away under the wizard ----
hd = os.path.join(tmp, "hdrop")
t = Tui([binary, "--home", hd, "new"], tap=tap)
try:
    t.wait_for("Name *")
    t.type("dropped")
    t.pump(0.3)
    os.close(t.child.child_fd)  # the far end of the pty closes, as sshd does
    end = time.time() + 10
    while t.child.isalive() and time.time() < end:
        time.sleep(0.1)
    tap.ok(not t.child.isalive(), "the terminal gone, the wizard ends (it does not wait or spin)")
except TuiTimeout as e:
    tap.diag("stopped: %s" % e)
if t.child.isalive():
    t.child.kill(signal.SIGKILL)
d = read_draft(hd, tap)
tap.is_(d.get("name"), "dropped", "what was being typed is in the draft for the next run")

tap.done()
PY
