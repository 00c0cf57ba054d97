# e2e: the wizard with an SSH Repository URL: the private key's file path typed,
# the server's unknown host key trusted with A (confirmed), the probe passes,
# the connector is saved and the key recorded; the key's content never shows.
. "$top_srcdir/tests/e2e/wizard_lib.sh"
wizard_python <<'PY'
import json, os, re, shutil, subprocess, sys
from tui import *

binary, tmp, azf = context()
home, base = keyed_home(binary, tmp)
pem = open(azf["AZF_SSH_KEY"]).read()
# Lines of the key's base64 body: none may ever be drawn.
body = [l for l in pem.splitlines() if l and not l.startswith("-----")]
fp = azf["AZF_SSH_HOSTKEY_FP"]
tap = Tap(82)

with Tui(base + ["new"], tap=tap) as t:
    t.wait_for("Name *")
    t.type("Ssh Conn")
    t.key(ENTER, 5)
    t.wait_for("URL type *")
    t.key(RIGHT, 2)
    t.send(ENTER)
    tap.is_(t.focused_label(), "Connection type *", "on to the connection type")
    t.send(RIGHT)
    tap.ok("(•) SSH" in (t.value("Connection type") or ""), "Right chooses SSH")
    tap.is_(t.field_row("Allow plain http://"), -1, "no 'Allow plain http://' with SSH")
    t.send(ENTER)
    tap.is_(t.focused_label(), "URL *", "Enter goes on to the URL")
    t.type(azf["AZF_SSH_URL"])
    t.send(ENTER)
    t.wait_for("SSH private key *")
    tap.ok(t.field_row("Username") < 0 and t.field_row("Personal Access Token") < 0,
           "SSH asks no username nor token")
    t.type(azf["AZF_SSH_KEY"])
    tap.ok(azf["AZF_SSH_KEY"] in (t.value("SSH private key") or "") or
           os.path.basename(azf["AZF_SSH_KEY"]) in (t.value("SSH private key") or ""),
           "a key file's path shows as typed")
    t.key(ENTER, 6)  # store id, passphrase, its store id, API access, secret scope, next page
    t.wait_for("Delegates *")
    tap.ok(True, "the key file is accepted: on to Delegates")
    t.send(ENTER)
    t.wait_for("Check the values")
    # The path may go on over the next row: the review wraps long values.
    tap.ok(t.has("from the file") and azf["AZF_SSH_KEY"] in re.sub(r"\n +", "", t.screen_text()),
           "the review names the key file")
    tap.ok(re.search(r"SSH key passphrase +\(not set\)$", t.screen_text(), re.M) and
           not re.search(r"\bnone\b", t.screen_text()),
           "the review: no passphrase given says '(not set)', as any field without a value")
    t.send(ENTER)
    t.wait_for("press A to trust it", 40)
    scr = t.screen_text()
    tap.ok("TRUST?  git-ssh" in scr and "FAILED" not in scr,
           "the unknown host key is a question (TRUST?), not a git-ssh failure")
    tap.ok("--accept-host-key" not in scr, "no command-line advice in the wizard: A does it")
    tap.ok(fp in scr.replace("\n", ""), "the screen gives the host key's fingerprint")
    tap.ok(re.search(r"^ *A trust the host key  R retry", scr, re.M), "the keys offer A to trust it, first")
    t.send(ENTER)
    t.settle()
    tap.ok("not a key of this page: A trusts the host key, R runs the test again" in
           re.sub(r"\s+", " ", t.screen_text()), "Enter there: the page's keys are named, A first as in the footer")
    t.send("a")
    t.wait_for("y yes   n no")
    tap.ok(t.has("Host key") and re.sub(r"\s", "", os.path.join(home, "known_hosts")) in t.box_words(),
           "A asks to confirm, naming the known_hosts file")
    t.send("y")
    t.finish("saved connector 'Ssh_Conn'", "git-ssh", "after y the test runs again")

tap.tui = None
raw = bytes(t.raw)
tap.ok(not any(l.encode() in raw for l in body) and b"PRIVATE KEY" not in raw,
       "no line of the private key ever reached the terminal")
tap.ok(b"for Harness:\r\n  azrepos-connect" in raw and b"PEM only" not in raw,
       "a key in PEM form: the last words give the export, nothing of the key's form")
try:
    c = json.load(open(os.path.join(home, "connectors", "Ssh_Conn.json")))
