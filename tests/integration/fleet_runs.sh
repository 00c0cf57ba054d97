# Runs as a fleet's scripts make them: a token given where a path or an id goes
# is never repeated; text that is not UTF-8 is refused; two runs saving one
# identifier at once save it once; a dry run reads the store as the real run;
# no store to save in is said before the check; JSON whenever asked; answers
# from a link, a pipe or stdin; an option's value forgotten.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
tap_fixtures
plan 106

tap_keyed_home
repo_url="$AZF_BASE/$AZF_ORG/$AZF_PROJECT/_git/$AZF_REPO"
token=$(cat "$AZF_TOKEN_FILE")
# http ARGS: a new HTTP connector, its URL unless ARGS give one (a flag twice is refused).
http() {
	d_url=$repo_url
	for a in "$@"; do [ "$a" = --url ] && d_url=; done
	az new --non-interactive --url-type repo ${d_url:+--url "$d_url"} --username ci "$@"
}
files() { find "$home" "$key" -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort; }
jv() { printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1" 2>&1; }

run http --name web --token-file "$AZF_TOKEN_FILE" --ca-file "$AZF_CA" </dev/null
is "$rc" 0 "(a connector 'web' saved, with its store)"

# --- the token where a file's name, an id or a fingerprint goes: said, never repeated
before=$(files)
# (Each with the exit status it ends with: a case that never got as far is seen.)
for how in "3 http --name t1 --token-file $token --skip-test" \
           "3 http --name t2 --answers $token --skip-test" \
           "3 http --name t3 --token-file $token --skip-test --output json" \
           "3 az secret set t4 --from-file $token" \
           "2 az test web --ca-file $token" \
           "2 az test web --accept-host-key $token" \
           "3 az show $token" \
           "3 az edit $token --non-interactive --output json"; do
	run ${how#? } </dev/null
	what=$(printf '%s' "${how#? }" | sed "s/$token/<token>/")
	is "$rc" "${how%% *}" "$what: exit ${how%% *}"
	unlike "$out$err" "${token%????????????????????????????????????}" "$what: the token is not repeated"
done
is "$(files)" "$before" "and nothing was written"
run http --name t1 --token-file "$token" --skip-test </dev/null
like "$err" "^azrepos-connect: token: that looks like the token itself, not the name of a file holding it \(not shown\): revoke it" \
	"--token-file <token>: what it is, and what to do"
run "$bin" --home "$home" --key-file "$token" secret list </dev/null
is "$rc" 3 "--key-file <token>: no such key file (exit 3)"
unlike "$out$err" "${token%????????????????????????????????????}" "... and the token is not repeated"
run az show "$token" </dev/null
like "$rc:$err" "^3:.*this looks like a Personal Access Token, not an identifier" "show <token>: refused as a token, exit 3"

# --- text that is not UTF-8 (a file saved as Latin-1): refused, with where, nothing written
before=$(files)
run http --name latin --description "$(printf 'caf\351 menu')" --token-secret web-token --skip-test </dev/null
is "$rc" 3 "a description in Latin-1: exit 3"
is "$err" "azrepos-connect: description: a byte that is not UTF-8 (0xE9) at character 4: give the text in UTF-8 (a file saved in another encoding, or a terminal not set to UTF-8?)
azrepos-connect: 1 error; nothing was written" "the byte, where it is, and the way out"
printf '{"name": "latin", "tags": ["team:caf\351"]}' >"$tap_tmp/latin.json"
run http --answers "$tap_tmp/latin.json" --token-secret web-token --skip-test </dev/null
like "$rc:$err" "^3:azrepos-connect: tags: a byte that is not UTF-8 \(0xE9\): give the text in UTF-8" \
	"in an answers file's list too (exit 3)"
is "$(files)" "$before" "nothing written for either"
run http --name cafe --description "café ü 東京 – ok" --tags "équipe:paiements" --token-secret web-token --skip-test </dev/null
is "$rc" 0 "UTF-8 text beyond ASCII is taken"
run az export cafe --format yaml </dev/null
like "$out" "^  description: café ü 東京 – ok$" "and exported as it is"
# Long names beyond ASCII in a wrong URL: the messages about it, whole, are UTF-8 JSON a playbook parses.
p60=$(printf 'é%.0s' $(seq 60)); r50=$(printf 'ü%.0s' $(seq 50)); o49=$(printf 'o%.0s' $(seq 49))
run http --name x --url "https://dev.azure.com/$o49/$p60/_git/$r50.git" --token-secret web-token --skip-test \
	--output json </dev/null
is "$rc:$(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.stdin.buffer.read().decode("utf-8")); print(d["errors"][0]["field"])' 2>&1)" \
	"3:url" "a long message beyond ASCII: valid UTF-8 JSON (exit 3)"

# --- two runs saving one new identifier at once: one saves, the others replace nothing
for i in 1 2 3 4 5 6; do
	(http --name race --description "run $i" --token-secret web-token --ca-file "$AZF_CA" </dev/null \
		>"$tap_tmp/race$i.out" 2>&1; echo "rc=$?" >>"$tap_tmp/race$i.out") &
done
wait
is "$(cat "$tap_tmp"/race?.out | grep -c '^rc=0$')" 1 "six runs saving 'race' at once: exactly one saves"
is "$(cat "$tap_tmp"/race?.out | grep -c '^rc=3$')" 5 "the other five exit 3"
winner=$(grep -l '^rc=0$' "$tap_tmp"/race?.out | sed 's/.*race\(.\)\.out/\1/')
like "$(cat "$home/connectors/race.json")" "\"description\":	\"run $winner\"" "the file is the one of the run that said it saved"

# ... each with a new token: the losers exit 3 too, the taken identifier in their errors (not "busy")
for i in 1 2 3 4 5 6; do
	(http --name race2 --token-file "$AZF_TOKEN_FILE" --ca-file "$AZF_CA" --output json </dev/null \
		>"$tap_tmp/race2-$i.out" 2>&1; echo "rc=$?" >>"$tap_tmp/race2-$i.out") &
done
wait
is "$(cat "$tap_tmp"/race2-?.out | grep -c '^rc=0$'),$(cat "$tap_tmp"/race2-?.out | grep -c '^rc=3$')" "1,5" \
	"six runs saving 'race2' with a new token at once: one saves, five exit 3"
is "$(grep -l '"errors":\[{"field":"identifier"' "$tap_tmp"/race2-?.out | wc -l)" 5 \
	"... each loser's first error is the identifier's"

# --- first runs at once in a new home: one makes the key file and the store, all save into them
fresh="$tap_tmp/fresh"
for i in 1 2 3 4 5 6; do
	("$bin" --home "$fresh" --key-file "$tap_tmp/fresh.key" new --non-interactive --name "first$i" --url-type repo \
		--url "$repo_url" --username ci --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null \
		>"$tap_tmp/first$i.out" 2>&1; echo "rc=$?" >>"$tap_tmp/first$i.out") &
done
wait
is "$(cat "$tap_tmp"/first?.out | grep -c '^rc=0$')" 6 "six first runs in a new home at once: all six save"
run "$bin" --home "$fresh" --key-file "$tap_tmp/fresh.key" secret list </dev/null
is "$rc,$(printf '%s\n' "$out" | grep -c '^first[1-6]-token ')" "0,6" "... their six tokens in the one store, its key the one file"

# --- two runs making a key under one id at once: one keeps its key, the other says it kept none
for i in 1 2; do
	(az secret set gen-at-once --generate </dev/null >"$tap_tmp/gen$i.out" 2>&1; echo "rc=$?" >>"$tap_tmp/gen$i.out") &
done
wait
is "$(cat "$tap_tmp"/gen?.out | grep -c '^rc=0$'),$(grep -l 'meanwhile: this key is not kept' "$tap_tmp"/gen?.out | wc -l)" "1,1" \
	"two --generate of one id at once: one stores its key, the other exits 3 and says so"

# --- edits at once: none is lost (a run saving over a change it did not see is refused, exit 15)
lost=0 unsaid=0
for round in 1 2 3; do
	(az edit web --non-interactive --ca-file "$AZF_CA" --description "d$round" </dev/null >/dev/null 2>"$tap_tmp/ea.err"
	 echo "$?" >"$tap_tmp/ea.rc") &
	(az edit web --non-interactive --ca-file "$AZF_CA" --tags "t$round" </dev/null >/dev/null 2>"$tap_tmp/eb.err"
	 echo "$?" >"$tap_tmp/eb.rc") &
	wait
	saved=$(cat "$home/connectors/web.json")
	[ "$(cat "$tap_tmp/ea.rc")" = 0 ] && ! printf '%s' "$saved" | grep -q "\"d$round\"" && lost=$((lost + 1))
	[ "$(cat "$tap_tmp/eb.rc")" = 0 ] && ! printf '%s' "$saved" | grep -q "\"t$round\"" && lost=$((lost + 1))
	for r in ea eb; do
		case "$(cat "$tap_tmp/$r.rc")" in
		0) ;;
		15) grep -q "was changed by another run since this edit read it: nothing was saved" "$tap_tmp/$r.err" ||
			unsaid=$((unsaid + 1)) ;;
		*) unsaid=$((unsaid + 1)) ;;
		esac
	done
	run az edit web --non-interactive --skip-test --description "" --tags "" </dev/null
