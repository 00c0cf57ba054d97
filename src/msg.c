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

void msg_error(FILE *stream, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vline(stream, fmt, ap);
	va_end(ap);
}

int msg_usage(FILE *stream, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vline(stream, fmt, ap);
	va_end(ap);
	fputs("Try '" AZ_PROGRAM " --help' for more information.\n", stream);
	return AZ_EXIT_USAGE;
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
