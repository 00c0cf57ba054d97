# list, show, delete, export on saved connectors, as a user meets them.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
data="$top_srcdir/tests/data"
home="$tap_tmp/home"
conns="$home/connectors"
py=/usr/bin/python3
plan 139

mkdir -p "$conns"
cp "$data/connectors/azure_payments.json" "$data/connectors/azure_infra_repo_ssh.json" "$conns/"
az() { run "$bin" --home "$home" "$@" </dev/null; }

# --- list ---------------------------------------------------------------
az list
is "$rc" 0 "list exits 0"
like "$(printf '%s\n' "$out" | sed -n 1p)" '^Identifier +Name +Connection type +URL$' "list prints a header"
like "$(printf '%s\n' "$out" | sed -n 2p)" '^azure_infra_repo_ssh +Azure Infra Repo SSH +SSH +git@ssh\.dev\.azure\.com:v3/contoso/Platform/infra$' "list: first row (sorted by identifier)"
like "$(printf '%s\n' "$out" | sed -n 3p)" '^azure_payments +Azure Payments +HTTP +https://dev\.azure\.com/contoso/Payments%20Platform$' "list: second row"
is "$(printf '%s\n' "$out" | wc -l)" 3 "list: one line per connector"

az list --json
is "$rc" 0 "list --json exits 0"
is "$(printf '%s' "$out" | $py -c 'import json,sys; print(",".join(c["identifier"] for c in json.load(sys.stdin)))')" \
	"azure_infra_repo_ssh,azure_payments" "list --json is an array of the connectors"

az list --json --ids
like "$rc:$err" "^2:azrepos-connect: list: --json and --ids are two forms of the list: give one" \
	"list --json --ids: a usage error (exit 2), not one of them chosen silently"

# A file edited by hand to hold keys that do not apply (HTTP's on an SSH connector, tags with
# delegates any): said as ignored by each command that reads it, not refused, not kept by edit.
sed 's/"delegates":[[:space:]]*"any"/"username": "bob", "test-repo": "x", "delegates": "any", "delegate-tags": ["a"]/' \
	"$data/connectors/azure_infra_repo_ssh.json" >"$conns/stray.json"
sed -i 's/"identifier":[[:space:]]*"[^"]*"/"identifier": "stray"/' "$conns/stray.json"
az show stray --json
is "$rc:$err" "0:azrepos-connect: show: connector 'stray' holds keys that do not apply to it, ignored: 'test-repo' (only used with url-type project), 'username' (only used with connection http), 'delegate-tags' (only used with delegates tags); 'azrepos-connect --home $home edit stray' drops them" \
	"show: keys that do not apply are named as ignored, with what they go with and the edit that drops them"
unlike "$out" "username|delegate-tags|test-repo" "... and left out of show --json"
rm -f "$conns/stray.json"

# --- show ---------------------------------------------------------------
az show azure_payments
is "$rc" 0 "show exits 0"
like "$out" '^  Name: +Azure Payments$' "show: label and value"
like "$out" '^  Test repository: +payments-api$' "show: the test repository of a Project connector"
like "$out" '^  Personal Access Token: +\(secret; store id: azure_pat\)$' "show: a secret as its store id only"
like "$out" '^  Delegate tags: +linux-delegate, eu-west$' "show: a list"
like "$out" '^  URL type: +Project$' "show: a choice by its label"
like "$out" '^  Harness secret scope: +Organization: org\.azure_pat$' \
	"show: the secret scope with the reference export gives Harness (the API token's, the same, once)"
unlike "$out" 'SSH private key' "show: fields that do not apply are left out"

az show azure_infra_repo_ssh
like "$out" '^  SSH private key: +\(secret; store id: azure_ssh_key\)$' "show (SSH): the key's store id"
like "$out" '^  Harness secret scope: +Account: account\.azure_ssh_key$' "show (SSH): the key's reference"
unlike "$out" 'Username|Test repository|Personal Access Token' "show (SSH, Repository): no HTTP or Project fields"
like "$out" '^  Description: +\(not set\)$' "show: an empty optional field"

