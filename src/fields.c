#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "azure_name.h"
#include "azure_url.h"
#include "cli.h"
#include "connector.h"
#include "connector_file.h"
#include "fields.h"
#include "ident.h"
#include "msg.h"
#include "strlist.h"
#include "utf8.h"
#include "validate.h"

/* When a field applies. */

static bool fields_if_org(const struct connector *c)
{
	return connector_is(c, FIELD_SCOPE, "org") || connector_is(c, FIELD_SCOPE, "project");
}

static bool fields_if_project_scope(const struct connector *c)
{
	return connector_is(c, FIELD_SCOPE, "project");
}

static bool fields_if_project_url(const struct connector *c)
{
	return connector_is(c, FIELD_URL_TYPE, "project");
}

static bool fields_if_http(const struct connector *c)
{
	return connector_is(c, FIELD_CONNECTION, "http");
}

static bool fields_if_ssh(const struct connector *c)
{
	return connector_is(c, FIELD_CONNECTION, "ssh");
}

static bool fields_if_api(const struct connector *c)
{
	return connector_is(c, FIELD_API_ACCESS, "true");
}

static bool fields_if_delegate_tags(const struct connector *c)
{
	return connector_is(c, FIELD_DELEGATES, "tags");
}

/* Derived defaults. */

static bool fields_derive_identifier(const struct connector *c, char *buf, size_t buflen)
{
	const char *name = connector_get(c, FIELD_NAME);

	/* A token typed as the name is not copied on into the identifier and the secret ids. */
	if (!name || ident_looks_like_token(name))
		return false;
	ident_from_name(name, buf, buflen);
	return *buf != '\0';
}

static bool fields_derive_secret(const struct connector *c, enum field_id id, char *buf,
                                 size_t buflen)
{
	if (!connector_get(c, FIELD_IDENTIFIER))
		return false;
	fields_secret_id(c, id, buf, buflen);
	return true;
}

static bool fields_derive_token(const struct connector *c, char *buf, size_t buflen)
{
	return fields_derive_secret(c, FIELD_TOKEN, buf, buflen);
}

static bool fields_derive_ssh_key(const struct connector *c, char *buf, size_t buflen)
{
	return fields_derive_secret(c, FIELD_SSH_KEY, buf, buflen);
}

/* The API token is the HTTP token unless told otherwise (Azure takes one PAT for both). */
static bool fields_derive_api_token(const struct connector *c, char *buf, size_t buflen)
{
	const char *token = connector_get(c, FIELD_TOKEN);

	if (fields_if_http(c) && token) {
		snprintf(buf, buflen, "%s", token);
		return true;
	}
	return fields_derive_secret(c, FIELD_API_TOKEN, buf, buflen);
}

/* Secrets live where the connector does, by default. */
static bool fields_derive_secret_scope(const struct connector *c, char *buf, size_t buflen)
{
	snprintf(buf, buflen, "%s", connector_value(c, FIELD_SCOPE));
	return true;
}

/* Validators: each wraps the rule in ident.h, validate.h or azure_url.h. */

static bool fields_check_name(const struct connector *c, const char *v,
                              const struct fields_env *env, char *msg, size_t msglen)
{
	(void)c;
	(void)env;
	return ident_check_name(v, msg, msglen);
}

static bool fields_check_identifier(const struct connector *c, const char *v,
                                    const struct fields_env *env, char *msg, size_t msglen)
{
	char word[CLI_WORD_MAX];

	(void)c;
	if (!ident_check_identifier(v, "identifier", msg, msglen))
		return false;
	if (env && env->connectors_dir && !(env->editing && strcmp(env->editing, v) == 0) &&
	    connector_file_exists(env->connectors_dir, v)) {
		snprintf(msg, msglen, "a connector '%s' already exists in %s: choose another identifier, "
		         "or change that one with '%s edit %s'", v, env->connectors_dir,
		         env->program ? env->program : AZ_PROGRAM, cli_word(v, word, sizeof(word)));
		return false;
	}
	return true;
}

static bool fields_check_description(const struct connector *c, const char *v,
                                     const struct fields_env *env, char *msg, size_t msglen)
{
	(void)c;
	(void)env;
	return validate_description(v, msg, msglen);
}

static bool fields_check_tags(const struct connector *c, const char *v,
                              const struct fields_env *env, char *msg, size_t msglen)
{
	(void)c;
	(void)env;
	return validate_tags(v, msg, msglen);
}

