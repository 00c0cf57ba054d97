/*
 * Process crashes and concurrency (store-design.md §6.6, §6.9):
 * 1,000 kill -9 of a writer at a random 1-9 ms (after it opened the store) and
 * 200 during rekey (1-19 ms): the
 * store always opens, no acknowledged write is lost, at most one temp file is
 * left; 8 processes x 250 locked read-modify-write updates with 4 readers
 * opening the store meanwhile: no lost update, no reader ever sees a broken
 * file, the lock file keeps its inode. The light KDF keeps the loops short.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "store_testutil.h"

static const char *const passes[2] = { "crash-pass-a", "crash-pass-b" };


static enum store_status open_with(const char *path, const char *pass, struct store **s, struct store_error *err)
{
	return tu_open(path, tu_params_light(), pass, s, err);
}

/* The counter secret as a number (-1 when absent). */
static long get_counter(struct store *s)
{
	struct store_error err;
	struct secbuf *v = NULL;
	long n;

	if (store_get(s, "counter", &v, &err) != STORE_OK)
		return -1;
	n = strtol((const char *)v->data, NULL, 10);
	secbuf_free(v);
	return n;
}

/* begin, read the counter, write counter + 1, commit: one locked update. */
static enum store_status increment(struct store *s, struct store_error *err)
{
	enum store_status st = store_begin(s, err);
	char buf[32];

	if (st != STORE_OK)
		return st;
	snprintf(buf, sizeof(buf), "%ld", get_counter(s) + 1);
	struct secbuf *v = tu_sb(buf);
	st = store_put(s, "counter", STORE_KIND_TOKEN, v, err);
	secbuf_free(v);
	if (st != STORE_OK) {
		store_abort(s);
		return st;
	}
	return store_commit(s, err);
}

static void make_counter_store(const char *path, const char *pass)
{
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(pass), *v = tu_sb("0");

	assert_int_equal(store_create_params(path, tu_params_light(), STORE_METHOD_PASSPHRASE, key, &s, &err),
	                 STORE_OK);
	assert_int_equal(store_put(s, "counter", STORE_KIND_TOKEN, v, &err), STORE_OK);
	store_close(s);
	secbuf_free(key);
	secbuf_free(v);
}

static void sleep_ms(double ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms * 1e6) % 1000000000L };

	nanosleep(&ts, NULL);
}

/* Wait until the child has opened the store (it writes -1 first): the kill then
 * falls among its writes, whatever the open cost on a busy machine. */
static void wait_ready(int fd)
{
	int64_t v = 0;

	assert_int_equal(read(fd, &v, sizeof(v)), sizeof(v));
	assert_int_equal(v, -1);
}

/* Read the acknowledgements a killed child wrote: the last one, or -1. */
static int64_t last_ack(int fd)
{
	int64_t v, last = -1;

	while (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		last = v;
	return last;
}

/* The writer: increments forever, acknowledging each committed generation. */
static void writer_child(const char *path, int ack)
{
	struct store_error err;
	struct store *s;

	int64_t ready = -1;

	if (open_with(path, passes[0], &s, &err) != STORE_OK || write(ack, &ready, sizeof(ready)) != sizeof(ready))
		_exit(3);
	for (;;) {
		if (increment(s, &err) != STORE_OK)
			_exit(4);
		int64_t gen = (int64_t)store_generation(s);
		if (write(ack, &gen, sizeof(gen)) != (ssize_t)sizeof(gen))
			_exit(5);
	}
}

/*
 * Start child(path, ack) in a new process, wait until it is ready, let it work
 * for 1 to max_ms ms, kill -9 it; the last generation it acknowledged, or -1.
 */
static int64_t run_and_kill(const char *path, void (*child)(const char *path, int ack), uint32_t max_ms)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		child(path, fds[1]);
	}
	close(fds[1]);
	wait_ready(fds[0]);
	sleep_ms(1 + randombytes_uniform(max_ms));
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	int64_t last = last_ack(fds[0]);
	close(fds[0]);
	return last;
}

