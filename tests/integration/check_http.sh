# The git-http and api probes against the local Azure stand-ins (nginx, TLS,
# git http-backend, the REST emulator): every outcome the issue lists.
. "$top_srcdir/tests/integration/check_lib.sh"
plan 146

tok=$AZF_TOKEN_FILE
# The probes take the URLs the Azure URL model makes (azure_url.h); here
# written out from a repository URL .../{org}/{project}/_git/{repo}.
refs='/info/refs?service=git-upload-pack'
rest_repo() { printf '%s/_apis/git/repositories/%s' "${1%%/_git/*}" "${1##*/_git/}"; }
# git-http + api for one repository; "$@" adds or overrides options.
both() { # both REPO-URL TOKEN-FILE [OPTION...]
	u=$1 t=$2
	shift 2
	probe --git-url "$u$refs" --username "$AZF_USER" --token-file "$t" --ca-file "$AZF_CA" \
		--api --api-base "${u%/*/_git/*}" --api-repo-url "$(rest_repo "$u")" --api-token-file "$t" "$@"
}

before=$(wc -l <"$AZF_NGINX_ACCESS_LOG")
both "$AZF_REPO_URL" "$tok"
is "$rc" 0 "success (Repository URL): exit 0"
# HTTP/1.1, though the server offers HTTP/2: nghttp2 would keep copies of the Authorization
# header in memory freed unwiped. The two probes run at once, each on its connection (api's
# second request on its first's).
run_log=$(tail -n +"$((before + 1))" "$AZF_NGINX_ACCESS_LOG")
is "$(printf '%s\n' "$run_log" | grep -c ' HTTP/1.1 ')" 3 "three requests over HTTP/1.1 (info/refs, connectionData, the repository)"
is "$(printf '%s\n' "$run_log" | grep -o 'conn=[0-9]*' | sort -u | wc -l)" 2 \
	"the git-http and api probes: two HTTPS connections, api's two requests on one"
verdict 0 ok null '^3 refs, default branch main$' "git-http success"
is "$(j 'p[0]["probe"]'),$(j 'p[0]["ref_count"]'),$(j 'p[0]["default_branch"]')" "git-http,3,main" \
	"git-http reports the ref count and default branch"
verdict 1 ok null '^authenticated as Test User; repository payments-api found, default branch main$' "api success"
is "$(j 'd["ok"]')" true "the JSON says ok"
unlike "$out$err" "$pat" "the token is in no output"

# A Project URL connector checks its test repository: project with a space.
both "$AZF_SPACE_REPO_URL" "$tok"
is "$rc" 0 "success (Project URL + test repository, a space in the project): exit 0"
verdict 0 ok null 'default branch main' "git-http through %20"
verdict 1 ok null 'repository web found' "api with the project name encoded"

both "$AZF_EMPTY_REPO_URL" "$tok"
verdict 0 ok null 'empty' "an empty repository passes and says so"

# A server echoing the token (here as the default branch's name) never gets it shown.
d=$AZF_DIR/repos/contoso/Payments/echo
git clone -q --bare "$AZF_DIR/repos/contoso/Payments/payments-api" "$d" &&
	git --git-dir="$d" update-ref "refs/heads/$pat" refs/heads/main &&
	git --git-dir="$d" symbolic-ref HEAD "refs/heads/$pat" || bail "cannot make the echo repository"
both "$AZF_BASE/contoso/Payments/_git/echo" "$tok"
verdict 0 ok null '^4 refs, default branch \(withheld\)$' "git-http: a branch named as the token is withheld"
verdict 1 ok null 'repository echo found, default branch \(withheld\)$' "api: the same branch, withheld"
unlike "$out$err" "$pat" "the token echoed is in no output"

both "$AZF_REPO_URL" "$AZF_SSH_KEY_ENC_PASS_FILE"
is "$rc" 4 "wrong token: exit 4"
verdict 0 failed auth '^token rejected .*HTTP 401.*create a new PAT with Code \(Read\) at https://127\.0\.0\.1:[0-9]+/contoso/_usersSettings/tokens \(Personal access tokens\)$' \
	"git-http, wrong token"
