/*
 * check_run against a canned HTTP server in a thread (plain http with
 * allow_http): the answers the fixture servers do not give (sign-in
 * redirects, 5xx, anonymous users, disabled repositories, oversized JSON
 * and JSON of exactly the cap), a URL's user:password never used,
 * the headers sent, connection reuse, cancelling, and the output formats.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <sodium.h>

#include "check.h"
#include "check_probe.h"

#define MAX_CLIENTS 8
#define MAX_ROUTES 4
#define MAX_REQS 8

struct route {
	const char *path;   /* request path prefix */
	const char *status; /* "200 OK" */
	const char *headers; /* extra header lines, each ending in \r\n */
	const char *body;
	size_t len;         /* of body */
};

struct server {
	int listen_fd, stop[2];
	int port;
	pthread_t thread;
	struct route routes[MAX_ROUTES];
	pthread_mutex_t lock;
	int connections;
	int nreqs;
	char reqs[MAX_REQS][2048]; /* request heads, in arrival order */
};

struct client {
	int fd;
	char buf[4096];
	size_t len;
};

/* By the request target (after GET, or CONNECT at a proxy). Case-insensitive: libcurl may write
 * %C3 as %c3 (the same URL). */
static const struct route *server_route(struct server *s, const char *head)
{
	const char *target = strchr(head, ' ');

	for (int i = 0; target && i < MAX_ROUTES && s->routes[i].path; i++)
		if (strncasecmp(target + 1, s->routes[i].path, strlen(s->routes[i].path)) == 0)
			return &s->routes[i];
	return NULL;
}

static void server_write(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return; /* the client went away (a capped body) */
		p += w;
		n -= (size_t)w;
	}
}

/* Answer each complete request head in c's buffer (GETs, no bodies). */
static void server_serve(struct server *s, struct client *c)
{
	char *end;

	while ((end = memmem(c->buf, c->len, "\r\n\r\n", 4)) != NULL) {
		size_t hlen = (size_t)(end - c->buf) + 4;
		const struct route *r;
		char head[512];

		pthread_mutex_lock(&s->lock);
		if (s->nreqs < MAX_REQS)
			snprintf(s->reqs[s->nreqs++], sizeof(s->reqs[0]), "%.*s", (int)hlen, c->buf);
		pthread_mutex_unlock(&s->lock);
		c->buf[hlen - 1] = '\0';
		r = server_route(s, c->buf);
		if (!r) {
			server_write(c->fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 45);
		} else {
			int n = snprintf(head, sizeof(head), "HTTP/1.1 %s\r\n%sContent-Length: %zu\r\n\r\n", r->status,
			                 r->headers ? r->headers : "", r->len);
			server_write(c->fd, head, (size_t)n);
			server_write(c->fd, r->body, r->len);
		}
		memmove(c->buf, c->buf + hlen, c->len - hlen);
		c->len -= hlen;
	}
}

static void *server_main(void *arg)
{
	struct server *s = arg;
	struct client clients[MAX_CLIENTS];
	int nclients = 0;

	for (;;) {
		struct pollfd p[MAX_CLIENTS + 2];
		int polled = nclients; /* clients accepted below are polled next time */

		p[0] = (struct pollfd){ .fd = s->stop[0], .events = POLLIN };
		p[1] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
		for (int i = 0; i < nclients; i++)
			p[i + 2] = (struct pollfd){ .fd = clients[i].fd, .events = POLLIN };
		if (poll(p, (nfds_t)polled + 2, -1) < 0 || p[0].revents)
			break;
		if ((p[1].revents & POLLIN) && nclients < MAX_CLIENTS) {
			int fd = accept(s->listen_fd, NULL, NULL);

			if (fd >= 0) {
				clients[nclients++] = (struct client){ .fd = fd };
				pthread_mutex_lock(&s->lock);
				s->connections++;
				pthread_mutex_unlock(&s->lock);
			}
		}
		for (int i = 0; i < polled; i++) {
			struct client *c = &clients[i];
			ssize_t n;

			if (!(p[i + 2].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
			if (n <= 0) {
				close(c->fd);
				/* p[] no longer matches after this: poll again. */
				clients[i] = clients[--nclients];
				break;
			}
			c->len += (size_t)n;
			server_serve(s, c);
		}
	}
	for (int i = 0; i < nclients; i++)
		close(clients[i].fd);
	return NULL;
}

static int setup(void **state)
{
	struct server *s = calloc(1, sizeof(*s));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);

	assert_non_null(s);
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s->listen_fd >= 0);
	assert_int_equal(bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->listen_fd, 8), 0);
	assert_int_equal(getsockname(s->listen_fd, (struct sockaddr *)&a, &alen), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pipe(s->stop), 0);
	pthread_mutex_init(&s->lock, NULL);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct server *s = *state;

	if (s->thread) {
		assert_int_equal(write(s->stop[1], "x", 1), 1);
		pthread_join(s->thread, NULL);
	}
	close(s->stop[0]);
	close(s->stop[1]);
	close(s->listen_fd);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return 0;
}

