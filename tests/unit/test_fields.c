/* The field table: declarations, when fields apply, set/defaults, validation, validate-all. */
#include <config.h>

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "connector.h"
#include "core_fixture.h"
#include "fields.h"
#include "tmpdir.h"

static char msg[FIELD_MSG_MAX];

/* A valid HTTP repository connector to vary. */
static struct connector *make_http(void)
{
	struct connector *c = fixture_connector("name", "Shop", "url-type", "repo",
	                                        "connection", "http", "url",
	                                        "https://dev.azure.com/contoso/Shop/_git/shop",
	                                        "username", "ci", NULL);

	assert_true(fields_apply_defaults(c));
	return c;
}

static void test_table(void **state)
{
	/* DESIGN.md §5, plus allow-http and secret-scope, in page order. */
	static const char *const keys[FIELD_COUNT] = {
		"name", "identifier", "description", "tags", "scope", "org", "project", "url-type",
		"connection", "allow-http", "url", "test-repo", "username", "token", "ssh-key",
		"ssh-key-passphrase", "api-access", "api-token", "secret-scope", "delegates",
		"delegate-tags",
	};
	enum field_page page = FIELD_PAGE_OVERVIEW;

	(void)state;
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);

		assert_int_equal(f->id, id);
		assert_string_equal(f->key, keys[id]);
		assert_ptr_equal(fields_find(keys[id]), f);
		assert_non_null(f->label);
		assert_non_null(f->help);
		assert_true(strlen(f->help) > 20);
		assert_int_equal(f->help[strlen(f->help) - 1], '.');
		assert_true(f->page >= page && f->page < FIELD_PAGE_COUNT);
		page = f->page;
		assert_non_null(fields_page_title(f->page));
		if (f->kind == FIELD_CHOICE || f->kind == FIELD_TOGGLE)
			assert_non_null(f->choices);
		if (f->kind == FIELD_SECRET)
			assert_non_null(f->suffix);
		/* A field that applies only sometimes says when, for help and messages. */
		assert_true((f->applies == NULL) == (f->when == NULL));
		if (f->def && f->choices) {
			bool found = false;

			for (const struct field_choice *ch = f->choices; ch->value; ch++)
				found |= strcmp(ch->value, f->def) == 0;
			assert_true(found);
		}
	}
	assert_null(fields_find("nope"));
	assert_null(fields_find("token-secret"));
	assert_string_equal(fields_choice_label(FIELD_URL_TYPE, "repo"), "Repository");
	assert_string_equal(fields_choice_label(FIELD_CONNECTION, "ssh"), "SSH");
	assert_string_equal(fields_page_title(FIELD_PAGE_DELEGATES), "Delegates");
}

/* Each field by any of its names, written as a person might; nothing by a name two fields share. */
static void test_find_loose(void **state)
{
	static const struct {
		const char *word;
		int id; /* -1: none */
	} cases[] = {
		{ "connectionType", FIELD_CONNECTION }, { "connection-type", FIELD_CONNECTION },
		{ "test_repository", FIELD_TEST_REPO }, { "Validation-Repo", FIELD_TEST_REPO },
		{ "validationRepo", FIELD_TEST_REPO }, { "repo", FIELD_TEST_REPO },
		{ "PAT", FIELD_TOKEN }, { "personal access token", FIELD_TOKEN }, { "tokenRef", FIELD_TOKEN },
		{ "API_Personal_Access_Token", FIELD_API_TOKEN }, { "ssh private key", FIELD_SSH_KEY },
		{ "sshKeyRef", FIELD_SSH_KEY }, { "passphrase", FIELD_SSH_KEY_PASSPHRASE },
		{ "delegateSelectors", FIELD_DELEGATE_TAGS }, { "orgIdentifier", FIELD_ORG },
		{ "organization", FIELD_ORG }, { "projectIdentifier", FIELD_PROJECT }, { "user", FIELD_USERNAME },
		{ "URL", FIELD_URL }, { "Url_Type", FIELD_URL_TYPE }, { "enableApiAccess", FIELD_API_ACCESS },
		/* Not a slip finder (nearest.h is), nor a guess at a word two fields could mean. */
		{ "", -1 }, { "--", -1 }, { "urll", -1 }, { "type", -1 }, { "key", -1 }, { "token-file", -1 },
		{ "connectiontypes", -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct field *f = fields_find_loose(cases[i].word, strlen(cases[i].word));
		if (cases[i].id < 0) {
			assert_null(f);
		} else {
			assert_non_null(f);
			assert_int_equal(f->id, cases[i].id);
		}
	}
	/* Only the first len bytes count. */
	assert_ptr_equal(fields_find_loose("urlx", 3), fields_at(FIELD_URL));
	/* Every name of every field finds that field and no other. */
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);

		assert_ptr_equal(fields_find_loose(f->key, strlen(f->key)), f);
		assert_ptr_equal(fields_find_loose(f->label, strlen(f->label)), f);
		for (const char *p = f->aka ? f->aka : ""; *p; p += strspn(p, " ")) {
			size_t w = strcspn(p, " ");
			assert_ptr_equal(fields_find_loose(p, w), f);
			p += w;
		}
	}
}

