# I/O errors while the store or a connector file is written (store-design.md
# §6.7): the n-th
# openat, write, fsync or rename of a write fails (EIO, ENOSPC). Each time the
# exit status is 16 with a message, no temporary file is left and the store
# still opens, byte for byte the old one; only when the folder's fsync fails
# after the rename is the new file in place, and the message says so.
# And the mode of every file and folder the program creates, as asked at the
# create call (the shim logs it), under umask 000: never looser than 0600/0700.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
shim="$top_builddir/tests/integration/faultfs.so"
[ -f "$shim" ] || bail "$shim was not built"
case "$(ldd "$bin")" in *libasan*) skip_all "an ASan build: an LD_PRELOAD shim cannot run before its runtime" ;; esac
plan 99

home="$tap_tmp/home"
key="$tap_tmp/store.key"
head -c 32 /dev/urandom >"$key" && chmod 600 "$key"
az() { "$bin" --home "$home" --key-file "$key" "$@" </dev/null >"$tap_tmp/out" 2>"$tap_tmp/err"; rc=$?; }
set_value() { # set_value VALUE [VAR=VALUE...]: secret set t with a fault from the environment
	v=$1
	shift
	printf '%s' "$v" | env "$@" LD_PRELOAD="$shim" FAULT_DIR="$home" \
		"$bin" --home "$home" --key-file "$key" secret set t >"$tap_tmp/out" 2>"$tap_tmp/err"
	rc=$?
	err=$(cat "$tap_tmp/err")
}
digest() { sha256sum "$home/secrets.store" | cut -d' ' -f1; }
temps() { find "$home" -name '.secrets.store.tmp.*' | wc -l; }

set_value first
is "$rc" 0 "the shim without a fault changes nothing: the store is created"

n=0
while read -r call nth errno what; do
	n=$((n + 1))
	before=$(digest)
	set_value "value-$n" FAULT_CALL="$call" FAULT_NTH="$nth" FAULT_ERRNO="$errno"
	is "$rc" 16 "$what: exit 16"
	like "$err" "cannot write the secret store|did not verify" "$what: the message says the write failed"
	is "$(digest)" "$before" "$what: the store is byte for byte the old one"
	is "$(temps)" 0 "$what: no temporary file left"
	az secret list
	is "$rc" 0 "$what: the store still opens"
done <<'CASES'
openat 1 5 creating the temporary file fails (EIO)
openat 2 5 opening it to read it back fails (EIO)
write 1 28 writing it fails (ENOSPC)
fsync 1 5 syncing it fails (EIO)
renameat 1 5 the rename fails (EIO)
CASES

before=$(digest)
set_value after-rename FAULT_CALL=fsync FAULT_NTH=2 FAULT_ERRNO=5
is "$rc" 16 "the folder's fsync after the rename fails: exit 16"
like "$err" "was written, but syncing its folder failed" "the message says the new file is in place"
like "$(cat "$tap_tmp/out")" "^Saved secret t " "and the save is said on stdout, as the value is in it"
[ "$(digest)" != "$before" ]
ok $? "the new store is in place"
is "$(temps)" 0 "no temporary file left"
az secret list
is "$rc" 0 "the store opens"
like "$(cat "$tap_tmp/out")" "^t " "with its secret"

set_value last FAULT_CALL=openat FAULT_NTH=3 FAULT_ERRNO=5
is "$rc" 0 "a fault past the last call of a write never fires: exit 0"

# A rekey to a key file it makes, whose store is in place but its folder not
# synced: the store opens with the new key file only, which must stay (it was
# once removed as for a rekey that did not happen: every secret lost).
mkdir -m 700 "$tap_tmp/rk"
newkey="$tap_tmp/rk/new.key"
env LD_PRELOAD="$shim" FAULT_DIR="$home" FAULT_CALL=fsync FAULT_NTH=2 FAULT_ERRNO=5 \
	"$bin" --home "$home" --key-file "$key" secret rekey --new-key-file "$newkey" </dev/null \
	>"$tap_tmp/out" 2>"$tap_tmp/err"