done
is "$lost" 0 "two edits at once, three times: every edit that said it saved is in the file"
is "$unsaid" 0 "... and every one that did not save exited 15, saying another run changed it"

# --- a connector deleted while an edit of it runs its check: the edit does not bring it back
run http --name gone --token-secret web-token --skip-test </dev/null
silent_before=$(wc -l <"$AZF_SILENT_LOG")
(az edit gone --non-interactive --url "https://127.0.0.1:$AZF_SILENT_PORT/contoso/Payments/_git/payments-api" \
	--timeout 3 --save-on-failure </dev/null >/dev/null 2>"$tap_tmp/gone.err"; echo "$?" >"$tap_tmp/gone.rc") &
# The edit is in its check once the silent server has its connection.
for _ in $(seq 100); do [ "$(wc -l <"$AZF_SILENT_LOG")" -gt "$silent_before" ] && break; sleep 0.1; done
run az delete gone --yes </dev/null
wait
is "$rc,$(cat "$tap_tmp/gone.rc")" "0,15" "deleted during the edit's check: the delete exits 0, the edit 15"
like "$(cat "$tap_tmp/gone.err")" "connector 'gone' was deleted by another run since this edit read it: nothing was saved; to have it again, make it with 'new'" \
	"... saying why, and how to have it again (an edit could not)"
