/* Secret buffers: bounded reads from files and fds, and the echo-off terminal prompt. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "secbuf.h"

static struct secbuf *from_pipe(const char *text, size_t max, bool trim)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
	close(p[1]);
	struct secbuf *sb = secbuf_read_fd(p[0], max, trim);
	int e = errno;
	close(p[0]);
	errno = e;
	return sb;
}

static void test_read_fd(void **state)
{
	(void)state;
	struct secbuf *sb = from_pipe("tok3n\r\n", 64, true);
	assert_non_null(sb);
	assert_int_equal(sb->len, 5);
	assert_string_equal((char *)sb->data, "tok3n");
	secbuf_free(sb);

	sb = from_pipe("line1\nline2\n\n", 64, true); /* only one newline is trimmed */
	assert_non_null(sb);
	assert_string_equal((char *)sb->data, "line1\nline2\n");
	secbuf_free(sb);

	sb = from_pipe("keep\n", 64, false);
	assert_string_equal((char *)sb->data, "keep\n");
	secbuf_free(sb);

	sb = from_pipe("12345678", 8, false); /* exactly max */
	assert_non_null(sb);
	assert_int_equal(sb->len, 8);
	secbuf_free(sb);

	errno = 0;
	assert_null(from_pipe("123456789", 8, false));
	assert_int_equal(errno, EFBIG);
}

static void test_dup_equal(void **state)
{
	(void)state;
	struct secbuf *a = secbuf_dup("a\0b", 3), *b = secbuf_dup("a\0b", 3), *c = secbuf_dup("a\0c", 3);
	assert_true(secbuf_equal(a, b));
	assert_false(secbuf_equal(a, c));
	struct secbuf *d = secbuf_dup("a", 1);
	assert_false(secbuf_equal(a, d));
	secbuf_free(a);
	secbuf_free(b);
	secbuf_free(c);
	secbuf_free(d);
	secbuf_free(NULL);
}

static void test_no_tty(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* A new session has no controlling terminal: /dev/tty cannot open. */
		setsid();
		struct secbuf *sb = secbuf_read_tty("Token: ", 64);
		_exit(sb == NULL && errno == ENXIO ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Everything the terminal shows, until the child exits. */
static size_t drain(int master, char *out, size_t cap)
{
	size_t used = 0;
	struct pollfd pfd = { .fd = master, .events = POLLIN };

	while (used < cap - 1 && poll(&pfd, 1, 5000) > 0) {
		ssize_t n = read(master, out + used, cap - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	out[used] = '\0';
	return used;
}

static int tty_child(const char *answer, char *screen, size_t cap)
{
	int master;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);

	assert_true(pid >= 0);
	if (pid == 0) {
		struct secbuf *sb = secbuf_read_tty("Token: ", 64);
		if (!sb)
			_exit(errno == ECANCELED ? 3 : 2);
		/* Report the length only: the value itself never goes to the screen. */
		dprintf(STDOUT_FILENO, "got %zu bytes, %s\n", sb->len, strcmp((char *)sb->data, "hunter2") == 0 ? "match" : "differ");
		secbuf_free(sb);
		_exit(0);
	}
	/* Wait for the prompt, then type. */
	char buf[256];
	struct pollfd pfd = { .fd = master, .events = POLLIN };
	assert_true(poll(&pfd, 1, 5000) > 0);
	ssize_t n = read(master, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "Token: "));
	assert_int_equal(write(master, answer, strlen(answer)), (ssize_t)strlen(answer));
	drain(master, screen, cap);
	close(master);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_tty_echo_off(void **state)
{
	char screen[1024];

	(void)state;
	assert_int_equal(tty_child("hunter2\n", screen, sizeof(screen)), 0);
	assert_non_null(strstr(screen, "got 7 bytes, match"));
	assert_null(strstr(screen, "hunter2")); /* never echoed */

	assert_int_equal(tty_child("\004", screen, sizeof(screen)), 3); /* Ctrl-D: cancelled */
}

static void test_tty_signal_restores(void **state)
{
	int master;

	(void)state;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Interrupted: the terminal must have echo back on when the process is gone. */
		struct secbuf *sb = secbuf_read_tty("Token: ", 64);
		secbuf_free(sb);
		_exit(0);
	}
	char buf[256];
	struct pollfd pfd = { .fd = master, .events = POLLIN };
	assert_true(poll(&pfd, 1, 5000) > 0);
	assert_true(read(master, buf, sizeof(buf)) > 0);
	assert_int_equal(write(master, "\003", 1), 1); /* Ctrl-C */
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGINT);
	struct termios t;
	assert_int_equal(tcgetattr(master, &t), 0);
	assert_true(t.c_lflag & ECHO);
	close(master);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_fd),
		cmocka_unit_test(test_dup_equal),
		cmocka_unit_test(test_no_tty),
		cmocka_unit_test(test_tty_echo_off),
		cmocka_unit_test(test_tty_signal_restores),
	};

	if (sodium_init() < 0)
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("secbuf", tests, NULL, NULL);
}
