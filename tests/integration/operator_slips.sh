# Slips an operator makes in a script at 2 a.m.: each is refused (or asked
# about) with what to do instead, writes nothing it should not, and never
# repeats a token given in the wrong place.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
tap_fixtures
plan $((115 + 7 * 2 + 2 + 3 + 3 + 5 + 1 + 2 + 3 + 1 + 5 + 18 + 7 + 2 + 2 + 1 + 1))

home="$tap_tmp/home"
key="$tap_tmp/store.key"
# The key file does not exist yet: the first run that saves makes it.
az() { "$bin" --home "$home" --key-file "$key" "$@"; }
files() { find "$home" "$key" -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort; }
repo_url="$AZF_BASE/$AZF_ORG/$AZF_PROJECT/_git/$AZF_REPO"
# http ARGS: a new HTTP connector, its URL and user name unless ARGS give them (a flag twice is refused).
http() {
	d_url=$repo_url d_user=ci
	for a in "$@"; do case $a in --url) d_url= ;; --username) d_user= ;; esac; done
	az new --non-interactive --url-type repo ${d_url:+--url "$d_url"} ${d_user:+--username "$d_user"} \
		--ca-file "$AZF_CA" "$@"
}
# A legacy PAT's shape (52 of a-z2-7): given where an id or a user name goes.
pat=abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst
# jv EXPR: a value of the last output's JSON (d), as Python prints it.
jv() { printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1" 2>&1; }

# A check that fails saves nothing: not the store, not even its new key file.
run http --name web --token-file "$AZF_TOKEN_403_FILE" </dev/null
is "$rc" 4 "a failed check: exit 4"
is "$(files)" "" "no key file, no store, no connector made for a run that saved nothing"
run http --name web --token-file "$AZF_TOKEN_FILE" --output json </dev/null
is "$rc,$(jv 'd["saved"]')" "0,True" "the same run with a good token saves"
like "$(jv 'd["messages"]')" "created the key file $key" "--output json holds what was said on stderr too"
is "$(stat -c %a "$key")" 400 "the key file was made when the store was written"

# A token put where a store id goes: refused, never repeated back.
before=$(files)
run http --name web2 --token-secret "$pat" --output json </dev/null
is "$rc" 3 "a token given as --token-secret: exit 3"
like "$(jv 'd["errors"][0]["message"]')" "^this looks like a Personal Access Token, not the id of a secret" \
	"the message says it looks like a token"
unlike "$out$err" "abcdefghijklmnop" "the token is not repeated in any output"
is "$(files)" "$before" "nothing written"
run az secret set "$pat" </dev/null
is "$rc" 3 "secret set with a token as the id: exit 3"
unlike "$out$err" "abcdefghijklmnop" "... not repeated either"

run az secret rm "$pat" </dev/null
is "$rc" 3 "secret rm with a token as the id: exit 3"
unlike "$out$err" "abcdefghijklmnop" "... not repeated"
run az new --tokn-secret="$pat" </dev/null
like "$err" "unknown option '--tokn-secret' \(did you mean --token-secret\?\)" "a mistyped option is named..."
unlike "$out$err" "abcdefghijklmnop" "... without the value after its '='"

# --accept-host-key with --skip-test would record nothing: refused, said.
run "$bin" --home "$tap_tmp/nostore" new --non-interactive --name web --url-type repo --connection ssh \
	--url "$AZF_SSH_URL" --ssh-key-file "$AZF_SSH_KEY" --accept-host-key "$AZF_SSH_HOSTKEY_FP" --skip-test </dev/null
is "$rc:$err" "2:azrepos-connect: new: --accept-host-key is recorded by the connection test, and --skip-test runs none: drop one of the two
Try 'azrepos-connect new --help' for more information." "--accept-host-key with --skip-test: exit 2, said"
run "$bin" --home "$tap_tmp/skip" --key-file "$tap_tmp/skip.key" new --non-interactive --name web --url-type repo --url "$AZF_REPO_URL" \
	--username ci --token-file "$AZF_TOKEN_FILE" --ca-file "$AZF_CA" --timeout 5 --skip-test </dev/null
like "$rc:$err" "^0:.*note: --ca-file and --timeout not used: --skip-test runs no connection test" \
	"--ca-file and --timeout with --skip-test: taken (a template's), noted as not used"
run "$bin" --home "$tap_tmp/skip" --key-file "$tap_tmp/skip.key" new --non-interactive --name web2 --url-type repo --url "$AZF_REPO_URL" \
	--username ci --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
unlike "$err" "not used" "... and no such note without them"

# A host key accepted by a check is kept only with what is saved: here the store
# cannot be made (no key file, no terminal for a passphrase), so neither is.
run "$bin" --home "$tap_tmp/nostore" new --non-interactive --name web --url-type repo --connection ssh \
	--url "$AZF_SSH_URL" --ssh-key-file "$AZF_SSH_KEY" --accept-host-key "$AZF_SSH_HOSTKEY_FP" </dev/null
like "$rc:$err" "^2:.*there is no secret store yet .* and no terminal to ask a new one's passphrase on" "the check passes, the store cannot be made: exit 2"
[ ! -s "$tap_tmp/nostore/known_hosts" ]
ok $? "... and the accepted host key is not recorded"

# A token put as the URL's user name (https://TOKEN@dev.azure.com/...).
for url in "https://$pat@dev.azure.com/contoso/Payments/_git/web" "https://$pat@dev.azure.com/contoso/Pay ments"; do
	run az new --non-interactive --name web3 --url-type repo --url "$url" --username ci \
		--token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
	is "$rc" 3 "a token as the URL's user: exit 3"
	like "$err" "url: remove the token before '@' from the URL" "the message says what to remove"
	unlike "$out$err" "abcdefghijklmnop" "the token is not quoted"
done
is "$(files)" "$before" "nothing written for either"

# The token as the user name (the field before it), in a tag or a description: it would be kept in clear.
printf '{"name": "web8", "description": "token: %s"}\n' "$pat" >"$tap_tmp/tok.json"
for how in "--username $pat" "--answers $tap_tmp/tok.json" "--tags team:$pat"; do
	run http --name web8 $how --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
	like "$rc:$err" "^3:.*: this looks like a Personal Access Token: a token goes only in its own field" \
		"a token given with $(printf '%s' "${how%% *}"): exit 3, said"
	unlike "$out$err" "abcdefghijklmnop" "... and not repeated"
done
is "$(files)" "$before" "nothing written for any"
# A line of a private key as a description (a key pasted without bracketed paste): refused, not repeated.
line=$(sed -n 6p "$top_srcdir/tests/data/sshkey/rsa_pem")
run http --name web9 --description "$line" --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
like "$rc:$err" "^3:.*description: this looks like a piece of a private key: a key goes only in the SSH private key field" \
	"a private key's line as a description: exit 3, said"
is "$(printf '%s' "$out$err" | grep -c -F -e "${line%????????????????????????????????}"):$(files)" "0:$before" \
	"... not repeated, and nothing written"

# The organization as the user is Azure's own clone URL: taken.
run az new --non-interactive --name web4 --url-type repo --url "https://contoso@dev.azure.com/contoso/Payments/_git/web" \
	--username ci --token-file "$AZF_TOKEN_FILE" --skip-test --dry-run </dev/null
is "$rc" 0 "https://ORG@dev.azure.com/ORG/...: valid"

# An answers file that cannot be written is known before anything is saved.
run http --name web5 --token-file "$AZF_TOKEN_FILE" --write-answers "$tap_tmp/no-such-dir/a.json" </dev/null
is "$rc" 3 "--write-answers into a missing folder: exit 3"
like "$err" "write-answers: cannot write in the folder $tap_tmp/no-such-dir: No such file or directory" \
	"the message names the folder"
is "$(files)" "$before" "nothing saved"
# Arguments swapped in a playbook: the answers never go over the store's key, the store or a connector.
for f in "$key:the store's key file" "$home/secrets.store:the secret store" \
	"$home/connectors/web.json:in the connectors folder"; do
	run http --name web5 --token-file "$AZF_TOKEN_FILE" --write-answers "${f%%:*}" </dev/null
	like "$rc:$err" "^3:azrepos-connect: write-answers: ${f%%:*} (is|exists and is) ${f#*:}" \
		"--write-answers onto ${f#*:}: exit 3, said"
done
printf 'notes kept here\n' >"$tap_tmp/notes.txt"
run http --name web5 --token-file "$AZF_TOKEN_FILE" --write-answers "$tap_tmp/notes.txt" </dev/null
like "$rc:$err" "^3:.*write-answers: $tap_tmp/notes.txt exists and is not an answers file: give another file name" \
	"--write-answers onto a file that is not an answers file: exit 3, said"
is "$(files):$(cat "$tap_tmp/notes.txt")" "$before:notes kept here" "nothing saved, no file replaced"
ln -s "$tap_tmp/nowhere.json" "$tap_tmp/dangling.json"
run http --name web5 --token-file "$AZF_TOKEN_FILE" --write-answers "$tap_tmp/dangling.json" </dev/null
like "$rc:$err" "^3:.*write-answers: $tap_tmp/dangling.json is a symbolic link: give another file name" \
	"--write-answers onto a dangling symbolic link: exit 3, said as a link (not 'exists')"
# Standard output meant: '-' is no file name here, and a device is not one to remove.
run http --name web5 --token-file "$AZF_TOKEN_FILE" --write-answers - </dev/null
like "$rc:$(ls -- - 2>/dev/null):$err" "^3::.*write-answers: '-' is not standard output here \(that has the run's report\): give the file to write \('\./-' for a file of that name\)$" \
	"--write-answers -: exit 3, said, no file '-' made"
run http --name web5 --token-file "$AZF_TOKEN_FILE" --write-answers /dev/null </dev/null
like "$rc:$err" "^3:.*write-answers: /dev/null is not a regular file \(a device, a pipe, or a link to one\): give the name of a file to write$" \
	"--write-answers onto a device: exit 3, not told to remove it"
# (run sends standard output to a file: /dev/stdout links to that regular file.)
run http --name web5 --token-file "$AZF_TOKEN_FILE" --write-answers /dev/stdout </dev/null
like "$rc:$err" "^3:.*write-answers: /dev/stdout is not a regular file \(a device, a pipe, or a link to one\): give the name of a file to write$" \
	"--write-answers /dev/stdout sent to a file: exit 3, not told to remove it"
# A JSON file that is no answers file (a Harness export) is not replaced; an answers file is.
"$bin" --home "$home" export web --format json >"$tap_tmp/harness.json"
run http --name web5 --token-secret web-token --skip-test --dry-run --write-answers "$tap_tmp/harness.json" </dev/null
like "$rc:$err" "^3:.*harness.json exists and is not an answers file" "--write-answers onto a Harness export: exit 3"
for i in 1 2; do
	run http --name web5 --token-secret web-token --skip-test --dry-run --write-answers "$tap_tmp/a1.json" </dev/null
	echo "$rc" >>"$tap_tmp/a1.rcs"
done
is "$(tr '\n' ' ' <"$tap_tmp/a1.rcs")" "0 0 " "the same answers file written twice (a rerun): both exit 0"

# A file that cannot be read is the one error: no store is looked at for it.
run "$bin" --home "$tap_tmp/fresh" --key-file "$key" new --non-interactive --name web --url-type repo \
	--url "$repo_url" --username ci --token-file "$tap_tmp/missing" </dev/null
is "$rc" 3 "an unreadable --token-file: exit 3"
is "$err" "azrepos-connect: token: cannot read $tap_tmp/missing: No such file or directory
azrepos-connect: 1 error; nothing was written" "one message, and nothing about a store"
run az new --non-interactive </dev/null
is "$(printf '%s\n' "$err" | grep -c '^azrepos-connect: token:')" 1 "a missing token is reported once"

# --ca-file that is not there: a usage error before anything runs.
run az new --non-interactive --url-type repo --url "$repo_url" --username ci --name web6 \
	--token-file "$AZF_TOKEN_FILE" --ca-file "$tap_tmp/missing.pem" </dev/null
is "$rc" 2 "a missing --ca-file: exit 2"
like "$err" "--ca-file: cannot read '$tap_tmp/missing.pem': No such file or directory" "the message names the file"

# Options in the wrong place, and a field given twice.
run az new --key-file "$key" --non-interactive </dev/null
is "$rc" 2 "a global option after the command: exit 2"
like "$err" "new: --key-file is a global option: put it before the command" "says where it goes"
run "$bin" --ascii --home "$home" edit web </dev/null
is "$rc:$(printf '%s\n' "$err" | head -n 1)" "2:azrepos-connect: --home is a global option: global options come first, then the command, then its options ('azrepos-connect --home ... [COMMAND] --ascii ...')" \
	"a global option after a command's option, no command before them: the order said, no 'new' named"
run "$bin" --home "$home" --non-interactive new </dev/null
like "$err" "unexpected argument 'new': a command comes before its own options" "a command after its options"
run "$bin" --home "$home" --ca-file "$AZF_CA" test web </dev/null
is "$rc" 2 "a command's option before the command: exit 2"
has "$err" "azrepos-connect: unexpected argument 'test': a command comes before its own options" \
    "said without the name of the command run in its place ('new')"
has "$err" "Try 'azrepos-connect test --help' for more information." "the help offered is the command's"
printf '{"name": "web7"}\n' >"$tap_tmp/a.json"
run http --answers "$tap_tmp/a.json" --answers "$tap_tmp/a.json" --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
is "$rc" 2 "--answers twice: exit 2"
like "$err" "--answers given twice: merge the files into one" "not one silently replacing the other"
is "$(files)" "$before" "nothing written by any of these"

# A stored secret of the wrong kind for the field.
run az secret set deploy-key --kind ssh-private-key --from-file "$AZF_SSH_KEY"
is "$rc" 0 "an SSH key stored"
run http --name web9 --token-secret deploy-key --skip-test </dev/null
is "$rc" 3 "an SSH key named as the token: exit 3"
has "$err" "token: the stored secret 'deploy-key' is of kind ssh-private-key, not token: name one of that kind (see 'azrepos-connect --home $home --key-file $key secret list'), or store the value as one ('azrepos-connect --home $home --key-file $key secret set NEWID')" \
	"the kinds are named, and the command that lists this store's secrets"
# A password is no token either: the kinds match exactly, as 'secret set' holds them.
printf 'pw12345678\n' >"$tap_tmp/pw"
run az secret set old-pw --kind password --from-file "$tap_tmp/pw"
run http --name web9 --token-secret old-pw --skip-test </dev/null
is "$rc" 3 "a password named as the token: exit 3"
has "$err" "token: the stored secret 'old-pw' is of kind password, not token" "the kinds are named"
# ... but a connector an older version saved so still takes an edit of another field.
sed -e 's/"identifier":[^,]*/"identifier": "legacy"/' -e 's/"token-secret":[^,]*/"token-secret": "old-pw"/' \
	"$home/connectors/web.json" >"$tap_tmp/legacy.json"
install -m 600 "$tap_tmp/legacy.json" "$home/connectors/legacy.json"
run az edit legacy --non-interactive --description "still editable" --skip-test </dev/null
is "$rc:$(grep -c '"token-secret":[[:space:]]*"old-pw"' "$home/connectors/legacy.json")" "0:1" \
	"an edit of a connector that names a password as its token: taken, the secret kept"
rm -f "$home/connectors/legacy.json"
run http --name web --token-secret deploy-key --skip-test </dev/null
has "$err" "identifier: a connector 'web' already exists in $home/connectors: choose another identifier, or change that one with 'azrepos-connect --home $home --key-file $key edit web'" \
	"a taken identifier: the edit command of this --home and key file"
run az secret set not-a-key --kind ssh-private-key --from-file "$AZF_TOKEN_FILE"
is "$rc" 3 "a token stored as an SSH key: exit 3"
run az secret list
is "$rc" 0 "... secret list: exit 0"
unlike "$out" "not-a-key" "... and not stored"

# An edit that changes nothing writes nothing, and says so; one that does, does.
conn_before=$(stat -c %Y.%s "$home/connectors/web.json"; cat "$home/connectors/web.json")
run az edit web --non-interactive --skip-test --output json </dev/null
is "$rc,$(jv 'd["saved"]'),$(jv 'd["changed"]')" "0,True,False" "an edit with nothing new: changed false"
is "$(stat -c %Y.%s "$home/connectors/web.json"; cat "$home/connectors/web.json")" "$conn_before" "... and the file untouched"
# A dry run says what the real one would do (a playbook's check mode), writing nothing.
run az edit web --non-interactive --skip-test --description "Web app" --dry-run --output json </dev/null
is "$rc,$(jv 'd["saved"]'),$(jv 'd["changed"]')" "0,False,True" "a dry-run edit with a new description: changed true (would be)"
is "$(stat -c %Y.%s "$home/connectors/web.json"; cat "$home/connectors/web.json")" "$conn_before" "... and the file untouched"
run az edit web --non-interactive --skip-test --dry-run </dev/null
is "$rc,$err" "0,azrepos-connect: dry run: valid; nothing was written; the real run would change nothing" \
	"a dry-run edit with nothing new: the real run would change nothing"
run az edit web --non-interactive --skip-test --description "Web app" --output json </dev/null
is "$rc,$(jv 'd["changed"]')" "0,True" "an edit with a new description: changed true"
run az edit web --non-interactive --skip-test --write-answers "$tap_tmp/web-answers.json" </dev/null
is "$rc,$out" "0,connector 'web' unchanged: its file is not rewritten; the answers are in $tap_tmp/web-answers.json" \
	"an edit with nothing new says so, and where the answers asked for are..."
grep -q '"description":[[:space:]]*"Web app"' "$tap_tmp/web-answers.json"
ok $? "... and still writes the answers file asked for"
run az edit web --non-interactive --skip-test </dev/null
is "$rc,$out" "0,connector 'web' unchanged: nothing written" "without --write-answers: nothing written at all"

# Removing a secret a connector uses: asked, or --yes.
run az secret rm web-token </dev/null
is "$rc" 2 "secret rm of a secret in use, no terminal: exit 2"
like "$err" "secret rm: 'web-token' is used by connector web: pass --yes to remove it anyway" "names the connector"
run az secret list
like "$out" "web-token" "the secret is still there"
run az secret rm web-token --yes </dev/null
is "$rc" 0 "with --yes: exit 0"
has "$out" "Connector web now names a secret that is gone: give it one with 'azrepos-connect --home $home --key-file $key secret set web-token' (or 'azrepos-connect --home $home --key-file $key edit web')" \
	"and says what the connector needs now (with this run's --home and --key-file)"

run az test web --json </dev/null
is "$rc,$(jv 'd["ok"]'),$(jv 'len(d["probes"])')" "17,False,0" "test --json of a connector whose secret is gone: one JSON answer"
like "$err" "token: no secret 'web-token' in the store" "the message is on stderr as well, as it is said"
said=$(jv 'd["messages"][0]')
has "$said" "store it again with 'azrepos-connect --home $home --key-file $key secret set web-token' (or give the connector another with 'azrepos-connect --home $home --key-file $key edit web')" \
	"its message says how to put the secret back, or which edit gives it another"
put_back=${said#*store it again with \'}
put_back=${put_back%%\'*}
eval "\"\$bin\"${put_back#azrepos-connect}" <"$AZF_TOKEN_FILE" >/dev/null 2>&1  # the binary built
run az secret list
like "$out" "^web-token +token " "that command, run as printed, puts it back in this store"

# Deleted, then made again: from the same token file, its secret still stored is that
# value (no clash); from another, the message names the way to use the stored one, not
# only to replace it or keep both.
printf 'another-token' >"$tap_tmp/other-token"
# Another connector whose default store id is the same ("Web" and "web" both make web-token): the
# connector using it is named, and a free id offered to keep this token apart.
run http --name Web --token-file "$tap_tmp/other-token" </dev/null
has "$rc:$err" "3:azrepos-connect: token: the store already has a secret 'web-token', used by connector web: to use it, give --token-secret web-token instead; to keep this one apart, give --token-secret web-token-2; to replace it (web gets the new value too), run '" \
	"a default store id another connector's secret has: exit 3, that connector named, a free id offered"
run az delete web --yes </dev/null
run http --name web --token-file "$tap_tmp/other-token" </dev/null
is "$rc" 3 "made again after delete, another token: exit 3 (its secret is still stored)"
has "$err" "token: the store already has a secret 'web-token': to use it, give --token-secret web-token instead;" \
	"the message says how to use the stored secret"
run http --name web --token-secret web-token </dev/null
is "$rc" 0 "done as said: saved with the stored token"
run az delete web --yes </dev/null
run http --name web --token-file "$AZF_TOKEN_FILE" </dev/null
is "$rc:$err" "0:" "made again from the token file stored under its id: saved, the stored secret used"

# A new token never replaces a secret of another kind: not as a new connector's API token, nor
# as an edit's token (exit 3, the SSH key kept).
run az secret set deploy-key --generate </dev/null
run http --name apikey --token-file "$AZF_TOKEN_FILE" --api-access true --api-token-secret deploy-key \
	--api-token-file "$tap_tmp/other-token" --skip-test </dev/null
is "$rc" 3 "a new API token under an SSH key's id: exit 3"
has "$err" "api-token: the store already has a secret 'deploy-key'" "... said, naming the id"
run az edit web --non-interactive --token-secret deploy-key --token-file "$tap_tmp/other-token" --skip-test </dev/null
is "$rc" 3 "an edit's new token under an SSH key's id: exit 3"
has "$err" "token: the stored secret 'deploy-key' is ssh-private-key, and a new token does not replace it" \
	"... said, with the way out (another store id)"
run az secret list </dev/null
like "$out" "^deploy-key +ssh-private-key " "the SSH key is kept"

# A damaged store: the file and the ways out named.
printf 'junk' >>"$home/secrets.store"
run az secret list
is "$rc" 11 "a corrupt store: exit 11"
has "$err" "the secret store $home/secrets.store cannot be used as it is: restore it from a backup, or put it aside and start a new one with 'azrepos-connect --home $home --key-file $key secret rekey --reset'" \
	"the message names the file and the ways out (the reset with this run's key file: it is needed)"

# An answers file: every fault at once, with the likely fix.
before=$(files)
cat >"$tap_tmp/faults.json" <<'JSON'
{"name": "web", "api-access": "true", "delegate-tags": 5, "url_type": "repo", "token-file": "/x",
 "token": "abc", "urll": "x", "token-secrte": "x", "delegate": "any", "zzz": 1, "validationRepo": "x",
 "PAT": "abcd", "ssh_key_file": "/k"}
JSON
run az new --non-interactive --answers "$tap_tmp/faults.json" --skip-test </dev/null
is "$rc" 3 "an answers file with twelve faults: exit 3"
is "$(printf '%s\n' "$err" | grep -c "^azrepos-connect: answers: $tap_tmp/faults.json: ")" 12 "each fault on its own line"
like "$err" "unknown key 'validationRepo' \(did you mean 'test-repo', the Test repository\?\)" \
	"a field by its Harness YAML name gets its key"
like "$err" "key 'PAT' \(the Personal Access Token\?\): an answers file never holds a secret .*--token-file F" \
	"a secret by another name: where its value goes"
like "$err" "unknown key 'ssh_key_file': a secret's file is given on the command line \(--ssh-key-file F\)" \
	"a secret's file key written with '_': where it goes"
like "$err" "unknown key 'url_type' \(did you mean 'url-type'\?\)" "a '_' for '-' gets the key it meant"
like "$err" "unknown key 'urll' \(did you mean 'url'\?\)" "a key mistyped by a letter gets the key it meant..."
like "$err" "unknown key 'token-secrte' \(did you mean 'token-secret'\?\)" "... a store id's key too..."
like "$err" "unknown key 'delegate' \(did you mean 'delegates'\?\)" "... and a key short of a letter"
like "$err" "unknown key 'zzz'\$" "a key like none is only named"
like "$err" "unknown key 'token-file': a secret's file is given on the command line \(--token-file F\)" \
	"a secret's file key says where it goes"
unlike "$err" "abc" "the inline secret's value is not repeated"
# An empty answers file (a template not filled in): said so, not as a JSON syntax error at 1:1.
: >"$tap_tmp/empty.json"
run az new --non-interactive --answers "$tap_tmp/empty.json" --skip-test </dev/null
is "$rc:$(printf '%s\n' "$err" | grep -e ': answers:')" \
	"3:azrepos-connect: answers: $tap_tmp/empty.json: the file is empty: give a JSON object ({} for no answers)" \
	"an empty answers file: exit 3, said to be empty, with what to give"

# Token files an editor or a template got wrong, and values that would go unused.
printf '\357\273\277%s' "$(cat "$AZF_TOKEN_FILE")" >"$tap_tmp/bom"
printf '   ' >"$tap_tmp/blank"
# What is copied with a token or for one: named, the token itself never quoted.
printf 'Bearer %s' "$(cat "$AZF_TOKEN_FILE")" >"$tap_tmp/bearer"
printf 'https://dev.azure.com/%s/_usersSettings/tokens' "$AZF_ORG" >"$tap_tmp/url"
printf 'ghp_0123456789abcdefghijABCDEFGHIJ012345' >"$tap_tmp/github"
printf '"%s"' "$(cat "$AZF_TOKEN_FILE")" >"$tap_tmp/quoted"
printf '%s:%s' "$AZF_USER" "$(cat "$AZF_TOKEN_FILE")" >"$tap_tmp/user-colon"
for t in "bom|the value starts with a byte-order mark" "blank|the value is only blanks" \
	"bearer|that is an HTTP Authorization value \('Bearer \.\.\.'\): give the Personal Access Token alone" \
	"url|that is a URL, not a token: create a Personal Access Token in Azure DevOps" \
	"github|that is a GitHub token \(ghp_\.\.\.\): Azure DevOps takes only its own Personal Access Tokens" \
	"quoted|remove the quote marks copied with the token" \
	"user-colon|a token has no ':': give the token alone"; do
	run http --name web10 --token-file "$tap_tmp/${t%%|*}" --skip-test </dev/null
	is "$rc" 3 "a token file (${t%%|*}): exit 3"
	like "$err" "token: $tap_tmp/${t%%|*}: ${t#*|}" "a token file (${t%%|*}): said so, the file named"
	unlike "$out$err" "$(cat "$AZF_TOKEN_FILE")" "a token file (${t%%|*}): the token is not quoted back"
done
run "$bin" --home "$tap_tmp/home-pat" --key-file "$key" secret set web-pat --from-file "$tap_tmp/bearer" </dev/null
like "$rc:$err" "^3:.*web-pat: that is an HTTP Authorization value" "secret set of such a token: exit 3, said the same way"
run http --name web10 --token-file "" --skip-test </dev/null
like "$err" "token: --token-file was given an empty file name \(an unset variable\?\)" "--token-file '': said so"
run http --name web10 --token-file /dev/zero --skip-test </dev/null
like "$rc:$err" "^3:.*token: /dev/zero is larger than 64 KiB, more than a secret can be: is it the file meant\?" \
	"--token-file /dev/zero: exit 3, the file named"
run az new --non-interactive --name web11 --url-type repo --connection ssh \
	--url "git@ssh.dev.azure.com:v3/contoso/Payments/web" --ssh-key-file "$AZF_SSH_KEY" \
	--ssh-key-passphrase-file "$AZF_SSH_KEY_ENC_PASS_FILE" --skip-test </dev/null
like "$err" "ssh-key-passphrase: the SSH key has no passphrase: leave this out" "a passphrase for a key without one"
# A damaged encrypted key asking for 61866000 bcrypt rounds (hours of work): refused at once.
run az new --non-interactive --name web11 --url-type repo --connection ssh \
	--url "git@ssh.dev.azure.com:v3/contoso/Payments/web" \
	--ssh-key-file "$top_srcdir/tests/fuzz/corpus/sshkey/bcrypt-rounds-damaged.key" \
	--ssh-key-passphrase-file "$AZF_SSH_KEY_ENC_PASS_FILE" --skip-test </dev/null
is "$rc" 3 "a key asking for millions of bcrypt rounds: exit 3"
like "$err" "ssh-key: the key's passphrase protection asks for 61866000 bcrypt rounds .*'ssh-keygen -p -a 100 -f KEY'" \
	"said, with how to protect it again"
run http --name web12 --token-file "$AZF_TOKEN_FILE" --accept-host-key "$AZF_SSH_HOSTKEY_FP" </dev/null
like "$err" "accept-host-key: only used with connection ssh" "--accept-host-key on an HTTP connector"
run http --name web13 --url https://github.com/contoso/payments-api --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
like "$err" "url: github.com is GitHub, not Azure DevOps" "a GitHub URL is named as one"
is "$(files)" "$before" "nothing written by any of these"

# --help marks as required only what has no default.
run az new --help
is "$(printf '%s\n' "$out" | grep -A1 -e '--identifier VALUE' | tail -n 1 | sed 's/^ *//')" \
	"Identifier [default: from the other fields]" "the identifier is not called required: it has a default"
is "$(printf '%s\n' "$out" | grep -A2 -e '--api-token-file F' | tail -n 2 | sed 's/^ *//' | tr '\n' ' ' | sed 's/ $//')" \
	"API Personal Access Token (required with api-access true) [default: over HTTP, the token above]" \
	"the API token: required, but over HTTP the token is its default"
run az edit --help
unlike "$out" "--identifier|\(required|\[default:" "edit --help: no --identifier (it cannot change), nothing required, no default"
like "$out" "^Fields \(each optional: what is not given stays as saved" "... each field optional, said"

# --url-type left out: said, with the type the URL reads as; what else is wrong with the URL is
# said in the same run (one edit fixes both).
before=$(files)
run az new --non-interactive --name web5 --url "$AZF_BASE/$AZF_ORG/My Project/_git/$AZF_REPO.git" --username ci \
	--token-file "$AZF_TOKEN_FILE" </dev/null
is "$rc" 3 "no --url-type: exit 3"
is "$(printf '%s\n' "$err" | grep -e '^azrepos-connect: url')" \
"azrepos-connect: url-type: required: choose one of: project, repo (the URL names a repository: repo)
azrepos-connect: url: the URL has a raw space: use '$AZF_BASE/$AZF_ORG/My%20Project/_git/$AZF_REPO.git', and then remove the '.git' suffix: Azure reads it as part of the repository name ('$AZF_BASE/$AZF_ORG/My%20Project/_git/$AZF_REPO')" \
	"url-type names the type the URL reads as, and the URL's own slips are said too"
run az new --non-interactive --name web5 --url "$AZF_BASE/$AZF_ORG/$AZF_PROJECT" --username ci \
	--token-file "$AZF_TOKEN_FILE" </dev/null
is "$rc:$(printf '%s\n' "$err" | grep -e '^azrepos-connect: url')" \
	"3:azrepos-connect: url-type: required: choose one of: project, repo (the URL names no repository: project)" \
	"a URL ending at the project: project"
# A test repository with it: right for the type the URL reads as, so not called a mistake; with a
# repository's URL it is one.
run az new --non-interactive --name web5 --url "$AZF_BASE/$AZF_ORG/$AZF_PROJECT" --test-repo "$AZF_REPO" \
	--username ci --token-file "$AZF_TOKEN_FILE" </dev/null
is "$rc:$(printf '%s\n' "$err" | grep -e '^azrepos-connect: \(url\|test-repo\)')" \
	"3:azrepos-connect: url-type: required: choose one of: project, repo (the URL names no repository: project)" \
	"... and --test-repo given: only url-type is said, the test repository is right for that type"
run az new --non-interactive --name web5 --url "$repo_url" --test-repo "$AZF_REPO" \
	--username ci --token-file "$AZF_TOKEN_FILE" </dev/null
is "$rc:$(printf '%s\n' "$err" | grep -c -e '^azrepos-connect: test-repo: only used with url-type project')" "3:1" \
	"a repository's URL, --test-repo and no --url-type: the test repository is said to be left out"
is "$(files)" "$before" "nothing written"

# The browser's address of a pull request pasted as the URL: the URL it quotes last (the one
# F5 puts in) is the repository's, not one more wrong URL.
run az new --non-interactive --name web7 --url-type repo --url "$repo_url/pullrequest/12?_a=files" \
	--username ci --token-file "$AZF_TOKEN_FILE" </dev/null
is "$rc" 3 "a pull request's address as the URL: exit 3"
like "$err" "url: remove '\?_a=files': .*, and then remove '/pullrequest/12': .*\('$repo_url'\)\$" \
	"both slips said, the repository's URL quoted last"
is "$(files)" "$before" "nothing written"

# A key file given where a token goes: named as what it is, with the way; nothing stored (a
# home of its own: the store above was left damaged on purpose).
home="$tap_tmp/home-key"
before=$(files)
run az secret set deploy-key --from-file "$AZF_SSH_KEY" </dev/null
is "$rc:$err" "3:azrepos-connect: deploy-key: that is an SSH private key: store it with --kind ssh-private-key" \
	"secret set of a key without --kind: exit 3, the kind to give"
run az new --non-interactive --name web6 --url-type repo --url "$repo_url" --username ci \
	--token-file "$AZF_SSH_KEY" </dev/null
is "$rc:$(printf '%s\n' "$err" | grep -e '^azrepos-connect: token')" \
	"3:azrepos-connect: token: $AZF_SSH_KEY: that is an SSH private key, not a token (an SSH key goes with connection type SSH)" \
	"--token-file given a key: exit 3, said what it is (not its line breaks)"
is "$(files)" "$before" "nothing written"
# The same key under an id a connector takes as its token: --kind would only be refused next.
run http --name web7 --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
run az secret set web7-token --from-file "$AZF_SSH_KEY" </dev/null
is "$rc:$err" "3:azrepos-connect: web7-token: that is an SSH private key, and connector web7 takes 'web7-token' as a token: give the token, or store the key under another id" \
	"a key given to secret set for a connector's token: exit 3, that connector named, no --kind offered"

# A secret given twice, or two from stdin: said, neither silently winning; nothing written.
home="$tap_tmp/home-twice"
before=$(files)
printf 'tok-one' >"$tap_tmp/t1"
printf 'tok-two' >"$tap_tmp/t2"
run http --name twice --token-file "$tap_tmp/t1" --token-file "$tap_tmp/t2" --skip-test </dev/null
like "$rc:$err" "^2:azrepos-connect: new: --token-file is given twice: give it once" \
	"--token-file twice: a usage error (exit 2) as any option given twice, not the last file taken"
run http --name twice --token-file "$tap_tmp/t1" --token-stdin --skip-test <"$tap_tmp/t2"
is "$rc:$err" "3:azrepos-connect: token: the value is given twice: keep one --token-file F or --token-stdin
azrepos-connect: 1 error; nothing was written" "--token-file and --token-stdin: exit 3, said (neither taken)"
run http --name twice --token-stdin --api-access true --api-token-stdin --skip-test <"$tap_tmp/t1"
is "$rc:$err" "3:azrepos-connect: api-token: only one secret can come from stdin; use --api-token-file F
azrepos-connect: 1 error; nothing was written" "two secrets from stdin: exit 3, the second said with the way out"
run http --name twice --token-stdin --api-access true --api-token-stdin --skip-test </dev/null
is "$rc:$err" "3:azrepos-connect: api-token: only one secret can come from stdin; use --api-token-file F
azrepos-connect: token: standard input: the value is empty
azrepos-connect: 2 errors; nothing was written" \
	"... stdin empty: the token said empty, the API token only refused (never judged by the token's value)"
run http --name twice --token-file "$tap_tmp/t1" --skip-test --output yaml </dev/null
is "$rc:$(printf '%s\n' "$err" | head -n 1)" "2:azrepos-connect: new: --output takes text or json, not 'yaml'" \
	"--output yaml: exit 2, said (not taken as text)"
run http --name twice --token-file "$tap_tmp/t1" --skip-test --write-answers "$tap_tmp" </dev/null
is "$rc:$(printf '%s\n' "$err" | head -n 1)" "3:azrepos-connect: write-answers: $tap_tmp is a folder: give a file name in it" \
	"--write-answers onto a folder: exit 3, said as a folder"
# A dry run with an error writes no answers file either: they would replay a connector never checked.
run http --name 'twice!' --token-file "$tap_tmp/t1" --skip-test --dry-run --write-answers "$tap_tmp/dry-bad.json" </dev/null
like "$rc:$err" "^3:azrepos-connect: name: " "a dry run with an invalid name: exit 3"
[ ! -e "$tap_tmp/dry-bad.json" ]
ok $? "... and no answers file written"
run http --name twice --token-file "$tap_tmp/t1" --ssh-key-file "$AZF_SSH_KEY" --skip-test </dev/null
is "$rc:$err" "3:azrepos-connect: ssh-key: only used with connection ssh: leave it out
azrepos-connect: 1 error; nothing was written" "an SSH key given with HTTP: exit 3, said (not dropped quietly)"
# A list's flag repeated: each value taken, none replacing the one before.
run http --name twice --token-file "$tap_tmp/t1" --tags team:web --tags prod --skip-test --dry-run \
	--write-answers "$tap_tmp/tags.json" </dev/null
is "$rc:$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tags"])' "$tap_tmp/tags.json" 2>&1)" \
	"0:['team:web', 'prod']" "--tags given twice: both values kept"
is "$(files)" "$before" "nothing written for any of these"

# A password stored under the token's id, of the same value: a secret of another kind, not this
# run's token already in place (a rerun): refused as any secret already there.
printf 'tok-one' | az secret set pw --kind password >/dev/null 2>&1
run http --name pwtok --token-file "$tap_tmp/t1" --token-secret pw --skip-test </dev/null
like "$rc:$err" "^3:azrepos-connect: token: the store already has a secret 'pw': to use it, give no new value \(no --token-file or --token-stdin\);" \
	"a token of the value of a stored password, under its id: exit 3, said (its id given: not to be given again)"
[ ! -e "$home/connectors/pwtok.json" ]
ok $? "... no connector saved"

# A token in a path (an answers file named after it by mistake): withheld in --output json's errors too.
run az new --non-interactive --answers "$tap_tmp/$pat.json" --skip-test --output json </dev/null
like "$rc:$out" '^3:.*"field":"answers","message":"cannot read [^"]*\(a token, not shown\)\.json: No such file or directory"' \
	"an answers file not there, a token in its name: exit 3, the token withheld in the JSON error"
unlike "$out" "abcdefghijklmnop" "... repeated nowhere in the JSON"

# A key that is not RSA, its passphrase named (in the store), no key file to open the store: the
# key's error is said with the others all the same.
run "$bin" --home "$tap_tmp/home-nokeyfile" new --non-interactive --name 'ed!' --url-type repo --connection ssh \
	--url "$AZF_SSH_URL" --ssh-key-file "$top_srcdir/tests/data/sshkey/ed25519" --ssh-key-passphrase-secret pp \
	--skip-test </dev/null
is "$rc" 3 "an ed25519 key, its passphrase named, and an invalid name: exit 3"
like "$err" "^azrepos-connect: ssh-key: the SSH key is ssh-ed25519: Azure DevOps accepts only RSA keys; generate one with ssh-keygen -t rsa -b 4096" \
	"... the key's error said too, with how to make an RSA key (no wizard's F3 on the command line)"
like "$err" "^azrepos-connect: name: " "... and the name's"

# A home that is a file, not a folder (a typo): said before anything else (exit 1), never as a
# secret missing from "no secret store yet".
: >"$tap_tmp/home-is-a-file"
run "$bin" --home "$tap_tmp/home-is-a-file" new --non-interactive --name 'tt!' --url-type repo --url "$repo_url" \
	--username ci --token-secret tt --skip-test </dev/null
is "$rc:$(printf '%s\n' "$err" | grep -c 'no secret store yet'):$err" \
	"1:0:azrepos-connect: $tap_tmp/home-is-a-file is not a folder: give a folder as the home (--home DIR, or AZREPOS_CONNECT_HOME); one not there yet is made" \
	"a home that is a file, an invalid name: exit 1, the home said, no store said missing"
