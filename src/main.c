#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "cli.h"
#include "exitcode.h"
#include "msg.h"
#include "secbuf.h"
#include "wizard.h"

/*
 * Before anything else: no core dumps, no same-user ptrace (as ssh-agent does),
 * files private from their creation on. Secrets pass through this process.
 */
static int main_harden(void)
{
	struct rlimit no_core = { 0, 0 };

	umask(077);
	/* libcurl would write the TLS session keys there: with a capture, the token in clear. */
	unsetenv("SSLKEYLOGFILE");
	if (setrlimit(RLIMIT_CORE, &no_core) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -1;
	if (sodium_init() < 0)
		return -1;
	/* A file read as JSON may hold a secret (a token put in an answers file): its tree is wiped when freed. */
	cJSON_InitHooks(&(cJSON_Hooks){ .malloc_fn = malloc, .free_fn = secbuf_wipe_free });
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = {
		.out = stdout,
		.err = stderr,
		.stdin_tty = isatty(STDIN_FILENO) == 1,
		.stdout_tty = isatty(STDOUT_FILENO) == 1,
		.wizard = wizard_run,
	};

	if (main_harden() != 0) {
		msg_error(stderr, "cannot set up a safe process (core dumps, ptrace, libsodium)");
		return AZ_EXIT_ERROR;
	}
	/* A closed pipe is an error to report, not a signal to die of mid-write. */
	signal(SIGPIPE, SIG_IGN);
	char *self = cli_self_name();
	ctx.self = self;
	int rc = cli_main(&ctx, argc, argv);
	free(self);
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* A retry must not redo what stands: a save before the output is kept. */
		msg_error(stderr, "cannot write to standard output%s%s; what the command did stands (anything "
		          "it saved is saved)", errno ? ": " : "", errno ? strerror(errno) : "");
		if (rc == AZ_EXIT_OK)
			rc = AZ_EXIT_ERROR;
	}
	return rc;
}