verdict 1 failed auth '^token rejected .*HTTP 401' "api, wrong token (401 thanks to X-TFS-FedAuthRedirect)"
# A wrong token of a token's length (a PAT for all organizations, which worked until 2026-12-01).
printf '%052d' 7 >"$tap_tmp/wrong52"
both "$AZF_REPO_URL" "$tap_tmp/wrong52"
verdict 0 failed auth '^token rejected \(expired, revoked or wrong; HTTP 401\): create a new PAT with Code \(Read\) at https://127\.0\.0\.1:[0-9]+/contoso/_usersSettings/tokens \(Personal access tokens\), for this organization only: one for all accessible organizations stopped working on 2026-12-01$' \
	"git-http, a wrong token of a token's length: a new PAT, for the organization (global PATs are retired)"
probe --git-url "$AZF_REPO_URL$refs" --username "$AZF_USER" --token-file "$tap_tmp/wrong52" \
	--ca-file "$AZF_CA" --api-base "$AZF_BASE/contoso" --org contoso
verdict 0 failed auth "\\(Personal access tokens\\), for organization 'contoso' only: one for all accessible organizations" \
	"the organization of the URL is named"
probe --git-url "$AZF_REPO_URL$refs" --username "$AZF_USER" --token-file "$tap_tmp/wrong52" \
	--ca-file "$AZF_CA" --api-base "$AZF_BASE/contoso" --org contoso --server
verdict 0 failed auth '/contoso/_usersSettings/tokens \(Personal access tokens\)$' \
	"an Azure DevOps Server: nothing said of global PATs (a thing of Azure DevOps Services)"

probe --git-url "$AZF_SIGNIN_URL$refs" --username "$AZF_USER" --token-file "$AZF_SSH_KEY_ENC_PASS_FILE" \
	--ca-file "$AZF_CA" --api-base "$AZF_BASE/contoso"
is "$rc" 4 "expired-looking token answered by a sign-in page: exit 4"
verdict 0 failed auth '^token rejected .*HTTP 203' "203 is an auth failure, never success"

both "$AZF_REPO_URL" "$AZF_TOKEN_403_FILE"
verdict 0 failed forbidden '^token lacks Code \(Read\)' "git-http, token without Code (Read)"
verdict 1 failed forbidden '^token lacks Code \(Read\)' "api, token without Code (Read)"

both "$AZF_BASE/contoso/Payments/_git/nope" "$tok"
is "$rc" 4 "repository not found: exit 4"
verdict 0 failed not-found '^repository not found or no access \(TF401019\)' "git-http, missing repository"
verdict 1 failed not-found '^repository not found or no access \(TF401019\)' "api, missing repository"

both "$AZF_BASE/contoso/Nope/_git/payments-api" "$tok"
verdict 1 failed not-found '^project not found \(TF200016\)' "api, missing project"
verdict 0 failed not-found 'TF401019' "git-http, missing project (Azure answers TF401019 for Git)"

both "$AZF_BASE/fabrikam/Payments/_git/payments-api" "$tok"
verdict 1 failed not-found '^organization not found' "api, missing organization"

# The proxy variables are honoured (libcurl's): a proxy that refuses, one that cannot be
# resolved, then no_proxy naming the host. check_lib.sh cleared the caller's.
export https_proxy=http://127.0.0.1:1
both "$AZF_REPO_URL" "$tok"
is "$rc" 4 "https_proxy is used: through a proxy that refuses, exit 4"
verdict 0 failed connect "^cannot connect to the proxy in https_proxy \(127\.0\.0\.1 port 1\): check its host and port there, and that the proxy is running" \
	"git-http: the proxy refuses: the proxy is named, not the server"
# no_proxy naming the host: a refusal is the server's, and the proxy was not used.
net="/usr/bin/python3 -ES $top_srcdir/tests/fixtures/netutil.py"
port=$($net freeport 1)
no_proxy=127.0.0.1 probe --git-url "https://127.0.0.1:$port/contoso/Payments/_git/payments-api$refs" --username u --token-file "$tok"
verdict 0 failed connect "^cannot connect to 127\\.0\\.0\\.1 port $port: check the host and port, a firewall or no_proxy \\(it names this host: the proxy in https_proxy was not used\\)" \
	"no_proxy naming the host: the server's refusal, the proxy not blamed"
