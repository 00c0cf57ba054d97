# `edit ID --non-interactive` against the local Azure stand-ins: the saved
# values are the start and only what is given changes; a new token replaces
# the stored one under its id; a switch to SSH drops the HTTP fields; the
# identifier cannot change; a failing check or invalid input writes nothing.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
tap_fixtures
plan 92

tap_keyed_home
repo_url="$AZF_BASE/$AZF_ORG/$AZF_PROJECT/_git/$AZF_REPO"
conn="$home/connectors/web.json"
printf 'not-the-token' >"$tap_tmp/wrong"
# The connector file and the store, to show a refused edit wrote nothing.
state() { cat "$conn" "$home/secrets.store" | sha256sum; }

run az new --non-interactive --name web --description "first" --url-type repo --connection http \
	--url "$repo_url" --username "$AZF_USER" --token-file "$tap_tmp/wrong" --skip-test </dev/null
is "$rc" 0 "a connector saved with a wrong token (no test)"

# A new token given: it replaces the stored one, under the same id, once the check passes.
run az edit web --non-interactive --token-file "$AZF_TOKEN_FILE" --ca-file "$AZF_CA" </dev/null
is "$rc" 0 "edit with the right token: exit 0"
like "$out" "ok +git-http" "the check ran with the new token"
like "$out" "saved connector 'web'" "and saved"
SSLKEYLOGFILE="$tap_tmp/keylog" run az test web --ca-file "$AZF_CA"
is "$rc" 0 "'test web' passes: the stored token was replaced"
[ ! -e "$tap_tmp/keylog" ]
ok $? "SSLKEYLOGFILE is ignored: no TLS keys written that would show the token in a capture"
run az show web --json
like "$out" '"description":[[:space:]]*"first"' "the fields not given keep their saved values"
like "$out" '"token-secret":[[:space:]]*"web-token"' "the token keeps its store id"
run az secret list
is "$(printf '%s\n' "$out" | sed 1d | wc -l)" 1 "one secret in the store (replaced, not added)"
# The same run again (a playbook's rerun): the value stored is the one given, so nothing changes.
before=$(state)
run az edit web --non-interactive --token-file "$AZF_TOKEN_FILE" --ca-file "$AZF_CA" --output json </dev/null
like "$rc:$out" '^0:.*"saved":true,"changed":false' "the same token again: saved, changed false"
is "$(state)" "$before" "... neither the store nor the file rewritten"
like "$out" '"check":null' "... and nothing tested: the check is for a change ('test' runs one)"
like "$err" "note: --ca-file not used: the edit changes nothing, so it runs no connection test" \
	"... the --ca-file given is said to be unused"
# Nothing given at all: no test (it would fail here: the local CA is not trusted without --ca-file).
run az edit web --non-interactive </dev/null
like "$rc,$out" "^0,connector 'web' unchanged: nothing written, nothing tested \(to test it: [^ ]*azrepos-connect --home $home --key-file $key test web\)\$" \
	"an edit with nothing new: exit 0, nothing tested, and the command that tests it"

# Only what is given changes; the answers file and flags work as for new (flags win).
printf '{"description": "from answers", "tags": ["team:web"]}\n' >"$tap_tmp/a.json"
run az edit web --non-interactive --answers "$tap_tmp/a.json" --tags prod --skip-test </dev/null
is "$rc" 0 "edit from an answers file and a flag: exit 0"
run az show web --json
like "$out" '"description":[[:space:]]*"from answers"' "the answers file's value is in"
like "$out" '"tags":[[:space:]]*\[[[:space:]]*"prod"[[:space:]]*\]' "the flag wins over the file"
like "$out" "\"url\":[[:space:]]*\"$repo_url\"" "the URL is as saved"

# Refusals: nothing written.
before=$(state)
run az edit web --non-interactive --identifier other --skip-test </dev/null
is "$rc" 3 "another identifier: exit 3"
like "$err" "identifier: a saved connector keeps its identifier \('web'\)" "the message says why"
[ ! -e "$home/connectors/other.json" ]
ok $? "no other connector file appears"
run az new --non-interactive --name taken --url-type repo --connection http --url "$repo_url" --username u \
	--token-secret web-token --skip-test </dev/null
run az edit web --non-interactive --identifier taken --skip-test </dev/null
is "$rc:$(printf '%s\n' "$err" | grep -c '^azrepos-connect: identifier:')" "3:1" \
	"the identifier of another connector: said once, as the one a saved connector keeps"
