# e2e: a new user's whole walk through the wizard in a pseudo-terminal: HTTPS
# Repository URL, the token pasted, API access on, the store passphrase asked
# twice, the probes pass against the local servers, the connector is saved.
. "$top_srcdir/tests/e2e/wizard_lib.sh"
wizard_python <<'PY'
import filecmp, json, os, re, shlex, shutil, subprocess, sys
import pexpect
from tui import *

binary, tmp, azf = context()
home = os.path.join(tmp, "home")
answers = os.path.join(tmp, "answers.json")
token = open(azf["AZF_TOKEN_FILE"]).read()
passphrase = "correct horse battery"
tap = Tap(77)

def typed_in(t, row, path):
    """Is path what the box's input on row holds: whole, or its end (a long one scrolls)?"""
    seen = (box_inner(t.line(row)) or "").strip().lstrip("\u2026<")
    return len(seen) >= min(len(path), 40) and path.endswith(seen)

with Tui([binary, "--home", home, "new", "--ca-file", azf["AZF_CA"], "--write-answers", answers], tap=tap) as t:
    t.wait_for("Name *")
    tap.ok(t.has("azrepos-connect - new Azure Repos connector") and
           t.has("Overview › Details › Credentials › Delegates › Review › Test"),
           "the wizard opens on the Overview page, with its title and steps")
    tap.is_(t.focused_label(), "Name *", "the focus starts on the name")
    t.type("Web App")
    tap.is_(t.value("Identifier"), "Web_App", "the identifier follows the name")
    t.key(ENTER, 5)  # identifier, description, tags, scope, next page
    t.wait_for("URL type *")
    tap.ok(t.has("( ) Project   ( ) Repository"), "the URL type starts with none chosen")
    t.key(RIGHT, 2)
    tap.ok("(•) Repository" in t.value("URL type"), "two Right arrows choose Repository")
    t.key(ENTER, 3)  # connection type (HTTP by default), allow http, URL
    tap.is_(t.focused_label(), "URL *", "Enter walks down to the URL")
    t.type(azf["AZF_REPO_URL"])
    tap.is_(t.field_row("Test repository"), -1, "no Test repository for a Repository URL")
    t.send(ENTER)
    t.wait_for("Username *")
    tap.is_(t.focused_label(), "Username *", "Enter on the last field opens the Credentials page")
    t.type(azf["AZF_USER"])
    t.send(ENTER)
    t.paste(token)
    v = t.value("Personal Access Token") or ""
    masked = v.strip().lstrip("\u2026")
    tap.ok(masked == "•" * len(masked) and len(masked) >= 40 and token not in t.screen_text(),
           "the pasted token shows as one • per character, never in clear")
    # 52 characters in 47 cells: cut, it says so as a value in clear does.
    tap.ok(len(token) > 47 and v.startswith("\u2026•"),
           "a masked token longer than its cell, the cursor at its end: '…' where its start went")
    t.send("\x01")  # ^A: to the start
    v = t.value("Personal Access Token") or ""
    tap.ok(v.endswith("•\u2026") and len(v) == 47, "... at its start: '…' in the last cell, where it goes on")
    tap.ok("web_app-token (default)" in t.screen_text(), "its store id defaults to web_app-token")
    t.key(ENTER, 2)  # the store id, then Enable API access
    tap.is_(t.focused_label(), "Enable API access", "on to Enable API access")
    t.send(SPACE)
    tap.is_(t.value("Enable API access"), "[x] Yes", "Space turns API access on")
    tap.ok(t.field_row("API Personal Access Token") > 0, "the API token field appears")
    t.key(ENTER, 4)  # API token (shares the token), its store id, secret scope, next page
    t.wait_for("Delegates *")
    t.send(ENTER)
    t.wait_for("Check the values")
    scr = t.screen_text()
    tap.ok("Web App" in scr and "Repository" in scr and azf["AZF_USER"] in scr and
           "•••• (new, kept as 'web_app-token')" in scr,
           "the review lists the values, the token only as •••• and its store id")
    tap.ok(token not in scr, "the review never shows the token")
    url = azf["AZF_REPO_URL"]
    head, tail = url[:url.rindex("/") + 1], url[url.rindex("/") + 1:]
    r = t.find(head)
    tap.ok(r >= 0 and t.line(r + 1).strip() == tail,
           "a URL too long for the review wraps after a '/', not inside a name")
    t.send(ENTER)
    t.wait_for("New passphrase for the secret store:")
    tap.ok(t.has("Secret store") and t.has("OK      git-http"),
           "the probes pass, then a new store's passphrase is asked in a dialog")
    r = t.find("New passphrase for the secret store:")
    tap.ok(r > 0 and "nosecretstoreyet:anewoneismade," in t.box_words() and
           "askedwheneverasecretisread" in t.box_words() and
           t.find("no secret store yet") < r and (box_inner(t.line(r - 1)) or "-").strip() == "",
           "a new store is said in the box, above the prompt (a blank line between)")
    tap.ok("itspassphraseisaskedwheneverasecretisread,andnothingcanrecoverit"
           in t.box_words(), "the note is there whole, its warning too (nothing can recover the passphrase)")
    t.type(passphrase)
    tap.ok(passphrase not in t.screen_text(), "the passphrase is not shown")
    t.send(ENTER)
    t.wait_for("Repeat the passphrase:")
    t.type(passphrase + "x")  # a slip
    t.send(ENTER)
    t.wait_for("do not match: type it again")
    tap.ok(t.has("New passphrase for the secret store:"), "passphrases that differ: said, and asked again")
    tap.ok("andnothingcanrecoverit" in t.box_words() and t.find("do not match") < t.find("no secret store yet"),
           "... the new store's note still there, under the slip")
    t.type(passphrase)
    t.send(ENTER)
    t.wait_for("Repeat the passphrase:")
    t.type(passphrase)
    t.send(ENTER)
    t.wait_for("saved connector 'Web_App'", 40)
    scr = t.screen_text()
    tap.ok("OK      git-http" in scr and "OK      api" in scr, "both probes pass")
    # The command to test again, wrapped on the screen: its rows, copied whole, are one shell command.
    shown = command_rows(t, "Test it again with")
    tap.ok(t.has("Enter finish"), "the key line offers to finish")
    t.send(ENTER)
    rc = t.wait_exit()
    tap.is_(rc, 0, "Enter quits with exit status 0")
    tap.ok(b"saved connector 'Web_App' in " + home.encode() + b"/connectors/Web_App.json" in t.raw,
           "the saved line is printed again once the screen is given back")
    after = bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1]
    tap.ok(b"saved connector" in after and b"do not match" not in after,
           "after a success, the slips the dialog showed are not printed again")
    tap.ok(b"Testitagainwith(theCAisnotpartoftheconnector):azrepos-connect--home" + home.encode() +
           b"testWeb_App--ca-file" + azf["AZF_CA"].encode() in b"".join(after.split()),
           "the --ca-file the wizard was started with: the saved line gives the command that tests it "
           "again, with that CA")
    # That command, as pasted into a shell, passes (the passphrase on its terminal).
    again = re.search(rb"Test it again with \(the CA is not part of the connector\):\r?\n  (azrepos-connect [^\r\n]*)",
                      after)
    tap.ok(len(shown) > 1 and all(l.endswith(" \\") for l in shown[:-1]) and again and
           shell_words("\n".join(shown)) == shell_words(again.group(1).decode()),
           "the command wrapped on the screen: its rows end in ' \\', and copied whole, they are the command "
           "printed at the end")
    with Tui([binary] + shlex.split(again.group(1).decode())[1:] if again else ["false"], tap=tap) as a:
        a.wait_for("Passphrase for the secret store:")
        a.type(passphrase)
        a.send(ENTER)
        tap.is_(a.wait_exit(), 0, "run as printed, the test passes (the CA given again)")
    # The next step is printed as a command: pasted into a shell, it exports the connector.
    ran = run_printed(t, binary)
    tap.ok(ran.returncode == 0 and "type: AzureRepo" in ran.stdout and "identifier: Web_App" in ran.stdout,
           "the command printed at the end ('for Harness: ...') exports the connector saved")

