/* HTTP requests of the probes (libcurl) and the git-http probe. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "check_probe.h"
#include "validate.h"

#define CHECK_USER_AGENT "azrepos-connect/" PACKAGE_VERSION " git/2.0"

static size_t check_req_write(char *data, size_t size, size_t nmemb, void *user)
{
	struct check_req *req = user;
	size_t n = size * nmemb;
	char *grown;

	if (n > req->max - req->len) {
		/* Returning less than n stops the transfer: the cap holds. */
		req->too_big = true;
		return 0;
	}
	grown = realloc(req->body, req->len + n + 1);
	if (!grown)
		return 0;
	req->body = grown;
	memcpy(req->body + req->len, data, n);
	req->len += n;
	req->body[req->len] = '\0';
	return n;
}

/* A credential that would break the Authorization header or Basic's user:password. */
static bool check_bad_secret(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return true;
	return false;
}

/*
 * Append "Authorization: Basic base64(user:token)" to list. The line is built
 * in sodium_malloc memory; curl_slist_append copies it into malloc'ed memory
 * that check_req_free wipes. libcurl's own copies (its request buffer) are
 * wiped when freed by the allocator check_run gives it; HTTP/1.1 keeps them
 * there (HTTP/2 would copy the headers into nghttp2's memory, not wiped).
 */
static struct curl_slist *check_auth_header(struct curl_slist *list, const char *user,
                                            const struct secbuf *token)
{
	static const char prefix[] = "Authorization: Basic ";
	struct secbuf *b64 = check_basic_credentials(user, token);
	struct secbuf *line = b64 ? secbuf_new(sizeof(prefix) - 1 + b64->len) : NULL;
	struct curl_slist *next = NULL;

	if (line) {
		memcpy(line->data, prefix, sizeof(prefix) - 1);
		memcpy(line->data + sizeof(prefix) - 1, b64->data, b64->len + 1);
		next = curl_slist_append(list, (char *)line->data);
	}
	secbuf_free(b64);
	secbuf_free(line);
	return next;
}

/* A part of url (the port: the scheme's when none is written); "" when url does not parse. */
static void check_url_part(const char *url, CURLUPart part, char *out, size_t outlen)
{
	CURLU *u = curl_url();
	char *v = NULL;

	out[0] = '\0';
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, part, &v, CURLU_DEFAULT_PORT) == CURLUE_OK)
		snprintf(out, outlen, "%s", v);
	curl_free(v);
	curl_url_cleanup(u);
}

const char *check_proxy_var(const char *scheme)
{
	/* As libcurl: HTTP_PROXY in capitals is not read (a CGI request header could set it). */
	static const char *const https[] = { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", NULL };
	static const char *const http[] = { "http_proxy", "all_proxy", "ALL_PROXY", NULL };
	const char *const *vars = strcmp(scheme, "https") == 0 ? https : http;

	for (size_t i = 0; vars[i]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return vars[i];
	}
	return NULL;
}

/* The proxy URL of req->proxy_var, parsed (a proxy without a scheme is an HTTP proxy to libcurl); NULL: none. */
static CURLU *check_proxy_url(const struct check_req *req)
{
	const char *v = req->proxy_var ? getenv(req->proxy_var) : NULL;
	char url[1024];
	CURLU *u;

	if (!v || !*v || !(u = curl_url()))
		return NULL;
	snprintf(url, sizeof(url), "%s%s", strstr(v, "://") ? "" : "http://", v);
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		curl_url_cleanup(u);
		return NULL;
	}
	return u;
}

/* Does the proxy URL hold a user (a 407 then refused it)? */
static bool check_proxy_has_user(const struct check_req *req)
{
	CURLU *u = check_proxy_url(req);
	char *user = NULL;
	bool has = u && curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK && *user;

	curl_free(user);
	curl_url_cleanup(u);
	return has;
}

/*
 * Did req's connection go to the proxy of req->proxy_var (1), straight to the server (0, no_proxy
 * named it), or is it not known (-1)? Told by the port connected to, with libcurl's default proxy
 * ports (443 for https://, else 1080); the proxy's host and port are written to host and port.
 */
