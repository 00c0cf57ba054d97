/*
 * Strict parse and canonical serialization of the store file (format v1).
 * Everything here runs before any key derivation, so it is cheap and bounded:
 * a hostile file can make us refuse it, never make us work hard.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "store_error.h"
#include "store_format.h"

static const char *const store_kind_names[STORE_KIND_COUNT] = {
	[STORE_KIND_TOKEN] = "token",
	[STORE_KIND_PASSWORD] = "password",
	[STORE_KIND_SSH_PRIVATE_KEY] = "ssh-private-key",
	[STORE_KIND_SSH_KEY_PASSPHRASE] = "ssh-key-passphrase",
};

static const char *const store_method_names[] = {
	[STORE_METHOD_PASSPHRASE] = "passphrase",
	[STORE_METHOD_KEYFILE] = "keyfile",
	[STORE_METHOD_CREDENTIAL] = "systemd-credential",
};

const char *store_kind_name(enum store_kind kind)
{
	return (unsigned)kind < STORE_KIND_COUNT ? store_kind_names[kind] : "?";
}

bool store_kind_parse(const char *name, enum store_kind *kind)
{
	for (unsigned i = 0; i < STORE_KIND_COUNT; i++) {
		if (strcmp(name, store_kind_names[i]) == 0) {
			*kind = (enum store_kind)i;
			return true;
		}
	}
	return false;
}

const char *store_method_name(enum store_method method)
{
	return (unsigned)method <= STORE_METHOD_CREDENTIAL ? store_method_names[method] : "?";
}

static bool store_method_parse(const char *name, enum store_method *method)
{
	for (unsigned i = 0; i <= STORE_METHOD_CREDENTIAL; i++) {
		if (strcmp(name, store_method_names[i]) == 0) {
			*method = (enum store_method)i;
			return true;
		}
	}
	return false;
}

bool store_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n > STORE_ID_MAX || strstr(id, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return true;
}

int store_format_find(const struct store_file *f, const char *id)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->entries[i].id, id) == 0)
			return (int)i;
	return -1;
}

void store_format_clear(struct store_file *f)
{
	for (size_t i = 0; i < f->count; i++)
		free(f->entries[i].ct);
	memset(f, 0, sizeof(*f));
}

/* ---- parsing ---- */

enum json_type { J_STRING, J_NUMBER, J_OBJECT, J_ARRAY };

struct json_field {
	const char *name;
	enum json_type type;
	const cJSON *item; /* set by json_fields */
};

static const char *const json_type_names[] = { "a string", "a number", "an object", "an array" };

static bool json_is(const cJSON *item, enum json_type type)
{
	switch (type) {
	case J_STRING:
		return cJSON_IsString(item);
	case J_NUMBER:
		return cJSON_IsNumber(item);
	case J_OBJECT:
		return cJSON_IsObject(item);
	case J_ARRAY:
		return cJSON_IsArray(item);
	}
	return false;
}

/*
 * Walk every member of obj: each must be one of fields, once, of its type.
 * cJSON keeps duplicate keys and its lookups return the first one, so a
 * lookup alone would let two readers see two different files.
 */
static enum store_status json_fields(const cJSON *obj, const char *where, struct json_field *fields,
                                     size_t n, struct store_error *err)
{
	for (size_t i = 0; i < n; i++)
		fields[i].item = NULL;
	for (const cJSON *c = obj->child; c; c = c->next) {
		size_t i = 0;

		while (i < n && strcmp(c->string, fields[i].name) != 0)
			i++;
		if (i == n)
			return store_fail(err, STORE_CORRUPT, "unknown key \"%.40s\" in %s", c->string, where);
		if (fields[i].item)
			return store_fail(err, STORE_CORRUPT, "duplicate key \"%s\" in %s", c->string, where);
		if (!json_is(c, fields[i].type))
			return store_fail(err, STORE_CORRUPT, "%s.%s must be %s", where, c->string,
			                  json_type_names[fields[i].type]);
		fields[i].item = c;
	}
	return STORE_OK;
}

static enum store_status json_require(const struct json_field *fields, size_t n, const char *where,
                                      struct store_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (!fields[i].item)
			return store_fail(err, STORE_CORRUPT, "missing key \"%s\" in %s", fields[i].name, where);
	return STORE_OK;
}

