#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "azure_name.h"
#include "azure_url.h"
#include "export.h"
#include "fields.h"
#include "json.h"
#include "strlist.h"

/* cJSON's Add* return NULL on failure (also when the parent is NULL): note it once. */
static cJSON *export_check(cJSON *item, bool *ok)
{
	if (!item)
		*ok = false;
	return item;
}

static void export_string(cJSON *obj, const char *key, const char *value, bool *ok)
{
	export_check(cJSON_AddStringToObject(obj, key, value ? value : ""), ok);
}

const char *export_ref_prefix(const char *scope)
{
	return !scope ? "" : strcmp(scope, "account") == 0 ? "account." : strcmp(scope, "org") == 0 ? "org." : "";
}

void export_scope_text(const char *scope, const char *const sids[3], char *out, size_t outlen)
{
	const char *prefix = export_ref_prefix(scope);
	size_t len;

	fields_human(FIELD_SECRET_SCOPE, scope, out, outlen);
	/* "Account (account.<id>)": the label, its pattern made real after it. */
	len = strcspn(out, "(");
	while (len > 0 && out[len - 1] == ' ')
		len--;
	if (len < outlen)
		out[len] = '\0';
	for (size_t i = 0, n = 0; i < 3 && len < outlen; i++) {
		if (!sids[i])
			continue;
		/* The API token sharing the token's secret is one reference, said once. */
		bool again = false;
		for (size_t j = 0; j < i; j++)
			again |= sids[j] && strcmp(sids[i], sids[j]) == 0;
		if (!again)
			len += (size_t)snprintf(out + len, outlen - len, "%s%s%s", n++ ? ", " : ": ", prefix, sids[i]);
	}
}

/* A secret reference: the store id with the prefix of the secret scope (azure-facts §2.3). */
static void export_ref(cJSON *obj, const char *key, const struct connector *c, enum field_id id,
                       bool *ok)
{
	char ref[128];

	snprintf(ref, sizeof(ref), "%s%s", export_ref_prefix(connector_get(c, FIELD_SECRET_SCOPE)),
	         connector_get(c, id));
	export_string(obj, key, ref, ok);
}

/* "key:value" items as a map, split on the first ':'; a bare key maps to "". */
static void export_tags(cJSON *connector, const struct connector *c, bool *ok)
{
	cJSON *tags = export_check(cJSON_AddObjectToObject(connector, "tags"), ok);
	const char *cur = connector_get(c, FIELD_TAGS), *item;
	size_t len;

	while (tags && strlist_next(&cur, &item, &len)) {
		char *tag = strndup(item, len);
		char *colon = tag ? strchr(tag, ':') : NULL;

		if (colon)
			*colon = '\0';
		if (tag)
			export_string(tags, tag, colon ? colon + 1 : "", ok);
		else
			*ok = false;
		free(tag);
	}
}

static void export_delegates(cJSON *spec, const struct connector *c, bool *ok)
{
	cJSON *list = export_check(cJSON_AddArrayToObject(spec, "delegateSelectors"), ok);
	const char *cur = connector_get(c, FIELD_DELEGATE_TAGS), *item;
	size_t len;

	while (list && strlist_next(&cur, &item, &len)) {
		char *tag = strndup(item, len);
		cJSON *s = tag ? cJSON_CreateString(tag) : NULL;

		free(tag);
		if (!s || !cJSON_AddItemToArray(list, s)) {
			cJSON_Delete(s);
			*ok = false;
			return;
		}
	}
}

static void export_authentication(cJSON *spec, const struct connector *c, bool *ok)
{
	cJSON *auth = export_check(cJSON_AddObjectToObject(spec, "authentication"), ok);
	bool ssh = connector_is(c, FIELD_CONNECTION, "ssh");
	cJSON *auth_spec;

	export_string(auth, "type", ssh ? "Ssh" : "Http", ok);
	auth_spec = export_check(cJSON_AddObjectToObject(auth, "spec"), ok);
	if (ssh) {
		export_ref(auth_spec, "sshKeyRef", c, FIELD_SSH_KEY, ok);
		return;
	}
	export_string(auth_spec, "type", "UsernameToken", ok);
	cJSON *cred = export_check(cJSON_AddObjectToObject(auth_spec, "spec"), ok);
	export_string(cred, "username", connector_get(c, FIELD_USERNAME), ok);
	export_ref(cred, "tokenRef", c, FIELD_TOKEN, ok);
}

static void export_spec(cJSON *connector, const struct connector *c, bool *ok)
{
	cJSON *spec = export_check(cJSON_AddObjectToObject(connector, "spec"), ok);
	bool project = connector_is(c, FIELD_URL_TYPE, "project");

	export_string(spec, "type", project ? "Project" : "Repo", ok);
	export_string(spec, "url", connector_get(c, FIELD_URL), ok);
	/* Harness puts it in the URL as it is: a name with a space or another letter goes encoded, as in URLs. */
	if (project && connector_get(c, FIELD_TEST_REPO)) {
		char *repo = azure_name_encode(connector_get(c, FIELD_TEST_REPO));
		*ok &= repo != NULL;
		export_string(spec, "validationRepo", repo, ok);
		free(repo);
	}
	export_authentication(spec, c, ok);
	if (connector_is(c, FIELD_API_ACCESS, "true")) {
		cJSON *api = export_check(cJSON_AddObjectToObject(spec, "apiAccess"), ok);

		export_string(api, "type", "Token", ok);
		export_ref(export_check(cJSON_AddObjectToObject(api, "spec"), ok), "tokenRef", c,
		           FIELD_API_TOKEN, ok);
	}
	if (connector_is(c, FIELD_DELEGATES, "tags"))
		export_delegates(spec, c, ok);
	export_check(cJSON_AddTrueToObject(spec, "executeOnDelegate"), ok);
}