static int check_req_via_proxy(struct check_req *req, char *host, size_t hostlen, long *port)
{
	CURLU *u = check_proxy_url(req);
	char *h = NULL, *p = NULL, *scheme = NULL, num[8];
	long primary = 0;

	*host = '\0';
	*port = 0;
	if (!u)
		return req->proxy_var ? -1 : 0;
	if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
		snprintf(host, hostlen, "%s", h);
	if (curl_url_get(u, CURLUPART_PORT, &p, 0) == CURLUE_OK)
		*port = strtol(p, NULL, 10);
	else
		*port = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK && strcasecmp(scheme, "https") == 0
		        ? 443 : 1080;
	curl_free(h);
	curl_free(p);
	curl_free(scheme);
	curl_url_cleanup(u);
	curl_easy_getinfo(req->easy, CURLINFO_PRIMARY_PORT, &primary);
	/* Not set after a connect refused: libcurl's words name the port ("Failed to connect to H port N"). */
	const char *at = primary ? NULL : strstr(req->errbuf, "Failed to connect to ");
	if (at && (at = strstr(at, " port ")))
		primary = strtol(at + 6, NULL, 10);
	snprintf(num, sizeof(num), "%ld", *port);
	if (!primary || !*host || strcmp(num, req->port) == 0)
		return -1;
	return primary == *port ? 1 : primary == strtol(req->port, NULL, 10) ? 0 : -1;
}

char *check_url_join(struct check_ctx *ctx, struct check_result *res, const char *base,
                     const char *path, const char *query)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *old = NULL, *joined = NULL, *url = NULL;
	size_t n;

	if (!u) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "out of memory");
		return NULL;
	}
	if (!base || curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		/* Quoted only when it names no user (whose password could follow). */
		bool quote = base && !strchr(base, '@');
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "not a valid URL%s%s%s", quote ? ": '" : "",
		             quote ? base : "", quote ? "'" : "");
		goto out;
	}
	if (strcmp(scheme, "http") == 0 && !ctx->t->allow_http) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG,
		             "plain http refused (the token would travel unencrypted): use https, or --allow-http true for a lab server");
		goto out;
	}
	if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "unsupported URL scheme '%s': use https",
		             scheme);
		goto out;
	}
	/* Credentials go in the header we build, never in the URL. */
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (query)
		curl_url_set(u, CURLUPART_QUERY, query, 0);
	if (curl_url_get(u, CURLUPART_PATH, &old, 0) != CURLUE_OK)
		goto oom;
	n = strlen(old);
	while (n > 0 && old[n - 1] == '/')
		n--;
	if (asprintf(&joined, "%.*s%s", (int)n, old, path) < 0) {
		joined = NULL;
		goto oom;
	}
	if (curl_url_set(u, CURLUPART_PATH, joined, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK)
		goto oom;
	goto out;
oom:
	check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "out of memory");
out:
	free(joined);
	curl_free(old);
	curl_free(scheme);
	curl_url_cleanup(u);
	return url;
}

static bool check_req_track(struct check_ctx *ctx, struct check_req *req)
{
	for (size_t i = 0; i < CHECK_MAX_REQS; i++)
		if (!ctx->reqs[i]) {
			ctx->reqs[i] = req;
			return true;
		}
	return false;
}