# A proxy that takes the connection and never answers: its fault, not the server's.
export https_proxy=http://127.0.0.1:$AZF_SILENT_PORT
probe --git-url "$AZF_REPO_URL$refs" --username u --token-file "$tok" --ca-file "$AZF_CA" --timeout-ms 1000
verdict 0 failed timeout "^the proxy in https_proxy \(127\.0\.0\.1 port $AZF_SILENT_PORT\) took the connection but did not answer its CONNECT within 1\.0 s" \
	"a silent HTTP proxy: it is named, not the server"
export https_proxy=socks5h://127.0.0.1:$AZF_SILENT_PORT
probe --git-url "$AZF_REPO_URL$refs" --username u --token-file "$tok" --ca-file "$AZF_CA" --timeout-ms 1000
verdict 0 failed timeout "^no TLS handshake through the SOCKS proxy in https_proxy \(127\.0\.0\.1 port $AZF_SILENT_PORT\) within 1\.0 s: the proxy, or 127\.0\.0\.1 port $AZF_HTTPS_PORT behind it, is silent" \
	"a silent SOCKS proxy: the proxy or the server behind it"
# Names that cannot resolve start with '-': the resolver refuses such a name before any query,
# so no DNS packet leaves the machine (a plain .invalid name would be asked of its DNS server).
export https_proxy=http://-proxy.invalid:3128
both "$AZF_REPO_URL" "$tok"
verdict 1 failed dns '^cannot resolve the proxy host: check https_proxy' "api: an unknown proxy host is named as such"
# A proxy URL libcurl cannot read: its password unencoded, a scheme mistyped. Never quoted (a
# password is in it), said as the variable's fault with the way to write it.
export https_proxy='http://azfix:pa#ss 9@127.0.0.1:3128'
both "$AZF_REPO_URL" "$tok"
verdict 0 failed config "^the proxy URL in https_proxy does not parse \(not shown: it may hold a password\): in its user and password, percent-encode '#' as %23" \
	"git-http: a '#' and a space in the proxy's password: the percent-encoding to use"
unlike "$out$err" 'pa#ss' "... the proxy's password is in no output"
export https_proxy='htp://azfix:pass-in-typo-9@127.0.0.1:3128'
both "$AZF_REPO_URL" "$tok"
verdict 1 failed config '^the proxy URL in https_proxy has a scheme libcurl does not take .*: begin it with http://' \
	"api: a proxy scheme mistyped"
unlike "$out$err" 'pass-in-typo-9' "... the proxy's password is in no output"
# A proxy that answers CONNECT with an error (the other TLS server answers plain HTTP with 400).
export https_proxy=http://127.0.0.1:$AZF_OTHER_PORT
both "$AZF_REPO_URL" "$tok"
verdict 0 failed connect '^the proxy refused to connect to 127\.0\.0\.1 \(HTTP 400\): check https_proxy' \
	"git-http: a proxy refusing the tunnel is named, not the server"
export no_proxy=127.0.0.1
both "$AZF_REPO_URL" "$tok"
is "$rc" 0 "no_proxy naming the host: straight to it, exit 0"
unset https_proxy no_proxy

