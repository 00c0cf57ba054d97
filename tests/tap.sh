# TAP helpers for shell tests: source this file, call plan N, then the checks.
# Every check prints one "ok"/"not ok" line; the harness counts them against the plan.

tap_n=0
tap_failed=0

plan() { echo "1..$1"; }

ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

is() { # is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
	fi
}

# grep reads a newline in a pattern as "or": a pattern of two lines would pass on either one.
tap_one_line() {
	case $1 in
	*"
"*) ok 1 "$2"; echo "#   a pattern of more than one line: check each line, or the whole text with is"; return 1 ;;
	esac
}

like() { # like TEXT GREP-ERE DESCRIPTION
	tap_one_line "$2" "$3" || return
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else
		ok 1 "$3"
		printf '%s\n' "$1" | sed 's/^/#   got: /'
		printf '#   expected to match: %s\n' "$2"
	fi
}

has() { # has TEXT FIXED-STRING DESCRIPTION
	tap_one_line "$2" "$3" || return
	if printf '%s\n' "$1" | grep -Fq -- "$2"; then ok 0 "$3"; else
		ok 1 "$3"
		printf '%s\n' "$1" | sed 's/^/#   got: /'
		printf '#   expected to contain: %s\n' "$2"
	fi
}

unlike() { # unlike TEXT GREP-ERE DESCRIPTION
	tap_one_line "$2" "$3" || return
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"
		printf '#   must not match: %s\n' "$2"
	else ok 0 "$3"; fi
}

skip_all() { echo "1..0 # SKIP $1"; exit 0; }

bail() { echo "Bail out! $1"; exit 1; }

# A fresh private folder removed at exit; tests point --home at it.
tap_tmpdir() {
	tap_tmp=$(mktemp -d "${TMPDIR:-/tmp}/azrc-test.XXXXXX") || bail "mktemp failed"
	trap 'rm -rf "$tap_tmp"' EXIT
}

# Only loopback and the test CA: none of the caller's proxy, CA, ~/.ssh or ssh-agent.
# Needs tap_tmpdir first; HOME is $tap_tmp/user.
tap_loopback_only() {
	unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY \
		CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR GIT_SSL_CAINFO
	HOME=$tap_tmp/user SSH_AUTH_SOCK=
	export HOME SSH_AUTH_SOCK
	mkdir -p "$HOME" || bail "cannot make $HOME"
}

# Start the local Azure stand-ins (tests/fixtures) in $tap_tmp/fix, load
# their AZF_* variables, and stop them at exit. Needs tap_tmpdir first.
tap_fixtures() {
	tap_fix="$top_srcdir/tests/fixtures/azfix"
	"$tap_fix" start "$tap_tmp/fix" >/dev/null 2>"$tap_tmp/fix.err" ||
		bail "the local servers did not start: $(cat "$tap_tmp/fix.err")"
	trap '"$tap_fix" stop "$tap_tmp/fix" >/dev/null 2>&1; rm -rf "$tap_tmp"' EXIT
	. "$tap_tmp/fix/env"
}

# $home and a store key file $key in $tap_tmp, and az: the program ($bin) with both.
tap_keyed_home() {
	home="$tap_tmp/home"
	key="$tap_tmp/store.key"
	{ head -c 32 /dev/urandom >"$key" && chmod 600 "$key"; } || bail "cannot make $key"
	az() { "$bin" --home "$home" --key-file "$key" "$@"; }
}

# j EXPR: a value in the last output ($out), a connectivity check's JSON, as Python sees it
# with d the object and p its probes, e.g. j 'p[0]["status"]'; true/false/null as in JSON.
j() {
	printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin); p = d["probes"]
v = eval(sys.argv[1])
print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)' "$1" 2>&1
}

# run CMD...: sets rc, out, err (the command's exit code, stdout and stderr).
run() {
	"$@" >"$tap_tmp/.out" 2>"$tap_tmp/.err"
	rc=$?
	out=$(cat "$tap_tmp/.out")
	err=$(cat "$tap_tmp/.err")
}