[ ! -e "$home/connectors/gone.json" ]
ok $? "... and the connector stays deleted"

# --- a dry run reads the store as the real run: a new secret's id already stored is refused
printf '{"name": "dry", "identifier": "dry"}' >"$tap_tmp/dry.json"
printf 'another-token' >"$tap_tmp/other-token"
run az secret set dry-token --from-file "$tap_tmp/other-token" </dev/null
run http --answers "$tap_tmp/dry.json" --token-file "$AZF_TOKEN_FILE" --dry-run --skip-test </dev/null
is "$rc" 3 "dry run storing a new token under an id already stored: exit 3, as the real run"
like "$err" "^azrepos-connect: token: the store already has a secret 'dry-token'" "with the same message"
run http --answers "$tap_tmp/dry.json" --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
is "$rc" 3 "(the real run: exit 3 too)"

# --- no store yet, and no way to make one: said at once, before the check
bare="$tap_tmp/bare"
before=$(find "$AZF_SILENT_LOG" -printf '%s')
run "$bin" --home "$bare" new --non-interactive --name late --url-type repo \
	--url "https://127.0.0.1:$AZF_SILENT_PORT/contoso/Payments/_git/x" --username ci \
	--token-file "$AZF_TOKEN_FILE" --timeout 30 </dev/null