static void server_start(struct server *s)
{
	assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
}

#define ROUTE(p, st, h, b) ((struct route){ (p), (st), (h), (b), sizeof(b) - 1 })
#define GIT_CT "Content-Type: application/x-git-upload-pack-advertisement\r\n"
#define JSON_CT "Content-Type: application/json; charset=utf-8\r\n"
#define ADV "001e# service=git-upload-pack\n0000" \
	"004e4b825dc642cb6eb9a060e54bf8d69288fbee4904 HEAD\0symref=HEAD:refs/heads/main\n" \
	"003d4b825dc642cb6eb9a060e54bf8d69288fbee4904 refs/heads/main\n0000"
#define USER_JSON "{\"authenticatedUser\":{\"id\":\"6f1c0c58\",\"providerDisplayName\":\"Ann\"}}"

/*
 * A target for the canned server: git-http, plus api when project is set,
 * asking for the repository when repo is not empty (both given encoded).
 */
struct run {
	char git_url[128], api_base[128], api_repo_url[256];
	struct secbuf *token;
	struct check_target t;
	struct check_result r[CHECK_MAX_PROBES];
	size_t n;
};

static void run_check(struct server *s, struct run *run, const char *project, const char *repo)
{
	snprintf(run->git_url, sizeof(run->git_url),
	         "http://127.0.0.1:%d/org/proj/_git/repo/info/refs?service=git-upload-pack", s->port);
	snprintf(run->api_base, sizeof(run->api_base), "http://127.0.0.1:%d/org", s->port);
	snprintf(run->api_repo_url, sizeof(run->api_repo_url), "%s/%s/_apis/git/repositories/%s", run->api_base,
	         project ? project : "", repo ? repo : "");
	run->token = secbuf_dup("s3cret-pat", 10);
	assert_non_null(run->token);
	run->t = (struct check_target){
		.transport = CHECK_HTTP, .git_url = run->git_url, .username = "ci", .token = run->token,
		.api = project != NULL, .api_base = run->api_base,
		.api_repo_url = repo && *repo ? run->api_repo_url : NULL,
		.api_token = run->token, .allow_http = true, .timeout_ms = 5000,
	};
	run->n = check_run(&run->t, run->r, NULL, NULL);
	secbuf_free(run->token);
}

static void assert_result(const struct check_result *r, enum check_status st, enum check_category cat,
                          const char *needle)
{
	if (r->status != st || r->category != cat || !strstr(r->message, needle))
		fail_msg("%s: %s/%s \"%s\", wanted %s/%s \"%s\"", r->probe, check_status_name(r->status),
		         check_category_name(r->category), r->message, check_status_name(st),
		         check_category_name(cat), needle);
}