tap.tui = None
conn = os.path.join(home, "connectors", "Web_App.json")
try:
    c = json.load(open(conn))
except Exception as e:
    c = {}
    tap.diag("cannot read %s: %s" % (conn, e))
want = {"name": "Web App", "identifier": "Web_App", "scope": "account", "url-type": "repo",
        "connection": "http", "url": azf["AZF_REPO_URL"], "username": azf["AZF_USER"],
        "token-secret": "web_app-token", "api-access": True, "api-token-secret": "web_app-token",
        "delegates": "any"}
tap.is_({k: c.get(k) for k in want}, want, "the connector file holds the values typed")
tap.ok(token.encode() not in t.raw, "the token never crossed the terminal (raw transcript)")
tap.is_(any_file_holds(home, token.encode()), [], "no file under --home holds the token in clear")
tap.ok(os.path.exists(os.path.join(home, "secrets.store")) and
       not os.path.exists(os.path.join(home, "draft.json")),
       "the store exists and the draft is gone after saving")

# The store took the passphrase typed twice, and the token pasted: `test` passes with it.
child = pexpect.spawn(binary, ["--home", home, "test", "Web_App", "--ca-file", azf["AZF_CA"]],
                      timeout=30, dimensions=(24, 80))
i = child.expect([b"Passphrase for the secret store: ", pexpect.EOF, pexpect.TIMEOUT])
if i == 0:
    child.sendline(passphrase.encode())
