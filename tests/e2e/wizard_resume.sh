# e2e: a run dropped (SIGHUP, as a dropped SSH session) comes back where it was: the draft
# keeps the page and the focused field, and y at the next run's offer goes there (a secret's
# store id row too); never past a page that has something to fix now (a saved connector took
# the identifier since): that page then, its messages shown; n starts anew on the first page.
# A CA file given on the test page comes back with the draft (an edit's too); a draft that
# cannot be written then is said. With values given (flags) a draft is offered still, they go over
# its; one that cannot be read is never written over (a newer version's is moved aside).
. "$top_srcdir/tests/e2e/wizard_lib.sh"
wizard_python <<'PY'
import glob, json, os, shutil, signal, subprocess
from tui import *

binary, tmp, azf = context()
home, base = keyed_home(binary, tmp)
draft = os.path.join(home, "draft.json")
tap = Tap(30)

def hang_up(t):
    """The session drops: SIGHUP, and the wizard keeps its draft on the way out."""
    os.kill(t.child.pid, signal.SIGHUP)
    t.wait_exit()

def kept():
    try:
        return json.load(open(draft))
    except (OSError, ValueError) as e:
        tap.diag("draft: %s" % e)
        return {}

def give_ca(t):
    """On the test page, its server's CA not trusted: C, the test CA's path, Enter; the test is refused
    then (the token of these runs may not read the repository)."""
    t.wait_for("C CA file", 40)
    t.send("c")
    t.wait_for("Path of your CA's certificate file")
    t.type(azf["AZF_CA"])
    t.send(ENTER)
    t.wait_for("R retry", 40)

def resumed(answer):
    """A new run, answering the offer of the draft."""
    t = Tui(base + ["new"], tap=tap)
    t.wait_for("Go on with it?")
    t.send(answer)
    return t

# ---- dropped on Credentials, the token's field focused ----
with Tui(base + ["new"], tap=tap) as t:
    t.to_credentials("Resume One", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type("ci")
    t.send(TAB)
    hang_up(t)
d = kept()
tap.ok(d.get("wizard-page") == "Credentials" and d.get("wizard-focus") == "token" and d.get("username") == "ci",
       "SIGHUP on Credentials: the draft keeps the page and the focused field (the token)")
with resumed("y") as t:
    t.wait_for("Tab move")
    tap.ok(t.value("Username") == "ci" and t.field_row("URL type") < 0,
           "y: the run resumes on Credentials, its values there")
    tap.is_(t.focused_label(), "Personal Access Token *", "... with the focus on the field that had it")
    t.send(TAB)
    hang_up(t)
d = kept()
tap.is_(d.get("wizard-focus"), "token-secret", "dropped again on the token's store id row: the draft says so")
with resumed("y") as t:
    t.wait_for("Tab move")
    tap.is_(t.focused_label(), "store id", "y: back on that store id row")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()

# ---- n: a blank form on the first page ----
with resumed("n") as t:
    t.wait_for("Name *")
    tap.ok(t.focused_label() == "Name *" and t.field_row("Username") < 0 and t.value("Name") == "e.g. Azure Payments",
           "n: the run starts anew on Overview, in an empty Name")
    t.send(CTRL_C)
    t.wait_exit()
tail = " ".join(bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1].decode("utf-8", "replace").split())
tap.ok(os.path.exists(draft) and "cancelled: nothing was saved; the draft of an earlier run stays in %s, offered "
       "again on the next run" % draft in tail, "n, then quit with nothing typed: the draft stays, and the end says so")