static void test_success_headers_reuse(void **state)
{
	struct server *s = *state;
	struct run run;
	char want[128], b64[64];
	int git = -1, conn = -1, repo = -1;

	s->routes[0] = ROUTE("/org/proj/_git/repo/info/refs?service=git-upload-pack", "200 OK", GIT_CT, ADV);
	s->routes[1] = ROUTE("/org/_apis/connectionData", "200 OK", JSON_CT, USER_JSON);
	s->routes[2] = ROUTE("/org/My%20Proj/_apis/git/repositories/r%C3%A9po?api-version=7.1", "200 OK", JSON_CT,
	                     "{\"id\":\"1\",\"name\":\"r\\u00e9po\",\"defaultBranch\":\"refs/heads/trunk\"}");
	server_start(s);
	run_check(s, &run, "My%20Proj", "r%C3%A9po");
	assert_int_equal(run.n, 2);
	assert_result(&run.r[0], CHECK_OK, CHECK_CAT_NONE, "1 ref, default branch main");
	assert_int_equal(run.r[0].ref_count, 1);
	assert_result(&run.r[1], CHECK_OK, CHECK_CAT_NONE, "authenticated as Ann; repository r\xc3\xa9po found, default branch trunk");
	assert_string_equal(run.r[1].default_branch, "trunk");
	assert_true(check_all_ok(run.r, run.n));

	assert_int_equal(s->nreqs, 3);
	for (int i = 0; i < s->nreqs; i++) {
		if (strstr(s->reqs[i], "/_git/"))
			git = i;
		else if (strstr(s->reqs[i], "connectionData"))
			conn = i;
		else
			repo = i;
	}
	assert_true(git >= 0 && conn >= 0 && repo >= 0);
	/* Git: Basic user:PAT up front, no REST headers. API: Basic :PAT, no sign-in redirects. */
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)"ci:s3cret-pat", 13, sodium_base64_VARIANT_ORIGINAL);
	snprintf(want, sizeof(want), "Authorization: Basic %s\r\n", b64);
	assert_non_null(strstr(s->reqs[git], want));
	assert_null(strstr(s->reqs[git], "X-TFS-FedAuthRedirect"));
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)":s3cret-pat", 11, sodium_base64_VARIANT_ORIGINAL);
	snprintf(want, sizeof(want), "Authorization: Basic %s\r\n", b64);
	assert_non_null(strstr(s->reqs[conn], want));
	assert_non_null(strstr(s->reqs[repo], want));
	assert_non_null(strstr(s->reqs[conn], "X-TFS-FedAuthRedirect: Suppress\r\n"));
	assert_non_null(strstr(s->reqs[repo], "Accept: application/json\r\n"));
	/* The requests share connections (the multi handle's cache). */
	assert_true(s->connections < s->nreqs);
}

static void test_signin_redirect(void **state)
{
	struct server *s = *state;
	struct run run;

	s->routes[0] = ROUTE("/org/proj/_git/repo/", "302 Found",
	                     "Location: https://app.vssps.visualstudio.com/_signin?realm=dev.azure.com\r\n", "");
	s->routes[1] = ROUTE("/org/_apis/", "302 Found", "Location: /org/proj/_git/repo/elsewhere\r\n", "");
	server_start(s);
	run_check(s, &run, "proj", "repo");
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_AUTH, "token rejected (expired, revoked or wrong; redirected to sign-in)");
	assert_non_null(strstr(run.r[0].message, "_usersSettings/tokens"));
	assert_result(&run.r[1], CHECK_FAILED, CHECK_CAT_PROTOCOL, "the server redirects to http://127.0.0.1:");
	assert_false(check_all_ok(run.r, run.n));
	/* Neither redirect was followed. */
	assert_int_equal(s->nreqs, 2);
}

/* A URL holding user:password: the userinfo never goes to libcurl (the header we build
 * is the only credential), so no request and no message carries the password. */
static void test_url_userinfo(void **state)
{
	struct server *s = *state;
	struct run run;
	char url[160], base[96], want[128], b64[64];

	s->routes[0] = ROUTE("/org/proj/_git/repo/", "302 Found", "Location: /org/proj/_git/repo/moved\r\n", "");
	s->routes[1] = ROUTE("/org/_apis/", "302 Found", "Location: /org/moved\r\n", "");
	server_start(s);
	run.token = secbuf_dup("s3cret-pat", 10);
	snprintf(url, sizeof(url), "http://ann:hunter2@127.0.0.1:%d/org/proj/_git/repo/info/refs?service=git-upload-pack",
	         s->port);
	snprintf(base, sizeof(base), "http://ann:hunter2@127.0.0.1:%d/org", s->port);
	run.t = (struct check_target){
		.transport = CHECK_HTTP, .git_url = url, .username = "ci", .token = run.token, .api = true,
		.api_base = base, .api_token = run.token, .allow_http = true, .timeout_ms = 5000,
	};
	run.n = check_run(&run.t, run.r, NULL, NULL);
	secbuf_free(run.token);
	assert_int_equal(run.n, 2);
	for (size_t i = 0; i < run.n; i++) {
		assert_result(&run.r[i], CHECK_FAILED, CHECK_CAT_PROTOCOL, "the server redirects to http://127.0.0.1:");
		assert_null(strstr(run.r[i].message, "hunter2"));
		assert_null(strstr(run.r[i].message, "ann"));
	}
	assert_int_equal(s->nreqs, 2);
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)"ci:s3cret-pat", 13, sodium_base64_VARIANT_ORIGINAL);
	snprintf(want, sizeof(want), "Authorization: Basic %s\r\n", b64);
	for (int i = 0; i < s->nreqs; i++) {
		assert_null(strstr(s->reqs[i], "hunter2"));
		if (strstr(s->reqs[i], "/_git/"))
			assert_non_null(strstr(s->reqs[i], want));
	}
}