static bool fields_check_org(const struct connector *c, const char *v,
                             const struct fields_env *env, char *msg, size_t msglen)
{
	(void)c;
	(void)env;
	return ident_check_identifier(v, "organization identifier", msg, msglen);
}

static bool fields_check_project(const struct connector *c, const char *v,
                                 const struct fields_env *env, char *msg, size_t msglen)
{
	(void)c;
	(void)env;
	return ident_check_identifier(v, "project identifier", msg, msglen);
}

static bool fields_check_url(const struct connector *c, const char *v,
                             const struct fields_env *env, char *msg, size_t msglen)
{
	enum az_url_type type = fields_if_project_url(c) ? AZ_URL_PROJECT : AZ_URL_REPO;

	(void)env;
	/* No URL type yet (url-type says so): checked as the type it reads as, so a space or '.git' shows now. */
	if (!connector_value(c, FIELD_URL_TYPE))
		azure_url_type_of(v, &type);
	return azure_url_check(v, type, fields_if_ssh(c) ? AZ_CONN_SSH : AZ_CONN_HTTP,
	                       fields_if_http(c) && connector_is(c, FIELD_ALLOW_HTTP, "true"), msg, msglen) &&
	       (!connector_is(c, FIELD_API_ACCESS, "true") || azure_url_api_ok(v, msg, msglen));
}

static const char *fields_url_type_pointed(const struct connector *c, const char **why)
{
	const char *url = connector_value(c, FIELD_URL);
	enum az_url_type type;

	if (!url || !azure_url_type_of(url, &type))
		return NULL;
	*why = type == AZ_URL_REPO ? "the URL names a repository" : "the URL names no repository";
	return type == AZ_URL_REPO ? "repo" : "project";
}

/* The URL form of the chosen URL type and connection (a Repository URL until one is chosen). */
static const char *fields_url_example(const struct connector *c)
{
	bool project = fields_if_project_url(c);

	if (fields_if_ssh(c))
		return project ? "git@ssh.dev.azure.com:v3/contoso/Shop"
		               : "git@ssh.dev.azure.com:v3/contoso/Shop/ui";
	return project ? "https://dev.azure.com/contoso/Shop"
	               : "https://dev.azure.com/contoso/Shop/_git/ui";
}

/* Where Azure DevOps shows the URL of the type and connection chosen (none chosen: the help). */
static const char *fields_url_help(const struct connector *c)
{
	bool ssh = fields_if_ssh(c);

	if (!connector_get(c, FIELD_URL_TYPE))
		return NULL;
	if (fields_if_project_url(c))
		return ssh ? "The project's SSH URL: a repository's SSH clone URL without the repository, "
		             "git@ssh.dev.azure.com:v3/<org>/<project>."
		           : "The project's URL, as the browser shows it on the project: "
		             "https://dev.azure.com/<org>/<project>.";
	return ssh ? "The repository's SSH clone URL (Repos, Files, Clone, SSH): "
	             "git@ssh.dev.azure.com:v3/<org>/<project>/<repo>."
	           : "The repository's clone URL (Repos, Files, Clone, HTTPS): "
	             "https://dev.azure.com/<org>/<project>/_git/<repo>.";
}

static bool fields_check_test_repo(const struct connector *c, const char *v,
                                   const struct fields_env *env, char *msg, size_t msglen)
{
	size_t len = strlen(v);

	(void)c;
	(void)env;
	/* As in a URL: Azure would read '.git' as part of the name. */
	if (len > 4 && strcasecmp(v + len - 4, ".git") == 0) {
		snprintf(msg, msglen, "remove the '.git' suffix: the repository is \"%.*s\"", (int)(len - 4), v);
		return false;
	}
	/* A path copied from a URL ("Payments/_git/api", "_git/api"): its last part is the name. */
	const char *slash = strrchr(v, '/');
	if (slash && !strstr(v, "://") && !strchr(v, '@') && azure_name_check(slash + 1, AZURE_NAME_REPO, NULL, 0)) {
		snprintf(msg, msglen, "give the repository's name alone, e.g. \"%s\", not a path", slash + 1);
		return false;
	}
	/* The name as a URL has it ("web%20app"): the name is wanted, as the export encodes it for Harness. */
	char *plain = strchr(v, '%') ? azure_name_decode(v, len) : NULL;
	bool encoded = plain && strcmp(plain, v) != 0 && azure_name_check(plain, AZURE_NAME_REPO, NULL, 0);
	if (encoded)
		snprintf(msg, msglen, "give the name as Azure DevOps shows it, \"%s\", not encoded as in a URL "
		         "(the export encodes it for Harness)", plain);
	free(plain);
	return !encoded && azure_name_check(v, AZURE_NAME_REPO, msg, msglen);
}

