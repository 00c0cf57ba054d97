# The git-ssh probe against the local sshd (forced command to git-upload-pack,
# RSA keys with SHA-2 signatures only, as on Azure): keys, host keys, paths.
. "$top_srcdir/tests/integration/check_lib.sh"
plan 107

repo=v3/contoso/Payments/payments-api
kh=$tap_tmp/known_hosts
# ssh PATH KEY-FILE [OPTION...]: the git-ssh probe with the tool's known_hosts $kh.
ssh_probe() {
	p=$1 k=$2
	shift 2
	probe --ssh --ssh-host 127.0.0.1 --ssh-port "$AZF_SSH_PORT" --ssh-user "$AZF_SSH_USER" \
		--ssh-path "$p" --ssh-key-file "$k" --known-hosts "$kh" "$@"
}
cp "$AZF_KNOWN_HOSTS" "$kh"
# The fingerprint as a literal in a regular expression (it holds + and /).
fp=$(printf '%s' "$AZF_SSH_HOSTKEY_FP" | sed 's/[][\.*^$+?(){}|]/\\&/g')

ssh_probe "$repo" "$AZF_SSH_KEY"
is "$rc" 0 "success over SSH (Repository URL path), PEM key: exit 0"
verdict 0 ok null '^3 refs, default branch main$' "git-ssh success"
is "$(j 'p[0].get("public_key", "none")')" none "a key taken: no public key to add"
is "$(j 'p[0]["probe"]'),$(j 'p[0]["ref_count"]'),$(j 'p[0]["host_key"]'),$(j 'p[0]["host_key_fingerprint"]')" \
	"git-ssh,3,known,$AZF_SSH_HOSTKEY_FP" "the host key was found in the tool's known_hosts"

ssh_probe "$repo" "$AZF_SSH_KEY_OPENSSH"
verdict 0 ok null '^3 refs' "an OpenSSH-format key"

# A Project URL connector checks its test repository (a space in the project).
ssh_probe "v3/contoso/Payments%20Platform/web" "$AZF_SSH_KEY_ENC" --ssh-passphrase-file "$AZF_SSH_KEY_ENC_PASS_FILE"
is "$rc" 0 "success (Project URL + test repository, %20), encrypted key with its passphrase: exit 0"
verdict 0 ok null 'default branch main' "an encrypted key and its passphrase"

ssh_probe "$repo" "$AZF_SSH_KEY_ENC"
verdict 0 failed config 'needs a passphrase' "an encrypted key without a passphrase (no prompt)"
ssh_probe "$repo" "$AZF_SSH_KEY_ENC" --ssh-passphrase-file "$AZF_TOKEN_FILE"
verdict 0 failed config 'wrong passphrase' "an encrypted key with a wrong passphrase"
ssh_probe "$repo" "$AZF_TOKEN_FILE"
verdict 0 failed config 'not a private key' "a file that is not a key"

ssh_probe "$repo" "$AZF_SSH_BAD_KEY"
is "$rc" 4 "wrong SSH key: exit 4"
verdict 0 failed auth "^SSH key SHA256:[A-Za-z0-9+/]+ rejected for user '$AZF_SSH_USER': add its public key in Azure DevOps \(User settings, SSH public keys\)$" "wrong SSH key: where to add it named, no address guessed from the SSH host"
is "$(j 'p[0]["public_key"]')" "$(ssh-keygen -y -f "$AZF_SSH_BAD_KEY" | cut -d' ' -f1,2)" \
	"wrong SSH key: its public key given whole, as ssh-keygen -y makes it, to add"
ssh_probe "$repo" "$AZF_SSH_ED25519_KEY"
verdict 0 failed config '^the SSH key is ssh-ed25519: Azure DevOps accepts only RSA keys; generate one with ssh-keygen -t rsa -b 4096 -m PEM$' \
	"an ed25519 key is refused before connecting"

