# `test ID`: the check of a saved connector, secrets from the store.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
tap_loopback_only
tap_fixtures
plan 115

# run as in tap.sh, and every output kept in $all: the token must be in none (at the end).
all=$tap_tmp/all-output
run() {
	"$@" >"$tap_tmp/.out" 2>"$tap_tmp/.err"
	rc=$?
	cat "$tap_tmp/.out" "$tap_tmp/.err" >>"$all"
	out=$(cat "$tap_tmp/.out")
	err=$(cat "$tap_tmp/.err")
}
# json_shape OK: what is wrong with the last --json answer (nothing when it is right): one
# JSON object, "ok" as expected and true only if every probe passed, each probe with its
# name, status, category (null when it passed), message and duration in ms.
json_shape() {
	printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
try:
    d = json.loads(sys.stdin.read())
except ValueError as e:
    sys.exit("not JSON: %s" % e)
bad = []
if not isinstance(d, dict) or not isinstance(d.get("probes"), list) or not d["probes"]:
    sys.exit("no object with a list of probes")
if d.get("ok") is not (sys.argv[1] == "true"):
    bad.append("ok is %r" % d.get("ok"))
cats = "dns connect tls auth forbidden not-found protocol host-key timeout config".split()
for p in d["probes"]:
    s, c, m, ms = p.get("status"), p.get("category", 0), p.get("message"), p.get("duration_ms")
    if p.get("probe") not in ("git-http", "git-ssh", "api"):
        bad.append("probe %r" % p.get("probe"))
    if s not in ("ok", "failed", "skipped"):
        bad.append("status %r" % s)
    if (s == "ok" and c is not None) or (s == "failed" and c not in cats):
        bad.append("%s: category %r" % (s, c))
    if not isinstance(m, str) or not m:
        bad.append("message %r" % m)
    if not isinstance(ms, (int, float)) or isinstance(ms, bool) or ms < 0 or ms != int(ms):
        bad.append("duration_ms %r" % ms)
if not isinstance(d.get("messages"), list):
    bad.append("messages %r" % d.get("messages"))
if d["ok"] != all(p.get("status") == "ok" for p in d["probes"]):
    bad.append("ok does not follow the probes")
print("; ".join(bad))' "$1" 2>&1
}

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
is "$(json_shape true)" "" "test --json, a pass: each probe has status, category, message, duration"
run az test web --ca-file "$AZF_CA" --output json
is "$rc:$(json_shape true)" "0:" "test --output json (as new takes it): the same JSON answer"
is "$(j 'p[0]["probe"]'),$(j 'p[0]["status"]'),$(j 'p[0]["category"]'),$(j 'p[1]["probe"]'),$(j 'p[1]["status"]')" \
	"git-http,ok,null,api,ok" "test --json, a pass: both probes ok, no category"

run az test web
is "$rc" 4 "without the test CA the check fails (exit 4)"
like "$out" "certificate not trusted: pass --ca-file with the CA that signed the certificate of 127\.0\.0\.1 \(a private CA's, or a TLS-inspecting proxy's\), or add that CA to this machine's .*update-ca-certificates" \
	"and the message says to pass --ca-file, or to trust the CA here (a TLS-inspecting proxy named)"
is "$err" "azrepos-connect: test: the connector does not keep a CA file: give --ca-file F to each test, or add the CA to this machine's trusted ones (update-ca-certificates)" \
	"... and that the connector does not keep the CA file"

# A --ca-file with no certificate in it is refused with what it is, before any probe (libcurl
# would only say it cannot load it).
run az test web --ca-file "$AZF_SSH_KEY"
is "$rc" 2 "--ca-file an SSH private key: a usage error (exit 2)"
has "$err" "--ca-file: '$AZF_SSH_KEY': that is a private key, not a CA certificate" "... saying it is a private key"
is "$out" "" "... and no probe runs"
openssl x509 -in "$AZF_CA" -outform der -out "$tap_tmp/ca.der"
run az test web --ca-file "$tap_tmp/ca.der"
is "$rc" 2 "--ca-file the test CA in DER: exit 2"
has "$err" "no PEM certificate in it (a DER file? convert it with openssl x509 -inform der -in $tap_tmp/ca.der -out $tap_tmp/ca.pem, and give that one)" \
	"... saying how to convert it, with its own name and the one to give"

