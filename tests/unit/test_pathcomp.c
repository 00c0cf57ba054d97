/* Tab completion of a typed path: what it adds, what it lists, what it never offers. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "pathcomp.h"
#include "tmpdir.h"

struct folder {
	char *top;
};

static void touch(const char *top, const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", top, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
}

static void make_dir(const char *top, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", top, name);
	assert_int_equal(mkdir(path, 0700), 0);
}

/* A folder as ~/.ssh may be: keys, a hidden file, a folder, names with a space, non-ASCII, junk. */
static int setup(void **state)
{
	static const char *const files[] = {
		"id_rsa", "id_rsa.pub", "id_ed25519", ".hidden", "ca cert.pem", "\xc3\xbcn\xc3\xaf.pem",
		"bad\x01name", "bad\xffname", "bad\xc2\x9bname", "sub/\xc3\xa9" "1", "sub/\xc3\xa8" "2", "one/only.pem",
	};
	struct folder *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_non_null(f->top = tmpdir_make("test_pathcomp"));
	make_dir(f->top, "sub");
	make_dir(f->top, "one");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		touch(f->top, files[i]);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct folder *f = *state;

	tmpdir_remove(f->top);
	free(f->top);
	free(f);
	return 0;
}

/* typed (after the folder's path) completes to want (after it too), n matching, listed as list. */
static void complete_in(const struct folder *f, const char *typed, const char *want, int n, const char *list)
{
	char in[PATH_MAX], out[PATH_MAX], expect[PATH_MAX], names[256];

	snprintf(in, sizeof(in), "%s/%s", f->top, typed);
	snprintf(expect, sizeof(expect), "%s/%s", f->top, want);
	int got = pathcomp_complete(in, out, sizeof(out), names, sizeof(names));
	if (got != n || strcmp(out, expect) != 0 || (list && strcmp(names, list) != 0))
		fail_msg("'%s': %d '%s' [%s], not %d '%s' [%s]", typed, got, out, names, n, expect, list ? list : "");
}

static void test_extends(void **state)
{
	const struct folder *f = *state;

	complete_in(f, "id_r", "id_rsa", 2, "id_rsa  id_rsa.pub");
	complete_in(f, "id_rsa.", "id_rsa.pub", 1, "id_rsa.pub");
	complete_in(f, "id_e", "id_ed25519", 1, NULL);
	complete_in(f, "ca", "ca cert.pem", 1, NULL);
	complete_in(f, "\xc3\xbc", "\xc3\xbcn\xc3\xaf.pem", 1, NULL);
}

/* Several with nothing more in common: the text stays, and they are listed, sorted. */
static void test_lists(void **state)
{
	const struct folder *f = *state;

	complete_in(f, "id_", "id_", 3, "id_ed25519  id_rsa  id_rsa.pub");
	/* Hidden entries too (~/.ssh is one); names that cannot be typed back (controls, not UTF-8) never. */
	complete_in(f, "", "", 8, ".hidden  ca cert.pem  id_ed25519  id_rsa  id_rsa.pub  one  sub  \xc3\xbcn\xc3\xaf.pem");
	complete_in(f, "b", "b", 0, "");
	complete_in(f, ".", ".hidden", 1, ".hidden");
	/* é and è share their first byte: never half a character added. */
	complete_in(f, "sub/", "sub/", 2, "\xc3\xa8" "2  \xc3\xa9" "1");
}

/* A lone folder gets its '/', so that Tab again goes on inside it. */
static void test_folder(void **state)
{
	const struct folder *f = *state;

	complete_in(f, "su", "sub/", 1, "sub");
	complete_in(f, "one", "one/", 1, NULL);
	complete_in(f, "one/", "one/only.pem", 1, NULL);
}

static void test_no_match(void **state)
{
	const struct folder *f = *state;
	char in[PATH_MAX], out[PATH_MAX];

	complete_in(f, "zz", "zz", 0, "");
	complete_in(f, "id_rsa.pub.", "id_rsa.pub.", 0, "");
	/* A folder that is not there: -1 and why, the text as typed. */
	snprintf(in, sizeof(in), "%s/nope/id", f->top);
	errno = 0;
	assert_int_equal(pathcomp_complete(in, out, sizeof(out), NULL, 0), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(out, in);
	/* A file taken for a folder. */
	snprintf(in, sizeof(in), "%s/id_rsa/x", f->top);
	assert_int_equal(pathcomp_complete(in, out, sizeof(out), NULL, 0), -1);
	assert_int_equal(errno, ENOTDIR);
}

/* "~/" is $HOME, and stays "~/" in what is typed; a name alone is in the current folder. */
static void test_home_and_here(void **state)
{
	const struct folder *f = *state;
	char out[64], names[64], cwd[PATH_MAX];

	setenv("HOME", f->top, 1);
	assert_int_equal(pathcomp_complete("~/id_e", out, sizeof(out), names, sizeof(names)), 1);
	assert_string_equal(out, "~/id_ed25519");
	assert_int_equal(pathcomp_complete("~/s", out, sizeof(out), NULL, 0), 1);
	assert_string_equal(out, "~/sub/");
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(f->top), 0);
	int got = pathcomp_complete("id_rsa.p", out, sizeof(out), names, sizeof(names));
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(got, 1);
	assert_string_equal(out, "id_rsa.pub");
}

/* Too little room: the completion is not cut (it would name another file), the list is, with "...". */
static void test_room(void **state)
{
	const struct folder *f = *state;
	char in[PATH_MAX], out[PATH_MAX], names[26];
	size_t room = (size_t)snprintf(in, sizeof(in), "%s/id_e", f->top) + 3;

	errno = 0;
	assert_int_equal(pathcomp_complete(in, out, room, NULL, 0), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_string_equal(out, in);
	snprintf(in, sizeof(in), "%s/", f->top);
	assert_int_equal(pathcomp_complete(in, out, sizeof(out), names, sizeof(names)), 8);
	assert_string_equal(names, ".hidden  ca cert.pem  ...");
	assert_true(strlen(names) < sizeof(names));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_extends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_and_here, setup, teardown),
		cmocka_unit_test_setup_teardown(test_room, setup, teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
