/*
 * Internals shared by the probes of one check (check.c, check_http.c,
 * check_api.c, check_ssh.c); not for other modules.
 */
#ifndef AZ_CHECK_PROBE_H
#define AZ_CHECK_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "check.h"

/* Response bodies are capped: a ref advertisement, a REST answer. */
#define CHECK_GIT_BODY_MAX (1024u * 1024u)
#define CHECK_GIT_BODY_MAX_TEXT "1 MiB"
#define CHECK_API_BODY_MAX (256u * 1024u)

/* The HTTP requests in flight at most (git-http, api). */
#define CHECK_MAX_REQS 4

struct check_req;

/* One check in progress. */
struct check_ctx {
	const struct check_target *t;
	CURLM *multi;
	long long start_ms;    /* clock_ms() at the start */
	long long deadline_ms; /* clock_ms() when everything stops */
	struct check_req *reqs[CHECK_MAX_REQS]; /* in flight, NULL slots free */
};

/* Milliseconds left before the deadline, at least 1 (curl takes 0 as "none"). */
long check_remaining_ms(const struct check_ctx *ctx);

/* base64(user:token), a Basic Authorization's credentials, in sodium memory (NULL: no memory). */
struct secbuf *check_basic_credentials(const char *user, const struct secbuf *token);

/* Has the probe behind r finished (it then has a message)? */
bool check_finished(const struct check_result *r);

/* Finish a probe: status, category, message (printf), duration. */
void check_finish(const struct check_ctx *ctx, struct check_result *r, enum check_status status,
                  enum check_category cat, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Where a probe was when the deadline came: connecting, in its TLS or SSH handshake, or past it. */
enum check_wait { CHECK_WAIT_ANSWER, CHECK_WAIT_CONNECT, CHECK_WAIT_TLS, CHECK_WAIT_SSH };

/*
 * "no answer from HOST port P within N s: ..." (or no connection, no handshake) for a probe the
 * deadline stopped where it was (at), waiting on host and port (NULL: not known).
 */
void check_finish_timeout(const struct check_ctx *ctx, struct check_result *r, const char *host,
                          const char *port, enum check_wait at);

/* "repository 'r' of project 'p' in organization 'o'": the names of the URL known, or "". */
void check_names(const struct check_target *t, char *out, size_t outlen);

/*
 * A "not found" in Azure's text (an HTTP body, git's stderr): TF401019,
 * TF200016 or OrganizationNotFound, said with the names of the URL ("URL" or
 * "SSH URL") and who must be able to read the repository. Returns false, r
 * untouched, when the text has none of them.
 */
bool check_not_found(const struct check_ctx *ctx, struct check_result *r, const char *said, const char *url,
                     const char *reader);

/*
 * Where to make a new PAT or add an SSH key (page "tokens" or "keys"): "at
 * <org>/_usersSettings/<page> (<its title>)", or the menu path.
 */
void check_settings_hint(const struct check_ctx *ctx, const char *page, char *out, size_t outlen);

/*
 * "create a new PAT with Code (Read) <where>", for a token refused. On Azure DevOps Services,
 * with global set (a token that worked may have been one), it adds that the PAT is for the
 * organization: those for all accessible organizations stopped working on 2026-12-01.
 */
void check_new_pat_hint(const struct check_ctx *ctx, bool global, char *out, size_t outlen);

/* An HTTP request of a probe, driven by the check's curl multi handle. */
typedef void (*check_req_done_fn)(struct check_req *req, CURLcode rc);

struct check_req {
	struct check_ctx *ctx;
	struct check_result *res;
	CURL *easy;
	struct curl_slist *headers; /* holds the Authorization line: wiped before it is freed */
	char *body;
	size_t len, max;
	bool too_big;               /* the body passed max: the transfer was stopped */
	char host[256];             /* of the request URL, to judge redirects */
	char port[8];               /* of the request URL (the scheme's when none is written) */
	const char *proxy_var;      /* the variable naming a proxy for its scheme (as libcurl reads them), or NULL */
	char errbuf[CURL_ERROR_SIZE];
	check_req_done_fn done;
	char note[192];             /* carried from one request of a probe to the next */
};

/*
 * Start GET url for the probe behind res: Basic auth (user:token) sent up
 * front, no redirects followed, body capped at max. rest adds the headers of
 * Azure's REST API (JSON, no sign-in redirects). Returns NULL after finishing
 * the probe as failed (bad URL, http not allowed, out of memory).
 */
struct check_req *check_req_start(struct check_ctx *ctx, struct check_result *res, const char *url,
                                  const char *user, const struct secbuf *token, size_t max,
                                  bool rest, check_req_done_fn done);

/* The deadline came for the request: check_finish_timeout, with where it was. */
void check_req_timeout(struct check_req *req);

/* Remove from the multi handle, wipe the headers, free. NULL is fine. */
void check_req_free(struct check_req *req);

/*
 * The common verdicts on a finished request: transport errors (DNS, connect,
 * TLS, timeout), redirects, 203, 401, 403, 404 and other non-200 answers.
 * Returns true when the probe was finished here; false for a 200 (or a body
 * cut at max, req->too_big) for the probe to read.
 */
bool check_req_failed(struct check_req *req, CURLcode rc);

/* The media type of the answer ("application/json"), "" when none. */
void check_req_content_type(struct check_req *req, char *out, size_t outlen);

/*
 * URL of base with path appended ("" for none) and, unless query is NULL,
 * that query; user-info and fragment dropped. NULL after finishing res as
 * failed (not a URL, not https or http allowed, out of memory).
 */
char *check_url_join(struct check_ctx *ctx, struct check_result *res, const char *base,
                     const char *path, const char *query);

/*
 * Judge the git-upload-pack ref advertisement in buf (smart_http: with the
 * service line of GET info/refs). at_end: no more bytes will come; cut:
 * reading stopped at the size cap. Returns true when res was finished (ok or
 * failed), false when more bytes are needed.
 */
bool check_git_adv(const struct check_ctx *ctx, struct check_result *res, const char *buf,
                   size_t len, bool smart_http, bool at_end, bool cut);

/*
 * The environment variable libcurl takes a proxy from for scheme ("https" or "http"), when one
 * is set: then a failed connect may be the proxy's (no_proxy may still exempt the host). NULL: none.
 */
const char *check_proxy_var(const char *scheme);

/* The probes. */
void check_http_git_start(struct check_ctx *ctx, struct check_result *res);
void check_api_start(struct check_ctx *ctx, struct check_result *res);

struct check_ssh;
struct check_ssh *check_ssh_start(struct check_ctx *ctx, struct check_result *res);
/* Advance as far as possible without blocking; false once finished. */
bool check_ssh_step(struct check_ssh *s);
/* The socket to wait on (-1 during DNS: poll again soon) and its events. */
int check_ssh_fd(const struct check_ssh *s, short *events);
void check_ssh_free(struct check_ssh *s);
/* Where the probe was, for check_finish_timeout. */
enum check_wait check_ssh_waiting(const struct check_ssh *s);

#endif
