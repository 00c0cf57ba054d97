/*
 * Connector files: round trips (a draft's extras too), every strict-reading
 * refusal (files in tests/data/connectors/bad), atomic save, load errors,
 * listing, removal.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "connector_file.h"
#include "core_fixture.h"
#include "secret_users.h"
#include "tmpdir.h"

static char *data_path(const char *rel)
{
	char full[256];

	snprintf(full, sizeof(full), "connectors/%s", rel);
	return fixture_data_path(full);
}

static void spew(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* A fresh folder per test, removed by teardown. */
static int setup_dir(void **state)
{
	char *dir = tmpdir_make("azrc-connfile");

	if (!dir)
		return -1;
	*state = dir;
	return 0;
}

static int teardown_dir(void **state)
{
	tmpdir_remove(*state);
	free(*state);
	return 0;
}

/* Parsing the text of a golden file and writing it again gives the same bytes. */
static void test_round_trip(void **state)
{
	static const char *const files[] = { "azure_payments.json", "azure_infra_repo_ssh.json" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char msg[512], *path = data_path(files[i]);
		size_t len;
		char *text = fixture_read(path, &len);
		struct connector *c = connector_file_parse(text, len, path, msg, sizeof(msg));
		char *again;

		if (!c)
			fail_msg("%s", msg);
		again = connector_file_text(c);
		assert_string_equal(again, text);
		free(again);
		free(text);
		free(path);
		connector_free(c);
	}
}

/* Every value survives text -> connector -> text -> connector. */
static void test_round_trip_values(void **state)
{
	char msg[512];
	struct connector *c = connector_new(), *back;
	char *text;

	(void)state;
	assert_true(fields_set(c, FIELD_NAME, "Zürich-ish \"quoted\" name", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_IDENTIFIER, "x$1", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_DESCRIPTION, "line one\nline two\t☃ \\ /", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_TAGS, "a:b, c", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_SCOPE, "Org", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_ORG, "default", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_URL_TYPE, "project", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_CONNECTION, "ssh", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_URL, "git@ssh.dev.azure.com:v3/contoso/Shop", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_TEST_REPO, "shop", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_SSH_KEY, "k1", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_SSH_KEY_PASSPHRASE, "k1-pass", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_API_ACCESS, "TRUE", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_API_TOKEN, "pat", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_DELEGATES, "tags", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_DELEGATE_TAGS, "x", msg, sizeof(msg)));
	assert_true(fields_add(c, FIELD_DELEGATE_TAGS, "y, z", msg, sizeof(msg)));
	/* Does not apply to SSH: kept in the model, never written. */
	assert_true(fields_set(c, FIELD_USERNAME, "ci", msg, sizeof(msg)));
	assert_true(fields_apply_defaults(c));
	text = connector_file_text(c);
	assert_null(strstr(text, "\"username\""));
	assert_non_null(strstr(text, "\"ssh-key-passphrase-secret\":\t\"k1-pass\""));
	assert_non_null(strstr(text, "\"api-access\":\ttrue"));
	assert_non_null(strstr(text, "\"delegate-tags\":\t[\"x\", \"y\", \"z\"]"));
	back = connector_file_parse(text, strlen(text), "t", msg, sizeof(msg));
	if (!back)
		fail_msg("%s\n%s", msg, text);
	for (int id = 0; id < FIELD_COUNT; id++) {
		const char *a = connector_value(c, id), *b = connector_value(back, id);

		if (!fields_applies(c, id)) { /* username, allow-http, project, ... */
			assert_null(connector_get(back, id));
			continue;
		}
		if (!a || !b || strcmp(a, b) != 0)
			fail_msg("%s: '%s' became '%s'", fields_at(id)->key, a ? a : "(null)",
			         b ? b : "(null)");
	}
	assert_string_equal(connector_get(back, FIELD_SCOPE), "org");
	assert_string_equal(connector_get(back, FIELD_SECRET_SCOPE), "org");
	free(text);
	connector_free(c);
	connector_free(back);
}

/*
 * A draft's extras (the key file, an F3 key's note, an edit's base and its values, a CA file) come back
 * apart from the values.
 */
