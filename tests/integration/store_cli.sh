# 'secret list|set|rm|rekey' as a user meets them, with a key file (no
# terminal): exit codes of §5.7, messages with the exact fix, nothing written
# on refusal, golden stores, process hardening, and a sentinel secret that
# never shows in any output or file but the store's ciphertext.
# Every run is under setsid: no controlling terminal, so no prompt can hang.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
home="$tap_tmp/home"
store="$home/secrets.store"
key="$tap_tmp/keys/store.key"
mkdir -m 700 "$tap_tmp/keys" "$tap_tmp/out"
export AZREPOS_CONNECT_HOME="$home"
unset CREDENTIALS_DIRECTORY
plan 135

n=0
# az ARGS... (stdin from the caller): run the program; keep every output for the sentinel scan.
az() {
	n=$((n + 1))
	setsid -w "$bin" "$@" >"$tap_tmp/out/$n.out" 2>"$tap_tmp/out/$n.err"
	rc=$?
	out=$(cat "$tap_tmp/out/$n.out")
	err=$(cat "$tap_tmp/out/$n.err")
}
digest() { sha256sum "$1" | cut -d' ' -f1; }
# az_in VALUE ARGS...: az with VALUE on stdin (a here-document: az must not run in a subshell).
az_in() {
	v=$1
	shift
	az "$@" <<EOF
$v
EOF
}

# A 32-byte sentinel (as 64 hex characters: a token has no newline or NUL).
sentinel=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

az secret list </dev/null
is "$rc" 0 "no store yet: list exits 0"
is "$out" "" "no store yet: list prints nothing on stdout (a script reads an empty list)"
is "$err" "azrepos-connect: no secrets stored yet: 'azrepos-connect secret set ID' stores one (as new and edit store those they are given)" \
	"... and says so on stderr, also without a terminal"

az_in "$sentinel" --key-file "$key" secret set git-pat
is "$rc" 0 "first set creates the store with a new key file"
is "$out" "Saved secret git-pat (token)." "set confirms id and kind"
like "$err" "created the key file $key" "the new key file is announced"
is "$(stat -c %a "$key")" 400 "the key file is 0400"
is "$(stat -c %a "$store")" 600 "the store is 0600"
is "$(stat -c %a "$home")" 700 "its folder is 0700"

printf 'second-value\n' >"$tap_tmp/value.txt"
az --key-file "$key" secret set api-pat --from-file "$tap_tmp/value.txt" </dev/null
is "$rc" 0 "set --from-file"
# The same again (a playbook run twice): nothing written, and said so; another value is saved.
before=$(digest "$store")
az --key-file "$key" secret set api-pat --from-file "$tap_tmp/value.txt" </dev/null
is "$rc:$out:$(digest "$store")" "0:Secret api-pat (token) unchanged: it holds that value already; nothing written.:$before" \
	"set of the value held already: exit 0, 'unchanged', the store not rewritten"
az --key-file "$key" secret set api-pat --kind password --from-file "$tap_tmp/value.txt" </dev/null
is "$rc:$out" "0:Saved secret api-pat (password)." "the same value as another kind: saved (the kind changes)"
az --key-file "$key" secret set api-pat --kind token --from-file "$tap_tmp/value.txt" </dev/null
az_in 'pass word' --key-file "$key" secret set git-password --kind password
is "$rc" 0 "set --kind password from stdin"
# A key whose armour holds no key is refused, stored as nothing.
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n' >"$tap_tmp/id_rsa"
az --key-file "$key" secret set ssh-deploy --kind ssh-private-key --from-file "$tap_tmp/id_rsa" </dev/null
like "$rc:$err" "^3:.*ssh-deploy: cannot read the SSH private key: its text is damaged" \
	"a damaged SSH private key: exit 3, said damaged (not a passphrase question)"
az --key-file "$key" secret set ssh-deploy --kind ssh-private-key --from-file "$top_srcdir/tests/data/sshkey/rsa_openssh" </dev/null
is "$rc" 0 "set an SSH private key from a file"