static bool fields_check_username(const struct connector *c, const char *v,
                                  const struct fields_env *env, char *msg, size_t msglen)
{
	(void)c;
	(void)env;
	return validate_username(v, msg, msglen);
}

static bool fields_check_secret(const struct connector *c, const char *v,
                                const struct fields_env *env, char *msg, size_t msglen)
{
	(void)c;
	(void)env;
	return ident_check_secret_id(v, msg, msglen);
}

/* The key and its passphrase are two secrets: one store id cannot hold both. */
static bool fields_check_passphrase(const struct connector *c, const char *v,
                                    const struct fields_env *env, char *msg, size_t msglen)
{
	const char *key = connector_get(c, FIELD_SSH_KEY);

	if (!fields_check_secret(c, v, env, msg, msglen))
		return false;
	if (key && strcmp(key, v) == 0) {
		snprintf(msg, msglen, "the passphrase needs its own store id, not the key's ('%s')", v);
		return false;
	}
	return true;
}

/* Harness: a connector may use secrets of its own scope or a wider one. */
static bool fields_check_secret_scope(const struct connector *c, const char *v,
                                      const struct fields_env *env, char *msg, size_t msglen)
{
	(void)env;
	if (connector_is(c, FIELD_SCOPE, "account") && strcmp(v, "account") != 0) {
		snprintf(msg, msglen, "an account-level connector can only use account secrets: choose "
		         "Account (--secret-scope account)");
		return false;
	}
	if (connector_is(c, FIELD_SCOPE, "org") && strcmp(v, "project") == 0) {
		snprintf(msg, msglen, "an organization-level connector cannot use project secrets: "
		         "choose Organization or Account (--secret-scope org or account)");
		return false;
	}
	return true;
}

static bool fields_check_delegate_tags(const struct connector *c, const char *v,
                                       const struct fields_env *env, char *msg, size_t msglen)
{
	(void)c;
	(void)env;
	return validate_delegate_tags(v, msg, msglen);
}

static const struct field_choice fields_scopes[] = {
	{ "account", "Account" },
	{ "org", "Organization" },
	{ "project", "Project" },
	{ NULL, NULL },
};

static const struct field_choice fields_url_types[] = {
	{ "project", "Project" },
	{ "repo", "Repository" },
	{ NULL, NULL },
};

static const struct field_choice fields_connections[] = {
	{ "http", "HTTP" },
	{ "ssh", "SSH" },
	{ NULL, NULL },
};

static const struct field_choice fields_secret_scopes[] = {
	{ "account", "Account (account.<id>)" },
	{ "org", "Organization (org.<id>)" },
	{ "project", "Project (<id>)" },
	{ NULL, NULL },
};

static const struct field_choice fields_delegates[] = {
	{ "any", "Any available delegate" },
	{ "tags", "Only delegates with all of these tags" },
	{ NULL, NULL },
};

static const struct field_choice fields_toggle[] = {
	{ "true", "Yes" },
	{ "false", "No" },
	{ NULL, NULL },
};