/* An integral number in [0, max] (JSON numbers are doubles: exact up to 2^53). */
static bool json_uint(const cJSON *item, uint64_t max, uint64_t *out)
{
	double d = item->valuedouble;

	if (!(d >= 0 && d <= (double)max) || (double)(uint64_t)d != d)
		return false;
	*out = (uint64_t)d;
	return true;
}

static enum store_status json_number(const cJSON *item, const char *what, uint64_t max, uint64_t *out,
                                     struct store_error *err)
{
	if (!json_uint(item, max, out))
		return store_fail(err, STORE_CORRUPT, "%s must be a whole number from 0 to %llu", what,
		                  (unsigned long long)max);
	return STORE_OK;
}

/*
 * Canonical, padded standard base64 of a length in [min, max], into a new
 * exact-size buffer: libsodium refuses other characters, missing padding and
 * non-zero trailing bits; the text length must then be exactly the encoding
 * of the decoded length.
 */
static enum store_status json_b64_alloc(const cJSON *item, const char *what, size_t min, size_t max,
                                        unsigned char **out, size_t *len, struct store_error *err)
{
	const char *s = item->valuestring;
	size_t slen = strlen(s);
	size_t room = slen / 4 * 3 + 3; /* every decoding fits: tells "too long" from "not base64" */
	unsigned char *bin;
	size_t got = 0;

	if (slen > sodium_base64_ENCODED_LEN(max + 3, sodium_base64_VARIANT_ORIGINAL))
		return store_fail(err, STORE_CORRUPT, "%s is longer than %zu bytes", what, max);
	if (!(bin = malloc(room)))
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	if (sodium_base642bin(bin, room, s, slen, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    slen != sodium_base64_ENCODED_LEN(got, sodium_base64_VARIANT_ORIGINAL) - 1) {
		free(bin);
		return store_fail(err, STORE_CORRUPT, "%s is not canonical base64", what);
	}
	if (got < min || got > max) {
		free(bin);
		if (min == max)
			return store_fail(err, STORE_CORRUPT, "%s decodes to %zu bytes, not %zu", what, got, min);
		return store_fail(err, STORE_CORRUPT, "%s decodes to %zu bytes, not %zu to %zu", what, got,
		                  min, max);
	}
	*out = bin;
	*len = got;
	return STORE_OK;
}

static enum store_status json_b64_exact(const cJSON *item, const char *what, unsigned char *out,
                                        size_t n, struct store_error *err)
{
	unsigned char *bin;
	size_t len;
	enum store_status st = json_b64_alloc(item, what, n, n, &bin, &len, err);

	if (st == STORE_OK) {
		memcpy(out, bin, n);
		free(bin);
	}
	return st;
}

/* Plain printable ASCII (and tab, CR, LF) without backslashes: the writer
 * never needs escapes, and refusing them removes every way to spell one
 * string two ways (\u0000 would even cut a string short in cJSON). */
static enum store_status store_format_scan(const char *buf, size_t len, struct store_error *err)
{
	if (len == 0)
		return store_fail(err, STORE_CORRUPT, "the file is empty");
	if (len > STORE_FILE_MAX)
		return store_fail(err, STORE_CORRUPT, "the file is larger than %d bytes", STORE_FILE_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c > 0x7e)
			return store_fail(err, STORE_CORRUPT, "byte %zu (0x%02x) is not printable ASCII", i, c);
		if (c == '\\')
			return store_fail(err, STORE_CORRUPT, "byte %zu is an escape, which the format never uses", i);
	}
	return STORE_OK;
}

/* format and version first: a newer version is reported as such before
 * anything else of it is judged. */
static enum store_status store_format_version(const cJSON *root, struct store_error *err)
{
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
	uint64_t v;

	if (!cJSON_IsString(format) || strcmp(format->valuestring, STORE_FORMAT_NAME) != 0)
		return store_fail(err, STORE_CORRUPT, "not an azrepos-connect secret store (\"format\")");
	if (!cJSON_IsNumber(version))
		return store_fail(err, STORE_CORRUPT, "\"version\" must be a number");
	if (json_uint(version, STORE_NUMBER_MAX, &v) && v > STORE_FORMAT_VERSION)
		return store_fail(err, STORE_UNSUPPORTED,
		                  "the store has format version %llu; this version of azrepos-connect "
		                  "reads version %d: upgrade azrepos-connect",
		                  (unsigned long long)v, STORE_FORMAT_VERSION);
	if (version->valuedouble != STORE_FORMAT_VERSION)
		return store_fail(err, STORE_CORRUPT, "\"version\" must be %d", STORE_FORMAT_VERSION);
	return STORE_OK;
}

