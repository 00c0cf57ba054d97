/*
 * The store's vector corpus (tests/data/store/vectors, store-design.md §6.1):
 * one TAP line per vector, each file testing one rule with its expected
 * outcome; then the parse/serialize round trip of every vector that parses
 * (§6.13) and the golden v1 files (§6.12).
 */
#include <config.h>

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <sodium.h>

#include "store_crypto.h"
#include "store_format.h"
#include "store_testutil.h"

#define MAX_SECRETS 16

struct vector {
	char *name;
	char *file;
	const char *expect;
	const char *reason;
	const char *params;
	const char *key;
	const char *get;
	bool fast;
	size_t grow;
	size_t nsecrets;
	char secrets[MAX_SECRETS][160]; /* "ID KIND SHA256" */
	char *body;
	size_t body_len;
	char *text;                     /* the whole file; header fields point into it */
};

static char *corpus_dir(const char *sub)
{
	const char *top = getenv("top_srcdir");
	char base[4096];

	snprintf(base, sizeof(base), "%s/tests/data/store", top ? top : ".");
	return tu_path(base, sub);
}

/* Split a vector file into its header fields and body. */
static void vector_parse(struct vector *v)
{
	size_t len;
	char *p, *end;

	v->text = tu_read_file(v->file, &len);
	assert_non_null(v->text);
	end = strstr(v->text, "\n\n");
	assert_non_null(end);
	v->body = end + 2;
	v->body_len = len - (size_t)(v->body - v->text);
	end[1] = '\0';
	for (p = v->text; *p; ) {
		char *nl = strchr(p, '\n');
		char *colon = strstr(p, ": ");

		assert_non_null(nl);
		*nl = '\0';
		assert_non_null(colon);
		*colon = '\0';
		const char *val = colon + 2;
		if (strcmp(p, "expect") == 0)
			v->expect = val;
		else if (strcmp(p, "reason") == 0)
			v->reason = val;
		else if (strcmp(p, "params") == 0)
			v->params = val;
		else if (strcmp(p, "key") == 0)
			v->key = val;
		else if (strcmp(p, "get") == 0)
			v->get = val;
		else if (strcmp(p, "fast") == 0)
			v->fast = strcmp(val, "yes") == 0;
		else if (strcmp(p, "grow") == 0)
			v->grow = strtoul(val, NULL, 10);
		else if (strcmp(p, "secret") == 0 && v->nsecrets < MAX_SECRETS)
			snprintf(v->secrets[v->nsecrets++], sizeof(v->secrets[0]), "%s", val);
		else
			assert_string_equal(p, "rule"); /* the only other field */
		p = nl + 1;
	}
	assert_non_null(v->expect);
	assert_non_null(v->params);
}

static struct secbuf *vector_key(const char *spec)
{
	const char *colon = strchr(spec, ':');
	struct secbuf *sb;

	assert_non_null(colon);
	if (strncmp(spec, "pass:", 5) == 0)
		return tu_sb(spec + 5);
	sb = secbuf_new(512);
	assert_non_null(sb);
	long n = tu_unhex(colon + 1, sb->data, sb->cap);
	assert_true(n > 0);
	sb->len = (size_t)n;
	return sb;
}

static const char *status_name(enum store_status st)
{
	static const char *const names[] = {
		[STORE_OK] = "success", [STORE_WRONG_KEY] = "wrong_key", [STORE_CORRUPT] = "corrupt",
		[STORE_TAMPERED] = "tampered", [STORE_UNSUPPORTED] = "unsupported",
		[STORE_PERMISSIONS] = "permissions", [STORE_BUSY] = "busy", [STORE_IO] = "io",
		[STORE_NOT_FOUND] = "not_found", [STORE_KDF_RESOURCES] = "kdf_resources",
		[STORE_NO_STORE] = "no_store", [STORE_INVALID] = "invalid", [STORE_NO_MEMORY] = "no_memory",
	};
	return names[st];
}

/*
 * CPU time of this thread: what a KDF costs (a second or more) against what a
 * refusal costs (a few ms), whatever else the machine is doing meanwhile.
 */
static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Every listed secret has its hash, and the store holds nothing else. */
static enum store_status vector_check_secrets(const struct vector *v, struct store *s, struct store_error *err)
{
	struct store_info info;
	size_t n = 0;

	for (; store_info(s, n, &info); n++) {
		struct secbuf *val = NULL;
		char want[160], hex[65];
		enum store_status st = store_get(s, info.id, &val, err);

		if (st != STORE_OK)
			return st;
		tu_sha256_hex(val->data, val->len, hex);
		secbuf_free(val);
		snprintf(want, sizeof(want), "%s %s %s", info.id, store_kind_name(info.kind), hex);
		bool listed = false;
		for (size_t i = 0; i < v->nsecrets; i++)
			listed |= strcmp(v->secrets[i], want) == 0;
		if (!listed)
			fail_msg("%s: unexpected or different secret: %s", v->name, want);
	}
	assert_int_equal(n, v->nsecrets);
	return STORE_OK;
}