az --key-file "$key" secret list </dev/null
is "$rc" 0 "list exits 0"
like "$out" '^ID +KIND +CREATED +UPDATED +USED BY$' "list has a header"
like "$out" '^api-pat +token +20[0-9-]+T[0-9:]+Z +20[0-9-]+T[0-9:]+Z +-$' \
	"list shows id, kind, UTC dates, and '-' where no connector uses it"
like "$out" '^ssh-deploy +ssh-private-key ' "list shows the SSH key's kind"
is "$(printf '%s\n' "$out" | sed 1d | cut -d' ' -f1 | tr '\n' ' ')" "api-pat git-password git-pat ssh-deploy " \
	"list is sorted by id"
unlike "$out" "second-value|pass word|BEGIN" "list never shows a value"
# Which connectors use a secret: two naming api-pat, and a file refused as it is (it may name any).
mkdir -m 700 "$home/connectors"
for id in billing payments; do
	sed -e "s/azure_payments/$id/; s/azure_pat/api-pat/" "$top_srcdir/tests/data/connectors/azure_payments.json" \
		>"$home/connectors/$id.json"
done
printf '{"schema": 1, "name": ' >"$home/connectors/broken.json"
chmod 600 "$home/connectors"/*.json
az --key-file "$key" secret list </dev/null
is "$rc" 0 "list with connectors saved: exit 0"
like "$out" '^api-pat +token +[0-9TZ:-]+ +[0-9TZ:-]+ +billing, broken\?, payments$' \
	"USED BY: the connectors naming the secret, and one whose file is refused with a '?'"
like "$out" '^git-password +password +[0-9TZ:-]+ +[0-9TZ:-]+ +broken\?$' "... a secret no readable file names: only the '?'"
az --key-file "$key" secret list --json </dev/null
is "$rc:$(printf '%s' "$out" | python3 -c 'import json, sys
print([(s["id"], s["used_by"], s["maybe_used_by"]) for s in json.load(sys.stdin)][:2])')" \
	"0:[('api-pat', ['billing', 'payments'], ['broken']), ('git-password', [], ['broken'])]" \
	"--json: used_by and maybe_used_by, arrays of connector identifiers"
rm -r "$home/connectors"

# Refusals: exit code, message, nothing written.
before=$(digest "$store")
az --key-file "$key" secret set 'Bad..Id' </dev/null
is "$rc" 3 "an invalid id exits 3"
like "$err" "not a valid secret id" "the message says why"
for t in "1pat.x|must start with a lower-case letter" "null|is a reserved Harness keyword: choose another" \
	"web.token|'\.' is not allowed: use lower-case ASCII letters, digits, '_' and '-'"; do
	id=${t%%|*}
	az --key-file "$key" secret set "$id" </dev/null
	is "$rc" 3 "set $id: refused (exit 3), an id no connector field could refer to"
	like "$err" "'$id' is not a valid secret id: .*${t#*|}" "set $id: the message gives the rule it breaks"
done
# An id in capitals ('list' shows them in lower case): the one meant named, for a new one and a stored one.
az --key-file "$key" secret set 'Git-PAT' </dev/null
is "$rc:$err" "3:azrepos-connect: 'Git-PAT' is not a valid secret id: a store id is in lower case: 'git-pat'" \
	"set of an id in capitals: exit 3, its lower case named"
az --key-file "$key" secret rm 'Git-PAT' --yes </dev/null
is "$rc:$err" "3:azrepos-connect: 'Git-PAT' is not a valid secret id: a store id is in lower case: 'git-pat'" "... rm the same"
az_in "$(printf 'a\nb')" --key-file "$key" secret set two-lines
is "$rc" 3 "a token with a newline inside exits 3"
# The first secret of a home refused: no store, no key file, no folder made for it.
printf 'hunter2\n\n' >"$tap_tmp/pw"
AZREPOS_CONNECT_HOME="$tap_tmp/fresh2" az --key-file "$tap_tmp/fresh2.key" secret set dbpw --kind password \
	--from-file "$tap_tmp/pw" </dev/null
like "$rc:$err:$(ls -d "$tap_tmp/fresh2" "$tap_tmp/fresh2.key" 2>/dev/null)" \
	"^3:azrepos-connect: dbpw: a password must be 1 byte to 64 KiB, without newlines or NUL bytes:$" \
	"a first value refused (a line break in a password): exit 3, and nothing made for it"
mkdir "$tap_tmp/other-creds"
printf 'v' >"$tap_tmp/v0"
AZREPOS_CONNECT_HOME="$tap_tmp/fresh4" CREDENTIALS_DIRECTORY="$tap_tmp/other-creds" az secret set a \
	--from-file "$tap_tmp/v0" </dev/null
like "$rc:$err" "^2:.*\(\\\$CREDENTIALS_DIRECTORY $tap_tmp/other-creds holds no azrepos-connect.key\)" \
	"no terminal, a credential folder without its credential: that is said (exit 2)"
printf 'v' >"$tap_tmp/v1"
AZREPOS_CONNECT_HOME="$tap_tmp/fresh3" az --key-file "$tap_tmp/no-such-dir/k" secret set a --from-file "$tap_tmp/v1" </dev/null
is "$rc:$err" "3:azrepos-connect: cannot create the key file $tap_tmp/no-such-dir/k: its folder does not exist (a typo?)" \
	"a new key file in a folder that is not there: invalid input (exit 3), said"
# A key file path that names no key file: a slip of the input (exit 3), said with what is there.
for k in "$tap_tmp:a folder" "/dev/null:a device"; do
	az --key-file "${k%%:*}" secret list </dev/null
	is "$rc:$err" "3:azrepos-connect: key file ${k%%:*} is ${k#*:}, not a regular file: give the path of the key file itself (32 to 1024 random bytes, mode 0400)" \
		"--key-file naming ${k#*:}: exit 3, said"
done
az --key-file "$key" secret set x --kind api-key </dev/null
is "$rc" 2 "an unknown kind is a usage error"
az --key-file "$key" secret set empty </dev/null
is "$rc" 3 "an empty value exits 3"
az --key-file "$key" secret rm nope </dev/null
is "$rc" 17 "rm of an unknown id exits 17"
like "$err" "no secret 'nope' in the store" "and names it"
az secret list </dev/null
is "$rc" 2 "a key-file store without --key-file exits 2"
like "$err" "give --key-file" "and says what to give"
az --key-file "$tap_tmp/keys/no-such.key" secret list </dev/null
is "$rc" 3 "a key file that is not there (a typo) exits 3, as invalid input"
has "$err" "there is no key file $tap_tmp/keys/no-such.key: give the path of the key file the secret store was made with" \
	"and says so, with what to give"
head -c 32 /dev/urandom >"$tap_tmp/keys/wrong.key"; chmod 400 "$tap_tmp/keys/wrong.key"
az --key-file "$tap_tmp/keys/wrong.key" secret list </dev/null
is "$rc" 10 "a wrong key file exits 10"
chmod 644 "$key"
az --key-file "$key" secret list </dev/null
is "$rc" 14 "a key file readable by others exits 14"
like "$err" "run 'chmod 400 $key'" "with the exact chmod"
chmod 400 "$key"
is "$(digest "$store")" "$before" "no refusal changed the store"

chmod 640 "$store"
az --key-file "$key" secret list </dev/null
is "$rc" 14 "a group-readable store exits 14"
like "$err" "run 'chmod 600 $store'" "with the exact chmod"
chmod 600 "$store"
chmod 777 "$home"
az --key-file "$key" secret list </dev/null
is "$rc" 14 "a world-writable folder exits 14"
like "$err" "run 'chmod go-w $home'" "with the exact chmod"
chmod 700 "$home"
mv "$store" "$tap_tmp/real.store" && ln -s "$tap_tmp/real.store" "$store"
az --key-file "$key" secret list </dev/null
is "$rc" 14 "a symbolic link as the store exits 14"
rm "$store" && mv "$tap_tmp/real.store" "$store"
ln "$store" "$tap_tmp/second-name"
az --key-file "$key" secret list </dev/null
is "$rc" 14 "a hard-linked store exits 14"
rm "$tap_tmp/second-name"

# Damaged stores: refused with their own codes, never overwritten.
cp "$store" "$tap_tmp/good.store"
sed 's/"generation": \([0-9]*\)/"generation": 9\1/' "$tap_tmp/good.store" >"$store"
chmod 600 "$store"
before=$(digest "$store")
az_in v --key-file "$key" secret set new-one
is "$rc" 12 "a tampered store exits 12 on set"
is "$(digest "$store")" "$before" "and is not overwritten"
head -c 100 "$tap_tmp/good.store" >"$store"
chmod 600 "$store"
before=$(digest "$store")
az_in v --key-file "$key" secret set new-one
is "$rc" 11 "a truncated store exits 11 on set (never taken as empty)"
is "$(digest "$store")" "$before" "and is not overwritten"
sed 's/"version": 1/"version": 2/' "$tap_tmp/good.store" >"$store"
chmod 600 "$store"
az --key-file "$key" secret list </dev/null
is "$rc" 13 "a newer format version exits 13"
like "$err" "upgrade azrepos-connect" "and says to upgrade"
install -m 600 "$tap_tmp/good.store" "$store"

# Busy: another process holds the lock past the 5 s the program waits (until told to let go).
flock "$store.lock" sh -c 'touch "$0.held"; while [ ! -e "$0.release" ]; do sleep 0.1; done' "$tap_tmp/lock" &
holder=$!
while [ ! -e "$tap_tmp/lock.held" ]; do sleep 0.1; done
before=$(digest "$store")
az_in v --key-file "$key" secret set new-one
is "$rc" 15 "a held lock exits 15"
like "$err" "busy: another azrepos-connect holds .*secrets.store.lock" "and says who holds what"
az --key-file "$key" secret rekey --new-key-file "$tap_tmp/keys/busy.key" </dev/null
has "$rc:$(printf '%s' "$err" | tail -n 1):$(ls "$tap_tmp/keys/busy.key" 2>&1 | grep -c 'No such')" \
	"15:azrepos-connect: the key file $tap_tmp/keys/busy.key made for it is removed again: the store still opens with its old key:1" \
	"a rekey to a new key file that cannot happen (busy): exit 15, and the key file made for it is removed"
touch "$tap_tmp/lock.release"
wait "$holder"
is "$(digest "$store")" "$before" "the store is untouched"

az --key-file "$key" secret rm api-pat </dev/null
is "$rc" 0 "rm exits 0"
is "$out" "Removed secret api-pat." "rm confirms"

# Rekey: key file -> new key file; the old one no longer opens it.
az --key-file "$key" secret rekey --new-key-file "$tap_tmp/keys/new.key" </dev/null
is "$rc" 0 "rekey to a new key file"
az --key-file "$key" secret list </dev/null
is "$rc" 10 "the old key file is now a wrong key"
az --key-file "$tap_tmp/keys/new.key" secret list </dev/null
is "$rc" 0 "the new key file opens it"
before=$(sha256sum <"$home/secrets.store")
az --key-file "$tap_tmp/keys/new.key" secret rekey --new-key-file "$tap_tmp/keys/new.key" </dev/null
is "$rc:$err" "3:azrepos-connect: the new key is the same as the current one: nothing was changed (give another key file)" \
	"a rekey to the key it has: exit 3, said, with what to give"
is "$(sha256sum <"$home/secrets.store")" "$before" "... and the store is not rewritten"
mkdir -m 700 "$tap_tmp/creds"
cp "$tap_tmp/keys/new.key" "$tap_tmp/creds/azrepos-connect.key"
az --key-file "$tap_tmp/keys/new.key" secret rekey --credential --new-key-file "$tap_tmp/keys/cred.key" </dev/null
is "$rc" 0 "rekey to a systemd credential"
like "$out" "systemd-creds encrypt --name=azrepos-connect.key" "with the command to encrypt it"
cp -f "$tap_tmp/keys/cred.key" "$tap_tmp/creds/azrepos-connect.key" # -f: the old copy is 0400
CREDENTIALS_DIRECTORY="$tap_tmp/creds" az secret list </dev/null
is "$rc" 0 "the credential in \$CREDENTIALS_DIRECTORY opens it"
az secret list </dev/null
is "$rc" 2 "without \$CREDENTIALS_DIRECTORY it asks for it"

# Golden v1 stores open with this release (git keeps no modes: copies get them).
golden="$top_srcdir/tests/data/store/golden"
mkdir -m 700 "$tap_tmp/golden"
install -m 600 "$golden/v1-keyfile.store" "$tap_tmp/golden/secrets.store"
install -m 400 "$golden/v1-key.bin" "$tap_tmp/keys/golden.key"
AZREPOS_CONNECT_HOME="$tap_tmp/golden" az --key-file "$tap_tmp/keys/golden.key" secret list </dev/null
is "$rc" 0 "golden v1 key-file store opens"
is "$(printf '%s\n' "$out" | sed 1d | cut -d' ' -f1 | tr '\n' ' ')" "binary git-password git-pat ssh-deploy ssh-key-pass " \
	"with its five secrets"
install -m 600 "$golden/v1-credential.store" "$tap_tmp/golden/secrets.store"
install -m 400 "$golden/v1-key.bin" "$tap_tmp/creds/azrepos-connect.key"
AZREPOS_CONNECT_HOME="$tap_tmp/golden" CREDENTIALS_DIRECTORY="$tap_tmp/creds" az secret list </dev/null
is "$rc" 0 "golden v1 credential store opens"

# A store from an older release may hold an id that looks like a token: never printed, removable.
install -m 600 "$golden/v1-keyfile.store" "$tap_tmp/golden/secrets.store"
tokid=k5xq2mzt7wvb3npr4yhc6jds2lfa7gue5oi3ktzw4qmx6vbn7rpa
"$top_builddir/tests/unit/test_store_tool" put "$tap_tmp/golden/secrets.store" \
	keyfile:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff test "$tokid" token text:x >/dev/null
gold() { AZREPOS_CONNECT_HOME="$tap_tmp/golden" az --key-file "$tap_tmp/keys/golden.key" "$@"; }
gold secret list </dev/null
is "$rc" 0 "a store with an id that looks like a token lists"
has "$out$err" "(withheld)" "that id shown as (withheld)"
unlike "$out$err" "$tokid" "and never printed"
like "$err" "1 secret id looks like a Personal Access Token and is not shown: revoke that token, then remove the entry with '.* secret rm --withheld'" \
	"with the way to remove it"
gold secret rm k5xq2mzt7wvb3npr4yhc6jds2lfa7gue5oi3ktzw4qmx6vbn7rp </dev/null
is "$rc" 17 "a near miss of it is not found"
unlike "$err" "$tokid" "and it is never offered as the id perhaps meant"
gold secret rm --withheld </dev/null
is "$rc" 2 "rm --withheld without a terminal needs --yes"
gold secret rm --withheld git-pat --yes </dev/null
is "$rc" 2 "rm --withheld takes no id"
gold secret rm --withheld --yes </dev/null
is "$rc" 0 "rm --withheld --yes removes it"
is "$out" "Removed 1 secret whose id looked like a token." "saying how many"
gold secret list </dev/null
is "$(printf '%s\n' "$out" | sed 1d | cut -d' ' -f1 | tr '\n' ' ')" "binary git-password git-pat ssh-deploy ssh-key-pass " \
	"the other secrets are kept"
is "$err" "" "nothing withheld any more"
cp -p "$tap_tmp/golden/secrets.store" "$tap_tmp/golden.before"
gold secret rm --withheld --yes </dev/null
is "$rc$out" "0No secret id looks like a token: nothing removed." "a second run has nothing to do"
cmp -s "$tap_tmp/golden/secrets.store" "$tap_tmp/golden.before"
ok $? "and leaves the store untouched"

# A key file given for a store made for the systemd credential: the key tried is the one named.
install -m 600 "$golden/v1-credential.store" "$tap_tmp/golden/secrets.store"
head -c 32 /dev/urandom >"$tap_tmp/keys/other.key" && chmod 600 "$tap_tmp/keys/other.key"
AZREPOS_CONNECT_HOME="$tap_tmp/golden" CREDENTIALS_DIRECTORY="$tap_tmp/creds" \
	az --key-file "$tap_tmp/keys/other.key" secret list </dev/null
is "$rc" 10 "a key file that does not open a credential's store: wrong key (exit 10)"
like "$err" "^azrepos-connect: the secret store is unlocked with the systemd credential azrepos-connect.key, and the key file .*/other.key does not open it: leave out --key-file" \
	"naming that key file and the credential that opens it (no reset offered)"