ssh_probe v3/contoso/Payments/nope "$AZF_SSH_KEY"
is "$rc" 4 "repository not found over SSH: exit 4"
verdict 0 failed not-found '^repository not found or no access \(TF401019\)' "missing repository (from the server's stderr)"
ssh_probe v3/contoso/Nope/payments-api "$AZF_SSH_KEY"
verdict 0 failed not-found 'TF401019' "missing project"
ssh_probe v3/contoso/Payments/cut-off "$AZF_SSH_KEY"
verdict 0 failed not-found '^repository not found or no access \(TF401019\)' \
	"a ref list broken off, then TF401019 on stderr: the server's reason, not a protocol error"
ssh_probe "v3/contoso/Payments/it's" "$AZF_SSH_KEY"
verdict 0 failed not-found 'TF401019' "a quote in the path stays inside the quoted argument"
# The longest path that fits the command goes to the server whole; one byte more is refused.
long=v3/contoso/Payments/$(head -c 2009 /dev/zero | tr '\0' x)
ssh_probe "$long" "$AZF_SSH_KEY"
verdict 0 failed not-found 'TF401019' "a path of 2029 bytes is sent"
ssh_probe "${long}x" "$AZF_SSH_KEY"
verdict 0 failed config '^the repository path of the SSH URL is too long \(2030 bytes, the limit is about 2029\): check the URL$' \
	"a longer path is refused, not cut"

# Unknown host key: stop, show the fingerprint and how to accept it; nothing written.
: >"$kh"
ssh_probe "$repo" "$AZF_SSH_KEY"
is "$rc" 4 "unknown host key: exit 4"
verdict 0 failed host-key "^unknown host key for \\[127\\.0\\.0\\.1\\]:$AZF_SSH_PORT: $fp; if that is the server's key, re-run with --accept-host-key $fp\$" \
	"unknown host key"
is "$(j 'p[0]["host_key"]'),$(j 'p[0]["host_key_fingerprint"]')" "unknown,$AZF_SSH_HOSTKEY_FP" "the JSON gives the fingerprint"
is "$(wc -c <"$kh")" 0 "nothing was added to known_hosts"

ssh_probe "$repo" "$AZF_SSH_KEY" --accept-host-key SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
verdict 0 failed host-key "is $fp, not the SHA256:A+ given to --accept-host-key" \
	"--accept-host-key with another fingerprint"

# A known_hosts file there but not readable (a folder in its place): it might list another key,
# so the key is not just unknown; the fingerprint given is the way on (the user's file), or
# moving it away (the program's own, where an accepted key is recorded).
ukh="$tap_tmp/user_known_hosts"
mkdir "$ukh"
ssh_probe "$repo" "$AZF_SSH_KEY" --user-known-hosts "$ukh"
verdict 0 failed host-key "^cannot read $ukh \(not a regular file\), so the host key of .* cannot be checked against it: make it readable \(or move it away\), or give --accept-host-key $fp\$" \
	"an unreadable known_hosts: said, with the way on"
is "$(j 'p[0]["host_key"]')" unchecked "the JSON says unchecked"
ssh_probe "$repo" "$AZF_SSH_KEY" --user-known-hosts "$ukh" --accept-host-key "$AZF_SSH_HOSTKEY_FP"
is "$rc,$(j 'p[0]["host_key"]')" "0,accepted" "... and --accept-host-key with the server's fingerprint accepts it"
rm "$kh" && mkdir "$kh"
ssh_probe "$repo" "$AZF_SSH_KEY"
verdict 0 failed host-key "^cannot read $kh \(not a regular file\), so the host key of .* cannot be checked against it: make it readable \(or move it away\): host keys accepted are kept there\$" \
	"the program's own known_hosts unreadable: moving it away is the way (an accepted key could not be kept)"
rmdir "$kh" && : >"$kh"
ssh_probe "$repo" "$AZF_SSH_KEY" --accept-host-key "${AZF_SSH_HOSTKEY_FP#SHA256:}"
is "$rc,$(j 'p[0]["host_key"]')" "0,accepted" "--accept-host-key takes the fingerprint without 'SHA256:' too"

