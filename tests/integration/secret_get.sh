# 'secret get': a value written byte for byte to a pipe or to a new file of
# mode 0600, never onto a terminal, never over a file or through a link; an
# unknown id is named with the one perhaps meant. 'secret set --generate': F3's
# new key without a terminal, its public key printed, never over a secret.
# Runs are under setsid (no terminal) except where a terminal is the point
# (script(1) gives one).
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
home="$tap_tmp/home"
key="$tap_tmp/store.key"
head -c 32 /dev/urandom >"$key" && chmod 600 "$key"
export AZREPOS_CONNECT_HOME="$home"
unset CREDENTIALS_DIRECTORY
out="$tap_tmp/out"
mkdir -m 700 "$out"
# Files made by '>' here are the user's own only (else 'secret get' refuses them, as tested below).
umask 077
plan 73

# az ARGS...: run with the key file, stdout to $out/stdout; rc and err set.
az() {
	setsid -w "$bin" --key-file "$key" "$@" >"$out/stdout" 2>"$out/stderr" </dev/null
	rc=$?
	err=$(cat "$out/stderr")
}
digest() { sha256sum "$1" | cut -d' ' -f1; }

az secret get web-pat
like "$rc:$err" "^17:.*no secret store" "no store yet: exit 17, said so"
az secret get "$(head -c 100000 /dev/zero | tr '\0' a)"
like "$rc:$(printf '%s' "$err" | wc -c)" "^3:2[0-9][0-9]$" "a 100000-byte id: exit 3, in a short message (not said back whole)"

# A key in PEM (several lines, a final newline) and a token without one.
ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -C get-test -f "$tap_tmp/id_rsa" </dev/null
setsid -w "$bin" --key-file "$key" secret set deploy-key --kind ssh-private-key \
	--from-file "$tap_tmp/id_rsa" </dev/null >/dev/null 2>&1
printf 'pat-0123456789abcdef' >"$tap_tmp/pat"
setsid -w "$bin" --key-file "$key" secret set web-pat --from-file "$tap_tmp/pat" </dev/null >/dev/null 2>&1
az secret list
like "$(cat "$out/stdout")" "deploy-key +ssh-private-key" "two secrets stored"

az secret get web-pat
is "$rc" 0 "get to a pipe: exit 0"
is "$(digest "$out/stdout")" "$(digest "$tap_tmp/pat")" "the token byte for byte, nothing added"
is "$err" "" "and nothing on stderr"
az secret get deploy-key
is "$(digest "$out/stdout")" "$(digest "$tap_tmp/id_rsa")" "the key byte for byte, its last newline kept"

az secret get deploy-key --to-file "$tap_tmp/key.pem"
is "$rc" 0 "--to-file: exit 0"
is "$(cat "$out/stdout")" "Wrote secret 'deploy-key' (ssh-private-key) to $tap_tmp/key.pem (mode 0600)." \
	"--to-file: says what went where"
is "$(stat -c %a "$tap_tmp/key.pem")" 600 "the file is mode 0600"
is "$(digest "$tap_tmp/key.pem")" "$(digest "$tap_tmp/id_rsa")" "and holds the key byte for byte"
is "$(ssh-keygen -y -f "$tap_tmp/key.pem" | cut -d' ' -f1,2)" "$(cut -d' ' -f1,2 "$tap_tmp/id_rsa.pub")" \
	"ssh-keygen takes the file written"

# Standard output a file others can read ('> F' under umask 022): refused, nothing written.
(umask 022 && setsid -w "$bin" --key-file "$key" secret get web-pat >"$out/shared" 2>"$out/stderr" </dev/null)
like "$?:$(cat "$out/stderr")" "^2:.*standard output is a file others can read \(mode 0644\): give --to-file F instead" \
	"stdout a file of mode 0644: exit 2, --to-file named"