except Exception as e:
    c = {}
    tap.diag(str(e))
tap.ok(c.get("connection") == "ssh" and c.get("url") == azf["AZF_SSH_URL"] and
       c.get("ssh-key-secret") == "ssh_conn-ssh-key" and "ssh-key" not in c,
       "the connector file: SSH, the URL, the key by its store id only")
if not c.get("ssh-key-secret"):
    tap.diag(json.dumps(c))
kh = os.path.join(home, "known_hosts")
try:
    khtext = open(kh).read()
except OSError:
    khtext = ""
port = azf["AZF_SSH_PORT"]
fix_kh = open(azf["AZF_KNOWN_HOSTS"]).read().split()
tap.ok(("[127.0.0.1]:%s" % port) in khtext and len(fix_kh) >= 3 and fix_kh[2] in khtext,
       "known_hosts under --home now holds the server's key")
if not khtext:
    tap.diag("no %s" % kh)
tap.is_(any_file_holds(home, body[1].encode()) if len(body) > 1 else ["?"], [],
        "no file under --home holds the private key in clear")

# A key made with F3, its public key added on the server (as in Azure DevOps): the test passes
# with it, and the command printed at the end writes the private key for Harness's SSH
# credential, in the PEM form of 'ssh-keygen -m PEM', to a new file of mode 0600.
ak = os.path.join(azf["AZF_DIR"], "ssh", "authorized_keys")
gate = open(ak).readline().split(" ssh-rsa ")[0]
made_pub = ""
with Tui(base + ["new"], tap=tap) as t:
    t.to_credentials("Made Key", azf["AZF_SSH_URL"], ssh=True)
    t.focus("SSH private key")
    t.send("\x1bOR")  # F3
    t.wait_for("New SSH key", timeout=60)
    tap.ok(t.has("kept only in this run's memory until the connector is") and t.has("says how to get it")
           and t.has("for Harness. Quitting before that loses it."),
           "F3: the screen says the key is kept only once saved, and is for Harness too")
    made_pub = open(os.path.join(home, "made_key-ssh-key.pub")).read()
    # (Run as a session leader, the program is not stopped: it suspends and resumes at once.)
    t.send(CTRL_Z)
    t.settle()
    tap.ok(t.has("New SSH key") and t.has("Any key goes back to the wizard"),
           "Ctrl-Z on the public key's screen suspends, it does not close it")
    t.send(" ")
    t.wait_gone("New SSH key")
    t.to_test()
    # Not added yet: refused, and the page says where its public key is.
    t.wait_for("R retry", 40)
    tap.ok(("TheSSHkeymadewithF3isrefuseduntilitspublickeyisaddedinAzureDevOps:itisin%s." %
            "".join(os.path.join(home, "made_key-ssh-key.pub").split())) in "".join(t.screen_text().split()),
           "F3's key not added yet: the test page says it is refused until added, and where its public key is")
    with open(ak, "a") as f:
        f.write("%s %s" % (gate, made_pub))
    t.send("r")
    t.finish("saved connector 'Made_Key'", "git-ssh", "F3's key, added on the server")
# The screen's lines are full width: a key the terminal wrapped reads whole when they are joined.
tap.ok(made_pub and made_pub.split()[1][-400:] in "".join(t.lines()),
       "saved: the shell's screen still shows the public key made, to copy into Azure DevOps")
tap.tui = None
ran = run_printed(t, binary, "its SSH key, for a Harness SSH credential (user %s)" % azf["AZF_SSH_USER"], cwd=tmp)
pem_path = os.path.join(tmp, "made_key-ssh-key.pem")
tap.ok(ran.returncode == 0 and ran.stdout == "Wrote secret 'made_key-ssh-key' (ssh-private-key) to "
       "made_key-ssh-key.pem (mode 0600).\n", "the printed 'secret get' command runs as printed")
if ran.returncode != 0:
    tap.diag(ran.stderr)
pem_made = open(pem_path).read() if os.path.exists(pem_path) else ""
tap.ok(pem_made.startswith("-----BEGIN RSA PRIVATE KEY-----\n") and
       os.stat(pem_path).st_mode & 0o777 == 0o600, "the key file: PEM (BEGIN RSA PRIVATE KEY), mode 0600")
derived = subprocess.run(["ssh-keygen", "-y", "-f", pem_path], capture_output=True, text=True)
tap.ok(made_pub.split()[:2] == derived.stdout.split()[:2] and len(made_pub.split()) == 3,
       "ssh-keygen reads it, and its public half is the key F3 showed")
