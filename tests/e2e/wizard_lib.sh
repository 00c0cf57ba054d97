# The start of every wizard test: TAP, a temporary folder, only loopback and
# our CA (none of the caller's proxy or CA settings), the local servers; then
# wizard_python runs the test's Python (on stdin) with tui.py importable and
# the binary as its first argument.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
/usr/bin/python3 -c 'import pexpect, pyte' 2>/dev/null || skip_all "python3-pexpect or python3-pyte is not installed"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY \
	CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR GIT_SSL_CAINFO
tap_fixtures
export tap_tmp

wizard_python() {
	PYTHONPATH="$top_srcdir/tests/e2e" /usr/bin/python3 - "${AZREPOS_CONNECT:?}"
}