[ ! -s "$out/shared" ]
ok $? "and nothing is written to it"
# ... or a file of another user, mode 0600 or not: its owner reads it (the suite runs as root).
if [ "$(id -u)" -eq 0 ]; then
	: >"$out/theirs" && chmod 600 "$out/theirs" && chown 65534 "$out/theirs"
	setsid -w "$bin" --key-file "$key" secret get web-pat >>"$out/theirs" 2>"$out/stderr" </dev/null
	like "$?:$(cat "$out/stderr")$(cat "$out/theirs")" "^2:.*standard output is a file of another user \(uid 65534\), who can read it: give --to-file F instead \(a new file, mode 0600\)\$" \
		"stdout a 0600 file of another user: exit 2, nothing written"
else
	ok 0 "# SKIP only root can give a file to another user"
fi
# Standard output a socket (a service's journal): refused, nothing sent.
/usr/bin/python3 -c '
import socket, subprocess, sys
a, b = socket.socketpair()
p = subprocess.run(sys.argv[1:], stdout=a.fileno(), stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
a.close()
b.settimeout(2)
try:
    sent = b.recv(4096)
except OSError:
    sent = b""
print("%d:%d:%s" % (p.returncode, len(sent), p.stderr.decode().strip().splitlines()[0]))
' "$bin" --key-file "$key" secret get web-pat >"$out/sock" 2>&1
like "$(cat "$out/sock")" "^2:0:.*standard output is a socket \(a service's journal keeps what is written there\): give --to-file F" \
	"stdout a socket: exit 2, nothing sent, --to-file named"

# Never over a file: the one there stays as it was.
before=$(digest "$tap_tmp/key.pem")
az secret get web-pat --to-file "$tap_tmp/key.pem"
like "$rc:$err" "^1:.*key.pem already exists and is not overwritten: give a new file name" \
	"an existing file: exit 1, the fix named"
is "$(digest "$tap_tmp/key.pem")" "$before" "and the file is untouched"
# Nor through a link: a dangling one is not followed to make its target.
ln -s "$tap_tmp/elsewhere" "$tap_tmp/link.pem"
az secret get web-pat --to-file "$tap_tmp/link.pem"
is "$rc" 1 "a symbolic link (dangling) as --to-file: exit 1"
[ ! -e "$tap_tmp/elsewhere" ]
ok $? "and its target is not created"
# A folder that cannot be written: said, and nothing left.
# (root writes anywhere: for root, a folder that is not there.)
rodir="$tap_tmp/missing"
if [ "$(id -u)" -ne 0 ]; then
	rodir="$tap_tmp/ro"
	mkdir -m 500 "$rodir"
fi
az secret get web-pat --to-file "$rodir/pat"
like "$rc:$err" "^1:.*cannot write $rodir/pat: (Permission denied|No such file or directory)" \
	"a folder it cannot write in: exit 1 with the reason"

# An id not stored: exit 17, the near one named, no file made.
az secret get web-pta --to-file "$tap_tmp/none"
like "$rc:$err" "^17:.*no secret 'web-pta' in the store; did you mean 'web-pat'\\?" \
	"an unknown id: exit 17, the id meant named"
[ ! -e "$tap_tmp/none" ]
ok $? "and no file is made"
az secret rm web-pta
like "$rc:$err" "^17:.*did you mean 'web-pat'\\?" "rm of a mistyped id names the one meant too"
az secret get 'Web Pat'
is "$rc" 3 "an id that cannot be one: exit 3"

# A terminal on stdout: refused before the store is opened, nothing shown.
TERM=dumb script -qec "'$bin' --key-file '$key' secret get web-pat" "$out/typescript" >/dev/null 2>&1
is "$?" 2 "stdout a terminal: exit 2"
like "$(cat "$out/typescript")" "standard output is a terminal and a secret is not shown: give --to-file F" \
	"the terminal is told how to get it instead"
grep -q 'pat-0123456789abcdef' "$out/typescript"
is "$?" 1 "the terminal never shows the value"

# Options of other subcommands, and a missing id: usage errors.
az secret get --to-file "$tap_tmp/x"
like "$rc:$err" "^2:.*secret get: needs one secret id" "no id: exit 2"
az secret set web-pat --to-file "$tap_tmp/x"
like "$rc:$err" "^2:.*--to-file/--pem applies to 'secret get' only" "--to-file with set: exit 2"
[ ! -e "$tap_tmp/x" ]
ok $? "and nothing is written"

# set --generate: a new RSA 4096 key, its public key on stdout and in <home>/<id>.pub.
az secret set fleet-key --generate
is "$rc" 0 "set --generate: exit 0"
pub=$(cat "$out/stdout")
like "$pub" "^ssh-rsa AAAA[A-Za-z0-9+/=]+ azrepos-connect:fleet-key@$(hostname)\$" \
	"stdout: the public key line alone, its comment naming the id and the host"
is "$(cat "$home/fleet-key.pub")" "$pub" "and the same line in <home>/fleet-key.pub"
like "$err" "Add its public key .* in Azure DevOps" "stderr says where the public key goes"
printed=$(printf '%s\n' "$err" | sed -n '/^For a Harness SSH credential (user git):$/{n;s/^  //p;}')
(cd "$tap_tmp" && eval "set -- $printed" && shift && setsid -w "$bin" "$@" </dev/null >/dev/null 2>&1)
is "$(head -1 "$tap_tmp/fleet-key.pem" 2>/dev/null)" "-----BEGIN RSA PRIVATE KEY-----" \
	"the 'secret get' command it prints writes the key, PEM (BEGIN RSA PRIVATE KEY)"
is "$(ssh-keygen -y -f "$tap_tmp/fleet-key.pem" 2>/dev/null | cut -d' ' -f1,2)" "$(printf '%s' "$pub" | cut -d' ' -f1,2)" \
	"ssh-keygen derives the public key printed from it"
az secret list
like "$(cat "$out/stdout")" "fleet-key +ssh-private-key" "listed as an ssh-private-key"

# Never over a secret: the key stored stays, and its .pub.
before=$(digest "$tap_tmp/fleet-key.pem")
az secret set fleet-key --generate
like "$rc:$err" "^3:.*'fleet-key' is already stored \(ssh-private-key\): a new key never replaces a secret; remove it first" \
	"--generate on an id stored: exit 3, the way out named"
az secret get fleet-key
is "$(digest "$out/stdout")" "$before" "and the stored key is the same"
is "$(cat "$home/fleet-key.pub")" "$pub" "and so is its .pub"
az secret set other-key --generate --kind token
like "$rc:$err" "^2:.*--generate: the value is a new SSH private key: leave out --kind\$" \
	"--generate with another --kind: exit 2"
az secret get fleet-key --generate
like "$rc:$err" "^2:.*--kind/--from-file/--generate applies to 'secret set' only" "--generate with get: exit 2"

# rm of a key made here takes its .pub along, and says so.
az secret rm fleet-key
is "$rc" 0 "rm of the key made: exit 0"
like "$(cat "$out/stdout")" "Removed its public key file $home/fleet-key.pub too" "rm says its .pub went too"
[ ! -e "$home/fleet-key.pub" ]
ok $? "and the .pub is gone"

# The same key set again keeps its .pub; another key under the id removes it (it would be
# added to Azure DevOps for nothing), and says so.
az secret set fleet-key --generate
pub=$(cat "$out/stdout")
az secret get fleet-key --to-file "$tap_tmp/fleet-key2.pem"
az secret set fleet-key --from-file "$tap_tmp/fleet-key2.pem"
is "$rc:$(cat "$home/fleet-key.pub")" "0:$pub" "the key made set again from its file: its .pub stays"
az secret set fleet-key --from-file "$tap_tmp/id_rsa"
[ ! -e "$home/fleet-key.pub" ]
ok $? "another key set under its id: the old .pub is removed"
like "$rc:$err" "^0:.*Removed $home/fleet-key.pub: it held the public key of the SSH key replaced" "and that is said"
# The same key, now with a passphrase (not at hand to read it): which key it is cannot be told, its .pub stays.
az secret set pp-key --generate
ppub=$(cat "$out/stdout")
az secret get pp-key --to-file "$tap_tmp/pp-key.pem"
ssh-keygen -q -p -N 'a passphrase' -f "$tap_tmp/pp-key.pem" </dev/null >/dev/null 2>&1
az secret set pp-key --kind ssh-private-key --from-file "$tap_tmp/pp-key.pem"
is "$rc:$(cat "$home/pp-key.pub" 2>/dev/null)" "0:$ppub" "the same key with a passphrase set again: its .pub stays"
az secret set edit-key --generate
az new --non-interactive --name gk --url-type repo --connection ssh --skip-test \
	--url git@ssh.dev.azure.com:v3/contoso/Shop/web --ssh-key-secret edit-key
az edit gk --non-interactive --skip-test --ssh-key-file "$tap_tmp/id_rsa"
like "$rc:$err" "^0:.*Removed $home/edit-key.pub: it held the public key of the SSH key replaced" \
	"an edit that gives the connector another key under the id: its old .pub removed, said"
[ ! -e "$home/edit-key.pub" ]
ok $? "and gone"

# get --pem: a key in OpenSSH form (ssh-keygen's default, which a Harness SSH
# credential does not take) in PEM form, byte for byte what 'ssh-keygen -p -m
# PEM' makes of it: random keys of several sizes (p and q of every shape).
# pem_want F: F rewritten by ssh-keygen in PEM form, as $F.want.
pem_want() {
	cp "$1" "$1.want" && ssh-keygen -q -p -N '' -m PEM -f "$1.want" >/dev/null </dev/null
}
same=0
for bits in 1024 1024 1024 1024 1024 1024 1024 1024 2048 3072 4096; do
	ssh-keygen -q -t rsa -b $bits -N '' -C pem-test -f "$tap_tmp/os" </dev/null
	pem_want "$tap_tmp/os"
	setsid -w "$bin" --key-file "$key" secret set os --kind ssh-private-key --from-file "$tap_tmp/os" \
		</dev/null >/dev/null 2>&1
	az secret get os --pem --to-file "$tap_tmp/os.pem"
	[ "$rc" = 0 ] && cmp -s "$tap_tmp/os.pem" "$tap_tmp/os.want" && same=$((same + 1))
	setsid -w "$bin" --key-file "$key" secret rm os --yes </dev/null >/dev/null 2>&1
	rm -f "$tap_tmp/os" "$tap_tmp/os.pub" "$tap_tmp/os.pem" "$tap_tmp/os.want"
done
is "$same" 11 "get --pem of 11 RSA keys (1024 to 4096 bits) in OpenSSH form: each what ssh-keygen -m PEM writes"

# secret set of a key in OpenSSH form says what Harness needs, and the command; the command works.
ssh-keygen -q -t rsa -b 3072 -N '' -C pem-test -f "$tap_tmp/ossh" </dev/null
pem_want "$tap_tmp/ossh"
az secret set ossh --kind ssh-private-key --from-file "$tap_tmp/ossh"
is "$rc:$(cat "$out/stdout")" "0:Saved secret ossh (ssh-private-key)." "set of an OpenSSH key: exit 0"
is "$err" "The key, for a Harness SSH credential (user git), which takes PEM only:
  azrepos-connect --key-file $key secret get ossh --pem --to-file ossh.pem" \
	"and says Harness takes another form, with the command that writes it"
printed=$(printf '%s\n' "$err" | sed -n '/which takes PEM only:$/{n;s/^  //p;}')
(cd "$tap_tmp" && eval "set -- $printed" && shift && setsid -w "$bin" "$@" </dev/null >"$out/ran" 2>&1)
is "$(cat "$out/ran")" "Wrote secret 'ossh' (ssh-private-key, PEM form) to ossh.pem (mode 0600)." \
	"the command printed: says it wrote the PEM form"
cmp -s "$tap_tmp/ossh.pem" "$tap_tmp/ossh.want"
ok $? "and wrote what ssh-keygen -m PEM writes"
is "$(stat -c %a "$tap_tmp/ossh.pem")" 600 "mode 0600"
az secret get ossh --pem
is "$rc:$(digest "$out/stdout")" "0:$(digest "$tap_tmp/ossh.want")" "get --pem to a pipe: the same bytes"
az secret get ossh
is "$(digest "$out/stdout")" "$(digest "$tap_tmp/ossh")" "without --pem: the key as it was given"

# PKCS#8 too; a PEM key is written as it is, and secret set has nothing to say of it.
ssh-keygen -q -t rsa -b 2048 -N '' -m PKCS8 -C pem-test -f "$tap_tmp/p8" </dev/null
pem_want "$tap_tmp/p8"
az secret set p8 --kind ssh-private-key --from-file "$tap_tmp/p8"
is "$err" "The key, for a Harness SSH credential (user git), which takes PEM only:
  azrepos-connect --key-file $key secret get p8 --pem --to-file p8.pem" "set of a PKCS#8 key: the same advice"
az secret get p8 --pem
is "$(digest "$out/stdout")" "$(digest "$tap_tmp/p8.want")" "get --pem of a PKCS#8 key: what ssh-keygen -m PEM writes"
az secret get deploy-key --pem
is "$rc:$(digest "$out/stdout")" "0:$(digest "$tap_tmp/id_rsa")" "get --pem of a PEM key: the key as it is"
setsid -w "$bin" --key-file "$key" secret set pem-again --kind ssh-private-key --from-file "$tap_tmp/id_rsa" \
	</dev/null >/dev/null 2>"$out/stderr"
is "$(cat "$out/stderr")" "" "set of a PEM key: nothing to say"
ssh-keygen -q -t rsa -b 2048 -m PEM -N 'pem pass' -C pem-test -f "$tap_tmp/pem_enc" </dev/null
az secret set pem-enc --kind ssh-private-key --from-file "$tap_tmp/pem_enc"
is "$rc:$err" "0:" "set of a PEM key with a passphrase: nothing to say either (Harness takes it, and the passphrase)"
az secret get pem-enc --pem
is "$rc:$(digest "$out/stdout")" "0:$(digest "$tap_tmp/pem_enc")" "get --pem of it: the key as it is"

# A key with a passphrase: --pem cannot keep it; set says to convert with ssh-keygen, and that works.
ssh-keygen -q -t rsa -b 2048 -N 'old pass' -C pem-test -f "$tap_tmp/enc" </dev/null
az secret set enc --kind ssh-private-key --from-file "$tap_tmp/enc"
is "$err" "The key, for a Harness SSH credential (user git), which takes PEM only:
  azrepos-connect --key-file $key secret get enc --to-file enc.pem
  ssh-keygen -p -m PEM -f enc.pem" \
	"set of an OpenSSH key with a passphrase: get it as it is, then ssh-keygen -p -m PEM"
az secret get enc --pem --to-file "$tap_tmp/enc.pem"
like "$rc:$err" "^3:.*'enc' has a passphrase, which --pem cannot keep: write it without --pem, then convert that file with 'ssh-keygen -p -m PEM -f FILE'" \
	"get --pem of it: exit 3, the way named"
[ ! -e "$tap_tmp/enc.pem" ]
ok $? "and nothing is written"
az secret get enc --to-file "$tap_tmp/enc.pem"
ssh-keygen -q -p -P 'old pass' -N 'old pass' -m PEM -f "$tap_tmp/enc.pem" >/dev/null 2>&1 </dev/null
is "$(sed -n '1p;2p' "$tap_tmp/enc.pem")" "-----BEGIN RSA PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED" "the way named gives PEM with the passphrase kept"

# Not an SSH key, or --pem elsewhere: refused, nothing written.
az secret get web-pat --pem --to-file "$tap_tmp/pat.pem"
like "$rc:$err" "^3:.*'web-pat' is a token: --pem is for SSH private keys" "get --pem of a token: exit 3"
[ ! -e "$tap_tmp/pat.pem" ]
ok $? "and nothing is written"
az secret set other --pem
like "$rc:$err" "^2:.*--to-file/--pem applies to 'secret get' only" "--pem with set: exit 2"
