#pragma once
// OpenSSL's libcrypto (Debian libssl-dev) for SHA-256: it uses the CPU's SHA extensions where present
// (about 2 GB/s on this machine kind, seven times the portable Swift code it replaced).
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