is "$rc" 2 "no key file, no credential, no terminal, a token to store: exit 2"
like "$err" "^azrepos-connect: there is no secret store yet \\($bare/secrets.store\\) and no terminal to ask a new one's passphrase on: give --key-file F \\(a new key file is made when F does not exist\\)" \
	"said as it is: no store yet (not one whose passphrase is wanted), and the way out"
is "$(find "$AZF_SILENT_LOG" -printf '%s')" "$before" "said before the check: the server was never contacted"
ok "$([ ! -e "$bare" ]; echo $?)" "nothing made"
# The same as a dry run: it makes no store, but it is the run it tries that cannot.
run "$bin" --home "$bare" new --non-interactive --dry-run --name late --url-type repo \
	--url "https://127.0.0.1:$AZF_SILENT_PORT/contoso/Payments/_git/x" --username ci \
	--token-file "$AZF_TOKEN_FILE" --timeout 30 </dev/null
is "$rc:$(printf '%s\n' "$err" | tail -n 1)" "2:azrepos-connect: the dry run stops here: the run itself would fail so" \
	"a dry run: exit 2 too, and it says the run itself would fail so"
ok "$([ ! -e "$bare" ]; echo $?)" "... nothing made"
# A credential folder without the store's key (a unit loading it under another name): said too.
mkdir "$tap_tmp/creds"
run env CREDENTIALS_DIRECTORY="$tap_tmp/creds" "$bin" --home "$bare" new --non-interactive --name late --url-type repo \
	--url "https://127.0.0.1:$AZF_SILENT_PORT/contoso/Payments/_git/x" --username ci \
	--token-file "$AZF_TOKEN_FILE" --timeout 30 </dev/null
like "$rc:$err" "^2:.*there is no secret store yet .*\(\\\$CREDENTIALS_DIRECTORY $tap_tmp/creds holds no azrepos-connect.key\)$" \
	"no store yet, a credential folder without its key: that folder is named"
# A store id named with no store yet: a field's error, with the others (exit 3).
run "$bin" --home "$bare" new --non-interactive --name x --url-type repo --url "$repo_url" --username ci \
	--token-secret nosuch --description "$(printf 'a\377')" --output json </dev/null
is "$rc" 3 "a store id named and no store yet: exit 3"
is "$(jv '[e["field"] for e in d["errors"]]')" "['description', 'token']" "both errors reported"
like "$(jv 'd["errors"][1]["message"]')" "^no secret 'nosuch' \(there is no secret store yet\): add it with '.* secret set nosuch' or give --token-file F" \
	"the store id's error says how to add it"

# --- JSON whenever asked
run az edit nosuch --non-interactive --output json </dev/null
is "$rc:$(jv 'd["saved"], d["errors"]')" "1:(False, [])" "edit of no such connector, --output json: exit 1, one object"
like "$(jv 'd["messages"][0]')" "^edit: no connector 'nosuch'" "the reason in messages"
run az edit 'bad!' --non-interactive --json </dev/null
is "$rc:$(jv 'd["saved"]')" "3:False" "edit of an id that is not one, --json (as list/show/test spell it): exit 3, one object"
run az secret list --json </dev/null
is "$rc:$(jv '[(s["id"], s["kind"]) for s in d]')" "0:[('dry-token', 'token'), ('gen-at-once', 'ssh-private-key'), ('race2-token', 'token'), ('web-token', 'token')]" \
	"secret list --json: the ids and kinds"
like "$(jv 'd[0]["created"]')" "^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$" "... dates in UTC"
run "$bin" --home "$bare" secret list --json </dev/null
is "$rc:$out" "0:[]" "... an empty array without a store"

