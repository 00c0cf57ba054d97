/* Store statuses: messages and their exit codes (store-design.md §5.7). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "exitcode.h"
#include "store_error.h"

enum store_status store_fail(struct store_error *err, enum store_status status, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return status;
	err->status = status;
	err->written = false;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return status;
}

int store_exit_code(enum store_status status)
{
	switch (status) {
	case STORE_OK:
		return AZ_EXIT_OK;
	case STORE_WRONG_KEY:
		return AZ_EXIT_STORE_WRONG_KEY;
	case STORE_CORRUPT:
		return AZ_EXIT_STORE_CORRUPT;
	case STORE_TAMPERED:
		return AZ_EXIT_STORE_TAMPERED;
	case STORE_UNSUPPORTED:
		return AZ_EXIT_STORE_UNSUPPORTED;
	case STORE_PERMISSIONS:
		return AZ_EXIT_STORE_PERMISSIONS;
	case STORE_BUSY:
		return AZ_EXIT_STORE_BUSY;
	case STORE_IO:
		return AZ_EXIT_STORE_IO;
	case STORE_NOT_FOUND:
	case STORE_NO_STORE:
		return AZ_EXIT_STORE_NOT_FOUND;
	case STORE_KDF_RESOURCES:
		return AZ_EXIT_STORE_KDF_RESOURCES;
	case STORE_INVALID:
		return AZ_EXIT_INVALID;
	case STORE_NO_MEMORY:
		break;
	}
	return AZ_EXIT_ERROR;
}