struct check_req *check_req_start(struct check_ctx *ctx, struct check_result *res, const char *url,
                                  const char *user, const struct secbuf *token, size_t max,
                                  bool rest, check_req_done_fn done)
{
	const struct check_target *t = ctx->t;
	struct check_req *req;
	long left = check_remaining_ms(ctx);
	CURLMcode mrc;
	CURL *e;

	if (!token || token->len == 0) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "no personal access token given");
		return NULL;
	}
	if (check_bad_secret(token->data, token->len) ||
	    check_bad_secret((const unsigned char *)user, strlen(user)) || strchr(user, ':')) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG,
		             "the token or user name contains a line break, a control character or (user name) ':'");
		return NULL;
	}
	req = calloc(1, sizeof(*req));
	if (!req || !(req->easy = curl_easy_init())) {
		free(req);
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "out of memory");
		return NULL;
	}
	req->ctx = ctx;
	req->res = res;
	req->max = max;
	req->done = done;
	check_url_part(url, CURLUPART_HOST, req->host, sizeof(req->host));
	check_url_part(url, CURLUPART_PORT, req->port, sizeof(req->port));
	char scheme[8];
	check_url_part(url, CURLUPART_SCHEME, scheme, sizeof(scheme));
	req->proxy_var = check_proxy_var(scheme);
	req->headers = check_auth_header(NULL, user, token);
	if (req->headers && rest) {
		/* Azure then answers 401 instead of a sign-in page (203 or 302). */
		struct curl_slist *h = curl_slist_append(req->headers, "X-TFS-FedAuthRedirect: Suppress");

		h = h ? curl_slist_append(h, "Accept: application/json") : NULL;
		if (!h) {
			check_req_free(req);
			check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "out of memory");
			return NULL;
		}
	}
	e = req->easy;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, req);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, req->headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, CHECK_USER_AGENT);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, t->allow_http ? "http,https" : "https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	/* The CA file given replaces the system's trust: its folder of hashed CAs too, not just its bundle. */
	if (t->ca_file) {
		curl_easy_setopt(e, CURLOPT_CAINFO, t->ca_file);
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, left);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	/* Not HTTP/2: nghttp2 would copy the Authorization header into memory freed unwiped. */
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, check_req_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, req);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, req->errbuf);
	if (!req->headers)
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "out of memory");
	else if (!check_req_track(ctx, req))
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG,
		             "internal error: more than %d HTTP requests at once", CHECK_MAX_REQS);
	else if ((mrc = curl_multi_add_handle(ctx->multi, e)) != CURLM_OK)
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "cannot start the request (%s)",
		             curl_multi_strerror(mrc));
	else
		return req;
	check_req_free(req);
	return NULL;
}

void check_req_free(struct check_req *req)
{
	if (!req)
		return;
	for (size_t i = 0; i < CHECK_MAX_REQS; i++)
		if (req->ctx->reqs[i] == req)
			req->ctx->reqs[i] = NULL;
	if (req->easy) {
		curl_multi_remove_handle(req->ctx->multi, req->easy);
		curl_easy_cleanup(req->easy);
	}
	for (struct curl_slist *h = req->headers; h; h = h->next)
		sodium_memzero(h->data, strlen(h->data));
	curl_slist_free_all(req->headers);
	free(req->body);
	free(req);
}

void check_req_content_type(struct check_req *req, char *out, size_t outlen)
{
	char *ct = NULL;

	curl_easy_getinfo(req->easy, CURLINFO_CONTENT_TYPE, &ct);
	snprintf(out, outlen, "%.*s", ct ? (int)strcspn(ct, "; \t") : 0, ct ? ct : "");
}

/* curl's own words on an error, for a message. */
/*
 * libcurl's words for the failure. Those about the proxy may quote its URL, a password in it: the
 * URL is said as the variable's name instead.
 */
static const char *check_req_detail(struct check_req *req, CURLcode rc)
{
	const char *url = req->proxy_var ? getenv(req->proxy_var) : NULL;
	char *at = url && *url ? strstr(req->errbuf, url) : NULL;

	if (at) {
		char tail[CURL_ERROR_SIZE];
		snprintf(tail, sizeof(tail), "%s", at + strlen(url));
		snprintf(at, sizeof(req->errbuf) - (size_t)(at - req->errbuf), "$%s%s", req->proxy_var, tail);
	}
	return req->errbuf[0] ? req->errbuf : curl_easy_strerror(rc);
}

/*
 * OpenSSL's verify codes (X509_V_ERR_*), which CURLINFO_SSL_VERIFYRESULT
 * gives with libcurl's OpenSSL backend (Debian's libcurl4-openssl-dev).
 */
enum {
	CHECK_X509_UNABLE_TO_GET_ISSUER_CERT = 2,
	CHECK_X509_CERT_NOT_YET_VALID = 9,
	CHECK_X509_CERT_HAS_EXPIRED = 10,
	CHECK_X509_DEPTH_ZERO_SELF_SIGNED_CERT = 18,
	CHECK_X509_SELF_SIGNED_CERT_IN_CHAIN = 19,
	CHECK_X509_UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20,
	CHECK_X509_UNABLE_TO_VERIFY_LEAF_SIGNATURE = 21,
};

