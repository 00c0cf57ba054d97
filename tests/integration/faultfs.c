/*
 * An LD_PRELOAD shim for I/O fault tests: the FAULT_NTH-th call of FAULT_CALL
 * (openat, write, fsync or renameat) on a temporary file ".<name>.tmp.*" or on
 * the folder FAULT_DIR fails with errno FAULT_ERRNO. Everything else passes
 * through, so the program runs as usual up to the fault.
 */
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

int openat(int dfd, const char *path, int flags, ...);
ssize_t write(int fd, const void *buf, size_t len);
int fsync(int fd);
int renameat(int olddfd, const char *oldpath, int newdfd, const char *newpath);

static int faultfs_count;

/* Is this the call to fail? Counts only the calls that concern the store's writes. */
static int faultfs_hit(const char *call, const char *target)
{
	const char *want = getenv("FAULT_CALL"), *dir = getenv("FAULT_DIR");
	const char *nth = getenv("FAULT_NTH"), *err = getenv("FAULT_ERRNO");

	if (!want || !nth || !err || strcmp(want, call) != 0 || !target)
		return 0;
	if (!strstr(target, ".tmp.") && !(dir && strcmp(target, dir) == 0))
		return 0;
	if (++faultfs_count != atoi(nth))
		return 0;
	errno = atoi(err);
	return 1;
}

static const char *faultfs_fd_path(int fd, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, len - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

int openat(int dfd, const char *path, int flags, ...)
{
	int (*real)(int, const char *, int, ...) = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (faultfs_hit("openat", path))
		return -1;
	return real(dfd, path, flags, mode);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	ssize_t (*real)(int, const void *, size_t) = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	char path[PATH_MAX];

	if (faultfs_hit("write", faultfs_fd_path(fd, path, sizeof(path))))
		return -1;
	return real(fd, buf, len);
}

int fsync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	char path[PATH_MAX];

	if (faultfs_hit("fsync", faultfs_fd_path(fd, path, sizeof(path))))
		return -1;
	return real(fd);
}

int renameat(int olddfd, const char *oldpath, int newdfd, const char *newpath)
{
	int (*real)(int, const char *, int, const char *) =
		(int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT, "renameat");

	if (faultfs_hit("renameat", oldpath))
		return -1;
	return real(olddfd, oldpath, newdfd, newpath);
}