static void test_kill_writes(void **state)
{
	struct tu_fixture *fx = *state;
	int64_t acked = 0;
	long writes = 0, max_temps = 0;

	make_counter_store(fx->path, passes[0]);
	/*
	 * 1000 kills, then more (with longer runs) until 300 writes were
	 * acknowledged: a loaded machine acknowledges fewer per kill, and the
	 * test must not depend on its speed.
	 */
	int cycle;
	for (cycle = 0; cycle < 1000 || (writes < 300 && cycle < 5000); cycle++) {
		struct store_error err;
		struct store *s;
		int64_t last = run_and_kill(fx->path, writer_child, cycle < 1000 ? 9 : 50);

		if (last > acked)
			acked = last;
		int temps = tu_count_temps(fx->dir);
		if (temps > max_temps)
			max_temps = temps;
		assert_true(temps <= 1);
		/* The store opens; nothing acknowledged is lost; the counter matches the generation. */
		if (open_with(fx->path, passes[0], &s, &err) != STORE_OK)
			fail_msg("cycle %d: the store does not open: %s", cycle, err.message);
		assert_true((int64_t)store_generation(s) >= acked);
		assert_int_equal(get_counter(s) + 1, (long)store_generation(s));
		writes = (long)store_generation(s) - 1;
		store_close(s);
	}
	print_message("# %d kill -9 during writes: %ld acknowledged writes, 0 lost, 0 torn, "
	              "at most %ld temp file left\n", cycle, writes, max_temps);
	assert_true(writes >= 300);
}

/* The rekeyer: flips between the two passphrases, acknowledging each generation
 * written. Generation g opens with passes[(g - 1) % 2]. */
static void rekey_child(const char *path, int ack)
{
	struct store_error err;
	struct store *s;
	int cur = 0;
	int64_t ready = -1;

	if (open_with(path, passes[0], &s, &err) != STORE_OK) {
		cur = 1;
		if (open_with(path, passes[1], &s, &err) != STORE_OK)
			_exit(3);
	}
	if (write(ack, &ready, sizeof(ready)) != sizeof(ready))
		_exit(3);
	for (;;) {
		struct secbuf *key = tu_sb(passes[1 - cur]);
		if (store_rekey(s, STORE_METHOD_PASSPHRASE, key, &err) != STORE_OK)
			_exit(4);
		secbuf_free(key);
		cur = 1 - cur;
		int64_t gen = (int64_t)store_generation(s);
		if (write(ack, &gen, sizeof(gen)) != (ssize_t)sizeof(gen))
			_exit(5);
	}
}

static void test_kill_rekeys(void **state)
{
	struct tu_fixture *fx = *state;
	int64_t acked = 1;
	int with[2] = { 0, 0 };

	make_counter_store(fx->path, passes[0]);
	/* 200 kills, then more with longer runs until 10 rekeys were acknowledged (a slow machine). */
	int cycle;
	for (cycle = 0; cycle < 200 || (acked <= 10 && cycle < 1000); cycle++) {
		struct store_error err;
		struct store *s;
		/* a rekey costs more than a write */
		int64_t last = run_and_kill(fx->path, rekey_child, cycle < 200 ? 19 : 100);

		if (last > acked)
			acked = last;
		/* Exactly one passphrase opens it, the other is a wrong key; it is the
		 * one of the file's generation, which is at least the acknowledged one. */
		enum store_status st[2];
		uint64_t gen = 0;
		for (int p = 0; p < 2; p++) {
			st[p] = open_with(fx->path, passes[p], &s, &err);
			if (st[p] == STORE_OK) {
				gen = store_generation(s);
				assert_int_equal(get_counter(s), 0);
				store_close(s);
			}
		}
		assert_true((st[0] == STORE_OK && st[1] == STORE_WRONG_KEY) ||
		            (st[1] == STORE_OK && st[0] == STORE_WRONG_KEY));
		int opened = st[0] == STORE_OK ? 0 : 1;
		assert_int_equal((gen - 1) % 2, opened);
		assert_true((int64_t)gen >= acked);
		with[opened]++;
		assert_true(tu_count_temps(fx->dir) <= 1);
	}
	print_message("# %d kill -9 during rekey: %lld acknowledged rekeys, 0 lost; the store opened with "
	              "exactly one of the two passphrases every time (A %d, B %d)\n", cycle,
	              (long long)acked - 1, with[0], with[1]);
	assert_true(acked > 10);
}

