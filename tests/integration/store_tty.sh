# The passphrase on a terminal (a pseudo-terminal driven by pexpect): first
# use asks twice, a slip is asked again (three at most, then nothing written), typed values are never echoed,
# a value cancelled or too long (at either prompt) is said so, three tries then exit 10, the golden passphrase store opens, rekey.
# Production Argon2id limits: each unlock costs about a second here.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
/usr/bin/python3 -c 'import pexpect' 2>/dev/null || skip_all "python3-pexpect is not installed (tools/install-deps)"
export AZREPOS_CONNECT_HOME="$tap_tmp/home" TAP_TMP="$tap_tmp"
unset CREDENTIALS_DIRECTORY
/usr/bin/python3 - <<'PYEOF'
import os, shutil, sys
import pexpect

bin = os.environ["AZREPOS_CONNECT"]
tmp = os.environ["TAP_TMP"]
home = os.environ["AZREPOS_CONNECT_HOME"]
store = os.path.join(home, "secrets.store")
n = 0
tests = []

def ok(cond, what):
    global n
    n += 1
    tests.append(("ok" if cond else "not ok") + f" {n} - {what}")

def run(args, script, env=None, icanon=True):
    """Run the program in a pty; script: (expected prompt regex, line to type) pairs.
    icanon=False: the terminal in raw input mode, where a line is not cut at 4095 bytes (Linux).
    Returns (exit code, everything the terminal showed)."""
    if icanon:
        child = pexpect.spawn(bin, args, env=env or dict(os.environ), timeout=60, encoding="utf-8")
    else:
        child = pexpect.spawn("/bin/sh", ["-c", 'stty -icanon && exec "$0" "$@"', bin] + args,
                              env=env or dict(os.environ), timeout=60, encoding="utf-8")
    shown = ""
    for prompt, answer in script:
        child.expect(prompt)
        shown += child.before + child.after
        line = answer + "\n"
        while line:  # a long line may take more than one write
            line = line[child.send(line):]
    child.expect(pexpect.EOF)
    shown += child.before
    child.close()
    return child.exitstatus, shown

rc, shown = run(["secret", "list"], [])
ok(rc == 0 and shown.strip() == "azrepos-connect: no secrets stored yet: 'azrepos-connect secret set ID' "
   "stores one (as new and edit store those they are given)" and not os.path.exists(home),
   "secret list on a terminal before any store: says there is none and what stores one (exit 0), makes nothing")
# A store whose last secret was removed: the same words.
e_env = dict(os.environ, AZREPOS_CONNECT_HOME=os.path.join(tmp, "emptied"))
e_key, e_val = os.path.join(tmp, "emptied.key"), os.path.join(tmp, "emptied.val")
with open(e_val, "w") as f:
    f.write("t0k3n\n")
rc, _ = run(["--key-file", e_key, "secret", "set", "gone", "--from-file", e_val], [], e_env)
rc2, _ = run(["--key-file", e_key, "secret", "rm", "gone", "--yes"], [], e_env)
rc3, shown = run(["--key-file", e_key, "secret", "list"], [], e_env)
ok((rc, rc2, rc3) == (0, 0, 0) and
   shown.strip() == "azrepos-connect: no secrets stored yet: 'azrepos-connect --key-file %s secret set ID' "
   "stores one (as new and edit store those they are given)" % e_key,
   "secret list of a store emptied by secret rm: says so too (the key file in the command)")

# The value first: one refused makes no store, and no passphrase is asked for it in vain.
rc, shown = run(["secret", "set", "git-pat"], [("Value of git-pat \\(token, not shown\\)", "https://x")])
ok(rc == 3 and "New passphrase" not in shown and not os.path.exists(home),
   "first use: a value refused (a URL as a token) asks no passphrase and makes nothing")
rc, shown = run(["secret", "set", "git-pat"], [("Value of git-pat \\(token, not shown\\)", "a-token-4321"),
                                               ("New passphrase", "first pass"), ("Repeat", "other pass"),
                                               ("New passphrase", ""),
                                               ("New passphrase", "abc")])
ok(rc == 3, "first use: three slips (differ, empty, too short) exit 3")
note = shown.find("note: no secret store yet: a new one is made, %s; its passphrase is asked" % store)
ok(0 <= note < shown.find("New passphrase") and "nothing can recover it" in shown,
   "first use: a new store is said, with where it goes, before its passphrase is asked")
ok("do not match: type it again" in shown and "an empty passphrase is not allowed: type it again" in shown and
   shown.rstrip().endswith("that passphrase is too short: use at least 8 characters (a few words); nothing was "
                           "changed") and "Repeat" not in shown[shown.rfind("New passphrase"):],
   "each slip is said and asked again, as passwd does; the third ends it")
ok(not os.path.exists(store), "and write nothing")
ok("first pass" not in shown and "other pass" not in shown, "the passphrase is not echoed")

token = "typed-token-0123456789"
rc, shown = run(["secret", "set", "git-pat"], [("Value of git-pat \\(token, not shown\\)", token),
                                               ("New passphrase", "first pass"), ("Repeat", "frist pass"),
                                               ("New passphrase", "first pass"), ("Repeat", "first pass")])