static void test_server_answers(void **state)
{
	struct server *s = *state;
	struct run run;

	s->routes[0] = ROUTE("/org/proj/_git/repo/", "401 Unauthorized", "",
	                     "Access Denied: The Personal Access Token used has expired.");
	s->routes[1] = ROUTE("/org/_apis/", "503 Service Unavailable", "", "busy");
	server_start(s);
	run_check(s, &run, "proj", "repo");
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_AUTH, "token expired: create a new PAT with Code (Read) at http://");
	assert_result(&run.r[1], CHECK_FAILED, CHECK_CAT_SERVER, "server error (HTTP 503)");
	/* 500 is a server error too, the first of them. */
	s->routes[1] = ROUTE("/org/_apis/", "500 Internal Server Error", "", "oops");
	run_check(s, &run, "proj", "repo");
	assert_result(&run.r[1], CHECK_FAILED, CHECK_CAT_SERVER, "server error (HTTP 500) at 127.0.0.1: try again later");
	/* When to try again, if the server says; a gateway's 502 named as the gateway's. */
	s->routes[1] = ROUTE("/org/_apis/", "503 Service Unavailable", "Retry-After: 120\r\n", "busy");
	s->routes[0] = ROUTE("/org/proj/_git/repo/", "502 Bad Gateway", "", "");
	run_check(s, &run, "proj", "repo");
	assert_result(&run.r[1], CHECK_FAILED, CHECK_CAT_SERVER, "server error (HTTP 503) at 127.0.0.1: try again in 120 s");
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_SERVER, "a gateway or proxy on the way to 127.0.0.1 got no good "
	              "answer from it (HTTP 502): try again later; if it lasts, check the proxy settings");
}

static void test_api_answers(void **state)
{
	struct server *s = *state;
	struct run run;

	/* An anonymous connectionData: the token was not used. */
	s->routes[0] = ROUTE("/org/_apis/connectionData", "200 OK", JSON_CT,
	                     "{\"authenticatedUser\":{\"id\":\"aa\",\"providerDisplayName\":\"Anonymous\"}}");
	server_start(s);
	run_check(s, &run, "proj", "repo");
	assert_result(&run.r[1], CHECK_FAILED, CHECK_CAT_AUTH, "token not accepted (anonymous answer)");

	/* A disabled repository; HTML where JSON belongs. */
	s->routes[0] = ROUTE("/org/_apis/connectionData", "200 OK", JSON_CT, USER_JSON);
	s->routes[1] = ROUTE("/org/proj/_apis/git/repositories/off", "200 OK", JSON_CT,
	                     "{\"id\":\"1\",\"name\":\"off\",\"isDisabled\":true}");
	s->routes[2] = ROUTE("/org/proj/_apis/git/repositories/html", "200 OK", "Content-Type: text/html\r\n",
	                     "<html>portal</html>");
	run_check(s, &run, "proj", "off");
	assert_result(&run.r[1], CHECK_FAILED, CHECK_CAT_FORBIDDEN, "repository off is disabled");
	run_check(s, &run, "proj", "html");
	assert_result(&run.r[1], CHECK_FAILED, CHECK_CAT_PROTOCOL, "not an Azure DevOps REST answer (text/html)");

	/* No test repository: connectionData alone. */
	run_check(s, &run, "proj", "");
	assert_result(&run.r[1], CHECK_OK, CHECK_CAT_NONE, "authenticated as Ann");
}

/* A route whose body is made at run time (ROUTE takes a literal). */
static struct route route_text(const char *path, const char *headers, const char *body)
{
	return (struct route){ path, "200 OK", headers, body, strlen(body) };
}

/* No message or branch holds a run of 8 of secret's characters. */
static void assert_withheld(const char *text, const char *secret)
{
	size_t n = strlen(secret);

	for (size_t i = 0; i + 8 <= n; i++)
		if (memmem(text, strlen(text), secret + i, 8))
			fail_msg("\"%s\" shows part of \"%s\"", text, secret);
}