static void test_applies(void **state)
{
	struct connector *c = connector_new();

	(void)state;
	/* Defaults: account scope, HTTP, API off, any delegate. */
	assert_false(fields_applies(c, FIELD_ORG));
	assert_false(fields_applies(c, FIELD_PROJECT));
	assert_false(fields_applies(c, FIELD_TEST_REPO));
	assert_true(fields_applies(c, FIELD_USERNAME));
	assert_true(fields_applies(c, FIELD_TOKEN));
	assert_true(fields_applies(c, FIELD_ALLOW_HTTP));
	assert_false(fields_applies(c, FIELD_SSH_KEY));
	assert_false(fields_applies(c, FIELD_SSH_KEY_PASSPHRASE));
	assert_false(fields_applies(c, FIELD_API_TOKEN));
	assert_false(fields_applies(c, FIELD_DELEGATE_TAGS));
	assert_true(fields_set(c, FIELD_SCOPE, "org", msg, sizeof(msg)));
	assert_true(fields_applies(c, FIELD_ORG));
	assert_false(fields_applies(c, FIELD_PROJECT));
	assert_true(fields_set(c, FIELD_SCOPE, "project", msg, sizeof(msg)));
	assert_true(fields_applies(c, FIELD_ORG));
	assert_true(fields_applies(c, FIELD_PROJECT));
	assert_true(fields_set(c, FIELD_URL_TYPE, "project", msg, sizeof(msg)));
	assert_true(fields_applies(c, FIELD_TEST_REPO));
	assert_true(fields_set(c, FIELD_URL_TYPE, "repo", msg, sizeof(msg)));
	assert_false(fields_applies(c, FIELD_TEST_REPO));
	assert_true(fields_set(c, FIELD_CONNECTION, "ssh", msg, sizeof(msg)));
	assert_false(fields_applies(c, FIELD_USERNAME));
	assert_false(fields_applies(c, FIELD_TOKEN));
	assert_false(fields_applies(c, FIELD_ALLOW_HTTP));
	assert_true(fields_applies(c, FIELD_SSH_KEY));
	assert_true(fields_applies(c, FIELD_SSH_KEY_PASSPHRASE));
	assert_true(fields_set(c, FIELD_API_ACCESS, "true", msg, sizeof(msg)));
	assert_true(fields_applies(c, FIELD_API_TOKEN));
	assert_true(fields_set(c, FIELD_DELEGATES, "tags", msg, sizeof(msg)));
	assert_true(fields_applies(c, FIELD_DELEGATE_TAGS));
	connector_free(c);
}

static void test_set(void **state)
{
	struct connector *c = connector_new();

	(void)state;
	assert_true(fields_set(c, FIELD_URL_TYPE, "Repo", msg, sizeof(msg)));
	assert_string_equal(connector_get(c, FIELD_URL_TYPE), "repo");
	assert_false(fields_set(c, FIELD_URL_TYPE, "repository", msg, sizeof(msg)));
	assert_string_equal(msg, "'repository' is not one of: project, repo");
	assert_string_equal(connector_get(c, FIELD_URL_TYPE), "repo"); /* unchanged */
	assert_false(fields_set(c, FIELD_API_ACCESS, "yes", msg, sizeof(msg)));
	assert_string_equal(msg, "'yes' is not one of: true, false");
	/* Echoed only when short, plain text: never a line break or a pasted token into a message. */
	assert_false(fields_set(c, FIELD_CONNECTION, "ht\ntp", msg, sizeof(msg)));
	assert_string_equal(msg, "choose one of: http, ssh");
	assert_false(fields_set(c, FIELD_CONNECTION, "h t t p", msg, sizeof(msg)));
	assert_string_equal(msg, "choose one of: http, ssh");
	assert_false(fields_set(c, FIELD_CONNECTION, "abcdefghijklmnopqrstuvwxyz0123456", msg, sizeof(msg)));
	assert_string_equal(msg, "choose one of: http, ssh");
	assert_false(fields_set(c, FIELD_CONNECTION, "abcdefghijklmnopqrstuvwxyz012345", msg, sizeof(msg)));
	assert_string_equal(msg, "'abcdefghijklmnopqrstuvwxyz012345' is not one of: http, ssh");
	assert_string_equal(fields_choices_text(FIELD_CONNECTION, true, ", ", msg, sizeof(msg)), "HTTP, SSH");
	assert_string_equal(fields_choices_text(FIELD_SCOPE, false, "|", msg, sizeof(msg)), "account|org|project");
	assert_string_equal(fields_choices_text(FIELD_NAME, true, ", ", msg, sizeof(msg)), ""); /* not a choice */
	assert_true(fields_set(c, FIELD_API_ACCESS, "False", msg, sizeof(msg)));
	assert_string_equal(connector_get(c, FIELD_API_ACCESS), "false");
	assert_true(fields_set(c, FIELD_TAGS, " a , b,,", msg, sizeof(msg)));
	assert_string_equal(connector_get(c, FIELD_TAGS), "a,b");
	assert_true(fields_add(c, FIELD_TAGS, "c:d", msg, sizeof(msg)));
	assert_string_equal(connector_get(c, FIELD_TAGS), "a,b,c:d");
	assert_true(fields_set(c, FIELD_TAGS, "x", msg, sizeof(msg)));
	assert_string_equal(connector_get(c, FIELD_TAGS), "x");
	assert_true(fields_add(c, FIELD_NAME, "n", msg, sizeof(msg))); /* not a list: replaces */
	assert_true(fields_add(c, FIELD_NAME, "m", msg, sizeof(msg)));
	assert_string_equal(connector_get(c, FIELD_NAME), "m");
	assert_true(fields_set(c, FIELD_NAME, "", msg, sizeof(msg)));
	assert_null(connector_get(c, FIELD_NAME));
	assert_true(fields_set(c, FIELD_TAGS, NULL, msg, sizeof(msg)));
	assert_null(connector_get(c, FIELD_TAGS));
	/* A URL's one trailing '/' goes (Harness uses a Repository URL as given); other text keeps it. */
	static const struct { enum field_id id; const char *given, *kept; } slash[] = {
		{ FIELD_URL, "https://dev.azure.com/contoso/Shop/_git/ui/", "https://dev.azure.com/contoso/Shop/_git/ui" },
		{ FIELD_URL, "git@ssh.dev.azure.com:v3/contoso/Shop/", "git@ssh.dev.azure.com:v3/contoso/Shop" },
		{ FIELD_URL, "https://", "https://" },
		{ FIELD_URL, "/", "/" },
		{ FIELD_DESCRIPTION, "a/", "a/" },
	};
	for (size_t i = 0; i < sizeof(slash) / sizeof(slash[0]); i++) {
		assert_true(fields_set(c, slash[i].id, slash[i].given, msg, sizeof(msg)));
		assert_string_equal(connector_get(c, slash[i].id), slash[i].kept);
	}
	/* Static defaults show through connector_value, not connector_get. */
	assert_null(connector_get(c, FIELD_SCOPE));
	assert_string_equal(connector_value(c, FIELD_SCOPE), "account");
	assert_true(connector_is(c, FIELD_CONNECTION, "http"));
	connector_free(c);
}

