# Shared by the check_*.sh integration tests: the fixture servers, the test
# driver (tests/integration/check_probe) and reading its JSON answer.
. "$top_srcdir/tests/tap.sh"
fix="$top_srcdir/tests/fixtures/azfix"
drv="$top_builddir/tests/integration/check_probe"
PATH=$PATH:/usr/sbin:/sbin
for t in nginx fcgiwrap sshd ssh-keygen git openssl microsocks; do
	command -v "$t" >/dev/null 2>&1 || skip_all "missing $t (tools/install-deps)"
done

tap_tmpdir
# Helpers a test starts in the background (a proxy, a listener): their pids, ended with the servers.
check_pids=""
trap 'kill $check_pids 2>/dev/null; sh "$fix" stop "$tap_tmp/azf" >/dev/null 2>&1; rm -rf "$tap_tmp"' EXIT
tap_loopback_only

sh "$fix" start "$tap_tmp/azf" >"$tap_tmp/azf.out" 2>&1 || {
	sed 's/^/# /' "$tap_tmp/azf.out"
	bail "the fixture servers did not start"
}
. "$tap_tmp/azf/env"
# The good PAT, to check it never shows in any output.
pat=$(cat "$AZF_TOKEN_FILE")

# probe ARGS...: run the driver; sets rc, out (JSON), err and ms (elapsed).
probe() {
	t0=$(date +%s%N)
	run "$drv" "$@"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# verdict N STATUS CATEGORY MESSAGE-ERE DESCRIPTION: probe N's result.
verdict() {
	is "$(j "p[$1]['status']"),$(j "p[$1]['category']")" "$2,$3" "$5: $2, category $3"
	like "$(j "p[$1]['message']")" "$4" "$5: the message says what to do"
}