/* A server echoing the token it was sent (whole, in part, as the Authorization header's base64). */
static void test_token_echoed(void **state)
{
	static const char pat[] = "k3x7q2m4p5r6s7t2u3v4w5x6y7z2a3b4c5d6e7f2g3h4i5j6k7l2";
	struct server *s = *state;
	struct run run;
	char adv[256], user[256], repo[256], b64git[128], b64api[128], raw[64];

	snprintf(raw, sizeof(raw), "ci:%s", pat);
	sodium_bin2base64(b64git, sizeof(b64git), (const unsigned char *)raw, strlen(raw), sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(b64api, sizeof(b64api), (const unsigned char *)raw + 2, strlen(raw) - 2,
	                  sodium_base64_VARIANT_ORIGINAL);
	snprintf(adv, sizeof(adv), "001e# service=git-upload-pack\n0000%04zxERR %s %s\n", 4 + 4 + strlen(pat) + 1 +
	         strlen(b64git) + 1, b64git, pat);
	snprintf(user, sizeof(user), "{\"authenticatedUser\":{\"id\":\"1\",\"providerDisplayName\":\"Ann %s\"}}", b64api);
	/* The name cut at 100 characters, the token's first 20 left in it. */
	snprintf(repo, sizeof(repo), "{\"id\":\"1\",\"name\":\"%080d%s\",\"defaultBranch\":\"refs/heads/x%s\"}", 0, pat, pat);
	s->routes[0] = route_text("/org/proj/_git/repo/", GIT_CT, adv);
	s->routes[1] = route_text("/org/_apis/connectionData", JSON_CT, user);
	s->routes[2] = route_text("/org/proj/_apis/git/repositories/repo", JSON_CT, repo);
	server_start(s);
	run.token = secbuf_dup(pat, strlen(pat));
	assert_non_null(run.token);
	snprintf(run.git_url, sizeof(run.git_url), "http://127.0.0.1:%d/org/proj/_git/repo/info/refs?service=git-upload-pack",
	         s->port);
	snprintf(run.api_base, sizeof(run.api_base), "http://127.0.0.1:%d/org", s->port);
	snprintf(run.api_repo_url, sizeof(run.api_repo_url), "%s/proj/_apis/git/repositories/repo", run.api_base);
	run.t = (struct check_target){
		.transport = CHECK_HTTP, .git_url = run.git_url, .username = "ci", .token = run.token, .api = true,
		.api_base = run.api_base, .api_repo_url = run.api_repo_url, .api_token = run.token, .allow_http = true,
		.timeout_ms = 5000,
	};
	run.n = check_run(&run.t, run.r, NULL, NULL);
	secbuf_free(run.token);
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_PROTOCOL, "(withheld) (withheld)");
	assert_result(&run.r[1], CHECK_OK, CHECK_CAT_NONE, "authenticated as Ann (withheld); repository 0");
	assert_non_null(strstr(run.r[1].message, "(withheld) found, default branch x(withheld)"));
	assert_string_equal(run.r[1].default_branch, "x(withheld)");
	for (size_t i = 0; i < run.n; i++) {
		assert_withheld(run.r[i].message, pat);
		assert_withheld(run.r[i].message, b64git);
		assert_withheld(run.r[i].message, b64api);
		assert_withheld(run.r[i].default_branch, pat);
	}
}

static void test_caps(void **state)
{
	struct server *s = *state;
	struct run run;
	size_t big = 300 * 1024, adv_max = 1100 * 1024, len = 0;
	char *json = malloc(big), *adv = malloc(adv_max);
	static const char line[] = "4b825dc642cb6eb9a060e54bf8d69288fbee4904 refs/tags/t000000\n";

	assert_non_null(json);
	assert_non_null(adv);
	/* A REST answer over 256 KiB. */
	memset(json, ' ', big);
	json[0] = '{';
	json[big - 1] = '}';
	s->routes[0] = ROUTE("/org/_apis/connectionData", "200 OK", JSON_CT, "");
	s->routes[0].body = json;
	s->routes[0].len = big;
	/* A real ref list over 1 MiB: passes, its refs counted up to the cap. */
	len = (size_t)sprintf(adv, "001e# service=git-upload-pack\n0000");
	while (len + 4 + sizeof(line) < adv_max)
		len += (size_t)sprintf(adv + len, "%04zx%s", sizeof(line) - 1 + 4, line);
	s->routes[1] = ROUTE("/org/proj/_git/repo/", "200 OK", GIT_CT, "");
	s->routes[1].body = adv;
	s->routes[1].len = len;
	server_start(s);
	run_check(s, &run, "proj", "repo");
	assert_result(&run.r[0], CHECK_OK, CHECK_CAT_NONE, "+ refs (stopped reading at 1 MiB)");
	assert_true(run.r[0].ref_count > 15000);
	assert_result(&run.r[1], CHECK_FAILED, CHECK_CAT_PROTOCOL, "answer larger than 256 KiB");
	/* Exactly 256 KiB is read whole; one byte more is too big. */
	free(json);
	json = malloc(CHECK_API_BODY_MAX + 1);
	assert_non_null(json);
	memset(json, ' ', CHECK_API_BODY_MAX + 1);
	memcpy(json, USER_JSON, sizeof(USER_JSON) - 2); /* its last '}' at the end */
	json[CHECK_API_BODY_MAX - 1] = '}';
	s->routes[0].body = json;
	s->routes[0].len = CHECK_API_BODY_MAX;
	run_check(s, &run, "proj", "");
	assert_result(&run.r[1], CHECK_OK, CHECK_CAT_NONE, "authenticated as Ann");
	json[CHECK_API_BODY_MAX - 1] = ' ';
	json[CHECK_API_BODY_MAX] = '}';
	s->routes[0].len = CHECK_API_BODY_MAX + 1;
	run_check(s, &run, "proj", "");
	assert_result(&run.r[1], CHECK_FAILED, CHECK_CAT_PROTOCOL, "answer larger than 256 KiB");
	free(json);
	free(adv);
}

