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

/* Lengths at the top of size_t: refused, never a NUL in a guard page nor an empty value read. */
static void test_size_limits(void **state)
{
	(void)state;
	errno = 0;
	assert_null(secbuf_new(SIZE_MAX));
	assert_int_equal(errno, ENOMEM);
	assert_null(secbuf_dup("x", SIZE_MAX));
	errno = 0;
	assert_null(from_pipe("tok3n", SIZE_MAX, false)); /* max + 1 wraps: nothing would be read */
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(from_pipe("tok3n", SIZE_MAX - 1, false));
	assert_int_equal(errno, ENOMEM);
	struct secbuf *sb = secbuf_new(0);
	assert_non_null(sb);
	assert_int_equal(sb->data[0], '\0');
	secbuf_free(sb);
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

/* A library's memory freed wiped: realloc keeps what fits, in a new block (the old one wiped). */
static void test_wipe_alloc(void **state)
{
	char *p = secbuf_wipe_realloc(NULL, 6), *q;

	(void)state;
	assert_non_null(p);
	memcpy(p, "token", 6);
	q = secbuf_wipe_realloc(p, 64);
	assert_non_null(q);
	assert_string_equal(q, "token");
	p = secbuf_wipe_realloc(q, 3);
	assert_non_null(p);
	assert_memory_equal(p, "tok", 3);
	secbuf_wipe_free(p);
	secbuf_wipe_free(NULL);
}

/* Room to lock: a page there is (root has no bound); a terabyte there is not. */
static void test_lock_room(void **state)
{
	(void)state;
	if (geteuid() == 0)
		assert_true(secbuf_lock_room(4096));
	assert_false(secbuf_lock_room((size_t)1 << 40));
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

/* The test's side of a pty: what it showed so far, and how much of that the checks have passed. */
struct term {
	int master;
	char screen[4096];
	size_t used, seen;
};

/* Read on until want shows after what was seen (false on the child's end or 5 s of silence). */
static bool term_expect(struct term *t, const char *want)
{
	struct pollfd pfd = { .fd = t->master, .events = POLLIN };
	char *hit;

	t->screen[t->used] = '\0';
	while (!(hit = strstr(t->screen + t->seen, want))) {
		if (t->used + 1 >= sizeof(t->screen) || poll(&pfd, 1, 5000) <= 0)
			return false;
		ssize_t n = read(t->master, t->screen + t->used, sizeof(t->screen) - 1 - t->used);
		if (n <= 0)
			return false;
		t->used += (size_t)n;
		t->screen[t->used] = '\0';
	}
	t->seen = (size_t)(hit - t->screen) + strlen(want);
	return true;
}

static void term_type(const struct term *t, const char *text)
{
	assert_int_equal(write(t->master, text, strlen(text)), (ssize_t)strlen(text));
}

/* The child's end: what secbuf_read_tty gave, the length only (the value never goes to the screen). */
static _Noreturn void tty_report(struct secbuf *sb)
{
	if (!sb) {
		dprintf(STDOUT_FILENO, "[job: errno %d]\n", errno);
		_exit(errno == ECANCELED ? 3 : 2);
	}
	dprintf(STDOUT_FILENO, "got %zu bytes, %s\n", sb->len, strcmp((char *)sb->data, "hunter2") == 0 ? "match" : "differ");
	secbuf_free(sb);
	_exit(0);
}

static int tty_child(const char *answer, char *screen, size_t cap)
{
	struct term t = { 0 };
	pid_t pid = forkpty(&t.master, NULL, NULL, NULL);

	assert_true(pid >= 0);
	if (pid == 0)
		tty_report(secbuf_read_tty("Token: ", 64));
	assert_true(term_expect(&t, "Token: "));
	term_type(&t, answer);
	drain(t.master, screen, cap);
	close(t.master);
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
	struct term t = { 0 };

	(void)state;
	pid_t pid = forkpty(&t.master, NULL, NULL, NULL);
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Interrupted: the terminal must have echo back on when the process is gone. */
		struct secbuf *sb = secbuf_read_tty("Token: ", 64);
		secbuf_free(sb);
		_exit(0);
	}
	assert_true(term_expect(&t, "Token: "));
	term_type(&t, "\003"); /* Ctrl-C */
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGINT);
	struct termios tio;
	assert_int_equal(tcgetattr(t.master, &tio), 0);
	assert_true(tio.c_lflag & ECHO);
	close(t.master);
}

/*
 * A shell on a new pty running secbuf_read_tty("Token: ", max) as a job: in
 * its own process group, in the foreground (the session leader's own group is
 * orphaned and would not stop on SIGTSTP). When the job stops, the shell says
 * whether echo is on and continues it, as fg does; when it is done, the shell
 * takes the terminal back, says "[shell]", and then what it reads next.
 */