run az edit web --non-interactive --url "https://dev.azure.com/contoso/Web App/_git/x" --name 'x!' \
	--skip-test </dev/null
is "$rc" 3 "invalid values: exit 3"
is "$(printf '%s\n' "$err" | grep -c -e '^azrepos-connect: url:' -e '^azrepos-connect: name:')" 2 \
	"each invalid field is reported"
# What a flag gave is said as the flag's; what the saved file holds is said with its file and key.
has "$err" "azrepos-connect: url: " "a URL given now: said"
unlike "$err" "as saved in" "... as the flag's, not the file's"
cp "$conn" "$tap_tmp/web.json.orig"
sed -i 's|"url":[[:space:]]*"[^"]*"|"url": "https://github.com/contoso/web"|' "$conn"
run az edit web --non-interactive --description changed --skip-test </dev/null
like "$rc:$err" "^3:azrepos-connect: url: github\.com is GitHub, not Azure DevOps: .* \(as saved in $home/connectors/web\.json, key 'url'\)" \
	"a bad value in the saved file: said with its file and key, not as if a flag gave it"
sed -i 's|"token-secret":[[:space:]]*"[^"]*"|"token-secret": "gone-token"|; s|"url":[[:space:]]*"[^"]*"|"url": "'"$repo_url"'"|' "$conn"
run az edit web --non-interactive --description changed --skip-test </dev/null
like "$rc:$err" "^3:azrepos-connect: token: no secret 'gone-token' in the store \(as saved in $home/connectors/web\.json, key 'token-secret'\): " \
	"a missing secret the saved file names: its key in the file is token-secret"
cp "$tap_tmp/web.json.orig" "$conn"
run az edit web --non-interactive --name 'x!' --token-secret no-such-secret --skip-test </dev/null
is "$rc" 3 "an invalid name and a secret id not in the store: exit 3"
like "$err" "name: .*not allowed" "the name is reported"
like "$err" "token: no secret 'no-such-secret' in the store" "and, in the same run, the missing secret"
run az edit web --non-interactive --token-secret web-tokn --skip-test </dev/null
is "$rc:$err" "3:azrepos-connect: token: no secret 'web-tokn' in the store (did you mean 'web-token'?): add it with 'azrepos-connect --home $home --key-file $key secret set web-tokn' or give --token-file F
azrepos-connect: 1 error; nothing was written" "a store id mistyped: the one meant is offered"
run az edit web --non-interactive --token-file "$tap_tmp/wrong" --ca-file "$AZF_CA" </dev/null
is "$rc" 4 "a new token the server rejects: exit 4"
is "$(state)" "$before" "refused edits changed neither the file nor the store"
run az test web --ca-file "$AZF_CA"
is "$rc" 0 "the stored token is still the right one"

# A dry run changes nothing but the answers file asked for, and says so.
before=$(state)
run az edit web --non-interactive --description "dry" --dry-run --write-answers "$tap_tmp/dry.json" \
	--skip-test </dev/null
is "$rc" 0 "edit --dry-run: exit 0"
has "$err" "nothing was written but the answers file $tap_tmp/dry.json" "it names the one file it wrote"
is "$(state)" "$before" "the connector and the store are unchanged"
grep -q '"description":[[:space:]]*"dry"' "$tap_tmp/dry.json"
ok $? "the answers file holds the values the edit would save"

# To SSH: the HTTP fields that no longer apply go; the key is stored under the connector's id.
run az edit web --non-interactive --connection ssh --url "$AZF_SSH_URL" --ssh-key-file "$AZF_SSH_KEY" \
	--accept-host-key "$AZF_SSH_HOSTKEY_FP" </dev/null
is "$rc" 0 "edit to SSH: exit 0"
like "$out" "ok +git-ssh" "the SSH check passed"
run az show web --json
unlike "$out" '"username"|"token-secret"' "the username and token no longer in the connector"
like "$out" '"ssh-key-secret":[[:space:]]*"web-ssh-key"' "the key under its default store id"
unlike "$out" "secret rm" "its old token, which 'taken' names too, is not offered for removal"
# The old token named by no connector now: it stays in the store, said with the command that removes it.
printf 'taken-token-value' >"$tap_tmp/taken"
run az edit taken --non-interactive --token-file "$tap_tmp/taken" --token-secret taken-token --skip-test \
	</dev/null