# rekey without a terminal and without a new key: what is missing is the new key.
install -m 600 "$golden/v1-keyfile.store" "$tap_tmp/golden/secrets.store"
cp -p "$tap_tmp/golden/secrets.store" "$tap_tmp/golden.before"
gold secret rekey </dev/null
is "$rc" 2 "rekey with no terminal for a new passphrase: exit 2"
like "$err" "^azrepos-connect: secret rekey: a new passphrase is typed on a terminal, and there is none: give --new-key-file F \(a key file\) or --credential" \
	"the ways to give the new key"
cmp -s "$tap_tmp/golden/secrets.store" "$tap_tmp/golden.before"
ok $? "the store untouched"

# A passphrase store with no terminal (cron, ssh without -t): --key-file cannot open it, so it is not offered.
install -m 600 "$golden/v1-passphrase-interactive.store" "$tap_tmp/golden/secrets.store"
AZREPOS_CONNECT_HOME="$tap_tmp/golden" az secret list </dev/null
is "$rc" 2 "a passphrase store and no terminal to type it on: exit 2"
like "$err" "^azrepos-connect: the secret store .*/golden/secrets.store is locked with a passphrase and there is no terminal to type it on: run this on a terminal \(ssh -t\), or switch it to a key file there once with '.* secret rekey --new-key-file F'$" \
	"the ways out: a terminal, or a key file made on one"