is "$?" 16 "rekey whose folder's fsync fails after the rename: exit 16"
err=$(cat "$tap_tmp/err")
like "$err" "was written, but syncing its folder failed" "the message says the new store is in place"
like "$err" "keep the old key file too" "and to keep the old key file as well"
unlike "$err" "removed again" "the new key file is not said removed"
like "$(cat "$tap_tmp/out")" "now opens with the key file $newkey" "the key it opens with is said"
"$bin" --home "$home" --key-file "$newkey" secret list </dev/null >"$tap_tmp/out" 2>&1
is "$?" 0 "the new key file is kept and opens the store"
like "$(cat "$tap_tmp/out")" "^t " "with its secret"
key=$newkey

# The store is written before the connector file that names its secrets. The
# connector file's write fails (the fault on its temp file only): the secret
# stored for it is taken back, nothing saved, no temporary file left.
new_w() { # new_w TOKEN [VAR=VALUE...]: a new connector w, with a fault from the environment
	printf '%s' "$1" >"$tap_tmp/token"
	shift
	# In a subshell of its own, whose stderr takes the shell's "Killed" of a crash.
	(env "$@" "$bin" --home "$home" --key-file "$key" new --non-interactive --name w --url-type repo \
		--url https://dev.azure.com/contoso/Payments/_git/web --username u --token-file "$tap_tmp/token" \
		--skip-test >"$tap_tmp/out" 2>"$tap_tmp/err"; exit $?) 2>/dev/null
	rc=$?
	err=$(cat "$tap_tmp/err")
}
new_w tok3n LD_PRELOAD="$shim" FAULT_CALL=write FAULT_NTH=1 FAULT_ERRNO=28 FAULT_NAME=.w.json.tmp.
is "$rc" 1 "the connector file cannot be written (ENOSPC): exit 1"
like "$err" "cannot write $home/connectors/w.json: No space left on device; nothing was saved" \
	"the message names the file and says nothing was saved"
[ ! -e "$home/connectors/w.json" ]
ok $? "no connector file"
is "$(find "$home/connectors" -name '.*tmp*' | wc -l)" 0 "no temporary connector file left"
az secret list
is "$rc" 0 "secret list after it: exit 0"
unlike "$(cat "$tap_tmp/out")" "^w-token " "and its token, stored before, is taken back"
# --write-answers that cannot be written (a full disk): it is written first, so nothing is saved.
fresh="$tap_tmp/fresh-home"
printf 'tok3n' | env LD_PRELOAD="$shim" FAULT_CALL=write FAULT_NTH=1 FAULT_ERRNO=28 \
	"$bin" --home "$fresh" --key-file "$tap_tmp/fresh.key" new --non-interactive --name w --url-type repo \
	--url https://dev.azure.com/contoso/Payments/_git/web --username u --token-stdin --skip-test \
	--write-answers "$tap_tmp/answers.json" >"$tap_tmp/out" 2>"$tap_tmp/err"
frc=$?
like "$(cat "$tap_tmp/err")" "cannot write the answers file .*No space left on device" \
	"--write-answers on a full disk: said"
[ "$frc" = 1 ] && [ ! -e "$fresh/connectors/w.json" ] && [ ! -e "$tap_tmp/fresh.key" ] && [ ! -e "$tap_tmp/answers.json" ]
ok $? "... exit 1, and nothing saved (no connector, no key file, no answers file)"
# The store's write failing: the connector file, written after it, is not.
# Tokens of Azure's length where stderr is matched whole: a short one adds a note (--skip-test).
pat=$(printf 'p%.0s' $(seq 52))
new_w "$pat" LD_PRELOAD="$shim" FAULT_CALL=write FAULT_NTH=1 FAULT_ERRNO=28 FAULT_NAME=.secrets.store.tmp.
like "$rc:$err" "^16:.*cannot write the secret store .*No space left on device.*nothing was saved" \
	"the store cannot be written: exit 16, nothing saved"
[ ! -e "$home/connectors/w.json" ]
ok $? "... and no connector file is written"

# An edit's new token: the connector file's write fails, the old token is back.
new_w old-token
is "$rc" 0 "(connector w made with a token)"
printf '%s' "$pat" | env LD_PRELOAD="$shim" FAULT_CALL=renameat FAULT_NTH=1 FAULT_ERRNO=5 FAULT_NAME=.w.json.tmp. \
	"$bin" --home "$home" --key-file "$key" edit w --non-interactive --username u2 --token-stdin --skip-test \
	>"$tap_tmp/out" 2>"$tap_tmp/err"