static const struct field fields_table[FIELD_COUNT] = {
	[FIELD_NAME] = {
		.id = FIELD_NAME, .key = "name", .label = "Name",
		.help = "The connector's name in Harness: up to 64 ASCII letters, digits, spaces, '_', "
		        "'.' or '-', not starting with a space.",
		.example = "Azure Payments", .page = FIELD_PAGE_OVERVIEW, .kind = FIELD_TEXT,
		.required = true, .check = fields_check_name,
	},
	[FIELD_IDENTIFIER] = {
		.id = FIELD_IDENTIFIER, .key = "identifier", .label = "Identifier", .aka = "id",
		.help = "The connector's unique id in Harness, derived from the name; fixed once saved. "
		        "Letters, digits, '_' and '$', not starting with a digit.",
		.example = "azure_payments", .page = FIELD_PAGE_OVERVIEW, .kind = FIELD_TEXT,
		.required = true, .derive = fields_derive_identifier, .check = fields_check_identifier,
	},
	[FIELD_DESCRIPTION] = {
		.id = FIELD_DESCRIPTION, .key = "description", .label = "Description", .aka = "desc",
		.help = "Optional text shown with the connector in Harness.",
		.page = FIELD_PAGE_OVERVIEW, .kind = FIELD_TEXT, .check = fields_check_description,
	},
	[FIELD_TAGS] = {
		.id = FIELD_TAGS, .key = "tags", .label = "Tags",
		.help = "Optional Harness tags, separated by commas: 'key' or 'key:value'.",
		.example = "team:payments, prod", .page = FIELD_PAGE_OVERVIEW, .kind = FIELD_LIST,
		.check = fields_check_tags,
	},
	[FIELD_SCOPE] = {
		.id = FIELD_SCOPE, .key = "scope", .label = "Scope",
		.help = "Where the connector lives in Harness: the account, an organization, or a "
		        "project of an organization.",
		.page = FIELD_PAGE_OVERVIEW, .kind = FIELD_CHOICE, .required = true,
		.choices = fields_scopes, .def = "account",
	},
	[FIELD_ORG] = {
		.id = FIELD_ORG, .key = "org", .label = "Organization identifier", .aka = "orgIdentifier organization",
		.help = "The identifier of the Harness organization (Account Settings > Organizations; "
		        "the first one is 'default').",
		.example = "default", .page = FIELD_PAGE_OVERVIEW, .kind = FIELD_TEXT, .required = true,
		.applies = fields_if_org, .when = "scope org or project", .check = fields_check_org,
	},
	[FIELD_PROJECT] = {
		.id = FIELD_PROJECT, .key = "project", .label = "Project identifier", .aka = "projectIdentifier",
		.help = "The identifier of the Harness project, shown in its settings and in its "
		        "address (.../projects/<id>/...).",
		.example = "payments", .page = FIELD_PAGE_OVERVIEW, .kind = FIELD_TEXT,
		.required = true, .applies = fields_if_project_scope, .when = "scope project", .check = fields_check_project,
	},
	[FIELD_URL_TYPE] = {
		.id = FIELD_URL_TYPE, .key = "url-type", .label = "URL type",
		.help = "Project: the URL of an Azure DevOps project, for all its repositories. "
		        "Repository: the URL of one repository.",
		.page = FIELD_PAGE_DETAILS, .kind = FIELD_CHOICE, .required = true,
		.choices = fields_url_types, .points_to = fields_url_type_pointed,
	},
	[FIELD_CONNECTION] = {
		.id = FIELD_CONNECTION, .key = "connection", .label = "Connection type",
		.help = "HTTP: clone over HTTPS with a username and a Personal Access Token. "
		        "SSH: clone with an RSA key added to Azure DevOps.",
		.page = FIELD_PAGE_DETAILS, .kind = FIELD_CHOICE, .required = true,
		.choices = fields_connections, .def = "http",
	},
	[FIELD_ALLOW_HTTP] = {
		.id = FIELD_ALLOW_HTTP, .key = "allow-http", .label = "Allow plain http://",
		.help = "Accept an http:// URL (Azure DevOps Server without TLS): the token then "
		        "crosses the network unencrypted. Keep it off for dev.azure.com.",
		.page = FIELD_PAGE_DETAILS, .kind = FIELD_TOGGLE, .choices = fields_toggle,
		.def = "false", .applies = fields_if_http, .when = "connection http",
	},
	[FIELD_URL] = {
		.id = FIELD_URL, .key = "url", .label = "URL", .aka = "repoUrl",
		.help = "Project: https://dev.azure.com/<org>/<project>, for SSH "
		        "git@ssh.dev.azure.com:v3/<org>/<project>. Repository: the Clone URL (Repos).",
		.example = "https://dev.azure.com/contoso/Shop/_git/ui",
		.help_for = fields_url_help,
		.example_for = fields_url_example,
		.page = FIELD_PAGE_DETAILS, .kind = FIELD_TEXT, .required = true,
		/* Harness drops it before adding '/_git/<repo>' (azure-facts §1.3), a Repository URL it uses as given. */
		.drop_trailing_slash = true, .check = fields_check_url,
	},
	[FIELD_TEST_REPO] = {
		.id = FIELD_TEST_REPO, .key = "test-repo", .label = "Test repository", .aka = "validationRepo repo",
		.help = "The name (not the URL) of a repository in the project, used to test the "
		        "connection.",
		.example = "payments-api", .page = FIELD_PAGE_DETAILS, .kind = FIELD_TEXT,
		.required = true, .applies = fields_if_project_url, .when = "url-type project", .check = fields_check_test_repo,
	},
	[FIELD_USERNAME] = {
		.id = FIELD_USERNAME, .key = "username", .label = "Username", .aka = "user",
		.help = "Any non-empty name, often your e-mail address or a service name: Azure "
		        "identifies you by the token, which goes in the next field, not here.",
		.example = "ci-bot", .page = FIELD_PAGE_CREDENTIALS, .kind = FIELD_TEXT,
		.required = true, .applies = fields_if_http, .when = "connection http", .check = fields_check_username,
	},
	[FIELD_TOKEN] = {
		.id = FIELD_TOKEN, .key = "token", .label = "Personal Access Token", .aka = "tokenRef pat password passwordRef",
		.help = "A token with the Code (Read) scope, from Azure DevOps User settings > Personal "
		        "access tokens. Kept in the encrypted store; the connector holds its id.",
		.page = FIELD_PAGE_CREDENTIALS, .kind = FIELD_SECRET, .required = true,
		.suffix = "token", .applies = fields_if_http, .when = "connection http", .derive = fields_derive_token,
		.check = fields_check_secret,
	},
	[FIELD_SSH_KEY] = {
		.id = FIELD_SSH_KEY, .key = "ssh-key", .label = "SSH private key", .aka = "sshKeyRef privateKey",
		.help = "An RSA private key whose public key is added in Azure DevOps (User settings > "
		        "SSH public keys); Azure takes RSA keys only. Kept in the encrypted store.",
		.page = FIELD_PAGE_CREDENTIALS, .kind = FIELD_SECRET, .required = true,
		.suffix = "ssh-key", .store_kind = STORE_KIND_SSH_PRIVATE_KEY, .applies = fields_if_ssh,
		.when = "connection ssh", .derive = fields_derive_ssh_key, .check = fields_check_secret,
	},
	[FIELD_SSH_KEY_PASSPHRASE] = {
		.id = FIELD_SSH_KEY_PASSPHRASE, .key = "ssh-key-passphrase",
		.label = "SSH key passphrase", .aka = "passphrase",
		.help = "The passphrase of the private key, if it has one. Kept in the encrypted store.",
		.page = FIELD_PAGE_CREDENTIALS, .kind = FIELD_SECRET, .suffix = "ssh-key-passphrase",
		.store_kind = STORE_KIND_SSH_KEY_PASSPHRASE,
		.applies = fields_if_ssh, .when = "connection ssh", .check = fields_check_passphrase,
	},
	[FIELD_API_ACCESS] = {
		.id = FIELD_API_ACCESS, .key = "api-access", .label = "Enable API access",
		.help = "Let Harness call the Azure DevOps REST API (pull requests, webhooks, commit "
		        "statuses) with a Personal Access Token.",
		.page = FIELD_PAGE_CREDENTIALS, .kind = FIELD_TOGGLE, .choices = fields_toggle,
		.def = "false",
	},
	[FIELD_API_TOKEN] = {
		.id = FIELD_API_TOKEN, .key = "api-token", .label = "API Personal Access Token",
		.help = "The token for API calls; with HTTP it may be the same secret as the token "
		        "above. Kept in the encrypted store.",
		.page = FIELD_PAGE_CREDENTIALS, .kind = FIELD_SECRET, .required = true,
		.def_secret = "over HTTP, the token above", .suffix = "api-token", .applies = fields_if_api,
		.when = "api-access true", .derive = fields_derive_api_token, .check = fields_check_secret,
	},
	[FIELD_SECRET_SCOPE] = {
		.id = FIELD_SECRET_SCOPE, .key = "secret-scope", .label = "Harness secret scope",
		.help = "The Harness scope of the secrets: the export names each account.<id>, org.<id> "
		        "or <id> (its store id). It may be the connector's scope or a wider one.",
		.page = FIELD_PAGE_CREDENTIALS, .kind = FIELD_CHOICE, .required = true,
		.choices = fields_secret_scopes, .derive = fields_derive_secret_scope,
		.check = fields_check_secret_scope,
	},
	[FIELD_DELEGATES] = {
		.id = FIELD_DELEGATES, .key = "delegates", .label = "Delegates",
		.help = "Which Harness delegates may connect: any, or only those that have all the "
		        "tags listed.",
		.page = FIELD_PAGE_DELEGATES, .kind = FIELD_CHOICE, .required = true,
		.choices = fields_delegates, .def = "any",
	},
	[FIELD_DELEGATE_TAGS] = {
		.id = FIELD_DELEGATE_TAGS, .key = "delegate-tags", .label = "Delegate tags", .aka = "delegateSelectors selectors",
		.help = "The delegate tags, separated by commas; a delegate must have all of them.",
		.example = "linux-delegate, eu-west", .page = FIELD_PAGE_DELEGATES, .kind = FIELD_LIST,
		.required = true, .applies = fields_if_delegate_tags, .when = "delegates tags", .check = fields_check_delegate_tags,
	},
};