# The stored token replaced by a wrong one: auth failure.
printf 'wrong-token' | az secret set web-token >/dev/null 2>&1
run az test web --ca-file "$AZF_CA"
is "$rc" 4 "a rejected token: exit 4"
like "$out" "token rejected" "the message says the token was rejected"
like "$out" "token rejected \(HTTP 401\): it has only 11 characters, fewer than an Azure DevOps token: give it whole \(cut short when copied\?\), or create a new PAT" \
	"... and, shorter than Azure's tokens, that it may have been cut short"
is "$err" "azrepos-connect: test: with a new token, store it in place of the old one: 'azrepos-connect --home $home --key-file $key secret set web-token' (from stdin, or typed), or give it with 'azrepos-connect --home $home --key-file $key edit web'" \
	"... and how this connector takes a new one, once for both probes"
printf '%s' "$(cat "$AZF_TOKEN_FILE" | tr 'a-z' 'b-za')" | az secret set web-token >/dev/null 2>&1
run az test web --ca-file "$AZF_CA"
like "$rc:$out" "^4:FAILED +git-http .*token rejected \(expired, revoked or wrong; HTTP 401\): create" \
	"a wrong token of a token's length: rejected, nothing said of its length"

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
run az test web --ca-file "$AZF_CA" --accept-host-key "$AZF_SSH_HOSTKEY_FP"
is "$rc,$out" "2," "--accept-host-key for an HTTP connector: exit 2, no probe run"
like "$err" "--accept-host-key is for SSH connectors; 'web' connects over HTTP" "says why"

# --- SSH: a Repository URL and a Project URL + test repository, saved without the check.
kh=$home/known_hosts
# The fingerprint as a literal in a regular expression (it holds + and /).
fp=$(printf '%s' "$AZF_SSH_HOSTKEY_FP" | sed 's/[][\.*^$+?(){}|]/\\&/g')
run az new --non-interactive --name "ssh repo" --url-type repo --connection ssh \
	--url "$AZF_SSH_URL" --ssh-key-file "$AZF_SSH_KEY" --skip-test </dev/null
is "$rc" 0 "an SSH Repository URL connector saved without the check"
run az new --non-interactive --name "ssh project" --url-type project --connection ssh \
	--url "ssh://$AZF_SSH_USER@127.0.0.1:$AZF_SSH_PORT/v3/$AZF_ORG/$AZF_PROJECT" --test-repo "$AZF_REPO" \
	--ssh-key-file "$AZF_SSH_KEY" --skip-test </dev/null
is "$rc" 0 "an SSH Project URL connector with a test repository saved without the check"
[ ! -e "$kh" ]
ok $? "saving without the check records no host key"

for id in ssh_repo ssh_project; do
	rm -f "$kh"
	run az test "$id"
	is "$rc" 4 "$id: an unknown host key fails the check (exit 4)"
	like "$out" "^FAILED +git-ssh .*unknown host key for \[127\.0\.0\.1\]:$AZF_SSH_PORT: $fp; if that is the server's key, re-run with --accept-host-key $fp\$" \
		"$id: the message shows the SHA256 fingerprint and the --accept-host-key hint"
	[ ! -e "$kh" ]
	ok $? "$id: the unknown key is not written to the home's known_hosts"
	run az test "$id" --accept-host-key SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
	is "$rc" 4 "$id: --accept-host-key with another fingerprint: exit 4"
	like "$out" "host key of \[127\.0\.0\.1\]:$AZF_SSH_PORT is $fp, not the SHA256:A+ given to --accept-host-key" \
		"$id: ... the message says the fingerprints differ"
	[ ! -e "$kh" ]
	ok $? "$id: ... and nothing is recorded"
	run az test "$id" --accept-host-key "$AZF_SSH_HOSTKEY_FP"
	is "$rc" 0 "$id: --accept-host-key with the server's fingerprint: exit 0"
	like "$out" "^ok +git-ssh .*3 refs, default branch main; new host key $fp accepted\$" "$id: ... the key accepted"
	is "$(cut -d' ' -f1,2,3 "$kh" 2>&1)" "$(head -n 1 "$AZF_KNOWN_HOSTS" | cut -d' ' -f1,2,3)" \
		"$id: ... and recorded in the home's known_hosts"
	run az test "$id" --json
	is "$rc,$(j 'p[0]["status"]'),$(j 'p[0]["host_key"]')" "0,ok,known" "$id: again without the flag: exit 0, the key known"
	is "$(wc -l <"$kh")" 1 "$id: ... and not recorded twice"