"$bin" --home "$home" show azure_payments --json >"$tap_tmp/show.json" </dev/null
cmp -s "$tap_tmp/show.json" "$data/connectors/azure_payments.json"
ok $? "show --json prints the connector as saved"

# --- export -------------------------------------------------------------
"$bin" --home "$home" export azure_payments >"$tap_tmp/e.yaml" </dev/null
is "$?" 0 "export exits 0"
cmp -s "$tap_tmp/e.yaml" "$data/export/azure_payments.yaml"
ok $? "export (default YAML) matches the golden file (HTTP, Project, API access)"
"$bin" --home "$home" export azure_infra_repo_ssh --format yaml >"$tap_tmp/e2.yaml" </dev/null
cmp -s "$tap_tmp/e2.yaml" "$data/export/azure_infra_repo_ssh.yaml"
ok $? "export --format yaml matches the golden file (SSH, Repository)"
"$bin" --home "$home" export azure_payments --format json >"$tap_tmp/e.json" </dev/null
cmp -s "$tap_tmp/e.json" "$data/export/azure_payments.json"
ok $? "export --format json matches the golden file"
"$bin" --home "$home" export azure_payments --format JSON </dev/null | cmp -s - "$tap_tmp/e.json"
ok $? "--format JSON: the same (the format's name in any case, as --scope Account is taken)"
"$bin" --home "$home" export azure_payments --json </dev/null | cmp -s - "$tap_tmp/e.json"
ok $? "--json: the same, as list, show and test take it"
run "$bin" --home "$home" export azure_payments --json --format yaml </dev/null
like "$rc:$err" "^2:azrepos-connect: export: --json and --format yaml ask for two formats: give one" \
	"--json with --format yaml: one was not meant (exit 2)"
$py -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["connector"]["spec"]["apiAccess"]["spec"]["tokenRef"] == "org.azure_pat"' "$tap_tmp/e.json"
ok $? "the JSON export parses and holds the scoped secret reference"

az export azure_payments --format xml
is "$rc" 2 "export --format xml is a usage error"
like "$err" "--format is yaml or json, not 'xml'" "the message names the formats"

# A file that reads fine but holds values Harness would refuse: every problem, one a line.
sed -e 's/"Azure Payments"/" Azure Payments"/' \
    -e 's|Payments%20Platform"|Payments%20Platform/_git/api"|' \
    -e 's/"payments-api"/"https:\/\/x"/' \
    -e 's/"azure_payments"/"azure_bad"/' \
    "$data/connectors/azure_payments.json" >"$conns/azure_bad.json"
az export azure_bad
is "$rc" 3 "export of an invalid connector exits 3"
like "$err" "^name: a name cannot start with a space" "export: the name problem, with its key"
like "$err" "^url: " "export: the URL problem, with its key"
like "$err" "^test-repo: give the repository name .*not a URL" "export: the test repository problem, with its key"
is "$out" "" "export: nothing on stdout when invalid"
has "$err" "export: connector 'azure_bad' is not valid; fix it with 'azrepos-connect --home $home edit azure_bad':" \
	"export: the command that fixes it, in this --home"
run "$bin" --home "$home" --key-file "$tap_tmp/k" export azure_bad
has "$err" "fix it with 'azrepos-connect --home $home --key-file $tap_tmp/k edit azure_bad':" \
	"... with the key file given (edit opens the store)"
rm -f "$conns/azure_bad.json"

# A file (made by hand, or by an older release) with a token as its user name, in a tag and as
# its token's store id: show and list never print it, and say how to get rid of it; export and
# test refuse it, delete names the command that removes it, all unquoted.
pat=abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst
sed -e "s/\"azure_payments\"/\"azure_leak\"/" -e "s/\"username\":[^,]*,/\"username\": \"$pat\",/" \
    -e "s/\"team:payments\"/\"t:$pat\"/" -e "s/\"token-secret\":[^,]*,/\"token-secret\": \"$pat\",/" \
    "$data/connectors/azure_payments.json" >"$conns/azure_leak.json"