static void test_defaults(void **state)
{
	char buf[256];
	struct connector *c = fixture_connector("name", "Azure Payments", NULL);

	(void)state;
	assert_string_equal(fields_default(c, FIELD_IDENTIFIER, buf, sizeof(buf)), "Azure_Payments");
	assert_null(fields_default(c, FIELD_TOKEN, buf, sizeof(buf))); /* no identifier yet */
	assert_string_equal(fields_default(c, FIELD_SECRET_SCOPE, buf, sizeof(buf)), "account");
	assert_string_equal(fields_default(c, FIELD_DELEGATES, buf, sizeof(buf)), "any");
	assert_null(fields_default(c, FIELD_URL_TYPE, buf, sizeof(buf)));
	assert_true(fields_set(c, FIELD_SCOPE, "project", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_API_ACCESS, "true", msg, sizeof(msg)));
	assert_true(fields_apply_defaults(c));
	assert_string_equal(connector_get(c, FIELD_IDENTIFIER), "Azure_Payments");
	assert_string_equal(connector_get(c, FIELD_TOKEN), "azure_payments-token");
	/* With HTTP the API token is the same secret by default. */
	assert_string_equal(connector_get(c, FIELD_API_TOKEN), "azure_payments-token");
	assert_string_equal(connector_get(c, FIELD_SECRET_SCOPE), "project");
	assert_string_equal(connector_get(c, FIELD_CONNECTION), "http");
	assert_null(connector_get(c, FIELD_SSH_KEY));             /* does not apply */
	assert_null(connector_get(c, FIELD_URL_TYPE));            /* no default */
	connector_free(c);

	c = fixture_connector("name", "Infra", "identifier", "infra", "connection", "ssh",
	                      "api-access", "true", "ssh-key", "mine", NULL);
	assert_true(fields_apply_defaults(c));
	assert_string_equal(connector_get(c, FIELD_SSH_KEY), "mine"); /* kept */
	assert_string_equal(connector_get(c, FIELD_API_TOKEN), "infra-api-token");
	assert_null(connector_get(c, FIELD_SSH_KEY_PASSPHRASE)); /* only if the key has one */
	fields_secret_id(c, FIELD_SSH_KEY_PASSPHRASE, buf, sizeof(buf));
	assert_string_equal(buf, "infra-ssh-key-passphrase");
	connector_free(c);
}

static void expect(const struct connector *c, enum field_id id, const char *value,
                   const struct fields_env *env, const char *says)
{
	bool ok = fields_validate(c, id, value, env, msg, sizeof(msg));

	if (says ? ok || !strstr(msg, says) : !ok)
		fail_msg("%s='%s': got %s '%s', expected %s", fields_at(id)->key, value ? value : "(null)",
		         ok ? "ok" : "refused", ok ? "" : msg, says ? says : "ok");
}

static void test_validate(void **state)
{
	struct connector *c = make_http();

	(void)state;
	expect(c, FIELD_NAME, NULL, NULL, "required (e.g. 'Azure Payments')");
	expect(c, FIELD_NAME, "", NULL, "required");
	expect(c, FIELD_NAME, " x", NULL, "cannot start with a space");
	expect(c, FIELD_DESCRIPTION, NULL, NULL, NULL);
	expect(c, FIELD_URL_TYPE, NULL, NULL, "choose one of: project, repo");
	expect(c, FIELD_URL_TYPE, "Repo", NULL, "'Repo' is not one of: project, repo"); /* only as stored */
	expect(c, FIELD_TOKEN, NULL, NULL, "required: the store id of the Personal Access Token (e.g. 'shop-token')");
	expect(c, FIELD_TOKEN, "Shop Token", NULL, "must start with a lower-case letter");
	expect(c, FIELD_TAGS, "a, a", NULL, "tag 'a' is given twice");      /* as typed */
	expect(c, FIELD_ORG, "1org", NULL, "an organization identifier cannot start with a digit");
	expect(c, FIELD_PROJECT, "", NULL, "required (e.g. 'payments')");
	expect(c, FIELD_PROJECT, "a-b", NULL, "'-' is not allowed");
	expect(c, FIELD_USERNAME, "a b", NULL, "a space is not allowed in a username");
	expect(c, FIELD_DELEGATE_TAGS, "", NULL, "required");
	expect(c, FIELD_DELEGATE_TAGS, "x,x", NULL, "given twice");
	expect(c, FIELD_TEST_REPO, "https://dev.azure.com/contoso/Shop/_git/shop", NULL,
	       "give the repository name, e.g. \"shop\", not its URL");
	expect(c, FIELD_TEST_REPO, "a/b", NULL, "give the repository's name alone, e.g. \"b\", not a path");
	expect(c, FIELD_TEST_REPO, "Shop/_git/shop", NULL, "give the repository's name alone, e.g. \"shop\", not a path");
	expect(c, FIELD_TEST_REPO, "a/", NULL, "remove '/'");
	expect(c, FIELD_TEST_REPO, "payments-api.git", NULL,
	       "remove the '.git' suffix: the repository is \"payments-api\"");
	expect(c, FIELD_TEST_REPO, "shop", NULL, NULL);
	/* Text that is not UTF-8 (Latin-1, a lone continuation byte, an overlong form): where, and why. */
	expect(c, FIELD_DESCRIPTION, "caf\xe9", NULL, "a byte that is not UTF-8 (0xE9) at character 4: give the "
	                                               "text in UTF-8");
	expect(c, FIELD_DESCRIPTION, "h\xc3\xa9 \x80", NULL, "(0x80) at character 4");
	expect(c, FIELD_USERNAME, "\xc0\xaf" "etc", NULL, "a byte that is not UTF-8 (0xC0) at character 1");
	expect(c, FIELD_TAGS, "ok, caf\xe9", NULL, "a byte that is not UTF-8 (0xE9): give the text in UTF-8");
	expect(c, FIELD_DESCRIPTION, "caf\xc3\xa9 \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x94\x91", NULL, NULL);
	connector_free(c);
}

