#ifndef AZ_TERM_TYPE_H
#define AZ_TERM_TYPE_H

enum term_type {
	TERM_TYPE_OK,      /* known here, and it can place the cursor */
	TERM_TYPE_UNKNOWN, /* no terminfo entry */
	TERM_TYPE_NO_CUP,  /* known, but it cannot place the cursor (TERM=dumb) */
};

/*
 * Judge the terminal type name (for the terminal on fd) before newterm, which cleans up
 * nothing when it fails. Its own file: <term.h> defines a macro for every capability name.
 */
enum term_type term_type_judge(const char *name, int fd);

#endif
