#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "azure_url.h"
#include "cli.h"
#include "conncheck.h"
#include "connector.h"
#include "exitcode.h"
#include "ident.h"
#include "known_hosts.h"
#include "store.h"
#include "store_cli.h"
#include "store_error.h"

int conncheck_parse_opt(struct conncheck_opts *opts, int opt, const char *arg, char *msg,
                        size_t msglen)
{
	char *end;
	long v;

	switch (opt) {
	case CONNCHECK_OPT_TIMEOUT:
		v = strtol(arg, &end, 10);
		if (end == arg || *end || v < 1 || v > 600) {
			snprintf(msg, msglen, "--timeout: give whole seconds from 1 to 600, not '%s'", arg);
			return -1;
		}
		opts->timeout_ms = (int)v * 1000;
		return 1;
	case CONNCHECK_OPT_CA_FILE: {
		/* Read later by libcurl: a file that will not do fails now, not as a failed check. */
		char why[CONNCHECK_MSG_MAX - 64];
		int rc = conncheck_ca_file_check(arg, why, sizeof(why));

		if (rc < 0)
			snprintf(msg, msglen, "--ca-file: cannot read '%s': %s", arg, strerror(errno));
		else if (rc > 0)
			snprintf(msg, msglen, "--ca-file: '%s': %s", arg, why);
		if (rc)
			return -1;
		opts->ca_file = arg;
		return 1;
	}
	case CONNCHECK_OPT_ACCEPT_HOST_KEY:
		if (strncmp(arg, "SHA256:", 7) != 0 || strlen(arg) != 50) {
			snprintf(msg, msglen, "--accept-host-key: give the fingerprint as shown, "
			                      "SHA256: and 43 characters, not '%s'", arg);
			return -1;
		}
		opts->accept_host_key = arg;
		return 1;
	}
	return 0;
}

/* The PEM labels OpenSSL takes as certificates from a CA file. */
static bool conncheck_pem_is_cert(const char *label)
{
	return strcmp(label, "CERTIFICATE") == 0 || strcmp(label, "TRUSTED CERTIFICATE") == 0 ||
	       strcmp(label, "X509 CERTIFICATE") == 0;
}

/* The label of a "-----BEGIN LABEL-----" line, cut in line, or NULL (not one, or odd bytes in it). */
static const char *conncheck_pem_label(char *line)
{
	char *label = line + strlen("-----BEGIN "), *end;

	if (strncmp(line, "-----BEGIN ", strlen("-----BEGIN ")) != 0 || !(end = strstr(label, "-----")) ||
	    strspn(label, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ") != (size_t)(end - label))
		return NULL;
	*end = '\0';
	return label;
}

/* A DER certificate at path: the openssl command that writes it as PEM beside it (ca.der -> ca.pem). */
static void conncheck_der_hint(const char *path, char *why, size_t whylen)
{
	char out[PATH_MAX], word[CLI_WORD_MAX], outword[CLI_WORD_MAX];
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	bool ext = dot && (!slash || dot > slash) && (strcasecmp(dot, ".der") == 0 || strcasecmp(dot, ".cer") == 0 ||
	                                              strcasecmp(dot, ".crt") == 0);

	snprintf(out, sizeof(out), "%.*s.pem", ext ? (int)(dot - path) : (int)strlen(path), path);
	snprintf(why, whylen, "no PEM certificate in it (a DER file? convert it with openssl x509 -inform der -in %s "
	         "-out %s, and give that one)", cli_word(path, word, sizeof(word)), cli_word(out, outword, sizeof(outword)));
}

/* What the file path, with no certificate, holds: from its first PEM block ("" when none) or first byte. */
static void conncheck_ca_file_kind(const char *path, const char *label, int first, char *why, size_t whylen)
{

	if (strstr(label, "PRIVATE KEY"))
		snprintf(why, whylen, "that is a private key, not a CA certificate");
	else if (strstr(label, "PUBLIC KEY"))
		snprintf(why, whylen, "that is a public key, not a CA certificate");
	else if (strstr(label, "CERTIFICATE REQUEST"))
		snprintf(why, whylen, "that is a certificate request, not a CA certificate");
	else if (*label)
		snprintf(why, whylen, "no certificate in it, only a PEM '%s' block", label);
	else if (first == EOF)
		snprintf(why, whylen, "it is empty");
	else if (first == 0x30) /* an ASN.1 SEQUENCE: a certificate in DER */
		conncheck_der_hint(path, why, whylen);
	else
		snprintf(why, whylen, "no -----BEGIN CERTIFICATE----- line in it");
}

/* path opened if it is a regular file (not waited on, a FIFO, nor read without end, a device): 0,
 * 1 when it is not one, -1 with errno. */
static int conncheck_open_regular(const char *path, FILE **f)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), rc = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0)
		rc = !S_ISREG(st.st_mode) ? 1 : (*f = fdopen(fd, "r")) ? 0 : -1;
	if (rc) {
		int err = errno;
		close(fd);
		errno = err;
	}
	return rc;
}