is "$(grep -c "$pat" "$conns/azure_leak.json")" 3 "(the file holds the token, three times)"
keyfile="$tap_tmp/store.key"
head -c 32 /dev/urandom >"$keyfile" && chmod 600 "$keyfile"
printf 'v' | run "$bin" --home "$home" --key-file "$keyfile" secret set other
for how in "show azure_leak" "show azure_leak --json" "list" "list --json" "export azure_leak" \
           "--key-file $keyfile test azure_leak"; do
	az $how
	unlike "$out$err" "abcdefghijklmnop" "$how: the token is not printed"
done
is "$rc" 3 "test: a store id that looks like a token is refused (exit 3)"
like "$err" "^azrepos-connect: token: its store id looks like a Personal Access Token \(not shown\): revoke that token" \
	"... with the way out"
az show azure_leak
is "$rc" 0 "show: the rest is shown (exit 0)"
like "$out" "^  Username: +\(withheld\)$" "... the user name as (withheld)"
has "$err" "azrepos-connect: show: 'azure_leak' holds what looks like a Personal Access Token in username, not shown: revoke that token, then change the field with 'azrepos-connect --home $home edit azure_leak'" \
	"... and why, with the way out"
has "$err" "show: 'azure_leak' holds what looks like a Personal Access Token in tags, not shown" "... each field said"
like "$out" "^  Personal Access Token: +\(secret; store id: \(withheld\)\)$" "... the token's store id as (withheld)"
az delete azure_leak --yes
unlike "$out$err" "abcdefghijklmnop" "delete: the token is not printed"
like "$out" "^  azrepos-connect --home .* secret rm --withheld$" "delete: the command that removes that secret"
has "$out" "A secret's id looked like a Personal Access Token: revoke that token in Azure DevOps" "... and to revoke that token"
# A password in a URL (a file written by hand): list and show withhold it too, whatever it looks like.
sed -e "s/\"azure_payments\"/\"azure_pw\"/" -e "s|\"url\":[^,]*,|\"url\": \"https://ci:Sup3rS3cretPassw0rd@dev.azure.com/contoso/Payments\",|" \
    "$data/connectors/azure_payments.json" >"$conns/azure_pw.json"
for how in "show azure_pw" "show azure_pw --json" "list" "list --json"; do
	az $how
	unlike "$out$err" "Sup3rS3cret" "$how: a URL's password is not printed"
done
az show azure_pw
has "$rc:$err" "0:azrepos-connect: show: 'azure_pw' holds a password or token in url, not shown: change that password (or revoke the token), then change the field with 'azrepos-connect --home $home edit azure_pw'" \
	"... said, with the way out (exit 0)"
rm "$conns/azure_pw.json"

# --- errors -------------------------------------------------------------
az show nope
is "$rc" 1 "show of a missing connector exits 1"
is "$err" "azrepos-connect: show: no connector 'nope' (looked for $conns/nope.json): 'azrepos-connect --home $home list' shows the saved ones" \
	"the message says where it looked, and how to see what there is (in this --home)"
cmd=$(printf '%s\n' "$err" | sed -n "s/.*: '\(azrepos-connect [^']*\)' shows.*/\1/p")
eval "set -- $cmd" && shift && run "$bin" "$@"
like "$rc:$out" "^azure_payments +Azure Payments" "the command it gives lists the saved connectors"

az export Azure_Payments
is "$rc:$out" "1:" "an identifier in the wrong case is not found (exit 1, nothing exported)"
is "$err" "azrepos-connect: export: no connector 'Azure_Payments': identifiers are case-sensitive; the saved one is 'azure_payments'" \
	"... and the saved one it was meant to be is named"
cp "$conns/azure_payments.json" "$conns/Azure_payments.json"
sed -i 's/"identifier":[^,]*,/"identifier": "Azure_payments",/' "$conns/Azure_payments.json"
az export AZURE_PAYMENTS
like "$rc:$err" "^1:azrepos-connect: export: no connector 'AZURE_PAYMENTS': identifiers are case-sensitive; the saved ones are '[Aa]zure_payments', '[Aa]zure_payments'$" \
	"two saved ones only their case apart: both named"