has "$out" "No saved connector uses this secret any more; it is not removed from the secret store. To remove it:" \
	"an edit that leaves a secret unused says so"
has "$out" "  azrepos-connect --home $home --key-file $key secret rm web-token" "with the command that removes it"
run az edit taken --non-interactive --description again --skip-test --json </dev/null
printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["changed"] and d["unused_secrets"] == [] else 1)'
ok $? "said once: the next edit has none (in JSON, too)"

# An answers file refused: the JSON still names the connector edited.
printf '{"no-such-key": 1}' >"$tap_tmp/bad.json"
run az edit web --non-interactive --answers "$tap_tmp/bad.json" --skip-test --json </dev/null
like "$rc:$out" '^3:.*"identifier":"web","saved":false' "an edit's answers file refused: exit 3, its JSON names 'web'"

# An encrypted key replaced by one without a passphrase: its passphrase goes from the connector,
# and is said unused.
keys="$top_srcdir/tests/data/sshkey"
printf '%s' "$(sed -n 's/.*#define PASS "\(.*\)"/\1/p' "$top_srcdir/tests/unit/test_sshkey.c")" >"$tap_tmp/kpass"
run az new --non-interactive --name enc --url-type repo --connection ssh --url "$AZF_SSH_URL" \
	--ssh-key-file "$keys/rsa_openssh_enc" --ssh-key-passphrase-file "$tap_tmp/kpass" --skip-test </dev/null
run az edit enc --non-interactive --ssh-key-file "$keys/rsa_openssh" --skip-test </dev/null
like "$rc:$(cat "$home/connectors/enc.json")" "^0:" "an edit to a key without a passphrase: exit 0"
unlike "$(cat "$home/connectors/enc.json")" "passphrase" "... the connector names no passphrase any more"
has "$out" "secret rm enc-ssh-key-passphrase" "... said unused, with the command that removes it"
run az edit enc --non-interactive --ssh-key-file "$keys/rsa_openssh" --ssh-key-passphrase-secret enc-ssh-key-passphrase \
	--skip-test </dev/null
# (The key file of the source tree is not 0600 in a clone: its note is not what is tested here.)
like "$rc:$(printf '%s\n' "$err" | grep -v ': note: ')" "^3:azrepos-connect: ssh-key-passphrase: the SSH key has no passphrase: leave this out" \
	"... a passphrase named on the command line for it: refused, as one given as a value is (exit 3)"

# The API token that is the HTTP token's secret follows it to a new store id.
run az new --non-interactive --name api --url-type repo --connection http --url "$repo_url" --username u \
	--token-secret web-token --api-access true --skip-test </dev/null
run az edit api --non-interactive --token-secret api-token --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
run az show api --json
like "$out" '"api-token-secret":[[:space:]]*"api-token"' "a new --token-secret: the API token that shared it follows"
# A fault of the token the API token shares is said once, on the token (no fix for a flag not given).
run az edit api --non-interactive --token-secret api-tokn --skip-test </dev/null
like "$rc:$err" "^3:azrepos-connect: token: no secret 'api-tokn' in the store \(did you mean 'api-token'\?\)" \
	"a mistyped --token-secret the API token follows: said on the token (exit 3) ..."
has "$err" "azrepos-connect: 1 error; nothing was written" "... once, not again for the API token"
run az edit api --non-interactive --token-stdin --skip-test </dev/null
is "$rc:$err" "3:azrepos-connect: token: standard input: the value is empty
azrepos-connect: 1 error; nothing was written" "an empty token the API token shares: one error, the token's"

# Errors of use.
before=$(state)
run az edit web --non-interactive --ssh-key-secret '' --skip-test </dev/null
is "$rc" 3 "an empty --KEY-secret: exit 3 (not a store error)"
has "$err" "ssh-key: --ssh-key-secret needs a store id ('azrepos-connect --home $home --key-file $key secret list' shows them)" \
	"the message names the flag, and the command that lists this store's ids"
is "$(state)" "$before" "nothing written"
run az edit nope --non-interactive --skip-test </dev/null
like "$err" "no connector 'nope'" "an unknown id is named"
run az edit nope --non-interactive --skip-test --json </dev/null
like "$rc:$out" '^1:\{.*"identifier":"nope","saved":false' "... and in JSON, the object names it too"
run "$bin" --home "$home" edit web </dev/null
is "$rc" 2 "no terminal and no --non-interactive: exit 2 at once"
has "$err" "for scripts use 'azrepos-connect --home $home edit web --non-interactive' with flags" \
	"and the message gives the way for scripts, for this connector in this --home"
