# I/O errors while the store or a connector file is written (store-design.md
# §6.7): the n-th
# openat, write, fsync or rename of a write fails (EIO, ENOSPC). Each time the
# exit status is 16 with a message, no temporary file is left and the store
# still opens, byte for byte the old one; only when the folder's fsync fails
# after the rename is the new file in place, and the message says so.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
shim="$top_builddir/tests/integration/faultfs.so"
[ -f "$shim" ] || bail "$shim was not built"
case "$(ldd "$bin")" in *libasan*) skip_all "an ASan build: an LD_PRELOAD shim cannot run before its runtime" ;; esac
plan 41

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
[ "$(digest)" != "$before" ]
ok $? "the new store is in place"
is "$(temps)" 0 "no temporary file left"
az secret list
is "$rc" 0 "the store opens"
like "$(cat "$tap_tmp/out")" "^t " "with its secret"

set_value last FAULT_CALL=openat FAULT_NTH=3 FAULT_ERRNO=5
is "$rc" 0 "a fault past the last call of a write never fires: exit 0"

# A connector file whose write fails: the secret is already stored (said so),
# the connector file is not there, no temporary file is left.
printf 'tok3n' | env LD_PRELOAD="$shim" FAULT_CALL=write FAULT_NTH=2 FAULT_ERRNO=28 \
	"$bin" --home "$home" --key-file "$key" new --non-interactive --name w --url-type repo \
	--url https://dev.azure.com/contoso/Payments/_git/web --username u --token-stdin --skip-test \
	>"$tap_tmp/out" 2>"$tap_tmp/err"
is "$?" 1 "the connector file cannot be written (ENOSPC): exit 1"
like "$(cat "$tap_tmp/err")" "the secrets were stored; remove them" "the message says the secret is stored and how to remove it"
[ ! -e "$home/connectors/w.json" ]
ok $? "no connector file"
is "$(find "$home/connectors" -name '.*tmp*' | wc -l)" 0 "no temporary connector file left"

# The connector file's folder cannot be synced after the rename: the file is in
# place, and the message says so rather than "cannot write".
printf 'tok3n' | env LD_PRELOAD="$shim" FAULT_DIR="$home/connectors" FAULT_CALL=fsync FAULT_NTH=3 \
	FAULT_ERRNO=5 "$bin" --home "$home" --key-file "$key" new --non-interactive --name w2 \
	--url-type repo --url https://dev.azure.com/contoso/Payments/_git/web --username u --token-stdin \
	--skip-test >"$tap_tmp/out" 2>"$tap_tmp/err"
is "$?" 1 "the connectors folder cannot be synced: exit 1"
like "$(cat "$tap_tmp/err")" "w2.json was written, but syncing its folder failed" "the message says the file is in place"
[ -s "$home/connectors/w2.json" ]
ok $? "the connector file is there"
unlike "$(cat "$tap_tmp/err")" "remove them" "and does not suggest removing the stored secrets"