tap.ok(b"PRIVATE KEY" not in bytes(t.raw), "no line of the made key reached the terminal")

# F3 with a store id typed on the key's row: the public key file is named by that id.
with Tui(base + ["new"], tap=tap) as t:
    t.to_credentials("Own Id", azf["AZF_SSH_URL"], ssh=True)
    t.focus("store id")
    t.type("plainkey")
    t.focus("SSH private key")
    t.send("\x1bOR")  # F3
    t.wait_for("New SSH key", timeout=60)
    said = "".join(t.screen_text().split())
    tap.ok(("Itisalsoin%s/plainkey.pub." % home.replace(" ", "")) in said and
           os.path.exists(os.path.join(home, "plainkey.pub")),
           "F3 with the store id 'plainkey' typed: the public key goes to plainkey.pub")
    t.send(" ")
    t.wait_gone("New SSH key")
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    t.wait_exit()
# Its draft is not the next run's to resume.
os.unlink(os.path.join(home, "draft.json")) if os.path.exists(os.path.join(home, "draft.json")) else None

# A key of a file that the server refuses (its public key never added): the test page offers
# P, which shows that key's public key whole, as ssh-keygen -y gives it, to add in Azure DevOps.
bad_pub = subprocess.run(["ssh-keygen", "-y", "-f", azf["AZF_SSH_BAD_KEY"]], capture_output=True,
                         text=True).stdout.split()[:2]
with Tui(base + ["new"], tap=tap) as t:
    t.to_credentials("Bad Key", azf["AZF_SSH_URL"], ssh=True)
    t.focus("SSH private key")
    t.type(azf["AZF_SSH_BAD_KEY"])
    t.to_test()
    t.wait_for("R retry", 40)
    said = " ".join(t.screen_text().split())
    tap.ok("rejected for user" in said and "P shows the public key of the SSH key given" in said and
           t.has("E edit the key  P its public key  S save anyway  ^C quit"),
           "a key refused: the test page offers P for its public key, the keys fit one row")
    t.send("p")
    t.wait_for("was rejected. Its fingerprint")
    joined = "".join(t.lines())
    tap.ok(len(bad_pub) == 2 and " ".join(bad_pub) in joined and t.has("User settings > SSH public keys > New Key"),
           "P: the refused key's public key, whole, as ssh-keygen -y gives it, and where to add it")
    t.send(" ")
    t.wait_gone("was rejected")
    tap.ok(t.has("R retry"), "any key goes back to the test page")
    t.quit()
tap.ok(len(bad_pub) == 2 and bad_pub[1].encode() in bytes(t.raw) and not t.has("was rejected") and
       not t.has(bad_pub[1][:40]), "the end: the refused key's public key is not left on the shell's screen")
os.unlink(os.path.join(home, "draft.json")) if os.path.exists(os.path.join(home, "draft.json")) else None

# A key made with F3, then the connection changed to HTTP: the saved connector has no key, and
# the end says the made key is discarded with its public key file.
with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_credentials("F3 Http", azf["AZF_SSH_URL"], ssh=True)
    t.focus("SSH private key")
    t.send("\x1bOR")  # F3
    t.wait_for("New SSH key", timeout=60)
    t.send(" ")
    t.wait_gone("New SSH key")
    made = os.path.exists(os.path.join(home, "f3_http-ssh-key.pub"))
    t.send(PGUP)
    t.wait_for("URL type *")
    t.focus("Connection type")
    t.send(LEFT)
    t.focus("URL")
    t.send(CTRL_U)
    t.type(azf["AZF_REPO_URL"])
    t.send(PGDN)
    t.wait_for("Personal Access Token *")
    t.focus("Username")
    t.type(azf["AZF_USER"])
    t.focus("Personal Access Token")
    t.paste(open(azf["AZF_TOKEN_FILE"]).read().strip())
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("Enter finish", timeout=30)
    said = " ".join(t.screen_text().split())
    tap.ok(made and "The SSH key made with F3 is not used by this HTTP connector" in said and
           "Its public key" not in said and not os.path.exists(os.path.join(home, "f3_http-ssh-key.pub")),
           "F3, then HTTP: saved without the key, which is said to be discarded with its .pub file")
    t.send(ENTER)
    t.wait_exit()

