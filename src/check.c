/* The connectivity check: runs the probes under one deadline, prints results. */
#include <config.h>

#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "check_probe.h"
#include "clock.h"
#include "json.h"
#include "pktline.h"
#include "secbuf.h"
#include "utf8.h"

#define CHECK_PROGRESS_MS 100

long check_remaining_ms(const struct check_ctx *ctx)
{
	long left = (long)(ctx->deadline_ms - clock_ms());

	return left > 0 ? left : 1;
}

bool check_finished(const struct check_result *r)
{
	return r->message[0] != '\0';
}

/* Server-supplied text ends up in messages and JSON: no terminal control bytes, only UTF-8. */
static void check_sanitize(char *s)
{
	for (char *p = s; *p; p++) {
		size_t c = utf8_control_len(p);
		if (c) {
			memset(p, '?', c); /* in place: a C1 control's two bytes each */
			p += c - 1;
		}
	}
	utf8_scrub(s);
}

/*
 * Replace in s (room cap) each run of secret's bytes at least CHECK_WITHHOLD_RUN long, or
 * the whole secret when shorter, with "(withheld)": a part cut by a %.100s is caught too.
 */
#define CHECK_WITHHOLD_RUN 8
static void check_withhold_one(char *s, size_t cap, const unsigned char *secret, size_t n)
{
	static const char mark[] = "(withheld)";
	const size_t mlen = sizeof(mark) - 1, min = n < CHECK_WITHHOLD_RUN ? n : CHECK_WITHHOLD_RUN;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t run = 0;

		for (size_t j = 0; j + run < n; j++) {
			size_t l = 0;
			while (i + l < len && j + l < n && (unsigned char)s[i + l] == secret[j + l])
				l++;
			if (l > run)
				run = l;
		}
		if (run < min) {
			i++;
			continue;
		}
		if (i + mlen >= cap) { /* no room for the mark: cut the text there */
			s[i] = '\0';
			return;
		}
		size_t tail = len - i - run;
		if (i + mlen + tail >= cap)
			tail = cap - 1 - i - mlen;
		memmove(s + i + mlen, s + i + run, tail);
		memcpy(s + i, mark, mlen);
		len = i + mlen + tail;
		s[len] = '\0';
		i += mlen;
	}
}

struct secbuf *check_basic_credentials(const char *user, const struct secbuf *token)
{
	size_t ulen = strlen(user), rawlen = ulen + 1 + token->len;
	size_t b64len = sodium_base64_ENCODED_LEN(rawlen, sodium_base64_VARIANT_ORIGINAL);
	struct secbuf *raw = secbuf_new(rawlen), *b64 = secbuf_new(b64len);

	if (raw && b64) {
		memcpy(raw->data, user, ulen);
		raw->data[ulen] = ':';
		memcpy(raw->data + ulen + 1, token->data, token->len);
		sodium_bin2base64((char *)b64->data, b64len, raw->data, rawlen, sodium_base64_VARIANT_ORIGINAL);
		b64->len = strlen((char *)b64->data);
	} else {
		secbuf_free(b64);
		b64 = NULL;
	}
	secbuf_free(raw);
	return b64;
}

/* Withhold token (user:token in base64 too, as an Authorization header) from s. */
static void check_withhold_token(char *s, size_t cap, const char *user, const struct secbuf *token)
{
	struct secbuf *b64 = check_basic_credentials(user, token);

	check_withhold_one(s, cap, token->data, token->len);
	if (b64)
		check_withhold_one(s, cap, b64->data, b64->len);
	secbuf_free(b64);
}

/*
 * A server's text may echo what it was sent (a display name, a ref, an error line): the
 * tokens, as sent, never go on from there. Tokens shorter than CHECK_WITHHOLD_RUN are not
 * looked for: no PAT is that short, and such a word would be withheld wherever it stood.
 */