done

# The key accepted cannot be recorded (the disk full): the probe that passed is said all the same,
# then why the run failed. (The fault shim cannot load ahead of ASan's runtime: the same shown
# there with known_hosts a folder, which cannot be written either.)
rm -f "$kh"
case "$(ldd "$bin")" in
*libasan*) mkdir "$kh"; full= ;;
*) full="env LD_PRELOAD=$top_builddir/tests/integration/faultfs.so FAULT_CALL=write FAULT_NTH=1 FAULT_ERRNO=28" ;;
esac
run $full "$bin" --home "$home" --key-file "$key" test ssh_repo --accept-host-key "$AZF_SSH_HOSTKEY_FP" </dev/null
like "$rc:$out" "^1:ok +git-ssh .*new host key $fp accepted\$" \
	"a host key that cannot be recorded: the passed probe still shown (exit 1)"
like "$err" "cannot record the accepted host key in $kh: " "... with why it failed after"
rmdir "$kh" 2>/dev/null
# known_hosts' lock left by a run as root (sudo), the run as the user: whose it is and the chown
# that fixes it, the passed probe still shown.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	nb=$tap_tmp/nb
	mkdir "$nb" && cp -R "$home/connectors" "$home/secrets.store" "$nb/" && cp "$key" "$nb/key" &&
		chown -R 65534:65534 "$nb" && chmod 711 "$tap_tmp" && : >"$nb/known_hosts.lock" &&
		chmod 600 "$nb/known_hosts.lock"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --home "$nb" --key-file "$nb/key" \
		test ssh_repo --accept-host-key "$AZF_SSH_HOSTKEY_FP" </dev/null
	chmod 700 "$tap_tmp"
	is "$rc:$err" "1:azrepos-connect: cannot record the accepted host key in $nb/known_hosts: $nb/known_hosts.lock belongs to uid 0, not to you (uid 65534): run 'chown 65534 $nb/known_hosts.lock' as root" \
		"a known_hosts lock root left: whose it is and its chown (exit 1)"
	like "$out" "^ok +git-ssh .*new host key $fp accepted\$" "... the passed probe still shown"
else
	for i in 1 2; do ok 0 "# SKIP only root can run as another user (setpriv)"; done
fi
# A changed host key: a hard error naming the file and line; --accept-host-key of the
# server's (new) key does not override it (man: "A changed key is always an error").
ssh-keygen -q -t rsa -b 2048 -N '' -C '' -f "$tap_tmp/other_host_key"
printf '[127.0.0.1]:%s %s\n' "$AZF_SSH_PORT" "$(cut -d' ' -f1,2 "$tap_tmp/other_host_key.pub")" >"$kh"
cp "$kh" "$tap_tmp/kh.changed"
for id in ssh_repo ssh_project; do
	run az test "$id"
	is "$rc" 4 "$id: a changed host key: exit 4"
	like "$out" "^FAILED +git-ssh .*HOST KEY CHANGED for \[127\.0\.0\.1\]:$AZF_SSH_PORT \(now $fp\)" \
		"$id: ... a hard error with the server's key"
	has "$out" "differs from $kh line 1" "$id: ... naming the known_hosts line it differs from"
	run az test "$id" --accept-host-key "$AZF_SSH_HOSTKEY_FP" --json
	is "$rc,$(j 'p[0]["category"]'),$(j 'p[0]["host_key"]')" "4,host-key,changed" \
		"$id: --accept-host-key of the new key does not override a changed key"
	cmp -s "$kh" "$tap_tmp/kh.changed"
	ok $? "$id: ... known_hosts unchanged"
done

# --- --json of a failure (the changed key above): the same shape, ok false.
is "$(json_shape false)" "" "test --json, a failure: each probe has status, category, message, duration"
is "$(j 'p[0]["probe"]'),$(j 'p[0]["status"]')" "git-ssh,failed" "test --json, a failure: the probe failed"
like "$(j 'p[0]["message"]')" '^HOST KEY CHANGED' "test --json, a failure: the message says why"

# A known_hosts others could write: no key in it is trusted (one could be planted), the fix said.
printf '%s\n' "$(head -n 1 "$AZF_KNOWN_HOSTS")" >"$kh"
chmod 666 "$kh"
run az test ssh_repo
like "$rc:$out" "^4:FAILED +git-ssh .*is not checked: $kh can be written by group or others \(mode 0666\): a host key put there would be trusted; check its lines, then run 'chmod 600 $kh'" \
	"a known_hosts others can write: the key listed there is not trusted (exit 4), the chmod said"
