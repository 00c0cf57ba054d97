# e2e: every validation message of the wizard shows under its field, Next is
# refused while something is wrong, and F10 goes to the page to fix. A paste
# is taken as a whole value: over a masked secret it replaces it (a token
# pasted again is not two), and lines are not joined in a one-line field.
. "$top_srcdir/tests/e2e/wizard_lib.sh"
wizard_python <<'PY'
import os, re, shutil, sys
from tui import *

binary, tmp, azf = context()
home = os.path.join(tmp, "home")
tap = Tap(72)

def retype(t, label, text):
    """Focus the field, clear it (Ctrl-U after End), type text, leave it with Tab."""
    t.focus(label)
    t.send("\x05")  # Ctrl-E: the end
    t.send(CTRL_U)
    if text:
        t.type(text)
    t.send(TAB)

def msg_check(t, label, pattern, what):
    m = t.message(label) or ""
    r = tap.ok(re.search(pattern, m, re.I) is not None, "%s: '%s' under %s" % (what, m[:60], label))
    if not r:
        tap.diag("expected a message matching %r under %r" % (pattern, label))
    return r

def squeezed(text):
    """text without its blanks: a value the screen wrapped reads whole."""
    return "".join((text or "").split())

def keys_row(t):
    """The keys listed on the last row."""
    return t.line(t.screen.lines - 1)

def f5_check(t, label, want, what):
    """F5 on the field: its value becomes want, and no message is left."""
    t.focus(label)
    t.send(F5)
    return tap.ok(t.value(label) == want and t.message(label) == "", what)

