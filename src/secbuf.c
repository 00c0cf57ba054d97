#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "secbuf.h"

struct secbuf *secbuf_new(size_t cap)
{
	struct secbuf *sb;

	/* cap + 1 must not wrap to 0: sodium_malloc(0) would put the NUL in its guard page. */
	if (cap == SIZE_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	sb = sodium_malloc(sizeof(*sb));
	if (!sb)
		return NULL;
	sb->data = sodium_malloc(cap + 1);
	if (!sb->data) {
		sodium_free(sb);
		return NULL;
	}
	sb->data[0] = '\0';
	sb->len = 0;
	sb->cap = cap;
	return sb;
}

struct secbuf *secbuf_dup(const void *data, size_t len)
{
	struct secbuf *sb = secbuf_new(len);

	if (sb) {
		memcpy(sb->data, data, len);
		sb->data[len] = '\0';
		sb->len = len;
	}
	return sb;
}

void secbuf_free(struct secbuf *sb)
{
	if (!sb)
		return;
	sodium_free(sb->data); /* sodium_free wipes before unmapping */
	sodium_free(sb);
}

void secbuf_wipe_free(void *p)
{
	if (p) {
		sodium_memzero(p, malloc_usable_size(p));
		free(p);
	}
}

/* (realloc may move: the old block is wiped.) */
void *secbuf_wipe_realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	void *q = malloc(n ? n : 1);
	size_t had = malloc_usable_size(p);

	if (!q)
		return NULL;
	memcpy(q, p, had < n ? had : n);
	secbuf_wipe_free(p);
	return q;
}

bool secbuf_lock_room(size_t need)
{
	void *probe = mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool room;

	if (probe == MAP_FAILED)
		return false;
	room = mlock(probe, need) == 0;
	if (room)
		munlock(probe, need);
	munmap(probe, need);
	return room;
}

static void secbuf_trim(struct secbuf *sb)
{
	if (sb->len > 0 && sb->data[sb->len - 1] == '\n')
		sb->data[--sb->len] = '\0';
	if (sb->len > 0 && sb->data[sb->len - 1] == '\r')
		sb->data[--sb->len] = '\0';
}

struct secbuf *secbuf_read_fd(int fd, size_t max, bool trim_newline)
{
	/* One byte more than max tells an over-long input from an exact fit. */
	struct secbuf *sb = max < SIZE_MAX ? secbuf_new(max + 1) : NULL;

	/* (max + 1 wrapped to 0 would read nothing and pass an empty value for the secret.) */
	if (!sb) {
		errno = ENOMEM;
		return NULL;
	}
	for (;;) {
		ssize_t n = read(fd, sb->data + sb->len, sb->cap - sb->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			secbuf_free(sb);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		sb->len += (size_t)n;
		if (sb->len > max) {
			secbuf_free(sb);
			errno = EFBIG;
			return NULL;
		}
	}
	sb->data[sb->len] = '\0';
	if (trim_newline)
		secbuf_trim(sb);
	return sb;
}

struct secbuf *secbuf_read_file(const char *path, size_t max, bool trim_newline)
{
	/* Links are followed: secrets are often mounted as links (Kubernetes, Docker). */
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	struct secbuf *sb = secbuf_read_fd(fd, max, trim_newline);
	int e = errno;
	close(fd);
	errno = e;
	return sb;
}

static const int secbuf_tty_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
#define SECBUF_TTY_NSIGS (sizeof(secbuf_tty_sigs) / sizeof(secbuf_tty_sigs[0]))

/*
 * The prompt's terminal state, for the signal handler: restored on a signal,
 * taken again after a stop. held: echo left off after a read, until
 * secbuf_tty_release (the old handlers are in old).
 */
static struct {
	int fd;
	bool held;
	struct termios saved;
	struct termios quiet;
	const char *prompt;
	struct sigaction action;
	struct sigaction old[SECBUF_TTY_NSIGS];
} secbuf_tty = { .fd = -1 };

/* Async-signal-safe only: the handler runs in the middle of read(2). */
static void secbuf_tty_signal(int sig)
{
	int e = errno;
	sigset_t stop;

	if (sig != SIGTSTP) {
		/* The process dies: what was typed must not reach the next reader (the shell). */
		tcflush(secbuf_tty.fd, TCIFLUSH);
		tcsetattr(secbuf_tty.fd, TCSADRAIN, &secbuf_tty.saved);
		signal(sig, SIG_DFL);
		raise(sig); /* delivered when the handler returns: the handled signals are blocked here */
		return;
	}
	/* Stop with the terminal given back, then take it again as readpassphrase(3) does. */
	tcsetattr(secbuf_tty.fd, TCSADRAIN, &secbuf_tty.saved);
	signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
	sigemptyset(&stop);
	sigaddset(&stop, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &stop, NULL); /* stops here until SIGCONT */
	sigprocmask(SIG_BLOCK, &stop, NULL);   /* another Ctrl-Z waits until the terminal is taken */
	sigaction(SIGTSTP, &secbuf_tty.action, NULL);
	/* TCSADRAIN, not TCSAFLUSH: what was typed before the stop is part of the answer. */
	tcsetattr(secbuf_tty.fd, TCSADRAIN, &secbuf_tty.quiet);
	if (write(secbuf_tty.fd, secbuf_tty.prompt, strlen(secbuf_tty.prompt)) < 0) {
		/* The prompt again is a courtesy after the shell's output; reading goes on. */
	}
	errno = e;
}

bool secbuf_has_tty(void)
{
	struct termios t;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	bool ok = fd >= 0 && tcgetattr(fd, &t) == 0;

	if (fd >= 0)
		close(fd);
	return ok;
}

/* Give the terminal back as it was (flush: drop what was typed) and the old handlers; signals wait meanwhile. */
static void secbuf_tty_give_back(bool flush)
{
	sigset_t mask;

	/* A signal now would take the terminal again after a stop: it waits for the old handlers. */
	sigprocmask(SIG_BLOCK, &secbuf_tty.action.sa_mask, &mask);
	if (flush)
		tcflush(secbuf_tty.fd, TCIFLUSH);
	tcsetattr(secbuf_tty.fd, TCSADRAIN, &secbuf_tty.saved);
	for (size_t i = 0; i < SECBUF_TTY_NSIGS; i++)
		sigaction(secbuf_tty_sigs[i], &secbuf_tty.old[i], NULL);
	close(secbuf_tty.fd);
	secbuf_tty.fd = -1;
	secbuf_tty.held = false;
	sigprocmask(SIG_SETMASK, &mask, NULL);
}

void secbuf_tty_release(void)
{
	/* TCSADRAIN, no flush: what was typed ahead is the shell's next command, or flushed by the next prompt. */
	if (secbuf_tty.held)
		secbuf_tty_give_back(false);
}

static struct secbuf *secbuf_tty_read(const char *prompt, size_t max, bool hold)
{
	struct secbuf *sb = NULL;
	int err = 0;