# --- answers from a link, a pipe, stdin
printf '{"name": "linked", "description": "from a link"}' >"$tap_tmp/real.json"
ln -s "$tap_tmp/real.json" "$tap_tmp/link.json"
run http --answers "$tap_tmp/link.json" --token-secret web-token --skip-test --dry-run </dev/null
is "$rc" 0 "--answers through a symbolic link"
run http --answers <(cat "$tap_tmp/real.json") --token-secret web-token --skip-test --dry-run </dev/null
is "$rc" 0 "--answers from a pipe (<(...))"
run http --answers - --token-secret web-token --skip-test --output json <"$tap_tmp/real.json"
is "$rc:$(jv 'd["identifier"]')" "0:linked" "--answers - reads stdin"
like "$(cat "$home/connectors/linked.json")" "from a link" "... and saves what it read"
run http --answers - --token-stdin --skip-test <"$tap_tmp/real.json"
like "$rc:$err" "^3:azrepos-connect: answers: standard input is --token-stdin's: give the answers as a file" \
	"--answers - with --token-stdin: refused"
run http --name dash --token-file - --skip-test <"$AZF_TOKEN_FILE"
like "$rc:$err" "^3:azrepos-connect: token: --token-file -: standard input is read with --token-stdin" \
	"--token-file -: the flag that reads stdin"
# A secret's file that is standard input itself, which the answers take: said, not "the value is empty".
for f in /dev/stdin /proc/self/fd/0; do
	run http --answers - --token-file "$f" --skip-test <"$tap_tmp/real.json"
	like "$rc:$err" "^3:azrepos-connect: token: --token-file $f is standard input, which --answers - reads: give the value in a file of its own" \
		"--answers - with --token-file $f: refused, saying why"
done
run http --name tees --token-stdin --api-access true --api-token-file /dev/stdin --skip-test <"$AZF_TOKEN_FILE"
like "$rc:$err" "^3:azrepos-connect: api-token: --api-token-file /dev/stdin is standard input, which --token-stdin reads" \
	"--token-stdin with --api-token-file /dev/stdin: refused, saying why"
run http --name fromin --token-file /dev/stdin --skip-test --dry-run <"$AZF_TOKEN_FILE"
is "$rc" 0 "--token-file /dev/stdin alone: read"
head -c 70000 /dev/zero | tr '\0' ' ' >"$tap_tmp/big.json"
run http --answers "$tap_tmp/big.json" --skip-test </dev/null
like "$err" "^azrepos-connect: answers: .*big.json is larger than an answers file can be \(64 KiB\)" \
	"an answers file too large: the limit said"

# --- two tokens: the api probe's message says which one it is about
run http --name two --token-file "$AZF_TOKEN_FILE" --api-access true --api-token-file "$AZF_TOKEN_403_FILE" \
	--ca-file "$AZF_CA" --dry-run </dev/null
like "$rc:$out" "^4:" "an API token without Code (Read): exit 4"
like "$out" "^FAILED +api .*the API token lacks Code \(Read\) \(HTTP 403\)" "the api line names the API token"
run http --name one --token-file "$AZF_TOKEN_403_FILE" --api-access true --ca-file "$AZF_CA" --dry-run </dev/null
like "$out" "^FAILED +api .* token lacks Code \(Read\)" "one token for both: the api line says 'token', as git-http's"
unlike "$out" "the API token" "... not 'the API token'"

# --- an option's value forgotten: the next option is not taken for it
run az new --non-interactive --name --url-type repo </dev/null
is "$rc" 2 "--name --url-type repo: a usage error (exit 2)"
is "$(printf '%s\n' "$err" | head -n 1)" "azrepos-connect: new: option '--name' needs a value: '--url-type' is an option" \
	"saying which option lacks its value"