chmod 600 "$kh"
run az test ssh_repo
is "$rc" 0 "... after the chmod, the key listed there is known again"
run az test ssh_repo --ca-file "$AZF_CA"
is "$rc:$(printf '%s\n' "$err" | head -n 1)" "2:azrepos-connect: test: --ca-file is for HTTPS; 'ssh_repo' connects over SSH only (no API access): leave it out" \
	"--ca-file for a connector tested over SSH only: a slip, said (exit 2)"
cp "$tap_tmp/kh.changed" "$kh"

# An IPv6 literal in an ssh:// URL is looked up without its brackets: the probe gets to
# connect (sshd listens on 127.0.0.1 only, so ::1 refuses), no "cannot resolve host '[::1]'".
run az new --non-interactive --name "ssh v6" --url-type repo --connection ssh \
	--url "ssh://$AZF_SSH_USER@[::1]:$AZF_SSH_PORT/v3/$AZF_ORG/$AZF_PROJECT/$AZF_REPO" \
	--ssh-key-file "$AZF_SSH_KEY" --skip-test </dev/null
is "$rc" 0 "an SSH connector with an [IPv6] host saved without the check"
run az test ssh_v6 --json
is "$rc,$(j 'p[0]["category"]'),$(j 'p[0]["message"]' | cut -d: -f1-3)" \
	"4,connect,cannot connect to ::1 port $AZF_SSH_PORT" "[::1] in an SSH URL: connected to ::1, not a DNS failure"

# --- HTTPS servers that misbehave, through saved connectors.
http_new() { # http_new NAME URL API-ACCESS
	run az new --non-interactive --name "$1" --url-type repo --connection http --url "$2" \
		--username "$AZF_USER" --token-file "$AZF_TOKEN_FILE" --api-access "$3" --skip-test </dev/null
	is "$rc" 0 "connector '$1' saved without the check"
}
http_new silent "https://127.0.0.1:$AZF_SILENT_PORT/$AZF_ORG/$AZF_PROJECT/_git/$AZF_REPO" true
http_new moved "$AZF_REDIRECT_URL" false
http_new huge "$AZF_HUGE_URL" false
http_new huge_sized "$AZF_HUGE_SIZED_URL" false
http_new nongit "$AZF_NONGIT_URL" false

# A server that accepts and never answers: both probes give up at the deadline.
t0=$(date +%s%N)
run az test silent --ca-file "$AZF_CA" --timeout 2 --json
echo "# test --timeout 2 against the silent server took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
is "$rc" 4 "a server that never answers, --timeout 2: exit 4"
is "$(j 'p[0]["probe"]'),$(j 'p[0]["category"]'),$(j 'p[1]["probe"]'),$(j 'p[1]["category"]')" \
	"git-http,timeout,api,timeout" "... both probes fail with category timeout"
like "$(j 'p[0]["message"]')" '^127\.0\.0\.1 port [0-9]+ took the connection but sent nothing within 2\.0 s \(no TLS handshake\): check the port in the URL' \
	"... the message gives the host, its port and the deadline"
is "$(json_shape false)" "" "... and the JSON has each probe's status, category, message, duration"

# A redirect to another host is not followed: the other host gets no request, no credential.
cp "$AZF_OTHER_LOG" "$tap_tmp/other.before"
run az test moved --ca-file "$AZF_CA" --json
is "$rc,$(j 'p[0]["status"]'),$(j 'p[0]["category"]')" "4,failed,protocol" "a redirect to another host: exit 4, failed"
like "$(j 'p[0]["message"]')" "^redirected to another host \(https://localhost:$AZF_OTHER_PORT/.*\): not followed, credentials not sent" \
	"... the message says it was not followed"
is "$(diff "$tap_tmp/other.before" "$AZF_OTHER_LOG" | grep -c '^>')" 0 "... the other host got no request"
grep -q 'auth="Basic' "$AZF_OTHER_LOG"
is "$?" 1 "... and its log has no Authorization header"