child.expect(pexpect.EOF)
out = child.before or b""
child.close()
tap.ok(i == 0 and child.exitstatus == 0 and b"git-http" in out and b"wrong passphrase" not in out,
       "'test Web_App' unlocks the store with that passphrase and passes")
if child.exitstatus != 0:
    tap.diag(out.decode("utf-8", "replace"))

# --write-answers: no secret in it, and replaying it makes the same connector.
try:
    a = open(answers, "rb").read()
except OSError:
    a = b""
tap.ok(a and token.encode() not in a and b"web_app-token" in a, "the answers file has the store ids, no secret")
home2 = os.path.join(tmp, "home2")
key = key_file(os.path.join(tmp, "store2.key"))
child = pexpect.spawn(binary, ["--home", home2, "--key-file", key, "new", "--non-interactive",
                               "--answers", answers, "--token-file", azf["AZF_TOKEN_FILE"],
                               "--ca-file", azf["AZF_CA"]], timeout=30)
child.expect(pexpect.EOF)
out = child.before or b""
child.close()
conn2 = os.path.join(home2, "connectors", "Web_App.json")
tap.ok(child.exitstatus == 0 and os.path.exists(conn2) and filecmp.cmp(conn, conn2, shallow=False),
       "replaying the answers (non-interactive) gives a byte-identical connector file")
if child.exitstatus != 0:
    tap.diag(out.decode("utf-8", "replace"))

