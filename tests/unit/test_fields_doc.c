/* Every field of the table is documented: in `new --help` and in both manual pages. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd.h"
#include "fields.h"
#include "fileio.h"

/* The text of a manual page, with roff's "\-" turned into "-". */
static char *man_text(const char *page)
{
	char path[1024];
	char *text;
	size_t len;
	const char *top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/man/%s", top ? top : ".", page);
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
	char *man1 = man_text("azrepos-connect.1"), *man5 = man_text("azrepos-connect.5");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_lists_every_field),
		cmocka_unit_test(test_man_pages_list_every_field),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("fields_doc", tests, NULL, NULL);
}