# Huge answers (64 MiB offered) are cut at 1 MiB, chunked or with a length.
for id in huge huge_sized; do
	run az test "$id" --ca-file "$AZF_CA" --json
	is "$rc,$(j 'p[0]["category"]')" "4,protocol" "$id: a 64 MiB answer: exit 4, category protocol"
	like "$(j 'p[0]["message"]')" '^not a Git repository URL: .*\(stopped reading at 1 MiB\)$' "$id: ... read up to 1 MiB only"
done

run az test nongit --ca-file "$AZF_CA"
is "$rc" 4 "a URL that is not a Git repository: exit 4"
like "$out" '^FAILED +git-http .*not a Git repository URL: the server answered text/html' "... the message says so"

# A connector file edited by hand to hold the SSH URL of Azure's clone dialog, its connection
# left http: refused as export refuses it (which value, the edit that fixes it), not run as
# something else ("out of memory" before).
sed 's/"identifier":[^,]*/"identifier": "handmade"/; s|"url":[^,]*|"url": "git@ssh.dev.azure.com:v3/contoso/Payments"|' \
	"$home/connectors/web.json" >"$home/connectors/handmade.json"
run az test handmade --ca-file "$AZF_CA" </dev/null
is "$rc" 3 "a hand-edited SSH URL with connection http: exit 3"
like "$err" "^azrepos-connect: test: connector 'handmade' is not valid; fix it with '.* edit handmade':" \
	"... the connector is said to be invalid, with the edit that fixes it"
like "$err" "^url: this is an SSH URL but the connection type is HTTP" "... and which value is wrong"
rm -f "$home/connectors/handmade.json"

# A Project URL's test repository that is not there: the message names it, not the URL (which names
# no repository).
run az new --non-interactive --name "web nosuch" --url-type project --url "$project_url" --test-repo nosuch \
	--username "$AZF_USER" --token-file "$AZF_TOKEN_FILE" --api-access true --skip-test </dev/null
run az test web_nosuch --ca-file "$AZF_CA" </dev/null
like "$rc:$out" "^4:FAILED +git-http .*repository 'nosuch' of project '$AZF_PROJECT' in [a-z]+ '$AZF_ORG' not found or no access \(TF401019\): check the test repository's name" \
	"a Project URL, its test repository missing: git-http names it (exit 4)"
like "$out" "FAILED +api .*repository 'nosuch' of project '$AZF_PROJECT' in [a-z]+ '$AZF_ORG' not found or no access \(TF401019\): check the test repository's name" \
	"... and so does api"
run az new --non-interactive --name "ssh nosuch" --url-type project --connection ssh \
	--url "ssh://$AZF_SSH_USER@127.0.0.1:$AZF_SSH_PORT/v3/$AZF_ORG/$AZF_PROJECT" --test-repo nosuch \
	--ssh-key-file "$AZF_SSH_KEY" --skip-test </dev/null
rm -f "$kh" # an earlier case left a changed key there
run az test ssh_nosuch --accept-host-key "$AZF_SSH_HOSTKEY_FP" </dev/null
like "$rc:$out" "^4:FAILED +git-ssh .*repository 'nosuch' of project '$AZF_PROJECT' .*not found or no access \(TF401019\): check the test repository's name .* and the project in the SSH URL, and that the key's user can read it" \
	"... and git-ssh over an SSH Project URL"

# What is not found is named from the URL: a project mistyped in a Project URL (not only its test
# repository is blamed), an organization mistyped, the short form without a project.
http_try() {
	url=$1
	shift
	run az new --non-interactive --name tried --url "$url" --username "$AZF_USER" --token-file "$AZF_TOKEN_FILE" \
		--ca-file "$AZF_CA" --dry-run "$@" </dev/null
}
http_try "$AZF_BASE/$AZF_ORG/Paymnts" --url-type project --test-repo payments-api
like "$rc:$out" "^4:FAILED +git-http .*repository 'payments-api' of project 'Paymnts' in [a-z]+ '$AZF_ORG' not found or no access \(TF401019\): check the test repository's name .* and the project in the URL" \
	"a project mistyped in a Project URL: named, and the project is one to check (exit 4)"
http_try "$AZF_BASE/contosso/$AZF_PROJECT/_git/payments-api" --url-type repo --api-access true
like "$rc:$out" "^4:FAILED +git-http .*repository 'payments-api' of project '$AZF_PROJECT' in [a-z]+ 'contosso' not found or no access \(TF401019\): check these names in the URL" \
	"an organization mistyped: git-http names the repository, project and organization"