like "$?:$(cat "$tap_tmp/err")" "^1:.*w.json.*nothing was saved" "an edit whose file cannot be written: exit 1, nothing saved"
az secret get w-token --to-file "$tap_tmp/got"
is "$rc:$(cat "$tap_tmp/got")" "0:old-token" "the token stored before the edit is back"
grep -q '"username":[[:space:]]*"u"' "$home/connectors/w.json"
ok $? "and the connector file is the one before the edit"
# A secret of another kind (a password) for the edit's new token: refused before anything is written.
printf 'pw-value' >"$tap_tmp/pw"
az secret set pw --kind password --from-file "$tap_tmp/pw"
printf 'new-token' | "$bin" --home "$home" --key-file "$key" edit w --non-interactive --token-secret pw --token-stdin \
	--skip-test >"$tap_tmp/out" 2>"$tap_tmp/err"
is "$?" 3 "an edit's token over a password: exit 3 (a token does not replace another kind)"
az secret list
like "$(cat "$tap_tmp/out")" "^pw +password " "... the password is still a password"
az secret get pw --to-file "$tap_tmp/got-pw"
is "$rc:$(cat "$tap_tmp/got-pw")" "0:pw-value" "... with its value"
# The store written but its folder not synced: in place, so the connector file follows; said,
# never "nothing was saved".
printf 'newer-token' | env LD_PRELOAD="$shim" FAULT_DIR="$home" FAULT_NAME="$home" FAULT_CALL=fsync FAULT_NTH=2 \
	FAULT_ERRNO=5 "$bin" --home "$home" --key-file "$key" edit w --non-interactive --username u3 --token-stdin \
	--skip-test >"$tap_tmp/out" 2>"$tap_tmp/err"
frc=$?
err=$(cat "$tap_tmp/err") out=$(cat "$tap_tmp/out")
az secret get w-token --to-file "$tap_tmp/got-newer"
is "$frc:$(cat "$tap_tmp/got-newer")" "16:newer-token" "the store's folder not synced: exit 16, the new token in place"
grep -q '"username":[[:space:]]*"u3"' "$home/connectors/w.json" && unlike "$err" "nothing was saved"
ok $? "... the connector file written with it, and no 'nothing was saved'"
like "$err" "secrets.store was written, but syncing its folder failed" "... the message says the store is in place"
like "$out" "^saved connector 'w' in " "... and the save is said on stdout, as the connector file is"
printf 'newest-token' | env LD_PRELOAD="$shim" FAULT_DIR="$home" FAULT_NAME="$home" FAULT_CALL=fsync FAULT_NTH=2 \
	FAULT_ERRNO=5 "$bin" --home "$home" --key-file "$key" edit w --non-interactive --username u4 --token-stdin \
	--skip-test --output json >"$tap_tmp/out" 2>"$tap_tmp/err"
like "$?:$(cat "$tap_tmp/out")" '^16:.*"saved":true,"changed":true' "... with --output json: exit 16, saved and changed"
# A failed check saved anyway (--save-on-failure), the store's folder not synced: the status stays
# the check's (4), the folder said.
printf 'tok-sof' | env LD_PRELOAD="$shim" FAULT_DIR="$home" FAULT_NAME="$home" FAULT_CALL=fsync FAULT_NTH=2 \
	FAULT_ERRNO=5 "$bin" --home "$home" --key-file "$key" new --non-interactive --name sof --url-type repo \
	--url https://127.0.0.1:1/contoso/Payments/_git/web --username u --token-stdin --save-on-failure \
	--timeout 5 >"$tap_tmp/out" 2>"$tap_tmp/err"
like "$?:$(cat "$tap_tmp/err")" "^4:.*secrets.store was written, but syncing its folder failed" \
	"a failed check saved anyway, the store's folder not synced: exit 4, the folder said"
[ -s "$home/connectors/sof.json" ]
ok $? "... and the connector is saved"
# A store made by this run, the connector file not written: said that it stays (empty).
made="$tap_tmp/made-home"
printf '%s' "$pat" | env LD_PRELOAD="$shim" FAULT_CALL=write FAULT_NTH=1 FAULT_ERRNO=28 FAULT_NAME=.w.json.tmp. \
	"$bin" --home "$made" --key-file "$key" new --non-interactive --name w --url-type repo \
	--url https://dev.azure.com/contoso/Payments/_git/web --username u --token-stdin --skip-test \
	>"$tap_tmp/out" 2>"$tap_tmp/err"
