/*
 * SSH host keys: Azure's key pinned in the program, then OpenSSH known_hosts
 * files (plain, wildcard, negated and hashed host names, "[host]:port" for
 * other ports, as libssh parses them). A key marked @revoked for the host is
 * refused whatever else lists it; @cert-authority lines vouch for nothing
 * (certificates are not taken).
 */
#ifndef AZ_KNOWN_HOSTS_H
#define AZ_KNOWN_HOSTS_H

#include <stdbool.h>
#include <stddef.h>

#include <libssh/libssh.h>

enum known_hosts_verdict {
	KNOWN_HOSTS_UNKNOWN, /* no key of this type for the host */
	KNOWN_HOSTS_MATCH,   /* a listed key */
	KNOWN_HOSTS_CHANGED, /* a different key of the same type is listed */
	KNOWN_HOSTS_REVOKED, /* the key is marked @revoked for the host */
	KNOWN_HOSTS_UNREADABLE, /* unknown, and a file that exists could not be read */
	KNOWN_HOSTS_UNSAFE,  /* a file others could have written: none is trusted */
};

/* Where a verdict comes from: file is NULL for the pinned key. */
struct known_hosts_where {
	const char *file;
	int line;
	int err;  /* UNREADABLE: errno of the file's read */
	char why[1024]; /* UNSAFE: who else could write it, and the command that fixes it */
	char old_fp[128]; /* CHANGED: the fingerprint of the key the line lists ("SHA256:...") */
};

/*
 * Check key for host:port (port 0 means 22) against each file of
 * files[0..nfiles) in order (NULL or missing files are skipped; links are
 * followed, as OpenSSH does), or for a pinned host against its pinned key:
 * the files cannot override that, only revoke it. On MATCH, CHANGED or
 * REVOKED, *where names the line. A key no file lists while one of them
 * exists but cannot be read is UNREADABLE (*where names it): that file might
 * list another key for the host, so the key is not one to offer for trust.
 * A file another user owns (not root), or one group or others could write or
 * replace (its folders, as store_perm_dirs judges them), is UNSAFE whatever
 * the others say: a key planted there would be trusted.
 */
enum known_hosts_verdict known_hosts_check(const char *const *files, size_t nfiles,
                                           const char *host, int port, const ssh_key key,
                                           struct known_hosts_where *where);

/*
 * The host key algorithms (libssh names, comma separated) for the key types
 * listed for host:port, so the server is asked for a key we can verify; ""
 * when none is listed. RSA maps to rsa-sha2-512,rsa-sha2-256 (no SHA-1).
 */
void known_hosts_algorithms(const char *const *files, size_t nfiles, const char *host, int port,
                            char *out, size_t outlen);

/*
 * The first line of files that lists a key for host:port (@revoked ones aside), in *where:
 * the line to remove when the host's key type changed. False when no file lists one.
 */
bool known_hosts_first(const char *const *files, size_t nfiles, const char *host, int port,
                       struct known_hosts_where *where);

/* "host" for port 22, "[host]:port" otherwise, as known_hosts files write it. */
void known_hosts_name(const char *host, int port, char *out, size_t outlen);

/*
 * Add "<name> <key_line>" to file (key_line is "<type> <base64>", e.g. a
 * check_result's host_key), creating it (0600) and its folder (0700).
 * The file is replaced atomically, holding a lock on "<file>.lock" so that
 * runs adding at once keep every line. 0, or -1 with errno set; -2 when the
 * key is written but its folder could not be synced (as fileio_write_atomic).
 */
int known_hosts_add(const char *file, const char *host, int port, const char *key_line);

#endif