const struct field *fields_at(enum field_id id)
{
	return &fields_table[id];
}

const struct field *fields_find(const char *key)
{
	for (int i = 0; i < FIELD_COUNT; i++)
		if (strcmp(fields_table[i].key, key) == 0)
			return &fields_table[i];
	return NULL;
}

/* word[0..len) in lower case without what is not a letter or digit: "Test_Repo" -> "testrepo". */
static void fields_fold(const char *word, size_t len, char *buf, size_t buflen)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < buflen; i++)
		if (isalnum((unsigned char)word[i]))
			buf[n++] = (char)tolower((unsigned char)word[i]);
	buf[n] = '\0';
}

const struct field *fields_find_loose(const char *word, size_t len)
{
	char folded[64], name[64];

	fields_fold(word, len, folded, sizeof(folded));
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = &fields_table[id];
		const char *names[] = { f->key, f->label, f->aka ? f->aka : "" };

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			const char *p = names[i];
			while (*p) {
				size_t w = i < 2 ? strlen(p) : strcspn(p, " "); /* a label has spaces; aka lists */
				fields_fold(p, w, name, sizeof(name));
				if (*folded && strcmp(name, folded) == 0)
					return f;
				p += w;
				p += *p == ' ';
			}
		}
	}
	return NULL;
}