# The same key in OpenSSH form (ssh-keygen's default), which Harness does not
# take: the last words give the command that writes it in PEM form, and it does.
# Started with --ca-file, as a wrapper may pass it to every run: no TLS is spoken over SSH alone.
with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_credentials("Ossh", azf["AZF_SSH_URL"], ssh=True)
    t.focus("SSH private key")
    t.type(azf["AZF_SSH_KEY_OPENSSH"])
    t.send(F10)
    t.wait_for("Check the values")
    no_ca = not t.has("CA file")
    t.send(ENTER)
    t.wait_for("saved connector 'Ossh'", 40)
    tap.ok(no_ca and "--ca-file" not in "".join(t.screen_text().split()),
           "SSH alone, started with --ca-file: neither the review nor the end names the CA file")
    t.finish("saved connector 'Ossh'", "git-ssh", "a key in OpenSSH form")
tap.tui = None
ran = run_printed(t, binary, "its SSH key, for a Harness SSH credential (user %s), which takes PEM only"
                  % azf["AZF_SSH_USER"],
                  cwd=tmp)
pem_path = os.path.join(tmp, "ossh-ssh-key.pem")
tap.ok(ran.returncode == 0 and os.path.exists(pem_path) and open(pem_path).read() == pem,
       "the command printed writes the key in PEM form: the PEM file it was made from, byte for byte")
if ran.returncode != 0:
    tap.diag(ran.stderr)

# An edit of another field: the key's PEM commands were said when it was stored, not again.
with Tui(base + ["edit", "Ossh"], tap=tap) as t:
    t.focus("Description")
    t.type("edited")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.finish("saved connector 'Ossh'", "git-ssh", "an edit of the description")
after = bytes(t.raw).rsplit(b"\x1b[?1049l", 1)[-1]
tap.ok(b"export Ossh --format yaml" in after and b"PEM" not in after,
       "its last words: the export command, not the key's PEM commands again")

# A key pasted after a blank line is key text, never shown as a file name; a
# public key given instead is named as one.
pub = open(azf["AZF_SSH_KEY"] + ".pub").read()
with Tui(base + ["new", "--dry-run", "--connection", "ssh", "--url-type", "repo"], tap=tap) as t:
    t.wait_for("Name *")
    t.type("Paste")
    t.send(PGDN)
    t.wait_for("URL type *")
    t.focus("URL")
    t.type(azf["AZF_SSH_URL"])
    t.send(PGDN)
    t.wait_for("SSH private key *")
    t.paste("\n" + pem)
    v = t.value("SSH private key") or ""
    tap.ok(v.lstrip("\u2026").startswith("•") and not any(l in t.screen_text() for l in body),
           "a key pasted after a blank line is masked, not taken for a file name")
    tap.is_(t.message("SSH private key"), "", "and it is accepted as a key")
    # Copied from an indented block (YAML, a quoted mail): the indentation is no part of the key.
    t.send(CTRL_U)
    t.paste("".join("    " + l + "\n" for l in pem.splitlines()))
    tap.ok(t.has("the pasted key's indentation was left out") and t.message("SSH private key") == "",
           "a key pasted indented: the indentation goes, said, and the key is accepted")
    t.send(CTRL_U)
    t.paste(pub)
    t.wait_for("that is a public key")
    tap.ok("that is a public key: give the private key" in (t.message("SSH private key") or ""),
           "a public key pasted instead: the message says what it is and what to give, at once")
    t.send(CTRL_U)
    t.type(azf["AZF_SSH_KEY_ENC"])
    t.send(TAB)
    t.wait_for("needs its passphrase")
    tap.ok("needs its passphrase" in (t.message("SSH key passphrase") or ""),
           "a key that needs a passphrase, its field left: said under the passphrase before Next")
    # A key that needs its passphrase: the passphrase field says so and gets the focus, never
    # the key's field (a file name, shown in clear, where a passphrase would be seen).
    t.focus("SSH private key")
    tap.ok("F1 help  F3 new  F4 list  F10 review" in t.lines()[-1],
           "on the key, the key line names its own keys: F3 makes one, F4 picks a stored one")
    t.send(CTRL_U)
    t.type(azf["AZF_SSH_KEY_ENC"])
    t.send(F10)
    # The key is checked after the key that asks it (a third of a second, more on a busy host):
    # the screen is read once it shows the outcome.
    t.wait_for("needs its passphrase")
    tap.ok(t.focused_label() == "SSH key passphrase" and
           "needs its passphrase" in (t.message("SSH key passphrase") or "") and
           not t.message("SSH private key"), "a key that needs a passphrase: said under the passphrase")
    t.type("not-the-passphrase")
    t.send(TAB)
    t.wait_for("does not open the key")
    tap.ok("does not open the key" in (t.message("SSH key passphrase") or ""), "a wrong one: said there too")
    tap.ok(("ssh-keygen -y -f %s'" % azf["AZF_SSH_KEY_ENC"]) in " ".join((t.message("SSH key passphrase") or "").split()),
           "... with the command that checks it on that key's file")
    # Another wrong one typed over it: said at a pause in typing too, not only once the field is left.
    t.focus("SSH key passphrase")
    t.send(CTRL_U)
    t.type("still-not-it")
    t.wait_gone("does not open the key")
    t.wait_for("does not open the key", 5)
    tap.ok(t.focused_label() == "SSH key passphrase" and "does not open the key" in (t.message("SSH key passphrase") or ""),
           "another wrong one typed: said at the pause, the field still being typed in")
    t.send(CTRL_U)
    t.paste(open(azf["AZF_SSH_KEY_ENC_PASS_FILE"]).read())
    t.send(TAB)
    t.wait_gone("does not open the key")
    tap.ok(not t.message("SSH key passphrase") and not t.message("SSH private key"),
           "the right passphrase: no message")
    t.quit()