rm "$conns/Azure_payments.json"
# The name 'list' shows beside the identifier, given instead of it: the identifier named.
az show "Azure Payments"
is "$rc:$out" "3:" "a connector's name as the ID: exit 3, nothing shown"
is "$err" "azrepos-connect: show: 'Azure Payments' is the name of the connector 'azure_payments': give its identifier, 'azure_payments'" \
	"... its identifier named"
az export "azure payments"
is "$rc:$err" "3:azrepos-connect: export: 'azure payments' is the name of the connector 'azure_payments': give its identifier, 'azure_payments'" \
	"... in another case too"
az export azure_paymnts
is "$rc:$out" "1:" "an identifier a letter short: exit 1, nothing exported"
is "$err" "azrepos-connect: export: no connector 'azure_paymnts' (did you mean 'azure_payments'?)" "... the one meant named"
# Two connectors of one name (Harness allows it): which one is not guessed.
sed 's/"azure_payments"/"azure_payments_eu"/' "$conns/azure_payments.json" >"$conns/azure_payments_eu.json"
az show "Azure Payments"
is "$rc:$err" "3:azrepos-connect: show: 'Azure Payments' is not a connector identifier: a space is not allowed: use ASCII letters, digits, '_' and '\$' (e.g. 'Azure_Payments')" \
	"a name two connectors have: exit 3, only the rule said"
rm "$conns/azure_payments_eu.json"

az show ../etc/passwd
is "$rc" 3 "an ID that is not an identifier exits 3"
like "$err" "'../etc/passwd' is not a connector identifier: '.' is not allowed" "the message gives the rule"
long=$(head -c 100000 /dev/zero | tr '\0' a)
az show "$long"
is "$rc:$err" "3:azrepos-connect: show: '$(printf '%.156s' "$long")...' is not a connector identifier: an identifier can be at most 128 characters long (this one has 100000): shorten it" \
	"a 100000-byte ID: exit 3, its start quoted, not the whole of it"
tok=abcd2efg3hij4klm5nop6qrs7tuv2wxy3zab4cde5fgh6ijk7lmn
az show "$(printf 'x%.0s' $(seq 130)).$tok"
like "$rc:$err" "^3:.*show: 'x*\.\.\.\.' is not a connector identifier" \
	"an ID with a token where the quote is cut: cut before the token, no part of it said"

az show
is "$rc" 2 "show without an ID is a usage error"

printf '{\n\t"schema": 1,\n\t"name": "Broken",\n\t"colour": "blue"\n}\n' >"$conns/broken.json"
az show broken
is "$rc" 1 "show of a refused file exits 1"
is "$err" "azrepos-connect: show: $conns/broken.json: unknown key 'colour'; fix it in an editor (azrepos-connect(5) lists its keys), or delete the connector" \
	"the message names the file and the key, and the ways out"
az list
is "$rc" 1 "list with a refused file exits 1"
like "$err" "broken.json: unknown key 'colour'" "list names the refused file and key"
like "$out" '^azure_payments ' "list still lists the good connectors"
rm "$conns/broken.json"
# Files edited by hand, each refusal with what to write: a lone surrogate escape (cJSON: only "not
# valid JSON"), a string for a list, a link, a file named as no identifier can be.
printf '{"schema": 1, "name": "x\\ud800y"}' >"$conns/surr.json"
az show surr
like "$err" "surr\.json: not valid JSON: '\\\\ud800' at line 1, column 25 is half of a UTF-16 pair, no character: write the character itself" \
	"a lone surrogate escape: said as such, where"
rm "$conns/surr.json"
printf '{"schema": 1, "name": "Tagged", "identifier": "tagged", "tags": "team"}' >"$conns/tagged.json"
az show tagged
like "$err" "tagged\.json: key 'tags': expected an array of strings \(in brackets: \[\"team\"\]\)" \
	"a string where a list belongs: the list to write"