/* The URL is checked against the URL type and connection type (azure_url_check). */
static void test_validate_url(void **state)
{
	struct connector *c = make_http();

	(void)state;
	expect(c, FIELD_URL, "https://dev.azure.com/contoso/Shop/_git/shop", NULL, NULL);
	expect(c, FIELD_URL, "https://dev.azure.com/contoso/Shop", NULL, "");
	expect(c, FIELD_URL, "git@ssh.dev.azure.com:v3/contoso/Shop/shop", NULL, "");
	expect(c, FIELD_URL, "http://tfs.example.com/tfs/Coll/Shop/_git/shop", NULL, "");
	assert_true(fields_set(c, FIELD_ALLOW_HTTP, "true", msg, sizeof(msg)));
	expect(c, FIELD_URL, "http://tfs.example.com/tfs/Coll/Shop/_git/shop", NULL, NULL);
	assert_true(fields_set(c, FIELD_URL_TYPE, "project", msg, sizeof(msg)));
	expect(c, FIELD_URL, "https://dev.azure.com/contoso/Shop", NULL, NULL);
	expect(c, FIELD_URL, "https://dev.azure.com/contoso/Shop/_git/shop", NULL, "");
	assert_true(fields_set(c, FIELD_CONNECTION, "ssh", msg, sizeof(msg)));
	expect(c, FIELD_URL, "git@ssh.dev.azure.com:v3/contoso/Shop", NULL, NULL);
	expect(c, FIELD_URL, "https://dev.azure.com/contoso/Shop", NULL, "");
	/* allow-http does not apply to SSH, so it cannot loosen anything there. */
	/* No URL type yet: a URL of either type passes (url-type asks for one); what else is wrong shows now. */
	assert_true(fields_set(c, FIELD_URL_TYPE, NULL, msg, sizeof(msg)));
	expect(c, FIELD_URL, "git@ssh.dev.azure.com:v3/contoso/Shop", NULL, NULL);
	expect(c, FIELD_URL, "git@ssh.dev.azure.com:v3/contoso/Shop/shop", NULL, NULL);
	expect(c, FIELD_URL, "git@ssh.dev.azure.com:v3/contoso/Shop/shop.git", NULL,
	       "remove the '.git' suffix: Azure reads it as part of the repository name");
	expect(c, FIELD_URL, "git@ssh.dev.azure.com:v3/contoso/My Shop", NULL,
	       "the URL has a raw space: use 'git@ssh.dev.azure.com:v3/contoso/My%20Shop'");
	expect(c, FIELD_URL, "anything", NULL, "add the scheme");
	assert_true(fields_set(c, FIELD_URL_TYPE, "project", msg, sizeof(msg)));
	expect(c, FIELD_TEST_REPO, "web%20app", NULL, "give the name as Azure DevOps shows it, \"web app\", not "
	       "encoded as in a URL (the export encodes it for Harness)");
	expect(c, FIELD_TEST_REPO, "web app", NULL, NULL);
	expect(c, FIELD_TEST_REPO, "50%", NULL, "remove '%'");
	/* No URL type yet, an upper-case host: the fix is the Project URL it reads as, nothing more. */
	assert_true(fields_set(c, FIELD_URL_TYPE, NULL, msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_CONNECTION, "http", msg, sizeof(msg)));
	assert_false(fields_validate(c, FIELD_URL, "HTTPS://dev.azure.com/contoso/Shop", NULL, msg, sizeof(msg)));
	assert_string_equal(msg, "write the scheme in lower case, as Harness takes it: 'https://dev.azure.com/contoso/Shop'");
	assert_true(fields_set(c, FIELD_CONNECTION, "ssh", msg, sizeof(msg)));
	/* API access on: a form Harness cannot cut the organization and project from is refused. */
	assert_true(fields_set(c, FIELD_URL_TYPE, "repo", msg, sizeof(msg)));
	expect(c, FIELD_URL, "ssh://git@ssh.dev.azure.com/v3/contoso/Shop/shop", NULL, NULL);
	assert_true(fields_set(c, FIELD_API_ACCESS, "true", msg, sizeof(msg)));
	expect(c, FIELD_URL, "ssh://git@ssh.dev.azure.com/v3/contoso/Shop/shop", NULL,
	       "with API access on, Harness reads the organization and project from the URL, and cannot from this "
	       "form: use 'git@ssh.dev.azure.com:v3/contoso/Shop/shop' (the same repository)");
	expect(c, FIELD_URL, "git@ssh.dev.azure.com:v3/contoso/Shop/shop", NULL, NULL);
	connector_free(c);
}

