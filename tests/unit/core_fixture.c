#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "fileio.h"

char *fixture_data_path(const char *rel)
{
	const char *top = getenv("top_srcdir");
	size_t n = strlen(top ? top : ".") + strlen(rel) + sizeof("/tests/data/");
	char *path = malloc(n);

	assert_non_null(path);
	snprintf(path, n, "%s/tests/data/%s", top ? top : ".", rel);
	return path;
}

char *fixture_read(const char *path, size_t *len)
{
	char *text = NULL;

	if (fileio_read_path(path, 1 << 20, &text, len) != 0)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	return text;
}

struct connector *fixture_connector(const char *key, ...)
{
	struct connector *c = connector_new();
	char msg[FIELD_MSG_MAX];
	va_list ap;

	assert_non_null(c);
	va_start(ap, key);
	for (; key; key = va_arg(ap, const char *)) {
		const struct field *f = fields_find(key);
		const char *value = va_arg(ap, const char *);

		if (!f)
			fail_msg("no field '%s'", key);
		if (!fields_set(c, f->id, value, msg, sizeof(msg)))
			fail_msg("%s: %s", key, msg);
	}
	va_end(ap);
	return c;
}