/* The server's certificate was refused: only an unknown issuer is helped by a CA file. */
static void check_req_peer(struct check_req *req, const char *d)
{
	struct check_ctx *ctx = req->ctx;
	struct check_result *r = req->res;
	long code = 0;

	/* libcurl checks the name itself, after OpenSSL: its code then is none of OpenSSL's (7.88: 1). */
	if (strstr(d, "subject name") || strstr(d, "does not match")) {
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_TLS,
		             "certificate is not for '%s': check the host name in the URL (%s)", req->host, d);
		return;
	}
	curl_easy_getinfo(req->easy, CURLINFO_SSL_VERIFYRESULT, &code);
	switch (code) {
	case CHECK_X509_UNABLE_TO_GET_ISSUER_CERT:
	case CHECK_X509_DEPTH_ZERO_SELF_SIGNED_CERT:
	case CHECK_X509_SELF_SIGNED_CERT_IN_CHAIN:
	case CHECK_X509_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case CHECK_X509_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		/* Said apart from the message: the wizard then offers to give a CA file. */
		if (!check_finished(r))
			r->untrusted_ca = true;
		if (ctx->t->ca_file)
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_TLS,
			             "certificate not trusted by --ca-file %s: pass the CA that signed the server's certificate (%s)",
			             ctx->t->ca_file, d);
		else
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_TLS, "certificate not trusted: pass --ca-file with the CA "
			             "that signed the certificate of %s (a private CA's, or a TLS-inspecting proxy's), or add "
			             "that CA to this machine's (copy it to /usr/local/share/ca-certificates/NAME.crt, then "
			             "run update-ca-certificates) (%s)", req->host, d);
		break;
	case CHECK_X509_CERT_HAS_EXPIRED:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_TLS,
		             "the certificate of %s (or of its CA) has expired: its administrator must renew it, "
		             "unless this machine's clock is wrong (%s)", req->host, d);
		break;
	case CHECK_X509_CERT_NOT_YET_VALID:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_TLS,
		             "the certificate of %s (or of its CA) is not valid yet: check this machine's clock (%s)",
		             req->host, d);
		break;
	default:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_TLS,
		             "the certificate of %s is refused (%s; verify code %ld)", req->host, d, code);
		break;
	}
}

/* A SOCKS proxy's refusal (an HTTP proxy's is its CONNECT code): whose fix it is, by its reply. */
static void check_req_socks(struct check_req *req, const char *d)
{
	struct check_ctx *ctx = req->ctx;
	struct check_result *r = req->res;
	const char *var = req->proxy_var ? req->proxy_var : "all_proxy";
	long px = CURLPX_OK;

	curl_easy_getinfo(req->easy, CURLINFO_PROXY_ERROR, &px);
	switch (px) {
	case CURLPX_NO_AUTH:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT,
		             "the SOCKS proxy wants a login: put its user and password in %s "
		             "(socks5h://user:password@proxy:port)", var);
		break;
	case CURLPX_USER_REJECTED:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT,
		             "the SOCKS proxy refused the user and password in %s: check them", var);
		break;
	case CURLPX_REPLY_CONNECTION_REFUSED:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT,
		             "the SOCKS proxy in %s was refused by %s port %s: check the host and port in the URL (%s)",
		             var, req->host, req->port, d);
		break;
	case CURLPX_REPLY_NOT_ALLOWED:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT,
		             "the SOCKS proxy in %s does not allow connections to %s: ask its administrator, or "
		             "name the host in no_proxy if it is reachable without the proxy (%s)", var, req->host, d);
		break;
	case CURLPX_RESOLVE_HOST:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_DNS,
		             "cannot resolve host '%s' on this machine (with socks5:// or socks4:// in %s names are "
		             "resolved here; socks5h:// and socks4a:// leave them to the proxy): check the host name in "
		             "the URL or DNS", req->host, var);
		break;
	case CURLPX_CLOSED:
	case CURLPX_BAD_VERSION:
	case CURLPX_BAD_ADDRESS_TYPE:
	case CURLPX_RECV_AUTH:
	case CURLPX_RECV_CONNECT:
	case CURLPX_RECV_REQACK:
	case CURLPX_RECV_ADDRESS:
	case CURLPX_SEND_AUTH:
	case CURLPX_SEND_CONNECT:
	case CURLPX_SEND_REQUEST:
		/* The proxy's own handshake: its scheme or port, not the server's host. */
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT,
		             "the handshake with the proxy in %s failed: check its scheme (socks5h://, socks5://, "
		             "socks4a://, socks4://, http://) and port (%s)", var, d);
		break;
	default:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT,
		             "the SOCKS proxy in %s could not connect to %s port %s: check the host in the URL, %s and "
		             "no_proxy (%s)", var, req->host, req->port, var, d);
		break;
	}
}

