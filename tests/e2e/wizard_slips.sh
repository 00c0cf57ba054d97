# e2e: slips at the keyboard. A token typed into the URL never reaches the
# draft; a key whose lines come typed (a terminal without bracketed paste)
# stays in the key field, not in the store id rows; Enter on a page with an
# error says so and drops what was typed ahead for the next page.
. "$top_srcdir/tests/e2e/wizard_lib.sh"
wizard_python <<'PY'
import os
from tui import *

binary, tmp, azf = context()
tap = Tap(58)
token = open(azf["AZF_TOKEN_FILE"]).read().strip()

# A token typed as the URL's password: refused there, and kept out of the draft.
home = os.path.join(tmp, "h1")
with Tui([binary, "--home", home, "new"], tap=tap) as t:
    t.to_details("slip")
    t.focus("URL")
    t.type("https://ci:%s@dev.azure.com/contoso/Payments/_git/web" % token)
    t.send(TAB)
    tap.ok(t.has("do not put a password or token in the URL"), "the URL field says to take the token out")
    tap.ok(token[:16] not in t.screen_text() and t.value("URL").startswith("\u2022" * 40),
           "and the URL holding it is masked")
    t.quit()
d = read_draft(home, tap)
tap.ok(d.get("name") == "slip" and "url" not in d, "the draft keeps the name, not the URL holding a token")
tap.is_(any_file_holds(home, token.encode()), [], "no file under the home holds the token")
# A password that does not look like a token: masked too; F2 shows it.
with Tui([binary, "--home", home, "new", "--dry-run"], tap=tap) as t:
    t.to_details("slip")
    t.focus("URL")
    t.type("https://ci:S3cretPassw0rd!@dev.azure.com/contoso/Payments/_git/web")
    t.send(TAB)
    tap.ok("S3cret" not in t.screen_text() and t.value("URL").startswith("\u2022" * 40) and
           t.has("F2 show secrets"), "a URL holding a password is masked, and F2 offered")
    t.send(F2)
    t.settle()
    tap.ok(t.has("ci:S3cretPassw0rd!@"), "F2 shows it")
    t.quit()
# Such a URL pasted as the test repository: masked there too, and never kept in the draft.
home = os.path.join(tmp, "h1b")
with Tui([binary, "--home", home, "new"], tap=tap) as t:
    t.to_details("testrepo")
    t.send(LEFT)  # Project: a test repository is asked
    t.focus("Test repository")
    t.type("https://bob:Hunter2Secret@dev.azure.com/contoso/Shop/_git/web")
    t.send(TAB)
    tap.ok("Hunter2" not in t.screen_text(), "a URL holding a password as the test repository: masked")
    t.quit()
tap.is_(any_file_holds(home, b"Hunter2Secret"), [], "... and no file under the home holds it (the draft neither)")

# An SSH key typed line by line (Enter after each): all of it in the key field.
home = os.path.join(tmp, "h2")
key_lines = open(azf["AZF_SSH_KEY"]).read().strip().split("\n")
with Tui([binary, "--home", home, "new"], tap=tap) as t:
    t.to_credentials("typed key", "git@ssh.dev.azure.com:v3/contoso/Payments/web", ssh=True)
    t.focus("SSH private key")
    for line in key_lines:
        t.type(line)
        t.send(ENTER)
    t.settle()
    tap.ok(not t.has(key_lines[1][:20]) and t.has("•••"), "the key is in its field, masked; no line of it shows")
    tap.ok((t.value("  store id") or "").startswith("typed_key-ssh-key (default)"), "the store id row keeps its default")
    tap.ok(not t.has("needs its passphrase") and not t.has("not a private key"), "the key typed reads as a key")
    t.quit()
tap.ok(os.path.exists(os.path.join(home, "draft.json")) and any_file_holds(home, key_lines[1][:40].encode()) == [],
       "the draft is kept, and no file under the home holds a line of the key")

# Enter on the last field while the page has an error: said, with a bell, and
# what was typed ahead for the next page dropped (not typed into this field).
home = os.path.join(tmp, "h3")
with Tui([binary, "--home", home, "new", "--dry-run"], tap=tap) as t:
    t.to_details("ahead")
    t.focus("URL")
    t.type("https://dev.azure.com/contoso/Pay ments/_git/web")
    t.child.send("\r" + "ci-bot")
    t.settle()
    tap.ok(t.has("page not done: fix URL first (see its message)"), "Enter on a page with an error says what to fix")
    tap.ok("ci-bot" not in t.screen_text(), "what was typed ahead is not put into the field")
    t.quit()
