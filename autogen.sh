#!/bin/sh
# Generate the build system (configure, Makefile.in, build-aux/). Generated files are not committed.
set -e
cd "$(dirname "$0")"
autoreconf -fi
