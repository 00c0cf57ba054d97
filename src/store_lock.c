#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "store_error.h"
#include "store_lock.h"
#include "store_perm.h"

static long long store_lock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum store_status store_lock_take(const char *path, int timeout_ms, int *fd, struct store_error *err)
{
	size_t n = strlen(path) + sizeof(".lock");
	char *lock = malloc(n);
	long long deadline = store_lock_now_ms() + timeout_ms;
	enum store_status s;
	int lfd;

	if (!lock)
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	snprintf(lock, n, "%s.lock", path);
	lfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	if (lfd < 0) {
		s = store_perm_open_error(errno, lock, "lock file", err);
		free(lock);
		return s;
	}
	if ((s = store_perm_file(lfd, lock, "lock file", err)) != STORE_OK)
		goto fail;
	/* Poll rather than block: a deadline without signals or threads. */
	for (int wait_ms = 1; flock(lfd, LOCK_EX | LOCK_NB) != 0; wait_ms = wait_ms < 32 ? wait_ms * 2 : 32) {
		struct timespec ts = { 0, wait_ms * 1000000L };

		if (errno != EWOULDBLOCK && errno != EINTR) {
			s = store_fail(err, STORE_IO, "cannot lock %s: %s", lock, strerror(errno));
			goto fail;
		}
		if (store_lock_now_ms() >= deadline) {
			s = store_fail(err, STORE_BUSY, "the secret store is busy: another azrepos-connect "
			               "holds %s; try again when it has finished", lock);
			goto fail;
		}
		nanosleep(&ts, NULL);
	}
	free(lock);
	*fd = lfd;
	return STORE_OK;
fail:
	close(lfd);
	free(lock);
	return s;
}

void store_lock_release(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}