static void check_withhold(const struct check_target *t, char *s, size_t cap)
{
	const struct secbuf *tokens[] = { t->token, t->api ? t->api_token : NULL };

	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		if (!tokens[i] || tokens[i]->len < CHECK_WITHHOLD_RUN || (i && tokens[i] == t->token))
			continue;
		if (t->username && *t->username)
			check_withhold_token(s, cap, t->username, tokens[i]);
		check_withhold_token(s, cap, "", tokens[i]);
	}
}

void check_finish(const struct check_ctx *ctx, struct check_result *r, enum check_status status,
                  enum check_category cat, const char *fmt, ...)
{
	char said[2048];
	va_list ap;

	if (check_finished(r))
		return; /* the first verdict stands */
	/* Before the message is made: it may quote the branch. */
	check_withhold(ctx->t, r->default_branch, sizeof(r->default_branch));
	/* Two tokens: a token's fault on the api probe names the one it is about. */
	size_t at = 0;
	if (ctx->t->api_token_own && strcmp(r->probe, "api") == 0 && strncmp(fmt, "token ", 6) == 0)
		at = (size_t)snprintf(said, sizeof(said), "the API ");
	va_start(ap, fmt);
	vsnprintf(said + at, sizeof(said) - at, fmt, ap);
	va_end(ap);
	/* Whole before it is cut to the message's size: a token at the cut would show in part. */
	check_withhold(ctx->t, said, sizeof(said));
	size_t len = strnlen(said, sizeof(r->message) - 1); /* a character cut here is scrubbed below */
	memcpy(r->message, said, len);
	r->message[len] = '\0';
	sodium_memzero(said, sizeof(said));
	check_sanitize(r->message);
	check_sanitize(r->default_branch); /* a ref name is any bytes the server sends */
	if (!r->message[0])
		snprintf(r->message, sizeof(r->message), "%s", status == CHECK_OK ? "ok" : "failed");
	r->status = status;
	r->category = status == CHECK_FAILED ? cat : CHECK_CAT_NONE;
	r->duration_ms = (long)(clock_ms() - ctx->start_ms);
}

void check_finish_timeout(const struct check_ctx *ctx, struct check_result *r, const char *host,
                          const char *port, enum check_wait at)
{
	long ms = (long)(ctx->deadline_ms - ctx->start_ms);

	/* libssh connects directly: proxy settings cannot help the SSH probe. */
	const char *advice = strcmp(r->probe, "git-ssh") == 0
	                     ? "or a firewall (SSH does not use https_proxy: behind a proxy, use an HTTPS URL)"
	                     : "a firewall or the proxy settings";

	/* A server that takes the connection and never answers it: another kind of server, or a port forwarded to none. */
	if (host && (at == CHECK_WAIT_TLS || at == CHECK_WAIT_SSH))
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_TIMEOUT, "%s port %s took the connection but sent nothing "
		             "within %ld.%ld s (no %s handshake): check the port in the URL, %s", host, port, ms / 1000,
		             ms % 1000 / 100, at == CHECK_WAIT_TLS ? "TLS" : "SSH", advice);
	else
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_TIMEOUT, "no %s%s%s%s%s within %ld.%ld s: check the host "
		             "and port, %s", at == CHECK_WAIT_CONNECT ? "connection" : "answer", !host ? "" :
		             at == CHECK_WAIT_CONNECT ? " to " : " from ", host ? host : "", host ? " port " : "",
		             host ? port : "", ms / 1000, ms % 1000 / 100, advice);
}

/* The deadline came: where r's probe was, the SSH server (ssh: its probe) or its request in flight. */
static void check_finish_deadline(const struct check_ctx *ctx, struct check_result *r, const struct check_ssh *ssh)
{
	char port[16];

	if (ssh) {
		snprintf(port, sizeof(port), "%d", ctx->t->ssh_port > 0 ? ctx->t->ssh_port : 22);
		check_finish_timeout(ctx, r, ctx->t->ssh_host, port, check_ssh_waiting(ssh));
		return;
	}
	for (size_t i = 0; i < CHECK_MAX_REQS; i++)
		if (ctx->reqs[i] && ctx->reqs[i]->res == r) {
			check_req_timeout(ctx->reqs[i]);
			return;
		}
	check_finish_timeout(ctx, r, NULL, NULL, CHECK_WAIT_ANSWER);
}

