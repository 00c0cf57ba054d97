/* Exit codes of azrepos-connect (documented in azrepos-connect(1) and README). */
#ifndef AZ_EXITCODE_H
#define AZ_EXITCODE_H

enum az_exit {
	AZ_EXIT_OK = 0,
	AZ_EXIT_ERROR = 1,       /* any other error */
	AZ_EXIT_USAGE = 2,       /* bad command line, or no terminal for the wizard */
	AZ_EXIT_INVALID = 3,     /* invalid input: field values, answers file */
	AZ_EXIT_CHECK = 4,       /* connectivity check failed */
	AZ_EXIT_CANCELLED = 5,   /* the user cancelled */
	/* Secret store (store-design.md §5.7). */
	AZ_EXIT_STORE_WRONG_KEY = 10,
	AZ_EXIT_STORE_CORRUPT = 11,
	AZ_EXIT_STORE_TAMPERED = 12,
	AZ_EXIT_STORE_UNSUPPORTED = 13,
	AZ_EXIT_STORE_PERMISSIONS = 14,
	AZ_EXIT_STORE_BUSY = 15,
	AZ_EXIT_STORE_IO = 16,
	AZ_EXIT_STORE_NOT_FOUND = 17,
	AZ_EXIT_STORE_KDF_RESOURCES = 18,
};

#endif
