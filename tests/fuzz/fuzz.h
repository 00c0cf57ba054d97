/*
 * Fuzz targets (DESIGN.md §7): one file per parser of untrusted input, each
 * a libFuzzer entry point. tests/fuzz/run builds them with libFuzzer;
 * tests/fuzz/replay.c runs them on their seed corpus in `make check`.
 */
#ifndef AZ_FUZZ_H
#define AZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The name of the target's corpus folder (tests/fuzz/corpus/<name>), for replay.c. */
extern const char fuzz_target_name[];

/* A NUL-terminated malloc'ed copy of data (aborts when out of memory). */
char *fuzz_strndup(const uint8_t *data, size_t size);

/*
 * A private folder made once per process (mkdtemp under $TMPDIR or /tmp) and
 * removed with its files at exit; fuzz_tmp_file writes data to <that>/<name>
 * and returns the path (static storage). Aborts on failure.
 */
const char *fuzz_tmp_file(const char *name, const uint8_t *data, size_t size);

#endif
