# e2e: 'edit ID' runs the wizard on a saved connector: the values are there,
# the identifier cannot change, a stored secret is used as it is, a change is
# saved after the test passes; a new token that fails the test, then Ctrl-C,
# changes nothing (file and store as they were) but keeps the changes typed in
# the edit's draft, which the next edit of it offers (never over a change saved
# since); saved anyway (S), it replaces the stored token.
. "$top_srcdir/tests/e2e/wizard_lib.sh"
wizard_python <<'PY'
import json, os, signal, subprocess, sys, time
from tui import *

binary, tmp, azf = context()
home, base = keyed_home(binary, tmp)
conn = os.path.join(home, "connectors", "web.json")
tap = Tap(85)

made = new_http(base, azf, "web", "--ca-file", azf["AZF_CA"])
tap.is_(made.returncode, 0, "a connector made without a terminal (exit 0)")
before_store = open(os.path.join(home, "secrets.store"), "rb").read()
# The draft of a 'new' left unfinished: an edit is not that connector and leaves it.
draft = os.path.join(home, "draft.json")
with open(draft, "w") as f:
    json.dump({"schema": 1, "name": "Unfinished"}, f)

with Tui(base + ["edit", "web", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    tap.ok(t.has("edit the connector 'web'"), "the title names the connector edited")
    tap.ok((t.value("Name") or "").strip() == "web", "the saved name is there")
    t.focus("Identifier")
    t.type("x")
    tap.ok((t.value("Identifier") or "").strip() == "web", "typing does not change the identifier")
    tap.ok(t.has("cannot change"), "and the status line says why")
    t.send(F1)
    t.wait_for("Any key closes.")
    tap.ok("identifiercannotchange" in t.box_words() and "--identifier" not in t.box_words() and
           "Default" not in t.box_words(), "F1 on it: it cannot change; no default, no flag to give it")
    t.send(ESC)
    t.wait_gone("Any key closes.")
    t.focus("Description")
    t.type("edited in the wizard")
    t.send(F10)
    t.wait_for("Check the values")
    tap.ok(t.has("•••• (store id 'web-token', read at the test)"),
           "the review uses the stored token, masked as a typed one, not said to be there before the store is read")
    t.send(ENTER)
    t.finish("saved connector 'web'", "git-http", "edit with the stored token")
    ran = run_printed(t, binary)
    tap.ok(ran.returncode == 0 and "identifier: web" in ran.stdout and "edited in the wizard" in ran.stdout,
           "the command printed at the end, --home quoted (a space and a quote), exports the connector")
tap.ok(os.path.exists(draft), "a saved edit leaves the draft of an unfinished 'new' alone")
os.unlink(draft) if os.path.exists(draft) else None
saved = json.load(open(conn))
tap.is_(saved.get("description"), "edited in the wizard", "the change is in the file")
tap.is_(saved.get("token-secret"), "web-token", "the token's store id is unchanged")
before_file = open(conn, "rb").read()

# An edit that changes nothing writes nothing, and says so (as without the wizard).
mtime = os.stat(conn).st_mtime_ns
with Tui(base + ["edit", "web", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.finish("connector 'web' unchanged: nothing written", "git-http", "an edit that changes nothing")
tap.ok(os.stat(conn).st_mtime_ns == mtime and open(conn, "rb").read() == before_file,
       "... its file is not rewritten")

with Tui(base + ["edit", "web", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    t.focus("Description")
    t.send(CTRL_U)
    t.type("must not be saved")
    t.send(PGDN)
    t.wait_for("URL type *")
    t.send(PGDN)
    t.wait_for("Personal Access Token *")
    t.focus("Personal Access Token")
    t.paste("wrong-token-value")
    t.send(F10)
    t.wait_for("Check the values")
    tap.ok(t.has("(new, replacing the stored 'web-token')"), "a new token will replace the stored one")
    t.send(ENTER)
    t.wait_for("FAILED", timeout=30)
    tap.ok(t.has("R retry"), "a rejected token: the test fails and offers Retry, Back, Save anyway")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    tap.ok(t.has("stays in the draft"), "Quit in an edit says what was typed stays in a draft")
    t.send("y")
    tap.is_(t.wait_exit(), 5, "Ctrl-C then y: exit 5")
tap.ok(open(conn, "rb").read() == before_file, "the connector file is unchanged")
test = subprocess.run(base + ["test", "web", "--ca-file", azf["AZF_CA"]], capture_output=True, text=True)
tap.is_(test.returncode, 0, "the stored token is unchanged: 'test web' still passes")
edraft = os.path.join(home, "edit-web.json")
kept = open(edraft).read() if os.path.exists(edraft) else ""
tap.ok('"must not be saved"' in kept and "wrong-token-value" not in kept and
       not os.path.exists(os.path.join(home, "draft.json")),
       "the edit's changes are in its own draft (edit-web.json), without the token; no 'new' draft")

# The next edit of that connector offers them; the SSH session dropping keeps them again.
t = Tui(base + ["edit", "web", "--ca-file", azf["AZF_CA"]], tap=tap)
try:
    t.wait_for("Resume")
    said = " ".join(t.screen_text().split())
    tap.ok("Changes to this connector were not saved" in said and
           "Secretstypedthenarenotinthedraft:thestoredonesareusedunlessgivenagain" in t.box_words(),
           "the next edit offers the unsaved changes, saying a secret typed then is not among them")
    t.send("y")
    t.wait_for("Check the values")
    tap.ok(t.has("must not be saved"), "taken: the description typed is back, on the review (that run quit on "
           "its test page)")
    t.send("1")
    t.wait_for("Name *")
    t.focus("Description")
    t.send(CTRL_U)
    t.type("kept across a drop")
    t.pump(0.3)
    # The far end of the pty closes, as sshd does; the fd number is left open on /dev/null, as
    # pexpect closes it again later (when the next Tui may have that number).
    nul = os.open(os.devnull, os.O_RDWR)
    os.dup2(nul, t.child.child_fd)
    os.close(nul)
    end = time.time() + 10
    while t.child.isalive() and time.time() < end:
        time.sleep(0.1)
except TuiTimeout as e:
    tap.diag("stopped: %s" % e)
if t.child.isalive():
    t.child.kill(signal.SIGKILL)
kept = json.load(open(edraft)) if os.path.exists(edraft) else {}
tap.is_(kept.get("description"), "kept across a drop", "the terminal gone: the field being typed is in the edit's draft")
with Tui(base + ["edit", "web", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Resume")
    t.send("y")
    t.wait_for("Name *")
    tap.is_(t.focused_label(), "Description", "resumed on the field being typed when the terminal went")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.finish("saved connector 'web'", "git-http", "the resumed edit")
tap.is_(json.load(open(conn)).get("description"), "kept across a drop", "saved: the change resumed is in the file")
tap.ok(not os.path.exists(edraft), "and the edit's draft is gone")
before_file = open(conn, "rb").read()

# Only a secret changed, then quit: nothing a draft keeps, and the question does not promise one.
with Tui(base + ["edit", "web", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_token()
    t.paste("wrong-token-value")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    said = re.sub(r"[\s│|]", "", t.screen_text())  # the question, wrapped in the dialog's box
    asked = "Whatwastypedislost:asecretisneverkeptinthedraft." in said and "staysinthedraft" not in said
    t.send("y")
    tap.is_(t.wait_exit(), 5, "only the token changed, quit: exit 5")
tap.ok(asked and b"cancelled: nothing was saved" in bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1] and
       b"kept in" not in bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1] and not os.path.exists(edraft),
       "... the question and the last words promise no draft, and none is written")

with Tui(base + ["edit", "web", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_token()
    t.paste("wrong-token-value")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("FAILED", timeout=30)
    t.send(ENTER)  # a key the failed test does not take: said, with the ones it takes
    tap.ok(t.has("FAILED") and t.has("not a key of this page: R runs the test again"),
           "Enter on the failed test is not ignored without a word: the page's keys are named")
    t.send("s")
    t.wait_for("Save the connector")
    t.send("y")
    t.wait_for("saved connector 'web'")
    said = "".join(t.screen_text().replace(" \\\n", "\n").split())  # a command's rows end in " \\"
    shown = command_rows(t, "Check it again with:")
    tap.ok("Checkitagainwith:" in said and said.endswith("testweb--ca-file%sEnterfinish" % azf["AZF_CA"]) and
           t.has("  git-http: ") and not t.has("not a key of this page") and
           sum(l.rstrip().endswith(" \\") for l in t.lines()) == len(shown) - 1,
           "saved anyway: the page gives the failure and the command to test again whole (rows there are); "
           "only the command's rows end in ' \\'")
    t.send(CTRL_C)  # once saved, Ctrl-C leaves as Enter does: nothing to cancel
    tap.is_(t.wait_exit(), 4, "saved anyway: exit 4 (the test failed)")
    again = re.search(rb"Check it again with:\r?\n  (azrepos-connect [^\r\n]*)", bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1])
    tap.ok(len(shown) > 1 and again and shell_words("\n".join(shown)) == shell_words(again.group(1).decode()),
           "the command wrapped on the screen (--home with a quote in it) is, copied whole, the one printed at "
           "the end")
    tap.ok(b"cancelled" not in bytes(t.raw), "Ctrl-C after saving does not call it cancelled")
test = subprocess.run(base + ["test", "web", "--ca-file", azf["AZF_CA"]], capture_output=True, text=True)
tap.is_(test.returncode, 4, "the new token replaced the stored one: 'test web' now fails (exit 4)")
tap.ok("rejected" in test.stdout + test.stderr, "with the token rejected")

# The store id free when checked, taken by another process before 'save anyway':
# never replaced, and nothing saved.
with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_credentials("race", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type("ci")
    t.focus("Personal Access Token")
    t.paste("wrong-token-value")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("FAILED", timeout=30)
    other = subprocess.run(base + ["secret", "set", "race-token", "--from-file", azf["AZF_TOKEN_FILE"]],
                           capture_output=True, text=True)
    t.send("s")
    t.wait_for("Save the connector")
    t.send("y")
    t.wait_for("meanwhile")
    tap.ok(other.returncode == 0 and t.has("another process stored a secret 'race-token'"),
           "save anyway after another process took the store id: refused, saying so")
    t.quit()
tap.ok(not os.path.exists(os.path.join(home, "connectors", "race.json")), "no connector file was written")
check = subprocess.run(base + ["new", "--non-interactive", "--name", "raced", "--url-type", "repo",
                               "--url", azf["AZF_REPO_URL"], "--username", "ci", "--token-secret", "race-token",
                               "--ca-file", azf["AZF_CA"]], capture_output=True, text=True)
tap.is_(check.returncode, 0, "the other process's secret is intact: a connector using it passes its test")
if check.returncode:
    tap.diag(check.stderr)

# API access turned off: its own token, named by no connector now, stays in the store; the
# end says so, with the command that removes it. Beside a connector file refused as it is (it
# may name that token), the token is not offered for removal, and the end says why.
bad = os.path.join(home, "connectors", "bad.json")
for name, refused in (("api", False), ("api2", True)):
    made = new_http(base, azf, name, "--api-access", "true", "--api-token-file", azf["AZF_TOKEN_FILE"],
                    "--api-token-secret", name + "-pat", "--ca-file", azf["AZF_CA"])
    if refused:
        with open(bad, "w") as f:
            f.write('{"schema": 1, "name": "bad", "colour": "blue"}\n')
    with Tui(base + ["edit", name, "--ca-file", azf["AZF_CA"]], tap=tap) as t:
        t.wait_for("Name *")
        t.send(PGDN)
        t.wait_for("URL type *")
        t.send(PGDN)
        t.focus("Enable API access")
        t.send(" ")
        t.send(F10)
        t.wait_for("Check the values")
        t.send(ENTER)
        t.wait_for("Enter finish", timeout=30)
        said = " ".join(t.screen_text().split())
        if refused:
            tap.ok(made.returncode == 0 and "No connector read names api2-pat now, but a connector file that is "
                   "refused may (see 'list'). Enter finish" in said and "secret rm" not in said,
                   "beside a refused connector file: the secret is not offered for removal, and the end says why")
        else:
            tap.ok(made.returncode == 0 and "No saved connector uses the secret 'api-pat' now (it stays in the store)." in said and
                   "To remove it: azrepos-connect --home" in said and said.endswith("secret rm api-pat Enter finish"),
                   "an edit that leaves a secret unused says so, with the command that removes it")
        t.send(ENTER)
        tap.is_(t.wait_exit(), 0, "and ends as a saved edit does (exit 0)")
os.remove(bad)

# Once the store is open (the test tried), the review says what it holds: a store id taken.
with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_credentials("takenid", azf["AZF_REPO_URL"])
    for label, value in (("Personal Access Token", "some-other-token-value"), ("store id", "web-token"),
                         ("Username", "ci")):
        t.focus(label)
        t.paste(value)
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("Nothing was saved", timeout=30)
    t.send("b")
    t.wait_for("Check the values")
    said = " ".join(t.screen_text().split())
    tap.ok("(new, but the store already has 'web-token': give it another store id)" in said,
           "back on the review after the store said so: the taken store id is said there too")
    t.quit()

# Changes left in a draft, then the connector changed by another run: offered over that change
# (the other run's values where the draft changed nothing, the draft's kept where both changed,
# said); no, and the saved values show.
with Tui(base + ["edit", "api", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    t.focus("Description")
    t.send(CTRL_U)
    t.type("typed on the old one")
    t.quit()
other = subprocess.run(base + ["edit", "api", "--non-interactive", "--skip-test", "--description", "changed meanwhile",
                               "--tags", "later"], capture_output=True, text=True)
for answer in ("n", "y"):
    with Tui(base + ["edit", "api", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
        t.wait_for("Resume")
        said = " ".join(t.box_words().split())
        if answer == "n":
            tap.ok(other.returncode == 0 and "anotherrunsaveditsince:theygooverwhatitsaved" in said,
                   "a draft of changes to a connector changed since: offered, over what the other run saved")
            t.send("n")
            t.wait_for("Name *")
            tap.ok((t.value("Description") or "").strip() == "changed meanwhile" and
                   (t.value("Tags") or "").strip() == "later", "... no: the saved values show")
            t.send(CTRL_C)
            tap.is_(t.wait_exit(), 5, "... nothing typed: Ctrl-C quits at once (the draft kept)")
        else:
            t.send("y")
            t.wait_for("Name *")
            tap.ok((t.value("Description") or "").strip() == "typed on the old one" and
                   (t.value("Tags") or "").strip() == "later" and
                   "changed by the other run too, the draft's values kept: Description" in
                   " ".join(t.screen_text().split()),
                   "... yes: the draft's description over the other's (said), the other's tags taken")
            t.quit()
# A new PAT under the id the API token names too: the review says the API token gets that new value.
made = new_http(base, azf, "fx", "--api-access", "true", "--skip-test")
with Tui(base + ["edit", "fx"], tap=tap) as t:
    t.to_token()
    t.paste(open(azf["AZF_TOKEN_403_FILE"]).read())
    t.send(F10)
    t.wait_for("Check the values")
    said = " ".join(t.screen_text().split())
    tap.ok(made.returncode == 0 and "API Personal Access Token the new value given for Personal Access Token "
           "(the same secret 'fx-token')" in said, "a new PAT under the API token's id: said so on the review")
    t.quit()
adraft = os.path.join(home, "edit-api.json")
was = os.path.exists(adraft)
gone = subprocess.run(base + ["delete", "api", "--yes"], capture_output=True, text=True)
tap.ok(was and gone.returncode == 0 and not os.path.exists(adraft) and not os.path.exists(adraft + ".lock"),
       "'delete' removes the connector's edit draft too, and its lock")

# Only a secret changed in an edit: no draft (a draft holds no secret), and none is said to be kept.
wdraft = os.path.join(home, "edit-web.json")
with Tui(base + ["edit", "web", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_token()
    t.paste(open(azf["AZF_TOKEN_403_FILE"]).read())
    t.send(TAB)
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    tap.is_(t.wait_exit(), 5, "a new token only, then Ctrl-C y: exit 5")
    tap.ok(not os.path.exists(wdraft) and b"cancelled: nothing was saved" in bytes(t.raw) and
           b"are kept in" not in bytes(t.raw), "... no draft is written, and none is said to be kept")

# Two wizards on one connector: the second keeps no draft, and its save leaves the first's alone.
made = new_http(base, azf, "two", "--ca-file", azf["AZF_CA"])
wdraft = os.path.join(home, "edit-two.json")
a = Tui(base + ["edit", "two", "--ca-file", azf["AZF_CA"]], tap=tap)
try:
    a.wait_for("Name *")
    a.focus("Description")
    a.type(" from A")
    a.send(TAB)
    with Tui(base + ["edit", "two", "--ca-file", azf["AZF_CA"]], tap=tap) as b:
        b.wait_for("Name *")
        said = "".join(b.screen_text().split())
        tap.ok(("anotherwizard(pid%d)isusingthedraft" % a.child.pid) in said and not b.has("Resume"),
               "the other wizard is not offered the first one's draft, which it names")
        b.focus("Description")
        b.type(" from B")
        b.send(F10)
        b.wait_for("Check the values")
        b.send(ENTER)
        b.finish("saved connector 'two'", "git-http", "another wizard saving meanwhile")
    tap.ok(os.path.exists(wdraft) and "from A" in open(wdraft).read(), "the first wizard's draft is still there")
    a.send(CTRL_C)
    a.wait_for("Quit without saving")
    a.send("y")
    a.wait_exit()
    tap.ok(b"are kept in" in bytes(a.raw) and os.path.exists(wdraft), "and it says it is kept, and it is")
finally:
    a.close()
# Kept over the connector as the other wizard saved it: the next edit offers it (a draft of
# changes to an older connector would not be), this edit's description in it.
with Tui(base + ["edit", "two", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Go on with them?")
    t.send("y")
    t.wait_for("Name *")
    tap.ok("from A" in (t.value("Description") or "") and "from B" not in (t.value("Description") or ""),
           "the first wizard's draft, kept after the other saved, is offered by the next edit, its value there")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()

# An edit whose save loses to another run's: the values saved meanwhile are taken where this edit
# changed nothing, its own changes kept (one changed there too: named); the next Enter saves both.
made = new_http(base, azf, "race", "--ca-file", azf["AZF_CA"], "--description", "first")
rconn = os.path.join(home, "connectors", "race.json")
with Tui(base + ["edit", "race", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    t.focus("Description")
    t.send("\x05")
    t.type(" and mine")
    t.focus("Tags")
    t.type("team:mine")
    t.send(TAB)
    other = subprocess.run(base + ["edit", "race", "--non-interactive", "--skip-test", "--name", "Race Renamed",
                                   "--tags", "team:theirs"], capture_output=True, text=True)
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("was changed by another run", 40)
    said = " ".join(t.screen_text().split())
    tap.ok(made.returncode == 0 and other.returncode == 0 and
           "Its values now are taken where you changed nothing, your changes kept over them (changed there too, "
           "yours kept: Tags)" in said and json.load(open(rconn)).get("description") == "first",
           "an edit saved by another run meanwhile: nothing saved; its values taken, this edit's kept, a field both changed named")
    t.send(ENTER)
    t.wait_for("Check the values")
    said = " ".join(t.screen_text().split())
    tap.ok("Race Renamed" in said and "first and mine" in said and "team:mine" in said,
           "the review shows the other run's name with this edit's description and tags")
    t.send(ENTER)
    t.finish("saved connector 'race'", "git-http", "saved again after the other run's change")
saved = json.load(open(rconn))
tap.ok((saved.get("name"), saved.get("description"), saved.get("tags")) == ("Race Renamed", "first and mine", ["team:mine"])
       and not os.path.exists(os.path.join(home, "edit-race.json")),
       "the file holds both runs' changes (this edit's where both changed); no draft left")

# A store unlocked with a key file, the wizard started without it: said at once, before anything
# is typed (its end could not open the store), with where --key-file goes.
with Tui([binary, "--home", home, "new"], tap=tap) as t:
    rc = t.wait_exit()
    said = " ".join(bytes(t.raw).decode("utf-8", "replace").split())
    tap.ok(rc == 2 and "the secret store is unlocked with a key file: give --key-file F, before the command" in said,
           "no --key-file for a key-file store: the wizard does not start (exit 2), and says where it goes")

# A first store made with a new key file: its note (keep a copy of the key file) is on the plain
# terminal at the end, not only on the screen that goes away.
newkey = os.path.join(tmp, "made.key")
with Tui([binary, "--home", os.path.join(tmp, "h-made"), "--key-file", newkey, "new", "--ca-file", azf["AZF_CA"]],
         tap=tap) as t:
    t.to_credentials("made", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type("ci")
    t.focus("Personal Access Token")
    t.paste(open(azf["AZF_TOKEN_FILE"]).read())
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.finish("saved connector 'made'", "git-http", "a first store with a new key file")
    tail = bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1].decode("utf-8", "replace")
    tap.ok(os.path.exists(newkey) and ("created the key file %s for the new secret store: keep a copy" % newkey)
           in " ".join(tail.split()), "the key file made is named at the end, with 'keep a copy'")
# Saved, only the store's folder not synced (EIO): the wizard says it saved and what was not synced,
# on the screen and after it, exit 16; the edit's draft is gone (the change is in the file).
xdg = os.path.join(tmp, "xdg")
os.environ.update(XDG_CONFIG_HOME=xdg + "/config", XDG_DATA_HOME=xdg + "/data", XDG_STATE_HOME=xdg + "/state")
xbase = [binary, "--key-file", key_file(os.path.join(tmp, "xdg.key"))]
tap.is_(subprocess.run(xbase + ["new", "--non-interactive", "--name", "sync", "--url-type", "repo", "--url",
                                azf["AZF_REPO_URL"], "--username", azf["AZF_USER"], "--token-file",
                                azf["AZF_TOKEN_403_FILE"], "--skip-test"]).returncode, 0,
        "a connector saved with the PAT that lacks Code (Read)")
data = os.path.join(xdg, "data", "azrepos-connect")
asan = os.environ.get("ASAN_OPTIONS")
fault = {"LD_PRELOAD": os.path.join(os.environ["top_builddir"], "tests", "integration", "faultfs.so"),
         "FAULT_DIR": data, "FAULT_NAME": data, "FAULT_CALL": "fsync", "FAULT_NTH": "2", "FAULT_ERRNO": "5",
         # The shim loads before a sanitizer build's runtime, which then must not refuse to start.
         "ASAN_OPTIONS": "%sverify_asan_link_order=0" % (asan + ":" if asan else "")}
with Tui(xbase + ["edit", "sync", "--ca-file", azf["AZF_CA"]], env=fault, tap=tap) as t:
    t.to_token()
    t.paste(open(azf["AZF_TOKEN_FILE"]).read())
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("saved connector 'sync'", 40)
    words = "".join(t.screen_text().split())
    tap.ok("Butthesecretstore" in words and "syncingitsfolderfailed" in words and "nothingissaved" not in words,
           "the store's folder not synced: the wizard says it saved, and what was not synced")
    t.send(ENTER)
    rc = t.wait_exit()
    tail = " ".join(bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1].decode("utf-8", "replace").split())
    tap.ok(rc == 16 and "saved connector 'sync'" in tail and "syncing its folder failed" in tail,
           "... exit 16, and both said again on the plain terminal")
ran = subprocess.run(xbase + ["test", "sync", "--ca-file", azf["AZF_CA"]], capture_output=True, text=True)
state = os.path.join(xdg, "state", "azrepos-connect")
tap.ok(ran.returncode == 0 and os.path.isdir(state) and
       [f for f in os.listdir(state) if not f.endswith(".lock")] == [],
       "... the new token is the one stored (the test passes), and no draft is left")
# The same with a key made by 'secret set --generate' replaced (its public key file is removed, and
# said after the save): what was not synced is still the one said.
gen = subprocess.run(xbase + ["secret", "set", "k1", "--generate"], capture_output=True, text=True)
made = subprocess.run(xbase + ["new", "--non-interactive", "--name", "s", "--url-type", "repo", "--connection", "ssh",
                               "--url", azf["AZF_SSH_URL"], "--ssh-key-secret", "k1", "--skip-test"],
                      capture_output=True, text=True)
with Tui(xbase + ["edit", "s"], env=fault, tap=tap) as t:
    t.to_token("SSH private key")
    t.type(azf["AZF_SSH_KEY"])
    t.to_test()
    t.wait_for("S save anyway", 40)
    t.send("s")
    t.wait_for("Save the connector")
    t.send("y")
    t.wait_for("saved connector 's'", 40)
    t.send(ENTER)
    rc = t.wait_exit()
    tail = " ".join(bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1].decode("utf-8", "replace").split())
    tap.ok(gen.returncode == 0 and made.returncode == 0 and rc == 4 and
           "But the secret store" in tail and "syncing its folder failed" in tail and "But Removed" not in tail,
           "a replaced key's public key file removed after the save: the unsynced store is still what is said "
           "(exit 4: a failed test saved anyway keeps its status)")
# A value that another field's change made wrong is said at once, not at Next: the HTTPS URL
# of an edit once SSH is chosen.
with Tui(base + ["edit", "web"], tap=tap) as t:
    t.wait_for("Name *")
    t.send(PGDN)
    t.wait_for("URL type *")
    said_before = t.message("URL")
    t.focus("Connection type")
    t.send(RIGHT)
    t.settle()
    said = " ".join((t.message("URL") or "").split())
    tap.ok(not said_before and "this is an HTTPS URL but the connection type is SSH: choose HTTP, or use" in said,
           "an edit's URL, SSH chosen: its message shows at once, without the flag a script would give "
           "(--connection http)")
    t.send(CTRL_C)
    t.wait_for("y yes   n no")
    t.send("y")
    t.wait_exit()
# Tags are shown as the review shows them ("a, b") and, left as they are, change nothing.
tagged = new_http(base, azf, "tagged", "--skip-test", "--tags", "team:pay,prod")
with Tui(base + ["edit", "tagged", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    tap.ok(tagged.returncode == 0 and (t.value("Tags") or "").strip() == "team:pay, prod",
           "an edit shows the saved tags as 'team:pay, prod'")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.finish("connector 'tagged' unchanged: nothing written", "git-http", "an edit of tags left as they were")
# A failed test offers E: the field at fault in focus (the token refused, the URL whose names are not
# found), its value kept; fixed there, the test passes.
made = new_http(base, azf, "efix", "--skip-test")
with Tui(base + ["edit", "efix", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    t.send(PGDN)
    t.focus("URL")
    t.send(CTRL_U)
    t.type(azf["AZF_REPO_URL"].replace("/Payments/", "/Paymnts/"))
    t.to_test()
    t.wait_for("FAILED", timeout=30)
    said = " ".join(t.screen_text().split())
    tap.ok(made.returncode == 0 and t.has("E edit URL") and "E goes to the URL" in said and
           "project 'Paymnts'" in said, "a project not found: E offered, to the URL, the project named")
    t.send("e")
    t.wait_for("URL type *")
    tap.ok(t.focused_label() in ("URL", "URL *") and "Paymnts" in (t.value("URL") or ""),
           "E: the Details page, the URL in focus, as typed")
    t.send(CTRL_U)
    t.type(azf["AZF_REPO_URL"])
    t.to_test()
    t.finish("connector 'efix' unchanged: nothing written", "git-http", "the URL fixed after E")

# A new scope: the Harness secret scope that was the scope's follows it, as edit --scope moves it.
made = subprocess.run(base + ["new", "--non-interactive", "--name", "scoped", "--scope", "project", "--org", "o1",
                              "--project", "p1", "--url-type", "repo", "--url", azf["AZF_REPO_URL"], "--username", "ci",
                              "--token-file", azf["AZF_TOKEN_FILE"], "--skip-test"], capture_output=True, text=True)
with Tui(base + ["edit", "scoped"], tap=tap) as t:
    t.wait_for("Name *")
    t.focus("Scope")
    t.send(LEFT)
    t.send(LEFT)
    t.send(F10)
    t.wait_for("Check the values")
    tap.ok(made.returncode == 0 and "HarnesssecretscopeAccount:account.scoped-token" in "".join(t.screen_text().split()),
           "the scope changed from Project to Account: the secret scope follows, the review goes on")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()
tap.done()
PY