# ---- an earlier page wrong now: the identifier taken by a connector saved since ----
os.unlink(draft)
with Tui(base + ["new"], tap=tap) as t:
    t.to_credentials("Taken Later", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type("ci")
    hang_up(t)
d = kept()
made = new_http(base, azf, "Taken Later", "--skip-test")
tap.ok(made.returncode == 0 and d.get("wizard-page") == "Credentials" and d.get("identifier") == "Taken_Later",
       "a draft left on Credentials, and a connector saved since with its identifier")
with resumed("y") as t:
    t.wait_for("Name *")
    words = "".join(t.screen_text().split())
    tap.ok(t.field_row("Username") < 0 and "Overview:somethingtofixbeforeCredentials" in words,
           "y: the run resumes on Overview, not past it, and says why")
    tap.is_(t.focused_label(), "Identifier *", "... the identifier focused")
    tap.ok("a connector 'Taken_Later' already exists" in " ".join((t.message("Identifier") or "").split()),
           "... its message shown")

# ---- left on a page with something to fix now (a key's passphrase, never in a draft): its
# messages show, the focus on what is to fix ----
os.unlink(draft) if os.path.exists(draft) else None
with Tui(base + ["new"], tap=tap) as t:
    t.to_credentials("Enc Key", azf["AZF_SSH_URL"], ssh=True)
    t.focus("SSH private key")
    t.type(azf["AZF_SSH_KEY_ENC"])
    t.focus("SSH key passphrase")
    t.paste(open(azf["AZF_SSH_KEY_ENC_PASS_FILE"]).read())
    t.focus("Enable API access")
    hang_up(t)
with resumed("y") as t:
    t.wait_for("Tab move")
    tap.ok(kept().get("wizard-focus") == "api-access" and t.focused_label() == "SSH key passphrase" and
           "needs its passphrase" in (t.message("SSH key passphrase") or ""),
           "resumed on a page with a secret to give again: its message shows, the focus on it")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()

# ---- a CA file given on the test page (C) is kept with the draft: the resumed run trusts it ----
cahome = os.path.join(tmp, "ca kept")
cabase = [binary, "--home", cahome, "--key-file", key_file(os.path.join(tmp, "ca.key"))]
with Tui(cabase + ["new", "--name", "Ca Kept", "--url-type", "repo", "--connection", "http", "--url",
                   azf["AZF_REPO_URL"], "--username", azf["AZF_USER"]], tap=tap) as t:
    t.to_token()
    t.paste(open(azf["AZF_TOKEN_403_FILE"]).read().strip())
    t.to_test()
    give_ca(t)
    os.kill(t.child.pid, signal.SIGKILL)  # no way out to write a draft: it was written at C
    t.wait_exit()
try:
    d = json.load(open(os.path.join(cahome, "draft.json")))
except (OSError, ValueError) as e:
    d = {}
    tap.diag("draft: %s" % e)
tap.ok(d.get("ca-file") == azf["AZF_CA"] and d.get("wizard-page") == "Review",
       "killed (-9) after a test with a CA file given with C: the draft keeps its path")
with Tui(cabase + ["new"], rows=40, tap=tap) as t:
    t.wait_for("Go on with it?")
    tap.ok(("ThetesttruststheCAfile%sagain." % "".join(azf["AZF_CA"].split())) in t.box_words(),
           "the offer of the draft says its CA file is trusted again")
    t.send("y")
    t.wait_for("Personal Access Token *")  # a secret is asked again
    t.focus("Personal Access Token")
    t.paste(open(azf["AZF_TOKEN_FILE"]).read().strip())
    t.send(F10)
    t.wait_for("Check the values")
    tap.ok(("ConnectiontestCAfile%s(trustedforthetest,notpartoftheconnector)" % "".join(azf["AZF_CA"].split()))
           in "".join(t.screen_text().split()), "the review names the CA file the test will trust")
    t.send(ENTER)
    t.finish("saved connector", "git-http", "resumed, the right token given: the CA file of the draft trusted")
tap.ok(not os.path.exists(os.path.join(cahome, "draft.json")) and
       os.path.exists(os.path.join(cahome, "connectors", "Ca_Kept.json")), "... saved, and the draft removed")

# ---- a CA file given with --ca-file is kept with the draft too: resumed without the flag, trusted ----
flaghome = os.path.join(tmp, "ca flag")
# (SSH chosen: the test has no use for it then, but a switch back to HTTP has.)
with Tui([binary, "--home", flaghome, "new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_details("Ca Flag", ssh=True)
    os.kill(t.child.pid, signal.SIGHUP)  # the link dropped
    t.wait_exit()
try:
    d = json.load(open(os.path.join(flaghome, "draft.json")))
except (OSError, ValueError) as e:
    d = {}
    tap.diag("draft: %s" % e)
tap.ok(d.get("name") == "Ca Flag" and d.get("connection") == "ssh" and d.get("ca-file") == azf["AZF_CA"],
       "hung up in a run started with --ca-file (SSH chosen): the draft keeps that CA file")
with Tui([binary, "--home", flaghome, "new"], rows=40, tap=tap) as t:
    t.wait_for("Go on with it?")
    tap.ok(("ThetesttruststheCAfile%sagain." % "".join(azf["AZF_CA"].split())) in t.box_words(),
           "... resumed without --ca-file: the offer says that CA file is trusted again")
    t.send("y")
    t.wait_for("URL type *")  # on the page it was left on
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()

# ---- an edit whose only change is the CA file given with C: that is kept, in the edit's draft ----
made = subprocess.run(cabase + ["new", "--non-interactive", "--name", "Ca Edit", "--url-type", "repo", "--url",
                                azf["AZF_REPO_URL"], "--username", azf["AZF_USER"], "--token-file",
                                azf["AZF_TOKEN_403_FILE"], "--skip-test"], capture_output=True, text=True)
edraft = os.path.join(cahome, "edit-Ca_Edit.json")
with Tui(cabase + ["edit", "Ca_Edit"], tap=tap) as t:
    t.to_test()
    give_ca(t)
    os.kill(t.child.pid, signal.SIGKILL)
    t.wait_exit()
try:
    d = json.load(open(edraft))
except (OSError, ValueError) as e:
    d = {}
    tap.diag("edit draft: %s" % e)
tap.ok(made.returncode == 0 and d.get("ca-file") == azf["AZF_CA"],
       "an edit changing nothing but the CA file given with C, killed (-9): its draft keeps the CA file")

# ---- the draft cannot be written at C: said once the test is over, not wiped by it ----
with Tui(cabase + ["new", "--name", "Ca Lost", "--url-type", "repo", "--connection", "http", "--url",
                   azf["AZF_REPO_URL"], "--username", azf["AZF_USER"]], tap=tap) as t:
    t.to_token()
    t.paste(open(azf["AZF_TOKEN_403_FILE"]).read().strip())
    t.to_test()
    t.wait_for("C CA file", 40)
    cadraft = os.path.join(cahome, "draft.json")
    # A folder where the draft goes: no rename puts a file there (root too is refused).
    os.unlink(cadraft) if os.path.exists(cadraft) else None
    os.makedirs(os.path.join(cadraft, "in the way"))
    give_ca(t)
    tap.ok(t.has("cannot keep the draft in"),
           "C, then a draft that cannot be written: the test page says so once the test is over")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()
shutil.rmtree(os.path.join(cahome, "draft.json"))

# ---- values given with the wizard (flags): the draft is offered still, the flags over its values ----
left = kept()
with Tui(base + ["new", "--name", "Flag Wins"], tap=tap) as t:
    t.wait_for("Go on with it?")
    tap.ok("Aconnector'EncKey'wasnotfinished" in t.box_words() and
           "Thevaluesgivenforthisrun(flags,--answers)gooverthedraft's." in t.box_words(),
           "a draft there and a flag given: still offered, and said that the flags go over it")
    t.send("y")
    t.wait_for("Tab move")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()
d = kept()
tap.ok(left.get("name") == "Enc Key" and d.get("name") == "Flag Wins" and d.get("url") == azf["AZF_SSH_URL"] and
       d.get("connection") == "ssh", "y: the draft's values taken up, the name given as a flag over its")

# ---- a draft this version cannot read (a newer one's): moved aside, never written over ----
newer = b'{"schema":2,"name":"From A Newer One"}'
with open(draft, "wb") as f:
    f.write(newer)
with Tui(base + ["new"], tap=tap) as t:
    t.wait_for("Name *")
    aside = glob.glob(draft + ".unused-*")
    words = "".join(t.screen_text().split())
    tap.ok(len(aside) == 1 and ("thedraftisnotoffered,andwasmovedto%s(renameitbacktotakeitup):writtenbyanewer"
                                % "".join(aside[0].split())) in words,
           "a draft of a newer version: not offered, moved aside, where to and why said")
    t.type("Typed Now")
    t.send(TAB)
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()
tap.ok(open(aside[0], "rb").read() == newer and kept().get("name") == "Typed Now",
       "... kept as it was there, and this run's values in a draft of its own")

# ---- a draft of defaults only (all typed looked like a secret, never kept): nothing to offer ----
with open(draft, "w") as f:
    json.dump({"schema": 1, "scope": "account", "connection": "http", "wizard-page": "Overview",
               "wizard-focus": "name"}, f)
with Tui(base + ["new"], tap=tap) as t:
    t.wait_for("Name *")
    t.settle()
    tap.ok(not t.has("Go on with it?") and t.focused_label() == "Name *",
           "a draft that holds nothing typed (defaults only): not offered")
    t.send(CTRL_C)
    t.wait_exit()

# ---- a draft made by a run as root (sudo), mode 0600: not offered, whose it is said, kept ----
if os.geteuid() == 0 and shutil.which("setpriv"):
    mine = os.path.join(tmp, "nobody")
    os.mkdir(mine, 0o700)
    os.chown(mine, 65534, 65534)
    os.chmod(tmp, 0o711)
    root_draft = os.path.join(mine, "draft.json")
    with open(root_draft, "w") as f:
        json.dump({"schema": 1, "name": "Made As Root"}, f)
    os.chmod(root_draft, 0o600)
    before = open(root_draft, "rb").read()
    with Tui(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", binary, "--home", mine, "new"],
             tap=tap) as t:
        t.wait_for("Name *")
        words = "".join(t.screen_text().split())
        tap.ok(("thedraftisnotoffered:%sbelongstouid0,nottoyou(uid65534)" % "".join(root_draft.split())) in words
               and ("run'chown65534%s'asroot" % "".join(root_draft.split())) in words and
               "thisrunkeepsnodraft,soasnottowriteoverit" in words,
               "a draft root made, unreadable: not offered; whose it is, the chown that gives it back, and that "
               "this run keeps none")
        t.type("Typed Here")
        t.send(TAB)
        t.send(CTRL_C)
        t.wait_for("Quit without saving the connector?")
        lost = "Thechangestypedarelost." in t.box_words()
        t.send("y")
        t.wait_exit()
    tap.ok(lost and open(root_draft, "rb").read() == before and os.stat(root_draft).st_uid == 0,
           "... values typed, then quit (said to lose them): that draft is kept as it was, not written over")
    # A limit on locked memory too low for the wizard's secrets (root has none): said at the start.
    # (ASan's runtime takes every mlock as done: nothing to say there.)
    low = os.path.join(tmp, "lowlock")
    os.mkdir(low, 0o700)
    os.chown(low, 65534, 65534)
    asan = b"__asan_init" in open(binary, "rb").read()
    with Tui(["prlimit", "--memlock=65536:65536", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
              binary, "--home", low, "new"], tap=tap) as t:
        t.wait_for("Name *")
        words = "".join(t.screen_text().split())
        tap.ok(asan or "note:thelimitonlockedmemory(ulimit-l,64KiB)istoolowtokeepsecretsoutofswap:theymaybe"
               "writtentodisk;raiseit('ulimit-l8192'" in words,
               "a locked-memory limit of 64 KiB: the wizard says so at its start, with the fix%s" %
               (" # SKIP an ASan build takes every mlock as done" if asan else ""))
        t.send(CTRL_C)
        t.wait_exit()
else:
    for _ in range(3):
        tap.ok(True, "# SKIP only root can run the wizard as another user")
tap.done()
PY