run az test web --ca-file --json </dev/null
like "$rc:$err" "^2:azrepos-connect: test: option '--ca-file' needs a value: '--json' is an option" "the same for test"
# A toggle or choice with its value left out (a bare '--allow-http'): the values it takes are said.
run az new --non-interactive --name w --allow-http </dev/null
like "$rc:$err" "^2:azrepos-connect: new: option '--allow-http' needs a value \(true\|false\)" \
	"--allow-http last without its value: exit 2, naming true|false"
run az edit web --secret-scope --url-type repo </dev/null
like "$rc:$err" "^2:azrepos-connect: edit: option '--secret-scope' needs a value \(account\|org\|project\): '--url-type' is an option" \
	"a choice before another option: its values, and the option taken for its value"
run az export web --format </dev/null
like "$rc:$err" "^2:azrepos-connect: export: option '--format' needs a value \(yaml\|json\)" \
	"export --format without its value: the formats are said"
run az secret set x --kind </dev/null
like "$rc:$err" "^2:azrepos-connect: secret: option '--kind' needs a value \(token\|password\|ssh-private-key\|ssh-key-passphrase\)" \
	"secret set --kind without its value: the kinds are said"

# --- bytes that are not UTF-8 in what a run was given: its JSON stays UTF-8 a playbook parses
utf8json() { printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.stdin.buffer.read().decode("utf-8")); print(len(d["messages"]))' 2>&1; }
run az edit "$(printf 'caf\351')" --non-interactive --output json </dev/null
is "$rc:$(utf8json)" "3:1" "edit of an identifier in Latin-1, --output json: valid UTF-8 JSON, the message in it"
run az test "$(printf 'caf\351')" --json </dev/null
is "$rc:$(utf8json)" "3:1" "test of one, --json: valid UTF-8 JSON too"

# --- a secret the new connector names, removed by another run while its check runs: not saved
printf 'abcdefgh' | az secret set going >/dev/null 2>&1
silent_url="https://127.0.0.1:$AZF_SILENT_PORT/$AZF_ORG/$AZF_PROJECT/_git/$AZF_REPO"
seen=$(wc -l <"$AZF_SILENT_LOG")
az new --non-interactive --name going --url-type repo --url "$silent_url" --username ci --token-secret going \
	--timeout 5 --save-on-failure </dev/null >"$tap_tmp/going.out" 2>"$tap_tmp/going.err" &
