# The program under strace: no write, send or exec of any of its processes
# carries a secret in the clear (a token, its Basic auth form, an SSH key, a
# key passphrase), whatever file, pipe, socket or terminal it goes to. The
# reads of the same runs show the secrets, so the search is known to work.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
command -v strace >/dev/null || bail "strace is not installed (run tools/install-deps)"
strace -f -qq -o /dev/null true 2>/dev/null || bail "strace cannot trace here (ptrace refused)"
tap_loopback_only
tap_fixtures
tap_keyed_home
plan 36

# hex TEXT: TEXT as strace -xx prints bytes (\xHH each).
hex() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | sed 's/\(..\)/\\x\1/g'; }

# trace NAME CMD...: CMD (stdin from $stdin_file, else nothing) under strace, every process,
# every byte in hex; rc, out and err as run sets them; the trace in $tap_tmp/NAME.trace.
# LeakSanitizer cannot work under ptrace: off (a sanitizer build); untraced runs look for leaks.
trace() {
	name=$1
	shift
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -s 4194304 -xx -e signal=none \
		-e trace=read,readv,pread64,write,writev,pwrite64,pwritev,pwritev2,sendto,sendmsg,sendmmsg,execve \
		-o "$tap_tmp/$name.trace" "$@" <"${stdin_file:-/dev/null}" >"$tap_tmp/.out" 2>"$tap_tmp/.err"
	rc=$?
	out=$(cat "$tap_tmp/.out")
	err=$(cat "$tap_tmp/.err")
}

# traced NAME ARGS...: trace of the program with the keyed home and ARGS.
traced() {
	name=$1
	shift
	trace "$name" "$bin" --home "$home" --key-file "$key" "$@"
}

# sent NAME TEXT: the lines of the trace where a write, send or exec carries 16 bytes in a
# row of TEXT, line breaks included (a secret cut short still leaks), and a last line when the
# bytes of all of them, one after the other, do (a secret written in small pieces still leaks);
# none: empty.
sent() {
	# Each piece from the hex of the whole text (4 characters a byte): one od for all of them.
	hex "$2" | awk -v w=64 '{
		for (i = 1; i <= (length($0) > w ? length($0) - w + 1 : 1); i += 4) print substr($0, i, w) }' \
		>"$tap_tmp/pieces"
	grep -E '^[0-9]+ +(write|writev|pwrite64|pwritev2?|sendto|sendmsg|sendmmsg|execve)\(' "$tap_tmp/$1.trace" \
		>"$tap_tmp/sends"
	grep -F -f "$tap_tmp/pieces" "$tap_tmp/sends" | cut -c1-160
	grep -oE '"(\\x[0-9a-f]{2})+"' "$tap_tmp/sends" | tr -d '"\n' >"$tap_tmp/joined"
	if grep -qF -f "$tap_tmp/pieces" "$tap_tmp/joined"; then
		echo "(in the bytes of the writes joined)"
	fi
	rm -f "$tap_tmp/sends" "$tap_tmp/joined"
}

# read_in NAME TEXT: does a read of the trace show TEXT (0: yes)?
read_in() {
	grep -E '(^[0-9]+ +(read|readv|pread64)\(|<\.\.\. (read|readv|pread64) resumed>)' "$tap_tmp/$1.trace" |
		grep -qF -- "$(hex "$2")"
}

# none NAME WHAT TEXT: the check that no write of run NAME carries TEXT.
none() {
	is "$(sent "$1" "$3")" "" "$1: $2 in no write, send or exec"
}