# A dry run without --ca-file: the review says '↑ more' once scrolled, the test page its time
# limit; the server's certificate is not trusted, and C asks for the CA file: a path that will
# not do is said in the box, which asks again with the path as typed.
cahome = os.path.join(tmp, "cahome")
os.makedirs(cahome)
shutil.copy(azf["AZF_CA"], os.path.join(cahome, "ca.pem"))
with Tui([binary, "--home", os.path.join(tmp, "home3"), "new", "--dry-run", "--name", "Ca Test",
         "--url-type", "repo", "--connection", "http", "--url", azf["AZF_REPO_URL"],
         "--username", azf["AZF_USER"]], env={"HOME": cahome}, tap=tap) as t:
    t.to_token()
    t.paste(token)
    t.send(F10)
    t.wait_for("Check the values")
    at_top = t.line(3)
    t.key(DOWN, 3)
    scrolled, first = t.line(3), t.line(4)
    t.key(UP, 3)
    tap.ok("↑ more" not in at_top and "↑ more" in scrolled and "Overview" not in first and
           "↑ more" not in t.line(3), "the review says '↑ more' once scrolled down, not at its top")
    t.send(PGDN)
    t.send(PGDN)
    tap.ok(t.has("4 Delegates") and t.has("Any available delegate") and not t.has("↓ more") and
           t.has("↑ more") and t.has("Check the values"),
           "PgDn scrolls the review to its end, and stays there (no blank screen past it)")
    t.send(PGUP)
    tap.ok(t.has("Check the values") and t.has("1 Overview") and not t.has("↑ more"),
           "PgUp scrolls back up to the top, still on the review")
    keys = t.line(t.rows - 1)
    tap.ok("PgUp/PgDn" in keys and "Home/End" in keys, "the review's key line names PgUp/PgDn and Home/End")
    t.send(PGDN)
    t.send(HOME)
    tap.ok(t.has("1 Overview") and not t.has("↑ more") and t.has("Check the values"),
           "Home: back to the review's top, still on the review")
    t.send(END)
    tap.ok(t.has("Any available delegate") and not t.has("↓ more") and t.has("↑ more"),
           "End: the review's last screenful, at once")
    t.send(HOME)
    t.send(PGUP)
    t.wait_for("Delegates *")
    tap.ok(not t.has("Check the values"), "PgUp at the top of the review: the page before (Delegates)")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("C CA file", 40)
    tap.is_(t.line(3).strip(), "Connection test of 'Ca_Test' (at most 30 s)",
            "the test page gives its time limit (30 s by default)")
    t.send("c")
    ask = "Path of your CA's certificate file"
    r = t.wait_for(ask)
    tap.ok("CA file" in t.line(r - 2) and box_inner(t.line(r - 1)).strip() == "" and
           "Enter done" in t.line(r + 3), "the box: one blank row under its title, then the prompt, the value, "
           "a blank and its keys, as a question's box")
    wrong = os.path.join(tmp, "no-such-ca.pem")
    t.type(wrong)
    t.send(ENTER)
    r = t.find(ask)  # the box grew by the message and a blank line
    tap.ok(r > 0 and ("cannotread%s:Nosuchfileordirectory" % "".join(wrong.split())) in t.box_words() and
           typed_in(t, r + 1, wrong) and not any("cannot read" in t.line(i) for i in range(r + 2, t.rows)),
           "a CA file that cannot be read: said in the box (only there, the path tried), asked again, the path kept")
    t.key(BACKSPACE, len("no-such-ca.pem"))
    t.settle()
    tap.ok(not any("cannot read" in t.line(i) for i in range(t.rows)),
           "an edit of the path clears what was said of the one before")
    t.type("fix/env")
    t.send(ENTER)
    no_cert = "no -----BEGIN CERTIFICATE----- line in it"
    tap.ok(no_cert in t.line(t.find(ask) - 2), "a file that is not PEM: said there too")
    # A path as a shell command has it, quoted or with '\ ': the file it names is the one read.
    spaced = os.path.join(tmp, "not a ca.txt")
    with open(spaced, "w") as f:
        f.write("plain text\n")
    for typed in ("'%s'" % spaced, spaced.replace(" ", "\\ ")):
        t.send(CTRL_U)
        t.type(typed)
        t.send(ENTER)
        t.settle()
        tap.ok(no_cert in t.line(t.find(ask) - 2), "a CA path typed as %s: the file it names is read" % typed[-12:])
    t.send(CTRL_U)
    t.type("/" + "x" * 70)
    t.settle()
    tap.ok((box_inner(t.line(t.find(ask) + 1)) or "").strip().startswith("\u2026" + "x" * 20),
           "a path longer than the box: its first cell says its start is out of sight")
    t.send(ESC)
    t.wait_gone(ask)
    tap.ok(t.has("C CA file") and not t.has(no_cert), "Esc closes the box, its message with it")
    # A private key has a -----BEGIN line too: refused at once, named, the box kept for another path.
    t.send("c")
    t.wait_for(ask)
    t.type(azf["AZF_SSH_KEY"])
    t.send(ENTER)
    r = t.find(ask)
    tap.ok(r > 0 and "that is a private key, not a CA certificate" in t.line(r - 2) and
           typed_in(t, r + 1, azf["AZF_SSH_KEY"]), "a private key as the CA file: said in the box, which asks again")
    # A certificate block libcurl cannot load gets past the box: the test fails on the CA file, and
    # C is still there to give another (not only ^C).
    broken = os.path.join(tmp, "broken-ca.pem")
    with open(broken, "w") as f:
        f.write("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n")
    t.send(CTRL_U)
    t.type(broken)
    t.send(ENTER)
    t.wait_for("cannot read the CA file", 40)
    tap.ok(t.has("C CA file") and t.has("The CA file could not be used. Press C"),
           "a CA file that would not load: the test page still offers C")
    t.send("c")
    r = t.wait_for(ask)
    # Tab completes the path as a shell does; a start that names nothing is said.
    def tab_after(typed, said):
        """typed, then Tab: does the box come to say `said`?"""
        t.send(CTRL_U)
        t.type(typed)
        t.send(TAB)
        try:
            t.wait_for(said, 10)
            return True
        except TuiTimeout:
            return False
    nothing = tab_after("~/x", "Tab: no file starts with 'x' there")
    nothing = tab_after("~/nope/x", "Tab: there is no folder '~/nope/'") and nothing
    completed = tab_after("~/", "~/ca.pem")
    r = t.find(ask)
    tap.ok(nothing and completed and r > 0 and (box_inner(t.line(r + 1)) or "").strip() == "~/ca.pem" and t.has("Tab complete"),
           "Tab completes the CA file's path (~/ to ~/ca.pem); a start no file has, and a folder not there, are said")
    t.send(CTRL_U)
    t.type("  ~/ca.pem ")  # as in a shell: the spaces around it dropped, ~ the home folder
    t.send(ENTER)
    t.finish("the check passed", "git-http", "with the CA file given as ~/ca.pem")