# The field to fix with a long label: what is said still takes one row at 80 columns, the page's
# help whole above it.
with Tui([binary, "--home", os.path.join(tmp, "h3b"), "new", "--dry-run"], tap=tap) as t:
    t.to_credentials("long", "https://dev.azure.com/contoso/Payments/_git/web")
    t.focus("Username")
    t.type("ci-bot")
    t.send(PGDN)
    t.settle()
    tap.ok(t.line(t.screen.lines - 2).strip() == "page not done: fix Personal Access Token first (see its message)"
           and "done" not in t.line(t.screen.lines - 3), "the page not done: said on one row, the long label too")
    t.quit()
# Esc on the first page: nowhere to go back to, and that is said.
with Tui([binary, "--home", os.path.join(tmp, "h4"), "new", "--dry-run"], tap=tap) as t:
    t.wait_for("Name *")
    t.send(ESC)
    t.settle()
    tap.ok(t.has("this is the first page (Ctrl-C quits)"), "Esc on the first page says why nothing happens")
    t.focus("Description")
    t.type("d" * 60 + "END")
    v = t.value("Description") or ""
    tap.ok(v.startswith("\u2026") and v.endswith("dEND"), "a long value being typed shows '…' where its start went")
    # Wide characters: a mark takes a whole one's place, never half of one (a terminal
    # blanks the other half, and the row drawn after it goes wrong).
    cjk = "\u652f\u4ed8\u5e73\u53f0\u670d\u52a1\u7684\u8fde\u63a5\u5668\u7528\u4e8e\u6d4b" \
          "\u8bd5\u4e2d\u6587\u5b57\u7b26\u663e\u793a\u662f\u5426\u6b63\u786e\u65e0"
    t.send(CTRL_U)
    t.type(cjk)
    tap.is_(t.value("Description"), "\u2026 " + cjk[3:],
            "25 wide characters in a 47-column cell, the cursor at the end: '… ' for the first ones, no mark after")
    t.key(HOME)
    t.settle()
    tap.is_(t.value("Description"), cjk[:23] + "\u2026", "... at the start: the mark after the 23 that fit")
    t.quit()

# A locale that is not UTF-8: a character past ASCII is refused with a word, and
# the keys after it are not swallowed with it.
with Tui([binary, "--home", os.path.join(tmp, "h5"), "new", "--dry-run"], env={"LC_ALL": "C", "LANG": "C"}, tap=tap) as t:
    t.wait_for("Name *")
    t.type("a")
    t.child.send("\xc3\xa9".encode("latin-1"))
    t.settle()
    tap.ok(t.has("only ASCII can be typed here: the locale is not UTF-8"), "LANG=C: the character is refused, said")
    t.type("bcdefgh")
    t.settle()
    tap.ok(t.shows("Name", "abcdefgh") and t.has("only ASCII can be typed here"),
           "LANG=C: every key after it is taken, and the word stays while the typing goes on")
    # In a secret's field the value is masked: missing the character, it would pass for what was typed.
    t.send(CTRL_U)
    t.to_credentials("lost", "https://dev.azure.com/contoso/Payments/_git/web")
    t.focus("Username")
    t.type("ci")
    t.focus("Personal Access Token")
    t.type("abcd")
    t.child.send("\xc3\xa9".encode("latin-1"))
    t.type("efgh" * 13)
    t.wait_for("a character typed was not taken", timeout=5)
    lost = "".join(t.message("Personal Access Token").split())
    t.send(PGDN)
    t.settle()
    tap.ok(lost == "".join("a character typed was not taken, so this is not what you typed: Ctrl-U clears it, "
                           "to type it again".split()) and t.focused_label() == "Personal Access Token *",
           "LANG=C, a token typed with a character refused: its field says it is not what was typed, and holds the page")
    t.send(CTRL_U)
    t.type("abcd" + "efgh" * 13)
    t.settle(0.8)
    tap.ok(not t.has("a character typed was not taken"), "... typed again from empty: the word is gone")
    t.send(CTRL_U)
    t.child.send("\xc3\xa9".encode("latin-1"))
    t.paste("abcd" + "efgh" * 13)
    t.settle(0.8)
    tap.ok(not t.has("a character typed was not taken") and (t.value("Personal Access Token") or "x").strip("<*") == "",
           "... a character refused in the empty field, then the token pasted: the paste is the whole value")
    t.quit()