rm "$conns/tagged.json"
ln -s "$conns/azure_payments.json" "$conns/linked.json"
az show linked
like "$err" "linked\.json: a symbolic link: connector files are never followed: put the file itself there \(cp --remove-destination" \
	"a link: refused, with the way to put the file there"
rm "$conns/linked.json"
sed 's/"azure_payments"/"my_conn"/' "$conns/azure_payments.json" >"$conns/my-conn.json"
az show my-conn
like "$rc:$err" "^3:.*'my-conn' is not a connector identifier: .*; the file $conns/my-conn\.json is named so: rename it, and its \"identifier\" key, to an identifier \(or remove it\)" \
	"a file named as no identifier: show names it, and the way out"
az list
has "$err" "the file $conns/my-conn.json is named so" "... list names its path too"
rm "$conns/my-conn.json"

# Only the user may change a connector: another could point it at their host and get the token.
chmod 666 "$conns/azure_payments.json"
az show azure_payments
is "$rc:$err" "1:azrepos-connect: show: $conns/azure_payments.json can be written by group or others (mode 0666): they could point the connector at another host and get its token; run 'chmod 600 $conns/azure_payments.json'" \
	"a connector file others can write is refused (exit 1), with the chmod that fixes it"
chmod 600 "$conns/azure_payments.json"
# ... nor may it belong to another user (the suite runs as root, which can make one).
if [ "$(id -u)" -eq 0 ]; then
	chown 65534 "$conns/azure_payments.json"
	az show azure_payments
	is "$rc:$err" "1:azrepos-connect: show: $conns/azure_payments.json belongs to uid 65534, not to you (uid 0): whoever owns it could point the connector at another host and get its token; run 'chown 0 $conns/azure_payments.json' as root if it is yours" \
		"a connector file of another user is refused (exit 1), with the chown that fixes it"
	chown 0 "$conns/azure_payments.json"
else
	ok 0 "# SKIP only root can give a file to another user"
fi
chmod 777 "$conns"
az show azure_payments
like "$rc:$err" "^1:.*folder $conns is writable by group or others \(mode 0777\): run 'chmod go-w $conns'" \
	"... and so is one in a folder others can write"
# ... which is why nothing is saved there (nor in a folder made below one others can write).
printf 'tok3n-value-0123' >"$tap_tmp/pat"
chmod 600 "$tap_tmp/pat"
newp() {
	run "$bin" --home "$1" --key-file "$tap_tmp/nk" new --non-interactive --name perm --url-type repo \
		--url https://dev.azure.com/contoso/Shop/_git/web --username u --token-file "$tap_tmp/pat" --skip-test </dev/null
}
mkdir -m 700 "$tap_tmp/h2" && mkdir -m 777 "$tap_tmp/h2/connectors"
newp "$tap_tmp/h2"
like "$rc:$err" "^1:.*folder $tap_tmp/h2/connectors is writable by group or others \(mode 0777\): run 'chmod go-w $tap_tmp/h2/connectors'.*; nothing was saved" \
	"new into a connectors folder others can write: exit 1, the chmod named, nothing saved"
[ ! -e "$tap_tmp/h2/connectors/perm.json" ] && [ ! -e "$tap_tmp/nk" ] && [ ! -e "$tap_tmp/h2/secrets.store" ]
ok $? "no connector file, no key file, no store made"
# A connectors folder that cannot be written (chattr +i, as a read-only mount): said before the check.
mkdir -p -m 700 "$tap_tmp/h3/connectors"
if chattr +i "$tap_tmp/h3/connectors" 2>/dev/null; then
	newp "$tap_tmp/h3"
	chattr -i "$tap_tmp/h3/connectors"
	like "$rc:$err" "^1:azrepos-connect: cannot save connectors in $tap_tmp/h3/connectors: Operation not permitted; nothing was saved" \
		"a connectors folder that cannot be written: exit 1, said, nothing saved"
else
	ok 0 "# SKIP no chattr +i on this file system"
fi
mkdir -m 777 "$tap_tmp/loose"
newp "$tap_tmp/loose/home"
like "$rc:$err" "^1:.*folder $tap_tmp/loose is writable by group or others" \
	"a connectors folder yet to be made below a folder others can write: the same"