void check_names(const struct check_target *t, char *out, size_t outlen)
{
	const char *repo = t->repo ? t->repo : t->test_repo;
	size_t at = 0;

	*out = '\0';
	if (repo)
		at += (size_t)snprintf(out, outlen, "repository '%s'", repo);
	/* The short form's project is the repository's name: not one of its own in the URL. */
	if (t->project && !t->shorthand && at < outlen)
		at += (size_t)snprintf(out + at, outlen - at, "%sproject '%s'", at ? " of " : "", t->project);
	if (t->org && at < outlen)
		snprintf(out + at, outlen - at, "%s%s '%s'", at ? " in " : "", t->server ? "collection" : "organization",
		         t->org);
}

bool check_not_found(const struct check_ctx *ctx, struct check_result *r, const char *said, const char *url,
                     const char *reader)
{
	const struct check_target *t = ctx->t;
	char names[512];

	check_names(t, names, sizeof(names));
	if (strstr(said, "TF401019") && t->test_repo)
		/* A Project URL holds no repository: the test repository is the one not found, or its project. */
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_NOT_FOUND, "%s not found or no access (TF401019): "
		             "check the test repository's name (as Azure DevOps shows it in the project) and the "
		             "project in the %s, and that %s can read it", names, url, reader);
	/* The short form's project is its repository's name: the project missing is the URL's fault. */
	else if ((strstr(said, "TF401019") || strstr(said, "TF200016")) && t->shorthand)
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_NOT_FOUND, "%s not found or no access (%s): a %s "
		             "without the project (.../_git/%s) works only for a repository named as its project: "
		             "put the project before '_git', and check that %s can read it", names,
		             strstr(said, "TF401019") ? "TF401019" : "TF200016", url, t->repo ? t->repo : "", reader);
	else if (strstr(said, "TF200016"))
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_NOT_FOUND, "project%s%s%s not found (TF200016): check the "
		             "project in the %s (spaces as %%20)", t->project ? " '" : "", t->project ? t->project : "",
		             t->project ? "'" : "", url);
	else if (strstr(said, "TF401019"))
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_NOT_FOUND, "%s not found or no access (TF401019): check "
		             "these names in the %s, and that %s can read the repository", *names ? names :
		             "repository", url, reader);
	else if (strstr(said, "OrganizationNotFound"))
		check_finish(ctx, r, CHECK_FAILED, CHECK_CAT_NOT_FOUND, "%s%s%s%s not found: check it in the %s",
		             t->server ? "collection" : "organization", t->org ? " '" : "", t->org ? t->org : "",
		             t->org ? "'" : "", url);
	else
		return false;
	return true;
}

void check_settings_hint(const struct check_ctx *ctx, const char *page, char *out, size_t outlen)
{
	static const char services[] = "https://dev.azure.com/";
	const char *base = ctx->t->api_base, *what = strcmp(page, "keys") == 0 ? "SSH public keys"
	                                                                     : "Personal access tokens";
	size_t n = base ? strlen(base) : 0;

	while (n > 0 && base[n - 1] == '/')
		n--;
	/* A server's web address is only guessed from its SSH host (its port, its path): not named. */
	if (n && (ctx->t->transport != CHECK_SSH || strncmp(base, services, sizeof(services) - 1) == 0))
		snprintf(out, outlen, "at %.*s/_usersSettings/%s (%s)", (int)n, base, page, what);
	else
		snprintf(out, outlen, "in Azure DevOps (User settings, %s)", what);
}