int conncheck_ca_file_check(const char *path, char *why, size_t whylen)
{
	/* Its own buffer for stdio: a private key given by mistake is wiped from it, as from line. */
	char line[4096], iobuf[4096], label[64] = "";
	FILE *f = NULL;
	int first = EOF, rc = conncheck_open_regular(path, &f), err = 0;
	bool at_start = true, cert = false;

	*why = '\0';
	if (rc > 0)
		snprintf(why, whylen, "not a regular file (give the CA certificate's PEM file)");
	if (rc)
		return rc;
	setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));
	/* A bundle may start with text (curl's cacert.pem, openssl x509 -text): every line is looked at. */
	while (!cert && fgets(line, sizeof(line), f)) {
		const char *l = at_start ? conncheck_pem_label(line) : NULL;
		if (first == EOF)
			first = (unsigned char)line[0];
		cert = l && conncheck_pem_is_cert(l);
		if (l && !*label)
			snprintf(label, sizeof(label), "%.*s", (int)sizeof(label) - 1, l);
		at_start = strchr(line, '\n') != NULL;
	}
	if (!cert && ferror(f))
		err = errno;
	fclose(f);
	sodium_memzero(line, sizeof(line));
	sodium_memzero(iobuf, sizeof(iobuf));
	if (cert)
		return 0;
	if (err) {
		errno = err;
		return -1;
	}
	conncheck_ca_file_kind(path, label, first, why, whylen);
	return 1;
}

int conncheck_load_secrets(const struct connector *c, struct store *store, const char *program,
                           struct conncheck_secrets *s, char *msg, size_t msglen)
{
	/* The connector named in the edit it is told to run, when a command line can carry its id. */
	const char *self = connector_get(c, FIELD_IDENTIFIER);
	char why[FIELD_MSG_MAX], word[CLI_WORD_MAX];
	self = self && ident_check_identifier(self, "identifier", why, sizeof(why))
	       ? cli_word(self, word, sizeof(word)) : "ID";
	for (size_t i = 0; i < FIELD_COUNT; i++) {
		const char *id = connector_get(c, (enum field_id)i);
		struct store_error err = { 0 };

		if (fields_at((enum field_id)i)->kind != FIELD_SECRET || !id ||
		    !fields_applies(c, (enum field_id)i))
			continue;
		/* Named by an older release's file: neither looked up nor quoted. */
		if (ident_looks_like_token(id)) {
			snprintf(msg, msglen, "%s: its store id looks like a Personal Access Token (not shown): revoke "
			         "that token, then give the connector another secret with '%s edit %s'",
			         fields_at((enum field_id)i)->key, program, self);
			return AZ_EXIT_INVALID;
		}
		enum store_status st = store ? store_get(store, id, &s->val[i], &err)
		                       : store_fail(&err, STORE_NOT_FOUND, "there is no secret store yet");
		if (st == STORE_NOT_FOUND) {
			char kind[64];
			snprintf(msg, msglen, "%s: %s: store it again with '%s secret set %s%s' (or give "
			         "the connector another with '%s edit %s')", fields_at((enum field_id)i)->key, err.message,
			         program, id, store_cli_kind_flag(fields_at(i)->store_kind, kind, sizeof(kind)),
			         program, self);
			return store_exit_code(st);
		}
		if (st != STORE_OK) {
			snprintf(msg, msglen, "%s: %s", fields_at((enum field_id)i)->key, err.message);
			return store_exit_code(st);
		}
		/* A file edited by hand may name a key for a token (or the reverse): no probe could use it. */
		struct store_info info;
		enum store_kind want = fields_at((enum field_id)i)->store_kind;
		if (store_find(store, id, &info) &&
		    (info.kind == STORE_KIND_SSH_PRIVATE_KEY) != (want == STORE_KIND_SSH_PRIVATE_KEY)) {
			snprintf(msg, msglen, "%s: the stored secret '%s' is of kind %s, not %s (the connector's file "
			         "names another secret than its own?): give the connector its %s with '%s edit %s'",
			         fields_at((enum field_id)i)->key, id, store_kind_name(info.kind), store_kind_name(want),
			         fields_at((enum field_id)i)->key, program, self);
			return AZ_EXIT_INVALID;
		}
	}
	return 0;
}