chmod 700 "$conns"
mkfifo "$conns/fifo.json"
az show fifo
like "$rc:$err" "^1:.*$conns/fifo.json: not a regular file" "a FIFO named as a connector is refused at once, not waited on"
rm "$conns/fifo.json"
printf '{\n\t"schema": 1,\n\t"name": "Broken",\n\t"colour": "blue"\n}\n' >"$conns/broken.json"
az export broken
is "$rc" 1 "export of a refused file exits 1"

printf '{"schema": 7}\n' >"$conns/future.json"
az show future
like "$err" "written by a newer azrepos-connect" "a file of a newer schema says so"
rm -f "$conns/future.json"

# --- delete -------------------------------------------------------------
az delete azure_payments
is "$rc" 2 "delete without a terminal and without --yes is refused (exit 2)"
like "$err" "no terminal to confirm on: pass --yes" "the message says to pass --yes"
[ -f "$conns/azure_payments.json" ]
ok $? "nothing was deleted"

# On a terminal: the question, answered on /dev/tty.
tty_delete() { # ANSWER ID: run delete in a pseudo-terminal, answer, print output; exit code as delete's
	timeout 20 $py - "$1" "$bin" --home "$home" delete "$2" <<'EOF'
import os, pty, sys
answer = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
out = b''
while b'[y/N]' not in out:
    chunk = os.read(fd, 1024)
    if not chunk:
        break
    out += chunk
os.write(fd, answer.encode() + b'\n')
try:
    while True:
        chunk = os.read(fd, 1024)
        if not chunk:
            break
        out += chunk
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode())
sys.exit(os.WEXITSTATUS(status))
EOF
}
out=$(tty_delete n azure_payments)
rc=$?
is "$rc" 5 "answering n on the terminal cancels (exit 5)"
like "$out" "Delete connector 'azure_payments'\? \[y/N\]" "delete asks on the terminal"
[ -f "$conns/azure_payments.json" ]
ok $? "answering n keeps the connector"
out=$(tty_delete y azure_payments)
is "$?" 0 "answering y deletes (exit 0)"
[ ! -e "$conns/azure_payments.json" ]
ok $? "the file is gone after y"
cp "$data/connectors/azure_payments.json" "$conns/"

# A refused file may name its secrets: none is offered for removal while it is there.
az delete azure_payments --yes
is "$rc:$(ls "$conns" | grep -c '^azure_payments\.json$')" "0:0" "delete beside a refused connector file: deleted (exit 0)"
unlike "$out" "secret rm" "... no secret offered for removal"
like "$out" "^No connector read names the secrets? .* now, but a connector file that is refused may \(see 'list'\): not offered for removal\.$" \
	"... and why not"
cp "$data/connectors/azure_payments.json" "$conns/"
az delete broken --yes
is "$rc" 0 "a refused file can still be deleted"
has "$out" "Its file was refused, so the secrets it named are not known here: 'secret list' shows those no connector uses (and revoke any token the file held)." \
	"... saying its secrets are not known, where to look, and to revoke a token it held"
[ ! -e "$conns/broken.json" ]
ok $? "the refused file is gone"

az delete azure_payments --yes
is "$rc" 0 "delete --yes exits 0"
[ ! -e "$conns/azure_payments.json" ]
ok $? "delete --yes removes the file"
# The store not opened (its key file not given): offered if it is there.
has "$out" "No saved connector uses this secret any more; it is not removed from the secret store (if it is there). To remove it:" \
    "delete says the secrets stay"
has "$out" "  azrepos-connect --home $home secret rm azure_pat" "and gives the command that removes each"
is "$(printf '%s\n' "$out" | grep -c 'secret rm')" 1 "the secret both tokens use: one command"