# Started with a --ca-file that will not load: C starts from that path, to be mended.
with Tui([binary, "--home", os.path.join(tmp, "home3"), "new", "--dry-run", "--name", "Ca Test",
         "--url-type", "repo", "--connection", "http", "--url", azf["AZF_REPO_URL"],
         "--username", azf["AZF_USER"], "--ca-file", broken], tap=tap) as t:
    t.to_token()
    t.paste(token)
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("C CA file", 40)
    t.send("c")
    r = t.wait_for(ask)
    tap.ok(broken in t.line(r + 1), "C after --ca-file: the box starts from that file's path")
    # A name that ends in a space, as Tab completes it: kept whole, not trimmed as a paste's spaces.
    spaced_dir = os.path.join(tmp, "spaced ca")
    os.mkdir(spaced_dir)
    shutil.copy(azf["AZF_CA"], os.path.join(spaced_dir, "ca.pem "))
    t.send(CTRL_U)
    t.type(spaced_dir + "/c")
    t.send(TAB)
    t.wait_for("ca.pem")
    t.send(ENTER)
    t.finish("the check passed", "git-http", "a CA file whose name ends in a space, completed with Tab")

# While the store opens (Argon2id: a second or more) the test page says so: after the passphrase
# is given and before the first probe shows (the raw transcript's order, not the clock).
with Tui([binary, "--home", home, "edit", "Web_App", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("Passphrase for the secret store:")
    t.type(passphrase)
    mark = len(t.raw)
    t.send(ENTER)
    t.wait_for("connector 'Web_App' unchanged: nothing written", 40)
    after = bytes(t.raw[mark:])
    i, j = after.find(b"opening the secret store"), after.find(b"git-http")
    tap.ok(0 <= i < j, "while the store opens, the test page says so (before the probes show)")
    # The colour in force where it is written: replay every SGR of the transcript up to there.
    fg = None
    for m in re.finditer(rb"\x1b\[([0-9;]*)m", bytes(t.raw[:mark + max(i, 0)])):
        ps = [int(x) for x in m.group(1).split(b";") if x] or [0]
        for p in ps:
            fg = None if p in (0, 39) else p if 30 <= p <= 37 or 90 <= p <= 97 else fg
    tap.ok(i >= 0 and fg not in (31, 91), "... plainly, not in the red of an error (fg %r)" % fg)
    t.send(ENTER)
    t.wait_exit()

# The passphrase typed in part while the terminal is too small for its box: those keys wait for
# it, and with the rest typed after, open the store (none dropped, as the notice says).
with Tui([binary, "--home", home, "edit", "Web_App", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    t.to_test()
    t.wait_for("Passphrase for the secret store:")
    t.type(passphrase[:7])
    t.resize(20, 70)
    t.wait_for("The terminal is too small")
    tap.is_("".join(t.screen_text().split()),
            "Theterminalistoosmall:80x24isneeded,thisoneis70x20.Makeitlargertoseethebox'Secretstore':"
            "nothingislost,andthekeystypedmeanwhiletakeeffectthen.Ctrl-Cclosesthebox.",
            "too small for the passphrase's box: the sizes, then what to do, in that order")
    t.type(passphrase[7:-1])
    t.resize(24, 80)
    t.wait_for("Passphrase for the secret store:")
    t.type(passphrase[-1:])
    t.send(ENTER)
    t.wait_for("(unchanged: nothing written|wrong passphrase)", 40, regex=True)
    tap.ok(t.has("connector 'Web_App' unchanged: nothing written"),
           "the passphrase typed before, while and after the terminal was too small opens the store")
    t.send(ENTER)
    t.wait_exit()

# F4 opens the store too: once a secret is picked, no "opening" line is left behind.
with Tui([binary, "--home", home, "edit", "Web_App"], tap=tap) as t:
    t.to_token()
    t.send("\x1bOS")  # F4
    t.wait_for("Passphrase for the secret store:")
    # In the box as in the fields: two lines pasted are not taken; a paste over a masked value
    # replaces it (a wrong passphrase pasted, then the right one, opens the store).
    t.paste("one\ntwo")
    tap.ok(t.has("not pasted: 2 lines; paste one line"), "the passphrase box: a paste of two lines is refused")
    t.paste("not-the-passphrase")
    t.paste(passphrase)
    tap.ok(t.has("the pasted value replaced the one there"), "the passphrase box: a paste replaces the masked value")
    t.send(ENTER)
    t.wait_for("Stored secrets")
    t.send(ENTER)
    t.wait_gone("Stored secrets")
    t.send(TAB)
    tap.ok(not t.has("opening the secret store"), "after F4, the store open, its 'opening' line is gone")
    t.quit()

# A test that fails makes nothing: no store, not its new key file either (they come with a save).
bare, new_key = os.path.join(tmp, "bare"), os.path.join(tmp, "bare.key")
with Tui([binary, "--home", bare, "--key-file", new_key, "new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_credentials("Failing", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type(azf["AZF_USER"])
    t.focus("Personal Access Token")
    t.paste(open(azf["AZF_TOKEN_403_FILE"]).read().strip())
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("S save anyway", 40)
    tap.ok(not os.path.exists(new_key) and not os.path.exists(os.path.join(bare, "secrets.store")),
           "a failed test: no key file, no store made")
    t.send("s")
    t.wait_for("Save anyway")
    t.send("y")
    t.wait_for("saved connector 'Failing'", 40)
    tap.ok(os.path.exists(new_key) and t.has("created the key file"), "S saves anyway: the key file made then, and said")
    t.send(ENTER)
    tap.is_(t.wait_exit(), 4, "saved with a failed test: exit status 4")
words = "".join(t.screen_text().split())
again = "Checkitagainwith:azrepos-connect--home%s--key-file%stestFailing--ca-file%s" % (bare, new_key, azf["AZF_CA"])
tap.ok("(itsconnectiontestFAILED)" in words and "git-http:tokenlacksCode(Read)" in words and again in words,
       "saved anyway: the plain terminal keeps what failed and the command that checks it again")
# That command, run as printed (with the CA the wizard's test trusted), reaches the server: the
# token is what fails again.
again = re.search(rb"Check it again with:\r?\n  (azrepos-connect [^\r\n]*)", bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1])
r = subprocess.run([binary] + shlex.split(again.group(1).decode())[1:] if again else ["false"],
                   capture_output=True, text=True)
tap.ok(r.returncode == 4 and "lacks Code (Read)" in r.stdout and "certificate" not in r.stdout,
       "run as printed, the check fails on the token again, not on the server's certificate")

# A home others can write in (made so while the wizard runs: at its start it is refused): said on
# the test page before the probes run (they would send the token), as without the wizard.
loose = os.path.join(tmp, "loose")
os.mkdir(loose, 0o700)
# A repository of its own name: any request for it is in the access log (a count of lines would
# also see one logged late for the run before).
loose_url = azf["AZF_REPO_URL"].rsplit("/", 1)[0] + "/loose-marker"
with Tui([binary, "--home", loose, "--key-file", new_key, "new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_credentials("Loose", loose_url)
    t.focus("Username")
    t.type(azf["AZF_USER"])
    t.focus("Personal Access Token")
    t.paste(token)
    os.chmod(loose, 0o777)
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("Nothing was saved.", 20)
    words = "".join(t.screen_text().split())  # the message wraps where the path's length puts it
    tap.ok("writablebygrouporothers" in words and ("chmodgo-w%s" % loose) in words and
           "loose-marker" not in open(azf["AZF_NGINX_ACCESS_LOG"]).read(),
           "a home others can write in: its chmod on the test page, and no probe sent the token")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()
tap.done()
PY