like "$?:$(cat "$tap_tmp/err")" "^1:.*nothing was saved \(the secret store made for it stays, empty\)" \
	"a new store, the connector file not written: exit 1, the store made for it said to stay, empty"

# Killed (a crash) between the two writes: the store has the secret, no file
# names a missing one. Killed at the store's write: nothing saved at all.
rm -f "$home/connectors/w.json"
az secret rm w-token --yes
new_w tok3n LD_PRELOAD="$shim" FAULT_CALL=openat FAULT_NTH=1 FAULT_ERRNO=kill FAULT_NAME=.secrets.store.tmp.
[ "$rc" = 137 ] && [ ! -e "$home/connectors/w.json" ]
ok $? "killed as the store is written: no connector file (it would name a secret not stored)"
new_w tok3n LD_PRELOAD="$shim" FAULT_CALL=openat FAULT_NTH=1 FAULT_ERRNO=kill FAULT_NAME=.w.json.tmp.
[ "$rc" = 137 ] && [ ! -e "$home/connectors/w.json" ]
ok $? "killed as the connector file is written: no connector file"
az secret list
like "$(cat "$tap_tmp/out")" "^w-token " "but the token typed is kept in the store"
# A temp file a crash left long ago (none is left by the kill above, at its open): the next write takes it away.
printf '{' >"$home/connectors/.w.json.tmp.99999" && touch -d '2 hours ago' "$home/connectors/.w.json.tmp.99999"
new_w tok3n
is "$rc:$err" "0:" "the same command run again saves the connector (the token stored is the one given)"
[ ! -e "$home/connectors/.w.json.tmp.99999" ]
ok $? "... and removes the connector's temp file a crash left"
rm -f "$home/connectors/w.json"
new_w other-token
like "$rc:$err" "^3:.*the store already has a secret 'w-token'" "(a different token under that id is still refused: exit 3)"

# The connector file's folder cannot be synced after the rename: the file is in
# place, and the message says so rather than "cannot write".
printf 'tok3n' | env LD_PRELOAD="$shim" FAULT_DIR="$home/connectors" FAULT_NAME="$home/connectors" \
	FAULT_CALL=fsync FAULT_NTH=2 \
	FAULT_ERRNO=5 "$bin" --home "$home" --key-file "$key" new --non-interactive --name w2 \
	--url-type repo --url https://dev.azure.com/contoso/Payments/_git/web --username u --token-stdin \
	--skip-test >"$tap_tmp/out" 2>"$tap_tmp/err"
is "$?" 1 "the connectors folder cannot be synced: exit 1"
like "$(cat "$tap_tmp/err")" "w2.json was written, but syncing its folder failed" "the message says the file is in place"
[ -s "$home/connectors/w2.json" ]
ok $? "the connector file is there"
unlike "$(cat "$tap_tmp/err")" "remove them" "and does not suggest removing the stored secrets"

# secret rm whose store is in place but its folder not synced: the secret is
# gone and said so, and the public key file of a key made here goes with it.
az secret set gk --generate
is "$rc" 0 "(an SSH key made with secret set --generate)"
pubs=$(find "$home" -name 'gk*.pub' | wc -l)
env LD_PRELOAD="$shim" FAULT_DIR="$home" FAULT_NAME="$home" FAULT_CALL=fsync FAULT_NTH=2 FAULT_ERRNO=5 \
	"$bin" --home "$home" --key-file "$key" secret rm gk --yes </dev/null >"$tap_tmp/out" 2>"$tap_tmp/err"
is "$?" 16 "secret rm whose store's folder cannot be synced: exit 16"
is "$pubs $(find "$home" -name 'gk*.pub' | wc -l)" "1 0" "its public key file goes with it"
like "$(cat "$tap_tmp/out")" "^Removed secret gk\." "the removal is said"
az secret list
unlike "$(cat "$tap_tmp/out")" "^gk " "and the store no longer holds it"

# secret set --generate whose store is in place but its folder not synced: the
# key is stored, so its public key is printed and written all the same.
env LD_PRELOAD="$shim" FAULT_DIR="$home" FAULT_NAME="$home" FAULT_CALL=fsync FAULT_NTH=2 FAULT_ERRNO=5 \
	"$bin" --home "$home" --key-file "$key" secret set gk --generate </dev/null >"$tap_tmp/out" 2>"$tap_tmp/err"