/* A URL type not chosen: the URL says which one it reads as, spaces or '.git' aside. */
static void test_url_type_pointed(void **state)
{
	static const struct {
		const char *url, *type, *says;
	} cases[] = {
		{ "https://dev.azure.com/contoso/Shop/_git/shop", "repo", " (the URL names a repository: repo)" },
		{ "https://dev.azure.com/contoso/My Shop/_git/shop.git", "repo", " (the URL names a repository: repo)" },
		{ "https://dev.azure.com/contoso/Shop", "project", " (the URL names no repository: project)" },
		{ "HTTPS://Dev.Azure.com/contoso/Shop", "project", " (the URL names no repository: project)" },
		{ "https://contoso.visualstudio.com/DefaultCollection/Shop/", "project", NULL },
		{ "https://contoso.visualstudio.com/_git/shop", "repo", NULL },
		{ "https://tfs.example.com:8080/tfs/Coll/Shop/_git/shop", "repo", NULL },
		{ "http://tfs.example.com/Coll/Shop", "project", NULL },
		{ "git@ssh.dev.azure.com:v3/contoso/Shop/shop", "repo", NULL },
		{ "git@ssh.dev.azure.com:v3/contoso/Shop", "project", NULL },
		{ "ssh://contoso@vs-ssh.visualstudio.com:22/DefaultCollection/Shop/_ssh/shop", "repo", NULL },
		{ "anything", NULL, NULL },
		{ "https://dev.azure.com/contoso", NULL, NULL },
		{ "https://user:secret@dev.azure.com/contoso/Shop", NULL, NULL },
		{ "", NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct connector *c = fixture_connector("url", cases[i].url, NULL);
		const char *why = NULL, *type = fields_pointed_choice(c, FIELD_URL_TYPE, &why);
		char want[FIELD_MSG_MAX];

		if (cases[i].type ? !type || strcmp(type, cases[i].type) != 0 || !why : type != NULL)
			fail_msg("%s: points to %s, want %s", cases[i].url, type ? type : "nothing",
			         cases[i].type ? cases[i].type : "nothing");
		snprintf(want, sizeof(want), "required: choose one of: project, repo%s", cases[i].says ? cases[i].says : "");
		if ((!cases[i].type || cases[i].says) &&
		    (fields_validate(c, FIELD_URL_TYPE, NULL, NULL, msg, sizeof(msg)) || strcmp(msg, want) != 0))
			fail_msg("%s: url-type says '%s', want '%s'", cases[i].url, msg, want);
		connector_free(c);
	}
	/* Only the URL type has one: the connection type's value is the user's to choose. */
	struct connector *c = make_http();
	const char *why;
	assert_null(fields_pointed_choice(c, FIELD_CONNECTION, &why));
	connector_free(c);
}

/* Every sample value is valid where it is shown: the URL's follows the URL type and connection. */
static void test_examples(void **state)
{
	static const char *const combos[][2] = {
		{ "repo", "http" }, { "project", "http" }, { "repo", "ssh" }, { "project", "ssh" },
	};
	struct connector *c = make_http();

	(void)state;
	for (size_t k = 0; k < sizeof(combos) / sizeof(combos[0]); k++) {
		assert_true(fields_set(c, FIELD_URL_TYPE, combos[k][0], msg, sizeof(msg)));
		assert_true(fields_set(c, FIELD_CONNECTION, combos[k][1], msg, sizeof(msg)));
		for (int id = 0; id < FIELD_COUNT; id++) {
			const char *x = fields_example(c, (enum field_id)id);

			if (!x)
				continue;
			expect(c, (enum field_id)id, x, NULL, NULL);
			if (fields_at((enum field_id)id)->required) {
				char want[FIELD_MSG_MAX];

				/* The test repository: the one the URL names (a repository's URL) is offered instead. */
				if (id == FIELD_TEST_REPO)
					snprintf(want, sizeof(want), "required: the URL names the repository \"shop\", which "
					         "can be it");
				else
					snprintf(want, sizeof(want), "required (e.g. '%s')", x);
				expect(c, (enum field_id)id, "", NULL, want);
			}
		}
	}
	assert_string_equal(fields_example(c, FIELD_URL), "git@ssh.dev.azure.com:v3/contoso/Shop");
	/* A URL naming no repository: the example. */
	assert_true(fields_set(c, FIELD_URL, "git@ssh.dev.azure.com:v3/contoso/Shop", msg, sizeof(msg)));
	char example[FIELD_MSG_MAX];
	snprintf(example, sizeof(example), "required (e.g. '%s')", fields_example(c, FIELD_TEST_REPO));
	expect(c, FIELD_TEST_REPO, "", NULL, example);
	assert_true(fields_set(c, FIELD_URL_TYPE, NULL, msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_CONNECTION, "http", msg, sizeof(msg)));
	assert_string_equal(fields_example(c, FIELD_URL), "https://dev.azure.com/contoso/Shop/_git/ui");
	assert_null(fields_example(c, FIELD_DESCRIPTION));
	connector_free(c);
}

/*
 * The URL's help follows the URL type and connection chosen: it shows the form of the example
 * (contoso, Shop and ui as <org>, <project> and <repo>); none chosen, the help of both types.
 */
static void test_url_help(void **state)
{
	static const char *const combos[][2] = {
		{ "repo", "http" }, { "project", "http" }, { "repo", "ssh" }, { "project", "ssh" },
	};
	struct connector *c = make_http();
	char form[256];

	(void)state;
	for (size_t k = 0; k < sizeof(combos) / sizeof(combos[0]); k++) {
		assert_true(fields_set(c, FIELD_URL_TYPE, combos[k][0], msg, sizeof(msg)));
		assert_true(fields_set(c, FIELD_CONNECTION, combos[k][1], msg, sizeof(msg)));
		const char *x = fields_example(c, FIELD_URL), *help = fields_help(c, FIELD_URL);
		const char *org = strstr(x, "contoso"), *project = strstr(x, "/Shop");
		bool repo = strcmp(combos[k][0], "repo") == 0;

		assert_non_null(org);
		assert_non_null(project);
		snprintf(form, sizeof(form), "%.*s<org>/<project>%s.", (int)(org - x), x,
		         !repo ? "" : strcmp(combos[k][1], "ssh") == 0 ? "/<repo>" : "/_git/<repo>");
		assert_non_null(strstr(help, form));
		assert_true(repo == (strstr(help, "Clone") != NULL));
	}
	assert_true(fields_set(c, FIELD_URL_TYPE, NULL, msg, sizeof(msg)));
	assert_string_equal(fields_help(c, FIELD_URL), fields_at(FIELD_URL)->help);
	assert_string_equal(fields_help(c, FIELD_NAME), fields_at(FIELD_NAME)->help);
	connector_free(c);
}

/* The form people read (review, show): labels for choices, lists spaced. */
static void test_human(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(fields_human(FIELD_TAGS, "team:payments,prod", buf, sizeof(buf)),
	                    "team:payments, prod");
	assert_string_equal(fields_human(FIELD_URL_TYPE, "repo", buf, sizeof(buf)), "Repository");
	assert_string_equal(fields_human(FIELD_NAME, "a,b", buf, sizeof(buf)), "a,b");
	assert_string_equal(fields_human(FIELD_DELEGATE_TAGS, "a,b,c", buf, 6), "a, b"); /* cut, ended */
}

/* The fix a URL message names, when it is a URL the field takes. */
static void expect_suggestion(const struct connector *c, const char *url, const char *want)
{
	char out[512] = "";
	bool ok = fields_validate(c, FIELD_URL, url, NULL, msg, sizeof(msg));

	assert_false(ok);
	if (want ? !fields_suggestion(c, FIELD_URL, msg, NULL, out, sizeof(out)) || strcmp(out, want) != 0
	         : fields_suggestion(c, FIELD_URL, msg, NULL, out, sizeof(out)))
		fail_msg("'%s': message '%s': suggested '%s', expected '%s'", url, msg, out,
		         want ? want : "nothing");
}

static void test_suggestion(void **state)
{
	struct connector *c = make_http();

	(void)state;
	expect_suggestion(c, "https://dev.azure.com/contoso/My Shop/_git/web",
	                  "https://dev.azure.com/contoso/My%20Shop/_git/web");
	expect_suggestion(c, "https://dev.azure.com/contoso/Shop/_git/web.git",
	                  "https://dev.azure.com/contoso/Shop/_git/web");
	expect_suggestion(c, "https://dev.azure.com/contoso/Shop/_git/web?path=/README.md",
	                  "https://dev.azure.com/contoso/Shop/_git/web");
	expect_suggestion(c, "https://ci@dev.azure.com/contoso/Shop/_git/web",
	                  "https://dev.azure.com/contoso/Shop/_git/web");
	/* Each fix in turn: the URL quoted last is right (https://, %20, no '.git'). */
	expect_suggestion(c, "http://ci@tfs.example/tfs/C/My Shop/_git/web.git",
	                  "https://tfs.example/tfs/C/My%20Shop/_git/web");
	/* An apostrophe in the text pairs no quotes wrongly. */
	char fix[256];
	assert_true(fields_suggestion(c, FIELD_URL, "as in Azure's clone URLs ('https://dev.azure.com/c/Shop/_git/web')",
	                              NULL, fix, sizeof(fix)));
	assert_string_equal(fix, "https://dev.azure.com/c/Shop/_git/web");
	expect_suggestion(c, "https://dev.azure.com/contoso/", NULL);        /* '.../<project>' */
	expect_suggestion(c, "", NULL);     /* "required (e.g. '…')": an example, not a fix to take */
	expect_suggestion(c, "https://dev.azure.com/contoso/Shop/_boards/board", NULL);
	assert_true(fields_set(c, FIELD_URL_TYPE, "project", msg, sizeof(msg)));
	expect_suggestion(c, "https://dev.azure.com/contoso/Shop/_boards/board",
	                  "https://dev.azure.com/contoso/Shop");
	assert_true(fields_set(c, FIELD_CONNECTION, "ssh", msg, sizeof(msg)));
	expect_suggestion(c, "git@ssh.dev.azure.com:v3/contoso/Shop/web", "git@ssh.dev.azure.com:v3/contoso/Shop");
	expect_suggestion(c, "git@ssh.dev.azure.com:v3/contoso/Shop/_git/web", "git@ssh.dev.azure.com:v3/contoso/Shop");
	expect_suggestion(c, "ssh.dev.azure.com:contoso/Shop", "git@ssh.dev.azure.com:v3/contoso/Shop");
	expect_suggestion(c, "https://dev.azure.com/contoso/Shop", "git@ssh.dev.azure.com:v3/contoso/Shop");
	/* The test repository: the name a URL given there holds; none when it holds none. */
	char name[64];
	assert_false(fields_validate(c, FIELD_TEST_REPO, "https://dev.azure.com/contoso/Shop/_git/api",
	                             NULL, msg, sizeof(msg)));
	assert_true(fields_suggestion(c, FIELD_TEST_REPO, msg, NULL, name, sizeof(name)));
	assert_string_equal(name, "api");
	assert_false(fields_validate(c, FIELD_TEST_REPO, "https://dev.azure.com/contoso/Shop", NULL, msg,
	                             sizeof(msg)));
	assert_false(fields_suggestion(c, FIELD_TEST_REPO, msg, NULL, name, sizeof(name)));
	assert_false(fields_validate(c, FIELD_TEST_REPO, "_git/api", NULL, msg, sizeof(msg)));
	assert_true(fields_suggestion(c, FIELD_TEST_REPO, msg, NULL, name, sizeof(name)));
	assert_string_equal(name, "api");
	assert_false(fields_validate(c, FIELD_TEST_REPO, "api.git", NULL, msg, sizeof(msg)));
	assert_true(fields_suggestion(c, FIELD_TEST_REPO, msg, NULL, name, sizeof(name)));
	assert_string_equal(name, "api");
	/* Other fields never get one, whatever their message quotes. */
	assert_false(fields_validate(c, FIELD_NAME, "a!", NULL, msg, sizeof(msg)));
	char out[64];
	assert_false(fields_suggestion(c, FIELD_NAME, msg, NULL, out, sizeof(out)));
	connector_free(c);
}

/* Rows a text takes wrapped at spaces in width columns (ASCII), as the wizard wraps it. */
static int wrap_rows(const char *text, size_t width)
{
	int rows = 0;

	while (*text) {
		size_t len = strlen(text), cut = len;
		if (len > width) {
			cut = width;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = width;
		}
		text += cut;
		while (*text == ' ')
			text++;
		rows++;
	}
	return rows;
}

/* The wizard shows the focused field's help in two rows under the page (80 columns). */
static void test_help_fits(void **state)
{
	(void)state;
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);

		if (wrap_rows(f->help, 78) > 2)
			fail_msg("the help of %s takes %d rows at 80 columns: keep it to 2", f->key,
			         wrap_rows(f->help, 78));
	}
}