static pid_t shell_start(size_t max, struct term *t)
{
	pid_t pid = forkpty(&t->master, NULL, NULL, NULL);
	int status;
	char line[64];

	assert_true(pid >= 0);
	if (pid > 0)
		return pid;
	signal(SIGTTOU, SIG_IGN); /* to take the terminal from the background, as shells do */
	pid_t job = fork();
	if (job == 0) {
		setpgid(0, 0);
		tcsetpgrp(STDIN_FILENO, getpid());
		signal(SIGTTOU, SIG_DFL);
		tty_report(secbuf_read_tty("Token: ", max));
	}
	while (waitpid(job, &status, WUNTRACED) == job && WIFSTOPPED(status)) {
		struct termios tio;

		tcgetattr(STDIN_FILENO, &tio);
		dprintf(STDOUT_FILENO, "[stopped, echo %s]\n", tio.c_lflag & ECHO ? "on" : "off");
		kill(job, SIGCONT);
	}
	tcsetpgrp(STDIN_FILENO, getpgrp());
	dprintf(STDOUT_FILENO, "[shell]\n");
	ssize_t n = read(STDIN_FILENO, line, sizeof(line) - 1);
	line[n > 0 ? n : 0] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	dprintf(STDOUT_FILENO, "[shell read: %s]\n", line);
	_exit(0);
}

/* The shell reads the next line typed, and nothing the job left behind. */
static void shell_finish(struct term *t, pid_t pid)
{
	int status;

	assert_true(term_expect(t, "[shell]"));
	term_type(t, "next\n");
	assert_true(term_expect(t, "[shell read: next]"));
	close(t->master);
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

/* The job's process group, to signal it as the terminal's keys do. */
static void shell_signal_job(const struct term *t, int sig)
{
	pid_t job = tcgetpgrp(t->master);

	assert_true(job > 0);
	assert_int_equal(kill(-job, sig), 0);
}

static void test_tty_stop_continue(void **state)
{
	struct term t = { 0 };

	(void)state;
	pid_t pid = shell_start(64, &t);
	assert_true(term_expect(&t, "Token: "));
	term_type(&t, "hun");
	/* kill -TSTP, not the Ctrl-Z key: the key also discards the line typed so far. */
	shell_signal_job(&t, SIGTSTP);
	assert_true(term_expect(&t, "Token: ")); /* after fg: echo off again, then the prompt */
	/*
	 * From here nothing typed may show. (While the job is stopped the shell has the terminal,
	 * echo on: "hun", when the kernel takes it in only then, may show there, rightly.)
	 */
	size_t resumed = t.seen;
	term_type(&t, "ter2\n");
	assert_true(term_expect(&t, "got 7 bytes, match"));
	shell_finish(&t, pid);
	assert_null(strstr(t.screen + resumed, "ter2"));
	assert_null(strstr(t.screen + resumed, "hun"));
	/* Not "the job stopped": under valgrind it does not (SIGTSTP is ignored there), only the handler runs. */
	assert_null(strstr(t.screen, "[stopped, echo off]"));
}

static void test_tty_error_flushes(void **state)
{
	struct term t = { 0 };
	char efbig[32];

	(void)state;
	/* Too long: the tail of the line is not left for the shell. */
	pid_t pid = shell_start(8, &t);
	assert_true(term_expect(&t, "Token: "));
	term_type(&t, "0123456789ABCDEF\n");
	snprintf(efbig, sizeof(efbig), "[job: errno %d]", EFBIG);
	assert_true(term_expect(&t, efbig));
	shell_finish(&t, pid);

	/* Killed mid-line: what was typed is not left for the shell either. */
	memset(&t, 0, sizeof(t));
	pid = shell_start(64, &t);
	assert_true(term_expect(&t, "Token: "));
	term_type(&t, "hun");
	shell_signal_job(&t, SIGTERM);
	shell_finish(&t, pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_fd),
		cmocka_unit_test(test_size_limits),
		cmocka_unit_test(test_dup_equal),
		cmocka_unit_test(test_wipe_alloc),
		cmocka_unit_test(test_lock_room),
		cmocka_unit_test(test_no_tty),
		cmocka_unit_test(test_tty_echo_off),
		cmocka_unit_test(test_tty_signal_restores),
		cmocka_unit_test(test_tty_stop_continue),
		cmocka_unit_test(test_tty_error_flushes),
	};

	if (sodium_init() < 0)
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("secbuf", tests, NULL, NULL);
}