void check_new_pat_hint(const struct check_ctx *ctx, bool global, char *out, size_t outlen)
{
	const struct check_target *t = ctx->t;
	char where[256];

	check_settings_hint(ctx, "tokens", where, sizeof(where));
	/* Microsoft retired global PATs then: a connector's token that worked may stop at once. */
	if (global && !t->server)
		snprintf(out, outlen, "create a new PAT with Code (Read) %s, for %s%s%s only: one for all accessible "
		         "organizations stopped working on 2026-12-01", where, t->org ? "organization '" : "this organization",
		         t->org ? t->org : "", t->org ? "'" : "");
	else
		snprintf(out, outlen, "create a new PAT with Code (Read) %s", where);
}

bool check_git_adv(const struct check_ctx *ctx, struct check_result *res, const char *buf,
                   size_t len, bool smart_http, bool at_end, bool cut)
{
	struct pktline_adv adv;
	char msg[256];
	enum pktline_adv_status st = pktline_parse_adv(buf, len, smart_http, &adv, msg, sizeof(msg));

	if (st == PKTLINE_ADV_MORE && !at_end)
		return false;
	if (st == PKTLINE_ADV_ERR) {
		check_finish(ctx, res, CHECK_FAILED, strstr(msg, "TF401019") ? CHECK_CAT_NOT_FOUND : CHECK_CAT_PROTOCOL,
		             "%s%s%s", smart_http ? "not a Git repository URL: " : "", msg,
		             cut ? " (stopped reading at " CHECK_GIT_BODY_MAX_TEXT ")" : "");
		return true;
	}
	if (st == PKTLINE_ADV_MORE && !cut) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_PROTOCOL,
		             "the ref list ended early (the connection was cut): try again");
		return true;
	}
	res->ref_count = adv.ref_count;
	memcpy(res->default_branch, adv.default_branch, sizeof(res->default_branch));
	if (cut)
		check_finish(ctx, res, CHECK_OK, CHECK_CAT_NONE, "%d+ refs (stopped reading at " CHECK_GIT_BODY_MAX_TEXT ")%s%s",
		             adv.ref_count, adv.default_branch[0] ? ", default branch " : "",
		             adv.default_branch);
	else if (adv.ref_count == 0)
		check_finish(ctx, res, CHECK_OK, CHECK_CAT_NONE, "the repository is empty (no refs yet)");
	else
		check_finish(ctx, res, CHECK_OK, CHECK_CAT_NONE, "%d ref%s%s%s", adv.ref_count,
		             adv.ref_count == 1 ? "" : "s", adv.default_branch[0] ? ", default branch " : "",
		             adv.default_branch);
	return true;
}

/* Hand every finished transfer to its probe. */
static void check_collect(struct check_ctx *ctx)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(ctx->multi, &left)) != NULL) {
		struct check_req *req = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&req);
		if (!req)
			continue;
		req->done(req, m->data.result);
		check_req_free(req);
	}
}

static size_t check_count_finished(const struct check_result *results, size_t n)
{
	size_t done = 0;

	for (size_t i = 0; i < n; i++)
		done += check_finished(&results[i]);
	return done;
}

/* Wait for curl's sockets and the SSH socket, at most wait_ms. */
static void check_wait(struct check_ctx *ctx, struct check_ssh *ssh, long wait_ms)
{
	struct curl_waitfd wfd = { .fd = -1 };
	unsigned int nfd = 0;

	if (ssh) {
		short ev = 0;
		int fd = check_ssh_fd(ssh, &ev);

		if (fd >= 0) {
			wfd.fd = fd;
			wfd.events = (short)(((ev & POLLIN) ? CURL_WAIT_POLLIN : 0) | ((ev & POLLOUT) ? CURL_WAIT_POLLOUT : 0));
			nfd = 1;
		}
		/*
		 * The resolver has no descriptor, and libssh may keep input it has
		 * already read for its next call: never sleep long on them.
		 */
		long cap = fd >= 0 ? 50 : 10;

		if (wait_ms > cap)
			wait_ms = cap;
	}
	curl_multi_poll(ctx->multi, nfd ? &wfd : NULL, nfd, (int)wait_ms, NULL);
}