	/* Held by the read before: the terminal is still quiet, with the handlers in place. */
	if (!secbuf_tty.held) {
		int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

		if (fd < 0) {
			errno = ENXIO;
			return NULL;
		}
		if (tcgetattr(fd, &secbuf_tty.saved) != 0) {
			close(fd);
			errno = ENXIO;
			return NULL;
		}
		secbuf_tty.fd = fd;
		secbuf_tty.quiet = secbuf_tty.saved;
		secbuf_tty.quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		memset(&secbuf_tty.action, 0, sizeof(secbuf_tty.action));
		secbuf_tty.action.sa_handler = secbuf_tty_signal;
		/* One signal at a time: a Ctrl-C during the stop is handled after the terminal is taken again. */
		sigemptyset(&secbuf_tty.action.sa_mask);
		for (size_t i = 0; i < SECBUF_TTY_NSIGS; i++)
			sigaddset(&secbuf_tty.action.sa_mask, secbuf_tty_sigs[i]);
		for (size_t i = 0; i < SECBUF_TTY_NSIGS; i++)
			sigaction(secbuf_tty_sigs[i], &secbuf_tty.action, &secbuf_tty.old[i]);
	}
	secbuf_tty.held = false;
	secbuf_tty.prompt = prompt;
	/* Echo off before the prompt shows, so nothing typed after it is echoed. */
	if (tcsetattr(secbuf_tty.fd, TCSAFLUSH, &secbuf_tty.quiet) != 0 ||
	    write(secbuf_tty.fd, prompt, strlen(prompt)) < 0) {
		err = EIO;
		goto out;
	}
	sb = secbuf_new(max);
	if (!sb) {
		err = ENOMEM;
		goto out;
	}
	for (;;) {
		unsigned char c;
		ssize_t n = read(secbuf_tty.fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* Ctrl-D (or hang-up) before any input is a cancel. */
			err = n < 0 ? EIO : sb->len == 0 ? ECANCELED : 0;
			break;
		}
		if (c == '\n')
			break;
		if (sb->len == sb->cap) {
			err = EFBIG;
			break;
		}
		sb->data[sb->len++] = c;
	}
	sb->data[sb->len] = '\0';
	sodium_stackzero(64);
out:
	if (write(secbuf_tty.fd, "\n", 1) < 0) {
		/* The newline is cosmetic; the answer is already read. */
	}
	if (hold && !err) {
		static bool at_exit;

		/* Kept quiet: a Ctrl-Z now shows no prompt again when taken back. */
		secbuf_tty.prompt = "";
		secbuf_tty.held = true;
		/* A path that forgets secbuf_tty_release still leaves the shell a terminal that echoes. */
		if (!at_exit)
			at_exit = atexit(secbuf_tty_release) == 0;
	} else {
		/* The rest of a refused line must not reach the next reader (the shell). */
		secbuf_tty_give_back(err != 0);
	}
	if (err) {
		secbuf_free(sb);
		errno = err;
		return NULL;
	}
	if (sb && sb->len > 0 && sb->data[sb->len - 1] == '\r')
		sb->data[--sb->len] = '\0';
	return sb;
}

struct secbuf *secbuf_read_tty(const char *prompt, size_t max)
{
	return secbuf_tty_read(prompt, max, false);
}

struct secbuf *secbuf_read_tty_held(const char *prompt, size_t max)
{
	return secbuf_tty_read(prompt, max, true);
}

bool secbuf_equal(const struct secbuf *a, const struct secbuf *b)
{
	return a->len == b->len && sodium_memcmp(a->data, b->data, a->len) == 0;
}
