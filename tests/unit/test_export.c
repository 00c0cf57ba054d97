/*
 * The Harness export: golden files byte for byte, the shape per scope and
 * option, and every exported YAML read back with libyaml to the same values.
 */
#include <config.h>

#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <yaml.h>

#include "connector_file.h"
#include "core_fixture.h"
#include "export.h"

static struct connector *load_data(const char *rel)
{
	char msg[512], *path = fixture_data_path(rel);
	size_t len;
	char *text = fixture_read(path, &len);
	struct connector *c = connector_file_parse(text, len, rel, msg, sizeof(msg));

	if (!c)
		fail_msg("%s", msg);
	free(text);
	free(path);
	return c;
}

/* c with the defaults applied, checked valid. */
static struct connector *make_valid(struct connector *c)
{
	struct field_error errs[FIELD_COUNT];
	size_t n;

	assert_true(fields_apply_defaults(c));
	n = fields_validate_all(c, NULL, errs);
	for (size_t i = 0; i < n; i++)
		print_message("# %s: %s\n", fields_at(errs[i].id)->key, errs[i].msg);
	assert_int_equal(n, 0);
	return c;
}

/*
 * YAML 1.1 resolution of a plain scalar (what SnakeYAML in Harness does), to
 * catch a string the emitter left plain although a reader takes it for
 * something else: booleans become JSON booleans, null/number/timestamp forms
 * a JSON null (never equal to the string the export holds).
 */
static cJSON *resolve_plain(const char *s)
{
	static const char *const pattern =
		"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|~|null|Null|NULL|<<|=|"
		"[-+]?(0b[0-1_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)|"
		"[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?|"
		/* SnakeYAML's float: "[-+]?(\.[0-9]+|[0-9_]+(\.[0-9_]*)?)([eE][-+]?[0-9]+)?". */
		"[-+]?\\.[0-9]+([eE][-+]?[0-9]+)?|[-+][0-9_]+(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|"
		"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|"
		"[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?.*|)$";
	regex_t re;
	bool other;

	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0)
		return cJSON_CreateTrue();
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0)
		return cJSON_CreateFalse();
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	other = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return other ? cJSON_CreateNull() : cJSON_CreateString(s);
}

/* One YAML node from the parser's events, as cJSON (mapping keys must be strings). */
static cJSON *yaml_node(yaml_parser_t *p, yaml_event_t *ev)
{
	cJSON *node = NULL;

	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		const char *v = (const char *)ev->data.scalar.value;

		node = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? resolve_plain(v) :
		       cJSON_CreateString(v);
		break;
	}
	case YAML_MAPPING_START_EVENT:
		node = cJSON_CreateObject();
		for (;;) {
			yaml_event_t k, v;

			assert_true(yaml_parser_parse(p, &k));
			if (k.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&k);
				break;
			}
			assert_int_equal(k.type, YAML_SCALAR_EVENT);
			if (k.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
				cJSON *key = resolve_plain((const char *)k.data.scalar.value);

				if (!cJSON_IsString(key))
					fail_msg("key '%s' reads back as another type", k.data.scalar.value);
				cJSON_Delete(key);
			}
			assert_true(yaml_parser_parse(p, &v));
			cJSON_AddItemToObject(node, (const char *)k.data.scalar.value, yaml_node(p, &v));
			yaml_event_delete(&k);
		}
		break;
	case YAML_SEQUENCE_START_EVENT:
		node = cJSON_CreateArray();
		for (;;) {
			yaml_event_t v;

			assert_true(yaml_parser_parse(p, &v));
			if (v.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&v);
				break;
			}
			cJSON_AddItemToArray(node, yaml_node(p, &v));
		}
		break;
	default:
		fail_msg("unexpected YAML event %d", ev->type);
	}
	yaml_event_delete(ev);
	return node;
}

/* Parse a one-document YAML text into cJSON. */
static cJSON *yaml_read(const char *text)
{
	yaml_parser_t p;
	yaml_event_t ev;
	cJSON *doc;

	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
	assert_true(yaml_parser_parse(&p, &ev));
	assert_int_equal(ev.type, YAML_STREAM_START_EVENT);
	yaml_event_delete(&ev);
	assert_true(yaml_parser_parse(&p, &ev));
	assert_int_equal(ev.type, YAML_DOCUMENT_START_EVENT);
	yaml_event_delete(&ev);
	assert_true(yaml_parser_parse(&p, &ev));
	doc = yaml_node(&p, &ev);
	assert_true(yaml_parser_parse(&p, &ev));
	assert_int_equal(ev.type, YAML_DOCUMENT_END_EVENT);
	yaml_event_delete(&ev);
	assert_true(yaml_parser_parse(&p, &ev));
	assert_int_equal(ev.type, YAML_STREAM_END_EVENT);
	yaml_event_delete(&ev);
	yaml_parser_delete(&p);
	return doc;
}