run "$bin" --home "$home" edit 'we b' </dev/null
has "$err" "edit ID --non-interactive" "an id a command line cannot carry as it is: 'ID' in its place"

# A value of another kind over a secret a connector uses: refused, the store as it was.
before=$(state)
run az secret set web-ssh-key --kind token --from-file "$tap_tmp/taken" </dev/null
is "$rc:$err" "3:azrepos-connect: connector web needs a ssh-private-key as 'web-ssh-key': a token stored there would break it; give another id" \
	"secret set of another kind over a key a connector uses: exit 3, said"
is "$(state)" "$before" "... nothing written"
# Its key gone: the commands that store it again say its kind, or take it from the connector.
run az secret rm web-ssh-key --yes </dev/null
has "$out" "Connector web now names a secret that is gone: give it one with 'azrepos-connect --home $home --key-file $key secret set web-ssh-key --kind ssh-private-key --from-file KEY'" \
	"secret rm of a key a connector uses: the command given says its kind, and where the key comes from"
run az secret set web-ssh-key --from-file "$AZF_SSH_KEY" </dev/null
like "$rc:$out" "^0:Saved secret web-ssh-key \(ssh-private-key\)" \
	"secret set of an id a connector names as its key: stored as a key without --kind"
run az secret set web-ssh-key --from-file "$AZF_SSH_KEY_OPENSSH" </dev/null
is "$rc:$out" "0:Saved secret web-ssh-key (ssh-private-key).
The secret 'web-ssh-key' is used by connector web, which now gets the new value." \
	"secret set over a stored secret a connector uses: that connector named"
run az secret rm web-ssh-key --yes </dev/null
run az test web
has "$err" "store it again with 'azrepos-connect --home $home --key-file $key secret set web-ssh-key --kind ssh-private-key --from-file KEY'" \
	"a missing SSH key: the command that stores it again has --kind ssh-private-key --from-file KEY"
# A connector file refused as it is may name any secret: removing one asks, naming that file.
printf '{"schema": 1, "name": "bad", "colour": "blue"}\n' >"$home/connectors/bad.json"
run az secret set lone --from-file "$tap_tmp/taken" </dev/null
run az secret rm lone </dev/null
like "$rc:$err" "^2:.*secret rm: the file of connector bad is refused as it is, and may name 'lone': pass --yes" \
	"secret rm beside a refused connector file: asks (exit 2 without a terminal), naming it"
# ... and a secret an edit or a delete leaves named by no connector read: not offered, and said why.
run az new --non-interactive --name maybe --url-type repo --url "$repo_url" --username u \
	--token-file "$tap_tmp/taken" --skip-test </dev/null
run az edit maybe --non-interactive --token-secret lone --skip-test --json </dev/null
printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["unused_secrets"] == [] and "No connector read names the secret maybe-token now, but a connector file that is refused may (see '"'list'"'): not offered for removal." in d["messages"] else 1)'
ok $? "an edit beside a refused connector file: its old secret not offered as unused, and the JSON says why"
run az delete maybe --yes </dev/null
is "$rc:$out" "0:Deleted connector 'maybe'.
No connector read names the secret lone now, but a connector file that is refused may (see 'list'): not offered for removal." \
	"a delete beside it: the same said, no 'secret rm' offered"
rm "$home/connectors/bad.json"
# A new value under an id another connector names: that one gets it too, and that is said.
run az new --non-interactive --name share2 --url-type repo --connection http --url "$repo_url" --username u \
	--token-secret api-token --skip-test </dev/null
run az edit api --non-interactive --token-file "$tap_tmp/taken" --skip-test </dev/null
has "$out" "The secret 'api-token' is also used by connector share2, which now gets the new value too." \
	"an edit's new value under a shared id: the other connector is named"

# A key made here (secret set --generate) replaced by an edit: its .pub, the public key of the
# old key, goes, and that is said.
run az secret set gen-key --generate </dev/null
run az new --non-interactive --name gen --url-type repo --connection ssh --url "$AZF_SSH_URL" \
	--ssh-key-secret gen-key --skip-test </dev/null