void conncheck_secrets_clear(struct conncheck_secrets *s)
{
	for (size_t i = 0; i < FIELD_COUNT; i++) {
		secbuf_free(s->val[i]);
		s->val[i] = NULL;
	}
}

/* The secret of field id, required when the field applies. */
static bool conncheck_secret(const struct connector *c, const struct conncheck_secrets *s,
                             enum field_id id, const struct secbuf **out, char *msg, size_t msglen)
{
	*out = NULL;
	if (!fields_applies(c, id))
		return true;
	*out = s->val[id];
	if (!*out && fields_at(id)->required) {
		snprintf(msg, msglen, "%s: no value to check with", fields_at(id)->key);
		return false;
	}
	return true;
}

/* Why known_hosts (or its lock) could not be written: a file of another user's (a run with sudo) says its chown. */
static void conncheck_known_hosts_why(const char *file, int err, char *why, size_t whylen)
{
	char lock[PATH_MAX];
	const char *paths[] = { file, lock };
	struct stat st;

	snprintf(lock, sizeof(lock), "%s.lock", file);
	for (size_t i = 0; (err == EACCES || err == EPERM) && i < sizeof(paths) / sizeof(paths[0]); i++)
		if (lstat(paths[i], &st) == 0 && st.st_uid != geteuid()) {
			snprintf(why, whylen, "%s belongs to uid %u, not to you (uid %u): run 'chown %u %s' as root",
			         paths[i], (unsigned)st.st_uid, (unsigned)geteuid(), (unsigned)geteuid(), paths[i]);
			return;
		}
	snprintf(why, whylen, "%s", err == EINVAL ? "not a regular file (move it away)" : strerror(err));
}

int conncheck_record_host_key(const struct conncheck_opts *opts, const char *host, int port,
                              const struct check_result *res, size_t n, char *msg, size_t msglen)
{
	if (!opts->known_hosts || opts->dry_run || (opts->record_only_if_passed && !check_all_ok(res, n)))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (res[i].host_key_status != CHECK_HOSTKEY_ACCEPTED)
			continue;
		int krc = known_hosts_add(opts->known_hosts, host, port, res[i].host_key);
		if (krc == -2) {
			snprintf(msg, msglen, "the accepted host key was written to %s, but syncing its folder "
			         "failed (%s): after a power loss it may be missing", opts->known_hosts,
			         strerror(errno));
			return -1;
		}
		if (krc != 0) {
			char why[2 * PATH_MAX + 160];
			conncheck_known_hosts_why(opts->known_hosts, errno, why, sizeof(why));
			snprintf(msg, msglen, "cannot record the accepted host key in %s: %s", opts->known_hosts, why);
			return -1;
		}
	}
	return 0;
}

/*
 * The SSH host without the brackets of an IPv6 literal ("[::1]" -> "::1"), in
 * place: getaddrinfo takes no brackets, and known_hosts_name adds them as
 * OpenSSH does ("::1", "[::1]:2222"). Call it after deriving URLs from the host.
 */
static const char *conncheck_ssh_host(char *host)
{
	size_t n = strlen(host);

	if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	return host;
}