static void test_git_answers(void **state)
{
	struct server *s = *state;
	struct run run;

	/* Cut short: the pkt-line says more follows. */
	s->routes[0] = ROUTE("/org/proj/_git/repo/", "200 OK", GIT_CT,
	                     "001e# service=git-upload-pack\n0000003f4b825dc642");
	server_start(s);
	run_check(s, &run, NULL, NULL);
	assert_int_equal(run.n, 1);
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_PROTOCOL, "the ref list ended early");
	/* Terminal escapes from a server never reach the message. */
	s->routes[0] = ROUTE("/org/proj/_git/repo/", "200 OK", GIT_CT,
	                     "001e# service=git-upload-pack\n0000001bERR \x1b[31mTF401019 gone\n");
	run_check(s, &run, NULL, NULL);
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_NOT_FOUND, "the server refused: ?[31mTF401019 gone");
	/* A URL that is not one. */
	run.token = secbuf_dup("x", 1);
	run.t.git_url = "http://exa mple/_git/x/info/refs?service=git-upload-pack";
	run.t.token = run.token;
	run.n = check_run(&run.t, run.r, NULL, NULL);
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_CONFIG, "not a valid URL: 'http://exa mple/_git/x/");
	/* One naming a user is not quoted: its password could follow. */
	run.t.git_url = "http://ann:hunter2@exa mple/_git/x/info/refs?service=git-upload-pack";
	run.n = check_run(&run.t, run.r, NULL, NULL);
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_CONFIG, "not a valid URL");
	assert_null(strstr(run.r[0].message, "hunter2"));
	run.t.git_url = "ftp://example.com/_git/x/info/refs?service=git-upload-pack";
	run.n = check_run(&run.t, run.r, NULL, NULL);
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_CONFIG, "unsupported URL scheme 'ftp'");
	secbuf_free(run.token);
	/* A token that would break the header is refused before sending. */
	run.token = secbuf_dup("abc\r\nX-Evil: 1", 14);
	run.t.git_url = run.git_url;
	run.t.token = run.token;
	run.n = check_run(&run.t, run.r, NULL, NULL);
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_CONFIG, "line break");
	secbuf_free(run.token);
	/* DEL is a control character too, in the token or the user name: nothing is sent. */
	int sent = s->nreqs;
	run.token = secbuf_dup("abc\x7f", 4);
	run.t.token = run.token;
	run.n = check_run(&run.t, run.r, NULL, NULL);
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_CONFIG, "a control character");
	secbuf_free(run.token);
	run.token = secbuf_dup("abc", 3);
	run.t.token = run.token;
	run.t.username = "c\x7fi";
	run.n = check_run(&run.t, run.r, NULL, NULL);
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_CONFIG, "a control character");
	run.t.username = "ci";
	secbuf_free(run.token);
	assert_int_equal(s->nreqs, sent);
	run.t.token = NULL;
	run.n = check_run(&run.t, run.r, NULL, NULL);
	assert_result(&run.r[0], CHECK_FAILED, CHECK_CAT_CONFIG, "no personal access token");
}