# When the program records an accepted key (conncheck_record_host_key): never in a dry
# run; with --only-if-passed (new: a failed check saves nothing) after a passing check
# only; by default (test ID, the wizard's "trust") once the probe got past the host key.
line=$(head -n 1 "$AZF_KNOWN_HOSTS" | cut -d" " -f1,2,3)
ssh_probe "$repo" "$AZF_SSH_KEY" --accept-host-key "$AZF_SSH_HOSTKEY_FP" --record --dry-run
is "$rc,$(j 'p[0]["host_key"]'),$(wc -c <"$kh")" "0,accepted,0" "a passing dry run records no accepted key"
ssh_probe "$repo" "$AZF_SSH_BAD_KEY" --accept-host-key "$AZF_SSH_HOSTKEY_FP" --record --only-if-passed
is "$rc,$(j 'p[0]["host_key"]'),$(wc -c <"$kh")" "4,accepted,0" \
	"only if passed: a key accepted by a check that then fails is not recorded"
ssh_probe "$repo" "$AZF_SSH_BAD_KEY" --accept-host-key "$AZF_SSH_HOSTKEY_FP" --record
is "$rc,$(j 'p[0]["host_key"]'),$(cut -d' ' -f1,2,3 "$kh")" "4,accepted,$line" \
	"by default the accepted key is recorded though the login after it failed"
: >"$kh"

ssh_probe "$repo" "$AZF_SSH_KEY" --accept-host-key "$AZF_SSH_HOSTKEY_FP" --record
is "$rc" 0 "--accept-host-key with the right fingerprint: exit 0"
verdict 0 ok null "^3 refs, default branch main; new host key $fp accepted\$" "the accepted key"
is "$(j 'p[0]["host_key"]')" accepted "the JSON says accepted"
is "$(cut -d" " -f1,2,3 "$kh")" "$line" "the caller recorded the key as a known_hosts line"
ssh_probe "$repo" "$AZF_SSH_KEY"
is "$rc,$(j 'p[0]["host_key"]')" "0,known" "next time the key is known"
ssh_probe "$repo" "$AZF_SSH_KEY" --accept-host-key SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
verdict 0 failed host-key "is $fp \(known\), not the SHA256:A+ given to --accept-host-key" \
	"a known key that is not the fingerprint given to --accept-host-key: failed, both named"

# Changed host key: a hard error naming the file and line.
ssh-keygen -q -t rsa -b 2048 -N '' -C '' -f "$tap_tmp/other_host_key"
printf '# first line\n[127.0.0.1]:%s %s\n' "$AZF_SSH_PORT" "$(cut -d' ' -f1,2 "$tap_tmp/other_host_key.pub")" >"$kh"
ssh_probe "$repo" "$AZF_SSH_KEY" --accept-host-key "$AZF_SSH_HOSTKEY_FP"
is "$rc" 4 "changed host key: exit 4, even with --accept-host-key"
verdict 0 failed host-key "^HOST KEY CHANGED for \\[127\\.0\\.0\\.1\\]:$AZF_SSH_PORT \\(now $fp\\), differs from $kh line 2" \
	"changed host key"
old_fp=$(ssh-keygen -lf "$tap_tmp/other_host_key.pub" | cut -d' ' -f2 | sed 's/[][\.*^$+?(){}|/]/\\&/g')
like "$(j 'p[0]["message"]')" "line 2 \\($old_fp\\): .*then check again with --accept-host-key $fp\$" \
	"... with the key that line lists, and the next step once the new key is confirmed"
# The command it gives removes that line, and only that one.
fix=$(j 'p[0]["message"]' | sed -n "s/.*(\\(ssh-keygen -R '[^']*' -f [^ )]*\\)).*/\\1/p")
[ -n "$fix" ] && eval "$fix" >/dev/null 2>&1 && [ "$(cat "$kh")" = "# first line" ]
ok $? "... and the ssh-keygen -R it gives removes that line (only)"
printf '# first line\n[127.0.0.1]:%s %s\n' "$AZF_SSH_PORT" "$(cut -d' ' -f1,2 "$tap_tmp/other_host_key.pub")" >"$kh"
is "$(j 'p[0]["host_key"]')" changed "the JSON says changed"