size_t check_run(const struct check_target *target, struct check_result *results,
                 check_progress_fn progress, void *user)
{
	struct check_ctx ctx = { .t = target };
	struct check_ssh *ssh = NULL;
	long timeout = target->timeout_ms > 0 ? target->timeout_ms : CHECK_DEFAULT_TIMEOUT_MS;
	long long last_progress;
	size_t n = 0, reported = 0;

	memset(results, 0, sizeof(*results) * CHECK_MAX_PROBES);
	results[n++].probe = target->transport == CHECK_SSH ? "git-ssh" : "git-http";
	if (target->api)
		results[n++].probe = "api";
	for (size_t i = 0; i < n; i++) {
		results[i].status = CHECK_SKIPPED; /* until it finishes */
		results[i].ref_count = -1;
	}
	ctx.start_ms = last_progress = clock_ms();
	ctx.deadline_ms = ctx.start_ms + timeout;
	/* libcurl's request buffer holds the Authorization header (the token, base64); its TLS and header copies may too. */
	curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, secbuf_wipe_free, secbuf_wipe_realloc, strdup, calloc);
	ctx.multi = curl_multi_init();
	if (!ctx.multi) {
		for (size_t i = 0; i < n; i++)
			check_finish(&ctx, &results[i], CHECK_FAILED, CHECK_CAT_CONFIG, "out of memory");
		goto out;
	}
	if (target->transport == CHECK_SSH)
		ssh = check_ssh_start(&ctx, &results[0]);
	else
		check_http_git_start(&ctx, &results[0]);
	if (target->api)
		check_api_start(&ctx, &results[1]);

	for (;;) {
		int running;
		long long now, left;

		curl_multi_perform(ctx.multi, &running);
		check_collect(&ctx);
		if (ssh && !check_ssh_step(ssh)) {
			check_ssh_free(ssh);
			ssh = NULL;
		}
		size_t done = check_count_finished(results, n);
		if (done == n)
			break;
		now = clock_ms();
		if (progress && (done != reported || now - last_progress >= CHECK_PROGRESS_MS)) {
			reported = done;
			last_progress = now;
			if (progress(results, n, user)) {
				for (size_t i = 0; i < n; i++)
					check_finish(&ctx, &results[i], CHECK_SKIPPED, CHECK_CAT_NONE, "stopped before it finished");
				break;
			}
		}
		left = ctx.deadline_ms - now;
		if (left <= 0) {
			for (size_t i = 0; i < n; i++)
				check_finish_deadline(&ctx, &results[i], ssh && i == 0 ? ssh : NULL);
			break;
		}
		check_wait(&ctx, ssh, progress && left > CHECK_PROGRESS_MS ? CHECK_PROGRESS_MS : (long)left);
	}
	for (size_t i = 0; i < CHECK_MAX_REQS; i++)
		check_req_free(ctx.reqs[i]);
	check_ssh_free(ssh);
	curl_multi_cleanup(ctx.multi);
out:
	curl_global_cleanup();
	if (progress)
		progress(results, n, user);
	return n;
}

bool check_all_ok(const struct check_result *results, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (results[i].status != CHECK_OK)
			return false;
	return true;
}

const char *check_status_name(enum check_status s)
{
	switch (s) {
	case CHECK_OK:
		return "ok";
	case CHECK_FAILED:
		return "failed";
	case CHECK_SKIPPED:
		break;
	}
	return "skipped";
}

const char *check_category_name(enum check_category c)
{
	static const char *const names[] = {
		[CHECK_CAT_NONE] = "none",
		[CHECK_CAT_DNS] = "dns",
		[CHECK_CAT_CONNECT] = "connect",
		[CHECK_CAT_TLS] = "tls",
		[CHECK_CAT_AUTH] = "auth",
		[CHECK_CAT_FORBIDDEN] = "forbidden",
		[CHECK_CAT_NOT_FOUND] = "not-found",
		[CHECK_CAT_PROTOCOL] = "protocol",
		[CHECK_CAT_HOST_KEY] = "host-key",
		[CHECK_CAT_TIMEOUT] = "timeout",
		[CHECK_CAT_SERVER] = "server",
		[CHECK_CAT_CONFIG] = "config",
	};

	return (size_t)c < sizeof(names) / sizeof(names[0]) ? names[c] : "none";
}