static void test_validate_cross(void **state)
{
	struct connector *c = make_http();

	(void)state;
	/* Secret scope: the connector's own scope or a wider one. */
	expect(c, FIELD_SECRET_SCOPE, "account", NULL, NULL);
	expect(c, FIELD_SECRET_SCOPE, "org", NULL, "an account-level connector can only use "
	                                           "account secrets");
	expect(c, FIELD_SECRET_SCOPE, "project", NULL, "only use account secrets");
	assert_true(fields_set(c, FIELD_SCOPE, "org", msg, sizeof(msg)));
	expect(c, FIELD_SECRET_SCOPE, "org", NULL, NULL);
	expect(c, FIELD_SECRET_SCOPE, "account", NULL, NULL);
	expect(c, FIELD_SECRET_SCOPE, "project", NULL, "cannot use project secrets");
	assert_true(fields_set(c, FIELD_SCOPE, "project", msg, sizeof(msg)));
	expect(c, FIELD_SECRET_SCOPE, "project", NULL, NULL);
	expect(c, FIELD_SECRET_SCOPE, "account", NULL, NULL);
	/* The passphrase is a secret of its own. */
	assert_true(fields_set(c, FIELD_SSH_KEY, "k", msg, sizeof(msg)));
	expect(c, FIELD_SSH_KEY_PASSPHRASE, "k", NULL, "needs its own store id");
	expect(c, FIELD_SSH_KEY_PASSPHRASE, "k-pass", NULL, NULL);
	expect(c, FIELD_SSH_KEY_PASSPHRASE, NULL, NULL, NULL);
	connector_free(c);
}

