#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "connector_file.h"
#include "fileio.h"
#include "json.h"
#include "ident.h"
#include "nearest.h"
#include "paths.h"
#include "msg.h"
#include "store_perm.h"
#include "strlist.h"
#include "utf8.h"

#define CONNECTOR_FILE_SECRET_SUFFIX "-secret"

bool connector_file_holds(const char *dir, const struct connector *c)
{
	char *mine = connector_file_text(c), *path = connector_file_path(dir, connector_get(c, FIELD_IDENTIFIER));
	char *now = NULL;
	size_t len = 0;
	bool same = mine && path && fileio_read_path(path, CONNECTOR_FILE_MAX, &now, &len) == 0 &&
	            strcmp(mine, now) == 0;

	free(mine);
	free(path);
	free(now);
	return same;
}

char *connector_file_path(const char *dir, const char *id)
{
	size_t n = strlen(dir) + strlen(id) + sizeof("/.json");
	char *path = malloc(n);

	if (path)
		snprintf(path, n, "%s/%s.json", dir, id);
	return path;
}

bool connector_file_exists(const char *dir, const char *id)
{
	char *path = connector_file_path(dir, id);
	struct stat st;
	bool exists = path && lstat(path, &st) == 0;

	free(path);
	return exists;
}

void connector_file_key(const struct field *f, char *buf, size_t buflen)
{
	snprintf(buf, buflen, "%s%s", f->key, f->kind == FIELD_SECRET ? CONNECTOR_FILE_SECRET_SUFFIX : "");
}

size_t connector_file_unused_keys(const struct connector *c, char *out, size_t outlen)
{
	size_t n = 0, at = 0;
	char key[64];

	*out = '\0';
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);
		if (!connector_get(c, id) || fields_applies(c, id))
			continue;
		connector_file_key(f, key, sizeof(key));
		if (at < outlen)
			at += (size_t)snprintf(out + at, outlen - at, "%s'%s' (only used with %s)", n ? ", " : "", key,
			                       f->when ? f->when : "another connector");
		n++;
	}
	return n;
}

/* The JSON value of a field's value, by kind. */
static cJSON *connector_file_value(const struct field *f, const char *value)
{
	cJSON *array;
	const char *cur = value, *item;
	size_t len;

	if (f->kind == FIELD_TOGGLE)
		return cJSON_CreateBool(strcmp(value, "true") == 0);
	if (f->kind != FIELD_LIST)
		return cJSON_CreateString(value);
	array = cJSON_CreateArray();
	while (array && strlist_next(&cur, &item, &len)) {
		char *copy = strndup(item, len);
		cJSON *s = copy ? cJSON_CreateString(copy) : NULL;

		free(copy);
		if (!s) {
			cJSON_Delete(array);
			return NULL;
		}
		cJSON_AddItemToArray(array, s);
	}
	return array;
}

cJSON *connector_file_json(const struct connector *c)
{
	cJSON *root = cJSON_CreateObject();

	if (!root || !cJSON_AddNumberToObject(root, "schema", CONNECTOR_FILE_SCHEMA))
		goto fail;
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);
		const char *value = connector_value(c, id);
		char key[64];
		cJSON *v;

		if (!value || !fields_applies(c, id))
			continue;
		connector_file_key(f, key, sizeof(key));
		v = connector_file_value(f, value);
		if (!v || !cJSON_AddItemToObject(root, key, v)) {
			cJSON_Delete(v);
			goto fail;
		}
	}
	return root;
fail:
	cJSON_Delete(root);
	return NULL;
}

char *connector_file_text(const struct connector *c)
{
	return connector_file_draft_text(c, NULL);
}

bool connector_file_same(const struct connector *a, const struct connector *b)
{
	char *ta = connector_file_text(a), *tb = connector_file_text(b);
	bool same = ta && tb && strcmp(ta, tb) == 0;

	free(ta);
	free(tb);
	return same;
}

bool connector_file_sum(const struct connector *c, char sum[CONNECTOR_FILE_SUM_LEN + 1])
{
	unsigned char hash[CONNECTOR_FILE_SUM_LEN / 2];
	char *text = connector_file_text(c);

	if (!text)
		return false;
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)text, strlen(text), NULL, 0);
	free(text);
	sodium_bin2hex(sum, CONNECTOR_FILE_SUM_LEN + 1, hash, sizeof(hash));
	return true;
}

