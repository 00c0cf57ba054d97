# 'secret rekey --reset': a store that cannot be opened is never overwritten;
# it is put aside as secrets.store.corrupt-<time> (after asking, or with
# --yes), byte for byte, and the next secret stored starts a new store.
# Every run is under setsid: no terminal, so no prompt can hang.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
home="$tap_tmp/home"
store="$home/secrets.store"
key="$tap_tmp/store.key"
head -c 32 /dev/urandom >"$key" && chmod 600 "$key"
export AZREPOS_CONNECT_HOME="$home"
unset CREDENTIALS_DIRECTORY
plan 29

az() { setsid -w "$bin" --key-file "$key" "$@" >"$tap_tmp/out" 2>"$tap_tmp/err" </dev/null; rc=$?; }
digest() { sha256sum "$1" | cut -d' ' -f1; }

az secret rekey --reset --yes
is "$rc" 17 "no store: exit 17"
like "$(cat "$tap_tmp/err")" "nothing to reset" "the message says there is nothing to reset"

printf 'one' | setsid -w "$bin" --key-file "$key" secret set first >/dev/null 2>&1
[ -f "$store" ]
ok $? "a store with one secret"
# Cut in half: the store no longer opens.
truncate -s $(($(stat -c %s "$store") / 2)) "$store"
before=$(digest "$store")
az secret list
[ "$rc" -ge 10 ] && [ "$rc" -le 12 ]
ok $? "the damaged store is refused (exit $rc)"

az secret rekey --reset
is "$rc" 2 "without a terminal and without --yes: exit 2"
like "$(cat "$tap_tmp/err")" "pass --yes" "the message says to pass --yes"
is "$(digest "$store")" "$before" "and the store is untouched"
az secret rekey --reset --new-key-file "$tap_tmp/new.key" --yes
is "$rc" 2 "--reset with --new-key-file: exit 2"
az secret rekey --yes
is "$rc" 2 "--yes without --reset: exit 2"

az secret rekey --reset --yes
is "$rc" 0 "--reset --yes: exit 0"
aside=$(find "$home" -maxdepth 1 -name 'secrets.store.corrupt-*')
like "$aside" "secrets.store.corrupt-[0-9]{8}T[0-9]{6}Z$" "the old store is put aside with the UTC time"
like "$(cat "$tap_tmp/out")" "secrets.store.corrupt-" "the message names where it went"
is "$(digest "$aside")" "$before" "byte for byte"
is "$(stat -c %a "$aside")" 600 "still mode 0600"
[ ! -e "$store" ]
ok $? "no store at the old name"

az secret list
is "$rc:$(cat "$tap_tmp/out")" "0:" "then 'secret list': no store, no secrets (exit 0)"
printf 'two' | setsid -w "$bin" --key-file "$key" secret set second >/dev/null 2>&1
az secret list
is "$rc" 0 "the next secret stored starts a new store"
like "$(cat "$tap_tmp/out")" "^second " "holding only that secret"
unlike "$(cat "$tap_tmp/out")" "first" "not the old one"
# A store the key given opens is no store to reset: its secrets would be out of reach for nothing.
before=$(digest "$store")
az secret rekey --reset --yes
like "$rc:$(cat "$tap_tmp/err")" "^2:.*the key given opens the secret store $store, so it is not reset.*'secret rekey --new-key-file F'" \
	"--reset of a store the key opens: refused (exit 2), pointing to rekey --new-key-file"
is "$(digest "$store"):$(find "$home" -maxdepth 1 -name 'secrets.store.corrupt-*' | wc -l)" "$before:1" \
	"... the store in place, nothing more put aside"
# A store locked with a key file, and none given: the key left out (a playbook's slip), not lost.
setsid -w "$bin" secret rekey --reset --yes >"$tap_tmp/out" 2>"$tap_tmp/err" </dev/null
is "$?" 2 "--reset of a key-file store with no --key-file: exit 2"
like "$(tr '\n' ' ' <"$tap_tmp/err")" "unlocked with a key file: give --key-file F.*not reset; to reset it, give --key-file with the key \(or credential\) file that no longer opens it, or the lost one's path" \
	"... the message asks for the key file, the lost one's path to reset"
is "$(digest "$store"):$(find "$home" -maxdepth 1 -name 'secrets.store.corrupt-*' | wc -l)" "$before:1" \
	"... the store in place, nothing more put aside"
# A key file that does not open it: the reset named with that key file, as it is needed.
head -c 32 /dev/urandom >"$tap_tmp/wrong.key" && chmod 600 "$tap_tmp/wrong.key"
setsid -w "$bin" --key-file "$tap_tmp/wrong.key" secret list >"$tap_tmp/out" 2>"$tap_tmp/err" </dev/null
is "$?" 10 "a wrong key file: exit 10"
like "$(cat "$tap_tmp/err")" "if its passphrase or key is lost, 'azrepos-connect --key-file $tap_tmp/wrong.key secret rekey --reset' puts it aside" \
	"... the reset command named with that key file"
# The lost key file's path given: that store is reset.
rm -f "$aside"
setsid -w "$bin" --key-file "$tap_tmp/lost.key" secret rekey --reset --yes >"$tap_tmp/out" 2>"$tap_tmp/err" </dev/null
is "$?:$(find "$home" -maxdepth 1 -name 'secrets.store.corrupt-*' | wc -l)" "0:1" \
	"--reset with a lost key file's path: the store is put aside"

# A store whose folder is not writable (a read-only home): the chmod is said, nothing is moved.
ro="$tap_tmp/ro"
mkdir -m 700 "$ro" "$ro/home"
head -c 32 /dev/urandom >"$ro/k" && chmod 600 "$ro/k"
# The key of the reset is another: a store it does not open.
head -c 32 /dev/urandom >"$ro/k2" && chmod 600 "$ro/k2"
ro_as=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	# root writes in any folder: as another user.
	chown -R 65534:65534 "$ro"
	chmod 711 "$tap_tmp"
	ro_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$ro_as" ]; then
	printf 'one' | AZREPOS_CONNECT_HOME="$ro/home" setsid -w $ro_as "$bin" --key-file "$ro/k" secret set first \
		>/dev/null 2>&1
	chmod 500 "$ro/home"
	AZREPOS_CONNECT_HOME="$ro/home" setsid -w $ro_as "$bin" --key-file "$ro/k2" secret rekey --reset --yes \
		>"$tap_tmp/out" 2>"$tap_tmp/err" </dev/null
	is "$?:$(cat "$tap_tmp/err")" "14:azrepos-connect: folder $ro/home is not writable (mode 0500): run 'chmod u+wx $ro/home'" \
		"--reset in a folder that is not writable: exit 14, with the exact chmod"
	is "$(ls "$ro/home" | tr '\n' ' ')" "secrets.store secrets.store.lock " "nothing moved"
	chmod 700 "$ro/home"
else
	ok 0 "# SKIP root without setpriv writes in any folder"
	ok 0 "# SKIP root without setpriv writes in any folder"
fi