token=$(cat "$AZF_TOKEN_FILE")
basic=$(printf '%s' "$AZF_USER:$token" | base64 -w0)
api_basic=$(printf ':%s' "$token" | base64 -w0)
key_line=$(sed -n 2p "$AZF_SSH_KEY")
enc_line=$(sed -n 2p "$AZF_SSH_KEY_ENC")
pass=$(cat "$AZF_SSH_KEY_ENC_PASS_FILE")
[ ${#token} -ge 20 ] && [ ${#key_line} -ge 40 ] && [ ${#pass} -ge 8 ] || bail "fixture secrets too short to search for"

# The search on a program that does write the token out: found.
trace control dd if="$AZF_TOKEN_FILE" status=none
[ "$rc" -eq 0 ] && [ -n "$(sent control "$token")" ]
ok $? "control: dd writing the token is found"
rm -f "$tap_tmp/control.trace"
# ... and written a byte at a time.
trace control python3 -c 'import os, sys; [os.write(1, bytes([b])) for b in open(sys.argv[1], "rb").read()]' \
	"$AZF_TOKEN_FILE"
[ "$rc" -eq 0 ] && [ "$(sent control "$token")" = "(in the bytes of the writes joined)" ]
ok $? "control: the token written a byte at a time is found"
rm -f "$tap_tmp/control.trace"

# An HTTP connector with API access (the token shared), answers written for replay.
traced new-http new --non-interactive --name web --url-type repo --url "$AZF_REPO_URL" \
	--username "$AZF_USER" --token-file "$AZF_TOKEN_FILE" --api-access true --ca-file "$AZF_CA" \
	--write-answers "$tap_tmp/answers.json" --output json
is "$rc" 0 "new-http: created and checked (exit 0)"
read_in new-http "$token"
ok $? "new-http: the token shows in a read (the search works)"
none new-http "the token" "$token"
none new-http "the Basic auth of git" "$basic"
none new-http "the Basic auth of the API" "$api_basic"

traced test-http test web --json --ca-file "$AZF_CA"
is "$rc" 0 "test-http: the check passes with the stored token"
none test-http "the token" "$token"
none test-http "the Basic auth of git" "$basic"

traced export export web --format yaml
is "$rc" 0 "export: exit 0"
none export "the token" "$token"

# A token rejected: the error says so without quoting it.
printf 'wrong%s' "$token" >"$tap_tmp/wrong-token"
traced edit-wrong edit web --non-interactive --token-file "$tap_tmp/wrong-token" --ca-file "$AZF_CA"
is "$rc" 4 "edit-wrong: a wrong token fails the check (exit 4)"
read_in edit-wrong "wrong$token"
ok $? "edit-wrong: the wrong token shows in a read (the search works)"
none edit-wrong "the wrong token" "wrong$token"

# A token from stdin, into the store.
stdin_file=$AZF_TOKEN_FILE
traced secret-set secret set spare
stdin_file=
is "$rc" 0 "secret-set: stored from stdin"
read_in secret-set "$token"
ok $? "secret-set: the token shows in a read (the search works)"
none secret-set "the token" "$token"

# SSH: a plain PEM key, then an encrypted one with its passphrase.
traced new-ssh new --non-interactive --name ssh_plain --url-type repo --connection ssh \
	--url "$AZF_SSH_URL" --ssh-key-file "$AZF_SSH_KEY" --accept-host-key "$AZF_SSH_HOSTKEY_FP"
is "$rc" 0 "new-ssh: created and checked (exit 0)"
read_in new-ssh "$key_line"
ok $? "new-ssh: the key shows in a read (the search works)"
none new-ssh "the private key" "$key_line"

traced new-ssh-enc new --non-interactive --name ssh_enc --url-type repo --connection ssh \
	--url "$AZF_SSH_URL" --ssh-key-file "$AZF_SSH_KEY_ENC" \
	--ssh-key-passphrase-file "$AZF_SSH_KEY_ENC_PASS_FILE"
is "$rc" 0 "new-ssh-enc: created and checked (exit 0)"
read_in new-ssh-enc "$pass"
ok $? "new-ssh-enc: the passphrase shows in a read (the search works)"
none new-ssh-enc "the key passphrase" "$pass"
none new-ssh-enc "the encrypted key" "$enc_line"

traced test-ssh test ssh_enc --json
is "$rc" 0 "test-ssh: the check passes with the stored key and passphrase"
none test-ssh "the key passphrase" "$pass"
none test-ssh "the encrypted key" "$enc_line"

# A key with a wrong passphrase: refused, neither quoted.
printf 'not-%s' "$pass" >"$tap_tmp/wrong-pass"
traced new-ssh-wrong new --non-interactive --name ssh_wrong --url-type repo --connection ssh \
	--url "$AZF_SSH_URL" --ssh-key-file "$AZF_SSH_KEY_ENC" --ssh-key-passphrase-file "$tap_tmp/wrong-pass"
is "$rc" 3 "new-ssh-wrong: a wrong key passphrase is invalid input (exit 3)"
read_in new-ssh-wrong "not-$pass"
ok $? "new-ssh-wrong: the wrong passphrase shows in a read (the search works)"
none new-ssh-wrong "the wrong passphrase" "not-$pass"

# A key made here (secret set --generate): only its public key goes out. Its private key, known
# only once stored, is looked for afterwards; 'secret get' to a pipe does write it (the search works).
# 'secret get' writes to a file as standard output only when no one else can read it: the
# output files made from here on are the user's own (.out made again so).
umask 077
rm -f "$tap_tmp/.out"
traced gen-key secret set made-key --generate
is "$rc" 0 "gen-key: a new key stored (exit 0)"
"$bin" --home "$home" --key-file "$key" secret get made-key >"$tap_tmp/made-key" </dev/null
made_body=$(grep -v -- '-----' "$tap_tmp/made-key")
[ "$(printf '%s\n' "$made_body" | wc -l)" -ge 45 ]
ok $? "gen-key: the key made is an RSA 4096 PEM (45 lines or more of base64)"
none gen-key "the private key made" "$made_body"
traced get-key secret get made-key
[ -n "$(sent get-key "$made_body")" ]
ok $? "get-key: 'secret get' to a pipe writes the key (the search works)"

exec_lines=$(grep -hE '^[0-9]+ +execve\(' "$tap_tmp"/*.trace | grep -vF "$(hex "$bin")" | cut -c1-120)
is "$exec_lines" "" "no run started another program (no secret can go through its argv or env)"
