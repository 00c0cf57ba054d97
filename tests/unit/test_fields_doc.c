/*
 * Every field of the table is documented: in `new --help` and in both manual pages; and every
 * Azure URL the documents show is one the program accepts (an example that fails misleads).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "azure_url.h"
#include "cmd.h"
#include "fields.h"
#include "fileio.h"

/* The text of a document of the source tree, with roff's "\-" turned into "-". */
static char *doc_text(const char *rel)
{
	char path[1024];
	char *text;
	size_t len;
	const char *top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	assert_int_equal(fileio_read_path(path, 1 << 20, &text, &len), 0);
	char *w = text;
	for (const char *r = text; *r; r++) {
		if (r[0] == '\\' && r[1] == '-')
			continue;
		*w++ = *r;
	}
	*w = '\0';
	return text;
}

static void test_help_lists_every_field(void **state)
{
	char *help = NULL, want[96];
	size_t len;
	FILE *out = open_memstream(&help, &len);

	(void)state;
	cmd_new_usage(out);
	fclose(out);
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);
		snprintf(want, sizeof(want), "--%s%s", f->key, f->kind == FIELD_SECRET ? "-file" : " ");
		if (!strstr(help, want))
			fail_msg("new --help does not list %s", want);
		if (f->kind == FIELD_SECRET) {
			snprintf(want, sizeof(want), "--%s-secret", f->key);
			assert_non_null(strstr(help, want));
		}
	}
	free(help);
}

static void test_man_pages_list_every_field(void **state)
{
	char *man1 = doc_text("man/azrepos-connect.1"), *man5 = doc_text("man/azrepos-connect.5");
	char want[96];

	(void)state;
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);
		snprintf(want, sizeof(want), "--%s%s", f->key, f->kind == FIELD_SECRET ? "-file" : "");
		if (!strstr(man1, want))
			fail_msg("azrepos-connect.1 does not document %s", want);
		snprintf(want, sizeof(want), "%s%s", f->key, f->kind == FIELD_SECRET ? "-secret" : "");
		if (!strstr(man5, want))
			fail_msg("azrepos-connect.5 does not document the key %s", want);
	}
	free(man1);
	free(man5);
}

/* Each URL of dev.azure.com in text is a valid Project or Repository URL; returns how many. */
static int doc_check_urls(const char *doc, const char *text)
{
	static const char *const starts[] = { "https://dev.azure.com/", "git@ssh.dev.azure.com:" };
	char url[512], msg[320];
	int n = 0;

	for (size_t k = 0; k < sizeof(starts) / sizeof(starts[0]); k++) {
		for (const char *p = strstr(text, starts[k]); p; p = strstr(p + 1, starts[k])) {
			size_t len = strcspn(p, " \t\n\"'`<>)\\");

			while (len > 0 && strchr(".,;:", p[len - 1]))
				len--;
			snprintf(url, sizeof(url), "%.*s", (int)len, p);
			enum az_connection conn = k == 0 ? AZ_CONN_HTTP : AZ_CONN_SSH;
			if (!azure_url_check(url, AZ_URL_REPO, conn, false, msg, sizeof(msg)) &&
			    !azure_url_check(url, AZ_URL_PROJECT, conn, false, msg, sizeof(msg)))
				fail_msg("%s shows %s, which is refused: %s", doc, url, msg);
			n++;
		}
	}
	return n;
}

static void test_doc_urls_are_valid(void **state)
{
	static const char *const docs[] = {
		"README.md", "man/azrepos-connect.1", "man/azrepos-connect.5", "tests/fixtures/README.md",
	};
	int n = 0;

	(void)state;
	for (size_t k = 0; k < sizeof(docs) / sizeof(docs[0]); k++) {
		char *text = doc_text(docs[k]);

		n += doc_check_urls(docs[k], text);
		free(text);
	}
	assert_true(n >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_lists_every_field),
		cmocka_unit_test(test_man_pages_list_every_field),
		cmocka_unit_test(test_doc_urls_are_valid),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("fields_doc", tests, NULL, NULL);
}