tap.ok(not any(l.encode() in bytes(t.raw) for l in body), "no line of the pasted key reached the terminal")

# The unknown host key is named as known_hosts will name it: the server as [host]:port and the
# key's type with its fingerprint, on the page and in the box asking to trust it; the page also
# gives the check's time limit (--timeout). A home of its own: the first walk trusted the key.
host = "[127.0.0.1]:%s" % azf["AZF_SSH_PORT"]
with Tui([binary, "--home", os.path.join(tmp, "home-hk"), "new", "--dry-run", "--timeout", "7", "--name", "Hk", "--url-type", "repo",
                "--connection", "ssh", "--url", azf["AZF_SSH_URL"]], tap=tap) as t:
    t.wait_for("Name *")
    t.send(PGDN)
    t.wait_for("URL type *")
    t.send(PGDN)
    t.wait_for("SSH private key *")
    t.type(azf["AZF_SSH_KEY"])
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.wait_for("press A to trust it", 40)
    r = t.find("The host key of %s is not known here:" % host)
    tap.ok(r > 0 and t.line(r + 1).strip() == "ssh-rsa " + fp,
           "the unknown host key on the page: the server as [host]:port, the key type, the fingerprint")
    tap.is_(t.line(3).strip(), "Connection test of 'Hk' (at most 7 s)", "the test page gives its time limit")
    t.send("a")
    t.wait_for("y yes   n no")
    r = t.find("Trust the host key of %s for this dry run?" % host)
    tap.ok(r > 0 and "ssh-rsa " + fp in t.line(r + 1), "the box asking to trust it names them too")
    tap.ok("A dry run records nothing: a real run asks again." in t.screen_text().replace("\n", " ") or
           "Adryrunrecordsnothing:arealrunasksagain." in t.box_words(),
           "a dry run: the box says the key is trusted for this run only")
    t.send("y")
    t.wait_for("nothing was written", 40)
    tap.ok(t.has("OK      git-ssh") and not os.path.exists(os.path.join(tmp, "home-hk", "known_hosts")),
           "y: the test passes with the key, and a dry run writes no known_hosts")
    t.send(ENTER)
    tap.is_(t.wait_exit(), 0, "the dry run ends with exit status 0")

# The key given by its file: a quit keeps that path in the draft (a path, never the key), and the
# next run, resumed, has it back and reads the key from it again.
dhome = os.path.join(tmp, "home-draft")
draft = os.path.join(dhome, "draft.json")
with Tui([binary, "--home", dhome, "new"], tap=tap) as t:
    t.to_credentials("Drafted", azf["AZF_SSH_URL"], ssh=True)
    t.focus("SSH private key")
    t.type(azf["AZF_SSH_KEY"])
    t.send(CTRL_C)
    t.wait_for("Quit without saving")
    t.send("y")
    tap.is_(t.wait_exit(), 5, "Ctrl-C, y with a key file typed: exit status 5")
try:
    d = json.load(open(draft))
except Exception as e:
    d = {}
    tap.diag("draft: %s" % e)