/*
 * A line of a private key (a key pasted without bracketed paste lands line by line in the fields
 * that follow): refused in every field that is not a secret's, never quoted.
 */
static void test_validate_key_text(void **state)
{
	static const char line[] = "KSj/Q6NEwZqqdjgyaNcWhqBi7pCQ664DgbLbTVozxAIscR5DSQpgyz3P65HI27dJ";
	static const char *const values[] = { line, "-----BEGIN RSA PRIVATE KEY-----", "x, " };
	static const enum field_id ids[] = { FIELD_NAME, FIELD_DESCRIPTION, FIELD_TAGS, FIELD_USERNAME,
	                                     FIELD_TEST_REPO, FIELD_DELEGATE_TAGS, FIELD_IDENTIFIER,
	                                     FIELD_URL };
	struct connector *c = make_http();
	char value[128];

	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
			/* The last: the line after a value there already ("x, " in a list; a URL typed onto). */
			snprintf(value, sizeof(value), "%s%s", ids[i] == FIELD_URL && k == 2 ? "https://dev.azure.com/" :
			         values[k], k == 2 ? line : "");
			assert_false(fields_validate(c, ids[i], value, NULL, msg, sizeof(msg)));
			assert_non_null(strstr(msg, "this looks like a piece of a private key: a key goes only in the "
			                            "SSH private key field"));
			assert_non_null(strstr(msg, fields_at(ids[i])->label));
			assert_null(strstr(msg, "Q6NEwZqq"));
		}
	}
	/* Not one: a long name, a commit id, a path of base64-ish words. */
	expect(c, FIELD_DESCRIPTION, "PaymentsGatewayServiceForInternationalCustomersAndTheAmericas2", NULL, NULL);
	expect(c, FIELD_DESCRIPTION, "deployed 3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed", NULL,
	       NULL);
	connector_free(c);
}

/* A token typed where it would show and be kept in clear: refused in every such field, never quoted. */
static void test_validate_token(void **state)
{
	static const char pat[] = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst";
	static const char *const before[] = { "", "ci:", "team:", "my token is " };
	static const char *const after[] = { "", "", ", prod", "." };
	static const enum field_id ids[] = { FIELD_NAME, FIELD_DESCRIPTION, FIELD_TAGS, FIELD_USERNAME,
	                                     FIELD_TEST_REPO, FIELD_DELEGATE_TAGS, FIELD_IDENTIFIER,
	                                     FIELD_URL };
	struct connector *c = make_http();
	char value[128], buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		for (size_t k = 0; k < sizeof(before) / sizeof(before[0]); k++) {
			snprintf(value, sizeof(value), "%s%s%s", before[k], pat, after[k]);
			assert_false(fields_validate(c, ids[i], value, NULL, msg, sizeof(msg)));
			assert_non_null(strstr(msg, "this looks like a Personal Access Token: a token goes only in "
			                            "its own field"));
			assert_non_null(strstr(msg, fields_at(ids[i])->label));
			assert_null(strstr(msg, "abcdefghijklmnop"));
		}
	}
	/* A letter before it (typed onto a value already there): still one. */
	expect(c, FIELD_DESCRIPTION, "uabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst", NULL,
	       "looks like a Personal Access Token");
	/* Not the shape of one: a character outside base32 (8), spaces between. */
	expect(c, FIELD_DESCRIPTION, "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrs8", NULL, NULL);
	expect(c, FIELD_DESCRIPTION, "abcdefghijklmnopqrstuvwxyz 234567abcdefghijklmnopqrst", NULL, NULL);
	/* A name of 52 letters (no digit, as a token has): a name, in a URL too. */
	expect(c, FIELD_TEST_REPO, "paymentsgatewayserviceforinternationalcustomersrepos", NULL, NULL);
	expect(c, FIELD_URL, "https://dev.azure.com/contoso/Shop/_git/paymentsgatewayserviceforinternationalcustomersrepos",
	       NULL, NULL);
	/* ... and so is one of words with a digit (a third of its letters vowels, as no token has). */
	expect(c, FIELD_IDENTIFIER, "paymentsplatformazurereposconnectorproductioneuwest2", NULL, NULL);
	expect(c, FIELD_URL, "https://dev.azure.com/contoso/Shop/_git/paymentsplatformazurereposconnectorproductioneuwest2",
	       NULL, NULL);
	/* Two digits, or few vowels: a token still. */
	expect(c, FIELD_DESCRIPTION, "paymentsplatformazurereposconnectorproductioneuwes22", NULL,
	       "looks like a Personal Access Token");
	/* The newer 84-character form: letters and digits both. */
	expect(c, FIELD_USERNAME, "a234567890abcdefghijABCDEFGHIJ1234567890abcdefghijABCDEFGHIJ1234567890abcdefghijAZDO",
	       NULL, "this looks like a Personal Access Token");
	/* In a URL's query or path too; as its user name, the URL's own message (remove it). */
	expect(c, FIELD_URL, "https://dev.azure.com/contoso/Shop/_git/shop?token="
	       "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst", NULL, "this looks like a Personal Access Token");
	expect(c, FIELD_URL, "https://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst@dev.azure.com/contoso/"
	       "Shop/_git/shop", NULL, "remove the token before '@' from the URL (not shown)");
	/* A name that is a token gives no identifier (nor secret ids) made from it. */
	assert_true(fields_set(c, FIELD_NAME, pat, msg, sizeof(msg)));
	assert_null(fields_default(c, FIELD_IDENTIFIER, buf, sizeof(buf)));
	assert_true(fields_hides_token(FIELD_USERNAME, pat));
	assert_false(fields_hides_token(FIELD_TOKEN, pat));  /* a store id: its own message */
	assert_false(fields_hides_token(FIELD_USERNAME, "ci-bot"));
	connector_free(c);
}