/* The YAML export reads back to the export tree, and the JSON export parses to it too. */
static void assert_round_trip(const struct connector *c)
{
	char *yaml = export_text(c, EXPORT_YAML), *json = export_text(c, EXPORT_JSON);
	cJSON *tree = export_tree(c), *from_yaml, *from_json;

	assert_non_null(yaml);
	assert_non_null(json);
	assert_non_null(tree);
	from_yaml = yaml_read(yaml);
	from_json = cJSON_Parse(json);
	if (!cJSON_Compare(tree, from_yaml, true)) {
		char *got = cJSON_Print(from_yaml);

		fail_msg("YAML did not read back the same:\n%s\nread back as:\n%s", yaml, got);
	}
	assert_true(cJSON_Compare(tree, from_json, true));
	/* The values are the connector's. */
	const cJSON *conn = cJSON_GetObjectItemCaseSensitive(from_yaml, "connector");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(conn, "name")->valuestring,
	                    connector_get(c, FIELD_NAME));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(conn, "identifier")->valuestring,
	                    connector_get(c, FIELD_IDENTIFIER));
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(conn, "spec");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(spec, "url")->valuestring,
	                    connector_get(c, FIELD_URL));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(spec, "executeOnDelegate")));
	cJSON_Delete(tree);
	cJSON_Delete(from_yaml);
	cJSON_Delete(from_json);
	free(yaml);
	free(json);
}

static void assert_golden(const char *id)
{
	static const struct {
		enum export_format format;
		const char *ext;
	} formats[] = { { EXPORT_YAML, "yaml" }, { EXPORT_JSON, "json" } };
	char rel[256];
	struct connector *c;

	snprintf(rel, sizeof(rel), "connectors/%s.json", id);
	c = load_data(rel);
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *want, *path, *got = export_text(c, formats[i].format);

		snprintf(rel, sizeof(rel), "export/%s.%s", id, formats[i].ext);
		path = fixture_data_path(rel);
		want = fixture_read(path, &len);
		free(path);
		assert_non_null(got);
		if (strcmp(got, want) != 0)
			fail_msg("%s differs; got:\n%s", rel, got);
		free(want);
		free(got);
	}
	assert_round_trip(c);
	connector_free(c);
}

/* azure-facts §1.4: HTTP, Project URL, API access, tagged delegates. */
static void test_golden_http_project(void **state)
{
	(void)state;
	assert_golden("azure_payments");
}

/* azure-facts §1.5: SSH, Repository URL, any delegate. */
static void test_golden_ssh_repo(void **state)
{
	(void)state;
	assert_golden("azure_infra_repo_ssh");
}

static const cJSON *path(const cJSON *tree, const char *a, const char *b, const char *c)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(tree, "connector");

	n = a ? cJSON_GetObjectItemCaseSensitive(n, a) : n;
	n = b ? cJSON_GetObjectItemCaseSensitive(n, b) : n;
	return c ? cJSON_GetObjectItemCaseSensitive(n, c) : n;
}

static void test_account_scope(void **state)
{
	(void)state;
	struct connector *c = make_valid(fixture_connector("name", "Web", "url-type", "repo",
		"connection", "http", "url", "https://dev.azure.com/contoso/Shop/_git/web",
		"username", "ci", NULL));
	cJSON *t = export_tree(c);

	assert_null(path(t, "orgIdentifier", NULL, NULL));
	assert_null(path(t, "projectIdentifier", NULL, NULL));
	assert_null(path(t, "spec", "apiAccess", NULL));
	assert_null(path(t, "spec", "delegateSelectors", NULL));
	assert_null(path(t, "spec", "validationRepo", NULL));
	assert_string_equal(path(t, "identifier", NULL, NULL)->valuestring, "Web");
	assert_string_equal(path(t, "spec", "authentication", "type")->valuestring, "Http");
	/* Default secret id from the identifier, account secret by default. */
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(
		path(t, "spec", "authentication", "spec")->child->next, "tokenRef")->valuestring,
		"account.web-token");
	assert_string_equal(path(t, "description", NULL, NULL)->valuestring, "");
	assert_true(cJSON_IsObject(path(t, "tags", NULL, NULL)));
	assert_null(path(t, "tags", NULL, NULL)->child);
	assert_round_trip(c);
	cJSON_Delete(t);
	connector_free(c);
}

