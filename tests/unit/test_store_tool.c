/*
 * Makes and reads stores for the test corpus and the shell tests (a helper,
 * not a test): the only way to build stores with the test-only KDF limits.
 *
 *   test_store_tool create PATH KEY PARAMS [ID KIND VALUE]...
 *   test_store_tool put    PATH KEY PARAMS ID KIND VALUE
 *   test_store_tool dump   PATH KEY PARAMS
 *
 * KEY: pass:TEXT | keyfile:HEX | credential:HEX
 * PARAMS: test (ops 1 / 8 MiB) | interactive (production bounds, ops 2 / 64 MiB)
 *         | moderate (the program's own: ops 3 / 256 MiB)
 * VALUE: text:TEXT | hex:HEX | fill:N:C (N bytes of the character C) | file:PATH
 * dump prints "generation N" then "ID KIND SHA256" per secret, sorted by id.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store_testutil.h"

static struct secbuf *tool_bytes(const char *spec)
{
	if (strncmp(spec, "text:", 5) == 0)
		return tu_sb(spec + 5);
	if (strncmp(spec, "hex:", 4) == 0) {
		struct secbuf *sb = secbuf_new(strlen(spec));
		long n = sb ? tu_unhex(spec + 4, sb->data, sb->cap) : -1;

		if (n < 0) {
			secbuf_free(sb);
			return NULL;
		}
		sb->len = (size_t)n;
		return sb;
	}
	if (strncmp(spec, "file:", 5) == 0)
		return secbuf_read_file(spec + 5, STORE_VALUE_MAX + 1, false);
	if (strncmp(spec, "fill:", 5) == 0) {
		char *end;
		unsigned long n = strtoul(spec + 5, &end, 10);
		struct secbuf *sb = *end == ':' && end[1] ? secbuf_new(n) : NULL;

		if (sb) {
			memset(sb->data, end[1], n);
			sb->len = n;
		}
		return sb;
	}
	return NULL;
}

static int tool_key(const char *spec, enum store_method *method, struct secbuf **key)
{
	if (strncmp(spec, "pass:", 5) == 0) {
		*method = STORE_METHOD_PASSPHRASE;
		*key = tu_sb(spec + 5);
		return 0;
	}
	if (strncmp(spec, "keyfile:", 8) == 0 || strncmp(spec, "credential:", 11) == 0) {
		char hex[512];

		*method = spec[0] == 'k' ? STORE_METHOD_KEYFILE : STORE_METHOD_CREDENTIAL;
		snprintf(hex, sizeof(hex), "hex:%s", strchr(spec, ':') + 1);
		*key = tool_bytes(hex);
		return *key ? 0 : -1;
	}
	return -1;
}

static int tool_params(const char *name, struct store_params *p)
{
	if (strcmp(name, "test") == 0) {
		*p = *store_params_test();
		return 0;
	}
	if (strcmp(name, "moderate") == 0) {
		*p = *store_params_production();
		return 0;
	}
	if (strcmp(name, "interactive") == 0) {
		*p = *store_params_production();
		p->ops_default = p->ops_fallback;
		p->mem_default = p->mem_fallback;
		return 0;
	}
	return -1;
}

static int tool_fail(const struct store_error *err)
{
	fprintf(stderr, "test_store_tool: %s (status %d)\n", err->message, (int)err->status);
	return 1;
}

/* Put the ID KIND VALUE triples of argv into s, one transaction. */
static int tool_put_all(struct store *s, int argc, char **argv)
{
	struct store_error err;

	if (argc % 3 != 0 || store_begin(s, &err) != STORE_OK)
		return argc % 3 != 0 ? 2 : tool_fail(&err);
	for (int i = 0; i < argc; i += 3) {
		enum store_kind kind;
		struct secbuf *v = tool_bytes(argv[i + 2]);

		if (!v || !store_kind_parse(argv[i + 1], &kind)) {
			secbuf_free(v);
			store_abort(s);
			return 2;
		}
		enum store_status st = store_put(s, argv[i], kind, v, &err);
		secbuf_free(v);
		if (st != STORE_OK) {
			store_abort(s);
			return tool_fail(&err);
		}
	}
	return store_commit(s, &err) == STORE_OK ? 0 : tool_fail(&err);
}

static int tool_dump(struct store *s)
{
	struct store_error err;
	struct store_info info;

	printf("generation %llu\n", (unsigned long long)store_generation(s));
	for (size_t i = 0; store_info(s, i, &info); i++) {
		struct secbuf *v;
		char hex[65];

		if (store_get(s, info.id, &v, &err) != STORE_OK)
			return tool_fail(&err);
		tu_sha256_hex(v->data, v->len, hex);
		printf("%s %s %s\n", info.id, store_kind_name(info.kind), hex);
		secbuf_free(v);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct store_params params;
	struct store_error err;
	enum store_method method;
	struct secbuf *key = NULL;
	struct store *s = NULL;
	int rc;

	if (argc < 5 || sodium_init() < 0 || tool_key(argv[3], &method, &key) != 0 ||
	    tool_params(argv[4], &params) != 0) {
		fputs("usage: test_store_tool create|put|dump PATH KEY PARAMS [ID KIND VALUE]...\n", stderr);
		return 2;
	}
	if (strcmp(argv[1], "create") == 0) {
		if (store_create_params(argv[2], &params, method, key, &s, &err) != STORE_OK)
			rc = tool_fail(&err);
		else
			rc = tool_put_all(s, argc - 5, argv + 5);
	} else if (store_load_params(argv[2], &params, &s, &err) != STORE_OK ||
	           store_unlock(s, key, &err) != STORE_OK) {
		rc = tool_fail(&err);
	} else if (strcmp(argv[1], "put") == 0) {
		rc = tool_put_all(s, argc - 5, argv + 5);
	} else {
		rc = strcmp(argv[1], "dump") == 0 ? tool_dump(s) : 2;
	}
	store_close(s);
	secbuf_free(key);
	return rc;
}