static void check_req_transport(struct check_req *req, CURLcode rc)
{
	struct check_ctx *ctx = req->ctx;
	struct check_result *r = req->res;
	const char *d = check_req_detail(req, rc);
	const char *var = req->proxy_var ? req->proxy_var : "https_proxy";
	long proxy_code = 0;

	/* The proxy answered CONNECT with an error: the fix is in the proxy settings, not the URL. */
	curl_easy_getinfo(req->easy, CURLINFO_HTTP_CONNECTCODE, &proxy_code);
	if (proxy_code == 407) {
		if (check_proxy_has_user(req))
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT, "the proxy refused the user and password in "
			             "%s (HTTP 407): check them (a '#', '@', ':' or space in them percent-encoded: %%23, "
			             "%%40, %%3A, %%20)", var);
		else
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT,
			             "the proxy wants a login (HTTP 407): put its user and password in %s "
			             "(http://user:password@proxy:port)", var);
		return;
	}
	if (proxy_code >= 300) {
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT,
		             "the proxy refused to connect to %s (HTTP %ld): check %s and no_proxy, or ask "
		             "the proxy's administrator to allow that host", req->host, proxy_code, var);
		return;
	}
	/* libcurl's words for a proxy URL it cannot read (a resolve or connect error code). */
	if (req->proxy_var && strstr(d, "Unsupported proxy syntax")) {
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONFIG,
		             "the proxy URL in %s does not parse (not shown: it may hold a password): in its user and "
		             "password, percent-encode '#' as %%23, '@' as %%40, ':' as %%3A, '/' as %%2F, '?' as %%3F, "
		             "'%%' as %%25 and a space as %%20 (http://user:pa%%23ss@proxy:3128)", var);
		return;
	}
	if (req->proxy_var && strstr(d, "Unsupported proxy scheme")) {
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONFIG,
		             "the proxy URL in %s has a scheme libcurl does not take (not shown: it may hold a "
		             "password): begin it with http://, https://, socks5h://, socks5://, socks4a:// or "
		             "socks4://", var);
		return;
	}
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_DNS,
		             "cannot resolve host '%s': check the host name in the URL, DNS or proxy settings", req->host);
		break;
	case CURLE_COULDNT_RESOLVE_PROXY:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_DNS, "cannot resolve the proxy host: check %s (%s)", var, d);
		break;
	case CURLE_COULDNT_CONNECT: {
		/* Not where the git probe went: an SSH URL's REST API is its host's HTTPS, which is said. */
		bool ssh_api = ctx->t->transport == CHECK_SSH && ctx->t->api_base;
		char phost[256] = "", also[64] = "";
		long pport = 0;
		int via = req->proxy_var ? check_req_via_proxy(req, phost, sizeof(phost), &pport) : 0;
		if (via == 1) {
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT, "cannot connect to the proxy in %s (%s port "
			             "%ld): check its host and port there, and that the proxy is running (%s)", var, phost,
			             pport, d);
			break;
		}
		if (via < 0)
			snprintf(also, sizeof(also), ", or to the proxy in %s", var);
		bool exempt = req->proxy_var && via == 0;
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT,
		             "cannot connect to %s port %s%s: check the host and port, a firewall or %s%s%s%s%s (%s)",
		             req->host, req->port, also, exempt ? "no_proxy (it names this host: the proxy in " :
		             "the proxy settings", exempt ? var : "", exempt ? " was not used)" : "",
		             ssh_api ? "; with an SSH URL the REST API is called over HTTPS, at " : "",
		             ssh_api ? ctx->t->api_base : "", d);
		break;
	}
	case CURLE_PROXY:
		check_req_socks(req, d);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		check_req_timeout(req);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		check_req_peer(req, d);
		break;
	case CURLE_SSL_CACERT_BADFILE:
		/* Said apart from the message: the wizard then offers to give another CA file. */
		if (!check_finished(r))
			r->bad_ca_file = true;
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONFIG, "cannot read the CA file '%s' (%s)",
		             ctx->t->ca_file ? ctx->t->ca_file : "", d);
		break;
	case CURLE_SSL_CONNECT_ERROR:
		/* OpenSSL's words for an answer that is no TLS at all: an SSH or plain HTTP port. */
		if (strstr(d, "wrong version number") || strstr(d, "packet length too long"))
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_TLS, "%s port %s does not answer as an HTTPS server: "
			             "check the port in the URL (%s)", req->host, req->port, d);
		else
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_TLS, "TLS handshake with %s failed (%s)", req->host, d);
		break;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_CONNECT,
		             "%s closed the connection: check the URL and the proxy settings (%s)", req->host, d);
		break;
	default:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_PROTOCOL, "request to %s failed (%s)", req->host, d);
		break;
	}
}

