# `test ID`: the check of a saved connector, secrets from the store.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
tap_fixtures
plan 16

tap_keyed_home
project_url="$AZF_BASE/$AZF_ORG/$AZF_PROJECT"

run az new --non-interactive --name web --url-type project --url "$project_url" \
	--test-repo "$AZF_REPO" --username "$AZF_USER" --token-file "$AZF_TOKEN_FILE" \
	--api-access true --skip-test </dev/null
is "$rc" 0 "a Project connector saved without the check"

run az test web --ca-file "$AZF_CA"
is "$rc" 0 "test: both probes pass (exit 0)"
like "$out" "^ok +git-http" "the git-http probe passed"
like "$out" "^ok +api" "the api probe passed"

run az test web --ca-file "$AZF_CA" --json
is "$rc" 0 "test --json: exit 0"
printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["ok"] and len(d["probes"])==2 else 1)'
ok $? "test --json prints the results as JSON"

run az test web
is "$rc" 4 "without the test CA the check fails (exit 4)"
like "$out" "--ca-file" "and the message says to pass --ca-file"

# The stored token replaced by a wrong one: auth failure.
printf 'wrong-token' | az secret set web-token >/dev/null 2>&1
run az test web --ca-file "$AZF_CA"
is "$rc" 4 "a rejected token: exit 4"
like "$out" "token rejected" "the message says the token was rejected"

run az test nosuch
is "$rc" 1 "a missing connector: exit 1"
like "$err" "no connector 'nosuch'" "says which connector is missing"
run az test "../etc"
is "$rc" 3 "an impossible identifier: exit 3"
run az test
is "$rc" 2 "no ID: exit 2"
run az test web --timeout 0
is "$rc" 2 "a bad --timeout: exit 2"
like "$err" "--timeout" "names the option"
