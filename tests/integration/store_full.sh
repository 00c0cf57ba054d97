# A full disk, as systemd's TEST-54 does it (store-design.md §6.8): the store
# on a tmpfs with no room left, then with no inode left. Adding, updating and
# rekeying all fail with exit 16 (io); the store stays byte for byte the old
# one, opens, and no temporary file is left. Needs root (mount).
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
[ "$(id -u)" = 0 ] || skip_all "mounting a tmpfs needs root"
mnt="$tap_tmp/full"
mkdir "$mnt"
mount -t tmpfs -o size=512k,nr_inodes=64,mode=700 azrc-full "$mnt" 2>/dev/null ||
	skip_all "cannot mount a tmpfs here"
trap 'umount "$mnt" 2>/dev/null; rm -rf "$tap_tmp"' EXIT
plan 16

home="$mnt/home"
store="$home/secrets.store"
key="$tap_tmp/store.key"
head -c 32 /dev/urandom >"$key" && chmod 600 "$key"
az() { setsid -w "$bin" --home "$home" --key-file "$key" "$@" >"$tap_tmp/out" 2>"$tap_tmp/err"; rc=$?; }
digest() { sha256sum "$store" | cut -d' ' -f1; }
temps() { find "$home" -name '.*.tmp.*' | wc -l; }
# az_in VALUE ARGS...: az with VALUE on stdin (a here-document: az must not run in a subshell).
az_in() {
	v=$1
	shift
	az "$@" <<VALUE
$v
VALUE
}

az_in first-value secret set first
is "$rc" 0 "a store with one secret on the small tmpfs"

# refused WHAT: the checks after a write that must fail.
refused() {
	is "$rc" 16 "$1: exit 16"
	like "$(cat "$tap_tmp/err")" "cannot write the secret store|No space left" "$1: the message says why"
	is "$(digest)" "$before" "$1: the store is byte for byte the old one"
	is "$(temps)" 0 "$1: no temporary file left"
}

# No room: fill every block.
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
before=$(digest)
az_in second-value secret set second
refused "adding, disk full"
az_in new-first secret set first
refused "updating, disk full"
az secret rekey --new-key-file "$tap_tmp/new.key"
refused "rekeying, disk full"

# Room again, but no inode: the temporary file cannot be made.
rm -f "$mnt/filler"
i=0
# In a subshell: a failed redirection on ':' (a special builtin) ends a POSIX shell such as dash.
while (: >"$mnt/i$i") 2>/dev/null; do i=$((i + 1)); done
az_in second-value secret set second
is "$rc" 16 "adding, no inode left: exit 16"
is "$(digest)" "$before" "no inode left: the store is unchanged"

rm -f "$mnt"/i*
az secret list
is "$rc:$(grep -c -e '^first ' -e '^second ' "$tap_tmp/out")" "0:1" "space again: the store opens, with its one secret"