tap.ok(d.get("ssh-key-file") == azf["AZF_SSH_KEY"] and d.get("url") == azf["AZF_SSH_URL"],
       "the draft holds the key file's path with the other values")
tap.is_(any_file_holds(dhome, body[1].encode()), [], "and nothing of the key itself")
with Tui([binary, "--home", dhome, "new"], tap=tap) as t:
    t.wait_for("Go on with it?")
    tap.ok(azf["AZF_SSH_KEY"] in t.box_words(), "the offer says the key is read again from its file")
    t.send("y")
    t.wait_for("SSH private key *")  # back on Credentials, where that run quit
    t.focus("SSH private key")
    t.send(TAB)  # left: shown from its start (a long path cut with '…'), and the key read
    tap.ok(t.shows("SSH private key", azf["AZF_SSH_KEY"]) and not t.message("SSH private key"),
           "resumed: the key file's path is back, and the key read from it is good")
    t.quit()

# An edit giving a key file under an id another connector names: the review says that one uses it
# too, and so does the end (the non-interactive edit says it the same way).
sh1 = subprocess.run(base + ["new", "--non-interactive", "--name", "sh1", "--url-type", "repo", "--connection", "ssh",
                            "--url", azf["AZF_SSH_URL"], "--ssh-key-file", azf["AZF_SSH_KEY"],
                            "--ssh-key-secret", "shared-key", "--accept-host-key", fp], capture_output=True, text=True)
sh2 = subprocess.run(base + ["new", "--non-interactive", "--name", "sh2", "--url-type", "repo", "--connection", "ssh",
                            "--url", azf["AZF_SSH_URL"], "--ssh-key-secret", "shared-key", "--skip-test"],
                     capture_output=True, text=True)
with Tui(base + ["edit", "sh1"], tap=tap) as t:
    t.to_token("SSH private key")
    t.type(azf["AZF_SSH_KEY_OPENSSH"])  # the same key in another form: a new value (the same one is no change)
    t.send(F10)
    t.wait_for("Check the values")
    said = " ".join(t.screen_text().split())
    tap.ok(sh1.returncode == 0 and sh2.returncode == 0 and
           "replacing the stored 'shared-key'; connector sh2 uses it too" in said and "from the file" in said,
           "a key file given under a shared id: the review names the other connector using it")
    t.send(ENTER)
    t.finish("saved connector 'sh1'", "git-ssh", "the edit with a shared key")
    tap.ok(b"The secret 'shared-key' is also used by connector sh2, which now gets the new value too." in bytes(t.raw),
           "and the end says sh2 gets the new value too")
# An edit of a connector whose key passphrase is stored: a new key that no passphrase makes right
# (a public key, an ed25519 key) is said under the key at once, not after the store is opened,
# and the error page names the field by its label.
enc = subprocess.run(base + ["new", "--non-interactive", "--name", "enc", "--url-type", "repo", "--connection", "ssh",
                             "--url", azf["AZF_SSH_URL"], "--ssh-key-file", azf["AZF_SSH_KEY_ENC"],
                             "--ssh-key-passphrase-file", azf["AZF_SSH_KEY_ENC_PASS_FILE"], "--skip-test"],
                     capture_output=True, text=True)
with Tui(base + ["edit", "enc"], tap=tap) as t:
    t.to_token("SSH private key")
    t.send(F1)
    t.wait_for("Any key closes.")
    tap.ok("Here:typethekeyfile'spath(Tabcompletesit),orpastethekey'stext;F3makesanewRSA4096key;F4usesasecretalreadystored;"
           "leftempty,thestoredonestays." in t.box_words(), "F1 on an edit's key: the wizard's ways to give one")
    t.send(ESC)
    t.wait_gone("Any key closes.")
    t.type(azf["AZF_SSH_ED25519_KEY"])
    t.send(TAB)
    t.settle()
    said = " ".join((t.message("SSH private key") or "").split())
    tap.ok(enc.returncode == 0 and "the SSH key is ssh-ed25519: Azure DevOps accepts only RSA keys; F3 makes one here"
           in said, "its passphrase stored, an ed25519 key is said under the key field at once")
    t.focus("SSH private key")
    t.send(CTRL_U)
    t.type(azf["AZF_SSH_KEY_ENC"])
    t.send(TAB)
    t.settle()
    tap.ok(not t.message("SSH private key") and not t.message("SSH key passphrase"),
           "... an encrypted RSA key: nothing said (its stored passphrase is tried at the test)")
    # A key without a passphrase instead: the review says the stored passphrase goes, as the save does.
    t.focus("SSH private key")
    t.send(CTRL_U)
    t.type(azf["AZF_SSH_KEY"])
    t.send(F10)
    t.wait_for("Check the values")
    tap.ok("(notset):thenewSSHkeyhasnopassphrase(thesecret'enc-ssh-key-passphrase'isnolongerused)" in
           "".join(t.screen_text().split()), "... then one without a passphrase: the review says the stored one goes")
    t.send(CTRL_C)
    t.wait_for("y yes   n no")
    t.send("y")
    t.wait_exit()
