#pragma once
// PostgreSQL's client library (Debian libpq-dev, /usr/include/postgresql through libpq.pc): regtab talks to
// the server through it instead of a Swift driver, so a first build compiles no networking or TLS stack.
#include <libpq-fe.h>
