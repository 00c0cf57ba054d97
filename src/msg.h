/* Messages to the user: one line each, prefixed with the program name. */
#ifndef AZ_MSG_H
#define AZ_MSG_H

#include <stddef.h>
#include <stdio.h>

#define AZ_PROGRAM "azrepos-connect"

/* "azrepos-connect: <message>\n" on stream. */
void msg_error(FILE *stream, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The message into msg (when given, cut at msglen); -1, for "return msg_fail(...)". */
int msg_fail(char *msg, size_t msglen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* What a message quotes of a word given: whole, or its start and "..." when it takes more than buflen. */
#define MSG_CUT_MAX 160
const char *msg_cut(const char *word, char *buf, size_t buflen);

/* A usage error: the message, then "Try 'azrepos-connect --help'." Returns AZ_EXIT_USAGE. */
int msg_usage(FILE *stream, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same, the hint naming the command's own help ("Try 'azrepos-connect new --help'"). */
int msg_usage_for(FILE *stream, const char *command, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What a command says on its error stream, kept as well (for its JSON answer). */
struct msg_capture {
	FILE *real, *mem, *tee;
	char *text; /* after msg_capture_end: what was said (free it), or NULL */
	size_t len;
};

/*
 * From now on *stream writes where it did and into c too, at once (a prompt's
 * "try again" shows when it is said). Left as it was if memory runs out.
 */
void msg_capture_start(struct msg_capture *c, FILE **stream);

/* *stream given back; what was said since the start is in c->text. */
void msg_capture_end(struct msg_capture *c, FILE **stream);

/*
 * Ask a yes/no question on /dev/tty (never stdin): 1 for y or yes, 0 for
 * anything else, -1 when there is no terminal to ask on.
 */
int msg_confirm(const char *question);

#endif