is "$?" 16 "secret set --generate whose store's folder cannot be synced: exit 16"
like "$(cat "$tap_tmp/out")" "^ssh-rsa [A-Za-z0-9+/=]+ [^ ]*gk" "the public key is printed"
is "$(find "$home" -name 'gk*.pub' | wc -l)" 1 "and written beside the store"
az secret list
like "$(cat "$tap_tmp/out")" "^gk +ssh-private-key" "the store holds the key"

# delete whose folder's fsync fails after the unlink: the connector is gone and
# said so, its draft too, with the warning (it was 'cannot delete', exit 1).
printf '{}' >"$home/edit-w2.json"
env LD_PRELOAD="$shim" FAULT_DIR="$home/connectors" FAULT_CALL=fsync FAULT_NTH=1 FAULT_ERRNO=5 \
	"$bin" --home "$home" --key-file "$key" delete w2 --yes </dev/null >"$tap_tmp/out" 2>"$tap_tmp/err"
is "$?" 1 "delete whose folder cannot be synced: exit 1"
like "$(cat "$tap_tmp/out")" "^Deleted connector 'w2'\." "the deletion is said (and the secret it leaves unused)"
like "$(cat "$tap_tmp/err")" "w2.json was removed, but syncing its folder failed .*: after a power loss it may be back" \
	"with the folder's fsync failure"
[ ! -e "$home/connectors/w2.json" ] && [ ! -e "$home/edit-w2.json" ]
ok $? "the file is gone, and its edit draft"

# The mode every file and folder is created with (store-design.md §6.10: the
# temp file is never visible with a looser mode). Under umask 000, a new store,
# a rewrite, a rekey to a new key file and a new connector: the shim logs each
# create call; the mode asked for has no group or other bit, nor has the mode
# the file got (asked for less the umask at the call), nor any file left.
mdir="$tap_tmp/modes"
mhome="$mdir/home"
mlog="$tap_tmp/modes.log"
mkdir -m 700 "$mdir"
logged() { # logged ARGS...: the program under umask 000 with the create log
	(umask 000 && env LD_PRELOAD="$shim" FAULT_LOG="$mlog" "$bin" --home "$mhome" "$@" \
		>"$tap_tmp/out" 2>"$tap_tmp/err")
}
printf 'v1' | logged --key-file "$key" secret set a
r1=$?
printf 'v2' | logged --key-file "$key" secret set b
r2=$?
logged --key-file "$key" secret rekey --new-key-file "$mdir/new.key" </dev/null
r3=$?
printf 'tok3n' | logged --key-file "$mdir/new.key" new --non-interactive --name m --url-type repo \
	--url https://dev.azure.com/contoso/Payments/_git/web --username u --token-stdin --skip-test
r4=$?
is "$r1 $r2 $r3 $r4" "0 0 0 0" "create, rewrite, rekey and a new connector under umask 000 with the create log: exit 0"
log=$(cat "$mlog" 2>/dev/null)
like "$log" "^openat [0-7]+ [0-7]+ $mhome/\\.secrets\\.store\\.tmp\\." "the log shows the store's temp files created"
like "$log" "^open [0-7]+ [0-7]+ $mhome/secrets\\.store\\.lock\$" "and its lock file"
like "$log" "^openat [0-7]+ [0-7]+ $mdir/\\.\$" "and the new key file, made with no name in its folder (O_TMPFILE)"
like "$log" "^mkdir [0-7]+ [0-7]+ $mhome/connectors\$" "and the connectors folder"
like "$log" "^openat [0-7]+ [0-7]+ $mhome/connectors/\\.m\\.json\\.tmp\\." "and the connector's temp file"
loose=""
gave=""
while read -r call mode mask path; do
	case "$path" in "$tap_tmp"/*) ;; *) continue ;; esac
	[ $((0$mode & 077)) -eq 0 ] || loose="$loose $call $mode $path;"
	[ $((0$mode & ~0$mask & 077)) -eq 0 ] || gave="$gave $call $mode-$mask $path;"
done <"$mlog"
is "$loose" "" "every create (and chmod) asks for a mode without group or other bits, whatever the umask"
is "$gave" "" "and no file or folder got such a bit at its creation"
is "$(find "$mdir" -perm /077 | tr '\n' ' ')" "" "no file or folder there is open to group or others"