static void test_validate_unique(void **state)
{
	char *dir = tmpdir_make("azrc-fields"), path[PATH_MAX];
	struct connector *c = make_http();
	struct fields_env env = { .connectors_dir = dir };
	FILE *f;

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/shop.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	expect(c, FIELD_IDENTIFIER, "shop", &env, "a connector 'shop' already exists in");
	expect(c, FIELD_IDENTIFIER, "shop2", &env, NULL);
	expect(c, FIELD_IDENTIFIER, "Shop", &env, NULL); /* identifiers are case-sensitive */
	expect(c, FIELD_IDENTIFIER, "shop", NULL, NULL); /* no folder given: not checked */
	env.editing = "shop";
	expect(c, FIELD_IDENTIFIER, "shop", &env, NULL); /* itself, when editing */
	tmpdir_remove(dir);
	free(dir);
	connector_free(c);
}

static void test_validate_all(void **state)
{
	struct field_error errs[FIELD_COUNT];
	struct connector *c = connector_new();
	size_t n;

	(void)state;
	n = fields_validate_all(c, NULL, errs);
	/* Every required field without a default, in table order. */
	assert_int_equal(n, 7);
	assert_int_equal(errs[0].id, FIELD_NAME);
	assert_int_equal(errs[1].id, FIELD_IDENTIFIER);
	assert_int_equal(errs[2].id, FIELD_URL_TYPE);
	assert_int_equal(errs[3].id, FIELD_URL);
	assert_int_equal(errs[4].id, FIELD_USERNAME);
	assert_int_equal(errs[5].id, FIELD_TOKEN);
	assert_int_equal(errs[6].id, FIELD_SECRET_SCOPE);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(strstr(errs[i].msg, "required"));
		assert_null(strchr(errs[i].msg, '\n'));
	}
	connector_free(c);

	c = make_http();
	assert_int_equal(fields_validate_all(c, NULL, errs), 0);
	/* Invalid values of fields that do not apply are not reported. */
	assert_true(fields_set(c, FIELD_SSH_KEY, "Not Valid", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_TEST_REPO, "https://x", msg, sizeof(msg)));
	assert_int_equal(fields_validate_all(c, NULL, errs), 0);
	/* Several problems: all reported together. */
	assert_true(fields_set(c, FIELD_NAME, " bad", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_SCOPE, "project", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_DELEGATES, "tags", msg, sizeof(msg)));
	n = fields_validate_all(c, NULL, errs);
	assert_int_equal(n, 4);
	assert_int_equal(errs[0].id, FIELD_NAME);
	assert_int_equal(errs[1].id, FIELD_ORG);
	assert_int_equal(errs[2].id, FIELD_PROJECT);
	assert_int_equal(errs[3].id, FIELD_DELEGATE_TAGS);
	/* A narrower secret scope than the connector's is a cross-field error. */
	assert_true(fields_set(c, FIELD_SCOPE, "account", msg, sizeof(msg)));
	assert_true(fields_set(c, FIELD_SECRET_SCOPE, "org", msg, sizeof(msg)));
	n = fields_validate_all(c, NULL, errs);
	assert_int_equal(n, 3);
	assert_int_equal(errs[1].id, FIELD_SECRET_SCOPE);
	connector_free(c);
}

static void assert_ascii(const char *what, const char *text)
{
	for (const char *p = text; p && *p; p++)
		if ((unsigned char)*p >= 0x80)
			fail_msg("%s is not ASCII at '%.12s': the wizard in a locale that is not UTF-8 draws it so",
			         what, p);
}

/* Every word of the table is ASCII: in a locale that is not UTF-8 a '…' in a help showed as junk. */
static void test_texts_ascii(void **state)
{
	static const char *const settings[][2] = {
		{ NULL, NULL }, { "url-type", "project" }, { "url-type", "repo" }, { "connection", "ssh" },
		{ "scope", "project" }, { "api-access", "true" },
	};
	(void)state;
	for (size_t k = 0; k < sizeof(settings) / sizeof(settings[0]); k++) {
		struct connector *c = connector_new();

		assert_non_null(c);
		if (settings[k][0])
			assert_int_equal(connector_put(c, fields_find(settings[k][0])->id, settings[k][1]), 0);
		for (int id = 0; id < FIELD_COUNT; id++) {
			const struct field *f = fields_at(id);

			assert_ascii(f->key, f->label);
			assert_ascii(f->key, f->when);
			assert_ascii(f->key, fields_help(c, id));
			assert_ascii(f->key, fields_example(c, id));
			for (const struct field_choice *ch = f->choices; ch && ch->value; ch++)
				assert_ascii(f->key, ch->label);
		}
		connector_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_find_loose),
		cmocka_unit_test(test_applies),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_validate_url),
		cmocka_unit_test(test_url_type_pointed),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_url_help),
		cmocka_unit_test(test_human),
		cmocka_unit_test(test_suggestion),
		cmocka_unit_test(test_help_fits),
		cmocka_unit_test(test_texts_ascii),
		cmocka_unit_test(test_validate_cross),
		cmocka_unit_test(test_validate_key_text),
		cmocka_unit_test(test_validate_token),
		cmocka_unit_test(test_validate_unique),
		cmocka_unit_test(test_validate_all),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("fields", tests, NULL, NULL);
}