static void run_vector(void **state)
{
	struct vector *v = *state;
	char *dir = tmpdir_make("azrc-store");
	char *path = tu_path(dir, "secrets.store");
	const struct store_params *params;
	struct store_error err = { 0 };
	struct store *s = NULL;
	enum store_status st;
	char *body;
	size_t len;
	double t0;

	vector_parse(v);
	params = strcmp(v->params, "production") == 0 ? store_params_production() : tu_params_memo();
	body = v->body;
	len = v->body_len;
	if (v->grow) {
		/* Spaces before the last '}' up to the size asked for. */
		assert_true(v->grow > len);
		body = malloc(v->grow);
		assert_non_null(body);
		memcpy(body, v->body, len - 2);
		memset(body + len - 2, ' ', v->grow - len);
		memcpy(body + v->grow - 2, v->body + len - 2, 2);
		len = v->grow;
	}
	assert_int_equal(tu_write_file(path, body, len, 0600), 0);
	t0 = now_ms();
	st = store_load_params(path, params, &s, &err);
	if (st == STORE_OK && v->key) {
		struct secbuf *key = vector_key(v->key);

		st = store_unlock(s, key, &err);
		secbuf_free(key);
		if (st == STORE_OK && v->get) {
			struct secbuf *val = NULL;
			st = store_get(s, v->get, &val, &err);
			secbuf_free(val);
		} else if (st == STORE_OK) {
			st = vector_check_secrets(v, s, &err);
		}
	}
	double ms = now_ms() - t0;
	/* Every verdict first, then the folder removed, then a failure reported: none is left behind. */
	char why[1024] = "";
	if (strcmp(status_name(st), v->expect) != 0)
		snprintf(why, sizeof(why), "%s: expected %s, got %s (%s)", v->name, v->expect, status_name(st),
		         err.message);
	else if (v->reason && !strstr(err.message, v->reason))
		snprintf(why, sizeof(why), "%s: refused, but not for the rule tested: \"%s\" lacks \"%s\"", v->name,
		         err.message, v->reason);
	else if (v->fast && ms >= 50)
		snprintf(why, sizeof(why), "%s: refused after %.1f ms of CPU, not under 50 ms (a KDF ran?)", v->name, ms);
	else if ((strcmp(v->expect, "success") == 0 || strcmp(v->expect, "not_found") == 0) && !s)
		snprintf(why, sizeof(why), "%s: no store returned", v->name);
	store_close(s);
	/* Reading never writes: the file is as it was. */
	size_t after_len;
	char *after = tu_read_file(path, &after_len);
	if (!*why && (!after || after_len != len || memcmp(after, body, len) != 0))
		snprintf(why, sizeof(why), "%s: the file changed on reading", v->name);
	free(after);
	if (body != v->body)
		free(body);
	tmpdir_remove(dir);
	free(dir);
	free(path);
	if (*why)
		fail_msg("%s", why);
}

/* A fixed MAC key: equal MACs mean equal MAC inputs. */
static void roundtrip_digest(const struct store_file *f, unsigned char hdr[256], size_t *hlen,
                             unsigned char mac[STORE_MAC_BYTES])
{
	struct store_keys *k = store_keys_new();

	assert_non_null(k);
	memset(k->mac, 0x5a, sizeof(k->mac));
	*hlen = store_crypto_header(f, hdr, 256);
	store_crypto_mac(f, k, mac);
	store_keys_free(k);
}

/* parse -> serialize -> parse: the same meaning (header bytes and MAC input),
 * and serializing again gives the same bytes (a canonical form). */
static void test_roundtrip(void **state)
{
	struct vector **all = *state;
	struct store_kdf_bounds open = { 1, UINT64_MAX, 0, UINT64_MAX };
	int parsed = 0;

	for (size_t i = 0; all[i]; i++) {
		struct vector *v = all[i];
		struct store_file *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
		unsigned char ha[256], hb[256], ma[STORE_MAC_BYTES], mb[STORE_MAC_BYTES];
		size_t la, lb, sa_len, sb_len;
		char *sa, *sb;

		if (!v->body)
			vector_parse(v);
		if (store_format_parse(v->body, v->body_len, &open, a, NULL) == STORE_OK) {
			parsed++;
			assert_int_equal(store_format_serialize(a, &sa, &sa_len), 0);
			assert_int_equal(store_format_parse(sa, sa_len, &open, b, NULL), STORE_OK);
			roundtrip_digest(a, ha, &la, ma);
			roundtrip_digest(b, hb, &lb, mb);
			assert_int_equal(la, lb);
			assert_memory_equal(ha, hb, la);
			assert_memory_equal(ma, mb, sizeof(ma));
			assert_int_equal(store_format_serialize(b, &sb, &sb_len), 0);
			assert_int_equal(sa_len, sb_len);
			assert_memory_equal(sa, sb, sa_len);
			free(sa);
			free(sb);
		}
		store_format_clear(a);
		store_format_clear(b);
		free(a);
		free(b);
	}
	print_message("# %d parseable vectors round-trip\n", parsed);
	assert_true(parsed >= 40);
}

