# e2e: the secrets' helpers of the wizard: F4 lists the stored tokens and the
# one chosen passes the test; F3 makes an RSA key whose public key is shown
# and written to <home>/<store id>.pub, the private key never on screen.
. "$top_srcdir/tests/e2e/wizard_lib.sh"
wizard_python <<'PY'
import base64, hashlib, os, re, shutil, signal, socket, subprocess, time
from tui import *

binary, tmp, azf = context()
home, base = keyed_home(binary, tmp)
tap = Tap(75)

made = new_http(base, azf, "first", "--skip-test")
tap.is_(made.returncode, 0, "a token stored as 'first-token' (exit 0)")

def to_token(t, name):
    """An HTTP connector named name up to its token, the username typed."""
    t.to_credentials(name, azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type(azf["AZF_USER"])
    t.focus("Personal Access Token")

# A token stored under an id that looks like one (an older release took it): never listed.
tokid = "k5xq2mzt7wvb3npr4yhc6jds2lfa7gue5oi3ktzw4qmx6vbn7rpa"
put = subprocess.run([os.path.join(os.environ["top_builddir"], "tests/unit/test_store_tool"), "put",
                      os.path.join(home, "secrets.store"), "keyfile:" + open(base[4], "rb").read().hex(),
                      "test", tokid, "token", "text:x"], capture_output=True)
tap.is_(put.returncode, 0, "a token stored under an id that looks like a token")
longid = "payments-platform-eu-west-deploy-token"  # longer than F4's column
subprocess.run(base + ["secret", "set", longid], input="another-token-value", capture_output=True, text=True)

with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    to_token(t, "second")
    t.send(TAB)
    t.send("\x1bOS")  # F4
    t.wait_for("Stored secrets")
    tap.ok(re.search(r"first-token +\d{4}-\d\d-\d\d  used by first\b", t.screen_text()),
           "F4 lists the stored token, when it was set and the connector using it")
    tap.ok(not t.has(tokid[:20]) and tokid.encode() not in bytes(t.raw),
           "but not the one whose id looks like a token")
    tap.ok(re.search(r"payments-pla…-deploy-token \d{4}-\d\d-\d\d  unused", t.screen_text()),
           "an id longer than its column: cut in the middle, its date and users still shown")
    t.send(ENTER)
    tap.ok(t.has("the stored secret of the store id below"), "the token field says the stored one is used")
    t.send(F10)
    t.wait_for("Check the values")
    tap.ok(t.has("•••• (already stored as 'first-token')"),
           "the review names the stored secret, masked as a typed one (not typed, it is there all the same)")
    t.send(ENTER)
    t.finish("saved connector 'second'", "git-http", "the stored token picked with F4")

# A stored id taken with F4, then a new value typed for it: the clash is said on the page (the store
# is open), and the page is not left for the review; the value emptied, the stored one is used.
with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    to_token(t, "third")
    t.send(TAB)
    t.send("\x1bOS")  # F4
    t.wait_for("Stored secrets")
    t.send(ENTER)
    t.wait_gone("Stored secrets")
    t.focus("Personal Access Token")
    t.type("a-new-token-value")
    t.send(TAB)
    t.settle()
    said = " ".join(t.screen_text().split())
    tap.ok("the store already has a secret 'first-token': give the value above another store id, or leave "
           "that value empty to use the stored one" in said, "a new value under the id taken with F4: said on the page")
    t.send(F10)
    t.settle()
    tap.ok(t.has("Credentials: something to fix before the review") and not t.has("Check the values"),
           "... and F10 does not go on to the review")
    t.focus("Personal Access Token")
    t.send(CTRL_U)
    t.send(TAB)
    t.settle()
    tap.ok(not t.has("the store already has"), "the value emptied: nothing to fix (the stored one is used)")
    t.quit()
os.remove(os.path.join(home, "draft.json"))  # kept by the quit: the next run would offer it

# The same clash found only by the test (the store not open before): its message whole on the
# test page, not cut at three rows while the rows below are empty.
with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    to_token(t, "fourth")
    t.type("a-new-token-value")
    t.send(TAB)
    t.type(longid)  # a long id: the message takes four rows
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("Nothing was saved. To fix:")
    said = " ".join(t.screen_text().split())
    tap.ok("or leave the value empty to use the stored one" in said and "…" not in said,
           "a clash found by the test: its message whole on the test page")
    t.quit()
os.remove(os.path.join(home, "draft.json"))

# Editing a connector whose token's store id looks like a token: the id is dropped, never
# shown, and that is said; the token field asks for a value again.
conn = os.path.join(home, "connectors", "second.json")
saved = open(conn).read()
open(conn, "w").write(saved.replace('"first-token"', '"%s"' % tokid))
with Tui(base + ["edit", "second"], tap=tap) as t:
    t.wait_for("Name *")
    tap.ok(t.has("the store id of Personal Access Token looked like a token and is not"),
           "edit: a store id that looks like a token is dropped, and that is said")
    t.to_token()
    tap.ok(t.has("second-token (default)") and tokid.encode() not in bytes(t.raw),
           "edit: the token's store id is back to its default; that id never reaches the screen")
    t.send(CTRL_C)
    t.wait_exit()
open(conn, "w").write(saved)

# The whole walk under strace: the token pasted is read from the terminal, and goes out
# in no write (screen, draft, any file), send or exec of the wizard.
token = open(azf["AZF_TOKEN_FILE"], "rb").read().strip()
trace = os.path.join(tmp, "walk.trace")
with Tui(strace_argv(trace) + base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    to_token(t, "traced")
    t.paste(token.decode())
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.finish("saved connector 'traced'", "git-http", "under strace, the token pasted")
tap.ok(token in traced_bytes(trace, TRACE_READS), "the pasted token shows in the reads (the search works)")
written = traced_bytes(trace, TRACE_WRITES)
tap.ok(traced_calls(trace, token, TRACE_WRITES) == [] and not any(p in written for p in pieces(token)),
       "no 16 bytes of the pasted token in a write, send or exec, nor in the writes one after the other")

# The token pasted into the user name, the field before its own: not taken, said, never
# written anywhere; typed there key by key (no bracketed paste): masked once whole, refused,
# and not kept in the draft.
trace = os.path.join(tmp, "user.trace")
with Tui(strace_argv(trace) + base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_credentials("misplaced", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.paste(token.decode())
    tap.ok(t.has("not pasted: that looks like a Personal Access Token, which Username would") and
           t.value("Username") == "e.g. ci-bot", "a token pasted as the username: not taken, and said")
    tap.is_(t.quit(), 5, "quit")
written = traced_bytes(trace, TRACE_WRITES)
tap.ok(traced_calls(trace, token, TRACE_WRITES) == [] and not any(p in written for p in pieces(token)),
       "no 16 bytes of it in a write, send or exec")
with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Resume")
    t.send("n")
    t.to_credentials("typed", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type(token.decode())
    t.send(TAB)
    tap.ok(t.value("Username").startswith("\u2022" * 40) and token.decode()[:40] not in t.screen_text(),
           "a token typed as the username: masked once whole")
    tap.ok("this looks like a Personal Access Token" in t.message("Username"), "... and refused, said why")
    tap.is_(t.quit(), 5, "quit")
draft = open(os.path.join(home, "draft.json")).read()
tap.ok('"name":\t"typed"' in draft and token.decode() not in draft and "username" not in draft,
       "the draft keeps the values typed, not the token typed as the username")
os.remove(os.path.join(home, "draft.json"))

# A URL's user name: a token there is masked and left out of the draft; a plain user name, no
# secret, shows as typed and is kept (its message names the fix).
for user, secret in ((token.decode(), True), ("ci", False)):
    url = "https://%s@dev.azure.com/contoso/Shop/_git/web" % user
    with Tui(base + ["new"], tap=tap) as t:
        t.to_details("urluser")
        t.focus("URL")
        t.type(url)
        t.send(TAB)
        t.settle()
        shown = url in t.screen_text()
        tap.ok(shown != secret and ("remove the token" if secret else "remove the user name 'ci@'") in
               " ".join(t.screen_text().split()),
               "a URL with %s as its user name: %s, and said" % ("a token" if secret else "a plain name",
                                                                 "masked" if secret else "shown as typed"))
        tap.is_(t.quit(), 5, "quit")
    draft = open(os.path.join(home, "draft.json")).read()
    tap.ok(("dev.azure.com/contoso/Shop" in draft) != secret and token.decode() not in draft,
           "... and the draft %s the URL" % ("leaves out" if secret else "keeps"))
    os.remove(os.path.join(home, "draft.json"))

# The token pasted as the SSH key, where a key file's name may go: masked in the field, and
# the message under it (no file of that name) quotes none of it, nor does any other output.
with Tui(base + ["new"], tap=tap) as t:
    t.to_credentials("keytok", "git@ssh.dev.azure.com:v3/contoso/Payments/web", ssh=True)
    t.focus("SSH private key")
    t.paste(token.decode())
    t.send(TAB)
    t.settle()
    said = t.message("SSH private key") or ""
    tap.ok("looks like a Personal Access Token" in said and
           not any(p.decode() in "".join(t.screen_text().split()) for p in pieces(token)) and
           not any(p in bytes(t.raw) for p in pieces(token)),
           "a token pasted as the SSH key: said so under it, no 16 characters of it on the screen")
    tap.is_(t.quit(), 5, "quit")
os.remove(os.path.join(home, "draft.json"))
# A passphrase pasted as the SSH key (the field above its own) names no file: the draft, which
# keeps a key file's path, does not keep it.
with Tui(base + ["new"], tap=tap) as t:
    t.to_credentials("keypass", "git@ssh.dev.azure.com:v3/contoso/Payments/web", ssh=True)
    t.focus("SSH private key")
    t.paste("Corr3ct-Horse-Battery-Staple")
    t.send(TAB)
    tap.is_(t.quit(), 5, "quit")
draft = open(os.path.join(home, "draft.json")).read()
tap.ok('"keypass"' in draft and "Corr3ct-Horse" not in draft,
       "a line pasted as the SSH key that names no file is not kept in the draft")
os.remove(os.path.join(home, "draft.json"))

# A key file's path as a shell command has it ('...', '\ '): the file it names said, and what to remove.
spaced = os.path.join(tmp, "my key")
shutil.copy(azf["AZF_SSH_KEY"], spaced)
with Tui(base + ["new"], tap=tap) as t:
    t.to_credentials("quoted", "git@ssh.dev.azure.com:v3/contoso/Payments/web", ssh=True)
    for typed, what in (("'%s'" % spaced, "quotes"), (spaced.replace(" ", "\\ "), "'\\' escapes")):
        t.focus("SSH private key")
        t.send(CTRL_U)
        t.type(typed)
        t.send(TAB)
        t.settle()
        said = "".join((t.message("SSH private key") or "").split())
        tap.ok("".join(("remove the %s: they are a shell's, and the file is %s" % (what, spaced)).split()) == said
               and t.shows("SSH private key", typed),
               "a key path with a shell's %s: shown, and the file it names said" % what)
    tap.is_(t.quit(), 5, "quit")
os.remove(os.path.join(home, "draft.json"))

# A new token under a store id already taken: nothing saved, and the way out named.
with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    to_token(t, "third")
    t.paste("another-token")
    t.send(TAB)
    t.type("first-token")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("Nothing was saved")
    tap.ok("PersonalAccessToken:thestorealreadyhasasecret'first-token'" in "".join(t.screen_text().split())
           and t.has("another"), "a taken store id: the test page says so, by the field's label, and how to go on")
    tap.is_(t.quit(), 5, "quit: exit 5")

trace = os.path.join(tmp, "f3.trace")
private = b""
pub = os.path.join(home, "made-ssh-key.pub")
with Tui(strace_argv(trace) + base + ["new"], tap=tap) as t:
    # The run quit above left its draft: declined, the wizard starts blank.
    t.wait_for("Go on with it?")
    tap.ok(t.has("A connector 'third' was not finished"), "the quit run's draft is offered")
    t.send("n")
    t.to_credentials("made", "git@ssh.dev.azure.com:v3/contoso/Payments/web", ssh=True)
    t.focus("SSH private key")
    t.send("\x1bOR")  # F3
    t.send("z")  # typed while the key is being made
    t.wait_for("New SSH key", timeout=60)
    t.pump(0.5)
    tap.ok(t.has("ssh-rsa") and t.has("AAAAB3NzaC1yc2E"), "F3: the new public key is shown")
    tap.ok(t.has("New SSH key"), "a key typed while the key was being made does not dismiss it unread")
    t.send(CTRL_C)  # any key goes back; ^C too, without quitting
    t.wait_gone("New SSH key")
    tap.ok(t.has("Credentials") and not t.has("Quit"), "^C on the public key goes back to the wizard")
    shown = t.value("SSH private key") or ""
    tap.ok(shown.strip().lstrip("\u2026").startswith("••••"), "the private key is in the field, masked")
    t.send(F10)
    t.wait_for("Check the values")
    review = "".join(t.screen_text().split())
    text = open(pub).read() if os.path.exists(pub) else ""
    fp = subprocess.run(["ssh-keygen", "-lf", pub], capture_output=True, text=True).stdout.split()
    tap.ok(len(fp) > 1 and ("madewithF3,%s" % fp[1]) in review and "(new,keptas'made-ssh-key')" in review,
           "the review: the key made with F3, by its fingerprint (as Azure DevOps lists it), kept as made-ssh-key")
    tap.ok(text.startswith("ssh-rsa AAAA") and
           text.endswith(" azrepos-connect:made@%s\n" % socket.gethostname()),
           "the public key is in <home>/made-ssh-key.pub, its comment naming the connector and the host")
    t.quit()
tap.ok(not t.has("ssh-rsa") and not t.has("New SSH key"),
       "quit: the shell's screen no longer shows the public key of the key lost")
tap.ok(not os.path.exists(pub) and b"the SSH key made with F3 is gone" in bytes(t.raw),
       "quit without saving: the key is lost, so its .pub goes too, and the last words say so")
tap.ok(text != "" and text.encode().strip() in bytes(t.raw),
       "the public key went to the terminal as one line (the terminal wraps it: it copies whole)")
tap.ok(b"PRIVATE KEY" not in bytes(t.raw), "no line of the private key reached the terminal")
tap.ok(not any_file_holds(home, b"PRIVATE KEY"), "no file holds the private key in clear")
tap.is_(traced_calls(trace, b"PRIVATE KEY", TRACE_WRITES), [],
        "F3 under strace: no write, send or exec carries the private key")
# The key's body without its header line (a draft, a debug write) is base64 too: every long
# base64 run that went out is of the public key or its fingerprint.
allowed = [w.encode() for w in (text.split()[1:2] + [fp[1].split(":", 1)[-1]] if len(fp) > 1 and text else [])]
def stray_b64(data):
    return [r[:12] for r in re.findall(rb"[A-Za-z0-9+/]{40,}", data) if not any(r in a for a in allowed)]
# (Files are written with write(): the trace has them. The search finds base64 it is not given.)
tap.ok(len(allowed) == 2 and stray_b64(base64.b64encode(os.urandom(48))) != [] and
       stray_b64(bytes(t.raw)) == [] and stray_b64(traced_bytes(trace, TRACE_WRITES)) == [],
       "F3: no base64 but the public key's and its fingerprint went to the terminal, a file or a write")

def made_key(t, name):
    """A new run's draft declined, on to the SSH key, and F3: its key made and shown, a key back."""
    t.wait_for("Name *")
    if t.has("Go on with it?"):
        t.send("n")
    t.to_credentials(name, "git@ssh.dev.azure.com:v3/contoso/Payments/web", ssh=True)
    t.focus("SSH private key")
    t.send("\x1bOR")  # F3
    t.wait_for("New SSH key", timeout=60)
    t.send(" ")
    t.wait_gone("New SSH key")

# A key made with F3, then another given in its place: the first one's .pub goes.
pub = os.path.join(home, "swap-ssh-key.pub")
made = False
with Tui(base + ["new"], tap=tap) as t:
    made_key(t, "swap")
    t.focus("SSH private key")
    t.send("\x1bOR")  # F3 again: a new key in place of that one
    t.wait_for("y yes   n no")
    t.send("y")
    t.wait_for("New SSH key", timeout=60)
    t.pump(0.3)
    tap.is_(t.screen_text().count("ssh-rsa "), 1, "F3 again: only the new public key is on the screen")
    t.send(" ")
    t.wait_gone("New SSH key")
    made = os.path.exists(pub)
    t.focus("SSH private key")
    # A stray key on the masked key asks first: its public key may be in Azure DevOps already.
    t.send(BACKSPACE)
    t.wait_for("Change the SSH key made with F3?")
    t.send("n")
    t.wait_for("the SSH key made with F3 is kept as it was")
    tap.ok(os.path.exists(pub) and not t.has("Change the SSH key"),
           "a Backspace on the key made with F3, declined: the key and its .pub stay")
    shown = t.value("SSH private key")
    t.send(CTRL_U)
    t.wait_for("Change the SSH key made with F3?")
    tap.ok(shown.strip("\u2026\u2022") == "" and len(shown) > 40 and t.value("SSH private key") == shown,
           "Ctrl-U on it: behind the question the key is still there, not yet emptied")
    t.send("y")
    t.wait_gone("Change the SSH key made with F3?")
    # The field takes a value as long as ever after a No (a longer key than the one made, pasted).
    t.paste("-----BEGIN OPENSSH PRIVATE KEY-----\n" + ("A" * 70 + "\n") * 60 + "-----END OPENSSH PRIVATE KEY-----\n")
    tap.ok(not t.has("not pasted") and (t.value("SSH private key") or "").strip("\u2026\u2022") == "",
           "after a No, then Ctrl-U: a key text longer than the one made is still taken whole")
    t.send(CTRL_U)
    t.type(azf["AZF_SSH_KEY"])
    t.send(TAB)
    t.settle()
    gone = not os.path.exists(pub)  # before the quit, which would remove it anyway
    t.quit()
tap.ok(made and not t.has("ssh-rsa") and not t.has("New SSH key"),
       "F3's key replaced: the shell's screen no longer shows its public key")
tap.ok(made and gone and b"made with F3" not in bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1],
       "F3's key replaced: its .pub is gone at once, and the last words name no key made here")
# A dry run keeps no key: the one F3 showed does not stay on the shell's screen.
with Tui(base + ["new", "--dry-run"], tap=tap) as t:
    made_key(t, "dry")
    t.quit()
tap.ok(b"ssh-rsa AAAA" in bytes(t.raw) and not t.has("ssh-rsa") and not t.has("New SSH key"),
       "a dry run: the key F3 showed is gone from the shell's screen at the end")
# SIGTERM while F3 makes the key: the program ends then (its draft kept), not at a key pressed later.
pub = os.path.join(home, "termed-ssh-key.pub")
with Tui(base + ["new"], tap=tap) as t:
    t.wait_for("Name *")
    if t.has("Go on with it?"):
        t.send("n")
    t.to_credentials("termed", "git@ssh.dev.azure.com:v3/contoso/Payments/web", ssh=True)
    t.focus("SSH private key")
    t.send("\x1bOR")  # F3
    t.pump(0.2)
    os.kill(t.child.pid, signal.SIGTERM)
    end = time.time() + 30  # an RSA 4096 key takes a few seconds; then no key is waited for
    while t.child.isalive() and time.time() < end:
        t.pump(0.2)
    alive = t.child.isalive()
tap.ok(not alive and not os.path.exists(pub) and b"stopped by SIGTERM" in bytes(t.raw),
       "SIGTERM during F3: the program ends without a key pressed, the key and its .pub dropped, said")
# F4 starts on the secret the field names now: Enter keeps it.
subprocess.run(base + ["secret", "set", "aa-token"], input=b"another-value", capture_output=True)
with Tui(base + ["edit", "second"], tap=tap) as t:
    t.to_token()
    t.send("\x1bOS")  # F4
    t.wait_for("Stored secrets")
    t.send(ENTER)
    t.wait_gone("Stored secrets")
    tap.ok(any("store id" in l and "first-token" in l for l in t.screen_text().split("\n")),
           "F4 then Enter keeps the secret named (first-token)")
    t.quit()
# F4 on the key made with F3: the stored key takes its place only when asked.
subprocess.run(base + ["secret", "set", "stored-key", "--kind", "ssh-private-key", "--from-file", azf["AZF_SSH_KEY"]],
               capture_output=True)
pub = os.path.join(home, "pick-ssh-key.pub")
with Tui(base + ["new"], tap=tap) as t:
    made_key(t, "pick")
    t.focus("SSH private key")
    t.send("\x1bOS")  # F4
    t.wait_for("Stored secrets")
    t.send(ENTER)
    t.wait_for("Use the stored key in place of the SSH key made with F3?")
    t.send("n")
    t.wait_for("the SSH key made with F3 is kept as it was")
    tap.ok(os.path.exists(pub) and any("store id" in l and "pick-ssh-key" in l for l in t.lines()),
           "F4 on the key made with F3, declined: the key, its store id and its .pub stay")
    t.quit()
# status line would cut it), the command with this run's --home: it is that store to put aside.
wrong = key_file(os.path.join(tmp, "wrong.key"))
with Tui([binary, "--home", home, "--key-file", wrong, "new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Name *")
    if t.has("Go on with it?"):
        t.send("n")
    to_token(t, "locked")
    # F4 opens the store: its failure names a command to copy, shown whole in the status.
    t.send("\x1bOS")  # F4
    t.wait_for("wrong key for the secret store")
    tap.ok("secretrekey--reset'putsitasideandstartsanewone" in "".join(t.screen_text().split()),
           "F4 with a key file that does not open the store: the way out shown whole on the page")
    t.paste("another-token")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("Nothing was saved")
    words = "".join(t.screen_text().split())
    prog = "azrepos-connect--home'%s'--key-file%s" % (home.replace("'", "'\\''").replace(" ", ""),
                                                      wrong.replace(" ", ""))
    tap.ok(("wrongkeyforthesecretstore:thekeyfile%sdoesnotopenit(%s/secrets.store)"
            % (wrong.replace(" ", ""), home.replace(" ", ""))) in words and
           (prog + "secretrekey--reset'putsitasideandstartsanewone") in words,
           "a key file that does not open the store: why, and the way out with --home and that key file (a "
           "store locked with one is reset only so), on the page")
    t.quit()

# The session drops after F3 (SIGHUP, the public key still on the screen): the key is lost with the
# run, but its public key may be in Azure DevOps already. The draft notes its fingerprint and
# comment (never the key), and the next run's offer of the draft says to remove it there.
hup = os.path.join(tmp, "hup")
pub = ""
t = Tui([binary, "--home", hup, "new"], tap=tap)
try:
    t.to_credentials("hupkey", azf["AZF_SSH_URL"], ssh=True)
    t.focus("SSH private key")
    t.send("\x1bOR")  # F3
    t.wait_for("New SSH key", timeout=60)
    pub = open(os.path.join(hup, "hupkey-ssh-key.pub")).read()
    os.kill(t.child.pid, signal.SIGHUP)
    t.wait_exit()
except (TuiTimeout, OSError) as e:
    tap.diag("stopped: %s" % e)
t.close()
fp = ("SHA256:" + base64.b64encode(hashlib.sha256(base64.b64decode(pub.split()[1])).digest()).decode().rstrip("=")
      if pub else "(no key made)")
made = "%s azrepos-connect:hupkey@%s" % (fp, socket.gethostname())
d = read_draft(hup, tap)
tap.ok(d.get("ssh-key-made") == made and not any_file_holds(hup, b"PRIVATE KEY"),
       "SIGHUP after F3: the draft notes the key's fingerprint and comment, as ssh-keygen -l names them, "
       "and no file holds the private key")
with Tui([binary, "--home", hup, "new"], tap=tap) as t:
    t.wait_for("Go on with it?")
    tap.ok(("TheSSHkeymadewithF3inthatrunislost:ifitspublickeywasaddedinAzureDevOps,removeitthere(%s)."
            "yyesnno,startanew" % made.replace(" ", "")) in t.box_words(),
           "the next run's offer of the draft says that key is lost, naming it, and to remove it from "
           "Azure DevOps; whole, in the box")
    t.send("n")
    t.wait_for("Name *")
    t.send(CTRL_C)
    t.wait_exit()
# An edit's F3 over the saved key's public key file, then quit: that file is the saved key's again.
made = subprocess.run(base + ["new", "--non-interactive", "--name", "keyed", "--url-type", "repo", "--connection",
                              "ssh", "--url", azf["AZF_SSH_URL"], "--ssh-key-file", azf["AZF_SSH_KEY"], "--skip-test"],
                      capture_output=True, text=True)
kept_pub = os.path.join(home, "keyed-ssh-key.pub")
with open(kept_pub, "w") as f:
    f.write("ssh-rsa AAAAsavedkey keyed\n")
with Tui(base + ["edit", "keyed"], tap=tap) as t:
    t.wait_for("Name *")
    t.send(PGDN)
    t.send(PGDN)
    t.wait_for("SSH private key")
    t.focus("SSH private key")
    t.send("\x1bOR")  # F3 on the saved key (the field empty stands for it): asked first
    t.wait_for("y yes   n no")
    tap.ok("ReplacethestoredSSHkey'keyed-ssh-key'withanewRSA4096keymadehere?" in t.box_words(),
           "an edit's F3 on the saved key asks first, naming it")
    t.send("n")
    t.wait_gone("y yes   n no")
    tap.ok(t.shows("SSH private key", "the stored secret of the store id below") and
           open(kept_pub).read() == "ssh-rsa AAAAsavedkey keyed\n", "... declined: the saved key stays, no key made")
    # The store id row emptied: its default is the saved key's id, which a new key would replace too.
    t.focus("store id")
    t.send(CTRL_U)
    t.focus("SSH private key")
    t.send("\x1bOR")
    t.wait_for("y yes   n no")
    tap.ok("ReplacethestoredSSHkey'keyed-ssh-key'" in t.box_words(),
           "... the store id row emptied (its default the saved key's id): F3 asks too")
    t.send("n")
    t.wait_gone("y yes   n no")
    t.send("\x1bOR")
    t.wait_for("y yes   n no")
    t.send("y")
    t.wait_for("New SSH key", timeout=60)
    t.send(" ")
    t.wait_gone("New SSH key")
    tap.ok(made.returncode == 0 and open(kept_pub).read() != "ssh-rsa AAAAsavedkey keyed\n",
           "an edit's F3: the new public key in the saved key's .pub file meanwhile")
    t.quit()
tap.ok(open(kept_pub).read() == "ssh-rsa AAAAsavedkey keyed\n" and
       "holdsthesavedkey'spublickeyagain" in "".join(bytes(t.raw).decode("utf-8", "replace").split()),
       "... quit without saving: the saved key's public key is back in that file, and said")

# A stored secret named where there is no store yet: said on its page, not taken as stored on the review.
with Tui([binary, "--home", os.path.join(tmp, "no store"), "new", "--name", "nostore", "--url-type", "repo",
          "--url", azf["AZF_REPO_URL"], "--username", "ci", "--token-secret", "nothere"], tap=tap) as t:
    t.wait_for("Name *")
    t.send(F10)
    t.wait_for("Personal Access Token *")
    tap.ok("thereisnosecretstoreyet,sonosecret'nothere'init:givethevaluehere" in "".join(t.screen_text().split())
           and not t.has("Check the values"),
           "a store id named with no store yet: said on Credentials (F10 stops there), not 'already stored'")
    t.send(CTRL_C)  # nothing typed: quits at once
    t.wait_exit()
tap.done()
PY