# A key marked @revoked for the host: refused though another line lists it, whatever is accepted.
{ printf '@revoked [127.0.0.1]:%s %s\n' "$AZF_SSH_PORT" "$(head -n 1 "$AZF_KNOWN_HOSTS" | cut -d' ' -f2,3)"
  cat "$AZF_KNOWN_HOSTS"; } >"$kh"
ssh_probe "$repo" "$AZF_SSH_KEY" --accept-host-key "$AZF_SSH_HOSTKEY_FP"
verdict 0 failed host-key "^the host key of \\[127\\.0\\.0\\.1\\]:$AZF_SSH_PORT \\($fp\\) is marked @revoked in $kh line 1: it must not be trusted" \
	"a revoked host key, listed again on the next line"
is "$rc,$(j 'p[0]["host_key"]')" "4,revoked" "exit 4, and the JSON says revoked"

# A known key of another type, and the server offers none of it: a hard error too.
ssh-keygen -q -t ed25519 -N '' -C '' -f "$tap_tmp/ed_host_key"
printf '[127.0.0.1]:%s %s\n' "$AZF_SSH_PORT" "$(cut -d' ' -f1,2 "$tap_tmp/ed_host_key.pub")" >"$kh"
ssh_probe "$repo" "$AZF_SSH_KEY" --accept-host-key "$AZF_SSH_HOSTKEY_FP"
verdict 0 failed host-key "^the server offers no host key of the type known for \\[127\\.0\\.0\\.1\\]:$AZF_SSH_PORT \\(ssh-ed25519, $kh line 1\\): if its key was replaced, check with the server.s administrator, then remove that line \\(ssh-keygen -R '\\[127\\.0\\.0\\.1\\]:$AZF_SSH_PORT' -f $kh\\) and accept the new key with --accept-host-key" \
	"a known key of a type the server no longer offers: the line named, with the command that removes it"
cp "$AZF_KNOWN_HOSTS" "$kh"

# A port where no SSH server answers (the HTTPS server): the port is named as the likely slip.
ssh_probe "$repo" "$AZF_SSH_KEY" --ssh-port "$AZF_HTTPS_PORT"
verdict 0 failed protocol "^127\\.0\\.0\\.1 port $AZF_HTTPS_PORT closed the connection before the SSH greeting \\(.*\\): another kind of server on that port, .*: check the port in the URL" \
	"an HTTPS port given as the SSH port"

# A busy sshd (MaxStartups 1, its one slot held by a client that never logs in) drops the probe's
# connection: a closed connection reset or not, said with a retry, not as a wrong port only.
busy_port=$(/usr/bin/python3 -ES "$top_srcdir/tests/fixtures/netutil.py" freeport 1)
sed -e "s/^ListenAddress .*/ListenAddress 127.0.0.1:$busy_port/" -e "s|^PidFile .*|PidFile $tap_tmp/busy-sshd.pid|" \
	-e '/^Match/,$d' "$AZF_DIR/sshd_config" | awk '!seen[$0]++' >"$tap_tmp/busy_sshd_config"
echo "MaxStartups 1" >>"$tap_tmp/busy_sshd_config"
$(command -v sshd) -D -f "$tap_tmp/busy_sshd_config" -E "$tap_tmp/busy-sshd.log" &
check_pids="$check_pids $!"
/usr/bin/python3 -ES "$top_srcdir/tests/fixtures/netutil.py" wait-ssh "$busy_port" 10 || bail "the busy sshd did not start"
/usr/bin/python3 -c 'import socket, sys, time; s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); time.sleep(60)' \
	"$busy_port" &
check_pids="$check_pids $!"
sleep 0.5
probe --ssh --ssh-host 127.0.0.1 --ssh-port "$busy_port" --ssh-user "$AZF_SSH_USER" --ssh-path "$repo" \
	--ssh-key-file "$AZF_SSH_KEY" --known-hosts "$kh"