/* A draft's page by name: its title, as the wizard shows it. */
static const char *connector_file_page_name(int page)
{
	return page == CONNECTOR_FILE_DRAFT_REVIEW ? "Review" : fields_page_title(page);
}

/* The focused item's name: its file key for a store id, the field's key for a value. */
static void connector_file_focus_name(const struct connector_draft_at *at, char *buf, size_t buflen)
{
	snprintf(buf, buflen, "%s%s", fields_at(at->field)->key, at->sid ? CONNECTOR_FILE_SECRET_SUFFIX : "");
}

/* The place into root, when there is one: false when out of memory. */
static bool connector_file_put_at(cJSON *root, const struct connector_draft_at *at)
{
	char focus[64];

	if (at->page < 0)
		return true;
	if (!cJSON_AddStringToObject(root, CONNECTOR_FILE_DRAFT_PAGE, connector_file_page_name(at->page)))
		return false;
	if (at->field < 0)
		return true;
	connector_file_focus_name(at, focus, sizeof(focus));
	return cJSON_AddStringToObject(root, CONNECTOR_FILE_DRAFT_FOCUS, focus) != NULL;
}

/* The extra key of a draft, when it has a value. */
static bool connector_file_put_extra(cJSON *root, const char *key, const char *value)
{
	return !value || cJSON_AddStringToObject(root, key, value) != NULL;
}

char *connector_file_draft_text(const struct connector *c, const struct connector_draft *x)
{
	static const struct connector_draft none = { .at = CONNECTOR_FILE_DRAFT_NOWHERE };
	cJSON *root = connector_file_json(c);
	char *text = NULL;

	if (!x)
		x = &none;
	if (root && connector_file_put_extra(root, CONNECTOR_FILE_DRAFT_KEY_FILE, x->key_file) &&
	    connector_file_put_extra(root, CONNECTOR_FILE_DRAFT_KEY_MADE, x->key_made) &&
	    connector_file_put_extra(root, CONNECTOR_FILE_DRAFT_BASE, x->base) &&
	    connector_file_put_extra(root, CONNECTOR_FILE_DRAFT_CA_FILE, x->ca_file) &&
	    (!x->base_values || cJSON_AddItemToObject(root, CONNECTOR_FILE_DRAFT_BASE_VALUES,
	                                              connector_file_json(x->base_values))) &&
	    connector_file_put_at(root, &x->at))
		text = json_print(root);
	cJSON_Delete(root);
	return text;
}

/* The field of a file key, or NULL (a secret's plain key is not a file key). */
static const struct field *connector_file_field(const char *key)
{
	char base[64];
	size_t n = strlen(key), sn = strlen(CONNECTOR_FILE_SECRET_SUFFIX);
	const struct field *f;

	if (n > sn && n - sn < sizeof(base) && strcmp(key + n - sn, CONNECTOR_FILE_SECRET_SUFFIX) == 0) {
		snprintf(base, sizeof(base), "%.*s", (int)(n - sn), key);
		f = fields_find(base);
		return f && f->kind == FIELD_SECRET ? f : NULL;
	}
	f = fields_find(key);
	return f && f->kind != FIELD_SECRET ? f : NULL;
}

bool connector_file_key_known(const char *key)
{
	return strcmp(key, "schema") == 0 || connector_file_field(key);
}

/* Line and column of the byte at p in text, for a JSON syntax error. */
/* The value of the four hex digits at p, or -1. */
static long connector_file_hex4(const char *p)
{
	long v = 0;

	for (int i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return -1;
		v = v * 16 + (isdigit((unsigned char)p[i]) ? p[i] - '0' : (tolower((unsigned char)p[i]) - 'a' + 10));
	}
	return v;
}