ok(rc == 0, "first use: after a slip, the passphrase typed twice creates the store")
ok(os.path.exists(store) and (os.stat(store).st_mode & 0o777) == 0o600, "the store is 0600")
ok(token not in shown, "the typed value is not echoed")
ok("Saved secret git-pat (token)." in shown, "the value is saved")

rc, shown = run(["secret", "set", "git-pw", "--kind", "password"],
                [("Passphrase for the secret store", "first pass"), ("Value of git-pw", "pw-1"), ("Repeat the value", "pw-2")])
ok(rc == 3 and "do not match" in shown, "a password typed twice differently is refused")

rc, shown = run(["secret", "set", "git-pw", "--kind", "password"],
                [("Passphrase for the secret store", "first pass"), ("Value of git-pw", "pw-1"), ("Repeat the value", "\x04")])
ok(rc == 5 and "git-pw: cancelled" in shown and "do not match" not in shown, "Ctrl-D at 'Repeat the value' cancels (exit 5)")

too_long = "x" * (65536 + 3)  # past the 64 KiB and the CRLF room: refused at the last byte, the newline left
rc, shown = run(["secret", "set", "git-pw", "--kind", "password"],
                [("Passphrase for the secret store", "first pass"), ("Value of git-pw", too_long)], icanon=False)
ok(rc == 3 and "git-pw: the value is larger than 64 KiB" in shown, "a typed value over 64 KiB is said so (exit 3)")
rc, shown = run(["secret", "set", "git-pw", "--kind", "password"],
                [("Passphrase for the secret store", "first pass"), ("Value of git-pw", "pw-1"),
                 ("Repeat the value", too_long)], icanon=False)
ok(rc == 3 and "git-pw: the value is larger than 64 KiB" in shown and "do not match" not in shown,
   "a repeated value over 64 KiB too, not as a mismatch")

rc, shown = run(["secret", "list"], [("Passphrase for the secret store", ""), ("Passphrase for the secret store", ""),
                                     ("Passphrase for the secret store", "wrong 1"),
                                     ("Passphrase for the secret store", "wrong 2"),
                                     ("Passphrase for the secret store", "first pass")])
ok(rc == 0 and shown.count("no passphrase was typed: type it (Ctrl-C gives up)") == 2 and
   shown.count("wrong passphrase, try again") == 2,
   "Enter alone is no try (said), twice: two wrong passphrases after them, then the right one, still open it")
rc, shown = run(["secret", "list"], [("Passphrase for the secret store", "wrong 1"),
                                     ("Passphrase for the secret store", "first pass")])
ok(rc == 0, "a wrong passphrase, then the right one")
ok("wrong passphrase, try again" in shown, "the first try is told it was wrong")
ok("git-pat" in shown and token not in shown, "list shows the id, never the value")
# A value file that cannot be read: said at once, no passphrase asked for nothing.
rc, shown = run(["secret", "set", "late", "--from-file", os.path.join(tmp, "no-such-file")], [])
ok(rc == 1 and "Passphrase" not in shown and
   shown.strip() == "azrepos-connect: late: cannot read %s: No such file or directory" % os.path.join(tmp, "no-such-file"),
   "set --from-file of a file not there: said before the passphrase is asked (exit 1)")

before = open(store, "rb").read()
rc, shown = run(["secret", "list"], [("Passphrase", "w1"), ("Passphrase", "w2"), ("Passphrase", "w3")])
ok(rc == 10, "three wrong passphrases exit 10")
ok(open(store, "rb").read() == before, "the store is untouched")

# A value typed (or pasted) ahead while the passphrase is checked, about a second, is never shown.
import time
child = pexpect.spawn(bin, ["secret", "set", "git-pw", "--kind", "password"], env=dict(os.environ), timeout=60,
                      encoding="utf-8")
child.expect("Passphrase for the secret store")
child.send("first pass\n")
time.sleep(0.3)
child.send("typed-ahead-value")
child.expect("Value of git-pw")
shown = child.before + child.after
# Ctrl-C, not Ctrl-D: a check faster than the sleep leaves the typed text in the line, where Ctrl-D only sends it.
child.send("\x03")
child.expect(pexpect.EOF)
shown += child.before
child.close()
ok(child.signalstatus == 2 and "typed-ahead-value" not in shown,
   "a value typed ahead while the passphrase is checked is not echoed (echo stays off until the next prompt)")

rc, shown = run(["secret", "set", "ssh", "--kind", "ssh-private-key"], [("Passphrase", "first pass")])
ok(rc == 2 and "--from-file F or standard input" in shown, "an SSH private key is not typed on the terminal")

rc, shown = run(["secret", "rekey"], [("Passphrase for the secret store", "first pass"),
                                      ("New passphrase", "second pass"), ("Repeat", "second pass")])
ok(rc == 0 and "new passphrase" in shown, "rekey to a new passphrase")
rc, shown = run(["secret", "list"], [("Passphrase", "first pass"), ("Passphrase", "second pass")])
ok(rc == 0 and "wrong passphrase" in shown, "the old passphrase fails, the new one opens it")