static enum store_status store_format_unlock(const cJSON *obj, const struct store_kdf_bounds *b,
                                             struct store_unlock_hdr *u, struct store_error *err)
{
	struct json_field f[] = {
		{ "method", J_STRING, NULL }, { "kdf", J_STRING, NULL },
		{ "opslimit", J_NUMBER, NULL }, { "memlimit", J_NUMBER, NULL },
		{ "salt", J_STRING, NULL },
	};
	enum store_status st = json_fields(obj, "unlock", f, 5, err);

	if (st != STORE_OK || (st = json_require(f, 1, "unlock", err)) != STORE_OK)
		return st;
	if (!store_method_parse(f[0].item->valuestring, &u->method))
		return store_fail(err, STORE_CORRUPT, "unknown unlock method \"%.40s\"", f[0].item->valuestring);
	if (u->method != STORE_METHOD_PASSPHRASE) {
		/* The key-file methods have no KDF: any KDF field is out of place. */
		for (size_t i = 1; i < 5; i++)
			if (f[i].item)
				return store_fail(err, STORE_CORRUPT, "unlock.%s does not belong to method %s",
				                  f[i].name, f[0].item->valuestring);
		return STORE_OK;
	}
	if ((st = json_require(f, 5, "unlock", err)) != STORE_OK)
		return st;
	if (strcmp(f[1].item->valuestring, "argon2id13") != 0)
		return store_fail(err, STORE_CORRUPT, "unknown kdf \"%.40s\"", f[1].item->valuestring);
	u->kdf_alg = STORE_KDF_ARGON2ID13;
	if ((st = json_number(f[2].item, "unlock.opslimit", STORE_NUMBER_MAX, &u->opslimit, err)) != STORE_OK ||
	    (st = json_number(f[3].item, "unlock.memlimit", STORE_NUMBER_MAX, &u->memlimit, err)) != STORE_OK)
		return st;
	if (u->opslimit < b->ops_min || u->opslimit > b->ops_max)
		return store_fail(err, STORE_CORRUPT, "unlock.opslimit %llu is outside %llu..%llu (refused "
		                  "before any key derivation)", (unsigned long long)u->opslimit,
		                  (unsigned long long)b->ops_min, (unsigned long long)b->ops_max);
	if (u->memlimit < b->mem_min || u->memlimit > b->mem_max)
		return store_fail(err, STORE_CORRUPT, "unlock.memlimit %llu is outside %llu..%llu (refused "
		                  "before any key derivation)", (unsigned long long)u->memlimit,
		                  (unsigned long long)b->mem_min, (unsigned long long)b->mem_max);
	return json_b64_exact(f[4].item, "unlock.salt", u->salt, STORE_SALT_BYTES, err);
}

static enum store_status store_format_entry(const cJSON *obj, size_t i, struct store_entry *e,
                                            struct store_error *err)
{
	struct json_field f[] = {
		{ "id", J_STRING, NULL }, { "kind", J_STRING, NULL },
		{ "created", J_NUMBER, NULL }, { "updated", J_NUMBER, NULL },
		{ "nonce", J_STRING, NULL }, { "ct", J_STRING, NULL },
	};
	char where[32];
	enum store_status st;
	unsigned char *ct;