verdict 0 failed protocol "^127\\.0\\.0\\.1 port $busy_port closed the connection before the SSH greeting \\(.*\\): .*an SSH server refusing new connections \\(busy: sshd's MaxStartups; a ban list such as fail2ban; a firewall\\): .*then try again in a minute$" \
	"an sshd past its MaxStartups: the retry said"
grep -q "past MaxStartups" "$tap_tmp/busy-sshd.log"
ok $? "... and sshd did drop it for MaxStartups (its log says so)"

# SHA-1 is never used: not for the host key of an old server, and not for the
# client's signature even when the server would take nothing else.
ssh_probe "$repo" "$AZF_SSH_KEY" --ssh-port "$AZF_SSH_SHA1_HOST_PORT"
verdict 0 failed host-key '^the server signs its host key only with SHA-1 \(ssh-rsa\), which is refused as unsafe .*: upgrade the server .* or use an HTTPS URL$' \
	"a server whose host key is signed with SHA-1 only"
logins=$(grep -c 'Accepted publickey' "$AZF_SSHD_LOG")
ssh_probe "$repo" "$AZF_SSH_KEY" --ssh-port "$AZF_SSH_SHA1_SIG_PORT"
verdict 0 failed auth 'rejected for user' "a server taking SHA-1 (ssh-rsa) signatures only"
like "$(cat "$AZF_SSHD_LOG")" 'signature algorithm rsa-sha2-(512|256) not in PubkeyAcceptedAlgorithms' \
	"the key was offered with a SHA-2 signature"
is "$(grep -c 'Accepted publickey' "$AZF_SSHD_LOG")" "$logins" "and never again with SHA-1: no login"

# ~/.ssh/known_hosts counts too (the tool's file empty).
: >"$kh"
mkdir -p "$HOME/.ssh"
cp "$AZF_KNOWN_HOSTS" "$HOME/.ssh/known_hosts"
ssh_probe "$repo" "$AZF_SSH_KEY"
is "$rc,$(j 'p[0]["host_key"]')" "0,known" "a key in ~/.ssh/known_hosts is known"
rm -f "$HOME/.ssh/known_hosts"
cp "$AZF_KNOWN_HOSTS" "$kh"

# The deadline covers the SSH handshake (issue: respected within 1 s).
ssh_probe "$repo" "$AZF_SSH_KEY" --ssh-port "$AZF_SILENT_PORT" --timeout-ms 2000
is "$rc" 4 "an SSH server that never answers: exit 4"
verdict 0 failed timeout '^127\.0\.0\.1 port [0-9]+ took the connection but sent nothing within 2\.0 s \(no SSH handshake\): check the port in the URL' "silent SSH server (connected, no SSH answer)"
like "$(j "p[0]['message']")" 'SSH does not use https_proxy' "... and says no proxy setting helps SSH"
[ "$ms" -ge 1900 ] && [ "$ms" -le 3000 ]
ok $? "the SSH probe stops at the 2 s deadline, not later than 1 s after it (took $ms ms)"

ssh_probe "$repo" "$AZF_SSH_KEY" --ssh-port 1
verdict 0 failed connect '^cannot connect to 127\.0\.0\.1 port 1: check the host and port in the SSH URL, and that a firewall lets port 1 through \(' \
	"connection refused (no proxy set: none named)"
https_proxy=http://127.0.0.1:3128 ssh_probe "$repo" "$AZF_SSH_KEY" --ssh-port 1
like "$(j "p[0]['message']")" 'port 1 through; SSH does not use the proxy in https_proxy: behind it, use an HTTPS URL \(' \
	"connection refused with https_proxy set: SSH does not use it, said"
# A name with two addresses (a private /etc/hosts and /etc/gai.conf in a mount namespace): the
# first drops packets, the second is sshd. The first gets half the time, then the second is tried.
printf '127.0.0.2 azfix-two\n127.0.0.1 azfix-two\n' >"$tap_tmp/hosts"
printf 'precedence ::ffff:127.0.0.2/128 100\nprecedence ::ffff:0:0/96 10\n' >"$tap_tmp/gai.conf"
printf '#!/bin/sh\nmount --bind "%s" /etc/hosts && mount --bind "%s" /etc/gai.conf && exec "$@"\n' \
	"$tap_tmp/hosts" "$tap_tmp/gai.conf" >"$tap_tmp/ns"
