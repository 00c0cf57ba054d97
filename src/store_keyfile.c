/* Key files and the systemd credential: unattended unlock (store-design.md §4). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "fileio.h"
#include "store_error.h"
#include "store_perm.h"

enum store_status store_key_file_read(const char *path, bool credential, struct secbuf **key,
                                      struct store_error *err)
{
	enum store_status st;
	struct secbuf *k = NULL;
	/*
	 * O_NONBLOCK: a FIFO there is refused as no regular file, not waited on. A link is followed,
	 * as ssh does for -i (a Kubernetes secret is one): what it points to is judged, by its fd.
	 */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	*key = NULL;
	/* A path mistyped (or a variable unset) is the operator's input, not the disk failing. */
	if (fd < 0 && errno == ENOENT && credential)
		return store_fail(err, STORE_INVALID, "the systemd credential is not there (%s): load it in the "
		                  "unit (LoadCredentialEncrypted=" STORE_CREDENTIAL_NAME ":...)", path);
	struct stat lst;
	char target[256];
	ssize_t tlen;
	/* A link to nothing is not the key file missing: the link is what to fix (never made through). */
	if (fd < 0 && errno == ENOENT && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
	    (tlen = readlink(path, target, sizeof(target) - 1)) >= 0) {
		target[tlen] = '\0';
		return store_fail(err, STORE_INVALID, "key file %s is a symbolic link to %s, which is not there: "
		                  "fix the link, or give the key file's own path", path, target);
	}
	if (fd < 0 && errno == ENOENT)
		return store_fail(err, STORE_INVALID, "there is no key file %s: give the path of the key "
		                  "file the secret store was made with", path);
	if (fd < 0)
		return store_perm_open_error(errno, path, "key file", false, err);
	if ((st = store_perm_key(fd, path, credential, err)) == STORE_OK) {
		k = secbuf_read_fd(fd, STORE_KEY_MATERIAL_MAX, false);
		if (!k)
			st = errno == EFBIG ? store_fail(err, STORE_INVALID, "key file %s is longer than %d bytes: "
			                                 "is it the key file? (one is made with 'head -c 32 "
			                                 "/dev/urandom')", path, STORE_KEY_MATERIAL_MAX)
			                    : store_fail(err, STORE_IO, "cannot read the key file %s: %s", path,
			                                 strerror(errno));
		else if (k->len < STORE_KEY_FILE_MIN)
			st = store_fail(err, STORE_INVALID, "key file %s holds %zu bytes; a key file needs at "
			                "least %d (e.g. head -c 32 /dev/urandom)", path, k->len, STORE_KEY_FILE_MIN);
	}
	close(fd);
	if (st != STORE_OK) {
		secbuf_free(k);
		return st;
	}
	*key = k;
	return STORE_OK;
}

enum store_status store_key_file_placeable(const char *path, struct store_error *err)
{
	const char *base;
	char *dir = fileio_dir(path, &base);
	struct stat st;
	bool there = dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	/* Every secret depends on it: in a folder another may write (or owns), they could remove it. */
	enum store_status ps = there ? store_perm_tree(dir, true, err) : STORE_OK;

	free(dir);
	if (ps == STORE_PERMISSIONS) {
		size_t n = strlen(err->message);
		snprintf(err->message + n, sizeof(err->message) - n, " (others could remove or replace the key "
		         "file there, and every secret with it)");
	}
	/* A path mistyped: the operator's input, not the disk failing. */
	return !there ? store_fail(err, STORE_INVALID, "cannot create the key file %s: its folder does not exist "
	                           "(a typo?)", path) : ps;
}

enum store_status store_key_file_create(const char *path, struct secbuf **key, struct store_error *err)
{
	struct secbuf *k;
	enum store_status st = store_key_file_placeable(path, err);

	*key = NULL;
	if (st != STORE_OK)
		return st;
	if (!(k = secbuf_new(STORE_KEY_FILE_MIN)))
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	randombytes_buf(k->data, STORE_KEY_FILE_MIN);
	k->len = STORE_KEY_FILE_MIN;
	/* The store will depend on this key: it is on disk (folder fsync'ed) before the store is. */
	if (fileio_write_new(path, k->data, k->len, 0400) != 0) {
		int e = errno;

		secbuf_free(k);
		if (e == EEXIST)
			return store_fail(err, STORE_INVALID, "key file %s already exists", path);
		return store_fail(err, STORE_IO, "cannot create the key file %s: %s", path, strerror(e));
	}
	*key = k;
	return STORE_OK;
}

char *store_credential_path(void)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	size_t n;
	char *p;

	if (!dir || !*dir)
		return NULL;
	n = strlen(dir) + sizeof("/" STORE_CREDENTIAL_NAME);
	p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, STORE_CREDENTIAL_NAME);
	return p;
}