# The golden v1 store at production limits (Argon2id ops 2 / 64 MiB).
golden = os.path.join(tmp, "golden")
os.mkdir(golden, 0o700)
shutil.copy(os.path.join(os.environ["top_srcdir"], "tests/data/store/golden/v1-passphrase-interactive.store"),
            os.path.join(golden, "secrets.store"))
os.chmod(os.path.join(golden, "secrets.store"), 0o600)
env = dict(os.environ, AZREPOS_CONNECT_HOME=golden)
rc, shown = run(["secret", "list"], [("Passphrase", "golden-passphrase")], env)
ok(rc == 0 and "ssh-key-pass" in shown and "ssh-key-passphrase" in shown, "the golden v1 passphrase store opens")

# ---- rekey switching the unlock method through the CLI: passphrase -> key file -> passphrase ----
# After each switch the old way fails, the new way opens, and every secret is
# unchanged (test_store_tool dumps each value's SHA-256, and the generation).
import subprocess
tool = os.path.join(os.environ["top_builddir"], "tests/unit/test_store_tool")
sw = os.path.join(tmp, "switch")
os.mkdir(sw, 0o700)
sw_store = os.path.join(sw, "secrets.store")
sw_env = dict(os.environ, AZREPOS_CONNECT_HOME=sw)
sw_key = os.path.join(tmp, "switch.key")

def dump(key):
    """(exit code, the generation, the 'ID KIND SHA256' lines, stderr) of the store opened with key."""
    p = subprocess.run([tool, "dump", sw_store, key, "moderate"], capture_output=True, text=True)
    lines = p.stdout.splitlines()
    gen = int(lines[0].split()[1]) if p.returncode == 0 and lines else -1
    return p.returncode, gen, lines[1:], p.stderr

def refused(key):
    """The store refuses key as the wrong one, and shows nothing."""
    rc, _, lines, err = dump(key)
    return rc != 0 and lines == [] and "wrong" in err

rc0 = subprocess.run([tool, "create", sw_store, "pass:switch one", "interactive",
                      "git-pat", "token", "text:switch-token-0123",
                      "git-password", "password", "text:switch pass word",
                      "ssh-deploy", "ssh-private-key", "hex:2d2d2d2d2d0a00ff0a"]).returncode
_, gen0, values0, _ = dump("pass:switch one")
ok(rc0 == 0 and len(values0) == 3, "a passphrase store with three secrets to switch")

rc, shown = run(["secret", "rekey", "--new-key-file", sw_key],
                [("Passphrase for the secret store", "switch one")], sw_env)
ok(rc == 0 and f"now opens with the key file {sw_key}" in shown, "rekey from the passphrase to a new key file")
ok(os.path.exists(sw_key) and (os.stat(sw_key).st_mode & 0o777) == 0o400 and os.path.getsize(sw_key) == 32,
   "the key file is made: 32 bytes, 0400")
key_hex = open(sw_key, "rb").read().hex() if os.path.exists(sw_key) else "00"
rc, shown = run(["secret", "list"], [], sw_env)
ok(rc == 2 and "unlocked with a key file: give --key-file F" in shown and "Passphrase" not in shown,
   "the passphrase way now fails: no passphrase asked, exit 2, the message says to give --key-file")
ok(refused("pass:switch one"), "the old passphrase opens nothing (wrong key)")
rc, shown = run(["--key-file", sw_key, "secret", "list"], [], sw_env)
ok(rc == 0 and "git-pat" in shown and "ssh-deploy" in shown, "the key file opens it")
rc, gen, values, _ = dump("keyfile:" + key_hex)
ok(rc == 0 and values == values0 and gen == gen0 + 1, "every secret unchanged (one generation on)")

rc, shown = run(["--key-file", sw_key, "secret", "rekey"],
                [("New passphrase", "switch two"), ("Repeat", "switch two")], sw_env)
ok(rc == 0 and "now opens with the new passphrase" in shown and "switch two" not in shown,
   "rekey from the key file to a new passphrase typed twice (not echoed)")
rc, shown = run(["--key-file", sw_key, "secret", "list"], [], sw_env)
ok(rc == 10 and "unlocked with a passphrase, not a key file" in shown, "the key file way now fails: exit 10")
ok(refused("keyfile:" + key_hex), "the old key file opens nothing (wrong key)")
rc, shown = run(["secret", "list"], [("Passphrase for the secret store", "switch one"),
                                     ("Passphrase for the secret store", "switch two")], sw_env)
ok(rc == 0 and "wrong passphrase, try again" in shown and "git-password" in shown,
   "the first passphrase is wrong, the new one opens it")
rc, gen, values, _ = dump("pass:switch two")
ok(rc == 0 and values == values0 and gen == gen0 + 2, "every secret unchanged (two generations on)")
ok(refused("pass:switch one"), "the first passphrase opens nothing (wrong key)")

# The plan is fixed, not the count of what ran: a check skipped by mistake shows.
print("1..41")
print("\n".join(tests))
sys.exit(0 if all(t.startswith("ok") for t in tests) else 1)
PYEOF
