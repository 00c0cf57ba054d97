# The start of every wizard test: TAP, a temporary folder, only loopback and
# our CA (none of the caller's proxy, CA or ~/.ssh), the local servers; then
# wizard_python runs the test's Python (on stdin) with tui.py importable and
# the binary as its first argument.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
/usr/bin/python3 -c 'import pexpect, pyte' 2>/dev/null || skip_all "python3-pexpect or python3-pyte is not installed"
tap_loopback_only
tap_fixtures
export tap_tmp

wizard_python() {
	PYTHONPATH="$top_srcdir/tests/e2e" /usr/bin/python3 - "${AZREPOS_CONNECT:?}"
}