int conncheck_record(const struct connector *c, const struct conncheck_opts *opts,
                     const struct check_result *res, size_t n, char *msg, size_t msglen)
{
	struct azure_url u;
	int rc;

	if (!connector_is(c, FIELD_CONNECTION, "ssh"))
		return 0;
	if (azure_url_parse(connector_value(c, FIELD_URL) ? connector_value(c, FIELD_URL) : "", &u, msg,
	                    msglen) != 0)
		return -1;
	rc = conncheck_record_host_key(opts, conncheck_ssh_host(u.host), azure_url_port(&u), res, n, msg, msglen);
	azure_url_free(&u);
	return rc;
}

bool conncheck_uses_https(const struct connector *c)
{
	return !connector_is(c, FIELD_CONNECTION, "ssh") || connector_is(c, FIELD_API_ACCESS, "true");
}

int conncheck_run(const struct connector *c, const struct conncheck_secrets *s,
                  const struct conncheck_opts *opts, check_progress_fn progress, void *user,
                  struct check_result *res, size_t *n, char *msg, size_t msglen)
{
	struct azure_url u;
	struct check_target t = { 0 };
	const char *test_repo = connector_value(c, FIELD_TEST_REPO);
	char *git_url = NULL, *rest_base = NULL, *rest_repo = NULL, *ssh_path = NULL;
	int rc = -1;

	*n = 0;
	if (azure_url_parse(connector_value(c, FIELD_URL) ? connector_value(c, FIELD_URL) : "", &u,
	                    msg, msglen) != 0)
		return -1;
	bool ssh = connector_is(c, FIELD_CONNECTION, "ssh");
	t.transport = ssh ? CHECK_SSH : CHECK_HTTP;
	t.api = connector_is(c, FIELD_API_ACCESS, "true");
	t.test_repo = !u.repo && test_repo && *test_repo ? test_repo : NULL;
	t.org = u.org;
	t.project = u.project;
	t.repo = u.repo;
	t.server = u.server;
	t.shorthand = u.shorthand;
	t.ca_file = opts->ca_file;
	t.allow_http = connector_is(c, FIELD_ALLOW_HTTP, "true");
	t.timeout_ms = opts->timeout_ms;
	rest_base = azure_url_rest_base(&u);
	t.api_base = rest_base;
	/* No repository named (a Project URL without a test repository): connectionData only. */
	bool has_repo = u.repo || (test_repo && *test_repo);
	if (t.api && has_repo && !(rest_repo = azure_url_rest_repo(&u, test_repo))) {
		snprintf(msg, msglen, "out of memory");
		goto out;
	}
	t.api_repo_url = rest_repo;
	if (!conncheck_secret(c, s, FIELD_TOKEN, &t.token, msg, msglen) ||
	    !conncheck_secret(c, s, FIELD_API_TOKEN, &t.api_token, msg, msglen) ||
	    !conncheck_secret(c, s, FIELD_SSH_KEY, &t.ssh_key, msg, msglen) ||
	    !conncheck_secret(c, s, FIELD_SSH_KEY_PASSPHRASE, &t.ssh_key_passphrase, msg, msglen))
		goto out;
	t.api_token_own = t.token && t.api_token && !secbuf_equal(t.token, t.api_token);
	if (ssh) {
		ssh_path = azure_url_ssh_path(&u, test_repo);
		t.ssh_host = conncheck_ssh_host(u.host);
		t.ssh_port = azure_url_port(&u);
		t.ssh_user = azure_url_ssh_user(&u);
		t.ssh_path = ssh_path;
		t.known_hosts_file = opts->known_hosts;
		t.accept_host_key = opts->accept_host_key;
	} else {
		git_url = azure_url_probe_url(&u, test_repo);
		t.git_url = git_url;
		t.username = connector_value(c, FIELD_USERNAME);
	}
	if (!rest_base || (ssh ? !ssh_path : !git_url)) {
		snprintf(msg, msglen, "out of memory");
		goto out;
	}
	*n = check_run(&t, res, progress, user);
	if (conncheck_record_host_key(opts, t.ssh_host, t.ssh_port, res, *n, msg, msglen) != 0)
		goto out;
	rc = 0;
out:
	free(git_url);
	free(rest_base);
	free(rest_repo);
	free(ssh_path);
	azure_url_free(&u);
	return rc;
}