static void test_draft_extras(void **state)
{
	char made[] = "SHA256:GIPLoRXoyiL/CglBTM1dzNhJJ0cHYxesJYa7KNA9A60 azrepos-connect:web@build1";
	char msg[512], sum[CONNECTOR_FILE_SUM_LEN + 1];
	struct connector *c = connector_new(), *back;
	struct connector_draft d;
	char *text;

	(void)state;
	assert_true(fields_set(c, FIELD_NAME, "web", msg, sizeof(msg)));
	assert_true(connector_file_sum(c, sum));
	struct connector *was = connector_new();
	assert_true(fields_set(was, FIELD_NAME, "web then", msg, sizeof(msg)));
	assert_true(fields_set(was, FIELD_DESCRIPTION, "as it was", msg, sizeof(msg)));
	char key_file[] = "/k/id_rsa", ca_file[] = "/etc/ssl/corp ca.pem";
	struct connector_draft x = { .key_file = key_file, .key_made = made, .base = sum, .base_values = was,
	                             .ca_file = ca_file, .at = CONNECTOR_FILE_DRAFT_NOWHERE };
	text = connector_file_draft_text(c, &x);
	back = connector_file_parse_draft(text, strlen(text), "draft", &d, msg, sizeof(msg));
	if (!back)
		fail_msg("%s\n%s", msg, text);
	assert_string_equal(connector_get(back, FIELD_NAME), "web");
	assert_string_equal(d.key_file, "/k/id_rsa");
	assert_string_equal(d.key_made, made);
	assert_string_equal(d.base, sum);
	assert_non_null(d.base_values);
	assert_true(connector_file_same(d.base_values, was));
	assert_null(connector_get(back, FIELD_DESCRIPTION)); /* the values then are not the draft's */
	assert_string_equal(d.ca_file, "/etc/ssl/corp ca.pem");
	connector_file_draft_free(&d);
	connector_free(was);
	connector_free(back);
	free(text);
	text = connector_file_draft_text(c, NULL);
	back = connector_file_parse_draft(text, strlen(text), "draft", &d, msg, sizeof(msg));
	assert_non_null(back);
	assert_null(d.key_file);
	assert_null(d.key_made);
	assert_null(d.base);
	assert_null(d.base_values);
	assert_null(d.ca_file);
	assert_int_equal(d.at.page, -1);
	assert_int_equal(d.at.field, -1);
	connector_free(back);
	free(text);
	connector_free(c);
}

/* The place of a draft (page, focused item) comes back as written, a secret's store id apart from its value. */
static void test_draft_place(void **state)
{
	static const struct connector_draft_at places[] = {
		{ FIELD_PAGE_OVERVIEW, FIELD_NAME, false },
		{ FIELD_PAGE_CREDENTIALS, FIELD_TOKEN, false },
		{ FIELD_PAGE_CREDENTIALS, FIELD_TOKEN, true },
		{ FIELD_PAGE_DELEGATES, FIELD_DELEGATE_TAGS, false },
		{ FIELD_PAGE_DETAILS, -1, false },
		{ CONNECTOR_FILE_DRAFT_REVIEW, -1, false },
	};
	char msg[512];
	struct connector *c = connector_new();

	(void)state;
	assert_true(fields_set(c, FIELD_NAME, "web", msg, sizeof(msg)));
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		struct connector_draft d;
		struct connector_draft x = { .at = places[i] };
		char *text = connector_file_draft_text(c, &x);
		struct connector *back = connector_file_parse_draft(text, strlen(text), "draft", &d, msg, sizeof(msg));

		if (!back)
			fail_msg("%s\n%s", msg, text);
		if (d.at.page != places[i].page || d.at.field != places[i].field || d.at.sid != places[i].sid)
			fail_msg("place %zu came back as %d %d %d:\n%s", i, d.at.page, d.at.field, d.at.sid, text);
		assert_string_equal(connector_get(back, FIELD_NAME), "web");
		connector_file_draft_free(&d);
		connector_free(back);
		free(text);
	}
	connector_free(c);
}

/*
 * A place this version does not know is ignored, as an extra of the wrong type is: the values are
 * still offered, from the first page. Only a draft has one: a connector or answers file refuses it.
 */
