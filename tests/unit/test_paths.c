/* Where files go: --home, $AZREPOS_CONNECT_HOME, XDG variables, mkdir -p 0700. */
#include <config.h>

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

#include "paths.h"
#include "tmpdir.h"

/* The user's home folder: HOME names one that is there (a missing one is refused). */
static char *op_home;

/* A path under op_home (in a buffer of its own for each of a call's few arguments). */
static const char *at_home(const char *rest)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, PATH_MAX, "%s/%s", op_home, rest);
	return b;
}

static void clear_env(void)
{
	unsetenv("AZREPOS_CONNECT_HOME");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", op_home, 1);
}

static void test_defaults(void **state)
{
	struct az_paths p;

	(void)state;
	clear_env();
	assert_int_equal(paths_init(&p, NULL, stderr), 0);
	assert_string_equal(p.connectors_dir, at_home(".config/azrepos-connect/connectors"));
	assert_string_equal(p.store, at_home(".local/share/azrepos-connect/secrets.store"));
	assert_string_equal(p.known_hosts, at_home(".local/share/azrepos-connect/known_hosts"));
	assert_string_equal(p.draft, at_home(".local/state/azrepos-connect/draft.json"));
	paths_free(&p);
}

static void test_xdg(void **state)
{
	struct az_paths p;

	(void)state;
	clear_env();
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("XDG_DATA_HOME", "/x/data", 1);
	setenv("XDG_STATE_HOME", "relative/state", 1); /* ignored, per the XDG spec */
	assert_int_equal(paths_init(&p, NULL, stderr), 0);
	assert_string_equal(p.connectors_dir, "/x/conf/azrepos-connect/connectors");
	assert_string_equal(p.store, "/x/data/azrepos-connect/secrets.store");
	assert_string_equal(p.draft, at_home(".local/state/azrepos-connect/draft.json"));
	paths_free(&p);
}

static void test_home_override(void **state)
{
	struct az_paths p;

	(void)state;
	clear_env();
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("AZREPOS_CONNECT_HOME", "/env/home", 1);
	assert_int_equal(paths_init(&p, NULL, stderr), 0);
	assert_string_equal(p.connectors_dir, "/env/home/connectors");
	assert_string_equal(p.store, "/env/home/secrets.store");
	assert_string_equal(p.known_hosts, "/env/home/known_hosts");
	assert_string_equal(p.draft, "/env/home/draft.json");
	paths_free(&p);

	/* --home wins over the environment. */
	assert_int_equal(paths_init(&p, "/flag/home", stderr), 0);
	assert_string_equal(p.store, "/flag/home/secrets.store");
	paths_free(&p);
}

/* No HOME, nothing else set either: the messages paths_init gives go to the stream returned. */
static FILE *no_home(char **msg, size_t *len)
{
	clear_env();
	unsetenv("HOME");
	return open_memstream(msg, len);
}

static void test_bad_home(void **state)
{
	struct az_paths p;
	char *msg = NULL;
	size_t len;
	FILE *err = no_home(&msg, &len);

	(void)state;
	assert_int_equal(paths_init(&p, NULL, err), -1);
	setenv("AZREPOS_CONNECT_HOME", "not/absolute", 1);
	assert_int_equal(paths_init(&p, NULL, err), -1);
	fclose(err);
	assert_non_null(strstr(msg, "HOME is not set to an absolute path (nor XDG_CONFIG_HOME)"));
	assert_non_null(strstr(msg, "AZREPOS_CONNECT_HOME needs an absolute path, not 'not/absolute'"));
	free(msg);
}

/* A HOME that is not there (a system user's /nonexistent) or is no folder: refused, never made. */
static void test_home_not_there(void **state)
{
	struct az_paths p;
	char *msg = NULL;
	size_t len;
	FILE *err = no_home(&msg, &len);
	const char *file = at_home("file");
	FILE *f = fopen(file, "w");

	(void)state;
	assert_non_null(f);
	fclose(f);
	setenv("HOME", at_home("nonexistent"), 1);
	assert_int_equal(paths_init(&p, NULL, err), -1);
	setenv("HOME", file, 1);
	setenv("XDG_CONFIG_HOME", "/x/c", 1);
	assert_int_equal(paths_init(&p, NULL, err), -1);
	fclose(err);
	char want[3 * PATH_MAX];
	snprintf(want, sizeof(want), "azrepos-connect: HOME is %s/nonexistent, which is not there (nor is "
	         "XDG_CONFIG_HOME set); set HOME to your home folder or use --home DIR (a home is never made)\n"
	         "azrepos-connect: HOME is %s/file, which is not a folder (nor is XDG_DATA_HOME set); set HOME to "
	         "your home folder or use --home DIR (a home is never made)\n", op_home, op_home);
	assert_string_equal(msg, want);
	free(msg);
	/* Not needed (every folder named): no matter. */
	setenv("XDG_DATA_HOME", "/x/d", 1);
	setenv("XDG_STATE_HOME", "/x/s", 1);
	assert_int_equal(paths_init(&p, NULL, stderr), 0);
	paths_free(&p);
	assert_int_equal(unlink(file), 0);
	clear_env();
}

/* Without HOME, every folder named by an XDG variable is enough (a service's environment). */
static void test_xdg_without_home(void **state)
{
	struct az_paths p;
	char *msg = NULL;
	size_t len;
	FILE *err = no_home(&msg, &len);

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/c", 1);
	setenv("XDG_DATA_HOME", "/x/d", 1);
	assert_int_equal(paths_init(&p, NULL, err), -1); /* the state folder has no place */
	setenv("XDG_STATE_HOME", "/x/s", 1);
	assert_int_equal(paths_init(&p, NULL, err), 0);
	fclose(err);
	assert_string_equal(msg, "azrepos-connect: HOME is not set to an absolute path (nor XDG_STATE_HOME); set it "
	                         "or use --home DIR\n");
	assert_string_equal(p.connectors_dir, "/x/c/azrepos-connect/connectors");
	assert_string_equal(p.store, "/x/d/azrepos-connect/secrets.store");
	assert_string_equal(p.draft, "/x/s/azrepos-connect/draft.json");
	paths_free(&p);
	free(msg);
	clear_env();
}

static void test_mkdir(void **state)
{
	char *base = tmpdir_make("azrc-paths");
	char deep[PATH_MAX], file[PATH_MAX], under_file[PATH_MAX + 2];
	struct stat st;

	(void)state;
	assert_non_null(base);
	snprintf(deep, sizeof(deep), "%s/a/b/c", base);
	umask(0);
	assert_int_equal(paths_mkdir(deep), 0);
	umask(077);
	assert_int_equal(stat(deep, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(paths_mkdir(deep), 0); /* already there: fine */

	snprintf(file, sizeof(file), "%s/file", base);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(under_file, sizeof(under_file), "%s/x", file);
	assert_int_equal(paths_mkdir(under_file), -1);
	assert_int_equal(paths_mkdir(file), -1);

	tmpdir_remove(base);
	free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_xdg),
		cmocka_unit_test(test_home_override),
		cmocka_unit_test(test_bad_home),
		cmocka_unit_test(test_home_not_there),
		cmocka_unit_test(test_xdg_without_home),
		cmocka_unit_test(test_mkdir),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	op_home = tmpdir_make("azrc-home");
	if (!op_home)
		return 1;
	int rc = cmocka_run_group_tests_name("paths", tests, NULL, NULL);
	tmpdir_remove(op_home);
	free(op_home);
	return rc;
}
