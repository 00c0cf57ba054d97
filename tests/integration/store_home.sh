# Homes that are not the user's own: root run with another user's HOME (sudo -E,
# su -m), a --home in another user's folder, a shared HOME (/tmp), a key file
# made where others could remove it, a folder a run as root closed to its user.
# Each is refused with what fixes it, never a chown that takes another user's
# home, and nothing is made there first.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
[ "$(id -u)" -eq 0 ] || skip_all "not root: folders of another user cannot be arranged"
command -v setpriv >/dev/null || skip_all "no setpriv"
plan 24

key="$tap_tmp/store.key"
head -c 32 /dev/urandom >"$key" && chmod 600 "$key"
printf 'tok3n-value' >"$tap_tmp/token"
chmod 711 "$tap_tmp"
theirs="$tap_tmp/theirs"
mkdir -m 755 "$theirs" && chown 65534:65534 "$theirs"
run() { # run ARGS...: the program, its stdout, stderr and exit status
	"$@" </dev/null >"$tap_tmp/out" 2>"$tap_tmp/err"
	rc=$?
	err=$(cat "$tap_tmp/err")
}
made() { find "$1" -mindepth 1 | wc -l; }
new_x() { # new_x GLOBAL-OPTIONS...: a connector x, not tested
	run "$@" new --non-interactive --name x --url-type repo --url https://dev.azure.com/contoso/Payments/_git/web \
		--username u --token-file "$tap_tmp/token" --skip-test
}

# --- root with a HOME another user owns (sudo -E): HOME named, never a chown of it
run env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME HOME="$theirs" \
	"$bin" --key-file "$key" secret set s1 --from-file "$tap_tmp/token"
is "$rc" 14 "secret set as root with another user's HOME: exit 14"
like "$err" "the home folder $theirs \\(HOME\\) belongs to uid 65534, not to you \\(uid 0\\): a HOME kept from another user \\(sudo -E, su -m\\)\\? Run with your own \\(sudo -H, su -\\)" \
	"... the HOME is said, with the ways to run with one's own"
unlike "$err" "chown" "... never a chown of it"
is "$(made "$theirs")" 0 "... and nothing is made in it (it made .local/share there, root's)"
new_x env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME HOME="$theirs" \
	"$bin" --key-file "$key"
like "$rc:$err" "^[1-9][0-9]*:.*the home folder $theirs \\(HOME\\) belongs to uid 65534" "new: the same"
is "$(made "$theirs")" 0 "... nothing made"
# That user's own connector there already: still the HOME said, not a chown of their file.
chmod 644 "$tap_tmp/token"
new_x env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME HOME="$theirs" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --key-file "$theirs/k"
[ "$rc" -eq 0 ] || diag "the user's own connector: $err"
run env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME HOME="$theirs" "$bin" show x
like "$rc:$err" "^1:.*the home folder $theirs \\(HOME\\) belongs to uid 65534" \
	"show as root in that HOME, of the user's connector there: the HOME is said"
unlike "$err" "chown" "... not 'chown 0' of the user's folder"
rm -rf "$theirs/.config" "$theirs/.local" "$theirs/k" "$theirs"/*.pub

# --- --home in another user's folder: theirs, not to be taken (no chown), nothing made
run "$bin" --home "$theirs/az" --key-file "$key" secret set s1 --from-file "$tap_tmp/token"
is "$rc" 14 "secret set --home in another user's folder: exit 14"
like "$err" "folder $theirs belongs to uid 65534, not to you \\(uid 0\\): use a folder of your own \\(--home\\)" \
	"... whose folder it is, and to use one's own"
unlike "$err" "chown" "... never a chown of theirs"
is "$(made "$theirs")" 0 "... and $theirs/az is not made"

# --- a shared HOME (sticky, as /tmp): refused as a --home there is
shared="$tap_tmp/shared"
mkdir -m 1777 "$shared"
new_x env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME HOME="$shared" \
	"$bin" --key-file "$key"
like "$rc:$err" "^[1-9][0-9]*:.*folder $shared is shared \\(mode 1777\\): use a folder of your own in it" \
	"HOME a shared folder (HOME=/tmp): refused, with a folder of one's own in it as the way"
is "$(made "$shared")" 0 "... nothing made in it"

# --- a new key file where others could remove it: refused, not made
open="$tap_tmp/open"
mkdir -m 777 "$open"
run "$bin" --home "$tap_tmp/h1" --key-file "$open/new.key" secret set s1 --from-file "$tap_tmp/token"
is "$rc" 14 "a key file to make in a folder others can write: exit 14"
like "$err" "folder $open is writable by group or others .*\\(others could remove or replace the key file there, and every secret with it\\)" \
	"... said, with what others could do"
ok "$([ ! -e "$open/new.key" ] && [ ! -e "$tap_tmp/h1/secrets.store" ]; echo $?)" "... neither the key file nor the store made"

# --- a folder a run as root made in the user's home, 0700: the user is told whose it is
uhome="$tap_tmp/uhome"
mkdir -m 700 "$uhome" && chown 65534:65534 "$uhome"
ukey="$uhome/k"
cp "$key" "$ukey" && chown 65534:65534 "$ukey" && chmod 400 "$ukey"
run env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME HOME="$uhome" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --key-file "$ukey" secret set s1 \
	--from-file "$tap_tmp/token"
is "$rc" 0 "(the user's own store, in their home)"
chown -R 0:0 "$uhome/.local" && chmod 700 "$uhome/.local"
run env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME HOME="$uhome" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --key-file "$ukey" secret list
is "$rc" 14 "the store under a folder root made 0700 in the user's home: exit 14"
like "$err" "folder $uhome/.local belongs to uid 0 and is closed to you \\(uid 65534, mode 0700\\): run 'chown -R 65534 $uhome/.local' as root if it is yours" \
	"... the folder closed to the user named, with the chown that gives it back"

# The home itself closed to the user (sudo -E -u USER keeps root's HOME, /root): a HOME kept
# from another user, never a chown of it; a folder closed outside the home: not to be taken.
rhome="$tap_tmp/roothome"
mkdir -m 700 "$rhome"
run env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME HOME="$rhome" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --key-file "$ukey" secret list
like "$rc:$err" "^14:.*the home folder $rhome \\(HOME\\) is closed to you \\(uid 65534; folder $rhome is uid 0's, mode 0700\\): a HOME kept from another user" \
	"a HOME closed to the user (root's): said as a HOME kept from another user"
unlike "$err" "chown" "... never a chown of it"
run setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --home "$rhome/h" --key-file "$ukey" secret list
like "$rc:$err" "^14:.*folder $rhome belongs to uid 0 and is closed to you \\(uid 65534, mode 0700\\): run as the user it is for, or use a folder of your own \\(--home\\)" \
	"a --home in a folder closed to the user, not its home: another's, no chown"

# --- HOME=/ joins its paths without a double slash
run env -u AZREPOS_CONNECT_HOME -u XDG_CONFIG_HOME HOME=/ "$bin" list
unlike "$(cat "$tap_tmp/out") $err" "//" "HOME=/: paths said as /.config/..., not //.config/..."
