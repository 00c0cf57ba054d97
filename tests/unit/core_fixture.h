/* Helpers shared by the core's unit tests (cmocka): test data and connectors. */
#ifndef AZ_CORE_FIXTURE_H
#define AZ_CORE_FIXTURE_H

#include <stddef.h>

#include "connector.h"

/* "$top_srcdir/tests/data/<rel>" (malloc'ed). */
char *fixture_data_path(const char *rel);

/* All of a file (malloc'ed, NUL-terminated); fails the test when unreadable. */
char *fixture_read(const char *path, size_t *len);

/* A connector from key/value pairs ending with NULL, set with fields_set; each must be accepted. */
struct connector *fixture_connector(const char *key, ...);

#endif