/* The first \uD800-\uDFFF escape in text not paired (a high one, then a low one), or NULL. */
static const char *connector_file_lone_surrogate(const char *text)
{
	for (const char *p = text; (p = strstr(p, "\\u")) != NULL; p += 2) {
		/* After an odd run of backslashes it is text ("\\\\" then 'u'), not an escape. */
		size_t bs = 0;
		while (p - bs > text && p[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		long v = bs % 2 ? -1 : connector_file_hex4(p + 2);
		if (v < 0xD800 || v > 0xDFFF)
			continue;
		long low = v <= 0xDBFF && strncmp(p + 6, "\\u", 2) == 0 ? connector_file_hex4(p + 8) : -1;
		if (low >= 0xDC00 && low <= 0xDFFF) {
			p += 6;
			continue;
		}
		return p;
	}
	return NULL;
}

static void connector_file_where(const char *text, const char *p, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (const char *s = text; s < p && *s; s++) {
		if (*s == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* The schema number: false with a message unless it is this version's. */
static bool connector_file_schema(const cJSON *v, const char *name, char *msg, size_t msglen)
{
	double d = cJSON_IsNumber(v) ? v->valuedouble : 0;

	/* In int's range before the cast: converting a double out of it is undefined. */
	if (!cJSON_IsNumber(v) || !(d >= 1 && d <= INT_MAX) || d != (double)(int)d) {
		snprintf(msg, msglen, "%s: key 'schema': expected a whole number such as %d", name,
		         CONNECTOR_FILE_SCHEMA);
		return false;
	}
	if (d > CONNECTOR_FILE_SCHEMA) {
		snprintf(msg, msglen, "%s: written by a newer azrepos-connect (schema %d; this version "
		         "reads schema %d): upgrade azrepos-connect", name, (int)d, CONNECTOR_FILE_SCHEMA);
		return false;
	}
	return true;
}

/* A list value from a JSON array of strings (malloc'ed), or NULL with a message. */
static char *connector_file_list(const cJSON *v, const char *name, const char *key, char *msg,
                                 size_t msglen)
{
	char *list = strlist_append(NULL, "");
	int i = 0;
	const cJSON *item;

	if (!cJSON_IsArray(v)) {
		snprintf(msg, msglen, "%s: key '%s': expected an array of strings%s%s%s", name, key,
		         cJSON_IsString(v) ? " (in brackets: [\"" : "", cJSON_IsString(v) ? v->valuestring : "",
		         cJSON_IsString(v) ? "\"])" : " (e.g. [\"a\", \"b\"])");
		free(list);
		return NULL;
	}
	cJSON_ArrayForEach(item, v) {
		char *longer;

		i++;
		if (!cJSON_IsString(item) || strchr(item->valuestring, ',')) {
			snprintf(msg, msglen, "%s: key '%s': item %d: %s", name, key, i, cJSON_IsString(item)
			         ? "a ',' inside: give each value as its own item" : "expected a string (in quotes)");
			free(list);
			return NULL;
		}
		longer = list ? strlist_append(list, item->valuestring) : NULL;
		free(list);
		list = longer;
	}
	if (!list)
		snprintf(msg, msglen, "out of memory");
	return list;
}

/* Set one field from its JSON value; false with a message. */
static bool connector_file_set(struct connector *c, const struct field *f, const cJSON *v,
                               const char *name, char *msg, size_t msglen)
{
	char why[FIELD_MSG_MAX];
	char *list = NULL;
	const char *value;
	bool ok;

	if (f->kind == FIELD_TOGGLE) {
		if (!cJSON_IsBool(v)) {
			snprintf(msg, msglen, "%s: key '%s': expected true or false", name, v->string);
			return false;
		}
		value = cJSON_IsTrue(v) ? "true" : "false";
	} else if (f->kind == FIELD_LIST) {
		list = connector_file_list(v, name, v->string, msg, msglen);
		if (!list)
			return false;
		value = list;
	} else if (cJSON_IsString(v)) {
		value = v->valuestring;
	} else {
		snprintf(msg, msglen, "%s: key '%s': expected a string", name, v->string);
		return false;
	}
	ok = fields_set(c, f->id, value, why, sizeof(why));
	if (!ok)
		snprintf(msg, msglen, "%s: key '%s': %s", name, v->string, why);
	free(list);
	return ok;
}

/*
 * Why key is not one: a secret's value, a secret file's flag, another name of a
 * field ("validationRepo", "test_repo"), a slip of a letter or two.
 */
static void connector_file_unknown(const char *key, const char *name, bool answers, char *msg, size_t msglen)
{
	size_t len = strlen(key);
	const struct field *f = fields_find(key), *g = f ? f : fields_find_loose(key, len);
	char near[64];

	/* A secret's value under its name or another ("pat"): never told to move it to '<key>-secret'. */
	if (g && g->kind == FIELD_SECRET && answers) {
		snprintf(msg, msglen, "%s: key '%s'%s%s%s: an answers file never holds a secret (it is copied to "
		         "other hosts): give the value with --%s-file F or --%s-stdin, or a secret already in "
		         "the store with --%s-secret ID (or the key '%s%s')", name, key, f ? "" : " (the ",
		         f ? "" : g->label, f ? "" : "?)", g->key, g->key, g->key, g->key,
		         CONNECTOR_FILE_SECRET_SUFFIX);
		return;
	}
	if (g && g->kind == FIELD_SECRET) {
		snprintf(msg, msglen, "%s: key '%s': a connector file never holds a secret; give its store id "
		         "as '%s%s'", name, key, g->key, CONNECTOR_FILE_SECRET_SUFFIX);
		return;
	}
	snprintf(near, sizeof(near), "%s", key);
	for (char *p = near; *p; p++)
		*p = *p == '_' ? '-' : *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
	/* "token-file": a flag, not a key. */
	static const char *const flags[] = { "-file", "-stdin" };
	for (size_t i = 0, nlen = strlen(near); i < sizeof(flags) / sizeof(flags[0]); i++) {
		size_t n = strlen(flags[i]);
		bool flag = nlen > n && strcmp(near + nlen - n, flags[i]) == 0;
		const struct field *s = flag ? fields_find_loose(near, nlen - n) : NULL;
		if (s && s->kind == FIELD_SECRET) {
			snprintf(msg, msglen, "%s: unknown key '%s': a secret's file is given on the command line "
			         "(--%s%s F); here only a stored one's id ('%s%s')", name, key, s->key, flags[i], s->key,
			         CONNECTOR_FILE_SECRET_SUFFIX);
			return;
		}
	}
	if (strcmp(near, key) != 0 && (connector_file_field(near) || strcmp(near, "schema") == 0)) {
		snprintf(msg, msglen, "%s: unknown key '%s' (did you mean '%s'?)", name, key, near);
		return;
	}
	if (g) {
		bool same = strcasecmp(g->key, g->label) == 0; /* "url": "the URL" says nothing more */
		snprintf(msg, msglen, "%s: unknown key '%s' (did you mean '%s'%s%s?)", name, key, g->key,
		         same ? "" : ", the ", same ? "" : g->label);
		return;
	}
	/* A typing slip ("token-secrte"): the key within two edits of it. */
	char keys[FIELD_COUNT][64];
	struct nearest slips;
	nearest_start(&slips, key, len);
	for (int id = 0; id < FIELD_COUNT; id++) {
		g = fields_at(id);
		snprintf(keys[id], sizeof(keys[id]), "%s%s", g->key, g->kind == FIELD_SECRET ?
		         CONNECTOR_FILE_SECRET_SUFFIX : "");
		nearest_offer(&slips, keys[id]);
	}
	nearest_offer(&slips, "schema");
	const char *slip = nearest_found(&slips);
	snprintf(msg, msglen, "%s: unknown key '%s'%s%s%s", name, key, slip ? " (did you mean '" : "",
	         slip ? slip : "", slip ? "'?)" : "");
}

/*
 * Every key of the object known, once, well typed: the connector, or NULL with
 * a message. A connector file stops at its first fault; an answers file
 * (written by a person) has all of them said, one line each in msg.
 */
static struct connector *connector_file_from_json(const cJSON *root, const char *name, bool answers,
                                                  char *msg, size_t msglen)
{
	struct connector *c = connector_new();
	bool schema = false;
	const cJSON *v;
	char one[FIELD_MSG_MAX + 256];
	size_t at = 0;

	if (!c) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	msg[0] = '\0';
	cJSON_ArrayForEach(v, root) {
		const struct field *f = NULL;
		bool ok = true;

		for (const cJSON *p = root->child; p != v && ok; p = p->next)
			if (strcmp(p->string, v->string) == 0) {
				snprintf(one, sizeof(one), "%s: key '%s' appears twice: keep one", name, v->string);
				ok = false;
			}
		if (ok && strcmp(v->string, "schema") == 0) {
			ok = connector_file_schema(v, name, one, sizeof(one));
			schema = true;
		} else if (ok && !(f = connector_file_field(v->string))) {
			connector_file_unknown(v->string, name, answers, one, sizeof(one));
			ok = false;
		} else if (ok) {
			ok = connector_file_set(c, f, v, name, one, sizeof(one));
		}
		if (ok)
			continue;
		if (at < msglen)
			at += (size_t)snprintf(msg + at, msglen - at, "%s%s", at ? "\n" : "", one);
		if (!answers)
			goto fail;
	}
	if (at)
		goto fail;
	/* An answers file may leave anything out: flags and defaults complete it. */
	if (answers)
		return c;
	if (!schema) {
		snprintf(msg, msglen, "%s: missing key 'schema'", name);
		goto fail;
	}
	for (int id = 0; id < FIELD_COUNT; id++) {
		char key[64];

		if (!fields_at(id)->required || !fields_applies(c, id) || connector_get(c, id))
			continue;
		connector_file_key(fields_at(id), key, sizeof(key));
		/* There, but "" (an edit by hand): what is wrong is its value. */
		snprintf(msg, msglen, cJSON_GetObjectItemCaseSensitive(root, key)
		         ? "%s: key '%s' is empty: give its value in that file" : "%s: missing key '%s'", name, key);
		goto fail;
	}
	return c;
fail:
	connector_free(c);
	return NULL;
}

/*
 * Does the JSON text hold a NUL byte, raw or as the escape \u0000 (which
 * cJSON would turn into a silently shortened string)?
 */
static bool connector_file_has_nul(const char *text, size_t len)
{
	if (strlen(text) != len)
		return true;
	for (const char *p = strstr(text, "u0000"); p; p = strstr(p + 1, "u0000")) {
		size_t slashes = 0;

		while (p - slashes > text && p[-1 - (ptrdiff_t)slashes] == '\\')
			slashes++;
		if (slashes % 2)
			return true;
	}
	return false;
}

/* Take a draft's string under key out of root: *out its copy (NULL if none); false when out of memory. */
static bool connector_file_take(cJSON *root, const char *key, char **out)
{
	cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(root, key);
	bool ok = !cJSON_IsString(item) || !*item->valuestring || (*out = strdup(item->valuestring));

	cJSON_Delete(item);
	return ok;
}

/*
 * Take an edit's values then (a connector file's object) out of a draft's root into
 * d->base_values: none when it is not one (or out of memory: the draft is then one without).
 */
static void connector_file_take_base(cJSON *root, const char *name, struct connector_draft *d)
{
	cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(root, CONNECTOR_FILE_DRAFT_BASE_VALUES);
	char msg[256];

	if (cJSON_IsObject(item))
		d->base_values = connector_file_from_json(item, name, true, msg, sizeof(msg));
	cJSON_Delete(item);
}

/* Take a draft's place out of root into *at (none: -1); false when out of memory. */
static bool connector_file_take_at(cJSON *root, struct connector_draft_at *at)
{
	char *page = NULL, *focus = NULL, name[64];
	bool ok = connector_file_take(root, CONNECTOR_FILE_DRAFT_PAGE, &page) &&
	          connector_file_take(root, CONNECTOR_FILE_DRAFT_FOCUS, &focus);

	*at = CONNECTOR_FILE_DRAFT_NOWHERE;
	for (int p = 0; page && p <= CONNECTOR_FILE_DRAFT_REVIEW; p++)
		if (strcmp(page, connector_file_page_name(p)) == 0)
			at->page = p;
	/* Only an item of that page (a secret: its value, or its store id), by the name it is written under. */
	for (int id = 0; focus && at->page >= 0 && id < FIELD_COUNT; id++) {
		bool secret = fields_at(id)->kind == FIELD_SECRET;
		for (int sid = 0; (int)fields_at(id)->page == at->page && sid <= secret; sid++) {
			struct connector_draft_at item = { at->page, id, sid };
			connector_file_focus_name(&item, name, sizeof(name));
			if (strcmp(focus, name) == 0)
				*at = item;
		}
	}
	free(page);
	free(focus);
	return ok;
}

/* d (a draft's): where its extras (connector_draft) go, if the text holds them. */
static struct connector *connector_file_parse_as(const char *text, size_t len, const char *name,
                                                 bool answers, struct connector_draft *d, char *msg,
                                                 size_t msglen)
{
	const char *end = NULL;
	struct connector *c;
	cJSON *root;

	if (connector_file_has_nul(text, len)) {
		snprintf(msg, msglen, "%s: contains a NUL %s: not %s", name, strlen(text) != len ? "byte" : "character (\\u0000)",
		         answers ? "an answers file" : "a connector file");
		return NULL;
	}
	/* cJSON would say "line 1, column 1" of an empty file: what it is says more. */
	if (strspn(text, " \t\r\n") == len) {
		snprintf(msg, msglen, "%s: the file is empty: %s", name, answers ? "give a JSON object ({} for no answers)"
		         : "not a connector file");
		return NULL;
	}
	/* An answers file's values are each checked as given; a connector file's must be as saved (JSON is UTF-8). */
	const char *bad = answers ? NULL : utf8_first_invalid(text);
	if (bad) {
		int line, col;

		connector_file_where(text, bad, &line, &col);
		snprintf(msg, msglen, "%s: a byte that is not UTF-8 (0x%02X) at line %d, column %d: save the file "
		         "as UTF-8", name, (unsigned char)*bad, line, col);
		return NULL;
	}
	root = cJSON_ParseWithOpts(text, &end, 1);
	if (!root) {
		int line, col;

		/* cJSON says no more of "\ud800" than of a missing comma. */
		const char *lone = connector_file_lone_surrogate(text);
		connector_file_where(text, lone ? lone : end ? end : cJSON_GetErrorPtr(), &line, &col);
		if (lone)
			snprintf(msg, msglen, "%s: not valid JSON: '%.6s' at line %d, column %d is half of a UTF-16 pair, "
			         "no character: write the character itself (UTF-8), or the pair", name, lone, line, col);
		else
			snprintf(msg, msglen, "%s: not valid JSON (line %d, column %d)", name, line, col);
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		snprintf(msg, msglen, "%s: not a JSON object", name);
		cJSON_Delete(root);
		return NULL;
	}
	if (d)
		connector_file_take_base(root, name, d);
	bool taken = !d || (connector_file_take(root, CONNECTOR_FILE_DRAFT_KEY_FILE, &d->key_file) &&
	                    connector_file_take(root, CONNECTOR_FILE_DRAFT_KEY_MADE, &d->key_made) &&
	                    connector_file_take(root, CONNECTOR_FILE_DRAFT_BASE, &d->base) &&
	                    connector_file_take(root, CONNECTOR_FILE_DRAFT_CA_FILE, &d->ca_file) &&
	                    connector_file_take_at(root, &d->at));
	c = connector_file_from_json(root, name, answers, msg, msglen);
	if (c && !taken) {
		snprintf(msg, msglen, "out of memory");
		connector_free(c);
		c = NULL;
	}
	cJSON_Delete(root);
	return c;
}

struct connector *connector_file_parse(const char *text, size_t len, const char *name,
                                       char *msg, size_t msglen)
{
	return connector_file_parse_as(text, len, name, false, NULL, msg, msglen);
}

struct connector *connector_file_parse_answers(const char *text, size_t len, const char *name,
                                               char *msg, size_t msglen)
{
	return connector_file_parse_as(text, len, name, true, NULL, msg, msglen);
}

struct connector *connector_file_parse_draft(const char *text, size_t len, const char *name,
                                             struct connector_draft *d, char *msg, size_t msglen)
{
	*d = (struct connector_draft){ .at = CONNECTOR_FILE_DRAFT_NOWHERE };
	struct connector *c = connector_file_parse_as(text, len, name, true, d, msg, msglen);

	if (!c)
		connector_file_draft_free(d);
	return c;
}

void connector_file_draft_free(struct connector_draft *d)
{
	free(d->key_file);
	free(d->key_made);
	free(d->base);
	free(d->ca_file);
	connector_free(d->base_values);
	*d = (struct connector_draft){ .at = CONNECTOR_FILE_DRAFT_NOWHERE };
}

bool connector_file_safe(const char *path, const struct stat *st, char *msg, size_t msglen)
{
	static const struct store_perm_trust trust = {
		.owner_risk = "whoever owns it could point the connector at another host and get its token",
		.write_risk = "they could point the connector at another host and get its token",
		.write_fix = "",
		.dirs_risk = "others could change the connector",
	};

	return store_perm_trusted(path, st, &trust, msg, msglen);
}

enum connector_file_rc connector_file_read(const char *path, char **text, size_t *len, struct stat *st, char *msg,
                                           size_t msglen)
{
	if (fileio_read_path_st(path, CONNECTOR_FILE_MAX, text, len, st) == 0)
		return connector_file_safe(path, st, msg, msglen) ? CONNECTOR_FILE_OK : CONNECTOR_FILE_BAD;
	if (errno == ENOENT)
		return CONNECTOR_FILE_MISSING;
	if (errno == EFBIG) {
		snprintf(msg, msglen, "%s: larger than %d KiB: not a connector file", path, CONNECTOR_FILE_MAX / 1024);
	} else if (errno == ELOOP) {
		snprintf(msg, msglen, "%s: a symbolic link: connector files are never followed: put the file itself "
		         "there (cp --remove-destination \"$(readlink -f %s)\" %s), or remove the link", path, path, path);
	} else if (errno == EINVAL) {
		snprintf(msg, msglen, "%s: not a regular file: move it away", path);
	} else if (errno == EACCES && lstat(path, st) == 0 && st->st_uid != geteuid()) {
		/* Most often made by a run as root (sudo): who owns it says what fixes it. */
		connector_file_safe(path, st, msg, msglen);
	} else {
		snprintf(msg, msglen, "%s: cannot read: %s", path, strerror(errno));
		return CONNECTOR_FILE_IO;
	}
	return CONNECTOR_FILE_BAD;
}

void connector_file_misnamed(const char *dir, const char *id, char *out, size_t outlen)
{
	char path[PATH_MAX];
	struct stat st;

	*out = '\0';
	/* Only a name in the folder (no '/', not . or ..) is looked for. */
	if (!*id || strchr(id, '/') || strcmp(id, ".") == 0 || strcmp(id, "..") == 0 ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s.json", dir, id) >= sizeof(path) || lstat(path, &st) != 0)
		return;
	snprintf(out, outlen, "; the file %s is named so: rename it, and its \"identifier\" key, to an "
	         "identifier (or remove it)", path);
}

enum connector_file_rc connector_file_load(const char *dir, const char *id, struct connector **out,
                                           char *msg, size_t msglen)
{
	char why[FIELD_MSG_MAX];
	enum connector_file_rc rc;
	char *path, *text = NULL;
	size_t len;

	*out = NULL;
	if (!ident_check_identifier(id, "identifier", why, sizeof(why))) {
		char cut[MSG_CUT_MAX], named[PATH_MAX + 160];
		connector_file_misnamed(dir, id, named, sizeof(named));
		snprintf(msg, msglen, "'%s' is not a connector identifier: %s%s", msg_cut(id, cut, sizeof(cut)), why,
		         named);
		return CONNECTOR_FILE_BAD;
	}
	path = connector_file_path(dir, id);
	if (!path) {
		snprintf(msg, msglen, "out of memory");
		return CONNECTOR_FILE_IO;
	}
	struct stat st;
	rc = connector_file_read(path, &text, &len, &st, msg, msglen);
	if (rc == CONNECTOR_FILE_MISSING)
		snprintf(msg, msglen, "no connector '%s' (looked for %s)", id, path);
	if (rc != CONNECTOR_FILE_OK)
		goto done;
	rc = CONNECTOR_FILE_BAD;
	*out = connector_file_parse(text, len, path, msg, msglen);
	if (!*out) {
		/* Not one the program wrote: it was edited by hand, or cut short. */
		size_t at = strlen(msg);
		snprintf(msg + at, msglen - at, "; fix it in an editor (azrepos-connect(5) lists its keys), or delete "
		         "the connector");
	}
	if (*out && strcmp(connector_get(*out, FIELD_IDENTIFIER), id) != 0) {
		snprintf(msg, msglen, "%s: key 'identifier' is '%s' but the file name says '%s': rename "
		         "the file or fix the key", path, connector_get(*out, FIELD_IDENTIFIER), id);
		connector_free(*out);
		*out = NULL;
	}
	if (*out)
		rc = CONNECTOR_FILE_OK;
done:
	free(text);
	free(path);
	return rc;
}

struct connector_file_check {
	char *msg;
	size_t msglen;
};

/* fileio_write_atomic's read-back: the written bytes must parse as a connector. */
static int connector_file_verify(const void *data, size_t len, void *user)
{
	struct connector_file_check *check = user;
	struct connector *c = connector_file_parse(data, len, "the written file", check->msg,
	                                           check->msglen);

	connector_free(c);
	return c ? 0 : -1;
}

bool connector_file_dir_safe(const char *dir, char *msg, size_t msglen)
{
	struct store_error err;
	bool ok = store_perm_dir_usable(dir, "save connectors", "(others could change the connectors saved there)",
	                                &err) == STORE_OK;

	if (!ok)
		snprintf(msg, msglen, "%s", err.message);
	return ok;
}

bool connector_file_dir_trusted(const char *dir, char *msg, size_t msglen)
{
	struct store_error err;

	if (store_perm_tree(dir, true, &err) == STORE_OK)
		return true;
	snprintf(msg, msglen, "%s (others could change the connectors saved there)", err.message);
	return false;
}

int connector_file_save(const char *dir, const struct connector *c, bool replace, char *msg, size_t msglen)
{
	const char *id = connector_get(c, FIELD_IDENTIFIER);
	struct connector_file_check check = { msg, msglen };
	char why[FIELD_MSG_MAX];
	char *path = NULL, *text = NULL;
	int rc = -1;

	/* The identifier becomes a file name: never anything but a valid one. */
	if (!ident_check_identifier(id ? id : "", "identifier", why, sizeof(why))) {
		snprintf(msg, msglen, "cannot save: %s", why);
		return -1;
	}
	/* Never a file that every later read refuses (connector_file_safe). */
	if (!connector_file_dir_safe(dir, msg, msglen))
		return -1;
	if (paths_mkdir(dir) != 0) {
		snprintf(msg, msglen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	path = connector_file_path(dir, id);
	text = connector_file_text(c);
	if (!path || !text) {
		snprintf(msg, msglen, "out of memory");
		goto done;
	}
	msg[0] = '\0';
	/* Temp files of a write cut short (a crash): old enough that no live write owns them. */
	fileio_clean_temps(path, FILEIO_TEMP_STALE_S);
	int wrc = (replace ? fileio_write_atomic : fileio_create_atomic)(path, text, strlen(text),
	                                                                  connector_file_verify, &check);
	if (wrc == -2) {
		snprintf(msg, msglen, "%s was written, but syncing its folder failed (%s): after a power "
		         "loss it may be the old one", path, strerror(errno));
		rc = -2;
		goto done;
	}
	if (wrc != 0) {
		int err = errno;
		if (err == EEXIST)
			snprintf(msg, msglen, "a connector '%s' was saved meanwhile (by another run): it is kept, "
			         "this one is not saved", id);
		else if (err != EBADMSG || !msg[0])
			snprintf(msg, msglen, "cannot write %s: %s", path, strerror(err));
		errno = err;
		goto done;
	}
	rc = 0;
done:
	free(text);
	free(path);
	return rc;
}

static int connector_file_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int connector_file_ids(const char *dir, char ***ids, size_t *n)
{
	DIR *d = opendir(dir);
	char **list = NULL;
	size_t count = 0, cap = 0;
	struct dirent *e;

	*ids = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *id;

		if (e->d_name[0] == '.' || len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		if (count == cap) {
			char **bigger = realloc(list, (cap = cap ? cap * 2 : 16) * sizeof(*list));

			if (!bigger)
				goto fail;
			list = bigger;
		}
		id = strndup(e->d_name, len - 5);
		if (!id)
			goto fail;
		list[count++] = id;
	}
	closedir(d);
	if (count)
		qsort(list, count, sizeof(*list), connector_file_cmp);
	*ids = list;
	*n = count;
	return 0;
fail:
	closedir(d);
	connector_file_free_ids(list, count);
	errno = ENOMEM;
	return -1;
}

void connector_file_free_ids(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int connector_file_remove(const char *dir, const char *id)
{
	char *path = connector_file_path(dir, id);
	int rc = -1, dfd;

	if (!path) {
		errno = ENOMEM;
		return -1;
	}
	if (unlink(path) == 0) {
		/* No lock guards connector files: a save running now keeps its temp file. */
		fileio_clean_temps(path, FILEIO_TEMP_STALE_S);
		/* The removal is durable only once the folder is; gone all the same (-2) if it is not. */
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		rc = dfd >= 0 && fsync(dfd) == 0 ? 0 : -2;
		if (dfd >= 0) {
			int e = errno;

			close(dfd);
			errno = e;
		}
	}
	free(path);
	return rc;
}