const char *fields_page_title(enum field_page page)
{
	static const char *const titles[FIELD_PAGE_COUNT] = {
		[FIELD_PAGE_OVERVIEW] = "Overview",
		[FIELD_PAGE_DETAILS] = "Details",
		[FIELD_PAGE_CREDENTIALS] = "Credentials",
		[FIELD_PAGE_DELEGATES] = "Delegates",
	};

	return titles[page];
}

/* The choice matching value ignoring case, or NULL. */
static const struct field_choice *fields_choice(const struct field *f, const char *value)
{
	for (const struct field_choice *ch = f->choices; ch && ch->value; ch++)
		if (strcasecmp(ch->value, value) == 0)
			return ch;
	return NULL;
}

/* Exactly one of the choices' values (as stored). */
static bool fields_is_choice(const struct field *f, const char *value)
{
	const struct field_choice *ch = fields_choice(f, value);

	return ch && strcmp(ch->value, value) == 0;
}

const char *fields_pointed_choice(const struct connector *c, enum field_id id, const char **why)
{
	const struct field *f = fields_at(id);

	return f->points_to ? f->points_to(c, why) : NULL;
}

const char *fields_choice_label(enum field_id id, const char *value)
{
	const struct field_choice *ch = fields_choice(fields_at(id), value);

	return ch ? ch->label : value;
}

const char *fields_human(enum field_id id, const char *value, char *buf, size_t buflen)
{
	const struct field *f = fields_at(id);
	const char *cur = value, *item;
	size_t len, n = 0;

	if (buflen == 0)
		return buf;
	buf[0] = '\0';
	if (f->choices)
		snprintf(buf, buflen, "%s", fields_choice_label(id, value));
	else if (f->kind != FIELD_LIST)
		snprintf(buf, buflen, "%s", value);
	else
		/* Whole items only: a cut one would read as another value. */
		while (strlist_next(&cur, &item, &len) && n + (n ? 2 : 0) + len < buflen)
			n += (size_t)snprintf(buf + n, buflen - n, "%s%.*s", n ? ", " : "", (int)len, item);
	return buf;
}

const char *fields_example(const struct connector *c, enum field_id id)
{
	const struct field *f = fields_at(id);

	return f->example_for ? f->example_for(c) : f->example;
}

const char *fields_help(const struct connector *c, enum field_id id)
{
	const struct field *f = fields_at(id);
	const char *help = f->help_for ? f->help_for(c) : NULL;

	return help ? help : f->help;
}

bool fields_applies(const struct connector *c, enum field_id id)
{
	const struct field *f = fields_at(id);

	return !f->applies || f->applies(c);
}

const char *fields_choices_text(enum field_id id, bool labels, const char *sep, char *buf, size_t buflen)
{
	size_t n = 0;

	*buf = '\0';
	for (const struct field_choice *ch = fields_at(id)->choices; ch && ch->value && n < buflen; ch++)
		n += (size_t)snprintf(buf + n, buflen - n, "%s%s", n ? sep : "", labels ? ch->label : ch->value);
	return buf;
}