static void check_req_redirect(struct check_req *req, long code)
{
	struct check_ctx *ctx = req->ctx;
	char *loc = NULL, host[256], hint[512];

	curl_easy_getinfo(req->easy, CURLINFO_REDIRECT_URL, &loc);
	if (!loc) {
		check_finish(ctx, req->res, CHECK_FAILED, CHECK_CAT_PROTOCOL,
		             "redirect (HTTP %ld) without a location: check the URL", code);
		return;
	}
	/* Azure sends a rejected token to its sign-in page. */
	if (strcasestr(loc, "_signin") || strcasestr(loc, "/signin") || strcasestr(loc, "/login") ||
	    strcasestr(loc, "login.microsoftonline.com")) {
		check_new_pat_hint(ctx, true, hint, sizeof(hint));
		check_finish(ctx, req->res, CHECK_FAILED, CHECK_CAT_AUTH,
		             "token rejected (expired, revoked or wrong; redirected to sign-in): %s", hint);
		return;
	}
	check_url_part(loc, CURLUPART_HOST, host, sizeof(host));
	if (strcasecmp(host, req->host) != 0)
		check_finish(ctx, req->res, CHECK_FAILED, CHECK_CAT_PROTOCOL,
		             "redirected to another host (%.200s): not followed, credentials not sent there; check the URL",
		             loc);
	else
		check_finish(ctx, req->res, CHECK_FAILED, CHECK_CAT_PROTOCOL,
		             "the server redirects to %.300s (HTTP %ld): not followed; use that URL if it is right", loc,
		             code);
}

/* 404: Azure's error codes tell a missing project from a missing repository. */
static void check_req_not_found(struct check_req *req)
{
	struct check_ctx *ctx = req->ctx;
	char names[512];

	if (check_not_found(ctx, req->res, req->body ? req->body : "", "URL", "the token's user"))
		return;
	check_names(ctx->t, names, sizeof(names));
	check_finish(ctx, req->res, CHECK_FAILED, CHECK_CAT_NOT_FOUND, "not found (HTTP 404)%s%s: check %s in the URL",
	             *names ? " for " : "", names, *names ? "these names" : "the organization, project and repository");
}

/* Bytes of answer headers received so far. */
static long check_req_header_bytes(struct check_req *req)
{
	long n = 0;

	curl_easy_getinfo(req->easy, CURLINFO_HEADER_SIZE, &n);
	return n;
}

