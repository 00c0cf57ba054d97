#include <config.h>

#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "exitcode.h"
#include "msg.h"

__attribute__((format(printf, 2, 0)))
static void msg_vline(FILE *stream, const char *fmt, va_list ap)
{
	fputs(AZ_PROGRAM ": ", stream);
	vfprintf(stream, fmt, ap);
	fputc('\n', stream);
}

void msg_capture_start(struct msg_capture *c, FILE **stream)
{
	memset(c, 0, sizeof(*c));
	c->real = *stream;
	c->mem = open_memstream(&c->text, &c->len);
	if (c->mem)
		*stream = c->mem;
}

void msg_capture_end(struct msg_capture *c, FILE **stream)
{
	if (!c->mem)
		return;
	fclose(c->mem);
	c->mem = NULL;
	*stream = c->real;
	if (c->text)
		fputs(c->text, c->real);
}

void msg_error(FILE *stream, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vline(stream, fmt, ap);
	va_end(ap);
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