static void test_draft_place_unknown(void **state)
{
	static const struct {
		const char *json;
		int page, field;
	} cases[] = {
		{ "\"wizard-page\": \"Nowhere\"", -1, -1 },
		{ "\"wizard-page\": \"credentials\"", -1, -1 },
		{ "\"wizard-page\": 2", -1, -1 },
		{ "\"wizard-page\": \"\"", -1, -1 },
		{ "\"wizard-focus\": \"url\"", -1, -1 },
		{ "\"wizard-page\": \"Credentials\", \"wizard-focus\": \"url\"", FIELD_PAGE_CREDENTIALS, -1 },
		{ "\"wizard-page\": \"Credentials\", \"wizard-focus\": \"colour\"", FIELD_PAGE_CREDENTIALS, -1 },
		{ "\"wizard-page\": \"Credentials\", \"wizard-focus\": \"username-secret\"", FIELD_PAGE_CREDENTIALS, -1 },
		{ "\"wizard-page\": \"Review\", \"wizard-focus\": \"name\"", CONNECTOR_FILE_DRAFT_REVIEW, -1 },
		{ "\"wizard-page\": \"Details\", \"wizard-focus\": [\"url\"]", FIELD_PAGE_DETAILS, -1 },
		{ "\"wizard-page\": \"Details\", \"wizard-focus\": \"url\"", FIELD_PAGE_DETAILS, FIELD_URL },
	};
	char text[256], msg[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct connector_draft d;
		snprintf(text, sizeof(text), "{\"name\": \"web\", %s}", cases[i].json);
		struct connector *back = connector_file_parse_draft(text, strlen(text), "draft", &d, msg, sizeof(msg));

		if (!back)
			fail_msg("%s: %s", text, msg);
		if (d.at.page != cases[i].page || d.at.field != cases[i].field)
			fail_msg("%s: came back as %d %d", text, d.at.page, d.at.field);
		connector_file_draft_free(&d);
		connector_free(back);
	}
	snprintf(text, sizeof(text), "{\"name\": \"web\", \"wizard-page\": \"Details\"}");
	assert_null(connector_file_parse_answers(text, strlen(text), "answers", msg, sizeof(msg)));
	assert_non_null(strstr(msg, "answers: unknown key 'wizard-page'"));
}