unlike "$err" "use --key-file" "not --key-file, which a passphrase store refuses"

# A home folder the user cannot write in: said with its chmod, before a key file is made for it.
mkdir -m 700 "$tap_tmp/ro" "$tap_tmp/ro/home"
printf 'value' >"$tap_tmp/ro/v"
ro_as=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	# root writes in any folder: as another user.
	chown -R 65534:65534 "$tap_tmp/ro"
	chmod 711 "$tap_tmp"
	ro_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
ro() {
	n=$((n + 1))
	AZREPOS_CONNECT_HOME="$tap_tmp/ro/home" setsid -w $ro_as "$bin" --key-file "$tap_tmp/ro/k" secret set first \
		--from-file "$tap_tmp/ro/v" </dev/null >"$tap_tmp/out/$n.out" 2>"$tap_tmp/out/$n.err"
	rc=$?
	err=$(cat "$tap_tmp/out/$n.err")
}
if [ "$(id -u)" -ne 0 ] || [ -n "$ro_as" ]; then
	chmod 500 "$tap_tmp/ro/home"
	ro
	is "$rc" 14 "a first secret in a home that is not writable: exit 14"
	is "$err" "azrepos-connect: cannot keep the secret store in $tap_tmp/ro/home: folder $tap_tmp/ro/home is not writable (mode 0500): run 'chmod u+wx $tap_tmp/ro/home'" \
		"with the exact chmod"
	ok "$([ ! -e "$tap_tmp/ro/k" ] && [ ! -e "$tap_tmp/ro/home/secrets.store.lock" ]; echo $?)" \
		"said before the key file (or anything) was made"
	chmod 700 "$tap_tmp/ro/home"
	ro
	chmod 500 "$tap_tmp/ro/home"
	before=$(digest "$tap_tmp/ro/home/secrets.store")
	printf 'another-value' >"$tap_tmp/ro/v" # the same one again would write nothing
	ro
	is "$rc" 14 "a secret changed in a store whose folder is not writable: exit 14"
	has "$err" "not writable (mode 0500): run 'chmod u+wx $tap_tmp/ro/home'" "with the exact chmod"
	is "$(digest "$tap_tmp/ro/home/secrets.store")" "$before" "the store untouched"
	chmod 700 "$tap_tmp/ro/home"
