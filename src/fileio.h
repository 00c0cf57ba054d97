/* Small file helpers shared by the connector files and the secret store. */
#ifndef AZ_FILEIO_H
#define AZ_FILEIO_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The folder of path, malloc'ed ("." or "/" when it has no other), and its base name in *base. */
char *fileio_dir(const char *path, const char **base);

/*
 * Replace path atomically with data: a temp file ".<base>.tmp.<random>" in the
 * same folder, created O_EXCL|O_NOFOLLOW with mode 0600, written, fsync'ed,
 * closed; then, if verify is not NULL, read back and passed to verify (which
 * returns 0 to accept); then renamed over path and the folder fsync'ed.
 * On any failure before the rename the temp file is removed, path is
 * untouched, errno is set (EBADMSG when verify refused) and -1 is returned.
 * When only the folder's fsync after the rename fails, path already holds the
 * new data (durability after a power loss is not sure): -2 with errno set.
 * A failed fsync is never retried.
 */
int fileio_write_atomic(const char *path, const void *data, size_t len,
                        int (*verify)(const void *data, size_t len, void *user), void *user);

/*
 * The same for a file that must be new: the rename never replaces one (made
 * meanwhile by another process); -1 with errno EEXIST then, nothing changed.
 */
int fileio_create_atomic(const char *path, const void *data, size_t len,
                         int (*verify)(const void *data, size_t len, void *user), void *user);

/* write(2) all of data to fd, through EINTR and short writes: 0, or -1 with errno. */
int fileio_write_all(int fd, const void *data, size_t len);

/*
 * Create path, which must not exist (never through a link), with mode,
 * holding data: written to a file with no name (else a temp file), then
 * linked in place without replacing, so no reader sees it half-written and
 * a kill leaves nothing; fsync'ed with its folder. 0, or -1 with errno set
 * (EEXIST when path exists) and no file left behind.
 */
int fileio_write_new(const char *path, const void *data, size_t len, mode_t mode);

/*
 * Remove leftover ".<base>.tmp.*" files of path (from a crash), those last
 * changed at least min_age seconds ago. Returns how many. With min_age 0 only
 * under the lock every writer of path holds, so no live write loses its temp
 * file; without such a lock (the draft), an age no write takes. The folder is
 * the user's own and private (checked before), so every such file is ours.
 */
int fileio_clean_temps(const char *path, int min_age);
/* The min_age without a lock: far longer than any write of ours takes. */
#define FILEIO_TEMP_STALE_S 60

/*
 * Rename path to path.<tag>-<UTC time> (e.g. secrets.store.corrupt-20261203T131200Z; its
 * full name written to moved), never over an existing file (EEXIST), then fsync the
 * folder. 0, -1 with errno set, or -2 when only the folder's fsync failed (the file is
 * renamed).
 */
int fileio_rename_aside(const char *path, const char *tag, char *moved, size_t movedlen);

/*
 * Read all of fd (from its current offset) into a malloc'ed buffer with a
 * terminating NUL not counted in *len. More than max bytes: -1, errno EFBIG.
 */
int fileio_read_fd(int fd, size_t max, char **buf, size_t *len);

/*
 * A regular file, read whole (fileio_read_fd): never through a link
 * (ELOOP); anything but a regular file (a FIFO planted there) is refused
 * with EINVAL, not waited on.
 */
int fileio_read_path(const char *path, size_t max, char **buf, size_t *len);

/* As fileio_read_path, with the file's stat (its owner and mode, to judge). */
int fileio_read_path_st(const char *path, size_t max, char **buf, size_t *len, struct stat *st);

/*
 * As fileio_read_path_st, through links (a user's ~/.ssh/known_hosts kept by a dotfile manager),
 * and a character device read as it is (a known_hosts linked to /dev/null is empty).
 */
int fileio_read_linked(const char *path, size_t max, char **buf, size_t *len, struct stat *st);

/*
 * A file the user names as input (an answers file): symlinks followed, a pipe
 * (/dev/stdin, <(...)) read as well, and "-" is standard input.
 */
int fileio_read_input(const char *path, size_t max, char **buf, size_t *len);

#endif
