/*
 * The git-ssh probe: libssh in non-blocking mode, driven from the check's
 * loop so the one deadline covers DNS (getaddrinfo_a), connect, handshake,
 * authentication and the ref advertisement.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "check_probe.h"
#include "clock.h"
#include "known_hosts.h"
#include "sshkey.h"

enum check_ssh_state {
	CHECK_SSH_DNS,
	CHECK_SSH_CONNECT_NEXT, /* try the next address */
	CHECK_SSH_CONNECTING,   /* non-blocking connect(2) in progress */
	CHECK_SSH_HANDSHAKE,
	CHECK_SSH_AUTH,
	CHECK_SSH_OPEN,
	CHECK_SSH_EXEC,
	CHECK_SSH_READ,
	CHECK_SSH_DONE,
};

/* A getaddrinfo_a request: glibc may write to it until it completes. */
struct check_ssh_dns {
	struct gaicb cb;
	struct addrinfo hints;
	char service[8];
	char name[];
};

#define CHECK_SSH_STDERR_MAX 2048

struct check_ssh {
	struct check_ctx *ctx;
	struct check_result *res;
	enum check_ssh_state state;
	int port;
	struct check_ssh_dns *dns;
	struct addrinfo *next_ai;
	long long attempt_end_ms; /* when to give up on this address for the next, 0: the deadline */
	int connect_errno;
	int fd;               /* ours until libssh owns it (session set) */
	ssh_session session;
	ssh_channel channel;
	ssh_key key;
	char key_fp[128];     /* of our key, for the "rejected" message */
	char known_algs[256]; /* host key algorithms of the known keys, "" if none */
	char *out;            /* git-upload-pack's stdout, up to CHECK_GIT_BODY_MAX */
	size_t outlen;
	char err[CHECK_SSH_STDERR_MAX]; /* its stderr (Azure's "remote: TF401019 ...") */
	size_t errlen;
	char user_kh[PATH_MAX];
	char cmd[2048];       /* git-upload-pack '<path>' */
};

/*
 * The private key from its secbuf. libssh parses it into its own (OpenSSL)
 * structures, freed with ssh_key_free; nothing is written to a file. No
 * terminal prompts: without a passphrase an encrypted key fails to load.
 */
static bool check_ssh_load_key(struct check_ssh *s)
{
	const struct check_target *t = s->ctx->t;
	char msg[256];

	if (sshkey_import(t->ssh_key, t->ssh_key_passphrase, &s->key, msg, sizeof(msg)) != 0) {
		check_finish(s->ctx, s->res, CHECK_FAILED, CHECK_CAT_CONFIG, "%s", msg);
		return false;
	}
	sshkey_fingerprint(s->key, s->key_fp, sizeof(s->key_fp));
	return true;
}

static size_t check_ssh_known_files(const struct check_ssh *s, const char *files[2])
{
	size_t n = 0;

	if (s->ctx->t->known_hosts_file && *s->ctx->t->known_hosts_file)
		files[n++] = s->ctx->t->known_hosts_file;
	if (s->user_kh[0])
		files[n++] = s->user_kh;
	return n;
}

/*
 * git-upload-pack '<path>', each ' in the path written '\'' as git does.
 * Refused when it does not fit, before connecting: a cut path would name
 * another repository.
 */
static bool check_ssh_command(struct check_ssh *s)
{
	static const char head[] = "git-upload-pack '";
	const char *path = s->ctx->t->ssh_path;
	size_t need = sizeof(head) - 1 + 2; /* and the closing quote, the NUL */
	size_t n = sizeof(head) - 1;

	for (const char *p = path; *p; p++)
		need += *p == '\'' ? 4 : 1;
	if (need > sizeof(s->cmd)) {
		check_finish(s->ctx, s->res, CHECK_FAILED, CHECK_CAT_CONFIG,
		             "the repository path of the SSH URL is too long (%zu bytes, the limit is about %zu): check the URL",
		             strlen(path), sizeof(s->cmd) - (sizeof(head) - 1) - 2);
		return false;
	}
	memcpy(s->cmd, head, n);
	for (const char *p = path; *p; p++) {
		if (*p == '\'') {
			memcpy(s->cmd + n, "'\\''", 4);
			n += 4;
		} else {
			s->cmd[n++] = *p;
		}
	}
	s->cmd[n++] = '\'';
	s->cmd[n] = '\0';
	return true;
}