ran = subprocess.run(base + ["edit", "enc", "--non-interactive", "--ssh-key-file", azf["AZF_SSH_ED25519_KEY"],
                            "--skip-test"], capture_output=True, text=True)
tap.ok(ran.returncode == 3 and "ssh-key: the SSH key is ssh-ed25519" in ran.stderr and
       "generate one with ssh-keygen" in ran.stderr, "without the wizard: exit 3, the same, with ssh-keygen's way")

# ---- Tab completes a key file's path as a shell does; a path that names the file moves on ----
keys = os.path.join(tmp, "k")
os.mkdir(keys, 0o700)
for name in ("deploy_rsa", "deploy_rsa.pub", "deploy_other"):
    shutil.copy(azf["AZF_SSH_KEY"] + (".pub" if name.endswith(".pub") else ""), os.path.join(keys, name))
with Tui(base + ["new", "--dry-run", "--name", "Tab Keys", "--url-type", "repo", "--connection", "ssh",
                 "--url", azf["AZF_SSH_URL"]], tap=tap) as t:
    t.to_token("SSH private key")
    t.type(os.path.join(keys, "dep"))
    t.send(TAB)
    t.settle()
    added = (t.value("SSH private key") or "").endswith("/k/deploy_")
    t.send(TAB)
    t.settle()
    words = " ".join(t.screen_text().split())
    tap.ok(added and t.focused_label() == "SSH private key *" and
           "3 names match (type more, then Tab): deploy_other deploy_rsa deploy_rsa.pub" in words,
           "Tab adds what the names share (deploy_), then lists them, the focus kept")
    t.type("r")
    t.send(TAB)
    t.settle()
    done = (t.value("SSH private key") or "").endswith("/k/deploy_rsa") and t.focused_label() == "SSH private key *"
    t.send(TAB)
    t.settle()
    tap.ok(done and t.focused_label() == "store id" and not t.message("SSH private key"),
           "... r, Tab: deploy_rsa (the key file, read: nothing to say); Tab again moves on")

# ---- A space at an end of a key file's path (a paste) does not show: the message says it ----
with Tui(base + ["new", "--dry-run", "--name", "Space Keys", "--url-type", "repo", "--connection", "ssh",
                 "--url", azf["AZF_SSH_URL"]], tap=tap) as t:
    t.to_token("SSH private key")
    nows = lambda s: re.sub(r"\s", "", s or "")

    def give_path(text, said):
        """The field emptied, text typed, the field left: the key is read then, its message a moment later."""
        t.focus("SSH private key")
        t.send(CTRL_U)
        t.type(text)
        t.send(TAB)
        t.appears(said, 5)

    give_path(azf["AZF_SSH_KEY"] + " ", "ends with a space")
    tap.ok(("nofile'%s'(itendswithaspace):removethespace,thefileistherewithoutit" % nows(azf["AZF_SSH_KEY"]))
           in nows(t.message("SSH private key")),
           "a key file's path with a space after it: quoted, the space named, the file there without it")
    give_path(azf["AZF_SSH_KEY"] + "x ", "ends with a space")
    tap.ok(("cannotread'%sx'(itendswithaspace):Nosuchfileordirectory" % nows(azf["AZF_SSH_KEY"]))
           in nows(t.message("SSH private key")),
           "... one naming no file either way: quoted, and the space named")
    give_path(" " + azf["AZF_SSH_KEY"], "starts with a space")
    m = t.message("SSH private key") or ""
    tap.ok("starts with a space" in m and "remove the space" in m and
           os.path.basename(azf["AZF_SSH_KEY"]) not in t.screen_text(),
           "... a space before it: said (the value masked, not being a path as typed, and not quoted)")
tap.done()
PY
