#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "known_hosts.h"
#include "paths.h"
#include "sshkey.h"
#include "store_perm.h"

/*
 * Azure DevOps' SSH host key (RSA 2048, the same for both host names):
 * SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og, as Microsoft publishes
 * it (azure-facts.md §5). A unit test recomputes the fingerprint.
 */
#define KNOWN_HOSTS_AZURE_KEY \
	"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7Hr1oTWqNqOlzGJOfGJ4NakVyIzf1rXYd4d7wo6jBlkLvCA4o" \
	"dBlL0mDUyZ0/QUfTTqeu+tm22gOsv+VrVTMk6vwRU75gY/y9ut5Mb3bR5BV58dKXyq9A9UeB5Cakehn5Zgm6x1mKo" \
	"Vyf+FFn26iYqXJRgzIZZcZ5V6hrE0Qg39kZm4az48o0AUbf6Sp4SLdvnuMa2sVNwHBboS7EJkm57XQPVU3/QpyNLH" \
	"bWDdzwtrlS+ez30S3AdYhLKEOxAG8weOnyrtLJAUen9mTkol8oII1edf7mWWbWVf0nBmly21+nZcmCTISQBtdcyPa" \
	"Eno7fFQMDD26/s0lfKob4Kw8H"

static const char known_hosts_pinned[] =
	"ssh.dev.azure.com " KNOWN_HOSTS_AZURE_KEY "\n"
	"vs-ssh.visualstudio.com " KNOWN_HOSTS_AZURE_KEY "\n";

/* Largest known_hosts file read (a big one has a few thousand lines). */
#define KNOWN_HOSTS_MAX_FILE (16u << 20)

