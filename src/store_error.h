/* Error reporting inside the store modules. */
#ifndef AZ_STORE_ERROR_H
#define AZ_STORE_ERROR_H

#include "store.h"

/* Fill err (when not NULL) with status and the message; returns status. */
enum store_status store_fail(struct store_error *err, enum store_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
