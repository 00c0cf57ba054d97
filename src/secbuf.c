#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "secbuf.h"

struct secbuf *secbuf_new(size_t cap)
{
	struct secbuf *sb = sodium_malloc(sizeof(*sb));

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
	struct secbuf *sb = secbuf_new(max + 1);

	if (!sb)
		return NULL;
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

/* The terminal state to restore if a signal arrives while echo is off. */
static struct {
	int fd;
	struct termios saved;
} secbuf_tty = { -1, { 0 } };

static void secbuf_tty_signal(int sig)
{
	if (secbuf_tty.fd >= 0)
		tcsetattr(secbuf_tty.fd, TCSADRAIN, &secbuf_tty.saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

struct secbuf *secbuf_read_tty(const char *prompt, size_t max)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
	struct sigaction sa, old[sizeof(sigs) / sizeof(sigs[0])];
	struct termios quiet;
	struct secbuf *sb = NULL;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int err = 0;

	if (fd < 0) {
		errno = ENXIO;
		return NULL;
	}
	if (tcgetattr(fd, &secbuf_tty.saved) != 0) {
		close(fd);
		errno = ENXIO;
		return NULL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = secbuf_tty_signal;
	sigemptyset(&sa.sa_mask);
	secbuf_tty.fd = fd;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, &old[i]);
	quiet = secbuf_tty.saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	/* Echo off before the prompt shows, so nothing typed after it is echoed. */
	if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0 || write(fd, prompt, strlen(prompt)) < 0) {
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
		ssize_t n = read(fd, &c, 1);
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
	tcsetattr(fd, TCSADRAIN, &secbuf_tty.saved);
	if (write(fd, "\n", 1) < 0) {
		/* The newline is cosmetic; the answer is already read. */
	}
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &old[i], NULL);
	secbuf_tty.fd = -1;
	close(fd);
	if (err) {
		secbuf_free(sb);
		errno = err;
		return NULL;
	}
	if (sb && sb->len > 0 && sb->data[sb->len - 1] == '\r')
		sb->data[--sb->len] = '\0';
	return sb;
}

bool secbuf_equal(const struct secbuf *a, const struct secbuf *b)
{
	return a->len == b->len && sodium_memcmp(a->data, b->data, a->len) == 0;
}
