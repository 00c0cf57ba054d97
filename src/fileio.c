#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "fileio.h"

char *fileio_dir(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		*base = path;
		return strdup(".");
	}
	*base = slash + 1;
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* The folder of path, open (for openat, renameat and its fsync): an fd, or -1 with errno. */
static int fileio_dir_fd(const char *path, const char **base)
{
	char *dir = fileio_dir(path, base);
	int dfd;

	if (!dir)
		return -1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	return dfd;
}

int fileio_write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) { /* no progress: never spin on it */
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fileio_write_impl(const char *path, const void *data, size_t len,
                             int (*verify)(const void *data, size_t len, void *user), void *user,
                             unsigned rename_flags, mode_t mode)
{
	const char *base;
	char tmp[64 + 256];
	int dfd = fileio_dir_fd(path, &base), fd = -1, err = 0;

	if (dfd < 0)
		return -1;
	if (strlen(base) > 200) {
		close(dfd);
		errno = ENAMETOOLONG;
		return -1;
	}
	/* A fresh random name with O_EXCL: never follows or reuses a planted file. */
	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		snprintf(tmp, sizeof(tmp), ".%s.tmp.%08x%08x", base, randombytes_random(), randombytes_random());
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		goto fail;
	if (fileio_write_all(fd, data, len) != 0 || fsync(fd) != 0)
		goto fail_unlink;
	int cfd = fd;
	fd = -1;
	if (close(cfd) != 0)
		goto fail_unlink;
	if (verify) {
		char *back = NULL;
		size_t back_len = 0;
		int rfd = openat(dfd, tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		int ok = rfd >= 0 && fileio_read_fd(rfd, len, &back, &back_len) == 0 &&
		         back_len == len && verify(back, back_len, user) == 0;
		if (rfd >= 0)
			close(rfd);
		free(back);
		if (!ok) {
			errno = EBADMSG;
			goto fail_unlink;
		}
	}
	if (renameat2(dfd, tmp, dfd, base, rename_flags) != 0)
		goto fail_unlink;
	/* The rename is durable only once the folder is; a failure is reported, not retried. */
	if (fsync(dfd) != 0) {
		err = errno;
		close(dfd);
		errno = err;
		return -2;
	}
	close(dfd);
	return 0;

fail_unlink:
	err = errno;
	if (fd >= 0)
		close(fd);
	fd = -1;
	unlinkat(dfd, tmp, 0);
	errno = err;
fail:
	err = errno;
	if (fd >= 0)
		close(fd);
	close(dfd);
	errno = err;
	return -1;
}

int fileio_write_atomic(const char *path, const void *data, size_t len,
                        int (*verify)(const void *data, size_t len, void *user), void *user)
{
	return fileio_write_impl(path, data, len, verify, user, 0, 0600);
}

int fileio_create_atomic(const char *path, const void *data, size_t len,
                         int (*verify)(const void *data, size_t len, void *user), void *user)
{
	return fileio_write_impl(path, data, len, verify, user, RENAME_NOREPLACE, 0600);
}

/*
 * Written to a file with no name, then linked in place (link never replaces):
 * a kill at any point leaves nothing behind. 1 when the system cannot (no
 * O_TMPFILE on this filesystem, no /proc): the caller then writes aside.
 */
static int fileio_write_unnamed(const char *path, const void *data, size_t len, mode_t mode)
{
	const char *base;
	char proc[64];
	int dfd = fileio_dir_fd(path, &base), fd, err;

	if (dfd < 0)
		return -1;
	fd = openat(dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (fd < 0) {
		err = errno;
		close(dfd);
		errno = err;
		return err == EOPNOTSUPP || err == EISDIR || err == EINVAL ? 1 : -1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	int rc = fileio_write_all(fd, data, len) != 0 || fsync(fd) != 0 ? -1
	         : linkat(AT_FDCWD, proc, dfd, base, AT_SYMLINK_FOLLOW) != 0 ? (errno == ENOENT ? 1 : -1)
	         : fsync(dfd) != 0 ? -2 : 0;
	err = errno;
	close(fd);
	close(dfd);
	errno = err;
	return rc;
}

int fileio_write_new(const char *path, const void *data, size_t len, mode_t mode)
{
	int rc = fileio_write_unnamed(path, data, len, mode);

	/* Else written aside, then renamed without replacing: never over a file, never seen half-written. */
	if (rc == 1)
		rc = fileio_write_impl(path, data, len, NULL, NULL, RENAME_NOREPLACE, mode);

	if (rc == -2) {
		/* In place but not durable: not left for a later run to trust. */
		int err = errno;
		unlink(path);
		errno = err;
	}
	return rc == 0 ? 0 : -1;
}

int fileio_clean_temps(const char *path, int min_age)
{
	const char *base;
	char *dir = fileio_dir(path, &base);
	char prefix[256 + 8];
	int removed = 0;

	if (!dir)
		return 0;
	snprintf(prefix, sizeof(prefix), ".%s.tmp.", base);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	time_t now = time(NULL);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		struct stat st;

		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 ||
		    (min_age > 0 && (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		                     now - st.st_mtime < min_age)))
			continue;
		if (unlinkat(dfd, e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

int fileio_read_fd(int fd, size_t max, char **buf, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *b = malloc(cap + 1);

	if (!b)
		return -1;
	for (;;) {
		if (used == cap) {
			if (cap > max) {
				free(b);
				errno = EFBIG;
				return -1;
			}
			char *nb = realloc(b, cap * 2 + 1);
			if (!nb) {
				free(b);
				return -1;
			}
			b = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, b + used, cap - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(b);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	if (used > max) {
		free(b);
		errno = EFBIG;
		return -1;
	}
	b[used] = '\0';
	*buf = b;
	*len = used;
	return 0;
}

/*
 * With st: a regular file only (a FIFO or device is refused with EINVAL, not waited on; chr: a
 * character device too, as /dev/null reads), its stat in st.
 */
static int fileio_read_open(const char *path, int flags, struct stat *st, bool chr, size_t max, char **buf,
                            size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | flags | (st ? O_NONBLOCK : 0));

	if (fd < 0)
		return -1;
	if (st && (fstat(fd, st) != 0 || !(S_ISREG(st->st_mode) || (chr && S_ISCHR(st->st_mode))))) {
		int e = errno;
		bool stated = fstat(fd, st) == 0;
		close(fd);
		errno = stated ? EINVAL : e;
		return -1;
	}
	int rc = fileio_read_fd(fd, max, buf, len);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int fileio_read_path_st(const char *path, size_t max, char **buf, size_t *len, struct stat *st)
{
	return fileio_read_open(path, O_NOFOLLOW, st, false, max, buf, len);
}

int fileio_read_path(const char *path, size_t max, char **buf, size_t *len)
{
	struct stat st;

	return fileio_read_open(path, O_NOFOLLOW, &st, false, max, buf, len);
}

int fileio_read_linked(const char *path, size_t max, char **buf, size_t *len, struct stat *st)
{
	return fileio_read_open(path, 0, st, true, max, buf, len);
}

int fileio_read_input(const char *path, size_t max, char **buf, size_t *len)
{
	if (strcmp(path, "-") == 0)
		return fileio_read_fd(STDIN_FILENO, max, buf, len);
	return fileio_read_open(path, 0, NULL, false, max, buf, len);
}

int fileio_rename_aside(const char *path, const char *tag, char *moved, size_t movedlen)
{
	const char *base;
	char when[32];
	int dfd, rc = -1, err;
	struct tm tm;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	if ((size_t)snprintf(moved, movedlen, "%s.%s-%s", path, tag, when) >= movedlen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((dfd = fileio_dir_fd(path, &base)) < 0)
		return -1;
	/* Never over another file: an older copy put aside stays too. */
	if (renameat2(AT_FDCWD, path, AT_FDCWD, moved, RENAME_NOREPLACE) == 0)
		rc = fsync(dfd) == 0 ? 0 : -2;
	err = errno;
	close(dfd);
	errno = err;
	return rc;
}