# A SOCKS proxy in all_proxy (microsocks, one open and one with a login): the way through it,
# then each refusal said by whose fix it is.
ports=$($net freeport 2)
socks=${ports% *} socks_login=${ports#* }
microsocks -i 127.0.0.1 -p "$socks" >/dev/null 2>&1 &
check_pids="$check_pids $!"
microsocks -i 127.0.0.1 -p "$socks_login" -u azfix -P proxy-pass-7 >/dev/null 2>&1 &
check_pids="$check_pids $!"
$net wait-tcp "$socks" 10 && $net wait-tcp "$socks_login" 10 || bail "microsocks did not start"
export all_proxy=socks5h://127.0.0.1:$socks
both "$AZF_REPO_URL" "$tok"
is "$rc" 0 "all_proxy naming a SOCKS proxy: through it, exit 0"
probe --git-url "https://127.0.0.1:1/contoso/Payments/_git/payments-api$refs" --username "$AZF_USER" --token-file "$tok"
verdict 0 failed connect '^the SOCKS proxy in all_proxy was refused by 127\.0\.0\.1 port 1: check the host and port in the URL' \
	"the server's port refused the SOCKS proxy: the URL is named, not the proxy"
probe --git-url "https://-no-such-host.invalid/contoso/Payments/_git/payments-api$refs" --username "$AZF_USER" --token-file "$tok"
verdict 0 failed connect '^the SOCKS proxy in all_proxy could not connect to -no-such-host\.invalid port 443: check the host in the URL' \
	"socks5h: a host the proxy cannot reach or resolve"
export all_proxy=socks5://127.0.0.1:$socks
probe --git-url "https://-no-such-host.invalid/contoso/Payments/_git/payments-api$refs" --username "$AZF_USER" --token-file "$tok"
verdict 0 failed dns "^cannot resolve host '-no-such-host\\.invalid' on this machine \\(with socks5:// or socks4:// in all_proxy names are resolved here; socks5h:// and socks4a:// leave them to the proxy\\)" \
	"socks5: the name is resolved here, and socks5h named"
export all_proxy=socks4://127.0.0.1:$socks
probe --git-url "$AZF_REPO_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA"
verdict 0 failed connect '^the handshake with the proxy in all_proxy failed: check its scheme \(socks5h://' \
	"a SOCKS4 client at a SOCKS5 proxy: the proxy's scheme named, not the server's host"
export all_proxy=socks5h://127.0.0.1:$socks_login
both "$AZF_REPO_URL" "$tok"
verdict 0 failed connect '^the SOCKS proxy wants a login: put its user and password in all_proxy \(socks5h://user:password@proxy:port\)$' \
	"git-http: a SOCKS proxy that wants a login"
export all_proxy=socks5h://azfix:wrong-pass-3@127.0.0.1:$socks_login
both "$AZF_REPO_URL" "$tok"
verdict 1 failed connect '^the SOCKS proxy refused the user and password in all_proxy: check them$' \
	"api: a SOCKS login refused"
unlike "$out$err" 'wrong-pass-3' "the proxy's password is in no output"
export all_proxy=socks5h://azfix:proxy-pass-7@127.0.0.1:$socks_login
both "$AZF_REPO_URL" "$tok"
is "$rc" 0 "with the proxy's login: through it, exit 0"
unset all_proxy

# TLS: our CA is not in the system store; --ca-file trusts it.
probe --git-url "$AZF_REPO_URL$refs" --username "$AZF_USER" --token-file "$tok" \
	--api --api-base "$AZF_BASE/contoso" --api-repo-url "$(rest_repo "$AZF_REPO_URL")" --api-token-file "$tok"
is "$rc" 4 "untrusted CA: exit 4"
verdict 0 failed tls '^certificate not trusted: pass --ca-file with the CA that signed the certificate of 127\.0\.0\.1' "git-http, untrusted CA"
verdict 1 failed tls '^certificate not trusted: pass --ca-file' "api, untrusted CA"
is "$(j 'p[0]["untrusted_ca"]'),$(j 'p[1]["untrusted_ca"]')" true,true "an unknown CA is said apart (a CA file helps)"
probe --git-url "$AZF_REPO_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA"
is "$rc,$(j 'p[0]["status"]')" "0,ok" "the same server trusted through --ca-file"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=other-ca \
	-keyout "$tap_tmp/other-ca.key" -out "$tap_tmp/other-ca.pem" >/dev/null 2>&1
probe --git-url "$AZF_REPO_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$tap_tmp/other-ca.pem"
verdict 0 failed tls 'not trusted by --ca-file .*other-ca\.pem' "a CA file that did not sign the certificate"
is "$(j 'p[0]["untrusted_ca"]')" true "... is an untrusted CA too"
# ... even when the system's folder of CAs trusts the server (the fixture CA there, in a mount namespace).
if unshare -m true 2>/dev/null; then
	mkdir "$tap_tmp/certs" && cp "$AZF_CA" "$tap_tmp/certs/azfix.pem" && openssl rehash "$tap_tmp/certs" 2>/dev/null &&
		cp "$AZF_CA" "$tap_tmp/certs/ca-certificates.crt" # the bundle libcurl reads by default
	syscerts() { run unshare -m sh -c 'mount --bind "$1" /etc/ssl/certs && shift && exec "$@"' sh "$tap_tmp/certs" \
		"$drv" --git-url "$AZF_REPO_URL$refs" --username "$AZF_USER" --token-file "$tok" "$@"; }
	syscerts
	is "$rc,$(j 'p[0]["status"]')" "0,ok" "(set-up) the system's folder of CAs trusts the server"
	syscerts --ca-file "$tap_tmp/other-ca.pem"
	is "$(j 'p[0]["status"]'),$(j 'p[0]["category"]')" "failed,tls" \
		"--ca-file replaces the system's CAs, their folder too: a server the system trusts is not trusted then"
else
	for i in 1 2; do ok 0 "# SKIP only root makes a mount namespace (unshare -m)"; done
fi
# Certificates of the trusted CA out of their dates: no CA file helps, the message says why.
probe --git-url "$AZF_EXPIRED_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA"
verdict 0 failed tls "^the certificate of 127\.0\.0\.1 \(or of its CA\) has expired: its administrator must renew it, unless this machine's clock is wrong \(.*certificate has expired\)\$" \
	"an expired certificate"
is "$(j 'p[0]["untrusted_ca"]')" false "an expired certificate is not an untrusted CA"
probe --git-url "$AZF_NOT_YET_VALID_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA"
verdict 0 failed tls "^the certificate of localhost \(or of its CA\) is not valid yet: check this machine's clock" \
	"a certificate not valid yet"
is "$(j 'p[0]["untrusted_ca"]')" false "a certificate not valid yet is not an untrusted CA"
# Plain http:// to the TLS port (a lab server's URL mistyped): the server's 400 names https:// as the way.
probe --git-url "http://127.0.0.1:$AZF_HTTPS_PORT/contoso/Payments/_git/payments-api$refs" --username "$AZF_USER" \
	--token-file "$tok" --allow-http
verdict 0 failed protocol "^the server refused the request \(HTTP 400\): if it serves https:// on that port, use https://" \
	"http:// to a TLS port"
# A certificate of the trusted CA for another name: the host name is checked, and that is said.
probe --git-url "$AZF_WRONG_NAME_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA"
verdict 0 failed tls "^certificate is not for '127\.0\.0\.1': check the host name in the URL" \
	"a certificate for another name"
# Any other refusal is a plain TLS failure with OpenSSL's words: a CA file whose CA is marked not a CA.
openssl req -x509 -key "$AZF_DIR/tls/ca.key" -days 1 -subj "/CN=azfix test CA" \
	-addext "basicConstraints=critical,CA:FALSE" -out "$tap_tmp/not-a-ca.pem" >/dev/null 2>&1
probe --git-url "$AZF_REPO_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$tap_tmp/not-a-ca.pem"
verdict 0 failed tls '^the certificate of 127\.0\.0\.1 is refused \(SSL certificate problem: invalid CA certificate; verify code [0-9]+\)$' \
	"another certificate problem"
is "$(j 'p[0]["untrusted_ca"]')" false "... is not an untrusted CA"
probe --git-url "$AZF_REPO_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_SSH_KEY"
verdict 0 failed config "^cannot read the CA file '$AZF_SSH_KEY'" "a CA file that holds no certificate"

# A server that accepts and never answers: the deadline holds (issue: within 1 s).
probe --git-url "https://127.0.0.1:$AZF_SILENT_PORT/contoso/Payments/_git/payments-api$refs" --username u \
	--token-file "$tok" --api --api-base "https://127.0.0.1:$AZF_SILENT_PORT/contoso" --api-token-file "$tok" \
	--api-repo-url "https://127.0.0.1:$AZF_SILENT_PORT/contoso/Payments/_apis/git/repositories/payments-api" \
	--timeout-ms 2000
is "$rc" 4 "a server that never answers: exit 4"
verdict 0 failed timeout '^127\.0\.0\.1 port [0-9]+ took the connection but sent nothing within 2\.0 s \(no TLS handshake\): check the port in the URL' "git-http, silent server (connected, no TLS answer)"
verdict 1 failed timeout '^127\.0\.0\.1 port [0-9]+ took the connection but sent nothing within 2\.0 s \(no TLS handshake\): check the port in the URL' "api, silent server"
[ "$ms" -ge 1900 ] && [ "$ms" -le 3000 ]
ok $? "both probes stop at the 2 s deadline, not later than 1 s after it (took $ms ms)"

# A redirect to another host is reported, never followed: no credential leaves.
: >"$AZF_OTHER_LOG.before"
cp "$AZF_OTHER_LOG" "$AZF_OTHER_LOG.before"
probe --git-url "$AZF_REDIRECT_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA"
verdict 0 failed protocol '^redirected to another host \(https://localhost:[0-9]+/.*\): not followed, credentials not sent' \
	"a redirect to another host"
is "$(diff "$AZF_OTHER_LOG.before" "$AZF_OTHER_LOG" | grep -c '^>')" 0 "the other host got no request at all"
grep -q 'auth="Basic' "$AZF_OTHER_LOG"
is "$?" 1 "the other host's log has no Authorization header"

# Huge answers are cut at 1 MiB (64 MiB offered), chunked or with a length.
for u in "$AZF_HUGE_URL" "$AZF_HUGE_SIZED_URL"; do
	probe --git-url "$u$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA"
	verdict 0 failed protocol '^not a Git repository URL: .*\(stopped reading at 1 MiB\)$' "a 64 MiB answer ($u)"
done

probe --git-url "$AZF_NONGIT_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA"
verdict 0 failed protocol '^not a Git repository URL: the server answered text/html, not a Git ref list: a web page \(a sign-in page, a proxy.s or a captive portal.s\?\): open the URL in a browser from this machine' \
	"a web page where the repository's refs belong: said as a page, not as a URL lacking /_git/ (it has it)"
probe --git-url "$AZF_BUSY_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA"
verdict 0 failed server '^127\.0\.0\.1 is limiting requests \(HTTP 429\): try again in 30 s$' \
	"Azure's rate limit: when to try again, from Retry-After"
probe --git-url "$AZF_BASE/contoso/Payments$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA"
verdict 0 failed not-found '^not found \(HTTP 404\): check the organization, project and repository' \
	"a project URL used as a repository URL"

# Plain http needs --allow-http; nothing is sent without it: the silent server's log
# (a line per connection) shows only the connection of the run with --allow-http, which
# waits out its deadline, so the server has accepted whatever came before it.
silent_before=$(wc -l <"$AZF_SILENT_LOG")
probe --git-url "http://127.0.0.1:$AZF_SILENT_PORT/contoso/Payments/_git/payments-api$refs" --username u \
	--token-file "$tok" --timeout-ms 1000
verdict 0 failed config '^plain http refused .*--allow-http true for a lab server$' "http:// without --allow-http"
echo "# refused in $ms ms"
probe --git-url "http://127.0.0.1:$AZF_SILENT_PORT/contoso/Payments/_git/payments-api$refs" --username u \
	--token-file "$tok" --timeout-ms 1000 --allow-http
verdict 0 failed timeout '^no answer from 127\.0\.0\.1 port [0-9]+ within 1\.0 s' "http:// with --allow-http connects (no TLS to wait for: no answer)"
is "$(tail -n +"$((silent_before + 1))" "$AZF_SILENT_LOG" | grep -c '^accepted ')" 1 \
	"refused before connecting: the server saw one connection, from the run with --allow-http"

probe --git-url "https://127.0.0.1:1/contoso/Payments/_git/payments-api$refs" --username u --token-file "$tok"
verdict 0 failed connect '^cannot connect to 127\.0\.0\.1 port 1: check the host and port, a firewall or the proxy settings \(' \
	"connection refused: the host and port (no proxy set, no word of SSH)"
probe --git-url "https://-no-such-host.invalid/contoso/Payments/_git/payments-api$refs" --username u --token-file "$tok"
verdict 0 failed dns "^cannot resolve host '-no-such-host\.invalid'" "unknown host"
probe --git-url "$AZF_REPO_URL$refs" --token-file "$tok" --ca-file "$AZF_CA"
verdict 0 failed config '^no user name' "no user name for Git"

# The text form: one line per probe.
probe --text --git-url "$AZF_REPO_URL$refs" --username "$AZF_USER" --token-file "$tok" --ca-file "$AZF_CA" \
	--api --api-base "$AZF_BASE/contoso" --api-repo-url "$(rest_repo "$AZF_REPO_URL")" --api-token-file "$tok"
like "$out" '^ok +git-http +[0-9]+\.[0-9] s  3 refs, default branch main$' "text: the git-http line"
like "$out" '^ok +api +[0-9]+\.[0-9] s  authenticated as Test User' "text: the api line"