with Tui([binary, "--home", home, "new", "--dry-run"], tap=tap) as t:
    t.wait_for("Name *")
    # Overview
    t.paste("x" * 5000)
    tap.ok(t.appears("not pasted: 5000 bytes is far too long for Name") and
           "xxxxxxxx" not in t.screen_text(), "a paste longer than a field holds: refused, the sizes said")
    t.paste("x" * 200000)
    tap.ok(t.appears("not pasted: over 65536 bytes is far too long for Name"),
           "a paste over the 64 KiB a paste is cut to: said so, not as the size it was cut to")
    t.type(" lead")
    tap.is_(t.message("Name"), "", "while typing, no message yet")
    t.pump(1.5)  # a pause in typing: the message shows, the field still being edited
    msg_check(t, "Name", r"space|start|begin", "a pause in typing shows what is wrong")
    tap.is_(t.focused_label(), "Name *", "... with the focus still on the field")
    t.send(TAB)
    msg_check(t, "Name", r"space|start|begin", "a name starting with a space")
    retype(t, "Name", "/lead")
    msg_check(t, "Name", r"'/'|not allowed", "a name with '/'")
    t.send(PGDN)
    tap.ok(t.field_row("Name") > 0 and t.field_row("URL type") < 0, "Next (PgDn) is refused: the page stays")
    retype(t, "Name", "Lead")
    tap.is_(t.message("Name"), "", "a good name: its message goes")
    retype(t, "Identifier", "account")
    msg_check(t, "Identifier", r"reserved", "a reserved identifier")
    retype(t, "Identifier", "9lives")
    msg_check(t, "Identifier", r"digit|start|letter", "an identifier starting with a digit")
    retype(t, "Identifier", "lead_ok")
    tap.is_(t.message("Identifier"), "", "a good identifier: no message")
    # F3, F4 and F5 where they have nothing to do: said, not silent, the value kept.
    t.focus("Name")
    t.send("\x1bOR")  # F3
    tap.ok(t.has("F3 makes a new SSH key: it works on the SSH private key field"), "F3 on the name: it says where it works")
    t.send("\x1bOS")  # F4
    tap.ok(t.has("F4 picks a stored secret: it works on a secret's field"), "F4 on the name: it says where it works")
    t.send(F5)
    tap.ok(t.has("F5 puts in a value a field's message offers: none here") and
           t.value("Name") == "Lead" and "F5" not in keys_row(t),
           "F5 with no value to take: said, the name kept, F5 not among the keys")
    t.focus("Scope")
    t.send(ENTER)
    t.wait_for("URL type *")
    tap.ok(t.field_row("Name") < 0, "with every field right, Enter on the last field opens Details")
    # Details
    t.send(ENTER)  # leave URL type unchosen
    msg_check(t, "URL type", r"required: choose one of: Project, Repository \(Space or Left/Right\)", "no URL type chosen")
    # A URL typed first: what is wrong with it shows at once, and the URL type is told which one it is.
    retype(t, "URL", "https://dev.azure.com/contoso/Pay ments/_git/web.git")
    msg_check(t, "URL", r"raw space.*remove the '\.git' suffix", "no URL type yet: the URL's space and '.git' are said")
    msg_check(t, "URL type",
              r"^required: the URL names a repository: choose Repository \(Space or Left/Right\); F5 chooses Repository$",
              "... and the URL type that the URL names a repository, F5 offered for it")
    t.focus("URL type")
    tap.ok("F5 fix" in keys_row(t), "a choice F5 would make: F5 is among the keys")
    t.send(F5)
    tap.ok("(•) Repository" in (t.value("URL type") or "") and t.message("URL type") == "" and
           t.has("URL type: Repository, as the URL reads; Tab goes on"), "F5 chooses Repository: no message left")
    retype(t, "URL", "")
    t.focus("URL type")
    t.send(RIGHT)  # Project
    tap.ok("(•) Project" in (t.value("URL type") or ""), "Right from Repository picks Project")
    tap.ok(t.field_row("Test repository") > 0, "a Project URL asks for a Test repository")
    tap.is_(t.value("URL"), "e.g. https://dev.azure.com/contoso/Shop",
            "the URL's placeholder is a Project URL once Project is chosen")
    retype(t, "URL", "https://dev.azure.com/contoso/Payments/_git/web")
    msg_check(t, "URL", r"_git", "a Project URL with /_git/")
    t.focus("URL")
    tap.ok(squeezed(t.message("URL")).endswith(squeezed("; F5 puts 'https://dev.azure.com/contoso/Payments' here")),
           "the message says which URL F5 puts in")
    tap.ok("F5 fix" in keys_row(t), "a URL F5 would fix: F5 is among the keys")
    f5_check(t, "URL", "https://dev.azure.com/contoso/Payments", "F5 puts the suggested Project URL in: no message left")
    tap.is_(t.value("Test repository"), "web", "... and the repository it named is the test repository")
    retype(t, "Test repository", "https://dev.azure.com/contoso/Payments/_git/web")
    msg_check(t, "Test repository", r"name|URL", "a Test repository given as a URL")
    f5_check(t, "Test repository", "web", "F5 keeps the repository's name from that URL")
    # The browser's address of a file in a repository: one F5 gives the Project URL, and the
    # repository (before the query) is the test repository.
    retype(t, "Test repository", "")
    retype(t, "URL", "https://dev.azure.com/contoso/Payments/_git/api?path=/README.md&_a=contents")
    f5_check(t, "URL", "https://dev.azure.com/contoso/Payments", "a file view's address: F5 puts the Project URL in")
    tap.is_(t.value("Test repository"), "api", "... and its repository is the test repository")
    # Spaces around it and a raw space in it too: one F5 still gives the Project URL, and its
    # repository the test one.
    retype(t, "Test repository", "")
    retype(t, "URL", " https://dev.azure.com/contoso/My Payments/_git/api ")
    f5_check(t, "URL", "https://dev.azure.com/contoso/My%20Payments",
             "spaces around and in a repository's URL: F5 puts the Project URL in")
    tap.is_(t.value("Test repository"), "api", "... and its repository is the test repository")
    t.focus("URL type")
    t.send(RIGHT)  # Repository
    retype(t, "URL", "https://dev.azure.com/contoso/Payments/_git/web.git")
    msg_check(t, "URL", r"\.git", "a URL ending .git")
    retype(t, "URL", "https://dev.azure.com/contoso/%s/_git/%s.git" % ("P" * 64, "r" * 64))
    tap.ok("".join((t.message("URL") or "").split()).endswith("('https://dev.azure.com/contoso/%s/_git/%s')"
                                                               % ("P" * 64, "r" * 64)),
           "a message too long for its rows under the value takes the page's width: the URL it names shows whole")
    retype(t, "URL", "https://dev.azure.com/contoso/%s/_git/%s.git" % ("P" * 90, "r" * 400))
    tap.ok((t.message("URL") or "").endswith("\u2026"), "a message longer than all its rows ends with '…'")
    retype(t, "URL", "https://dev.azure.com/contoso/Pay ments/_git/web")
    msg_check(t, "URL", r"space|%20", "a raw space in the URL")
    retype(t, "URL", "git clone https://dev.azure.com/contoso/Shop/_git/web")
    msg_check(t, "URL", r"that is a 'git clone' command: give only its URL", "a 'git clone' command pasted whole")
    f5_check(t, "URL", "https://dev.azure.com/contoso/Shop/_git/web", "F5 keeps only the URL of the command")
    retype(t, "URL", "<https://dev.azure.com/contoso/Shop/_git/web>")
    msg_check(t, "URL", r"remove the '<' and '>' around the URL", "a URL copied with its angle brackets")
    f5_check(t, "URL", "https://dev.azure.com/contoso/Shop/_git/web", "F5 keeps only the URL inside")
    retype(t, "URL", "https://ci@dev.azure.com/contoso/Shop/_git/web")
    msg_check(t, "URL", r"^remove the user name 'ci@' from the URL", "a user name in the URL")
    f5_check(t, "URL", "https://dev.azure.com/contoso/Shop/_git/web", "F5 puts in the URL without the user name")
    retype(t, "URL", "http://tfs.example/tfs/C/Pay ments/_git/web")
    t.focus("URL")
    tap.ok(squeezed(t.message("URL")).endswith(squeezed("F5 puts 'https://tfs.example/tfs/C/Pay%20ments/_git/web' here"))
           and "F5 fix" in keys_row(t), "a raw space and http://: the message names the URL F5 puts in, F5 among the keys")
    f5_check(t, "URL", "https://tfs.example/tfs/C/Pay%20ments/_git/web",
             "a raw space and http://: F5 puts in the https:// URL, with %20")
    retype(t, "URL", "http://tfs.example:8080/tfs/Coll/Payments/_git/web")
    msg_check(t, "URL", r"http|allow", "an http:// URL without Allow plain http://")
    t.focus("Allow plain http://")
    t.send(SPACE)
    tap.is_(t.message("URL"), "", "Allow plain http:// on: the http:// URL is accepted")
    t.focus("Allow plain http://")
    t.send(SPACE)
    # F10 with a wrong URL, from the Overview page: back to Details.
    t.send(ESC)
    t.wait_for("Name *")
    t.send(F10)
    t.wait_for("something to fix")
    tap.ok(t.field_row("URL") > 0 and t.field_row("Name") < 0 and t.focused_label() == "URL *" and
           t.has("Details: something to fix before the review"),
           "F10 goes to the Details page, the URL focused, and says why")
    t.send(ENTER)  # Enter on the last field: Next, refused
    tap.ok(t.field_row("URL") > 0 and t.field_row("Username") < 0, "Next is refused on Details too")
    t.focus("URL")
    t.send("\x05")
    t.send(CTRL_U)
    t.paste("  " + azf["AZF_REPO_URL"] + " \t\n")  # as copied from a web page
    tap.ok(t.has("the spaces around the pasted text were left out") and t.message("URL") == "",
           "a URL pasted with spaces around it: they are left out, it says so, the URL is accepted")
    t.send(TAB)
    tap.ok(t.shows("URL", azf["AZF_REPO_URL"]), "... the value starts with https://, no space")
    # Overview again: a tab pasted inside a value is a space; control characters are said to be left out.
    t.send(ESC)
    t.wait_for("Name *")
    t.focus("Description")
    t.paste("two\twords")
    tap.ok(t.value("Description") == "two words", "a tab pasted inside a value: a space, the words kept apart")
    t.send(CTRL_U)
    t.paste("red\x1b[31mtext\x07")
    tap.ok(t.has("the control characters in the pasted text (such as ESC) were left out") and
           t.value("Description") == "red[31mtext", "control characters pasted: left out, and said")
    t.send(CTRL_U)
    t.paste("\x07\x07")
    tap.ok(t.has("not pasted: the text holds only control characters") and t.value("Description") == "",
           "a paste of control characters only: nothing pasted, said")
    t.send(PGDN)
    t.wait_for("URL type *")
    t.send(PGDN)
    t.wait_for("Username *")
    # Credentials
    t.type("ci")
    t.send(TAB)
    t.paste("abc def")
    msg_check(t, "Personal Access Token", r"space", "a pasted token with a space: said at once")
    t.send(TAB)
    t.send(PGDN)
    tap.ok(t.field_row("Username") > 0, "Next is refused with a bad token")
    # SSH with an ed25519 key
    t.send(ESC)
    t.wait_for("URL type *")
    t.focus("Connection type")
    t.send(RIGHT)
    retype(t, "URL", azf["AZF_SSH_URL"])
    t.send(PGDN)
    t.wait_for("SSH private key *")
    t.type(azf["AZF_SSH_ED25519_KEY"])
    t.send(PGDN)  # Next checks the key
    msg_check(t, "SSH private key", r"accepts only RSA keys; F3 makes one here", "an ed25519 key (F3 offered)")
    tap.ok(t.field_row("SSH private key") > 0, "Next is refused with a key that is not RSA")