cJSON *export_tree(const struct connector *c)
{
	cJSON *root = cJSON_CreateObject();
	bool ok = root != NULL;
	cJSON *conn = export_check(cJSON_AddObjectToObject(root, "connector"), &ok);

	export_string(conn, "name", connector_get(c, FIELD_NAME), &ok);
	export_string(conn, "identifier", connector_get(c, FIELD_IDENTIFIER), &ok);
	export_string(conn, "description", connector_get(c, FIELD_DESCRIPTION), &ok);
	if (!connector_is(c, FIELD_SCOPE, "account"))
		export_string(conn, "orgIdentifier", connector_get(c, FIELD_ORG), &ok);
	if (connector_is(c, FIELD_SCOPE, "project"))
		export_string(conn, "projectIdentifier", connector_get(c, FIELD_PROJECT), &ok);
	export_tags(conn, c, &ok);
	export_string(conn, "type", "AzureRepo", &ok);
	export_spec(conn, c, &ok);
	if (!ok) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/*
 * Would a plain scalar s be read back as something other than a string by a
 * YAML 1.1 reader (Harness uses SnakeYAML): null, a boolean, a number, a merge
 * key? Then it must be quoted. Errs on the side of quoting.
 */
static bool export_yaml_ambiguous(const char *s)
{
	static const char *const words[] = {
		"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "=",
		".inf", "+.inf", "-.inf", ".nan", NULL,
	};

	if (!*s || (s[0] >= '0' && s[0] <= '9'))
		return true;
	if (strchr("+-.", s[0]) && s[1] >= '0' && s[1] <= '9')
		return true;
	/* SnakeYAML's float is "[-+]?(\.[0-9]+|[0-9_]+...)": "-.5", "+.5e3", even "-_1". */
	if (strchr("+-", s[0]) && (s[1] == '.' || s[1] == '_'))
		return true;
	for (const char *const *w = words; *w; w++)
		if (strcasecmp(s, *w) == 0)
			return true;
	return false;
}

/*
 * U+2028 and U+2029 are line breaks in YAML 1.1 only: libyaml writes them raw
 * with an indent after, which a YAML 1.2 reader (js-yaml, eemeli/yaml) keeps
 * as text and spaces. Double-quoted, they are escaped (\L, \P) for both.
 */
static bool export_yaml_unicode_break(const char *s)
{
	return strstr(s, "\xe2\x80\xa8") || strstr(s, "\xe2\x80\xa9");
}

static bool export_yaml_scalar(yaml_emitter_t *em, const char *s, bool is_string)
{
	yaml_event_t ev;
	bool quote = is_string && (export_yaml_ambiguous(s) || export_yaml_unicode_break(s));

	/* The emitter picks the quoting and escapes; a string that would resolve
	 * to another type is marked "not plain-implicit" and double-quoted. */
	return yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), !quote,
	                                    1, quote ? YAML_DOUBLE_QUOTED_SCALAR_STYLE :
	                                    YAML_ANY_SCALAR_STYLE) &&
	       yaml_emitter_emit(em, &ev);
}

static bool export_yaml_node(yaml_emitter_t *em, const cJSON *node)
{
	yaml_event_t ev;
	const cJSON *child;

	if (cJSON_IsString(node))
		return export_yaml_scalar(em, node->valuestring, true);
	if (cJSON_IsBool(node))
		return export_yaml_scalar(em, cJSON_IsTrue(node) ? "true" : "false", false);
	if (cJSON_IsObject(node)) {
		if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_ANY_MAPPING_STYLE) ||
		    !yaml_emitter_emit(em, &ev))
			return false;
		cJSON_ArrayForEach(child, node)
			if (!export_yaml_scalar(em, child->string, true) || !export_yaml_node(em, child))
				return false;
		return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
	}
	if (cJSON_IsArray(node)) {
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_ANY_SEQUENCE_STYLE) ||
		    !yaml_emitter_emit(em, &ev))
			return false;
		cJSON_ArrayForEach(child, node)
			if (!export_yaml_node(em, child))
				return false;
		return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
	}
	return false; /* the tree holds no numbers or nulls */
}

static char *export_yaml(const cJSON *tree)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	bool ok;

	if (!out)
		return NULL;
	if (!yaml_emitter_initialize(&em)) {
		fclose(out);
		free(text);
		return NULL;
	}
	yaml_emitter_set_output_file(&em, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_indent(&em, 2);
	yaml_emitter_set_width(&em, -1); /* never fold a long description or URL */
	ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
	     yaml_emitter_emit(&em, &ev) &&
	     yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
	     yaml_emitter_emit(&em, &ev) &&
	     export_yaml_node(&em, tree) &&
	     yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
	     yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) &&
	     yaml_emitter_flush(&em);
	yaml_emitter_delete(&em);
	if (fclose(out) != 0)
		ok = false;
	if (!ok) {
		free(text);
		return NULL;
	}
	return text;
}

char *export_text(const struct connector *c, enum export_format format)
{
	cJSON *tree = export_tree(c);
	char *text;

	if (!tree)
		return NULL;
	text = format == EXPORT_YAML ? export_yaml(tree) : json_print(tree);
	cJSON_Delete(tree);
	return text;
}