void check_req_timeout(struct check_req *req)
{
	/* libcurl times the connect only with its TLS done; the local port is there once TCP is. */
	curl_off_t secured = 0;
	long local_port = 0;
	char *url = NULL;

	curl_easy_getinfo(req->easy, CURLINFO_LOCAL_PORT, &local_port);
	curl_easy_getinfo(req->easy, CURLINFO_APPCONNECT_TIME_T, &secured);
	curl_easy_getinfo(req->easy, CURLINFO_EFFECTIVE_URL, &url);
	enum check_wait at = local_port == 0 ? CHECK_WAIT_CONNECT
	                     : secured == 0 && url && strncasecmp(url, "https:", 6) == 0 ? CHECK_WAIT_TLS
	                     : CHECK_WAIT_ANSWER;
	/* Through a proxy, until the tunnel stands the wait was the proxy's, not the server's. */
	char phost[256] = "";
	long pport = 0, tunnel = 0, ms = (long)(req->ctx->deadline_ms - req->ctx->start_ms);
	int via = req->proxy_var ? check_req_via_proxy(req, phost, sizeof(phost), &pport) : 0;
	curl_easy_getinfo(req->easy, CURLINFO_HTTP_CONNECTCODE, &tunnel);
	bool socks = via && strncasecmp(getenv(req->proxy_var), "socks", 5) == 0;
	char where[300] = "";
	if (*phost)
		snprintf(where, sizeof(where), " (%s port %ld)", phost, pport);
	if (via && at == CHECK_WAIT_CONNECT)
		check_finish(req->ctx, req->res, CHECK_FAILED, CHECK_CAT_TIMEOUT, "no connection to %s port %s or to the "
		             "proxy in %s%s within %ld.%ld s: check the proxy's host and port there, that it is running, "
		             "and a firewall", req->host, req->port, req->proxy_var, where, ms / 1000, ms % 1000 / 100);
	else if (via == 1 && at == CHECK_WAIT_TLS && !socks && tunnel == 0)
		check_finish(req->ctx, req->res, CHECK_FAILED, CHECK_CAT_TIMEOUT, "the proxy in %s%s took the "
		             "connection but did not answer its CONNECT within %ld.%ld s: check that a proxy listens at "
		             "that port, or ask its administrator (it may be stalled)", req->proxy_var, where,
		             ms / 1000, ms % 1000 / 100);
	else if (via && at == CHECK_WAIT_TLS && socks)
		check_finish(req->ctx, req->res, CHECK_FAILED, CHECK_CAT_TIMEOUT, "no TLS handshake through the SOCKS "
		             "proxy in %s%s within %ld.%ld s: the proxy, or %s port %s behind it, is silent: check the "
		             "proxy's port there and the port in the URL", req->proxy_var, where, ms / 1000,
		             ms % 1000 / 100, req->host, req->port);
	else if (at == CHECK_WAIT_ANSWER && (secured || req->len || check_req_header_bytes(req)))
		/* The request was taken (TLS stood, or an answer began): the host and port are right. */
		check_finish(req->ctx, req->res, CHECK_FAILED, CHECK_CAT_TIMEOUT, "%s port %s took the request but "
		             "did not finish its answer within %ld.%ld s: the server (or a proxy) may be overloaded: try "
		             "again, or give it longer with --timeout", req->host, req->port, ms / 1000, ms % 1000 / 100);
	else
		check_finish_timeout(req->ctx, req->res, req->host, req->port, at);
}