tap.tui = None
tap.ok(not os.path.exists(home) or os.listdir(home) == [], "a dry run: nothing written under the home (no draft)")

# An identifier made from the name that a saved connector has: said on leaving the name.
home2 = os.path.join(tmp, "home2")
os.makedirs(os.path.join(home2, "connectors"), mode=0o700)
shutil.copy(os.path.join(os.environ["top_srcdir"], "tests/data/connectors/azure_payments.json"),
            os.path.join(home2, "connectors"))
with Tui([binary, "--home", home2, "new", "--dry-run"], tap=tap) as t:
    t.wait_for("Name *")
    t.type("azure payments")
    t.send(TAB)
    msg_check(t, "Identifier", r"already exists", "the identifier the name gives is taken")
    tap.is_(t.focused_label(), "Identifier *", "... said as the name is left, before Next")
    t.quit()

# The wrong token pasted, then the right one: the field is masked, so the second paste takes the
# first one's place (not its end, which would be two tokens), it says so, and the test passes.
token = open(azf["AZF_TOKEN_FILE"]).read().strip()
home3, base = keyed_home(binary, tmp)
with Tui(base + ["new", "--ca-file", azf["AZF_CA"]], tap=tap) as t:
    t.to_credentials("repasted", azf["AZF_REPO_URL"])
    t.focus("Username")
    t.type(azf["AZF_USER"])
    t.focus("Personal Access Token")
    t.paste(open(azf["AZF_TOKEN_403_FILE"]).read())
    t.paste(token + "\n")
    tap.ok(t.has("the pasted value replaced the one there") and t.message("Personal Access Token") == "",
           "a token pasted over the one there: it replaces it, and that is said")
    t.send(F10)
    t.wait_for("Check the values")
    t.send(ENTER)
    t.finish("saved connector 'repasted'", "git-http", "the token pasted again")