	snprintf(where, sizeof(where), "secrets[%zu]", i);
	if (!cJSON_IsObject(obj))
		return store_fail(err, STORE_CORRUPT, "%s must be an object", where);
	if ((st = json_fields(obj, where, f, 6, err)) != STORE_OK ||
	    (st = json_require(f, 6, where, err)) != STORE_OK)
		return st;
	if (!store_id_valid(f[0].item->valuestring))
		return store_fail(err, STORE_CORRUPT, "%s.id \"%.70s\" is not a valid id", where,
		                  f[0].item->valuestring);
	strcpy(e->id, f[0].item->valuestring);
	if (!store_kind_parse(f[1].item->valuestring, &e->kind))
		return store_fail(err, STORE_CORRUPT, "%s.kind \"%.40s\" is not a known kind", where,
		                  f[1].item->valuestring);
	if ((st = json_number(f[2].item, "created", STORE_NUMBER_MAX, &e->created, err)) != STORE_OK ||
	    (st = json_number(f[3].item, "updated", STORE_NUMBER_MAX, &e->updated, err)) != STORE_OK)
		return st;
	if (e->updated < e->created)
		return store_fail(err, STORE_CORRUPT, "%s was updated before it was created", where);
	if ((st = json_b64_exact(f[4].item, "nonce", e->nonce, STORE_NONCE_BYTES, err)) != STORE_OK)
		return st;
	st = json_b64_alloc(f[5].item, "ct", STORE_PAD_BLOCK + STORE_TAG_BYTES, STORE_CT_MAX, &ct, &e->ct_len, err);
	if (st != STORE_OK)
		return st;
	e->ct = ct; /* freed with the entry from here on */
	if ((e->ct_len - STORE_TAG_BYTES) % STORE_PAD_BLOCK != 0)
		return store_fail(err, STORE_CORRUPT, "%s.ct is %zu bytes, not a padded length", where, e->ct_len);
	return STORE_OK;
}

static enum store_status store_format_secrets(const cJSON *arr, struct store_file *sf,
                                              struct store_error *err)
{
	int n = cJSON_GetArraySize(arr);
	size_t i = 0;

	if (n > STORE_MAX_ENTRIES)
		return store_fail(err, STORE_CORRUPT, "%d secrets, more than the %d allowed", n,
		                  STORE_MAX_ENTRIES);
	for (const cJSON *c = arr->child; c; c = c->next, i++) {
		struct store_entry *e = &sf->entries[i];
		enum store_status st;

		sf->count = i + 1; /* so that a failed entry's ciphertext is freed too */
		if ((st = store_format_entry(c, i, e, err)) != STORE_OK)
			return st;
		/* Strictly increasing: sorted, so no duplicates and one order. */
		if (i > 0 && strcmp(sf->entries[i - 1].id, e->id) >= 0)
			return store_fail(err, STORE_CORRUPT, "secret ids are not strictly increasing at \"%s\"",
			                  e->id);
	}
	return STORE_OK;
}

static enum store_status store_format_root(const cJSON *root, const struct store_kdf_bounds *bounds,
                                           struct store_file *sf, struct store_error *err)
{
	struct json_field f[] = {
		{ "format", J_STRING, NULL }, { "version", J_NUMBER, NULL },
		{ "store_id", J_STRING, NULL }, { "generation", J_NUMBER, NULL },
		{ "unlock", J_OBJECT, NULL }, { "key_check", J_STRING, NULL },
		{ "wrapped_dek", J_OBJECT, NULL }, { "secrets", J_ARRAY, NULL },
		{ "mac", J_STRING, NULL },
	};
	struct json_field w[] = { { "nonce", J_STRING, NULL }, { "ct", J_STRING, NULL } };
	enum store_status st;

	if ((st = store_format_version(root, err)) != STORE_OK ||
	    (st = json_fields(root, "the store", f, 9, err)) != STORE_OK ||
	    (st = json_require(f, 9, "the store", err)) != STORE_OK ||
	    (st = json_b64_exact(f[2].item, "store_id", sf->store_id, STORE_ID_BYTES, err)) != STORE_OK ||
	    (st = json_number(f[3].item, "generation", STORE_NUMBER_MAX, &sf->generation, err)) != STORE_OK ||
	    (st = store_format_unlock(f[4].item, bounds, &sf->unlock, err)) != STORE_OK ||
	    (st = json_b64_exact(f[5].item, "key_check", sf->key_check, STORE_CHECK_BYTES, err)) != STORE_OK ||
	    (st = json_fields(f[6].item, "wrapped_dek", w, 2, err)) != STORE_OK ||
	    (st = json_require(w, 2, "wrapped_dek", err)) != STORE_OK ||
	    (st = json_b64_exact(w[0].item, "wrapped_dek.nonce", sf->dek_nonce, STORE_NONCE_BYTES,
	                         err)) != STORE_OK ||
	    (st = json_b64_exact(w[1].item, "wrapped_dek.ct", sf->dek_ct, STORE_WRAPPED_BYTES,
	                         err)) != STORE_OK ||
	    (st = store_format_secrets(f[7].item, sf, err)) != STORE_OK)
		return st;
	return json_b64_exact(f[8].item, "mac", sf->mac, STORE_MAC_BYTES, err);
}

