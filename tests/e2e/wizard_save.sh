# e2e: a save that fails (the disk full as the connector file is put in place)
# says so on the test page: nothing saved, the store made for it empty, no
# connector file; everything typed stays (the token too, in memory only), and
# Enter, then Enter again on the review, saves it. An edit's save that fails
# the same way leaves its file and stored token as they were, and the change
# typed is kept for the next try.
. "$top_srcdir/tests/e2e/wizard_lib.sh"
wizard_python <<'PY'
import json, os, subprocess
from tui import *

binary, tmp, azf = context()
home, base = keyed_home(binary, tmp)
conn = os.path.join(home, "connectors", "web.json")
draft = os.path.join(home, "draft.json")
token = open(azf["AZF_TOKEN_FILE"]).read().strip()
tap = Tap(14)
asan = os.environ.get("ASAN_OPTIONS")
# The first rename of web.json's temporary file fails (ENOSPC); the next works.
fault = {"LD_PRELOAD": os.path.join(os.environ["top_builddir"], "tests", "integration", "faultfs.so"),
         "FAULT_NAME": ".web.json.tmp.", "FAULT_CALL": "renameat", "FAULT_NTH": "1", "FAULT_ERRNO": "28",
         # The shim loads before a sanitizer build's runtime, which then must not refuse to start.
         "ASAN_OPTIONS": "%sverify_asan_link_order=0" % (asan + ":" if asan else "")}

def secrets():
    """The ids `secret list` shows (None when it fails)."""
    r = subprocess.run(base + ["secret", "list"], capture_output=True, text=True)
    return [l.split()[0] for l in r.stdout.splitlines()[1:]] if r.returncode == 0 else None

with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], env=fault, tap=tap) as t:
    t.to_credentials("web", azf["AZF_REPO_URL"])
    t.type(azf["AZF_USER"])
    t.send(TAB)
    t.paste(token)
    t.to_test()
    t.wait_for("Nothing was saved.", 40)
    words = "".join(t.screen_text().split())
    tap.ok(("cannotwrite%s:Nospaceleftondevice;nothingwassaved(thesecretstoremadeforitstays,empty)"
            % "".join(conn.split())) in words, "the save fails: the test page says why, and what stays")
    tap.ok(not os.path.exists(conn), "... no connector file")
    tap.is_(secrets(), [], "... the store made for it holds no secret (the token is taken back)")
    d = json.load(open(draft)) if os.path.exists(draft) else {}
    tap.ok(d.get("name") == "web" and d.get("url") == azf["AZF_REPO_URL"] and
           not any_file_holds(home, token.encode()), "... the draft keeps what was typed, never the token")
    t.send(ENTER)
    t.wait_for("Check the values")
    tap.ok(t.has("(new, kept as 'web-token')"), "Enter: back on the review, the token typed still there")
    t.send(ENTER)
    t.finish("saved connector 'web'", "git-http", "saving again")
tap.is_(secrets(), ["web-token"], "the token is stored once")
ran = subprocess.run(base + ["test", "web", "--ca-file", azf["AZF_CA"]], capture_output=True, text=True)
tap.ok(ran.returncode == 0 and os.path.exists(conn) and not os.path.exists(draft),
       "the connector saved passes its test with the stored token; no draft is left")

# An edit's save fails the same way: file and store as they were; the change typed is kept.
before_file = open(conn, "rb").read()
before_store = open(os.path.join(home, "secrets.store"), "rb").read()
with Tui(base + ["edit", "web", "--ca-file", azf["AZF_CA"]], env=fault, tap=tap) as t:
    t.wait_for("Name *")
    t.focus("Description")
    t.type("second try")
    t.to_test()
    t.wait_for("Nothing was saved.", 40)
    tap.ok(open(conn, "rb").read() == before_file and
           open(os.path.join(home, "secrets.store"), "rb").read() == before_store,
           "an edit's save fails: the connector file and the store are as they were")
    t.send(CTRL_C)
    t.wait_for("y yes   n no")
    t.send("y")
    t.wait_exit()
with Tui(base + ["edit", "web", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.wait_for("Go on with them?")
    t.send("y")
    t.wait_for("Check the values")
    tap.ok(t.has("second try"), "the next edit offers the change typed, and goes on with it on the review")
    t.send(ENTER)
    t.finish("saved connector 'web'", "git-http", "the edit saved on the next run")
tap.is_(json.load(open(conn)).get("description"), "second try", "the change is in the file")
tap.done()
PY