/*
 * 8 writers x 250 updates; 4 readers opening the store meanwhile. The writers
 * wait for the lock as long as it takes: on a loaded machine one can wait past
 * the 5 s after which the program says "busy", which loses nothing.
 */
static void test_concurrency(void **state)
{
	struct store_params patient = *tu_params_light();
	struct tu_fixture *fx = *state;
	enum { WRITERS = 8, UPDATES = 250, READERS = 4 };
	char *lock = tu_path(fx->dir, "secrets.store.lock");
	char *done = tu_path(fx->dir, "writers-done");
	struct stat before, after;
	pid_t writers[WRITERS], readers[READERS];
	int rfd[2];
	struct store_error err;
	struct store *s;

	patient.lock_timeout_ms = 600 * 1000;
	make_counter_store(fx->path, passes[0]);
	assert_int_equal(stat(lock, &before), 0);
	assert_int_equal(pipe(rfd), 0);
	for (int r = 0; r < READERS; r++) {
		if ((readers[r] = fork()) == 0) {
			int64_t rec[2] = { 0, 0 }; /* opens, failed opens */

			close(rfd[0]);
			/* Open again and again until the writers are done. */
			while (access(done, F_OK) != 0) {
				if (open_with(fx->path, passes[0], &s, &err) == STORE_OK) {
					store_close(s);
				} else {
					if (rec[1]++ == 0)
						fprintf(stderr, "reader: %s\n", err.message);
				}
				rec[0]++;
			}
			_exit(write(rfd[1], rec, sizeof(rec)) == (ssize_t)sizeof(rec) ? 0 : 2);
		}
	}
	close(rfd[1]);
	for (int w = 0; w < WRITERS; w++) {
		if ((writers[w] = fork()) == 0) {
			if (tu_open(fx->path, &patient, passes[0], &s, &err) != STORE_OK)
				_exit(3);
			for (int i = 0; i < UPDATES; i++) {
				if (increment(s, &err) != STORE_OK) {
					fprintf(stderr, "writer: %s\n", err.message);
					_exit(4);
				}
			}
			store_close(s);
			_exit(0);
		}
	}
	int failed = 0;
	for (int w = 0; w < WRITERS; w++) {
		int status;
		assert_int_equal(waitpid(writers[w], &status, 0), writers[w]);
		failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(tu_write_file(done, "", 0, 0600), 0);
	for (int r = 0; r < READERS; r++)
		waitpid(readers[r], NULL, 0);
	int64_t rec[2], total_opens = 0, bad = 0;
	while (read(rfd[0], rec, sizeof(rec)) == (ssize_t)sizeof(rec)) {
		total_opens += rec[0];
		bad += rec[1];
	}
	close(rfd[0]);
	assert_int_equal(failed, 0);
	assert_int_equal(open_with(fx->path, passes[0], &s, &err), STORE_OK);
	long counter = get_counter(s);
	uint64_t gen = store_generation(s);
	store_close(s);
	assert_int_equal(stat(lock, &after), 0);
	print_message("# %d writers x %d updates: counter %ld/%d, generation %llu; %lld reader opens "
	              "during the writes, %lld failed; lock inode %s\n", WRITERS, UPDATES, counter,
	              WRITERS * UPDATES, (unsigned long long)gen, (long long)total_opens, (long long)bad,
	              before.st_ino == after.st_ino ? "unchanged" : "CHANGED");
	assert_int_equal(counter, WRITERS * UPDATES);
	assert_int_equal(gen, 1 + WRITERS * UPDATES);
	assert_int_equal(bad, 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_true(total_opens > 0);
	free(lock);
	free(done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kill_writes, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_kill_rekeys, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_concurrency, tu_setup, tu_teardown),
	};

	if (sodium_init() < 0)
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("store_crash", tests, NULL, NULL);
}