enum store_status store_format_parse(const char *buf, size_t len, const struct store_kdf_bounds *bounds,
                                     struct store_file *f, struct store_error *err)
{
	const char *end = NULL;
	enum store_status st = store_format_scan(buf, len, err);
	cJSON *root;

	memset(f, 0, sizeof(*f));
	if (st != STORE_OK)
		return st;
	/* The length counts the NUL: cJSON then demands nothing but whitespace after the value. */
	root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
	if (!root)
		return store_fail(err, STORE_CORRUPT, "not valid JSON (near byte %td)", end ? end - buf : (ptrdiff_t)0);
	if (end != buf + len)
		st = store_fail(err, STORE_CORRUPT, "unexpected data after the JSON object");
	else if (!cJSON_IsObject(root))
		st = store_fail(err, STORE_CORRUPT, "the file is not a JSON object");
	else
		st = store_format_root(root, bounds, f, err);
	cJSON_Delete(root);
	if (st != STORE_OK)
		store_format_clear(f);
	return st;
}

/* ---- serialization ---- */

struct store_writer {
	FILE *fp;
	char *b64; /* room for the longest field */
};

static void store_format_b64(struct store_writer *w, const char *key, const unsigned char *bin, size_t n,
                             const char *sep)
{
	sodium_bin2base64(w->b64, sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), bin, n,
	                  sodium_base64_VARIANT_ORIGINAL);
	fprintf(w->fp, "\"%s\": \"%s\"%s", key, w->b64, sep);
}

int store_format_serialize(const struct store_file *f, char **out, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	struct store_writer w = {
		.fp = open_memstream(&buf, &size),
		.b64 = malloc(sodium_base64_ENCODED_LEN(STORE_CT_MAX, sodium_base64_VARIANT_ORIGINAL)),
	};
	FILE *fp = w.fp;
	int failed;

	if (!fp || !w.b64) {
		if (fp)
			fclose(fp);
		free(buf);
		free(w.b64);
		return -1;
	}
	fprintf(fp, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  ", STORE_FORMAT_NAME, STORE_FORMAT_VERSION);
	store_format_b64(&w, "store_id", f->store_id, STORE_ID_BYTES, ",\n  ");
	fprintf(fp, "\"generation\": %llu,\n  \"unlock\": {\"method\": \"%s\"",
	        (unsigned long long)f->generation, store_method_name(f->unlock.method));
	if (f->unlock.method == STORE_METHOD_PASSPHRASE) {
		fprintf(fp, ", \"kdf\": \"argon2id13\", \"opslimit\": %llu, \"memlimit\": %llu, ",
		        (unsigned long long)f->unlock.opslimit, (unsigned long long)f->unlock.memlimit);
		store_format_b64(&w, "salt", f->unlock.salt, STORE_SALT_BYTES, "");
	}
	fputs("},\n  ", fp);
	store_format_b64(&w, "key_check", f->key_check, STORE_CHECK_BYTES, ",\n  ");
	fputs("\"wrapped_dek\": {", fp);
	store_format_b64(&w, "nonce", f->dek_nonce, STORE_NONCE_BYTES, ", ");
	store_format_b64(&w, "ct", f->dek_ct, STORE_WRAPPED_BYTES, "},\n  \"secrets\": [");
	for (size_t i = 0; i < f->count; i++) {
		const struct store_entry *e = &f->entries[i];

		fprintf(fp, "%s\n    {\"id\": \"%s\", \"kind\": \"%s\", \"created\": %llu, \"updated\": %llu, ",
		        i ? "," : "", e->id, store_kind_name(e->kind), (unsigned long long)e->created,
		        (unsigned long long)e->updated);
		store_format_b64(&w, "nonce", e->nonce, STORE_NONCE_BYTES, ", ");
		store_format_b64(&w, "ct", e->ct, e->ct_len, "}");
	}
	fputs(f->count ? "\n  ],\n  " : "],\n  ", fp);
	/* No newline after the last brace: then no proper prefix of the file parses. */
	store_format_b64(&w, "mac", f->mac, STORE_MAC_BYTES, "\n}");
	failed = ferror(fp);
	failed |= fclose(fp);
	free(w.b64);
	if (failed) {
		free(buf);
		return -1;
	}
	*out = buf;
	*len = size;
	return 0;
}