static void test_proxy_env(void **state)
{
	struct server *s = *state;
	struct check_result r[CHECK_MAX_PROBES];
	struct secbuf *tok = secbuf_dup("t", 1);
	struct check_target t = { .transport = CHECK_HTTP, .git_url = "http://azure.invalid/o/p/_git/r/info/refs?service=git-upload-pack",
	                          .username = "u", .token = tok, .allow_http = true, .timeout_ms = 5000 };
	char proxy[64];

	/* The usual proxy variables are honoured: the request goes to the proxy. */
	s->routes[0] = ROUTE("http://azure.invalid/o/p/_git/r/info/refs", "200 OK", GIT_CT, ADV);
	server_start(s);
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", s->port);
	setenv("http_proxy", proxy, 1);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	assert_int_equal(check_run(&t, r, NULL, NULL), 1);
	unsetenv("http_proxy");
	assert_result(&r[0], CHECK_OK, CHECK_CAT_NONE, "1 ref");
	assert_int_equal(s->nreqs, 1);
	assert_non_null(strstr(s->reqs[0], "GET http://azure.invalid/o/p/_git/r/info/refs?service=git-upload-pack "));

	/* An HTTPS proxy's 407: without a user in its URL, one is wanted; with one, it was refused. */
	s->routes[1] = ROUTE("azure.invalid:443", "407 Proxy Authentication Required",
	                     "Proxy-Authenticate: Basic realm=\"p\"\r\n", "");
	t.git_url = "https://azure.invalid/o/p/_git/r/info/refs?service=git-upload-pack";
	setenv("https_proxy", proxy, 1);
	check_run(&t, r, NULL, NULL);
	assert_result(&r[0], CHECK_FAILED, CHECK_CAT_CONNECT, "the proxy wants a login (HTTP 407): put its user and "
	              "password in https_proxy");
	snprintf(proxy, sizeof(proxy), "http://ann:pw-7@127.0.0.1:%d", s->port);
	setenv("https_proxy", proxy, 1);
	check_run(&t, r, NULL, NULL);
	unsetenv("https_proxy");
	assert_result(&r[0], CHECK_FAILED, CHECK_CAT_CONNECT, "the proxy refused the user and password in https_proxy "
	              "(HTTP 407): check them");
	assert_null(strstr(r[0].message, "pw-7"));
	secbuf_free(tok);
}

/* A server that takes the request and stalls in its answer: not the host and port's fault. */
static void test_stalled_answer(void **state)
{
	struct server *s = *state;
	struct check_result r[CHECK_MAX_PROBES];
	struct secbuf *tok = secbuf_dup("t", 1);
	char url[128];
	struct check_target t = { .transport = CHECK_HTTP, .git_url = url, .username = "u", .token = tok,
	                          .allow_http = true, .timeout_ms = 1000 };

	/* Chunked (over the Content-Length the server adds): a chunk, and never the last one. */
	s->routes[0] = ROUTE("/o/p/_git/r/", "200 OK", GIT_CT "Transfer-Encoding: chunked\r\n", "5\r\n001e#\r\n");
	server_start(s);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/o/p/_git/r/info/refs?service=git-upload-pack", s->port);
	check_run(&t, r, NULL, NULL);
	assert_result(&r[0], CHECK_FAILED, CHECK_CAT_TIMEOUT, "took the request but did not finish its answer within "
	              "1.0 s: the server (or a proxy) may be overloaded: try again, or give it longer with --timeout");
	secbuf_free(tok);
}

struct progress_log {
	int calls;
	int cancel_after;
};

static int on_progress(const struct check_result *results, size_t n, void *user)
{
	struct progress_log *log = user;

	assert_int_equal(n, 1);
	assert_string_equal(results[0].probe, "git-http");
	/* Running: skipped with no message yet; at the end, finished. */
	if (log->calls < log->cancel_after) {
		assert_int_equal(results[0].status, CHECK_SKIPPED);
		assert_string_equal(results[0].message, "");
	} else {
		assert_string_equal(results[0].message, "stopped before it finished");
	}
	return ++log->calls >= log->cancel_after;
}

static void test_progress_cancel(void **state)
{
	struct server *s = *state;
	struct progress_log log = { 0, 3 };
	struct check_result r[CHECK_MAX_PROBES];
	struct secbuf *tok = secbuf_dup("t", 1);
	char url[128];
	struct check_target t = { .transport = CHECK_HTTP, .git_url = url, .username = "u", .token = tok,
	                          .allow_http = true, .timeout_ms = 10000 };
	long t0;

	/* The listening socket never answers: only cancelling ends this soon. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/o/p/_git/r/info/refs?service=git-upload-pack", s->port);
	t0 = (long)time(NULL);
	assert_int_equal(check_run(&t, r, on_progress, &log), 1);
	assert_true((long)time(NULL) - t0 < 5);
	assert_int_equal(r[0].status, CHECK_SKIPPED);
	assert_string_equal(r[0].message, "stopped before it finished");
	/* Called every 100 ms while running, and once at the end. */
	assert_int_equal(log.calls, 4);
	secbuf_free(tok);
}