else
	for i in 1 2 3 4 5 6; do ok 0 "# SKIP root without setpriv writes in any folder"; done
fi
# The store and its lock made by a run as root (sudo) in the user's folder: who owns each, and the
# chown that gives it back.
if [ -n "$ro_as" ]; then
	chown 0:0 "$tap_tmp/ro/home/secrets.store" "$tap_tmp/ro/home/secrets.store.lock"
	ro
	is "$rc:$err" "14:azrepos-connect: secret store $tap_tmp/ro/home/secrets.store belongs to uid 0, not to you (uid 65534): run 'chown 65534 $tap_tmp/ro/home/secrets.store' as root, or use a secret store of your own (--home)" \
		"a store root made: exit 14, whose it is and the chown that fixes it"
	chown 65534 "$tap_tmp/ro/home/secrets.store"
	ro
	is "$rc:$err" "14:azrepos-connect: lock file $tap_tmp/ro/home/secrets.store.lock belongs to uid 0, not to you (uid 65534): run 'chown 65534 $tap_tmp/ro/home/secrets.store.lock' as root" \
		"its lock file root made: the same, without 'one of your own' (only the store's lock will do)"
	chown 65534 "$tap_tmp/ro/home/secrets.store.lock"
	printf 'value-3' >"$tap_tmp/ro/v"
	ro
	is "$rc:$err" "0:" "both given back: the secret is set"
	chown 0 "$tap_tmp/ro/k"
	ro
	is "$rc:$err" "14:azrepos-connect: key file $tap_tmp/ro/k belongs to uid 0, not to you (uid 65534): run 'chown 65534 $tap_tmp/ro/k' as root" \
		"its key file root's: the chown, and no other key file offered (only the store's opens it)"
	chown 65534 "$tap_tmp/ro/k"