going=$!
n=0 # the check has connected: the secret was read
while [ "$(wc -l <"$AZF_SILENT_LOG")" -le "$seen" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
run az secret rm going --yes </dev/null
is "$rc" 0 "(another run removes the secret, unused by any saved connector)"
wait "$going"
is "$?" 17 "the run saving a connector that names it: exit 17"
like "$(cat "$tap_tmp/going.err")" "^azrepos-connect: secret 'going' was removed from the store by another run since this one read it: nothing was saved; store it again \\('.* secret set going'\\)" \
	"said, with how to store it again"
ok "$([ ! -e "$home/connectors/going.json" ]; echo $?)" "no connector file naming a missing secret"

# --- clean-up commands a fleet runs on any host: with no store, nothing to remove is no fault
run "$bin" --home "$tap_tmp/empty-home" secret rm --withheld </dev/null
is "$rc:$out" "0:There is no secret store yet: nothing removed." "secret rm --withheld with no store: exit 0, said"
mkdir -m 700 "$tap_tmp/link-home" && ln -s "$tap_tmp/nothing" "$tap_tmp/link-home/secrets.store"
run "$bin" --home "$tap_tmp/link-home" secret rm --withheld </dev/null
like "$rc:$err" "^14:azrepos-connect: .*symbolic link" "... but a store that is a link to nothing is not 'no store' (exit 14)"
# delete's printed commands, on a key-file store this run was not given the key file of
run az new --non-interactive --name gone --url-type repo --url "$repo_url" --username ci --token-file "$AZF_TOKEN_FILE" \
	--skip-test </dev/null
run "$bin" --home "$home" delete gone --yes </dev/null
is "$rc:$(printf '%s\n' "$out" | tail -n 2 | sed 's/^  [^ ]*azrepos-connect /  PROG /')" "0:  PROG --home $home secret rm gone-token
(The store is unlocked with a key file: add --key-file F before 'secret'.)" \
	"delete without --key-file: the secret rm command, and that it needs the key file"

# --- a dry run says what the real run would: a store folder others can write, before the check
mkdir -m 700 "$tap_tmp/x" && mkdir "$tap_tmp/x/cfg" "$tap_tmp/x/data" && chmod 777 "$tap_tmp/x/data"
xdg() { env -u AZREPOS_CONNECT_HOME HOME="$tap_tmp/x" XDG_CONFIG_HOME="$tap_tmp/x/cfg" \
	XDG_DATA_HOME="$tap_tmp/x/data" XDG_STATE_HOME="$tap_tmp/x/state" "$bin" --key-file "$key" "$@"; }
# A repository of its own name: a request for it would be in the access log.
marked_url="${repo_url%/*}/fleet-marker"
for how in --dry-run --skip-test; do
	run xdg new --non-interactive --name open --url-type repo --url "$marked_url" --username ci \
		--token-file "$AZF_TOKEN_FILE" --ca-file "$AZF_CA" $how </dev/null
	[ "$how" = --dry-run ] && end="the run would save nothing (not checked)" || end="nothing was saved"
	is "$rc:$err" "14:azrepos-connect: folder $tap_tmp/x/data is writable by group or others (mode 0777): run 'chmod go-w $tap_tmp/x/data' (others could replace the secret store there); $end" \
		"new $how, the store's folder writable by others: said with its chmod (exit 14, as the store's)"
done
is "$(grep -c fleet-marker "$AZF_NGINX_ACCESS_LOG"):$(find "$tap_tmp/x" -mindepth 2 | wc -l)" "0:0" \
	"... before any check, and nothing written"
# A home that cannot be: the folder above where it would be made is named ("/" too), with the way out.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	cp "$AZF_TOKEN_FILE" "$tap_tmp/x/tok" && chmod 644 "$tap_tmp/x/tok" && chmod 711 "$tap_tmp" "$tap_tmp/x"
	run setpriv --reuid=65534 --regid=65534 --clear-groups env -u AZREPOS_CONNECT_HOME \
		XDG_CONFIG_HOME=/nonexistent-home/.config XDG_DATA_HOME=/nonexistent-home/.local/share \
		XDG_STATE_HOME=/nonexistent-home/.local/state \
		"$bin" --key-file "$tap_tmp/x/none.key" new --non-interactive --name nohome --url-type repo --url "$repo_url" \
		--username ci --token-file "$tap_tmp/x/tok" --dry-run </dev/null
	is "$rc:$err" "1:azrepos-connect: cannot save connectors in /nonexistent-home/.config/azrepos-connect/connectors: folder / is not writable by you (uid 65534): make /nonexistent-home/.config/azrepos-connect/connectors as root ('install -d -m 700 -o 65534 /nonexistent-home/.config/azrepos-connect/connectors'), or use a folder of your own (--home); the run would save nothing (not checked)" \
		"folders not there, under a folder not writable: said with the way out (exit 1)"
	chmod 700 "$tap_tmp" "$tap_tmp/x"
else
	ok 0 "# SKIP only root can run as another user (setpriv)"
fi
# A HOME that is not there (a system user's /nonexistent): refused, never made, even by root.
run env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME HOME=/nonexistent-home \
	"$bin" --key-file "$tap_tmp/x/none.key" new --non-interactive --name nohome --url-type repo --url "$repo_url" \
	--username ci --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
is "$rc:$err:$(ls -d /nonexistent-home 2>/dev/null)" "1:azrepos-connect: HOME is /nonexistent-home, which is not there (nor is XDG_CONFIG_HOME set); set HOME to your home folder or use --home DIR (a home is never made):" \
	"a HOME that is not there: refused (exit 1), and not made"
run env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME HOME=/nonexistent-home \
	"$bin" new --help </dev/null
like "$rc:$out" "^0:Usage: azrepos-connect new " "... its --help is still shown (exit 0)"

# --- --output json keeps the notes text prints: a new value under a secret another connector names
run az new --non-interactive --name twin --url-type repo --url "$repo_url" --username ci --token-secret web-token \
	--skip-test </dev/null
run az edit twin --non-interactive --token-file "$AZF_TOKEN_403_FILE" --skip-test --output json </dev/null
like "$(jv '"\n".join(d["messages"])')" "^The secret 'web-token' is also used by connector ([a-z]+, )*web(, [a-z]+)*, which now gets the new value too\\.$" \
	"edit --output json: the shared secret's note is in its messages"

# --- the output cannot be written (a full disk under a log): the save stands, and that is said
az new --non-interactive --name full --url-type repo --url "$repo_url" --username ci --token-secret web-token \
	--skip-test --output json </dev/null >/dev/full 2>"$tap_tmp/full.err"
is "$?:$(cat "$tap_tmp/full.err")" "1:azrepos-connect: cannot write to standard output: No space left on device; what the command did stands (anything it saved is saved)" \
	"stdout on a full disk: exit 1, and that what was done stands"
ok "$([ -f "$home/connectors/full.json" ]; echo $?)" "... the connector is saved (a retry would find it there)"

# --- six connectors, each its own identifier, storing a token of its own under one new store id at
# once: the id is free when each run looks, then taken under the lock by the first to save (the
# check between is slow; it fails, and --save-on-failure saves all the same: exit 4). The others
# never replace it: they say so (exit 15, or 3 if it was there when they looked) and save nothing.
for i in 1 2 3 4 5 6; do
	printf 'shared-run-%s' "$i" >"$tap_tmp/shared$i.token"
	(http --name "share$i" --token-file "$tap_tmp/shared$i.token" --token-secret shared3 --ca-file "$AZF_CA" \
		--save-on-failure </dev/null >"$tap_tmp/share$i.out" 2>&1; echo "rc=$?" >>"$tap_tmp/share$i.out") &
done
wait
is "$(cat "$tap_tmp"/share?.out | grep -c '^rc=4$')" 1 "six runs storing one new secret id at once: exactly one saves"
is "$(cat "$tap_tmp"/share?.out | grep -c -e '^rc=15$' -e '^rc=3$')" 5 "... the other five exit 15 (taken meanwhile) or 3 (taken)"
winner=$(grep -l '^rc=4$' "$tap_tmp"/share?.out | sed 's/.*share\(.\)\.out/\1/')
is "$(ls "$home/connectors" | grep '^share[1-6]\.json$'):$(az secret get shared3 </dev/null)" "share$winner.json:shared-run-$winner" \
	"... one connector file naming it, the secret holding that run's value"
# The same with one token for all (a fleet given one PAT for one id): the value stored meanwhile is
# the one each run has, so each saves its connector naming it.
printf 'shared-by-all' >"$tap_tmp/same.token"
for i in 1 2 3 4 5 6; do
	(http --name "same$i" --token-file "$tap_tmp/same.token" --token-secret shared4 --ca-file "$AZF_CA" \
		--save-on-failure </dev/null >"$tap_tmp/same$i.out" 2>&1; echo "rc=$?" >>"$tap_tmp/same$i.out") &
done
wait
is "$(cat "$tap_tmp"/same?.out | grep -c -e '^rc=4$' -e '^rc=0$'),$(ls "$home/connectors" | grep -c '^same[1-6]\.json$'),$(az secret get shared4 </dev/null)" \
	"6,6,shared-by-all" "six runs storing one token under one new id at once: all six save, none 'taken meanwhile'"
# ... and none says the others' secret got a new value (a store id given is shared on purpose: as
# when it was there already, nothing is said of it).
is "$(cat "$tap_tmp"/same?.out | grep -c -e 'now gets the new value' -e 'held this value already')" 0 \
	"... none says the others get a new value"