bool check_req_failed(struct check_req *req, CURLcode rc)
{
	struct check_ctx *ctx = req->ctx;
	struct check_result *r = req->res;
	char hint[256];
	long code = 0;

	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && req->too_big)) {
		check_req_transport(req, rc);
		return true;
	}
	curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &code);
	if (code == 200)
		return false;
	if (code >= 300 && code < 400) {
		check_req_redirect(req, code);
		return true;
	}
	check_settings_hint(ctx, "tokens", hint, sizeof(hint));
	switch (code) {
	case 203: /* Azure's sign-in page for a browser: the token was not accepted */
	case 401: {
		const struct secbuf *token = strcmp(r->probe, "api") == 0 && ctx->t->api_token ? ctx->t->api_token
		                                                                              : ctx->t->token;
		bool expired = req->body && strstr(req->body, "has expired"), cut = token && token->len < VALIDATE_PAT_LEN;
		char pat[512];
		check_new_pat_hint(ctx, !expired && !cut, pat, sizeof(pat));
		if (expired)
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_AUTH, "token expired: %s", pat);
		else if (cut)
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_AUTH,
			             "token rejected (HTTP %ld): it has only %zu characters, fewer than an Azure DevOps "
			             "token: give it whole (cut short when copied?), or %s", code, token->len, pat);
		else
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_AUTH,
			             "token rejected (expired, revoked or wrong; HTTP %ld): %s", code, pat);
		break;
	}
	case 403:
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_FORBIDDEN,
		             "token lacks Code (Read) (HTTP 403): give it that scope %s, or get read access to the repository",
		             hint);
		break;
	case 404:
		check_req_not_found(req);
		break;
	case 400: {
		/* A plain request to a TLS port is what a server answers so (nginx: "sent to HTTPS port"). */
		char *scheme = NULL;
		curl_easy_getinfo(req->easy, CURLINFO_SCHEME, &scheme);
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_PROTOCOL, "the server refused the request (HTTP 400): %s",
		             scheme && strcasecmp(scheme, "http") == 0
		             ? "if it serves https:// on that port, use https:// (else check the URL)"
		             : "check the URL (spaces must be %20)");
		break;
	}
	case 429: { /* Azure DevOps' rate limits: the credentials are not in question */
		curl_off_t wait = 0;
		curl_easy_getinfo(req->easy, CURLINFO_RETRY_AFTER, &wait);
		if (wait > 0)
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_SERVER,
			             "%s is limiting requests (HTTP 429): try again in %" CURL_FORMAT_CURL_OFF_T " s",
			             req->host, wait);
		else
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_SERVER,
			             "%s is limiting requests (HTTP 429): try again in a few minutes", req->host);
		break;
	}
	default:
		if (code >= 500) {
			/* 503 may say when (Retry-After); 502 and 504 are a gateway's words about the server behind it. */
			curl_off_t wait = 0;
			char when[64] = "later";
			curl_easy_getinfo(req->easy, CURLINFO_RETRY_AFTER, &wait);
			if (wait > 0)
				snprintf(when, sizeof(when), "in %" CURL_FORMAT_CURL_OFF_T " s", wait);
			if (code == 502 || code == 504)
				check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_SERVER, "a gateway or proxy on the way to %s got no "
				             "good answer from it (HTTP %ld): try again %s; if it lasts, check the proxy "
				             "settings", req->host, code, when);
			else
				check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_SERVER,
				             "server error (HTTP %ld) at %s: try again %s", code, req->host, when);
		} else
			check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_PROTOCOL, "unexpected answer (HTTP %ld) from %s",
			             code, req->host);
		break;
	}
	return true;
}

static void check_http_git_done(struct check_req *req, CURLcode rc)
{
	char ctype[128];

	if (check_req_failed(req, rc))
		return;
	check_req_content_type(req, ctype, sizeof(ctype));
	if (strcasecmp(ctype, "application/x-git-upload-pack-advertisement") != 0) {
		/* The URL has its /_git/<repo> (the probe's is made so): a web page is someone else's answer. */
		check_finish(req->ctx, req->res, CHECK_FAILED, CHECK_CAT_PROTOCOL,
		             "not a Git repository URL: the server answered %s, not a Git ref list: %s",
		             ctype[0] ? ctype : "without a content type", strcasecmp(ctype, "text/html") == 0
		             ? "a web page (a sign-in page, a proxy's or a captive portal's?): open the URL in a browser "
		               "from this machine, and check the host and path in it"
		             : "check the host and path in the URL");
		return;
	}
	check_git_adv(req->ctx, req->res, req->body ? req->body : "", req->len, true, true, req->too_big);
}

void check_http_git_start(struct check_ctx *ctx, struct check_result *res)
{
	const struct check_target *t = ctx->t;
	char *url;

	if (!t->username || !*t->username) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG,
		             "no user name: Azure needs one for Git over HTTPS (any non-empty name)");
		return;
	}
	url = check_url_join(ctx, res, t->git_url, "", NULL);
	if (!url)
		return;
	check_req_start(ctx, res, url, t->username, t->token, CHECK_GIT_BODY_MAX, false, check_http_git_done);
	curl_free(url);
}