# A UTF-8 locale and a byte that starts no UTF-8 character (a terminal set to Latin-1, line
# noise): refused with a word, and the keys after it are taken (curses' wget_wch waited for the
# rest of the character forever, Ctrl-C swallowed too).
with Tui([binary, "--home", os.path.join(tmp, "h5u"), "new", "--dry-run"], tap=tap) as t:
    t.wait_for("Name *")
    t.type("ab")
    t.child.send(b"\xe9")
    t.type("cd")
    t.settle()
    tap.ok(t.shows("Name", "abcd") and t.has("the terminal sent bytes that are not UTF-8"),
           "UTF-8 locale: a byte that is no character is refused, said, and the keys after it are taken")
    t.child.send("\u00e9".encode())
    t.settle()
    tap.ok(t.shows("Name", "abcd\u00e9"), "... a character in UTF-8 is typed as before")
    tap.is_(t.quit(), 5, "... and Ctrl-C quits (with the question, as ever)")

# LINES and COLUMNS left in the environment (a profile, an old 'eval $(resize)'): the size is the
# terminal's own, at the start and at each resize (curses took them over it, for good).
with Tui([binary, "--home", os.path.join(tmp, "h5s"), "new", "--dry-run"],
         env={"LINES": "20", "COLUMNS": "70"}, tap=tap) as t:
    t.wait_for("Name *")
    tap.ok(not t.has("too small") and len(t.line(2).rstrip()) == 80,
           "LINES=20 COLUMNS=70 on an 80x24 terminal: the page is drawn 80 wide")
    t.resize(20, 60)
    t.wait_for("The terminal is too small")
    tap.ok("this one is 60x20" in " ".join(t.screen_text().split()), "... and a resize is seen as it is")
    t.resize(24, 80)
    t.wait_for("Name *")
    t.send(CTRL_C)
    tap.is_(t.wait_exit(), 5, "... back to 80x24: the page again, and Ctrl-C quits")

