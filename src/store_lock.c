#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"
#include "paths.h"
#include "store_error.h"
#include "store_lock.h"
#include "store_perm.h"

static void store_lock_tick(int sig)
{
	(void)sig; /* only interrupts flock(2) */
}

/*
 * Wait for the lock in a blocking flock(2), which the kernel hands over in
 * turn (polling lets a steady writer starve the others), until deadline. A
 * repeating 50 ms timer interrupts the wait to look at the clock, so a tick
 * that comes just before flock(2) is called cannot make it wait forever.
 * SIGALRM's disposition and the real-time timer are restored afterwards.
 */
static enum store_status store_lock_wait(int lfd, long long deadline)
{
	struct sigaction sa, old_sa;
	struct itimerval tick = { { 0, 50000 }, { 0, 50000 } }, old_tick, off = { { 0, 0 }, { 0, 0 } };
	enum store_status s = STORE_OK;
	int e = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = store_lock_tick; /* no SA_RESTART: flock returns EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, &old_sa) != 0)
		return STORE_IO;
	setitimer(ITIMER_REAL, &tick, &old_tick);
	while (flock(lfd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			e = errno;
			s = STORE_IO;
			break;
		}
		if (clock_ms() >= deadline) {
			s = STORE_BUSY;
			break;
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	if (old_tick.it_value.tv_sec || old_tick.it_value.tv_usec)
		setitimer(ITIMER_REAL, &old_tick, NULL);
	errno = e;
	return s;
}

enum store_status store_lock_take(const char *path, int timeout_ms, int *fd, struct store_error *err)
{
	char *lock = paths_lock_file(path);
	long long deadline = clock_ms() + timeout_ms;
	enum store_status s;
	int lfd;

	if (!lock)
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	lfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	if (lfd < 0) {
		s = store_perm_open_error(errno, lock, "lock file", false, err);
		free(lock);
		return s;
	}
	if ((s = store_perm_file(lfd, lock, "lock file", false, err)) != STORE_OK)
		goto fail;
	if (flock(lfd, LOCK_EX | LOCK_NB) != 0) {
		s = errno == EWOULDBLOCK ? store_lock_wait(lfd, deadline) : STORE_IO;
		if (s == STORE_BUSY)
			store_fail(err, STORE_BUSY, "the secret store is busy: another azrepos-connect holds %s; "
			           "try again when it has finished", lock);
		else if (s == STORE_IO)
			store_fail(err, STORE_IO, "cannot lock %s: %s", lock, strerror(errno));
		if (s != STORE_OK)
			goto fail;
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