# Shown with F2, the value can be seen: a paste goes in at the cursor, as in any field.
with Tui([binary, "--home", os.path.join(tmp, "home4"), "new", "--dry-run"], tap=tap) as t:
    t.to_credentials("shown", azf["AZF_REPO_URL"])
    t.focus("Personal Access Token")
    t.paste("abc")
    t.paste("new")
    t.send(F2)
    replaced = t.shows("Personal Access Token", "new")
    t.send("\x01")  # ^A: to the start
    t.paste("xyz")
    tap.ok(replaced and t.shows("Personal Access Token", "xyznew"),
           "masked, a paste replaces the value; shown with F2, it goes in at the cursor")
    # A store id in capitals: the one meant is named, and F5 puts it in.
    t.focus("store id")
    t.type("Shown-Token")
    t.send(TAB)
    t.send(SHIFT_TAB)
    r = t.focused_row()
    tap.ok(t.line(r)[31:].strip() == "Shown-Token" and
           " ".join(t.line(r + i).strip() for i in (1, 2, 3)).startswith(
               "a store id is in lower case: 'shown-token'; F5 puts it here") and
           "F5 fix" in keys_row(t),
           "a store id in capitals: the lower-case one named under it, with F5 offered")
    t.send(F5)
    tap.ok(t.line(r)[31:].strip() == "shown-token" and not t.line(r + 1)[6:].strip().startswith("a store id") and
           t.has("the store id is in lower case now"), "F5 puts the lower-case store id in: no message left")
    t.quit()

# Two URLs pasted into the URL (one a line): not joined into one, said; one with its newline is
# taken, and lines pasted onto it leave it as it was.
with Tui([binary, "--home", os.path.join(tmp, "home5"), "new", "--dry-run"], tap=tap) as t:
    t.to_details("lines")
    t.focus("URL")
    two = azf["AZF_REPO_URL"] + "\n" + azf["AZF_REPO_URL"].replace("payments-api", "web") + "\n"
    t.paste(two)
    tap.ok(t.has("not pasted: 2 lines; paste one line") and t.value("URL").startswith("e.g. "),
           "two lines pasted into the URL: not taken, and said")
    t.paste(azf["AZF_REPO_URL"] + "\n")
    t.paste(two)
    said = t.has("not pasted: 2 lines; paste one line")
    t.send(TAB)
    tap.ok(said and t.shows("URL", azf["AZF_REPO_URL"]) and t.message("URL") == "",
           "one URL with its newline is taken; two lines pasted onto it leave it as it was")
    t.quit()
# API access turned on with a URL whose form Harness cannot read the organization from: said under
# the switch at once (the URL is on another page), not after Next.
with Tui([binary, "--home", os.path.join(tmp, "api-home"), "new", "--dry-run"], tap=tap) as t:
    t.to_credentials("Vs", "https://contoso.visualstudio.com/Shop/_git/web")
    t.focus("Enable API access")
    t.send(" ")
    t.settle()
    tap.ok("the URL (Details): with API access on, Harness reads the organization and project from the URL"
           in " ".join((t.message("Enable API access") or "").split()),
           "API access on with a visualstudio.com URL: said under the switch at once")
    t.quit()
tap.done()
PY