like "$out" "FAILED +api .* [a-z]+ 'contosso' not found: check it in the URL" "... api names the organization"
http_try "$AZF_BASE/$AZF_ORG/_git/payments-api" --url-type repo --api-access true
like "$rc:$out" "^4:FAILED +git-http .*repository 'payments-api' in [a-z]+ '$AZF_ORG' not found or no access \(TF401019\): a URL without the project \(\.\.\./_git/payments-api\) works only for a repository named as its project: put the project before '_git'" \
	"the short form .../_git/REPO of a repository not named as its project: the project is what is missing"
like "$out" "FAILED +api .*repository 'payments-api' in [a-z]+ '$AZF_ORG' not found or no access \(TF[0-9]+\): a URL without the project" \
	"... the api probe says the same (not a project named as the repository)"
# An HTTPS URL given the SSH server's port: the port is at fault, not TLS.
http_try "https://127.0.0.1:$AZF_SSH_PORT/$AZF_ORG/$AZF_PROJECT/_git/payments-api" --url-type repo
like "$rc:$out" "^4:FAILED +git-http .*127\.0\.0\.1 port $AZF_SSH_PORT does not answer as an HTTPS server: check the port in the URL" \
	"an HTTPS URL with the port of an SSH server: the port is said to be wrong"
# Both outputs into one log (2>&1 | tee): the probes' lines come before what they lead to.
az new --non-interactive --name tried --url "$AZF_BASE/$AZF_ORG/_git/payments-api" --url-type repo --username "$AZF_USER" \
	--token-file "$AZF_TOKEN_FILE" --ca-file "$AZF_CA" --dry-run </dev/null 2>&1 | cat >"$tap_tmp/both"
is "$(cut -d' ' -f1 "$tap_tmp/both")" "FAILED
azrepos-connect:" "one log of both outputs: the FAILED line first, then the verdict"

# A connector whose store is not there (another home's, or removed): the secret it needs is named,
# with the command that stores it.
nh="$tap_tmp/nostore"
run "$bin" --home "$nh" --key-file "$tap_tmp/nostore.key" new --non-interactive --name lone --url-type repo \
	--url "$AZF_REPO_URL" --username u --token-file "$AZF_TOKEN_FILE" --skip-test </dev/null
rm -f "$nh/secrets.store"
run "$bin" --home "$nh" --key-file "$tap_tmp/nostore.key" test lone </dev/null
is "$rc:$err" "17:azrepos-connect: token: there is no secret store yet: store it again with 'azrepos-connect --home $nh --key-file $tap_tmp/nostore.key secret set lone-token' (or give the connector another with 'azrepos-connect --home $nh --key-file $tap_tmp/nostore.key edit lone')" \
	"test with no store: exit 17, the secret to store named, with its command"

# A file edited by hand to name another connector's SSH key as its token: refused as edit refuses
# it (exit 3, which field, what kind), no probe run with a key for a token.
keysid=$(sed -n 's/.*"ssh-key-secret":[[:space:]]*"\([^"]*\)".*/\1/p' "$home/connectors/ssh_repo.json")
cp "$home/connectors/web.json" "$tap_tmp/web.json.orig"
sed "s/\"token-secret\":[[:space:]]*\"[^\"]*\"/\"token-secret\": \"$keysid\"/" "$tap_tmp/web.json.orig" >"$home/connectors/web.json"
run az test web --ca-file "$AZF_CA" </dev/null
is "$rc:$out" "3:" "a token-secret naming an SSH key: exit 3, no probe run"
is "$err" "azrepos-connect: token: the stored secret '$keysid' is of kind ssh-private-key, not token (the connector's file names another secret than its own?): give the connector its token with 'azrepos-connect --home $home --key-file $key edit web'" \
	"... saying which secret is of which kind, and the edit that gives it its own"
cp "$tap_tmp/web.json.orig" "$home/connectors/web.json"

# No output of this file showed the token or the SSH key (all runs above, through run).
pat=$(cat "$AZF_TOKEN_FILE")
echo "# $(grep -c "" "$all") lines of output kept"
[ "${#pat}" -eq 52 ] && grep -q "saved connector" "$all" && grep -q "HOST KEY CHANGED" "$all"
ok $? "the token and the outputs to search are there"
is "$(grep -cF -- "$pat" "$all")" 0 "the token is in no stdout or stderr of any run"
is "$(grep -c 'PRIVATE KEY' "$all")" 0 "nor the SSH private key"