else
	for i in 1 2 3 4; do ok 0 "# SKIP only root can give a file to another user"; done
fi

# The first secret refused: no store, and no key file made for it.
fresh() { AZREPOS_CONNECT_HOME="$tap_tmp/fresh" az --key-file "$tap_tmp/keys/fresh.key" "$@"; }
fresh secret set first --from-file "$tap_tmp/no-such-file" </dev/null
is "$rc" 1 "first secret from a missing file: exit 1"
printf '' >"$tap_tmp/empty"
fresh secret set first <"$tap_tmp/empty"
is "$rc" 3 "an empty first value: exit 3"
printf 'https://dev.azure.com/contoso' >"$tap_tmp/url"
fresh secret set first <"$tap_tmp/url"
is "$rc" 3 "a URL as the first token: exit 3"
ok "$([ ! -e "$tap_tmp/keys/fresh.key" ] && [ ! -e "$tap_tmp/fresh" ]; echo $?)" \
	"none of them made the key file or the store's folder"
printf 'value' >"$tap_tmp/value"
AZREPOS_CONNECT_HOME=/proc/no-home az --key-file "$tap_tmp/keys/fresh.key" secret set first <"$tap_tmp/value"
is "$rc" 16 "a home where no folder can be made: I/O error (exit 16)"
ok "$([ ! -e "$tap_tmp/keys/fresh.key" ]; echo $?)" "said before the key file was made"
fresh secret set first <"$tap_tmp/value"
is "$rc" 0 "a good first value: stored"
like "$err" "created the key file .*/fresh.key" "the key file made then"
# A relative key file is named from /: the command it prints works from another folder too.
mkdir "$tap_tmp/rel"
cd "$tap_tmp/rel" || exit 1
AZREPOS_CONNECT_HOME="$tap_tmp/relhome" az --key-file ./k.key secret set first --from-file "$tap_tmp/value"
cd - >/dev/null || exit 1
is "$rc:$err" "0:azrepos-connect: created the key file $tap_tmp/rel/k.key (32 random bytes, mode 0400): keep a copy apart from the store; without it the secrets cannot be read" \
	"--key-file ./k.key: the key file made is named whole"