struct check_ssh *check_ssh_start(struct check_ctx *ctx, struct check_result *res)
{
	const struct check_target *t = ctx->t;
	const char *files[2];
	struct check_ssh *s;
	size_t hlen;

	if (!t->ssh_host || !*t->ssh_host || !t->ssh_user || !*t->ssh_user || !t->ssh_path || !*t->ssh_path) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "the SSH URL lacks a host, user or path");
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "out of memory");
		return NULL;
	}
	s->ctx = ctx;
	s->res = res;
	s->fd = -1;
	if (!check_ssh_command(s)) {
		check_ssh_free(s);
		return NULL;
	}
	s->port = t->ssh_port > 0 ? t->ssh_port : 22;
	const char *home = getenv("HOME");
	int n = t->user_known_hosts_file ? snprintf(s->user_kh, sizeof(s->user_kh), "%s", t->user_known_hosts_file)
	        : home ? snprintf(s->user_kh, sizeof(s->user_kh), "%s/.ssh/known_hosts", home) : 0;
	/* Cut short, it would name another file: the host key would be looked up in the wrong one. */
	if (n < 0 || (size_t)n >= sizeof(s->user_kh)) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "the path of the user's known_hosts is too "
		             "long (%d bytes, the limit is %zu): set HOME to a shorter path", n, sizeof(s->user_kh) - 1);
		check_ssh_free(s);
		return NULL;
	}
	known_hosts_algorithms(files, check_ssh_known_files(s, files), t->ssh_host, s->port, s->known_algs,
	                       sizeof(s->known_algs));
	if (!check_ssh_load_key(s)) {
		check_ssh_free(s);
		return NULL;
	}
	hlen = strlen(t->ssh_host) + 1;
	s->dns = calloc(1, sizeof(*s->dns) + hlen);
	if (!s->dns) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_CONFIG, "out of memory");
		check_ssh_free(s);
		return NULL;
	}
	memcpy(s->dns->name, t->ssh_host, hlen);
	snprintf(s->dns->service, sizeof(s->dns->service), "%d", s->port);
	s->dns->hints.ai_socktype = SOCK_STREAM;
	s->dns->hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
	s->dns->cb.ar_name = s->dns->name;
	s->dns->cb.ar_service = s->dns->service;
	s->dns->cb.ar_request = &s->dns->hints;
	struct gaicb *list[1] = { &s->dns->cb };
	int rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	if (rc != 0) {
		check_finish(ctx, res, CHECK_FAILED, CHECK_CAT_DNS, "cannot resolve host '%s' (%s)", t->ssh_host,
		             gai_strerror(rc));
		free(s->dns);
		s->dns = NULL;
		check_ssh_free(s);
		return NULL;
	}
	s->state = CHECK_SSH_DNS;
	return s;
}

