# On a terminal, --token-stdin asks with echo off: the token never shows. A terminal type the
# wizard cannot draw on (dumb, one without terminfo, none), a script's flags given to the wizard,
# a stdout that is not a terminal, and --answers - from the terminal: said at once.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
/usr/bin/python3 -c 'import pexpect' 2>/dev/null || skip_all "python3-pexpect is not installed"
export tap_tmp
/usr/bin/python3 - "${AZREPOS_CONNECT:?}" <<'PY'
import os, sys, pexpect

binary = sys.argv[1]
tmp = os.environ["tap_tmp"]
key = os.path.join(tmp, "store.key")
with open(key, "wb") as f:
    f.write(os.urandom(32))
os.chmod(key, 0o600)
secret = "s3cret-token-typed-on-the-terminal"
n = 0
failed = 0

def ok(cond, what):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n, what))
    failed += 0 if cond else 1

print("1..12")
child = pexpect.spawn(binary, ["--home", os.path.join(tmp, "home"), "--key-file", key, "new",
                               "--non-interactive", "--name", "typed", "--url-type", "repo",
                               "--url", "https://dev.azure.com/contoso/Payments/_git/web",
                               "--username", "ci", "--token-stdin", "--skip-test"],
                      encoding="utf-8", timeout=20, dimensions=(24, 80))
i = child.expect(["Personal Access Token \\(not shown\\): ", pexpect.EOF, pexpect.TIMEOUT])
ok(i == 0, "the token is asked on the terminal")
child.sendline(secret)
child.expect(pexpect.EOF)
screen = child.before or ""
child.close()
ok(child.exitstatus == 0, "the connector is saved (exit 0)")
ok(secret not in screen, "the typed token is not echoed")
ok("saved connector 'typed'" in screen, "the result is shown")
store = open(os.path.join(tmp, "home", "secrets.store"), "rb").read()
ok(secret.encode() not in store, "the store holds no plain token")
for term, want in (("dumb", "the terminal type 'dumb' cannot move the cursor: the wizard needs one that can "
                            "(try TERM=xterm), or use 'new --non-interactive'"),
                   ("nosuchterm", "the terminal type 'nosuchterm' is unknown here (no terminfo entry): try "
                                  "TERM=xterm, or use 'new --non-interactive'"),
                   (None, "no terminal: TERM is not set (try TERM=xterm)")):
    env = dict(os.environ)
    env.pop("TERM", None)
    if term:
        env["TERM"] = term
    child = pexpect.spawn(binary, ["--home", os.path.join(tmp, "home-term"), "new"], env=env,
                          encoding="utf-8", timeout=20, dimensions=(24, 80))
    child.expect(pexpect.EOF)
    said = " ".join((child.before or "").split())
    child.close()
    ok(child.exitstatus == 2 and said == "azrepos-connect: " + want,
       "TERM=%s: exit 2, said with what to do ('%s')" % (term, said[:70]))
# On a terminal, the flags of a script's run are refused at once, said (exit 2): the wizard asks.
token_file = os.path.join(tmp, "token")
with open(token_file, "w") as f:
    f.write(secret)
for args, want in ((["--skip-test"], "new: --skip-test, --save-on-failure and --output are for "
                                     "--non-interactive: the wizard asks"),
                   (["--token-file", token_file], "new: --token-file is for --non-interactive: the wizard "
                                                  "asks for the token (or give a stored one with --token-secret ID)")):
    child = pexpect.spawn(binary, ["--home", os.path.join(tmp, "home-flags"), "--key-file", key, "new"] + args,
                          encoding="utf-8", timeout=20, dimensions=(24, 80))
    i = child.expect([pexpect.EOF, pexpect.TIMEOUT])
    said = " ".join((child.before or "").split())
    child.close(force=True)
    ok(i == 0 and child.exitstatus == 2 and said.startswith("azrepos-connect: " + want),
       "the wizard with %s: exit 2, said ('%s')" % (args[0], said[:70]))
# A terminal on stdin but not on stdout (piped): no wizard, said at once (not a hang).
child = pexpect.spawn("/bin/sh", ["-c", '"$0" --home "$1" new | cat', binary, os.path.join(tmp, "home-pipe")],
                      encoding="utf-8", timeout=20, dimensions=(24, 80))
i = child.expect([pexpect.EOF, pexpect.TIMEOUT])
said = " ".join((child.before or "").split())
child.close(force=True)
ok(i == 0 and "standard output is not a terminal (redirected or piped): the wizard needs one on stdin and stdout"
   in said,
   "stdout piped, stdin a terminal: no wizard, said ('%s')" % said[:70])
# --answers - with stdin a terminal: said at once (exit 3), never waiting for a JSON typed blind.
child = pexpect.spawn(binary, ["--home", os.path.join(tmp, "home-answers"), "--key-file", key, "new",
                               "--non-interactive", "--answers", "-", "--skip-test"],
                      encoding="utf-8", timeout=20, dimensions=(24, 80))
i = child.expect([pexpect.EOF, pexpect.TIMEOUT])
said = " ".join((child.before or "").split())
child.close(force=True)
ok(i == 0 and child.exitstatus == 3 and "answers: standard input is a terminal: give the answers as a file, "
   "or pipe them" in said, "--answers - on a terminal: exit 3, said ('%s')" % said[:70])
sys.exit(1 if failed else 0)
PY