# With the key file, the store is looked in: a secret it does not hold is not offered for removal;
# one it holds is, said as there.
cp "$data/connectors/azure_payments.json" "$conns/"
az --key-file "$keyfile" delete azure_payments --yes
is "$rc:$out" "0:Deleted connector 'azure_payments'." "delete, the store open, its secret not in it: no 'secret rm' offered"
cp "$data/connectors/azure_payments.json" "$conns/"
printf 'v' | run "$bin" --home "$home" --key-file "$keyfile" secret set azure_pat
az --key-file "$keyfile" delete azure_payments --yes
is "$out" "Deleted connector 'azure_payments'.
No saved connector uses this secret any more; it is not removed from the secret store. To remove it:
  azrepos-connect --home $home --key-file $keyfile secret rm azure_pat" "... the store holding it: offered, as there"
az delete azure_payments --yes
is "$rc" 1 "delete of a missing connector exits 1"
like "$err" "no connector 'azure_payments' \(looked for $conns/azure_payments.json\): " "and says where it looked"

# A folder others can write in: every file in it is refused; said once (exit 1), nothing listed.
chmod 777 "$conns"
az list
is "$rc:$(printf '%s\n' "$err" | wc -l):$out" "1:1:" "list in a folder others can write in: exit 1, one line, nothing listed"
like "$err" "folder $conns is writable by group or others \(mode 0777\): run 'chmod go-w $conns'" "... with its chmod"
some=$(ls "$conns" | sed -n 's/\.json$//p' | head -n 1)
az delete "$some" --yes
like "$rc:$err" "^1:azrepos-connect: delete: folder $conns is writable by group or others \(mode 0777\): run 'chmod go-w $conns'.*; nothing was deleted" \
	"delete in a folder others can write in: exit 1, the chmod named, as for every other command"
[ -n "$some" ] && [ -e "$conns/$some.json" ]
ok $? "... and the connector file is still there"
chmod 700 "$conns"
# ... but one only its owner can read (a read-only mount): listed, as show reads it.
if [ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null; then
	mkdir -p "$tap_tmp/ro/connectors" && cp "$data/connectors/azure_payments.json" "$tap_tmp/ro/connectors/" &&
		chmod 600 "$tap_tmp/ro/connectors/azure_payments.json" && chmod 500 "$tap_tmp/ro/connectors"
	as=""
	if [ "$(id -u)" -eq 0 ]; then
		chown -R 65534:65534 "$tap_tmp/ro" && chmod 711 "$tap_tmp"
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
	run $as "$bin" --home "$tap_tmp/ro" list --ids </dev/null
	is "$rc:$out:$err" "0:azure_payments:" "list in a folder that is not writable (mode 0500): listed, exit 0"
	chmod 700 "$tap_tmp/ro/connectors"
else
	ok 0 "# SKIP root without setpriv writes in any folder"
fi
# A file and a folder made by a run as root (sudo), mode 0600 and 0700: who owns each, the chown that
# fixes it, and no "No connectors" hiding the one refused.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	f="$tap_tmp/ro/connectors/azure_payments.json"
	chown 0:0 "$f"
	run $as "$bin" --home "$tap_tmp/ro" list </dev/null
	is "$rc:$out:$err" "1::azrepos-connect: list: $f belongs to uid 0, not to you (uid 65534): whoever owns it could point the connector at another host and get its token; run 'chown 65534 $f' as root if it is yours" \
		"list, a connector file root made: exit 1, whose it is and its chown, nothing on stdout"
	run $as "$bin" --home "$tap_tmp/ro" show azure_payments </dev/null
	has "$rc:$err" "1:azrepos-connect: show: $f belongs to uid 0" "show says the same"
	chown 0:0 "$tap_tmp/ro/connectors"
	run $as "$bin" --home "$tap_tmp/ro" list </dev/null
	is "$rc:$out:$err" "1::azrepos-connect: list: connectors folder $tap_tmp/ro/connectors belongs to uid 0, not to you (uid 65534): run 'chown 65534 $tap_tmp/ro/connectors' as root, or use a connectors folder of your own (--home)" \
		"list, the connectors folder root made: whose it is and its chown"
else
	for i in 1 2 3; do ok 0 "# SKIP only root can give a file to another user"; done
fi

# --- an empty or missing folder -----------------------------------------
run "$bin" --home "$tap_tmp/empty" list </dev/null
is "$rc" 0 "list with no connectors exits 0"
like "$out" "^No connectors in $tap_tmp/empty/connectors: '([^ ]*/)?azrepos-connect --home $tap_tmp/empty new' creates one\.$" \
	"list says there are none, where, and the command that makes one"
run "$bin" --home "$tap_tmp/empty" list --json </dev/null
is "$out" "[]" "list --json with no connectors prints []"
[ ! -e "$tap_tmp/empty" ]
ok $? "list creates no files"

# --- control characters in a file edited by hand, or in what the user typed ---
# Printed as '?': an escape sequence in a value must never clear the screen or retitle the window.
esc=$(printf '\033')
mkdir -p "$tap_tmp/ctl/connectors"
sed -e 's/"Azure Payments"/"x\\u001b]0;pwned\\u0007"/' -e 's|Payments%20Platform|P\\u001b[2J|' \
	"$data/connectors/azure_payments.json" >"$tap_tmp/ctl/connectors/azure_payments.json"
chmod 600 "$tap_tmp/ctl/connectors/azure_payments.json"
run "$bin" --home "$tap_tmp/ctl" list </dev/null
ctl_list="$rc:$out"
run "$bin" --home "$tap_tmp/ctl" show azure_payments </dev/null
case "$ctl_list$out$err" in *"$esc"*) false ;; *) true ;; esac &&
	printf '%s\n' "$ctl_list" | grep -q '^azure_payments  *x?\]0;pwned?  *HTTP .*/contoso/P?\[2J$' &&
	printf '%s\n' "$out" | grep -q '^  Name:  *x?\]0;pwned?$'