static void check_ssh_fail(struct check_ssh *s, enum check_category cat, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check_ssh_fail(struct check_ssh *s, enum check_category cat, const char *fmt, ...)
{
	char msg[sizeof(s->res->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	check_finish(s->ctx, s->res, CHECK_FAILED, cat, "%s", msg);
	s->state = CHECK_SSH_DONE;
}

/*
 * With a proxy set, a name or port out of reach here may be reachable only through it, which SSH
 * does not use: "; SSH does not use the proxy in https_proxy: ...", or "".
 */
static void check_ssh_proxy_note(char *out, size_t outlen)
{
	const char *var = check_proxy_var("https");

	*out = '\0';
	if (var)
		snprintf(out, outlen, "; SSH does not use the proxy in %s: behind it, use an HTTPS URL", var);
}

static void check_ssh_dns(struct check_ssh *s)
{
	int rc = gai_error(&s->dns->cb);

	if (rc == EAI_INPROGRESS)
		return;
	if (rc != 0) {
		char note[128];
		check_ssh_proxy_note(note, sizeof(note));
		check_ssh_fail(s, CHECK_CAT_DNS, "cannot resolve host '%s': check the host in the SSH URL%s (%s)",
		               s->ctx->t->ssh_host, note, gai_strerror(rc));
		return;
	}
	s->next_ai = s->dns->cb.ar_result;
	s->state = CHECK_SSH_CONNECT_NEXT;
}

/*
 * An address that drops packets (often an IPv6 one without a route out) must
 * not take the whole deadline from the addresses after it: as curl does, each
 * gets an equal share of the time left, the last one all of it.
 */
static void check_ssh_attempt_budget(struct check_ssh *s)
{
	long long n = 1;

	for (const struct addrinfo *ai = s->next_ai; ai; ai = ai->ai_next)
		n++;
	s->attempt_end_ms = n > 1 ? clock_ms() + check_remaining_ms(s->ctx) / n : 0;
}

static void check_ssh_connect_next(struct check_ssh *s)
{
	while (s->next_ai) {
		struct addrinfo *ai = s->next_ai;

		s->next_ai = ai->ai_next;
		s->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (s->fd < 0) {
			s->connect_errno = errno;
			continue;
		}
		if (connect(s->fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			s->state = CHECK_SSH_HANDSHAKE;
			return;
		}
		if (errno == EINPROGRESS) {
			check_ssh_attempt_budget(s);
			s->state = CHECK_SSH_CONNECTING;
			return;
		}
		s->connect_errno = errno;
		close(s->fd);
		s->fd = -1;
	}
	char note[128];
	check_ssh_proxy_note(note, sizeof(note));
	check_ssh_fail(s, CHECK_CAT_CONNECT,
	               "cannot connect to %s port %d: check the host and port in the SSH URL, and that a firewall lets "
	               "port %d through%s (%s)", s->ctx->t->ssh_host, s->port, s->port, note, strerror(s->connect_errno));
}

static void check_ssh_connecting(struct check_ssh *s)
{
	struct pollfd p = { .fd = s->fd, .events = POLLOUT };
	int err = 0;
	socklen_t len = sizeof(err);

	if (poll(&p, 1, 0) == 0) {
		if (!s->attempt_end_ms || clock_ms() < s->attempt_end_ms)
			return;
		err = ETIMEDOUT;
	} else if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
		err = errno;
	}
	if (err == 0) {
		s->state = CHECK_SSH_HANDSHAKE;
		return;
	}
	s->connect_errno = err;
	close(s->fd);
	s->fd = -1;
	s->state = CHECK_SSH_CONNECT_NEXT;
}

/* A session on our connected socket: only our key, no ssh_config, no agent. */
static bool check_ssh_session(struct check_ssh *s)
{
	const struct check_target *t = s->ctx->t;
	bool no = false;
	int verbosity = SSH_LOG_NOLOG;

	s->session = ssh_new();
	if (!s->session) {
		check_ssh_fail(s, CHECK_CAT_CONFIG, "out of memory");
		return false;
	}
	if (ssh_options_set(s->session, SSH_OPTIONS_HOST, t->ssh_host) != 0 ||
	    ssh_options_set(s->session, SSH_OPTIONS_PORT, &s->port) != 0 ||
	    ssh_options_set(s->session, SSH_OPTIONS_USER, t->ssh_user) != 0 ||
	    ssh_options_set(s->session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) != 0 ||
	    ssh_options_set(s->session, SSH_OPTIONS_PROCESS_CONFIG, &no) != 0 ||
	    /* Host keys are checked here against our own list of files. */
	    ssh_options_set(s->session, SSH_OPTIONS_KNOWNHOSTS, "/dev/null") != 0 ||
	    ssh_options_set(s->session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null") != 0 ||
	    /* Azure accepts RSA signatures with SHA-2 only. */
	    ssh_options_set(s->session, SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES, "rsa-sha2-512,rsa-sha2-256") != 0 ||
	    (s->known_algs[0] && ssh_options_set(s->session, SSH_OPTIONS_HOSTKEYS, s->known_algs) != 0)) {
		check_ssh_fail(s, CHECK_CAT_CONFIG, "cannot set up the SSH session (%s)", ssh_get_error(s->session));
		return false;
	}
	/* From here libssh owns the socket and closes it. */
	if (ssh_options_set(s->session, SSH_OPTIONS_FD, &s->fd) != 0) {
		check_ssh_fail(s, CHECK_CAT_CONFIG, "cannot set up the SSH session (%s)", ssh_get_error(s->session));
		return false;
	}
	s->fd = -1;
	ssh_set_blocking(s->session, 0);
	return true;
}

/* Pinned key, then known_hosts files; unknown keys pass only with --accept-host-key. */
static bool check_ssh_host_key(struct check_ssh *s)
{
	const struct check_target *t = s->ctx->t;
	struct check_result *r = s->res;
	struct known_hosts_where where;
	const char *files[2];
	ssh_key srv = NULL;
	char *b64 = NULL, name[300];
	bool ok = false;

	if (ssh_get_server_publickey(s->session, &srv) != SSH_OK) {
		check_ssh_fail(s, CHECK_CAT_HOST_KEY, "the server sent no host key (%s)", ssh_get_error(s->session));
		return false;
	}
	sshkey_fingerprint(srv, r->host_key_fp, sizeof(r->host_key_fp));
	if (ssh_pki_export_pubkey_base64(srv, &b64) == SSH_OK)
		snprintf(r->host_key, sizeof(r->host_key), "%s %s", ssh_key_type_to_char(ssh_key_type(srv)), b64);
	known_hosts_name(t->ssh_host, s->port, name, sizeof(name));
	switch (known_hosts_check(files, check_ssh_known_files(s, files), t->ssh_host, s->port, srv, &where)) {
	case KNOWN_HOSTS_MATCH:
		r->host_key_status = where.file ? CHECK_HOSTKEY_KNOWN : CHECK_HOSTKEY_PINNED;
		ok = true;
		/* The operator said which key to expect: another one, even a known one, is not it. */
		if (t->accept_host_key && *t->accept_host_key &&
		    strcmp(t->accept_host_key, r->host_key_fp) != 0 &&
		    strcmp(t->accept_host_key, r->host_key_fp + strlen("SHA256:")) != 0) {
			check_ssh_fail(s, CHECK_CAT_HOST_KEY,
			               "host key of %s is %s (%s), not the %s given to --accept-host-key: check "
			               "with the server's administrator", name, r->host_key_fp,
			               where.file ? "known" : "Azure DevOps' published key", t->accept_host_key);
			ok = false;
		}
		break;
	case KNOWN_HOSTS_CHANGED:
		r->host_key_status = CHECK_HOSTKEY_CHANGED;
		if (where.file)
			check_ssh_fail(s, CHECK_CAT_HOST_KEY,
			               "HOST KEY CHANGED for %s (now %s), differs from %s line %d (%s): someone may be "
			               "intercepting the connection; if the server's administrator confirms the new key, "
			               "remove that line (ssh-keygen -R '%s' -f %s), then check again with --accept-host-key %s",
			               name, r->host_key_fp, where.file, where.line, where.old_fp, name, where.file,
			               r->host_key_fp);
		else
			check_ssh_fail(s, CHECK_CAT_HOST_KEY,
			               "HOST KEY MISMATCH for %s (got %s): it is not Azure DevOps' published key; someone may be intercepting the connection",
			               name, r->host_key_fp);
		break;
	case KNOWN_HOSTS_REVOKED:
		r->host_key_status = CHECK_HOSTKEY_REVOKED;
		check_ssh_fail(s, CHECK_CAT_HOST_KEY,
		               "the host key of %s (%s) is marked @revoked in %s line %d: it must not be trusted; ask the server's administrator for its new key",
		               name, r->host_key_fp, where.file, where.line);
		break;
	case KNOWN_HOSTS_UNSAFE:
		r->host_key_status = CHECK_HOSTKEY_UNCHECKED;
		check_ssh_fail(s, CHECK_CAT_HOST_KEY, "the host key of %s (%s) is not checked: %s", name, r->host_key_fp,
		               where.why);
		break;
	case KNOWN_HOSTS_UNREADABLE:
		/* That file may list another key for the host: no key to trust on first use, unless given. */
		if (!t->accept_host_key || !*t->accept_host_key) {
			/* A key accepted is recorded in our own file: no way round that one. */
			bool own = t->known_hosts_file && strcmp(where.file, t->known_hosts_file) == 0;
			r->host_key_status = CHECK_HOSTKEY_UNCHECKED;
			check_ssh_fail(s, CHECK_CAT_HOST_KEY,
			               "cannot read %s (%s), so the host key of %s (%s) cannot be checked against "
			               "it: make it readable (or move it away)%s%s",
			               where.file, where.err == EINVAL ? "not a regular file" : strerror(where.err),
			               name, r->host_key_fp, own ? ": host keys accepted are kept there" :
			               ", or give --accept-host-key ", own ? "" : r->host_key_fp);
			break;
		}
		/* The key the operator gave is the one to check. */
		/* fall through */
	case KNOWN_HOSTS_UNKNOWN:
		if (t->accept_host_key && *t->accept_host_key &&
		    (strcmp(t->accept_host_key, r->host_key_fp) == 0 ||
		     strcmp(t->accept_host_key, r->host_key_fp + strlen("SHA256:")) == 0)) {
			r->host_key_status = CHECK_HOSTKEY_ACCEPTED;
			ok = true;
		} else if (t->accept_host_key && *t->accept_host_key) {
			r->host_key_status = CHECK_HOSTKEY_UNKNOWN;
			check_ssh_fail(s, CHECK_CAT_HOST_KEY,
			               "host key of %s is %s, not the %s given to --accept-host-key: check with the server's administrator",
			               name, r->host_key_fp, t->accept_host_key);
		} else {
			r->host_key_status = CHECK_HOSTKEY_UNKNOWN;
			check_ssh_fail(s, CHECK_CAT_HOST_KEY,
			               "unknown host key for %s: %s; if that is the server's key, re-run with --accept-host-key %s",
			               name, r->host_key_fp, r->host_key_fp);
		}
		break;
	}
	ssh_string_free_char(b64);
	ssh_key_free(srv);
	return ok;
}

/*
 * No host key algorithm in common. libssh's error names the server's offer
 * ("... server [ssh-rsa], client [...]"): an offer of SHA-1 signatures only is
 * an old server, and the fix is on its side, not in known_hosts.
 */
static void check_ssh_no_host_key_alg(struct check_ssh *s, const char *e)
{
	const char *offer = strstr(e, "server [");
	const char *files[2];
	struct known_hosts_where where;
	char name[300];

	known_hosts_name(s->ctx->t->ssh_host, s->port, name, sizeof(name));
	if (offer && strncmp(offer + 8, "ssh-rsa]", 8) == 0)
		check_ssh_fail(s, CHECK_CAT_HOST_KEY,
		               "the server signs its host key only with SHA-1 (ssh-rsa), which is refused as unsafe "
		               "(Azure DevOps and OpenSSH 8.8 dropped it): upgrade the server (Azure DevOps Server "
		               "2022.3 or later) or use an HTTPS URL");
	/* A key of another type is not new to trust (--accept-host-key): the line known is to go first. */
	else if (s->known_algs[0] && known_hosts_first(files, check_ssh_known_files(s, files), s->ctx->t->ssh_host,
	                                               s->port, &where))
		check_ssh_fail(s, CHECK_CAT_HOST_KEY,
		               "the server offers no host key of the type known for %s (%s, %s line %d): if its key "
		               "was replaced, check with the server's administrator, then remove that line "
		               "(ssh-keygen -R '%s' -f %s) and accept the new key with --accept-host-key; libssh: %s",
		               name, s->known_algs, where.file, where.line, name, where.file, e);
	else if (s->known_algs[0])
		check_ssh_fail(s, CHECK_CAT_HOST_KEY,
		               "the server offers no host key of the type known for it (%s): if its key was "
		               "replaced, check with the server's administrator, then remove the old line from "
		               "known_hosts; libssh: %s", s->known_algs, e);
	else
		check_ssh_fail(s, CHECK_CAT_HOST_KEY, "the server offers no host key type this tool accepts: %s", e);
}

static void check_ssh_handshake(struct check_ssh *s)
{
	int rc;

	if (!s->session && !check_ssh_session(s))
		return;
	rc = ssh_connect(s->session);
	if (rc == SSH_AGAIN)
		return;
	if (rc != SSH_OK) {
		const char *e = ssh_get_error(s->session);

		/*
		 * Closed before any greeting: another kind of server (a web server reads our banner and
		 * closes), or sshd refusing more connections or a ban list; a reset or a quiet close either way.
		 */
		bool banner = ssh_get_serverbanner(s->session) != NULL;
		bool closed = strstr(e, "reset by peer") || strstr(e, "disconnected") || strstr(e, "closed");
		if (strstr(e, "host key"))
			check_ssh_no_host_key_alg(s, e);
		else if (closed && !banner)
			check_ssh_fail(s, CHECK_CAT_PROTOCOL, "%s port %d closed the connection before the SSH greeting "
			               "(%s): another kind of server on that port, or an SSH server refusing new connections "
			               "(busy: sshd's MaxStartups; a ban list such as fail2ban; a firewall): check the port in "
			               "the URL (Azure DevOps: ssh.dev.azure.com, port 22), then try again in a minute",
			               s->ctx->t->ssh_host, s->port, e);
		else if (closed)
			check_ssh_fail(s, CHECK_CAT_CONNECT, "%s port %d closed the connection during the SSH handshake (%s): "
			               "the server may be refusing new connections (busy: sshd's MaxStartups; a ban list such "
			               "as fail2ban; a firewall): try again in a minute", s->ctx->t->ssh_host, s->port, e);
		else if (!banner)
			/* Connected, but no "SSH-2.0-..." came back: a web server, a TLS port, a wrong service. */
			check_ssh_fail(s, CHECK_CAT_PROTOCOL,
			               "%s port %d does not answer as an SSH server (%s): check the port in the URL "
			               "(Azure DevOps: ssh.dev.azure.com, port 22)", s->ctx->t->ssh_host, s->port, e);
		else
			check_ssh_fail(s, CHECK_CAT_PROTOCOL, "SSH handshake with %s failed: %s", s->ctx->t->ssh_host, e);
		return;
	}
	if (check_ssh_host_key(s))
		s->state = CHECK_SSH_AUTH;
}

static void check_ssh_auth(struct check_ssh *s)
{
	char hint[256];

	switch (ssh_userauth_publickey(s->session, NULL, s->key)) {
	case SSH_AUTH_AGAIN:
		return;
	case SSH_AUTH_SUCCESS:
		s->state = CHECK_SSH_OPEN;
		return;
	case SSH_AUTH_DENIED:
		/* Which public key to add is the question then: the private key alone does not say. */
		sshkey_pub_line(s->key, s->res->key_pub, sizeof(s->res->key_pub));
		check_settings_hint(s->ctx, "keys", hint, sizeof(hint));
		/* An old server may refuse the SHA-2 signature of a key it lists (Azure DevOps never does). */
		check_ssh_fail(s, CHECK_CAT_AUTH,
		               "SSH key %s rejected for user '%s': add its public key %s%s",
		               s->key_fp, s->ctx->t->ssh_user, hint, s->ctx->t->server
		               ? "; if it is added, the server may take only SHA-1 (ssh-rsa) signatures, which are "
		                 "never sent: upgrade it (Azure DevOps Server 2022.3 or later) or use HTTPS" : "");
		return;
	case SSH_AUTH_PARTIAL:
		check_ssh_fail(s, CHECK_CAT_AUTH, "the server wants more than the SSH key (partial authentication)");
		return;
	default:
		check_ssh_fail(s, CHECK_CAT_PROTOCOL, "SSH authentication failed: %s", ssh_get_error(s->session));
		return;
	}
}

static void check_ssh_open(struct check_ssh *s)
{
	int rc;

	if (!s->channel && !(s->channel = ssh_channel_new(s->session))) {
		check_ssh_fail(s, CHECK_CAT_CONFIG, "out of memory");
		return;
	}
	rc = ssh_channel_open_session(s->channel);
	if (rc == SSH_AGAIN)
		return;
	if (rc != SSH_OK) {
		check_ssh_fail(s, CHECK_CAT_PROTOCOL, "the server refused a session: %s", ssh_get_error(s->session));
		return;
	}
	s->state = CHECK_SSH_EXEC;
}

static void check_ssh_exec(struct check_ssh *s)
{
	int rc = ssh_channel_request_exec(s->channel, s->cmd);

	if (rc == SSH_AGAIN)
		return;
	if (rc != SSH_OK) {
		check_ssh_fail(s, CHECK_CAT_PROTOCOL, "the server refused to run git-upload-pack: %s",
		               ssh_get_error(s->session));
		return;
	}
	s->state = CHECK_SSH_READ;
}

/* The first line of what the server wrote on stderr, for a message. */
static void check_ssh_stderr_line(const struct check_ssh *s, char *out, size_t outlen)
{
	size_t n = strcspn(s->err, "\r\n");

	snprintf(out, outlen, "%.*s", (int)n, s->err);
}

/* The channel ended without a ref list: Azure says why on stderr. */
static void check_ssh_no_refs(struct check_ssh *s)
{
	char line[300], hint[256];

	check_ssh_stderr_line(s, line, sizeof(line));
	if (check_not_found(s->ctx, s->res, s->err, "SSH URL", "the key's user"))
		s->state = CHECK_SSH_DONE;
	else if (strstr(s->err, "xpired")) {
		check_settings_hint(s->ctx, "keys", hint, sizeof(hint));
		check_ssh_fail(s, CHECK_CAT_AUTH, "SSH key expired: add a new key %s (%s)", hint, line);
	} else if (line[0])
		check_ssh_fail(s, CHECK_CAT_PROTOCOL, "the server sent no ref list: %s", line);
	else
		check_ssh_fail(s, CHECK_CAT_PROTOCOL, "the server closed the channel without a ref list");
}

/* Say so when the probe passed with a host key accepted by --accept-host-key. */
static void check_ssh_note_accepted(struct check_ssh *s)
{
	struct check_result *r = s->res;
	size_t used = strlen(r->message);

	if (r->status == CHECK_OK && r->host_key_status == CHECK_HOSTKEY_ACCEPTED)
		snprintf(r->message + used, sizeof(r->message) - used, "; new host key %s accepted", r->host_key_fp);
}

/* What stderr has for now (the server's reason: TF401019). */
static void check_ssh_read_err(struct check_ssh *s)
{
	char buf[4096];
	int n;

	while ((n = ssh_channel_read_nonblocking(s->channel, buf, sizeof(buf), 1)) > 0) {
		size_t room = sizeof(s->err) - 1 - s->errlen;
		size_t take = (size_t)n < room ? (size_t)n : room;

		memcpy(s->err + s->errlen, buf, take);
		s->errlen += take;
		s->err[s->errlen] = '\0';
	}
}

static void check_ssh_read(struct check_ssh *s)
{
	char buf[16384];
	int n;

	/* stderr first: when stdout ends, the reason is already here. */
	check_ssh_read_err(s);
	for (;;) {
		size_t room = CHECK_GIT_BODY_MAX - s->outlen;
		char *grown;

		n = ssh_channel_read_nonblocking(s->channel, buf, room < sizeof(buf) ? (uint32_t)room : sizeof(buf), 0);
		if (n == 0 && room > 0 && !ssh_channel_is_eof(s->channel))
			return; /* nothing yet */
		if (n == SSH_ERROR) {
			check_ssh_fail(s, CHECK_CAT_CONNECT, "the SSH connection broke: %s", ssh_get_error(s->session));
			return;
		}
		if (n <= 0 || room == 0) {
			/* EOF, or the cap: judge what came (a complete list was judged already), with a reason
			 * come on stderr since the look above. */
			check_ssh_read_err(s);
			if (room == 0)
			{
				check_git_adv(s->ctx, s->res, s->out, s->outlen, false, true, true);
				check_ssh_note_accepted(s);
			}
			else if (s->outlen == 0 || s->errlen)
				check_ssh_no_refs(s);
			else
				check_git_adv(s->ctx, s->res, s->out, s->outlen, false, true, false);
			s->state = CHECK_SSH_DONE;
			return;
		}
		grown = realloc(s->out, s->outlen + (size_t)n);
		if (!grown) {
			check_ssh_fail(s, CHECK_CAT_CONFIG, "out of memory");
			return;
		}
		s->out = grown;
		memcpy(s->out + s->outlen, buf, (size_t)n);
		s->outlen += (size_t)n;
		if (check_git_adv(s->ctx, s->res, s->out, s->outlen, false, false, false)) {
			check_ssh_note_accepted(s);
			/* A flush tells git-upload-pack we want nothing: it exits cleanly. */
			ssh_channel_write(s->channel, "0000", 4);
			ssh_channel_send_eof(s->channel);
			s->state = CHECK_SSH_DONE;
			return;
		}
	}
}

bool check_ssh_step(struct check_ssh *s)
{
	for (;;) {
		enum check_ssh_state before = s->state;

		switch (s->state) {
		case CHECK_SSH_DNS:
			check_ssh_dns(s);
			break;
		case CHECK_SSH_CONNECT_NEXT:
			check_ssh_connect_next(s);
			break;
		case CHECK_SSH_CONNECTING:
			check_ssh_connecting(s);
			break;
		case CHECK_SSH_HANDSHAKE:
			check_ssh_handshake(s);
			break;
		case CHECK_SSH_AUTH:
			check_ssh_auth(s);
			break;
		case CHECK_SSH_OPEN:
			check_ssh_open(s);
			break;
		case CHECK_SSH_EXEC:
			check_ssh_exec(s);
			break;
		case CHECK_SSH_READ:
			check_ssh_read(s);
			break;
		case CHECK_SSH_DONE:
			return false;
		}
		/* No progress: wait for the socket (or the resolver). */
		if (s->state == before)
			return true;
	}
}

int check_ssh_fd(const struct check_ssh *s, short *events)
{
	switch (s->state) {
	case CHECK_SSH_CONNECTING:
		*events = POLLOUT;
		return s->fd;
	case CHECK_SSH_HANDSHAKE:
	case CHECK_SSH_AUTH:
	case CHECK_SSH_OPEN:
	case CHECK_SSH_EXEC:
	case CHECK_SSH_READ:
		if (!s->session)
			return -1;
		*events = POLLIN;
		if (ssh_get_poll_flags(s->session) & SSH_WRITE_PENDING)
			*events |= POLLOUT;
		return ssh_get_fd(s->session);
	default:
		return -1;
	}
}

enum check_wait check_ssh_waiting(const struct check_ssh *s)
{
	/* In the handshake with the server's banner read, it did answer: slow, not silent. */
	bool silent = s->state == CHECK_SSH_HANDSHAKE && !(s->session && ssh_get_serverbanner(s->session));

	return s->state == CHECK_SSH_DNS || s->state == CHECK_SSH_CONNECTING ? CHECK_WAIT_CONNECT :
	       silent ? CHECK_WAIT_SSH : CHECK_WAIT_ANSWER;
}

void check_ssh_free(struct check_ssh *s)
{
	if (!s)
		return;
	if (s->channel)
		ssh_channel_free(s->channel);
	if (s->session) {
		ssh_disconnect(s->session);
		ssh_free(s->session);
	}
	if (s->fd >= 0)
		close(s->fd);
	ssh_key_free(s->key);
	if (s->dns) {
		int rc = gai_cancel(&s->dns->cb);

		/* Still running in glibc's thread: it owns the request, leave it be. */
		if (rc != EAI_NOTCANCELED) {
			if (s->dns->cb.ar_result)
				freeaddrinfo(s->dns->cb.ar_result);
			free(s->dns);
		}
	}
	free(s->out);
	free(s);
}