static void test_org_scope_project_secrets(void **state)
{
	(void)state;
	struct connector *c = make_valid(fixture_connector("name", "Web", "scope", "project",
		"org", "default", "project", "web", "secret-scope", "project", "url-type",
		"repo", "connection", "ssh", "url", "git@ssh.dev.azure.com:v3/contoso/Shop/web",
		"api-access", "true", "api-token", "web-pat", NULL));
	cJSON *t = export_tree(c);

	assert_string_equal(path(t, "orgIdentifier", NULL, NULL)->valuestring, "default");
	assert_string_equal(path(t, "projectIdentifier", NULL, NULL)->valuestring, "web");
	/* Project secrets: no prefix. */
	assert_string_equal(path(t, "spec", "authentication", "spec")->child->valuestring,
	                    "web-ssh-key");
	assert_string_equal(path(t, "spec", "apiAccess", "spec")->child->valuestring, "web-pat");
	cJSON_Delete(t);
	connector_free(c);

	c = make_valid(fixture_connector("name", "Web", "scope", "org", "org", "default",
		"url-type", "repo", "url", "https://dev.azure.com/contoso/Shop/_git/web",
		"username", "ci", NULL));
	t = export_tree(c);
	assert_string_equal(path(t, "orgIdentifier", NULL, NULL)->valuestring, "default");
	assert_null(path(t, "projectIdentifier", NULL, NULL));
	/* An org connector's secrets default to org secrets. */
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(
		path(t, "spec", "authentication", "spec")->child->next, "tokenRef")->valuestring,
		"org.web-token");
	cJSON_Delete(t);
	connector_free(c);
}

/* Strings a YAML reader would take for something else stay strings. */
static void test_yaml_quoting(void **state)
{
	static const char *const descriptions[] = {
		"true", "false", "yes", "No", "on", "OFF", "y", "null", "~", "123", "0x1F", "1.5",
		"-1", ".5", ".inf", "-.Inf", ".NaN", "2024-01-01", "<<", "=", "- dash", "key: value",
		"#hash", "a # comment", "'quoted'", "\"double\"", "[list]", "{map}", "*alias", "&anchor",
		"!tag", "%percent", "@at", "`tick`", "|pipe", ">fold", "two\nlines", "trailing ",
		" leading", "Zürich ☃", "tab\there", "colon:", "?question", "12:30",
		"-.5", "+.5", "-.5e3", "-_1", "+_", "9", /* the last digit too */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(descriptions) / sizeof(descriptions[0]); i++) {
		struct connector *c = make_valid(fixture_connector("name", "1.5", "identifier",
			"x", "description", descriptions[i], "tags", "on:off,prod,123:456,n",
			"url-type", "project", "connection", "http", "url",
			"https://dev.azure.com/contoso/Shop", "test-repo", "0x10", "username",
			"true", "delegates", "tags", "delegate-tags", "yes,1,null", NULL));

		assert_round_trip(c);
		connector_free(c);
	}
}

/* Harness appends validationRepo to the URL as it is: a name that is not URL-safe goes encoded. */
static void test_validation_repo_encoded(void **state)
{
	static const struct {
		const char *name, *exported;
	} repos[] = {
		{ "web", "web" }, { "web app", "web%20app" }, { "Zürich", "Z%C3%BCrich" }, { "a!(b)-_.x", "a!(b)-_.x" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(repos) / sizeof(repos[0]); i++) {
		struct connector *c = make_valid(fixture_connector("name", "Shop", "url-type", "project", "connection",
			"http", "url", "https://dev.azure.com/contoso/Shop", "test-repo", repos[i].name, "username", "ci",
			NULL));
		cJSON *tree = export_tree(c);

		assert_string_equal(path(tree, "spec", "validationRepo", NULL)->valuestring, repos[i].exported);
		assert_round_trip(c);
		cJSON_Delete(tree);
		connector_free(c);
	}
}

/*
 * U+2028/U+2029 are line breaks to YAML 1.1 (libyaml, SnakeYAML) but text to
 * YAML 1.2 readers: written raw, the two read back differently. Escaped only.
 */
static void test_yaml_unicode_breaks(void **state)
{
	static const char *const texts[] = { "a\u2028b", "a\u2029b", "\u2028" };

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char tags[32];
		struct connector *c;
		char *yaml;

		snprintf(tags, sizeof(tags), "%s,k:%s", texts[i], texts[i]);
		c = make_valid(fixture_connector("name", "Web", "description", texts[i], "tags", tags,
			"url-type", "repo", "url", "https://dev.azure.com/contoso/Shop/_git/web",
			"username", "ci", NULL));
		yaml = export_text(c, EXPORT_YAML);
		assert_non_null(yaml);
		if (strstr(yaml, "\xe2\x80\xa8") || strstr(yaml, "\xe2\x80\xa9"))
			fail_msg("a raw U+2028/U+2029 in:\n%s", yaml);
		assert_round_trip(c);
		free(yaml);
		connector_free(c);
	}
}