/*
 * "'x' is not one of: a, b, c" for a choice or toggle field given x (named
 * when it is short, plain text), else "choose one of: a, b, c".
 */
static bool fields_want_choice(const struct field *f, const char *given, char *msg, size_t msglen)
{
	char list[256];
	const char *l = fields_choices_text(f->id, false, ", ", list, sizeof(list));
	size_t n = given ? strlen(given) : 0;
	bool plain = n > 0 && n <= 32;

	for (size_t i = 0; plain && i < n; i++)
		plain = given[i] > ' ' && given[i] < 0x7f;
	if (plain)
		snprintf(msg, msglen, "'%s' is not one of: %s", given, l);
	else
		snprintf(msg, msglen, "choose one of: %s", l);
	return false;
}

static bool fields_store(struct connector *c, enum field_id id, const char *value, bool append,
                         char *msg, size_t msglen)
{
	const struct field *f = fields_at(id);
	char *owned = NULL;
	int rc;

	if (value && *value && f->choices) {
		const struct field_choice *ch = fields_choice(f, value);

		if (!ch)
			return fields_want_choice(f, value, msg, msglen);
		value = ch->value;
	}
	if (value && f->drop_trailing_slash) {
		size_t len = strlen(value);
		/* One, as the URL parser drops it; "https://" keeps its "//". */
		if (len > 1 && value[len - 1] == '/' && value[len - 2] != '/' &&
		    !(value = owned = strndup(value, len - 1))) {
			snprintf(msg, msglen, "out of memory");
			return false;
		}
	}
	if (value && f->kind == FIELD_LIST) {
		char *list = strlist_append(append ? connector_get(c, id) : NULL, value);

		free(owned);
		if (!list) {
			snprintf(msg, msglen, "out of memory");
			return false;
		}
		value = owned = list;
	}
	rc = connector_put(c, id, value);
	free(owned);
	if (rc != 0)
		snprintf(msg, msglen, "out of memory");
	return rc == 0;
}

bool fields_set(struct connector *c, enum field_id id, const char *value, char *msg, size_t msglen)
{
	return fields_store(c, id, value, false, msg, msglen);
}

bool fields_add(struct connector *c, enum field_id id, const char *value, char *msg, size_t msglen)
{
	return fields_store(c, id, value, true, msg, msglen);
}

const char *fields_default(const struct connector *c, enum field_id id, char *buf, size_t buflen)
{
	const struct field *f = fields_at(id);

	if (f->derive)
		return f->derive(c, buf, buflen) ? buf : NULL;
	return f->def;
}

void fields_secret_id(const struct connector *c, enum field_id id, char *buf, size_t buflen)
{
	const char *identifier = connector_get(c, FIELD_IDENTIFIER);

	ident_secret_id(identifier ? identifier : "", fields_at(id)->suffix, buf, buflen);
}

bool fields_apply_defaults(struct connector *c)
{
	for (int id = 0; id < FIELD_COUNT; id++) {
		char buf[IDENT_ID_MAX + 2];
		const char *def;

		if (connector_get(c, id) || !fields_applies(c, id))
			continue;
		def = fields_default(c, id, buf, sizeof(buf));
		if (def && connector_put(c, id, def) != 0)
			return false;
	}
	return true;
}

bool fields_hides_token(enum field_id id, const char *value)
{
	/* A store id says so itself. */
	return fields_at(id)->kind != FIELD_SECRET && ident_looks_like_token(value);
}