/* A full table of requests in flight is said as such, not as "out of memory". */
static void test_req_table_full(void **state)
{
	struct secbuf *tok = secbuf_dup("t", 1);
	struct check_target t = { .transport = CHECK_HTTP, .allow_http = true };
	struct check_ctx ctx = { .t = &t };
	struct check_result r = { .probe = "api" };
	struct check_req busy = { 0 };

	(void)state;
	assert_non_null(tok);
	ctx.multi = curl_multi_init();
	assert_non_null(ctx.multi);
	for (size_t i = 0; i < CHECK_MAX_REQS; i++)
		ctx.reqs[i] = &busy;
	assert_null(check_req_start(&ctx, &r, "http://127.0.0.1:1/o/_apis/connectionData", "", tok, 1024, true, NULL));
	assert_result(&r, CHECK_FAILED, CHECK_CAT_CONFIG, "internal error: more than 4 HTTP requests at once");
	curl_multi_cleanup(ctx.multi);
	secbuf_free(tok);
}

static void test_print(void **state)
{
	struct check_result r[2] = {
		{ .probe = "git-ssh", .status = CHECK_OK, .message = "3 refs", .duration_ms = 1234, .ref_count = 3,
		  .default_branch = "main", .host_key_status = CHECK_HOSTKEY_ACCEPTED, .host_key_fp = "SHA256:abc" },
		{ .probe = "api", .status = CHECK_FAILED, .category = CHECK_CAT_NOT_FOUND,
		  .message = "say \"why\"\x1b]0;title\a\xc2\x9b" "2J", .duration_ms = 56, .ref_count = -1 },
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&buf, &len);
	check_print_text(fp, r, 2);
	fclose(fp);
	assert_string_equal(buf, "ok      git-ssh    1.2 s  3 refs\n"
	                         "FAILED  api        0.0 s  say \"why\"?]0;title??2J\n"); /* a server's ESC, BEL, CSI */
	free(buf);
	fp = open_memstream(&buf, &len);
	assert_int_equal(check_print_json(fp, r, 2, NULL), 0);
	fclose(fp);
	assert_string_equal(buf,
	        "{\"ok\":false,\"probes\":[{\"probe\":\"git-ssh\",\"status\":\"ok\",\"category\":null,\"message\":\"3 refs\","
	        "\"duration_ms\":1234,\"ref_count\":3,\"default_branch\":\"main\",\"host_key\":\"accepted\","
	        "\"host_key_fingerprint\":\"SHA256:abc\"},{\"probe\":\"api\",\"status\":\"failed\",\"category\":\"not-found\","
	        "\"message\":\"say \\\"why\\\"\\u001b]0;title\\u0007\xc2\x9b" "2J\",\"duration_ms\":56}],\"messages\":[]}\n");
	free(buf);
	fp = fopen("/dev/full", "w");
	assert_non_null(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	assert_int_equal(check_print_json(fp, r, 2, NULL), -1);
	fclose(fp);
	assert_string_equal(check_category_name(CHECK_CAT_HOST_KEY), "host-key");
	assert_string_equal(check_status_name(CHECK_SKIPPED), "skipped");
}

/* Where to add an SSH key or make a PAT: a page named only where its web address is known. */
static void test_settings_hint(void **state)
{
	struct check_target t = { .transport = CHECK_SSH, .api_base = "https://dev.azure.com/contoso/" };
	struct check_ctx ctx = { .t = &t };
	char hint[256];

	(void)state;
	check_settings_hint(&ctx, "keys", hint, sizeof(hint));
	assert_string_equal(hint, "at https://dev.azure.com/contoso/_usersSettings/keys (SSH public keys)");
	/* A server's, over SSH: guessed from its SSH host, so the menu path instead. */
	t.api_base = "https://tfs.example.com/tfs/Coll";
	check_settings_hint(&ctx, "keys", hint, sizeof(hint));
	assert_string_equal(hint, "in Azure DevOps (User settings, SSH public keys)");
	t.transport = CHECK_HTTP;
	check_settings_hint(&ctx, "tokens", hint, sizeof(hint));
	assert_string_equal(hint, "at https://tfs.example.com/tfs/Coll/_usersSettings/tokens (Personal access tokens)");
	t.api_base = NULL;
	check_settings_hint(&ctx, "tokens", hint, sizeof(hint));
	assert_string_equal(hint, "in Azure DevOps (User settings, Personal access tokens)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_success_headers_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signin_redirect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_url_userinfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_api_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_echoed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proxy_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stalled_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_cancel, setup, teardown),
		cmocka_unit_test(test_req_table_full),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_settings_hint),
	};

	if (sodium_init() < 0)
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
