# Shared by the check_*.sh integration tests: the fixture servers, the test
# driver (tests/integration/check_probe) and reading its JSON answer.
. "$top_srcdir/tests/tap.sh"
fix="$top_srcdir/tests/fixtures/azfix"
drv="$top_builddir/tests/integration/check_probe"
PATH=$PATH:/usr/sbin:/sbin
for t in nginx fcgiwrap sshd ssh-keygen git openssl; do
	command -v "$t" >/dev/null 2>&1 || skip_all "missing $t (tools/install-deps)"
done

tap_tmpdir
trap 'sh "$fix" stop "$tap_tmp/azf" >/dev/null 2>&1; rm -rf "$tap_tmp"' EXIT
# Only loopback and our CA: none of the caller's proxy, CA or ssh settings.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY \
	CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
HOME=$tap_tmp/home SSH_AUTH_SOCK=
export HOME SSH_AUTH_SOCK
mkdir -p "$HOME"

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