bool fields_validate(const struct connector *c, enum field_id id, const char *value,
                     const struct fields_env *env, char *msg, size_t msglen)
{
	const struct field *f = fields_at(id);
	const char *bad;
	char *list = NULL;
	bool ok = true;

	if (value && f->kind == FIELD_LIST) {
		list = strlist_append(NULL, value);
		if (!list) {
			snprintf(msg, msglen, "out of memory");
			return false;
		}
		value = list;
	}
	if (!value || !*value) {
		if (f->required) {
			char id_buf[IDENT_SECRET_ID_MAX + 1], *named;

			if (f->kind == FIELD_SECRET) {
				fields_secret_id(c, id, id_buf, sizeof(id_buf));
				snprintf(msg, msglen, "required: the store id of the %s (e.g. '%s')", f->label, id_buf);
			} else if (id == FIELD_IDENTIFIER && connector_get(c, FIELD_NAME) &&
			           !ident_looks_like_token(connector_get(c, FIELD_NAME)) &&
			           !fields_derive_identifier(c, id_buf, sizeof(id_buf))) {
				/* The name is there, but makes none: "required" alone would send one to the name. */
				snprintf(msg, msglen, "required: the name has no letter or digit to make one from: give one "
				         "(e.g. '%s')", fields_example(c, id));
			} else if (id == FIELD_TEST_REPO && (named = azure_url_repo_named(connector_get(c, FIELD_URL)))) {
				/* A repository's URL given as the project's: its repository is the one at hand. */
				snprintf(msg, msglen, "required: the URL names the repository \"%s\", which can be it", named);
				free(named);
			} else if (f->example)
				snprintf(msg, msglen, "required (e.g. '%s')", fields_example(c, id));
			else if (f->choices) {
				const char *why, *hint = fields_pointed_choice(c, id, &why);
				size_t n = (size_t)snprintf(msg, msglen, "required: ");
				fields_want_choice(f, NULL, msg + n, msglen - n);
				if (hint)
					snprintf(msg + strlen(msg), msglen - strlen(msg), " (%s: %s)", why, hint);
			} else
				snprintf(msg, msglen, "required");
			ok = false;
		}
	} else if ((bad = utf8_first_invalid(value)) != NULL) {
		/* Harness, YAML and JSON all take text as UTF-8 (a file saved as Latin-1, a terminal set so). */
		char what[48], where[40] = "";
		size_t at = 1;
		for (const char *p = value; p < bad; p += utf8_char_len(p))
			at++;
		/* (In a list, the position would count across its items: left out.) */
		if (!list)
			snprintf(where, sizeof(where), " at character %zu", at);
		snprintf(msg, msglen, "%s%s: give the text in UTF-8 (a file saved in another encoding, or a "
		         "terminal not set to UTF-8?)", utf8_describe(bad, what, sizeof(what)), where);
		ok = false;
	} else if (f->choices && !fields_is_choice(f, value)) {
		ok = fields_want_choice(f, value, msg, msglen);
	} else if (fields_hides_token(id, value) && !(id == FIELD_URL && azure_url_has_credentials(value))) {
		/* (A URL's user name has its own message: remove it.) */
		snprintf(msg, msglen, "this looks like a Personal Access Token: a token goes only in its own "
		         "field (masked in the wizard; --token-file F or --token-stdin in a script), not in %s; "
		         "if it was shown or logged, revoke it", f->label);
		ok = false;
	} else if (f->kind != FIELD_SECRET && validate_looks_like_key_text(value)) {
		/* A key pasted without bracketed paste: its lines land in the fields that follow. Never repeated. */
		snprintf(msg, msglen, "this looks like a piece of a private key: a key goes only in the SSH private "
		         "key field (--ssh-key-file F in a script), not in %s", f->label);
		ok = false;
	} else if (f->check) {
		ok = f->check(c, value, env, msg, msglen);
	}
	free(list);
	return ok;
}

bool fields_suggestion(const struct connector *c, enum field_id id, const char *msg,
                       const struct fields_env *env, char *out, size_t outlen)
{
	char cand[FIELD_MSG_MAX], why[FIELD_MSG_MAX];
	bool found = false;
	/* A URL message quotes URLs in '...'; a test repository one quotes the name in "...". */
	char quote = id == FIELD_URL ? '\'' : id == FIELD_TEST_REPO ? '"' : '\0';

	/* "required (e.g. '…')": an example to read, never a value to take (F5 is also "refresh" to some). */
	if (!quote || strncmp(msg, "required", 8) == 0)
		return false;
	/* From each quote to the next: an apostrophe in the text ("Harness's") pairs no quotes wrongly. */
	for (const char *q = strchr(msg, quote); q; q = strchr(q + 1, quote)) {
		const char *end = strchr(q + 1, quote);
		if (!end)
			break;
		snprintf(cand, sizeof(cand), "%.*s", (int)(end - q - 1), q + 1);
		/* Only a value the field takes: never a half-made one ('…/<project>'). */
		if ((size_t)(end - q - 1) < outlen && fields_validate(c, id, cand, env, why, sizeof(why))) {
			snprintf(out, outlen, "%s", cand);
			found = true;
		}
	}
	return found;
}

size_t fields_validate_all(const struct connector *c, const struct fields_env *env,
                           struct field_error errs[FIELD_COUNT])
{
	size_t n = 0;

	for (int id = 0; id < FIELD_COUNT; id++) {
		if (!fields_applies(c, id))
			continue;
		if (!fields_validate(c, id, connector_value(c, id), env, errs[n].msg, sizeof(errs[n].msg)))
			errs[n++].id = id;
	}
	return n;
}