/* Golden v1 files: committed once, they must open in every release. */
static void test_golden(void **state)
{
	char *dir = corpus_dir("golden");
	char *expected = tu_path(dir, "expected");
	char *text = tu_read_file(expected, NULL);
	char *tmp = tmpdir_make("azrc-store");
	char *copy = tu_path(tmp, "secrets.store");
	struct store *s = NULL;
	struct secbuf *key = NULL;
	int files = 0, secrets = 0;

	(void)state;
	assert_non_null(text);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char name[128], keyspec[256], params[32], id[80], kind[40], sha[80];
		struct store_error err;

		if (sscanf(line, "file %127s %255s %31s", name, keyspec, params) == 3) {
			char *src = tu_path(dir, name);
			size_t len;
			char *data = tu_read_file(src, &len);

			store_close(s);
			secbuf_free(key);
			assert_non_null(data);
			/* git does not keep modes: the copy gets the store's 0600. */
			assert_int_equal(tu_write_file(copy, data, len, 0600), 0);
			free(data);
			free(src);
			key = vector_key(keyspec);
			const struct store_params *p = strcmp(params, "test") == 0 ? store_params_test()
			                                                          : store_params_production();
			if (store_load_params(copy, p, &s, &err) != STORE_OK || store_unlock(s, key, &err) != STORE_OK)
				fail_msg("golden %s: %s", name, err.message);
			files++;
		} else if (sscanf(line, " %79s %39s %79s", id, kind, sha) == 3 && s) {
			struct secbuf *val = NULL;
			struct store_info info;
			char hex[65];
			int found = 0;

			if (store_get(s, id, &val, &err) != STORE_OK)
				fail_msg("golden: %s: %s", id, err.message);
			tu_sha256_hex(val->data, val->len, hex);
			secbuf_free(val);
			assert_string_equal(hex, sha);
			for (size_t i = 0; store_info(s, i, &info); i++)
				found += strcmp(info.id, id) == 0 && strcmp(store_kind_name(info.kind), kind) == 0;
			assert_int_equal(found, 1);
			secrets++;
		}
	}
	store_close(s);
	secbuf_free(key);
	assert_int_equal(files, 4);
	assert_int_equal(secrets, 20);
	tmpdir_remove(tmp);
	free(tmp);
	free(copy);
	free(text);
	free(expected);
	free(dir);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char *vdir = corpus_dir("vectors");
	DIR *d = opendir(vdir);
	char *names[1024];
	size_t n = 0;
	struct CMUnitTest *tests;
	struct vector **all;
	int counts[4] = { 0 }; /* success, failure kinds seen */

	if (!d || sodium_init() < 0) {
		printf("Bail out! cannot open %s\n", vdir);
		return 1;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL && n < 1024;)
		if (strlen(e->d_name) > 4 && strcmp(e->d_name + strlen(e->d_name) - 4, ".vec") == 0)
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	tests = calloc(n + 2, sizeof(*tests));
	all = calloc(n + 1, sizeof(*all));
	for (size_t i = 0; i < n; i++) {
		struct vector *v = calloc(1, sizeof(*v));

		v->name = names[i];
		v->file = tu_path(vdir, names[i]);
		all[i] = v;
		tests[i].name = v->name;
		tests[i].test_func = run_vector;
		tests[i].initial_state = v;
		counts[strstr(names[i], "success") ? 0 : strstr(names[i], "corrupt") || strstr(names[i], "kdf-") ? 1
		       : strstr(names[i], "tampered") ? 2 : 3]++;
	}
	tests[n] = (struct CMUnitTest){ "the corpus: parse, serialize, parse is the identity", test_roundtrip,
	                                NULL, NULL, all };
	tests[n + 1] = (struct CMUnitTest){ "golden v1 stores open with their secrets", test_golden, NULL, NULL,
	                                    NULL };
	printf("# %zu vectors: %d success, %d corrupt, %d tampered, %d other\n", n, counts[0], counts[1],
	       counts[2], counts[3]);
	free(vdir);
	if (n < 60) {
		printf("Bail out! only %zu vectors, at least 60 are required\n", n);
		return 1;
	}
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return _cmocka_run_group_tests("store_corpus", tests, n + 2, NULL, NULL);
}