/* Each refused file: NULL, and the message names the file and what is wrong. */
static void test_refusals(void **state)
{
	static const struct {
		const char *file, *says;
	} cases[] = {
		{ "unknown-key.json", ": unknown key 'colour'" },
		{ "case-key.json", ": unknown key 'Name'" },
		{ "secret-suffix.json", ": unknown key 'url-secret'" },
		{ "duplicate-key.json", ": key 'name' appears twice" },
		{ "wrong-type-string.json", ": key 'description': expected a string" },
		{ "null-value.json", ": key 'description': expected a string" },
		{ "wrong-type-toggle.json", ": key 'api-access': expected true or false" },
		{ "wrong-type-list.json", ": key 'tags': expected an array of strings" },
		{ "list-item.json", ": key 'tags': item 2: expected a string (in quotes)" },
		{ "list-comma.json", ": key 'tags': item 1: a ',' inside: give each value as its own item" },
		{ "bad-choice.json", ": key 'connection': 'ftp' is not one of: http, ssh" },
		{ "plain-secret.json", ": key 'token': a connector file never holds a secret; give its "
		                       "store id as 'token-secret'" },
		{ "missing-required.json", ": missing key 'url'" },
		{ "missing-secret.json", ": missing key 'token-secret'" },
		{ "empty-value.json", ": key 'username' is empty: give its value in that file" },
		{ "missing-schema.json", ": missing key 'schema'" },
		{ "newer-schema.json", ": written by a newer azrepos-connect (schema 2; this version "
		                       "reads schema 1)" },
		{ "schema-type.json", ": key 'schema': expected a whole number" },
		{ "schema-fraction.json", ": key 'schema': expected a whole number" },
		{ "schema-huge.json", ": key 'schema': expected a whole number" },
		{ "truncated.json", ": not valid JSON (line 13, column 1)" },
		{ "trailing.json", ": not valid JSON (line 14, column 1)" },
		{ "array.json", ": not a JSON object" },
		{ "empty.json", ": the file is empty: not a connector file" },
		{ "escaped-nul.json", ": contains a NUL character (\\u0000)" },
		{ "lone-surrogate.json", ": not valid JSON: '\\udc00' at line 3, column 12 is half of a UTF-16 pair" },
		{ "lone-high.json", ": not valid JSON: '\\ud83d' at line 3, column 12 is half of a UTF-16 pair" },
		{ "nul-byte.json", ": contains a NUL byte" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char rel[128], msg[512] = "", *path, *text;
		size_t len;
		struct connector *c;

		snprintf(rel, sizeof(rel), "bad/%s", cases[i].file);
		path = data_path(rel);
		text = fixture_read(path, &len);
		c = connector_file_parse(text, len, path, msg, sizeof(msg));
		if (c || strncmp(msg, path, strlen(path)) != 0 || !strstr(msg, cases[i].says))
			fail_msg("%s: got %s '%s', expected '%s'", cases[i].file,
			         c ? "accepted" : "refused", msg, cases[i].says);
		free(text);
		free(path);
	}
}

/* A surrogate pair is a character; "\\\\ud800" is a backslash and text: neither is refused as half a pair. */
static void test_surrogate_pair(void **state)
{
	char msg[512] = "", *path = data_path("bad/escaped-nul.json"), *text;
	size_t len;
	struct connector *c;

	(void)state;
	text = fixture_read(path, &len);
	memcpy(strstr(text, "\\u0000"), "\\\\u000", 6); /* "W\\\\u000eb": an escaped backslash, then text */
	c = connector_file_parse(text, len, "t", msg, sizeof(msg));
	assert_non_null(c);
	assert_string_equal(connector_get(c, FIELD_NAME), "W\\u000eb");
	connector_free(c);
	free(text);
	text = strdup("{\"schema\": 1, \"name\": \"\\ud83d\\ude00\", \"identifier\": \"web\", \"scope\": \"account\", "
	              "\"url-type\": \"repo\", \"connection\": \"http\", \"url\": \"https://dev.azure.com/c/S/_git/w\", "
	              "\"username\": \"ci\", \"token-secret\": \"t\", \"secret-scope\": \"account\", \"delegates\": \"any\"}");
	c = connector_file_parse(text, strlen(text), "t", msg, sizeof(msg));
	if (!c)
		fail_msg("a surrogate pair refused: %s", msg);
	assert_string_equal(connector_get(c, FIELD_NAME), "\xf0\x9f\x98\x80");
	connector_free(c);
	free(text);
	free(path);
}

static void test_save_load(void **state)
{
	const char *top = *state;
	char dir[512], msg[512], *golden = data_path("azure_payments.json"), *text, *saved;
	struct connector *c, *loaded = NULL;
	struct stat st;
	size_t len;

	snprintf(dir, sizeof(dir), "%s/config/connectors", top);
	text = fixture_read(golden, &len);
	c = connector_file_parse(text, len, golden, msg, sizeof(msg));
	assert_non_null(c);
	umask(022);
	assert_int_equal(connector_file_save(dir, c, true, msg, sizeof(msg)), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/azure_payments.json");
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	saved = fixture_read(dir, &len);
	assert_string_equal(saved, text);
	*strrchr(dir, '/') = '\0';
	assert_int_equal(connector_file_load(dir, "azure_payments", &loaded, msg, sizeof(msg)),
	                 CONNECTOR_FILE_OK);
	assert_string_equal(connector_get(loaded, FIELD_URL), connector_get(c, FIELD_URL));
	assert_true(connector_file_exists(dir, "azure_payments"));
	assert_false(connector_file_exists(dir, "azure_other"));
	/* A new connector never replaces one saved meanwhile: EEXIST, the file as it was, no temp file. */
	assert_true(fields_set(c, FIELD_DESCRIPTION, "another run's", msg, sizeof(msg)));
	errno = 0;
	assert_int_equal(connector_file_save(dir, c, false, msg, sizeof(msg)), -1);
	assert_int_equal(errno, EEXIST);
	assert_non_null(strstr(msg, "a connector 'azure_payments' was saved meanwhile (by another run)"));
	free(saved);
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/azure_payments.json");
	saved = fixture_read(dir, &len);
	assert_string_equal(saved, text);
	*strrchr(dir, '/') = '\0';
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s' | grep -v '^azure_payments.json$')\"", dir);
	assert_int_equal(system(cmd), 0);
	free(saved);
	free(text);
	free(golden);
	connector_free(c);
	connector_free(loaded);
}

static void test_save_refused(void **state)
{
	const char *dir = *state;
	char msg[512], path[512];
	struct connector *c = connector_new();
	char *before;
	size_t len;

	assert_true(fields_set(c, FIELD_NAME, "Web", msg, sizeof(msg)));
	/* An identifier that is not one never becomes a file name. */
	assert_true(fields_set(c, FIELD_IDENTIFIER, "../evil", msg, sizeof(msg)));
	assert_int_equal(connector_file_save(dir, c, true, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "cannot save: '.' is not allowed"));
	/* A connector that would not read back (no URL) replaces nothing. */
	snprintf(path, sizeof(path), "%s/web.json", dir);
	spew(path, "old contents\n");
	assert_true(fields_set(c, FIELD_IDENTIFIER, "web", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_URL_TYPE, "repo", msg, sizeof(msg)));
	assert_true(fields_apply_defaults(c));
	assert_int_equal(connector_file_save(dir, c, true, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "the written file: missing key 'url'"));
	before = fixture_read(path, &len);
	assert_string_equal(before, "old contents\n");
	/* No temp file left behind. */
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s' | grep -v '^web.json$')\"", dir);
	assert_int_equal(system(cmd), 0);
	free(before);
	connector_free(c);
}

/* Where connectors can be saved and read back: the folder, or the nearest one there to make it in. */
static void test_dir_safe(void **state)
{
	const char *dir = *state;
	char path[512], msg[512];

	/* dir is 0700: a folder in it, there or yet to be made (and one below that), is fine. */
	snprintf(path, sizeof(path), "%s/connectors", dir);
	assert_true(connector_file_dir_safe(dir, msg, sizeof(msg)));
	assert_true(connector_file_dir_safe(path, msg, sizeof(msg)));
	snprintf(path, sizeof(path), "%s/a/b/connectors", dir);
	assert_true(connector_file_dir_safe(path, msg, sizeof(msg)));
	/* A folder right under / yet to be made (a container's --home /app): / is root's own. */
	assert_true(connector_file_dir_safe("/azrc-no-such-folder-zz/connectors", msg, sizeof(msg)));
	/* Others may write where it would be made: refused, with the chmod. */
	snprintf(path, sizeof(path), "%s/open", dir);
	assert_int_equal(mkdir(path, 0777), 0);
	assert_int_equal(chmod(path, 0777), 0);
	snprintf(path, sizeof(path), "%s/open/home/connectors", dir);
	assert_false(connector_file_dir_safe(path, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "is writable by group or others (mode 0777): run 'chmod go-w "));
	assert_non_null(strstr(msg, "(others could change the connectors saved there)"));
	/* A file where a folder goes: said as it is, not as a matter of others' access. */
	snprintf(path, sizeof(path), "%s/file", dir);
	spew(path, "x");
	snprintf(path, sizeof(path), "%s/file/connectors", dir);
	assert_false(connector_file_dir_safe(path, msg, sizeof(msg)));
	snprintf(path, sizeof(path), "cannot save connectors in %s/file/connectors: Not a directory", dir);
	assert_string_equal(msg, path);
	snprintf(path, sizeof(path), "%s/file", dir);
	assert_false(connector_file_dir_safe(path, msg, sizeof(msg)));
	snprintf(path, sizeof(path), "cannot save connectors in %s/file: Not a directory", dir);
	assert_string_equal(msg, path);
}

static void test_load_errors(void **state)
{
	const char *dir = *state;
	char msg[512], path[600], *big;
	struct connector *c = (struct connector *)&msg; /* must be reset to NULL */

	assert_int_equal(connector_file_load(dir, "nothere", &c, msg, sizeof(msg)),
	                 CONNECTOR_FILE_MISSING);
	assert_null(c);
	assert_non_null(strstr(msg, "no connector 'nothere' (looked for "));
	assert_non_null(strstr(msg, "/nothere.json)"));

	assert_int_equal(connector_file_load(dir, "../x", &c, msg, sizeof(msg)), CONNECTOR_FILE_BAD);
	assert_non_null(strstr(msg, "'../x' is not a connector identifier"));

	/* The file name and the identifier inside must agree. */
	char *golden = data_path("azure_infra_repo_ssh.json");
	size_t len;
	char *text = fixture_read(golden, &len);
	snprintf(path, sizeof(path), "%s/other.json", dir);
	spew(path, text);
	assert_int_equal(connector_file_load(dir, "other", &c, msg, sizeof(msg)), CONNECTOR_FILE_BAD);
	assert_null(c);
	assert_non_null(strstr(msg, "key 'identifier' is 'azure_infra_repo_ssh' but the file name "
	                            "says 'other'"));

	/* Writable by its group or by others: refused (they could point it at their host). */
	snprintf(path, sizeof(path), "%s/azure_infra_repo_ssh.json", dir);
	spew(path, text);
	static const mode_t open_modes[] = { 0620, 0602, 0660, 0666 };
	for (size_t i = 0; i < sizeof(open_modes) / sizeof(open_modes[0]); i++) {
		char want[128];

		assert_int_equal(chmod(path, open_modes[i]), 0);
		assert_int_equal(connector_file_load(dir, "azure_infra_repo_ssh", &c, msg, sizeof(msg)),
		                 CONNECTOR_FILE_BAD);
		assert_null(c);
		snprintf(want, sizeof(want), "can be written by group or others (mode %04o)", (unsigned)open_modes[i]);
		assert_non_null(strstr(msg, want));
	}
	/* Readable by them is their business, as for ssh's files: it loads. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(connector_file_load(dir, "azure_infra_repo_ssh", &c, msg, sizeof(msg)), CONNECTOR_FILE_OK);
	connector_free(c);
	c = NULL;

	snprintf(path, sizeof(path), "%s/link.json", dir);
	assert_int_equal(symlink(golden, path), 0);
	assert_int_equal(connector_file_load(dir, "link", &c, msg, sizeof(msg)), CONNECTOR_FILE_BAD);
	assert_non_null(strstr(msg, "a symbolic link"));

	big = calloc(1, CONNECTOR_FILE_MAX + 2);
	assert_non_null(big);
	memset(big, ' ', CONNECTOR_FILE_MAX + 1);
	snprintf(path, sizeof(path), "%s/big.json", dir);
	spew(path, big);
	assert_int_equal(connector_file_load(dir, "big", &c, msg, sizeof(msg)), CONNECTOR_FILE_BAD);
	assert_non_null(strstr(msg, "larger than 64 KiB"));

	snprintf(path, sizeof(path), "%s/broken.json", dir);
	spew(path, "{\"schema\": 1, \"url\": 7}");
	assert_int_equal(connector_file_load(dir, "broken", &c, msg, sizeof(msg)), CONNECTOR_FILE_BAD);
	assert_non_null(strstr(msg, "/broken.json: key 'url': expected a string"));

	/* Edited by hand in Latin-1: refused where it is, never read into JSON output that is not UTF-8. */
	snprintf(path, sizeof(path), "%s/latin.json", dir);
	spew(path, "{\"schema\": 1,\n \"description\": \"caf\xe9\"}");
	assert_int_equal(connector_file_load(dir, "latin", &c, msg, sizeof(msg)), CONNECTOR_FILE_BAD);
	assert_non_null(strstr(msg, "/latin.json: a byte that is not UTF-8 (0xE9) at line 2, column 21: save the "
	                            "file as UTF-8"));
	free(big);
	free(text);
	free(golden);
}

static void test_ids_and_remove(void **state)
{
	const char *dir = *state;
	char sub[512], path[600], **ids;
	size_t n;

	snprintf(sub, sizeof(sub), "%s/none", dir);
	assert_int_equal(connector_file_ids(sub, &ids, &n), 0);
	assert_int_equal(n, 0);
	for (const char *const *f = (const char *const[]){ "b.json", "a.json", ".a.json.tmp.1", ".a.json.tmp.2",
	                                                    ".hidden.json", "notes.txt", ".json", NULL };
	     *f; f++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *f);
		spew(path, "{}");
	}
	/* tmp.1 from a crash two minutes ago; tmp.2 of a save going on now. */
	snprintf(path, sizeof(path), "%s/.a.json.tmp.1", dir);
	assert_int_equal(utimes(path, (const struct timeval[]){ { time(NULL) - 120, 0 },
	                                                        { time(NULL) - 120, 0 } }), 0);
	assert_int_equal(connector_file_ids(dir, &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], "a");
	assert_string_equal(ids[1], "b");
	connector_file_free_ids(ids, n);

	assert_int_equal(connector_file_remove(dir, "a"), 0);
	snprintf(path, sizeof(path), "%s/a.json", dir);
	assert_int_equal(access(path, F_OK), -1);
	/* The crash leftover of a.json went with it; a temp file a save may be writing now did not. */
	snprintf(path, sizeof(path), "%s/.a.json.tmp.1", dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/.a.json.tmp.2", dir);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(connector_file_remove(dir, "a"), -1);
	assert_int_equal(errno, ENOENT);
}

/* Which connectors name a secret: each file read once for many ids; a refused one said apart. */
static void test_secret_users(void **state)
{
	const char *dir = *state;
	static const char *const files[] = { "azure_payments.json", "azure_infra_repo_ssh.json" };
	char path[512], users[256], refused[256];
	enum store_kind kind = STORE_KIND_PASSWORD;
	struct secret_users u;

	for (size_t i = 0; i < 2; i++) {
		char *golden = data_path(files[i]), *text;
		size_t len;

		text = fixture_read(golden, &len);
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		spew(path, text);
		free(text);
		free(golden);
	}
	snprintf(path, sizeof(path), "%s/broken.json", dir);
	spew(path, "{");
	assert_int_equal(secret_users_load(dir, &u), 0);
	assert_int_equal(u.n, 3);
	secret_users_in(&u, "azure_pat", users, sizeof(users), refused, sizeof(refused), &kind);
	assert_string_equal(users, "azure_payments");
	assert_string_equal(refused, "broken");
	assert_int_equal(kind, STORE_KIND_TOKEN);
	secret_users_in(&u, "azure_ssh_key", users, sizeof(users), refused, sizeof(refused), &kind);
	assert_string_equal(users, "azure_infra_repo_ssh");
	assert_int_equal(kind, STORE_KIND_SSH_PRIVATE_KEY);
	secret_users_in(&u, "nobody_has", users, sizeof(users), refused, sizeof(refused), NULL);
	assert_string_equal(users, "");
	secret_users_free(&u);
	assert_null(u.ids);
	/* With the refused file about, no secret is known to be unused; without it, the unnamed are. */
	char unused[FIELD_COUNT][IDENT_SECRET_ID_MAX + 1], maybe[512];
	char *golden = data_path("azure_payments.json"), *text = fixture_read(golden, &(size_t){ 0 });
	char msg[512];
	struct connector *was = connector_file_parse(text, strlen(text), "was", msg, sizeof(msg));
	assert_non_null(was);
	assert_true(fields_set(was, FIELD_TOKEN, "old_pat", msg, sizeof(msg)));
	assert_int_equal(secret_users_unused(dir, was, unused, FIELD_COUNT, maybe, sizeof(maybe)), 0);
	assert_string_equal(maybe, "old_pat"); /* azure_pat is named by azure_payments */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(secret_users_unused(dir, was, unused, FIELD_COUNT, maybe, sizeof(maybe)), 1);
	assert_string_equal(unused[0], "old_pat");
	assert_string_equal(maybe, "");
	/* No folder yet: none saved, so both are unused; one that cannot be read: none offered. */
	snprintf(path, sizeof(path), "%s/none", dir);
	assert_int_equal(secret_users_unused(path, was, unused, FIELD_COUNT, maybe, sizeof(maybe)), 2);
	snprintf(path, sizeof(path), "%s/azure_payments.json", dir);
	assert_int_equal(secret_users_load(path, &u), -1);
	assert_int_equal(secret_users_unused(path, was, unused, FIELD_COUNT, maybe, sizeof(maybe)), 0);
	connector_free(was);
	free(text);
	free(golden);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_values),
		cmocka_unit_test(test_draft_extras),
		cmocka_unit_test(test_draft_place),
		cmocka_unit_test(test_draft_place_unknown),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_surrogate_pair),
		cmocka_unit_test_setup_teardown(test_save_load, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_save_refused, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_dir_safe, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_load_errors, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_ids_and_remove, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_secret_users, setup_dir, teardown_dir),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("connector_file", tests, NULL, NULL);
}