chmod +x "$tap_tmp/ns"
sed "s/^\[127\.0\.0\.1\]/[azfix-two]/" "$AZF_KNOWN_HOSTS" >"$tap_tmp/kh-two"
if unshare -m true 2>/dev/null; then
	/usr/bin/python3 -ES "$top_srcdir/tests/fixtures/netutil.py" blackhole 127.0.0.2 "$AZF_SSH_PORT" "$tap_tmp/bh.ready" &
	check_pids="$check_pids $!"
	n=0
	while [ ! -s "$tap_tmp/bh.ready" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	run unshare -m "$tap_tmp/ns" /usr/bin/python3 -c 'import socket; print(" ".join(a[4][0] for a in socket.getaddrinfo("azfix-two", 22, type=socket.SOCK_STREAM, flags=socket.AI_ADDRCONFIG)))'
	is "$rc:$out" "0:127.0.0.2 127.0.0.1" "(set-up) the name's addresses in the namespace, the one dropping packets first"
	run unshare -m "$tap_tmp/ns" "$drv" --ssh --ssh-host azfix-two --ssh-port "$AZF_SSH_PORT" --ssh-user "$AZF_SSH_USER" \
		--ssh-path "$repo" --ssh-key-file "$AZF_SSH_KEY" --known-hosts "$tap_tmp/kh-two" --timeout-ms 6000
	verdict 0 ok null '^3 refs' "an address that drops packets does not take the whole deadline: the next one is tried"
else
	for i in 1 2 3; do ok 0 "# SKIP only root makes a mount namespace (unshare -m)"; done
fi
# A known_hosts path too long to hold is refused, not cut (a cut one names another file).
ssh_probe "$repo" "$AZF_SSH_KEY" --user-known-hosts "$(printf '/x%.0s' $(seq 2100))"
verdict 0 failed config "^the path of the user's known_hosts is too long \\(4200 bytes, the limit is 4095\\)" \
	"a known_hosts path longer than a path can be"
# (a name the resolver refuses without a query: see check_http.sh)
probe --ssh --ssh-host -no-such-host.invalid --ssh-user git --ssh-path "$repo" --ssh-key-file "$AZF_SSH_KEY"
verdict 0 failed dns "^cannot resolve host '-no-such-host\\.invalid'" "unknown SSH host"

# git-ssh and api run together under one deadline: one slow probe does not hold the other.
ssh_probe "$repo" "$AZF_SSH_KEY" --ssh-port "$AZF_SILENT_PORT" --timeout-ms 2000 --ca-file "$AZF_CA" \
	--api --api-base "$AZF_BASE/contoso" --api-repo-url "$AZF_BASE/contoso/Payments/_apis/git/repositories/payments-api" --api-token-file "$AZF_TOKEN_FILE"
verdict 0 failed timeout 'took the connection but sent nothing within 2\.0 s \(no SSH handshake\)' "git-ssh times out"
verdict 1 ok null 'repository payments-api found' "api passes meanwhile"
# The API of an SSH connector is not on the SSH host's port: where it was called is said.
ssh_probe "$repo" "$AZF_SSH_KEY" --api --api-base "https://127.0.0.1:1/contoso" --api-token-file "$AZF_TOKEN_FILE"
verdict 1 failed connect '^cannot connect to 127\.0\.0\.1 port 1: check the host and port, a firewall or the proxy settings; with an SSH URL the REST API is called over HTTPS, at https://127\.0\.0\.1:1/contoso \(' \
	"api of an SSH connector, nothing listening"
[ "$ms" -le 3000 ]
ok $? "together within the deadline (took $ms ms)"
unlike "$out$err" "$pat" "the token is in no output"
unlike "$out$err" "PRIVATE KEY" "the key is in no output"