is "$rc:$(test -f "$home/gen-key.pub" && echo pub)" "0:pub" "a connector naming a key made here: saved, its .pub there"
run az edit gen --non-interactive --ssh-key-file "$AZF_SSH_KEY" --skip-test </dev/null
is "$rc" 0 "an edit that gives that connector another key: exit 0"
[ ! -e "$home/gen-key.pub" ]
ok $? "... the .pub of the key replaced is gone"
has "$err" "Removed $home/gen-key.pub: it held the public key of the SSH key replaced." "... and that is said"

# An API token of its own, given as a value: stored under an id of its own, not over the HTTP token.
printf 'api-only-value' >"$tap_tmp/api-only"
run az new --non-interactive --name apiown --url-type repo --connection http --url "$repo_url" --username u \
	--token-file "$tap_tmp/taken" --api-access true --api-token-file "$tap_tmp/api-only" --skip-test </dev/null
run az show apiown --json
like "$rc:$out" '"api-token-secret":[[:space:]]*"apiown-api-token"' "a separate API token value: under its own default id"
is "$(az secret get apiown-token </dev/null)" "taken-token-value" "... the HTTP token keeps its own value"
# An edit giving an API token value where the API token shares the HTTP token's secret: the
# value goes under an id of its own, never over the HTTP token's; the same edit again changes nothing.
run az new --non-interactive --name apishare --url-type repo --connection http --url "$repo_url" --username u \
	--token-file "$tap_tmp/taken" --api-access true --skip-test </dev/null
run az edit apishare --non-interactive --api-token-file "$tap_tmp/api-only" --skip-test --output json </dev/null
like "$rc:$out" '^0:.*"changed":true' "an API token value given to an edit of a shared one: saved"
run az show apishare --json
like "$out" '"api-token-secret":[[:space:]]*"apishare-api-token"' "... under the API token's own default id"
is "$(az secret get apishare-token </dev/null):$(az secret get apishare-api-token </dev/null)" \
	"taken-token-value:api-only-value" "... the HTTP token keeps its value, the API token has the new one"
run az edit apishare --non-interactive --api-token-file "$tap_tmp/api-only" --skip-test --output json </dev/null
like "$rc:$out" '^0:.*"changed":false' "the same edit again: nothing changes"
# One store id chosen for both tokens, with two values: refused before anything is written.
before=$(state)
run az new --non-interactive --name twovals --url-type repo --connection http --url "$repo_url" --username u \
	--token-secret both --api-token-secret both --token-file "$tap_tmp/taken" --api-access true \
	--api-token-file "$tap_tmp/api-only" --skip-test </dev/null
is "$rc:$err" "3:azrepos-connect: api-token: the token and the API token name the same store id 'both', with two values: give the API token another id (--api-token-secret ID), or one value for both
azrepos-connect: 1 error; nothing was written" "one id for two token values: exit 3, said"
is "$(state):$(test -e "$home/connectors/twovals.json" && echo file)" "$before:" "... nothing written"
run az new --non-interactive --name onevalue --url-type repo --connection http --url "$repo_url" --username u \
	--token-secret one --api-token-secret one --token-file "$tap_tmp/taken" --api-access true \
	--api-token-file "$tap_tmp/taken" --skip-test </dev/null
is "$rc:$(az secret get one </dev/null)" "0:taken-token-value" "one id for both with one value: saved, one secret"
# A new scope: the secret scope that was the old one's default follows it; one chosen stays.
run az new --non-interactive --name scoped --url-type repo --connection http --url "$repo_url" --username u \
	--token-secret one --scope project --org o --project p --skip-test </dev/null
run az edit scoped --non-interactive --scope account --skip-test </dev/null
is "$rc" 0 "an edit to account scope: exit 0"
run az show scoped --json
like "$rc:$out" '"secret-scope":[[:space:]]*"account"' "an edit to account scope: the default secret scope follows (project was the default)"
run az edit scoped --non-interactive --scope org --org o --secret-scope account --skip-test </dev/null
is "$rc" 0 "an edit to org scope, the secret scope chosen: exit 0"
run az edit scoped --non-interactive --scope project --org o --project p --skip-test </dev/null
is "$rc" 0 "an edit to project scope: exit 0"
run az show scoped --json
printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["scope"] == "project" and d["secret-scope"] == "account" else 1)'
ok $? "... a secret scope chosen stays with a new scope"