ok $? "list and show print a value's ESC and BEL as '?', never raw"
# A line break or tab in a value: one row of the table, one line of show still.
sed -e 's/"Azure Payments"/"two\\nlines"/' -e 's/"description":\t"[^"]*"/"description":\t"a\\tb\\nc"/' \
	"$data/connectors/azure_payments.json" >"$tap_tmp/ctl/connectors/azure_payments.json"
run "$bin" --home "$tap_tmp/ctl" list </dev/null
ctl_list="$rc:$out"
run "$bin" --home "$tap_tmp/ctl" show azure_payments </dev/null
[ "$(printf '%s\n' "$ctl_list" | wc -l)" -eq 2 ] &&
	printf '%s\n' "$ctl_list" | grep -q '^azure_payments  *two?lines  *HTTP ' &&
	printf '%s\n' "$out" | grep -q '^  Name:  *two?lines$' &&
	printf '%s\n' "$out" | grep -q '^  Description:  *a?b?c$'
ok $? "list and show print a value's line break and tab as '?': its row and line stay whole"
run "$bin" --home "$tap_tmp/ctl" show "${esc}[31mx" </dev/null
case "$err" in *"$esc"*) false ;; *) [ "$rc" = 3 ] && printf "%s\n" "$err" | grep -Fq -- "show: '?[31mx' is not a connector identifier" ;; esac
ok $? "a name typed with ESC in it: the error quotes it with '?'"
printf '{"\\u001b[31mred": 1}' >"$tap_tmp/ctl.json"
run "$bin" --home "$tap_tmp/ctl" new --non-interactive --answers "$tap_tmp/ctl.json" </dev/null
case "$err" in *"$esc"*) false ;; *) [ "$rc" = 3 ] && printf "%s\n" "$err" | grep -Fq -- "unknown key '?[31mred'" ;; esac
ok $? "an answers file's key with ESC: exit 3, quoted with '?'"
nl_path=$(printf '%s/no\nazrepos-connect: FAKE' "$tap_tmp")
run "$bin" --home "$tap_tmp/ctl" new --non-interactive --name a --url-type repo --url https://dev.azure.com/a/b/_git/c \
	--username u --token-file "$nl_path" --skip-test </dev/null
is "$rc:$err" "3:azrepos-connect: token: cannot read $tap_tmp/no?azrepos-connect: FAKE: No such file or directory
azrepos-connect: 1 error; nothing was written" "a path with a line break in it: quoted with '?', one line per error"
