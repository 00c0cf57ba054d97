/*
 * An LD_PRELOAD shim for I/O fault tests: the FAULT_NTH-th call of FAULT_CALL
 * (openat, write, fsync or renameat, renameat2 counted as renameat) on a temporary file ".<name>.tmp.*" or on
 * the folder FAULT_DIR fails with errno FAULT_ERRNO, or with FAULT_ERRNO=kill
 * the process dies there (SIGKILL: a crash). With FAULT_NAME set, only targets
 * whose path has it count. Everything else passes through, so the program runs
 * as usual up to the fault.
 *
 * With FAULT_LOG set, every call that creates or changes the mode of a file or
 * folder (open and openat with O_CREAT, mkdir, mkdirat, chmod, fchmod,
 * fchmodat) appends a line "CALL MODE UMASK PATH" (octal; UMASK as it was at
 * the call) to that file: the mode a file is created with, before anyone could
 * see it, whatever the umask.
 */
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

int open(const char *path, int flags, ...);
int openat(int dfd, const char *path, int flags, ...);
int mkdir(const char *path, mode_t mode);
int mkdirat(int dfd, const char *path, mode_t mode);
int chmod(const char *path, mode_t mode);
int fchmod(int fd, mode_t mode);
int fchmodat(int dfd, const char *path, mode_t mode, int flags);
ssize_t write(int fd, const void *buf, size_t len);
int fsync(int fd);
int renameat(int olddfd, const char *oldpath, int newdfd, const char *newpath);
int renameat2(int olddfd, const char *oldpath, int newdfd, const char *newpath, unsigned flags);

/* A folder name, a slash and a name. */
#define FAULTFS_PATH (2 * PATH_MAX + 2)

static int faultfs_count;

/* Is this the call to fail? Counts only the calls that concern the store's writes. */
static int faultfs_hit(const char *call, const char *target)
{
	const char *want = getenv("FAULT_CALL"), *dir = getenv("FAULT_DIR");
	const char *nth = getenv("FAULT_NTH"), *err = getenv("FAULT_ERRNO"), *name = getenv("FAULT_NAME");

	if (!want || !nth || !err || strcmp(want, call) != 0 || !target)
		return 0;
	if (!strstr(target, ".tmp.") && !(dir && strcmp(target, dir) == 0))
		return 0;
	if ((name && !strstr(target, name)) || ++faultfs_count != atoi(nth))
		return 0;
	if (strcmp(err, "kill") == 0)
		raise(SIGKILL);
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

/* path as an absolute name: relative to the folder open as dfd (or the working folder). */
static const char *faultfs_at(int dfd, const char *path, char *buf, size_t len)
{
	char dir[PATH_MAX];

	if (!path)
		return "?";
	if (path[0] == '/')
		return path;
	if (dfd == AT_FDCWD) {
		if (!getcwd(dir, sizeof(dir)))
			return path;
	} else if (!faultfs_fd_path(dfd, dir, sizeof(dir))) {
		return path;
	}
	snprintf(buf, len, "%s/%s", dir, path);
	return buf;
}

/* One line to $FAULT_LOG: CALL MODE UMASK PATH (written with the real calls). */
static void faultfs_log(const char *call, mode_t mode, const char *path)
{
	const char *log = getenv("FAULT_LOG");
	int (*real_open)(const char *, int, ...);
	ssize_t (*real_write)(int, const void *, size_t);
	mode_t mask;
	char line[FAULTFS_PATH + 64];
	int fd, n;

	if (!log || !*log)
		return;
	real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	mask = umask(0);
	umask(mask);
	n = snprintf(line, sizeof(line), "%s %04o %04o %s\n", call, (unsigned)(mode & 07777), (unsigned)mask,
	             path);
	fd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (n > 0)
		real_write(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	close(fd);
}

int open(const char *path, int flags, ...)
{
	int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	mode_t mode = 0;
	char buf[FAULTFS_PATH];

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
		faultfs_log("open", mode, faultfs_at(AT_FDCWD, path, buf, sizeof(buf)));
	}
	return real(path, flags, mode);
}

int mkdir(const char *path, mode_t mode)
{
	int (*real)(const char *, mode_t) = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "mkdir");
	char buf[FAULTFS_PATH];

	faultfs_log("mkdir", mode, faultfs_at(AT_FDCWD, path, buf, sizeof(buf)));
	return real(path, mode);
}

int mkdirat(int dfd, const char *path, mode_t mode)
{
	int (*real)(int, const char *, mode_t) = (int (*)(int, const char *, mode_t))dlsym(RTLD_NEXT, "mkdirat");
	char buf[FAULTFS_PATH];

	faultfs_log("mkdirat", mode, faultfs_at(dfd, path, buf, sizeof(buf)));
	return real(dfd, path, mode);
}

int chmod(const char *path, mode_t mode)
{
	int (*real)(const char *, mode_t) = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "chmod");
	char buf[FAULTFS_PATH];

	faultfs_log("chmod", mode, faultfs_at(AT_FDCWD, path, buf, sizeof(buf)));
	return real(path, mode);
}

int fchmod(int fd, mode_t mode)
{
	int (*real)(int, mode_t) = (int (*)(int, mode_t))dlsym(RTLD_NEXT, "fchmod");
	char buf[FAULTFS_PATH];
	const char *path = faultfs_fd_path(fd, buf, sizeof(buf));

	faultfs_log("fchmod", mode, path ? path : "?");
	return real(fd, mode);
}

int fchmodat(int dfd, const char *path, mode_t mode, int flags)
{
	int (*real)(int, const char *, mode_t, int) =
		(int (*)(int, const char *, mode_t, int))dlsym(RTLD_NEXT, "fchmodat");
	char buf[FAULTFS_PATH];

	faultfs_log("fchmodat", mode, faultfs_at(dfd, path, buf, sizeof(buf)));
	return real(dfd, path, mode, flags);
}

int openat(int dfd, const char *path, int flags, ...)
{
	int (*real)(int, const char *, int, ...) = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	mode_t mode = 0;

	char buf[FAULTFS_PATH];

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
		faultfs_log("openat", mode, faultfs_at(dfd, path, buf, sizeof(buf)));
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

/* The program renames with renameat2 (RENAME_NOREPLACE for a new file): the same fault. */
int renameat2(int olddfd, const char *oldpath, int newdfd, const char *newpath, unsigned flags)
{
	int (*real)(int, const char *, int, const char *, unsigned) =
		(int (*)(int, const char *, int, const char *, unsigned))dlsym(RTLD_NEXT, "renameat2");

	if (faultfs_hit("renameat", oldpath))
		return -1;
	return real(olddfd, oldpath, newdfd, newpath, flags);
}
