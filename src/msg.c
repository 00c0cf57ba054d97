#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exitcode.h"
#include "ident.h"
#include "msg.h"
#include "utf8.h"

/* A token quoted by mistake (given where a path or an id goes) is not said: see ident_redact_tokens. */
__attribute__((format(printf, 2, 0)))
static void msg_vline(FILE *stream, const char *fmt, va_list ap)
{
	char *line = NULL;
	int n = vasprintf(&line, fmt, ap);

	if (n < 0) {
		fputs(AZ_PROGRAM ": out of memory\n", stream);
		return;
	}
	ident_redact_tokens(line);
	/*
	 * What the user gave, a file or a server sent is quoted here: never raw ESC on their terminal,
	 * and never a line break that would start a line of its own (one line per error, for scripts).
	 */
	utf8_defang_line(line);
	/* What standard output holds comes first in a log taking both (2>&1 | tee): it is a pipe's, buffered. */
	fflush(stdout);
	fprintf(stream, AZ_PROGRAM ": %s\n", line);
	explicit_bzero(line, (size_t)n);
	free(line);
}

static ssize_t msg_tee_write(void *cookie, const char *buf, size_t size)
{
	struct msg_capture *c = cookie;

	fwrite(buf, 1, size, c->real);
	fflush(c->real);
	return (ssize_t)fwrite(buf, 1, size, c->mem);
}

void msg_capture_start(struct msg_capture *c, FILE **stream)
{
	cookie_io_functions_t io = { .write = msg_tee_write };

	memset(c, 0, sizeof(*c));
	c->real = *stream;
	c->mem = open_memstream(&c->text, &c->len);
	c->tee = c->mem ? fopencookie(c, "w", io) : NULL;
	if (c->tee) {
		setvbuf(c->tee, NULL, _IOLBF, 0); /* a line at a time, as stderr */
		*stream = c->tee;
	} else if (c->mem) {
		fclose(c->mem);
		c->mem = NULL;
	}
}

void msg_capture_end(struct msg_capture *c, FILE **stream)
{
	if (!c->tee)
		return;
	fclose(c->tee);
	fclose(c->mem);
	c->tee = c->mem = NULL;
	*stream = c->real;
}

void msg_error(FILE *stream, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vline(stream, fmt, ap);
	va_end(ap);
}

int msg_fail(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	if (msg && msglen) {
		va_start(ap, fmt);
		vsnprintf(msg, msglen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

__attribute__((format(printf, 3, 0)))
static int msg_vusage(FILE *stream, const char *command, const char *fmt, va_list ap)
{
	msg_vline(stream, fmt, ap);
	fprintf(stream, "Try '" AZ_PROGRAM "%s%s --help' for more information.\n", command ? " " : "",
	        command ? command : "");
	return AZ_EXIT_USAGE;
}

int msg_usage(FILE *stream, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int rc = msg_vusage(stream, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

int msg_usage_for(FILE *stream, const char *command, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int rc = msg_vusage(stream, command, fmt, ap);
	va_end(ap);
	return rc;
}

int msg_confirm(const char *question)
{
	FILE *tty = fopen("/dev/tty", "r+e");
	char answer[16];
	int yes;

	if (!tty)
		return -1;
	fprintf(tty, "%s [y/N] ", question);
	fflush(tty);
	yes = fgets(answer, sizeof(answer), tty) != NULL;
	if (yes) {
		answer[strcspn(answer, "\r\n")] = '\0';
		yes = strcasecmp(answer, "y") == 0 || strcasecmp(answer, "yes") == 0;
	}
	fclose(tty);
	return yes;
}

const char *msg_cut(const char *word, char *buf, size_t buflen)
{
	size_t n = strlen(word);

	if (n < buflen || buflen < 8)
		return word;
	/* Cut where a character starts: the message stays UTF-8. */
	n = buflen - 4;
	while (n > 0 && ((unsigned char)word[n] & 0xC0) == 0x80)
		n--;
	/* ... and before a token it would cut: too short then for msg_error to see it and withhold it. */
	size_t len;
	for (const char *run = word; (run = ident_token_run(run, &len)) != NULL && (size_t)(run - word) < n; run += len)
		if ((size_t)(run - word) + len > n)
			n = (size_t)(run - word);
	snprintf(buf, buflen, "%.*s...", (int)n, word);
	return buf;
}