AZREPOS_CONNECT_HOME="$tap_tmp/relhome" az --key-file "$tap_tmp/rel/k.key" secret list
is "$rc" 0 "... and that name opens the store from another folder"

install -m 600 "$golden/v1-passphrase-test.store" "$tap_tmp/golden/secrets.store"
AZREPOS_CONNECT_HOME="$tap_tmp/golden" az secret list </dev/null
is "$rc" 11 "the program refuses a store with test-only KDF limits (ops 1 / 8 MiB)"
like "$err" "opslimit 1 is outside 2..10" "before any key derivation"

# Hardening of the running process (main.c): no core dumps, umask 077, not dumpable.
mkfifo "$tap_tmp/fifo"
mkdir -m 700 "$tap_tmp/hard"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	# As another user, /proc/PID/* of a non-dumpable process belongs to root.
	chown 65534:65534 "$tap_tmp/hard"
	chmod 711 "$tap_tmp"
	run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	run_as=""
fi
# It waits on stdin (a FIFO) for the value, once the store is set up.
AZREPOS_CONNECT_HOME="$tap_tmp/hard" $run_as "$bin" --key-file "$tap_tmp/hard/k" secret set waiting \
	<"$tap_tmp/fifo" >/dev/null 2>&1 &
pid=$!
exec 3>"$tap_tmp/fifo"
i=0
while [ ! -e "$tap_tmp/hard/k" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.2
like "$(grep 'Max core file size' "/proc/$pid/limits")" 'Max core file size +0 +0 ' "RLIMIT_CORE is 0"
like "$(grep '^Umask' "/proc/$pid/status")" '0077' "umask is 077"
if [ "$(stat -c %u "/proc/$pid/status")" = 0 ] && [ "$(awk '/^Uid/ { print $2 }' "/proc/$pid/status")" != 0 ]; then
	ok 0 "not dumpable: /proc/PID/status belongs to root (PR_SET_DUMPABLE 0)"
else
	ok 1 "not dumpable: /proc/PID/status belongs to root (PR_SET_DUMPABLE 0)"
fi
printf 'x' >&3
exec 3>&-
wait "$pid"
is "$?" 0 "the waiting set finishes"
# One's own store made unreadable (chmod 000): exit 14, with the chmod that gives it back. (Root
# reads it all the same: as another user only.)
if [ -n "$run_as" ]; then
	chmod 000 "$tap_tmp/hard/secrets.store"
	run env AZREPOS_CONNECT_HOME="$tap_tmp/hard" $run_as "$bin" --key-file "$tap_tmp/hard/k" secret list </dev/null
	is "$rc:$err" "14:azrepos-connect: cannot open the secret store $tap_tmp/hard/secrets.store: it is not readable (mode 0000): run 'chmod 600 $tap_tmp/hard/secrets.store'" \
		"one's own store of mode 0000: exit 14, the chmod said"
	chmod 600 "$tap_tmp/hard/secrets.store"
else
	ok 0 "# SKIP root without setpriv reads a file of mode 0000"
fi
# Locked memory: a limit too low to keep secrets out of swap is said once, with the fix (root has
# no such limit: as another user only; ASan's runtime takes every mlock as done).
if [ -n "$run_as" ] && command -v prlimit >/dev/null && ! grep -qa __asan_init "$bin"; then
	run env AZREPOS_CONNECT_HOME="$tap_tmp/hard" prlimit --memlock=65536:65536 $run_as "$bin" --key-file "$tap_tmp/hard/k" \
		secret list </dev/null
	is "$rc:$err" "0:azrepos-connect: note: the limit on locked memory (ulimit -l, 64 KiB) is too low to keep secrets out of swap: they may be written to disk; raise it ('ulimit -l 8192', or LimitMEMLOCK=8M in a systemd unit)" \
		"a locked-memory limit of 64 KiB: said once, with the fix (exit 0)"
else
	ok 0 "# SKIP root has no locked-memory limit (no setpriv or prlimit), nor an ASan build"
fi
if [ -n "$run_as" ] && { [ "$(ulimit -l)" = unlimited ] || [ "$(ulimit -l)" -ge 2048 ]; }; then
	run env AZREPOS_CONNECT_HOME="$tap_tmp/hard" $run_as "$bin" --key-file "$tap_tmp/hard/k" secret list </dev/null
	is "$rc:$err" "0:" "under this system's limit ($(ulimit -l) KiB): nothing said"
else
	ok 0 "# SKIP no other user, or a system limit on locked memory below 2 MiB"
fi

# The sentinel: in no output, in no file but the store, not in the store as plain text.
hits=$(grep -rlF "$sentinel" "$tap_tmp" 2>/dev/null | wc -l)
is "$hits" 0 "the sentinel secret appears in no output and no file (outputs: $n runs)"