# LANG=C and a new store's passphrase: a character past ASCII is not taken, and as the masked
# value does not show it, the word stays and Enter refuses the value until it is typed again.
home = os.path.join(tmp, "h5p")
with Tui([binary, "--home", home, "new", "--ca-file", azf["AZF_CA"]],
         env={"LC_ALL": "C", "LANG": "C"}, tap=tap) as t:
    t.to_credentials("Latin", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type(azf["AZF_USER"])
    t.focus("Personal Access Token")
    t.paste(token)
    t.to_test()
    t.wait_for("New passphrase for the secret store:", 40)
    t.type("p")
    t.child.send("\u00e4".encode())
    t.type("sswort-lang-c")
    t.settle()
    tap.ok(t.has("only ASCII can be typed here") and "LC_ALL=C.UTF-8" in t.box_words(),
           "a new store's passphrase: the character refused, the word still there after more keys")
    t.send(ENTER)
    t.settle()
    tap.ok("acharactertypedwasnottaken" in t.box_words() and
           t.has("New passphrase for the secret store:"),
           "... Enter refuses the value, as it is not what was typed")
    t.send(CTRL_U)
    t.type("passwort-lang-c")
    t.settle()
    tap.ok("nosecretstoreyet" in t.box_words() and "nottaken" not in t.box_words(),
           "... once typed again, the new store's note is back and the word gone")
    t.send(ENTER)
    t.wait_for("Repeat the passphrase:")
    t.type("slip")
    t.send(ENTER)
    t.wait_for("do not match")
    # Asked again, the note under the slip: a refused character, then the value typed again.
    t.type("q")
    t.child.send("\u00e4".encode())
    t.send(CTRL_U)
    t.type("passwort-lang-c")
    t.settle()
    tap.ok("nosecretstoreyet" in t.box_words() and "nottaken" not in t.box_words(),
           "... asked again after a slip: the note is back too once the value is typed again")
    t.send(ENTER)
    t.wait_for("Repeat the passphrase:")
    # A paste over a value missing a character replaces it whole: Enter takes it.
    t.type("z")
    t.child.send("\u00e4".encode())
    t.paste("passwort-lang-c")
    t.send(ENTER)
    t.wait_for("(saved connector 'Latin'|not taken)", 40, regex=True)
    tap.ok(t.has("saved connector 'Latin'"), "... a paste over a value missing a character is taken whole")
    t.send(ENTER)
    tap.is_(t.wait_exit(), 0, "... and the connector is saved")

# Ctrl-Z while the probes run would stop them past their deadline: it waits, says so, and
# suspends once they are over.
silent = "https://127.0.0.1:%s/contoso/Payments/_git/payments-api" % azf["AZF_SILENT_PORT"]
# (A process the pty's session leads is an orphaned process group, where the kernel drops a stop
# signal: the suspend shows as the SIGTSTP the program sends itself, traced.)
ztrace = os.path.join(tmp, "ctrlz.trace")
asan = os.environ.get("ASAN_OPTIONS")
zargv = ["env", "ASAN_OPTIONS=%sdetect_leaks=0" % (asan + ":" if asan else ""), "strace", "-f", "-qq",
         "-e", "trace=kill,tgkill,tkill", "-e", "signal=none", "-o", ztrace]
with Tui(zargv + [binary, "--home", os.path.join(tmp, "h6"), "new", "--dry-run", "--timeout", "6"], tap=tap) as t:
    t.to_credentials("ctrlz", silent)
    t.focus("Username")
    t.type("ci")
    t.focus("Personal Access Token")
    t.paste(token)
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("Connection test of")
    t.send(CTRL_Z)
    try:
        t.wait_for("Ctrl-Z: suspended once the test is over (Esc stops it)", 2)
    except TuiTimeout:
        pass
    tap.ok(t.has("Ctrl-Z: suspended once the test is over (Esc stops it)"), "Ctrl-Z during the test: it waits, said")
    t.wait_for("FAILED", 10)
    with open(ztrace) as f:
        stops = [l for l in f if "SIGTSTP" in l]
    tap.ok(len(stops) == 1, "once the test is over, the wizard suspends itself (SIGTSTP), as Ctrl-Z asked")
    tap.ok(not t.has("Ctrl-Z:"), "back (fg): the test's result, the word gone")
    # Too small while the test runs: the notice says what Ctrl-C does then (stops the test).
    t.send("r")
    t.wait_for("Connection test of")
    t.resize(20, 60)
    t.wait_for("The terminal is too small:")
    tap.ok("Makeitlargertoseethetest:nothingislost,andthekeystypedmeanwhiletakeeffectthen.Ctrl-Cstopsthetest."
           in "".join(t.screen_text().split()), "too small during the test: Ctrl-C stops the test, said so")
    t.send(CTRL_C)
    t.resize(24, 80)
    t.wait_for("The test was stopped", 10)
    tap.ok(t.has("stopped before it finished"), "... and Ctrl-C did stop it: the probe says so")
    tap.ok(re.search(r"^  SKIPPED git-http", t.screen_text(), re.M) and not t.has("skipped"),
           "... its word in capitals, as OK and FAILED are: SKIPPED")
    t.quit()

# The keys of a page say what they do there: no Esc on the first page, F2 only where something
# is masked, "hide" while shown; secrets are masked again on the next page.
os.makedirs(os.path.join(tmp, "k"))
home, base = keyed_home(binary, os.path.join(tmp, "k"))
with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    keys = t.line(t.rows - 1)
    tap.ok("Esc back" not in keys and "F2" not in keys and "F1 help" in keys,
           "Overview: no Esc back (first page), no F2 (nothing masked)")
    t.to_credentials("keys", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type("ci")
    t.focus("Personal Access Token")
    tap.ok("F2" not in t.line(t.rows - 1), "Credentials, the token field still empty: no F2 (nothing masked yet)")
    t.paste(token)
    keys = t.line(t.rows - 1)
    tap.ok("Esc back" in keys and "F2 show secrets" in keys, "Credentials: Esc back and F2 show secrets")
    t.send(F2)
    tap.ok("F2 hide secrets" in t.line(t.rows - 1) and t.has(token[-20:]), "F2: the token shown, the key says hide")
    t.send(PGDN)
    t.wait_for("Delegates *")
    t.send(PGUP)
    t.wait_for("Personal Access Token *")
    tap.ok(not t.has(token[-20:]) and not t.has(token[:20]) and "F2 show secrets" in t.line(t.rows - 1),
           "back on Credentials from another page: masked again")
    t.quit()
# A long identifier in the title of edit is cut with '…': the title keeps to its line.
name = "Payments Platform Web Frontend Production Connector For EU West"
made = new_http(base, azf, name, "--skip-test")
tap.is_(made.returncode, 0, "(a connector with a 64-character name)")
with Tui(base + ["edit", name.replace(" ", "_")], tap=tap) as t:
    t.wait_for("Name *")
    tap.ok(t.line(0).rstrip().endswith("_Product\u2026'") and t.line(1).startswith(" Overview"),
           "edit: the long identifier is cut with '\u2026' in the title, the step line below intact")
    t.send(CTRL_C)
    t.wait_exit()

# Alt and a key (readline's Alt-f) is no Esc, then a letter typed on the page before; PuTTY's
# default F1 (ESC [ 11~, which xterm's entry lacks) is F1.
with Tui([binary, "--home", os.path.join(tmp, "h8"), "new"], tap=tap) as t:
    t.wait_for("Name *")
    t.type("alt")
    t.send(PGDN)
    t.wait_for("URL type *")
    t.send("\x1bf")
    t.settle()
    tap.ok(t.has("URL type *") and t.has("Alt and a key (or Esc and a key at once) was ignored"),
           "Alt-f: the page stays, and the status says the key was ignored")
    t.send("\x1b\x7f")  # Alt-Backspace (readline's delete-word)
    t.settle()
    tap.ok(t.has("URL type *"), "Alt-Backspace: the page stays too")
    t.send(PGUP)
    t.wait_for("Name *")
    tap.ok(t.shows("Name", "alt") and not t.shows("Name", "altf"), "... no 'f' typed, nothing erased on the page before")
    t.send("\x1b[11~")
    t.wait_for("Any key closes.")
    tap.ok(t.has("Any key closes."), "PuTTY's F1 (ESC [ 11~) opens the help")
    t.send("x")
    t.quit()
# A passphrase pasted one field too high (into the SSH key's): no path, so masked and never quoted.
with Tui([binary, "--home", os.path.join(tmp, "h10"), "new"], tap=tap) as t:
    t.to_credentials("slip", azf["AZF_SSH_URL"], ssh=True)
    t.focus("SSH private key")
    t.paste("CorrectHorse-Battery-Staple-99")
    t.send(TAB)
    t.settle()
    said = "".join(t.screen_text().split())
    tap.ok(not t.has("CorrectHorse") and "nofileofthatname(notshown:itmaybeasecret)" in said,
           "a line in the key field that is no path: masked, and the message does not quote it")
    t.quit()
# Without an alternate screen (TERM=vt100), Ctrl-Z does not leave a shown token on the shell's
# screen. (In a shell with job control: a process group without one ignores Ctrl-Z's stop.)
shell = ["/bin/bash", "--norc", "--noprofile", "-i"]
with Tui(shell, env={"TERM": "vt100", "PS1": "$ "}, tap=tap) as t:
    t.wait_for("$")
    t.send("%s --home %s new\r" % (binary, os.path.join(tmp, "h9")))
    t.to_credentials("vt", azf["AZF_REPO_URL"])
    t.focus("Personal Access Token")
    t.paste(token)
    t.send(F2)
    t.settle()
    shown = t.has(token[-20:])
    t.send(CTRL_Z)
    t.wait_for("Stopped")
    tap.ok(shown and not t.has(token[-20:]) and not t.has("Personal Access Token"),
           "TERM=vt100: the page with the token shown is cleared when Ctrl-Z stops the wizard")
    t.send("fg\r")
    t.wait_for("Personal Access Token *")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.send("exit\r")
    t.wait_exit()
# A token cut short when copied: said under it at once, without blocking (it may be a server's
# password); the whole token then says nothing.
with Tui([binary, "--home", os.path.join(tmp, "h12"), "new"], tap=tap) as t:
    t.to_credentials("cut", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type("ci")
    t.focus("Personal Access Token")
    t.paste(token[:20])
    t.send(TAB)
    t.settle()
    tap.is_(t.message("Personal Access Token"), "only 20 characters: Azure DevOps makes tokens of 52 or more; "
            "was it cut short when copied?", "a token of 20 characters: said under it, its field left")
    t.send(F10)
    t.wait_for("Check the values")
    tap.ok(True, "... which does not stop the review")
    t.send("3")
    t.wait_for("Personal Access Token *")
    t.focus("Personal Access Token")
    t.send(CTRL_U)
    t.paste(token)
    t.send(TAB)
    t.settle()
    tap.is_(t.message("Personal Access Token"), "", "the whole token: nothing said")
    t.quit()
tap.done()
PY
