/* Atomic replacement and bounded reads. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "fileio.h"
#include "tmpdir.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = tmpdir_make("azrc-fileio");
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	tmpdir_remove(dir);
	free(dir);
	return 0;
}

static int entries(void)
{
	int n = 0;
	DIR *d = opendir(dir);

	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.' || strncmp(e->d_name, ".f.tmp.", 7) == 0;
	closedir(d);
	return n;
}

static void slurp_is(const char *path, const char *want)
{
	char *buf;
	size_t len;

	assert_int_equal(fileio_read_path(path, 1 << 20, &buf, &len), 0);
	assert_int_equal(len, strlen(want));
	assert_string_equal(buf, want);
	free(buf);
}

static void test_write_mode_and_replace(void **state)
{
	char path[128];
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/f", dir);
	umask(0); /* the mode must not depend on the umask */
	assert_int_equal(fileio_write_atomic(path, "one", 3, NULL, NULL), 0);
	umask(077);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	slurp_is(path, "one");
	ino_t first = st.st_ino;
	assert_int_equal(fileio_write_atomic(path, "second", 6, NULL, NULL), 0);
	slurp_is(path, "second");
	assert_int_equal(stat(path, &st), 0);
	assert_int_not_equal(st.st_ino, first); /* replaced by rename, not rewritten */
	assert_int_equal(entries(), 1);           /* no temp file left */
}

static int refuse(const void *data, size_t len, void *user)
{
	*(size_t *)user = len;
	return memcmp(data, "good", 4) == 0 ? 0 : -1;
}

static void test_verify(void **state)
{
	char path[128];
	size_t seen = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(fileio_write_atomic(path, "good data", 9, refuse, &seen), 0);
	assert_int_equal(seen, 9);
	errno = 0;
	assert_int_equal(fileio_write_atomic(path, "bad data", 8, refuse, &seen), -1);
	assert_int_equal(errno, EBADMSG);
	slurp_is(path, "good data"); /* old content intact */
	assert_int_equal(entries(), 1);
}

/* A new file only: the mode asked for, never over a file, never through a link. */
static void test_write_new(void **state)
{
	char path[128], link[128], target[128];
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/new", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(target, sizeof(target), "%s/target", dir);
	umask(0);
	assert_int_equal(fileio_write_new(path, "key", 3, 0600), 0);
	umask(077);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	slurp_is(path, "key");
	errno = 0;
	assert_int_equal(fileio_write_new(path, "other", 5, 0600), -1);
	assert_int_equal(errno, EEXIST);
	slurp_is(path, "key"); /* untouched */
	assert_int_equal(symlink(target, link), 0);
	errno = 0;
	assert_int_equal(fileio_write_new(link, "x", 1, 0600), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(lstat(target, &st), -1); /* the link's target is not made */
	snprintf(path, sizeof(path), "%s/missing/new", dir);
	errno = 0;
	assert_int_equal(fileio_write_new(path, "x", 1, 0600), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(unlink(link), 0);
	snprintf(path, sizeof(path), "%s/new", dir);
	assert_int_equal(unlink(path), 0);
}

/* Killed at any moment of a write, it leaves the whole file or nothing: no half file, no temp. */
static void test_write_new_killed(void **state)
{
	enum { SIZE = 8 << 20 };
	char sub[128], path[160];
	char *big = malloc(SIZE);
	int whole = 0, none = 0;

	(void)state;
	assert_non_null(big);
	memset(big, 'k', SIZE);
	snprintf(sub, sizeof(sub), "%s/killed", dir);
	snprintf(path, sizeof(path), "%s/secret", sub);
	for (int i = 0; i < 24; i++) {
		int ready[2];
		char c;

		assert_int_equal(mkdir(sub, 0700), 0);
		assert_int_equal(pipe(ready), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(ready[0]);
			if (write(ready[1], "g", 1) != 1)
				_exit(1);
			_exit(fileio_write_new(path, big, SIZE, 0600) == 0 ? 0 : 1);
		}
		close(ready[1]);
		assert_int_equal(read(ready[0], &c, 1), 1);
		close(ready[0]);
		usleep((useconds_t)(i % 8) * 1000 * (i / 8 + 1));
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, NULL, 0), pid);

		DIR *d = opendir(sub);
		int n = 0;
		assert_non_null(d);
		for (struct dirent *e; (e = readdir(d)) != NULL;) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			struct stat st;
			assert_string_equal(e->d_name, "secret");
			assert_int_equal(stat(path, &st), 0);
			assert_int_equal(st.st_size, SIZE);
			n++;
		}
		closedir(d);
		whole += n;
		none += !n;
		unlink(path);
		assert_int_equal(rmdir(sub), 0);
	}
	free(big);
	/* Both outcomes seen, else the kills missed the write and proved nothing. */
	assert_true(none > 0);
	print_message("# killed writes: %d left nothing, %d left the whole file\n", none, whole);
}

static void test_errors(void **state)
{
	char path[160];

	(void)state;
	assert_int_equal(fileio_write_atomic("/nonexistent-azrc/dir/f", "x", 1, NULL, NULL), -1);
	assert_int_equal(errno, ENOENT);

	/* A symlink is never followed on read. */
	snprintf(path, sizeof(path), "%s/link", dir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	char *buf;
	size_t len;
	assert_int_equal(fileio_read_path(path, 100, &buf, &len), -1);
	assert_int_equal(errno, ELOOP);
	unlink(path);

	/* Bounded reads. */
	snprintf(path, sizeof(path), "%s/big", dir);
	char big[10000];
	memset(big, 'a', sizeof(big));
	assert_int_equal(fileio_write_atomic(path, big, sizeof(big), NULL, NULL), 0);
	assert_int_equal(fileio_read_path(path, sizeof(big) - 1, &buf, &len), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(fileio_read_path(path, sizeof(big), &buf, &len), 0);
	assert_int_equal(len, sizeof(big));
	free(buf);
	unlink(path);
}

static void test_clean_temps(void **state)
{
	char path[128], tmp[160];
	int fd0;

	(void)state;
	snprintf(path, sizeof(path), "%s/f", dir);
	for (int i = 0; i < 3; i++) {
		snprintf(tmp, sizeof(tmp), "%s/.f.tmp.crash%d", dir, i);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
		assert_true(fd >= 0);
		close(fd);
	}
	/* Without the writers' lock only old ones go: two are fresh (maybe a write under way). */
	struct timespec old[2] = { { time(NULL) - 120, 0 }, { time(NULL) - 120, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, tmp, old, 0), 0);
	assert_int_equal(fileio_clean_temps(path, 60), 1);
	assert_int_equal(access(tmp, F_OK), -1);
	fd0 = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd0 >= 0);
	close(fd0);
	snprintf(tmp, sizeof(tmp), "%s/.other.tmp.keep", dir);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fileio_clean_temps(path, 0), 3);
	assert_int_equal(access(tmp, F_OK), 0); /* another file's temps are left alone */
	unlink(tmp);
	slurp_is(path, "good data");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_mode_and_replace),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_write_new),
		cmocka_unit_test(test_write_new_killed),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_clean_temps),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("fileio", tests, setup, teardown);
}