void known_hosts_name(const char *host, int port, char *out, size_t outlen)
{
	if (port == 0 || port == 22)
		snprintf(out, outlen, "%s", host);
	else
		snprintf(out, outlen, "[%s]:%d", host, port);
	/* OpenSSH writes and matches host names in lower case. */
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/*
 * Called for each entry of a text that matches the host (revoked: its line is
 * marked @revoked); non-zero stops the scan.
 */
typedef int (*known_hosts_fn)(const struct ssh_knownhosts_entry *e, int line, bool revoked, void *user);

#define KNOWN_HOSTS_REVOKED_MARKER "@revoked "

/*
 * OpenSSH's wildcards: '*' any run, '?' one character; host names in any case.
 * One backtrack point (the last '*'): linear in practice, never exponential on
 * a line of many stars (a file anyone could have written).
 */
static bool known_hosts_glob(const char *p, size_t plen, const char *s)
{
	size_t i = 0, star = plen;
	const char *mark = s;

	while (*s) {
		if (i < plen && p[i] == '*') {
			star = i++;
			mark = s;
		} else if (i < plen && (p[i] == '?' || tolower((unsigned char)p[i]) == tolower((unsigned char)*s))) {
			i++;
			s++;
		} else if (star < plen) {
			i = star + 1;
			s = ++mark;
		} else {
			return false;
		}
	}
	while (i < plen && p[i] == '*')
		i++;
	return i == plen;
}

/*
 * Does a "!pattern" in the line's host list name this host? Then the line is
 * not for it, whatever else the list says (libssh ignores negations).
 */
static bool known_hosts_negated(const char *line, const char *name)
{
	const char *end = line + strcspn(line, " ");

	for (const char *p = line; p < end; p++) {
		size_t n = strcspn(p, ",");

		if (n > (size_t)(end - p))
			n = (size_t)(end - p);
		if (n > 1 && p[0] == '!' && known_hosts_glob(p + 1, n - 1, name))
			return true;
		p += n;
	}
	return false;
}

/* Scan text (modified in place: one NUL-terminated line at a time). */
static int known_hosts_scan_text(char *text, const char *name, known_hosts_fn fn, void *user)
{
	int lineno = 0, stop = 0;

	for (char *line = text; line && !stop;) {
		char *next = strchr(line, '\n');

		if (next)
			*next++ = '\0';
		lineno++;
		/* libssh splits on spaces only; OpenSSH allows tabs too. */
		for (char *p = line; *p; p++)
			if (*p == '\t' || *p == '\r')
				*p = ' ';
		while (*line == ' ')
			line++;
		bool revoked = strncmp(line, KNOWN_HOSTS_REVOKED_MARKER, strlen(KNOWN_HOSTS_REVOKED_MARKER)) == 0;
		if (revoked)
			for (line += strlen(KNOWN_HOSTS_REVOKED_MARKER); *line == ' '; line++)
				;
		/* Other markers (@cert-authority): certificates are not taken, so such a line vouches for nothing. */
		if (*line != '\0' && *line != '#' && *line != '@' && !known_hosts_negated(line, name)) {
			struct ssh_knownhosts_entry *e = NULL;

			/* SSH_AGAIN: another host; SSH_ERROR: a line libssh cannot read. */
			if (ssh_known_hosts_parse_line(name, line, &e) == SSH_OK) {
				stop = fn(e, lineno, revoked, user);
				ssh_knownhosts_entry_free(e);
			}
		}
		line = next;
	}
	return stop;
}

static int known_hosts_scan_pinned(const char *name, known_hosts_fn fn, void *user)
{
	char copy[sizeof(known_hosts_pinned)];

	memcpy(copy, known_hosts_pinned, sizeof(copy));
	return known_hosts_scan_text(copy, name, fn, user);
}

/*
 * A known_hosts file says which host keys are trusted: one another user (not root) owns, or that
 * group or others could write or replace, is not read. False with why, and the fix.
 */
static bool known_hosts_safe(const char *file, const struct stat *st, char *why, size_t whylen)
{
	static const struct store_perm_trust trust = {
		.root_ok = true,
		.owner_risk = "a host key put there would be trusted",
		.write_risk = "a host key put there would be trusted",
		.write_fix = "check its lines, then ",
		.dirs_risk = "others could replace the host keys it lists",
	};

	if (S_ISCHR(st->st_mode)) /* /dev/null: lists nothing */
		return true;
	return store_perm_trusted(file, st, &trust, why, whylen);
}

/*
 * A missing file lists nothing; one that cannot be read: -1, errno set; one not safe to trust
 * (unsafe, when given, says why): -2, nothing read.
 */
static int known_hosts_scan_file(const char *file, const char *name, known_hosts_fn fn, void *user,
                                 struct known_hosts_where *unsafe)
{
	char *text, why[sizeof(unsafe->why)];
	size_t len;
	struct stat st;
	int stop;

	if (!file || !*file)
		return 0;
	if (fileio_read_linked(file, KNOWN_HOSTS_MAX_FILE, &text, &len, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!known_hosts_safe(file, &st, why, sizeof(why))) {
		free(text);
		if (unsafe) {
			*unsafe = (struct known_hosts_where){ .file = file };
			snprintf(unsafe->why, sizeof(unsafe->why), "%s", why);
		}
		return -2;
	}
	stop = known_hosts_scan_text(text, name, fn, user);
	free(text);
	return stop;
}

static int known_hosts_any(const struct ssh_knownhosts_entry *e, int line, bool revoked, void *user)
{
	(void)e;
	(void)line;
	(void)revoked;
	*(bool *)user = true;
	return 1;
}

static bool known_hosts_is_pinned(const char *name)
{
	bool any = false;

	known_hosts_scan_pinned(name, known_hosts_any, &any);
	return any;
}

struct known_hosts_match {
	ssh_key key;
	const char *file;
	bool revoked_only; /* a pinned host: the files can only revoke its key */
	enum known_hosts_verdict verdict;
	struct known_hosts_where where;
};

static int known_hosts_compare(const struct ssh_knownhosts_entry *e, int line, bool revoked, void *user)
{
	struct known_hosts_match *m = user;
	bool same = ssh_key_cmp(e->publickey, m->key, SSH_KEY_CMP_PUBLIC) == 0;

	/* A key marked @revoked for the host is never trusted, whatever other lines say. */
	if (revoked && same) {
		m->verdict = KNOWN_HOSTS_REVOKED;
		m->where = (struct known_hosts_where){ .file = m->file, .line = line };
		return 1;
	}
	if (revoked || m->revoked_only || m->verdict == KNOWN_HOSTS_MATCH ||
	    ssh_key_type(e->publickey) != ssh_key_type(m->key))
		return 0;
	/* The first match; read on, as a later line may revoke the key. */
	if (same) {
		m->verdict = KNOWN_HOSTS_MATCH;
		m->where = (struct known_hosts_where){ .file = m->file, .line = line };
		return 0;
	}
	/* The first different key is reported unless a later line matches. */
	if (m->verdict == KNOWN_HOSTS_UNKNOWN) {
		m->verdict = KNOWN_HOSTS_CHANGED;
		m->where = (struct known_hosts_where){ .file = m->file, .line = line };
		sshkey_fingerprint(e->publickey, m->where.old_fp, sizeof(m->where.old_fp));
	}
	return 0;
}

enum known_hosts_verdict known_hosts_check(const char *const *files, size_t nfiles,
                                           const char *host, int port, const ssh_key key,
                                           struct known_hosts_where *where)
{
	struct known_hosts_match m = { .key = key, .verdict = KNOWN_HOSTS_UNKNOWN };
	char name[300];

	known_hosts_name(host, port, name, sizeof(name));
	/* Each file read once, to its end: a pinned host's key cannot be overridden, only revoked. */
	m.revoked_only = known_hosts_is_pinned(name);
	struct known_hosts_where unread = { 0 };
	for (size_t i = 0; i < nfiles && m.verdict != KNOWN_HOSTS_REVOKED; i++) {
		m.file = files[i];
		int rc = known_hosts_scan_file(files[i], name, known_hosts_compare, &m, where);
		/* Fail closed: what others may have written decides nothing, nor is a key added to it. */
		if (rc == -2)
			return KNOWN_HOSTS_UNSAFE;
		if (rc < 0 && !unread.file)
			unread = (struct known_hosts_where){ .file = files[i], .err = errno };
	}
	if (m.revoked_only && m.verdict != KNOWN_HOSTS_REVOKED) {
		m.revoked_only = false;
		m.file = NULL;
		known_hosts_scan_pinned(name, known_hosts_compare, &m);
	}
	if (m.verdict == KNOWN_HOSTS_UNKNOWN && unread.file) {
		*where = unread;
		return KNOWN_HOSTS_UNREADABLE;
	}
	*where = m.where;
	return m.verdict;
}

struct known_hosts_algs {
	char *out;
	size_t outlen;
};

/* Is alg (one name or a comma-separated run) already in the comma-separated list? */
static bool known_hosts_has_alg(const char *list, const char *alg)
{
	size_t n = strlen(alg);

	for (const char *p = list; (p = strstr(p, alg)) != NULL; p++)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Append one algorithm list to the comma-separated output, skipping repeats. */
static int known_hosts_add_alg(const struct ssh_knownhosts_entry *e, int line, bool revoked, void *user)
{
	struct known_hosts_algs *a = user;
	enum ssh_keytypes_e type = ssh_key_type(e->publickey);
	const char *alg = type == SSH_KEYTYPE_RSA ? "rsa-sha2-512,rsa-sha2-256" : ssh_key_type_to_char(type);
	size_t used = strlen(a->out), n;

	(void)line;
	if (revoked || !alg || known_hosts_has_alg(a->out, alg))
		return 0;
	n = strlen(alg) + (used ? 1 : 0);
	if (used + n < a->outlen)
		snprintf(a->out + used, a->outlen - used, "%s%s", used ? "," : "", alg);
	return 0;
}

void known_hosts_algorithms(const char *const *files, size_t nfiles, const char *host, int port,
                            char *out, size_t outlen)
{
	struct known_hosts_algs a = { out, outlen };
	char name[300];

	out[0] = '\0';
	known_hosts_name(host, port, name, sizeof(name));
	if (known_hosts_is_pinned(name)) {
		known_hosts_scan_pinned(name, known_hosts_add_alg, &a);
		return;
	}
	for (size_t i = 0; i < nfiles; i++)
		known_hosts_scan_file(files[i], name, known_hosts_add_alg, &a, NULL);
}

struct known_hosts_first {
	const char *file;
	struct known_hosts_where *where;
};

static int known_hosts_first_line(const struct ssh_knownhosts_entry *e, int line, bool revoked, void *user)
{
	struct known_hosts_first *f = user;

	(void)e;
	if (revoked)
		return 0;
	*f->where = (struct known_hosts_where){ .file = f->file, .line = line };
	return 1;
}

bool known_hosts_first(const char *const *files, size_t nfiles, const char *host, int port,
                       struct known_hosts_where *where)
{
	char name[300];

	known_hosts_name(host, port, name, sizeof(name));
	*where = (struct known_hosts_where){ .file = NULL };
	for (size_t i = 0; i < nfiles && !where->file; i++) {
		struct known_hosts_first f = { files[i], where };
		known_hosts_scan_file(files[i], name, known_hosts_first_line, &f, NULL);
	}
	return where->file != NULL;
}

/*
 * Lock "<file>.lock" (as the store does): the file is read, changed and
 * replaced, so two runs adding at once would each drop the other's line.
 * The lock is held for a read and a small write only: wait for it.
 */
static int known_hosts_lock(const char *file)
{
	char *lock;
	int fd;

	if (asprintf(&lock, "%s.lock", file) < 0)
		return -1;
	fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	free(lock);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
	}
	return fd;
}

/* Is line ("...\n") one of the lines of text? */
static bool known_hosts_has_line(const char *text, const char *line)
{
	for (const char *p = strstr(text, line); p; p = strstr(p + 1, line))
		if (p == text || p[-1] == '\n')
			return true;
	return false;
}

int known_hosts_add(const char *file, const char *host, int port, const char *key_line)
{
	char name[300], *old = NULL, *data, *dir, *slash;
	size_t oldlen = 0;
	int rc = -1, len, lfd = -1, e;

	if (strchr(key_line, '\n') || strchr(host, '\n') || strchr(host, ' ')) {
		errno = EINVAL;
		return -1;
	}
	dir = strdup(file);
	if (!dir)
		return -1;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (paths_mkdir(dir) != 0)
			goto out;
	}
	if ((lfd = known_hosts_lock(file)) < 0)
		goto out;
	if (fileio_read_path(file, KNOWN_HOSTS_MAX_FILE, &old, &oldlen) != 0 && errno != ENOENT)
		goto out;
	known_hosts_name(host, port, name, sizeof(name));
	/* Another run accepted the same key meanwhile (under this lock now): its line is enough. */
	if (asprintf(&data, "%s %s\n", name, key_line) < 0)
		goto out;
	bool there = old && known_hosts_has_line(old, data);
	free(data);
	if (there) {
		rc = 0;
		goto out;
	}
	len = asprintf(&data, "%.*s%s%s %s\n", (int)oldlen, old ? old : "",
	               oldlen && old[oldlen - 1] != '\n' ? "\n" : "", name, key_line);
	if (len < 0)
		goto out;
	rc = fileio_write_atomic(file, data, (size_t)len, NULL, NULL);
	free(data);
out:
	e = errno;
	if (lfd >= 0)
		close(lfd);
	free(old);
	free(dir);
	errno = e;
	return rc;
}