/* A Repository URL is the repository: a test repository left from a Project URL is not exported. */
static void test_validation_repo_project_only(void **state)
{
	(void)state;
	struct connector *c = make_valid(fixture_connector("name", "Web", "url-type", "repo", "url",
		"https://dev.azure.com/contoso/Shop/_git/web", "test-repo", "api", "username", "ci", NULL));
	cJSON *t = export_tree(c);

	assert_string_equal(connector_get(c, FIELD_TEST_REPO), "api");
	assert_string_equal(path(t, "spec", "type", NULL)->valuestring, "Repo");
	assert_null(path(t, "spec", "validationRepo", NULL));
	cJSON_Delete(t);
	connector_free(c);
}

/* A long description stays on one line in YAML: folded, it reads back the same but reads and diffs worse. */
static void test_yaml_long_line(void **state)
{
	char description[256] = "", want[300];
	struct connector *c;
	char *yaml;

	(void)state;
	for (int i = 0; i < 40; i++)
		strcat(description, "word ");
	strcat(description, "end");
	c = make_valid(fixture_connector("name", "Web", "description", description, "url-type", "repo", "url",
		"https://dev.azure.com/contoso/Shop/_git/web", "username", "ci", NULL));
	yaml = export_text(c, EXPORT_YAML);
	assert_non_null(yaml);
	snprintf(want, sizeof(want), "\n  description: %s\n", description);
	if (!strstr(yaml, want))
		fail_msg("the description is not one line:\n%s", yaml);
	assert_round_trip(c);
	free(yaml);
	connector_free(c);
}

/* Tags: split on the first ':'; a bare key maps to "". */
/* The scope said to a person: its label, then each reference as export writes it, once. */
static void test_scope_text(void **state)
{
	static const struct { const char *scope, *sids[3], *want; } cases[] = {
		{ "account", { "web-token", NULL, "web-api" }, "Account: account.web-token, account.web-api" },
		{ "org", { "pat", NULL, "pat" }, "Organization: org.pat" },   /* the API token sharing it */
		{ "project", { NULL, "deploy-key", NULL }, "Project: deploy-key" },
		{ "project", { NULL, NULL, NULL }, "Project" },
	};
	char out[256], tiny[12];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		export_scope_text(cases[i].scope, cases[i].sids, out, sizeof(out));
		assert_string_equal(out, cases[i].want);
	}
	/* Cut at the buffer's end, never past it. */
	export_scope_text("account", cases[0].sids, tiny, sizeof(tiny));
	assert_string_equal(tiny, "Account: ac");
}

static void test_tags_map(void **state)
{
	(void)state;
	struct connector *c = make_valid(fixture_connector("name", "Web", "tags",
		"team:a:b, prod", "url-type", "repo", "url",
		"https://dev.azure.com/contoso/Shop/_git/web", "username", "ci", NULL));
	cJSON *t = export_tree(c);

	assert_string_equal(path(t, "tags", "team", NULL)->valuestring, "a:b");
	assert_string_equal(path(t, "tags", "prod", NULL)->valuestring, "");
	cJSON_Delete(t);
	connector_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_http_project),
		cmocka_unit_test(test_golden_ssh_repo),
		cmocka_unit_test(test_account_scope),
		cmocka_unit_test(test_org_scope_project_secrets),
		cmocka_unit_test(test_yaml_quoting),
		cmocka_unit_test(test_validation_repo_encoded),
		cmocka_unit_test(test_yaml_unicode_breaks),
		cmocka_unit_test(test_tags_map),
		cmocka_unit_test(test_scope_text),
		cmocka_unit_test(test_validation_repo_project_only),
		cmocka_unit_test(test_yaml_long_line),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