static const char *check_hostkey_name(enum check_hostkey h)
{
	static const char *const names[] = {
		[CHECK_HOSTKEY_NONE] = "none",
		[CHECK_HOSTKEY_PINNED] = "pinned",
		[CHECK_HOSTKEY_KNOWN] = "known",
		[CHECK_HOSTKEY_ACCEPTED] = "accepted",
		[CHECK_HOSTKEY_UNKNOWN] = "unknown",
		[CHECK_HOSTKEY_CHANGED] = "changed",
		[CHECK_HOSTKEY_REVOKED] = "revoked",
		[CHECK_HOSTKEY_UNCHECKED] = "unchecked",
	};

	return (size_t)h < sizeof(names) / sizeof(names[0]) ? names[h] : "none";
}

void check_print_text(FILE *out, const struct check_result *results, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct check_result *r = &results[i];
		char said[sizeof(r->message)];

		/* It may quote the server (its stderr line): as text, never as the terminal's commands. */
		snprintf(said, sizeof(said), "%s", r->message);
		utf8_defang(said);
		fprintf(out, "%-7s %-8s %3ld.%ld s  %s\n",
		        r->status == CHECK_OK ? "ok" : r->status == CHECK_FAILED ? "FAILED" : "skipped",
		        r->probe, r->duration_ms / 1000, r->duration_ms % 1000 / 100, said);
		/* Its own line, whole: to paste into Azure DevOps as it is. */
		if (*r->key_pub)
			fprintf(out, "%-7s %-8s %7s  its public key: %s\n", "", "", "", r->key_pub);
	}
}

static cJSON *check_result_json(const struct check_result *r)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "probe", r->probe);
	cJSON_AddStringToObject(o, "status", check_status_name(r->status));
	if (r->status == CHECK_FAILED)
		cJSON_AddStringToObject(o, "category", check_category_name(r->category));
	else
		cJSON_AddNullToObject(o, "category");
	cJSON_AddStringToObject(o, "message", r->message);
	cJSON_AddNumberToObject(o, "duration_ms", (double)r->duration_ms);
	if (r->ref_count >= 0)
		cJSON_AddNumberToObject(o, "ref_count", r->ref_count);
	if (r->default_branch[0])
		cJSON_AddStringToObject(o, "default_branch", r->default_branch);
	if (r->host_key_status != CHECK_HOSTKEY_NONE) {
		cJSON_AddStringToObject(o, "host_key", check_hostkey_name(r->host_key_status));
		cJSON_AddStringToObject(o, "host_key_fingerprint", r->host_key_fp);
	}
	if (*r->key_pub)
		cJSON_AddStringToObject(o, "public_key", r->key_pub);
	return o;
}

cJSON *check_json(const struct check_result *results, size_t n)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *probes;

	if (!root || !cJSON_AddBoolToObject(root, "ok", n > 0 && check_all_ok(results, n)) ||
	    !(probes = cJSON_AddArrayToObject(root, "probes")))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		cJSON *o = check_result_json(&results[i]);

		if (!o)
			goto fail;
		cJSON_AddItemToArray(probes, o);
	}
	return root;
fail:
	cJSON_Delete(root);
	return NULL;
}

int check_print_json(FILE *out, const struct check_result *results, size_t n, const char *said)
{
	cJSON *root = check_json(results, n);
	if (root)
		json_add_messages(root, said);
	char *text = root ? cJSON_PrintUnformatted(root) : NULL;
	int rc = text && fprintf(out, "%s\n", text) >= 0 ? 0 : -1;

	cJSON_free(text);
	cJSON_Delete(root);
	return rc;
}
